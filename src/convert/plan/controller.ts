/**
 * The controller rules: which Kubernetes controller runs a pod, and why (plan.ts applies them; this
 * is the only place that holds them). First match wins:
 *
 * 1. forced: `--controller SERVICE=KIND` (the command line names the service, so it wins) >
 *    `x-k8s.controller` > `kompose.controller.type`;
 * 2. a cron schedule (`x-k8s.cron`, `kompose.cronjob.schedule`) → CronJob;
 * 3. `deploy.mode`: global → DaemonSet, replicated-job → Job, global-job → Job (no per-node Job);
 * 4. other services wait for it with `service_completed_successfully` → Job (start order waits on it);
 * 5. a well-known database/broker image (kube/images.ts STATEFUL_IMAGES) mounting a named volume → StatefulSet;
 * 6. it runs once (restart / deploy.restart_policy: no or on-failure) and shows no sign of a server:
 *    no ports/expose, no healthcheck, no service needs it running (depends_on service_started/healthy,
 *    links) and no peer reaches it by name (network/reach.ts) → Job;
 * 6b. its command or image is a known one-shot task (oneshot.ts: a migration, a seed, `rs.initiate`, an
 *    `<app>-init` command), compose does not restart it after success (restart unset or no: the Job runs it once,
 *    plan.ts; on-failure: a Job's OnFailure policy) and it shows no sign of a server → Job, with the evidence;
 * 6c. `network_mode: none` (nothing can reach it, it reaches nothing) and compose does not restart it after it
 *    exits (restart unset or on-failure) → Job: a Deployment would restart a finished task forever;
 * 7. a named volume and more than one replica → StatefulSet (one claim per replica);
 * 8. else Deployment.
 *
 * A named volume counts when it becomes a claim: not external, not turned into an emptyDir.
 */
import type { Service } from '../../model/types.js';
import { healthcheckActive } from '../../model/healthcheck.js';
import { composeReplicas } from '../../model/replicas.js';
import type { Segment } from '../../model/pointer.js';
import type { PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import type { ConvertContext } from '../context.js';
import type { KindDecision, PodPlan } from './pod.js';
export type { KindDecision } from './pod.js';
import { reachOf } from '../network/reach.js';
import { STATEFUL_IMAGES, holdsDataOf, statefulImage } from '../../kube/images.js';
import { serviceOverrides } from '../intent/overrides.js';
import { overrideApplier } from '../intent/dialect.js';
import { oneShotEvidence } from './oneshot.js';
import { heuristicImage } from './base-image.js';
import { shownPath } from '../../util/path.js';

/**
 * Restart behaviour docker compose applies: `deploy.restart_policy` wins over `restart` (compose create.go), and
 * neither set means "no" (policy undefined here, so callers can tell it from an explicit one). `said` is the setting
 * as compose wrote it, for the report: `restart: no`, `deploy.restart_policy.condition: none`, `restart: unset, so no`.
 */
export function effectiveRestart(svc: Service): {
  policy: 'no' | 'on-failure' | 'always' | 'unless-stopped' | undefined;
  key: string;
  said: string;
} {
  const rp = svc.deploy?.restart_policy;
  if (rp) {
    const c = rp.condition ?? 'any';
    return {
      policy: c === 'none' ? 'no' : c === 'on-failure' ? 'on-failure' : 'always',
      key: 'deploy.restart_policy',
      said: `deploy.restart_policy.condition: ${c}`,
    };
  }
  const r = svc.restart?.split(':')[0];
  const policy = r === 'no' || r === 'on-failure' || r === 'always' || r === 'unless-stopped' ? r : undefined;
  return { policy, key: 'restart', said: `restart: ${policy ?? 'unset, so no'}` };
}

/** Named volumes of `svc` that become PersistentVolumeClaims (not external, not an emptyDir by override). */
export function claimVolumes(ctx: ConvertContext, svc: Service): string[] {
  if (serviceOverrides(ctx, svc).volumes?.type === 'emptyDir') return [];
  const out = new Set<string>();
  for (const v of svc.volumes)
    if (v.type === 'volume' && v.source && !ctx.project.volumes[v.source]?.external) out.add(v.source);
  return [...out];
}

/**
 * Services outside the pod that wait on one of `members` (sorted): for it to complete (depends_on
 * service_completed_successfully), or else for it to run (depends_on started/healthy, or links).
 */
export function dependents(ctx: ConvertContext, members: Service[], completion: boolean): string[] {
  const out = new Set<string>();
  for (const m of members) {
    for (const d of ctx.index.dependantsOf(m.name))
      if ((d.condition === 'service_completed_successfully') === completion) out.add(d.service.name);
    if (!completion) for (const l of ctx.index.linkersOf(m.name)) out.add(l.name);
  }
  for (const m of members) out.delete(m.name);
  return [...out].sort();
}

export function byMode(main: Service): KindDecision | undefined {
  const mode = main.deploy?.mode;
  const at = ['deploy', 'mode'];
  if (mode === 'global') return { kind: 'DaemonSet', id: 'controller.global', at };
  if (mode === 'replicated-job') return { kind: 'Job', id: 'controller.replicated-job', at };
  if (mode === 'global-job') return { kind: 'Job', id: 'controller.global-job', at };
  return undefined;
}

/** The controller for a pod (main service first in `members`) and the reason. */
export function decideKind(ctx: ConvertContext, main: Service, members: Service[] = [main]): KindDecision {
  const cli = ctx.options.controllers?.[main.name];
  if (cli) return { kind: cli, id: 'controller.cli', values: { service: main.name } };
  // A controller or a cron schedule only kompose labels and x-k8s set: decided by their applier (pod/overrides.ts).
  const asked = overrideApplier(ctx)?.controller(ctx, main);
  if (asked) return asked;
  const m = byMode(main);
  if (m) return m;
  const waiters = dependents(ctx, members, true);
  if (waiters.length)
    return {
      kind: 'Job',
      id: 'controller.completion-waiters',
      values: { waiters: waiters.join(', '), wait: waiters.length > 1 ? 'wait' : 'waits' },
    };
  const claims = claimVolumes(ctx, main);
  const built = heuristicImage(ctx, main);
  const image = built ? statefulImage(built) : undefined;
  if (built && image && claims.length) return statefulImageDecision(ctx, main, built, image, claims);
  const task = runsOnce(ctx, main, members) ?? oneShot(ctx, main, members) ?? offline(ctx, main, members);
  if (task) return task;
  const replicas = intendedReplicas(ctx, main);
  const own = claims.filter((v) => !mountedElsewhere(ctx, v, members));
  if (replicas > 1 && own.length)
    return {
      kind: 'StatefulSet',
      id: 'controller.replica-claims',
      // name: the Deployment and Service a one-replica conversion made, which a scale-up leaves in the way.
      values: { replicas, claims: own.join(', '), name: ctx.serviceName(main) },
      at: ['volumes'],
    };
  return { kind: 'Deployment', id: 'controller.long-running' };
}

/**
 * Rule 5, worded by what holds the image's data: the claim volumes mounted at its data directory, else what is
 * mounted there (an external volume, a project directory) or that nothing is.
 */
function statefulImageDecision(
  ctx: ConvertContext,
  main: Service,
  built: string,
  image: string,
  claims: string[],
): KindDecision {
  const at: Segment[] = ['image'];
  const data = main.volumes.filter((v) => (v.type === 'volume' || v.type === 'bind') && holdsDataOf(built, v.target));
  const onClaims = claims.filter((n) => data.some((v) => v.type === 'volume' && v.source === n));
  if (onClaims.length)
    return { kind: 'StatefulSet', id: 'controller.stateful-image', values: { image, claims: onClaims.join(', ') }, at };
  const held = data[0];
  // Where the data is instead: a phrase of report.yaml (`data-place.*`) and its source.
  const where: Values = !held?.source
    ? { where: 'data-place.none' }
    : held.type === 'bind'
      ? { where: 'data-place.bind', source: shownPath(ctx.project.workingDir, held.source) }
      : { where: 'data-place.external', source: held.source };
  return {
    kind: 'StatefulSet',
    id: 'controller.stateful-image-elsewhere',
    values: {
      image,
      claims: claims.join(', '),
      dir: held?.target ?? STATEFUL_IMAGES[image]!.paths[0]!,
      ...where,
    },
    at,
  };
}

/** Replicas the user asks for: an x-k8s/kompose override, else compose's count. */
export function intendedReplicas(ctx: ConvertContext, svc: Service): number {
  return serviceOverrides(ctx, svc).replicas ?? composeReplicas(svc);
}

/**
 * True when an autoscaler (`x-k8s.hpa`, `kompose.hpa.*`, made by the dialects' override applier) will own the
 * replica count of the plan's controller: the controller then sets none.
 */
export function hpaManaged(ctx: ConvertContext, plan: PodPlan): boolean {
  return (
    serviceOverrides(ctx, plan.main).hpa !== undefined && (plan.kind === 'Deployment' || plan.kind === 'StatefulSet')
  );
}

function mountedElsewhere(ctx: ConvertContext, volume: string, members: Service[]): boolean {
  const names = new Set(members.map((m) => m.name));
  return ctx.index.usersOf('volume', volume).some((s) => !names.has(s.name));
}

/**
 * What makes a `restart: no|on-failure` service a server rather than a task: ports or expose, a
 * healthcheck (only long-running containers are health-checked), services that need it running
 * (depends_on started/healthy, links), or peers that reach it by name (network/reach.ts).
 */
function serverSigns(ctx: ConvertContext, main: Service, members: Service[]): ServerSign | undefined {
  const ports = members.filter((s) => s.ports.length > 0 || s.expose.length > 0).map((s) => s.name);
  if (ports.length) return { why: 'server.ports', names: ports.join(', ') };
  const replicas = intendedReplicas(ctx, main);
  if (replicas > 1) return { why: 'server.replicas', replicas };
  if (main.deploy?.update_config) return { why: 'server.rolling-updates' };
  if (healthcheckActive(main.healthcheck)) return { why: 'server.healthcheck' };
  const needed = dependents(ctx, members, false);
  if (needed.length)
    return { why: needed.length > 1 ? 'server.needed-by-many' : 'server.needed-by', names: needed.join(', ') };
  const peers = members.flatMap((m) => {
    const r = reachOf(ctx, m.name);
    return [...r.referenced.values(), ...r.bare];
  });
  if (peers.length) return { why: 'server.reached', peers: peers.slice(0, 3).join('; ') };
  return undefined;
}

/** A sign of a server: the phrase `why` (report.yaml phrases) and its values. */
export type ServerSign = { why: PhraseId } & Values;

/** Rule 6: a service that is meant to stop (restart no/on-failure) and that nothing talks to or needs running. */
function runsOnce(ctx: ConvertContext, main: Service, members: Service[]): KindDecision | undefined {
  const { policy, key, said } = effectiveRestart(main);
  // Only `restart: "no"` says the container is meant to stop. `on-failure` alone is a server that compose
  // restarts when it crashes: a Deployment, whose pod template a later apply can still change.
  if (policy !== 'no') return undefined;
  if (serverSigns(ctx, main, members)) return undefined;
  return {
    kind: 'Job',
    id: 'controller.runs-once',
    values: { said },
    at: key.split('.'),
  };
}

/** Why a `restart: no|on-failure` service still runs as a long-lived controller (for the restart entry). */
export function whyNotJob(ctx: ConvertContext, members: Service[]): ServerSign | undefined {
  return serverSigns(ctx, members[0]!, members);
}

/**
 * Rule 6b's reading of a service, whatever its restart policy: the evidence that it is a one-shot task (oneshot.ts),
 * when no sign of a server contradicts it (also for a sidecar with no restart key, plan.ts).
 */
export function oneShotTask(
  ctx: ConvertContext,
  main: Service,
  members: Service[] = [main],
): ReturnType<typeof oneShotEvidence> {
  const evidence = oneShotEvidence(main);
  return evidence && !serverSigns(ctx, main, members) ? evidence : undefined;
}

/** Rule 6b: a task by its command or image (a migration, a seed, a replica-set initiation) that compose does not restart. */
function oneShot(ctx: ConvertContext, main: Service, members: Service[]): KindDecision | undefined {
  if (members.length > 1) return undefined;
  const { policy, key, said } = effectiveRestart(main);
  // on-failure restarts a failed task and leaves a finished one stopped: what a Job does.
  if (policy !== undefined && policy !== 'no' && policy !== 'on-failure') return undefined;
  const evidence = oneShotTask(ctx, main, members);
  if (!evidence) return undefined;
  return {
    kind: 'Job',
    id: 'controller.one-shot',
    values: { ...evidence, said },
    at: evidence.evidence === 'oneshot.image' ? ['image'] : policy ? key.split('.') : undefined,
  };
}

/**
 * Rule 6c: a container without a network (`network_mode: none`) that compose does not restart after it exits.
 * It cannot serve anyone, so the run-once reading is the faithful one: a Job runs it until it exits (restarting it
 * only on failure, as on-failure does), where a Deployment would restart a finished task forever.
 */
function offline(ctx: ConvertContext, main: Service, members: Service[]): KindDecision | undefined {
  if (main.network_mode !== 'none') return undefined;
  const { policy, key, said } = effectiveRestart(main);
  if (policy !== undefined && policy !== 'on-failure') return undefined;
  if (serverSigns(ctx, main, members)) return undefined;
  return {
    kind: 'Job',
    id: 'controller.no-network',
    values: { said },
    at: policy ? key.split('.') : ['network_mode'],
  };
}
