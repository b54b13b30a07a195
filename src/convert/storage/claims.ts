/**
 * PersistentVolumeClaims for named volumes and for bind-mounted data directories. Access mode is
 * ReadWriteOnce unless more than one pod mounts the claim (two workloads, several replicas, a
 * DaemonSet): then ReadWriteMany, which needs a storage class that supports it.
 * For a StatefulSet whose claim is its own, a volumeClaimTemplate replaces the PVC (one per replica).
 */
import type { PersistentVolumeClaim, PodAffinityTerm, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import { addPodVolume, type PodPlan } from '../plan/pod.js';
import {
  claimSettings,
  projectOverrides,
  serviceOverrides,
  volumeOverrides,
  type AccessMode,
} from '../intent/overrides.js';

const isGlobal = (svc: Service): boolean => svc.deploy?.mode === 'global' || svc.deploy?.mode === 'global-job';

/** Number of pods that can run at once for a service (replicas; `global` counts as many). */
function podCount(svc: Service): number {
  if (isGlobal(svc)) return 2;
  return svc.deploy?.replicas ?? svc.scale ?? 1;
}

/**
 * Pods sharing a ReadWriteOnce claim must run on the node it is attached to: every pod but the anchor (the first
 * long-running one by name) requires to be scheduled next to the anchor's pods (it schedules freely and the
 * claim follows it).
 */
function coLocate(ctx: ConvertContext, plan: PodPlan, anchor: string): void {
  if (plan.services.some((s) => s.name === anchor)) return;
  const term: PodAffinityTerm = {
    labelSelector: { matchLabels: ctx.selector(anchor) },
    topologyKey: 'kubernetes.io/hostname',
  };
  const aff = ((plan.spec.affinity ??= {}).podAffinity ??= {});
  const req = (aff.requiredDuringSchedulingIgnoredDuringExecution ??= []);
  if (!req.some((t) => JSON.stringify(t) === JSON.stringify(term))) req.push(term);
}

export { volumesFromSource } from '../facts.js';
import { FactKey } from '../facts.js';
import { chooseKind } from '../plan/plan.js';
import { LONG_RUNNING } from '../../kube/workloads.js';

/**
 * Pods (by root service) that mount the named volume or host path `source` — directly, or through
 * `volumes_from` of a service that mounts it — and whether any of them has several replicas.
 */
export function mounters(ctx: ConvertContext, type: 'volume' | 'bind', source: string): Mounters {
  const known = ctx.facts.get(MOUNTERS, () => new Map());
  const k = `${type}\0${source}`;
  let hit = known.get(k);
  if (!hit) known.set(k, (hit = findMounters(ctx, type, source)));
  return hit;
}

/** The pods (root service names, sorted) mounting a source; multi: one has several replicas; global: a DaemonSet. */
export interface Mounters {
  readonly pods: readonly string[];
  readonly multi: boolean;
  readonly global: boolean;
}

/** Who mounts each volume or host path, found once per source. */
const MOUNTERS = new FactKey<Map<string, Mounters>>('mounters');

/** Each source's mounting pods, long-running ones first (then by name): computed once per source, not per mount. */
const ANCHOR_ORDER = new FactKey<Map<Mounters, readonly string[]>>('mounters by anchor order');

/** The pods of `shared`, the one the others follow first: a long-running one (by name), not a finishing Job. */
function anchorOrder(ctx: ConvertContext, shared: Mounters): readonly string[] {
  const known = ctx.facts.get(ANCHOR_ORDER, () => new Map());
  let hit = known.get(shared);
  if (!hit) {
    const services = ctx.project.services;
    const finishes = (name: string): number => Number(!LONG_RUNNING.has(chooseKind(ctx, services[name]!)));
    known.set(shared, (hit = [...shared.pods].sort((a, b) => finishes(a) - finishes(b))));
  }
  return hit;
}

function findMounters(ctx: ConvertContext, type: 'volume' | 'bind', source: string): Mounters {
  const services = ctx.project.services;
  const pods = new Set<string>();
  let multi = false;
  let global = false;
  const users = ctx.index.usersOf(type, source);
  for (const svc of [...users, ...users.flatMap((u) => ctx.index.borrowersOf(u.name))]) {
    const root = ctx.index.ownerOf(svc.name);
    pods.add(root);
    if (podCount(services[root] ?? svc) > 1) multi = true;
    if (isGlobal(services[root] ?? svc)) global = true;
  }
  return { pods: [...pods].sort(), multi, global };
}

export interface ClaimRequest {
  /** Identity of the claim source (same source → same claim). */
  identity: string;
  /** Top-level volume name (for its x-k8s/kompose settings); absent for bind data dirs. */
  volume?: string;
  /** The service mounting it (for its storage settings). */
  service: Service;
  /** Wanted name (sanitized). */
  proposed: string;
  /** Pods mounting it across the project. */
  shared: Mounters;
  labels: Record<string, string>;
}

export interface ClaimResult {
  name: string;
  accessMode: AccessMode;
  /** True when the access mode came from x-k8s/labels rather than from how the claim is shared. */
  explicitMode: boolean;
  /** `PersistentVolumeClaim/x`, or a note that it is a StatefulSet template. */
  objects: string[];
  template: boolean;
  /** Requested size. */
  size: string;
  /** True the first time this claim is produced (report project-level facts once). */
  created: boolean;
  /** The pods a shared ReadWriteOnce claim keeps on one node (pod affinity), when it does. */
  colocatedWith?: readonly string[];
}

/** Emit (once) or template the claim and mount it in `mount.name`'s pod volume. */
export function claim(ctx: ConvertContext, plan: PodPlan, req: ClaimRequest): ClaimResult {
  const name = ctx.names.get('pvc', req.identity, 63, req.proposed);
  const onePod = req.shared.pods.length <= 1;
  const template = plan.kind === 'StatefulSet' && onePod;
  const multi = !template && (req.shared.multi || plan.kind === 'DaemonSet');
  // Several pods, each with one replica: one ReadWriteOnce claim serves them all when they run on one node
  // (pod affinity below), which every StorageClass provides; ReadWriteMany only with --shared-volumes rwx.
  const colocate = !onePod && !req.shared.global && ctx.options.sharedVolumes === 'rwo';
  const many = (!onePod && !colocate) || multi;
  const settings = claimSettings(ctx, req.volume, req.service);
  const explicit =
    (req.volume !== undefined ? volumeOverrides(ctx, req.volume).accessMode : undefined) ??
    serviceOverrides(ctx, req.service).volumes?.accessMode ??
    projectOverrides(ctx).storage?.accessMode;
  const accessMode: AccessMode = explicit ?? (many ? 'ReadWriteMany' : 'ReadWriteOnce');
  // The pod the others follow must stay: a long-running one (by name), not a Job that finishes and is deleted.
  const anchor = colocate && !many && accessMode !== 'ReadWriteMany' ? anchorOrder(ctx, req.shared)[0] : undefined;
  if (anchor !== undefined) coLocate(ctx, plan, anchor);
  const pvc: { spec: NonNullable<PersistentVolumeClaim['spec']> } = {
    spec: {
      accessModes: [accessMode],
      ...(settings.storageClass ? { storageClassName: settings.storageClass } : {}),
      ...(settings.selector ? { selector: { matchLabels: { 'io.kompose.service': settings.selector } } } : {}),
      resources: { requests: { storage: settings.size } },
    },
  };
  const shared = anchor !== undefined ? { colocatedWith: anchorOrder(ctx, req.shared) } : {};
  if (template) {
    const created = !plan.volumeClaimTemplates.some((t) => t.metadata?.name === name);
    if (created) plan.volumeClaimTemplates.push({ metadata: { name, labels: req.labels }, ...pvc });
    return {
      name,
      accessMode,
      explicitMode: explicit !== undefined,
      size: settings.size,
      objects: [`StatefulSet/${plan.name}`],
      template,
      created,
      ...shared,
    };
  }
  const created = !ctx.find('PersistentVolumeClaim', name);
  if (created) {
    const obj: PersistentVolumeClaim & KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: ctx.meta(name, req.labels),
      ...pvc,
    };
    ctx.emit(obj);
  }
  if (accessMode === 'ReadWriteOnce' || accessMode === 'ReadWriteOncePod') plan.mountsRwoClaim = true;
  return {
    name,
    accessMode,
    explicitMode: explicit !== undefined,
    size: settings.size,
    objects: [`PersistentVolumeClaim/${name}`],
    template,
    created,
    ...shared,
  };
}

/**
 * Add a pod volume under a free name: the same definition under the same name is reused; a
 * different one gets `-2`, `-3`... Returns the name used.
 */
export function addVolume(plan: PodPlan, volume: Volume): string {
  const vols = plan.spec.volumes ?? [];
  const same = (a: Volume, b: Volume): boolean =>
    JSON.stringify({ ...a, name: '' }) === JSON.stringify({ ...b, name: '' });
  let name = volume.name;
  for (let i = 2; ; i++) {
    const hit = vols.find((v) => v.name === name);
    if (!hit) break;
    if (same(hit, volume)) return name;
    const suffix = `-${i}`;
    name = volume.name.slice(0, 63 - suffix.length).replace(/-+$/g, '') + suffix;
  }
  addPodVolume(plan, { ...volume, name });
  return name;
}

export function mountOf(name: string, v: ServiceVolume, extra: Partial<VolumeMount> = {}): VolumeMount {
  return {
    name,
    mountPath: v.target,
    ...(v.read_only ? { readOnly: true } : {}),
    ...(v.volume?.subpath ? { subPath: v.volume.subpath } : {}),
    ...extra,
  };
}
