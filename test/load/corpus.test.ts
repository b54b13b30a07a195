/**
 * Every case set of the shared corpus (test/corpus/cases.ts: real-world projects, awesome-compose,
 * kompose fixtures) loads, or fails exactly as its ExpectedFailure says. Skipped when the corpus
 * folder is absent.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { corpusCaseSets, judgeLoad, loadCaseSet } from '../corpus/cases.js';
import { KOMPOSE_FAILURES } from '../corpus/kompose.js';
import { REAL_WORLD_FAILURES } from '../corpus/real-world.js';

const all = corpusCaseSets();

describe.skipIf(all.length === 0)('corpus', () => {
  test.each(all.map((s) => [s.label, s] as const))('%s loads (or fails as expected)', (_label, s) => {
    const r = loadCaseSet(s);
    const { outcome, problems } = judgeLoad(s, r);
    expect(problems).toEqual([]);
    expect(outcome).toBe(s.expected ? 'expected-failure' : 'loaded');
  });

  test('every listed expected failure names a case set that exists', () => {
    const labels = new Set(all.map((s) => s.label));
    const listed = [...Object.keys(REAL_WORLD_FAILURES), ...Object.keys(KOMPOSE_FAILURES)];
    expect(listed.filter((l) => !labels.has(l))).toEqual([]);
  });

  test('the v1-format fixtures really have no top-level services:', () => {
    const v1 = all.filter((s) => s.expected?.kind === 'v1-format');
    expect(v1.length).toBeGreaterThan(0);
    for (const s of v1) {
      const doc = parse(readFileSync(s.files[s.files.length - 1]!, 'utf8')) as Record<string, unknown>;
      expect(Object.keys(doc), s.label).not.toContain('services');
    }
  });

  test('each group contributes case sets', () => {
    for (const g of ['awesome-compose', 'real-world', 'kompose'])
      expect(all.filter((s) => s.group === g).length, g).toBeGreaterThan(10);
  });
});
