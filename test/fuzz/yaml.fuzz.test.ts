/**
 * Fuzzing our own YAML parser against the reader it replaced (test/load/yaml/ref-*.ts, on the `yaml`
 * package's CST): the samples', fixtures' and shared corpus's YAML files with random YAML-hostile edits
 * (test/load/yaml/mutations.ts). Syntax trees, values, positions and diagnostics must be identical.
 * `npm test` runs FUZZ_RUNS (default 3000) cases, `npm run fuzz` 100 000.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWithReference, yamlFiles } from '../load/yaml/diff-cases.js';
import { mutate, mutation } from '../load/yaml/mutations.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

describe('fuzzing the YAML parser against the reference reader', () => {
  const texts = yamlFiles()
    .map((f) => readFileSync(f, 'utf8'))
    .filter((t) => t.length < 100_000);
  it(`reads mutated YAML exactly like the reference (${RUNS} cases)`, { timeout: 0 }, () => {
    expect(texts.length).toBeGreaterThan(200);
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 8 }), (i, ms) => {
        compareWithReference(mutate(texts[i]!, ms));
      }),
      { numRuns: RUNS },
    );
  });
});
