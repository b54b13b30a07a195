/**
 * Plain-scalar resolution the way compose-go sees it. compose-go decodes with go-yaml v3, whose
 * `resolve.go` (YAML 1.2 core schema plus a few YAML 1.1 leftovers) decides what a plain scalar is:
 *
 * - null: `` (empty), `~`, `null`, `Null`, `NULL`;  booleans: `true|True|TRUE`, `false|False|FALSE`.
 *   `yes`/`no`/`on`/`off`/`y`/`n` are NOT booleans: they stay strings.
 * - `.inf`/`+.inf`/`-.inf` (and `.Inf`, `.INF`) → ±Infinity; `.nan`/`.NaN`/`.NAN` → NaN.
 * - Scalars starting with a digit or a sign: underscores are removed, then Go's `ParseInt(s, 0, 64)`
 *   is tried, so `0x1F` → 31, `0o440` → 288, `0b101` → 5, and a leading zero means OCTAL:
 *   `0440` → 288 (go-yaml v3 keeps YAML 1.1 octals "for compatibility"). `1_000` → 1000. Out of int64
 *   range, `ParseUint` (to 2^64-1), then the YAML float pattern (`1e3`, `1.5`, `08` → 8).
 *   So a file mode written `mode: 0440` reaches docker compose as 288 (= 0o440), the mode the user meant.
 * - Scalars starting with `.` that parse as a float (`.5`) are floats.
 * - Everything else, and every quoted or block scalar, is a string.
 * Deviation: go-yaml turns `2001-12-14`-like plain scalars into timestamps; we keep them strings
 * (compose has no timestamp field, and a string is what users mean there).
 * Integers outside ±(2^53-1) come back as `bigint` so they stay exact.
 */

/** The words that are null, a boolean, NaN or an infinity. */
const WORDS = new Map<string, PlainScalar>(
  (
    [
      [null, ['', '~', 'null', 'Null', 'NULL']],
      [true, ['true', 'True', 'TRUE']],
      [false, ['false', 'False', 'FALSE']],
      [NaN, ['.nan', '.NaN', '.NAN']],
      [Infinity, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']],
      [-Infinity, ['-.inf', '-.Inf', '-.INF']],
    ] as const
  ).flatMap(([value, words]) => words.map((w): [string, PlainScalar] => [w, value])),
);

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export type PlainScalar = string | number | bigint | boolean | null;

function toNumberOrBig(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * Go's strconv.ParseInt/ParseUint with base 0 (no underscores: the caller removed them): `0x`, `0o`, `0b` and a
 * leading `0` (octal) prefixes, else decimal digits without a leading zero.
 */
function parseGoInt(s: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]+|[1-9][0-9]*|0)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  // BigInt reads the 0x / 0o / 0b prefixes itself; Go's leading-zero octal becomes 0o
  const v = (m[1] === '-' ? -1n : 1n) * BigInt(/^0[0-7]/.test(body) ? '0o' + body.slice(1) : body);
  if (v >= INT64_MIN && v <= INT64_MAX) return v;
  // ParseUint takes no sign at all
  if (m[1] === '' && v > 0n && v <= UINT64_MAX) return v;
  return undefined;
}

/** Resolve a plain (unquoted, untagged) scalar's text. */
export function resolvePlain(text: string): PlainScalar {
  if (WORDS.has(text)) return WORDS.get(text) as PlainScalar;
  const c = text[0] ?? '';
  if (c === '.') {
    if (YAML_FLOAT.test(text)) return Number(text);
    return text;
  }
  if (!/[-+0-9]/.test(c)) return text;
  const plain = text.replace(/_/g, '');
  const i = parseGoInt(plain);
  if (i !== undefined) return toNumberOrBig(i);
  if (YAML_FLOAT.test(plain)) return Number(plain);
  return text;
}

export type CoreTag = 'str' | 'int' | 'float' | 'bool' | 'null' | 'binary' | 'timestamp' | 'map' | 'seq' | 'merge';
const CORE_TAGS = new Set<string>([
  'str',
  'int',
  'float',
  'bool',
  'null',
  'binary',
  'timestamp',
  'map',
  'seq',
  'merge',
]);

/** `tag:yaml.org,2002:int` → `int`; anything else (custom `!tags`) → undefined. */
export function coreTag(tag: string): CoreTag | undefined {
  const p = 'tag:yaml.org,2002:';
  if (!tag.startsWith(p)) return undefined;
  const t = tag.slice(p.length);
  return CORE_TAGS.has(t) ? (t as CoreTag) : undefined;
}

/**
 * A scalar with an explicit core tag (`!!str 0440`, `!!int "12"`). Returns undefined when the
 * text cannot be read as that type (go-yaml: "cannot decode !!str `x` as a !!int").
 */
export function resolveTagged(tag: CoreTag, text: string): PlainScalar | undefined {
  const v = resolvePlain(text);
  switch (tag) {
    case 'null':
      return v === null ? v : undefined;
    case 'bool':
      return typeof v === 'boolean' ? v : undefined;
    case 'int':
      return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint' ? v : undefined;
    case 'float':
      if (typeof v === 'bigint') return Number(v);
      return typeof v === 'number' ? v : undefined;
    default:
      return text;
  }
}
