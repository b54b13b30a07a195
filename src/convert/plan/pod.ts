/**
 * The unit the concern modules work on: one Pod template (one workload) built from one or more
 * compose services (a main service plus sidecars joined through `network_mode: service:X`).
 *
 * Pipeline (src/convert/index.ts): plan pods → for each service of each pod, build its container
 * and let each concern module add to the container / pod spec (and emit ConfigMaps, Secrets,
 * PVCs...) → wrap the pod in its controller → Services → Ingress → project-wide objects
 * (NetworkPolicies) → pitfall lint → report coverage from mappings/.
 */
import type { Container, PodSpec, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';

import type { ControllerKind } from '../../kube/workloads.js';
import type { Segment } from '../../model/pointer.js';
import type { OutcomeId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
export type { ControllerKind } from '../../kube/workloads.js';

export interface PodPlan {
  /** DNS-1123 name of the workload (= ctx.serviceName(main)). */
  name: string;
  main: Service;
  /** All services in the pod, main first. */
  services: Service[];
  kind: ControllerKind;
  replicas: number;
  /** Pod spec under construction; `containers` filled in service order. */
  spec: PodSpec & { containers: Container[] };
  /** Container per compose service name. */
  containers: Map<string, Container>;
  /** Extra Pod labels (e.g. network membership) and annotations (compose container labels). */
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  /** StatefulSet claim templates (storage adds them when kind is StatefulSet). */
  volumeClaimTemplates: PersistentVolumeClaim[];
  /** True when the pod mounts a ReadWriteOnce PVC: a Deployment then uses strategy Recreate. */
  mountsRwoClaim: boolean;
  /** CronJob only: the cron schedule. */
  schedule?: string;
  /** Job/CronJob only: retries before the Job fails. */
  backoffLimit?: number;
  /** CronJob only. */
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** Job only: delete the finished Job after this many seconds (unset when a service waits for it). */
  ttlSecondsAfterFinished?: number;
  /**
   * Job/CronJob pods with restartPolicy Never: init containers whose failure only means "not yet" (a wait for a
   * Job that has not completed). The kubelet does not restart them under Never, so the Job's podFailurePolicy
   * ignores their failure: a new pod, not a failed run counted against backoffLimit.
   */
  retriedInits?: string[];
}

/** The pod plan of each service, indexed once (a search per service would be quadratic; a service is in one pod). */
export function plansByService(plans: readonly PodPlan[]): Map<string, PodPlan> {
  return new Map(plans.flatMap((p) => p.services.map((s) => [s.name, p] as const)));
}

/** Resolve `host` to `ip` in the pod (its /etc/hosts): one hostAliases entry per address, each name once. */
export function addHostAlias(spec: PodSpec, ip: string, host: string): void {
  const aliases = (spec.hostAliases ??= []);
  let a = aliases.find((x) => x.ip === ip);
  if (!a) aliases.push((a = { ip, hostnames: [] }));
  if (!a.hostnames!.includes(host)) a.hostnames!.push(host);
}

/** Add a volume to the pod once (same name → kept once). */
export function addPodVolume(plan: PodPlan, volume: NonNullable<PodSpec['volumes']>[number]): void {
  const vols = (plan.spec.volumes ??= []);
  if (!vols.some((v) => v.name === volume.name)) vols.push(volume);
}

/** The controller of a pod and why (plan/controller.ts decideKind). */
export interface KindDecision {
  kind: ControllerKind;
  /** Why this kind, for the report: the `controller` item's outcome (plan.ts adds `kind` and `ttl`). */
  id: OutcomeId;
  values?: Values;
  /** Where the deciding setting is, below `services.<main>`. */
  at?: Segment[];
}
