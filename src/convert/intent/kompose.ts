/**
 * kompose labels → overrides. The labels and their accepted values follow kompose's user guide and
 * its conversion fixtures: `kompose.*` on a service (`labels`, or `deploy.labels`, service labels win)
 * and `kompose.volume.*` on a top-level volume. What is supported is listed in `KOMPOSE_LABELS`
 * (overrides-kompose-labels.ts); a test keeps that table and the handlers here in sync.
 */
import type { Service, VolumeConfig } from '../../model/types.js';
import type { SourcePos } from '../../report/diagnostic.js';
import type { ConvertContext } from '../context.js';
import type { ProbeOverride, ServiceOverrides, VolumeOverrides } from './overrides-types.js';
import { dns1123Label } from '../../kube/naming.js';
import { HTTP_LABEL } from './kompose-labels.js';
import * as V from './values.js';
import { rejectSetting } from './rejected.js';
import { nearest } from './x-k8s-issues.js';

type Handler = (v: string, o: ServiceOverrides, r: Reader) => void;

/** Labels kompose writes into its own output (annotations); reading them back is harmless. */
const GENERATED = new Set(['kompose.cmd', 'kompose.version']);

class Reader {
  /** kompose.service.expose.path, applied to the hosts without their own path once all labels are read. */
  defaultPath?: string;
  constructor(
    readonly ctx: ConvertContext,
    readonly svc: Service,
    readonly where: Map<string, string[]>,
  ) {}

  pos(label: string): SourcePos | undefined {
    return labelPos(this.ctx, ['services', this.svc.name, ...(this.where.get(label) ?? ['labels'])], label);
  }

  take<T>(label: string, v: V.Read<T>): T | undefined {
    if (!V.isInvalid(v)) return v;
    rejectSetting(this.ctx, this.svc.name, `labels.${label}`, v.invalid, v.hint);
    const values = { service: this.svc.name, label, reason: v.invalid };
    if (v.hint) this.ctx.diags.error('kompose-label-invalid.hint', { ...values, hint: v.hint }, this.pos(label));
    else this.ctx.diags.error('kompose-label-invalid', values, this.pos(label));
    return undefined;
  }
}

/**
 * Position of a label: `labels/<key>` for the map form, else the list entry (`labels/<i>`) when the
 * list form was used (its entries are in the same order as the parsed map), else `labels` itself.
 */
function labelPos(ctx: ConvertContext, base: string[], key: string): SourcePos | undefined {
  const exact = ctx.pos(...base, key);
  const parent = ctx.pos(...base);
  if (exact && exact !== parent) return exact;
  const obj = base.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], {
    services: ctx.project.services,
    volumes: ctx.project.volumes,
  });
  const idx = obj && typeof obj === 'object' ? Object.keys(obj).indexOf(key) : -1;
  const item = idx >= 0 ? ctx.project.sources.exact(...base, idx) : undefined;
  return item ?? parent;
}

function probe(o: ServiceOverrides, kind: 'readiness' | 'liveness'): ProbeOverride {
  return (o[kind] ??= {});
}

function setType(r: Reader, label: string, p: ProbeOverride, type: NonNullable<ProbeOverride['type']>): void {
  if (p.type && p.type !== type) {
    r.ctx.diags.error(
      'kompose-label-invalid.probe-type',
      { service: r.svc.name, label, type, set: p.type },
      r.pos(label),
    );
  }
  p.type = type;
}

function subpath(label: string, v: string, o: ServiceOverrides, r: Reader): void {
  const p = v.trim().replace(/^\/+/, '');
  if (!p || p.split('/').includes('..'))
    r.take(label, {
      invalid: `"${v}" is not a relative sub-path`,
      hint: 'use a path inside the volume, e.g. data or pg/data',
    });
  else (o.volumes ??= {}).subpath = p;
}

const HANDLERS: Record<string, Handler> = {
  'kompose.service.type': (v, o, r) => {
    const t = r.take(
      'kompose.service.type',
      V.readEnum(v, ['NodePort', 'ClusterIP', 'LoadBalancer', 'Headless', 'None'] as const),
    );
    if (t) o.serviceType = t;
  },
  'kompose.service.expose': (v, o, r) => {
    const ing = (o.ingress ??= { rules: [], hosts: [] });
    const s = v.trim().toLowerCase();
    if (s === 'false') return void (ing.enabled = false);
    ing.enabled = true;
    for (const item of v
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x && x.toLowerCase() !== 'true')) {
      const slash = item.indexOf('/');
      const host = r.take('kompose.service.expose', V.readHost(slash < 0 ? item : item.slice(0, slash)));
      if (host === undefined) continue;
      ing.rules.push({ host, ...(slash >= 0 ? { path: item.slice(slash) } : {}) });
      if (!ing.hosts.includes(host)) ing.hosts.push(host);
    }
  },
  'kompose.service.expose.path': (v, o, r) => {
    const p = r.take('kompose.service.expose.path', V.readPath(v));
    if (!p) return;
    o.ingress ??= { rules: [], hosts: [] };
    r.defaultPath = p;
  },
  'kompose.service.expose.tls-secret': (v, o, r) => {
    const n = r.take('kompose.service.expose.tls-secret', V.readName(v, 'Secret name'));
    if (n) (o.ingress ??= { rules: [], hosts: [] }).tlsSecret = n;
  },
  'kompose.service.expose.ingress-class-name': (v, o, r) => {
    const n = r.take('kompose.service.expose.ingress-class-name', V.readName(v, 'IngressClass name'));
    if (n) (o.ingress ??= { rules: [], hosts: [] }).className = n;
  },
  'kompose.service.nodeport.port': (v, o, r) => {
    const n = r.take('kompose.service.nodeport.port', V.readInt(v, 1, 65535));
    if (n !== undefined) o.nodePort = n;
  },
  'kompose.service.external-traffic-policy': (v, o, r) => {
    const p = r.take('kompose.service.external-traffic-policy', V.readEnum(v, ['Cluster', 'Local'] as const));
    if (p) o.externalTrafficPolicy = p;
  },
  'kompose.service.group': (v, o, r) => {
    if (v.trim() === '') r.take('kompose.service.group', { invalid: 'the group name is empty' });
    else o.serviceGroup = v.trim();
  },
  'kompose.controller.type': (v, o, r) => {
    const c = r.take(
      'kompose.controller.type',
      V.readEnum(v, ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const, {
        replicationcontroller: 'Deployment' as const,
      }),
    );
    if (!c) return;
    o.controller = c;
    if (v.trim().toLowerCase() === 'replicationcontroller')
      r.ctx.diags.info('kompose-label-approximated', { service: r.svc.name }, r.pos('kompose.controller.type'));
  },
  'kompose.controller.port.expose': (v, o, r) => {
    const b = r.take('kompose.controller.port.expose', V.readBool(v));
    if (b !== undefined) o.hostPorts = b;
  },
  'kompose.image-pull-policy': (v, o, r) => {
    const p = r.take('kompose.image-pull-policy', V.readEnum(v, ['Always', 'IfNotPresent', 'Never'] as const));
    if (p) o.imagePullPolicy = p;
  },
  'kompose.image-pull-secret': (v, o, r) => {
    const names = v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const ok = names
      .map((n) => r.take('kompose.image-pull-secret', V.readName(n, 'Secret name')))
      .filter((n): n is string => !!n);
    if (ok.length) o.imagePullSecrets = ok;
  },
  'kompose.serviceaccount-name': (v, o, r) => {
    const n = r.take('kompose.serviceaccount-name', V.readName(v, 'ServiceAccount name'));
    if (n) o.serviceAccountName = n;
  },
  'kompose.security-context.fsgroup': (v, o, r) => {
    const n = r.take('kompose.security-context.fsgroup', V.readInt(v, 0, 2 ** 31 - 1));
    if (n !== undefined) o.fsGroup = n;
  },
  'kompose.cronjob.schedule': (v, o, r) => {
    const s = r.take('kompose.cronjob.schedule', V.readSchedule(v));
    if (s) o.cron = { ...o.cron, schedule: s };
  },
  'kompose.cronjob.concurrency_policy': (v, o, r) => {
    const read = V.readEnum(v, ['Allow', 'Forbid', 'Replace'] as const);
    const p = r.take<'Allow' | 'Forbid' | 'Replace'>(
      'kompose.cronjob.concurrency_policy',
      V.isInvalid(read) ? { invalid: read.invalid, hint: 'use Allow, Forbid (no overlapping runs) or Replace' } : read,
    );
    if (p) o.cron = { schedule: '', ...o.cron, concurrencyPolicy: p };
  },
  'kompose.cronjob.backoff_limit': (v, o, r) => {
    const n = r.take('kompose.cronjob.backoff_limit', V.readInt(v, 0));
    if (n !== undefined) o.cron = { schedule: '', ...o.cron, backoffLimit: n };
  },
  'kompose.hpa.replicas.min': (v, o, r) => {
    const n = r.take('kompose.hpa.replicas.min', V.readInt(v, 1));
    if (n !== undefined) (o.hpa ??= {}).minReplicas = n;
  },
  'kompose.hpa.replicas.max': (v, o, r) => {
    const n = r.take('kompose.hpa.replicas.max', V.readInt(v, 1));
    if (n !== undefined) (o.hpa ??= {}).maxReplicas = n;
  },
  'kompose.hpa.cpu': (v, o, r) => {
    const n = r.take('kompose.hpa.cpu', V.readPercent(v));
    if (n !== undefined) (o.hpa ??= {}).cpu = n;
  },
  'kompose.hpa.memory': (v, o, r) => {
    const pct = V.readPercent(v);
    const m = V.isInvalid(pct) ? r.take('kompose.hpa.memory', V.readQuantity(v, '512Mi')) : pct;
    if (m !== undefined) (o.hpa ??= {}).memory = m;
  },
  'kompose.volume.size': (v, o, r) => {
    const q = r.take('kompose.volume.size', V.readQuantity(v));
    if (q) (o.volumes ??= {}).size = q;
  },
  'kompose.volume.storage-class-name': (v, o, r) => {
    const n = r.take('kompose.volume.storage-class-name', V.readName(v, 'StorageClass name'));
    if (n) (o.volumes ??= {}).storageClass = n;
  },
  'kompose.volume.type': (v, o, r) => {
    const t = r.take(
      'kompose.volume.type',
      V.readEnum(v, ['persistentVolumeClaim', 'emptyDir', 'hostPath', 'configMap'] as const),
    );
    if (t) (o.volumes ??= {}).type = t;
  },
  'kompose.volume.subpath': (v, o, r) => subpath('kompose.volume.subpath', v, o, r),
  'kompose.volume.sub-path': (v, o, r) => subpath('kompose.volume.sub-path', v, o, r),
  'kompose.ephemeral-storage.request': (v, o, r) => {
    const q = r.take('kompose.ephemeral-storage.request', V.readQuantity(v));
    if (q) ((o.resources ??= {}).requests ??= {}).ephemeralStorage = q;
  },
  'kompose.ephemeral-storage.limit': (v, o, r) => {
    const q = r.take('kompose.ephemeral-storage.limit', V.readQuantity(v));
    if (q) ((o.resources ??= {}).limits ??= {}).ephemeralStorage = q;
  },
  [HTTP_LABEL]: (v, o, r) => {
    const b = r.take(HTTP_LABEL, V.readBool(v));
    if (b !== undefined) o.http = b;
  },
};

for (const kind of ['readiness', 'liveness'] as const) {
  const L = (s: string) => `kompose.service.healthcheck.${kind}.${s}`;
  HANDLERS[L('disable')] = (v, o, r) => {
    const b = r.take(L('disable'), V.readBool(v));
    if (b !== undefined) probe(o, kind).disabled = b;
  };
  HANDLERS[L('test')] = (v, o, r) => {
    const c = r.take(L('test'), V.readCommand(v));
    if (!c) return;
    setType(r, L('test'), probe(o, kind), 'exec');
    probe(o, kind).command = c;
  };
  HANDLERS[L('http_get_path')] = (v, o, r) => {
    const p = r.take(L('http_get_path'), V.readPath(v));
    if (!p) return;
    setType(r, L('http_get_path'), probe(o, kind), 'http');
    probe(o, kind).path = p;
  };
  HANDLERS[L('http_get_port')] = (v, o, r) => {
    const n = r.take(L('http_get_port'), V.readInt(v, 1, 65535));
    if (n === undefined) return;
    setType(r, L('http_get_port'), probe(o, kind), 'http');
    probe(o, kind).port = n;
  };
  HANDLERS[L('tcp_port')] = (v, o, r) => {
    const n = r.take(L('tcp_port'), V.readInt(v, 1, 65535));
    if (n === undefined) return;
    setType(r, L('tcp_port'), probe(o, kind), 'tcp');
    probe(o, kind).port = n;
  };
  const timing = (suffix: string, field: 'periodSeconds' | 'timeoutSeconds' | 'initialDelaySeconds') => {
    HANDLERS[L(suffix)] = (v, o, r) => {
      const n = r.take(L(suffix), V.readSeconds(v));
      if (n !== undefined) probe(o, kind)[field] = field === 'initialDelaySeconds' ? n : Math.max(1, n);
    };
  };
  timing('interval', 'periodSeconds');
  timing('timeout', 'timeoutSeconds');
  timing('start_period', 'initialDelaySeconds');
  HANDLERS[L('retries')] = (v, o, r) => {
    const n = r.take(L('retries'), V.readInt(v, 1));
    if (n !== undefined) probe(o, kind).failureThreshold = n;
  };
}

const INIT = [
  'kompose.init.containers.name',
  'kompose.init.containers.image',
  'kompose.init.containers.command',
] as const;

export function komposeServiceOverrides(ctx: ConvertContext, svc: Service): ServiceOverrides {
  // deploy.labels first, service labels on top (they win for the same key).
  const labels: Record<string, string> = {};
  const where = new Map<string, string[]>();
  for (const [k, v] of Object.entries(svc.deploy?.labels ?? {})) {
    labels[k] = v;
    where.set(k, ['deploy', 'labels']);
  }
  for (const [k, v] of Object.entries(svc.labels)) {
    labels[k] = v;
    where.set(k, ['labels']);
  }
  const r = new Reader(ctx, svc, where);
  const o: ServiceOverrides = {};
  for (const [k, v] of Object.entries(labels)) {
    const h = HANDLERS[k];
    if (h) h(v, o, r);
    else if (
      k.startsWith('kompose.') &&
      !GENERATED.has(k) &&
      !(INIT as readonly string[]).includes(k) &&
      k !== 'kompose.volume.selector'
    ) {
      const near = komposeLabelNear(k);
      if (near) ctx.diags.warn('kompose-label-unknown.near', { service: svc.name, label: k, near }, r.pos(k));
      else ctx.diags.warn('kompose-label-unknown', { service: svc.name, label: k }, r.pos(k));
    }
  }
  initContainer(labels, o, r);
  finish(o, r);
  return o;
}

function initContainer(labels: Record<string, string>, o: ServiceOverrides, r: Reader): void {
  const [nameL, imageL, commandL] = INIT;
  if (!INIT.some((l) => l in labels)) return;
  const image = labels[imageL]?.trim();
  if (!image) {
    r.take(
      INIT.find((l) => l in labels)!,
      { invalid: `${imageL} is missing`, hint: `add ${imageL}: <image> (e.g. busybox:1.36)` },
    );
    return;
  }
  const name =
    labels[nameL] !== undefined
      ? r.take(nameL, V.readName(labels[nameL], 'container name', 'label'))
      : dns1123Label(`init-${r.svc.name}`);
  const command = labels[commandL] !== undefined ? r.take(commandL, V.readCommand(labels[commandL])) : undefined;
  if (name === undefined || (labels[commandL] !== undefined && !command)) return;
  o.initContainers = [{ name, image, ...(command ? { command } : {}) }];
}

/** Cross-label checks once every label is read. */
function finish(o: ServiceOverrides, r: Reader): void {
  if (o.nodePort !== undefined && o.serviceType === undefined) o.serviceType = 'NodePort';
  if (o.cron && !o.cron.schedule) {
    const first = ['kompose.cronjob.concurrency_policy', 'kompose.cronjob.backoff_limit'].find((l) => r.where.has(l))!;
    r.take(first, {
      invalid: 'kompose.cronjob.schedule is missing',
      hint: 'add kompose.cronjob.schedule: "<cron expression>"',
    });
    delete o.cron;
  }
  const h = o.hpa;
  if (h?.minReplicas !== undefined && h.maxReplicas !== undefined && h.minReplicas > h.maxReplicas) {
    r.take('kompose.hpa.replicas.max', { invalid: `max ${h.maxReplicas} is below min ${h.minReplicas}` });
    delete h.maxReplicas;
  }
  // kompose builds the Ingress only for a Service that is not a LoadBalancer (kompose Transform: CreateLBService,
  // else CreateService and initIngress): the label does nothing beside a LoadBalancer type, here as there.
  if (o.serviceType === 'LoadBalancer' && o.ingress?.enabled) {
    o.ingress.enabled = false;
    o.ingress.besideLoadBalancer = true;
  }
  const path = r.defaultPath;
  if (o.ingress && path) {
    o.ingress.rules = o.ingress.rules.length
      ? o.ingress.rules.map((x) => ({ ...x, path: x.path ?? path }))
      : [{ path }];
  }
}

export function komposeVolumeOverrides(ctx: ConvertContext, name: string, vol: VolumeConfig): VolumeOverrides {
  const o: VolumeOverrides = {};
  const labels = vol.labels ?? {};
  const err = (k: string, e: V.Invalid) => {
    rejectSetting(ctx, undefined, `volumes.${name}.labels.${k}`, e.invalid, e.hint);
    const at = labelPos(ctx, ['volumes', name, 'labels'], k);
    const values = { volume: name, label: k, reason: e.invalid };
    if (e.hint) ctx.diags.error('kompose-label-invalid.volume-hint', { ...values, hint: e.hint }, at);
    else ctx.diags.error('kompose-label-invalid.volume', values, at);
  };
  for (const [k, v] of Object.entries(labels)) {
    if (k === 'kompose.volume.size') {
      const q = V.readQuantity(v);
      if (V.isInvalid(q)) err(k, q);
      else o.size = q;
    } else if (k === 'kompose.volume.storage-class-name') {
      const n = V.readName(v, 'StorageClass name');
      if (V.isInvalid(n)) err(k, n);
      else o.storageClass = n;
    } else if (k === 'kompose.volume.selector') {
      if (v.trim()) o.selector = v.trim();
    } else if (k.startsWith('kompose.')) {
      ctx.diags.warn(
        'kompose-label-unknown.volume',
        { volume: name, label: k },
        labelPos(ctx, ['volumes', name, 'labels'], k),
      );
    }
  }
  return o;
}

/** Every service label with a reader here (the table test checks KOMPOSE_LABELS against it). */
export const KOMPOSE_HANDLED: readonly string[] = [...Object.keys(HANDLERS), ...INIT];

/** The supported service label an unknown `kompose.*` label is likely a misspelling of (`kompose.volume.sizee`). */
export function komposeLabelNear(label: string): string | undefined {
  return nearest(
    label,
    KOMPOSE_HANDLED.filter((l) => l.startsWith('kompose.')),
  );
}
