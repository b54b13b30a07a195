/**
 * Unit parsing shared by the normalizer: durations (Go/str2duration syntax, as compose-go reads
 * them) and byte sizes (docker's units.RAMInBytes: binary multiples, 1k = 1024).
 * Both return `undefined` for input they cannot read; callers report the diagnostic.
 */

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

// µs written as escapes (micro sign, Greek mu): the CLI bundle must stay ASCII (scripts/build-cli.mjs).
const DURATION_PART = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h|d|w)/;

/**
 * Parses `1m30s`, `500ms`, `1.5s`, `1h`, `2d` into milliseconds. A bare `0` is zero; any other number
 * without a unit is rejected (compose-go: "missing unit in duration").
 */
export function parseDuration(input: string | number): number | undefined {
  let s = String(input).trim();
  if (s === '') return undefined;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  while (s.length > 0) {
    const m = DURATION_PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    s = s.slice(m[0].length);
  }
  return sign * total;
}

const BYTE_MULT: Record<string, number> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

const BYTES_RE = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/;

/** `512m`, `1g`, `1gb`, `100k`, `2048`, `1.5g` → bytes (binary units, truncated like docker). */
export function parseBytes(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? Math.trunc(input) : undefined;
  const m = BYTES_RE.exec(input.trim());
  if (!m) return undefined;
  const size = parseFloat(m[1]!);
  if (!Number.isFinite(size)) return undefined;
  return Math.trunc(size * BYTE_MULT[(m[2] ?? '').toLowerCase()]!);
}
