/**
 * Problems found in an `x-k8s` value (./x-k8s-check.ts) → clear messages naming the key path (`service.type`, `patches[0].op`),
 * with a hint (the allowed keys, "did you mean ...?").
 */
import { keysAt, type Parser, type RawIssue } from './x-k8s-check.js';

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

/** The name of `allowed` closest to `key` (a likely typo of it), if one is close enough. */
export function nearest(key: string, allowed: readonly string[]): string | undefined {
  if (!allowed.length) return undefined;
  const best = allowed
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0]!;
  return best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.k : undefined;
}

/** "did you mean X? allowed: a, b, c". */
export function suggest(key: string, allowed: readonly string[]): string | undefined {
  if (!allowed.length) return undefined;
  const near = nearest(key, allowed);
  return `${near ? `did you mean ${near}? ` : ''}allowed keys: ${allowed.join(', ')}`;
}

const EXPECTED = { object: 'a mapping', array: 'a list' } as const;

export function xk8sIssues(schema: Parser<unknown>, issues: readonly RawIssue[]): XIssue[] {
  const out: XIssue[] = [];
  for (const i of issues) {
    const path = i.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys)
        out.push({ path: [...path, k], message: 'unknown key', ...opt(suggest(k, keysAt(schema, path))) });
    } else if (i.code === 'custom') {
      out.push({ path, message: i.message, ...opt(i.hint) });
    } else {
      const input = i.input;
      const message = input === undefined ? 'is required' : `expected ${EXPECTED[i.expected]}, got ${describe(input)}`;
      out.push({ path, message });
    }
  }
  return out;
}

function opt(hint: string | undefined): { hint?: string } {
  return hint ? { hint } : {};
}
