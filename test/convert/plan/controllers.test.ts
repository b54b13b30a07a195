/**
 * Controller rules (controller.ts, plan.ts, rollout.ts, workloads.ts, podoverrides.ts) on realistic
 * compose files through the real loader; every output is validated like an API server would.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { nodeIO, type CliIO } from '../../../src/cli/common.js';
import { runCli } from '../../../src/cli/main.js';
import { describe, expect, test } from 'vitest';
import type { Container } from 'kubernetes-types/core/v1.js';
import { convertProject } from '../../../src/index.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import type { ConvertResult } from '../../../src/convert/result.js';
import { ConvertContext } from '../../../src/convert/context.js';
import { defaultOptions } from '../../../src/convert/intent/options.js';
import { chooseKind, JOB_TTL_SECONDS, planPods } from '../../../src/convert/plan/plan.js';
import { KUBECTL_IMAGE } from '../../../src/convert/container/startorder.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid, type External } from '../../helpers/validate.js';
import { entries, entry, obj } from '../run.js';
import { withDialects } from '../../helpers/dialects.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;

function conv(yaml: string, options: Partial<ConvertOptions> = {}, external: External = {}): ConvertResult {
  const r = convertProject(fromYaml(yaml), options);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(r.objects, external);
  return r;
}
const spec = (r: ConvertResult, kind: string, name: string): J => obj(r, kind, name).spec as J;
const kinds = (r: ConvertResult, ...only: string[]): string[] =>
  r.objects
    .filter((o) => !only.length || only.includes(o.kind))
    .map((o) => `${o.kind}/${o.metadata.name}`)
    .sort();
const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];
const corpus = new URL('../../../../shared/corpus/kompose/', import.meta.url);
const fixture = (path: string): string | undefined => {
  const u = new URL(path, corpus);
  return existsSync(u) ? readFileSync(u, 'utf8') : undefined;
};

const WORDPRESS = `
services:
  db:
    image: mysql:8.0
    environment: { MYSQL_DATABASE: wp }
    volumes: [db_data:/var/lib/mysql]
    restart: always
  cache:
    image: redis:7
  wordpress:
    image: wordpress:6
    ports: ["8000:80"]
    depends_on: [db, cache]
    volumes: [wp_data:/var/www/html]
volumes:
  db_data: {}
  wp_data: {}
`;

describe('StatefulSet', () => {
  test('a database with a named volume: headless Service, claim template named after the volume, no standalone PVC', () => {
    const r = conv(WORDPRESS);
    expect(kinds(r, ...WORKLOADS)).toEqual(['Deployment/cache', 'Deployment/wordpress', 'StatefulSet/db']);
    const s = spec(r, 'StatefulSet', 'db');
    expect(s.serviceName).toBe('db');
    expect(spec(r, 'Service', 'db').clusterIP).toBe('None');
    expect(s.podManagementPolicy).toBe('OrderedReady');
    expect(s.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(s.replicas).toBe(1);
    expect(s.volumeClaimTemplates.map((t: J) => [t.metadata.name, t.spec.accessModes])).toEqual([
      ['db-data', ['ReadWriteOnce']],
    ]);
    expect(kinds(r, 'PersistentVolumeClaim')).toEqual(['PersistentVolumeClaim/wp-data']);
    const c = s.template.spec.containers[0] as Container;
    expect(c.volumeMounts).toContainEqual({ name: 'db-data', mountPath: '/var/lib/mysql', subPath: 'mysql' });
    expect((s.template.spec.volumes ?? []).some((v: J) => v.name === 'db-data')).toBe(false);
    const e = entry(r, 'db', 'controller');
    expect(e).toMatchObject({ id: 'controller.stateful-image', status: 'converted', objects: ['StatefulSet/db'] });
    expect(e.message).toMatch(/^StatefulSet: mysql keeps its data on the named volume db_data/);
    expect(e.pos?.line).toBe(4); // the image line
    // Day 2: a volume added later, or a new size, changes the claim templates, which kubectl apply cannot update.
    expect(e.fix).toMatch(/claim templates cannot change.*kubectl delete statefulset db --cascade=orphan first/);
    expect(entry(r, 'wordpress', 'controller')).toMatchObject({ id: 'controller.long-running', path: 'controller' });
    expect(r.report.findings.filter((f) => f.pitfall === 'stateful-without-volume').map((f) => f.service)).toEqual([
      'cache',
    ]);
  });

  test('a database without a volume stays a Deployment, with the lint finding', () => {
    const r = conv('services:\n  db:\n    image: postgres:16\n    environment: { POSTGRES_PASSWORD: x }\n');
    expect(kinds(r, ...WORKLOADS)).toEqual(['Deployment/db']);
    expect(r.report.findings.some((f) => f.pitfall === 'stateful-without-volume' && f.service === 'db')).toBe(true);
  });

  test('the controller entry names the volume at the data directory, an external one or a project directory too', () => {
    const r = conv(
      `
services:
  kafka:
    image: confluentinc/cp-kafka:7.6.0
    volumes: [kafka-log:/var/lib/kafka/log, secrets:/etc/kafka/secrets, kafka:/var/lib/kafka/data]
  db:
    image: supabase/postgres:15.8.1.085
    volumes: [./volumes/db/data:/var/lib/postgresql/data, db-config:/etc/postgresql-custom]
  pg:
    image: postgres:16
    volumes: [pg-config:/etc/postgresql, pg-data:/var/lib/postgresql/data]
volumes: { kafka-log: {}, secrets: {}, kafka: { external: true, name: sentry-kafka }, db-config: {}, pg-config: {}, pg-data: {} }
`,
      {},
      { claims: ['sentry-kafka'] },
    );
    const kafka = entry(r, 'kafka', 'controller');
    expect(kafka).toMatchObject({ id: 'controller.stateful-image-elsewhere', status: 'converted' });
    expect(kafka.message).toContain(
      'mounts the named volume kafka-log, secrets; its data directory /var/lib/kafka/data is on the external volume kafka',
    );
    expect(entry(r, 'db', 'controller').message).toContain(
      'its data directory /var/lib/postgresql/data is the project directory ./volumes/db/data',
    );
    const pg = entry(r, 'pg', 'controller');
    expect(pg).toMatchObject({ id: 'controller.stateful-image' });
    expect(pg.message).toMatch(/^StatefulSet: postgres keeps its data on the named volume pg-data: /);
  });

  test('a database volume another service also mounts stays one shared claim', () => {
    const r = conv(`
services:
  db:
    image: postgres:16
    volumes: [pg:/var/lib/postgresql/data]
  backup:
    image: alpine
    command: ["sleep", "infinity"]
    volumes: [pg:/backup:ro]
volumes: { pg: {} }
`);
    expect(spec(r, 'StatefulSet', 'db').volumeClaimTemplates).toBeUndefined();
    // One ReadWriteOnce claim; the pods are kept on one node (the first by name, backup, leads).
    expect(spec(r, 'PersistentVolumeClaim', 'pg').accessModes).toEqual(['ReadWriteOnce']);
    expect(spec(r, 'StatefulSet', 'db').template.spec.affinity.podAffinity).toBeDefined();
    expect(spec(r, 'StatefulSet', 'db').template.spec.volumes).toContainEqual({
      name: 'pg',
      persistentVolumeClaim: { claimName: 'pg' },
    });
  });

  test('several replicas with a named volume: one claim per replica, reported as no longer shared', () => {
    const r = conv(`
services:
  uploader:
    image: ghcr.io/acme/uploader:2
    deploy: { replicas: 3 }
    volumes: [spool:/var/spool/app]
volumes: { spool: {} }
`);
    const s = spec(r, 'StatefulSet', 'uploader');
    expect(s.replicas).toBe(3);
    expect(s.volumeClaimTemplates.map((t: J) => t.metadata.name)).toEqual(['spool']);
    expect(kinds(r, 'PersistentVolumeClaim')).toEqual([]);
    const e = entry(r, 'uploader', 'controller');
    expect(e).toMatchObject({ id: 'controller.replica-claims', status: 'approximated' });
    expect(e.fix).toContain('ReadWriteMany');
    // Day 2: scaled up from one replica, the Deployment and ClusterIP Service of the earlier conversion are in the way.
    expect(spec(r, 'Service', 'uploader').clusterIP).toBe('None');
    expect(e.fix).toContain('kubectl apply fails on Service uploader (a Service cannot become headless in place)');
    expect(e.fix).toContain('leaves Deployment uploader running: delete both first, and copy the data of claim spool');
    // And its claim templates are fixed from then on: a volume added later needs the StatefulSet deleted (orphaning).
    expect(e.fix).toContain('its claim templates cannot change');
    expect(e.fix).toContain('kubectl delete statefulset uploader --cascade=orphan first');
  });

  test('several replicas sharing a volume with another service keep a Deployment and one claim on one node', () => {
    const r = conv(`
services:
  web:
    image: nginx
    scale: 2
    volumes: [static:/usr/share/nginx/html:ro]
  builder:
    image: node:20
    volumes: [static:/out]
volumes: { static: {} }
`);
    expect(kinds(r, ...WORKLOADS)).toEqual(['Deployment/builder', 'Deployment/web']);
    expect(spec(r, 'PersistentVolumeClaim', 'static').accessModes).toEqual(['ReadWriteOnce']);
    const rwx = conv(
      'services:\n  web:\n    image: nginx\n    scale: 2\n    volumes: [static:/srv:ro]\n  builder:\n    image: node:20\n    volumes: [static:/out]\nvolumes: { static: {} }\n',
      { sharedVolumes: 'rwx' },
    );
    expect(spec(rwx, 'PersistentVolumeClaim', 'static').accessModes).toEqual(['ReadWriteMany']);
  });

  test('an external volume is no reason for a StatefulSet', () => {
    const r = conv(
      'services:\n  db:\n    image: postgres:16\n    volumes: [pg:/var/lib/postgresql/data]\nvolumes:\n  pg: { external: true }\n',
      {},
      { claims: ['pg'] },
    );
    expect(kinds(r, ...WORKLOADS)).toEqual(['Deployment/db']);
  });
});

describe('forced controller', () => {
  test('x-k8s.controller, kompose.controller.type and --controller (which wins), each reported', () => {
    const yaml = `
services:
  web:
    image: nginx
    x-k8s: { controller: StatefulSet }
  agent:
    image: fluent/fluent-bit
    labels: { kompose.controller.type: daemonset }
  db:
    image: postgres:16
    volumes: [pg:/var/lib/postgresql/data]
volumes: { pg: {} }
`;
    const r = conv(yaml);
    expect(kinds(r, ...WORKLOADS)).toEqual(['DaemonSet/agent', 'StatefulSet/db', 'StatefulSet/web']);
    expect(entry(r, 'web', 'controller')).toMatchObject({ id: 'controller.x-k8s', objects: ['StatefulSet/web'] });
    expect(entry(r, 'agent', 'controller')).toMatchObject({
      id: 'controller.kompose-label',
      objects: ['DaemonSet/agent'],
    });
    expect(spec(r, 'Service', 'web').clusterIP).toBe('None');

    const forced = conv(yaml, { controllers: { web: 'Deployment', db: 'Deployment' } });
    expect(kinds(forced, ...WORKLOADS)).toEqual(['DaemonSet/agent', 'Deployment/db', 'Deployment/web']);
    expect(entry(forced, 'db', 'controller')).toMatchObject({ id: 'controller.cli', objects: ['Deployment/db'] });
    expect(spec(forced, 'Deployment', 'db').strategy).toEqual({ type: 'Recreate' });
    expect(kinds(forced, 'PersistentVolumeClaim')).toEqual(['PersistentVolumeClaim/pg']);
  });

  test('kompose.controller.type: statefulset gives any service claim templates and a headless Service', () => {
    const r = conv(`
services:
  app:
    image: acme/app
    ports: ["8080:8080"]
    labels: { kompose.controller.type: statefulset }
    volumes: [state:/state]
volumes: { state: {} }
`);
    expect(spec(r, 'StatefulSet', 'app').volumeClaimTemplates.map((t: J) => t.metadata.name)).toEqual(['state']);
    expect(kinds(r, 'PersistentVolumeClaim')).toEqual([]);
    expect(kinds(r, 'Service')).toEqual(['Service/app']);
    expect(spec(r, 'Service', 'app').clusterIP).toBe('None');
    expect(entry(r, 'app', 'controller').pos?.line).toBe(6);
  });

  test('a StatefulSet name over 52 characters is warned about (pod labels would be too long)', () => {
    const name = 'a'.repeat(53);
    const r = conv(`services:\n  ${name}:\n    image: nginx\n    x-k8s: { controller: StatefulSet }\n`);
    expect(r.diagnostics.find((d) => d.code === 'statefulset-name-too-long')).toMatchObject({ severity: 'warning' });
    expect(
      conv(
        `services:\n  ${name.slice(1)}:\n    image: nginx\n    x-k8s: { controller: StatefulSet }\n`,
      ).diagnostics.some((d) => d.code === 'statefulset-name-too-long'),
    ).toBe(false);
  });

  test('--controller for a service that does not exist is a warning', () => {
    const r = conv('services:\n  web:\n    image: nginx\n', { controllers: { wbe: 'Job' } });
    expect(r.diagnostics.find((d) => d.code === 'controller-unknown-service')).toMatchObject({ severity: 'warning' });
  });

  test('a forced kind against deploy.mode reports the mode as ignored', () => {
    const r = conv(
      'services:\n  agent:\n    image: x\n    deploy: { mode: global }\n    x-k8s: { controller: Deployment }\n',
    );
    expect(entry(r, 'agent', 'deploy.mode')).toMatchObject({ id: 'deploy.mode.overridden', status: 'ignored' });
    expect(entry(r, 'agent', 'deploy.mode').message).toContain('would be a DaemonSet');
  });
});

describe('Job', () => {
  type JobSpec = {
    backoffLimit?: number;
    ttlSecondsAfterFinished?: number;
    template: { spec: { restartPolicy: string } };
  };

  test('restart: "no" with no ports and nothing depending on it → Job run once (Never, backoffLimit 0), deleted an hour after it finishes', () => {
    const r = conv(
      'services:\n  seed:\n    image: ghcr.io/acme/seed:1\n    command: ["seed", "--all"]\n    restart: "no"\n',
    );
    const s = spec(r, 'Job', 'seed') as JobSpec;
    expect(s.template.spec.restartPolicy).toBe('Never');
    expect(s.ttlSecondsAfterFinished).toBe(JOB_TTL_SECONDS);
    // Compose runs it once: without backoffLimit 0 the Job controller would start up to 6 more pods after a failure.
    expect(s.backoffLimit).toBe(0);
    expect(entry(r, 'seed', 'restart')).toMatchObject({ id: 'restart.job-once', status: 'converted' });
    expect(entry(r, 'seed', 'restart').message).toContain('restartPolicy Never, backoffLimit 0');
    const e = entry(r, 'seed', 'controller');
    expect(e.id).toBe('controller.runs-once');
    expect(e.message).toMatch(/^Job: restart: no, /);
    expect(e.message).toContain('ttlSecondsAfterFinished');
    expect(e.pos?.line).toBe(5);
    expect(entry(r, 'seed', 'restart').status).toBe('converted');
    // Day 2: re-applied within the hour with a new image, the Job would be refused (its pod template is immutable).
    expect(e.fix).toContain('until it is deleted 3600s after it finishes');
    expect(e.fix).toContain('kubectl delete job seed first');
  });

  test('restart: on-failure:3 alone is a server (Deployment); as a Job it gives OnFailure with backoffLimit 3', () => {
    const plain = conv('services:\n  report:\n    image: acme/report\n    restart: on-failure:3\n');
    expect(kinds(plain, ...WORKLOADS)).toEqual(['Deployment/report']);
    const r = conv(
      'services:\n  report:\n    image: acme/report\n    restart: on-failure:3\n    x-k8s: { controller: Job }\n',
    );
    const s = spec(r, 'Job', 'report') as JobSpec;
    expect([s.template.spec.restartPolicy, s.backoffLimit]).toEqual(['OnFailure', 3]);
  });

  test('restart: on-failure without a count as a Job retries without end, as compose does; restart unset runs once', () => {
    const r = conv(`
services:
  init:
    image: acme/app
    command: ["app-init"]
    restart: on-failure
  migrate:
    image: acme/app
    command: ["app-init"]
`);
    expect(kinds(r, ...WORKLOADS)).toEqual(['Job/init', 'Job/migrate']);
    const init = spec(r, 'Job', 'init') as JobSpec;
    expect([init.template.spec.restartPolicy, init.backoffLimit]).toEqual(['OnFailure', 2147483647]);
    expect(entry(r, 'init', 'restart')).toMatchObject({ id: 'restart.job-retries', status: 'converted' });
    expect(entry(r, 'init', 'restart').message).toContain('backoffLimit 2147483647');
    // No restart key is compose's "no": one run, no retry (not OnFailure with Kubernetes' 6 retries).
    const migrate = spec(r, 'Job', 'migrate') as JobSpec;
    expect([migrate.template.spec.restartPolicy, migrate.backoffLimit]).toEqual(['Never', 0]);
    expect(entry(r, 'migrate', 'restart')).toMatchObject({ id: 'restart.job-once-default', status: 'converted' });
  });

  test('deploy.restart_policy wins over restart, as in docker compose', () => {
    const r = conv(`
services:
  a:
    image: x
    restart: always
    deploy: { restart_policy: { condition: none } }
  b:
    image: x
    restart: "no"
    deploy: { restart_policy: { condition: any } }
  c:
    image: x
    restart: "no"
    deploy: { restart_policy: { condition: on-failure, max_attempts: 2 } }
    x-k8s: { controller: Job }
`);
    expect(kinds(r, ...WORKLOADS)).toEqual(['Deployment/b', 'Job/a', 'Job/c']);
    expect(spec(r, 'Job', 'c').backoffLimit).toBe(2);
    expect((spec(r, 'Job', 'c') as JobSpec).template.spec.restartPolicy).toBe('OnFailure');
    expect((spec(r, 'Job', 'a') as JobSpec).template.spec.restartPolicy).toBe('Never');
    expect(spec(r, 'Job', 'a').backoffLimit).toBe(0);
    // The entries quote what compose said (condition: none), and say the Job runs once.
    expect(entry(r, 'a', 'controller').message).toContain('Job: deploy.restart_policy.condition: none, no ports');
    expect(entry(r, 'a', 'deploy.restart_policy').message).toMatch(
      /^Job pods restartPolicy Never, backoffLimit 0: it runs once/,
    );
    expect(entry(r, 'a', 'restart').id).toBe('restart.job-restart-policy');
  });

  test('a Job run once that waits for another Job: a failed wait makes a new pod (podFailurePolicy), not a failed run', () => {
    const r = conv(`
services:
  migrate:
    image: acme/app
    command: ["app-init"]
  seed:
    image: acme/app
    command: ["seed"]
    depends_on: { migrate: { condition: service_completed_successfully } }
  web:
    image: acme/app
    depends_on: { seed: { condition: service_completed_successfully } }
`);
    const seed = spec(r, 'Job', 'seed') as JobSpec & { podFailurePolicy?: unknown };
    expect([seed.template.spec.restartPolicy, seed.backoffLimit]).toEqual(['Never', 0]);
    // Under Never the kubelet does not retry the init container; kubectl wait fails until migrate completes.
    expect(seed.podFailurePolicy).toEqual({
      rules: [{ action: 'Ignore', onExitCodes: { containerName: 'wait-for-migrate', operator: 'NotIn', values: [0] } }],
    });
    expect(entry(r, 'seed', 'depends_on.migrate').message).toContain('a failed or timed-out wait makes a new pod');
    // A Deployment's pod restarts its init containers itself: no policy, the kubelet wording.
    expect(spec(r, 'Deployment', 'web')).not.toHaveProperty('podFailurePolicy');
    expect(entry(r, 'web', 'depends_on.seed').message).toContain('retried by the kubelet');
  });

  test('a Job run once that waits for a healthy service: a timed-out wait makes a new pod, not a failed Job', () => {
    const r = conv(`
services:
  db:
    image: postgres:16
    ports: ["5432"]
    healthcheck: { test: ["CMD", "pg_isready"], interval: 5s, timeout: 5s, retries: 5 }
  migrate:
    image: acme/app
    command: python manage.py migrate --noinput
    restart: "no"
    depends_on: { db: { condition: service_healthy } }
  web:
    image: acme/app
    depends_on:
      db: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
`);
    const migrate = spec(r, 'Job', 'migrate');
    expect([migrate.template.spec.restartPolicy, migrate.backoffLimit]).toEqual(['Never', 0]);
    // The wait exits 1 after compose's deadline; under Never that would fail the Job for good (web waits forever).
    expect(migrate.podFailurePolicy).toEqual({
      rules: [{ action: 'Ignore', onExitCodes: { containerName: 'wait-for-db', operator: 'NotIn', values: [0] } }],
    });
    const wait = (migrate.template.spec.initContainers as Container[]).find((c) => c.name === 'wait-for-db')!;
    expect(wait.command![2]).toContain('failing, the Job makes a new pod"; exit 1');
    expect(entry(r, 'migrate', 'depends_on.db').message).toContain('it fails and the Job makes a new pod');
    // A Deployment's pod: the kubelet retries the same wait; no policy.
    const web = spec(r, 'Deployment', 'web');
    expect(web).not.toHaveProperty('podFailurePolicy');
    const webWait = (web.template.spec.initContainers as Container[]).find((c) => c.name === 'wait-for-db')!;
    expect(webWait.command![2]).toContain('failing, the kubelet retries"; exit 1');
    expect(entry(r, 'web', 'depends_on.db').message).toContain('it fails and the kubelet retries it with back-off');
  });

  test('a Job run once waiting for a healthy service on an inferred port: it fails and retries too, never starts early', () => {
    // supabase's minio-createbucket: minio declares no port (9000 is inferred); starting anyway after the deadline
    // would run `mc` against a minio that is not ready, fail the Job for good, and block storage's wait forever.
    const r = conv(`
services:
  minio:
    image: minio/minio
    command: server /data
    healthcheck: { test: ["CMD", "mc", "ready", "local"], interval: 2s, timeout: 10s, retries: 5 }
  createbucket:
    image: minio/mc
    depends_on: { minio: { condition: service_healthy } }
    entrypoint: sh -ec "mc alias set m http://minio:9000 admin secret && mc mb m/data"
  app:
    image: acme/app
    depends_on:
      minio: { condition: service_healthy }
      createbucket: { condition: service_completed_successfully }
`);
    const job = spec(r, 'Job', 'createbucket');
    expect(job.podFailurePolicy).toEqual({
      rules: [{ action: 'Ignore', onExitCodes: { containerName: 'wait-for-minio', operator: 'NotIn', values: [0] } }],
    });
    const wait = (job.template.spec.initContainers as Container[]).find((c) => c.name === 'wait-for-minio')!;
    expect(wait.command![2]).toContain('failing, the Job makes a new pod"; exit 1');
    const msg = entry(r, 'createbucket', 'depends_on.minio').message;
    expect(msg).toContain('minio does not declare it');
    expect(msg).toContain('it fails and the Job makes a new pod');
    expect(msg).not.toContain('starts anyway');
    // A Deployment keeps starting anyway on an inferred port (the kubelet restarts what started too early).
    const app = spec(r, 'Deployment', 'app');
    const appWait = (app.template.spec.initContainers as Container[]).find((c) => c.name === 'wait-for-minio')!;
    expect(appWait.command![2]).toContain('starting anyway"; exit 0');
  });

  test('two containers of a Job pod waiting for the same service: one init container, one podFailurePolicy rule', () => {
    const r = conv(`
services:
  db:
    image: postgres:16
    ports: ["5432"]
    healthcheck: { test: ["CMD", "pg_isready"], interval: 5s, timeout: 5s, retries: 5 }
  migrate:
    image: acme/app
    command: python manage.py migrate --noinput
    restart: "no"
    depends_on: { db: { condition: service_healthy } }
  helper:
    image: acme/helper
    restart: "no"
    network_mode: service:migrate
    depends_on: { db: { condition: service_healthy } }
`);
    const migrate = spec(r, 'Job', 'migrate');
    expect((migrate.template.spec.initContainers as Container[]).map((c) => c.name)).toEqual(['wait-for-db']);
    expect(migrate.podFailurePolicy.rules).toHaveLength(1);
  });

  test('deploy.restart_policy condition none runs once whatever max_attempts says (reported as dropped)', () => {
    const r = conv(
      'services:\n  t:\n    image: x\n    deploy: { restart_policy: { condition: none, max_attempts: 3 } }\n',
    );
    expect(spec(r, 'Job', 't').backoffLimit).toBe(0);
    expect(entry(r, 't', 'deploy.restart_policy')).toMatchObject({
      id: 'deploy.restart_policy.job',
      status: 'approximated',
    });
    expect(entry(r, 't', 'deploy.restart_policy').message).toContain('max_attempts dropped');
  });

  test("a CronJob keeps Kubernetes' retries unless x-k8s.cron sets them", () => {
    const r = conv(
      'services:\n  b:\n    image: x\n    restart: "no"\n    x-k8s:\n      cron: { schedule: "0 3 * * *" }\n',
    );
    expect(spec(r, 'CronJob', 'b')).not.toHaveProperty('jobTemplate.spec.backoffLimit');
  });

  test('restart: "no" stays a Deployment when it has ports or something needs it running (reported)', () => {
    const r = conv(`
services:
  api:
    image: acme/api
    restart: "no"
    ports: ["8080:8080"]
  queue:
    image: acme/queue
    restart: "no"
  worker:
    image: acme/worker
    depends_on: [queue]
  legacy:
    image: acme/legacy
    restart: "no"
  client:
    image: acme/client
    links: ["legacy:old"]
`);
    expect(kinds(r, ...WORKLOADS)).toEqual([
      'Deployment/api',
      'Deployment/client',
      'Deployment/legacy',
      'Deployment/queue',
      'Deployment/worker',
    ]);
    expect(entry(r, 'api', 'restart')).toMatchObject({ id: 'restart.server', status: 'approximated' });
    expect(entry(r, 'api', 'restart').message).toContain('it has ports (api)');
    expect(entry(r, 'queue', 'restart').message).toContain('worker depends on it running');
    expect(entry(r, 'legacy', 'restart').message).toContain('client depends on it running');
  });

  test('a healthcheck or peers that reach it by name mark a server; on-failure without a count is approximated', () => {
    const r = conv(`
services:
  proxy:
    image: caddy:2
    ports: ["80:80"]
    environment:
      CADDYFILE: "reverse_proxy capture:3000"
  capture:
    image: acme/capture
    restart: on-failure
  checker:
    image: acme/checker
    restart: "no"
    healthcheck: { test: ["CMD", "true"] }
  janitor:
    image: acme/janitor
    restart: on-failure
`);
    // restart: on-failure alone is no evidence of a one-shot task (issue 12): both are Deployments.
    expect(kinds(r, ...WORKLOADS)).toEqual([
      'Deployment/capture',
      'Deployment/checker',
      'Deployment/janitor',
      'Deployment/proxy',
    ]);
    expect(entry(r, 'checker', 'restart').message).toContain('it has a healthcheck');
  });

  test('network_mode: none without a restart that brings it back → Job (nothing can reach it); always → Deployment', () => {
    const r = conv(`
services:
  genkeys:
    image: acme/kibana
    command: [bin/kibana-encryption-keys, generate]
    network_mode: none
  scrub:
    image: acme/scrubber
    network_mode: none
    restart: on-failure
  sandbox:
    image: acme/sandbox
    network_mode: none
    restart: always
  worker:
    image: acme/worker
`);
    expect(kinds(r, ...WORKLOADS)).toEqual(['Deployment/sandbox', 'Deployment/worker', 'Job/genkeys', 'Job/scrub']);
    expect(entry(r, 'genkeys', 'controller')).toMatchObject({ id: 'controller.no-network', status: 'converted' });
    expect(entry(r, 'genkeys', 'controller').message).toContain('restart: unset, so no');
    expect(entry(r, 'scrub', 'controller').message).toContain('restart: on-failure');
    expect(entry(r, 'sandbox', 'controller')).toMatchObject({ id: 'controller.long-running' });
  });

  test('restart on-failure with the evidence of a task (an <app>-init command) → Job; an init process is no task', () => {
    const r = conv(`
services:
  app-init:
    image: acme/app
    command: ["app-init"]
    restart: on-failure
    volumes: [storage:/opt/app/storage]
  web:
    image: acme/app
    command: ["dumb-init", "--", "puma"]
    restart: on-failure
    volumes: [storage:/opt/app/storage]
  tini:
    image: acme/other
    entrypoint: ["/usr/bin/dumb-init"]
    command: ["run"]
    restart: on-failure
volumes:
  storage: {}
`);
    expect(kinds(r, ...WORKLOADS)).toEqual(['Deployment/tini', 'Deployment/web', 'Job/app-init']);
    expect(entry(r, 'app-init', 'controller')).toMatchObject({ id: 'controller.one-shot' });
    expect(entry(r, 'app-init', 'controller').message).toContain("runs the app's init task");
    // The pods sharing the ReadWriteOnce claim, the Job included, carry its label and require each other's node:
    // whichever schedules first takes the claim; a finished Job's pod no longer counts, so web is never held.
    const pod = (name: string, kind: string) => (spec(r, kind, name) as J).template;
    for (const [name, kind] of [
      ['web', 'Deployment'],
      ['app-init', 'Job'],
    ] as const) {
      expect(pod(name, kind).metadata.labels['compose2k8s.io/claims-app-init']).toBe('true');
      expect(pod(name, kind).spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
        {
          labelSelector: { matchLabels: { 'compose2k8s.io/claims-app-init': 'true' } },
          topologyKey: 'kubernetes.io/hostname',
        },
      ]);
    }
  });

  test("frappe's migrator (bench migrate, restart on-failure:5) → a Job that retries 5 times, not a Deployment", () => {
    // A Deployment re-ran `bench --site all migrate` after every successful exit, putting the sites into maintenance
    // mode each time; frappe's worker (bench worker) stays a Deployment.
    const r = conv(`
services:
  migrator:
    image: frappe/erpnext:v16.32.3
    entrypoint: [bash, -c]
    command:
      - >
        if [ "$$MIGRATE_SITES" != "true" ]; then exit 0; fi;
        bench --site all migrate;
    restart: on-failure:5
    volumes: [sites:/srv/frappe-bench/sites]
  queue-short:
    image: frappe/erpnext:v16.32.3
    command: [bench, worker, --queue, short]
    restart: on-failure
    volumes: [sites:/srv/frappe-bench/sites]
volumes:
  sites: {}
`);
    expect(kinds(r, ...WORKLOADS)).toEqual(['Deployment/queue-short', 'Job/migrator']);
    expect(entry(r, 'migrator', 'controller')).toMatchObject({ id: 'controller.one-shot', status: 'converted' });
    expect(entry(r, 'migrator', 'controller').message).toContain('runs Frappe site migrations (bench migrate)');
    expect((spec(r, 'Job', 'migrator') as J).backoffLimit).toBe(5);
  });

  test('a single curl/wget request (or curlimages/curl given its arguments) → Job; a poller or a second command → not', () => {
    const r = conv(`
services:
  create-index:
    image: curlimages/curl:8.8.0
    command: ["curl", "-fsS", "-XPUT", "http://search:9200/app"]
  put-mapping:
    image: curlimages/curl:8.8.0
    command: ["-fsS", "-XPUT", "http://search:9200/app/_mapping"]
  fetch:
    image: alpine
    command: ["sh", "-c", "wget -qO /data/seed.json http://files/seed.json"]
  poller:
    image: curlimages/curl:8.8.0
    command: ["sh", "-c", "while true; do curl -fsS http://search:9200/; sleep 60; done"]
  chained:
    image: alpine
    command: ["sh", "-c", "curl -fsS http://search:9200/ && exec crond -f"]
  kept:
    image: curlimages/curl:8.8.0
    command: ["curl", "-fsS", "http://search:9200/"]
    restart: always
  search:
    image: acme/search
`);
    expect(kinds(r, ...WORKLOADS)).toEqual([
      'Deployment/chained',
      'Deployment/kept',
      'Deployment/poller',
      'Deployment/search',
      'Job/create-index',
      'Job/fetch',
      'Job/put-mapping',
    ]);
    expect(entry(r, 'create-index', 'controller')).toMatchObject({ id: 'controller.one-shot', status: 'converted' });
    expect(entry(r, 'create-index', 'controller').message).toContain(
      'its command (curl -fsS -XPUT http://search:9200/app) makes a single HTTP request',
    );
    expect(entry(r, 'put-mapping', 'controller').message).toContain('run by curl in image curlimages/curl');
  });

  test('a script of curl/wget requests and messages → Job; one with another program or a loop → not', () => {
    const r = conv(`
services:
  setup:
    image: curlimages/curl:8.10.1
    command: ["sh", "-c", "curl -sf -XPOST http://search:9200/_security/user/x -d '{}' ; echo done"]
  served:
    image: alpine
    command: ["sh", "-c", "curl -fsS http://search:9200/ ; nginx -g 'daemon off;'"]
  looped:
    image: alpine
    command: ["sh", "-c", "until curl -fsS http://search:9200/; do sleep 5; done; echo up"]
  search:
    image: acme/search
`);
    expect(kinds(r, ...WORKLOADS)).toEqual([
      'Deployment/looped',
      'Deployment/search',
      'Deployment/served',
      'Job/setup',
    ]);
    expect(entry(r, 'setup', 'controller').message).toContain('makes HTTP requests (curl/wget)');
  });

  test('restart "no" with replicas, update_config or a disabled healthcheck', () => {
    const r = conv(`
services:
  many:
    image: x
    restart: "no"
    deploy: { replicas: 3 }
  rolling:
    image: x
    restart: "no"
    deploy: { update_config: { parallelism: 1 } }
  once:
    image: x
    restart: "no"
    healthcheck: { test: ["NONE"] }
`);
    // replicas and rolling updates are server signs; a healthcheck switched off is none (one rule, model/healthcheck.ts).
    expect(kinds(r, ...WORKLOADS)).toEqual(['Deployment/many', 'Deployment/rolling', 'Job/once']);
    expect(entry(r, 'many', 'restart').message).toContain('3 replicas');
  });

  test('a Job others wait for keeps no TTL, and start order really waits for it (kubectl wait)', () => {
    const r = conv(`
services:
  migrate:
    image: acme/app
    command: ["migrate"]
    restart: "no"
  web:
    image: acme/app
    ports: ["80:8000"]
    depends_on:
      migrate: { condition: service_completed_successfully }
`);
    expect((spec(r, 'Job', 'migrate') as JobSpec).ttlSecondsAfterFinished).toBeUndefined();
    expect(entry(r, 'migrate', 'controller')).toMatchObject({ id: 'controller.completion-waiters' });
    expect(entry(r, 'migrate', 'controller').message).toContain('web waits for it to complete');
    const inits = spec(r, 'Deployment', 'web').template.spec.initContainers as Container[];
    expect(inits.map((c) => [c.name, c.image])).toEqual([['wait-for-migrate', KUBECTL_IMAGE]]);
    expect(entry(r, 'web', 'depends_on.migrate').message).toContain('runs as Job/migrate');
    // Day 2: the kept Job stands in the way of its edited version (a migration with a new image tag): the fix says so.
    expect(entry(r, 'migrate', 'controller').fix).toMatch(
      /cannot be applied over this one.*field is immutable.*kubectl delete job migrate first/,
    );
    // A Deployment's pod template can change: nothing to do on re-apply.
    expect(entry(r, 'web', 'controller').fix).toBeUndefined();
  });

  test('chooseKind(ctx, svc) answers with what planning chose, before and after planPods alike', () => {
    const p = fromYaml(
      'services:\n  db:\n    image: postgres\n    volumes: [pg:/var/lib/postgresql/data]\n  side:\n    image: busybox\n    network_mode: service:db\nvolumes: { pg: {} }\n',
    );
    const ctx = withDialects(new ConvertContext(p, defaultOptions()));
    expect(chooseKind(ctx, p.services.db!)).toBe('StatefulSet');
    expect(chooseKind(ctx, p.services.side!)).toBe('StatefulSet');
    const plans = planPods(ctx);
    expect(plans.map((x) => [x.main.name, x.kind])).toEqual([['db', 'StatefulSet']]);
    expect(planPods(ctx)).toBe(plans); // planned once per conversion
    expect(ctx.entries.filter((e) => e.service === 'db' && e.key === 'controller')).toHaveLength(1);
  });

  test('deploy.mode global-job → a single Job, reported unsupported; global → DaemonSet', () => {
    const r = conv(
      'services:\n  prune:\n    image: docker:cli\n    deploy: { mode: global-job }\n  agent:\n    image: x\n    deploy: { mode: global }\n',
    );
    expect(kinds(r, ...WORKLOADS)).toEqual(['DaemonSet/agent', 'Job/prune']);
    expect(entry(r, 'prune', 'deploy.mode')).toMatchObject({ id: 'deploy.mode.global-job', status: 'unsupported' });
    expect(entry(r, 'prune', 'controller')).toMatchObject({ id: 'controller.global-job', status: 'unsupported' });
    expect(entry(r, 'agent', 'controller')).toMatchObject({ id: 'controller.global', objects: ['DaemonSet/agent'] });
  });
});

describe('CronJob', () => {
  const kompose = fixture('cronjob/compose.yaml');
  test.runIf(kompose !== undefined)(
    'the kompose cronjob fixture: schedule, concurrency policy, backoff limit, restartPolicy Never',
    () => {
      const r = conv(kompose!);
      const s = spec(r, 'CronJob', 'challenge');
      expect(s).toMatchObject({
        schedule: '* * * * *',
        concurrencyPolicy: 'Forbid',
        jobTemplate: { spec: { backoffLimit: 0 } },
      });
      expect(s.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
      expect(entry(r, 'challenge', 'controller').message).toContain('cron schedule "* * * * *"');
    },
  );

  test('x-k8s.cron', () => {
    const r = conv(
      'services:\n  backup:\n    image: acme/backup\n    x-k8s:\n      cron: { schedule: "0 3 * * *", concurrencyPolicy: Replace, backoffLimit: 2 }\n',
    );
    expect(spec(r, 'CronJob', 'backup')).toMatchObject({
      schedule: '0 3 * * *',
      concurrencyPolicy: 'Replace',
      jobTemplate: { spec: { backoffLimit: 2 } },
    });
  });
});

describe('deploy.update_config', () => {
  const withUpdate = (u: string, extra = ''): ConvertResult =>
    conv(
      `services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n    deploy:\n      replicas: 4\n      update_config: ${u}\n${extra}`,
    );

  test('stop-first: maxSurge 0, maxUnavailable = parallelism; start-first the other way round; parallelism 0 = all', () => {
    expect(spec(withUpdate('{ parallelism: 2 }'), 'Deployment', 'web').strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 2 },
    });
    const sf = withUpdate('{ parallelism: 2, order: start-first }');
    expect(spec(sf, 'Deployment', 'web').strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 2, maxUnavailable: 0 },
    });
    expect(entry(sf, 'web', 'deploy.update_config').status).toBe('converted');
    expect(spec(withUpdate('{ parallelism: 0 }'), 'Deployment', 'web').strategy.rollingUpdate).toEqual({
      maxSurge: 0,
      maxUnavailable: '100%',
    });
  });

  test('delay → minReadySeconds, rollback/monitor reported approximated', () => {
    const r = withUpdate('{ delay: 10s, monitor: 30s, failure_action: rollback }');
    const s = spec(r, 'Deployment', 'web');
    expect(s.minReadySeconds).toBe(10);
    const e = entry(r, 'web', 'deploy.update_config');
    expect(e.status).toBe('approximated');
    expect(e.message).toContain('minReadySeconds 10');
    expect(e.message).toContain('not rolled back');
    expect(e.message).toContain('monitor 30s dropped');
  });

  test('a ReadWriteOnce claim forces Recreate, which overrides update_config (reported ignored)', () => {
    const r = conv(`
services:
  app:
    image: acme/app
    volumes: [data:/data]
    deploy: { update_config: { order: start-first } }
volumes: { data: {} }
`);
    expect(spec(r, 'Deployment', 'app').strategy).toEqual({ type: 'Recreate' });
    expect(entry(r, 'app', 'deploy.update_config')).toMatchObject({ status: 'ignored' });
  });

  test('a hostNetwork Deployment uses Recreate: a surge pod beside the old one could not bind its ports', () => {
    const r = conv(`
services:
  plex:
    image: linuxserver/plex
    network_mode: host
  web:
    image: acme/web
    network_mode: host
    deploy: { update_config: { order: start-first } }
`);
    expect(spec(r, 'Deployment', 'plex').strategy).toEqual({ type: 'Recreate' });
    expect(entry(r, 'plex', 'network_mode')).toMatchObject({
      id: 'network_mode.host-recreate',
      status: 'approximated',
    });
    expect(spec(r, 'Deployment', 'web').strategy).toEqual({ type: 'Recreate' });
    expect(entry(r, 'web', 'deploy.update_config')).toMatchObject({
      id: 'deploy.update_config.recreate-host-network',
      status: 'ignored',
    });
  });

  test('StatefulSet: in place, parallelism → maxUnavailable (feature gate), start-first impossible', () => {
    const r = conv(`
services:
  kafka:
    image: apache/kafka:3.7.0
    volumes: [kdata:/var/lib/kafka/data]
    deploy: { replicas: 3, update_config: { parallelism: 2, order: start-first, delay: 5s } }
volumes: { kdata: {} }
`);
    const s = spec(r, 'StatefulSet', 'kafka');
    expect(s.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } });
    expect(s.minReadySeconds).toBe(5);
    const e = entry(r, 'kafka', 'deploy.update_config');
    expect(e.status).toBe('approximated');
    expect(e.message).toContain('start-first cannot apply');
    expect(e.message).toContain('MaxUnavailableStatefulSet');
  });

  test('DaemonSet: start-first surges, unless the pod binds host ports', () => {
    const ds = (ports: string): ConvertResult =>
      conv(
        `services:\n  agent:\n    image: acme/agent\n${ports}    deploy: { mode: global, update_config: { order: start-first } }\n`,
      );
    expect(spec(ds(''), 'DaemonSet', 'agent').updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    const host = ds('    network_mode: host\n');
    expect(spec(host, 'DaemonSet', 'agent').updateStrategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(entry(host, 'agent', 'deploy.update_config').message).toContain('binds host ports');
  });

  test('a Deployment binding host ports does not surge: its surge pod would find the port taken', () => {
    const r = conv(`
services:
  lb:
    image: haproxy:3.0
    ports: ["80:8080"]
    labels: { kompose.controller.port.expose: "true" }
  edge:
    image: traefik:v3.1
    ports: ["443:443"]
    x-k8s: { hostPorts: true }
    deploy: { replicas: 2, update_config: { parallelism: 2, order: start-first } }
  plain:
    image: nginx
    ports: ["8081:80"]
`);
    // no update_config: not the Kubernetes default (25% surge), one pod at a time instead, said under update_config
    expect(spec(r, 'Deployment', 'lb').template.spec.containers[0].ports[0].hostPort).toBe(80);
    expect(spec(r, 'Deployment', 'lb').strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    expect(entry(r, 'lb', 'deploy.update_config')).toMatchObject({
      id: 'deploy.update_config.host-ports',
      status: 'converted',
    });
    expect(entry(r, 'lb', 'deploy.update_config').message).toContain('binds host ports');
    // start-first: stop-first, update_config's batch as maxUnavailable
    expect(spec(r, 'Deployment', 'edge').strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 2 });
    expect(entry(r, 'edge', 'deploy.update_config')).toMatchObject({
      id: 'deploy.update_config.rolling-partial',
      status: 'approximated',
    });
    expect(entry(r, 'edge', 'deploy.update_config').message).toContain('start-first is replaced by stop-first');
    // without host ports: the Kubernetes default, nothing reported
    expect(spec(r, 'Deployment', 'plain').strategy).toBeUndefined();
    expect(entries(r, 'plain', 'deploy.update_config')).toEqual([]);
  });

  test('a Job ignores update_config', () => {
    const r = conv(
      'services:\n  once:\n    image: x\n    restart: "no"\n    deploy: { update_config: { parallelism: 2 } }\n    x-k8s: { controller: Job }\n',
    );
    expect(entry(r, 'once', 'deploy.update_config')).toMatchObject({ status: 'ignored' });
  });
});

describe('HorizontalPodAutoscaler', () => {
  type Hpa = { minReplicas: number; maxReplicas: number; metrics: J[]; scaleTargetRef: J };
  const kompose = fixture('hpa/compose.yaml');
  test.runIf(kompose !== undefined)(
    'the kompose hpa fixture: min, max, cpu and memory; the Deployment leaves replicas to it',
    () => {
      const r = conv(kompose!);
      const h = spec(r, 'HorizontalPodAutoscaler', 'web') as Hpa;
      expect([h.minReplicas, h.maxReplicas]).toEqual([1, 10]);
      expect(h.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
      expect(h.metrics.map((m) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
        ['cpu', 50],
        ['memory', 70],
      ]);
      expect(spec(r, 'Deployment', 'web').replicas).toBeUndefined();
      expect(entry(r, 'web', 'autoscaling')).toMatchObject({
        status: 'converted',
        objects: ['Deployment/web', 'HorizontalPodAutoscaler/web'],
      });
    },
  );

  test('x-k8s.hpa on a StatefulSet; deploy.replicas outside the range is reported', () => {
    const r = conv(`
services:
  db:
    image: postgres:16
    volumes: [pg:/var/lib/postgresql/data]
    deploy: { replicas: 6 }
    x-k8s: { hpa: { minReplicas: 2, maxReplicas: 4, memory: 512Mi } }
volumes: { pg: {} }
`);
    const h = spec(r, 'HorizontalPodAutoscaler', 'db') as Hpa;
    expect(h.scaleTargetRef.kind).toBe('StatefulSet');
    expect(h.metrics).toEqual([
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } },
    ]);
    expect(spec(r, 'StatefulSet', 'db').replicas).toBeUndefined();
    const e = entry(r, 'db', 'autoscaling');
    expect(e.status).toBe('approximated');
    expect(e.message).toContain('replicas 6 is outside 2-4');
    expect(entry(r, 'db', 'deploy.replicas').message).toContain('the HorizontalPodAutoscaler owns the count');
  });

  test('without min, the compose replicas are the minimum', () => {
    const r = conv(
      'services:\n  web:\n    image: nginx\n    deploy: { replicas: 3 }\n    x-k8s: { hpa: { cpu: 60 } }\n',
    );
    const h = spec(r, 'HorizontalPodAutoscaler', 'web') as Hpa;
    expect([h.minReplicas, h.maxReplicas]).toEqual([3, 6]);
  });

  test('a Job cannot be autoscaled: warned, reported ignored, no HPA', () => {
    const r = conv('services:\n  once:\n    image: x\n    restart: "no"\n    x-k8s: { hpa: { cpu: 60 } }\n');
    expect(kinds(r, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(entries(r, 'once', 'autoscaling').map((e) => e.status)).toEqual(['ignored']);
    expect(r.diagnostics.some((d) => d.code === 'hpa-not-scalable')).toBe(true);
  });
});

describe('compose2k8s --controller SERVICE=KIND', () => {
  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'c2k-ctl-'));
    try {
      writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n  cache:\n    image: redis:7\n');
      let out = '';
      let err = '';
      const io: CliIO = {
        ...nodeIO(),
        cwd: dir,
        env: {},
        stdout: (t) => void (out += t),
        stderr: (t) => void (err += t),
      };
      const code = await runCli(args, io);
      return { code, out, err };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const workloads = (text: string): string[] =>
    parseAllDocuments(text)
      .map((d) => d.toJS() as { kind: string; metadata: { name: string } })
      .filter((o) => WORKLOADS.includes(o.kind))
      .map((o) => `${o.kind}/${o.metadata.name}`)
      .sort();

  test('repeatable, kind case-insensitive', async () => {
    const r = await cli('--controller', 'cache=statefulset', '--controller', 'web=DaemonSet', '--report', 'none');
    expect(r.code).toBe(0);
    expect(workloads(r.out)).toEqual(['DaemonSet/web', 'StatefulSet/cache']);
  });

  test('a bad value is a usage error', async () => {
    const r = await cli('--controller', 'cache=pod');
    expect(r.code).toBe(2);
    expect(r.err).toContain('SERVICE=KIND');
  });
});
