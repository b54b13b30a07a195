/**
 * The text of a scalar token (YAML 1.2 §7.3, §8.1): line folding of plain and quoted scalars, `''` in
 * single quotes, every double-quoted escape (`\0 \a \b \e \f \n \r \t \v \N \_ \L \P \xXX \uXXXX
 * \UXXXXXXXX`, escaped line breaks), and block scalars with their header (`|` literal / `>` folded,
 * `-` strip / `+` keep chomping, an indentation indicator). Errors are reported at the offset the `yaml` package
 * uses, as ids of its wording (in the texts), so diagnostics for bad YAML did not change with our own parser.
 *
 * Provenance: the rules above were learned by reading the `yaml` package's lexer, parser and scalar resolvers
 * (Copyright Eemeli Aro, ISC licence), so that errors match it byte for byte; the code is written anew here.
 */
import type { MessageValues } from '../../../report/template.js';
import type { BlockScalar, ErrorToken, FlowScalar, SourceToken, SyntaxId } from './syntax.js';
import { readEnd } from '../props.js';

export type ScalarError = (offset: number, id: SyntaxId, values?: MessageValues) => void;

export interface ScalarText {
  value: string;
  /** A plain scalar (its text is typed by the schema; a quoted or block scalar is a string). */
  plain: boolean;
  /** End of the comments and white space after it (as the `yaml` package's range[2]). */
  end: number;
}

/** The text of a scalar token (never an alias: no caller reads one as text); without `onError`, of one already checked. */
export function scalarText(token: FlowScalar | BlockScalar, onError: ScalarError = () => {}): ScalarText {
  return token.type === 'block-scalar' ? blockScalar(token, onError) : flowScalar(token, onError);
}

function flowScalar(scalar: FlowScalar, onError: ScalarError): ScalarText {
  const { offset, source } = scalar;
  const rel: ScalarError = (at, id, values) => onError(offset + at, id, values);
  const plain = scalar.type === 'scalar';
  let value: string;
  if (plain) value = plainValue(source, rel);
  else if (scalar.type === 'single-quoted-scalar') {
    // reported at the text's last quote: the one never closed (or a doubled one: where the yaml-package reader pointed)
    if (source[source.length - 1] !== "'" || source.length === 1)
      rel(source.lastIndexOf("'"), 'yaml-syntax.unclosed-quote', { quote: "'" });
    value = unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
  } else value = doubleQuotedValue(source, rel);
  const valueEnd = offset + source.length;
  return { value, plain, end: readEnd(scalar.end, valueEnd, true, onError) };
}

function plainValue(source: string, onError: ScalarError): string {
  const char = source[0];
  switch (char) {
    case '\t':
      onError(0, 'yaml-syntax.plain-tab');
      break;
    case ',':
      onError(0, 'yaml-syntax.plain-comma');
      break;
    case '%':
      onError(0, 'yaml-syntax.plain-percent');
      break;
    case '|':
    case '>':
      onError(0, 'yaml-syntax.plain-block', { char });
      break;
    case '@':
    case '`':
      onError(0, 'yaml-syntax.plain-reserved', { char });
      break;
  }
  return unfoldLines(source);
}

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** Trim spaces and tabs at the end (and the start, when `both`) of `s[from, to)`. */
function trimmed(s: string, from: number, to: number, both: boolean): string {
  if (both) while (from < to && isBlank(s[from])) from++;
  while (to > from && isBlank(s[to - 1])) to--;
  return s.slice(from, to);
}

/**
 * Line folding (§6.5): a single line break between text becomes a space, n breaks become n-1 newlines;
 * white space around breaks goes. The first line keeps its leading white space and the last its trailing.
 */
function unfoldLines(source: string): string {
  let nl = source.indexOf('\n');
  if (nl === -1) return source;
  let res = trimmed(source, 0, source[nl - 1] === '\r' ? nl - 1 : nl, false);
  let sep = ' ';
  let pos = nl + 1;
  while ((nl = source.indexOf('\n', pos)) !== -1) {
    const line = trimmed(source, pos, source[nl - 1] === '\r' ? nl - 1 : nl, true);
    if (line === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + line;
      sep = ' ';
    }
    pos = nl + 1;
  }
  while (isBlank(source[pos])) pos++;
  return res + sep + source.slice(pos);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

function doubleQuotedValue(source: string, onError: ScalarError): string {
  let res = '';
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i]!;
    if (ch === '\r' && source[i + 1] === '\n') continue;
    if (ch === '\n') {
      // fold: one break → a space, more → all but one of them
      let fold = '';
      let c = source[i + 1];
      while (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        if (c === '\r' && source[i + 2] !== '\n') break;
        if (c === '\n') fold += '\n';
        i += 1;
        c = source[i + 1];
      }
      res += fold || ' ';
    } else if (ch === '\\') {
      let next = source[++i];
      const esc = next === undefined ? undefined : ESCAPES[next];
      if (esc) res += esc;
      else if (next === '\n' || (next === '\r' && source[i + 1] === '\n')) {
        // an escaped line break: the break and the next line's indentation vanish
        if (next === '\r') i++;
        next = source[i + 1];
        while (next === ' ' || next === '\t') next = source[++i + 1];
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        res += charCode(source, i + 1, length, onError);
        i += length;
      } else {
        const raw = source.substr(i - 1, 2);
        onError(i - 1, 'yaml-syntax.bad-escape', { escape: raw });
        res += raw;
      }
    } else if (ch === ' ' || ch === '\t') {
      // white space before a line break goes
      const wsStart = i;
      let next = source[i + 1];
      while (next === ' ' || next === '\t') next = source[++i + 1];
      if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
        res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
    } else res += ch;
  }
  if (source[source.length - 1] !== '"' || source.length === 1)
    onError(source.lastIndexOf('"'), 'yaml-syntax.unclosed-quote', { quote: '"' });
  return res;
}

function charCode(source: string, offset: number, length: number, onError: ScalarError): string {
  const cc = source.substr(offset, length);
  const code = cc.length === length && /^[0-9a-fA-F]+$/.test(cc) ? parseInt(cc, 16) : NaN;
  if (Number.isInteger(code) && code <= 0x10ffff) return String.fromCodePoint(code);
  const raw = source.substr(offset - 2, length + 2);
  onError(offset - 2, 'yaml-syntax.bad-escape', { escape: raw });
  return raw;
}

interface Header {
  mode: string;
  indent: number;
  chomp: string;
  length: number;
}

/** The header (the parser makes its token the first of `props`) and the length of its line. */
function blockHeader(scalar: BlockScalar, onError: ScalarError): Header {
  const source = (scalar.props[0] as SourceToken).source;
  let indent = 0;
  let chomp = '';
  let error = -1;
  for (let i = 1; i < source.length; ++i) {
    const ch = source[i]!;
    if (!chomp && (ch === '-' || ch === '+')) chomp = ch;
    else {
      const n = Number(ch);
      if (!indent && n) indent = n;
      else if (error === -1) error = scalar.offset + i;
    }
  }
  if (error !== -1) onError(error, 'yaml-syntax.block-header-extra', { header: source });
  let hasSpace = false;
  let length = source.length;
  for (let i = 1; i < scalar.props.length; ++i) {
    // after the header the parser puts only white space, comments, line breaks and the lexer's error tokens
    const token = scalar.props[i] as SourceToken | ErrorToken;
    length += token.source.length;
    if (token.type === 'space') hasSpace = true;
    else if (token.type === 'comment') {
      if (!hasSpace) onError(token.offset, 'yaml-syntax.comment-space');
    } else if (token.type === 'error') onError(token.offset, token.id, token.values);
  }
  return { mode: source[0]!, indent, chomp, length };
}

/** The lines of a block scalar's body as [indentation, content]. */
function splitLines(source: string): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  let pos = 0;
  for (;;) {
    let i = pos;
    while (source[i] === ' ') i++;
    const nl = source.indexOf('\n', i);
    const end = nl === -1 ? source.length : nl;
    lines.push([source.slice(pos, i), source.slice(i, end)]);
    if (nl === -1) return lines;
    pos = nl + 1;
  }
}

function blockScalar(scalar: BlockScalar, onError: ScalarError): ScalarText {
  const start = scalar.offset;
  const header = blockHeader(scalar, onError);
  const literal = header.mode === '|';
  const end = start + header.length + scalar.source.length;
  const lines = scalar.source ? splitLines(scalar.source) : [];
  // trailing empty lines are chomped
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    const content = lines[i]![1];
    if (content === '' || content === '\r') chompStart = i;
    else break;
  }
  if (chompStart === 0) {
    const value = header.chomp === '+' && lines.length > 0 ? '\n'.repeat(Math.max(1, lines.length - 1)) : '';
    return { value, plain: false, end };
  }
  let trimIndent = scalar.indent + header.indent;
  let offset = scalar.offset + header.length;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const [indent, content] = lines[i]!;
    if (content === '' || content === '\r') {
      if (header.indent === 0 && indent.length > trimIndent) trimIndent = indent.length;
    } else {
      if (indent.length < trimIndent) onError(offset + indent.length, 'yaml-syntax.block-leading-indent');
      if (header.indent === 0) trimIndent = indent.length;
      contentStart = i;
      if (trimIndent === 0) onError(offset, 'yaml-syntax.block-not-indented');
      break;
    }
    offset += indent.length + content.length + 1;
  }
  for (let i = lines.length - 1; i >= chompStart; --i) if (lines[i]![0].length > trimIndent) chompStart = i + 1;
  let value = '';
  let sep = '';
  let prevMoreIndented = false;
  for (let i = 0; i < contentStart; ++i) value += lines[i]![0].slice(trimIndent) + '\n';
  for (let i = contentStart; i < chompStart; ++i) {
    let [indent, content] = lines[i]!;
    offset += indent.length + content.length + 1;
    const crlf = content[content.length - 1] === '\r';
    if (crlf) content = content.slice(0, -1);
    if (content && indent.length < trimIndent) {
      onError(
        offset - content.length - (crlf ? 2 : 1),
        header.indent ? 'yaml-syntax.block-less-indented-indicator' : 'yaml-syntax.block-less-indented',
      );
      indent = '';
    }
    if (literal) {
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
    } else if (indent.length > trimIndent || content[0] === '\t') {
      // more-indented lines of a folded scalar keep their breaks
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + content;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  if (header.chomp === '+') {
    for (let i = chompStart; i < lines.length; ++i) value += '\n' + lines[i]![0].slice(trimIndent);
    if (value[value.length - 1] !== '\n') value += '\n';
  } else if (header.chomp !== '-') value += '\n';
  return { value, plain: false, end };
}
