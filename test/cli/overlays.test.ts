/**
 * `--overlay` through the CLI, checked with the real tools: for every environment, `kubectl kustomize
 * overlays/NAME` and `helm template -f values-NAME.yaml` render the objects of the plain conversion of base +
 * override (`-f compose.yaml -f compose.prod.yaml`, or `--profile P`); the chart's values.schema.json refuses
 * mistyped and misspelt values; --check sees drift anywhere in the tree. Multi-file projects of the real-world
 * corpus are checked the same way.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  byRef,
  modGeneratorHashes,
  parseStream,
  runTool,
  toolAvailable,
  withoutHelmLabels,
  type Obj,
} from '../render/render-tools.js';
import { runIn } from '../helpers/cli.js';
import { loadSample, samples, SAMPLES } from '../helpers/samples.js';

const BASE = `name: shop
services:
  web:
    image: ghcr.io/example/web:1.0
    ports: ["8080:80"]
    environment:
      MODE: dev
    depends_on: [api]
  api:
    image: ghcr.io/example/api:1.0
    expose: ["9000"]
    environment:
      LOG_LEVEL: debug
  db:
    image: postgres:16
    volumes: [pgdata:/var/lib/postgresql/data]
  debug:
    image: busybox
    command: ["sleep", "infinity"]
    profiles: [debug]
volumes:
  pgdata:
`;

/** Only values change, objects are added: both formats carry it. */
const PROD = `services:
  web:
    image: ghcr.io/example/web:1.4
    environment:
      MODE: production
      CDN_URL: https://cdn.example.com
    deploy:
      replicas: 3
      resources:
        limits: {cpus: "1", memory: 512M}
  api:
    image: ghcr.io/example/api:2.0
  cache:
    image: redis:7
`;

/** A published port (a new Service: a value) and a command (beyond the chart's values). */
const STAGING = `services:
  api:
    ports: ["9443:9000"]
    command: ["api", "--verbose"]
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'c2k-overlays-'));
  writeFileSync(join(dir, 'compose.yaml'), BASE);
  writeFileSync(join(dir, 'compose.prod.yaml'), PROD);
  writeFileSync(join(dir, 'compose.staging.yaml'), STAGING);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runIn(dir, args);

/** `kubectl kustomize` output and a plain conversion, compared modulo the generators' hash suffixes. */
function expectSameObjects(built: Obj[], want: Obj[]): void {
  const m = modGeneratorHashes(built, want);
  expect(byRef(m.built)).toEqual(byRef(m.expected));
}

/** The plain conversion's objects (stdout of `compose2k8s ARGS`); `warnings`: the project has some (corpus). */
async function plain(cwd: string, args: string[], warnings = false): Promise<Obj[]> {
  const r = await runIn(cwd, [...args, '--report', 'none']);
  if (!warnings) expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return parseStream(r.out);
}

/**
 * Without Helm's labels and the namespace: the chart puts objects (and a RoleBinding's ServiceAccount subjects) in
 * the release namespace, a plain conversion without -n leaves both to the namespace applied to.
 */
const noNamespace = (o: Obj): Obj => {
  const x = withoutHelmLabels(o) as Obj;
  const { namespace: _ns, ...metadata } = x.metadata as Obj['metadata'] & { namespace?: string };
  const subjects = (x as { subjects?: Array<Record<string, unknown>> }).subjects?.map(({ namespace: _sns, ...s }) => s);
  return { ...x, metadata, ...(subjects ? { subjects } : {}) } as Obj;
};

/** `helm lint --strict` of a chart, with a values file or without: no error, no warning. */
function expectLintClean(chart: string, values: string[] = []): void {
  const lint = runTool('helm', ['lint', '--strict', chart, ...values]);
  expect(lint.stdout + lint.stderr).not.toMatch(/\[(ERROR|WARNING)\]/);
  expect(lint.status).toBe(0);
}

/** `helm template` of a chart (with a values file or without) against the objects of a plain conversion. */
function expectHelmRenders(chart: string, values: string[], want: Obj[]): void {
  const t = runTool('helm', ['template', 'rel', chart, ...values]);
  expect(t.stderr).toBe('');
  expect(byRef(parseStream(t.stdout).map(noNamespace))).toEqual(byRef(want.map(noNamespace)));
}

describe('--overlay usage', () => {
  it('refuses bad specs and formats that write no tree (exit 2)', async () => {
    for (const bad of ['prod', 'Prod=compose.prod.yaml', 'base=compose.prod.yaml', 'x=profile:', 'x=-']) {
      const r = await run('--format', 'kustomize', '-o', 'k', '--overlay', bad);
      expect(r.code, bad).toBe(2);
    }
    const twice = await run('--format', 'kustomize', '-o', 'k', '--overlay', 'a=x.yaml', '--overlay', 'a=y.yaml');
    expect(twice.code).toBe(2);
    expect(twice.err).toMatch(/given twice/);
    const yaml = await run('--overlay', 'prod=compose.prod.yaml');
    expect(yaml.code).toBe(2);
    expect(yaml.err).toMatch(/error usage: --overlay needs --format kustomize or --format helm/);
    const missing = await run('--format', 'kustomize', '-o', 'k', '--overlay', 'prod=nope.yaml');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.yaml/);
    expect(existsSync(join(dir, 'k'))).toBe(false);
  });

  it('names the profile of an overlay that cannot be converted (exit 2, nothing written)', async () => {
    // The debug service needs a service of another profile: only the overlay that enables debug fails.
    const compose = BASE.replace('profiles: [debug]', 'profiles: [debug]\n    depends_on: [tools]').replace(
      'volumes:\n  pgdata',
      '  tools:\n    image: busybox\n    profiles: [tools]\nvolumes:\n  pgdata',
    );
    writeFileSync(join(dir, 'compose.yaml'), compose);
    const args = ['--format', 'kustomize', '-o', 'k', '--overlay', 'prod=compose.prod.yaml'];
    const r = await run(...args, '--overlay', 'dev=profile:debug');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error profile-disabled-dependency: service "debug" needs service "tools"/);
    expect(r.err).toMatch(/error usage: the dev overlay \(profile:debug\) could not be converted\n$/);
    expect(existsSync(join(dir, 'k'))).toBe(false);
  });
});

describe.skipIf(!toolAvailable('kubectl'))('--format kustomize --overlay', () => {
  it('each overlay builds to the plain conversion of base + override, and --check sees drift in the tree', async () => {
    const overlays = ['--overlay', 'prod=compose.prod.yaml,compose.staging.yaml', '--overlay', 'dev=profile:debug'];
    const w = await run('--format', 'kustomize', '-o', 'k8s', '--report', 'none', ...overlays);
    expect(w.code).toBe(0);
    const cases: Array<[string, string[]]> = [
      ['base', ['-f', 'compose.yaml']],
      ['overlays/prod', ['-f', 'compose.yaml', '-f', 'compose.prod.yaml', '-f', 'compose.staging.yaml']],
      ['overlays/dev', ['--profile', 'debug']],
    ];
    for (const [sub, args] of cases) {
      const k = runTool('kubectl', ['kustomize', join(dir, 'k8s', sub)]);
      expect(k.stderr).toBe('');
      expectSameObjects(parseStream(k.stdout), await plain(dir, args));
    }
    // The dev overlay only adds the debug service's objects.
    expect(readFileSync(join(dir, 'k8s/overlays/dev/kustomization.yaml'), 'utf8')).not.toMatch(/patches:/);
    const ok = await run('--format', 'kustomize', '--check', 'k8s', '--report', 'none', ...overlays);
    expect(ok.code).toBe(0);
    writeFileSync(join(dir, 'k8s/overlays/prod/patches/deployment-web.yaml'), '[]\n');
    const drift = await run('--format', 'kustomize', '--check', 'k8s', '--report', 'none', ...overlays);
    expect(drift.code).toBe(1);
    expect(drift.err).toMatch(/changed: overlays\/prod\/patches\/deployment-web\.yaml/);
  });
});

describe.skipIf(!toolAvailable('helm'))('--format helm --overlay', () => {
  it('helm template -f values-NAME.yaml renders the plain conversion; the schema refuses bad values', async () => {
    const w = await run(
      '--format',
      'helm',
      '-o',
      'chart',
      '--overlay',
      'prod=compose.prod.yaml',
      '--overlay',
      'dev=profile:debug',
    );
    expect(w.err).not.toMatch(/overlay-outside-values/);
    expect(w.code).toBe(0);
    const chart = join(dir, 'chart');
    const lint = runTool('helm', ['lint', '--strict', chart]);
    expect(lint.stdout + lint.stderr).not.toMatch(/\[(ERROR|WARNING)\]/);
    expect(lint.status).toBe(0);
    const cases: Array<[string[], string[]]> = [
      [[], ['-f', 'compose.yaml']],
      [
        ['-f', join(chart, 'values-prod.yaml')],
        ['-f', 'compose.yaml', '-f', 'compose.prod.yaml'],
      ],
      [
        ['-f', join(chart, 'values-dev.yaml')],
        ['--profile', 'debug'],
      ],
    ];
    for (const [values, args] of cases) {
      const t = runTool('helm', ['template', 'rel', chart, ...values]);
      expect(t.stderr).toBe('');
      expect(byRef(parseStream(t.stdout).map(noNamespace))).toEqual(byRef((await plain(dir, args)).map(noNamespace)));
    }
    // values-prod.yaml holds only what prod changes: web's and api's images, web's replicas, env and resources.
    const prod = readFileSync(join(chart, 'values-prod.yaml'), 'utf8');
    expect(prod).toMatch(/replicas: 3/);
    expect(prod).not.toMatch(/^db:/m);
    for (const [set, why] of [
      ['api.replicas=two', /got string, want integer/],
      ['api.replica=2', /additional properties 'replica' not allowed/],
      ['webb.replicas=2', /additional properties 'webb' not allowed/],
    ] as const) {
      const t = runTool('helm', ['template', 'rel', chart, '--set', set]);
      expect(t.status, set).not.toBe(0);
      expect(t.stderr).toMatch(why);
    }
    const check = await run(
      '--format',
      'helm',
      '--check',
      'chart',
      '--report',
      'none',
      '--overlay',
      'prod=compose.prod.yaml',
      '--overlay',
      'dev=profile:debug',
    );
    expect(check.code).toBe(0);
    writeFileSync(join(chart, 'values-dev.yaml'), 'objects: {}\n');
    const drift = await run(
      '--format',
      'helm',
      '--check',
      'chart',
      '--report',
      'none',
      '--overlay',
      'prod=compose.prod.yaml',
      '--overlay',
      'dev=profile:debug',
    );
    expect(drift.code).toBe(1);
    expect(drift.err).toMatch(/changed: values-dev\.yaml/);
  });

  it('lifts what an override changes beyond the usual values (a command, ports) into readable values', async () => {
    const w = await run(
      '--format',
      'helm',
      '-o',
      'chart',
      '--report',
      'none',
      '--overlay',
      'staging=compose.staging.yaml',
    );
    expect(w.err).not.toMatch(/overlay-outside-values/);
    expect(w.code).toBe(0);
    const chart = join(dir, 'chart');
    expectLintClean(chart);
    expectLintClean(chart, ['-f', join(chart, 'values-staging.yaml')]);
    expectHelmRenders(chart, [], await plain(dir, ['-f', 'compose.yaml']));
    const staging = await plain(dir, ['-f', 'compose.yaml', '-f', 'compose.staging.yaml']);
    expectHelmRenders(chart, ['-f', join(chart, 'values-staging.yaml')], staging);
    // The command (the container's args) is the api container's value; the base has none, staging sets it.
    const values = readFileSync(join(chart, 'values.yaml'), 'utf8');
    const env = readFileSync(join(chart, 'values-staging.yaml'), 'utf8');
    expect(values).toMatch(/^ {2}containers:\n {4}api: \{\}$/m);
    expect(env).toMatch(/^ {2}containers:\n {4}api:\n {6}args:\n {8}- api\n {8}- --verbose$/m);
    // A lifted field is an ordinary value: --set overrides it, the schema types it.
    const t = runTool('helm', [
      'template',
      'rel',
      chart,
      '-f',
      join(chart, 'values-staging.yaml'),
      '--set',
      'api.containers.api.args={api,--quiet}',
    ]);
    expect(t.stderr).toBe('');
    const api = parseStream(t.stdout).find((o) => o.kind === 'Deployment' && o.metadata.name === 'api') as unknown as {
      spec: { template: { spec: { containers: Array<{ args: string[] }> } } };
    };
    expect(api.spec.template.spec.containers[0]!.args).toEqual(['api', '--quiet']);
    const bad = runTool('helm', ['template', 'rel', chart, '--set', 'api.containers.api.args=5']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/want array/);
  });

  it('Secrets whose keys and references differ by environment: keys are values, existingSecret still applies', async () => {
    writeFileSync(
      join(dir, 'compose.yaml'),
      'name: sec\nservices:\n  app:\n    image: ghcr.io/example/app:1\n    environment:\n      MODE: a\n',
    );
    writeFileSync(join(dir, 'compose.a.yaml'), 'services:\n  app:\n    environment:\n      API_TOKEN: tok-123\n');
    writeFileSync(join(dir, 'compose.b.yaml'), 'services:\n  app:\n    environment:\n      DB_PASSWORD: pw-456\n');
    const w = await run(
      '--format',
      'helm',
      '-o',
      'chart',
      '--report',
      'none',
      '--overlay',
      'a=compose.a.yaml',
      '--overlay',
      'b=compose.b.yaml',
    );
    expect(w.err).not.toMatch(/warning/);
    expect(w.code).toBe(0);
    const chart = join(dir, 'chart');
    expectLintClean(chart);
    expectHelmRenders(chart, [], await plain(dir, ['-f', 'compose.yaml']));
    for (const env of ['a', 'b']) {
      const values = ['-f', join(chart, `values-${env}.yaml`)];
      expectLintClean(chart, values);
      expectHelmRenders(chart, values, await plain(dir, ['-f', 'compose.yaml', '-f', `compose.${env}.yaml`]));
      expect(readFileSync(join(chart, `values-${env}.yaml`), 'utf8')).not.toMatch(/tok-123|pw-456/);
    }
    // b's Secret has only b's key; given an existing Secret, the chart makes none and the pod reads that one.
    const b = ['-f', join(chart, 'values-b.yaml')];
    const secret = parseStream(runTool('helm', ['template', 'rel', chart, ...b]).stdout).find(
      (o) => o.kind === 'Secret',
    );
    expect(Object.keys((secret as unknown as { stringData: object }).stringData)).toEqual(['DB_PASSWORD']);
    const t = runTool('helm', ['template', 'rel', chart, ...b, '--set', 'app.secretEnv.existingSecret=mine']);
    expect(t.stderr).toBe('');
    const objs = parseStream(t.stdout);
    expect(objs.filter((o) => o.kind === 'Secret')).toEqual([]);
    const app = objs.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: Array<{ envFrom: unknown[] }> } } };
    };
    expect(app.spec.template.spec.containers[0]!.envFrom).toEqual([
      { configMapRef: { name: 'app-env' } },
      { secretRef: { name: 'mine' } },
    ]);
  });

  it('says which objects an environment changes beyond the values (overlay-outside-values)', async () => {
    // A second router turns the base's one Ingress rule (its host a value) into two: the rules become the value.
    const router =
      '    labels:\n      traefik.enable: "true"\n      traefik.http.routers.web.rule: Host(`shop.example.com`)\n';
    writeFileSync(
      join(dir, 'compose.yaml'),
      BASE.replace('    depends_on: [api]\n', `    depends_on: [api]\n${router}`),
    );
    writeFileSync(
      join(dir, 'compose.two.yaml'),
      'services:\n  web:\n    labels:\n      traefik.http.routers.admin.rule: Host(`admin.example.com`)\n',
    );
    // A container joining api's pod: the pod's container list holds api's image value, so it cannot be one.
    writeFileSync(join(dir, 'compose.side.yaml'), 'services:\n  db:\n    network_mode: service:api\n');
    const w = await run(
      ...['--format', 'helm', '-o', 'chart', '--report', 'none'],
      ...['--overlay', 'two=compose.two.yaml', '--overlay', 'side=compose.side.yaml'],
    );
    expect(w.code).toBe(0);
    expect(w.err).toMatch(
      /warning overlay-outside-values: the side environment changes [^\n]*Deployment\/api[^\n]* beyond/,
    );
    expect(w.err).not.toMatch(/the two environment/);
    const chart = join(dir, 'chart');
    const two = await plain(dir, ['-f', 'compose.yaml', '-f', 'compose.two.yaml']);
    expectHelmRenders(chart, ['-f', join(chart, 'values-two.yaml')], two);
    expect(readFileSync(join(chart, 'values-two.yaml'), 'utf8')).toMatch(/^web:\n {2}ingress:\n {4}rules:\n/m);
  });

  // Before, the report was the base's alone: appwrite's dev override mounts the Docker socket and a .env file
  // (a placeholder Secret to fill in), and neither the report nor --strict said a word about it.
  // An environment's warnings were dropped (only its errors were said): an unset variable of an override file went
  // unmentioned. The base files' warnings, which every environment's conversion gives again, are said once.
  it("says an environment's own warnings, and the base's once", async () => {
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  api:\n    image: app:${BASE_UNSET}\n');
    writeFileSync(join(dir, 'compose.dev.yaml'), 'services:\n  api:\n    environment:\n      MODE: ${DEV_UNSET}\n');
    writeFileSync(join(dir, 'compose.prod.yaml'), 'services:\n  api:\n    deploy: { replicas: 2 }\n');
    const spec = ['--overlay', 'dev=compose.dev.yaml', '--overlay', 'prod=compose.prod.yaml'];
    const r = await run('--format', 'kustomize', '-o', 'k8s', '--report', 'none', ...spec);
    expect(r.code, r.err).toBe(0);
    const unset = (name: string): number =>
      r.err.split(`warning interpolation-unset: the "${name}" variable`).length - 1;
    expect([unset('BASE_UNSET'), unset('DEV_UNSET')]).toEqual([1, 1]);
    expect(r.err).toContain('compose.dev.yaml:4:7: warning interpolation-unset');
  });

  it("reports what only an environment's conversion reports, marked with its environment; --strict counts it", async () => {
    writeFileSync(
      join(dir, 'compose.dev.yaml'),
      'services:\n  api:\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n',
    );
    const spec = ['--overlay', 'prod=compose.prod.yaml', '--overlay', 'dev=compose.dev.yaml'];
    const r = await run('--format', 'kustomize', '-o', 'k8s', '--report', 'json', ...spec);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.err) as {
      entries: Array<{ service?: string; environment?: string; path: string; status: string; id: string }>;
      summary: Record<string, number>;
    };
    const sock = report.entries.filter((e) => e.id === 'volumes.docker-socket');
    expect(sock).toEqual([expect.objectContaining({ service: 'api', environment: 'dev', status: 'unsupported' })]);
    // An item the base reports the same way is not repeated; prod's new cache service has its own entries.
    expect(report.entries.filter((e) => e.environment === 'dev')).toHaveLength(1);
    expect(report.entries.some((e) => e.environment === 'prod' && e.service === 'cache')).toBe(true);
    expect(report.summary.unsupported).toBe(1);
    const text = await run('--format', 'kustomize', '-o', 'k8s2', ...spec);
    expect(text.err).toMatch(/^api \(dev\) +volumes\[0\] +unsupported +/m);
    const strict = await run('--format', 'helm', '-o', 'chart', '--strict', '--report', 'none', ...spec);
    expect(strict.code).toBe(1);
    expect(existsSync(join(dir, 'chart'))).toBe(false);
  });

  // An environment's own entries kept the plain conversion's fix: `kubectl create secret generic api-env-secret`,
  // a Secret no pod of the overlay reads (the generator's is api-env-secret-<hash>), or one that makes helm install
  // fail (the release does not own it); the base's entries next to them said not to do that.
  it("an environment's Secret is filled as the format says: the overlay's generator files, the chart's values", async () => {
    writeFileSync(
      join(dir, 'compose.dev.yaml'),
      'services:\n  api:\n    environment:\n      API_PASSWORD: s3cr3t-value-123\n',
    );
    const spec = ['--overlay', 'prod=compose.prod.yaml', '--overlay', 'dev=compose.dev.yaml'];
    const fixOf = async (format: string): Promise<string | undefined> => {
      const r = await run('--format', format, '-o', format, '--report', 'json', ...spec);
      expect(r.code, r.err).toBe(0);
      const report = JSON.parse(r.err) as { entries: Array<{ environment?: string; path: string; fix?: string }> };
      const hits = report.entries.filter((e) => e.path === 'environment.API_PASSWORD');
      expect(hits).toEqual([expect.objectContaining({ environment: 'dev' })]);
      return hits[0]!.fix;
    };
    const kustomize = await fixOf('kustomize');
    expect(kustomize).toMatch(
      /^fill kustomize\/overlays\/dev\/secret-api-env-secret\.env and run kubectl apply -k kustomize\/overlays\/dev, not kubectl create secret/,
    );
    expect(existsSync(join(dir, 'kustomize/overlays/dev/secret-api-env-secret.env'))).toBe(true);
    const helm = await fixOf('helm');
    expect(helm).toMatch(/--set-string api\.secretEnv\.values\.API_PASSWORD=\.\.\./);
    expect(helm).not.toMatch(/kubectl create secret/);
  });

  // frappe's frontend has no port in compose.yaml (a headless Service) and publishes 8080 with compose.https.yaml:
  // applying one environment over the other keeps the Service headless or fails (clusterIP is immutable).
  it('says when a Service is headless in one environment and has a virtual IP in another', async () => {
    writeFileSync(
      join(dir, 'compose.yaml'),
      BASE.replace('\nvolumes:\n', '\n  worker:\n    image: ghcr.io/example/worker:1.0\nvolumes:\n'),
    );
    writeFileSync(join(dir, 'compose.ports.yaml'), 'services:\n  worker:\n    expose: ["7000"]\n');
    const spec = ['--overlay', 'prod=compose.prod.yaml', '--overlay', 'ports=compose.ports.yaml'];
    for (const format of ['kustomize', 'helm']) {
      const r = await run('--format', format, '-o', format, '--report', 'json', ...spec);
      expect(r.code, r.err).toBe(0);
      const report = JSON.parse(r.err) as {
        entries: Array<{ service?: string; environment?: string; id: string; message: string; fix?: string }>;
      };
      const hits = report.entries.filter((e) => e.id === 'report.environment-cluster-ip');
      expect(hits).toEqual([
        expect.objectContaining({ service: 'worker', message: expect.stringMatching(/in the ports environment/) }),
      ]);
      expect(hits[0]!.environment).toBeUndefined();
      expect(hits[0]!.fix).toMatch(/^kubectl delete service worker before applying/);
    }
  });
});

/** Multi-file projects of the real-world corpus: base file + override files, each overlay checked with kubectl. */
const CORPUS = join(__dirname, '../../../shared/corpus/real-world');
const REAL: Array<{ project: string; base: string[]; overlays: Record<string, string[]>; env?: string }> = [
  {
    project: 'mattermost-docker',
    base: ['docker-compose.yml'],
    overlays: { nginx: ['docker-compose.nginx.yml'], plain: ['docker-compose.without-nginx.yml'] },
  },
  { project: 'supabase/docker', base: ['docker-compose.yml'], overlays: { s3: ['docker-compose.s3.yml'] } },
  // The development override publishes postgres's and redis's image ports: patched Service and container ports.
  { project: 'appwrite', base: ['docker-compose.yml'], overlays: { dev: ['docker-compose.override.yml'] } },
  // A published port the override adds after the base's: the ports lists keep the base's order.
  {
    project: '../kompose/unused/merge-multiple-compose',
    base: ['compose-port-base.yml'],
    overlays: { prod: ['compose-port-prod.yml'] },
  },
  {
    project: 'frappe-docker',
    base: ['compose.yaml'],
    overlays: {
      mariadb: ['overrides/compose.mariadb.yaml', 'overrides/compose.redis.yaml'],
      postgres: ['overrides/compose.postgres.yaml'],
    },
  },
];

describe.skipIf(!existsSync(CORPUS) || !toolAvailable('kubectl') || !toolAvailable('helm'))(
  'real-world multi-file projects',
  () => {
    for (const p of REAL) {
      it(`${p.project}: every overlay and every values file render the plain conversion of base + its files`, async () => {
        const work = mkdtempSync(join(tmpdir(), 'c2k-overlays-real-'));
        try {
          cpSync(join(CORPUS, p.project), work, { recursive: true });
          const baseArgs = p.base.flatMap((f) => ['-f', f]);
          const spec = Object.entries(p.overlays).flatMap(([n, fs]) => ['--overlay', `${n}=${fs.join(',')}`]);
          const w = await runIn(work, [...baseArgs, '--format', 'kustomize', '-o', 'out', '--report', 'none', ...spec]);
          expect(w.code, w.err).toBe(0);
          for (const [name, files] of Object.entries(p.overlays)) {
            const k = runTool('kubectl', ['kustomize', join(work, 'out/overlays', name)]);
            expect(k.stderr).toBe('');
            const want = await runIn(work, [...baseArgs, ...files.flatMap((f) => ['-f', f]), '--report', 'none']);
            expect(want.code).toBe(0);
            expectSameObjects(parseStream(k.stdout), parseStream(want.out));
          }
          // The same environments as a Helm chart: values-NAME.yaml renders the plain conversion of base + files.
          const h = await runIn(work, [...baseArgs, '--format', 'helm', '-o', 'chart', '--report', 'none', ...spec]);
          expect(h.code, h.err).toBe(0);
          expect(h.err).not.toMatch(/overlay-outside-values/);
          const chart = join(work, 'chart');
          expectLintClean(chart);
          expectHelmRenders(chart, [], await plain(work, baseArgs, true));
          for (const [name, files] of Object.entries(p.overlays)) {
            const values = ['-f', join(chart, `values-${name}.yaml`)];
            expectLintClean(chart, values);
            expectHelmRenders(
              chart,
              values,
              await plain(work, [...baseArgs, ...files.flatMap((f) => ['-f', f])], true),
            );
          }
          // Secret values never reach a values file: every Secret value there is empty (a placeholder's stand-in).
          for (const f of readdirSync(chart).filter((n) => /^values.*\.yaml$/.test(n)))
            expect(readFileSync(join(chart, f), 'utf8'), f).not.toMatch(/<set-me|existingSecret: [^"\s]/);
          const check = await runIn(work, [
            ...baseArgs,
            '--format',
            'helm',
            '--check',
            'chart',
            '--report',
            'none',
            ...spec,
          ]);
          expect(check.code, check.err).toBe(0);
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      });
    }
  },
);

/** Samples with override files (compose.NAME.yaml) or profiles: every environment, both formats, real tools. */
const SAMPLE_ENVS = samples
  .map((name) => {
    const files = readdirSync(join(SAMPLES, name)).filter((f) => /^compose\.[a-z0-9-]+\.yaml$/.test(f));
    const profiles = [...new Set(Object.values(loadSample(name).disabledServices).flat())];
    const overlays: Array<[string, string, string[]]> = [
      ...files.map((f): [string, string, string[]] => [f.split('.')[1]!, f, ['-f', 'compose.yaml', '-f', f]]),
      ...profiles.map((p): [string, string, string[]] => [p, `profile:${p}`, ['--profile', p]]),
    ];
    return { name, overlays };
  })
  .filter((s) => s.overlays.length > 0);

describe.skipIf(!toolAvailable('kubectl') || !toolAvailable('helm'))('samples with environments', () => {
  it('there is at least one, with an override file and a profile', () => {
    expect(SAMPLE_ENVS.some((s) => s.overlays.some(([, spec]) => spec.startsWith('profile:')))).toBe(true);
    expect(SAMPLE_ENVS.some((s) => s.overlays.some(([, spec]) => !spec.startsWith('profile:')))).toBe(true);
  });
  for (const s of SAMPLE_ENVS) {
    it(`${s.name}: kubectl kustomize overlays/NAME and helm template -f values-NAME.yaml equal the plain conversion`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'c2k-overlays-sample-'));
      try {
        const cwd = join(SAMPLES, s.name);
        const spec = s.overlays.flatMap(([n, what]) => ['--overlay', `${n}=${what}`]);
        const base = ['-f', 'compose.yaml', '--report', 'none', ...spec];
        const k = await runIn(cwd, [...base, '--format', 'kustomize', '-o', join(out, 'k8s')]);
        expect(k.code, k.err).toBe(0);
        const h = await runIn(cwd, [...base, '--format', 'helm', '-o', join(out, 'chart')]);
        expect(h.err).not.toMatch(/overlay-outside-values/);
        expect(h.code).toBe(0);
        const lint = runTool('helm', ['lint', '--strict', join(out, 'chart')]);
        expect(lint.stdout + lint.stderr).not.toMatch(/\[(ERROR|WARNING)\]/);
        for (const [name, , args] of s.overlays) {
          const want = await plain(cwd, args);
          const built = runTool('kubectl', ['kustomize', join(out, 'k8s/overlays', name)]);
          expect(built.stderr).toBe('');
          expectSameObjects(parseStream(built.stdout), want);
          const t = runTool('helm', [
            'template',
            'rel',
            join(out, 'chart'),
            '-f',
            join(out, `chart/values-${name}.yaml`),
          ]);
          expect(t.stderr).toBe('');
          expect(byRef(parseStream(t.stdout).map(noNamespace))).toEqual(byRef(want.map(noNamespace)));
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  }
});
