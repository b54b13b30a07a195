/**
 * Where each value of the merged compose tree was written: a tree of positions that follows the compose tree,
 * looked up segment by segment (`at('services', 'web', 'ports', 0)`). Built once by the loader
 * (src/load/yaml/tree.ts `collectPositions`), read by the normalizer and the converter for every diagnostic and
 * report entry (~22 lookups per service). A tree rather than one map keyed by pointer strings: a lookup builds
 * no string and hashes only short segments in small maps, and a big project keeps no pointer string per value.
 * `get`/`has` with a pointer string (`services/web/ports/0`, src/model/pointer.ts) remain for callers that have
 * one.
 */
import type { SourcePos } from '../report/diagnostic.js';
import type { Segment } from './pointer.js';

/** A container's children: a leaf is its position alone, a container a node of its own. */
class PosNode {
  pos: SourcePos | undefined;
  kids: Map<string, PosNode | SourcePos> | undefined;
}

/** The child `k` of `node` as a node (made, or turned from a leaf into a node, when needed). */
function container(node: PosNode, k: string): PosNode {
  const kids = (node.kids ??= new Map());
  const child = kids.get(k);
  if (child instanceof PosNode) return child;
  const next = new PosNode();
  next.pos = child;
  kids.set(k, next);
  return next;
}

/** Segments are keys as written: `0` and `'0'` name the same child, as in a pointer. */
function keyOf(seg: Segment): string {
  return typeof seg === 'number' ? String(seg) : seg;
}

function unescapeSegment(s: string): string {
  return s.includes('~') ? s.replace(/~1/g, '/').replace(/~0/g, '~') : s;
}

/** The segments of a pointer string (src/model/pointer.ts). */
function segmentsOf(ptr: string): string[] {
  return ptr === '' ? [] : ptr.split('/').map(unescapeSegment);
}

export class SourcePositions {
  readonly #root = new PosNode();

  /** Record the position of the value at `segs` (a parent before or after its children). */
  setAt(segs: readonly Segment[], pos: SourcePos): void {
    if (segs.length === 0) {
      this.#root.pos = pos;
      return;
    }
    let node = this.#root;
    for (let i = 0; i < segs.length - 1; i++) node = container(node, keyOf(segs[i]!));
    const k = keyOf(segs[segs.length - 1]!);
    const old = (node.kids ??= new Map()).get(k);
    if (old instanceof PosNode) old.pos = pos;
    else node.kids.set(k, pos);
  }

  /** The position recorded for exactly `segs`, if any. */
  exact(...segs: Segment[]): SourcePos | undefined {
    let node: PosNode | SourcePos = this.#root;
    for (const seg of segs) {
      if (!(node instanceof PosNode)) return undefined;
      const child: PosNode | SourcePos | undefined = node.kids?.get(keyOf(seg));
      if (child === undefined) return undefined;
      node = child;
    }
    return node instanceof PosNode ? node.pos : node;
  }

  /** The closest recorded position for `segs`: its own, else its nearest ancestor's. */
  at(...segs: Segment[]): SourcePos | undefined {
    let node = this.#root;
    let best = node.pos;
    for (const seg of segs) {
      const child = node.kids?.get(keyOf(seg));
      if (child === undefined) break;
      if (!(child instanceof PosNode)) return child;
      node = child;
      if (node.pos !== undefined) best = node.pos;
    }
    return best;
  }

  /** `exact` by pointer string. */
  get(ptr: string): SourcePos | undefined {
    return this.exact(...segmentsOf(ptr));
  }

  /** `at` by pointer string. */
  atPointer(ptr: string): SourcePos | undefined {
    return this.at(...segmentsOf(ptr));
  }

  has(ptr: string): boolean {
    return this.get(ptr) !== undefined;
  }
}

/**
 * From pointer-keyed positions (a parsed YAML document's, or a test's). A function, not a static method, so that a
 * bundle without a caller leaves it out (the loader builds its tree by segments, src/load/yaml/tree.ts).
 */
export function positionsFromPointers(entries: Iterable<readonly [string, SourcePos]>): SourcePositions {
  const out = new SourcePositions();
  for (const [ptr, pos] of entries) out.setAt(segmentsOf(ptr), pos);
  return out;
}
