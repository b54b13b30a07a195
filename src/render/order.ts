/**
 * Stable key order for emitted objects, shared by the YAML and JSON renderers: apiVersion, kind,
 * metadata (name, namespace, labels, annotations, then the rest as built), spec, data, stringData,
 * binaryData, then the remaining top-level keys sorted. String maps (labels, annotations, selectors,
 * data) are sorted; everything else keeps the order it was built in. Returns fresh plain objects,
 * so shared references in the input never become YAML aliases.
 */
import type { KubeObject } from '../kube/object.js';
import { isMap } from '../util/object.js';

const TOP_FIRST = ['apiVersion', 'kind', 'metadata', 'spec', 'data', 'stringData', 'binaryData'];
const META_FIRST = ['name', 'generateName', 'namespace', 'labels', 'annotations'];
const SORTED_MAPS = new Set([
  'labels',
  'annotations',
  'matchLabels',
  'nodeSelector',
  'data',
  'stringData',
  'binaryData',
]);

type Json = unknown;

function firstThen(obj: Record<string, unknown>, first: string[], sortRest: boolean): string[] {
  const head = first.filter((k) => k in obj);
  const rest = Object.keys(obj).filter((k) => !first.includes(k));
  if (sortRest) rest.sort();
  return [...head, ...rest];
}

/**
 * The keys of `obj` in emission order: `parentKey` is the key `obj` sits under (undefined for list items),
 * `top` marks the object itself. One rule for the YAML emitter (which asks per map, copying nothing) and
 * for `orderObject` (which builds ordered copies for JSON).
 */
export function orderedKeys(obj: Record<string, unknown>, parentKey: string | undefined, top: boolean): string[] {
  if (top) return firstThen(obj, TOP_FIRST, true);
  if (parentKey === undefined) return Object.keys(obj);
  if (parentKey === 'metadata') return firstThen(obj, META_FIRST, false);
  if (SORTED_MAPS.has(parentKey) && Object.values(obj).every((v) => !isMap(v) && !Array.isArray(v)))
    return Object.keys(obj).sort();
  return Object.keys(obj);
}

function copy(value: Json, parentKey: string | undefined, top = false): Json {
  if (Array.isArray(value)) return value.map((v) => copy(v, undefined));
  if (!isMap(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of orderedKeys(value, parentKey, top)) if (value[k] !== undefined) out[k] = copy(value[k], k);
  return out;
}

/** A deep copy of `obj` with the key order described above. */
export function orderObject(obj: KubeObject): Record<string, unknown> {
  return copy(obj, undefined, true) as Record<string, unknown>;
}
