import type { Service } from '../../../src/model/types.js';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.js';
import { project, type ServiceInput } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';
import { ConvertContext } from '../../../src/convert/context.js';
import { TEXTS } from '../../../src/mappings/texts.js';
import { type KubeObject } from '../../../src/kube/object.js';
import { defaultOptions } from '../../../src/convert/intent/options.js';
import type { PodPlan } from '../../../src/convert/plan/pod.js';
import type { ContainerStep } from '../../../src/convert/step.js';
import { isDns1123Label } from '../../../src/kube/naming.js';
import {
  applyStartOrder,
  startOrderStep,
  tcpWaitScript,
  healthyWaitSeconds,
  STARTED_WAIT_SECONDS,
  KUBECTL_IMAGE,
  WAIT_IMAGE,
} from '../../../src/convert/container/startorder.js';
import { withDialects } from '../../helpers/dialects.js';
import { declaredTcpTargets } from '../../../src/model/ports.js';

function newPlan(ctx: ConvertContext, main: string, sidecars: string[] = []): PodPlan {
  const svcs = [main, ...sidecars].map((n) => ctx.project.services[n]!);
  const plan: PodPlan = {
    name: ctx.serviceName(main),
    main: svcs[0]!,
    services: svcs,
    kind: 'Deployment',
    replicas: 1,
    spec: { containers: [] },
    containers: new Map(),
    podLabels: {},
    podAnnotations: {},
    volumeClaimTemplates: [],
    mountsRwoClaim: false,
  };
  for (const s of svcs) {
    const c: Container = { name: ctx.serviceName(s), image: s.image ?? 'app' };
    plan.spec.containers.push(c);
    plan.containers.set(s.name, c);
  }
  return plan;
}

function deployment(ctx: ConvertContext, plan: PodPlan): KubeObject {
  const sel = ctx.selector(plan.main);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: ctx.meta(plan.name, ctx.labels(plan.main)),
    spec: { selector: { matchLabels: sel }, template: { metadata: { labels: sel }, spec: plan.spec } },
  };
}

/** Run the step for `main` (and sidecars) of a project; validates the Deployment plus emitted objects. */
function run(
  services: Record<string, ServiceInput>,
  main: string,
  sidecars: string[] = [],
  step: ContainerStep = applyStartOrder,
  disabled: string[] = [],
) {
  const p = project(services);
  for (const d of disabled) {
    p.disabledServices[d] = ['debug'];
    delete p.services[d];
  }
  const ctx = withDialects(new ConvertContext(p, defaultOptions({ namespace: 'demo' }), undefined, undefined, TEXTS));
  const plan = newPlan(ctx, main, sidecars);
  for (const s of plan.services) step(ctx, s, plan.containers.get(s.name)!, plan);
  // The `<dep>-headless` Services select pods of dependencies this unit test does not build. The Jobs a wait
  // selects are stand-ins with the labels the Job builder gives (ctx.labels).
  const jobs = ctx.objects.some((o) => o.kind === 'Role')
    ? Object.keys(ctx.project.services)
        .filter((n) => !plan.services.some((s) => s.name === n))
        .map((n): KubeObject => ({
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: ctx.meta(n, ctx.labels(n)),
          spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: n, image: 'tool' }] } } },
        }))
    : [];
  expectValid([
    deployment(ctx, plan),
    ...jobs,
    ...ctx.objects.filter(
      (o) => !(o as { spec?: { publishNotReadyAddresses?: boolean } }).spec?.publishNotReadyAddresses,
    ),
  ]);
  const entry = (svc: string, dep: string) => ctx.book.get(svc, `depends_on.${dep}`);
  return { ctx, plan, inits: plan.spec.initContainers ?? [], entry };
}

const started = { condition: 'service_started' as const, required: true, restart: false };
const healthy = { condition: 'service_healthy' as const, required: true, restart: false };
const completed = { condition: 'service_completed_successfully' as const, required: true, restart: false };

describe('applyStartOrder: TCP waits', () => {
  it('service_started → a bounded wait through a headless Service that publishes not-ready pods', () => {
    const { inits, entry, ctx } = run(
      { web: { depends_on: { db: started } }, db: { image: 'postgres', expose: ['5432'] } },
      'web',
    );
    expect(inits).toHaveLength(1);
    expect(inits[0]).toMatchObject({
      name: 'wait-for-db',
      image: WAIT_IMAGE,
      command: ['sh', '-c', tcpWaitScript('db', 'db-headless', 5432, STARTED_WAIT_SECONDS / 2)],
    });
    expect(inits[0]!.command![2]).toMatch(/starting anyway/);
    expect(ctx.find('Service', 'db-headless')?.spec).toMatchObject({
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      ports: [{ port: 5432 }],
    });
    expect(entry('web', 'db')).toMatchObject({
      id: 'depends_on.started-wait',
      path: 'depends_on.db',
      status: 'converted',
    });
  });

  it('service_healthy with a healthcheck on the dependency says the readiness probe makes it a health wait', () => {
    const hc = { test: ['CMD', 'pg_isready'] };
    const { inits, entry } = run(
      { web: { depends_on: { db: healthy } }, db: { ports: [{ target: 5432 }], healthcheck: hc } },
      'web',
    );
    expect(inits.map((c) => c.name)).toEqual(['wait-for-db']);
    expect(entry('web', 'db')).toMatchObject({ status: 'converted' });
    expect(entry('web', 'db')?.message).toMatch(/readinessProbe/);
  });

  it('service_healthy without a healthcheck is approximated with a fix', () => {
    const { entry } = run({ web: { depends_on: { db: healthy } }, db: { ports: [{ target: 5432 }] } }, 'web');
    expect(entry('web', 'db')).toMatchObject({ status: 'approximated', fix: 'add a healthcheck to db' });
  });

  it('waits on the container port, where the in-cluster Service answers (as Compose peers reach it)', () => {
    const svc = (ports: ServiceInput['ports']) => project({ x: { ports } }).services.x!;
    // The declared port a wait falls back to (waitPort): the first TCP container port, ports then expose.
    const dependencyServicePort = (s: Service): number | undefined => declaredTcpTargets(s)[0];
    expect(dependencyServicePort(svc([{ target: 80, published: '8080' }]))).toBe(80);
    expect(dependencyServicePort(svc([{ target: 80, published: '8080-8081' }]))).toBe(80);
    expect(
      dependencyServicePort(
        svc([
          { target: 80, published: '8080' },
          { target: 80, published: '9090' },
        ]),
      ),
    ).toBe(80);
    expect(dependencyServicePort(svc([{ target: 53, protocol: 'udp' }, { target: 8000 }]))).toBe(8000);
    expect(dependencyServicePort(project({ x: { expose: ['53/udp', '9000'] } }).services.x!)).toBe(9000);
    expect(dependencyServicePort(svc([{ target: 53, protocol: 'udp' }]))).toBeUndefined();
  });

  it('a dependency without a known served port is not waited on: approximated, no init container', () => {
    const { inits, entry } = run({ web: { depends_on: { worker: started } }, worker: {} }, 'web');
    expect(inits).toEqual([]);
    expect(entry('web', 'worker')).toMatchObject({ id: 'depends_on.unserved-port', status: 'approximated' });
    expect(entry('web', 'worker')?.fix).toMatch(/expose/);
  });

  it('a dependency that declares only UDP ports is not waited on, and the entry says why (not "declare a port")', () => {
    const { inits, entry } = run(
      {
        web: { depends_on: { dns: started } },
        dns: { expose: ['53/udp'], ports: [{ target: 5353, protocol: 'udp' }] },
      },
      'web',
    );
    expect(inits).toEqual([]);
    expect(entry('web', 'dns')).toMatchObject({ id: 'depends_on.udp-only', status: 'approximated' });
    expect(entry('web', 'dns')?.message).toContain('it declares only 5353/udp, 53/udp');
  });

  it('a dependency in the same pod needs no wait', () => {
    const { inits, entry } = run(
      { vpn: { ports: [{ target: 1194 }] }, app: { network_mode: 'service:vpn', depends_on: { vpn: started } } },
      'vpn',
      ['app'],
    );
    expect(inits).toEqual([]);
    expect(entry('app', 'vpn')?.status).toBe('converted');
  });

  it("a sidecar dependency is reached through its pod's Service", () => {
    const { inits } = run(
      { web: { depends_on: { app: started } }, vpn: {}, app: { network_mode: 'service:vpn', expose: ['8080'] } },
      'web',
    );
    expect(inits[0]!.command![2]).toContain('nc -z -w 2 vpn-headless 8080');
  });

  it('several dependants in one pod share one wait per dependency; order is by name', () => {
    const { inits } = run(
      {
        web: { depends_on: { redis: started, db: started } },
        side: { network_mode: 'service:web', depends_on: { db: started } },
        db: { expose: ['5432'] },
        redis: { expose: ['6379'] },
      },
      'web',
      ['side'],
    );
    expect(inits.map((c) => c.name)).toEqual(['wait-for-db', 'wait-for-redis']);
  });

  it('no shared network: the NetworkPolicies would block the wait, so none is added (unless policies are off)', () => {
    const services = {
      web: { networks: { front: {} }, depends_on: { db: started } },
      db: { networks: { back: {} }, expose: ['5432'] },
    };
    const { inits, entry } = run(services, 'web');
    expect(inits).toEqual([]);
    expect(entry('web', 'db')).toMatchObject({ status: 'approximated' });
    expect(entry('web', 'db')?.message).toMatch(/share no network/);
    const p = project(services);
    const ctx = withDialects(
      new ConvertContext(p, defaultOptions({ networkPolicies: false }), undefined, undefined, TEXTS),
    );
    const plan = newPlan(ctx, 'web');
    applyStartOrder(ctx, p.services.web!, plan.containers.get('web')!, plan);
    expect(plan.spec.initContainers?.map((c) => c.name)).toEqual(['wait-for-db']);
    // a host-network dependency is outside NetworkPolicy: still waited on
    const host = run({ web: { depends_on: { db: started } }, db: { network_mode: 'host', expose: ['5432'] } }, 'web');
    expect(host.inits.map((c) => c.name)).toEqual(['wait-for-db']);
  });

  it('long dependency names give valid init container names', () => {
    const long = 'a-very-long-dependency-name-that-goes-on-and-on-for-quite-a-while';
    const { inits } = run({ web: { depends_on: { [long]: started } }, [long]: { expose: ['80'] } }, 'web');
    expect(isDns1123Label(inits[0]!.name)).toBe(true);
  });

  it('required: false waits a bounded time; restart: true is reported unsupported', () => {
    const { inits, ctx } = run(
      { web: { depends_on: { db: { ...started, required: false, restart: true } } }, db: { expose: ['5432'] } },
      'web',
    );
    expect(inits[0]!.command![2]).toMatch(/exit 0/);
    expect(ctx.book.get('web', 'depends_on.db.restart')).toMatchObject({
      id: 'depends_on.restart',
      status: 'unsupported',
    });
  });

  it('a profiled-out dependency: required: false → ignored; required → approximated with a fix; no wait either way', () => {
    const a = run(
      { web: { depends_on: { dbg: { ...started, required: false } } }, dbg: { expose: ['1'] } },
      'web',
      [],
      applyStartOrder,
      ['dbg'],
    );
    expect(a.inits).toEqual([]);
    expect(a.entry('web', 'dbg')?.status).toBe('ignored');
    const b = run({ web: { depends_on: { dbg: started } }, dbg: { expose: ['1'] } }, 'web', [], applyStartOrder, [
      'dbg',
    ]);
    expect(b.inits).toEqual([]);
    expect(b.entry('web', 'dbg')).toMatchObject({ status: 'approximated' });
  });
});

describe('applyStartOrder: waiting for completion', () => {
  it('a dependency that is not a Job cannot be waited for: approximated, no init container', () => {
    const { inits, entry } = run(
      { web: { depends_on: { migrate: completed } }, migrate: {} },
      'web',
      [],
      startOrderStep(() => 'Deployment'),
    );
    expect(inits).toEqual([]);
    expect(entry('web', 'migrate')).toMatchObject({ id: 'depends_on.not-a-job', status: 'approximated' });
  });

  it('a Job dependency → kubectl wait init container with ServiceAccount, Role and RoleBinding emitted once', () => {
    const step = startOrderStep(() => 'Job');
    const { inits, ctx, plan, entry } = run(
      { web: { depends_on: { migrate: completed, seed: completed } }, migrate: {}, seed: {} },
      'web',
      [],
      step,
    );
    expect(inits.map((c) => [c.name, c.image])).toEqual([
      ['wait-for-migrate', KUBECTL_IMAGE],
      ['wait-for-seed', KUBECTL_IMAGE],
    ]);
    expect(inits[0]!.command).toEqual(['/bin/kubectl']);
    // Every Job of the dependency's selector labels, not one name (a Helm chart names Jobs after their spec's hash).
    expect(inits[0]!.args).toEqual([
      'wait',
      '--for=condition=complete',
      'job',
      '--selector=app.kubernetes.io/name=migrate,app.kubernetes.io/part-of=demo',
      '--timeout=600s',
    ]);
    expect(plan.spec.serviceAccountName).toBe('web-job-waiter');
    expect(ctx.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/web-job-waiter',
      'Role/web-job-waiter',
      'RoleBinding/web-job-waiter',
    ]);
    const role = ctx.find('Role', 'web-job-waiter') as KubeObject & { rules: unknown };
    expect(role.rules).toEqual([{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] }]);
    const rb = ctx.find('RoleBinding', 'web-job-waiter') as KubeObject & { subjects: unknown };
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'web-job-waiter', namespace: 'demo' }]);
    expect(entry('web', 'migrate')?.objects).toContain('Role/web-job-waiter');
    // The report says what the wait finds (a chart's Job is not named migrate: its name has its spec's hash).
    expect(entry('web', 'migrate')?.message).toContain(
      'waits for every Job labelled app.kubernetes.io/name=migrate,app.kubernetes.io/part-of=demo to complete',
    );
    expect(entry('web', 'migrate')?.fix).toBe(
      "keep migrate's Job after it completes (no ttlSecondsAfterFinished), or run migrate before applying the rest",
    );
  });
});

describe('wait scripts run in a POSIX shell', () => {
  /** Run the script with fake `nc` (fails `failures` times) and `sleep` (no-op) first on PATH. */
  function exec(script: string, failures: number): { status: number | null; out: string; calls: number } {
    const dir = mkdtempSync(join(tmpdir(), 'c2k-wait-'));
    try {
      const count = join(dir, 'count');
      writeFileSync(count, '');
      writeFileSync(
        join(dir, 'nc'),
        `#!/bin/sh\necho "$@" >> '${count}'\n[ "$(wc -l < '${count}')" -gt ${failures} ]\n`,
      );
      writeFileSync(join(dir, 'sleep'), '#!/bin/sh\nexit 0\n');
      chmodSync(join(dir, 'nc'), 0o755);
      chmodSync(join(dir, 'sleep'), 0o755);
      const r = spawnSync('sh', ['-c', script], {
        env: { PATH: `${dir}:/usr/bin:/bin` },
        encoding: 'utf8',
        timeout: 20_000,
      });
      const calls = readFileSync(count, 'utf8').trim().split('\n').filter(Boolean);
      expect(calls.every((c) => c === '-z -w 2 db 5432')).toBe(true);
      return { status: r.status, out: r.stdout, calls: calls.length };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('loops until the Service answers, within its bound', () => {
    const r = exec(tcpWaitScript('db', 'db', 5432), 3);
    expect(r).toMatchObject({ status: 0, calls: 4 });
    expect(r.out.match(/waiting for db/g)).toHaveLength(3);
  });

  it('a service_healthy wait fails (exit 1) after its bound, so the kubelet retries it with back-off', () => {
    const r = exec(tcpWaitScript('db', 'db', 5432, 5, 'fail'), 1000);
    expect(r.status).toBe(1);
    expect(r.calls).toBe(5);
    expect(r.out).toMatch(/failing, the kubelet retries/);
    expect(exec(tcpWaitScript('db', 'db', 5432, 5, 'fail'), 2)).toMatchObject({ status: 0, calls: 3 });
  });

  it('in a Job run once the same wait fails too, and says the Job makes a new pod (the kubelet retries nothing)', () => {
    const r = exec(tcpWaitScript('db', 'db', 5432, 5, 'fail-job'), 1000);
    expect(r).toMatchObject({ status: 1, calls: 5 });
    expect(r.out).toMatch(/db not ready on port 5432 after 10s: failing, the Job makes a new pod/);
  });

  it("the bound is compose's deadline for the dependency to become healthy", () => {
    const dep = (healthcheck?: Service['healthcheck']): Service => ({ name: 'db', healthcheck }) as Service;
    expect(healthyWaitSeconds(dep())).toBe(180); // 3 × (30s + 30s)
    expect(healthyWaitSeconds(dep({ interval: 5000, timeout: 5000, retries: 5, start_period: 30_000 }))).toBe(80);
    expect(healthyWaitSeconds(dep({ interval: 1000, timeout: 1000, retries: 2 }))).toBe(60);
  });

  it('required: false gives up after the bounded attempts and exits 0', () => {
    const r = exec(tcpWaitScript('db', 'db', 5432), 1000);
    expect(r.status).toBe(0);
    expect(r.calls).toBe(30);
    expect(r.out).toMatch(/starting anyway/);
  });
});

describe('applyStartOrder: dependencies whose Service port is inferred', () => {
  it('mastodon-style web → db/redis without ports: waits on the port the dependency Service gets (image default)', async () => {
    const { fromYaml } = await import('../../helpers/project.js');
    const { convertProject } = await import('../../../src/index.js');
    const p = fromYaml(`
services:
  db:
    image: postgres:14-alpine
    restart: always
    healthcheck:
      test: ['CMD', 'pg_isready', '-U', 'postgres']
    volumes: ['./postgres14:/var/lib/postgresql/data']
  redis:
    image: redis:7-alpine
    restart: always
  web:
    image: ghcr.io/mastodon/mastodon:v4.3
    command: bundle exec puma -C config/puma.rb
    ports: ['127.0.0.1:3000:3000']
    depends_on: [db, redis]
`);
    const r = convertProject(p, {});
    expectValid(r.objects);
    const svcPort = (name: string) =>
      (
        r.objects.find((o) => o.kind === 'Service' && o.metadata.name === name) as unknown as {
          spec: { ports: Array<{ port: number }> };
        }
      ).spec.ports[0]!.port;
    expect(svcPort('db')).toBe(5432);
    expect(svcPort('redis')).toBe(6379);
    const web = r.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web') as unknown as {
      spec: { template: { spec: { initContainers?: Container[] } } };
    };
    const inits = web.spec.template.spec.initContainers ?? [];
    expect(inits.map((c) => c.name)).toEqual(['wait-for-db', 'wait-for-redis']);
    // service_started: a bounded wait on the image's well-known port, through the headless Service.
    expect(inits[0]!.command![2]).toBe(tcpWaitScript('db', 'db-headless', 5432, STARTED_WAIT_SECONDS / 2));
    expect(inits[1]!.command![2]).toContain('nc -z -w 2 redis-headless 6379');
    const e = r.report.entries.find((x) => x.service === 'web' && x.key === 'depends_on.db')!;
    expect(e).toMatchObject({ id: 'depends_on.started-wait', status: 'converted' });
    expect(e.message).toMatch(/up to 120s .*well-known port of its image/);
  });

  it('service_healthy on an inferred port waits as long as compose would for health, then starts anyway', async () => {
    const { fromYaml } = await import('../../helpers/project.js');
    const { convertProject } = await import('../../../src/index.js');
    const p = fromYaml(`
services:
  db:
    image: postgres:16
    healthcheck: { test: [CMD, pg_isready], interval: 10s, timeout: 5s, retries: 10, start_period: 60s }
  app:
    image: example/app
    environment: { DATABASE_URL: 'postgres://app@db:5432/app' }
    depends_on: { db: { condition: service_healthy } }
`);
    const r = convertProject(p, {});
    const app = r.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'app') as unknown as {
      spec: { template: { spec: { initContainers?: Container[] } } };
    };
    // 60s start_period + 10 × (10s + 5s) = 210s: 105 attempts, then it starts anyway (the port may be wrong).
    const script = app.spec.template.spec.initContainers![0]!.command![2]!;
    expect(script).toContain('if [ "$i" -ge 105 ]');
    expect(script).toContain('after 210s, starting anyway');
    const e = r.report.entries.find((x) => x.service === 'app' && x.key === 'depends_on.db')!;
    expect(e.message).toContain("gives up after 210s (compose's deadline for db to become healthy) and starts anyway");
  });
});
