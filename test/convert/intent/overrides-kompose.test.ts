/** kompose labels: accepted forms, cross-label rules and positioned errors (in-memory compose files). */
import { describe, expect, it } from 'vitest';
import { serviceOverrides, volumeOverrides } from '../../../src/convert/intent/overrides.js';
import { KOMPOSE_LABELS } from '../../../src/convert/intent/kompose-labels.js';
import { KOMPOSE_HANDLED } from '../../../src/convert/intent/kompose.js';
import { ctxFrom, diagLines } from './overrides-helpers.js';

/** One service `web` with these labels (map form), loaded through the real loader. */
function web(labels: Record<string, string>) {
  const lines = Object.entries(labels).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`);
  return ctxFrom(`services:\n  web:\n    image: nginx\n    labels:\n${lines.join('\n')}\n`);
}

describe('kompose labels', () => {
  it('list-form labels are read, and errors point at the list item', () => {
    const ctx = ctxFrom(`services:
  web:
    image: nginx
    labels:
      - kompose.service.group=sidecar
      - kompose.controller.type=replicaset
`);
    const o = serviceOverrides(ctx, 'web');
    expect(o).toEqual({ serviceGroup: 'sidecar' });
    expect(diagLines(ctx)).toEqual([
      'kompose-label-invalid 6:9 service "web": label kompose.controller.type: "replicaset" is not one of Deployment, StatefulSet, DaemonSet, Job, CronJob',
    ]);
  });

  it('controller types are case-insensitive; replicationcontroller becomes a Deployment with a note', () => {
    expect(serviceOverrides(web({ 'kompose.controller.type': 'statefulset' }), 'web').controller).toBe('StatefulSet');
    const ctx = web({ 'kompose.controller.type': 'replicationcontroller' });
    expect(serviceOverrides(ctx, 'web').controller).toBe('Deployment');
    expect(ctx.diags.list.map((d) => [d.severity, d.code])).toEqual([['info', 'kompose-label-approximated']]);
  });

  it('expose: true, false, host/path and expose.path', () => {
    expect(serviceOverrides(web({ 'kompose.service.expose': 'true' }), 'web').ingress).toEqual({
      enabled: true,
      rules: [],
      hosts: [],
    });
    expect(serviceOverrides(web({ 'kompose.service.expose': 'False' }), 'web').ingress).toEqual({
      enabled: false,
      rules: [],
      hosts: [],
    });
    expect(
      serviceOverrides(
        web({ 'kompose.service.expose': 'A.example.com, b.example.com/api', 'kompose.service.expose.path': '/app' }),
        'web',
      ).ingress,
    ).toEqual({
      enabled: true,
      rules: [
        { host: 'a.example.com', path: '/app' },
        { host: 'b.example.com', path: '/api' },
      ],
      hosts: ['a.example.com', 'b.example.com'],
    });
  });

  it('expose: an invalid host is reported, the valid ones kept', () => {
    const ctx = web({ 'kompose.service.expose': 'ok.example.com,http://bad' });
    expect(serviceOverrides(ctx, 'web').ingress?.hosts).toEqual(['ok.example.com']);
    expect(diagLines(ctx)[0]).toMatch(/^kompose-label-invalid 5:7 .*"http:" is not a valid host name/);
  });

  it('tls-secret and class alone tune the Ingress without forcing one', () => {
    expect(
      serviceOverrides(
        web({ 'kompose.service.expose.tls-secret': 'cert', 'kompose.service.expose.ingress-class-name': 'nginx' }),
        'web',
      ).ingress,
    ).toEqual({
      rules: [],
      hosts: [],
      tlsSecret: 'cert',
      className: 'nginx',
    });
  });

  it('nodeport.port must be a port number; it implies NodePort', () => {
    expect(serviceOverrides(web({ 'kompose.service.nodeport.port': '30080' }), 'web')).toEqual({
      serviceType: 'NodePort',
      nodePort: 30080,
    });
    const ctx = web({ 'kompose.service.nodeport.port': 'eighty' });
    expect(serviceOverrides(ctx, 'web')).toEqual({});
    expect(diagLines(ctx)).toEqual([
      'kompose-label-invalid 5:7 service "web": label kompose.service.nodeport.port: "eighty" is not an integer',
    ]);
  });

  it('cronjob: "Never" (kompose docs) is rejected with the allowed values as hint', () => {
    const ctx = web({ 'kompose.cronjob.schedule': '@hourly', 'kompose.cronjob.concurrency_policy': 'Never' });
    expect(serviceOverrides(ctx, 'web').cron).toEqual({ schedule: '@hourly' });
    expect(ctx.diags.list[0]).toMatchObject({
      code: 'kompose-label-invalid',
      pos: { line: 6, col: 7 },
      hint: 'use Allow, Forbid (no overlapping runs) or Replace',
    });
  });

  it('cronjob labels without a schedule, and a bad schedule, are errors', () => {
    const ctx = web({ 'kompose.cronjob.backoff_limit': '2' });
    expect(serviceOverrides(ctx, 'web').cron).toBeUndefined();
    expect(diagLines(ctx)).toEqual([
      'kompose-label-invalid 5:7 service "web": label kompose.cronjob.backoff_limit: kompose.cronjob.schedule is missing',
    ]);
    const bad = web({ 'kompose.cronjob.schedule': 'every minute' });
    expect(serviceOverrides(bad, 'web').cron).toBeUndefined();
    expect(bad.diags.list[0]?.message).toMatch(/"every minute" is not a cron schedule/);
  });

  it('hpa: percentages with %, memory as a quantity, min above max rejected', () => {
    expect(serviceOverrides(web({ 'kompose.hpa.cpu': '80%', 'kompose.hpa.memory': '512Mi' }), 'web').hpa).toEqual({
      cpu: 80,
      memory: '512Mi',
    });
    const ctx = web({ 'kompose.hpa.replicas.min': '5', 'kompose.hpa.replicas.max': '2' });
    expect(serviceOverrides(ctx, 'web').hpa).toEqual({ minReplicas: 5 });
    expect(diagLines(ctx)).toEqual([
      'kompose-label-invalid 6:7 service "web": label kompose.hpa.replicas.max: max 2 is below min 5',
    ]);
  });

  it('healthcheck test: CMD and CMD-SHELL forms, JSON arrays, bare seconds, disable', () => {
    const o = serviceOverrides(
      web({
        'kompose.service.healthcheck.readiness.test': '["CMD", "pg_isready", "-U", "app"]',
        'kompose.service.healthcheck.readiness.interval': '15',
        'kompose.service.healthcheck.readiness.start_period': '1m30s',
        'kompose.service.healthcheck.liveness.test': 'CMD-SHELL curl -f http://localhost/ || exit 1',
        'kompose.service.healthcheck.liveness.timeout': '500ms',
      }),
      'web',
    );
    expect(o.readiness).toEqual({
      type: 'exec',
      command: ['pg_isready', '-U', 'app'],
      periodSeconds: 15,
      initialDelaySeconds: 90,
    });
    expect(o.liveness).toEqual({
      type: 'exec',
      command: ['sh', '-c', 'curl -f http://localhost/ || exit 1'],
      timeoutSeconds: 1,
    });
    expect(serviceOverrides(web({ 'kompose.service.healthcheck.readiness.disable': 'true' }), 'web').readiness).toEqual(
      { disabled: true },
    );
  });

  it('healthcheck: two actions for one probe and a bad duration are errors', () => {
    const ctx = web({
      'kompose.service.healthcheck.readiness.tcp_port': '5432',
      'kompose.service.healthcheck.readiness.http_get_path': '/health',
      'kompose.service.healthcheck.readiness.timeout': 'soon',
    });
    serviceOverrides(ctx, 'web');
    expect(diagLines(ctx)).toEqual([
      'kompose-label-invalid 6:7 service "web": label kompose.service.healthcheck.readiness.http_get_path asks for a http probe, another label already set a tcp probe',
      'kompose-label-invalid 7:7 service "web": label kompose.service.healthcheck.readiness.timeout: "soon" is not a duration',
    ]);
  });

  it('init container: default name, and a missing image is reported', () => {
    expect(
      serviceOverrides(
        web({ 'kompose.init.containers.image': 'busybox', 'kompose.init.containers.command': 'sh -c "sleep 1"' }),
        'web',
      ).initContainers,
    ).toEqual([{ name: 'init-web', image: 'busybox', command: ['sh', '-c', 'sleep 1'] }]);
    const ctx = web({ 'kompose.init.containers.name': 'wait' });
    expect(serviceOverrides(ctx, 'web').initContainers).toBeUndefined();
    expect(ctx.diags.list[0]).toMatchObject({
      code: 'kompose-label-invalid',
      pos: { line: 5, col: 7 },
      hint: 'add kompose.init.containers.image: <image> (e.g. busybox:1.36)',
    });
  });

  it('pull secrets (comma list), service account, fsGroup, hostPorts and the compose2k8s.http label', () => {
    expect(
      serviceOverrides(
        web({
          'kompose.image-pull-secret': 'regcred, other',
          'kompose.serviceaccount-name': 'runner',
          'kompose.security-context.fsgroup': '2000',
          'kompose.controller.port.expose': 'true',
          'compose2k8s.http': 'false',
        }),
        'web',
      ),
    ).toEqual({
      imagePullSecrets: ['regcred', 'other'],
      serviceAccountName: 'runner',
      fsGroup: 2000,
      hostPorts: true,
      http: false,
    });
  });

  it('invalid names and quantities: secret name, storage size, fsGroup', () => {
    const ctx = web({
      'kompose.image-pull-secret': 'Reg_Cred',
      'kompose.volume.size': '1 gigabyte',
      'kompose.security-context.fsgroup': '-1',
    });
    expect(serviceOverrides(ctx, 'web')).toEqual({});
    expect(ctx.diags.list.map((d) => d.message)).toEqual([
      'service "web": label kompose.image-pull-secret: "Reg_Cred" is not a valid Secret name',
      'service "web": label kompose.volume.size: "1 gigabyte" is not a Kubernetes quantity',
      'service "web": label kompose.security-context.fsgroup: -1 is out of range',
    ]);
  });

  it('unknown kompose.* labels warn; other labels and kompose output annotations are silent', () => {
    const ctx = web({ 'kompose.service.typ': 'nodeport', 'kompose.version': '1.34', 'com.example.team': 'x' });
    expect(serviceOverrides(ctx, 'web')).toEqual({});
    expect(ctx.diags.list.map((d) => [d.severity, d.code, d.pos?.line])).toEqual([
      ['warning', 'kompose-label-unknown', 5],
    ]);
  });

  it('an unknown kompose.* label close to a known one says which one was probably meant', () => {
    const ctx = web({ 'kompose.volume.sizee': '20Gi', 'kompose.made.up': '1' });
    expect(ctx.diags.list.map((d) => [d.code, d.hint])).toEqual([]);
    serviceOverrides(ctx, 'web');
    expect(ctx.diags.list.map((d) => [d.code, d.hint])).toEqual([
      [
        'kompose-label-unknown',
        'did you mean kompose.volume.size? (see docs/x-k8s.md for the supported kompose labels)',
      ],
      ['kompose-label-unknown', 'see docs/x-k8s.md for the supported kompose labels'],
    ]);
  });

  it('volume sub-path: leading slash dropped, escaping the volume rejected', () => {
    expect(serviceOverrides(web({ 'kompose.volume.sub-path': '/pg/data' }), 'web').volumes).toEqual({
      subpath: 'pg/data',
    });
    const ctx = web({ 'kompose.volume.subpath': '../etc' });
    expect(serviceOverrides(ctx, 'web').volumes).toBeUndefined();
    expect(diagLines(ctx)).toEqual([
      'kompose-label-invalid 5:7 service "web": label kompose.volume.subpath: "../etc" is not a relative sub-path',
    ]);
  });

  it('top-level volume labels: invalid size is an error, unknown kompose labels warn', () => {
    const ctx = ctxFrom(`services: { a: { image: x, volumes: [data:/d] } }
volumes:
  data:
    labels:
      kompose.volume.size: big
      kompose.volume.type: emptyDir
      kompose.volume.storage-class-name: gold
`);
    expect(volumeOverrides(ctx, 'data')).toEqual({ storageClass: 'gold' });
    expect(ctx.diags.list.map((d) => [d.severity, d.code, d.pos?.line])).toEqual([
      ['error', 'kompose-label-invalid', 5],
      ['warning', 'kompose-label-unknown', 6],
    ]);
    expect(volumeOverrides(ctx, 'missing')).toEqual({});
  });

  it('service labels win over deploy.labels for the same key', () => {
    const ctx = ctxFrom(`services:
  web:
    image: nginx
    labels: { kompose.service.type: clusterip }
    deploy:
      labels: { kompose.service.type: nodeport, kompose.ephemeral-storage.limit: 2Gi }
`);
    expect(serviceOverrides(ctx, 'web')).toEqual({
      serviceType: 'ClusterIP',
      resources: { limits: { ephemeralStorage: '2Gi' } },
    });
  });

  it('is memoized per conversion: one object, diagnostics once', () => {
    const ctx = web({ 'kompose.service.type': 'bogus' });
    const a = serviceOverrides(ctx, 'web');
    expect(serviceOverrides(ctx, ctx.project.services.web!)).toBe(a);
    expect(ctx.diags.list).toHaveLength(1);
    expect(serviceOverrides(ctx, 'nope')).toEqual({});
  });

  it('the label table lists exactly the labels that have a reader', () => {
    const table = KOMPOSE_LABELS.filter((l) => l.on === 'service').map((l) => l.label);
    expect(new Set(table)).toEqual(new Set(KOMPOSE_HANDLED));
    expect(table.length).toBe(new Set(table).size);
    for (const l of KOMPOSE_LABELS) expect(l.meaning.length, l.label).toBeGreaterThan(5);
  });
});
