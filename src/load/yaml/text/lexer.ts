/**
 * The YAML lexer: splits the whole text into tokens in one pass and hands each to a sink as
 * (type, start, end). Lexing is line-oriented, as YAML's grammar is (§6-§9 of the 1.2 spec):
 *
 * - stream level: directives (`%...`), blank and comment lines, else a document starts;
 * - line start: `---` / `...` markers, then indentation and the block indicators `- `, `? `, `: `;
 * - document / flow level: anchors, tags, aliases, flow brackets and commas, quoted, block and plain
 *   scalars. A flow collection ends early (a `flow-error-end` marker) when a line is indented less than
 *   the block it sits in, so a missing `]` is reported where the collection ended, not at the end of
 *   the file. Scalars extend over continuation lines that are indented more than the parent node.
 *
 * Two zero-width markers go to the sink besides the tokens: `doc-mode` (a document starts without
 * `---`) and `flow-error-end`. The lexer never fails: text it cannot place is an `error` token.
 * The token rules (what ends a plain scalar, where a quoted scalar may stop, how block scalars find
 * their indentation) are the ones the `yaml` package applies, so that syntax errors land where its
 * parser put them (see test/load/yaml/own-parser-differential.test.ts).
 *
 * Provenance: the rules above were learned by reading the `yaml` package's lexer, parser and scalar resolvers
 * (Copyright Eemeli Aro, ISC licence), so that errors match it byte for byte; the code is written anew here.
 */
import type { SourceType } from './syntax.js';

export type LexType =
  SourceType | 'doc-end' | 'scalar' | 'single-quoted-scalar' | 'double-quoted-scalar' | 'alias' | 'error';
export type Sink = (type: LexType, start: number, end: number) => void;

const enum State {
  Stream,
  BlockStart,
  Doc,
  Flow,
}

const BOM = '\uFEFF';

function isEmpty(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
}

function isFlowIndicator(ch: string | undefined): boolean {
  return ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}';
}

/** What ends an anchor or alias name. */
function isNotAnchorChar(ch: string | undefined): boolean {
  return isEmpty(ch) || isFlowIndicator(ch);
}

/** Tokens told by their whole text. */
const BY_TEXT = new Map<string, LexType>([
  [BOM, 'byte-order-mark'],
  ['---', 'doc-start'],
  ['...', 'doc-end'],
  ['\n', 'newline'],
  ['\r\n', 'newline'],
  ['-', 'seq-item-ind'],
  ['?', 'explicit-key-ind'],
  [':', 'map-value-ind'],
  ['{', 'flow-map-start'],
  ['}', 'flow-map-end'],
  ['[', 'flow-seq-start'],
  [']', 'flow-seq-end'],
  [',', 'comma'],
]);

/** Tokens told by their first character. */
const BY_FIRST: Readonly<Record<string, LexType>> = {
  ' ': 'space',
  '\t': 'space',
  '#': 'comment',
  '%': 'directive-line',
  '*': 'alias',
  '&': 'anchor',
  '!': 'tag',
  "'": 'single-quoted-scalar',
  '"': 'double-quoted-scalar',
  '|': 'block-scalar-header',
  '>': 'block-scalar-header',
};

/** The lexical type of a token's text (the first characters tell it). */
export function classify(s: string): LexType {
  return BY_TEXT.get(s) ?? BY_FIRST[s[0]!] ?? 'error';
}

export class Lexer {
  #pos = 0;
  #indentNext = 0;
  #indentValue = 0;
  #flowLevel = 0;
  #flowKey = false;
  #blockScalarIndent = -1;
  #blockScalarKeep = false;
  /** End of the current line (index of its `\n`, or -1 past the last newline); a cache for `lineEnd`. */
  #cachedEnd = -2;

  readonly #src: string;
  readonly #sink: Sink;

  constructor(src: string, sink: Sink) {
    this.#src = src;
    this.#sink = sink;
  }

  run(): void {
    // each state's step, in the order of `State`
    const steps = [() => this.#stream(), () => this.#blockStart(), () => this.#doc(), () => this.#flow()];
    let state = State.Stream;
    while (this.#pos < this.#src.length) state = steps[state]!();
  }

  // ---- helpers ----

  /** End index (exclusive) of the current line's content, without a `\r` before its `\n`. */
  #lineEnd(): number {
    let end = this.#cachedEnd;
    if (end === -2 || (end !== -1 && end < this.#pos)) {
      end = this.#src.indexOf('\n', this.#pos);
      this.#cachedEnd = end;
    }
    if (end === -1) return this.#src.length;
    return this.#src[end - 1] === '\r' ? end - 1 : end;
  }

  /** Character `n` of the line that starts at `start` and ends at `end`, or undefined past it. */
  #lineChar(start: number, end: number, n: number): string | undefined {
    return start + n < end ? this.#src[start + n] : undefined;
  }

  #pushCount(n: number): number {
    return this.#pushToIndex(this.#pos + n);
  }

  #pushToIndex(i: number): number {
    const end = Math.min(i, this.#src.length);
    if (end > this.#pos) {
      const n = end - this.#pos;
      this.#sink(classify(this.#src.slice(this.#pos, end)), this.#pos, end);
      this.#pos = end;
      return n;
    }
    return 0;
  }

  /** A scalar up to `i` (never before the current position; possibly empty, or cut at the end of the text). */
  #pushScalar(i: number): void {
    const end = Math.min(i, this.#src.length);
    this.#sink('scalar', this.#pos, end);
    this.#pos = end;
  }

  #pushSpaces(allowTabs: boolean): number {
    const src = this.#src;
    let i = this.#pos;
    let ch = src[i];
    while (ch === ' ' || (allowTabs && ch === '\t')) ch = src[++i];
    const n = i - this.#pos;
    if (n > 0) {
      this.#sink('space', this.#pos, i);
      this.#pos = i;
    }
    return n;
  }

  #pushNewline(): number {
    const ch = this.#src[this.#pos];
    if (ch === '\n') return this.#pushCount(1);
    if (ch === '\r' && this.#src[this.#pos + 1] === '\n') return this.#pushCount(2);
    return 0;
  }

  #pushUntil(test: (ch: string | undefined) => boolean): number {
    let i = this.#pos;
    let ch = this.#src[i];
    while (!test(ch)) ch = this.#src[++i];
    return this.#pushToIndex(i);
  }

  #atLineEnd(): boolean {
    let i = this.#pos;
    let ch = this.#src[i];
    while (ch === ' ' || ch === '\t') ch = this.#src[++i];
    if (ch === undefined || ch === '#' || ch === '\n') return true;
    if (ch === '\r') return this.#src[i + 1] === '\n';
    return false;
  }

  /** Where a multi-line scalar goes on after the line break before `offset`, or -1 when it ends there. */
  #continueScalar(offset: number): number {
    const src = this.#src;
    let ch = src[offset];
    if (this.#indentNext > 0) {
      let indent = 0;
      while (ch === ' ') ch = src[++indent + offset];
      if (ch === '\r' && src[indent + offset + 1] === '\n') return offset + indent + 1;
      return ch === '\n' || indent >= this.#indentNext ? offset + indent : -1;
    }
    if (isDocumentMarker(src, offset)) return -1;
    return offset;
  }

  // ---- states ----

  #stream(): State {
    const src = this.#src;
    let start = this.#pos;
    const end = this.#lineEnd();
    if (src[start] === BOM && start < end) {
      this.#pushCount(1);
      start++;
    }
    if (start < end && src[start] === '%') {
      // the directive ends before a comment (`#` after white space) and the white space before it
      const dirEnd = src
        .slice(start, end)
        .replace(/[ \t]#[^]*/, '')
        .replace(/[ \t]+$/, '').length;
      const n = this.#pushCount(dirEnd) + this.#pushSpaces(true);
      this.#pushCount(end - start - n);
      this.#pushNewline();
      return State.Stream;
    }
    if (this.#atLineEnd()) {
      const sp = this.#pushSpaces(true);
      this.#pushCount(end - start - sp);
      this.#pushNewline();
      return State.Stream;
    }
    this.#sink('doc-mode', this.#pos, this.#pos);
    return this.#lineStart();
  }

  #lineStart(): State {
    const ch = this.#src[this.#pos];
    if (isDocumentMarker(this.#src, this.#pos)) {
      this.#pushCount(3);
      this.#indentValue = 0;
      this.#indentNext = 0;
      return ch === '-' ? State.Doc : State.Stream;
    }
    this.#indentValue = this.#pushSpaces(false);
    if (this.#indentNext > this.#indentValue && !isEmpty(this.#src[this.#pos + 1]))
      this.#indentNext = this.#indentValue;
    return this.#blockStart();
  }

  #blockStart(): State {
    const ch0 = this.#src[this.#pos];
    const ch1 = this.#src[this.#pos + 1];
    if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
      const n = this.#pushCount(1) + this.#pushSpaces(true);
      this.#indentNext = this.#indentValue + 1;
      this.#indentValue += n;
      return State.BlockStart;
    }
    return State.Doc;
  }

  #doc(): State {
    this.#pushSpaces(true);
    const start = this.#pos;
    const end = this.#lineEnd();
    let n = this.#pushIndicators();
    switch (this.#lineChar(start, end, n)) {
      case '#':
        this.#pushCount(end - start - n);
        this.#pushNewline();
        return this.#lineStart();
      case undefined:
        this.#pushNewline();
        return this.#lineStart();
      case '{':
      case '[':
        this.#pushCount(1);
        this.#flowKey = false;
        this.#flowLevel = 1;
        return State.Flow;
      case '}':
      case ']':
        this.#pushCount(1);
        return State.Doc;
      case '*':
        this.#pushUntil(isNotAnchorChar);
        return State.Doc;
      case '"':
      case "'":
        return this.#quoted();
      case '|':
      case '>':
        n += this.#blockScalarHeader();
        n += this.#pushSpaces(true);
        this.#pushCount(end - start - n);
        this.#pushNewline();
        return this.#blockScalar();
      default:
        return this.#plain();
    }
  }

  #flow(): State {
    let nl: number;
    let sp: number;
    let indent = -1;
    do {
      nl = this.#pushNewline();
      if (nl > 0) {
        sp = this.#pushSpaces(false);
        this.#indentValue = indent = sp;
      } else sp = 0;
      sp += this.#pushSpaces(true);
    } while (nl + sp > 0);
    const src = this.#src;
    const start = this.#pos;
    const end = this.#lineEnd();
    const c0 = this.#lineChar(start, end, 0);
    if ((indent !== -1 && indent < this.#indentNext && c0 !== '#') || (indent === 0 && isDocumentMarker(src, start))) {
      const atFlowEndMarker = indent === this.#indentNext - 1 && this.#flowLevel === 1 && (c0 === ']' || c0 === '}');
      if (!atFlowEndMarker) {
        this.#flowLevel = 0;
        this.#sink('flow-error-end', this.#pos, this.#pos);
        return this.#lineStart();
      }
    }
    let n = 0;
    while (this.#lineChar(start, end, n) === ',') {
      n += this.#pushCount(1);
      n += this.#pushSpaces(true);
      this.#flowKey = false;
    }
    n += this.#pushIndicators();
    switch (this.#lineChar(start, end, n)) {
      case undefined:
        return State.Flow;
      case '#':
        this.#pushCount(end - start - n);
        return State.Flow;
      case '{':
      case '[':
        this.#pushCount(1);
        this.#flowKey = false;
        this.#flowLevel += 1;
        return State.Flow;
      case '}':
      case ']':
        this.#pushCount(1);
        this.#flowKey = true;
        this.#flowLevel -= 1;
        return this.#flowLevel ? State.Flow : State.Doc;
      case '*':
        this.#pushUntil(isNotAnchorChar);
        return State.Flow;
      case '"':
      case "'":
        this.#flowKey = true;
        return this.#quoted();
      case ':': {
        const next = src[this.#pos + 1];
        if (this.#flowKey || isEmpty(next) || next === ',') {
          this.#flowKey = false;
          this.#pushCount(1);
          this.#pushSpaces(true);
          return State.Flow;
        }
        this.#flowKey = false;
        return this.#plain();
      }
      default:
        this.#flowKey = false;
        return this.#plain();
    }
  }

  #quoted(): State {
    const src = this.#src;
    const quote = src[this.#pos]!;
    let end = src.indexOf(quote, this.#pos + 1);
    if (quote === "'") {
      while (end !== -1 && src[end + 1] === "'") end = src.indexOf("'", end + 2);
    } else {
      while (end !== -1) {
        let n = 0;
        while (src[end - 1 - n] === '\\') n += 1;
        if (n % 2 === 0) break;
        end = src.indexOf('"', end + 1);
      }
    }
    // a quoted scalar also ends at a line that is not indented enough to continue it
    if (end !== -1) {
      let nl = src.indexOf('\n', this.#pos);
      if (nl >= end) nl = -1;
      while (nl !== -1) {
        const cs = this.#continueScalar(nl + 1);
        if (cs === -1) break;
        nl = src.indexOf('\n', cs);
        if (nl >= end) nl = -1;
      }
      if (nl !== -1) end = nl - (src[nl - 1] === '\r' ? 2 : 1);
    } else end = src.length;
    this.#pushToIndex(end + 1);
    return this.#flowLevel ? State.Flow : State.Doc;
  }

  #blockScalarHeader(): number {
    this.#blockScalarIndent = -1;
    this.#blockScalarKeep = false;
    let i = this.#pos;
    for (;;) {
      const ch = this.#src[++i];
      if (ch === '+') this.#blockScalarKeep = true;
      else if (ch !== undefined && ch > '0' && ch <= '9') this.#blockScalarIndent = Number(ch) - 1;
      else if (ch !== '-') break;
    }
    return this.#pushUntil((ch) => isEmpty(ch) || ch === '#');
  }

  #blockScalar(): State {
    const src = this.#src;
    let nl = this.#pos - 1;
    let indent = 0;
    let ch: string | undefined;
    loop: for (let i = this.#pos; (ch = src[i]); ++i) {
      switch (ch) {
        case ' ':
          indent += 1;
          break;
        case '\n':
          nl = i;
          indent = 0;
          break;
        case '\r':
          if (src[i + 1] === '\n') break;
          break loop;
        default:
          break loop;
      }
    }
    if (indent >= this.#indentNext) {
      if (this.#blockScalarIndent === -1) this.#indentNext = indent;
      else this.#indentNext = this.#blockScalarIndent + (this.#indentNext === 0 ? 1 : this.#indentNext);
      do {
        const cs = this.#continueScalar(nl + 1);
        if (cs === -1) break;
        nl = src.indexOf('\n', cs);
      } while (nl !== -1);
      if (nl === -1) nl = src.length;
    }
    let i = nl + 1;
    ch = src[i];
    while (ch === ' ') ch = src[++i];
    if (ch === '\t') {
      while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n') ch = src[++i];
      nl = i - 1;
    } else if (!this.#blockScalarKeep) {
      // trailing lines that are not more indented than the content belong after the scalar
      for (;;) {
        let j = nl - 1;
        let c = src[j];
        if (c === '\r') c = src[--j];
        const lastChar = j;
        while (c === ' ') c = src[--j];
        if (c === '\n' && j >= this.#pos && j + 1 + indent > lastChar) nl = j;
        else break;
      }
    }
    this.#pushScalar(nl + 1);
    return this.#lineStart();
  }

  #plain(): State {
    const src = this.#src;
    const inFlow = this.#flowLevel > 0;
    let end = this.#pos - 1;
    let i = this.#pos - 1;
    let ch: string | undefined;
    while ((ch = src[++i])) {
      if (ch === ':') {
        const next = src[i + 1];
        if (isEmpty(next) || (inFlow && isFlowIndicator(next))) break;
        end = i;
      } else if (isEmpty(ch)) {
        let next = src[i + 1];
        if (ch === '\r') {
          if (next === '\n') {
            i += 1;
            ch = '\n';
            next = src[i + 1];
          } else end = i;
        }
        if (next === '#' || (inFlow && isFlowIndicator(next))) break;
        if (ch === '\n') {
          const cs = this.#continueScalar(i + 1);
          if (cs === -1) break;
          i = Math.max(i, cs - 2);
        }
      } else {
        if (inFlow && isFlowIndicator(ch)) break;
        end = i;
      }
    }
    this.#pushScalar(end + 1);
    return inFlow ? State.Flow : State.Doc;
  }

  #pushIndicators(): number {
    let n = 0;
    for (;;) {
      const ch = this.#src[this.#pos];
      if (ch === '!') {
        n += this.#pushTag();
        n += this.#pushSpaces(true);
        continue;
      }
      if (ch === '&') {
        n += this.#pushUntil(isNotAnchorChar);
        n += this.#pushSpaces(true);
        continue;
      }
      if (ch === '-' || ch === '?' || ch === ':') {
        const inFlow = this.#flowLevel > 0;
        const ch1 = this.#src[this.#pos + 1];
        if (isEmpty(ch1) || (inFlow && isFlowIndicator(ch1))) {
          if (!inFlow) this.#indentNext = this.#indentValue + 1;
          else if (this.#flowKey) this.#flowKey = false;
          n += this.#pushCount(1);
          n += this.#pushSpaces(true);
          continue;
        }
      }
      return n;
    }
  }

  #pushTag(): number {
    const src = this.#src;
    if (src[this.#pos + 1] === '<') {
      let i = this.#pos + 2;
      let ch = src[i];
      while (!isEmpty(ch) && ch !== '>') ch = src[++i];
      return this.#pushToIndex(ch === '>' ? i + 1 : i);
    }
    // YAML 1.2 ns-uri-char (`\w` is 0-9, A-Z, a-z and `_`) or a `%XX` escape
    const tagChars = /(?:[\w\-#;/?:@&=+$.!~*'()]|%[0-9A-Fa-f]{2})*/y;
    tagChars.lastIndex = this.#pos + 1;
    tagChars.test(src);
    return this.#pushToIndex(tagChars.lastIndex);
  }
}

/** `---` or `...` at `i`, followed by white space or the end. */
function isDocumentMarker(src: string, i: number): boolean {
  const c = src[i];
  return (c === '-' || c === '.') && src[i + 1] === c && src[i + 2] === c && isEmpty(src[i + 3]);
}
