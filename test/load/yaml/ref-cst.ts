/**
 * One compose file's YAML text → plain JS values plus a pointer → position table, built straight from
 * the `yaml` package's CST (its `Parser`): no Document model, no node classes, no schema. One walk per
 * document, in document order, does three things:
 *
 * - the syntax checks the `yaml` package's composer makes on top of its parser (indentation, props,
 *   flow punctuation, directives, tags, ...), reported with the same code, message and offset;
 * - anchors: each alias refers to the latest anchor of its name before it in the document;
 * - building values the way go-yaml / compose-go read them: scalars typed by `scalars.ts`, `<<` merge keys,
 *   `!reset` / `!override` (tags.ts), aliases expanded into independent copies within a node budget,
 *   duplicate and non-string keys refused.
 *
 * An alias is expanded by walking its anchored node's CST again, with the syntax checks off (they were
 * made the first time). The builder's own diagnostics are kept in the order a keys-then-values reader
 * reports them, and dropped when the file has a syntax error (the file is refused on that alone).
 */
import { CST, Parser } from 'yaml';
import type { DiagnosticCode } from '../../../src/report/codes.js';
import type { SourcePos } from '../../../src/report/diagnostic.js';
import { Override, RESET } from '../../../src/load/yaml/tags.js';
import { coreTag, resolvePlain, resolveTagged } from '../../../src/load/yaml/scalars.js';
import { Directives, type TagResolver } from './ref-directives.js';
import {
  containsNewline,
  emptyScalarPosition,
  readEnd,
  readProps,
  type ErrorAt,
  type OnError,
  type Props,
} from './ref-props.js';
import type { LineTable } from '../../../src/load/yaml/lines.js';

/**
 * Most nodes an alias expansion may produce in one document. Sentry's self-hosted file (~145
 * aliases) expands to a few thousand; a "billion laughs" document hits this bound after a few
 * milliseconds instead of eating all memory.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

/** A syntax error as the `yaml` package words it. */
export interface SyntaxError {
  offset: number;
  code: string;
  message: string;
}

/** A diagnostic of the builder (reported only when the file has no syntax error). */
export interface BuildDiagnostic {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  message: string;
  offset: number;
}

export interface BuiltDocument {
  value: unknown;
  positions: Map<string, SourcePos>;
  /** Offset of the document's root node. */
  rootOffset: number;
  /** The builder reported an error (the value is not to be used). */
  failed: boolean;
  diagnostics: BuildDiagnostic[];
}

export interface ReadFile {
  syntaxErrors: SyntaxError[];
  documents: BuiltDocument[];
}

type Token = CST.Token;
type SourceToken = CST.SourceToken;
type FlowCollection = CST.FlowCollection;

/** An anchored node, for its aliases to read again. */
interface NodeRef {
  tok: Token | null;
  tag: string | null;
  /** Offset of the node (of the empty node when `tok` is null). */
  off: number;
}

class AliasLimit extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const START_COL = 'All mapping items must start at the same column';
const BLOCK_IN_FLOW = 'Block collections are not allowed within flow collections';
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/;
const MERGE_TAG = 'tag:yaml.org,2002:merge';
const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';

function escapeSegment(k: string): string {
  return k.includes('~') || k.includes('/') ? k.replace(/~/g, '~0').replace(/\//g, '~1') : k;
}

function childPointer(ptr: string, seg: string): string {
  return ptr === '' ? seg : ptr + '/' + seg;
}

const isBlock = (t: Token | null | undefined): boolean => t?.type === 'block-map' || t?.type === 'block-seq';

function isSeqToken(t: Token | null | undefined): boolean {
  return t?.type === 'block-seq' || (t?.type === 'flow-collection' && t.start.source === '[');
}

/** A key as the builder sees it. */
type Key =
  | { kind: 'scalar'; value: string; type: string | null; tag: string | null }
  | { kind: 'map' | 'seq' | 'null' | 'node' };

interface MergeSource {
  value: Record<string, unknown>;
  positions: Map<string, SourcePos>;
}

/** Per mapping being built. */
interface MapBuild {
  out: Record<string, unknown>;
  ptr: string;
  positions: Map<string, SourcePos>;
  /** Index in the diagnostics where this mapping's key diagnostics go (before its values' ones). */
  cursor: number;
  /** Local keys and merge groups in written order, once a merge key was seen. */
  order: Array<string | MergeSource[]> | undefined;
  mergeOff: number;
  protoOff: number;
}

class DocumentReader {
  /** Syntax checks and anchor bookkeeping are on while this is 0 (the first walk of the text). */
  private quiet = 0;
  /** Values are built while this is 0 (keys and refused entries are only walked). */
  private skip = 0;
  private readonly anchors = new Map<string, NodeRef>();
  private readonly aliasTargets = new Map<Token, NodeRef | undefined>();
  private readonly active = new Set<Token>();
  private expanded = 0;
  private aliasDepth = 0;
  private outerAlias = 0;
  private limitHit = false;
  private atKey = false;
  /** range[0] and range[2] of the node last read (as the `yaml` package computes them). */
  private nodeStart = 0;
  private nodeEnd = 0;
  /** The last key read (its scalar text and kind). */
  private key: Key = { kind: 'null' };
  readonly diagnostics: BuildDiagnostic[] = [];
  failed = false;
  private errorCount = 0;
  private readonly onError: OnError;

  constructor(
    private readonly lines: LineTable,
    private readonly file: string,
    private readonly tags: TagResolver,
    private readonly syntaxErrors: SyntaxError[],
  ) {
    this.onError = (at, code, message) => this.syntax(at, code, message);
  }

  private syntax(at: ErrorAt, code: string, message: string): void {
    if (this.quiet === 0) this.syntaxErrors.push({ offset: typeof at === 'number' ? at : at.offset, code, message });
  }

  private get checking(): OnError | undefined {
    return this.quiet === 0 ? this.onError : undefined;
  }

  private get building(): boolean {
    return this.skip === 0 && !this.limitHit;
  }

  pos(offset: number): SourcePos {
    return this.lines.pos(this.file, offset);
  }

  private error(code: DiagnosticCode, message: string, offset: number, at?: MapBuild): void {
    this.failed = true;
    this.errorCount++;
    const d: BuildDiagnostic = { severity: 'error', code, message, offset };
    if (at) this.diagnostics.splice(at.cursor++, 0, d);
    else this.diagnostics.push(d);
  }

  read(doc: CST.Document): BuiltDocument {
    const positions = new Map<string, SourcePos>();
    const { offset, start, value, end } = doc;
    const props = readProps(
      start,
      { indicator: 'doc-start', next: value ?? end?.[0], offset, parentIndent: 0, startOnNewline: true },
      this.onError,
    );
    if (props.found && value && (value.type === 'block-map' || value.type === 'block-seq') && !props.hasNewline)
      this.syntax(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
    let built = this.node(value ?? null, props, start, props.end, '', positions, true);
    const rootOffset = this.nodeStart;
    if (this.limitHit) built = undefined;
    readEnd(end, this.nodeEnd, false, this.onError);
    return { value: built, positions, rootOffset, failed: this.failed, diagnostics: this.diagnostics };
  }

  /**
   * Read one node: `tok` with the properties before it, or (tok null) an empty node placed after
   * `before`. Returns its value when building. `root` marks the document's node (positions[''] is set).
   */
  private node(
    tok: Token | null,
    props: Props,
    before: readonly SourceToken[] | undefined,
    emptyOffset: number,
    ptr: string,
    positions: Map<string, SourcePos>,
    root = false,
  ): unknown {
    const check = this.checking;
    const { anchor, tag } = props;
    if (tok && tok.type === 'alias') {
      const off = tok.offset;
      const source = tok.source;
      if (check) {
        if (source.length === 1) this.syntax(off, 'BAD_ALIAS', 'Alias cannot be an empty string');
        this.aliasTargets.set(tok, this.anchors.get(source.substring(1)));
      }
      this.nodeStart = off;
      const end = readEnd(tok.end, off + source.length, true, check);
      if (check && (anchor || tag)) this.syntax(tok, 'ALIAS_PROPS', 'An alias node must not specify any properties');
      if (root) positions.set('', this.pos(off));
      const v = this.building ? this.alias(tok, ptr, positions) : undefined;
      this.nodeStart = off;
      this.nodeEnd = end;
      return v;
    }
    let kind: 'scalar' | 'collection' | 'empty' = 'empty';
    let at = emptyOffset;
    if (tok) {
      switch (tok.type) {
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
          kind = 'scalar';
          break;
        case 'block-map':
        case 'block-seq':
        case 'flow-collection':
          kind = 'collection';
          break;
        default:
          if (check)
            this.syntax(
              tok,
              'UNEXPECTED_TOKEN',
              tok.type === 'error' ? tok.message : `Unsupported token (type: ${tok.type})`,
            );
          at = tok.offset;
          before = undefined;
      }
    }
    const ref: NodeRef | undefined =
      check && anchor && anchor.source.length > 1 ? { tok: null, tag: null, off: 0 } : undefined;
    let value: unknown;
    if (kind === 'collection') {
      const c = tok as CST.BlockMap | CST.BlockSequence | FlowCollection;
      const tagName = tag ? this.tags.resolve(tag.source, (m) => check?.(tag, 'TAG_RESOLVE_FAILED', m)) : null;
      if (check && c.type === 'block-seq') {
        const last = anchor && tag ? (anchor.offset > tag.offset ? anchor : tag) : (anchor ?? tag);
        const nl = props.newlineAfterProp;
        if (last && (!nl || nl.offset < last.offset))
          this.syntax(last, 'MISSING_CHAR', 'Missing newline after block sequence props');
      }
      const isMap = c.type === 'block-map' || (c.type === 'flow-collection' && c.start.source === '{');
      const effective =
        tagName === '!' ? (isMap ? 'tag:yaml.org,2002:map' : 'tag:yaml.org,2002:seq') : tag ? tagName : null;
      if (ref) {
        ref.tok = c;
        ref.tag = effective;
        ref.off = c.offset;
        this.anchors.set(anchor!.source.substring(1), ref);
      }
      if (root) positions.set('', this.pos(c.offset));
      value = this.collection(c, effective, ptr, positions);
      if (check && tag && effective)
        checkKnownCollectionTag(c, effective, isMap, (m) => this.syntax(tag, 'TAG_RESOLVE_FAILED', m));
      this.nodeStart = c.offset;
    } else {
      let text = '';
      let type: string | null = 'PLAIN';
      let end: number;
      if (kind === 'scalar') {
        const r = CST.resolveAsScalar(tok as CST.FlowScalar | CST.BlockScalar, true, check ?? noError);
        text = r?.value ?? '';
        type = r?.type ?? null;
        at = r ? r.range[0] : (tok as Token).offset;
        end = r ? r.range[2] : at;
      } else {
        at = emptyScalarPosition(at, before);
        end = props.comment ? props.end : at;
      }
      const tagName = tag ? this.tags.resolve(tag.source, (m) => check?.(tag, 'TAG_RESOLVE_FAILED', m)) : null;
      if (check && tagName === TIMESTAMP_TAG && !TIMESTAMP.test(text))
        this.syntax(tag!, 'TAG_RESOLVE_FAILED', '!!timestamp expects a date, starting with yyyy-mm-dd');
      if (ref) {
        ref.tok = kind === 'scalar' ? (tok as Token) : null;
        ref.tag = tagName;
        ref.off = at;
        this.anchors.set(anchor!.source.substring(1), ref);
      }
      if (root) positions.set('', this.pos(at));
      if (this.atKey) this.key = { kind: 'scalar', value: text, type, tag: tagName };
      else if (this.building) value = this.scalar(text, type, tagName, at);
      this.nodeStart = at;
      this.nodeEnd = end;
    }
    if (check && anchor && anchor.source.length === 1)
      this.syntax(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    return value;
  }

  /** Count one built node inside an alias expansion, against the budget. */
  private count(): void {
    if (this.aliasDepth > 0 && ++this.expanded > MAX_ALIAS_EXPANSION) {
      throw new AliasLimit(
        `aliases expand to more than ${MAX_ALIAS_EXPANSION} nodes (a "billion laughs" document?); refusing to expand further`,
        this.outerAlias,
      );
    }
  }

  private scalar(text: string, type: string | null, tag: string | null, at: number): unknown {
    this.count();
    if (tag === '!reset') return RESET;
    if (tag === '!override') return new Override(type === 'PLAIN' ? resolvePlain(text) : text);
    const core = tag ? coreTag(tag) : undefined;
    if (tag && !core) this.warn(tag, at);
    if (core === 'binary') return decodeBinary(text);
    if (core) {
      const r = resolveTagged(core, text);
      if (r === undefined) {
        this.error('yaml-bad-tag', `cannot read "${text}" as !!${core}`, at);
        return text;
      }
      return r;
    }
    return type === 'PLAIN' ? resolvePlain(text) : text;
  }

  private warn(tag: string, at: number): void {
    this.diagnostics.push({
      severity: 'warning',
      code: 'yaml-unknown-tag',
      message: `unknown tag ${tag}; the value is kept as written`,
      offset: at,
    });
  }

  private alias(tok: CST.FlowScalar, ptr: string, positions: Map<string, SourcePos>): unknown {
    this.count();
    const target = this.aliasTargets.get(tok);
    const at = tok.offset;
    if (!target) {
      this.error('yaml-syntax', `unknown anchor "${tok.source.substring(1)}" referenced by alias`, at);
      return null;
    }
    if (target.tok && this.active.has(target.tok)) {
      this.error('yaml-alias-limit', `alias ${tok.source} refers to a node that contains it (recursive alias)`, at);
      return null;
    }
    if (this.aliasDepth > 0) return this.expand(target, ptr, positions, at);
    try {
      return this.expand(target, ptr, positions, at);
    } catch (e) {
      if (!(e instanceof AliasLimit)) throw e;
      // stop building this document; the walk goes on for the syntax checks
      this.limitHit = true;
      this.error('yaml-alias-limit', e.message, e.offset);
      return null;
    }
  }

  /** Build an anchored node again (an alias of it), with the syntax checks off. */
  private expand(target: NodeRef, ptr: string, positions: Map<string, SourcePos>, at: number): unknown {
    if (this.aliasDepth === 0) this.outerAlias = at;
    this.aliasDepth++;
    this.quiet++;
    const start = this.nodeStart;
    const end = this.nodeEnd;
    try {
      return this.rebuild(target, ptr, positions);
    } finally {
      this.aliasDepth--;
      this.quiet--;
      this.nodeStart = start;
      this.nodeEnd = end;
    }
  }

  private rebuild(target: NodeRef, ptr: string, positions: Map<string, SourcePos>): unknown {
    const tok = target.tok;
    if (!tok) return this.scalar('', 'PLAIN', target.tag, target.off);
    if (tok.type === 'block-map' || tok.type === 'block-seq' || tok.type === 'flow-collection')
      return this.collection(tok, target.tag, ptr, positions);
    const r = CST.resolveAsScalar(tok as CST.FlowScalar | CST.BlockScalar, true, noError);
    return this.scalar(r?.value ?? '', r?.type ?? null, target.tag, target.off);
  }

  private collection(
    c: CST.BlockMap | CST.BlockSequence | FlowCollection,
    tag: string | null,
    ptr: string,
    positions: Map<string, SourcePos>,
  ): unknown {
    const atKey = this.atKey;
    this.atKey = false;
    const build = this.building && !atKey;
    if (!build) this.skip++;
    try {
      if (build) {
        this.count();
        if (tag === '!reset') {
          this.skip++;
          try {
            this.walkCollection(c, ptr, positions);
          } finally {
            this.skip--;
          }
          return RESET;
        }
        const overridden = tag === '!override';
        if (tag && !overridden && !coreTag(tag)) this.warn(tag, c.offset);
        this.active.add(c);
        try {
          const v = this.walkCollection(c, ptr, positions);
          return overridden ? new Override(v) : v;
        } finally {
          this.active.delete(c);
        }
      }
      this.walkCollection(c, ptr, positions);
      return undefined;
    } finally {
      if (!build) this.skip--;
      this.atKey = atKey;
      if (atKey) this.key = { kind: c.type === 'block-seq' || !isSeqTokenMap(c) ? 'seq' : 'map' };
    }
  }

  private walkCollection(
    c: CST.BlockMap | CST.BlockSequence | FlowCollection,
    ptr: string,
    positions: Map<string, SourcePos>,
  ): unknown {
    if (c.type === 'block-map') return this.blockMap(c, ptr, positions);
    if (c.type === 'block-seq') return this.blockSeq(c, ptr, positions);
    return this.flow(c, ptr, positions);
  }

  // ---- mappings ----

  private beginMap(ptr: string, positions: Map<string, SourcePos>): MapBuild | undefined {
    if (!this.building) return undefined;
    return {
      out: {},
      ptr,
      positions,
      cursor: this.diagnostics.length,
      order: undefined,
      mergeOff: -1,
      protoOff: -1,
    };
  }

  /** Read a key token (or an empty key): its kind and text, with the checks. */
  private readKey(
    key: Token | null | undefined,
    props: Props,
    start: readonly SourceToken[],
    positions: Map<string, SourcePos>,
  ): Key {
    this.atKey = true;
    this.key = { kind: 'node' };
    try {
      if (key && key.type === 'alias') {
        this.skip++;
        try {
          this.node(key, props, start, props.end, '', positions);
        } finally {
          this.skip--;
        }
        const target = this.aliasTargets.get(key);
        if (!target) return { kind: 'null' };
        const t = target.tok;
        if (!t) return { kind: 'scalar', value: '', type: 'PLAIN', tag: target.tag };
        if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection')
          return { kind: t.type === 'block-map' || isSeqTokenMap(t) ? 'map' : 'seq' };
        if (t.type === 'alias') return { kind: 'node' };
        const r = CST.resolveAsScalar(t as CST.FlowScalar | CST.BlockScalar, true, noError);
        return { kind: 'scalar', value: r?.value ?? '', type: r?.type ?? null, tag: target.tag };
      }
      this.node(key ?? null, props, start, props.end, '', positions);
      return this.key;
    } finally {
      this.atKey = false;
    }
  }

  /**
   * One key of a mapping being built: its string, or undefined (error reported) when the key is not a
   * string, is a duplicate, or ... Returns `'<<'` with merge true for a merge key.
   */
  private acceptKey(m: MapBuild, key: Key, off: number): { key: string; merge: boolean } | undefined {
    if (key.kind !== 'scalar') {
      this.error(
        'yaml-non-string-key',
        'mapping keys must be strings (found a ' +
          (key.kind === 'map' ? 'mapping' : key.kind === 'seq' ? 'sequence' : key.kind) +
          ' key)',
        off,
        m,
      );
      return undefined;
    }
    let k: { key: string; merge: boolean } | undefined;
    const text = key.value;
    const core = key.tag ? coreTag(key.tag) : undefined;
    if (key.tag === MERGE_TAG) k = { key: '<<', merge: true };
    else if (key.type === 'PLAIN' && !key.tag && text === '<<') k = { key: text, merge: true };
    else if (core === 'str' || (key.type !== 'PLAIN' && !core)) k = { key: text, merge: false };
    else {
      const v = core ? resolveTagged(core, text) : resolvePlain(text);
      if (typeof v === 'string') k = { key: text, merge: false };
    }
    if (!k) {
      this.error(
        'yaml-non-string-key',
        `non-string key ${text === '' ? '(empty)' : text}: compose only accepts string keys (quote it: "${text}")`,
        off,
        m,
      );
      return undefined;
    }
    const prev = this.previousKeyLine(m, k.key);
    if (prev > 0) {
      this.error('yaml-duplicate-key', `mapping key "${k.key}" already defined at line ${prev}`, off, m);
      return undefined;
    }
    if (k.key === '<<' && k.merge) m.mergeOff = off;
    else if (k.key === '__proto__') m.protoOff = off;
    return k;
  }

  /** Line of an earlier local key of that name, else 0. */
  private previousKeyLine(m: MapBuild, key: string): number {
    if (key === '<<' && m.mergeOff >= 0) return this.lines.line(m.mergeOff);
    if (key === '__proto__') return m.protoOff >= 0 ? this.lines.line(m.protoOff) : 0;
    if (!Object.prototype.hasOwnProperty.call(m.out, key)) return 0;
    return m.positions.get(childPointer(m.ptr, escapeSegment(key)))?.line ?? 0;
  }

  /**
   * The value of one entry: built into `m` when the key was accepted, else only walked. `value` null
   * with `hasValue` true is an empty value.
   */
  private entry(
    m: MapBuild | undefined,
    k: { key: string; merge: boolean } | undefined,
    keyOff: number,
    value: Token | null,
    props: Props,
    before: readonly SourceToken[] | undefined,
    emptyOffset: number,
    positions: Map<string, SourcePos>,
  ): void {
    if (!m || !k) {
      this.skip++;
      try {
        this.node(value, props, before, emptyOffset, '', positions);
      } finally {
        this.skip--;
      }
      return;
    }
    if (k.merge) {
      this.merge(m, value, props, before, emptyOffset);
      return;
    }
    const child = childPointer(m.ptr, escapeSegment(k.key));
    m.positions.set(child, this.pos(keyOff));
    const v = this.node(value, props, before, emptyOffset, child, m.positions);
    m.out[k.key] = v;
    m.order?.push(k.key);
  }

  /** An entry whose key has no value at all (`? a` alone, `{a}`): null. */
  private entryWithoutValue(
    m: MapBuild | undefined,
    k: { key: string; merge: boolean } | undefined,
    keyOff: number,
  ): void {
    if (!m || !k || k.merge) return; // `? <<` alone merges nothing
    const child = childPointer(m.ptr, escapeSegment(k.key));
    m.positions.set(child, this.pos(keyOff));
    m.out[k.key] = null;
    m.order?.push(k.key);
  }

  /** `<<: *a` / `<<: [*a, *b]` / `<<: {k: v}`: keys written locally win, earlier sources win. */
  private merge(
    m: MapBuild,
    value: Token | null,
    props: Props,
    before: readonly SourceToken[] | undefined,
    emptyOffset: number,
  ): void {
    const group: MergeSource[] = [];
    if (!m.order) m.order = Object.keys(m.out);
    m.order.push(group);
    const add = (v: unknown, tmp: Map<string, SourcePos>, errorsBefore: number, at: number): void => {
      if (v === null && this.errorCount > errorsBefore) return; // e.g. an unknown alias, already reported
      if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Override) {
        this.error('yaml-merge', 'the value of a "<<" merge key must be a mapping or a list of mappings', at);
        return;
      }
      group.push({ value: v as Record<string, unknown>, positions: tmp });
    };
    const target =
      value?.type === 'alias' && this.quiet === 0 ? this.anchors.get(value.source.substring(1)) : undefined;
    const aliased = value?.type === 'alias' ? (this.quiet === 0 ? target : this.aliasTargets.get(value)) : undefined;
    if (value?.type === 'alias' && aliased?.tok && isSeqToken(aliased.tok)) {
      // `<<: *list`: each item of the anchored sequence, read again
      if (this.quiet === 0) this.aliasTargets.set(value, aliased);
      const check = this.checking;
      this.nodeStart = value.offset;
      this.nodeEnd = readEnd(value.end, value.offset + value.source.length, true, check);
      if (check && (props.anchor || props.tag))
        this.syntax(value, 'ALIAS_PROPS', 'An alias node must not specify any properties');
      const start = this.nodeStart;
      const end = this.nodeEnd;
      this.quiet++;
      try {
        this.seqItems(aliased.tok as CST.BlockSequence | FlowCollection, m.ptr, add);
      } finally {
        this.quiet--;
        this.nodeStart = start;
        this.nodeEnd = end;
      }
      return;
    }
    if (value && isSeqToken(value)) {
      // `<<: [*a, *b]`: each item (the sequence's own tag is not read)
      const check = this.checking;
      const c = value as CST.BlockSequence | FlowCollection;
      if (props.tag) this.tags.resolve(props.tag.source, (msg) => check?.(props.tag!, 'TAG_RESOLVE_FAILED', msg));
      if (check && c.type === 'block-seq') {
        const { anchor, tag } = props;
        const last = anchor && tag ? (anchor.offset > tag.offset ? anchor : tag) : (anchor ?? tag);
        const nl = props.newlineAfterProp;
        if (last && (!nl || nl.offset < last.offset))
          this.syntax(last, 'MISSING_CHAR', 'Missing newline after block sequence props');
      }
      if (check && props.anchor && props.anchor.source.length > 1)
        this.anchors.set(props.anchor.source.substring(1), { tok: c, tag: null, off: c.offset });
      this.seqItems(c, m.ptr, add);
      this.nodeStart = c.offset;
      if (check && props.anchor && props.anchor.source.length === 1)
        this.syntax(props.anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
      return;
    }
    const tmp = new Map<string, SourcePos>();
    const errorsBefore = this.errorCount;
    const v = this.node(value, props, before, emptyOffset, m.ptr, tmp);
    add(v, tmp, errorsBefore, this.nodeStart);
  }

  /** Walk a sequence (checks as configured), building each item into its own position table. */
  private seqItems(
    c: CST.BlockSequence | FlowCollection,
    ptr: string,
    add: (v: unknown, tmp: Map<string, SourcePos>, errorsBefore: number, at: number) => void,
  ): void {
    const each = (item: () => unknown, tmp: Map<string, SourcePos>): void => {
      const errorsBefore = this.errorCount;
      const v = item();
      add(v, tmp, errorsBefore, this.nodeStart);
    };
    if (c.type === 'block-seq') this.blockSeq(c, ptr, new Map(), each);
    else this.flow(c, ptr, new Map(), each);
  }

  private endMap(m: MapBuild | undefined): Record<string, unknown> | undefined {
    if (!m) return undefined;
    if (!m.order) return m.out;
    const out: Record<string, unknown> = {};
    const done = new Set<string>();
    for (const item of m.order) {
      if (typeof item === 'string') {
        out[item] = m.out[item];
        continue;
      }
      for (const src of item) {
        const kept = new Set<string>();
        for (const [key, val] of Object.entries(src.value)) {
          if (Object.prototype.hasOwnProperty.call(m.out, key) || key === '<<' || done.has(key)) continue;
          done.add(key);
          out[key] = val;
          kept.add(escapeSegment(key));
        }
        if (kept.size === 0) continue;
        const skip = m.ptr === '' ? 0 : m.ptr.length + 1;
        for (const [p, sp] of src.positions) {
          if (skip > 0 && (p.length < skip || !p.startsWith(m.ptr) || p[skip - 1] !== '/')) continue;
          const slash = p.indexOf('/', skip);
          const seg = slash < 0 ? p.slice(skip) : p.slice(skip, slash);
          if (kept.has(seg)) m.positions.set(p, sp);
        }
      }
    }
    return out;
  }

  private blockMap(bm: CST.BlockMap, ptr: string, positions: Map<string, SourcePos>): unknown {
    const check = this.checking;
    const m = this.beginMap(ptr, positions);
    let offset = bm.offset;
    let commentEnd: number | null = null;
    for (const { start, key, sep, value } of bm.items) {
      const keyProps = readProps(
        start,
        { indicator: 'explicit-key-ind', next: key ?? sep?.[0], offset, parentIndent: bm.indent, startOnNewline: true },
        check,
      );
      const implicitKey = !keyProps.found;
      if (implicitKey) {
        if (key && check) {
          if (key.type === 'block-seq')
            this.syntax(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
          else if ('indent' in key && key.indent !== bm.indent) this.syntax(offset, 'BAD_INDENT', START_COL);
        }
        if (!keyProps.anchor && !keyProps.tag && !sep) {
          commentEnd = keyProps.end;
          continue;
        }
        if (check && (keyProps.newlineAfterProp || containsNewline(key)))
          this.syntax(
            key ?? start[start.length - 1]!,
            'MULTILINE_IMPLICIT_KEY',
            'Implicit keys need to be on a single line',
          );
      } else if (check && keyProps.found?.indent !== bm.indent) this.syntax(offset, 'BAD_INDENT', START_COL);
      const k = this.readKey(key, keyProps, start, positions);
      const keyOff = this.nodeStart;
      const accepted = m ? this.acceptKey(m, k, keyOff) : undefined;
      const valueProps = readProps(
        sep ?? [],
        {
          indicator: 'map-value-ind',
          next: value,
          offset: this.nodeEnd,
          parentIndent: bm.indent,
          startOnNewline: !key || key.type === 'block-scalar',
        },
        check,
      );
      offset = valueProps.end;
      if (valueProps.found) {
        if (implicitKey && check) {
          if (value?.type === 'block-map' && !valueProps.hasNewline)
            this.syntax(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
          if (keyProps.start < valueProps.found.offset - 1024)
            this.syntax(
              keyOff,
              'KEY_OVER_1024_CHARS',
              'The : indicator must be at most 1024 chars after the start of an implicit block mapping key',
            );
        }
        this.entry(m, accepted, keyOff, value ?? null, valueProps, sep, offset, positions);
        offset = this.nodeEnd;
      } else {
        if (implicitKey && check)
          this.syntax(keyOff, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
        this.entryWithoutValue(m, accepted, keyOff);
      }
    }
    if (check && commentEnd && commentEnd < offset)
      this.syntax(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
    this.nodeStart = bm.offset;
    this.nodeEnd = commentEnd ?? offset;
    return this.endMap(m);
  }

  // ---- sequences ----

  private blockSeq(
    bs: CST.BlockSequence,
    ptr: string,
    positions: Map<string, SourcePos>,
    each?: (item: () => unknown, tmp: Map<string, SourcePos>) => void,
  ): unknown {
    const check = this.checking;
    const out: unknown[] | undefined = this.building && !each ? [] : undefined;
    let offset = bs.offset;
    let commentEnd: number | null = null;
    for (const { start, value } of bs.items) {
      const props = readProps(
        start,
        { indicator: 'seq-item-ind', next: value, offset, parentIndent: bs.indent, startOnNewline: true },
        check,
      );
      if (!props.found) {
        if (props.anchor || props.tag || value) {
          if (check) {
            if (value?.type === 'block-seq')
              this.syntax(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
            else this.syntax(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
          }
        } else {
          commentEnd = props.end;
          continue;
        }
      }
      this.item(out, each, value ?? null, props, start, props.end, ptr, positions);
      offset = this.nodeEnd;
    }
    this.nodeStart = bs.offset;
    this.nodeEnd = commentEnd ?? offset;
    return out;
  }

  /** One sequence item: into `out` (its position recorded), or handed to `each` (merge sources). */
  private item(
    out: unknown[] | undefined,
    each: ((item: () => unknown, tmp: Map<string, SourcePos>) => void) | undefined,
    value: Token | null,
    props: Props,
    before: readonly SourceToken[] | undefined,
    emptyOffset: number,
    ptr: string,
    positions: Map<string, SourcePos>,
  ): void {
    if (each && this.building) {
      const tmp = new Map<string, SourcePos>();
      each(() => this.node(value, props, before, emptyOffset, ptr, tmp), tmp);
      return;
    }
    if (!out) {
      this.skip++;
      try {
        this.node(value, props, before, emptyOffset, ptr, positions);
      } finally {
        this.skip--;
      }
      return;
    }
    const child = childPointer(ptr, String(out.length));
    const v = this.node(value, props, before, emptyOffset, child, positions);
    positions.set(child, this.pos(this.nodeStart));
    out.push(v);
  }

  // ---- flow collections ----

  private flow(
    fc: FlowCollection,
    ptr: string,
    positions: Map<string, SourcePos>,
    each?: (item: () => unknown, tmp: Map<string, SourcePos>) => void,
  ): unknown {
    const check = this.checking;
    const isMap = fc.start.source === '{';
    const fcName = isMap ? 'flow map' : 'flow sequence';
    const m = isMap ? this.beginMap(ptr, positions) : undefined;
    const out: unknown[] | undefined = !isMap && this.building && !each ? [] : undefined;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
      const { start, key, sep, value } = fc.items[i]!;
      const props = readProps(
        start,
        {
          flow: fcName,
          indicator: 'explicit-key-ind',
          next: key ?? sep?.[0],
          offset,
          parentIndent: fc.indent,
          startOnNewline: false,
        },
        check,
      );
      if (!props.found) {
        if (!props.anchor && !props.tag && !sep && !value) {
          if (check) {
            if (i === 0 && props.comma) this.syntax(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
            else if (i < fc.items.length - 1)
              this.syntax(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
          }
          offset = props.end;
          continue;
        }
        if (check && !isMap && containsNewline(key))
          this.syntax(
            key!,
            'MULTILINE_IMPLICIT_KEY',
            'Implicit keys of flow sequence pairs need to be on a single line',
          );
      }
      if (i === 0) {
        if (check && props.comma) this.syntax(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
      } else {
        if (check && !props.comma) this.syntax(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
        if (props.comment) {
          // a comment right after the comma belongs to the previous item
          let prevItemComment = '';
          for (const st of start) {
            if (st.type === 'comma' || st.type === 'space') continue;
            if (st.type === 'comment') prevItemComment = st.source.substring(1);
            break;
          }
          if (prevItemComment) props.comment = props.comment.substring(prevItemComment.length + 1);
        }
      }
      if (!isMap && !sep && !props.found) {
        // a plain item of a flow sequence
        this.item(out, each, value ?? null, props, sep, props.end, ptr, positions);
        offset = this.nodeEnd;
        if (check && isBlock(value)) this.syntax(this.nodeStart, 'BLOCK_IN_FLOW', BLOCK_IN_FLOW);
        continue;
      }
      // a key: value pair (in a sequence: a single-pair mapping)
      let pm = m;
      let pairPtr = ptr;
      let pairPositions = positions;
      let pairTmp: Map<string, SourcePos> | undefined;
      if (!isMap) {
        if (each && this.building) {
          pairTmp = new Map();
          pairPositions = pairTmp;
        } else if (out) pairPtr = childPointer(ptr, String(out.length));
        pm = this.building && (out || pairTmp) ? this.beginMap(pairPtr, pairPositions) : undefined;
        if (pm) this.count(); // the single-pair mapping is a node of its own
      }
      const k = this.readKey(key, props, start, pairPositions);
      const keyOff = this.nodeStart;
      const keyEnd = this.nodeEnd;
      if (check && isBlock(key)) this.syntax(keyOff, 'BLOCK_IN_FLOW', BLOCK_IN_FLOW);
      const accepted = pm ? this.acceptKey(pm, k, keyOff) : undefined;
      const valueProps = readProps(
        sep ?? [],
        {
          flow: fcName,
          indicator: 'map-value-ind',
          next: value,
          offset: keyEnd,
          parentIndent: fc.indent,
          startOnNewline: false,
        },
        check,
      );
      if (valueProps.found) {
        if (check && !isMap && !props.found) {
          if (sep)
            for (const st of sep) {
              if (st === valueProps.found) break;
              if (st.type === 'newline') {
                this.syntax(
                  st,
                  'MULTILINE_IMPLICIT_KEY',
                  'Implicit keys of flow sequence pairs need to be on a single line',
                );
                break;
              }
            }
          if (props.start < valueProps.found.offset - 1024)
            this.syntax(
              valueProps.found,
              'KEY_OVER_1024_CHARS',
              'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key',
            );
        }
      } else if (value && check) {
        if ('source' in value && value.source?.[0] === ':')
          this.syntax(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
        else this.syntax(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
      }
      if (value || valueProps.found) {
        this.entry(pm, accepted, keyOff, value ?? null, valueProps, sep, valueProps.end, pairPositions);
        if (check && isBlock(value)) this.syntax(this.nodeStart, 'BLOCK_IN_FLOW', BLOCK_IN_FLOW);
        offset = this.nodeEnd;
      } else {
        this.entryWithoutValue(pm, accepted, keyOff);
        offset = valueProps.end;
      }
      if (!isMap) {
        const single = this.endMap(pm);
        if (pairTmp && each) each(() => single ?? null, pairTmp);
        else if (out) {
          positions.set(pairPtr, this.pos(keyOff));
          out.push(single);
        }
      }
    }
    const expectedEnd = isMap ? '}' : ']';
    const [ce, ...ee] = fc.end;
    let cePos = offset;
    if (ce?.source === expectedEnd) cePos = ce.offset + ce.source.length;
    else {
      if (check) {
        const name = fcName[0]!.toUpperCase() + fcName.substring(1);
        const atRoot = this.atRootFlow(fc);
        const msg = atRoot
          ? `${name} must end with a ${expectedEnd}`
          : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        this.syntax(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
      }
      if (ce && ce.source.length !== 1) ee.unshift(ce);
    }
    this.nodeStart = fc.offset;
    this.nodeEnd = ee.length > 0 ? readEnd(ee, cePos, true, check) : cePos;
    return isMap ? this.endMap(m) : out;
  }

  /** Whether a flow collection is the document's top node (the root check of the messages). */
  private rootToken: Token | null = null;
  setRoot(tok: Token | null): void {
    this.rootToken = tok;
  }
  private atRootFlow(fc: FlowCollection): boolean {
    return fc === this.rootToken;
  }
}

function isSeqTokenMap(t: CST.BlockMap | CST.BlockSequence | FlowCollection): boolean {
  return t.type === 'block-map' || (t.type === 'flow-collection' && t.start.source === '{');
}

function noError(): void {}

/** `!!binary`: the base64 text decoded, read as UTF-8 (what go-yaml gives for a string field). */
function decodeBinary(text: string): string {
  let bin: string;
  try {
    bin = atob(text.replace(/[^A-Za-z0-9+/=]/g, ''));
  } catch {
    return text;
  }
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

/** The text of a scalar token as a key (null for anything that is not a scalar). */
function scalarText(t: Token | null | undefined): string | null | undefined {
  if (!t) return '';
  if (
    t.type === 'scalar' ||
    t.type === 'single-quoted-scalar' ||
    t.type === 'double-quoted-scalar' ||
    t.type === 'block-scalar'
  )
    return CST.resolveAsScalar(t, true, noError)?.value ?? '';
  return undefined;
}

/**
 * The YAML 1.1 collection tags the `yaml` package knows (`!!set` on a mapping, `!!omap` / `!!pairs` on
 * a sequence) and the errors it reports for them (at the tag): a set's entries have no values, a pair
 * list holds single-pair mappings, an ordered map repeats no key.
 */
function checkKnownCollectionTag(
  c: CST.BlockMap | CST.BlockSequence | FlowCollection,
  tag: string,
  isMap: boolean,
  report: (message: string) => void,
): void {
  if (tag === 'tag:yaml.org,2002:set' && isMap) {
    const items = c.items as CST.CollectionItem[];
    if (items.some((it) => it.value || it.sep?.some((t) => t.type === 'map-value-ind')))
      report('Set items must all have null values');
    return;
  }
  const omap = tag === 'tag:yaml.org,2002:omap';
  if ((!omap && tag !== 'tag:yaml.org,2002:pairs') || isMap) return;
  const seen = new Set<string | null>();
  const isEmptyItem = (it: CST.CollectionItem): boolean =>
    !it.key &&
    !it.value &&
    !it.sep &&
    !it.start.some((t) => t.type === 'anchor' || t.type === 'tag' || t.type === 'explicit-key-ind');
  for (const it of c.items as CST.CollectionItem[]) {
    let key: string | null | undefined;
    if (c.type === 'flow-collection' && (it.sep || it.start.some((t) => t.type === 'explicit-key-ind'))) {
      key = scalarText(it.key); // a single-pair mapping
    } else {
      if (
        c.type === 'block-seq' &&
        !it.value &&
        !it.start.some((t) => t.type === 'seq-item-ind' || t.type === 'anchor' || t.type === 'tag')
      )
        continue;
      if (c.type === 'flow-collection' && isEmptyItem(it)) continue;
      const v = it.value;
      if (v && (v.type === 'block-map' || (v.type === 'flow-collection' && v.start.source === '{'))) {
        const pairs = (v.items as CST.CollectionItem[]).filter((p) =>
          v.type === 'block-map'
            ? p.key ||
              p.sep ||
              p.start.some((t) => t.type === 'anchor' || t.type === 'tag' || t.type === 'explicit-key-ind')
            : !isEmptyItem(p),
        );
        if (pairs.length > 1) report('Each pair must have its own sequence indicator');
        key = pairs[0] ? scalarText(pairs[0].key) : null;
      } else key = v ? scalarText(v) : '';
    }
    if (!omap || key === undefined) continue;
    if (seen.has(key)) report(`Ordered maps must not include duplicate keys: ${key}`);
    else seen.add(key);
  }
}

/** Read every document of a YAML text. */
export function readYaml(text: string, file: string, lines: LineTable): ReadFile {
  const syntaxErrors: SyntaxError[] = [];
  const documents: BuiltDocument[] = [];
  const directives = new Directives();
  let atDirectives = false;
  let sawDocument = false;
  for (const token of new Parser().parse(text)) {
    switch (token.type) {
      case 'directive':
        directives.add(token.source, (offset, message, warning) => {
          if (!warning) syntaxErrors.push({ offset: token.offset + offset, code: 'BAD_DIRECTIVE', message });
        });
        atDirectives = true;
        break;
      case 'document': {
        const tags = directives.snapshot();
        directives.startDocument();
        const reader = new DocumentReader(lines, file, tags, syntaxErrors);
        reader.setRoot(token.value ?? null);
        const hasDocStart = token.start.some((t) => t.type === 'doc-start');
        const doc = reader.read(token);
        if (atDirectives && !hasDocStart)
          syntaxErrors.push({
            offset: token.offset,
            code: 'MISSING_CHAR',
            message: 'Missing directives-end/doc-start indicator line',
          });
        documents.push(doc);
        sawDocument = true;
        atDirectives = false;
        break;
      }
      case 'byte-order-mark':
      case 'space':
      case 'comment':
      case 'newline':
        break;
      case 'error':
        syntaxErrors.push({
          offset: token.offset,
          code: 'UNEXPECTED_TOKEN',
          message: token.source ? `${token.message}: ${JSON.stringify(token.source)}` : token.message,
        });
        break;
      case 'doc-end':
        if (!sawDocument) {
          syntaxErrors.push({
            offset: token.offset,
            code: 'UNEXPECTED_TOKEN',
            message: 'Unexpected doc-end without preceding document',
          });
          break;
        }
        readEnd(token.end, token.offset + token.source.length, true, (at, code, message) =>
          syntaxErrors.push({ offset: typeof at === 'number' ? at : at.offset, code, message }),
        );
        break;
      default:
        syntaxErrors.push({
          offset: token.offset,
          code: 'UNEXPECTED_TOKEN',
          message: `Unsupported token ${token.type}`,
        });
    }
  }
  // the `yaml` package drops the errors of a stream without any document
  if (!sawDocument) syntaxErrors.length = 0;
  return { syntaxErrors, documents };
}
