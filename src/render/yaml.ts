/**
 * Objects → a YAML stream that reads back identically under YAML 1.1 (kubectl, many tools) and
 * YAML 1.2. Every document starts with `---`. Strings a 1.1 or 1.2 reader could take for another
 * type (`on`, `y`, `0755`, `1:20`, `2001-12-14`, `~`, ...) are double-quoted; multi-line strings
 * are block literals where a block carries them exactly; nothing is folded. Output is
 * byte-identical for identical input. The emitter itself is in `emit.ts`.
 */
import type { KubeObject } from '../kube/object.js';
import { emitYaml, isPlainSafe } from './emit.js';
import { orderedKeys } from './order.js';

/** True when a plain (unquoted) `s` would not read back as the same string under YAML 1.1 or 1.2. */
export function isAmbiguous(s: string): boolean {
  return !isPlainSafe(s);
}

/** A `---`-separated stream, objects in the order given (the converter sorts them in apply order). */
export function renderYaml(objects: KubeObject[]): string {
  // The emitter asks for each map's key order: no ordered deep copy of every object (half the garbage).
  const parts: string[] = [];
  for (const o of objects) parts.push('---\n', emitYaml(o, { order: orderedKeys }));
  return parts.join('');
}
