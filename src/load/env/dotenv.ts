/**
 * `.env` files, read the way compose-go's `dotenv` package reads them:
 * - blank lines and lines starting with `#` are skipped; an optional `export ` prefix is dropped;
 * - `KEY=value` or YAML-ish `KEY: value`; spaces around the separator are ignored;
 * - key characters: letters, digits, `_`, `.`, `-`, `[`, `]` (any other → error; a space inside → error);
 * - a `KEY` alone on its line takes its value from `lookup` (the environment) and is left out when
 *   the environment does not have it;
 * - unquoted values run to the end of the line, lose an inline comment starting with ` #` (space
 *   then `#`: `a#b` keeps its `#`), are right-trimmed and interpolated;
 * - `'single'` values are literal (no escapes, no interpolation) and may span lines;
 * - `"double"` values may span lines, understand `\n \r \t \a \b \f \v \" \\ \$` and `\0ooo` (octal),
 *   keep other backslashes, and are interpolated (`\$` gives a literal `$`);
 * - after a closing quote, parsing simply goes on (a `# comment` there is skipped);
 * - `${VAR}` in values sees `lookup` first, then the keys defined earlier in the same file; with `built`, each
 *   value that interpolated a variable keeps its pieces there (as compose values do in `Project.interpolated`), a
 *   piece from a variable `built` already holds (read earlier, with that very text) taken apart into its own pieces.
 * Errors (`dotenv-syntax`) carry line:col; a bad line is skipped and parsing goes on, so every
 * problem of the file is reported at once (compose-go stops at the first).
 */
import type { Diagnostics, SourcePos } from '../../report/diagnostic.js';
import { interpolateString, reportRequired } from './interpolate.js';
import type { Lookup } from './interpolate.js';
import type { InterpolatedPart } from '../../model/pointer.js';
import { LineTable } from '../yaml/lines.js';

const isSpace = (c: string): boolean =>
  c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\r' || c === '\u0085' || c === '\u00a0';
const KEY_CHAR = /^[\p{L}\p{N}_.\-[\]]$/u;
const ESCAPE = /\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})/g;
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
  $: '$$',
};

function expandEscapes(s: string): string {
  return s.replace(ESCAPE, (m) => {
    const c = m[1] as string;
    if (c !== '0') return SIMPLE_ESCAPES[c] ?? m;
    // `\0ooo` is the octal byte ooo (exactly three octal digits, at most 0377); anything else stays as written
    const digits = m.slice(2);
    if (!/^[0-7]{3}$/.test(digits)) return m;
    const code = parseInt(digits, 8);
    return code <= 0o377 ? String.fromCharCode(code) : m;
  });
}

/** The pieces of each variable's value that interpolated another variable, by name (see parseDotenv's `built`). */
export type BuiltValues = Map<string, readonly InterpolatedPart[]>;

export function parseDotenv(
  text: string,
  file: string,
  lookup: Lookup,
  diags: Diagnostics,
  built?: BuiltValues,
): Record<string, string> {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new LineTable(src);
  const posAt = (offset: number): SourcePos => lines.pos(file, offset);
  const out = new Map<string, string>();
  const set = (key: string, value: string, parts?: readonly InterpolatedPart[]): void => {
    out.set(key, value);
    if (!built) return;
    if (!parts?.some((p) => p.name !== undefined)) return void built.delete(key);
    built.set(
      key,
      parts.flatMap((p) => {
        const inner = p.name !== undefined ? built.get(p.name) : undefined;
        return inner && inner.map((q) => q.text).join('') === p.text ? inner : [p];
      }),
    );
  };
  const endOfLine = (from: number): number => {
    const e = src.indexOf('\n', from);
    return e < 0 ? src.length : e;
  };
  const interpolate = (raw: string, at: number): { value: string; parts?: InterpolatedPart[] } | undefined => {
    if (!raw.includes('$')) return { value: raw };
    const r = interpolateString(raw, (name) => lookup(name) ?? out.get(name));
    const pos = posAt(at);
    for (const name of r.unset) diags.warn('interpolation-unset.dotenv', { name }, pos);
    if (r.error !== undefined) {
      if (r.error.kind === 'required') reportRequired(diags, r.error, pos);
      else diags.error('interpolation-syntax.dotenv', { text: JSON.stringify(raw) }, pos);
      return undefined;
    }
    return r;
  };

  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      i = endOfLine(i);
      continue;
    }
    // statement
    const exp = /^export[ \t]+/.exec(src.slice(i, i + 64));
    if (exp) i += exp[0].length;
    const keyStart = i;
    let sep = -1;
    let bad = -1;
    for (let k = i; k < src.length; k++) {
      const ch = src[k] as string;
      if (ch === '=' || ch === ':' || ch === '\n') {
        sep = k;
        break;
      }
      if (isSpace(ch) || KEY_CHAR.test(ch)) continue;
      bad = k;
      break;
    }
    if (bad >= 0) {
      const line = src.slice(keyStart, endOfLine(keyStart));
      diags.error(
        'dotenv-syntax.name-char',
        { char: JSON.stringify(src[bad]), line: JSON.stringify(line) },
        posAt(bad),
      );
      i = endOfLine(bad);
      continue;
    }
    const sepAt = sep < 0 ? src.length : sep;
    const key = src.slice(keyStart, sepAt).replace(/\s+$/u, '');
    if (/\s/.test(key)) {
      diags.error('dotenv-syntax.key-space', { key: JSON.stringify(key) }, posAt(keyStart));
      i = endOfLine(keyStart);
      continue;
    }
    if (key === '') {
      diags.error('dotenv-syntax.no-name', { sep: src[sepAt] ?? '' }, posAt(keyStart));
      i = endOfLine(keyStart);
      continue;
    }
    if (sep < 0 || src[sep] === '\n') {
      // `KEY` alone: inherited from the environment, absent when the environment lacks it
      const v = lookup(key);
      if (v !== undefined) out.set(key, v); // `built` keeps what it holds of an earlier file's KEY
      i = sepAt;
      continue;
    }
    i = sep + 1;
    while (i < src.length && isSpace(src[i] as string)) i++;
    const q = src[i];
    if (q === '"' || q === "'") {
      const open = i;
      let chars = '';
      let esc = false;
      let close = -1;
      for (let k = open + 1; k < src.length; k++) {
        const ch = src[k] as string;
        if (ch === q && !esc) {
          close = k;
          break;
        }
        esc = !esc && ch === '\\';
        chars += ch;
      }
      if (close < 0) {
        diags.error('dotenv-syntax.unterminated', { value: src.slice(open, endOfLine(open)), quote: q }, posAt(open));
        break;
      }
      i = close + 1;
      if (q === "'") set(key, chars);
      else {
        const v = interpolate(expandEscapes(chars), open);
        if (v !== undefined) set(key, v.value, v.parts);
      }
      continue;
    }
    const eol = endOfLine(i);
    let raw = src.slice(i, eol);
    const hash = raw.indexOf(' #');
    if (hash >= 0) raw = raw.slice(0, hash);
    raw = raw.replace(/\s+$/u, '');
    const v = interpolate(raw, i);
    if (v !== undefined) set(key, v.value, v.parts);
    i = eol;
  }
  return Object.fromEntries(out);
}
