/**
 * Turns issues from the Compose schema (src/model/check.ts) into diagnostics with stable codes and source positions:
 * `unknown-key` (except `x-*` keys, which are extensions), `invalid-type`, `invalid-value`.
 * Union failures are narrowed to the branch that matched the value's type, so the user sees the real
 * problem (`ports[0].published: expected ...`) rather than "invalid input".
 */
import type { SourcePositions } from '../../model/positions.js';
import type { Issue, IssuePath } from '../../model/check.js';
import type { DiagnosticId, Diagnostics } from '../../report/diagnostic.js';
import type { MessageValues } from '../../report/entry.js';
import { where } from './context.js';

type Path = IssuePath;

export interface Problem {
  /** An `unknown-key`, `invalid-type` or `invalid-value` wording. */
  id: DiagnosticId;
  path: Array<string | number>;
  values: MessageValues;
}

function dotted(path: Array<string | number>): string {
  return path.length === 0 ? 'the top level' : where(path);
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
};

function typeWord(t: string): string {
  return TYPE_WORDS[t] ?? t;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

function valueAt(root: unknown, path: Array<string | number>): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** What the schema allows, for messages. */
export interface KeyHelp {
  /** Keys allowed in the object at `path`. */
  allowed(path: Path): string[];
  /** Where else `key` is allowed (e.g. `services.<name>`). */
  placesOf(key: string): string[];
}

/** The unknown-key wordings by what the message adds, without and with a near key as the hint. */
const UNKNOWN_KEY: Record<'belongs' | 'listed' | 'other', readonly [DiagnosticId, DiagnosticId]> = {
  belongs: ['unknown-key.belongs', 'unknown-key.belongs-near'],
  listed: ['unknown-key.listed', 'unknown-key.listed-near'],
  other: ['unknown-key', 'unknown-key.near'],
};

/** An unknown key's problem: where else it belongs, or the keys allowed here (a short list), and a near one. */
function unknownKey(key: string, segs: Array<string | number>, help: KeyHelp, near: string | undefined): Problem {
  const here = segs.length ? `in ${dotted(segs)}` : 'at the top level';
  const places = help.placesOf(key);
  const names = places.length ? [] : help.allowed(segs);
  const kind = places.length ? 'belongs' : names.length <= 15 ? 'listed' : 'other';
  const values: Record<string, string> = { key, here };
  if (kind === 'belongs') values.places = places.join(' or ');
  if (kind === 'listed') values.names = names.join(', ');
  if (near) values.near = near;
  return { id: UNKNOWN_KEY[kind][near ? 1 : 0], path: [...segs, key], values };
}

/** Flattens issues (relative to `base`) into problems; `x-*` unknown keys are dropped. */
function collect(issues: readonly Issue[], base: Path, root: unknown, out: Problem[], help: KeyHelp): void {
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          if (key.startsWith('x-')) continue;
          const near = closest(key, help.allowed(path));
          out.push(unknownKey(key, path, help, near));
        }
        break;
      case 'invalid_union': {
        const branches = issue.errors.map((errs) => {
          const sub: Problem[] = [];
          collect(errs, path, root, sub, help);
          const typeMiss = errs.some((e) => e.code === 'invalid_type' && e.path.length === 0);
          return { sub, typeMiss };
        });
        if (branches.some((b) => b.sub.length === 0)) break;
        const matched = branches.filter((b) => !b.typeMiss);
        if (matched.length > 0) {
          matched.sort((a, b) => a.sub.length - b.sub.length);
          out.push(...matched[0]!.sub);
          break;
        }
        const expected = new Set<string>();
        for (const errs of issue.errors) {
          for (const e of errs)
            if (e.code === 'invalid_type' && e.path.length === 0) expected.add(typeWord(e.expected));
        }
        out.push({
          id: 'invalid-type.schema',
          path,
          values: { where: dotted(path), expected: [...expected].join(' or '), found: describe(valueAt(root, path)) },
        });
        break;
      }
      case 'invalid_type':
        out.push({
          id: 'invalid-type.schema',
          path,
          values: { where: dotted(path), expected: typeWord(issue.expected), found: describe(valueAt(root, path)) },
        });
        break;
      case 'invalid_value':
        out.push({
          id: 'invalid-value.schema',
          path,
          values: { where: dotted(path), allowed: issue.values.map((v) => JSON.stringify(v)).join(', ') },
        });
        break;
    }
  }
}

export function schemaProblems(issues: readonly Issue[], root: unknown, help: KeyHelp): Problem[] {
  const out: Problem[] = [];
  collect(issues, [], root, out, help);
  return out;
}

export function reportProblems(problems: Problem[], sources: SourcePositions, diags: Diagnostics): void {
  for (const p of problems) diags.error(p.id, p.values, sources.at(...p.path));
}

function distance(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

function closest(key: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const n of names) {
    const dd = distance(key.toLowerCase(), n);
    if (dd < bestD) {
      best = n;
      bestD = dd;
    }
  }
  return best;
}
