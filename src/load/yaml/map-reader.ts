/**
 * Reading block mappings (and the mapping side of flow collections): keys checked to be strings and
 * unique, `<<` merge keys (a mapping, an alias of one, or a list of them; local keys win, earlier
 * sources win), entries with and without values, and the positions of every key.
 */
import type { SourcePos } from '../../report/diagnostic.js';
import { pointer } from '../../model/pointer.js';
import { childPointer, isObj } from './tree.js';
import { coreTag, resolvePlain, resolveTagged } from './scalars.js';
import { containsNewline, readProps, type Props } from './props.js';
import type * as CST from './text/syntax.js';
import { scalarText as resolveScalar } from './text/scalar-text.js';
import {
  MERGE_TAG,
  NodeReader,
  isSeqToken,
  type FlowCollection,
  type Key,
  type MapBuild,
  type MergeSource,
  type NodeRef,
  type SourceToken,
  type Token,
} from './node-reader.js';

export abstract class MapReader extends NodeReader {
  // ---- mappings ----

  protected beginMap(ptr: string, positions: Map<string, SourcePos>): MapBuild | undefined {
    if (!this.building) return undefined;
    return {
      out: {},
      ptr,
      positions,
      cursor: this.diagnostics.length,
      keys: new Map(),
    };
  }

  /** Read a key token (or an empty key): its kind and text, with the checks. */
  protected readKey(
    key: Token | null | undefined,
    props: Props,
    start: readonly SourceToken[],
    positions: Map<string, SourcePos>,
  ): Key {
    this.atKey = true;
    try {
      if (key && key.type === 'alias') {
        this.skipping(() => this.node(key, props, start, props.end, '', positions));
        const target = this.aliasTargets.get(key);
        if (!target) return { kind: 'null' };
        const t = target.tok;
        if (!t) return { kind: 'scalar', value: '', plain: true, tag: target.tag };
        if ('items' in t) return { kind: isSeqToken(t) ? 'sequence' : 'mapping' };
        const r = resolveScalar(t as CST.FlowScalar | CST.BlockScalar);
        return { kind: 'scalar', value: r.value, plain: r.plain, tag: target.tag };
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
  protected acceptKey(m: MapBuild, key: Key, off: number): { key: string; merge: boolean } | undefined {
    if (key.kind !== 'scalar') {
      this.error('yaml-non-string-key.collection', { kind: key.kind }, off, m);
      return undefined;
    }
    const text = key.value;
    const core = key.tag ? coreTag(key.tag) : undefined;
    const merge = key.tag === MERGE_TAG || (key.plain && !key.tag && text === '<<');
    // a string: a merge key, `!!str`, a quoted or block scalar without a core tag, else a text that resolves to one
    if (
      !merge &&
      core !== 'str' &&
      (key.plain || core) &&
      typeof (core ? resolveTagged(core, text) : resolvePlain(text)) !== 'string'
    ) {
      this.error('yaml-non-string-key', { key: text === '' ? '(empty)' : text, text }, off, m);
      return undefined;
    }
    const k = { key: merge ? '<<' : text, merge };
    const prev = m.keys.get(k.key);
    if (prev !== undefined) {
      this.error('yaml-duplicate-key', { key: k.key, line: this.lines.line(prev) }, off, m);
      return undefined;
    }
    m.keys.set(k.key, off);
    return k;
  }

  /**
   * The value of one entry: built into `m` when the key was accepted, else only walked. `value` null
   * with `hasValue` true is an empty value.
   */
  protected entry(
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
      this.skipping(() => this.node(value, props, before, emptyOffset, '', positions));
      return;
    }
    if (k.merge) {
      this.merge(m, value, props, before, emptyOffset);
      return;
    }
    const child = childPointer(m.ptr, k.key);
    m.positions.set(child, this.pos(keyOff));
    const v = this.node(value, props, before, emptyOffset, child, m.positions);
    m.out[k.key] = v;
    m.order?.push(k.key);
  }

  /** An entry whose key has no value at all (`? a` alone, `{a}`): null. */
  protected entryWithoutValue(
    m: MapBuild | undefined,
    k: { key: string; merge: boolean } | undefined,
    keyOff: number,
  ): void {
    if (!m || !k || k.merge) return; // `? <<` alone merges nothing
    const child = childPointer(m.ptr, k.key);
    m.positions.set(child, this.pos(keyOff));
    m.out[k.key] = null;
    m.order?.push(k.key);
  }

  /** `<<: *a` / `<<: [*a, *b]` / `<<: {k: v}`: keys written locally win, earlier sources win. */
  protected merge(
    m: MapBuild,
    value: Token | null,
    props: Props,
    before: readonly SourceToken[] | undefined,
    emptyOffset: number,
  ): void {
    const group: MergeSource[] = [];
    if (!m.order) m.order = Object.keys(m.out);
    m.order.push(group);
    /** One merge source, built into its own position table: a mapping, else an error. */
    const each = (item: () => unknown, tmp: Map<string, SourcePos>): void => {
      const errorsBefore = this.errorCount;
      const v = item();
      if (v === null && this.errorCount > errorsBefore) return; // e.g. an unknown alias, already reported
      if (isObj(v)) group.push({ value: v, positions: tmp });
      else this.error('yaml-merge', {}, this.nodeStart);
    };
    /** Walk a sequence (checks as configured), each item a merge source. */
    const seqItems = (c: CST.BlockSequence | FlowCollection): void => {
      if (c.type === 'block-seq') this.blockSeq(c, m.ptr, new Map(), each);
      else this.flow(c, m.ptr, new Map(), each);
    };
    let aliased: NodeRef | undefined;
    if (value?.type === 'alias')
      aliased = this.quiet === 0 ? this.anchors.get(value.source.substring(1)) : this.aliasTargets.get(value);
    if (aliased?.tok && isSeqToken(aliased.tok)) {
      // `<<: *list`: each item of the anchored sequence, read again
      const alias = value as CST.FlowScalar;
      const end = this.readAlias(alias, props);
      this.quiet++;
      try {
        seqItems(aliased.tok as CST.BlockSequence | FlowCollection);
      } finally {
        this.quiet--;
        this.nodeStart = alias.offset;
        this.nodeEnd = end;
      }
      return;
    }
    if (value && isSeqToken(value)) {
      // `<<: [*a, *b]`: each item (the sequence's own tag is not read)
      const c = value as CST.BlockSequence | FlowCollection;
      this.resolveTag(props.tag);
      if (c.type === 'block-seq') this.checkSeqProps(props);
      this.setAnchor(props.anchor, c, null, c.offset);
      seqItems(c);
      this.nodeStart = c.offset;
      if (props.anchor?.source.length === 1) this.syntax(props.anchor, 'yaml-syntax.empty-anchor');
      return;
    }
    const tmp = new Map<string, SourcePos>();
    each(() => this.node(value, props, before, emptyOffset, m.ptr, tmp), tmp);
  }

  protected endMap(m: MapBuild | undefined): Record<string, unknown> | undefined {
    if (!m) return undefined;
    if (!m.order) return m.out;
    const out: Record<string, unknown> = {};
    // the keys the result has: the local ones (and `<<`), then each one merged in
    const done = new Set(m.keys.keys());
    for (const item of m.order) {
      if (typeof item === 'string') {
        out[item] = m.out[item];
        continue;
      }
      for (const src of item) {
        const kept = new Set<string>();
        for (const [key, val] of Object.entries(src.value)) {
          if (done.has(key)) continue;
          done.add(key);
          out[key] = val;
          kept.add(pointer(key));
        }
        if (kept.size === 0) continue;
        // a source was read at this mapping's pointer: its positions are all below `m.ptr/`
        const skip = m.ptr === '' ? 0 : m.ptr.length + 1;
        for (const [p, sp] of src.positions) {
          const slash = p.indexOf('/', skip);
          const seg = slash < 0 ? p.slice(skip) : p.slice(skip, slash);
          if (kept.has(seg)) m.positions.set(p, sp);
        }
      }
    }
    return out;
  }

  protected blockMap(bm: CST.BlockMap, ptr: string, positions: Map<string, SourcePos>): unknown {
    const m = this.beginMap(ptr, positions);
    let offset = bm.offset;
    let commentEnd: number | null = null;
    for (const { start, key, sep, value } of bm.items) {
      const keyProps = readProps(
        start,
        { indicator: 'explicit-key-ind', next: key ?? sep?.[0], offset, parentIndent: bm.indent, startOnNewline: true },
        this.syntax,
      );
      const implicitKey = !keyProps.found;
      if (implicitKey) {
        if (key) {
          if (key.type === 'block-seq') this.syntax(offset, 'yaml-syntax.seq-as-key');
          else if ('indent' in key && key.indent !== bm.indent) this.syntax(offset, 'yaml-syntax.map-column');
        }
        if (!keyProps.anchor && !keyProps.tag && !sep) {
          commentEnd = keyProps.end;
          continue;
        }
        if (keyProps.newlineAfterProp || containsNewline(key))
          this.syntax(key ?? start[start.length - 1]!, 'yaml-syntax.multiline-key');
      } else if (keyProps.found?.indent !== bm.indent) this.syntax(offset, 'yaml-syntax.map-column');
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
        this.syntax,
      );
      offset = valueProps.end;
      if (valueProps.found) {
        if (implicitKey) {
          if (value?.type === 'block-map' && !valueProps.hasNewline)
            this.syntax(offset, 'yaml-syntax.compact-nested-map');
          if (keyProps.start < valueProps.found.offset - 1024) this.syntax(keyOff, 'yaml-syntax.long-key');
        }
        this.entry(m, accepted, keyOff, value ?? null, valueProps, sep, offset, positions);
        offset = this.nodeEnd;
      } else {
        if (implicitKey) this.syntax(keyOff, 'yaml-syntax.key-without-value');
        this.entryWithoutValue(m, accepted, keyOff);
      }
    }
    if (commentEnd && commentEnd < offset) this.syntax(commentEnd, 'yaml-syntax.map-comment-content');
    this.nodeEnd = commentEnd ?? offset;
    return this.endMap(m);
  }

  protected abstract blockSeq(
    bs: CST.BlockSequence,
    ptr: string,
    positions: Map<string, SourcePos>,
    each?: (item: () => unknown, tmp: Map<string, SourcePos>) => void,
  ): unknown;

  protected abstract flow(
    fc: FlowCollection,
    ptr: string,
    positions: Map<string, SourcePos>,
    each?: (item: () => unknown, tmp: Map<string, SourcePos>) => void,
  ): unknown;
}
