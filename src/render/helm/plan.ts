/**
 * Environments: which fields of which objects differ between the base and an environment beyond what is a value
 * already (a LiftPlan), and the values file that turns the base into an environment.
 */
import { LABEL_NAME, type KubeObject } from '../../kube/object.js';
import { POD_TEMPLATE_PATH } from '../../kube/workloads.js';
import { fileName } from '../files.js';
import { diffJson, jsonEqual } from '../json-diff.js';
import {
  childAt,
  EXTRA_KEY,
  HelmLifter,
  SERVICE_KEY_ORDER,
  type LiftPlan,
  type LiftResult,
  type LiftPoint,
  type Named,
} from './lift.js';
import { secretRefNames, type SecretKeys } from './secret-refs.js';
import { valuesKey } from './values.js';
export type J = Record<string, unknown>;
const isMap = (v: unknown): v is J => v !== null && typeof v === 'object' && !Array.isArray(v);
export const ref = (o: KubeObject): string => `${o.kind}/${o.metadata.name}`;

/** Templates and lifted shapes (by object ref) and values of a set of objects. */
export function liftAll(
  objects: KubeObject[],
  services: string[],
  chart: string,
  plan?: LiftPlan,
  secretKeys?: ReadonlyMap<string, SecretKeys>,
  usersFrom?: Iterable<KubeObject>,
) {
  const lifter = new HelmLifter(objects, services, chart, plan, secretKeys, usersFrom);
  const templates = new Map<string, { path: string; text: string }>();
  const shapes = new Map<string, LiftResult['shape']>();
  for (const o of objects) {
    const { template, shape } = lifter.lift(o);
    if (template !== undefined) templates.set(ref(o), { path: `templates/${fileName(o)}`, text: template });
    shapes.set(ref(o), shape);
  }
  return { lifter, templates, shapes, tree: lifter.valuesTree() };
}

type Lifted = ReturnType<typeof liftAll>;

/**
 * The fields to lift for environments: for each object whose template text an environment changes, every path
 * where the lifted shapes still differ (what no value holds yet) gives a lift point (see liftPointFor).
 */
export function liftPlan(
  all: ReadonlyMap<string, KubeObject>,
  main: Lifted,
  envs: Lifted[],
  envObjects: KubeObject[][],
): Map<string, LiftPoint[]> {
  // Per object, its lift points by values path (several differing paths fall in one field).
  const byObject = new Map<string, Map<string, LiftPoint>>();
  envs.forEach((env, i) => {
    const versions = new Map(envObjects[i]!.map((o) => [ref(o), o]));
    for (const k of env.templates.keys()) {
      const a = main.shapes.get(k);
      const b = env.shapes.get(k);
      if (!a || !b || jsonEqual(a, b)) continue;
      let points = byObject.get(k);
      if (!points) byObject.set(k, (points = new Map()));
      for (const op of diffJson(a.object, b.object)) {
        const segs = op.path.split('/').slice(1).map(unescape);
        const point = liftPointFor(all.get(k)!, a.object, b.object, segs, main.lifter);
        if (!point) continue;
        const id = point.values.join('\0');
        const into = points.get(id) ?? point;
        points.set(id, into);
        if (into.secretNames) {
          // The Secrets either version refers to, so every version's template names the same ones.
          const field = String(into.at[into.at.length - 1]);
          const names = [all.get(k), versions.get(k)].flatMap((o) => secretRefNames(field, valueAt(o, into.at)));
          into.secretNames = [...new Set([...into.secretNames, ...names])].sort();
        }
      }
    }
  });
  const plan = new Map<string, LiftPoint[]>();
  for (const [k, points] of byObject) if (points.size) plan.set(k, [...points.values()]);
  return plan;
}

/** Values keys of a service that are not names of its objects. */
const SERVICE_KEYS = new Set([...SERVICE_KEY_ORDER, 'containers', 'initContainers', 'ephemeralContainers', 'pod']);
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
const unescape = (seg: string): string => seg.replace(/~1/g, '/').replace(/~0/g, '~');

/** The keys from an object's root to its pod template (`[]` for a Pod), or undefined for kinds without pods. */
function templateAt(kind: string): string[] | undefined {
  const route = Object.hasOwn(POD_TEMPLATE_PATH, kind) ? POD_TEMPLATE_PATH[kind] : undefined;
  if (!route) return undefined;
  return route.length ? ['spec', ...route] : [];
}

function valueAt(node: unknown, at: ReadonlyArray<string | Named>): unknown {
  for (const seg of at) node = childAt(node, seg);
  return node;
}

/** Whether the template text of a block prints `field:` as a key of its own. */
const printsKey = (block: string, field: string): boolean =>
  block.split('\n').some((line) => line.trimStart().startsWith(`${field}:`));

/** Whether a lifted shape holds template text (a marker: what the chart already reads from values). */
const templated = (v: unknown): boolean => JSON.stringify(v ?? null).includes('\\u0000');

/**
 * An init container list without the images the chart reads from values (wait-for's helperImages, a seed's service
 * image): those alone do not keep the list from being a value, as it is lifted before them (HelmLifter.lift), and
 * its images are then literal in values-NAME.yaml.
 */
const withoutImages = (v: unknown): unknown =>
  Array.isArray(v) ? v.map((c) => (isMap(c) && typeof c.image === 'string' ? { ...c, image: '' } : c)) : v;

/**
 * Where the values of one differing field of object `o` go (`segs`: a JSON pointer's keys into its lifted shapes
 * `a` and `b`), or undefined when the chart cannot hold it as a value: Secrets (their data never go to values
 * files; liftSecret makes their keys values), fields holding what is lifted already (a marker) and fields a block
 * of the template prints already. Labels lift one by one (Helm's own labels share the map).
 *
 *   the pod template of a service's own workload   <service>.containers.<container>.<field>, <service>.pod.<field>
 *   other fields of it                            <service>.<kind>.<field> (e.g. deployment.strategy)
 *   another object of the service                 <service>.<kind><Suffix>.<field> (e.g. service.ports)
 *   an object no service owns                     extra.<kind><Name>.<field>
 */
function liftPointFor(
  o: KubeObject,
  a: unknown,
  b: unknown,
  segs: string[],
  lifter: HelmLifter,
): LiftPoint | undefined {
  if (o.kind === 'Secret' || segs.length === 0) return undefined;
  const dns = o.metadata.labels?.[LABEL_NAME];
  const owner = lifter.keyFor(dns);
  const T = templateAt(o.kind);
  const kindKey = lowerFirst(o.kind);
  const own = owner !== undefined && T !== undefined && o.metadata.name === dns;
  let objKey = kindKey;
  if (!owner) objKey = valuesKey(`${kindKey}-${o.metadata.name}`);
  else if (o.metadata.name !== dns)
    objKey = valuesKey(
      `${kindKey}-${o.metadata.name.startsWith(`${dns}-`) ? o.metadata.name.slice(dns!.length + 1) : o.metadata.name}`,
    );
  // The Ingress (HTTPRoute) named after its service adds its fields to the service's ingress (route) values.
  if (owner && o.metadata.name === dns && (o.kind === 'Ingress' || o.kind === 'HTTPRoute'))
    objKey = o.kind === 'Ingress' ? 'ingress' : 'route';
  else if (SERVICE_KEYS.has(objKey)) objKey += 'Object';
  const prefix = owner ? [owner] : [EXTRA_KEY];
  const fieldBase = own ? prefix : [...prefix, objKey];
  const objBase = [...prefix, objKey];
  let point: LiftPoint | undefined;
  // A field whose Secret references the chart renames (env, envFrom, volumes): those are its only markers.
  let refs = false;
  if (T && T.every((k, i) => segs[i] === k) && segs.length > T.length) {
    const [part, field, idx, sub] = segs.slice(T.length);
    if (part === 'spec' && field !== undefined && CONTAINER_LISTS.has(field)) {
      const at = [...T, 'spec', field];
      const nameIn = (shape: unknown): unknown => {
        const list = valueAt(shape, at);
        return Array.isArray(list) && idx !== undefined ? childAt(list[Number(idx)], 'name') : undefined;
      };
      const name = nameIn(a);
      const same = typeof name === 'string' && name === nameIn(b);
      point =
        same && sub !== undefined && sub !== 'name'
          ? { at: [...at, { name }, sub], values: [...fieldBase, field, name, sub] }
          : { at, values: [...fieldBase, 'pod', field] };
      if (sub === 'env' || sub === 'envFrom') refs = point.values.length > fieldBase.length + 2;
    } else if (part === 'spec' && field !== undefined) {
      point = { at: [...T, 'spec', field], values: [...fieldBase, 'pod', field] };
      refs = field === 'volumes';
    } else if (part === 'metadata' && field === 'annotations')
      point = { at: [...T, 'metadata', field], values: [...fieldBase, 'pod', field] };
    // Labels one by one: Helm's own labels are in the same map.
    else if (part === 'metadata' && field === 'labels' && idx !== undefined)
      point = { at: [...T, 'metadata', field, idx], values: [...fieldBase, 'pod', field, idx] };
  } else if (segs[0] === 'metadata') {
    if (segs[1] === 'annotations') point = { at: ['metadata', 'annotations'], values: [...objBase, 'annotations'] };
    if (segs[1] === 'labels' && segs[2] !== undefined)
      point = { at: ['metadata', 'labels', segs[2]], values: [...objBase, 'labels', segs[2]] };
  } else if (segs[0] === 'spec') {
    if (segs[1] !== undefined) point = { at: ['spec', segs[1]], values: [...objBase, segs[1]] };
  } else if (segs[0] !== 'apiVersion' && segs[0] !== 'kind') point = { at: [segs[0]!], values: [...objBase, segs[0]!] };
  if (!point) return undefined;
  const parent = point.at.slice(0, -1);
  const field = String(point.at[point.at.length - 1]);
  for (const shape of [a, b]) {
    const holder = valueAt(shape, parent);
    if (!isMap(holder)) return undefined;
    const value = field === 'initContainers' ? withoutImages(holder[field]) : holder[field];
    if (!refs && templated(value)) return undefined;
    // A block of the template prints this field already (from another value): a second one could print it twice.
    if (Object.keys(holder).some((k) => k.startsWith('\0') && printsKey(k, field))) return undefined;
  }
  return refs ? { ...point, secretNames: [] } : point;
}

/**
 * What turns values `a` into values `b` when Helm merges it over `a`: changed keys only; a key `b` lacks is
 * null (Helm deletes it); lists are replaced whole (Helm does not merge lists).
 */
export function valuesDiff(a: J, b: J): J {
  const out: J = {};
  for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  for (const [k, v] of Object.entries(b)) {
    const was = a[k];
    if (!(k in a)) out[k] = v;
    else if (isMap(was) && isMap(v)) {
      const d = valuesDiff(was, v);
      if (Object.keys(d).length) out[k] = d;
    } else if (!jsonEqual(was, v)) out[k] = v;
  }
  return out;
}

/**
 * `b` with its map keys in `a`'s order (keys `a` lacks last), so that an environment's object lifts to the same
 * template text as the base's when only values differ (a field the override adds lands where the base's
 * template has its block).
 */
export function alignKeys(a: unknown, b: unknown): unknown {
  if (isMap(a) && isMap(b)) {
    const out: J = {};
    for (const k of Object.keys(a)) if (k in b) out[k] = alignKeys(a[k], b[k]);
    for (const k of Object.keys(b)) if (!(k in a)) out[k] = b[k];
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) return b.map((x, i) => (i < a.length ? alignKeys(a[i], x) : x));
  return b;
}
