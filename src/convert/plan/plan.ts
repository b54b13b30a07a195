/**
 * Pod planning: which compose services share a pod, which controller runs it, how many replicas.
 * This is the single place that decides the controller kind.
 *
 * A service with `network_mode: service:X` shares X's network namespace — in Kubernetes that is a
 * second container in X's pod. Everything else gets its own pod.
 */
import type { Service } from '../../model/types.js';
import { shownPath } from '../../util/path.js';
import type { ConvertContext } from '../context.js';
import type { ControllerKind, PodPlan } from './pod.js';
import { overrideApplier } from '../intent/dialect.js';
import type { OutcomeId } from '../../mappings/outcomes.js';
import {
  byMode,
  decideKind,
  dependents,
  effectiveRestart,
  hpaManaged,
  intendedReplicas,
  oneShotTask,
  whyNotJob,
  type KindDecision,
} from './controller.js';
import { isDns1123Label } from '../../kube/naming.js';
import { LONG_RUNNING } from '../../kube/workloads.js';
import { renamedMentions } from '../network/rename.js';
import { reachOf } from '../network/reach.js';
import { dockerHelpers, skipDockerHelper } from './docker-helpers.js';
import { permissionHelpers, skipPermissionHelper } from './permission-helpers.js';

/**
 * A finished Job nobody waits on is deleted after an hour, so applying the manifests again runs it
 * again, like `docker compose up` starts a stopped one-off container. Jobs another service waits on
 * (start order runs `kubectl wait` on them) are kept.
 */
export const JOB_TTL_SECONDS = 3600;
/**
 * A Job's backoffLimit when compose restarts a failing container without end (`on-failure` without a count,
 * `always`): the field's largest value (int32), so the Job keeps retrying (the kubelet backs off to 6 minutes)
 * instead of failing for good after Kubernetes' default of 6 retries.
 */
export const UNBOUNDED_BACKOFF = 2_147_483_647;

export { podOwner } from '../facts.js';
import { FactKey, podOwner } from '../facts.js';
import type { Values } from '../book.js';

/** The pod plans of the project, made once (planning reports the controller choices), and each service's kind. */
const PLANS = new FactKey<{ list: PodPlan[]; kinds: ReadonlyMap<string, ControllerKind> }>();

function plans(ctx: ConvertContext): { list: PodPlan[]; kinds: ReadonlyMap<string, ControllerKind> } {
  return ctx.facts.get(PLANS, () => {
    const list = makePlans(ctx);
    const kinds = new Map<string, ControllerKind>();
    for (const p of list) for (const m of p.services) kinds.set(m.name, p.kind);
    return { list, kinds };
  });
}

/** Controller of the pod a service runs in, as planning decided it (plans the project if not done yet). */
export function chooseKind(ctx: ConvertContext, svc: Service): ControllerKind {
  return plans(ctx).kinds.get(svc.name) ?? 'Deployment';
}

/**
 * A provider service (`provider: {type, options}`) is run by a Compose provider plugin, not as a
 * container: there is nothing to deploy. It is reported, and its dependants are converted as usual.
 */
function skipProvider(ctx: ConvertContext, svc: Service): boolean {
  if (!skipsWorkload(svc)) return false;
  const type = (svc.provider as { type?: unknown }).type;
  ctx.outcome(svc.name, 'provider', 'provider.no-workload', {
    type: typeof type === 'string' ? ` (type ${type})` : '',
  });
  return true;
}

export function planPods(ctx: ConvertContext): PodPlan[] {
  return plans(ctx).list;
}

function makePlans(ctx: ConvertContext): PodPlan[] {
  const services = ctx.project.services;
  const names = Object.keys(services)
    .filter(
      (n) =>
        !skipProvider(ctx, services[n]!) &&
        !skipDockerHelper(ctx, services[n]!) &&
        !skipPermissionHelper(ctx, services[n]!),
    )
    .sort();
  // Claim names in a stable order; a service whose name already is a valid Kubernetes name keeps it,
  // so `api` (what peers resolve) is not pushed to `api-2` by an `API` that merely sorts first.
  for (const n of [...names.filter((x) => isDns1123Label(x)), ...names.filter((x) => !isDns1123Label(x))])
    ctx.serviceName(n);
  // Services a group setting (kompose.service.group, x-k8s.group) puts in one pod: the dialects' applier knows them.
  const owners = overrideApplier(ctx)?.owners(ctx, names);
  for (const n of Object.keys(ctx.options.controllers ?? {}).sort())
    if (!services[n])
      ctx.diags.warn('controller-unknown-service', {
        name: n,
        controller: ctx.options.controllers![n]!,
        services: names.join(', '),
      });
  const members = new Map<string, Service[]>();
  for (const n of names) {
    const owner = owners?.get(n) ?? podOwner(services, n);
    const list = members.get(owner) ?? [];
    if (owner === n) list.unshift(services[n]!);
    else list.push(services[n]!);
    members.set(owner, list);
  }
  const plans: PodPlan[] = [];
  for (const owner of names) {
    const list = members.get(owner);
    if (!list) continue;
    const main = services[owner]!;
    const decision = decideKind(ctx, main, list);
    const kind = decision.kind;
    const plan: PodPlan = {
      name: ctx.serviceName(main),
      main,
      services: list,
      kind,
      replicas: kind === 'DaemonSet' ? 1 : intendedReplicas(ctx, main),
      spec: { containers: [] },
      containers: new Map(),
      podLabels: {},
      podAnnotations: {},
      volumeClaimTemplates: [],
      mountsRwoClaim: false,
    };
    if (!LONG_RUNNING.has(kind)) jobSettings(ctx, plan);
    if (kind === 'Job' && !dependents(ctx, plan.services, true).length) plan.ttlSecondsAfterFinished = JOB_TTL_SECONDS;
    // Only kompose labels and x-k8s give a CronJob its schedule and settings (pod/overrides.ts).
    if (kind === 'CronJob') overrideApplier(ctx)?.cronJob(ctx, plan);
    reportKind(ctx, plan, decision);
    reportPlan(ctx, plan);
    plans.push(plan);
  }
  return plans;
}

/**
 * Pod restart policy and retries of a Job. Compose runs a container whose restart is "no" (`restart: "no"`,
 * `deploy.restart_policy.condition: none`, or neither set: the default) exactly once, so its Job runs one pod
 * (restartPolicy Never, backoffLimit 0) where Kubernetes would otherwise retry a failure 6 times. A CronJob keeps
 * Kubernetes' default (its retries come from x-k8s.cron / kompose.cronjob.backoff_limit).
 */
function jobSettings(ctx: ConvertContext, plan: PodPlan): void {
  const main = plan.main;
  const policy = effectiveRestart(main).policy;
  const once = plan.kind === 'Job' && (policy === 'no' || policy === undefined);
  plan.spec.restartPolicy = policy === 'no' || once ? 'Never' : 'OnFailure';
  const onFailure = /^on-failure:(\d+)$/.exec(main.restart ?? '');
  const attempts = main.deploy?.restart_policy?.max_attempts ?? (onFailure ? Number(onFailure[1]) : undefined);
  if (once) plan.backoffLimit = 0;
  else if (attempts !== undefined) plan.backoffLimit = attempts;
  // A Job not run once, without a count of attempts, is restarted without end (`on-failure`, `always`).
  else if (plan.kind === 'Job') plan.backoffLimit = UNBOUNDED_BACKOFF;
  const waiting = dependents(ctx, plan.services, true);
  if (waiting.length && !main.deploy?.mode?.endsWith('-job'))
    ctx.diags.info(
      waiting.length > 1 ? 'runs-as-job' : 'runs-as-job.one',
      { service: main.name, job: plan.name, waiting: waiting.join(', ') },
      ctx.servicePos(main),
    );
}

function reportPlan(ctx: ConvertContext, plan: PodPlan): void {
  const objects = [`${plan.kind}/${plan.name}`];
  const main = plan.main;
  const mode = main.deploy?.mode;
  const modeKind = byMode(main)?.kind;
  if (mode !== undefined && modeKind !== undefined && modeKind !== plan.kind)
    ctx.outcome(main.name, 'deploy.mode', 'deploy.mode.overridden', { mode, modeKind, kind: plan.kind }, { objects });
  else if (mode === 'global') {
    ctx.outcome(main.name, 'deploy.mode', 'deploy.mode.global', {}, { objects });
    // A peer that names it (a Prometheus static target) reaches one pod per connection through its Service.
    const at = reachOf(ctx, main.name).referenced.values().next().value;
    if (at !== undefined) ctx.downgrade(main.name, 'deploy.mode', 'deploy.mode.global-peers', { at }, { objects });
  } else if (mode === 'replicated')
    ctx.outcome(main.name, 'deploy.mode', 'deploy.mode.replicated', { kind: plan.kind }, { objects });
  else if (mode === 'replicated-job')
    ctx.outcome(main.name, 'deploy.mode', 'deploy.mode.replicated-job', { replicas: plan.replicas }, { objects });
  else if (mode === 'global-job') ctx.outcome(main.name, 'deploy.mode', 'deploy.mode.global-job', {}, { objects });
  else if (mode !== undefined)
    ctx.outcome(main.name, 'deploy.mode', 'deploy.mode.unknown', { mode, kind: plan.kind }, { objects });
  for (const svc of plan.services) {
    const isMain = svc === main;
    const r = svc.deploy?.replicas;
    if (r !== undefined) replicasEntry(ctx, svc, 'deploy.replicas', r, plan, isMain, objects);
    if (svc.scale !== undefined) {
      if (r === undefined) replicasEntry(ctx, svc, 'scale', svc.scale, plan, isMain, objects);
      else ctx.outcome(svc.name, 'scale', 'scale.deploy-replicas-wins', {}, { objects });
    }
    if (!isMain && svc.network_mode?.startsWith('service:')) {
      // A run-once container in a server's pod: compose runs it once; the pod restarts it whenever it exits.
      const policy = effectiveRestart(svc).policy;
      const once = sidecarRunsOnce(ctx, svc, policy, effectiveRestart(main).policy) && LONG_RUNNING.has(plan.kind);
      ctx.outcome(
        svc.name,
        'network_mode',
        once ? 'network_mode.sidecar-run-once' : 'network_mode.sidecar',
        { container: ctx.serviceName(svc), main: main.name, kind: plan.kind, restart: policy ?? 'unset, so no' },
        { objects },
      );
    }
    restart(ctx, svc, plan, objects);
  }
}

/**
 * True when compose runs sidecar `svc` once: restart no or on-failure, or no restart key (compose's "no") with a
 * one-shot command (a migration, requests) and no sign of a server, as controller.ts rule 6b reads it
 * (oneShotTask), or no restart key and no sign of a server beside a main service that compose restarts
 * (`mainPolicy`): docker-elk's `setup` (`network_mode: service:elasticsearch`, restart unset, its script in its
 * Dockerfile) that creates users and exits, while elasticsearch is `unless-stopped` — compose restarts the one and
 * leaves the other exited. Without that evidence a sidecar with no restart key is read as long-running (a log
 * shipper beside an app also left unset).
 */
function sidecarRunsOnce(
  ctx: ConvertContext,
  svc: Service,
  policy: ReturnType<typeof effectiveRestart>['policy'],
  mainPolicy: ReturnType<typeof effectiveRestart>['policy'],
): boolean {
  if (policy === 'no' || policy === 'on-failure') return true;
  if (policy !== undefined) return false;
  if (mainPolicy !== undefined && mainPolicy !== 'no' && !whyNotJob(ctx, [svc])) return true;
  return oneShotTask(ctx, svc) !== undefined;
}

/** Outcomes of a replica count, by the key that gave it. */
const REPLICAS = {
  'deploy.replicas': {
    sidecar: 'deploy.replicas.sidecar',
    daemonset: 'deploy.replicas.daemonset',
    autoscaled: 'deploy.replicas.autoscaled',
    zero: 'deploy.replicas.zero',
    set: 'deploy.replicas.set',
  },
  scale: {
    sidecar: 'scale.sidecar',
    daemonset: 'scale.daemonset',
    autoscaled: 'scale.autoscaled',
    zero: 'scale.zero',
    set: 'scale.set',
  },
} as const satisfies Record<string, Record<string, OutcomeId>>;

function replicasEntry(
  ctx: ConvertContext,
  svc: Service,
  key: keyof typeof REPLICAS,
  n: number,
  plan: PodPlan,
  isMain: boolean,
  objects: string[],
): void {
  const ids = REPLICAS[key];
  const id = !isMain
    ? ids.sidecar
    : plan.kind === 'DaemonSet'
      ? ids.daemonset
      : hpaManaged(ctx, plan)
        ? ids.autoscaled
        : n === 0
          ? ids.zero
          : ids.set;
  ctx.outcome(svc.name, key, id, { main: plan.main.name, replicas: plan.replicas, n }, { objects });
}

function restart(ctx: ConvertContext, svc: Service, plan: PodPlan, objects: string[]): void {
  const r = svc.restart;
  if (r === undefined) {
    // No restart key is compose's "no": say what the Job does with it (deploy.restart_policy has its own entry).
    if (svc === plan.main && plan.kind === 'Job' && !svc.deploy?.restart_policy && plan.backoffLimit === 0)
      ctx.outcome(svc.name, 'restart', 'restart.job-once-default', {}, { objects });
    return;
  }
  const once = r === 'no' || r === 'on-failure' || r.startsWith('on-failure:');
  if (!LONG_RUNNING.has(plan.kind)) {
    const policy = plan.spec.restartPolicy ?? 'OnFailure';
    const overruled = svc === plan.main && !!svc.deploy?.restart_policy;
    // deploy.restart_policy wins (as in docker compose): restart says nothing about the Job then.
    const id = overruled
      ? 'restart.job-restart-policy'
      : !once
        ? 'restart.job-stops'
        : plan.backoffLimit === UNBOUNDED_BACKOFF
          ? 'restart.job-retries'
          : r === 'no' && plan.kind === 'Job' && policy === 'Never' && plan.backoffLimit === 0
            ? 'restart.job-once'
            : 'restart.job';
    ctx.outcome(svc.name, 'restart', id, { policy, restart: r, limit: plan.backoffLimit ?? '' }, { objects });
  } else if (r === 'always' || r === 'unless-stopped')
    ctx.outcome(svc.name, 'restart', 'restart.always', { kind: plan.kind }, { objects });
  else {
    const why = whyNotJob(ctx, plan.services);
    const id = why ? 'restart.server' : 'restart.always-restarts';
    ctx.outcome(svc.name, 'restart', id, { restart: r, kind: plan.kind, ...why }, { objects });
  }
}

/** The `controller` entry of the main service: which controller runs the pod, and why. */
function reportKind(ctx: ConvertContext, plan: PodPlan, d: KindDecision): void {
  const pos = (d.at ? ctx.servicePos(plan.main, ...d.at) : undefined) ?? ctx.servicePos(plan.main);
  const ttl: Values =
    plan.ttlSecondsAfterFinished !== undefined
      ? { ttl: 'controller.ttl', ttlSeconds: plan.ttlSecondsAfterFinished }
      : { ttl: 'controller.no-ttl' };
  // Day 2: a Job's pod template and a StatefulSet's claim templates are immutable, so an edited service's controller
  // cannot always be applied over the one that exists.
  const reapply: Values =
    plan.kind === 'Job'
      ? {
          reapply: plan.ttlSecondsAfterFinished !== undefined ? 'controller.reapply-job-ttl' : 'controller.reapply-job',
          workload: plan.name,
        }
      : plan.kind === 'StatefulSet'
        ? { reapply: 'controller.reapply-statefulset', workload: plan.name }
        : { reapply: 'controller.reapply-none' };
  // Pods of a StatefulSet carry the label controller-revision-hash=<name>-<10-char hash> (≤ 63 characters).
  if (plan.kind === 'StatefulSet' && plan.name.length > 52)
    ctx.diags.warn('statefulset-name-too-long', { name: plan.name, service: plan.main.name }, pos);
  ctx.outcome(
    plan.main.name,
    'controller',
    d.id,
    { ...d.values, kind: plan.kind, ...ttl, ...reapply },
    { objects: [`${plan.kind}/${plan.name}`], pos },
  );
}

/** Where peers name `original` (found and rewritten by network/rename.ts), for the rename entry; at most 3 each. */
function peerMentions(ctx: ConvertContext, original: string): string {
  const m = renamedMentions(ctx).get(original.toLowerCase());
  if (!m) return '';
  const few = (l: string[]): string => (l.length > 3 ? [...l.slice(0, 3), `${l.length - 3} more`] : l).join(', ');
  const parts = [
    ...(m.rewritten.length ? [`rewritten in ${few(m.rewritten)}`] : []),
    ...(m.left.length ? [`left in ${few(m.left)}`] : []),
  ];
  return parts.length ? ` (peers' references ${parts.join('; ')})` : '';
}

/**
 * A service whose compose name is not a DNS-1123 label (`plausible_db`, `Web`) is reached in the
 * cluster only by its sanitized Service name: peers that use the compose name as a host name
 * (connection URLs, the app's built-in defaults) cannot resolve it. Kubernetes cannot give a
 * Service that name, so the rename is reported with where peers use the old one.
 */
function reportRenames(ctx: ConvertContext): void {
  const collided = new Set(ctx.names.collisions.filter((c) => c.group === 'service').map((c) => c.original));
  for (const name of Object.keys(ctx.project.services).sort()) {
    const svc = ctx.project.services[name]!;
    if (collided.has(name) || skipsWorkload(svc) || dockerHelpers(ctx).has(name) || permissionHelpers(ctx).has(name))
      continue;
    const k8s = ctx.serviceName(svc);
    if (k8s === name.toLowerCase()) continue; // cluster DNS ignores case: Web still resolves to web
    const where = peerMentions(ctx, name);
    // No peer names it in the file: those that reach it do so by an image default (plausible's DATABASE_URL), which
    // renaming the compose service would not change; the fix says what does.
    ctx.outcome(name, 'name', where ? 'name.renamed' : 'name.renamed-unreferenced', { name, k8s, where });
  }
}

function skipsWorkload(svc: Service): boolean {
  return svc.provider !== undefined && !svc.image;
}

/**
 * A name registry identity as a user reads it: a service name as is; an internal key (`bind\0/abs/dir`, the kind
 * of source and the source) as `bind ./dir`, paths relative to the project directory, no control characters.
 */
function identity(ctx: ConvertContext, key: string): string {
  const wd = ctx.project.workingDir;
  return key
    .split('\0')
    .filter(Boolean)
    .map((p) => (p === wd ? '.' : shownPath(wd, p)))
    .join(' ');
}

/** Report names changed by collisions or sanitizing (call after every module has asked for its names). */
export function reportCollisions(ctx: ConvertContext): void {
  reportRenames(ctx);
  for (const c of ctx.names.collisions) {
    const clash = {
      group: c.group,
      name: c.name,
      original: identity(ctx, c.original),
      clashedWith: identity(ctx, c.clashedWith),
    };
    if (c.group === 'service') {
      ctx.diags.warn('name-collision.service', clash, ctx.servicePos(c.original));
      const values = { group: c.group, used: c.name, original: c.original, clashedWith: c.clashedWith };
      if (ctx.book.get(c.original, 'name')) ctx.downgrade(c.original, 'name', 'name.collision', values);
      else ctx.outcome(c.original, 'name', 'name.collision', values);
    } else {
      ctx.diags.warn('name-collision', clash);
    }
  }
}
