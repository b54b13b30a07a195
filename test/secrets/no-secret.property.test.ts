/**
 * Issue 13's promise, as a property: generated projects put random secret values in every position a compose
 * project can hold one — environment, `.env`, `env_file`, `secrets:` files, `configs:`, bind-mounted files and
 * directories, healthchecks (CMD and CMD-SHELL, HTTP headers), labels, command, entrypoint, URLs, an `--overlay`
 * environment's override file — and the default output in every format contains none of them, while
 * `--secrets embed` contains each one. The CLI is run too (in process, on the same files), so what it prints —
 * the stream on stdout, the report and diagnostics on stderr, `--report json` — is checked as printed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convert, memoryFs, TEXTS } from '../../src/index.js';
import { convert as convertLean } from '../../src/browser.js';
import { everyOutput, leaks } from '../helpers/outputs.js';
import { runInMemory } from '../helpers/cli.js';
import {
  DIR,
  OVERLAY_POSITIONS,
  POSITIONS,
  secretFiles,
  valuesArb,
  type SecretValues,
} from '../helpers/secret-project.js';

function project(v: SecretValues, files = ['compose.yaml']) {
  return { files, fs: memoryFs(secretFiles(v)), workingDir: DIR };
}

/** The default conversion and its `prod` environment (base + compose.prod.yaml). */
function outputs(v: SecretValues, secrets?: 'external') {
  const options = secrets ? { options: { secrets } } : {};
  const out = convert({ ...project(v), ...options });
  const prod = convert({ ...project(v, ['compose.yaml', 'compose.prod.yaml']), ...options });
  return { out, prod, channels: everyOutput(out, [{ name: 'prod', out: prod }]) };
}

describe('no secret value in any default output (issue 13)', () => {
  it('placeholder (default) and external: none of the values appears in any channel', () => {
    fc.assert(
      fc.property(valuesArb, (v) => {
        for (const secrets of [undefined, 'external'] as const) {
          const { out, prod, channels } = outputs(v, secrets);
          expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(prod.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(leaks(channels, Object.values(v))).toEqual([]);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('the CLI prints none of them: stream, report table, report json', async () => {
    await fc.assert(
      fc.asyncProperty(valuesArb, async (v) => {
        const files = secretFiles(v);
        const runs = [
          await runInMemory(files, DIR, ['--report', 'table']),
          await runInMemory(files, DIR, ['--format', 'json', '--report', 'json']),
          await runInMemory(files, DIR, ['lint']),
        ];
        for (const r of runs) expect(r.code, r.err).toBeLessThan(2);
        const channels = new Map(
          runs.flatMap((r, i) => [[`run ${i} stdout`, r.out] as const, [`run ${i} stderr`, r.err] as const]),
        );
        expect(leaks(channels, Object.values(v))).toEqual([]);
      }),
      { numRuns: 4 },
    );
  });

  it('--secrets embed: each value is in the stream, where it belongs', () => {
    fc.assert(
      fc.property(valuesArb, (v) => {
        const out = convert({ ...project(v), options: { secrets: 'embed' } });
        const yaml = everyOutput(out).get('yaml')!;
        const missing = POSITIONS.filter((p) => !yaml.includes(v[p]));
        expect(missing).toEqual([]);
        const prod = everyOutput(
          convert({ ...project(v, ['compose.yaml', 'compose.prod.yaml']), options: { secrets: 'embed' } }),
        );
        expect(prod.get('yaml')).toContain(v.overlayLiteral);
        expect(prod.get('yaml')).toContain(v.overlayDotenv);
      }),
      { numRuns: 4 },
    );
  });
});

describe('the report points at the real value (issue 12 §4)', () => {
  it('an interpolated secret variable: the .env line, not the ${VAR} reference', () => {
    const v = Object.fromEntries(
      [...POSITIONS, ...OVERLAY_POSITIONS].map((p, i) => [p, `Sx${i}secretvalue9q`]),
    ) as SecretValues;
    const out = convert(project(v));
    const entry = (path: string) => out.report!.entries.find((e) => e.service === 'db' && e.path === path)!;
    expect(entry('environment.MYSQL_ROOT_PASSWORD').message).toMatch(/the real value is in \.env:1$/);
    // A literal in the compose file: that line, the entry's own position.
    const literal = entry('environment.DB_PASSWORD');
    expect(literal.message).toMatch(/the real value is in the compose file, on this line$/);
    expect(literal.pos?.file).toMatch(/compose\.yaml$/);
  });
});

describe('the values a report message is made of (entry.values)', () => {
  it('are redacted like the message, with and without the report texts', () => {
    const text = [
      'services:',
      '  web:',
      '    image: nginx',
      '    environment: {DB_PASSWORD: Zq8s3cr3tValue}',
      '    working_dir: /srv/Zq8s3cr3tValue',
      '',
    ].join('\n');
    for (const texts of [undefined, TEXTS]) {
      const out = convertLean({ files: [{ path: '/app/compose.yaml', content: text }], ...(texts ? { texts } : {}) });
      const e = out.report!.entries.find((x) => x.path === 'working_dir')!;
      expect(e).toMatchObject({ id: 'working_dir.set', values: { value: '/srv/***' } });
      expect(e.message).toBe(texts ? 'workingDir: /srv/***' : 'working_dir.set (value=/srv/***)');
    }
  });
});
