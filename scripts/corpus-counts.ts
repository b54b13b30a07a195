/**
 * Corpus counts for `npm run corpus` (scripts/corpus.mjs runs this file with vitest, which compiles the
 * TypeScript validator; it is not part of `npm test`). Takes the case sets of test/corpus/cases.ts — the
 * same ones the loader corpus test checks — loads each, converts what loads, validates the objects and
 * counts the report's `unsupported` entries. The counts go back to corpus.mjs as the test's meta data
 * (nothing is written to disk).
 */
import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import {
  CORPUS_GROUPS,
  CORPUS_ROOT,
  type CaseSet,
  corpusCaseSets,
  judgeLoad,
  loadCaseSet,
} from '../test/corpus/cases.js';
import { convertCase } from '../test/corpus/convert.js';
import { unreportedServiceKeys, unsupportedKey } from '../test/corpus/keys.js';
import { auditRuntime, type RuntimeAudit } from '../test/corpus/runtime-audit.js';

export interface GroupCounts {
  caseSets: number;
  loaded: number;
  expectedFailures: number;
  unexpectedFailures: number;
  converted: number;
  objects: number;
  /** Case sets with at least one validation issue, and the issues. */
  invalidSets: number;
  validationIssues: number;
  internalErrors: number;
  /** Report entries with status `unsupported`. */
  unsupported: number;
  /** Entries for keys the mappings table maps but no conversion step handled (outcome report.unhandled): gaps. */
  unhandled: number;
  /** Service keys written in the files with no report entry. */
  unreportedKeys: number;
}

export interface CorpusCounts {
  groups: Record<string, GroupCounts>;
  expectedFailures: Array<{ label: string; kind: string; codes: string[]; why: string }>;
  /** What went wrong, one line per problem (unexpected failures, invalid output, internal errors, unreported keys). */
  problems: string[];
  /** `unsupported` entries by key, across the corpus: key → entries, case sets, the first message. */
  unsupportedKeys: Record<string, { entries: number; sets: number; example: string }>;
  /** The runtime audit (test/corpus/runtime-audit.ts) of every converted case set, by label. */
  runtime: Record<string, RuntimeAudit>;
  /**
   * What a person must still do, per real-world case set: unsupported and approximated items by outcome id
   * (how many, one example path, the fix), so a closing note can list the hand work per project.
   */
  todo: Record<string, Record<string, { status: string; count: number; example: string; fix: string }>>;
}

declare module 'vitest' {
  interface TaskMeta {
    corpusCounts?: CorpusCounts;
  }
}

const zero = (): GroupCounts => ({
  caseSets: 0,
  loaded: 0,
  expectedFailures: 0,
  unexpectedFailures: 0,
  converted: 0,
  objects: 0,
  invalidSets: 0,
  validationIssues: 0,
  internalErrors: 0,
  unsupported: 0,
  unhandled: 0,
  unreportedKeys: 0,
});

function countCase(s: CaseSet, g: GroupCounts, out: CorpusCounts): void {
  g.caseSets++;
  const r = loadCaseSet(s);
  const { outcome, problems } = judgeLoad(s, r);
  if (outcome === 'unexpected-failure') {
    g.unexpectedFailures++;
    out.problems.push(...problems.map((p) => `unexpected failure ${s.label}: ${p}`));
    return;
  }
  if (outcome === 'expected-failure') {
    g.expectedFailures++;
    out.expectedFailures.push({
      label: s.label,
      kind: s.expected!.kind,
      codes: s.expected!.codes,
      why: s.expected!.why,
    });
    return;
  }
  g.loaded++;
  const c = convertCase(r.project!);
  g.converted++;
  g.objects += c.result.objects.length;
  g.internalErrors += c.internalErrors.length;
  out.problems.push(...c.internalErrors.map((m) => `internal error ${s.label}: ${m}`));
  if (c.issues.length) {
    g.invalidSets++;
    g.validationIssues += c.issues.length;
    out.problems.push(...c.issues.map((i) => `invalid output ${s.label}: ${i.object} ${i.path}: ${i.message}`));
  }
  out.runtime[s.label] = auditRuntime(r.project!, c.result.objects);
  if (s.group === 'real-world') {
    const todo: CorpusCounts['todo'][string] = (out.todo[s.label] = {});
    for (const e of c.result.report.entries) {
      if (e.status !== 'unsupported' && e.status !== 'approximated') continue;
      const t = (todo[e.id] ??= {
        status: e.status,
        count: 0,
        example: `${e.service ?? '(project)'} ${e.path}`,
        fix: e.fix ?? '',
      });
      t.count++;
    }
  }
  const missing = unreportedServiceKeys(r, c.result.report);
  g.unreportedKeys += missing.length;
  out.problems.push(...missing.map((k) => `no report entry ${s.label}: ${k}`));
  const seen = new Set<string>();
  for (const e of c.result.report.entries) {
    if (e.id === 'report.unhandled') g.unhandled++;
    if (e.status !== 'unsupported') continue;
    g.unsupported++;
    const k = unsupportedKey(e);
    const u = (out.unsupportedKeys[k] ??= { entries: 0, sets: 0, example: `${s.label}: ${e.message}` });
    u.entries++;
    if (!seen.has(k)) u.sets++;
    seen.add(k);
  }
}

test.runIf(existsSync(CORPUS_ROOT))(
  'corpus counts',
  ({ task }) => {
    const out: CorpusCounts = {
      groups: {},
      expectedFailures: [],
      problems: [],
      unsupportedKeys: {},
      runtime: {},
      todo: {},
    };
    for (const group of CORPUS_GROUPS) out.groups[group] = zero();
    for (const s of corpusCaseSets()) countCase(s, out.groups[s.group]!, out);
    task.meta.corpusCounts = out;
    expect(Object.values(out.groups).reduce((n, g) => n + g.caseSets, 0)).toBeGreaterThan(0);
  },
  300_000,
);
