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
import type { Service } from '../../model/types.js';
import type { SourcePos } from '../../report/diagnostic.js';
import type { Status } from '../../report/entry.js';
import { KOMPOSE_LABELS } from '../intent/kompose-labels.js';

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
  const spec = (w.spec ?? {}) as {
    template?: { spec?: PodSpecLike };
    jobTemplate?: { spec?: { template?: { spec?: PodSpecLike } } };
  };
  return (w.kind === 'CronJob' ? spec.jobTemplate?.spec?.template?.spec : spec.template?.spec) ?? {};
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
    return family.filter((o) => o.kind === t).map(ref);
  };
}

export function recordOverrideEntries(ctx: ConvertContext): void {
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
  const errors = ctx.diags.list.filter(
    (d) => d.severity === 'error' && (d.code === 'kompose-label-invalid' || d.code === 'x-k8s-invalid'),
  );
  const put = (
    service: string | undefined,
    key: string,
    status: Status,
    message: string,
    objects: string[],
    pos?: SourcePos,
    fix?: string,
  ): void => {
    if (covered(service, key)) return;
    ctx.record(service, key, status, message, { objects, ...(fix ? { fix } : {}), ...(pos ? { pos } : {}) });
  };
  for (const svc of Object.values(ctx.project.services)) serviceEntries(ctx, svc, errors, put, index);
  volumeAndProjectEntries(ctx, errors, put);
}

type Put = (
  service: string | undefined,
  key: string,
  status: Status,
  message: string,
  objects: string[],
  pos?: SourcePos,
  fix?: string,
) => void;
type Diags = ConvertContext['diags']['list'];

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

function effect(
  ctx: ConvertContext,
  of: (t: Target) => string[],
  targets: Target[],
  key: string,
  value: unknown,
  meaning: string,
): { status: Status; message: string; objects: string[]; fix?: string } {
  const objects = [...new Set(targets.flatMap((t) => of(t)))];
  const why = objects.length ? NOT_APPLIED[key]?.(specs(ctx, objects), value) : undefined;
  if (why) return { status: 'ignored', message: `${meaning}: ${show(value)} — not applied: ${why}`, objects: [] };
  if (objects.length || meansNone(key, value))
    return { status: 'converted', message: `${meaning}: ${show(value)}`, objects };
  const what = targets.map((t) => (t === 'workload' || t === 'all' ? 'workload' : t)).join(' / ');
  return {
    status: 'ignored',
    message: `${meaning}: ${show(value)} — no ${what} was generated for this service, so it has no effect`,
    objects: [],
    fix: 'see the other entries of this service (e.g. a Service needs ports)',
  };
}

function serviceEntries(ctx: ConvertContext, svc: Service, errors: Diags, put: Put, index: () => Index): void {
  const of = objectsOf(ctx, index, svc);
  const sources: Array<[string, Record<string, string>]> = [
    ['labels', svc.labels],
    ['deploy.labels', svc.deploy?.labels ?? {}],
  ];
  for (const [where, labels] of sources) {
    for (const [label, value] of Object.entries(labels)) {
      if (!(label.startsWith('kompose.') || label === 'compose2k8s.http') || GENERATED.has(label)) continue;
      if (where === 'deploy.labels' && label in svc.labels) continue; // the service label wins
      const key = `${where}.${label}`;
      const segs = where.split('.');
      const pos = ctx.servicePos(svc, ...segs, label) ?? ctx.servicePos(svc, ...segs);
      const meaning = MEANING.get(label);
      const bad = errors.find((d) => d.message.startsWith(`service "${svc.name}": label ${label}:`));
      if (!meaning)
        put(
          svc.name,
          key,
          'ignored',
          'not a kompose label compose2k8s knows: kept as a pod annotation only',
          [],
          pos,
          'see docs/x-k8s.md for the supported kompose labels',
        );
      else if (bad)
        put(
          svc.name,
          key,
          'ignored',
          `invalid value ${show(value)}: ${bad.message.split(': ').slice(2).join(': ')}`,
          [],
          pos,
          bad.hint,
        );
      else {
        const e = effect(ctx, of, labelTarget(label), label, value, meaning);
        put(svc.name, key, e.status, e.message, e.objects, pos, e.fix);
      }
    }
  }
  const x = svc.extensions[X_K8S];
  if (!x || typeof x !== 'object' || Array.isArray(x)) return;
  const bad = errors.some((d) => d.code === 'x-k8s-invalid' && d.message.startsWith(`service "${svc.name}": ${X_K8S}`));
  for (const [k, value] of Object.entries(x as Record<string, unknown>)) {
    const key = `${X_K8S}.${k}`;
    const pos = ctx.servicePos(svc, X_K8S, k);
    if (bad) {
      put(
        svc.name,
        key,
        'ignored',
        `the service's ${X_K8S} block has an error, so none of it is applied`,
        [],
        pos,
        'fix the x-k8s-invalid error',
      );
      continue;
    }
    const e = effect(ctx, of, X_TARGET[k] ?? ['workload'], key, value, `${X_K8S} ${k}`);
    put(svc.name, key, e.status, e.message, e.objects, pos, e.fix);
  }
}

function volumeAndProjectEntries(ctx: ConvertContext, errors: Diags, put: Put): void {
  for (const [name, vol] of Object.entries(ctx.project.volumes)) {
    // The claim, or the StatefulSet holding it as a volumeClaimTemplate (as storage reported the volume).
    const claims = ctx.entries.find((e) => e.service === undefined && e.key === `volumes.${name}`)?.objects ?? [];
    for (const [label, value] of Object.entries(vol.labels ?? {})) {
      if (!label.startsWith('kompose.')) continue;
      const key = `volumes.${name}.labels.${label}`;
      const pos = ctx.pos('volumes', name, 'labels', label) ?? ctx.pos('volumes', name, 'labels');
      const meaning = VOLUME_MEANING.get(label);
      const bad = errors.find((d) => d.message.startsWith(`volume "${name}": label ${label}:`));
      if (!meaning) put(undefined, key, 'ignored', 'not a kompose volume label compose2k8s knows', [], pos);
      else if (bad) put(undefined, key, 'ignored', `invalid value ${show(value)}`, [], pos, bad.hint);
      else if (!claims.length)
        put(undefined, key, 'ignored', `${meaning}: ${show(value)} — no claim was generated for this volume`, [], pos);
      else put(undefined, key, 'converted', `${meaning}: ${show(value)}`, claims, pos);
    }
    const x = vol.extensions[X_K8S];
    if (!x || typeof x !== 'object' || Array.isArray(x)) continue;
    const bad = errors.some((d) => d.code === 'x-k8s-invalid' && d.message.startsWith(`volume "${name}": ${X_K8S}`));
    for (const [k, value] of Object.entries(x as Record<string, unknown>)) {
      const key = `volumes.${name}.${X_K8S}.${k}`;
      const pos = ctx.pos('volumes', name, X_K8S, k);
      if (bad)
        put(undefined, key, 'ignored', `the volume's ${X_K8S} block has an error, so none of it is applied`, [], pos);
      else if (!claims.length)
        put(
          undefined,
          key,
          'ignored',
          `${X_K8S} ${k}: ${show(value)} — no claim was generated for this volume`,
          [],
          pos,
        );
      else put(undefined, key, 'converted', `${X_K8S} ${k}: ${show(value)}`, claims, pos);
    }
  }
  const x = ctx.project.extensions[X_K8S];
  if (x === undefined) return;
  const bad = errors.some((d) => d.code === 'x-k8s-invalid' && d.message.startsWith(X_K8S));
  if (!x || typeof x !== 'object' || Array.isArray(x) || !Object.keys(x).length) {
    put(
      undefined,
      X_K8S,
      'ignored',
      bad
        ? `the top-level ${X_K8S} is not a mapping of settings (see the error)`
        : `the top-level ${X_K8S} is empty: nothing to apply`,
      [],
      ctx.pos(X_K8S),
    );
    return;
  }
  for (const [k, value] of Object.entries(x as Record<string, unknown>)) {
    const key = `${X_K8S}.${k}`;
    const pos = ctx.pos(X_K8S, k);
    if (bad)
      put(
        undefined,
        key,
        'ignored',
        `the top-level ${X_K8S} block has an error, so none of it is applied`,
        [],
        pos,
        'fix the x-k8s-invalid error',
      );
    else put(undefined, key, 'converted', `${X_K8S} ${k}: ${show(value)} (applies to the whole conversion)`, [], pos);
  }
}
