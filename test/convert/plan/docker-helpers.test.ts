import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { convert, memoryFs } from '../../../src/index.js';
import { expectValid } from '../../helpers/validate.js';
import { parseTraefikRule } from '../../../src/convert/intent/docker-labels/rule.js';
import { cronSchedule } from '../../../src/convert/intent/ofelia.js';
import { groupOnly } from '../../../src/convert/plan/permission-helpers.js';

/** A compose file written in the test, converted as /p/c.yaml. */
function convertInline(yaml: string) {
  return convert({
    files: [{ path: '/p/c.yaml', content: yaml }],
    workingDir: '/p',
    fs: memoryFs({ '/p/c.yaml': yaml }),
    env: {},
  });
}

function run(name: string, files: Record<string, string> = {}) {
  const yaml = readFileSync(new URL(`../../fixtures/dockerhelpers/${name}.yaml`, import.meta.url), 'utf8');
  const out = convert({
    files: [{ path: '/p/compose.yaml', content: yaml }],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': yaml, ...files }),
    env: {},
  });
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(out.objects);
  const entry = (service: string, path: string) =>
    out.report!.entries.find((e) => e.service === service && e.path === path);
  const named = (name: string) => out.objects.filter((o) => o.metadata.name === name).map((o) => o.kind);
  return { out, entry, named };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function podOf(o: Loose): Loose {
  return (o.spec as Loose).template.spec;
}

/** A CronJob's schedule, policy and its one container's settings, flattened for matching. */
function cron(out: ReturnType<typeof convert>, name: string): Loose {
  const o = out.objects.find((x) => x.kind === 'CronJob' && x.metadata.name === name);
  expect(o, `CronJob/${name}`).toBeDefined();
  const spec = o!.spec as Loose;
  const pod = spec.jobTemplate.spec.template.spec;
  const c = pod.containers[0];
  return {
    schedule: spec.schedule,
    concurrencyPolicy: spec.concurrencyPolicy,
    backoffLimit: spec.jobTemplate.spec.backoffLimit,
    restartPolicy: pod.restartPolicy,
    image: c.image,
    command: c.command,
    container: c,
    pod,
    podLabels: spec.jobTemplate.spec.template.metadata.labels,
  };
}

describe('Docker-bound helpers', () => {
  it('Traefik with the Docker provider gets no workload; router labels become Ingress rules of the labelled service', () => {
    const { out, entry, named } = run('traefik');
    expect(named('reverse-proxy')).toEqual([]);
    expect(entry('reverse-proxy', 'image')).toMatchObject({ id: 'docker-helper.traefik', status: 'approximated' });
    const ing = out.objects.find((o) => o.kind === 'Ingress' && o.metadata.name === 'whoami')!;
    const spec = ing.spec as { rules: Array<{ host?: string; http: { paths: Array<{ path: string }> } }> };
    expect(spec.rules.map((r) => [r.host, r.http.paths.map((p) => p.path)])).toEqual([
      ['whoami.example.com', ['/api']],
    ]);
    // The middleware has no Ingress field: the router's entry says what is lost (the prefix reaches the app).
    expect(entry('whoami', 'labels.traefik.http.routers.whoami.rule')).toMatchObject({
      id: 'traefik.router-middlewares',
      status: 'approximated',
      objects: ['Ingress/whoami', 'Service/whoami'],
    });
    expect(entry('whoami', 'labels.traefik.http.routers.whoami.rule')?.message).toContain(
      'strip@docker (stripprefix: the path prefix is no longer stripped)',
    );
    // Its definition is still not carried, not silently an annotation.
    expect(entry('whoami', 'labels.traefik.http.middlewares.strip.stripprefix.prefixes')?.id).toBe(
      'traefik.label-not-carried',
    );
    // The init container would wait forever for a Service that does not exist.
    expect(entry('whoami', 'depends_on.reverse-proxy')?.id).toBe('depends_on.docker-helper');
    const whoami = out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'whoami')!;
    expect(JSON.stringify(whoami)).not.toContain('wait-for-reverse-proxy');
    // A regex host and a service without a port to route each say why there is no Ingress rule.
    expect(entry('regex', 'labels.traefik.http.routers.regex.rule')).toMatchObject({
      id: 'traefik.rule-no-ingress',
      status: 'unsupported',
    });
    expect(entry('regex', 'labels.traefik.http.routers.regex.rule')?.message).toContain('HostRegexp');
    expect(named('regex')).not.toContain('Ingress');
    // Traefik uses the one port a container exposes: `other` publishes none, its `expose` names it.
    expect(entry('other', 'labels.traefik.http.routers.other.rule')).toMatchObject({
      id: 'traefik.router-ingress',
      objects: ['Ingress/other', 'Service/other'],
    });
    expect(entry('other', 'labels.traefik.http.routers.other.rule')?.message).toContain('from expose 80');
  });

  it('Traefik routers of services without ports: the port comes from the label, peers or the image, with a Service', () => {
    const { out, entry, named } = run('traefik-noports');
    const rulesOf = (name: string) => {
      const ing = out.objects.find((o) => o.kind === 'Ingress' && o.metadata.name === name);
      const spec = ing?.spec as
        | {
            rules: Array<{
              host?: string;
              http: {
                paths: Array<{ path: string; pathType: string; backend: { service: { port: { name: string } } } }>;
              };
            }>;
          }
        | undefined;
      return spec?.rules.flatMap((r) =>
        r.http.paths.map((p) => [r.host ?? '*', p.path, p.pathType, p.backend.service.port.name]),
      );
    };
    const servicePorts = (name: string) => {
      const svc = out.objects.find((o) => o.kind === 'Service' && o.metadata.name === name);
      return ((svc?.spec as { ports?: Array<{ port: number; targetPort: string }> })?.ports ?? []).map((p) => [
        p.port,
        p.targetPort,
      ]);
    };
    const containerPorts = (name: string) => {
      const d = out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
      const c = (d?.spec as { template: { spec: { containers: Array<{ ports?: Array<{ containerPort: number }> }> } } })
        .template.spec.containers[0]!;
      return (c.ports ?? []).map((p) => p.containerPort);
    };
    // The load balancer label names the container port: a Service port and the Ingress rule to it.
    expect(rulesOf('appwrite')?.[0]).toEqual(['*', '/', 'Prefix', 'tcp-80']);
    expect(servicePorts('appwrite')).toEqual([[80, 'tcp-80']]);
    expect(containerPorts('appwrite')).toEqual([80]);
    expect(rulesOf('frontend')).toEqual([['erp.example.com', '/', 'Prefix', 'tcp-8080']]);
    const fe = entry('frontend', 'labels.traefik.http.routers.frontend-http.rule')!;
    expect(fe).toMatchObject({ id: 'traefik.router-ingress-tls', objects: ['Ingress/frontend', 'Service/frontend'] });
    expect(fe.message).toContain(
      'container port 8080 (from label traefik.http.services.frontend.loadbalancer.server.port',
    );
    // No label: the image's well-known port; a HostRegexp matching any host is a rule without host.
    expect(rulesOf('whoami')).toEqual([['*', '/', 'Prefix', 'tcp-80']]);
    expect(entry('whoami', 'labels.traefik.http.routers.whoami.rule')?.message).toContain('well-known port');
    // No label, no image port: where peers address it; Path() is an exact path.
    expect(rulesOf('api')).toEqual([['*', '/', 'Exact', 'tcp-5000']]);
    expect(entry('api', 'labels.traefik.http.routers.api.rule')?.message).toContain('api:5000');
    // Nothing tells the port: its own outcome, saying which label to add.
    expect(named('mystery')).not.toContain('Ingress');
    expect(entry('mystery', 'labels.traefik.http.routers.mystery.rule')).toMatchObject({
      id: 'traefik.rule-no-port',
      status: 'unsupported',
    });
    expect(entry('mystery', 'labels.traefik.http.routers.mystery.rule')?.fix).toContain(
      'traefik.http.services.mystery.loadbalancer.server.port=PORT',
    );
    // Excluded paths: the console keeps its hosts, the api (PathPrefix(`/`) on any host) gets the excluded paths there.
    expect(rulesOf('appwrite-console')).toEqual([
      ['localhost', '/', 'Prefix', 'tcp-3000'],
      ['console.localhost', '/', 'Prefix', 'tcp-3000'],
    ]);
    expect(rulesOf('appwrite')).toEqual([
      ['*', '/', 'Prefix', 'tcp-80'],
      ['localhost', '/v1', 'Prefix', 'tcp-80'],
      ['localhost', '/.well-known', 'Prefix', 'tcp-80'],
      ['console.localhost', '/v1', 'Prefix', 'tcp-80'],
      ['console.localhost', '/.well-known', 'Prefix', 'tcp-80'],
    ]);
    const console = entry('appwrite-console', 'labels.traefik.http.routers.appwrite_console_http.rule')!;
    expect(console).toMatchObject({ id: 'traefik.rule-negated-routed', status: 'approximated' });
    expect(console.message).toContain('(!PathPrefix(`/v1`) && !PathPrefix(`/.well-known`))');
    expect(console.message).toContain('localhost/v1 → appwrite (router appwrite_api_http)');
    // Traefik's own dashboard router goes nowhere: Traefik is not deployed.
    expect(named('traefik')).toEqual([]);
  });

  it('ofelia, watchtower, autoheal and portainer get no workload; each ofelia job is reported with its schedule', () => {
    const { out, entry, named } = run('ofelia');
    for (const s of ['ofelia', 'watchtower', 'autoheal', 'portainer']) expect(named(s)).toEqual([]);
    expect(entry('watchtower', 'image')).toMatchObject({ id: 'docker-helper.dropped', status: 'unsupported' });
    expect(entry('portainer', 'image')?.id).toBe('docker-helper.dropped');
    expect(entry('autoheal', 'image')?.id).toBe('docker-helper.autoheal');
    expect(entry('ofelia', 'image')?.id).toBe('docker-helper.ofelia');
    // job-exec on app: a CronJob with app's image; the seconds-field schedule that cannot be kept is reported.
    const backup = entry('app', 'labels.ofelia.job-exec.backup.schedule')!;
    expect(backup).toMatchObject({
      id: 'ofelia.job-exec-cronjob',
      status: 'approximated',
      objects: ['CronJob/app-backup'],
    });
    expect(cron(out, 'app-backup')).toMatchObject({
      schedule: '0 3 * * *',
      image: 'nginx:1.27',
      command: ['sh', '-c', 'tar czf /backup/site.tgz /usr/share/nginx/html'],
    });
    expect(entry('app', 'labels.ofelia.job-exec.ping.schedule')).toMatchObject({
      id: 'ofelia.schedule-unsupported',
      status: 'unsupported',
    });
    expect(entry('app', 'labels.ofelia.job-exec.ping.schedule')?.message).toContain('seconds field */10');
    // job-run on ofelia itself: its image and command.
    expect(entry('ofelia', 'labels.ofelia.job-run.cleanup.schedule')).toMatchObject({
      id: 'ofelia.job-run-cronjob',
      status: 'converted',
    });
    expect(cron(out, 'ofelia-cleanup')).toMatchObject({
      schedule: '*/30 * * * *',
      image: 'alpine:3.20',
      command: ['rm', '-rf', '/tmp/old'],
    });
    expect(out.objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    expect(named('app')).toContain('Deployment');
    // The helpers' labels on other services: each its own outcome, not silently an annotation.
    expect(entry('api', 'labels.autoheal')).toMatchObject({ id: 'autoheal.liveness', status: 'converted' });
    expect(entry('worker', 'labels.autoheal')).toMatchObject({ id: 'autoheal.no-healthcheck', status: 'approximated' });
    expect(entry('api', 'labels.com.centurylinklabs.watchtower.enable')).toMatchObject({
      id: 'watchtower.label',
      status: 'unsupported',
    });
    expect(entry('api', 'labels.com.centurylinklabs.watchtower.enable')?.fix).toContain('Argo CD Image Updater');
    expect(entry('worker', 'labels.com.centurylinklabs.watchtower.lifecycle.pre-update')?.id).toBe('watchtower.label');
    expect(entry('api', 'labels.io.portainer.accesscontrol.teams')).toMatchObject({
      id: 'portainer.label',
      status: 'ignored',
    });
  });

  it('an all-in-one mastercontainer that creates its app through the Docker socket gets no workload', () => {
    // Nextcloud AIO's mastercontainer starts the Nextcloud containers through Docker; without the socket it exits at
    // start ("Docker socket is not available. Cannot continue."), so a Deployment would crash-loop behind a public
    // LoadBalancer. Its entry says what to convert instead.
    const out = convertInline(
      [
        'services:',
        '  nextcloud-aio-mastercontainer:',
        '    image: ghcr.io/nextcloud-releases/all-in-one:latest',
        '    ports: ["80:80", "8080:8080", "8443:8443"]',
        '    volumes:',
        '      - nextcloud_aio_mastercontainer:/mnt/docker-aio-config',
        '      - /var/run/docker.sock:/var/run/docker.sock:ro',
        'volumes:',
        '  nextcloud_aio_mastercontainer:',
      ].join('\n'),
    );
    expect(out.objects.filter((o) => o.kind !== 'NetworkPolicy').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      [],
    );
    const image = out.report!.entries.find((e) => e.service === 'nextcloud-aio-mastercontainer' && e.path === 'image');
    expect(image).toMatchObject({ id: 'docker-helper.orchestrator', status: 'unsupported' });
    expect(image?.message).toContain('creates the containers of its application through Docker');
    expect(image?.fix).toContain('manual-install');
    const ports = out.report!.entries.find((e) => e.service === 'nextcloud-aio-mastercontainer' && e.path === 'ports');
    expect(ports?.id).toBe('docker-helper.not-deployed');
  });

  it('ofelia jobs a CronJob cannot run are reported, each with why', () => {
    const yaml = [
      'services:',
      '  ofelia:',
      '    image: mcuadros/ofelia:latest',
      '    command: daemon --docker',
      '    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]',
      '    labels:',
      '      ofelia.job-local.clean.schedule: "@hourly"',
      '      ofelia.job-local.clean.command: "rm -rf /tmp/x"',
      '      ofelia.job-service-run.swarm.schedule: "@daily"',
      '      ofelia.job-service-run.swarm.command: "true"',
      '      ofelia.job-run.restart.schedule: "@daily"',
      '      ofelia.job-run.restart.container: app',
      '  app:',
      '    image: nginx:1.27',
      '    labels:',
      '      ofelia.enabled: "true"',
      '      ofelia.job-exec.nothing.schedule: "@daily"',
      '',
    ].join('\n');
    const out = convertInline(yaml);
    expectValid(out.objects);
    const why = (service: string, path: string) => {
      const e = out.report!.entries.find((x) => x.service === service && x.path === path)!;
      expect(e.id).toBe('ofelia.job-not-converted');
      return e.message;
    };
    expect(why('ofelia', 'labels.ofelia.job-local.clean.schedule')).toContain("runs inside ofelia's own container");
    expect(why('ofelia', 'labels.ofelia.job-service-run.swarm.schedule')).toContain('starts a Docker Swarm service');
    expect(why('ofelia', 'labels.ofelia.job-run.restart.schedule')).toContain('restarts an existing container');
    expect(why('app', 'labels.ofelia.job-exec.nothing.schedule')).toContain('it has no command');
    expect(out.objects.some((o) => o.kind === 'CronJob')).toBe(false);
  });

  it("ofelia job-exec jobs become CronJobs with the target's image, environment and volumes, next to its claims", () => {
    const { out, entry } = run('ofelia-backup', { '/p/backup.env': 'S3_BUCKET=b\n' });
    const job = cron(out, 'scheduler-datecron');
    expect(job).toMatchObject({
      schedule: '0 */6 * * *',
      concurrencyPolicy: 'Forbid',
      backoffLimit: 0,
      restartPolicy: 'Never',
      image: 'frappe/erpnext:v15',
      command: ['bench', '--site', 'all', 'backup'],
    });
    // The environment and env_file of the scheduler, and its mounts on the same claims.
    const sched = out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'scheduler')!;
    const sc = podOf(sched).containers[0]!;
    expect(job.container.env).toEqual(sc.env);
    expect(job.container.envFrom).toEqual(sc.envFrom);
    expect(job.container.envFrom).toBeTruthy();
    expect(job.container.volumeMounts).toEqual(sc.volumeMounts);
    expect(
      job.pod.volumes.map((v: { persistentVolumeClaim?: { claimName: string } }) => v.persistentVolumeClaim?.claimName),
    ).toEqual(['sites', 'logs']);
    // ReadWriteOnce claims: on the node of the scheduler's pod.
    expect(job.pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]).toMatchObject({
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'scheduler' } },
      topologyKey: 'kubernetes.io/hostname',
    });
    // The job's pod is not selected by the scheduler's Service selector labels.
    expect(job.podLabels['app.kubernetes.io/name']).toBe('scheduler-datecron');
    const e = entry('scheduler', 'labels.ofelia.job-exec.datecron.schedule')!;
    expect(e).toMatchObject({ id: 'ofelia.job-exec-cronjob', status: 'approximated' });
    expect(e.message).toContain('ReadWriteOnce claims sites, logs');
    expect(e.message).toContain('user frappe is not set');
    // Shell operators inside quotes stay one sh -c word; the seconds field 0 is dropped.
    expect(cron(out, 'scheduler-piped')).toMatchObject({
      schedule: '*/5 * * * *',
      command: ['sh', '-c', 'ls /opt/bench | wc -l'],
    });
    expect(entry('scheduler', 'labels.ofelia.job-exec.often.schedule')?.id).toBe('ofelia.schedule-unsupported');
    // A StatefulSet's claim template: the first replica's claim, on that replica's node.
    const dump = cron(out, 'db-dump');
    expect(dump.pod.volumes[0].persistentVolumeClaim.claimName).toBe('db-data-db-0');
    expect(dump.pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector).toEqual({
      matchLabels: { 'statefulset.kubernetes.io/pod-name': 'db-0' },
    });
    // A job-exec on ofelia itself names its container.
    expect(cron(out, 'scheduler-vacuum')).toMatchObject({ schedule: '@daily', image: 'frappe/erpnext:v15' });
    expect(entry('cron', 'labels.ofelia.job-exec.vacuum.schedule')?.objects).toEqual(['CronJob/scheduler-vacuum']);
    // job-local ran inside ofelia: nothing to run it.
    expect(entry('cron', 'labels.ofelia.job-local.local.schedule')).toMatchObject({
      id: 'ofelia.job-not-converted',
      status: 'unsupported',
    });
  });

  it('a config only Traefik reads is not created, and its entry says why', () => {
    const out = convertInline(
      [
        'services:',
        '  traefik:',
        '    image: traefik:v3.1',
        '    volumes: [/var/run/docker.sock:/var/run/docker.sock:ro]',
        '    configs: [dynamic]',
        'configs:',
        '  dynamic:',
        '    content: "http: {}"',
        '',
      ].join('\n'),
    );
    expect(out.objects.some((o) => o.kind === 'ConfigMap')).toBe(false);
    expect(out.report!.entries.find((e) => e.service === undefined && e.path === 'configs.dynamic')).toMatchObject({
      id: 'docker-helper.definition-not-created',
      status: 'ignored',
    });
  });

  it('a service with a Docker image name but no Docker access is converted as usual', () => {
    const yaml =
      'services:\n  traefik:\n    image: traefik:v3\n    command: ["--providers.file.directory=/etc/t"]\n    ports: ["80:80"]\n';
    const out = convertInline(yaml);
    expect(out.objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'traefik')).toBe(true);
  });

  it('a proxy built FROM traefik or nginx-proxy is that proxy: no workload, and the routes it reads become Ingresses', () => {
    const out = convertInline(`services:
  traefik:
    build: { context: ., dockerfile_inline: "FROM traefik:v3.1\\nCOPY dynamic.yml /etc/traefik/\\n" }
    command: ["--providers.docker=true"]
    ports: ["80:80"]
  proxy:
    build: { context: ., dockerfile_inline: "FROM nginxproxy/nginx-proxy:1.6\\n" }
    ports: ["8080:80"]
    volumes: [/var/run/docker.sock:/tmp/docker.sock:ro]
  app:
    image: traefik/whoami
    expose: ["80"]
    environment:
      VIRTUAL_HOST: b.example.com
    labels:
      traefik.enable: "true"
      traefik.http.routers.app.rule: Host(\`a.example.com\`)
`);
    expectValid(out.objects);
    const entry = (service: string, path: string) =>
      out.report!.entries.find((e) => e.service === service && e.path === path);
    expect(out.objects.filter((o) => o.metadata.name === 'traefik' || o.metadata.name === 'proxy')).toEqual([]);
    expect(entry('traefik', 'build')).toMatchObject({ id: 'docker-helper.traefik', status: 'approximated' });
    expect(entry('proxy', 'build')).toMatchObject({ id: 'docker-helper.proxy', status: 'approximated' });
    expect(entry('proxy', 'volumes')?.message).toContain('see its build entry');
    const hosts = out.objects
      .filter((o) => o.kind === 'Ingress')
      .flatMap((o) => (o.spec as Loose).rules.map((r: Loose) => r.host))
      .sort();
    expect(hosts).toEqual(['a.example.com', 'b.example.com']);
  });
});

describe('one-shot helpers', () => {
  it('a replica-set initiation, a migration and a migration image become Jobs with the evidence; servers stay', () => {
    const { entry, named } = run('oneshot');
    expect(named('mongo-init')).toEqual(['Job']);
    expect(entry('mongo-init', 'controller')?.message).toContain('rs.initiate');
    expect(named('migrate')).toEqual(['Job']);
    expect(entry('migrate', 'controller')).toMatchObject({ id: 'controller.one-shot' });
    expect(entry('migrate', 'controller')?.message).toContain('Django migrations');
    expect(named('schema')).toEqual(['Job']);
    // Migrates, then serves; or compose restarts it forever: not one-shot.
    expect(named('migrate-then-serve')).toContain('Deployment');
    expect(named('always-migrate')).toContain('Deployment');
    expect(named('web')).toContain('Deployment');
  });
});

describe('permission helpers', () => {
  it('a chown/chmod/mkdir one-shot on a shared volume becomes an init container of the pods that mount it', () => {
    const { out, entry, named } = run('permissions');
    expect(named('fix-perms')).toEqual([]);
    const h = entry('fix-perms', 'command')!;
    expect(h).toMatchObject({ id: 'permission-helper.init-container', status: 'approximated' });
    expect(h.message).toContain('the pods app, cleanup, worker');
    expect(h.objects).toEqual(['Deployment/app', 'Deployment/cleanup', 'Deployment/worker']);
    for (const name of ['app', 'worker']) {
      const pod = podOf(out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!);
      const init = pod.initContainers[0];
      // First, before the app; the helper's image and command; the pod's own volume at the helper's path.
      expect(init).toMatchObject({
        name: 'perms-fix-perms',
        image: 'busybox:1.36',
        args: ['sh', '-c', 'mkdir -p /data/uploads && chown -R 1000:1000 /data && chmod 750 /data'],
        securityContext: { runAsUser: 0 },
      });
      const appMount = pod.containers[0].volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/data/app');
      expect(init.volumeMounts).toEqual([{ name: appMount.name, mountPath: '/data' }]);
      // No Job to wait for: nothing waits on fix-perms.
      expect(JSON.stringify(pod.initContainers)).not.toContain('wait-for-fix-perms');
    }
    expect(entry('app', 'depends_on.fix-perms')?.id).toBe('depends_on.permission-helper');
    expect(entry('worker', 'depends_on.fix-perms')?.id).toBe('depends_on.permission-helper');
    expect(out.objects.some((o) => o.kind === 'Role')).toBe(false);
    // A command that also deletes files is not only a permission fix: it stays a workload of its own.
    expect(named('cleanup').length).toBeGreaterThan(0);
  });

  it("mounts each of the helper's volumes once, where a pod of two containers mounts them both", () => {
    const yaml = [
      'services:',
      '  fix:',
      '    image: busybox',
      '    command: ["sh", "-c", "chown -R 1000:1000 /data /logs && chmod 750 /data"]',
      '    volumes: ["data:/data", "logs:/logs"]',
      '  app:',
      '    image: example/app:1',
      '    user: "1000"',
      '    volumes: ["data:/srv/data", "logs:/srv/logs"]',
      '    depends_on: {fix: {condition: service_completed_successfully}}',
      '  shipper:',
      '    image: example/shipper:1',
      '    user: "1000"',
      '    network_mode: service:app',
      '    volumes: ["logs:/var/log/app:ro"]',
      'volumes: {data: {}, logs: {}}',
      '',
    ].join('\n');
    const out = convertInline(yaml);
    expectValid(out.objects);
    const pod = podOf(out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'app')!);
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['app', 'shipper']);
    const init = pod.initContainers.find((c: { name: string }) => c.name === 'perms-fix');
    expect(init.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/data', '/logs']);
  });

  it('a permission helper on a host path no pod carries does nothing, and says so', () => {
    const yaml = [
      'services:',
      '  init:',
      '    image: busybox',
      '    command: ["sh", "-c", "chown -R 1000:1000 /data/n8n"]',
      '    volumes: ["../n8n-data:/data/n8n"]',
      '  n8n:',
      '    image: n8nio/n8n',
      '    volumes: ["../n8n-data:/data/n8n"]',
      '    depends_on: {init: {condition: service_completed_successfully}}',
      '',
    ].join('\n');
    const out = convertInline(yaml);
    const entries = out.report!.entries;
    expect(entries.find((e) => e.service === 'init' && e.path === 'command')?.id).toBe('permission-helper.no-mount');
    expect(entries.find((e) => e.service === 'n8n' && e.path === 'depends_on.init')?.id).toBe(
      'depends_on.permission-helper-elsewhere',
    );
    expect(out.objects.some((o) => o.metadata.name === 'init')).toBe(false);
    expect(JSON.stringify(out.objects)).not.toContain('perms-init');
  });
});

describe('permission helpers as fsGroup', () => {
  it('a group-only chown on a claim the pod runs as that group becomes its fsGroup; elsewhere an init container', () => {
    const { out, entry, named } = run('permissions-fsgroup', { '/p/cache/.keep': '' });
    const pod = (name: string) => podOf(out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!);
    expect(named('volume-perms')).toEqual([]);
    // app: the kubelet gives the claim to group 1000 on mount; no root init container.
    expect(pod('app').securityContext).toMatchObject({ fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(pod('app').initContainers ?? []).toEqual([]);
    const h = entry('volume-perms', 'command')!;
    expect(h).toMatchObject({ id: 'permission-helper.fs-group', status: 'approximated', objects: ['Deployment/app'] });
    expect(h.message).toContain('the pods app get securityContext.fsGroup: 1000');
    expect(h.fix).toContain('does not change the owner uid');
    expect(entry('app', 'depends_on.volume-perms')?.id).toBe('depends_on.permission-helper-fsgroup');
    // A host path: the kubelet does not change its group, so the chown stays an init container, and says why.
    expect(pod('cacher').initContainers[0]).toMatchObject({
      name: 'perms-host-perms',
      securityContext: { runAsUser: 0 },
    });
    const host = entry('host-perms', 'command')!;
    expect(host.id).toBe('permission-helper.init-container');
    expect(host.message).toContain('fsGroup cannot do it instead (cacher: the kubelet applies fsGroup to claims');
    // The pod runs as another group: fsGroup 2000 would not be its group.
    expect(pod('logger').initContainers[0].name).toBe('perms-other-perms');
    expect(pod('logger').securityContext.fsGroup).toBe(3000);
    expect(entry('other-perms', 'command')!.message).toContain('logger does not run as group 2000 (user: 3000:3000)');
  });

  it('only chown/chgrp to one numeric group of paths in its mounts is group-only', () => {
    expect(groupOnly(['chown', '-R', '1000:1000', '/data'], ['/data'])).toEqual({ gid: 1000, uid: 1000 });
    expect(groupOnly(['sh', '-c', 'chgrp -R 33 /data/www && echo done'], ['/data'])).toEqual({ gid: 33 });
    expect(groupOnly(['chown', '1000.50', '/data/sub'], ['/data/'])).toEqual({ gid: 50, uid: 1000 });
    // Owner only, a mode change, a directory made, a path outside the mounts, two groups, root: not group-only.
    expect(groupOnly(['chown', '-R', '1000', '/data'], ['/data'])).toBeUndefined();
    expect(groupOnly(['sh', '-c', 'chown 1:1 /data && chmod 700 /data'], ['/data'])).toBeUndefined();
    expect(groupOnly(['sh', '-c', 'mkdir -p /data/x && chown 1:1 /data'], ['/data'])).toBeUndefined();
    expect(groupOnly(['chown', '1:1', '/etc'], ['/data'])).toBeUndefined();
    expect(groupOnly(['sh', '-c', 'chown 1:1 /a; chown 2:2 /b'], ['/a', '/b'])).toBeUndefined();
    expect(groupOnly(['chown', '0:0', '/data'], ['/data'])).toBeUndefined();
  });
});

describe('label parsing', () => {
  it('Traefik rules: Host and PathPrefix map, alternatives of hosts give one rule each, other matchers do not', () => {
    expect(parseTraefikRule('Host(`a.io`) && PathPrefix(`/b`)')).toEqual({ rules: [{ host: 'a.io', path: '/b' }] });
    expect(parseTraefikRule('Host(`a.io`) || Host(`b.io`)')).toEqual({ rules: [{ host: 'a.io' }, { host: 'b.io' }] });
    expect(parseTraefikRule('(Host(`a.io`) || Host(`b.io`)) && PathPrefix(`/x`)')).toEqual({
      rules: [
        { host: 'a.io', path: '/x' },
        { host: 'b.io', path: '/x' },
      ],
    });
    expect(parseTraefikRule('PathPrefix(`/api`)')).toEqual({ rules: [{ path: '/api' }] });
    expect(parseTraefikRule('Host(`a.io`) && Headers(`X`, `y`)')).toHaveProperty('why');
    expect(parseTraefikRule('Host(`a.io`) || PathPrefix(`/b`)')).toHaveProperty('why');
    expect(parseTraefikRule('Path(`/`)')).toEqual({ rules: [{ path: '/', exact: true }] });
    expect(parseTraefikRule('HostRegexp(`^.+$`) && PathPrefix(`/x`)')).toEqual({ rules: [{ path: '/x' }] });
    expect(parseTraefikRule('HostRegexp(`{host:.+}`)')).toEqual({ rules: [{}] });
    expect(parseTraefikRule('HostRegexp(`^.+\\.a\\.io$`)')).toHaveProperty('why');
    expect(parseTraefikRule('Host(`a.io`) && !PathPrefix(`/v1`) && !Path(`/x`, `/y`)')).toEqual({
      rules: [{ host: 'a.io' }],
      excluded: [
        { path: '/v1', exact: false, text: '!PathPrefix(`/v1`)' },
        { path: '/x', exact: true, text: '!Path(`/x`, `/y`)' },
        { path: '/y', exact: true, text: '!Path(`/x`, `/y`)' },
      ],
    });
    expect(parseTraefikRule('PathPrefix(`/a`) && !Host(`b.io`) && !HeaderRegexp(`X`, `.+`) && !Query(`q`)')).toEqual({
      rules: [{ path: '/a' }],
      unexpressed: ['!Host(`b.io`)', '!Query(`q`)'],
      excludedHeaders: [{ name: 'X', value: '.+', regex: true, text: '!HeaderRegexp(`X`, `.+`)' }],
    });
  });

  it('ofelia schedules: seconds at 0 and @every that divides an hour or a day map, the rest says why', () => {
    expect(cronSchedule('0 30 2 * * *')).toEqual({ cron: '30 2 * * *' });
    expect(cronSchedule('0 0 1 ? * MON')).toEqual({ cron: '0 1 * * MON' });
    expect(cronSchedule('@every 15m')).toEqual({ cron: '*/15 * * * *' });
    expect(cronSchedule('@every 6h')).toEqual({ cron: '0 */6 * * *' });
    expect(cronSchedule('@every 24h')).toEqual({ cron: '0 0 * * *' });
    expect(cronSchedule('@midnight')).toEqual({ cron: '@daily' });
    expect(cronSchedule('@every 90s')).toHaveProperty('why');
    expect(cronSchedule('@every 7m')).toHaveProperty('why');
    expect(cronSchedule('15 * * * * *')).toHaveProperty('why');
  });
});

describe('definitions only dropped helpers use', () => {
  it('a secret only Traefik (Docker provider) uses gets no Secret and an ignored entry, never report.unhandled', () => {
    const yaml = [
      'services:',
      '  traefik:',
      '    image: traefik:v3',
      '    command: ["--providers.docker=true"]',
      '    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]',
      '    secrets: [dns_key]',
      '  whoami:',
      '    image: traefik/whoami',
      '    secrets: [shared]',
      'secrets:',
      '  dns_key: {environment: DNS_KEY}',
      '  shared: {environment: DNS_KEY}',
      '',
    ].join('\n');
    const out = convert({
      files: [{ path: '/p/c.yaml', content: yaml }],
      workingDir: '/p',
      fs: memoryFs({ '/p/c.yaml': yaml }),
      env: { DNS_KEY: 'k' },
    });
    const entries = out.report!.entries;
    expect(entries.filter((e) => e.id === 'report.unhandled')).toEqual([]);
    expect(entries.find((e) => e.path === 'secrets.dns_key')).toMatchObject({
      id: 'docker-helper.definition-not-created',
      status: 'ignored',
    });
    expect(entries.find((e) => e.path === 'secrets.shared')?.id).not.toBe('docker-helper.definition-not-created');
    expect(out.objects.some((o) => o.kind === 'Secret' && o.metadata.name.includes('dns-key'))).toBe(false);
  });

  it("the secrets of Traefik's ACME DNS-01 challenge are approximated: the fix says where the credentials go", () => {
    // traefik-user-guides acme-dns: OVH credentials as file secrets, the provider in the command or the environment.
    const yaml = (provider: string) =>
      [
        'services:',
        '  traefik:',
        '    image: traefik:v3',
        `    command: ["--providers.docker=true"${provider}]`,
        '    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]',
        '    secrets: [ovh_key]',
        '    environment:',
        '      OVH_APPLICATION_KEY_FILE: /run/secrets/ovh_key',
        '      TRAEFIK_CERTIFICATESRESOLVERS_LE_ACME_DNSCHALLENGE_PROVIDER: gandi',
        'secrets:',
        '  ovh_key: {environment: OVH_KEY}',
        '',
      ].join('\n');
    const run = (text: string) =>
      convert({
        files: [{ path: '/p/c.yaml', content: text }],
        workingDir: '/p',
        fs: memoryFs({ '/p/c.yaml': text }),
        env: { OVH_KEY: 'k' },
      }).report!.entries.find((e) => e.path === 'secrets.ovh_key');
    const e = run(yaml(', "--certificatesresolvers.le.acme.dnschallenge.provider=ovh"'));
    expect(e).toMatchObject({
      id: 'docker-helper.dns-challenge-credentials',
      status: 'approximated',
      values: { provider: 'ovh', service: 'traefik' },
    });
    expect(e!.fix).toContain('a cert-manager Issuer with a DNS01 solver for ovh');
    // The environment's setting is read when the command has none.
    expect(run(yaml(''))?.values).toMatchObject({ provider: 'gandi' });
  });
});
