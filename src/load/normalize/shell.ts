/**
 * Shell-like word splitting for `command`/`entrypoint`/`healthcheck.test` strings, following the rules of
 * go-shellwords as compose-go uses it (no variable or backtick expansion):
 * - blanks (space, tab, CR, LF) separate words outside quotes;
 * - `'...'` is literal; `"..."` keeps blanks; a backslash outside single quotes escapes the next character
 *   (`\n` and `\t` become newline and tab);
 * - `""` / `''` produce an empty word;
 * - an unquoted `;`, `&`, `|`, `<` or `>` ends the command: the rest is dropped (reported via `truncatedAt`);
 * - an unquoted `(` that does not follow `$`, or an unmatched `)`, and unterminated quotes/escapes are errors.
 */

export interface ShellSplit {
  words: string[];
  /** Index in the input where an unquoted shell operator stopped parsing, when one did. */
  truncatedAt?: number;
}

export interface ShellError {
  error: string;
}

export function splitShell(line: string): ShellSplit | ShellError {
  const words: string[] = [];
  let buf = '';
  let have = false;
  let escaped = false;
  let sq = false;
  let dq = false;
  let bq = false;
  let dollar = false;
  const chars = Array.from(line);
  let offset = 0;
  for (const c of chars) {
    const at = offset;
    offset += c.length;
    if (escaped) {
      escaped = false;
      buf += bq || dollar ? '\\' + c : c === 'n' ? '\n' : c === 't' ? '\t' : c;
      have = true;
      continue;
    }
    if (c === '\\') {
      if (sq) buf += c;
      else escaped = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (sq || dq || bq || dollar) buf += c;
      else if (have) {
        words.push(buf);
        buf = '';
        have = false;
      }
      continue;
    }
    const quoted = sq || dq || bq || dollar;
    if (c === '"' && !sq && !dollar && !bq) {
      dq = !dq;
      have = true;
      continue;
    }
    if (c === "'" && !dq && !dollar && !bq) {
      sq = !sq;
      have = true;
      continue;
    }
    if (c === '`' && !sq && !dq && !dollar) bq = !bq;
    if (c === '(' && !sq && !dq && !bq) {
      if (!dollar && buf.endsWith('$') && !buf.endsWith('\\$')) dollar = true;
      else return { error: `unexpected "(" at offset ${at}` };
    } else if (c === ')' && !sq && !dq && !bq) {
      if (!dollar) return { error: `unmatched ")" at offset ${at}` };
      dollar = false;
    } else if (!quoted && (c === ';' || c === '&' || c === '|' || c === '<' || c === '>')) {
      // `2>` style redirections: the digits belong to the operator, not to a word.
      if (c === '>' && /^[0-9]+$/.test(buf)) have = false;
      if (have) words.push(buf);
      return { words, truncatedAt: at };
    }
    buf += c;
    have = true;
  }
  if (escaped || sq || dq || bq || dollar) return { error: 'unterminated quote or escape' };
  if (have) words.push(buf);
  return { words };
}
