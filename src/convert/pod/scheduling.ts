/**
 * Swarm-style `deploy` settings of the pod's main service that shape scheduling and rollout:
 * `deploy.placement` → node affinity / topology spread / anti-affinity, `deploy.update_config` →
 * rolling update parameters, `deploy.restart_policy` → reported against the controller kind.
 */
import type { NodeSelectorRequirement, PodSpec, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { isQualifiedName } from './settings.js';
import type { PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import { LONG_RUNNING } from '../../kube/workloads.js';
import { isLabelValue } from '../../kube/naming.js';

const ARCH: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'arm', armhf: 'arm', i386: '386' };

/** A swarm placement constraint → node selector requirement, or a reason why not. */
export function constraintRequirement(c: string): NodeSelectorRequirement | string {
  const m = /^\s*([\w.\-/]+)\s*(==|!=)\s*(.*?)\s*$/.exec(c);
  if (!m) return 'not of the form <attribute>==<value> or !=';
  const [, attr, op, raw] = m as unknown as [string, string, string, string];
  let key: string | undefined;
  let value = raw;
  if (attr.startsWith('node.labels.')) key = attr.slice('node.labels.'.length);
  else if (attr === 'node.hostname') key = 'kubernetes.io/hostname';
  else if (attr === 'node.platform.os') key = 'kubernetes.io/os';
  else if (attr === 'node.platform.arch') {
    key = 'kubernetes.io/arch';
    value = ARCH[raw] ?? raw;
  }
  if (!key) return `${attr} has no Kubernetes node label`;
  if (!isQualifiedName(key) || !isLabelValue(value)) return `${key}=${value} is not a valid node label`;
  return { key, operator: op === '==' ? 'In' : 'NotIn', values: [value] };
}

export function applyPlacement(ctx: ConvertContext, plan: PodPlan): void {
  const svc = plan.main;
  const p = svc.deploy?.placement;
  if (!p) return;
  const objects = [`${plan.kind}/${plan.name}`];
  const spec: PodSpec = plan.spec;
  const notes: string[] = [];
  const exprs: NodeSelectorRequirement[] = [];
  for (const c of p.constraints ?? []) {
    const r = constraintRequirement(c);
    if (typeof r === 'string') notes.push(`constraint "${c}" dropped: ${r}`);
    else exprs.push(r);
  }
  if (exprs.length)
    spec.affinity = {
      ...spec.affinity,
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: exprs }] },
      },
    };
  const spread: TopologySpreadConstraint[] = [];
  for (const pref of p.preferences ?? []) {
    const key = pref.spread?.startsWith('node.labels.') ? pref.spread.slice('node.labels.'.length) : undefined;
    if (key && isQualifiedName(key))
      spread.push({
        maxSkew: 1,
        topologyKey: key,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: ctx.selector(svc) },
      });
    else notes.push(`spread preference ${pref.spread ?? '?'} dropped: only node.labels.* maps to a topology key`);
  }
  if (spread.length) spec.topologySpreadConstraints = [...(spec.topologySpreadConstraints ?? []), ...spread];
  const max = p.max_replicas_per_node;
  if (max !== undefined) {
    if (max === 1) {
      spec.affinity = {
        ...spec.affinity,
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: ctx.selector(svc) } },
          ],
        },
      };
    } else
      notes.push(
        `max_replicas_per_node ${max} dropped: Kubernetes can only keep replicas on distinct nodes (1 per node)`,
      );
  }
  // What was converted: phrases of report.yaml (`placement.*`), a list.
  const done: PhraseId[] = [
    ...(exprs.length ? (['placement.constraints'] as const) : []),
    ...(spread.length ? (['placement.spread'] as const) : []),
    ...(max === 1 ? (['placement.max-one'] as const) : []),
  ];
  const id = notes.length
    ? done.length
      ? 'deploy.placement.partial'
      : 'deploy.placement.dropped'
    : 'deploy.placement.set';
  ctx.outcome(
    svc.name,
    'deploy.placement',
    id,
    { done: done.join(' ') || 'placement.none', dropped: notes.join('; ') },
    { objects },
  );
}

const NONE: PhraseId = 'restart-policy.none';

/** `deploy.restart_policy` against the controller kind (Deployments and DaemonSets always restart). */
export function reportRestartPolicy(ctx: ConvertContext, plan: PodPlan): void {
  const rp = plan.main.deploy?.restart_policy;
  if (!rp) return;
  const objects = [`${plan.kind}/${plan.name}`];
  const always = LONG_RUNNING.has(plan.kind);
  const condition = rp.condition ?? 'any';
  // condition none runs the container once: a Job with backoffLimit 0, whatever max_attempts says.
  const noRetries = always || condition === 'none';
  const dropped = (['delay', 'window', ...(noRetries ? (['max_attempts'] as const) : [])] as const).filter(
    (k) => rp[k] !== undefined,
  );
  const exact = (always ? condition === 'any' : condition !== 'any') && !dropped.length;
  // What the pods do, in phrases of report.yaml (`restart-policy.none` where a part does not apply).
  const what: Values = always
    ? {
        what: 'restart-policy.always',
        kind: plan.kind,
        notOnly: condition !== 'any' ? 'restart-policy.not-only' : NONE,
        condition,
      }
    : {
        what: 'restart-policy.job',
        policy: plan.spec.restartPolicy ?? 'OnFailure',
        ...(plan.backoffLimit === 0 && plan.spec.restartPolicy === 'Never'
          ? { backoff: 'restart-policy.once' }
          : plan.backoffLimit !== undefined
            ? { backoff: 'restart-policy.backoff', backoffLimit: plan.backoffLimit }
            : { backoff: NONE }),
        stops: condition === 'any' ? 'restart-policy.job-stops' : NONE,
      };
  const id = exact
    ? 'deploy.restart_policy.set'
    : always
      ? 'deploy.restart_policy.always-restarts'
      : 'deploy.restart_policy.job';
  const note: Values = dropped.length
    ? { dropped: 'restart-policy.dropped', fields: dropped.join(', ') }
    : { dropped: NONE };
  ctx.outcome(plan.main.name, 'deploy.restart_policy', id, { ...what, ...note }, { objects });
}
