import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIn } from '../helpers/cli.js';
import { REPORT_SCHEMA_VERSION } from '../../src/report/format.js';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));

/** A realistic project with no pitfall: limits, healthchecks, a volume for the database, networks. */
const CLEAN = `services:
  web:
    image: ghcr.io/acme/shop:2.1.0
    ports: ["8080:8080"]
    environment:
      DATABASE_URL: postgres://shop:\${DB_PASSWORD}@db:5432/shop
      BIND: 0.0.0.0:8080
    depends_on:
      db: {condition: service_healthy}
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://localhost:8080/healthz"]
      interval: 10s
    deploy:
      replicas: 2
      resources:
        limits: {cpus: "1", memory: 512M}
  db:
    image: postgres:16-alpine
    environment: {POSTGRES_DB: shop, POSTGRES_USER: shop, POSTGRES_PASSWORD: "\${DB_PASSWORD}"}
    volumes: ["pgdata:/var/lib/postgresql/data"]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U shop"]
      interval: 5s
    deploy:
      resources:
        limits: {cpus: "2", memory: 1G}
volumes:
  pgdata:
`;

const RISKY = `services:
  app:
    image: ghcr.io/acme/app:1.0
    ports: ["3000:3000"]
    environment:
      CACHE_HOST: 10.0.4.17
  cache:
    image: redis:7
    networks:
      default:
        ipv4_address: 10.0.4.17
networks:
  default:
    ipam: {config: [{subnet: 10.0.4.0/24}]}
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'c2k-lint-'));
  writeFileSync(join(dir, 'compose.yaml'), CLEAN);
  // The password CLEAN interpolates (set empty, the database would not start: database-without-password.empty).
  writeFileSync(join(dir, '.env'), 'DB_PASSWORD=a-long-random-password\n');
  writeFileSync(join(dir, 'risky.yaml'), RISKY);
  writeFileSync(join(dir, 'broken.yaml'), 'services:\n  web: [unclosed\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (cwd: string, ...args: string[]) => runIn(cwd, args);

describe('compose2k8s lint', () => {
  it('exits 0 and prints nothing for a clean project', async () => {
    const r = await run(dir, 'lint');
    expect(r).toMatchObject({ code: 0, out: '' });
  });

  it('exits 1 and prints one line plus a fix per finding, in file order', async () => {
    const r = await run(dir, 'lint', 'risky.yaml');
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.length % 2).toBe(0);
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^risky\.yaml:\d+:\d+\s+[a-z-]+\s+\S+\s+\S/);
      expect(lines[i + 1]).toMatch(/^\s+fix: \S/);
    }
    expect(r.out).toMatch(/^risky\.yaml:6:\d+\s+hard-coded-ip\s+Deployment\/app\s+.*10\.0\.4\.17/m);
    expect(r.out).toMatch(/^risky\.yaml:7:\d+\s+stateful-without-volume\s+Deployment\/cache\s+/m);
    expect(r.out).toMatch(/^risky\.yaml:7:\d+\s+no-resource-limits\s+Deployment\/cache\s+/m);
    const lineNos = lines.filter((_, i) => i % 2 === 0).map((l) => Number(/:(\d+):/.exec(l)![1]));
    expect(lineNos).toEqual([...lineNos].sort((a, b) => a - b));
  });

  it('--format json gives the findings for scripts', async () => {
    const r = await run(dir, 'lint', '-f', 'risky.yaml', '--format', 'json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as {
      schemaVersion: number;
      count: number;
      findings: Array<{ pitfall: string; service?: string; pos?: { file: string; line: number } }>;
    };
    expect(j.count).toBe(j.findings.length);
    // the report's version, its first key as in --report json
    expect(Object.keys(j)[0]).toBe('schemaVersion');
    expect(j.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(j.findings.map((f) => f.pitfall)).toEqual(
      expect.arrayContaining(['hard-coded-ip', 'stateful-without-volume', 'no-resource-limits']),
    );
    expect(j.findings.find((f) => f.pitfall === 'hard-coded-ip')?.pos).toEqual({
      file: 'risky.yaml',
      line: 6,
      col: expect.any(Number),
    });
    const clean = await run(dir, 'lint', '--format', 'json');
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.out)).toMatchObject({ schemaVersion: REPORT_SCHEMA_VERSION, count: 0, findings: [] });
  });

  it('takes the conversion options that change findings', async () => {
    const off = await run(dir, 'lint', '--no-network-policies');
    expect(off.code).toBe(1);
    expect(off.out).toMatch(/no-network-policy\s+project\//);
    const noProbes = await run(dir, 'lint', 'risky.yaml', '--no-default-probes', '--format', 'json');
    const withProbes = await run(dir, 'lint', 'risky.yaml', '--format', 'json');
    const count = (o: string) =>
      (JSON.parse(o) as { findings: Array<{ pitfall: string; service?: string }> }).findings.filter(
        (f) => f.pitfall === 'no-probes' && f.service === 'app',
      );
    expect(count(withProbes.out).map((f) => f.pitfall)).toEqual(['no-probes']);
    expect(JSON.stringify(count(noProbes.out))).toContain('default probes are disabled');
  });

  it('exits 2 on bad input and unknown flags, with nothing on stdout', async () => {
    const bad = await run(dir, 'lint', 'broken.yaml');
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(/broken\.yaml:\d+:\d+/);
    const missing = await run(dir, 'lint', 'nope.yaml');
    expect(missing.code).toBe(2);
    expect((await run(dir, 'lint', '--bogus')).code).toBe(2);
    expect((await run(dir, 'lint', '--format', 'xml')).code).toBe(2);
  });

  it('exits 2 with --format json: one JSON document on stderr, as convert --report json prints', async () => {
    const errorDoc = (err: string) => {
      const doc = JSON.parse(err) as { schemaVersion: number; diagnostics: Array<Record<string, unknown>> };
      expect(Object.keys(doc)).toEqual(['schemaVersion', 'diagnostics']);
      expect(doc.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
      expect(doc.diagnostics.at(-1)!.severity).toBe('error');
      return doc.diagnostics.at(-1)!;
    };
    const bad = await run(dir, 'lint', 'broken.yaml', '--format', 'json');
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(errorDoc(bad.err)).toMatchObject({ code: 'yaml-syntax', pos: { file: 'broken.yaml' } });
    // the same shape as convert's on the same input
    const convert = await run(dir, 'broken.yaml', '--report', 'json');
    expect(Object.keys(JSON.parse(convert.err) as object)).toEqual(Object.keys(JSON.parse(bad.err) as object));
    const missing = await run(dir, 'lint', '--format=json', 'nope.yaml');
    expect(missing.code).toBe(2);
    expect(errorDoc(missing.err).message).toMatch(/nope\.yaml/);
    const mixed = await run(dir, 'lint', 'risky.yaml', '-f', 'compose.yaml', '--format', 'json');
    expect(errorDoc(mixed.err)).toMatchObject({ code: 'usage', message: expect.stringMatching(/merge order/) });
    const unknown = await run(dir, 'lint', '--bogus', '--format', 'json');
    expect(unknown.code).toBe(2);
    expect(errorDoc(unknown.err)).toMatchObject({ code: 'usage', message: expect.stringMatching(/--bogus/) });
  });

  it('exits 2 on an error of the conversion (an invalid x-k8s block): the error, no findings', async () => {
    writeFileSync(join(dir, 'x.yaml'), 'services:\n  web:\n    image: nginx:1.27\n    x-k8s: {bogus: 1}\n');
    const text = await run(dir, 'lint', 'x.yaml');
    expect(text.code).toBe(2);
    expect(text.out).toBe('');
    expect(text.err).toMatch(/x\.yaml:4:\d+: error x-k8s-invalid: /);
    const json = await run(dir, 'lint', 'x.yaml', '--format', 'json');
    expect(json.code).toBe(2);
    expect(json.out).toBe('');
    const doc = JSON.parse(json.err) as { diagnostics: Array<{ code: string; severity: string }> };
    expect(doc.diagnostics.map((d) => [d.code, d.severity])).toEqual([['x-k8s-invalid', 'error']]);
  });

  it.runIf(existsSync(SAMPLES))('finds the pitfalls of the samples', async () => {
    const redis = await run(join(SAMPLES, 'nginx-node-redis'), 'lint');
    expect(redis.code).toBe(1);
    expect(redis.out).toMatch(/^compose\.yaml:3:\d+\s+stateful-without-volume\s+Deployment\/redis/m);
    const voting = await run(join(SAMPLES, 'voting-app'), 'lint', '--format', 'json');
    expect(voting.code).toBe(1);
    const pitfalls = new Set(
      (JSON.parse(voting.out) as { findings: Array<{ pitfall: string }> }).findings.map((f) => f.pitfall),
    );
    expect([...pitfalls].sort()).toEqual(['no-probes', 'no-resource-limits', 'stateful-without-volume']);
  });

  it('is listed in the help', async () => {
    const r = await run(dir, '--help');
    expect(r.out).toMatch(/^\s+lint \[options\] \[files\.\.\.\]/m);
  });
});
