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
 * - the required forms fail with "required variable NAME is missing a value: MESSAGE" (the wording is
 *   `interpolation-required` of mappings/diagnostics.yaml, reportRequired).
 */
import { lookupPos, pointer } from '../../model/pointer.js';
import type { InterpolatedPart, Segment } from '../../model/pointer.js';
import type { Diagnostics, SourcePos } from '../../report/diagnostic.js';
import { Override } from '../yaml/tags.js';

export type Lookup = (name: string) => string | undefined;

/**
 * Where the text of an interpolated value came from, piece by piece: `name` when the piece is the value of that
 * variable (`${DB_PASS}`, `$DB_PASS`, `${DB_PASS:-x}` with DB_PASS set), else literal compose text (a default, the
 * text around the references). An empty or unset variable is an empty piece with its name: the value still comes
 * from it (an empty password the operator sets later). Joined, the pieces are the value.
 */
export type { InterpolatedPart } from '../../model/pointer.js';

export interface InterpolationResult {
  value: string;
  /** The pieces of `value` (see InterpolatedPart). */
  parts: InterpolatedPart[];
  unset: string[];
  /** Why the value is not interpolated (a malformed template: the callers word it with the value's text). */
  error?: InterpolationError;
}

/** A malformed template, or a required variable that is not set: its name and the template's message (maybe ''). */
export type InterpolationError = { kind: 'syntax' } | RequiredError;
export interface RequiredError {
  kind: 'required';
  name: string;
  message: string;
}

class TemplateError extends Error {
  constructor(readonly error: InterpolationError) {
    super(error.kind);
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

function braced(content: string, lookup: Lookup, unset: string[], parts: InterpolatedPart[]): void {
  const m = BRACED.exec(content);
  if (!m) throw new TemplateError({ kind: 'syntax' });
  const name = m[1] as string;
  const op = m[2];
  const value = lookup(name);
  const own = (): void => {
    parts.push({ text: value ?? '', name });
  };
  if (op === undefined) {
    if (value === undefined) unset.push(name);
    own();
    return;
  }
  // The text after the operator is interpolated eagerly (an error there is an error even when unused).
  const arg: InterpolatedPart[] = [];
  substitute(m[3]!, lookup, unset, arg);
  const useArg = (): void => void parts.push(...arg);
  switch (op) {
    case ':-':
      return value === undefined || value === '' ? useArg() : own();
    case '-':
      return value === undefined ? useArg() : own();
    case ':+':
      return value !== undefined && value !== '' ? useArg() : undefined;
    case '+':
      return value !== undefined ? useArg() : undefined;
    case ':?':
    case '?':
      if (value === undefined || (op === ':?' && value === '')) {
        const msg = arg.map((p) => p.text).join('');
        throw new TemplateError({ kind: 'required', name, message: msg });
      }
      return own();
    // BRACED matches no other operator
  }
}

function literal(parts: InterpolatedPart[], text: string): void {
  if (!text) return;
  const last = parts[parts.length - 1];
  if (last && last.name === undefined) last.text += text;
  else parts.push({ text });
}

function substitute(s: string, lookup: Lookup, unset: string[], parts: InterpolatedPart[]): void {
  let i = 0;
  while (i < s.length) {
    const j = s.indexOf('$', i);
    if (j < 0) {
      literal(parts, s.slice(i));
      break;
    }
    literal(parts, s.slice(i, j));
    const c = s[j + 1] ?? '';
    if (c === '$') {
      literal(parts, '$');
      i = j + 2;
    } else if (NAME_START.test(c)) {
      NAME.lastIndex = j + 1;
      const name = (NAME.exec(s) as RegExpExecArray)[0];
      const value = lookup(name);
      if (value === undefined) unset.push(name);
      parts.push({ text: value ?? '', name });
      i = j + 1 + name.length;
    } else if (c === '{') {
      const close = closingBrace(s, j);
      if (close < 0) throw new TemplateError({ kind: 'syntax' });
      braced(s.slice(j + 2, close), lookup, unset, parts);
      i = close + 1;
    } else {
      literal(parts, '$');
      i = j + 1;
    }
  }
}

export function interpolateString(s: string, lookup: Lookup): InterpolationResult {
  const unset: string[] = [];
  const parts: InterpolatedPart[] = [];
  try {
    substitute(s, lookup, unset, parts);
    return { value: parts.map((p) => p.text).join(''), parts, unset: [...new Set(unset)] };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return { value: s, parts: [{ text: s }], unset: [...new Set(unset)], error: e.error };
  }
}

/** The `interpolation-required` error of `e` at `pos` (with `where`, the value's path, when it has one). */
export function reportRequired(diags: Diagnostics, e: RequiredError, pos?: SourcePos, where?: string): void {
  const values = { name: e.name, message: e.message, ...(where ? { where } : {}) };
  if (e.message)
    diags.error(where ? 'interpolation-required.message-at' : 'interpolation-required.message', values, pos);
  else diags.error(where ? 'interpolation-required.at' : 'interpolation-required', values, pos);
}

/**
 * Interpolates every string VALUE in the tree (never mapping keys), returns a new tree; warnings for unset
 * variables (code `interpolation-unset`, once per variable+position), errors for `${VAR:?msg}`/`${VAR?msg}`
 * (code `interpolation-required`, message includes the user's message) and bad syntax (`interpolation-syntax`),
 * each at the value's position (from `positions`). RESET/Override pass through
 * (Override's inner value is interpolated).
 */
export function interpolateTree(
  value: unknown,
  positions: Map<string, SourcePos>,
  lookup: Lookup,
  diags: Diagnostics,
  /** Called for each value that holds the value of a variable, with its position and pieces. */
  record?: (pos: SourcePos, parts: readonly InterpolatedPart[]) => void,
): unknown {
  const walk = (v: unknown, path: Segment[]): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('$')) return v;
      const r = interpolateString(v, lookup);
      const ptr = pointer(...path);
      const pos = lookupPos(positions, ptr);
      // Only a value's own position names it (an ancestor's would be shared by its siblings).
      const own = record && r.parts.some((p) => p.name !== undefined) ? positions.get(ptr) : undefined;
      if (own && r.error === undefined) record?.(own, r.parts);
      const where = path.length ? path.join('.') : undefined;
      for (const name of r.unset) {
        diags.warn('interpolation-unset', { name }, pos);
      }
      if (r.error !== undefined) {
        if (r.error.kind === 'required') reportRequired(diags, r.error, pos, where);
        else {
          const text = JSON.stringify(v);
          if (where) diags.error('interpolation-syntax.at', { where, text }, pos);
          else diags.error('interpolation-syntax', { text }, pos);
        }
      }
      return r.value;
    }
    // RESET (a symbol) and other scalars are returned as they are, below
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
