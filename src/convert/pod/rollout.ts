/**
 * `deploy.update_config` → how the controller replaces pods on an update, reported under
 * `deploy.update_config`:
 *
 * - Deployment: `strategy.rollingUpdate`. stop-first (the default) → maxSurge 0, maxUnavailable =
 *   parallelism; start-first → maxSurge = parallelism, maxUnavailable 0; parallelism 0 (all at once)
 *   → 100%. A pod mounting a ReadWriteOnce claim gets strategy Recreate instead (old and new pods
 *   cannot share the claim), which overrides update_config; so does a hostNetwork pod (a new pod beside the
 *   old one could not bind its ports on the node).
 * - StatefulSet: `updateStrategy: RollingUpdate` always; pods are replaced in place, one at a time
 *   (parallelism → `rollingUpdate.maxUnavailable`, honoured only with the MaxUnavailableStatefulSet
 *   feature gate); start-first cannot apply (the replacement has the same name and claim).
 * - DaemonSet: `updateStrategy.rollingUpdate` like a Deployment; start-first falls back to stop-first
 *   when the pod binds host ports (old and new pod on a node would clash).
 * - A Deployment whose pod binds host ports (kompose.controller.port.expose, x-k8s hostPorts) does not surge
 *   either: a surge pod cannot be scheduled on a node where the old pod holds the port (on a one-node cluster,
 *   or once every node has one), and the rollout hangs. start-first falls back to stop-first; without
 *   update_config it gets maxSurge 0, maxUnavailable 1 instead of the Kubernetes default (25% surge).
 * - `delay` → minReadySeconds (a new pod must stay ready that long before the next batch);
 *   `monitor`, `max_failure_ratio` and `failure_action` rollback/continue have no equivalent: Kubernetes
 *   stops a failing rollout (progressDeadlineSeconds) but never rolls back by itself.
 */
import type {
  DaemonSetUpdateStrategy,
  DeploymentStrategy,
  StatefulSetUpdateStrategy,
} from 'kubernetes-types/apps/v1.js';
import type { UpdateConfig } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import type { OutcomeId, PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import { LONG_RUNNING } from '../../kube/workloads.js';

export interface Rollout {
  /** Deployment `spec.strategy`. */
  strategy?: DeploymentStrategy;
  /** StatefulSet / DaemonSet `spec.updateStrategy`. */
  updateStrategy?: StatefulSetUpdateStrategy | DaemonSetUpdateStrategy;
  minReadySeconds?: number;
}

type Batch = number | string;

function batchOf(u: UpdateConfig): Batch {
  return u.parallelism === 0 ? '100%' : (u.parallelism ?? 1);
}

/** `delay` in whole seconds, the minReadySeconds it becomes (none for no delay). */
function minReadyOf(u: UpdateConfig): number | undefined {
  return u.delay ? Math.ceil(u.delay / 1000) : undefined;
}

function usesHostPorts(plan: PodPlan): boolean {
  return (
    plan.spec.hostNetwork === true ||
    plan.spec.containers.some((c) => (c.ports ?? []).some((p) => p.hostPort !== undefined))
  );
}

/**
 * The notes of a partial conversion are phrases of report.yaml, each led by `; `, one placeholder each
 * (`{~delay}{~monitor}...`): this one where a note does not apply.
 */
const NONE: PhraseId = 'rollout.none';

/**
 * The notes every controller shares, as note values: `delay` when it becomes minReadySeconds (the phrase `delay`),
 * then the settings with no Kubernetes field, each with the reason.
 */
function commonNotes(u: UpdateConfig, minReady: number | undefined, delay: PhraseId): Values {
  return {
    ...(minReady ? { delay, delaySeconds: u.delay! / 1000, minReady } : { delay: NONE }),
    monitor: u.monitor !== undefined ? 'rollout.monitor' : NONE,
    ...(u.monitor !== undefined ? { monitorSeconds: u.monitor / 1000 } : {}),
    ratio: u.max_failure_ratio !== undefined ? 'rollout.max-failure-ratio' : NONE,
    failure:
      u.failure_action === 'rollback'
        ? 'rollout.rollback'
        : u.failure_action === 'continue'
          ? 'rollout.continue'
          : NONE,
  };
}

const NOTES = ['delay', 'monitor', 'ratio', 'failure', 'order', 'parallel'] as const;

/** Whether any note applies. */
function anyNote(notes: Values): boolean {
  return NOTES.some((k) => notes[k] !== undefined && notes[k] !== NONE);
}

type Rec = (id: OutcomeId, values?: Values) => void;

export function rollout(ctx: ConvertContext, plan: PodPlan): Rollout {
  const u = plan.main.deploy?.update_config;
  const objects = [`${plan.kind}/${plan.name}`];
  const rec: Rec = (id, values) => ctx.outcome(plan.main.name, 'deploy.update_config', id, values, { objects });

  // A hostNetwork pod binds its ports on the node: a surge pod beside the old one cannot, and the rollout hangs.
  if (plan.kind === 'Deployment' && (plan.mountsRwoClaim || plan.spec.hostNetwork)) {
    if (u) rec(plan.mountsRwoClaim ? 'deploy.update_config.recreate' : 'deploy.update_config.recreate-host-network');
    return { strategy: { type: 'Recreate' } };
  }
  if (plan.kind === 'StatefulSet') return statefulSet(u, rec);
  if (!u && plan.kind === 'Deployment' && usesHostPorts(plan)) {
    const rolling = { maxSurge: 0, maxUnavailable: 1 };
    rec('deploy.update_config.host-ports', rolling);
    return { strategy: { type: 'RollingUpdate', rollingUpdate: rolling } };
  }
  if (!u) return {};
  if (!LONG_RUNNING.has(plan.kind)) {
    rec('deploy.update_config.job', { kind: plan.kind });
    return {};
  }
  const minReady = minReadyOf(u);
  const batch = batchOf(u);
  let startFirst = u.order === 'start-first';
  // A Deployment or DaemonSet here (Recreate, StatefulSets and Jobs are done).
  const hostPorts = startFirst && usesHostPorts(plan);
  if (hostPorts) startFirst = false;
  const notes: Values = {
    ...commonNotes(u, minReady, 'rollout.delay'),
    order: hostPorts ? 'rollout.host-ports' : NONE,
  };
  const rolling = startFirst ? { maxSurge: batch, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: batch };
  const partial = anyNote(notes) || (u.delay !== undefined && !minReady);
  if (partial) rec('deploy.update_config.rolling-partial', { ...rolling, ...notes });
  else rec('deploy.update_config.rolling', rolling);
  const out: Rollout = minReady ? { minReadySeconds: minReady } : {};
  if (plan.kind === 'Deployment') out.strategy = { type: 'RollingUpdate', rollingUpdate: rolling };
  else out.updateStrategy = { type: 'RollingUpdate', rollingUpdate: rolling };
  return out;
}

function statefulSet(u: UpdateConfig | undefined, rec: Rec): Rollout {
  if (!u) return { updateStrategy: { type: 'RollingUpdate' } };
  const minReady = minReadyOf(u);
  const batch = batchOf(u);
  const parallel = batch !== 1;
  const notes: Values = {
    ...commonNotes(u, minReady, 'rollout.delay-short'),
    order: u.order === 'start-first' ? 'rollout.in-place' : NONE,
    ...(parallel ? { parallel: 'rollout.parallel', parallelism: String(u.parallelism), batch } : { parallel: NONE }),
  };
  if (anyNote(notes)) rec('deploy.update_config.statefulset-partial', notes);
  else rec('deploy.update_config.statefulset');
  return {
    updateStrategy: { type: 'RollingUpdate', ...(parallel ? { rollingUpdate: { maxUnavailable: batch } } : {}) },
    ...(minReady ? { minReadySeconds: minReady } : {}),
  };
}
