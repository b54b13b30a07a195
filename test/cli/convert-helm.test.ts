/**
 * `--format helm` and `--format kustomize` through the CLI, in process: they need -o DIR or --check DIR,
 * write the directory atomically, and --check detects drift in every file, nested ones included.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runTool, toolAvailable } from '../render/render-tools.js';
import { runIn } from '../helpers/cli.js';
import type { Report } from '../../src/report/entry.js';

const COMPOSE = `name: shop
services:
  web:
    image: nginx:1.25
    ports: ["8080:80"]
    deploy: { replicas: 2 }
    environment:
      MODE: "on"
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: hunter2
    volumes: [data:/var/lib/postgresql/data]
volumes:
  data:
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'c2k-cli-helm-'));
  writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runIn(dir, args);

describe('compose2k8s --format helm', () => {
  it('needs -o or --check (usage error 2, nothing on stdout)', async () => {
    const r = await run('--format', 'helm');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/error usage: --format helm writes a directory/);
    expect((await run('--format', 'kustomize', '--report', 'none')).code).toBe(2);
    expect((await run('--format', 'xml')).code).toBe(2);
  });

  it('writes a chart with -o, then --check finds it up to date and detects drift', async () => {
    const w = await run('--format', 'helm', '-o', 'chart', '--report', 'none');
    expect(w.err).toMatch(/wrote \d+ file\(s\) to chart/);
    expect(w.code).toBe(0);
    expect(w.out).toBe('');
    const chart = join(dir, 'chart');
    expect(readdirSync(chart).sort()).toEqual([
      '.helmignore',
      'Chart.yaml',
      'templates',
      'values.schema.json',
      'values.yaml',
    ]);
    expect(readdirSync(join(chart, 'templates'))).toEqual(
      expect.arrayContaining(['_helpers.tpl', 'NOTES.txt', 'deployment-web.yaml', 'ingress-web.yaml']),
    );
    const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(values['web']).toMatchObject({
      image: { repository: 'nginx', tag: '1.25' },
      replicas: 2,
      env: { MODE: 'on' },
    });
    expect(JSON.stringify(values)).not.toContain('hunter2');
    expect(existsSync(join(dir, '.chart.tmp'))).toBe(false);

    const ok = await run('--format', 'helm', '--check', 'chart', '--report', 'none');
    expect(ok.err).toMatch(/chart is up to date/);
    expect(ok.code).toBe(0);

    writeFileSync(join(chart, 'templates', 'deployment-web.yaml'), 'edited\n');
    rmSync(join(chart, '.helmignore'));
    writeFileSync(join(chart, 'templates', 'extra.yaml'), 'x: 1\n');
    const drift = await run('--format', 'helm', '--check', 'chart', '--report', 'none');
    expect(drift.code).toBe(1);
    expect(drift.err).toContain('missing: .helmignore');
    expect(drift.err).toContain('changed: templates/deployment-web.yaml');
    expect(drift.err).toContain('extra:   templates/extra.yaml');
    expect(drift.err).toContain('--format helm -o chart --force');

    expect((await run('--format', 'helm', '-o', 'chart', '--report', 'none')).code).toBe(2);
    expect((await run('--format', 'helm', '-o', 'chart', '--force', '--report', 'none')).code).toBe(0);
    expect(existsSync(join(chart, 'templates', 'extra.yaml'))).toBe(false);
    expect((await run('--format', 'helm', '--check', 'chart', '--report', 'none')).code).toBe(0);
  });

  it.runIf(toolAvailable('helm'))('writes a chart helm lints and renders in the release namespace', async () => {
    expect(
      (await run('--format', 'helm', '-o', 'chart', '-n', 'shop', '--create-namespace', '--report', 'none')).code,
    ).toBe(0);
    const lint = runTool('helm', ['lint', join(dir, 'chart')]);
    expect(lint.stdout).toMatch(/0 chart\(s\) failed/);
    expect(lint.status).toBe(0);
    const t = runTool('helm', ['template', 'r1', join(dir, 'chart'), '-n', 'other', '--set', 'web.replicas=4']);
    expect(t.status).toBe(0);
    expect(t.stdout).toContain('replicas: 4');
    expect(t.stdout).toContain('namespace: "other"');
    expect(t.stdout).not.toMatch(/kind: Namespace/);
  });
});

describe('compose2k8s --format helm: the report fills Secrets through values', () => {
  it('says --set-string / existingSecret (a Secret made by hand before the install fails helm install)', async () => {
    const w = await run('--format', 'helm', '-o', 'chart', '--report', 'json');
    expect(w.code).toBe(0);
    const entries = (JSON.parse(w.err) as Report).entries.filter((e) => e.id === 'report.helm-secret');
    expect(entries.map((e) => `${e.service}/${e.path}`)).toEqual(['db/environment.POSTGRES_PASSWORD']);
    expect(entries[0]!.fix).toMatch(
      /^give the values at the first helm install: --set-string db\.secretEnv\.values\.POSTGRES_PASSWORD=\.\.\.;/,
    );
    expect(entries[0]!.fix).toContain('--set db.secretEnv.existingSecret=NAME');
    expect(entries[0]!.fix).not.toContain('kubectl create secret');
  });
});

describe('compose2k8s --format helm: the report on a Job of the chart', () => {
  it('a Job deleted after it finishes (ttlSecondsAfterFinished) runs again on an unchanged upgrade: it says so', async () => {
    writeFileSync(
      join(dir, 'compose.yaml'),
      `${COMPOSE.replace('volumes:\n  data:\n', '')}  seed:
    image: alpine:3
    command: [sh, -c, "echo seed"]
    restart: "no"
  migrate:
    image: alpine:3
    command: [sh, -c, "echo migrate"]
    restart: "no"
  app:
    image: nginx:1.25
    depends_on: { migrate: { condition: service_completed_successfully } }
volumes:
  data:
`,
    );
    const w = await run('--format', 'helm', '-o', 'chart', '--report', 'json');
    expect(w.code).toBe(0);
    const controller = (service: string) =>
      (JSON.parse(w.err) as Report).entries.find((e) => e.service === service && e.path === 'controller')!;
    // seed: nothing waits for it, so Kubernetes deletes it an hour after it finishes and the next helm upgrade, even
    // one that changes nothing, creates it again (Helm creates what the release has and the cluster misses).
    const seed = controller('seed');
    expect(seed.message).toContain('ttlSecondsAfterFinished');
    expect(seed.message).not.toContain('an upgrade that leaves it as it is does not run it again');
    expect(seed.message).toMatch(
      /an upgrade once Kubernetes deleted it \(3600s after it finished\) runs it again, even unchanged/,
    );
    // migrate is kept for the pods that wait for it: an unchanged upgrade leaves it be.
    expect(controller('migrate').message).toContain('an upgrade that leaves it as it is does not run it again');
  });
});

describe('compose2k8s --format kustomize', () => {
  it('writes a base with -o, and --check detects drift', async () => {
    const w = await run('--format', 'kustomize', '-o', 'k8s', '-n', 'shop', '--report', 'none');
    expect(w.code).toBe(0);
    const files = readdirSync(join(dir, 'k8s'));
    expect(files).toContain('kustomization.yaml');
    const k = parse(readFileSync(join(dir, 'k8s', 'kustomization.yaml'), 'utf8')) as {
      namespace: string;
      resources: string[];
      configMapGenerator: Array<{ name: string; envs?: string[]; files?: string[] }>;
      secretGenerator: Array<{ name: string; envs?: string[]; files?: string[] }>;
    };
    expect(k.namespace).toBe('shop');
    // Every file is a resource or a generator input.
    const inputs = [...k.configMapGenerator, ...k.secretGenerator].flatMap((g) => [
      ...(g.envs ?? []),
      ...(g.files ?? []),
    ]);
    // The Secret's input holds a placeholder, never the compose file's password.
    const secretInput = k.secretGenerator[0]!.envs![0]!;
    expect(readFileSync(join(dir, 'k8s', secretInput), 'utf8')).toMatch(/^POSTGRES_PASSWORD=<set-me/);
    expect(files.map((f) => readFileSync(join(dir, 'k8s', f), 'utf8')).join('\n')).not.toContain('hunter2');
    expect(inputs.length).toBeGreaterThan(0);
    expect([...k.resources, ...inputs, 'kustomization.yaml'].sort()).toEqual([...files].sort());
    expect((await run('--format', 'kustomize', '--check', 'k8s', '-n', 'shop', '--report', 'none')).code).toBe(0);
    const moved = await run('--format', 'kustomize', '--check', 'k8s', '-n', 'other', '--report', 'none');
    expect(moved.code).toBe(1);
    expect(moved.err).toContain('changed: kustomization.yaml');
    // A generator input edited by hand is drift too.
    writeFileSync(join(dir, 'k8s', inputs[0]!), 'EDITED=1\n');
    const edited = await run('--format', 'kustomize', '--check', 'k8s', '-n', 'shop', '--report', 'none');
    expect(edited.code).toBe(1);
    expect(edited.err).toContain(`changed: ${inputs[0]}`);
    // --no-kustomize-generators keeps plain ConfigMaps: the tree then differs (generator inputs are extra).
    const plainCheck = await run(
      '--format',
      'kustomize',
      '--check',
      'k8s',
      '-n',
      'shop',
      '--report',
      'none',
      '--no-kustomize-generators',
    );
    expect(plainCheck.code).toBe(1);
    expect(plainCheck.err).toMatch(/missing: configmap-[a-z0-9-]+\.yaml/);
    expect(plainCheck.err).toMatch(/extra: +configmap-[a-z0-9-]+\.env/);
  });

  it('names a Job that reads a generator shared with another workload: it must be deleted before re-applying', async () => {
    writeFileSync(
      join(dir, 'compose.yaml'),
      `${COMPOSE.replace('volumes:\n  data:\n', '')}  init:
    image: alpine:3
    command: [sh, -c, "echo init"]
    environment:
      DATABASE_PASSWORD: hunter2
  app:
    image: nginx:1.25
    depends_on: { init: { condition: service_completed_successfully } }
volumes:
  data:
`,
    );
    const w = await run('--format', 'kustomize', '-o', 'k8s', '--report', 'json');
    expect(w.code).toBe(0);
    const controller = (JSON.parse(w.err) as Report).entries.find(
      (e) => e.service === 'init' && e.path === 'controller',
    )!;
    expect(controller.id).toBe('report.kustomize-job-config');
    expect(controller.message).toMatch(
      /Job init reads generated objects whose names carry a content hash .*: Secret\/shop-credentials/,
    );
    expect(controller.fix).toContain('run kubectl delete job init before kubectl apply -k k8s');
    const plain = await run('--format', 'kustomize', '-o', 'k8s2', '--report', 'json', '--no-kustomize-generators');
    // Without generators nothing renames what the Job reads: only the plain manifests' word on a Job (its own edits).
    const own = (JSON.parse(plain.err) as Report).entries.find((e) => e.service === 'init' && e.path === 'controller')!;
    expect(own.id).toBe('controller.completion-waiters');
    expect(own.fix).not.toContain('kubectl apply -k');
  });

  it('--no-kustomize-generators writes ConfigMaps as resources', async () => {
    const w = await run('--format', 'kustomize', '-o', 'k8s', '--report', 'none', '--no-kustomize-generators');
    expect(w.code).toBe(0);
    const k = parse(readFileSync(join(dir, 'k8s', 'kustomization.yaml'), 'utf8')) as Record<string, unknown>;
    expect(k['configMapGenerator']).toBeUndefined();
    expect((k['resources'] as string[]).some((r) => r.startsWith('configmap-'))).toBe(true);
  });

  it('--check on a tree exits 2 on bad input, and when DIR is not a directory', async () => {
    expect((await run('--format', 'kustomize', '-o', 'k8s', '--report', 'none')).code).toBe(0);
    writeFileSync(join(dir, 'broken.yaml'), 'services:\n  web:\n    image: [\n');
    const bad = await run('-f', 'broken.yaml', '--format', 'kustomize', '--check', 'k8s', '--report', 'none');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/broken\.yaml:\d+:\d+/);
    expect(bad.err).not.toMatch(/\n\s+at /);
    const notDir = await run('--format', 'kustomize', '--check', 'k8s/kustomization.yaml', '--report', 'none');
    expect(notDir.code).toBe(2);
    const chart = await run('-f', 'broken.yaml', '--format', 'helm', '--check', 'k8s', '--report', 'none');
    expect(chart.code).toBe(2);
    const overlay = await run(
      '--format',
      'kustomize',
      '--check',
      'k8s',
      '--report',
      'none',
      '--overlay',
      'p=broken.yaml',
    );
    expect(overlay.code).toBe(2);
    expect(overlay.err).toMatch(/broken\.yaml:\d+:\d+/);
  });

  it.runIf(toolAvailable('kubectl'))('writes a base kubectl kustomize builds', async () => {
    expect((await run('--format', 'kustomize', '-o', 'k8s', '--report', 'none')).code).toBe(0);
    const b = runTool('kubectl', ['kustomize', join(dir, 'k8s')]);
    expect(b.stderr).toBe('');
    expect(b.stdout).toMatch(/kind: Deployment/);
  });
});
