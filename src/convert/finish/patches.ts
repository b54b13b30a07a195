/**
 * `x-k8s.patches` of a service, applied to the finished objects (last step before lint and report):
 * JSON Patch operations (`op`/`path`/`value`/`from`, RFC 6902) or a merge (`merge: {...}`: maps merge
 * recursively, `null` deletes a key, lists of named items merge by `name`, other lists are replaced).
 * Without `target` a patch applies to the service's workload; `target: {kind, name}` selects among
 * the objects derived from the service (any object when a name is given). Part of the dialects' OverrideApplier
 * (intent/dialect.ts): only src/convert/dialects.ts imports it, so the lean entry without dialects does not bundle it.
 */
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import { LABEL_NAME } from '../../kube/object.js';
import type { PodPlan } from '../plan/pod.js';
import { serviceOverrides } from '../intent/overrides.js';
import { labelValue } from '../../kube/naming.js';

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

class PatchError extends Error {}

function tokens(path: string): string[] {
  if (!path.startsWith('/')) throw new PatchError(`path ${path} must start with /`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, path: string): { parent: Obj | Json[]; key: string } {
  const t = tokens(path);
  const key = t.pop()!;
  let cur: Json = doc;
  for (const k of t) {
    cur = Array.isArray(cur) ? cur[Number(k)] : isObj(cur) ? cur[k] : undefined;
    if (cur === undefined) throw new PatchError(`${path}: /${t.join('/')} does not exist`);
  }
  if (!isObj(cur) && !Array.isArray(cur)) throw new PatchError(`${path}: parent is not a map or list`);
  return { parent: cur, key };
}

function get(doc: Json, path: string): Json {
  const { parent, key } = parentOf(doc, path);
  const v = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (v === undefined) throw new PatchError(`${path} does not exist`);
  return v;
}

function remove(doc: Json, path: string): Json {
  const { parent, key } = parentOf(doc, path);
  const old = get(doc, path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return old;
}

function add(doc: Json, path: string, value: Json): void {
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new PatchError(`${path}: index out of range`);
    parent.splice(i, 0, value);
  } else parent[key] = value;
}

/** Apply one RFC 6902 operation in place. */
export function jsonPatch(doc: Json, op: { op: string; path: string; value?: Json; from?: string }): void {
  switch (op.op) {
    case 'add':
      return add(doc, op.path, clone(op.value));
    case 'remove':
      return void remove(doc, op.path);
    case 'replace':
      remove(doc, op.path);
      return add(doc, op.path, clone(op.value));
    case 'move':
      return add(doc, op.path, remove(doc, op.from ?? ''));
    case 'copy':
      return add(doc, op.path, clone(get(doc, op.from ?? '')));
    case 'test':
      if (JSON.stringify(get(doc, op.path)) !== JSON.stringify(op.value))
        throw new PatchError(`test failed at ${op.path}`);
      return;
    default:
      throw new PatchError(`unknown op ${op.op}`);
  }
}

/** Merge `patch` into `base` (returns the result; `base` is not modified). */
export function mergePatch(base: Json, patch: Json): Json {
  if (isObj(patch) && isObj(base)) {
    const out: Obj = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = k in out ? mergePatch(out[k], v) : clone(v);
    }
    return out;
  }
  const named = (l: Json): l is Obj[] => Array.isArray(l) && l.every((x) => isObj(x) && typeof x.name === 'string');
  if (named(base) && named(patch) && patch.length) {
    const out = base.map((x) => ({ ...x }));
    for (const p of patch) {
      const i = out.findIndex((x) => x.name === p.name);
      if (i >= 0) out[i] = mergePatch(out[i], p) as Obj;
      else out.push(clone(p));
    }
    return out;
  }
  return clone(patch);
}

/** Apply every service's patches in order; the objects are indexed again after (a patch may rename one). */
export function applyPatches(ctx: ConvertContext, plans: PodPlan[]): void {
  for (const plan of plans) {
    for (const svc of plan.services) {
      const patches = serviceOverrides(ctx, svc).patches;
      if (!patches?.length) continue;
      const mine = (o: KubeObject): boolean =>
        o.metadata.labels?.[LABEL_NAME] === labelValue(ctx.serviceName(plan.main));
      patches.forEach((raw, i) => {
        const p = raw as {
          target?: { kind?: string; name?: string };
          merge?: Obj;
          op?: string;
          path?: string;
          value?: Json;
          from?: string;
        };
        const pos = ctx.servicePos(svc, 'x-k8s', 'patches', i);
        const t = p.target;
        const targets = ctx.objects
          .map((o, idx) => ({ o, idx }))
          .filter(({ o }) =>
            t
              ? (!t.kind || o.kind === t.kind) && (t.name ? o.metadata.name === t.name : mine(o))
              : o.kind === plan.kind && o.metadata.name === plan.name,
          );
        if (!targets.length) {
          ctx.diags.warn('patch-no-target', { n: i + 1, service: svc.name }, pos);
          return;
        }
        for (const { o, idx } of targets) {
          try {
            let next: KubeObject;
            if (p.merge) next = mergePatch(o, p.merge) as KubeObject;
            else {
              next = clone(o);
              jsonPatch(next, { op: p.op!, path: p.path!, value: p.value, ...(p.from ? { from: p.from } : {}) });
            }
            ctx.objects[idx] = next;
          } catch (e) {
            if (!(e instanceof PatchError)) throw e;
            ctx.diags.error(
              'patch-failed',
              { n: i + 1, service: svc.name, object: `${o.kind}/${o.metadata.name}`, error: e.message },
              pos,
            );
          }
        }
      });
    }
  }
  ctx.reindex();
}
