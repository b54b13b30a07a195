/**
 * zod issues of an `x-k8s` value → clear messages naming the key path (`service.type`, `patches[0].op`),
 * with a hint (the allowed keys, "did you mean ...?").
 */
import type { z } from 'zod';

export interface XIssue {
  /** Path inside the `x-k8s` value; for an unknown key, including that key. */
  path: Array<string | number>;
  message: string;
  hint?: string;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v === 'string' ? `"${v}"` : String(v);
}

/** `service.type`, `patches[0].op`. */
export function keyPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${String(s)}`)).join('');
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
}

function def(s: z.ZodType): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const d = def(s);
    if ((d.type === 'optional' || d.type === 'nullable' || d.type === 'default') && d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.out && def(d.out).type !== 'transform') s = d.out;
    else return s;
  }
}

/** The keys a strict object at `path` of `schema` accepts ([] when it is not an object). */
export function keysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let s: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    const d = def(s);
    s = d.type === 'object' ? d.shape?.[String(seg)] : d.type === 'array' ? d.element : undefined;
    if (!s) return [];
    s = unwrap(s);
  }
  const d = def(s);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}

function distance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[n]!;
}

/** "did you mean X? allowed: a, b, c". */
export function suggest(key: string, allowed: readonly string[]): string | undefined {
  if (!allowed.length) return undefined;
  const best = allowed
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0]!;
  const near = best.d <= Math.max(2, Math.floor(key.length / 3)) ? `did you mean ${best.k}? ` : '';
  return `${near}allowed keys: ${allowed.join(', ')}`;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = root;
  for (const seg of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[seg] : undefined;
  return v;
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

export function xk8sIssues(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], raw?: unknown): XIssue[] {
  const out: XIssue[] = [];
  for (const i of issues) {
    const path = i.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys)
        out.push({ path: [...path, k], message: 'unknown key', ...opt(suggest(k, keysAt(schema, path))) });
    } else if (i.code === 'custom') {
      const hint = (i.params as { hint?: string } | undefined)?.hint;
      out.push({ path, message: i.message, ...opt(hint) });
    } else if (i.code === 'invalid_type') {
      const input = 'input' in i ? i.input : valueAt(raw, path);
      const message =
        input === undefined ? 'is required' : `expected ${EXPECTED[i.expected] ?? i.expected}, got ${describe(input)}`;
      out.push({ path, message });
    } else {
      out.push({ path, message: i.message });
    }
  }
  return out;
}

function opt(hint: string | undefined): { hint?: string } {
  return hint ? { hint } : {};
}
