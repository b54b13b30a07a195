import { describe, expect, it } from 'vitest';
import type { Container } from 'kubernetes-types/core/v1.js';
import { project, type ServiceInput } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';
import { ConvertContext } from '../../../src/convert/context.js';
import { TEXTS } from '../../../src/mappings/texts.js';
import { type KubeObject } from '../../../src/kube/object.js';
import { defaultOptions, type ConvertOptions } from '../../../src/convert/intent/options.js';
import type { PodPlan } from '../../../src/convert/plan/pod.js';
import { applyProbes } from '../../../src/convert/container/probes.js';
import { parseHttpArgv, parseHttpShell, shellWords } from '../../../src/convert/container/http-check.js';
import { withDialects } from '../../helpers/dialects.js';
import { convert } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';

/** Convert one service `s` with applyProbes; returns its container, the context and a Deployment to validate. */
function run(input: ServiceInput, opts: Partial<ConvertOptions> = {}) {
  const p = project({ s: { image: 'app', ...input } });
  const ctx = withDialects(new ConvertContext(p, defaultOptions(opts), undefined, undefined, TEXTS));
  const svc = p.services.s!;
  const ports = [
    ...svc.ports.map((x) => ({ containerPort: x.target, protocol: x.protocol.toUpperCase() as 'TCP' | 'UDP' })),
    ...svc.expose.map((e) => ({ containerPort: e.target, protocol: 'TCP' as const })),
  ];
  const c: Container = { name: 's', image: 'app', ...(ports.length ? { ports } : {}) };
  const plan: PodPlan = {
    name: 's',
    main: svc,
    services: [svc],
    kind: 'Deployment',
    replicas: 1,
    spec: { containers: [c] },
    containers: new Map([['s', c]]),
    podLabels: {},
    podAnnotations: {},
    volumeClaimTemplates: [],
    mountsRwoClaim: false,
  };
  applyProbes(ctx, svc, c, plan);
  const sel = ctx.selector(svc);
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: ctx.meta('s', ctx.labels(svc)),
    spec: { selector: { matchLabels: sel }, template: { metadata: { labels: sel }, spec: plan.spec } },
  };
  expectValid([deployment, ...ctx.objects]);
  return { c, ctx, entry: ctx.entries.find((e) => e.key === 'healthcheck') };
}

describe('applyProbes: healthcheck → probes', () => {
  it('CMD test becomes exec readiness and liveness probes with the Compose defaults', () => {
    const { c, entry } = run({ healthcheck: { test: ['CMD', 'pg_isready', '-U', 'postgres'] } });
    expect(c.readinessProbe).toEqual({
      exec: { command: ['pg_isready', '-U', 'postgres'] },
      periodSeconds: 30,
      timeoutSeconds: 30,
      failureThreshold: 3,
    });
    expect(c.livenessProbe).toEqual({
      exec: { command: ['pg_isready', '-U', 'postgres'] },
      periodSeconds: 30,
      timeoutSeconds: 30,
      failureThreshold: 6,
    });
    // No start_period: a startupProbe of the same check still covers the first STARTUP_SECONDS (300 s).
    expect(c.startupProbe).toEqual({
      exec: { command: ['pg_isready', '-U', 'postgres'] },
      periodSeconds: 30,
      timeoutSeconds: 30,
      failureThreshold: 10,
    });
    expect(entry?.status).toBe('converted');
    expect(entry?.message).toMatch(/liveness restarts only after 6 failures/);
    expect(entry?.objects).toEqual(['Deployment/s']);
  });

  it('CMD-SHELL test runs through sh -c; timings convert ms → s rounding up', () => {
    const { c } = run({
      healthcheck: { test: ['CMD-SHELL', 'redis-cli ping | grep PONG'], interval: 10_000, timeout: 1_500, retries: 5 },
    });
    expect(c.readinessProbe).toMatchObject({
      exec: { command: ['sh', '-c', 'redis-cli ping | grep PONG'] },
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 5,
    });
    expect(c.livenessProbe?.failureThreshold).toBe(10);
    expect(c.livenessProbe?.successThreshold ?? 1).toBe(1);
  });

  it('sub-second interval still gives periodSeconds 1; retries 0 falls back to 3', () => {
    const { c } = run({ healthcheck: { test: ['CMD', 'true'], interval: 200, retries: 0 } });
    expect(c.readinessProbe).toMatchObject({ periodSeconds: 1, failureThreshold: 3 });
  });

  it('start_period is a grace period: the startupProbe allows it plus retries × interval, every start_interval', () => {
    const { c, entry } = run({
      healthcheck: {
        test: ['CMD', 'check'],
        start_period: 400_000,
        start_interval: 2_000,
        interval: 10_000,
        retries: 3,
      },
    });
    expect(c.startupProbe).toEqual({
      exec: { command: ['check'] },
      periodSeconds: 2,
      timeoutSeconds: 30,
      failureThreshold: 215, // (400 s + 3 × 10 s) / 2 s
    });
    expect(entry?.message).toMatch(/startupProbe every 2s for up to 430s \(start_period \+ retries × interval\)/);
  });

  it('start_period without start_interval polls every 5s, rounding the count up (compose defaults 3 × 30 s)', () => {
    const { c } = run({ healthcheck: { test: ['CMD', 'check'], start_period: 247_000 } });
    expect(c.startupProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 68 }); // (247 + 90) / 5 → 68
  });

  it('a short start_period still gets the STARTUP_SECONDS window: liveness must not kill a first start', () => {
    const { c, entry } = run({
      healthcheck: { test: ['CMD', 'check'], start_period: 90_000, interval: 15_000, retries: 3 },
    });
    expect(c.startupProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 60 }); // 300 s / 5 s
    expect(entry?.message).toContain('start_period + retries × interval is 135s');
  });

  it.each([
    ['NONE test', { test: ['NONE'] }],
    ['disable: true', { test: ['CMD', 'x'], disable: true }],
  ])('%s → no probes, reported, no finding', (_n, healthcheck) => {
    const { c, ctx, entry } = run({ healthcheck, ports: [{ target: 80 }] });
    expect(c.readinessProbe).toBeUndefined();
    expect(c.livenessProbe).toBeUndefined();
    expect(entry).toMatchObject({ id: 'healthcheck.disabled', path: 'healthcheck', status: 'converted' });
    expect(ctx.findings).toEqual([]);
  });

  it('a check naming the service itself calls localhost at host positions only, never as the program', () => {
    const exec = (test: string[]) => {
      const { c, ctx } = run({ healthcheck: { test } });
      const self = ctx.entries.find((e) => e.key === 'healthcheck.test');
      return [c.readinessProbe?.exec?.command, self?.id];
    };
    // imgproxy `["CMD", "imgproxy", "health"]`: the program, not a host.
    expect(exec(['CMD', 's', 'health'])).toEqual([['s', 'health'], undefined]);
    expect(exec(['CMD', 's', 'healthcheck', '--ping'])).toEqual([['s', 'healthcheck', '--ping'], undefined]);
    // vault `status -address=http://vault:8200`: the URL host is rewritten, the program kept.
    expect(exec(['CMD', 's', 'status', '-address=http://s:8200'])).toEqual([
      ['s', 'status', '-address=http://localhost:8200'],
      'healthcheck.self-named',
    ]);
    expect(exec(['CMD', 'mongosh', '--host', 's', 'run'])).toEqual([
      ['mongosh', '--host', 'localhost', 'run'],
      'healthcheck.self-named',
    ]);
    expect(exec(['CMD', 'nc', '-z', 's', '8080'])).toEqual([
      ['nc', '-z', 'localhost', '8080'],
      'healthcheck.self-named',
    ]);
    // A bare word that is no host position stays (`app check s`).
    expect(exec(['CMD', 'app', 'check', 's'])).toEqual([['app', 'check', 's'], undefined]);
  });

  it('a check that initiates a MongoDB replica set names the member by its Service, which the pod resolves to itself (appwrite)', () => {
    const content = `services:
  mongodb:
    image: mongo:8
    container_name: appwrite-mongodb
    command: [mongod, --replSet, rs0, --bind_ip_all]
    healthcheck:
      test: |
        bash -c "mongosh --quiet --eval \\"try { rs.initiate({_id: 'rs0', members: [{_id: 0, host: 'appwrite-mongodb:27017'}]}) } catch (e) {}\\""
  app:
    image: ghcr.io/acme/app:1
    environment: [MONGO_URL=mongodb://mongodb:27017/app]
`;
    const r = convert({ files: [{ path: '/p/compose.yaml', content }] });
    expectValid(r.objects);
    const pod = (
      r.objects.find((o) => o.metadata.name === 'mongodb' && o.kind !== 'Service') as unknown as {
        spec: { template: { spec: { hostAliases?: unknown; containers: Container[] } } };
      }
    ).spec.template.spec;
    const cmd = pod.containers[0]!.readinessProbe!.exec!.command!.join(' ');
    // clients get the member name from the set: it must be one they resolve (the Service), not localhost
    expect(cmd).toContain("host: 'mongodb:27017'");
    expect(cmd).not.toContain('localhost');
    expect(pod.hostAliases).toEqual([{ ip: '127.0.0.1', hostnames: ['mongodb'] }]);
    expect(r.objects.some((o) => o.kind === 'Service' && o.metadata.name === 'mongodb')).toBe(true);
    const e = r.report!.entries.find((x) => x.service === 'mongodb' && x.key === 'healthcheck.test')!;
    expect(e.id).toBe('healthcheck.self-named-member');
    expect(e.message).toContain('the member is named mongodb');
    // any other self-named check still calls localhost
    const plain = convert({
      files: [{ path: '/p/compose.yaml', content: content.replace('rs.initiate(', 'db.runCommand(') }],
    });
    const other = plain.objects.find((o) => o.metadata.name === 'mongodb' && o.kind !== 'Service') as unknown as {
      spec: { template: { spec: { hostAliases?: unknown; containers: Container[] } } };
    };
    expect(other.spec.template.spec.containers[0]!.readinessProbe!.exec!.command!.join(' ')).toContain(
      "host: 'localhost:27017'",
    );
    expect(other.spec.template.spec.hostAliases).toBeUndefined();
  });

  it.each([
    [['CMD', 'python3', '-c', "import os\nos.remove('/tmp/health.txt')"], '/tmp/health.txt'],
    [['CMD-SHELL', 'test -f /tmp/alive && rm -f /tmp/alive'], '/tmp/alive'],
    [['CMD', 'rm', '/tmp/beat'], '/tmp/beat'],
  ])('a check that deletes the file it tests runs as one probe, readiness, not racing a liveness (sentry)', (t, f) => {
    const { c, entry } = run({ healthcheck: { test: t, interval: 60_000, retries: 3, start_period: 600_000 } });
    expect(c.readinessProbe?.exec).toBeDefined();
    expect(c.startupProbe?.exec).toBeDefined();
    expect(c.livenessProbe).toBeUndefined();
    expect(entry?.id).toBe('healthcheck.probes-consuming');
    expect(entry?.message).toContain(`no livenessProbe: the check deletes ${f}, which the app writes again`);
  });

  it('a forced rm of a file the check does not test consumes nothing: readiness and liveness as usual', () => {
    const { c, entry } = run({
      healthcheck: { test: ['CMD-SHELL', 'rm -f /tmp/lock; curl -f http://localhost:8080/'], interval: 60_000 },
    });
    expect(c.readinessProbe?.exec).toBeDefined();
    expect(c.livenessProbe?.exec).toBeDefined();
    expect(entry?.id).not.toBe('healthcheck.probes-consuming');
  });

  it('a healthcheck without test says so once, with the default probe that replaces it (immich)', () => {
    const { c, ctx } = run({ image: 'postgres:16', healthcheck: { disable: false } });
    expect(c.readinessProbe?.tcpSocket?.port).toBe(5432);
    const e = ctx.book.get('s', 'healthcheck')!;
    expect(e.id).toBe('healthcheck.fallback-tcp');
    expect(e.message).toBe(
      'healthcheck without test: the image HEALTHCHECK applies in Docker, Kubernetes ignores it; the well-known port of its image: tcpSocket readinessProbe on port 5432 (ready once it accepts connections)',
    );
    const none = run({ image: 'ghcr.io/example/app:1', healthcheck: { disable: false }, ports: [{ target: 25 }] });
    expect(none.ctx.book.get('s', 'healthcheck')?.message).toBe(
      'healthcheck without test: the image HEALTHCHECK applies in Docker, Kubernetes ignores it; no default readinessProbe: only its declaration says it serves 25 (no peer, route, command or image names the port), and a probe on a port nothing listens on would keep it unready for good',
    );
  });

  it('an unknown test form is reported unsupported and falls back to the default probe', () => {
    const { c, ctx } = run({ image: 'postgres:16', healthcheck: { test: ['FOO', 'x'] }, ports: [{ target: 5432 }] });
    expect(ctx.book.get('s', 'healthcheck.test')).toMatchObject({
      id: 'healthcheck.test.invalid',
      status: 'unsupported',
    });
    expect(ctx.book.get('s', 'healthcheck')?.id).toBe('healthcheck.fallback-tcp');
    expect(c.readinessProbe?.tcpSocket?.port).toBe(5432);
  });
});

describe('applyProbes: plain HTTP checks become httpGet', () => {
  it.each([
    [['CMD', 'curl', '-f', 'http://localhost:8080/health'], 8080, '/health', undefined, 'localhost:8080'],
    [['CMD-SHELL', 'curl -fsS http://127.0.0.1/'], 80, '/', undefined, '127.0.0.1'],
    [['CMD-SHELL', 'curl --fail --silent localhost:3000/api/health'], 3000, '/api/health', undefined, 'localhost:3000'],
    [['CMD-SHELL', 'wget -q --spider http://localhost/health'], 80, '/health', undefined, 'localhost'],
    [['CMD-SHELL', 'wget -qO- http://localhost:80/ || exit 1'], 80, '/', undefined, 'localhost'],
    [
      ['CMD', 'wget', '-q', '-t', '1', '--spider', 'http://localhost:8080/health'],
      8080,
      '/health',
      undefined,
      'localhost:8080',
    ],
    [['CMD', 'curl', '-fk', 'https://localhost:8443/ready?full=1'], 8443, '/ready?full=1', 'HTTPS', 'localhost:8443'],
    [['CMD', 'sh', '-c', 'curl -f http://localhost:3000/'], 3000, '/', undefined, 'localhost:3000'],
  ])('%j → httpGet port %i path %s', (test, port, path, scheme, host) => {
    const { c, entry } = run({
      healthcheck: { test },
      ports: [{ target: 80 }, { target: 3000 }, { target: 8080 }, { target: 8443 }],
    });
    const expected = { path, port, ...(scheme ? { scheme } : {}), httpHeaders: [{ name: 'Host', value: host }] };
    expect(c.readinessProbe?.httpGet).toEqual(expected);
    expect(c.livenessProbe?.httpGet).toEqual(expected);
    expect(c.readinessProbe?.exec).toBeUndefined();
    expect(entry?.status).toBe('converted');
    expect(entry?.message).toMatch(/as httpGet/);
  });

  it('curl -H headers become httpHeaders', () => {
    const { c } = run({
      healthcheck: { test: ['CMD', 'curl', '-f', '-H', 'Host: example.com', 'http://localhost/'] },
      expose: ['80'],
    });
    expect(c.readinessProbe?.httpGet).toEqual({
      path: '/',
      port: 80,
      httpHeaders: [{ name: 'Host', value: 'example.com' }],
    });
  });

  it('an HTTP check on a port the service does not declare stays exec (the app may only listen on loopback)', () => {
    const { c, entry } = run({
      healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost:9999/'] },
      ports: [{ target: 80 }],
    });
    expect(c.readinessProbe?.exec?.command).toEqual(['curl', '-f', 'http://localhost:9999/']);
    expect(entry?.message).toMatch(/not a declared container port/);
  });

  it.each([
    ['curl -f -X POST http://localhost/'],
    ['curl -f http://localhost/ | grep ok'],
    ['curl http://localhost/'],
    ['curl -f http://db:80/'],
    ['curl -f -u admin:secret http://localhost/'],
    ['curl -f -H "Authorization: Bearer x" http://localhost/'],
    ['curl -f $URL'],
    ['curl -f http://localhost/ http://localhost/other'],
    ['curl -f http://localhost/ && echo ok'],
    ['wget -O /tmp/out http://localhost/'],
    ['wget --post-data=x http://localhost/'],
    ['wget -q -t 3 --spider http://localhost/'],
    ['nc -z localhost 80'],
  ])('%s stays exec', (cmd) => {
    const { c } = run({ healthcheck: { test: ['CMD-SHELL', cmd] }, ports: [{ target: 80 }] });
    expect(c.readinessProbe?.httpGet).toBeUndefined();
    expect(c.readinessProbe?.exec?.command).toEqual(['sh', '-c', cmd]);
  });

  it('a shell-only `|| exit 1` in CMD form is not a shell operator: stays exec', () => {
    const test = ['CMD', 'curl', '-f', 'http://localhost/', '||', 'exit', '1'];
    const { c } = run({ healthcheck: { test }, ports: [{ target: 80 }] });
    expect(c.readinessProbe?.exec?.command).toEqual(test.slice(1));
  });
});

describe('applyProbes: no healthcheck', () => {
  it('a service with ports gets a tcpSocket readiness probe on its first TCP port, approximated', () => {
    const { c, entry, ctx } = run({
      ports: [
        { target: 53, protocol: 'udp' },
        { target: 8080, published: '80' },
      ],
    });
    expect(c.readinessProbe).toMatchObject({ tcpSocket: { port: 8080 } });
    expect(c.livenessProbe).toBeUndefined();
    expect(entry).toMatchObject({ id: 'healthcheck.default-tcp', status: 'approximated' });
    expect(entry?.fix).toMatch(/healthcheck/);
    expect(ctx.findings).toEqual([]);
  });

  it("a declared port alone is no evidence: no default probe, reported; the image's well-known port is", () => {
    const { c, ctx } = run({ image: 'ghcr.io/example/app:1', expose: ['1888'], ports: [{ target: 25 }] });
    expect(c.readinessProbe).toBeUndefined();
    const e = ctx.book.get('s', 'healthcheck');
    expect(e).toMatchObject({ id: 'healthcheck.declared-unserved', status: 'approximated' });
    expect(e?.message).toContain('only its declaration says it serves 25, 1888');
    // The fix asks for a healthcheck, not to declare the port the file already declares (kafka rest-proxy, redis).
    expect(e?.fix).toMatch(/^add a healthcheck that tests the application itself/);
    expect(e?.fix).not.toContain('declare');
    const none = run({ image: 'ghcr.io/example/app:1' });
    expect(none.ctx.book.get('s', 'healthcheck')).toMatchObject({ id: 'healthcheck.no-known-port' });
    const known = run({ image: 'minio/minio', expose: ['9000'] });
    expect(known.c.readinessProbe?.tcpSocket?.port).toBe(9000);
    expect(known.ctx.book.get('s', 'healthcheck')?.message).toContain('well-known port of its image');
  });

  it('the default ports of images the corpus publishes are served: a tcp probe there (redismod, alertmanager...)', () => {
    // awesome-compose flask-redis / nginx-nodejs-redis (redislabs/redismod), grafana-loki (prom/alertmanager),
    // awesome-compose minecraft, elasticsearch-logstash-kibana (logstash's API), mattermost-docker without nginx.
    const cases: Array<[string, number[], number]> = [
      ['redislabs/redismod', [6379], 6379],
      ['redis/redis-stack:7.2.0-v10', [6379, 8001], 6379],
      ['prom/alertmanager:v0.34.0', [9093], 9093],
      ['itzg/minecraft-server', [25565], 25565],
      ['logstash:7.16.1', [5000, 5044, 9600], 9600],
      ['kibana:7.16.1', [5601], 5601],
      ['grafana/loki:3.7.6', [3100, 9095, 7946], 3100],
      ['grafana/promtail:latest', [9080], 9080],
      ['mattermost/mattermost-enterprise-edition:10.5.2', [8065, 8443], 8065],
    ];
    for (const [image, ports, probed] of cases) {
      const { c, ctx } = run({ image, ports: ports.map((target) => ({ target })) });
      expect(c.readinessProbe?.tcpSocket?.port, image).toBe(probed);
      expect(ctx.book.get('s', 'healthcheck')?.message, image).toContain('well-known port of its image');
    }
  });

  it("a one-shot Job gets no default probe, even on its image's well-known port (docker-elk kibana-genkeys)", () => {
    // The Job runs a tool of the image (kibana-encryption-keys), not its server: nothing listens on 5601, and nothing
    // routes to or waits for a Job's readiness.
    const content = [
      'services:',
      '  kibana-genkeys:',
      '    image: kibana:8.15.0',
      '    command: [bin/kibana-encryption-keys, generate]',
      '    network_mode: none',
      '  dump:',
      '    image: postgres:16',
      '    command: [pg_dump, --version]',
      '    restart: "no"',
    ].join('\n');
    const r = convert({ files: [{ path: '/p/compose.yaml', content }] });
    expectValid(r.objects);
    for (const name of ['kibana-genkeys', 'dump']) {
      const job = r.objects.find((o) => o.kind === 'Job' && o.metadata.name === name) as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      };
      expect(job, name).toBeDefined();
      expect(job.spec.template.spec.containers[0]!.readinessProbe, name).toBeUndefined();
      expect(
        r.report!.entries.find((e) => e.service === name && e.path === 'healthcheck'),
        name,
      ).toBeUndefined();
    }
  });

  it("a PHP application image serves the port its tag's server listens on, unless its entrypoint is replaced", () => {
    // nextcloud-docker insecure: app nextcloud:apache publishes 127.0.0.1:8080:80; cron runs /cron.sh, no server.
    const ports = [{ target: 80, published: '8080', host_ip: '127.0.0.1' }];
    const app = run({ image: 'nextcloud:apache', ports });
    expect(app.c.readinessProbe?.tcpSocket?.port).toBe(80);
    expect(app.ctx.book.get('s', 'healthcheck')?.message).toContain('well-known port of its image');
    expect(run({ image: 'wordpress:6.5', ports: [{ target: 80 }] }).c.readinessProbe?.tcpSocket?.port).toBe(80);
    expect(run({ image: 'nextcloud:fpm-alpine', expose: ['9000'] }).c.readinessProbe?.tcpSocket?.port).toBe(9000);
    expect(run({ image: 'wordpress:cli', ports: [{ target: 80 }] }).c.readinessProbe).toBeUndefined();
    expect(run({ image: 'nextcloud:apache', entrypoint: ['/cron.sh'] }).c.readinessProbe).toBeUndefined();
  });

  it('a declared port its own command says it listens on is served: tcp probe there (chatwoot rails)', () => {
    const ports = [{ target: 3000, published: '3000', host_ip: '127.0.0.1' }];
    const { c, ctx } = run({ command: ['bundle', 'exec', 'rails', 's', '-p', '3000', '-b', '0.0.0.0'], ports });
    expect(c.readinessProbe?.tcpSocket?.port).toBe(3000);
    expect(ctx.book.get('s', 'healthcheck')).toMatchObject({ id: 'healthcheck.default-tcp', status: 'approximated' });
    expect(ctx.book.get('s', 'healthcheck')?.message).toContain('its command says it listens on it (-p 3000)');
    // A client's port flag, or a port it does not declare, is no evidence.
    expect(run({ command: ['redis-cli', '-p', '3000', 'monitor'], ports }).c.readinessProbe).toBeUndefined();
    expect(run({ command: ['rails', 's', '-p', '4000'], ports }).c.readinessProbe).toBeUndefined();
  });

  it('defaultProbes: false → no probe, a no-probes finding', () => {
    const { c, ctx } = run({ ports: [{ target: 80 }] }, { defaultProbes: false });
    expect(c.readinessProbe).toBeUndefined();
    expect(ctx.findings).toMatchObject([{ pitfall: 'no-probes', object: 'Deployment/s', service: 's' }]);
  });

  it('no ports → no probe, a no-probes finding with a fix', () => {
    const { c, ctx } = run({});
    expect(c.readinessProbe).toBeUndefined();
    expect(ctx.findings).toHaveLength(1);
    expect(ctx.findings[0]!.pitfall).toBe('no-probes');
    expect(ctx.findings[0]!.fix).toMatch(/healthcheck/);
  });

  it('no-probes: why and the suggested test are phrases, worded by the texts (their ids without them)', async () => {
    const { convert } = await import('../../../src/browser.js');
    const content = 'services:\n  db: {image: "postgres:16"}\n  app: {image: app}\n';
    const input = { files: [{ path: '/p/compose.yaml', content }], options: { defaultProbes: false } };
    const finding = (texts?: typeof TEXTS) => (service: string) =>
      convert({ ...input, ...(texts ? { texts } : {}) }).report!.findings.find(
        (f) => f.pitfall === 'no-probes' && f.service === service,
      )!;
    expect(finding()('db').message).toMatch(/reason=no-probe\.disabled, test=test\.pg-isready/);
    expect(finding()('app').message).toMatch(/reason=no-probe\.no-port, test=test\.generic/);
    expect(finding(TEXTS)('db').message).toMatch(/; default probes are disabled\)$/);
    expect(finding(TEXTS)('db').fix).toContain('(e.g. `test: ["CMD", "pg_isready", "-U", "postgres"]`)');
    expect(finding(TEXTS)('app').message).toMatch(/; it has no port\)$/);
    expect(finding(TEXTS)('app').fix).toContain(
      '`test: ["CMD", "<a command that exits 0 when the service is ready>"]`',
    );
  });

  it("a sidecar gets no probe on its image's well-known port its pod's main container serves, and says why", () => {
    // docker-elk's setup: built FROM elasticsearch, in elasticsearch's network namespace; 9200 is elasticsearch's.
    const content = `services:
  elasticsearch: {image: "docker.elastic.co/elasticsearch/elasticsearch:9.1.0", ports: ["9200:9200"]}
  setup: {image: "docker.elastic.co/elasticsearch/elasticsearch:9.1.0", network_mode: "service:elasticsearch"}
`;
    const r = convert({ files: [{ path: '/p/compose.yaml', content }] });
    const pod = r.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'elasticsearch') as unknown as {
      spec: { template: { spec: { containers: Container[] } } };
    };
    const [es, setup] = pod.spec.template.spec.containers;
    expect(es!.readinessProbe?.tcpSocket?.port).toBe(9200);
    expect(setup!.name).toBe('setup');
    expect(setup!.readinessProbe).toBeUndefined();
    const e = r.report!.entries.find((x) => x.service === 'setup' && x.key === 'healthcheck')!;
    expect(e).toMatchObject({ id: 'healthcheck.main-holds-port', status: 'approximated' });
    expect(e.message).toContain('port 9200 of its image is served by elasticsearch, the main container of its pod');
    const f = r.report!.findings.find((x) => x.pitfall === 'no-probes' && x.service === 'setup')!;
    expect(f.message).toContain('port 9200 of its image is served by elasticsearch');
  });

  it('healthcheck without test (image HEALTHCHECK) is reported and falls back to the default probe', () => {
    const { c, ctx } = run({ image: 'nginx:1.27', healthcheck: { interval: 5000 }, ports: [{ target: 80 }] });
    // One item: the healthcheck's own entry, with the default probe's note added.
    expect(ctx.entries.filter((e) => e.path === 'healthcheck')).toHaveLength(1);
    expect(ctx.book.get('s', 'healthcheck')).toMatchObject({ status: 'approximated' });
    expect(ctx.book.get('s', 'healthcheck')?.message).toMatch(/without test.*tcpSocket readinessProbe on port 80/);
    expect(c.readinessProbe?.tcpSocket?.port).toBe(80);
  });
});

describe('http-check parsing', () => {
  it('shellWords honours quotes and rejects shell syntax', () => {
    expect(shellWords(`curl -H 'X-A: b c' "http://localhost/"`)).toEqual([
      'curl',
      '-H',
      'X-A: b c',
      'http://localhost/',
    ]);
    expect(shellWords('curl -f http://localhost/ || exit 1')).toEqual(['curl', '-f', 'http://localhost/']);
    expect(shellWords('curl -f http://localhost/ > /dev/null')).toBeUndefined();
    expect(shellWords('echo "$HOME"')).toBeUndefined();
    expect(shellWords("echo 'unterminated")).toBeUndefined();
  });

  it('parses clustered flags and --opt=value', () => {
    expect(parseHttpShell('wget -qO /dev/null --timeout=3 http://localhost:81/x')).toEqual({
      scheme: 'HTTP',
      port: 81,
      path: '/x',
      headers: [{ name: 'Host', value: 'localhost:81' }],
    });
    expect(parseHttpShell('curl -sSfL -m 5 http://[::1]:82')).toBeUndefined(); // `[` is shell syntax unquoted
    expect(parseHttpShell("curl -sSfL -m 5 'http://[::1]:82'")).toEqual({
      scheme: 'HTTP',
      port: 82,
      path: '/',
      headers: [{ name: 'Host', value: '[::1]:82' }],
    });
  });

  // netbox's `curl -f http://localhost:8080/login/`: the kubelet would send Host: <pod IP>:8080, which a Django app
  // with ALLOWED_HOSTS="netbox.example.com localhost" answers with 400 (the pod never gets ready).
  it('keeps the Host header curl and wget send (port only when not the default), unless the check sets one', () => {
    expect(parseHttpArgv(['curl', '-f', 'http://localhost:8080/login/'])?.headers).toEqual([
      { name: 'Host', value: 'localhost:8080' },
    ]);
    expect(parseHttpShell('wget -q --spider http://127.0.0.1/health')?.headers).toEqual([
      { name: 'Host', value: '127.0.0.1' },
    ]);
    expect(parseHttpArgv(['curl', '-fk', 'https://localhost:443/'])?.headers).toEqual([
      { name: 'Host', value: 'localhost' },
    ]);
    expect(parseHttpArgv(['curl', '-f', '-H', 'X-A: 1', 'http://0.0.0.0:3000/'])?.headers).toEqual([
      { name: 'Host', value: '0.0.0.0:3000' },
      { name: 'X-A', value: '1' },
    ]);
    expect(parseHttpArgv(['curl', '-f', '-H', 'host: app.example.com', 'http://localhost:80/'])?.headers).toEqual([
      { name: 'host', value: 'app.example.com' },
    ]);
    const { c } = run({
      image: 'docker.io/netboxcommunity/netbox:v4.1-3.0.2',
      ports: [{ target: 8080, published: '8000' }],
      healthcheck: { test: ['CMD-SHELL', 'curl -f http://localhost:8080/login/ || exit 1'] },
    });
    expect(c.readinessProbe?.httpGet).toEqual({
      path: '/login/',
      port: 8080,
      httpHeaders: [{ name: 'Host', value: 'localhost:8080' }],
    });
    expect(c.livenessProbe?.httpGet?.httpHeaders).toEqual([{ name: 'Host', value: 'localhost:8080' }]);
  });

  it('rejects non-local hosts, bad ports and non-GET', () => {
    expect(parseHttpArgv(['curl', '-f', 'http://example.com/'])).toBeUndefined();
    expect(parseHttpArgv(['curl', '-f', 'http://localhost:70000/'])).toBeUndefined();
    expect(parseHttpArgv(['curl', '-f', '--request', 'DELETE', 'http://localhost/'])).toBeUndefined();
    expect(parseHttpArgv(['curl', '-f', '-X', 'GET', 'http://localhost/'])).toMatchObject({ port: 80 });
  });
});

describe('databases whose healthcheck has no start_period', () => {
  it('mariadb (nextcloud-style): a startupProbe covers initialisation and crash recovery before liveness applies', async () => {
    const { fromYaml } = await import('../../helpers/project.js');
    const { convertProject } = await import('../../../src/index.js');
    const { expectValid } = await import('../../helpers/validate.js');
    const p = fromYaml(`
services:
  db:
    image: mariadb:lts
    command: --transaction-isolation=READ-COMMITTED
    volumes: [db:/var/lib/mysql]
    healthcheck:
      test: ["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"]
      interval: 10s
      timeout: 5s
      retries: 3
  app:
    image: nextcloud:apache
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost/status.php"]
      interval: 10s
volumes:
  db:
`);
    const r = convertProject(p, {});
    expectValid(r.objects);
    const spec = (kind: string, name: string) =>
      (
        r.objects.find((o) => o.kind === kind && o.metadata.name === name) as unknown as {
          spec: { template: { spec: { containers: Container[] } } };
        }
      ).spec.template.spec.containers[0]!;
    const db = spec('StatefulSet', 'db');
    expect(db.livenessProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 6 });
    expect(db.startupProbe).toEqual({
      exec: { command: ['healthcheck.sh', '--connect', '--innodb_initialized'] },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 30,
    });
    const e = r.report.entries.find((x) => x.service === 'db' && x.key === 'healthcheck')!;
    expect(e.message).toMatch(/startupProbe every 10s for up to 300s before liveness applies/);
    // Not a database: the same floor, for first starts (migrations).
    expect(spec('Deployment', 'app').startupProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 30 });
  });
});

describe('a healthcheck that runs a file from a mount that is not emitted', () => {
  const conv = (files: Record<string, string>) =>
    convert({ files: ['compose.yaml'], workingDir: '/p', fs: memoryFs(files) });
  const ctrOf = (r: ReturnType<typeof conv>, name: string): Container =>
    (
      r.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name) as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers[0]!;
  const compose = `services:
  api:
    image: python:3.12-slim
    command: ["python3", "-m", "http.server", "1218"]
    volumes: ["./health/check.py:/usr/src/app/check.py:ro"]
    healthcheck: { test: ["CMD", "python3", "/usr/src/app/check.py"], interval: 30s, retries: 10 }
  web:
    image: busybox
    environment: { API_URL: "http://api:1218" }
`;

  it('gets no liveness or startup probe from it (a restart loop), the tcp readiness default, and says why', () => {
    const r = conv({ '/p/compose.yaml': compose });
    const c = ctrOf(r, 'api');
    expect(c.livenessProbe).toBeUndefined();
    expect(c.startupProbe).toBeUndefined();
    expect(c.readinessProbe).toMatchObject({ tcpSocket: { port: 1218 } });
    const e = r.report!.entries.find((x) => x.service === 'api' && x.key === 'healthcheck')!;
    expect(e).toMatchObject({ id: 'healthcheck.unmounted-tcp', status: 'approximated' });
    expect(e.message).toContain('/usr/src/app/check.py from volumes[0], which is not mounted');
  });

  it('is converted as before when the file exists (its ConfigMap is mounted)', () => {
    const r = conv({ '/p/compose.yaml': compose, '/p/health/check.py': 'print(1)\n' });
    const c = ctrOf(r, 'api');
    expect(c.livenessProbe?.exec?.command).toEqual(['python3', '/usr/src/app/check.py']);
    expect(r.report!.entries.find((x) => x.service === 'api' && x.key === 'healthcheck')!.id).toBe(
      'healthcheck.probes',
    );
  });
});
