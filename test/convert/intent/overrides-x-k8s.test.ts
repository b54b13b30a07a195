/** The x-k8s extension: service, volume and top level; precedence over labels and options; errors. */
import { describe, expect, it } from 'vitest';
import {
  claimSettings,
  effectiveOptions,
  projectOverrides,
  readIntent,
  serviceOverrides,
  volumeOverrides,
} from '../../../src/convert/intent/overrides.js';
import { declaredAccessMode } from '../../../src/convert/storage/claims.js';
import { ctxFrom, diagLines } from './overrides-helpers.js';

describe('x-k8s on a service', () => {
  it('maps every field', () => {
    const ctx = ctxFrom(`services:
  web:
    image: nginx
    x-k8s:
      controller: statefulset
      replicas: "3"
      group: front
      service: { type: nodeport, nodePort: 30080, externalTrafficPolicy: Local }
      ingress: { hosts: [a.example.com, B.example.com], path: /app, class: nginx, tls: web-cert }
      storage: { size: 5Gi, class: fast, accessMode: ReadWriteMany, type: emptyDir, subpath: data }
      probes:
        readiness: { http: /healthz, period: 5s, failureThreshold: 2 }
        liveness: { tcp: 8080, initialDelay: 1m }
        startup: false
      resources: { limits: { cpu: 1, memory: 512Mi }, requests: { cpu: 250m } }
      cron: "*/5 * * * *"
      hpa: { minReplicas: 2, maxReplicas: 6, cpu: 75, memory: 1Gi }
      imagePullPolicy: always
      imagePullSecrets: regcred
      serviceAccount: runner
      initContainers: [{ name: migrate, image: app:1, command: "./migrate up" }]
      fsGroup: 1000
      hostPorts: false
      http: true
      patches:
        - { op: replace, path: /spec/revisionHistoryLimit, value: 2 }
        - { target: { kind: Service }, merge: { metadata: { annotations: { a: b } } } }
`);
    expect(serviceOverrides(ctx, 'web')).toEqual({
      controller: 'StatefulSet',
      replicas: 3,
      serviceGroup: 'front',
      serviceType: 'NodePort',
      nodePort: 30080,
      externalTrafficPolicy: 'Local',
      ingress: {
        enabled: true,
        rules: [
          { host: 'a.example.com', path: '/app' },
          { host: 'b.example.com', path: '/app' },
        ],
        hosts: ['a.example.com', 'b.example.com'],
        className: 'nginx',
        tlsSecret: 'web-cert',
      },
      volumes: { size: '5Gi', storageClass: 'fast', accessMode: 'ReadWriteMany', type: 'emptyDir', subpath: 'data' },
      readiness: { type: 'http', path: '/healthz', periodSeconds: 5, failureThreshold: 2 },
      liveness: { type: 'tcp', port: 8080, initialDelaySeconds: 60 },
      startup: { disabled: true },
      resources: { limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '250m' } },
      cron: { schedule: '*/5 * * * *' },
      hpa: { minReplicas: 2, maxReplicas: 6, cpu: 75, memory: '1Gi' },
      imagePullPolicy: 'Always',
      imagePullSecrets: ['regcred'],
      serviceAccountName: 'runner',
      initContainers: [{ name: 'migrate', image: 'app:1', command: ['./migrate', 'up'] }],
      fsGroup: 1000,
      hostPorts: false,
      http: true,
      patches: [
        { op: 'replace', path: '/spec/revisionHistoryLimit', value: 2 },
        { target: { kind: 'Service' }, merge: { metadata: { annotations: { a: 'b' } } } },
      ],
    });
    expect(ctx.diags.list).toEqual([]);
  });

  it('short forms: ingress false / host string, service type string, exec list', () => {
    const ctx = ctxFrom(`services:
  a: { image: x, x-k8s: { ingress: false, service: None } }
  b: { image: x, x-k8s: { ingress: b.example.com, probes: { readiness: { exec: [CMD, pg_isready] } } } }
`);
    expect(serviceOverrides(ctx, 'a')).toEqual({
      ingress: { enabled: false, rules: [], hosts: [] },
      serviceType: 'None',
    });
    expect(serviceOverrides(ctx, 'b')).toEqual({
      ingress: { enabled: true, rules: [{ host: 'b.example.com' }], hosts: ['b.example.com'] },
      readiness: { type: 'exec', command: ['pg_isready'] },
    });
  });

  it('an unknown key is an error at the key, with a suggestion; the whole x-k8s is ignored', () => {
    const ctx = ctxFrom(`services:
  web:
    image: nginx
    labels: { kompose.service.type: nodeport }
    x-k8s:
      replicas: 2
      servce: { type: LoadBalancer }
`);
    expect(serviceOverrides(ctx, 'web')).toEqual({ serviceType: 'NodePort' });
    expect(ctx.diags.list).toEqual([
      {
        severity: 'error',
        code: 'x-k8s-invalid',
        message: 'service "web": x-k8s.servce: unknown key',
        pos: { file: '/project/compose.yaml', line: 7, col: 7 },
        hint: expect.stringMatching(
          /^did you mean service\? allowed keys: controller, replicas, group, service, ingress/,
        ),
      },
    ]);
  });

  it('nested unknown keys and wrong values name the key path', () => {
    const ctx = ctxFrom(`services:
  web:
    image: nginx
    x-k8s:
      replicas: many
      service: { typ: NodePort }
      ingress: { tls: { secret: My_Cert } }
      resources: { limits: { cpu: lots } }
      storage: [1Gi]
`);
    serviceOverrides(ctx, 'web');
    expect(diagLines(ctx)).toEqual([
      'x-k8s-invalid 5:7 service "web": x-k8s.replicas: "many" is not an integer',
      'x-k8s-invalid 6:18 service "web": x-k8s.service.typ: unknown key',
      'x-k8s-invalid 7:25 service "web": x-k8s.ingress.tls.secret: "My_Cert" is not a valid Secret name',
      'x-k8s-invalid 8:30 service "web": x-k8s.resources.limits.cpu: "lots" is not a Kubernetes quantity',
      'x-k8s-invalid 9:7 service "web": x-k8s.storage: expected a mapping, got a list',
    ]);
    expect(ctx.diags.list[1]!.hint).toBe('did you mean type? allowed keys: type, nodePort, externalTrafficPolicy');
  });

  it('a value of the wrong kind is named by its kind: a mapping, null', () => {
    const ctx = ctxFrom(`services:
  web:
    image: nginx
    x-k8s:
      fsGroup: { a: 1 }
      hostPorts: null
`);
    serviceOverrides(ctx, 'web');
    expect(diagLines(ctx)).toEqual([
      'x-k8s-invalid 5:7 service "web": x-k8s.fsGroup: expected an integer, got a mapping',
      'x-k8s-invalid 6:7 service "web": x-k8s.hostPorts: expected true or false, got null',
    ]);
  });

  it('probes: one action per probe; a bad duration', () => {
    const ctx = ctxFrom(`services:
  web:
    image: nginx
    x-k8s:
      probes:
        readiness: { exec: "true", http: { port: 80 } }
        liveness: { tcp: 80, period: often }
`);
    serviceOverrides(ctx, 'web');
    expect(diagLines(ctx)).toEqual([
      'x-k8s-invalid 6:36 service "web": x-k8s.probes.readiness.http: a probe has one action; exec and http are both set',
      'x-k8s-invalid 7:30 service "web": x-k8s.probes.liveness.period: "often" is not a duration',
    ]);
  });

  it('patches: a bad op, a missing body and an unknown key are reported at the item', () => {
    const ctx = ctxFrom(`services:
  web:
    image: nginx
    x-k8s:
      patches:
        - { op: upsert, path: /spec }
        - { target: { kind: Deployment } }
        - { merge: {}, extra: 1 }
`);
    serviceOverrides(ctx, 'web');
    expect(diagLines(ctx)).toEqual([
      'x-k8s-invalid 6:13 service "web": x-k8s.patches[0].op: op must be one of add, remove, replace, move, copy, test',
      'x-k8s-invalid 7:11 service "web": x-k8s.patches[1]: a patch needs either op/path (JSON Patch) or merge: {...} (strategic merge)',
      'x-k8s-invalid 8:24 service "web": x-k8s.patches[2].extra: unknown key "extra" in a merge patch',
    ]);
  });

  it('x-k8s that is not a mapping, hpa bounds, cron policy', () => {
    const ctx = ctxFrom(`services:
  a: { image: x, x-k8s: true }
  b: { image: x, x-k8s: { hpa: { minReplicas: 4, maxReplicas: 2 }, cron: { schedule: "@daily", concurrencyPolicy: Never } } }
`);
    expect(serviceOverrides(ctx, 'a')).toEqual({});
    expect(serviceOverrides(ctx, 'b')).toEqual({});
    expect(diagLines(ctx)).toEqual([
      'x-k8s-invalid 2:18 service "a": x-k8s: expected a mapping, got true',
      'x-k8s-invalid 3:50 service "b": x-k8s.hpa.maxReplicas: maxReplicas is below minReplicas',
      'x-k8s-invalid 3:96 service "b": x-k8s.cron.concurrencyPolicy: "Never" is not one of Allow, Forbid, Replace',
    ]);
  });
});

describe('precedence: x-k8s > kompose label > options', () => {
  it('x-k8s wins field by field; label fields x-k8s does not set stay', () => {
    const ctx = ctxFrom(`services:
  web:
    image: nginx
    labels:
      kompose.service.type: nodeport
      kompose.service.nodeport.port: "30001"
      kompose.service.expose: a.example.com
      kompose.service.expose.ingress-class-name: traefik
      kompose.service.healthcheck.readiness.tcp_port: "5432"
      kompose.service.healthcheck.readiness.interval: 20s
      kompose.hpa.cpu: "50"
    x-k8s:
      service: { type: LoadBalancer }
      ingress: { class: nginx }
      probes: { readiness: { http: /ready } }
      hpa: { maxReplicas: 4 }
`);
    expect(serviceOverrides(ctx, 'web')).toEqual({
      serviceType: 'LoadBalancer',
      nodePort: 30001,
      ingress: { enabled: true, rules: [{ host: 'a.example.com' }], hosts: ['a.example.com'], className: 'nginx' },
      readiness: { type: 'http', path: '/ready', periodSeconds: 20 },
      hpa: { cpu: 50, maxReplicas: 4 },
    });
  });

  it('claims: volume x-k8s > volume label > service > top-level x-k8s > options', () => {
    const ctx = ctxFrom(
      `services:
  db:
    image: postgres
    labels: { kompose.volume.size: 2Gi, kompose.volume.storage-class-name: svc-class }
    volumes: [data:/a, logs:/b, cache:/c]
volumes:
  data:
    labels: { kompose.volume.size: 3Gi }
    x-k8s: { size: 4Gi, accessMode: ReadWriteMany }
  logs: {}
  cache: {}
x-k8s:
  storage: { size: 9Gi, class: project-class, accessMode: ReadWriteOncePod }
`,
      { volumeSize: '1Gi', storageClass: 'option-class' },
    );
    expect(volumeOverrides(ctx, 'data')).toEqual({ size: '4Gi', accessMode: 'ReadWriteMany' });
    expect(claimSettings(ctx, 'data', 'db')).toEqual({ size: '4Gi', storageClass: 'svc-class' });
    expect(claimSettings(ctx, 'logs', 'db')).toEqual({ size: '2Gi', storageClass: 'svc-class' });
    expect(claimSettings(ctx, 'cache')).toEqual({ size: '9Gi', storageClass: 'project-class' });
    expect(claimSettings(ctxFrom('services: {a: {image: x}}', { volumeSize: '7Gi' }), undefined)).toEqual({
      size: '7Gi',
    });
    // The access mode is the claim's declared one (storage/claims.ts): volume > service > top-level x-k8s.
    const db = ctx.project.services.db!;
    expect(declaredAccessMode(ctx, 'data', db)).toBe('ReadWriteMany');
    expect(declaredAccessMode(ctx, 'logs', db)).toBe('ReadWriteOncePod');
  });

  it('volume x-k8s errors point into the volume', () => {
    const ctx = ctxFrom(`services: { a: { image: x } }
volumes:
  data:
    x-k8s: { size: huge }
`);
    expect(volumeOverrides(ctx, 'data')).toEqual({});
    expect(diagLines(ctx)).toEqual([
      'x-k8s-invalid 4:14 volume "data": x-k8s.size: "huge" is not a Kubernetes quantity',
    ]);
  });
});

describe('top-level x-k8s', () => {
  it('project settings set the options the caller did not give', () => {
    const ctx = ctxFrom(
      `services: { a: { image: x } }
x-k8s:
  namespace: shop
  createNamespace: true
  ingress: { host: shop.example.com, class: nginx, tls: { secret: shop-tls } }
  storage: { size: 10Gi, class: ssd }
  networkPolicies: false
  defaultProbes: "false"
  exposeType: NodePort
  secrets: external
  podSecurity: restricted
`,
      { namespace: 'cli-ns', exposeType: 'LoadBalancer' },
    );
    expect(projectOverrides(ctx)).toEqual({
      options: {
        namespace: 'shop',
        createNamespace: true,
        ingressHost: 'shop.example.com',
        ingressClass: 'nginx',
        ingressTlsSecret: 'shop-tls',
        volumeSize: '10Gi',
        storageClass: 'ssd',
        networkPolicies: false,
        defaultProbes: false,
        exposeType: 'NodePort',
        secrets: 'external',
        podSecurity: 'restricted',
      },
    });
    expect(effectiveOptions(ctx)).toMatchObject({
      namespace: 'shop',
      createNamespace: true,
      ingressHost: 'shop.example.com',
      ingressClass: 'nginx',
      ingressTlsSecret: 'shop-tls',
      volumeSize: '10Gi',
      storageClass: 'ssd',
      networkPolicies: false,
      defaultProbes: false,
      exposeType: 'NodePort',
      secrets: 'external',
      podSecurity: 'restricted',
    });
    expect(ctx.options.namespace).toBe('cli-ns');
  });

  it('without x-k8s the options are unchanged; an invalid namespace is reported', () => {
    const plain = ctxFrom('services: { a: { image: x } }', { namespace: 'n1' });
    expect(projectOverrides(plain)).toEqual({});
    expect(effectiveOptions(plain)).toEqual(plain.options);
    const ctx = ctxFrom(`services: { a: { image: x } }
x-k8s: { namespace: Shop_1, networkPolicy: false }
`);
    expect(projectOverrides(ctx)).toEqual({});
    expect(diagLines(ctx)).toEqual([
      'x-k8s-invalid 2:10 x-k8s.namespace: "Shop_1" is not a valid namespace',
      'x-k8s-invalid 2:29 x-k8s.networkPolicy: unknown key',
    ]);
    expect(ctx.diags.list[1]!.hint).toMatch(/^did you mean networkPolicies\?/);
  });
});

describe('readIntent', () => {
  it('validates project, volumes and services once, in that order', () => {
    const ctx = ctxFrom(`services:
  a: { image: x, labels: { kompose.service.type: sideways } }
  b: { image: x, x-k8s: { replica: 2 } }
volumes:
  v: { x-k8s: { size: lots } }
x-k8s: { namespace: "" }
`);
    readIntent(ctx);
    readIntent(ctx);
    expect(ctx.diags.list.map((d) => `${d.code} ${d.pos?.line}`)).toEqual([
      'x-k8s-invalid 6',
      'x-k8s-invalid 5',
      'kompose-label-invalid 2',
      'x-k8s-invalid 3',
    ]);
  });
});
