/**
 * The YAML structure parser: turns the lexer's tokens into the concrete syntax tree of `syntax.ts`.
 * A stack holds the nodes being built (document → block mappings / sequences → flow collections →
 * scalars); each token either extends the top node or closes it and is offered to its parent. Block
 * structure follows from indentation: a token indented at a mapping's column starts its next entry,
 * one indented less closes it. Nothing here throws: a token that fits nowhere becomes an `error`
 * token in the tree, which the builder reports with its position. Where a token goes in doubtful
 * cases (which entry a comment belongs to, when `key:` on a scalar turns it into a mapping) follows
 * the `yaml` package's parser, so its syntax errors are reproduced exactly.
 *
 * Provenance: the rules above were learned by reading the `yaml` package's lexer, parser and scalar resolvers
 * (Copyright Eemeli Aro, ISC licence), so that errors match it byte for byte; the code is written anew here.
 */
import { Lexer, type LexType } from './lexer.js';
import type {
  BlockMap,
  BlockScalar,
  BlockSequence,
  CollectionItem,
  Document,
  DocumentEnd,
  ErrorToken,
  FlowCollection,
  FlowScalar,
  SourceToken,
  Token,
} from './syntax.js';

type AnyToken = Token & { end?: SourceToken[]; indent?: number };
type Built = Document | DocumentEnd | FlowScalar | BlockScalar | BlockMap | BlockSequence | FlowCollection;

function includesToken(list: readonly { type: string }[], type: string): boolean {
  return list.some((t) => t.type === type);
}

/** Whether a list holds more than space, comments and line breaks. */
function hasContent(list: readonly { type: string }[]): boolean {
  return list.some((t) => t.type !== 'space' && t.type !== 'comment' && t.type !== 'newline');
}

function isFlowToken(token: Token | null | undefined): boolean {
  switch (token?.type) {
    case 'alias':
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'flow-collection':
      return true;
    default:
      return false;
  }
}

/** The property list the next key would take its leading anchor/tag from. */
function prevProps(parent: Built): SourceToken[] {
  switch (parent.type) {
    case 'document':
      return parent.start;
    case 'block-map': {
      const it = parent.items[parent.items.length - 1]!;
      return it.sep ?? it.start;
    }
    case 'block-seq':
      return parent.items[parent.items.length - 1]!.start;
    default:
      return [];
  }
}

/** Cut the anchor/tag/space tokens after the last line break or indicator off `prev` (they belong to a key). */
function firstKeyStartProps(prev: SourceToken[]): SourceToken[] {
  if (prev.length === 0) return [];
  let i = prev.length;
  while (--i >= 0) {
    const t = prev[i]!.type;
    if (
      t === 'doc-start' ||
      t === 'explicit-key-ind' ||
      t === 'map-value-ind' ||
      t === 'seq-item-ind' ||
      t === 'newline'
    )
      break;
  }
  while (prev[++i]?.type === 'space');
  return prev.splice(i, prev.length);
}

function pushAll<T>(target: T[], source: readonly T[]): void {
  for (const t of source) target.push(t);
}

/** In a flow sequence, `[a b]`-like items with neither `?` nor `:` are plain values, not keys. */
function fixFlowSeqItems(fc: FlowCollection): void {
  if (fc.start.type !== 'flow-seq-start') return;
  for (const it of fc.items) {
    if (
      it.sep &&
      !it.value &&
      !includesToken(it.start, 'explicit-key-ind') &&
      !includesToken(it.sep, 'map-value-ind')
    ) {
      if (it.key) it.value = it.key;
      delete it.key;
      const v = it.value as AnyToken | undefined;
      if (!isFlowToken(v)) pushAll(it.start, it.sep);
      else if (v!.end) pushAll(v!.end, it.sep);
      else v!.end = it.sep;
      delete it.sep;
    }
  }
}

export class Parser {
  #atNewLine = true;
  #indent = 0;
  #offset = 0;
  #onKeyLine = false;
  readonly #stack: Built[] = [];
  #source = '';
  #type: LexType = 'newline';
  readonly #out: Token[] = [];

  /** Parse a whole YAML stream: its top-level tokens (directives, documents, stray tokens). */
  static parse(text: string): Token[] {
    const p = new Parser();
    new Lexer(text, (type, start, end) =>
      p.#next(type, start, type === 'doc-mode' ? '\x02' : type === 'flow-error-end' ? '\x18' : text.slice(start, end)),
    ).run();
    while (p.#stack.length > 0) p.#pop();
    return p.#out;
  }

  #next(type: LexType, offset: number, source: string): void {
    this.#source = source;
    this.#offset = offset;
    if (type === 'error') {
      this.#pop({ type: 'error', offset, source, id: 'yaml-syntax.not-a-token', values: { source } });
      return;
    }
    // before the step: the body of a block scalar puts the parser on a new line again
    if (type === 'scalar') this.#atNewLine = false;
    this.#type = type;
    this.#step();
    switch (type) {
      case 'newline':
        this.#atNewLine = true;
        this.#indent = 0;
        break;
      case 'space':
        if (this.#atNewLine && source[0] === ' ') this.#indent += source.length;
        break;
      case 'explicit-key-ind':
      case 'map-value-ind':
      case 'seq-item-ind':
        if (this.#atNewLine) this.#indent += source.length;
        break;
      case 'scalar':
      case 'doc-mode':
      case 'flow-error-end':
        break;
      default:
        this.#atNewLine = false;
    }
  }

  get #sourceToken(): SourceToken {
    return {
      type: this.#type as SourceToken['type'],
      offset: this.#offset,
      indent: this.#indent,
      source: this.#source,
    };
  }

  #peek(n: number): Built | undefined {
    return this.#stack[this.#stack.length - n];
  }

  #step(): void {
    const top = this.#peek(1);
    if (this.#type === 'doc-end' && top?.type !== 'doc-end') {
      while (this.#stack.length > 0) this.#pop();
      this.#stack.push({ type: 'doc-end', offset: this.#offset, source: this.#source });
      return;
    }
    if (!top) return this.#stream();
    switch (top.type) {
      case 'document':
        return this.#document(top);
      case 'alias':
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        return this.#scalar(top);
      case 'block-scalar':
        return this.#blockScalar(top);
      case 'block-map':
        return this.#blockMap(top);
      case 'block-seq':
        return this.#blockSequence(top);
      case 'flow-collection':
        return this.#flowCollection(top);
      case 'doc-end':
        return this.#documentEnd(top);
    }
  }

  /**
   * Close the top node (or place `error`) into its parent, or emit it at the stream level. Without `error` the
   * stack is never empty: every caller pops a node it found on top.
   */
  #pop(error?: ErrorToken): void {
    const token = (error ?? this.#stack.pop()) as AnyToken;
    if (this.#stack.length === 0) {
      this.#out.push(token);
      return;
    }
    const top = this.#peek(1)!;
    if (token.type === 'block-scalar') token.indent = 'indent' in top ? top.indent : 0;
    else if (token.type === 'flow-collection' && top.type === 'document') token.indent = 0;
    if (token.type === 'flow-collection') fixFlowSeqItems(token);
    switch (top.type) {
      case 'document':
        top.value = token;
        break;
      case 'block-scalar':
        top.props.push(token);
        break;
      case 'block-map': {
        const it = top.items[top.items.length - 1]!;
        if (it.value) {
          top.items.push({ start: [], key: token, sep: [] });
          this.#onKeyLine = true;
          return;
        } else if (it.sep) it.value = token;
        else {
          it.key = token;
          it.sep = [];
          this.#onKeyLine = !it.explicitKey;
          return;
        }
        break;
      }
      case 'block-seq': {
        const it = top.items[top.items.length - 1]!;
        if (it.value) top.items.push({ start: [], value: token });
        else it.value = token;
        break;
      }
      case 'flow-collection': {
        const it = top.items[top.items.length - 1];
        if (!it || it.value) top.items.push({ start: [], key: token, sep: [] });
        else if (it.sep) it.value = token;
        else {
          it.key = token;
          it.sep = [];
        }
        return;
      }
      default:
        this.#pop();
        this.#pop(token as ErrorToken);
    }
    // a block collection's parent here is a document, a block mapping or a block sequence (the cases above that return
    // place a key or a flow collection's item)
    if (token.type === 'block-map' || token.type === 'block-seq') {
      // trailing comment lines less indented than the collection belong to its parent
      const last = token.items[token.items.length - 1]!;
      if (
        !last.sep &&
        !last.value &&
        last.start.length > 0 &&
        !hasContent(last.start) &&
        (token.indent === 0 || last.start.every((st) => st.type !== 'comment' || st.indent < token.indent))
      ) {
        if (top.type === 'document') top.end = last.start;
        else (top as BlockMap | BlockSequence).items.push({ start: last.start });
        token.items.splice(-1, 1);
      }
    }
  }

  #stream(): void {
    switch (this.#type) {
      case 'directive-line':
        this.#out.push({ type: 'directive', offset: this.#offset, source: this.#source });
        return;
      case 'byte-order-mark':
      case 'space':
      case 'comment':
      case 'newline':
        this.#out.push(this.#sourceToken);
        return;
      case 'doc-mode':
      case 'doc-start': {
        const doc: Document = { type: 'document', offset: this.#offset, start: [] };
        if (this.#type === 'doc-start') doc.start.push(this.#sourceToken);
        this.#stack.push(doc);
        return;
      }
    }
    this.#unexpected('stream');
  }

  /** An error token for the current token, which has no place in `where`. */
  #unexpected(where: 'stream' | 'document'): void {
    this.#out.push({
      type: 'error',
      offset: this.#offset,
      source: this.#source,
      id: 'yaml-syntax.unexpected-here',
      values: { type: this.#type, where },
    });
  }

  #document(doc: Document): void {
    if (doc.value) return this.#lineEnd(doc as unknown as AnyToken);
    switch (this.#type) {
      case 'doc-start':
        if (hasContent(doc.start)) {
          this.#pop();
          this.#step();
        } else doc.start.push(this.#sourceToken);
        return;
      case 'anchor':
      case 'tag':
      case 'space':
      case 'comment':
      case 'newline':
        doc.start.push(this.#sourceToken);
        return;
    }
    const bv = this.#startBlockValue(doc);
    if (bv) this.#stack.push(bv);
    else this.#unexpected('document');
  }

  #scalar(scalar: FlowScalar): void {
    if (this.#type === 'map-value-ind') {
      // `key:` — the scalar was a key
      const sep = scalar.end ?? [];
      delete scalar.end;
      this.#keyOfNewMap(scalar, sep);
    } else this.#lineEnd(scalar);
  }

  /** The top node (a scalar or flow collection) was a key: it becomes the first key of a new block mapping. */
  #keyOfNewMap(key: FlowScalar | FlowCollection, sep: SourceToken[]): void {
    const start = firstKeyStartProps(prevProps(this.#peek(2)!));
    sep.push(this.#sourceToken);
    this.#onKeyLine = true;
    this.#stack[this.#stack.length - 1] = {
      type: 'block-map',
      offset: key.offset,
      indent: key.indent,
      items: [{ start, key, sep }],
    };
  }

  #blockScalar(scalar: BlockScalar): void {
    switch (this.#type) {
      case 'space':
      case 'comment':
      case 'newline':
        scalar.props.push(this.#sourceToken);
        return;
      case 'scalar':
        scalar.source = this.#source;
        this.#atNewLine = true;
        this.#indent = 0;
        this.#pop();
        break;
      default:
        this.#pop();
        this.#step();
    }
  }

  #blockMap(map: BlockMap): void {
    const it = map.items[map.items.length - 1]!;
    switch (this.#type) {
      case 'newline':
        this.#onKeyLine = false;
        if (it.value) this.#afterValue(map.items, it.value);
        else (it.sep ?? it.start).push(this.#sourceToken);
        return;
      case 'space':
      case 'comment':
        if (it.value) map.items.push({ start: [this.#sourceToken] });
        else if (it.sep) it.sep.push(this.#sourceToken);
        else if (!this.#joinPreviousEnd(map.items, it, map.indent)) it.start.push(this.#sourceToken);
        return;
    }
    if (this.#indent >= map.indent) {
      const atMapIndent = !this.#onKeyLine && this.#indent === map.indent;
      const atNextItem = atMapIndent && (it.sep || it.explicitKey) && this.#type !== 'seq-item-ind';
      let start: SourceToken[] = [];
      if (atNextItem && it.sep && !it.value) {
        // blank lines and comments after an empty value start the next entry
        const nl: number[] = [];
        for (let i = 0; i < it.sep.length; ++i) {
          const st = it.sep[i]!;
          switch (st.type) {
            case 'newline':
              nl.push(i);
              break;
            case 'space':
              break;
            case 'comment':
              if (st.indent > map.indent) nl.length = 0;
              break;
            default:
              nl.length = 0;
          }
        }
        if (nl.length >= 2) start = it.sep.splice(nl[1]!);
      }
      switch (this.#type) {
        case 'anchor':
        case 'tag':
          if (atNextItem || it.value) {
            start.push(this.#sourceToken);
            map.items.push({ start });
            this.#onKeyLine = true;
          } else (it.sep ?? it.start).push(this.#sourceToken);
          return;
        case 'explicit-key-ind':
          if (!it.sep && !it.explicitKey) {
            it.start.push(this.#sourceToken);
            it.explicitKey = true;
          } else if (atNextItem || it.value) {
            start.push(this.#sourceToken);
            map.items.push({ start, explicitKey: true });
          } else {
            this.#stack.push(this.#newMap({ start: [this.#sourceToken], explicitKey: true }));
          }
          this.#onKeyLine = true;
          return;
        case 'map-value-ind':
          this.#mapValue(map, it, start, !!atNextItem);
          this.#onKeyLine = true;
          return;
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar': {
          const fs = this.#flowScalar();
          if (atNextItem || it.value) {
            map.items.push({ start, key: fs, sep: [] });
            this.#onKeyLine = true;
          } else if (it.sep) this.#stack.push(fs);
          else {
            it.key = fs;
            it.sep = [];
            this.#onKeyLine = true;
          }
          return;
        }
        default: {
          const bv = this.#startBlockValue(map);
          if (bv) {
            if (bv.type === 'block-seq') {
              if (!it.explicitKey && it.sep && !includesToken(it.sep, 'newline')) {
                this.#pop({
                  type: 'error',
                  offset: this.#offset,
                  source: this.#source,
                  id: 'yaml-syntax.seq-on-key-line',
                });
                return;
              }
            } else if (atMapIndent) map.items.push({ start });
            this.#stack.push(bv);
            return;
          }
        }
      }
    }
    this.#pop();
    this.#step();
  }

  /** A `:` inside a block mapping: the value of the current entry, or a new (nested) mapping. */
  #mapValue(map: BlockMap, it: CollectionItem, start: SourceToken[], atNextItem: boolean): void {
    const newMap = (item: CollectionItem): void => {
      this.#stack.push(this.#newMap(item));
    };
    if (it.explicitKey) {
      if (!it.sep) {
        if (includesToken(it.start, 'newline')) {
          it.key = null;
          it.sep = [this.#sourceToken];
        } else newMap({ start: firstKeyStartProps(it.start), key: null, sep: [this.#sourceToken] });
      } else if (it.value) map.items.push({ start: [], key: null, sep: [this.#sourceToken] });
      else if (includesToken(it.sep, 'map-value-ind')) newMap({ start, key: null, sep: [this.#sourceToken] });
      else if (isFlowToken(it.key) && !includesToken(it.sep, 'newline')) {
        const keyStart = firstKeyStartProps(it.start);
        const key = it.key;
        const sep = it.sep;
        sep.push(this.#sourceToken);
        delete it.key;
        delete it.sep;
        newMap({ start: keyStart, key, sep });
      } else it.sep.push(...start, this.#sourceToken);
    } else if (!it.sep) {
      it.key = null;
      it.sep = [this.#sourceToken];
    } else if (it.value || atNextItem) map.items.push({ start, key: null, sep: [this.#sourceToken] });
    else if (includesToken(it.sep, 'map-value-ind')) newMap({ start: [], key: null, sep: [this.#sourceToken] });
    else it.sep.push(this.#sourceToken);
  }

  #blockSequence(seq: BlockSequence): void {
    const it = seq.items[seq.items.length - 1]!;
    switch (this.#type) {
      case 'newline':
        if (it.value) this.#afterValue(seq.items, it.value);
        else it.start.push(this.#sourceToken);
        return;
      case 'space':
      case 'comment':
        if (it.value) seq.items.push({ start: [this.#sourceToken] });
        else if (!this.#joinPreviousEnd(seq.items, it, seq.indent)) it.start.push(this.#sourceToken);
        return;
      case 'anchor':
      case 'tag':
        if (it.value || this.#indent <= seq.indent) break;
        it.start.push(this.#sourceToken);
        return;
      case 'seq-item-ind':
        if (this.#indent !== seq.indent) break;
        if (it.value || includesToken(it.start, 'seq-item-ind')) seq.items.push({ start: [this.#sourceToken] });
        else it.start.push(this.#sourceToken);
        return;
    }
    if (this.#indent > seq.indent) {
      const bv = this.#startBlockValue(seq);
      if (bv) {
        this.#stack.push(bv);
        return;
      }
    }
    this.#pop();
    this.#step();
  }

  #flowCollection(fc: FlowCollection): void {
    const it = fc.items[fc.items.length - 1];
    if (this.#type === 'flow-error-end') {
      let top: Built | undefined;
      do {
        this.#pop();
        top = this.#peek(1);
      } while (top?.type === 'flow-collection');
    } else if (fc.end.length === 0) {
      switch (this.#type) {
        case 'comma':
        case 'explicit-key-ind':
          if (!it || it.sep) fc.items.push({ start: [this.#sourceToken] });
          else it.start.push(this.#sourceToken);
          return;
        case 'map-value-ind':
          if (!it || it.value) fc.items.push({ start: [], key: null, sep: [this.#sourceToken] });
          else if (it.sep) it.sep.push(this.#sourceToken);
          else {
            it.key = null;
            it.sep = [this.#sourceToken];
          }
          return;
        case 'space':
        case 'comment':
        case 'newline':
        case 'anchor':
        case 'tag':
          if (!it || it.value) fc.items.push({ start: [this.#sourceToken] });
          else (it.sep ?? it.start).push(this.#sourceToken);
          return;
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar': {
          const fs = this.#flowScalar();
          if (!it || it.value) fc.items.push({ start: [], key: fs, sep: [] });
          else if (it.sep) this.#stack.push(fs);
          else {
            it.key = fs;
            it.sep = [];
          }
          return;
        }
        case 'flow-map-end':
        case 'flow-seq-end':
          fc.end.push(this.#sourceToken);
          return;
      }
      const bv = this.#startBlockValue(fc);
      if (bv) this.#stack.push(bv);
      else {
        this.#pop();
        this.#step();
      }
    } else {
      const parent = this.#peek(2)!;
      if (
        parent.type === 'block-map' &&
        ((this.#type === 'map-value-ind' && parent.indent === fc.indent) ||
          (this.#type === 'newline' && !parent.items[parent.items.length - 1]!.sep))
      ) {
        this.#pop();
        this.#step();
      } else if (this.#type === 'map-value-ind' && parent.type !== 'flow-collection') {
        // `[a, b]: value` / `{a: 1}: value` — the flow collection was a key
        fixFlowSeqItems(fc);
        this.#keyOfNewMap(fc, fc.end.splice(1, fc.end.length));
      } else this.#lineEnd(fc as AnyToken);
    }
  }

  #flowScalar(): FlowScalar {
    return { type: this.#type as FlowScalar['type'], offset: this.#offset, indent: this.#indent, source: this.#source };
  }

  #startBlockValue(parent: Built): Built | null {
    switch (this.#type) {
      case 'alias':
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        return this.#flowScalar();
      case 'block-scalar-header':
        return {
          type: 'block-scalar',
          offset: this.#offset,
          indent: this.#indent,
          props: [this.#sourceToken],
          source: '',
        };
      case 'flow-map-start':
      case 'flow-seq-start':
        return {
          type: 'flow-collection',
          offset: this.#offset,
          indent: this.#indent,
          start: this.#sourceToken,
          items: [],
          end: [],
        };
      case 'seq-item-ind':
        return {
          type: 'block-seq',
          offset: this.#offset,
          indent: this.#indent,
          items: [{ start: [this.#sourceToken] }],
        };
      case 'explicit-key-ind':
      case 'map-value-ind': {
        // a new mapping's first entry, with the key's properties written before the indicator
        this.#onKeyLine = true;
        const start = firstKeyStartProps(prevProps(parent));
        if (this.#type === 'map-value-ind') return this.#newMap({ start, key: null, sep: [this.#sourceToken] });
        start.push(this.#sourceToken);
        return this.#newMap({ start, explicitKey: true });
      }
    }
    return null;
  }

  /** A block mapping that starts at the current token, with its first entry. */
  #newMap(item: CollectionItem): BlockMap {
    return { type: 'block-map', offset: this.#offset, indent: this.#indent, items: [item] };
  }

  /** A line break after an item's value: it ends the value's trailing comment, else it starts the next item. */
  #afterValue(items: CollectionItem[], value: Token): void {
    const end = (value as AnyToken).end;
    if (end?.[end.length - 1]?.type === 'comment') end.push(this.#sourceToken);
    else items.push({ start: [this.#sourceToken] });
  }

  /**
   * A comment indented deeper than the collection, on an item that holds nothing else yet, ends the previous item
   * (with what the new item held): true when it did, and the new item is dropped.
   */
  #joinPreviousEnd(items: CollectionItem[], it: CollectionItem, indent: number): boolean {
    if (!this.#atIndentedComment(it.start, indent)) return false;
    const end = (items[items.length - 2]?.value as AnyToken | undefined)?.end;
    if (!Array.isArray(end)) return false;
    pushAll(end, it.start);
    end.push(this.#sourceToken);
    items.pop();
    return true;
  }

  #atIndentedComment(start: readonly SourceToken[], indent: number): boolean {
    if (this.#type !== 'comment') return false;
    if (this.#indent <= indent) return false;
    return start.every((st) => st.type === 'newline' || st.type === 'space');
  }

  #documentEnd(docEnd: DocumentEnd): void {
    if (this.#type !== 'doc-mode') this.#addEnd(docEnd);
  }

  /** A token after a node, on its line: a line break ends the node. */
  #addEnd(token: AnyToken | DocumentEnd): void {
    (token.end ??= []).push(this.#sourceToken);
    if (this.#type === 'newline') this.#pop();
  }

  #lineEnd(token: AnyToken): void {
    switch (this.#type) {
      case 'comma':
      case 'doc-start':
      case 'doc-end':
      case 'flow-seq-end':
      case 'flow-map-end':
      case 'map-value-ind':
        this.#pop();
        this.#step();
        break;
      default:
        if (this.#type === 'newline') this.#onKeyLine = false;
        this.#addEnd(token);
    }
  }
}
