/**
 * Every corpus case set that loads converts with no internal error into objects the validator accepts,
 * and its report accounts for every service key written in its compose files, one entry per item, each naming an
 * outcome of mappings/ (report-invariants.ts). awesome-compose is the
 * bar the product is held to; the other groups are held to the same. Skipped without the corpus.
 */
import { describe, expect, test } from 'vitest';
import { CORPUS_GROUPS, corpusCaseSets, loadCaseSet } from './cases.js';
import { convertCase } from './convert.js';
import { unreportedServiceKeys } from './keys.js';
import { formatIssues } from '../helpers/validate.js';
import { reportProblems } from './report-invariants.js';

const all = corpusCaseSets().filter((s) => !s.expected);

describe.skipIf(all.length === 0)('corpus conversion', () => {
  for (const group of CORPUS_GROUPS) {
    const sets = all.filter((s) => s.group === group);
    test(`${group}: valid output, no internal errors, every written service key in the report`, () => {
      const problems: string[] = [];
      let converted = 0;
      for (const s of sets) {
        const r = loadCaseSet(s);
        if (!r.project) continue; // the loader test reports it
        const c = convertCase(r.project);
        converted++;
        for (const m of c.internalErrors) problems.push(`${s.label}: ${m}`);
        if (c.issues.length) problems.push(`${s.label}:\n${formatIssues(c.issues)}`);
        for (const k of unreportedServiceKeys(r, c.result.report))
          problems.push(`${s.label}: no report entry for ${k}`);
        for (const p of reportProblems(c.result.report)) problems.push(`${s.label}: ${p}`);
      }
      expect(problems).toEqual([]);
      expect(converted).toBe(sets.length);
    }, 120_000);
  }
});
