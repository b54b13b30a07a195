import { describe, expect, test } from 'vitest';
import { ConvertContext } from '../../../src/convert/context.js';
import { type KubeObject } from '../../../src/kube/object.js';
import { defaultOptions } from '../../../src/convert/intent/options.js';
import { planPods, podOwner } from '../../../src/convert/plan/plan.js';
import { buildWorkload } from '../../../src/convert/objects/workloads.js';
import { sortObjects } from '../../../src/kube/sort.js';
import { convertProject } from '../../../src/index.js';
import { project } from '../../helpers/project.js';
import { memoryFs } from '../../../src/load/fs.js';
import { expectValid } from '../../helpers/validate.js';
import { entry, obj, pod, run, template } from '../run.js';
import { withDialects } from '../../helpers/dialects.js';

type Spec = { replicas?: number; selector: { matchLabels: Record<string, string> }; strategy?: unknown };
const spec = (o: KubeObject): Spec => o.spec as Spec;

describe('replicas', () => {
  test('deploy.replicas wins over scale (reported ignored)', () => {
    const r = run({ web: { image: 'x', scale: 2, deploy: { replicas: 3 } } });
    expect(spec(obj(r, 'Deployment', 'web')).replicas).toBe(3);
    expect(entry(r, 'web', 'deploy.replicas').status).toBe('converted');
    expect(entry(r, 'web', 'scale').status).toBe('ignored');
  });

  test('scale, else 1', () => {
    const r = run({ a: { image: 'x', scale: 4 }, b: { image: 'x' } });
    expect(spec(obj(r, 'Deployment', 'a')).replicas).toBe(4);
    expect(spec(obj(r, 'Deployment', 'b')).replicas).toBe(1);
  });

  test('replicas 0 is kept and reported', () => {
    const r = run({ web: { image: 'x', deploy: { replicas: 0 } } });
    expect(spec(obj(r, 'Deployment', 'web')).replicas).toBe(0);
    expect(entry(r, 'web', 'deploy.replicas').message).toContain('scaled to zero');
  });
});

describe('controller kind', () => {
  test('deploy.mode global → DaemonSet without replicas', () => {
    const r = run({ agent: { image: 'x', deploy: { mode: 'global', replicas: 2 } } });
    const ds = obj(r, 'DaemonSet', 'agent');
    expect(spec(ds).replicas).toBeUndefined();
    expect(entry(r, 'agent', 'deploy.mode').status).toBe('converted');
    expect(entry(r, 'agent', 'deploy.replicas').status).toBe('ignored');
    expect(r.objects.some((o) => o.kind === 'Deployment')).toBe(false);
  });

  test('a DaemonSet a peer names (a scrape target) reaches one pod per connection: approximated (samples/monitoring)', () => {
    const r = run({
      exporter: { image: 'prom/node-exporter', expose: ['9100'], deploy: { mode: 'global' } },
      prometheus: { image: 'prom/prometheus', environment: { TARGET: 'exporter:9100' } },
    });
    const e = entry(r, 'exporter', 'deploy.mode');
    expect(e).toMatchObject({ id: 'deploy.mode.global-peers', status: 'approximated' });
    expect(e.message).toContain(
      'peers address it by its Service name (exporter:9100 in prometheus environment TARGET)',
    );
    expect(e.fix).toContain('kubernetes_sd_configs');
  });

  test('restart: no is approximated for a Deployment (a service with ports stays one)', () => {
    const r = run({
      job: { image: 'x', restart: 'no', expose: ['8080'] },
      web: { image: 'x', restart: 'unless-stopped' },
    });
    expect(entry(r, 'job', 'restart').status).toBe('approximated');
    expect(entry(r, 'job', 'restart').message).toContain('it has ports');
    expect(entry(r, 'web', 'restart').status).toBe('converted');
  });

  test('selector is the stable subset of the template labels', () => {
    const r = run({ web: { image: 'x' } }, {}, { name: 'shop' });
    const sel = spec(obj(r, 'Deployment', 'web')).selector.matchLabels;
    expect(sel).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'shop' });
    const labels = template(r, 'web').metadata.labels;
    for (const [k, v] of Object.entries(sel)) expect(labels[k]).toBe(v);
    expect(labels['app.kubernetes.io/managed-by']).toBe('compose2k8s');
  });

  test('deploy.labels become annotations on the controller', () => {
    const r = run({ web: { image: 'x', deploy: { labels: { 'com.example.tier': 'front' } } } });
    expect(obj(r, 'Deployment', 'web').metadata.annotations).toEqual({ 'com.example.tier': 'front' });
  });
});

describe('sidecars (network_mode: service:X)', () => {
  test("a service sharing another one's network runs in its pod", () => {
    const r = run({
      app: { image: 'app', ports: [{ target: 8080 }] },
      proxy: { image: 'envoy', network_mode: 'service:app', ports: [{ target: 9901 }] },
    });
    expect(r.objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(['app']);
    expect(pod(r, 'app').containers.map((c) => c.name)).toEqual(['app', 'proxy']);
    expect(entry(r, 'proxy', 'network_mode').status).toBe('converted');
  });

  test("a run-once service in a server's pod is approximated: the pod restarts it, and is not Ready while it is down", () => {
    const r = run({
      es: { image: 'elasticsearch', ports: [{ target: 9200 }] },
      setup: { image: 'curl', network_mode: 'service:es', restart: 'no' },
      keep: { image: 'curl', network_mode: 'service:es', restart: 'unless-stopped' },
    });
    const e = entry(r, 'setup', 'network_mode');
    expect(e).toMatchObject({ id: 'network_mode.sidecar-run-once', status: 'approximated' });
    expect(e.message).toContain('not Ready');
    expect(e.fix).toContain('Job');
    expect(entry(r, 'keep', 'network_mode')).toMatchObject({ id: 'network_mode.sidecar', status: 'converted' });
  });

  test('no restart key is compose\'s "no": a sidecar running a one-shot task is run-once, a long-running one is not', () => {
    const r = run({
      es: { image: 'elasticsearch', ports: [{ target: 9200 }] },
      // docker-elk's setup: requests that create users, then it exits (restart unset)
      setup: {
        image: 'curl',
        network_mode: 'service:es',
        command: ['sh', '-c', "curl -XPOST http://es:9200/x -d '{}' ; echo done"],
      },
      migrate: { image: 'app', network_mode: 'service:es', command: ['python', 'manage.py', 'migrate'] },
      // no one-shot evidence (a log shipper), or a server sign (a healthcheck): long-running, as before
      shipper: { image: 'fluent/fluent-bit', network_mode: 'service:es' },
      checked: {
        image: 'app',
        network_mode: 'service:es',
        command: ['python', 'manage.py', 'migrate'],
        healthcheck: { test: ['CMD', 'true'] },
      },
    });
    const e = entry(r, 'setup', 'network_mode');
    expect(e).toMatchObject({ id: 'network_mode.sidecar-run-once', status: 'approximated' });
    expect(e.message).toContain('restart unset, so no');
    expect(entry(r, 'migrate', 'network_mode').id).toBe('network_mode.sidecar-run-once');
    expect(entry(r, 'shipper', 'network_mode')).toMatchObject({ id: 'network_mode.sidecar', status: 'converted' });
    expect(entry(r, 'checked', 'network_mode').id).toBe('network_mode.sidecar');
  });

  test('no restart key beside a main service compose restarts: compose leaves it exited, so it is run-once', () => {
    const r = run({
      // docker-elk: setup's script is in its Dockerfile (no command here); elasticsearch is unless-stopped
      es: { image: 'elasticsearch', ports: [{ target: 9200 }], restart: 'unless-stopped' },
      setup: { image: 'docker-elk-setup', network_mode: 'service:es' },
      // a sign of a server (its own port) keeps a sidecar long-running, as does a main left unset (other test)
      proxy: { image: 'envoy', network_mode: 'service:es', ports: [{ target: 9901 }] },
    });
    const e = entry(r, 'setup', 'network_mode');
    expect(e).toMatchObject({ id: 'network_mode.sidecar-run-once', status: 'approximated' });
    expect(e.message).toContain('compose runs it once (restart unset, so no)');
    expect(e.message).toContain('the Service of es has no endpoint');
    // As a Job of its own it leaves es's network namespace: it must join es's networks, or the policies drop it.
    expect(e.fix).toContain('give it the networks of es');
    expect(entry(r, 'proxy', 'network_mode')).toMatchObject({ id: 'network_mode.sidecar', status: 'converted' });
  });

  test('chains end at the pod owner; cycles are broken by name', () => {
    const services = {
      a: { name: 'a', network_mode: 'service:b' },
      b: { name: 'b', network_mode: 'service:c' },
      c: { name: 'c' },
      x: { name: 'x', network_mode: 'service:y' },
      y: { name: 'y', network_mode: 'service:x' },
    } as unknown as Parameters<typeof podOwner>[0];
    expect(podOwner(services, 'a')).toBe('c');
    expect(podOwner(services, 'y')).toBe('x');
    expect(podOwner(services, 'x')).toBe('x');
  });

  test('plans are in sorted service order whatever the input order', () => {
    const p = project({
      zeta: { image: 'x' },
      alpha: { image: 'x' },
      mid: { image: 'x', network_mode: 'service:zeta' },
    });
    const ctx = withDialects(new ConvertContext(p, defaultOptions()));
    const plans = planPods(ctx);
    expect(plans.map((x) => [x.name, x.services.map((s) => s.name)])).toEqual([
      ['alpha', ['alpha']],
      ['zeta', ['zeta', 'mid']],
    ]);
  });
});

describe('names', () => {
  test('two services with the same Kubernetes name: the later one gets -2, with a warning and a report entry', () => {
    const r = run({ 'web-app': { image: 'x' }, web_app: { image: 'y' } });
    expect(obj(r, 'Deployment', 'web-app').spec).toBeDefined();
    expect(pod(r, 'web-app-2').containers[0]!.image).toBe('y');
    expect(r.diagnostics.some((d) => d.code === 'name-collision' && d.severity === 'warning')).toBe(true);
    expect(entry(r, 'web_app', 'name').status).toBe('approximated');
  });

  test('a collision of other names says which sources clash as the compose file names them, without control bytes', () => {
    // Two missing data directories of the same base name: claims app-plugins and app-plugins-2.
    const p = project({
      app: {
        image: 'x',
        volumes: [
          { type: 'bind', source: '/project/server/plugins', target: '/a' },
          { type: 'bind', source: '/project/client/plugins', target: '/b' },
        ],
      },
    });
    const r = convertProject(p, {}, memoryFs({ '/project/compose.yaml': '' }));
    const d = r.diagnostics.find((x) => x.code === 'name-collision')!;
    expect(d.message).toContain('./client/plugins');
    expect(d.message).toContain('./server/plugins');
    expect(d.message).not.toMatch(/[\u0000-\u001f]|\/project\//);
  });
});

describe('workload builders', () => {
  const plan = (kind: 'StatefulSet' | 'Job' | 'CronJob') => {
    const ctx = withDialects(
      new ConvertContext(
        project({ task: { image: 'busybox', command: ['true'] } }),
        defaultOptions({ namespace: 'prod' }),
      ),
    );
    const [p] = planPods(ctx);
    p!.kind = kind;
    p!.spec.containers.push({ name: 'task', image: 'busybox' });
    if (kind === 'CronJob') p!.schedule = '*/5 * * * *';
    return { ctx, p: p! };
  };

  test('StatefulSet has serviceName and selector', () => {
    const { ctx, p } = plan('StatefulSet');
    const o = buildWorkload(ctx, p);
    expect(o.metadata.namespace).toBe('prod');
    expect((o.spec as { serviceName: string }).serviceName).toBe('task');
    const headless: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: ctx.meta('task', ctx.labels('task')),
      spec: { clusterIP: 'None', selector: ctx.selector('task'), ports: [{ name: 'tcp-80', port: 80 }] },
    };
    expectValid([headless, o]);
  });

  test('Job and CronJob pods restart OnFailure', () => {
    for (const kind of ['Job', 'CronJob'] as const) {
      const { ctx, p } = plan(kind);
      const o = buildWorkload(ctx, p);
      const s = o.spec as {
        template?: { spec: { restartPolicy: string } };
        jobTemplate?: { spec: { template: { spec: { restartPolicy: string } } } };
        schedule?: string;
      };
      const podSpec = s.template?.spec ?? s.jobTemplate!.spec.template.spec;
      expect(podSpec.restartPolicy).toBe('OnFailure');
      if (kind === 'CronJob') expect(s.schedule).toBe('*/5 * * * *');
      expectValid([o]);
    }
  });

  test('a Deployment mounting a ReadWriteOnce claim uses Recreate', () => {
    const ctx = withDialects(new ConvertContext(project({ db: { image: 'postgres' } }), defaultOptions()));
    const [p] = planPods(ctx);
    p!.spec.containers.push({ name: 'db', image: 'postgres' });
    p!.mountsRwoClaim = true;
    expect(spec(buildWorkload(ctx, p!)).strategy).toEqual({ type: 'Recreate' });
  });
});

describe('pipeline', () => {
  test('namespace on every object; Namespace object first when createNamespace', () => {
    const r = run(
      { web: { image: 'x', ports: [{ target: 80, published: '80' }] }, db: { image: 'y', environment: { A: 'b' } } },
      { namespace: 'shop', createNamespace: true },
    );
    expect(r.objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'shop' } });
    for (const o of r.objects.slice(1)) expect(o.metadata.namespace).toBe('shop');
  });

  test('no Namespace object without createNamespace; invalid namespace is an error', () => {
    expect(run({ web: { image: 'x' } }, { namespace: 'shop' }).objects.some((o) => o.kind === 'Namespace')).toBe(false);
    const r = convertProject(project({ web: { image: 'x' } }), { namespace: 'Bad_NS', createNamespace: true });
    expect(r.diagnostics.some((d) => d.code === 'option-invalid')).toBe(true);
  });

  test('objects come out in apply order, by name within a kind', () => {
    const mk = (kind: string, name: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name } });
    const sorted = sortObjects([
      mk('Ingress', 'a'),
      mk('Deployment', 'b'),
      mk('Service', 'z'),
      mk('Deployment', 'a'),
      mk('Widget', 'x'),
      mk('ConfigMap', 'c'),
      mk('Namespace', 'n'),
      mk('PersistentVolumeClaim', 'p'),
    ]);
    expect(sorted.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/n',
      'ConfigMap/c',
      'PersistentVolumeClaim/p',
      'Service/z',
      'Deployment/a',
      'Deployment/b',
      'Ingress/a',
      'Widget/x',
    ]);
  });

  test('output does not depend on the order services were written in', () => {
    const a = convertProject(project({ b: { image: 'x', expose: ['80'] }, a: { image: 'y' } }));
    const b = convertProject(project({ a: { image: 'y' }, b: { image: 'x', expose: ['80'] } }));
    expect(JSON.stringify(a.objects)).toBe(JSON.stringify(b.objects));
  });

  test('a module failure becomes an internal-error diagnostic, not an exception', () => {
    const p = project({ web: { image: 'x' } });
    (p.services.web as unknown as { environment: unknown }).environment = undefined;
    const r = convertProject(p);
    expect(r.diagnostics.some((d) => d.code === 'internal-error')).toBe(true);
  });
});

describe('Jobs', () => {
  type JobSpec = { completions?: number; backoffLimit?: number; template: { spec: { restartPolicy: string } } };

  test('deploy.mode replicated-job → Job with completions = replicas', () => {
    const r = run({
      seed: {
        image: 'x',
        deploy: { mode: 'replicated-job', replicas: 3, restart_policy: { condition: 'on-failure', max_attempts: 2 } },
      },
    });
    const s = obj(r, 'Job', 'seed').spec as JobSpec;
    expect(s.completions).toBe(3);
    expect(s.backoffLimit).toBe(2);
    expect(s.template.spec.restartPolicy).toBe('OnFailure');
    expect(entry(r, 'seed', 'deploy.mode').status).toBe('converted');
    expect(entry(r, 'seed', 'deploy.restart_policy').status).toBe('converted');
  });

  test('restart on-failure:N on a Job → backoffLimit N', () => {
    const r = run({ seed: { image: 'x', restart: 'on-failure:4', deploy: { mode: 'replicated-job' } } });
    const s = obj(r, 'Job', 'seed').spec as JobSpec;
    expect(s.backoffLimit).toBe(4);
    expect(s.template.spec.restartPolicy).toBe('OnFailure');
  });

  test('a service others wait on to complete runs as a Job (restart: no → Never)', () => {
    const r = run({
      migrate: { image: 'app', command: ['migrate'], restart: 'no' },
      app: {
        image: 'app',
        depends_on: { migrate: { condition: 'service_completed_successfully', required: true, restart: false } },
      },
    });
    const s = obj(r, 'Job', 'migrate').spec as JobSpec;
    expect(s.template.spec.restartPolicy).toBe('Never');
    expect(r.objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'migrate')).toBe(false);
    expect(entry(r, 'migrate', 'restart').status).toBe('converted');
    expect(r.diagnostics.some((d) => d.code === 'runs-as-job' && d.severity === 'info')).toBe(true);
    expect(obj(r, 'Deployment', 'app')).toBeDefined();
  });

  test('a service waiting for two containers of one Job pod is named once in its note, as in the controller entry', () => {
    const done = { condition: 'service_completed_successfully' as const, required: true, restart: false };
    const r = run({
      migrate: { image: 'app', command: ['migrate'], restart: 'no' },
      hook: { image: 'app', command: ['notify'], restart: 'no', network_mode: 'service:migrate' },
      web: { image: 'app', depends_on: { migrate: done, hook: done } },
    });
    const notes = r.diagnostics.filter((d) => d.code === 'runs-as-job');
    expect(notes.map((d) => d.message)).toEqual(['service migrate runs as Job/migrate: web waits for it to complete']);
  });
});

describe('user overrides (kompose labels, x-k8s)', () => {
  test('x-k8s controller CronJob with schedule and concurrency policy', () => {
    const r = run({
      backup: {
        image: 'x',
        extensions: {
          'x-k8s': { controller: 'CronJob', cron: { schedule: '0 3 * * *', concurrencyPolicy: 'Forbid' } },
        },
      },
    });
    const s = obj(r, 'CronJob', 'backup').spec as { schedule: string; concurrencyPolicy: string };
    expect(s.schedule).toBe('0 3 * * *');
    expect(s.concurrencyPolicy).toBe('Forbid');
  });

  test('x-k8s replicas wins over deploy.replicas', () => {
    const r = run({ web: { image: 'x', deploy: { replicas: 2 }, extensions: { 'x-k8s': { replicas: 5 } } } });
    expect(spec(obj(r, 'Deployment', 'web')).replicas).toBe(5);
  });

  test('kompose.service.group puts services into one pod', () => {
    const r = run({
      web: { image: 'nginx', labels: { 'kompose.service.group': 'front' } },
      php: { image: 'php-fpm', labels: { 'kompose.service.group': 'front' } },
      db: { image: 'postgres' },
    });
    expect(r.objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(['db', 'php']);
    expect(pod(r, 'php').containers.map((c) => c.name)).toEqual(['php', 'web']);
  });
});

describe('project overrides', () => {
  test('top-level x-k8s namespace applies to every object', () => {
    const p = project({ web: { image: 'x' } });
    p.extensions['x-k8s'] = { namespace: 'team-a', createNamespace: true };
    const r = convertProject(p);
    expectValid(r.objects);
    expect(r.objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'team-a' } });
    expect(obj(r, 'Deployment', 'web').metadata.namespace).toBe('team-a');
  });
});

describe('services renamed to DNS-1123 names', () => {
  test('plausible_db → Service plausible-db: the rename is reported with where peers used the old host name', async () => {
    const { fromYaml } = await import('../../helpers/project.js');
    const p = fromYaml(`
services:
  plausible_db:
    image: postgres:16-alpine
    volumes: [db-data:/var/lib/postgresql/data]
  plausible:
    image: ghcr.io/plausible/community-edition:v3.2.0
    command: sh -c "/entrypoint.sh db migrate && /entrypoint.sh run"
    environment:
      DATABASE_URL: postgres://postgres@plausible_db:5432/plausible_db
    depends_on: [plausible_db]
  Web:
    image: nginx
volumes:
  db-data:
`);
    const r = convertProject(p, {});
    expectValid(r.objects);
    expect(obj(r, 'Service', 'plausible-db')).toBeDefined();
    const e = entry(r, 'plausible_db', 'name');
    expect(e.status).toBe('approximated');
    expect(e.message).toMatch(
      /plausible_db becomes plausible-db.*does not resolve in the cluster \(peers' references rewritten in plausible environment DATABASE_URL\)/,
    );
    expect(e.fix).toMatch(/rename the service to plausible-db/);
    // The peer's URL now names the Service; the database (also called plausible_db) keeps its name.
    expect((obj(r, 'ConfigMap', 'plausible-env') as { data?: Record<string, string> }).data!['DATABASE_URL']).toBe(
      'postgres://postgres@plausible-db:5432/plausible_db',
    );
    // Only the case differs: cluster DNS is case-insensitive, so Web still resolves; nothing to report.
    expect(r.report.entries.filter((x) => x.service === 'Web' && x.key === 'name')).toEqual([]);
    expect(r.report.entries.filter((x) => x.service === 'plausible' && x.key === 'name')).toEqual([]);
  });
});

describe('name collisions', () => {
  test('api and API: the service already named like a Kubernetes name keeps it, the other one is renamed', () => {
    const r = run({
      api: { image: 'ghcr.io/acme/api:2', expose: ['8080'] },
      API: { image: 'ghcr.io/acme/legacy-api:1', expose: ['8080'] },
      web: { image: 'nginx', environment: { API_URL: 'http://api:8080' } },
    });
    expect(template(r, 'api').spec.containers[0]!.image).toBe('ghcr.io/acme/api:2');
    expect(template(r, 'api-2').spec.containers[0]!.image).toBe('ghcr.io/acme/legacy-api:1');
    expect(
      (obj(r, 'Service', 'api').spec as { selector: Record<string, string> }).selector['app.kubernetes.io/name'],
    ).toBe('api');
    expect(entry(r, 'API', 'name').message).toMatch(/api-2 used for API: its sanitized name clashes with api/);
    expect(r.report.entries.filter((e) => e.service === 'api' && e.key === 'name')).toEqual([]);
  });
});
