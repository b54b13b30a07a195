/**
 * Fuzzing convert(): the samples' and the shared corpus's compose files, mutated line by line (drops,
 * duplicates, swaps, indentation shifts) and with hostile scalars spliced in (`!reset`, `*undefined`,
 * `${X:?}`, `1e309`, `0o777`, a 5000-character string, control characters). Properties: convert()
 * never throws and never reports an internal error, every error diagnostic has a code and, when it
 * points into the compose file, a position inside it, and no case takes more than a second.
 * `npm test` runs FUZZ_RUNS (default 3000) cases; `npm run fuzz` runs 100 000 and prints the shrunk
 * counterexample of a failure (fast-check's seed and path reproduce it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/index.js';
import { CORPUS, composeFiles } from '../helpers/corpus.js';
import { SAMPLES, samples } from '../helpers/samples.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const SLOW_MS = Number(process.env.FUZZ_SLOW_MS ?? 1000);

function seeds(): string[] {
  const out: string[] = [];
  for (const name of samples) {
    for (const f of ['compose.yaml', 'docker-compose.yml', 'compose.yml', 'docker-compose.yaml']) {
      const p = join(SAMPLES, name, f);
      if (existsSync(p)) {
        out.push(readFileSync(p, 'utf8'));
        break;
      }
    }
  }
  if (existsSync(CORPUS)) {
    const files = composeFiles(CORPUS);
    // A spread of the corpus, not all of it: each case converts one file.
    for (let i = 0; i < files.length; i += Math.max(1, Math.floor(files.length / 60)))
      out.push(readFileSync(files[i]!, 'utf8'));
  }
  return out.filter((t) => t.length < 200_000);
}

const HOSTILE = [
  '!reset',
  '!override',
  '*undefined',
  '&a',
  '${X:?}',
  '${X:?must be set}',
  '${',
  '$${X}',
  '${X:-${Y:-${Z}}}',
  '1e309',
  '-1e309',
  '0o777',
  '0777',
  '0x',
  '.nan',
  '~',
  '<<',
  '? ',
  '- ',
  '{',
  '[',
  '"',
  "'",
  '|',
  '>-',
  '\t',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\r',
  'x'.repeat(5000),
  '99999999999999999999999',
  '-1',
  'true',
  'null',
  '',
];

type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'dup'; at: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'indent'; at: number; by: number }
  | { op: 'value'; at: number; scalar: string }
  | { op: 'insert'; at: number; scalar: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('value' as const), at: fc.nat(), scalar: fc.constantFrom(...HOSTILE) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), scalar: fc.constantFrom(...HOSTILE) }),
);

function mutate(text: string, ms: Mutation[]): string {
  const lines = text.split('\n');
  for (const m of ms) {
    if (lines.length === 0) break;
    const i = m.at % lines.length;
    switch (m.op) {
      case 'drop':
        lines.splice(i, 1);
        break;
      case 'dup':
        lines.splice(i, 0, lines[i]!);
        break;
      case 'swap': {
        const j = m.with % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        break;
      }
      case 'indent':
        lines[i] =
          m.by >= 0 ? ' '.repeat(m.by) + lines[i]! : lines[i]!.slice(Math.min(-m.by, /^ */.exec(lines[i]!)![0].length));
        break;
      case 'value': {
        // Replace what follows the first `: ` or `- ` (a value), else append.
        const l = lines[i]!;
        const k = l.search(/: |- /);
        lines[i] = k >= 0 ? l.slice(0, k + 2) + m.scalar : l + m.scalar;
        break;
      }
      case 'insert': {
        const l = lines[i]!;
        const p = m.at % (l.length + 1);
        lines[i] = l.slice(0, p) + m.scalar + l.slice(p);
        break;
      }
    }
  }
  return lines.join('\n');
}

const FILE = '/project/compose.yaml';

function timed(text: string): { out: ReturnType<typeof convert>; ms: number } {
  const t = performance.now();
  const out = convert({ files: [{ path: FILE, content: text }], workingDir: '/project', env: {} });
  return { out, ms: performance.now() - t };
}

function check(text: string): void {
  const first = timed(text);
  const { out } = first;
  // A slow input is slow every time; a pause of the process (JIT warm-up, GC, a loaded shared machine)
  // is not: time a slow case twice more and judge the fastest run.
  let ms = first.ms;
  for (let k = 0; k < 2 && ms >= SLOW_MS; k++) ms = Math.min(ms, timed(text).ms);
  const lines = text.split('\n');
  for (const d of out.diagnostics) {
    expect(d.code, JSON.stringify(d)).toMatch(/^[a-z0-9-]+$/);
    expect(d.code, `${d.message}\n${(d as { stack?: string }).stack ?? ''}`).not.toBe('internal-error');
    if (d.severity === 'error' && d.pos && d.pos.file === FILE) {
      expect(d.pos.line, JSON.stringify(d)).toBeGreaterThanOrEqual(1);
      expect(d.pos.line, JSON.stringify(d)).toBeLessThanOrEqual(lines.length);
      expect(d.pos.col, JSON.stringify(d)).toBeGreaterThanOrEqual(1);
      expect(d.pos.col, JSON.stringify(d)).toBeLessThanOrEqual(lines[d.pos.line - 1]!.length + 1);
    }
  }
  expect(ms, 'one case took longer than the limit').toBeLessThan(SLOW_MS);
}

describe('fuzzing convert() with mutated compose files', () => {
  const texts = seeds();
  it(`never throws, positions errors inside the file, stays fast (${RUNS} cases)`, { timeout: 0 }, () => {
    expect(texts.length).toBeGreaterThanOrEqual(samples.length);
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (i, ms) => {
        check(mutate(texts[i]!, ms));
      }),
      { numRuns: RUNS },
    );
  });
});
