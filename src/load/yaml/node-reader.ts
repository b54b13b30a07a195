/**
 * Reading the nodes of one YAML document: the shared state of a document's walk (anchors, alias
 * expansion budget, diagnostics, the position of the node last read) and every node that is not a
 * collection's content: scalars (typed by scalars.ts, tags, `!reset` / `!override`), aliases (expanded
 * into independent copies within a node budget) and the wrapper of collections. Mappings:
 * map-reader.ts; sequences and flow collections: document-reader.ts; the stream: cst.ts.
 */
import { scalarText as resolveScalar } from './text/scalar-text.js';
import type * as CST from './text/syntax.js';
import type { DiagnosticId } from '../../report/codes.js';
import type { MessageValues } from '../../report/entry.js';
import type { SourcePos } from '../../report/diagnostic.js';
import { Override, RESET } from './tags.js';
import { coreTag, resolvePlain, resolveTagged } from './scalars.js';
import type { Directives } from './directives.js';
import { emptyScalarPosition, readEnd, readProps, type OnError, type Props } from './props.js';
import { checkKnownCollectionTag } from './collection-tags.js';
import type { LineTable } from './lines.js';

/**
 * Most nodes an alias expansion may produce in one document. Sentry's self-hosted file (~145
 * aliases) expands to a few thousand; a "billion laughs" document hits this bound after a few
 * milliseconds instead of eating all memory.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

/** A syntax error: the `yaml` package's wording of it, as an id of the texts and its values. */
export interface SyntaxError {
  offset: number;
  id: CST.SyntaxId;
  values: MessageValues | undefined;
}

/** A diagnostic of the builder (reported only when the file has no syntax error). */
export interface BuildDiagnostic {
  severity: 'error' | 'warning';
  id: DiagnosticId;
  values: MessageValues;
  offset: number;
}

export interface BuiltDocument {
  value: unknown;
  positions: Map<string, SourcePos>;
  /** The builder reported an error (the value is not to be used). */
  failed: boolean;
  diagnostics: BuildDiagnostic[];
}

export interface ReadFile {
  syntaxErrors: SyntaxError[];
  documents: BuiltDocument[];
}

export type Token = CST.Token;
export type SourceToken = CST.SourceToken;
export type FlowCollection = CST.FlowCollection;

/** An anchored node, for its aliases to read again. */
export interface NodeRef {
  tok: Token | null;
  tag: string | null;
  /** Offset of the node (of the empty node when `tok` is null). */
  off: number;
}

export const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/;
export const MERGE_TAG = 'tag:yaml.org,2002:merge';
export const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';

export const isBlock = (t: Token | null | undefined): boolean => t?.type === 'block-map' || t?.type === 'block-seq';

export function isSeqToken(t: Token | null | undefined): boolean {
  return t?.type === 'block-seq' || (t?.type === 'flow-collection' && t.start.source === '[');
}

/** A key as the builder sees it (a non-scalar kind is the word the yaml-non-string-key.collection message shows). */
export type Key =
  { kind: 'scalar'; value: string; plain: boolean; tag: string | null } | { kind: 'mapping' | 'sequence' | 'null' };

export interface MergeSource {
  value: Record<string, unknown>;
  positions: Map<string, SourcePos>;
}

/** Per mapping being built. */
export interface MapBuild {
  out: Record<string, unknown>;
  ptr: string;
  positions: Map<string, SourcePos>;
  /** Index in the diagnostics where this mapping's key diagnostics go (before its values' ones). */
  cursor: number;
  /** Local keys and merge groups in written order, once a merge key was seen. */
  order?: Array<string | MergeSource[]>;
  /** Offset of each key accepted so far (a merge key as `<<`), for the duplicate check. */
  keys: Map<string, number>;
}

/** `!!binary`: the base64 text decoded, read as UTF-8 (what go-yaml gives for a string field). */
function decodeBinary(text: string): string {
  let bin: string;
  try {
    bin = atob(text.replace(/[^A-Za-z0-9+/=]/g, ''));
  } catch {
    return text;
  }
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export abstract class NodeReader {
  /** Syntax checks and anchor bookkeeping are on while this is 0 (the first walk of the text). */
  protected quiet = 0;
  /** Values are built while this is 0 (keys and refused entries are only walked). */
  protected skip = 0;
  protected readonly anchors = new Map<string, NodeRef>();
  protected readonly aliasTargets = new Map<Token, NodeRef | undefined>();
  readonly #active = new Set<Token>();
  #expanded = 0;
  #aliasDepth = 0;
  #outerAlias = 0;
  #limitHit = false;
  protected atKey = false;
  /** Start and end (after its comments) of the node last read, as the `yaml` package's range[0] and range[2]. */
  protected nodeStart = 0;
  protected nodeEnd = 0;
  /** The last key read (its scalar text and kind). */
  protected key: Key = { kind: 'null' };
  /** The document's top node (an unclosed flow collection there has its own message). */
  protected root: Token | undefined;
  readonly diagnostics: BuildDiagnostic[] = [];
  protected errorCount = 0;

  constructor(
    protected readonly lines: LineTable,
    protected readonly file: string,
    protected readonly tags: Directives,
    protected readonly syntaxErrors: SyntaxError[],
  ) {}

  /** Report a syntax error: on the first walk of the text only (a re-read alias or merge source was checked once). */
  protected readonly syntax: OnError = (at, id, values) => {
    if (this.quiet === 0) this.syntaxErrors.push({ offset: typeof at === 'number' ? at : at.offset, id, values });
  };

  protected get building(): boolean {
    return this.skip === 0 && !this.#limitHit;
  }

  pos(offset: number): SourcePos {
    return this.lines.pos(this.file, offset);
  }

  protected error(id: DiagnosticId, values: MessageValues, offset: number, at?: MapBuild): void {
    this.errorCount++;
    const d: BuildDiagnostic = { severity: 'error', id, values, offset };
    if (at) this.diagnostics.splice(at.cursor++, 0, d);
    else this.diagnostics.push(d);
  }

  read(doc: CST.Document): BuiltDocument {
    const positions = new Map<string, SourcePos>();
    const { offset, start, value, end } = doc;
    this.root = value;
    const props = readProps(
      start,
      { indicator: 'doc-start', next: value ?? end?.[0], offset, parentIndent: 0, startOnNewline: true },
      this.syntax,
    );
    if (props.found && isBlock(value) && !props.hasNewline) this.syntax(props.end, 'yaml-syntax.block-after-doc-start');
    let built = this.node(value ?? null, props, start, props.end, '', positions);
    positions.set('', this.pos(this.nodeStart));
    if (this.#limitHit) built = undefined;
    readEnd(end, this.nodeEnd, false, this.syntax);
    return { value: built, positions, failed: this.errorCount > 0, diagnostics: this.diagnostics };
  }

  /**
   * Read one node: `tok` with the properties before it, or (tok null) an empty node placed after
   * `before`. Returns its value when building.
   */
  protected node(
    tok: Token | null,
    props: Props,
    before: readonly SourceToken[] | undefined,
    emptyOffset: number,
    ptr: string,
    positions: Map<string, SourcePos>,
  ): unknown {
    const { anchor, tag } = props;
    if (tok?.type === 'alias') {
      const end = this.readAlias(tok, props);
      const v = this.building ? this.alias(tok, ptr, positions) : undefined;
      this.nodeStart = tok.offset;
      this.nodeEnd = end;
      return v;
    }
    if (tok?.type === 'error') {
      // the parser places nothing else as a node than scalars, collections and its error tokens: an error is read
      // as an empty node at its place
      this.syntax(tok, tok.id, tok.values);
      emptyOffset = tok.offset;
      before = undefined;
      tok = null;
    }
    let value: unknown;
    if (tok && 'items' in tok) {
      const tagName = this.resolveTag(tag);
      if (tok.type === 'block-seq') this.checkSeqProps(props);
      const isMap = !isSeqToken(tok);
      const effective =
        tagName === '!' ? (isMap ? 'tag:yaml.org,2002:map' : 'tag:yaml.org,2002:seq') : tag ? tagName : null;
      this.setAnchor(anchor, tok, effective, tok.offset);
      value = this.collection(tok, effective, ptr, positions);
      if (tag && effective)
        checkKnownCollectionTag(tok, effective, isMap, (id, values) => this.syntax(tag, id, values));
      this.nodeStart = tok.offset;
    } else {
      let text = '';
      let plain = true;
      let at: number;
      let end: number;
      if (tok) {
        const r = resolveScalar(tok as CST.FlowScalar | CST.BlockScalar, this.syntax);
        text = r.value;
        plain = r.plain;
        at = tok.offset;
        end = r.end;
      } else {
        at = emptyScalarPosition(emptyOffset, before);
        end = props.comment ? props.end : at;
      }
      const tagName = this.resolveTag(tag);
      if (tagName === TIMESTAMP_TAG && !TIMESTAMP.test(text)) this.syntax(tag!, 'yaml-syntax.bad-timestamp');
      this.setAnchor(anchor, tok, tagName, at);
      if (this.atKey) this.key = { kind: 'scalar', value: text, plain, tag: tagName };
      else if (this.building) value = this.scalar(text, plain, tagName, at);
      this.nodeStart = at;
      this.nodeEnd = end;
    }
    if (anchor?.source.length === 1) this.syntax(anchor, 'yaml-syntax.empty-anchor');
    return value;
  }

  /** The checks of an alias (on the first walk, the anchored node it names is recorded); returns its end. */
  protected readAlias(tok: CST.FlowScalar, { anchor, tag }: Props): number {
    const source = tok.source;
    if (this.quiet === 0) {
      if (source.length === 1) this.syntax(tok, 'yaml-syntax.empty-alias');
      this.aliasTargets.set(tok, this.anchors.get(source.substring(1)));
    }
    const end = readEnd(tok.end, tok.offset + source.length, true, this.syntax);
    if (anchor || tag) this.syntax(tok, 'yaml-syntax.alias-props');
    return end;
  }

  /** The full name of a node's tag (its errors reported on the first walk); null without a tag. */
  protected resolveTag(tag: SourceToken | null): string | null {
    return tag ? this.tags.resolve(tag.source, (id, values) => this.syntax(tag, id, values)) : null;
  }

  /** A block sequence's anchor or tag must end its line. */
  protected checkSeqProps({ anchor, tag, newlineAfterProp: nl }: Props): void {
    const last = anchor && tag ? (anchor.offset > tag.offset ? anchor : tag) : (anchor ?? tag);
    if (last && (!nl || nl.offset < last.offset)) this.syntax(last, 'yaml-syntax.seq-props-newline');
  }

  /** On the first walk, a node's anchor (a name, not an empty `&`) for the aliases after it. */
  protected setAnchor(anchor: SourceToken | null, tok: Token | null, tag: string | null, off: number): void {
    if (this.quiet === 0 && anchor && anchor.source.length > 1)
      this.anchors.set(anchor.source.substring(1), { tok, tag, off });
  }

  /** Walk a node without building its value. */
  protected skipping(walk: () => unknown): void {
    this.skip++;
    try {
      walk();
    } finally {
      this.skip--;
    }
  }

  /** Count one built node inside an alias expansion, against the budget (over it: thrown to `alias`). */
  protected count(): void {
    if (this.#aliasDepth > 0 && ++this.#expanded > MAX_ALIAS_EXPANSION) {
      this.#limitHit = true;
      throw new RangeError();
    }
  }

  protected scalar(text: string, plain: boolean, tag: string | null, at: number): unknown {
    this.count();
    if (tag === '!reset') return RESET;
    if (tag === '!override') return new Override(plain ? resolvePlain(text) : text);
    const core = tag ? coreTag(tag) : undefined;
    if (tag && !core) this.#warn(tag, at);
    if (core === 'binary') return decodeBinary(text);
    if (core) {
      const v = resolveTagged(core, text);
      if (v === undefined) {
        this.error('yaml-bad-tag', { text, tag: core }, at);
        return text;
      }
      return v;
    }
    return plain ? resolvePlain(text) : text;
  }

  #warn(tag: string, at: number): void {
    this.diagnostics.push({ severity: 'warning', id: 'yaml-unknown-tag', values: { tag }, offset: at });
  }

  protected alias(tok: CST.FlowScalar, ptr: string, positions: Map<string, SourcePos>): unknown {
    this.count();
    const target = this.aliasTargets.get(tok);
    const at = tok.offset;
    if (!target) {
      this.error('yaml-syntax.unknown-anchor', { anchor: tok.source.substring(1) }, at);
      return null;
    }
    if (target.tok && this.#active.has(target.tok)) {
      this.error('yaml-alias-limit.recursive', { alias: tok.source }, at);
      return null;
    }
    if (this.#aliasDepth > 0) return this.#expand(target, ptr, positions, at);
    try {
      return this.#expand(target, ptr, positions, at);
    } catch (e) {
      if (!this.#limitHit) throw e;
      // building this document stopped; the walk goes on for the syntax checks
      this.error('yaml-alias-limit.expansion', { max: MAX_ALIAS_EXPANSION }, this.#outerAlias);
      return null;
    }
  }

  /** Build an anchored node again (an alias of it), with the syntax checks off. */
  #expand(target: NodeRef, ptr: string, positions: Map<string, SourcePos>, at: number): unknown {
    if (this.#aliasDepth === 0) this.#outerAlias = at;
    this.#aliasDepth++;
    this.quiet++;
    const start = this.nodeStart;
    const end = this.nodeEnd;
    try {
      return this.#rebuild(target, ptr, positions);
    } finally {
      this.#aliasDepth--;
      this.quiet--;
      this.nodeStart = start;
      this.nodeEnd = end;
    }
  }

  #rebuild(target: NodeRef, ptr: string, positions: Map<string, SourcePos>): unknown {
    const tok = target.tok;
    if (!tok) return this.scalar('', true, target.tag, target.off);
    if ('items' in tok) return this.collection(tok, target.tag, ptr, positions);
    const r = resolveScalar(tok as CST.FlowScalar | CST.BlockScalar);
    return this.scalar(r.value, r.plain, target.tag, target.off);
  }

  protected collection(
    c: CST.BlockMap | CST.BlockSequence | FlowCollection,
    tag: string | null,
    ptr: string,
    positions: Map<string, SourcePos>,
  ): unknown {
    const atKey = this.atKey;
    this.atKey = false;
    const build = this.building && !atKey;
    try {
      if (build) this.count();
      if (!build || tag === '!reset') {
        // a key or a refused entry is only walked; a `!reset` collection counts but builds nothing
        this.skipping(() => this.walkCollection(c, ptr, positions));
        return build ? RESET : undefined;
      }
      const overridden = tag === '!override';
      if (tag && !overridden && !coreTag(tag)) this.#warn(tag, c.offset);
      this.#active.add(c);
      try {
        const v = this.walkCollection(c, ptr, positions);
        return overridden ? new Override(v) : v;
      } finally {
        this.#active.delete(c);
      }
    } finally {
      this.atKey = atKey;
      if (atKey) this.key = { kind: isSeqToken(c) ? 'sequence' : 'mapping' };
    }
  }

  /** Read a collection's entries (its value when building); sets `nodeEnd`, the caller `nodeStart`. */
  protected abstract walkCollection(
    c: CST.BlockMap | CST.BlockSequence | FlowCollection,
    ptr: string,
    positions: Map<string, SourcePos>,
  ): unknown;
}
