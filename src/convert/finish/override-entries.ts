/**
 * Report entries for the settings users give beyond the Compose Spec: each `kompose.*` label (service
 * `labels` / `deploy.labels`, top-level volume labels) and each `x-k8s` key (service, volume, top level)
 * gets its own entry — key `labels.kompose.service.type`, `x-k8s.service`, `volumes.data.labels.kompose.volume.size`,
 * `x-k8s.namespace` — with the objects it shaped, instead of the generic "labels become annotations" /
 * "x-* ignored". A key some module already reported (e.g. probes) is left alone.
 *
 * Status: converted when the objects it targets exist; ignored when its value was invalid (the error
 * diagnostic says why), when it is not a label compose2k8s knows, or when nothing it could shape was
 * generated (e.g. a Service type for a service without ports).
 */
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import { podTemplateOf } from '../../kube/workloads.js';
import type { Service } from '../../model/types.js';
import type { SourcePos } from '../../report/diagnostic.js';
import type { OutcomeId } from '../../mappings/outcomes.js';
import { worse, type Values } from '../book.js';
import type { Status } from '../../report/entry.js';
import { KOMPOSE_LABELS } from '../intent/kompose-labels.js';
import { komposeLabelNear } from '../intent/kompose.js';
import { OPTION_SPECS, optionFlag, type OptionName } from '../intent/options.js';
import { projectOverrides, serviceOverrides } from '../intent/overrides.js';
import { rejectedSetting } from '../intent/rejected.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);
const X_K8S = 'x-k8s';
/** Labels kompose writes into its own output; reading them back is harmless and not worth an entry. */
const GENERATED = new Set(['kompose.cmd', 'kompose.version']);
const MEANING = new Map(KOMPOSE_LABELS.filter((l) => l.on === 'service').map((l) => [l.label, l.meaning]));
const VOLUME_MEANING = new Map(KOMPOSE_LABELS.filter((l) => l.on === 'volume').map((l) => [l.label, l.meaning]));

type Target = 'workload' | 'Service' | 'Ingress' | 'HorizontalPodAutoscaler' | 'PersistentVolumeClaim' | 'all';

function labelTarget(label: string): Target[] {
  if (/^kompose\.service\.(type|nodeport\.port|external-traffic-policy)$/.test(label)) return ['Service'];
  if (label.startsWith('kompose.service.expose')) return ['Ingress'];
  if (label.startsWith('kompose.hpa.')) return ['HorizontalPodAutoscaler'];
  if (label === 'kompose.volume.size' || label === 'kompose.volume.storage-class-name')
    return ['PersistentVolumeClaim'];
  if (label === 'compose2k8s.http') return ['Service', 'Ingress'];
  return ['workload'];
}

const X_TARGET: Record<string, Target[]> = {
  service: ['Service'],
  ingress: ['Ingress'],
  hpa: ['HorizontalPodAutoscaler'],
  storage: ['PersistentVolumeClaim', 'workload'],
  http: ['Service', 'Ingress'],
  patches: ['all'],
};

/** Settings whose value means "generate nothing": no objects is then the intended effect. */
function meansNone(key: string, value: unknown): boolean {
  const v = String(value).trim().toLowerCase();
  if (key === 'kompose.service.type' || key === 'x-k8s.service') return v === 'none' || v === 'false';
  if (key === 'kompose.service.expose' || key === 'x-k8s.ingress') return v === 'false';
  return false;
}

const ref = (o: KubeObject): string => `${o.kind}/${o.metadata.name}`;
const show = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

interface PodSpecLike {
  containers?: Array<{ name: string }>;
  volumes?: Array<{ persistentVolumeClaim?: { claimName: string } }>;
}

function podSpec(w: KubeObject): PodSpecLike {
  return podTemplateOf<{ spec?: PodSpecLike }>(w)?.spec ?? {};
}

interface Index {
  /** Container name → the workload whose pod holds it. */
  workloadOf: Map<string, KubeObject>;
  /** app.kubernetes.io/name → the objects carrying it. */
  byApp: Map<string, KubeObject[]>;
}

/** One pass over the objects, so the per-service lookups stay linear in the project size. */
function indexObjects(ctx: ConvertContext): Index {
  const workloadOf = new Map<string, KubeObject>();
  const byApp = new Map<string, KubeObject[]>();
  for (const o of ctx.objects) {
    if (WORKLOADS.has(o.kind))
      for (const c of podSpec(o).containers ?? []) if (!workloadOf.has(c.name)) workloadOf.set(c.name, o);
    const app = o.metadata.labels?.['app.kubernetes.io/name'];
    if (app === undefined) continue;
    const list = byApp.get(app);
    if (list) list.push(o);
    else byApp.set(app, [o]);
  }
  return { workloadOf, byApp };
}

/** The objects of a service by target: its workload (the pod holding its container) and that workload's family. */
function objectsOf(ctx: ConvertContext, index: () => Index, svc: Service): (t: Target) => string[] {
  return (t) => {
    const w = index().workloadOf.get(ctx.serviceName(svc));
    if (!w) return [];
    const app = w.metadata.labels?.['app.kubernetes.io/name'];
    const family = (app !== undefined ? (index().byApp.get(app) ?? []) : []).filter((o) => o !== w);
    if (t === 'workload') return [ref(w)];
    if (t === 'all') return [ref(w), ...family.map(ref)];
    if (t === 'PersistentVolumeClaim') {
      const vols = (podSpec(w).volumes ?? []).flatMap((v) =>
        v.persistentVolumeClaim ? [`PersistentVolumeClaim/${v.persistentVolumeClaim.claimName}`] : [],
      );
      const templates = ((w.spec as { volumeClaimTemplates?: KubeObject[] }).volumeClaimTemplates ?? []).map(
        (x) => `PersistentVolumeClaim/${x.metadata.name} (template)`,
      );
      return [...new Set([...vols, ...templates])];
    }
    // With --ingress gateway the routes a service's ingress settings shape are HTTPRoutes.
    return family.filter((o) => o.kind === t || (t === 'Ingress' && o.kind === 'HTTPRoute')).map(ref);
  };
}

/** The entries of one dialect's keys: the kompose labels or the `x-k8s` keys (each dialect's `entries`). */
export function recordOverrideEntries(ctx: ConvertContext, which: 'kompose' | 'x-k8s'): void {
  // Keys already reported, by service (a scan of every entry per key would make big projects quadratic).
  const keysBy = new Map<string, string[]>();
  for (const e of ctx.entries) {
    const list = keysBy.get(e.service ?? '');
    if (list) list.push(e.key);
    else keysBy.set(e.service ?? '', [e.key]);
  }
  const covered = (service: string | undefined, key: string): boolean =>
    (keysBy.get(service ?? '') ?? []).some((k) => k === key || k.startsWith(key + '.'));
  let idx: Index | undefined;
  const index = (): Index => (idx ??= indexObjects(ctx));
  const put: Put = (service, path, id, values, objects, pos) => {
    if (covered(service, path)) return;
    ctx.outcome(service, path, id, values, { objects, ...(pos ? { pos } : {}) });
  };
  for (const svc of Object.values(ctx.project.services)) serviceEntries(ctx, svc, put, index, which);
  volumeAndProjectEntries(ctx, put, which);
}

type Put = (
  service: string | undefined,
  path: string,
  id: OutcomeId,
  values: Values,
  objects: string[],
  pos?: SourcePos,
) => void;

type ServiceSpec = {
  type?: string;
  clusterIP?: string;
  externalTrafficPolicy?: string;
  ports?: Array<{ nodePort?: number }>;
};
const specs = (ctx: ConvertContext, objects: string[]): ServiceSpec[] =>
  ctx.objects.filter((o) => o.kind === 'Service' && objects.includes(ref(o))).map((o) => (o.spec ?? {}) as ServiceSpec);

/** Why a setting whose objects exist still left no trace on them (absent: it did). */
const NOT_APPLIED: Record<string, (s: ServiceSpec[], value: unknown) => string | undefined> = {
  'kompose.service.nodeport.port': (s, v) =>
    s.some((x) => x.ports?.some((p) => p.nodePort === Number(v)))
      ? undefined
      : 'the Service has no such nodePort (see its ports entry: a port outside the node port range is left to the cluster)',
  'kompose.service.external-traffic-policy': (s) =>
    s.some((x) => x.externalTrafficPolicy)
      ? undefined
      : 'only NodePort and LoadBalancer Services take an externalTrafficPolicy; this one is not',
  'x-k8s.service': (s, v) => {
    const o = (v && typeof v === 'object' ? v : {}) as { nodePort?: unknown; externalTrafficPolicy?: unknown };
    return (
      (o.nodePort !== undefined && NOT_APPLIED['kompose.service.nodeport.port']!(s, o.nodePort)) ||
      (o.externalTrafficPolicy !== undefined &&
        NOT_APPLIED['kompose.service.external-traffic-policy']!(s, o.externalTrafficPolicy)) ||
      undefined
    );
  },
};

/** What a setting did: shaped objects, had no effect on the objects it targets, or found nothing to shape. */
type Effect =
  { kind: 'applied'; objects: string[] } | { kind: 'not-applied'; why: string } | { kind: 'no-target'; what: string };

function effect(
  ctx: ConvertContext,
  of: (t: Target) => string[],
  targets: Target[],
  key: string,
  value: unknown,
): Effect {
  const objects = [...new Set(targets.flatMap((t) => of(t)))];
  const why = objects.length ? NOT_APPLIED[key]?.(specs(ctx, objects), value) : undefined;
  if (why) return { kind: 'not-applied', why };
  if (objects.length || meansNone(key, value)) return { kind: 'applied', objects };
  return {
    kind: 'no-target',
    what: targets.map((t) => (t === 'workload' || t === 'all' ? 'workload' : t)).join(' / '),
  };
}

const LABEL_OUTCOME = {
  applied: 'labels.kompose.applied',
  'not-applied': 'labels.kompose.not-applied',
  'no-target': 'labels.kompose.no-target',
} as const;
const X_OUTCOME = {
  applied: 'x-k8s.applied',
  'not-applied': 'x-k8s.not-applied',
  'no-target': 'x-k8s.no-target',
} as const;

function putEffect(
  put: Put,
  svc: Service,
  path: string,
  ids: typeof LABEL_OUTCOME | typeof X_OUTCOME,
  e: Effect,
  values: Values,
  pos: SourcePos | undefined,
): void {
  if (e.kind === 'applied') put(svc.name, path, ids.applied, values, e.objects, pos);
  else if (e.kind === 'not-applied') put(svc.name, path, ids['not-applied'], { ...values, why: e.why }, [], pos);
  else put(svc.name, path, ids['no-target'], { ...values, what: e.what }, [], pos);
}

function serviceEntries(
  ctx: ConvertContext,
  svc: Service,
  put: Put,
  index: () => Index,
  which: 'kompose' | 'x-k8s',
): void {
  const of = objectsOf(ctx, index, svc);
  const sources: Array<[string, Record<string, string>]> =
    which === 'kompose'
      ? [
          ['labels', svc.labels],
          ['deploy.labels', svc.deploy?.labels ?? {}],
        ]
      : [];
  for (const [where, labels] of sources) {
    for (const [label, value] of Object.entries(labels)) {
      if (!(label.startsWith('kompose.') || label === 'compose2k8s.http') || GENERATED.has(label)) continue;
      if (where === 'deploy.labels' && label in svc.labels) continue; // the service label wins
      const path = `${where}.${label}`;
      const segs = where.split('.');
      const pos = ctx.servicePos(svc, ...segs, label);
      const meaning = MEANING.get(label);
      const bad = rejectedSetting(ctx, svc.name, `labels.${label}`);
      const near = meaning ? undefined : komposeLabelNear(label);
      if (near) put(svc.name, path, 'labels.kompose.unknown-near', { near }, [], pos);
      else if (!meaning) put(svc.name, path, 'labels.kompose.unknown', {}, [], pos);
      else if (label.startsWith('kompose.service.expose') && serviceOverrides(ctx, svc).ingress?.besideLoadBalancer)
        put(svc.name, path, 'labels.kompose.expose-load-balancer', { meaning, value: show(value) }, of('Service'), pos);
      else if (bad)
        put(
          svc.name,
          path,
          'labels.kompose.invalid',
          { value: show(value), reason: bad.reason, hint: bad.hint ?? '' },
          [],
          pos,
        );
      else
        putEffect(
          put,
          svc,
          path,
          LABEL_OUTCOME,
          effect(ctx, of, labelTarget(label), label, value),
          {
            meaning,
            value: show(value),
          },
          pos,
        );
      if (label === 'kompose.volume.type') followMounts(ctx, svc, path, LABEL_MOUNT_OUTCOME, pos);
    }
  }
  const x = which === 'x-k8s' ? svc.extensions[X_K8S] : undefined;
  if (!x || typeof x !== 'object' || Array.isArray(x)) return;
  const bad = rejectedSetting(ctx, svc.name, X_K8S) !== undefined;
  for (const [k, value] of Object.entries(x as Record<string, unknown>)) {
    const path = `${X_K8S}.${k}`;
    const pos = ctx.servicePos(svc, X_K8S, k);
    if (bad) put(svc.name, path, 'x-k8s.block-invalid', {}, [], pos);
    else
      putEffect(
        put,
        svc,
        path,
        X_OUTCOME,
        effect(ctx, of, X_TARGET[k] ?? ['workload'], path, value),
        {
          meaning: `${X_K8S} ${k}`,
          value: show(value),
        },
        pos,
      );
    const type = k === 'storage' && value && typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
    if (!bad && type !== undefined) followMounts(ctx, svc, path, X_MOUNT_OUTCOME, pos);
  }
}

/** The outcome a storage type (the label, or x-k8s storage.type) takes from the worst of the mounts it applies to. */
const LABEL_MOUNT_OUTCOME = {
  applied: 'labels.kompose.applied',
  ignored: 'labels.kompose.volume-type-ignored',
  unsupported: 'labels.kompose.volume-type-unsupported',
} as const;
const X_MOUNT_OUTCOME = {
  applied: 'x-k8s.applied',
  ignored: 'x-k8s.storage-type-ignored',
  unsupported: 'x-k8s.storage-type-unsupported',
} as const;

/**
 * A storage type (kompose.volume.type, x-k8s storage.type) applies to the service's bind mounts and named volumes:
 * when one of them is unsupported (a host path it cannot make a ConfigMap) or ignored the type (a named volume
 * stays a claim), so is the setting's applied entry, naming them. An approximated mount is what the type asks for
 * (a ConfigMap copy, a hostPath): the setting stays converted.
 */
function followMounts(
  ctx: ConvertContext,
  svc: Service,
  path: string,
  ids: typeof LABEL_MOUNT_OUTCOME | typeof X_MOUNT_OUTCOME,
  pos: SourcePos | undefined,
): void {
  if (ctx.book.get(svc.name, path)?.id !== ids.applied) return;
  let worst: Status = 'converted';
  const mounts: Array<[string, Status]> = [];
  for (const [i, v] of svc.volumes.entries()) {
    if (v.type !== 'bind' && (v.type !== 'volume' || !v.source)) continue;
    const status = ctx.book.get(svc.name, `volumes[${i}]`)?.status;
    if (status !== 'unsupported' && status !== 'ignored') continue;
    mounts.push([`volumes[${i}]`, status]);
    worst = worse(worst, status);
  }
  if (worst !== 'unsupported' && worst !== 'ignored') return;
  const named = mounts.filter(([, s]) => s === worst).map(([p]) => p);
  ctx.downgrade(svc.name, path, ids[worst], { mounts: named.join(', ') }, pos ? { pos } : {});
}

function volumeAndProjectEntries(ctx: ConvertContext, put: Put, which: 'kompose' | 'x-k8s'): void {
  for (const [name, vol] of Object.entries(ctx.project.volumes)) {
    // The claim, or the StatefulSet holding it as a volumeClaimTemplate (as storage reported the volume).
    const claims = ctx.book.get(undefined, `volumes.${name}`)?.objects ?? [];
    for (const [label, value] of Object.entries(which === 'kompose' ? (vol.labels ?? {}) : {})) {
      if (!label.startsWith('kompose.')) continue;
      const path = `volumes.${name}.labels.${label}`;
      const pos = ctx.pos('volumes', name, 'labels', label);
      const meaning = VOLUME_MEANING.get(label);
      const bad = rejectedSetting(ctx, undefined, path);
      const values = { meaning: meaning ?? '', value: show(value) };
      if (!meaning) put(undefined, path, 'volume.labels.kompose-unknown', {}, [], pos);
      else if (bad) put(undefined, path, 'volume.labels.kompose-invalid', { ...values, hint: bad.hint ?? '' }, [], pos);
      else if (!claims.length) put(undefined, path, 'volume.labels.kompose-no-claim', values, [], pos);
      else put(undefined, path, 'volume.labels.kompose-applied', values, [...claims], pos);
    }
    const x = which === 'x-k8s' ? vol.extensions[X_K8S] : undefined;
    if (!x || typeof x !== 'object' || Array.isArray(x)) continue;
    const bad = rejectedSetting(ctx, undefined, `volumes.${name}.${X_K8S}`) !== undefined;
    for (const [k, value] of Object.entries(x as Record<string, unknown>)) {
      const path = `volumes.${name}.${X_K8S}.${k}`;
      const pos = ctx.pos('volumes', name, X_K8S, k);
      const values = { key: k, value: show(value) };
      if (bad) put(undefined, path, 'volume.x-k8s.block-invalid', {}, [], pos);
      else if (!claims.length) put(undefined, path, 'volume.x-k8s.no-claim', values, [], pos);
      else put(undefined, path, 'volume.x-k8s.applied', values, [...claims], pos);
    }
  }
  const x = ctx.project.extensions[X_K8S];
  if (x === undefined || which !== 'x-k8s') return;
  const bad = rejectedSetting(ctx, undefined, X_K8S) !== undefined;
  if (!x || typeof x !== 'object' || Array.isArray(x) || !Object.keys(x).length) {
    put(undefined, X_K8S, bad ? 'top.x-k8s.not-mapping' : 'top.x-k8s.empty', {}, [], ctx.pos(X_K8S));
    return;
  }
  for (const [k, value] of Object.entries(x as Record<string, unknown>)) {
    const path = `${X_K8S}.${k}`;
    const pos = ctx.pos(X_K8S, k);
    if (bad) put(undefined, path, 'top.x-k8s.block-invalid', {}, [], pos);
    else {
      const values = { key: k, value: show(value) };
      const { set, won } = explicitOver(ctx, k);
      const flags = won.join(', ');
      if (!won.length) put(undefined, path, 'top.x-k8s.applied', values, [], pos);
      else if (won.length === set) put(undefined, path, 'top.x-k8s.overridden', { ...values, flags }, [], pos);
      else put(undefined, path, 'top.x-k8s.partly-overridden', { ...values, flags }, [], pos);
    }
  }
}

/**
 * The settings under the top-level `x-k8s.<key>` (options and the one non-option, storage.accessMode), and the
 * flags of the options among them that the caller gave explicitly (those win over x-k8s).
 */
function explicitOver(ctx: ConvertContext, key: string): { set: number; won: string[] } {
  const p = projectOverrides(ctx);
  const given: Record<string, unknown> = p.options ?? {};
  let set = key === 'storage' && p.storage?.accessMode !== undefined ? 1 : 0;
  const won: string[] = [];
  for (const spec of OPTION_SPECS) {
    if (spec.xk8s?.split('.')[0] !== key || given[spec.name] === undefined) continue;
    set++;
    if (ctx.explicit.has(spec.name as OptionName)) won.push(`--${optionFlag(spec)}`);
  }
  return { set, won };
}

/** Outcomes of a group setting: a Service answers on the grouped service's name, or none can. */
const GROUP_IDS = {
  'x-k8s': { service: 'x-k8s.group-service', 'no-service': 'x-k8s.group-no-service' },
  labels: { service: 'labels.kompose.group-service', 'no-service': 'labels.kompose.group-no-service' },
} as const satisfies Record<string, { service: OutcomeId; 'no-service': OutcomeId }>;

/**
 * The entry of a service's group setting (`labels.kompose.service.group`, its `deploy.labels` twin, or
 * `x-k8s.group`), which runs it in another service's pod: whether a Service answers on its name, as objects/aliases.ts
 * found (OverrideApplier groupEntry).
 */
export function reportGroupSetting(
  ctx: ConvertContext,
  service: string,
  served: 'service' | 'no-service',
  values: Values,
  objects?: string[],
): void {
  const svc = ctx.project.services[service]!;
  const x = svc.extensions[X_K8S];
  const fromX = !!x && typeof x === 'object' && (x as { group?: unknown }).group !== undefined;
  const label = 'kompose.service.group';
  const where = fromX ? [X_K8S] : label in svc.labels ? ['labels'] : ['deploy', 'labels'];
  const key = fromX ? 'group' : label;
  ctx.outcome(service, [...where, key].join('.'), GROUP_IDS[fromX ? 'x-k8s' : 'labels'][served], values, {
    objects,
    pos: ctx.servicePos(svc, ...where, key),
  });
}
