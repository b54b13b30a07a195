/**
 * Reading block sequences and flow collections (`[...]`, `{...}`, single-pair mappings inside flow
 * sequences), with the punctuation checks of flow syntax; the complete reader of one document.
 */
import type { SourcePos } from '../../report/diagnostic.js';
import { containsNewline, readEnd, readProps, type Props } from './props.js';
import type * as CST from './text/syntax.js';
import { MapReader } from './map-reader.js';
import { isBlock, type FlowCollection, type SourceToken, type Token } from './node-reader.js';
import { childPointer } from './tree.js';

export class DocumentReader extends MapReader {
  protected walkCollection(
    c: CST.BlockMap | CST.BlockSequence | FlowCollection,
    ptr: string,
    positions: Map<string, SourcePos>,
  ): unknown {
    if (c.type === 'block-map') return this.blockMap(c, ptr, positions);
    if (c.type === 'block-seq') return this.blockSeq(c, ptr, positions);
    return this.flow(c, ptr, positions);
  }

  // ---- sequences ----

  protected blockSeq(
    bs: CST.BlockSequence,
    ptr: string,
    positions: Map<string, SourcePos>,
    each?: (item: () => unknown, tmp: Map<string, SourcePos>) => void,
  ): unknown {
    const out: unknown[] | undefined = this.building && !each ? [] : undefined;
    let offset = bs.offset;
    let commentEnd: number | null = null;
    for (const { start, value } of bs.items) {
      const props = readProps(
        start,
        { indicator: 'seq-item-ind', next: value, offset, parentIndent: bs.indent, startOnNewline: true },
        this.syntax,
      );
      if (!props.found) {
        if (props.anchor || props.tag || value) {
          if (value?.type === 'block-seq') this.syntax(props.end, 'yaml-syntax.seq-column');
          else this.syntax(offset, 'yaml-syntax.seq-item-without-dash');
        } else {
          commentEnd = props.end;
          continue;
        }
      }
      this.item(out, each, value ?? null, props, start, props.end, ptr, positions);
      offset = this.nodeEnd;
    }
    this.nodeEnd = commentEnd ?? offset;
    return out;
  }

  /** One sequence item: into `out` (its position recorded), or handed to `each` (merge sources). */
  protected item(
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
      this.skipping(() => this.node(value, props, before, emptyOffset, ptr, positions));
      return;
    }
    const child = childPointer(ptr, out.length);
    const v = this.node(value, props, before, emptyOffset, child, positions);
    positions.set(child, this.pos(this.nodeStart));
    out.push(v);
  }

  // ---- flow collections ----

  protected flow(
    fc: FlowCollection,
    ptr: string,
    positions: Map<string, SourcePos>,
    each?: (item: () => unknown, tmp: Map<string, SourcePos>) => void,
  ): unknown {
    const isMap = fc.start.source === '{';
    const flow = isMap ? 'map' : 'sequence';
    const m = isMap ? this.beginMap(ptr, positions) : undefined;
    const out: unknown[] | undefined = !isMap && this.building && !each ? [] : undefined;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
      const { start, key, sep, value } = fc.items[i]!;
      const props = readProps(
        start,
        {
          flow,
          indicator: 'explicit-key-ind',
          next: key ?? sep?.[0],
          offset,
          parentIndent: fc.indent,
          startOnNewline: false,
        },
        this.syntax,
      );
      if (!props.found) {
        if (!props.anchor && !props.tag && !sep && !value) {
          // the parser starts an item only after one with a separator or a value: an empty one is the first or last
          if (i === 0 && props.comma) this.syntax(props.comma, 'yaml-syntax.unexpected-comma', { flow });
          offset = props.end;
          continue;
        }
        if (!isMap && containsNewline(key)) this.syntax(key!, 'yaml-syntax.multiline-pair-key');
      }
      if (i === 0) {
        if (props.comma) this.syntax(props.comma, 'yaml-syntax.unexpected-comma', { flow });
      } else {
        if (!props.comma) this.syntax(props.start, 'yaml-syntax.missing-comma', { flow });
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
        if (isBlock(value)) this.syntax(this.nodeStart, 'yaml-syntax.block-in-flow');
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
        } else if (out) pairPtr = childPointer(ptr, out.length);
        pm = this.building && (out || pairTmp) ? this.beginMap(pairPtr, pairPositions) : undefined;
        if (pm) this.count(); // the single-pair mapping is a node of its own
      }
      const k = this.readKey(key, props, start, pairPositions);
      const keyOff = this.nodeStart;
      const keyEnd = this.nodeEnd;
      if (isBlock(key)) this.syntax(keyOff, 'yaml-syntax.block-in-flow');
      const accepted = pm ? this.acceptKey(pm, k, keyOff) : undefined;
      const valueProps = readProps(
        sep ?? [],
        {
          flow,
          indicator: 'map-value-ind',
          next: value,
          offset: keyEnd,
          parentIndent: fc.indent,
          startOnNewline: false,
        },
        this.syntax,
      );
      if (valueProps.found) {
        if (!isMap && !props.found) {
          if (sep)
            for (const st of sep) {
              if (st === valueProps.found) break;
              if (st.type === 'newline') {
                this.syntax(st, 'yaml-syntax.multiline-pair-key');
                break;
              }
            }
          if (props.start < valueProps.found.offset - 1024) this.syntax(valueProps.found, 'yaml-syntax.long-pair-key');
        }
      } else if (value) {
        if ('source' in value && value.source?.[0] === ':') this.syntax(value, 'yaml-syntax.colon-space', { flow });
        else this.syntax(valueProps.start, 'yaml-syntax.missing-comma-or-colon', { flow });
      }
      if (value || valueProps.found) {
        this.entry(pm, accepted, keyOff, value ?? null, valueProps, sep, valueProps.end, pairPositions);
        if (isBlock(value)) this.syntax(this.nodeStart, 'yaml-syntax.block-in-flow');
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
    // `end` starts with the bracket the parser closed the collection with (`]` or `}`), if any
    if (ce?.source === expectedEnd) cePos = ce.offset + ce.source.length;
    else
      this.syntax(offset, fc === this.root ? 'yaml-syntax.flow-end' : 'yaml-syntax.flow-end-indent', {
        flow,
        end: expectedEnd,
      });
    this.nodeEnd = readEnd(ee, cePos, true, this.syntax);
    return isMap ? this.endMap(m) : out;
  }
}
