/**
 * ofelia jobs declared in labels (intent/ofelia.ts reads them) → CronJobs (batch/v1). ofelia itself is a
 * Docker-bound helper and gets no workload (plan/docker-helpers.ts); its jobs get a Kubernetes scheduler instead.
 *
 * - `job-run` (ofelia starts a new container of `image` running `command`): a CronJob with that image and command.
 * - `job-exec` (ofelia runs `command` inside the running container of the labelled service, or of `container`
 *   when the label is on ofelia): a CronJob whose pod runs the command with the target container's image,
 *   environment, envFrom and volume mounts. It is a new pod, not the running container, which the report says.
 *   A ReadWriteOnce claim can only be mounted on one node: the job's pod is pinned next to the target's pod
 *   (pod affinity), as shared volumes are.
 * - `no-overlap=true` → `concurrencyPolicy: Forbid`; ofelia does not retry a failed run → `backoffLimit: 0`.
 * - Schedules: intent/ofelia.ts `cronSchedule` (5 fields, descriptors, `@every` in whole minutes/hours);
 *   one a CronJob cannot express is reported with why, and no CronJob is made.
 * - `job-local` (runs inside ofelia's own container) and `job-service-run` (Swarm services) have no counterpart.
 *
 * Commands are split like ofelia splits them (shell-like words, no shell); one with shell operators runs
 * through `sh -c`.
 */
import type { Container, PodAffinityTerm, PodSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import { plansByService, type PodPlan } from '../plan/pod.js';
import { LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF, MANAGED_BY } from '../../kube/object.js';
import { labelValue } from '../../kube/naming.js';
import { splitShell } from '../../load/normalize/shell.js';
import { cronSchedule, ofeliaJobs, type OfeliaJob } from '../intent/ofelia.js';
import { dockerHelpers } from '../plan/docker-helpers.js';
import { NETWORK_LABEL_PREFIX } from './netpol.js';
import { serviceOverrides } from '../intent/overrides.js';

/** CronJob names: the Job controller appends 11 characters to make Job names (≤ 63). */
const CRONJOB_NAME_MAX = 52;

export function buildOfeliaCronJobs(ctx: ConvertContext, plans: PodPlan[]): void {
  const planOf = plansByService(plans);
  const helpers = dockerHelpers(ctx);
  // A job-exec on ofelia itself names its target by container name (or service name).
  const byContainer = new Map<string, Service>();
  for (const p of plans)
    for (const s of p.services) {
      byContainer.set(s.name, s);
      if (s.container_name) byContainer.set(s.container_name, s);
    }
  for (const name of Object.keys(ctx.project.services).sort()) {
    const svc = ctx.project.services[name]!;
    const isHelper = helpers.has(name);
    if (!planOf.has(name) && !isHelper) continue; // a provider service: nothing runs
    for (const job of ofeliaJobs(svc)) {
      const target = job.type === 'job-exec' ? (job.container ? byContainer.get(job.container) : svc) : undefined;
      convertJob(
        ctx,
        name,
        job,
        target && planOf.get(target.name) ? { svc: target, plan: planOf.get(target.name)! } : undefined,
      );
    }
  }
}

function notConverted(ctx: ConvertContext, service: string, job: OfeliaJob, why: string): void {
  const s = job.schedule === undefined ? { why: 'it has no schedule' } : cronSchedule(job.schedule);
  ctx.outcome(service, `labels.${job.label}`, 'ofelia.job-not-converted', {
    type: job.type,
    job: job.name,
    command: job.command ?? '(none)',
    why,
    schedule: 'cron' in s ? `schedule "${s.cron}"` : `a schedule of your own (${s.why})`,
    target: job.image ? `image ${job.image}` : 'its image',
  });
}

function convertJob(
  ctx: ConvertContext,
  service: string,
  job: OfeliaJob,
  target: { svc: Service; plan: PodPlan } | undefined,
): void {
  if (job.type === 'job-local')
    return notConverted(ctx, service, job, "a job-local runs inside ofelia's own container, which is not deployed");
  if (job.type === 'job-service-run')
    return notConverted(ctx, service, job, 'a job-service-run starts a Docker Swarm service');
  if (!job.command && job.type === 'job-exec') return notConverted(ctx, service, job, 'it has no command');
  if (job.type === 'job-run' && !job.image)
    return notConverted(ctx, service, job, 'a job-run without image restarts an existing container');
  if (job.type === 'job-exec' && !target)
    return notConverted(
      ctx,
      service,
      job,
      job.container
        ? `its container ${job.container} is no service that runs a workload`
        : `${service} runs no workload to take the image and volumes from`,
    );
  if (job.schedule === undefined) return notConverted(ctx, service, job, 'it has no schedule');
  const sched = cronSchedule(job.schedule);
  if ('why' in sched) {
    ctx.outcome(service, `labels.${job.label}`, 'ofelia.schedule-unsupported', {
      type: job.type,
      job: job.name,
      spec: job.schedule,
      why: sched.why,
    });
    return;
  }
  const owner = target?.svc.name ?? service;
  const name = ctx.names.get('cronjob', `${ctx.serviceName(owner)}-${job.name}`, CRONJOB_NAME_MAX);
  const ref = `CronJob/${name}`;
  if (ctx.find('CronJob', name)) return notConverted(ctx, service, job, `${ref} already exists`);
  const labels = {
    [LABEL_NAME]: labelValue(name),
    [LABEL_PART_OF]: labelValue(ctx.project.name),
    [LABEL_MANAGED_BY]: MANAGED_BY,
  };
  const notes: string[] = [];
  const command = commandWords(job.command);
  if (command.viaShell) notes.push('the command has shell operators, so it runs through sh -c');
  let container: Container;
  let spec: PodSpec;
  if (job.type === 'job-run') {
    container = { name: 'job', image: job.image!, ...(command.words.length ? { command: command.words } : {}) };
    spec = { containers: [container] };
  } else {
    const built = execPod(ctx, target!.svc, target!.plan, command.words, notes);
    container = built.container;
    spec = built.spec;
  }
  if (job.user !== undefined) {
    if (/^\d+$/.test(job.user))
      container.securityContext = { ...container.securityContext, runAsUser: Number(job.user) };
    else notes.push(`user ${job.user} is not set (Kubernetes takes numeric ids): it runs as the image's user`);
  }
  if (job.noOverlap) notes.push('no-overlap → concurrencyPolicy: Forbid');
  // The pods carry the job's own name (the target's would put them behind its Service); a job-exec CronJob itself is
  // its target's, as every object of a service is: the chart's lifter and x-k8s patches find it by that label.
  const podLabels: Record<string, string> = { ...labels };
  if (target)
    for (const [k, v] of Object.entries(target.plan.podLabels))
      if (k.startsWith(NETWORK_LABEL_PREFIX)) podLabels[k] = v;
  const obj: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: ctx.meta(name, target ? ctx.labels(target.svc) : labels),
    spec: {
      schedule: sched.cron,
      ...(job.noOverlap ? { concurrencyPolicy: 'Forbid' } : {}),
      jobTemplate: {
        spec: {
          // ofelia runs a job once per schedule, without retries.
          backoffLimit: 0,
          template: {
            metadata: { labels: podLabels },
            spec: { ...spec, restartPolicy: 'Never', enableServiceLinks: false },
          },
        },
      },
    },
  };
  ctx.emit(obj);
  const extra = notes.length ? `; ${notes.join('; ')}` : '';
  if (job.type === 'job-run')
    ctx.outcome(
      service,
      `labels.${job.label}`,
      'ofelia.job-run-cronjob',
      { job: job.name, ref, schedule: sched.cron, image: job.image!, extra },
      { objects: [ref] },
    );
  else
    ctx.outcome(
      service,
      `labels.${job.label}`,
      'ofelia.job-exec-cronjob',
      { job: job.name, ref, schedule: sched.cron, command: job.command!, target: owner, extra },
      { objects: [ref] },
    );
}

/** ofelia's words for a command (shell-like splitting, no shell); shell operators need `sh -c`. */
function commandWords(command: string | undefined): { words: string[]; viaShell: boolean } {
  if (command === undefined || command.trim() === '') return { words: [], viaShell: false };
  const r = splitShell(command);
  if ('error' in r || r.truncatedAt !== undefined) return { words: ['sh', '-c', command], viaShell: true };
  return { words: r.words, viaShell: false };
}

/** The pod of a job-exec: the target container's image, environment and mounts, next to the target's claims. */
function execPod(
  ctx: ConvertContext,
  svc: Service,
  plan: PodPlan,
  command: string[],
  notes: string[],
): { container: Container; spec: PodSpec } {
  const c = plan.containers.get(svc.name)!;
  const container: Container = {
    name: 'job',
    image: c.image!,
    ...(c.imagePullPolicy ? { imagePullPolicy: c.imagePullPolicy } : {}),
    command,
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    ...(c.env?.length ? { env: c.env } : {}),
    ...(c.envFrom?.length ? { envFrom: c.envFrom } : {}),
    ...(c.volumeMounts?.length ? { volumeMounts: c.volumeMounts } : {}),
    ...(c.securityContext ? { securityContext: c.securityContext } : {}),
    ...(c.resources ? { resources: c.resources } : {}),
  };
  const volumes: Volume[] = [];
  const pinned: string[] = [];
  const fresh: string[] = [];
  let affinity: PodAffinityTerm | undefined;
  const selector = ctx.selector(plan.main);
  for (const m of c.volumeMounts ?? []) {
    if (volumes.some((v) => v.name === m.name)) continue;
    const v = plan.spec.volumes?.find((x) => x.name === m.name);
    if (v) {
      volumes.push(v);
      if (v.emptyDir) fresh.push(m.mountPath);
      const claim = v.persistentVolumeClaim?.claimName;
      if (claim && rwo(ctx, claim)) {
        pinned.push(claim);
        affinity ??= { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' };
      }
      continue;
    }
    // A StatefulSet's claim template: the claim of its first replica.
    const tpl = plan.volumeClaimTemplates.find((t) => t.metadata?.name === m.name);
    if (tpl) {
      const claim = `${m.name}-${plan.name}-0`;
      volumes.push({ name: m.name, persistentVolumeClaim: { claimName: claim } });
      pinned.push(`${claim} (replica 0's)`);
      affinity = {
        labelSelector: { matchLabels: { 'statefulset.kubernetes.io/pod-name': `${plan.name}-0` } },
        topologyKey: 'kubernetes.io/hostname',
      };
    }
  }
  if (pinned.length)
    notes.push(
      `ReadWriteOnce claim${pinned.length > 1 ? 's' : ''} ${pinned.join(', ')}: the job's pod runs on the node of ${plan.name}'s pod (pod affinity)`,
    );
  if (fresh.length)
    notes.push(`emptyDir ${fresh.join(', ')} start${fresh.length > 1 ? '' : 's'} empty in the job's pod`);
  const ps = plan.spec;
  const user = serviceOverrides(ctx, plan.main);
  const spec: PodSpec = {
    containers: [container],
    ...(volumes.length ? { volumes } : {}),
    ...(ps.securityContext ? { securityContext: ps.securityContext } : {}),
    ...(ps.imagePullSecrets ? { imagePullSecrets: ps.imagePullSecrets } : {}),
    // The user's service account only (start order's job-waiter account serves init containers not copied here).
    ...(user.serviceAccountName ? { serviceAccountName: user.serviceAccountName } : {}),
    ...(ps.nodeSelector ? { nodeSelector: ps.nodeSelector } : {}),
    ...(affinity ? { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [affinity] } } } : {}),
  };
  return { container, spec };
}

function rwo(ctx: ConvertContext, claim: string): boolean {
  const pvc = ctx.find('PersistentVolumeClaim', claim);
  const modes = (pvc?.spec as { accessModes?: string[] } | undefined)?.accessModes ?? ['ReadWriteOnce'];
  return modes.includes('ReadWriteOnce') || modes.includes('ReadWriteOncePod');
}
