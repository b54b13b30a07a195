/**
 * `deploy.update_config` → how the controller replaces pods on an update, reported under
 * `deploy.update_config`:
 *
 * - Deployment: `strategy.rollingUpdate`. stop-first (the default) → maxSurge 0, maxUnavailable =
 *   parallelism; start-first → maxSurge = parallelism, maxUnavailable 0; parallelism 0 (all at once)
 *   → 100%. A pod mounting a ReadWriteOnce claim gets strategy Recreate instead (old and new pods
 *   cannot share the claim), which overrides update_config.
 * - StatefulSet: `updateStrategy: RollingUpdate` always; pods are replaced in place, one at a time
 *   (parallelism → `rollingUpdate.maxUnavailable`, honoured only with the MaxUnavailableStatefulSet
 *   feature gate); start-first cannot apply (the replacement has the same name and claim).
 * - DaemonSet: `updateStrategy.rollingUpdate` like a Deployment; start-first falls back to stop-first
 *   when the pod binds host ports (old and new pod on a node would clash).
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
import type { OutcomeId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';

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

function usesHostPorts(plan: PodPlan): boolean {
  return (
    plan.spec.hostNetwork === true ||
    plan.spec.containers.some((c) => (c.ports ?? []).some((p) => p.hostPort !== undefined))
  );
}

/** Settings with no Kubernetes field, each with the reason. */
function dropped(u: UpdateConfig): string[] {
  const out: string[] = [];
  if (u.monitor !== undefined)
    out.push(
      `monitor ${u.monitor / 1000}s dropped (readiness probes and minReadySeconds decide when a new pod counts)`,
    );
  if (u.max_failure_ratio !== undefined) out.push('max_failure_ratio dropped');
  if (u.failure_action === 'rollback')
    out.push(
      'failure_action rollback: a failing rollout stops after progressDeadlineSeconds (600s) but is not rolled back',
    );
  else if (u.failure_action === 'continue')
    out.push('failure_action continue: a failing rollout stops instead of continuing');
  return out;
}

type Rec = (id: OutcomeId, values?: Values) => void;

export function rollout(ctx: ConvertContext, plan: PodPlan): Rollout {
  const u = plan.main.deploy?.update_config;
  const objects = [`${plan.kind}/${plan.name}`];
  const rec: Rec = (id, values) => ctx.outcome(plan.main.name, 'deploy.update_config', id, values, { objects });

  if (plan.kind === 'Deployment' && plan.mountsRwoClaim) {
    if (u) rec('deploy.update_config.recreate');
    return { strategy: { type: 'Recreate' } };
  }
  if (plan.kind === 'StatefulSet') return statefulSet(u, rec);
  if (!u) return {};
  if (plan.kind === 'Job' || plan.kind === 'CronJob') {
    rec('deploy.update_config.job', { kind: plan.kind });
    return {};
  }
  const notes = dropped(u);
  const minReady = u.delay ? Math.ceil(u.delay / 1000) : undefined;
  if (minReady)
    notes.unshift(
      `delay ${u.delay! / 1000}s → minReadySeconds ${minReady} (a new pod must stay ready that long before the next batch)`,
    );
  const batch = batchOf(u);
  let startFirst = u.order === 'start-first';
  if (startFirst && plan.kind === 'DaemonSet' && usesHostPorts(plan)) {
    startFirst = false;
    notes.push(
      'start-first is replaced by stop-first: the pod binds host ports, so an old and a new pod cannot run on one node',
    );
  }
  const rolling = startFirst ? { maxSurge: batch, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: batch };
  const partial = notes.length || (u.delay !== undefined && !minReady);
  rec(partial ? 'deploy.update_config.rolling-partial' : 'deploy.update_config.rolling', {
    maxSurge: rolling.maxSurge,
    maxUnavailable: rolling.maxUnavailable,
    notes: notes.length ? `; ${notes.join('; ')}` : '',
  });
  const out: Rollout = minReady ? { minReadySeconds: minReady } : {};
  if (plan.kind === 'Deployment') out.strategy = { type: 'RollingUpdate', rollingUpdate: rolling };
  else out.updateStrategy = { type: 'RollingUpdate', rollingUpdate: rolling };
  return out;
}

function statefulSet(u: UpdateConfig | undefined, rec: Rec): Rollout {
  if (!u) return { updateStrategy: { type: 'RollingUpdate' } };
  const notes = dropped(u);
  const minReady = u.delay ? Math.ceil(u.delay / 1000) : undefined;
  if (minReady) notes.unshift(`delay ${u.delay! / 1000}s → minReadySeconds ${minReady}`);
  if (u.order === 'start-first')
    notes.push('start-first cannot apply: each pod is replaced in place (same name and claim), stop-first');
  const batch = batchOf(u);
  const parallel = batch !== 1;
  if (parallel)
    notes.push(
      `parallelism ${u.parallelism} → rollingUpdate.maxUnavailable ${batch}, honoured only where the MaxUnavailableStatefulSet feature gate is on (else one pod at a time)`,
    );
  if (notes.length) rec('deploy.update_config.statefulset-partial', { notes: notes.join('; ') });
  else rec('deploy.update_config.statefulset');
  return {
    updateStrategy: { type: 'RollingUpdate', ...(parallel ? { rollingUpdate: { maxUnavailable: batch } } : {}) },
    ...(minReady ? { minReadySeconds: minReady } : {}),
  };
}
