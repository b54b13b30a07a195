/**
 * The published binary: scripts/build-cli.mjs's launcher, bundle and V8 code cache, run as a process the way
 * a user runs it. It must behave exactly like the program run in process (same bytes, same exit codes),
 * with the code cache and without it, and the cache it writes must be one this Node accepts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../helpers/cli.js';

const COMPOSE = `services:
  web:
    image: nginx:1.25
    ports: ["8080:80"]
    depends_on: [db]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
    volumes: [data:/var/lib/postgresql/data]
volumes:
  data:
`;

let dir: string;
let out: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'c2k-bin-'));
  out = join(dir, 'cli');
  writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
  writeFileSync(join(dir, 'bad.yaml'), 'services:\n  web:\n    image: [1\n');
  // ~1 MB of manifests: more than a pipe holds, so the output is written in parts as the reader drains it.
  const many = Array.from(
    { length: 400 },
    (_, i) => `  s${i}:\n    image: nginx:1.25\n    ports: ["${8000 + i}:80"]\n`,
  );
  writeFileSync(join(dir, 'many.yaml'), `services:\n${many.join('')}`);
  const b = spawnSync(process.execPath, ['scripts/build-cli.mjs', '--outdir', out], { encoding: 'utf8' });
  expect(b.stderr).toBe('');
  expect(b.status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bin = (...args: string[]) =>
  spawnSync(process.execPath, [join(out, 'compose2k8s.cjs'), ...args], { cwd: dir, encoding: 'utf8', env: {} });

describe('the bundled CLI', () => {
  it('writes a code cache that this Node accepts for the bundle', () => {
    const file = join(out, 'bundle.js');
    const script = new Script(readFileSync(file, 'utf8'), {
      filename: file,
      cachedData: readFileSync(join(out, 'bundle.cache')),
    });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('prints what the program prints in process, with and without the cache', async () => {
    const inProcess = await runIn(dir, ['compose.yaml', '--report', 'json']);
    expect(inProcess.code).toBe(0);
    const cached = bin('compose.yaml', '--report', 'json');
    expect(cached.status).toBe(0);
    expect(cached.stdout).toBe(inProcess.out);
    expect(cached.stderr).toBe(inProcess.err);
    rmSync(join(out, 'bundle.cache'));
    const uncached = bin('compose.yaml', '--report', 'json');
    expect(uncached.status).toBe(0);
    expect(uncached.stdout).toBe(inProcess.out);
    // A stale cache (made for another bundle, as after an update that did not rewrite it): V8 rejects it.
    writeFileSync(join(out, 'bundle.cache'), new Script('exports.stale = 1;').createCachedData());
    const stale = bin('compose.yaml', '--report', 'json');
    expect(stale.status).toBe(0);
    expect(stale.stdout).toBe(inProcess.out);
    expect(stale.stderr).toBe(inProcess.err);
  });

  it('writes a large output through a pipe whole, and stops quietly when the reader goes away', async () => {
    const inProcess = await runIn(dir, ['many.yaml', '--report', 'none']);
    expect(inProcess.out.length).toBeGreaterThan(512 * 1024);
    const whole = bin('many.yaml', '--report', 'none');
    expect(whole.status).toBe(0);
    expect(whole.stdout).toBe(inProcess.out);
    // `compose2k8s | head -1`: the reader closes the pipe after its first chunk.
    const child = spawn(process.execPath, [join(out, 'compose2k8s.cjs'), 'many.yaml'], { cwd: dir, env: {} });
    let err = '';
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((done) => child.on('close', done));
    expect(err).not.toMatch(/EPIPE|\n\s+at /);
    expect(err).toMatch(/\d+ items: \d+ converted/);
    expect(code).toBe(0);
  });

  it('exits 2 with a positioned message and no stack trace on a broken file', () => {
    const r = bin('bad.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: error /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
