/**
 * A YAML emitter for plain JSON-shaped data (maps, lists, strings, numbers, booleans, null), written
 * for the manifests we print: block style, 2-space indent, lists indented under their key, keys in
 * the order given, no aliases, no line folding. Output reads back as the same data under YAML 1.1
 * (what kubectl's decoder and many tools use) and YAML 1.2:
 *
 * - a string is written plain only when no 1.1 or 1.2 reader could take it for anything else
 *   (`y`, `on`, `0777`, `1_000`, `1:20`, `0b101`, `.inf`, `~`, `2001-12-14`, `<<`, leading
 *   indicators, `: `, ` #`, ...); otherwise it is double-quoted with YAML escapes;
 * - a multi-line string is a `|` literal block (with an indentation indicator when it starts with a
 *   space, and the chomping indicator its trailing newlines need), unless a block cannot carry it
 *   exactly (control characters, `\r`, trailing whitespace-only lines): then it is double-quoted.
 *
 * The layout is the one `yaml`'s `Document#toString({ lineWidth: 0 })` gives for the same data, so
 * switching to this emitter did not change any manifest; it is about 20× cheaper because it decides
 * quoting with a few regular expressions instead of building and visiting a document tree.
 */
import { isMap } from '../util/object.js';

/** Characters only a double-quoted scalar can carry: C0/C1 controls (not tab/newline), DEL, line/paragraph separators, BOM, non-characters, lone surrogates. */
const NEEDS_ESCAPE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Words some YAML 1.1 or 1.2 reader resolves to a bool, null, infinity or NaN, in any letter case. */
const WORDS_ANY_CASE = /^(y|n|yes|no|on|off|true|false|null|~|nan|inf|\.nan|[-+]?\.?inf(inity)?)$/i;
/** 1.1 merge key `<<` and value key `=`. */
const SPECIAL = /^(<<|=)$/;
/** Anything that looks like a number in some dialect: signs, digits, dots, `_`, `:`, exponents, bases. */
const NUMBER_LIKE = /^[-+]?(\.?[0-9]|0[xob])[0-9a-fA-FxXoObB_.:eE+-]*$/;
/** `yaml`'s YAML 1.1 floats may have no digits before the exponent or none at all (`.`, `-._`, `E0`, `.e+1`). */
const FLOAT_11 = /^[-+]?[0-9_]*(\.[0-9._]*)?([eE][-+]?[0-9]+)?$/;
/** Dates and timestamps (YAML 1.1 timestamp type). */
const TIMESTAMP_LIKE = /^\d{4}-\d\d?-\d\d?([Tt ]|$)/;
/**
 * What a plain scalar cannot be: empty, leading/trailing whitespace, a first character that is an
 * indicator (`-`, `?`, `:` only when followed by a space or alone), `: ` or a final `:`, ` #`, a document
 * marker, a line break.
 */
const NOT_PLAIN =
  /^$|^[\s,[\]{}#&*!|>'"%@`]|^[?:-](?:[\s]|$)|[\s]$|:(?:[\s]|$)|[\s]#|^(?:---|\.\.\.)|[\n\r\u0085\u2028\u2029]/;
/** The common case: names, images, paths, label keys. A letter first rules out numbers, dates and indicators. */
const SIMPLE = /^[A-Za-z][A-Za-z0-9_./-]*$/;

/** True when `s` can be written as a plain scalar and read back as the same string under YAML 1.1 and 1.2. */
export function isPlainSafe(s: string): boolean {
  if (SIMPLE.test(s)) return !WORDS_ANY_CASE.test(s) && !FLOAT_11.test(s);
  return !(
    NOT_PLAIN.test(s) ||
    NEEDS_ESCAPE.test(s) ||
    WORDS_ANY_CASE.test(s) ||
    SPECIAL.test(s) ||
    NUMBER_LIKE.test(s) ||
    FLOAT_11.test(s) ||
    TIMESTAMP_LIKE.test(s)
  );
}

const SHORT_ESCAPES: Record<string, string> = {
  '\u0000': '\\0',
  '\u0007': '\\a',
  '\u000b': '\\v',
  '\u001b': '\\e',
  '\u0085': '\\N',
  '\u00a0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
};
/** JSON's `\u00XX` escapes (its `\uDXXX` ones, of lone surrogates, YAML reads the same way). */
const JSON_U_ESCAPE = /\\u00([0-9a-f]{2})/g;
const RAW_TO_ESCAPE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

function hex(c: string, width: number): string {
  return c.charCodeAt(0).toString(16).padStart(width, '0');
}

/** A double-quoted YAML scalar (on one line: line breaks as `\n`). */
export function doubleQuoted(s: string): string {
  let json = JSON.stringify(s);
  if (json.includes('\\u'))
    json = json.replace(
      JSON_U_ESCAPE,
      (_, c0: string) => SHORT_ESCAPES[String.fromCharCode(parseInt(c0, 16))] ?? `\\x${c0}`,
    );
  return json.replace(
    RAW_TO_ESCAPE,
    (ch) => SHORT_ESCAPES[ch] ?? (ch < '\u0100' ? `\\x${hex(ch, 2)}` : `\\u${hex(ch, 4)}`),
  );
}

/** `|` block for a multi-line string whose content lines sit at `indent`, or undefined when a block cannot carry it. */
function literalBlock(s: string, indent: string): string | undefined {
  if (NEEDS_ESCAPE.test(s) || s.includes('\r') || /\n[\t ]+\n*$/.test(s)) return undefined;
  // Trailing run of blanks and newlines decides the chomping indicator.
  let endStart = s.length;
  while (endStart > 0) {
    const c = s.charCodeAt(endStart - 1);
    if (c !== 10 && c !== 9 && c !== 32) break;
    endStart--;
  }
  if (endStart === 0) return undefined; // only blanks and newlines: clearer (and exact) quoted
  let end = s.slice(endStart);
  const nl = end.indexOf('\n');
  const chomp = nl === -1 ? '-' : nl !== end.length - 1 ? '+' : '';
  let body = s.slice(0, endStart);
  if (end.endsWith('\n')) end = end.slice(0, -1);
  // Leading spaces need an indentation indicator (the reader would take them for indentation).
  const lead = /^[ \n]*/.exec(body)![0];
  const lastNl = lead.lastIndexOf('\n');
  const leadingSpace = lead.includes(' ');
  let start = '';
  if (lastNl >= 0) {
    start = body.slice(0, lastNl + 1).replace(/\n+/g, `$&${indent}`);
    body = body.slice(lastNl + 1);
  }
  const header = (leadingSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${body.replace(/\n+/g, `$&${indent}`)}${end}`;
}

function stringValue(s: string, indent: string): string {
  if (isPlainSafe(s)) return s;
  if (s.includes('\n')) return literalBlock(s, indent) ?? doubleQuoted(s);
  return doubleQuoted(s);
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Object.is(n, -0)) return '-0.0';
  return JSON.stringify(n);
}

/** Keys longer than this are written as explicit `? key` entries (implicit keys are limited to 1024 characters). */
const MAX_IMPLICIT_KEY = 1000;

function keyText(k: string): string {
  return isPlainSafe(k) ? k : doubleQuoted(k);
}

function scalarText(v: unknown, indent: string): string {
  switch (typeof v) {
    case 'string':
      return stringValue(v, indent);
    case 'number':
      return numberText(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    default:
      return 'null';
  }
}

/** Decides the key order of each map: `parentKey` is the key the map sits under (undefined in lists), `top` the document's root. */
export type KeyOrder = (obj: Record<string, unknown>, parentKey: string | undefined, top: boolean) => string[];

/**
 * Entries of a non-empty map at `indent`; the first line's indent is left out when `inline` (after `- `). `top`
 * marks the document's root map.
 */
function emitMap(
  obj: Record<string, unknown>,
  indent: string,
  inline: boolean,
  out: string[],
  order: KeyOrder | undefined,
  parentKey: string | undefined,
  top = false,
): void {
  let first = inline;
  const keys = order ? order(obj, parentKey, top) : Object.keys(obj);
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (!first) out.push(indent);
    first = false;
    const key = keyText(k);
    if (key.length > MAX_IMPLICIT_KEY) {
      out.push('? ', key, '\n', indent, ':');
    } else out.push(key, ':');
    emitValue(v, indent + '  ', false, out, order, k);
  }
}

/** Items of a non-empty list at `indent` (`- ` then the item at `indent + 2`); the first indent left out when `inline`. */
function emitSeq(list: unknown[], indent: string, inline: boolean, out: string[], order: KeyOrder | undefined): void {
  for (let i = 0; i < list.length; i++) {
    if (i > 0 || !inline) out.push(indent);
    out.push('- ');
    emitValue(list[i], indent + '  ', true, out, order, undefined);
  }
}

/**
 * A value after `- ` (`afterDash`) or after `key:` (the map's `key`), its lines at `indent`: a scalar or an empty
 * list or map on the same line, else the block (on the dash's line, or below the key).
 */
function emitValue(
  v: unknown,
  indent: string,
  afterDash: boolean,
  out: string[],
  order: KeyOrder | undefined,
  key: string | undefined,
): void {
  const list = Array.isArray(v);
  if (list ? v.length === 0 : !isMap(v) || isEmptyMap(v)) {
    out.push(afterDash ? '' : ' ', inlineText(v, indent), '\n');
    return;
  }
  if (!afterDash) out.push('\n');
  if (list) emitSeq(v, indent, afterDash, out, order);
  else emitMap(v as Record<string, unknown>, indent, afterDash, out, order, key);
}

/** A value written on the line of its key or dash: a scalar, `[]` or `{}`. */
function inlineText(v: unknown, indent: string): string {
  if (Array.isArray(v)) return '[]';
  return isMap(v) ? '{}' : scalarText(v, indent);
}

function isEmptyMap(obj: Record<string, unknown>): boolean {
  for (const k in obj) if (Object.hasOwn(obj, k) && obj[k] !== undefined) return false;
  return true;
}

/** One YAML document (no `---`) for a JSON-shaped value, each map's keys in `order` (default: its own order). */
export function emitDocument(value: unknown, order?: KeyOrder): string {
  const out: string[] = [];
  if (isMap(value) && !isEmptyMap(value)) emitMap(value, '', false, out, order, undefined, true);
  else emitValue(value, '', true, out, order, undefined);
  return out.join('');
}

export interface EmitOptions {
  /** Comment lines above the document (written as `# line`). */
  header?: string;
  /** Comments above top-level keys (key → text, one `# line` per line; a blank line before all but the first key). */
  comments?: ReadonlyMap<string, string>;
  /** Key order of every map (default: the order of the object's own keys). Not combined with `comments`. */
  order?: KeyOrder;
}

function commentLines(text: string): string {
  return text
    .split('\n')
    .map((l) => `# ${l}`.trimEnd() + '\n')
    .join('');
}

/** One YAML document (no `---`) for a JSON-shaped value, with comments (emitDocument without them). */
export function emitYaml(value: unknown, options: EmitOptions = {}): string {
  const out: string[] = [];
  if (options.header) out.push(commentLines(options.header), '\n');
  const comments = options.comments;
  if (comments && comments.size > 0 && isMap(value) && !isEmptyMap(value)) {
    let i = 0;
    for (const k in value) {
      if (!Object.hasOwn(value, k) || value[k] === undefined) continue;
      const c = comments.get(k);
      if (c) out.push(i > 0 ? '\n' : '', commentLines(c));
      out.push(emitDocument({ [k]: value[k] }));
      i++;
    }
  } else out.push(emitDocument(value, options.order));
  return out.join('');
}
