/**
 * Redaction of secret values in text meant for people — diagnostics' messages and hints, and the source lines a
 * code frame shows — by the one secret definition (secrets.ts): the value of a secret-looking variable written
 * as `KEY: value`, `KEY=value`, `"KEY": "value"`, `--key=value`, the password in a URL's userinfo, and any other
 * occurrence of a value already known to be secret. A redacted value reads `***`; the key stays, so the reader
 * still sees which variable the line or message is about.
 */
import type { Diagnostic } from '../report/diagnostic.js';
import type { Project } from '../model/types.js';
import { isSecretKey, mountedFiles, urlPassword } from './secrets.js';

/** What a redacted value reads as. */
export const REDACTED = '***';

/** Known values are looked up by this many first characters. */
const PREFIX = 4;

/**
 * A known value that reads as an ordinary word or number (`password`, `postgres`, `null`, `8080`): it is replaced
 * where its key says it is secret (secretSpans), not wherever it occurs — that would garble the text around it
 * (`image: ***`, `"***": null`) without hiding anything a reader could tell was the secret.
 */
function ordinary(v: string): boolean {
  return v.length < 6 || (/^[A-Za-z]+$/.test(v) && v.length < 10) || (/^\d+$/.test(v) && v.length < 8);
}

/** A secret assignment found in one line: the value's span [start, end) and the variable it belongs to. */
export interface SecretSpan {
  start: number;
  end: number;
  name: string;
  /** The value as written (quotes removed). */
  value: string;
  /**
   * False for a value that holds no secret text itself: a bare `${NAME}` / `$NAME` reference (the value it
   * stands for is found by interpolation) or a YAML block-scalar indicator (`|`, `>-`: the value is on the lines
   * below).
   */
  redact: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_.-]/;
const BARE_REFERENCE = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;
export const BLOCK_INDICATOR = /^[|>][-+0-9]*$/;
/**
 * The key `secrets` as compose and compose2k8s spell it (the top-level and service key, the x-k8s option
 * `secrets: placeholder | embed | external`, the library option `options.secrets`) and a bare lowercase word as its
 * value: a mode or a name, shown as written so a typo (`embedd`) can be read. The variable `SECRETS` stays secret.
 */
const MODE_KEY = /^(?:(?:x-k8s|options)\.)?secrets$/;
const MODE_WORD = /^[a-z]+(?:-[a-z]+)*$/;
/** Text that stands in for a value and is no secret: what this module writes, and the converter's placeholder. */
const STAND_IN = /^(\*{3}|\.\.\.|<set-me: [^>]*>)$/;

/** Index of the quote closing the one opened at `open`, or -1 (`\"` escapes in double quotes, `''` in single). */
function closingQuote(line: string, open: number): number {
  const q = line[open]!;
  for (let i = open + 1; i < line.length; i++) {
    if (q === '"' && line[i] === '\\') i++;
    else if (line[i] === q) {
      if (q === "'" && line[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/**
 * What a text is, for redaction: a message (prose: a value counts only when quoted or glued to `=`), a YAML source
 * (also `KEY: plain value to the end of the line`; a replacement that would start a plain scalar is quoted, `'***'`,
 * since `***` there reads as an alias) or an env-format source (`.env`, env_file: also a malformed `KEY value` line).
 */
export type TextKind = 'message' | 'yaml' | 'env';

/** Secret assignments in one line of a text of `kind`. */
export function secretSpans(line: string, kind: TextKind): SecretSpan[] {
  const out: SecretSpan[] = [];
  let depth = 0; // flow collections ({ [) open before the current position
  let enclosing = ''; // the quote the current word sits in, if any
  // Where a line's own assignment starts, after indentation, a list dash and `export `.
  const lineStart = /^\s*(-\s+)?(export\s+)?/.exec(line)![0].length;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"' || ch === "'") {
      if (enclosing === ch) enclosing = '';
      else if (!enclosing) enclosing = ch;
      continue;
    }
    if (!enclosing && (ch === '{' || ch === '[')) depth++;
    if (!enclosing && (ch === '}' || ch === ']')) depth = Math.max(0, depth - 1);
    if (!NAME_START.test(ch) || (i > 0 && /[A-Za-z0-9_]/.test(line[i - 1]!))) continue;
    let j = i;
    while (j < line.length && NAME_CHAR.test(line[j]!)) j++;
    const name = line.slice(i, j);
    const found = assignment(line, i, j, { kind, enclosing, depth, lineStart });
    const value = found ? line.slice(found.start, found.end) : '';
    const mode = MODE_KEY.test(name) && MODE_WORD.test(value);
    if (found && value && !STAND_IN.test(value) && !mode && isSecretKey(name, value)) {
      const part = secretText(value);
      const start = found.start + (part?.[0] ?? 0);
      const end = part ? found.start + part[1] : found.end;
      out.push({ start, end, name, value, redact: part !== undefined && end > start });
      // Go on after the value (a quoted key's closing quote is behind us).
      if (found.keyQuoted) enclosing = '';
      i = found.next - 1;
    } else i = j - 1; // not a secret: the value may hold assignments of its own (`command: "--password=x"`)
  }
  return out;
}

const WHOLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?:(:?[-+?])([\s\S]*))?\}$/;

/**
 * Where in a secret value the secret text is, as [start, end), or undefined when it holds none: the password of a
 * URL, the default of a lone `${NAME:-default}`, nothing in a lone `${NAME}`, `${NAME:?message}`, `$NAME` or a
 * block-scalar indicator, else all of it.
 */
function secretText(value: string): readonly [number, number] | undefined {
  if (BARE_REFERENCE.test(value) || BLOCK_INDICATOR.test(value)) return undefined;
  const pw = urlPassword(value);
  if (pw !== undefined) {
    if (BARE_REFERENCE.test(pw)) return undefined;
    const at = value.indexOf(':', value.indexOf('://') + 3) + 1;
    return [at, at + pw.length];
  }
  const ref = WHOLE_REFERENCE.exec(value);
  if (ref) {
    // The operator and what follows it are optional groups (undefined in a bare `${NAME}`).
    const rest = ref[2];
    return ref[1]?.endsWith('?') || !rest ? undefined : [value.length - 1 - rest.length, value.length - 1];
  }
  return [0, value.length];
}

interface Assignment {
  start: number;
  end: number;
  /** Where scanning goes on. */
  next: number;
  keyQuoted: boolean;
}

/** The value assigned to the name at [i, j) of `line`, if the name is followed by an assignment. */
function assignment(
  line: string,
  i: number,
  j: number,
  at: { kind: TextKind; enclosing: string; depth: number; lineStart: number },
): Assignment | undefined {
  // `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}`: the default of a secret variable is a value of it.
  if (line[i - 1] === '{' && line[i - 2] === '$') {
    const op = /^:?[-+]/.exec(line.slice(j));
    if (!op) return undefined;
    const close = line.indexOf('}', j);
    const end = close < 0 ? line.length : close;
    return { start: j + op[0].length, end, next: end, keyQuoted: false };
  }
  // `"KEY": value` / `'KEY': value`: the quote around the key closes right after it.
  const atLineStart = !at.enclosing && i === at.lineStart;
  let k = j;
  const keyQuoted = at.enclosing !== '' && line[k] === at.enclosing && line[i - 1] === at.enclosing;
  if (keyQuoted) k++;
  while (line[k] === ' ' || line[k] === '\t') k++;
  const sep = line[k];
  let v: number;
  if (sep === '=' || (sep === ':' && (k + 1 >= line.length || /[\s"']/.test(line[k + 1]!)))) {
    v = k + 1;
    while (line[v] === ' ' || line[v] === '\t') v++;
  } else if (at.kind === 'env' && atLineStart && k > j && k < line.length && !/[#:=]/.test(line[k]!))
    v = k; // `KEY value` at the start of a line: a malformed .env line
  else return undefined;
  const q = line[v];
  if (q === '"' || q === "'") {
    const close = closingQuote(line, v);
    const end = close < 0 ? line.length : close;
    return { start: v + 1, end, next: end + 1, keyQuoted };
  }
  // Prose after `KEY:` in a message is no value; in a source file it is a plain scalar.
  if (sep === ':' && at.kind === 'message' && !keyQuoted) return undefined;
  const inQuote = keyQuoted ? '' : at.enclosing;
  // A value runs to the end of the line (or its quote) when the line is the assignment; inside other text
  // (`command: mysqld --password=x --y`, a message) it is one word.
  const word = !inQuote && !atLineStart && sep === '=';
  let end = v;
  for (; end < line.length; end++) {
    const c = line[end]!;
    if (inQuote && c === inQuote) break;
    if (word && /\s/.test(c)) break;
    if (at.depth > 0 && /[,}\]]/.test(c)) break;
    if (!inQuote && c === '#' && /\s/.test(line[end - 1] ?? ' ')) break;
  }
  while (end > v && /\s/.test(line[end - 1]!)) end--;
  return { start: v, end, next: end, keyQuoted };
}

/** The part of a secret value to hide: the password of a URL, else all of it. */
export function secretPart(value: string): string {
  return urlPassword(value) ?? value;
}

/**
 * Redacts text: the structural spans of each line (secretSpans) and every occurrence of a known secret value.
 * Built once per run from the values found; `text()` costs linear time in the text (values are looked up by
 * their first characters).
 */
export class Redactor {
  /**
   * Known values by their first PREFIX characters: the lengths they come in (longest first) and the values. A
   * position is checked once per length, not once per value: many values can share a prefix (2000 services'
   * `secrets: [db_pw, sN_key]` lines all start `[db_`), and a scan of all of them at every position where that
   * prefix occurs made redaction quadratic in the project.
   */
  readonly #byPrefix = new Map<string, { lengths: number[]; values: Set<string> }>();

  /** `values`: secret values known to the run; `plain`: values that plain (non-secret) text also holds. */
  constructor(values: Iterable<string>, plain: ReadonlySet<string> = new Set()) {
    for (const v of values) {
      if (ordinary(v) || plain.has(v) || STAND_IN.test(v) || v.includes('\n')) continue;
      const key = v.slice(0, PREFIX);
      let known = this.#byPrefix.get(key);
      if (!known) this.#byPrefix.set(key, (known = { lengths: [], values: new Set() }));
      known.values.add(v);
      if (!known.lengths.includes(v.length)) known.lengths.push(v.length);
    }
    for (const known of this.#byPrefix.values()) known.lengths.sort((a, b) => b - a);
  }

  /** Length of the longest known value at `i` in `line`, or 0. */
  #valueAt(line: string, i: number): number {
    const known = this.#byPrefix.get(line.slice(i, i + PREFIX));
    if (known)
      for (const n of known.lengths) if (i + n <= line.length && known.values.has(line.slice(i, i + n))) return n;
    return 0;
  }

  /** True when there is nothing to look for beyond the structural forms. */
  get empty(): boolean {
    return this.#byPrefix.size === 0;
  }

  /** `text` with secret values replaced, line by line (`structural`: the secretSpans forms too). */
  text(text: string, kind: TextKind = 'message', structural = true): string {
    if (!text) return text;
    return text
      .split('\n')
      .map((line) => this.line(line, kind, [], structural))
      .join('\n');
  }

  /**
   * `text` with only the known secret values replaced (no structural forms): for texts the converter wrote
   * itself, such as report entries, whose `--from-file=key=path` is a command, not a secret.
   */
  knownValues(text: string): string {
    return this.empty ? text : this.text(text, 'message', false);
  }

  /** One line: its structural spans, `extra` spans and the known values in it, each replaced by one token. */
  line(line: string, kind: TextKind, extra: ReadonlyArray<readonly [number, number]> = [], structural = true): string {
    const spans: Array<readonly [number, number]> = [...extra];
    if (structural)
      for (const s of secretSpans(line, kind)) if (s.redact && s.end > s.start) spans.push([s.start, s.end]);
    if (!this.empty)
      for (let i = 0; i + PREFIX <= line.length;) {
        const hit = this.#valueAt(line, i);
        if (hit) spans.push([i, i + hit]);
        i += hit || 1;
      }
    if (spans.length === 0) return line;
    spans.sort((a, b) => a[0] - b[0]);
    let out = '';
    let at = 0;
    for (const [start, end] of spans) {
      if (start < at) {
        at = Math.max(at, end); // overlaps the span just replaced
        continue;
      }
      out += line.slice(at, start) + token(line, start, kind === 'yaml');
      at = end;
    }
    return out + line.slice(at);
  }

  /** A diagnostic with its message and hint redacted (the same object when nothing changes). */
  diagnostic(d: Diagnostic): Diagnostic {
    const message = this.text(d.message);
    const hint = d.hint === undefined ? undefined : this.text(d.hint);
    if (message === d.message && hint === d.hint) return d;
    return { ...d, message, ...(hint !== undefined ? { hint } : {}) };
  }
}

/** `***`, quoted when in YAML it would start a plain scalar (an alias there). */
function token(line: string, start: number, yaml: boolean): string {
  if (!yaml) return REDACTED;
  // What precedes the value, spaces skipped: nothing, a flow indicator, or `:`/`-`/`?` and a space start a scalar.
  let i = start - 1;
  while (i >= 0 && /\s/.test(line[i]!)) i--;
  const spaced = i < start - 1;
  const starts = i < 0 || /[[{,]/.test(line[i]!) || (spaced && /[:?-]/.test(line[i]!));
  return starts ? `'${REDACTED}'` : REDACTED;
}

/**
 * The secret values of a loaded project, by the one definition: values of secret-looking variables in the
 * interpolation environment and in each service's environment (env_file included) and labels, build args
 * and annotations, and the environment values compose `secrets:` read. `plain` holds the values of the other
 * environment variables (they are written as they are, to ConfigMaps) and the services' names and image parts —
 * text that is no leak signal when it matches. A label's value is not plain: a secret in it gets a placeholder.
 */
export function projectSecretValues(project: Project): { values: Set<string>; plain: Set<string> } {
  const values = new Set<string>();
  const plain = new Set<string>();
  const maps: Array<[Record<string, string>, boolean, ReadonlySet<string>?]> = [[project.environment ?? {}, true]];
  for (const svc of Object.values(project.services)) {
    plain.add(svc.name);
    for (const part of (svc.image ?? '').split(/[/:@]/)) if (part) plain.add(part);
    maps.push(
      [svc.environment ?? {}, true, mountedFiles(svc)],
      [svc.labels ?? {}, false],
      [svc.annotations ?? {}, false],
      [svc.build?.args ?? {}, false],
    );
  }
  for (const [map, env, files] of maps) {
    const keys = Object.keys(map);
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== 'string') continue;
      if (isSecretKey(k, v, keys, files)) values.add(secretPart(v));
      else if (env) plain.add(v);
    }
  }
  for (const def of Object.values(project.secrets)) {
    const v = def.environment !== undefined ? project.environment?.[def.environment] : undefined;
    if (v) values.add(v);
  }
  return { values, plain };
}
