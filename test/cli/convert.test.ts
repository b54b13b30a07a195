import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Report } from '../../src/report/entry.js';
import { runIn } from '../helpers/cli.js';

const COMPOSE = `services:
  web:
    image: nginx:1.25
    ports: ["8080:80"]
    environment:
      MODE: "on"
  db:
    image: postgres:16
    stop_signal: SIGINT
`;
const CLEAN = `services:
  api:
    image: ghcr.io/acme/api:1.0
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'c2k-cli-'));
  writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
  writeFileSync(join(dir, 'clean.yaml'), CLEAN);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runIn(dir, args);

const kinds = (yamlText: string): string[] =>
  parseAllDocuments(yamlText, { version: '1.1' }).map((d) => (d.toJS() as { kind: string }).kind);

describe('compose2k8s (default convert command)', () => {
  it('prints manifests on stdout and the text report on stderr', async () => {
    const { code, out, err } = await run('--report', 'table');
    expect(code).toBe(0);
    expect(out.startsWith('---\n')).toBe(true);
    expect(kinds(out)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'ConfigMap']));
    expect(out).toContain('MODE: "on"');
    expect(err).toMatch(/^SERVICE\s+ITEM\s+STATUS\s+MESSAGE/m);
    expect(err).toMatch(/^db\s+stop_signal\s+unsupported/m);
    expect(err).toMatch(/^p?.*: \d+ items: \d+ converted/m);
    expect(err).not.toMatch(/\x1b\[/);
  });

  it('by default the report shows only what needs attention; --report table every item; --quiet nothing', async () => {
    const summary = await run();
    expect(summary.err).toMatch(/^db\s+stop_signal\s+unsupported/m);
    expect(summary.err).toMatch(/^\s+fix: /m);
    expect(summary.err).not.toMatch(/^\S+\s+\S+\s+converted\s/m);
    expect(summary.err).toMatch(/converted or ignored item\(s\) not shown: --report table lists every item/);
    const table = await run('--report', 'table');
    expect(table.err).toMatch(/^web\s+image\s+converted/m);
    expect((await run('--report', 'text')).err).toBe(table.err);
    const quiet = await run('--quiet');
    expect(quiet.code).toBe(0);
    expect(quiet.out).toBe(summary.out);
    expect(quiet.err).toBe('');
    const strict = await run('--quiet', '--strict');
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/--strict: \d+ key\(s\) could not be converted/);
  });

  it('an empty compose file is bad input (exit 2, positioned), not an empty project', async () => {
    writeFileSync(join(dir, 'empty.yaml'), '# generated later\n');
    const r = await run('empty.yaml');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/empty\.yaml:1:1: error compose-file-empty: empty compose file/);
    const config = await run('config', '-f', 'empty.yaml');
    expect(config.code).toBe(2);
    expect(config.out).toBe('');
  });

  it('--quiet still prints errors', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'services:\n  web:\n    image: [1\n');
    const r = await run('--quiet', 'bad.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:\d+:\d+/);
  });

  it('takes files as arguments and with -f', async () => {
    const a = await run('clean.yaml');
    const b = await run('-f', 'clean.yaml');
    expect(a.code).toBe(0);
    expect(a.out).toContain('image: ghcr.io/acme/api:1.0');
    expect(b.out).toBe(a.out);
    expect((await run('convert', 'clean.yaml')).out).toBe(a.out);
  });

  it('is byte-identical across runs', async () => {
    expect((await run()).out).toBe((await run()).out);
  });

  it('prints a v1 List with --format json', async () => {
    const { code, out } = await run('--format', 'json');
    expect(code).toBe(0);
    const list = JSON.parse(out) as { kind: string; items: Array<{ kind: string }> };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service']));
  });

  it('prints the JSON report on stderr with --report json, nothing with --report none', async () => {
    const j = await run('--report', 'json');
    const report = JSON.parse(j.err) as Report;
    expect(
      report.entries.some((e) => e.service === 'db' && e.key === 'stop_signal' && e.status === 'unsupported'),
    ).toBe(true);
    expect(report.summary.unsupported).toBeGreaterThan(0);
    const n = await run('--report', 'none');
    expect(n.err).toBe('');
    expect(n.out).toBe(j.out);
  });

  it('writes the report to a file with --report-file', async () => {
    const { code, err } = await run('--report', 'json', '--report-file', 'report.json');
    expect(code).toBe(0);
    expect(err).toBe('');
    expect((JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report).project).toBeTruthy();
  });

  it('--strict exits 1 when a key is unsupported, 0 otherwise', async () => {
    const bad = await run('--strict');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--strict: \d+ key\(s\) could not be converted; no manifest was printed/);
    expect(bad.err).toMatch(/^db\s+stop_signal\s+unsupported/m);
    expect((await run('--strict', 'clean.yaml')).code).toBe(0);
  });

  it('--strict refusing prints and writes no manifest, in every format, and still reports', async () => {
    for (const format of ['yaml', 'json']) {
      const r = await run('--strict', '--format', format);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
    }
    const json = await run('--strict', '--report', 'json');
    expect(json.out).toBe('');
    expect((JSON.parse(json.err) as Report).summary.unsupported).toBeGreaterThan(0);
    for (const format of ['yaml', 'json', 'helm', 'kustomize']) {
      const r = await run('--strict', '--format', format, '-o', `out-${format}`);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`could not be converted; nothing was written to out-${format}\n`));
      expect(readdirSync(dir)).not.toContain(`out-${format}`);
    }
    // An existing tree is left as it was, even with --force.
    expect((await run('-o', 'k8s', 'clean.yaml')).code).toBe(0);
    const before = readdirSync(join(dir, 'k8s'));
    expect((await run('--strict', '-o', 'k8s', '--force')).code).toBe(1);
    expect(readdirSync(join(dir, 'k8s'))).toEqual(before);
  });

  it('sets the namespace and emits the Namespace first with --create-namespace', async () => {
    const { code, out } = await run('-n', 'shop', '--create-namespace');
    expect(code).toBe(0);
    const docs = parseAllDocuments(out).map((d) => d.toJS() as { kind: string; metadata: { namespace?: string } });
    expect(docs[0]!.kind).toBe('Namespace');
    expect(docs.slice(1).every((d) => d.metadata.namespace === 'shop')).toBe(true);
  });

  it('exits 2 on usage errors', async () => {
    expect((await run('--format', 'xml')).code).toBe(2);
    expect((await run('--expose-type', 'Ingress')).code).toBe(2);
    expect((await run('--volume-size', 'big')).code).toBe(2);
    const ns = await run('--create-namespace');
    expect(ns.code).toBe(2);
    expect(ns.err).toMatch(/--create-namespace needs -n/);
    expect((await run('--expose-type', 'nodeport', 'clean.yaml')).code).toBe(0);
  });

  it('exits 2 on bad input and prints no manifests', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'services:\n  web:\n    image: [unclosed\n');
    const { code, out, err } = await run('broken.yaml');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/broken\.yaml/);
    expect((await run('missing.yaml')).code).toBe(2);
  });

  it('keeps the execute bit of a bind-mounted script (read from the file system), so the entrypoint can run', async () => {
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\nexec nginx\n', { mode: 0o755 });
    writeFileSync(join(dir, 'app.conf'), 'x\n', { mode: 0o644 });
    writeFileSync(
      join(dir, 'exec.yaml'),
      'services:\n  web:\n    image: nginx:1.25\n    entrypoint: /run.sh\n    volumes: [./run.sh:/run.sh, ./app.conf:/app.conf]\n',
    );
    const { code, out } = await run('exec.yaml');
    expect(code).toBe(0);
    const docs = parseAllDocuments(out, { version: '1.1' }).map((d) => d.toJS() as Record<string, unknown>);
    const deploy = docs.find((d) => d['kind'] === 'Deployment') as unknown as {
      spec: { template: { spec: { volumes: unknown[] } } };
    };
    expect(deploy.spec.template.spec.volumes).toEqual([
      { name: 'cm-web-run-sh', configMap: { name: 'web-run-sh', defaultMode: 493 } },
      { name: 'cm-web-app-conf', configMap: { name: 'web-app-conf' } },
    ]);
  });

  it('refuses compose files given both as arguments and with -f: the merge order would be a guess', async () => {
    const { code, out, err } = await run('compose.yaml', '-f', 'clean.yaml');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('give them all with -f, in merge order');
    expect((await run('-f', 'compose.yaml', '-f', 'clean.yaml')).code).toBe(0);
  });

  it('shows examples in --help', async () => {
    const { code, out } = await run('convert', '--help');
    expect(code).toBe(0);
    expect(out).toContain('Examples:');
    expect(out).toContain('--strict');
  });
});

describe('compose2k8s -o DIR and --check DIR', () => {
  it('writes one file per object, refuses a non-empty DIR without --force, replaces it with --force', async () => {
    const first = await run('-o', 'k8s');
    expect(first.code).toBe(0);
    expect(first.out).toBe('');
    expect(first.err).toMatch(/wrote \d+ file\(s\) to k8s/);
    const written = readdirSync(join(dir, 'k8s')).sort();
    expect(written).toEqual(expect.arrayContaining(['deployment-web.yaml', 'deployment-db.yaml', 'service-web.yaml']));
    expect(readFileSync(join(dir, 'k8s/deployment-web.yaml'), 'utf8')).toMatch(
      /^---\napiVersion: apps\/v1\nkind: Deployment\n/,
    );

    const again = await run('-o', 'k8s', 'clean.yaml');
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/output-not-empty/);
    expect(readdirSync(join(dir, 'k8s')).sort()).toEqual(written);

    const forced = await run('-o', 'k8s', '--force', 'clean.yaml');
    expect(forced.code).toBe(0);
    expect(readdirSync(join(dir, 'k8s'))).toContain('deployment-api.yaml');
    expect(readdirSync(join(dir, 'k8s'))).not.toContain('deployment-web.yaml');
  });

  it('--check passes when DIR is current and exits 1 listing drift otherwise', async () => {
    expect((await run('-o', 'k8s')).code).toBe(0);
    const ok = await run('--check', 'k8s');
    expect(ok.code).toBe(0);
    expect(ok.err).toMatch(/k8s is up to date/);
    expect(ok.out).toBe('');

    writeFileSync(join(dir, 'k8s/deployment-web.yaml'), 'edited by hand\n');
    writeFileSync(join(dir, 'k8s/secret-old.yaml'), 'stale\n');
    rmSync(join(dir, 'k8s/deployment-db.yaml'));
    const drift = await run('--check', 'k8s');
    expect(drift.code).toBe(1);
    expect(drift.err).toContain('changed: deployment-web.yaml');
    expect(drift.err).toContain('missing: deployment-db.yaml');
    expect(drift.err).toContain('extra:   secret-old.yaml');
    expect(readFileSync(join(dir, 'k8s/deployment-web.yaml'), 'utf8')).toBe('edited by hand\n');

    expect((await run('--check', 'nowhere')).code).toBe(2);
    expect((await run('--check', 'k8s', '-o', 'k8s')).code).toBe(2);
  });
});

describe('--format kustomize with Secrets', () => {
  it("the Secret entries' fix fills the generator files (every report form, even -q), not kubectl create secret", async () => {
    writeFileSync(
      join(dir, 'secret.yaml'),
      'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2hunter2\n',
    );
    const r = await run('secret.yaml', '--format', 'kustomize', '-o', 'k', '--report', 'json');
    expect(r.code).toBe(0);
    const entry = (JSON.parse(r.err) as Report).entries.find((e) => e.id === 'report.kustomize-secret')!;
    expect(entry.fix).toMatch(
      /^fill k\/secret-db-env-secret\.env and run kubectl apply -k k, not kubectl create secret/,
    );
    expect(entry.message).toContain('secretGenerator');
    const q = await run('secret.yaml', '--format', 'kustomize', '-o', 'k', '--force', '-q', '--report-file', 'r.txt');
    expect(q.err).toBe('');
    expect(readFileSync(join(dir, 'r.txt'), 'utf8')).toContain(
      'fill k/secret-db-env-secret.env and run kubectl apply -k k',
    );
    // With overlays the output root is no kustomization: the fix names the base's file and the overlays.
    const o = await run(
      'secret.yaml',
      '--format',
      'kustomize',
      '-o',
      'ko',
      '--overlay',
      'prod=secret.yaml',
      '--report',
      'json',
    );
    const fix = (JSON.parse(o.err) as Report).entries.find((e) => e.id === 'report.kustomize-secret')!.fix;
    expect(fix).toMatch(
      /^fill ko\/base\/secret-db-env-secret\.env \(and the secret files of ko\/overlays\/NAME[^)]*\) and run kubectl apply -k ko\/overlays\/prod,/,
    );
    const plain = await run(
      'secret.yaml',
      '--format',
      'kustomize',
      '-o',
      'k2',
      '--no-kustomize-generators',
      '--report',
      'json',
    );
    expect((JSON.parse(plain.err) as Report).entries.some((e) => e.id.startsWith('report.'))).toBe(false);
  });
});

describe('--report json keeps stderr machine-readable', () => {
  it('stderr is one JSON document carrying the warnings', async () => {
    writeFileSync(join(dir, 'warn.yaml'), 'services:\n  web:\n    image: nginx:${TAG}\n');
    const { code, out, err } = await run('warn.yaml', '--report', 'json');
    expect(code).toBe(0);
    expect(out).toContain('kind: Deployment');
    const doc = JSON.parse(err) as Report & {
      diagnostics: Array<{ code: string; pos?: { file: string; line: number } }>;
    };
    expect(doc.summary.converted).toBeGreaterThan(0);
    expect(doc.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'interpolation-unset',
          pos: expect.objectContaining({ file: 'warn.yaml', line: 3 }),
        }),
      ]),
    );
  });

  it('bad input: exit 2, nothing on stdout, stderr is JSON with the error and its position', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'services:\n  web:\n    image: [nginx\n');
    const { code, out, err } = await run('bad.yaml', '--report', 'json');
    expect(code).toBe(2);
    expect(out).toBe('');
    const doc = JSON.parse(err) as { diagnostics: Array<{ severity: string; code: string; pos?: { file: string } }> };
    expect(doc.diagnostics[0]).toMatchObject({ severity: 'error', code: 'yaml-syntax', pos: { file: 'bad.yaml' } });
  });

  it('--check puts the drift into the same document', async () => {
    const { code, err } = await run('clean.yaml', '--report', 'json', '--check', dir);
    expect(code).toBe(1);
    const doc = JSON.parse(err) as { drift: { missing: string[] } };
    expect(doc.drift.missing.length).toBeGreaterThan(0);
  });
});

describe('top-level help and version', () => {
  it('--help shows the default command, examples and exit codes; --version the package version', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('compose2k8s convert --help');
    expect(help.out).toMatch(/Exit codes: 0 ok, 1 .*, 2 bad input/);
    expect(help.out).toContain('--format helm');
    const v = await run('--version');
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
