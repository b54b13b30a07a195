/**
 * The difference between two versions of an object as a strategic-merge patch (what `kubectl` and Kustomize
 * merge by the Kubernetes schema), plus JSON 6902 operations for the few changes a strategic merge cannot express
 * exactly. Rules of the merge (Kubernetes API conventions, kustomize's kyaml merge):
 * - a map merges key by key; `key: null` deletes a key;
 * - a list with a patch merge key (containers by `name`, container ports by `containerPort`, Service ports by
 *   `port`, env by `name`, volumes by `name`, volumeMounts by `mountPath`, ...) merges item by item, `$patch:
 *   delete` removing one. Kubernetes keeps the base's order and appends new items; Kustomize puts the patch's items
 *   first: the patch lists every item of the new list in order (unchanged ones by their key alone), which gives
 *   the same list under both rules as long as the new list is the kept items in the base's order then the new ones;
 * - any other list is replaced whole.
 * A merge-keyed list whose new order that rule cannot produce (an item inserted in the middle, a reorder, a key
 * that is not unique), a list of maps without a merge key, an explicit null and a change of type go to JSON 6902
 * operations, applied after the strategic merge. Applying both to `a` gives exactly `b`.
 */
import { jsonEqual, type PatchOp } from './json-diff.js';

type J = Record<string, unknown>;
const isMap = (v: unknown): v is J => v !== null && typeof v === 'object' && !Array.isArray(v);
const escape = (seg: string | number): string => String(seg).replace(/~/g, '~0').replace(/\//g, '~1');

/** The patch merge key of a list, from its field name and the field above it (undefined: replaced whole). */
function mergeKey(field: string, parentPath: readonly string[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'hostAliases':
      return 'ip';
    case 'ports':
      // Service spec.ports merge by port; a container's by containerPort.
      return parentPath.length === 1 && parentPath[0] === 'spec' ? 'port' : 'containerPort';
    default:
      return undefined;
  }
}

/**
 * Fields that identify a ports item along with its merge key: Kustomize (kyaml) matches Service and container ports
 * by their list-map keys, port (containerPort) and protocol, so a patch item without its protocol matches no item
 * of the base and the change or `$patch: delete` is lost. Kubernetes merges by the port alone; the protocol in the
 * item is harmless there.
 */
const CO_KEYS: Readonly<Record<string, string>> = { ports: 'protocol' };

/** Lists whose items merge although they are scalars (patchStrategy merge): never replaced by a strategic patch. */
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

const scalar = (v: unknown): boolean => v === null || typeof v !== 'object';

export interface SmpResult {
  /** The strategic-merge patch body (without apiVersion/kind/metadata.name), undefined when nothing to merge. */
  patch: J | undefined;
  /** JSON 6902 operations to apply after it. */
  ops: PatchOp[];
}

/** `a` → `b` for two maps at JSON pointer `ptr`; `path` is the field path (list indices left out). */
function diffMap(a: J, b: J, ptr: string, path: string[], ops: PatchOp[]): J | undefined {
  const patch: J = {};
  for (const k of Object.keys(a)) {
    if (k in b) continue;
    patch[k] = null;
  }
  for (const [k, v] of Object.entries(b)) {
    const p = `${ptr}/${escape(k)}`;
    const was = a[k];
    if (!(k in a)) {
      if (v === null) ops.push({ op: 'add', path: p, value: v });
      else patch[k] = v;
      continue;
    }
    if (jsonEqual(was, v)) continue;
    if (v === null || was === null) {
      ops.push({ op: 'replace', path: p, value: v });
    } else if (isMap(was) && isMap(v)) {
      const sub = diffMap(was, v, p, [...path, k], ops);
      if (sub) patch[k] = sub;
    } else if (Array.isArray(was) && Array.isArray(v)) {
      const sub = diffList(was, v, k, p, path, ops);
      if (sub !== undefined) patch[k] = sub;
    } else if (scalar(was) && scalar(v)) patch[k] = v;
    else ops.push({ op: 'replace', path: p, value: v });
  }
  return Object.keys(patch).length ? patch : undefined;
}

/** The strategic patch of a list field `field` (undefined: nothing, or all of it in `ops`). */
function diffList(a: unknown[], b: unknown[], field: string, ptr: string, parent: string[], ops: PatchOp[]) {
  const key = mergeKey(field, parent);
  const replaceAll = (): undefined => {
    ops.push({ op: 'replace', path: ptr, value: b });
    return undefined;
  };
  if (!key) {
    // Lists of scalars are replaced whole by a strategic merge; lists of maps might be merged by an inferred key.
    if (a.every(scalar) && b.every(scalar) && !MERGED_SCALAR_LISTS.has(field) && !b.includes(null)) return b;
    return replaceAll();
  }
  const keyOf = (x: unknown): string | undefined => {
    const v = isMap(x) ? x[key] : undefined;
    return typeof v === 'string' || typeof v === 'number' ? JSON.stringify(v) : undefined;
  };
  const ka = a.map(keyOf);
  const kb = b.map(keyOf);
  if (ka.includes(undefined) || kb.includes(undefined)) return replaceAll();
  if (new Set(ka).size !== ka.length || new Set(kb).size !== kb.length) return replaceAll();
  const coKey = CO_KEYS[field];
  const idOf = (x: J): J => ({ [key]: x[key], ...(coKey && x[coKey] !== undefined ? { [coKey]: x[coKey] } : {}) });
  const inB = new Set(kb);
  const inA = new Set(ka);
  // A strategic merge keeps the base's order and appends new items: b must be exactly that.
  const kept = ka.filter((k) => inB.has(k));
  const added = kb.filter((k) => !inA.has(k));
  if (!jsonEqual([...kept, ...added], kb)) return replaceAll();
  // Kustomize lists a ports item new to the base before the base's items (when those have a protocol), whatever
  // the patch's order.
  if (coKey && added.length && kept.length && a.some((x) => (x as J)[coKey] !== undefined)) return replaceAll();
  const byKeyA = new Map(ka.map((k, i) => [k!, a[i] as J]));
  // The same port under another protocol is another item to Kustomize but the same one to Kubernetes.
  const idMoved = (x: unknown, i: number) =>
    coKey && byKeyA.has(kb[i]!) && !jsonEqual(byKeyA.get(kb[i]!)![coKey], (x as J)[coKey]);
  if (b.some(idMoved)) return replaceAll();
  const items: unknown[] = [];
  let changed = added.length > 0;
  kb.forEach((k, i) => {
    const item = b[i] as J;
    const before = byKeyA.get(k!);
    if (!before) return items.push(item);
    const sub = diffMap(before, item, `${ptr}/${i}`, [...parent, field], ops);
    if (sub) changed = true;
    items.push({ ...idOf(item), ...sub });
  });
  for (const [i, k] of ka.entries())
    if (!inB.has(k)) {
      items.push({ ...idOf(a[i] as J), $patch: 'delete' });
      changed = true;
    }
  // Kustomize puts the patch's items first, in the patch's order: every kept item is listed (by its key alone, or
  // key and protocol, when unchanged) so the merged list has exactly b's order.
  return changed ? items : undefined;
}

/** The strategic-merge patch and the JSON 6902 operations that turn object `a` into object `b`. */
export function strategicDiff(a: J, b: J): SmpResult {
  const ops: PatchOp[] = [];
  const patch = diffMap(a, b, '', [], ops);
  return { patch, ops };
}
