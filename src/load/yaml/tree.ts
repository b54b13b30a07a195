/**
 * The raw compose tree between parsing and normalization, with positions riding along: every
 * container remembers the position of each child in a hidden (non-enumerable, symbol-keyed) map of its
 * own, so merged trees need no pointer bookkeeping and no module-level table holds them; and
 * `collectPositions` turns that back into the pointer-keyed map of the result.
 */
import type { SourcePos } from '../../report/diagnostic.js';
import { pointer, type Segment } from '../../model/pointer.js';
import { SourcePositions } from '../../model/positions.js';
import { Override, isReset } from './tags.js';
import { isMap } from '../../util/object.js';

export type Obj = Record<string, unknown>;
type Key = string | number;

/** The property under which a container keeps its children's positions (invisible to keys, entries and JSON). */
const CHILD_POS: unique symbol = Symbol('compose2k8s.childPositions');
type WithPos = { [CHILD_POS]?: Map<Key, SourcePos> };

/** The pointer of a child (its key or index, escaped) under `ptr`. */
export function childPointer(ptr: string, seg: Segment): string {
  return ptr === '' ? pointer(seg) : `${ptr}/${pointer(seg)}`;
}

/** A container's children as [key or index, value]. */
function children(c: unknown[] | Obj): Array<[Key, unknown]> {
  return Array.isArray(c) ? c.map((el, i) => [i, el]) : Object.entries(c);
}

function posOf(c: object): Map<Key, SourcePos> | undefined {
  return (c as WithPos)[CHILD_POS];
}

function setPosMap(c: object, m: Map<Key, SourcePos>): void {
  Object.defineProperty(c, CHILD_POS, { value: m, enumerable: false, writable: true, configurable: true });
}

export function isObj(v: unknown): v is Obj {
  return isMap(v) && !(v instanceof Override);
}

function posMap(c: object): Map<Key, SourcePos> {
  let m = posOf(c);
  if (!m) setPosMap(c, (m = new Map()));
  return m;
}

export function getChildPos(c: object, k: Key): SourcePos | undefined {
  return posOf(c)?.get(k);
}

export function setChildPos(c: object, k: Key, p: SourcePos | undefined): void {
  if (p) posMap(c).set(k, p);
}

/** Record the positions of a freshly parsed tree (pointer-keyed) on its containers. */
export function attachPositions(value: unknown, positions: ReadonlyMap<string, SourcePos>, ptr = ''): void {
  const v = value instanceof Override ? value.value : value;
  if (!Array.isArray(v) && !isObj(v)) return;
  for (const [k, el] of children(v)) {
    const p = childPointer(ptr, k);
    setChildPos(v, k, positions.get(p));
    attachPositions(el, positions, p);
  }
}

/** The positions of a merged tree, as the result keeps them (src/model/positions.ts). */
export function collectPositions(root: unknown): SourcePositions {
  const out = new SourcePositions();
  const segs: Key[] = [];
  const walk = (c: unknown): void => {
    if (!Array.isArray(c) && !isObj(c)) return;
    const m = posOf(c);
    for (const [k, el] of children(c)) {
      segs.push(k);
      const pos = m?.get(k);
      if (pos) out.setAt(segs, pos);
      walk(el);
      segs.pop();
    }
  };
  walk(root);
  return out;
}

/** Copy a tree (containers only), keeping child positions. Used so merges never alias inputs. */
export function cloneTree<T>(v: T): T {
  if (Array.isArray(v)) {
    const out = v.map((el) => cloneTree(el));
    copyAllPos(v, out);
    return out as T;
  }
  if (v instanceof Override) return new Override(cloneTree(v.value)) as T;
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, el] of Object.entries(v)) out[k] = cloneTree(el);
    copyAllPos(v, out);
    return out as T;
  }
  return v;
}

function copyAllPos(from: object, to: object): void {
  const m = posOf(from);
  if (m) setPosMap(to, new Map(m));
}

/**
 * Remove `!reset` keys/items and unwrap `!override` values once merging is done. Integers too large
 * for a JS number (kept as `bigint` by the YAML reader) become their exact decimal text, which is what
 * compose-go's `%v` gives where a string is expected (`environment`, `labels`); numeric fields read text.
 */
export function stripTags(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Override) return stripTags(v.value);
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    v.forEach((el, i) => {
      if (isReset(el)) return;
      setChildPos(out, out.length, getChildPos(v, i));
      out.push(stripTags(el));
    });
    return out;
  }
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, el] of Object.entries(v)) {
      if (isReset(el)) continue;
      out[k] = stripTags(el);
      setChildPos(out, k, getChildPos(v, k));
    }
    return out;
  }
  return v;
}
