/**
 * Workload kinds: the controllers a pod can run under, and where each keeps its pod template.
 */
import { asMap, isMap, mapsIn as list } from '../util/object.js';
export const CONTROLLER_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
export type ControllerKind = (typeof CONTROLLER_KINDS)[number];

/** Kinds whose pods run until stopped (not run-to-completion Jobs). */
export const LONG_RUNNING: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/**
 * Where each kind that runs pods keeps its pod template, as a path below `spec` (`[]`: the object is the
 * pod, whose `spec` is the pod spec). Kinds not listed run no pods.
 */
export const POD_TEMPLATE_PATH: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  Deployment: ['template'],
  StatefulSet: ['template'],
  DaemonSet: ['template'],
  ReplicaSet: ['template'],
  Job: ['template'],
  CronJob: ['jobTemplate', 'spec', 'template'],
};

type Loose = { readonly [k: string]: unknown };

function child(o: unknown, k: string): Loose | undefined {
  return asMap(o !== null && typeof o === 'object' ? (o as Loose)[k] : undefined);
}

/**
 * The pod template (`{metadata, spec}`) of a workload object, the object itself for a Pod, undefined for
 * kinds without pods or a template not built yet. The result is the object's own, to read or patch.
 */
export function podTemplateOf<
  T = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown },
>(o: { kind?: unknown; spec?: unknown }): T | undefined {
  const route =
    typeof o.kind === 'string' && Object.hasOwn(POD_TEMPLATE_PATH, o.kind) ? POD_TEMPLATE_PATH[o.kind] : undefined;
  if (!route) return undefined;
  if (route.length === 0) return o as T;
  let holder = child(o, 'spec');
  for (const k of route) holder = child(holder, k);
  return holder as T | undefined;
}

/**
 * The ConfigMaps and Secrets (`ConfigMap/name`, `Secret/name`) the pod template of a workload reads: envFrom, env
 * valueFrom, volumes (projected ones too) and image pull secrets. Empty for objects without pods.
 */
export function podConfigRefs(o: { kind?: unknown; spec?: unknown }): Set<string> {
  const out = podVolumeRefs(o);
  const spec = podTemplateOf<{ spec?: unknown }>(o)?.spec;
  if (!isMap(spec)) return out;
  const add = (kind: string, name: unknown): void => {
    if (typeof name === 'string') out.add(`${kind}/${name}`);
  };
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    for (const e of list(c.envFrom)) {
      if (isMap(e.configMapRef)) add('ConfigMap', e.configMapRef.name);
      if (isMap(e.secretRef)) add('Secret', e.secretRef.name);
    }
    for (const e of list(c.env)) {
      const from = isMap(e.valueFrom) ? e.valueFrom : {};
      if (isMap(from.configMapKeyRef)) add('ConfigMap', from.configMapKeyRef.name);
      if (isMap(from.secretKeyRef)) add('Secret', from.secretKeyRef.name);
    }
  }
  for (const p of list(spec.imagePullSecrets)) add('Secret', p.name);
  return out;
}

/** The ConfigMaps and Secrets (`Kind/name`) the pod template of a workload mounts as volumes (projected too). */
export function podVolumeRefs(o: { kind?: unknown; spec?: unknown }): Set<string> {
  const out = new Set<string>();
  const spec = podTemplateOf<{ spec?: unknown }>(o)?.spec;
  if (!isMap(spec)) return out;
  const add = (kind: string, name: unknown): void => {
    if (typeof name === 'string') out.add(`${kind}/${name}`);
  };
  for (const v of list(spec.volumes)) {
    if (isMap(v.configMap)) add('ConfigMap', v.configMap.name);
    if (isMap(v.secret)) add('Secret', v.secret.secretName);
    for (const src of isMap(v.projected) ? list(v.projected.sources) : []) {
      if (isMap(src.configMap)) add('ConfigMap', src.configMap.name);
      if (isMap(src.secret)) add('Secret', src.secret.name);
    }
  }
  return out;
}

/**
 * A Job's `ttlSecondsAfterFinished`: Kubernetes deletes it that long after it finishes, so whatever applies it later
 * (kubectl apply, a helm upgrade) creates it again and it runs again. Undefined when it is kept (or not a Job).
 */
export function jobTtlSeconds(o: { kind?: unknown; spec?: unknown }): number | undefined {
  const ttl = o.kind === 'Job' ? child(o, 'spec')?.ttlSecondsAfterFinished : undefined;
  return typeof ttl === 'number' ? ttl : undefined;
}
