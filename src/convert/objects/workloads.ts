/**
 * PodPlan → its controller object (Deployment, StatefulSet, DaemonSet, Job, CronJob).
 * The pod template carries the service labels (selector ⊂ labels) plus plan.podLabels, and
 * plan.podAnnotations; `deploy.labels` become annotations on the controller itself.
 */
import type { PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { PodFailurePolicy } from 'kubernetes-types/batch/v1.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import type { PodPlan } from '../plan/pod.js';
import { copyMetadata } from '../pod/settings.js';
import { rollout } from '../pod/rollout.js';
import { hpaManaged } from '../plan/controller.js';

function podTemplate(ctx: ConvertContext, plan: PodPlan, restartPolicy?: 'OnFailure' | 'Never'): PodTemplateSpec {
  // Object.assign onto a fresh literal rather than a literal opening with a spread (`{ ...a, k: v }`): V8 (Node 20)
  // gives every object such a literal makes a hidden class of its own, thousands of them for a big project.
  const labels: Record<string, string> = Object.assign({}, plan.podLabels, ctx.labels(plan.main));
  const annotations = plan.podAnnotations;
  // Docker never injects `<SVC>_PORT=tcp://...` variables; images that read their settings from `<NAME>_PORT`
  // style variables (Confluent's schema registry, Temporal's UI) crash on the ones Kubernetes adds by default.
  const spec: PodSpec = Object.assign({}, plan.spec);
  spec.enableServiceLinks = false;
  if (restartPolicy) spec.restartPolicy = restartPolicy;
  return {
    metadata: { labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec,
  };
}

function workloadAnnotations(ctx: ConvertContext, plan: PodPlan): Record<string, string> {
  const src = plan.main.deploy?.labels;
  if (!src || !Object.keys(src).length) return {};
  const out: Record<string, string> = {};
  const bad = copyMetadata(ctx, plan.main, src, out, (k, names) =>
    ctx.outcome(
      plan.main.name,
      `deploy.labels.${k}`,
      'deploy.labels.secret-placeholder',
      { label: k, names },
      { objects: [`${plan.kind}/${plan.name}`] },
    ),
  );
  ctx.outcome(
    plan.main.name,
    'deploy.labels',
    bad.length ? 'deploy.labels.some-skipped' : 'deploy.labels.annotations',
    { ref: `${plan.kind}/${plan.name}`, bad: bad.join(', ') },
    { objects: [`${plan.kind}/${plan.name}`] },
  );
  return out;
}

/** A Job's podFailurePolicy: a failed wait of an init container (plan.retriedInits) makes a new pod, uncounted. */
function podFailurePolicy(plan: PodPlan): { podFailurePolicy?: PodFailurePolicy } {
  if (!plan.retriedInits?.length) return {};
  const rules = plan.retriedInits.map((containerName) => ({
    action: 'Ignore',
    onExitCodes: { containerName, operator: 'NotIn', values: [0] },
  }));
  return { podFailurePolicy: { rules } };
}

export function buildWorkload(ctx: ConvertContext, plan: PodPlan): KubeObject {
  const metadata = ctx.meta(plan.name, ctx.labels(plan.main), workloadAnnotations(ctx, plan));
  const selector = { matchLabels: ctx.selector(plan.main) };
  const roll = rollout(ctx, plan);
  const minReady = roll.minReadySeconds !== undefined ? { minReadySeconds: roll.minReadySeconds } : {};
  // An autoscaler owns the replica count: a fixed one would be reset on every apply.
  const replicas = hpaManaged(ctx, plan) ? {} : { replicas: plan.replicas };
  switch (plan.kind) {
    case 'Deployment':
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: Object.assign({}, replicas, { selector }, roll.strategy ? { strategy: roll.strategy } : {}, minReady, {
          template: podTemplate(ctx, plan),
        }),
      };
    case 'StatefulSet':
      return {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata,
        spec: {
          serviceName: plan.name,
          ...replicas,
          selector,
          podManagementPolicy: 'OrderedReady',
          ...(roll.updateStrategy ? { updateStrategy: roll.updateStrategy } : {}),
          ...minReady,
          template: podTemplate(ctx, plan),
          ...(plan.volumeClaimTemplates.length ? { volumeClaimTemplates: plan.volumeClaimTemplates } : {}),
        },
      };
    case 'DaemonSet':
      return {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata,
        spec: {
          selector,
          ...(roll.updateStrategy ? { updateStrategy: roll.updateStrategy } : {}),
          ...minReady,
          template: podTemplate(ctx, plan),
        },
      };
    case 'Job':
      return {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata,
        spec: {
          ...(plan.replicas !== 1 ? { completions: plan.replicas, parallelism: plan.replicas } : {}),
          ...(plan.backoffLimit !== undefined ? { backoffLimit: plan.backoffLimit } : {}),
          ...podFailurePolicy(plan),
          ...(plan.ttlSecondsAfterFinished !== undefined
            ? { ttlSecondsAfterFinished: plan.ttlSecondsAfterFinished }
            : {}),
          template: podTemplate(ctx, plan, plan.spec.restartPolicy === 'Never' ? 'Never' : 'OnFailure'),
        },
      };
    case 'CronJob': {
      if (!plan.schedule) ctx.diags.error('cronjob-without-schedule', { name: plan.name }, ctx.servicePos(plan.main));
      return {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata,
        spec: {
          schedule: plan.schedule ?? '@daily',
          ...(plan.concurrencyPolicy ? { concurrencyPolicy: plan.concurrencyPolicy } : {}),
          jobTemplate: {
            spec: {
              ...(plan.backoffLimit !== undefined ? { backoffLimit: plan.backoffLimit } : {}),
              ...podFailurePolicy(plan),
              template: podTemplate(ctx, plan, plan.spec.restartPolicy === 'Never' ? 'Never' : 'OnFailure'),
            },
          },
        },
      };
    }
  }
}
