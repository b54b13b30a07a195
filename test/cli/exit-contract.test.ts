/**
 * The CLI's contract for scripts: exit 2 means nothing was written (no manifest on stdout, no -o tree, no report
 * file); under `--report json` every exit-2 error is a JSON document on stderr; `--strict` refuses what drops the
 * user's intent; a `--controller` naming no service is bad usage.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_VERSION } from '../../src/report/format.js';
import type { Report } from '../../src/report/entry.js';
import { runIn } from '../helpers/cli.js';

const CLEAN = `services:
  web:
    image: nginx:1.27
    ports: ["80:80"]
    volumes: ["data:/usr/share/nginx/html"]
volumes:
  data:
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'c2k-contract-'));
  writeFileSync(join(dir, 'compose.yaml'), CLEAN);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runIn(dir, args);

interface ErrorDoc {
  schemaVersion: number;
  diagnostics: Array<{ severity: string; code: string; message: string }>;
}

/** stderr of an exit-2 run under --report json: exactly one JSON document whose last diagnostic is the error. */
function jsonError(err: string): ErrorDoc['diagnostics'][number] {
  const doc = JSON.parse(err) as ErrorDoc;
  expect(doc.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
  const last = doc.diagnostics.at(-1)!;
  expect(last.severity).toBe('error');
  return last;
}

describe('a report file that cannot be written: exit 2 and nothing written', () => {
  it('prints no manifest on stdout', async () => {
    const r = await run('--report-file', join(dir, 'no/such/dir/r.json'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(
      /error report-write-failed: cannot write .*no\/such\/dir\/r\.json: directory .* does not exist/,
    );
  });

  it('writes no -o tree', async () => {
    const r = await run('-o', 'k8s', '--report-file', 'missing/r.json');
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'k8s'))).toBe(false);
  });

  it('a directory is not a report file', async () => {
    mkdirSync(join(dir, 'reports'));
    const r = await run('--report-file', 'reports');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/report-write-failed: cannot write reports: .*reports is a directory/);
  });

  it('a writable report file still gets the report, and the manifests are printed', async () => {
    const r = await run('--report', 'json', '--report-file', 'r.json');
    expect(r.code).toBe(0);
    expect(r.out).toContain('kind: Deployment');
    expect((JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report).project).toBeTruthy();
  });
});

describe('--report json: every exit-2 error is a JSON diagnostic on stderr', () => {
  it('output-not-empty', async () => {
    mkdirSync(join(dir, 'k8s'));
    writeFileSync(join(dir, 'k8s/mine.txt'), 'x\n');
    const r = await run('-o', 'k8s', '--report', 'json');
    expect(r.code).toBe(2);
    expect(jsonError(r.err)).toMatchObject({ code: 'output-not-empty' });
  });

  it('check-not-directory', async () => {
    const r = await run('--check', 'nowhere', '--report', 'json');
    expect(r.code).toBe(2);
    expect(jsonError(r.err)).toMatchObject({ code: 'check-not-directory', message: 'nowhere is not a directory' });
  });

  it('usage errors of the command and bad flag values commander finds', async () => {
    const both = await run('--check', 'k8s', '-o', 'k8s', '--report', 'json');
    expect(both.code).toBe(2);
    expect(jsonError(both.err)).toMatchObject({ code: 'usage', message: expect.stringMatching(/--check and -o/) });
    const bad = await run('--expose-type', 'bad', '--report=json');
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(jsonError(bad.err)).toMatchObject({
      code: 'usage',
      message: expect.stringMatching(/^option '--expose-type <type>' argument 'bad' is invalid/),
    });
    const mixed = await run('compose.yaml', '-f', 'compose.yaml', '--report', 'json');
    expect(mixed.code).toBe(2);
    expect(jsonError(mixed.err)).toMatchObject({ code: 'usage', message: expect.stringMatching(/merge order/) });
  });

  it('report-write-failed, also when the report was to go to that file', async () => {
    const r = await run('--report', 'json', '--report-file', 'missing/r.json');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(jsonError(r.err)).toMatchObject({ code: 'report-write-failed' });
  });

  it('bad input with --report-file: the JSON document is on stderr, no report file is written', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'services:\n  web:\n    image: [nginx\n');
    const r = await run('bad.yaml', '--report', 'json', '--report-file', 'r.json');
    expect(r.code).toBe(2);
    expect(jsonError(r.err)).toMatchObject({ code: 'yaml-syntax' });
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
  });

  it('without --report json the errors stay one text line', async () => {
    const r = await run('--check', 'nowhere');
    expect(r.err).toBe('compose2k8s: error check-not-directory: nowhere is not a directory\n');
    expect((await run('--expose-type', 'bad')).err).toMatch(/^error: option '--expose-type <type>'/);
  });

  it('a conversion report carries the schema version as its first key', async () => {
    const r = await run('--report', 'json');
    expect(Object.keys(JSON.parse(r.err) as object)[0]).toBe('schemaVersion');
  });
});

describe('--strict and dropped intent', () => {
  it('refuses a misspelt kompose label (exit 1, no manifest) and names the label meant', async () => {
    writeFileSync(
      join(dir, 'typo.yaml'),
      `services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n    labels:\n      kompose.service.tyep: nodeport\n`,
    );
    const strict = await run('typo.yaml', '--strict');
    expect(strict.code).toBe(1);
    expect(strict.out).toBe('');
    expect(strict.err).toMatch(/labels\.kompose\.service\.tyep\s+unsupported/);
    expect(strict.err).toContain('did you mean kompose.service.type?');
    const plain = await run('typo.yaml');
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('kind: Deployment');
  });

  it('refuses an unknown kompose label of a volume', async () => {
    writeFileSync(join(dir, 'vol.yaml'), CLEAN + '    labels:\n      kompose.volume.sizee: 20Gi\n');
    const r = await run('vol.yaml', '--strict', '--report', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.err) as Report;
    expect(report.entries.find((e) => e.path === 'volumes.data.labels.kompose.volume.sizee')).toMatchObject({
      status: 'unsupported',
    });
  });

  it('--controller naming no service is bad usage (exit 2, nothing printed), with or without --strict', async () => {
    for (const extra of [[], ['--strict']]) {
      const r = await run('--controller', 'wbe=CronJob', ...extra);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(
        'compose2k8s: error usage: --controller wbe=CronJob: the project has no such service (services: web)',
      );
    }
    expect((await run('--controller', 'web=StatefulSet')).code).toBe(0);
  });

  it('--controller for a service a profile leaves out, or that only an overlay adds, is not an error', async () => {
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  web:\n    image: nginx:1.27\n  debug:\n    image: busybox\n    profiles: [tools]\n',
    );
    expect((await run('--controller', 'debug=Job')).code).toBe(0);
    writeFileSync(join(dir, 'prod.yaml'), 'services:\n  cache:\n    image: redis:7\n');
    const r = await run(
      '--format',
      'kustomize',
      '-o',
      'k',
      '--overlay',
      'prod=prod.yaml',
      '--controller',
      'cache=StatefulSet',
    );
    expect(r.code).toBe(0);
  });
});

describe('small usage checks', () => {
  it('-f DIR says it is a directory', async () => {
    mkdirSync(join(dir, 'app'));
    const r = await run('-f', 'app');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error file-not-found: compose file .*\/app is a directory, not a file/);
  });

  it("--profile '' is refused", async () => {
    const r = await run('--profile', '');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/a profile name cannot be empty/);
    expect((await run('config', '--profile', ' ')).code).toBe(2);
  });
});
