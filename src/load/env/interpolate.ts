/**
 * Compose Spec interpolation (`$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`, `${VAR?e}`,
 * `${VAR:+r}`, `${VAR+r}`, `$$`), matching compose-go's `template` package:
 * - names are `[_a-zA-Z][_a-zA-Z0-9]*`; `$FOO-bar` is `$FOO` followed by `-bar`;
 * - a `$` followed by neither a name, `{` nor `$` is a literal `$` (`$1`, `$ `, `$}`, a trailing `$`,
 *   `` $` `` — POSIX does the same; compose-go since PR #307, see docker/compose#12287);
 * - a malformed braced form (`${}`, `${ foo}`, `${foo }`, `${foo!}`, an unclosed `${VAR`) is an
 *   "invalid interpolation format" error;
 * - `${...}` ends at its matching `}` (only `${` opens a level), so defaults nest: `${A:-${B:-x}}`;
 * - the operator is the one right after the name; the text after it (default, message, replacement)
 *   is itself interpolated, eagerly, as compose-go does (an error there is an error even when unused);
 * - an unset `$VAR`/`${VAR}` becomes the empty string and is reported (compose-go logs a warning);
 *   the operator forms report nothing for an unset variable;
 * - the required forms fail with "required variable NAME is missing a value: MESSAGE".
 */
import { lookupPos, pointer } from '../../model/pointer.js';
import type { Segment } from '../../model/pointer.js';
import type { Diagnostics, SourcePos } from '../../report/diagnostic.js';
import { Override, RESET } from '../yaml/tags.js';

export type Lookup = (name: string) => string | undefined;

export interface InterpolationResult {
  value: string;
  unset: string[];
  error?: string;
  /** Which kind of error `error` is (absent when there is no error). */
  errorKind?: 'syntax' | 'required';
}

class TemplateError extends Error {
  constructor(
    readonly kind: 'syntax' | 'required',
    message: string,
  ) {
    super(message);
  }
}

const NAME_START = /[_a-zA-Z]/;
const NAME = /[_a-zA-Z][_a-zA-Z0-9]*/y;
const BRACED = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-+?])([\s\S]*))?$/;

/** Index of the `}` closing the `${` at `start`, counting nested `${`; -1 if none. */
function closingBrace(s: string, start: number): number {
  let open = 0;
  for (let i = start; i < s.length; i++) {
    if (s[i] === '}') {
      open--;
      if (open === 0) return i;
    }
    if (s[i] === '$' && s[i + 1] === '{') {
      open++;
      i++;
    }
  }
  return -1;
}

function braced(content: string, lookup: Lookup, unset: string[]): string {
  const m = BRACED.exec(content);
  if (!m) throw new TemplateError('syntax', '');
  const name = m[1] as string;
  const op = m[2];
  const value = lookup(name);
  if (op === undefined) {
    if (value === undefined) unset.push(name);
    return value ?? '';
  }
  const arg = substitute(m[3] ?? '', lookup, unset);
  switch (op) {
    case ':-':
      return value === undefined || value === '' ? arg : value;
    case '-':
      return value === undefined ? arg : value;
    case ':+':
      return value !== undefined && value !== '' ? arg : (value ?? '');
    case '+':
      return value !== undefined ? arg : '';
    case ':?':
    case '?':
      if (value === undefined || (op === ':?' && value === '')) {
        throw new TemplateError('required', `required variable ${name} is missing a value${arg ? ': ' + arg : ''}`);
      }
      return value;
    default:
      throw new TemplateError('syntax', '');
  }
}

function substitute(s: string, lookup: Lookup, unset: string[]): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const j = s.indexOf('$', i);
    if (j < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, j);
    const c = s[j + 1] ?? '';
    if (c === '$') {
      out += '$';
      i = j + 2;
    } else if (NAME_START.test(c)) {
      NAME.lastIndex = j + 1;
      const name = (NAME.exec(s) as RegExpExecArray)[0];
      const value = lookup(name);
      if (value === undefined) unset.push(name);
      out += value ?? '';
      i = j + 1 + name.length;
    } else if (c === '{') {
      const close = closingBrace(s, j);
      if (close < 0) throw new TemplateError('syntax', '');
      out += braced(s.slice(j + 2, close), lookup, unset);
      i = close + 1;
    } else {
      out += '$';
      i = j + 1;
    }
  }
  return out;
}

function syntaxMessage(s: string, where?: string): string {
  return `invalid interpolation format${where ? ' for ' + where : ''}: ${JSON.stringify(s)}; you may need to escape any $ with another $`;
}

export function interpolateString(s: string, lookup: Lookup): InterpolationResult {
  const unset: string[] = [];
  try {
    const value = substitute(s, lookup, unset);
    return { value, unset: [...new Set(unset)] };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    const error = e.kind === 'syntax' ? syntaxMessage(s) : e.message;
    return { value: s, unset: [...new Set(unset)], error, errorKind: e.kind };
  }
}

/**
 * Interpolates every string VALUE in the tree (never mapping keys), returns a new tree; warnings for unset
 * variables (code `interpolation-unset`, once per variable+position), errors for `${VAR:?msg}`/`${VAR?msg}`
 * (code `interpolation-required`, message includes the user's message) and bad syntax (`interpolation-syntax`),
 * each at the value's position (from `positions`, pointer relative to `basePointer`). RESET/Override pass through
 * (Override's inner value is interpolated).
 */
export function interpolateTree(
  value: unknown,
  positions: Map<string, SourcePos>,
  lookup: Lookup,
  diags: Diagnostics,
  basePointer?: string,
): unknown {
  const posOf = (path: Segment[]): SourcePos | undefined => {
    const rel = pointer(...path);
    const full = basePointer ? (rel ? `${basePointer}/${rel}` : basePointer) : rel;
    return lookupPos(positions, full);
  };
  const walk = (v: unknown, path: Segment[]): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('$')) return v;
      const r = interpolateString(v, lookup);
      const pos = posOf(path);
      const where = path.length ? path.join('.') : undefined;
      for (const name of r.unset) {
        diags.warn(
          'interpolation-unset',
          `the "${name}" variable is not set; defaulting to a blank string`,
          pos,
          `set ${name} in the environment or in the .env file, or give a default: \${${name}:-value}`,
        );
      }
      if (r.error !== undefined) {
        if (r.errorKind === 'required') {
          diags.error('interpolation-required', where ? `${r.error} (at ${where})` : r.error, pos);
        } else {
          diags.error('interpolation-syntax', syntaxMessage(v, where), pos, 'write $$ for a literal $');
        }
      }
      return r.value;
    }
    if (v === RESET) return v;
    if (v instanceof Override) return new Override(walk(v.value, path));
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) out[k] = walk(child, [...path, k]);
      return out;
    }
    return v;
  };
  return walk(value, []);
}
