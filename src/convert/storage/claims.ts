/**
 * PersistentVolumeClaims for named volumes and for bind-mounted data directories. Access mode is
 * ReadWriteOnce; pods sharing one (two workloads, several replicas) are kept on one node, as one Docker host shares
 * it. ReadWriteMany, which needs a storage class that supports it, where they cannot be (a DaemonSet, replicas kept
 * on distinct nodes) or under --shared-volumes rwx.
 * For a StatefulSet whose claim is its own, a volumeClaimTemplate replaces the PVC (one per replica).
 */
import type { PersistentVolumeClaim, PodAffinityTerm, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import { addPodVolume, type PodPlan } from '../plan/pod.js';
import { isInside } from '../../util/path.js';
import { composeReplicas } from '../../model/replicas.js';
import { folderDataImage } from './bind-files.js';
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
  return composeReplicas(svc);
}

/** Replicas that must run on distinct nodes (`max_replicas_per_node: 1` becomes a required pod anti-affinity). */
const spreadOut = (svc: Service): boolean => podCount(svc) > 1 && svc.deploy?.placement?.max_replicas_per_node === 1;

/** The pods sharing a claim, as the report names them: `loki (3 replicas)` for a replicated one. */
export function podList(ctx: ConvertContext, pods: readonly string[]): string {
  return pods
    .map((p) => {
      const svc = ctx.project.services[p];
      const n = svc && !isGlobal(svc) ? composeReplicas(svc) : 1;
      return n > 1 ? `${p} (${n} replicas)` : p;
    })
    .join(', ');
}

/** Pod label prefix of the pods kept on one node for the claims they share: `compose2k8s.io/claims-<first pod>`. */
export const CLAIM_LABEL_PREFIX = 'compose2k8s.io/claims-';

/** Each pod (root service) that shares a claim with another → the first pod (by name) of its group. */
const GROUPS = new FactKey<Map<string, string>>();

/**
 * The pods that must share one node, found once: pods linked by a volume or a project directory they mount
 * together (with all their replicas) through any chain (a pod sharing one claim with a second pod and another with a
 * third links all three). One label per group, not per claim: two pods that each share a claim with a third but
 * nothing with each other would otherwise both schedule freely, on two nodes, and leave the third Pending.
 */
function groups(ctx: ConvertContext): Map<string, string> {
  return ctx.facts.get(GROUPS, () => {
    // Union-find (path compression, the smallest name as root): linear in the pods however the volumes chain them.
    const parent = new Map<string, string>();
    const find = (p: string): string => {
      let r = p;
      while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
      for (let q = p; q !== r;) {
        const next = parent.get(q)!;
        parent.set(q, r);
        q = next;
      }
      return r;
    };
    const join = (a: string, b: string): void => {
      const [x, y] = [find(a), find(b)].sort() as [string, string];
      parent.set(x, x);
      if (x !== y) parent.set(y, x);
    };
    const seen = new Set<string>();
    for (const svc of Object.values(ctx.project.services))
      for (const v of svc.volumes) {
        if ((v.type !== 'volume' && v.type !== 'bind') || !v.source) continue;
        // Once per volume: its pods are joined together, whichever of them mounts it next.
        if (seen.has(`${v.type}\0${v.source}`)) continue;
        seen.add(`${v.type}\0${v.source}`);
        // Configuration copied into each pod's ConfigMap ties no pod to another's node (grafana-loki's ./config).
        if (v.type === 'bind' && copiedInput(ctx, v.source)) continue;
        const m = mounters(ctx, v.type, v.source);
        if (m.pods.length > 1 && !m.apart) for (const p of m.pods) join(m.pods[0]!, p);
      }
    return new Map([...parent.keys()].map((p) => [p, find(p)]));
  });
}

/**
 * True when no mount of project path `src` becomes a claim: an existing file (a ConfigMap or Secret), or an existing
 * folder that is no mounter's data directory (folderDataImage), with no storage type asked for. Each pod gets its
 * copy, so sharing it keeps no pods together.
 */
function copiedInput(ctx: ConvertContext, src: string): boolean {
  const fs = ctx.fs;
  if (!fs || !isInside(ctx.project.workingDir, src)) return false;
  const file = fs.readFile(src) !== undefined;
  if (!file && !fs.isDirectory(src)) return false;
  return ctx.index
    .usersOf('bind', src)
    .every(
      (u) =>
        serviceOverrides(ctx, u).volumes?.type === undefined &&
        (file || u.volumes.every((v) => v.type !== 'bind' || v.source !== src || !folderDataImage(ctx, u, v, src))),
    );
}

/** The pod label key of the pods kept on one node with `plan`'s pod (sanitized and unique within 63 characters). */
function groupLabelKey(ctx: ConvertContext, plan: PodPlan): string {
  const first = groups(ctx).get(plan.main.name) ?? plan.main.name;
  return CLAIM_LABEL_PREFIX + ctx.names.get('claims-label', first, 63 - 'claims-'.length, first);
}

/**
 * Pods sharing a ReadWriteOnce claim must run on the node it is attached to: every one of them (none is left free
 * to move away from the others) carries its group's label and requires to be scheduled next to pods with that
 * label. The first one to schedule matches its own term, so it schedules freely and the claims follow it.
 * Returns the label key.
 */
function coLocate(ctx: ConvertContext, plan: PodPlan): string {
  const key = groupLabelKey(ctx, plan);
  plan.podLabels[key] = 'true';
  const term: PodAffinityTerm = {
    labelSelector: { matchLabels: { [key]: 'true' } },
    topologyKey: 'kubernetes.io/hostname',
  };
  const aff = ((plan.spec.affinity ??= {}).podAffinity ??= {});
  const req = (aff.requiredDuringSchedulingIgnoredDuringExecution ??= []);
  if (!req.some((t) => JSON.stringify(t) === JSON.stringify(term))) req.push(term);
  return key;
}

/**
 * How the pods mounting one claim share it, given the pod `plan` mounting it now: `alone` (one pod, one replica),
 * `together` (several pods or replicas, kept on one node by coLocate as on one Docker host: one ReadWriteOnce claim
 * serves them, which every StorageClass provides) or `many` (a DaemonSet, replicas required on distinct nodes, or
 * several pods under --shared-volumes rwx: they run on several nodes, so the claim must be ReadWriteMany).
 */
export function sharing(ctx: ConvertContext, plan: PodPlan, shared: Mounters): 'alone' | 'together' | 'many' {
  if (shared.apart || plan.kind === 'DaemonSet') return 'many';
  if (shared.pods.length <= 1 && !shared.multi) return 'alone';
  return ctx.options.sharedVolumes === 'rwo' ? 'together' : 'many';
}

/**
 * An existing claim (an external volume) mounted by `plan`: unless x-k8s or a label declares its access mode, it is
 * unknown, so pods sharing it are kept on one node as a ReadWriteOnce claim needs (unless they cannot be: replicas,
 * a DaemonSet, --shared-volumes rwx). A claim declared ReadWriteMany keeps no pod on a node, as an emitted one.
 * Returns how it is shared and, when kept together, the pod label.
 */
export function shareExisting(
  ctx: ConvertContext,
  plan: PodPlan,
  shared: Mounters,
  declared: AccessMode | undefined,
): { how: 'alone' | 'together' | 'many'; label?: string } {
  const how = sharing(ctx, plan, shared);
  return how === 'together' && declared !== 'ReadWriteMany' ? { how, label: coLocate(ctx, plan) } : { how };
}

/** The access mode x-k8s or a label sets for a claim: the volume's, else the service's, else the project's. */
export function declaredAccessMode(
  ctx: ConvertContext,
  volume: string | undefined,
  svc: Service,
): AccessMode | undefined {
  return (
    (volume !== undefined ? volumeOverrides(ctx, volume).accessMode : undefined) ??
    serviceOverrides(ctx, svc).volumes?.accessMode ??
    projectOverrides(ctx).storage?.accessMode
  );
}

export { volumesFromSource } from '../facts.js';
import { FactKey } from '../facts.js';

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

/**
 * The pods (root service names, sorted) mounting a source; multi: one has several replicas; apart: one runs on
 * several nodes whatever else (a DaemonSet, or replicas required on distinct nodes).
 */
export interface Mounters {
  readonly pods: readonly string[];
  readonly multi: boolean;
  readonly apart: boolean;
}

/** Who mounts each volume or host path, found once per source. */
const MOUNTERS = new FactKey<Map<string, Mounters>>();

function findMounters(ctx: ConvertContext, type: 'volume' | 'bind', source: string): Mounters {
  const users = ctx.index.usersOf(type, source);
  const each = [...users, ...users.flatMap((u) => ctx.index.borrowersOf(u.name))].map((u) => ownMounters(ctx, u));
  return {
    pods: [...new Set(each.flatMap((m) => m.pods))].sort(),
    multi: each.some((m) => m.multi),
    apart: each.some((m) => m.apart),
  };
}

/** The pod of `svc` as the only mounter (a volume of its own, such as an anonymous one). */
export function ownMounters(ctx: ConvertContext, svc: Service): Mounters {
  const root = ctx.project.services[ctx.index.ownerOf(svc.name)] ?? svc;
  return { pods: [root.name], multi: podCount(root) > 1, apart: isGlobal(root) || spreadOut(root) };
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
  /** The pod volume to mount: the claim's, or the template's name. */
  volume: string;
  /** What the claim is, as the report names it. */
  kind: 'volumeClaimTemplate' | 'PersistentVolumeClaim';
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
  /** The pods a shared ReadWriteOnce claim keeps on one node (pod affinity), when it does, and their label. */
  colocated?: { pods: readonly string[]; label: string };
}

/** Emit (once) or template the claim, and add the pod volume that mounts it. */
export function claim(ctx: ConvertContext, plan: PodPlan, req: ClaimRequest): ClaimResult {
  const name = ctx.names.get('pvc', req.identity, 63, req.proposed);
  const how = sharing(ctx, plan, req.shared);
  const template = plan.kind === 'StatefulSet' && req.shared.pods.length <= 1;
  // Several pods or replicas: one ReadWriteOnce claim serves them all when they run on one node (pod affinity,
  // coLocate), which every StorageClass provides; ReadWriteMany only where they cannot, or with --shared-volumes rwx.
  const many = how === 'many' && !template;
  const settings = claimSettings(ctx, req.volume, req.service);
  const explicit = declaredAccessMode(ctx, req.volume, req.service);
  const accessMode: AccessMode = explicit ?? (many ? 'ReadWriteMany' : 'ReadWriteOnce');
  // A volumeClaimTemplate gives each replica its own claim: nothing to keep together.
  const label = how === 'together' && !template && accessMode !== 'ReadWriteMany' ? coLocate(ctx, plan) : undefined;
  const pvc: { spec: NonNullable<PersistentVolumeClaim['spec']> } = {
    spec: {
      accessModes: [accessMode],
      ...(settings.storageClass ? { storageClassName: settings.storageClass } : {}),
      ...(settings.selector ? { selector: { matchLabels: { 'io.kompose.service': settings.selector } } } : {}),
      resources: { requests: { storage: settings.size } },
    },
  };
  const shared = label !== undefined ? { colocated: { pods: req.shared.pods, label } } : {};
  let created: boolean;
  if (template) {
    created = !plan.volumeClaimTemplates.some((t) => t.metadata?.name === name);
    if (created) plan.volumeClaimTemplates.push({ metadata: { name, labels: req.labels }, ...pvc });
  } else {
    created = !ctx.find('PersistentVolumeClaim', name);
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
  }
  return {
    name,
    // A claim template needs no pod volume: the StatefulSet gives each replica's pod its own claim under its name.
    volume: template ? name : addVolume(plan, { name, persistentVolumeClaim: { claimName: name } }),
    kind: template ? 'volumeClaimTemplate' : 'PersistentVolumeClaim',
    accessMode,
    explicitMode: explicit !== undefined,
    size: settings.size,
    objects: [template ? `StatefulSet/${plan.name}` : `PersistentVolumeClaim/${name}`],
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
