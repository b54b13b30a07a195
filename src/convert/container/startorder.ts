/**
 * Compose `depends_on` → init containers that hold a Pod back until its dependencies are up (issue 5).
 *
 * - `service_started`: a `wait-for-<dep>` busybox init container that tries, for a bounded time, to
 *   connect to a port the dependency is known to serve (network/reach.ts: addressed by the waiting
 *   service or its peers, routed, well-known, or declared), through a headless Service with
 *   `publishNotReadyAddresses` (`<dep>-headless`), so it never waits for readiness (issue 14: quorum
 *   clusters deadlock otherwise); then it starts anyway with a log line. No known port → no wait.
 * - `service_healthy`: the same loop through the dependency's own Service, which only routes to
 *   ready Pods, so with a readiness probe on the dependency this waits for it to be healthy.
 * - `service_completed_successfully`: the dependency runs as a Job; a `wait-for-<dep>` init container
 *   runs `kubectl wait --for=condition=complete job --selector=<dep's labels>`, with a ServiceAccount,
 *   a Role (get/list/watch jobs) and a RoleBinding emitted once per dependant Pod. A failed wait exits
 *   non-zero and the kubelet retries the init container, which also covers a Job that does not exist yet.
 * - `required: false`: the wait gives up after a bounded time and the Pod starts anyway.
 * - A dependency in the same Pod (sidecar) needs no wait; `restart: true` has no equivalent.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import { healthcheckHasTest } from '../../model/healthcheck.js';
import type { Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { declaredTcpTargets, portPairs } from '../../model/ports.js';
import type { DependsOn, Service } from '../../model/types.js';
import type { ControllerKind, PodPlan } from '../plan/pod.js';
import type { ContainerStep } from '../step.js';
import { chooseKind } from '../plan/plan.js';
import type { ConvertContext } from '../context.js';
import { dns1123Label, portName } from '../../kube/naming.js';
import { reachOf } from '../network/reach.js';
import { servedPorts } from '../plan/ports.js';
import type { Service as KService } from 'kubernetes-types/core/v1.js';
import { selectorArg, type KubeObject } from '../../kube/object.js';
import { dockerHelpers } from '../plan/docker-helpers.js';
import { helperMounts, fsGroupFit, permissionHelpers } from '../plan/permission-helpers.js';
import type { OutcomeId, PhraseId } from '../../mappings/outcomes.js';
import type { OutcomeExtra, Values } from '../book.js';
import { workloadRef } from './container.js';
import { LONG_RUNNING } from '../../kube/workloads.js';
import { KUBECTL_IMAGE, WAIT_IMAGE } from '../../kube/images.js';

/** A part of a wait's wording that does not apply (phrases of report.yaml). */
const NONE: PhraseId = 'wait.none';

// The images of the init containers it adds live with the other image data (a Helm chart lifts them into values).
export { KUBECTL_IMAGE, WAIT_IMAGE };
/** `required: false` dependencies: give up after this many 2-second attempts. */
export const OPTIONAL_WAIT_ATTEMPTS = 30;

/** Security context that satisfies the `restricted` Pod Security Standard (the waits need no privileges). */
function restrictedSecurity(readOnlyRoot: boolean): Container['securityContext'] {
  return {
    runAsNonRoot: true,
    runAsUser: 65534,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
    ...(readOnlyRoot ? { readOnlyRootFilesystem: true } : {}),
  };
}

export function waitContainerName(dep: string): string {
  return dns1123Label(`wait-for-${dep}`);
}

/**
 * The shell loop of a TCP wait: until the Service answers or `attempts` run out. When they run out it starts anyway
 * (exit 0), or with `fail` exits 1: the kubelet then retries the init container with back-off, as compose stops a
 * start whose dependency did not become healthy in time. `fail-job`: the same exit in a Job pod under restartPolicy
 * Never, where the Job makes a new pod instead (see retriedByJob).
 */
export function tcpWaitScript(
  dep: string,
  host: string,
  port: number,
  attempts: number = OPTIONAL_WAIT_ATTEMPTS,
  onTimeout: 'start' | 'fail' | 'fail-job' = 'start',
): string {
  const retry = onTimeout === 'fail-job' ? 'the Job makes a new pod' : 'the kubelet retries';
  const give =
    onTimeout === 'start'
      ? `echo "${dep} not reachable on port ${port} after ${attempts * 2}s, starting anyway"; exit 0`
      : `echo "${dep} not ready on port ${port} after ${attempts * 2}s: failing, ${retry}"; exit 1`;
  return `i=0; until nc -z -w 2 ${host} ${port}; do i=$((i+1)); if [ "$i" -ge ${attempts} ]; then ${give}; fi; echo waiting for ${dep}; sleep 2; done`;
}

/**
 * How long compose lets a dependency take to become healthy before it fails the start: its start_period plus
 * retries × (interval + timeout), compose's defaults (30s, 30s, 3) where unset; at least a minute.
 */
export function healthyWaitSeconds(dep: Service): number {
  const hc = dep.healthcheck;
  const ms = (hc?.start_period ?? 0) + (hc?.retries ?? 3) * ((hc?.interval ?? 30_000) + (hc?.timeout ?? 30_000));
  return Math.max(60, Math.ceil(ms / 1000));
}

function addInit(plan: PodPlan, c: Container): void {
  const inits = (plan.spec.initContainers ??= []);
  if (!inits.some((x) => x.name === c.name)) inits.push(c);
}

/** ServiceAccount + Role + RoleBinding letting the Pod's init containers watch Jobs; once per Pod. */
function ensureJobWaitRbac(ctx: ConvertContext, plan: PodPlan): string[] {
  const name = dns1123Label(`${plan.name}-job-waiter`);
  const labels = ctx.labels(plan.main);
  const refs: string[] = [];
  let sa = plan.spec.serviceAccountName;
  if (!sa) {
    sa = name;
    plan.spec.serviceAccountName = sa;
    if (!ctx.find('ServiceAccount', sa))
      ctx.emit({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: ctx.meta(sa, labels) });
    refs.push(`ServiceAccount/${sa}`);
  }
  if (!ctx.find('Role', name)) {
    const rules: Role['rules'] = [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] }];
    ctx.emit({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: ctx.meta(name, labels), rules });
    const roleRef: RoleBinding['roleRef'] = { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name };
    const subjects: RoleBinding['subjects'] = [
      { kind: 'ServiceAccount', name: sa, ...(ctx.options.namespace ? { namespace: ctx.options.namespace } : {}) },
    ];
    ctx.emit({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: ctx.meta(name, labels),
      roleRef,
      subjects,
    });
  }
  refs.push(`Role/${name}`, `RoleBinding/${name}`);
  return refs;
}

/**
 * True when a failed init container `name` of `plan` is retried by its Job, not the kubelet: under restartPolicy
 * Never (a Job run once) the kubelet does not restart it, so it goes in the Job's podFailurePolicy (retriedInits)
 * and its failure makes a new pod, not a failed run counted against backoffLimit 0.
 */
function retriedByJob(plan: PodPlan, name: string): boolean {
  const never = runsOnce(plan);
  if (never && !plan.retriedInits?.includes(name)) (plan.retriedInits ??= []).push(name);
  return never;
}

/** A Job run once (restartPolicy Never): nothing retries a main container that started too early. */
function runsOnce(plan: PodPlan): boolean {
  return !LONG_RUNNING.has(plan.kind) && plan.spec.restartPolicy === 'Never';
}

function waitForJob(ctx: ConvertContext, svc: Service, plan: PodPlan, dep: string, d: DependsOn, key: string): void {
  const owner = ctx.index.ownerOf(dep);
  const job = ctx.serviceName(owner);
  const rbac = ensureJobWaitRbac(ctx, plan);
  const name = waitContainerName(dep);
  const selector = selectorArg(ctx.selector(owner));
  // The Job by its selector labels, not its name: a Helm chart names a Job after its spec's hash (a changed Job is a
  // new one: its pod template is immutable), and every Job of these labels must have completed.
  addInit(plan, {
    name,
    image: KUBECTL_IMAGE,
    command: ['/bin/kubectl'],
    args: ['wait', '--for=condition=complete', 'job', `--selector=${selector}`, '--timeout=600s'],
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
    securityContext: restrictedSecurity(false),
  });
  const never = retriedByJob(plan, name);
  const optional = !d.required ? 'wait.job-not-optional' : never ? 'wait.job-new-pod' : 'wait.job-retried';
  const internal = ctx.options.networkPolicies && onlyInternal(ctx, plan) ? 'wait.internal-only' : NONE;
  ctx.outcome(
    svc.name,
    key,
    'depends_on.job-wait',
    { dep, job, name, image: KUBECTL_IMAGE, selector, optional, internal, service: svc.name },
    { objects: [workloadRef(plan), ...rbac] },
  );
}

/** Compose networks of the services in a pod. */
function podNetworks(services: readonly Service[]): Set<string> {
  return new Set(services.flatMap((s) => Object.keys(s.networks)));
}

/** True when the dependant's pod and the pod of `owner` (and its sidecars) have a network in common. */
function sharesNetwork(ctx: ConvertContext, plan: PodPlan, owner: string): boolean {
  const all = ctx.project.services;
  // NetworkPolicies do not apply to host-network pods as targets, and see host-network clients as node IPs.
  if (all[owner]?.network_mode === 'host') return true;
  if (plan.spec.hostNetwork) return false;
  const theirs = podNetworks(ctx.index.podMembers(owner));
  return [...podNetworks(plan.services)].some((n) => theirs.has(n));
}

/** True when every network of the pod is `internal` (its egress is then limited to those networks and DNS). */
function onlyInternal(ctx: ConvertContext, plan: PodPlan): boolean {
  const nets = [...podNetworks(plan.services)];
  return nets.length > 0 && nets.every((n) => ctx.project.networks[n]?.internal === true);
}

/**
 * The port a wait for `dep` probes — only one it is known to serve: the port the waiting service itself
 * addresses it on, else one it is routed on, addressed on by other peers, says it serves, or its image's
 * well-known port (network/reach.ts), else its first declared TCP port (its Service answers there). Looks at
 * every member of the pod `dep` runs in (a sidecar is reached through its pod's Service). `why`: a phrase of
 * report.yaml (`served.*`) and its values; `inferred` when the port was not declared. Undefined when no served
 * port is known: there is nothing safe to wait on.
 */
export function waitPort(
  ctx: ConvertContext,
  dep: Service,
  owner: string = ctx.index.ownerOf(dep.name),
  from?: string,
): { port: number; inferred?: true; why: Values } | undefined {
  const members = [dep, ...ctx.index.podMembers(owner).filter((m) => m.name !== dep.name)];
  // The members' TCP container ports (ports, then expose), where their pod's Service answers, as Compose peers
  // reach them.
  const declared = members.flatMap((m) => declaredTcpTargets(m));
  const result = (port: number, why: Values) =>
    declared.includes(port) ? { port, why } : { port, inferred: true as const, why };
  if (from !== undefined)
    for (const m of members) {
      const mine = reachOf(ctx, m.name).byPeer.get(from);
      if (mine?.length) return result(mine[0]!, { why: 'served.by-peer', from, member: m.name });
    }
  for (const m of members) {
    const served = servedPorts(ctx, m)[0];
    if (served) return result(served.port, served.why);
  }
  return declared.length ? { port: declared[0]!, why: { why: 'served.declared' } } : undefined;
}

/** Seconds a `service_started` wait tries before the pod starts anyway (compose itself never waits for a port). */
export const STARTED_WAIT_SECONDS = 120;

/**
 * The headless Service a `service_started` wait goes through: `publishNotReadyAddresses`, so DNS answers as
 * soon as the pod exists, not when it is ready (peers in a quorum wait for each other before any is ready).
 * One per pod, with every port a wait uses.
 */
function startedService(ctx: ConvertContext, owner: string, port: number): string {
  const base = ctx.serviceName(owner);
  const name = ctx.names.get('service', `headless\0${owner}`, 63, `${base}-headless`);
  const existing = ctx.find('Service', name) as (KService & KubeObject) | undefined;
  const want = { name: portName(`tcp-${port}`), port, targetPort: port, protocol: 'TCP' as const };
  if (existing) {
    const ports = (existing.spec!.ports ??= []);
    if (!ports.some((p) => p.port === port)) ports.push(want);
    return name;
  }
  const obj: KService & KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ctx.meta(name, ctx.labels(owner)),
    spec: {
      type: 'ClusterIP',
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: ctx.selector(owner),
      ports: [want],
    },
  };
  ctx.emit(obj);
  return name;
}

function waitForService(
  ctx: ConvertContext,
  svc: Service,
  plan: PodPlan,
  dep: Service,
  d: DependsOn,
  key: string,
): void {
  // A sidecar (network_mode: service:X) is reached through the Service of X's pod.
  const owner = ctx.index.ownerOf(dep.name);
  const found = waitPort(ctx, dep, owner, svc.name);
  const names = { dep: dep.name, service: svc.name };
  if (found === undefined) {
    // Declared ports that are all UDP (or SCTP): a TCP wait cannot test them, and "declare a port" would not help.
    const other = portPairs(dep).map((p) => `${p.target}/${p.protocol}`);
    if (other.length) return ctx.outcome(svc.name, key, 'depends_on.udp-only', { ...names, ports: other.join(', ') });
    return ctx.outcome(svc.name, key, 'depends_on.unserved-port', names);
  }
  if (ctx.options.networkPolicies && !sharesNetwork(ctx, plan, owner))
    return ctx.outcome(svc.name, key, 'depends_on.no-shared-network', names);
  const port = found.port;
  const name = waitContainerName(dep.name);
  const objects = [workloadRef(plan)];
  const wait = (host: string, attempts: number, onTimeout?: 'fail' | 'fail-job'): void =>
    addInit(plan, {
      name,
      image: WAIT_IMAGE,
      command: ['sh', '-c', tcpWaitScript(dep.name, host, port, attempts, onTimeout)],
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
      securityContext: restrictedSecurity(true),
    });
  if (d.condition !== 'service_healthy') {
    const host = startedService(ctx, owner, port);
    const seconds = d.required ? STARTED_WAIT_SECONDS : OPTIONAL_WAIT_ATTEMPTS * 2;
    wait(host, seconds / 2);
    ctx.outcome(
      svc.name,
      key,
      'depends_on.started-wait',
      { name, host, port, dep: dep.name, seconds, ...found.why, optional: d.required ? '' : ' (required: false)' },
      { objects: [...objects, `Service/${host}`] },
    );
    return;
  }
  const host = ctx.serviceName(owner);
  // Bounded: an inferred port may be wrong (start anyway after the optional bound); a declared one is waited on
  // as long as compose would let the dependency become healthy, then the init container fails and the kubelet
  // retries it with back-off (visible as Init:Error, never a silent endless loop); in a Job run once, the Job makes a
  // new pod (retriedByJob).
  // An inferred port (a well-known image port, one peers address) is waited on as long too, then the pod starts
  // anyway: a dependency that initialises for minutes (migrations, a search index) is not raced after a minute. Not
  // in a Job run once: a run started too early fails for good there (backoffLimit 0), so its wait fails too and the
  // Job makes a new pod, as for a declared port.
  const deadline = d.required ? Math.ceil(healthyWaitSeconds(dep) / 2) : undefined;
  const failAfter = found.inferred && !runsOnce(plan) ? undefined : deadline;
  const startAfter = found.inferred ? (deadline ?? OPTIONAL_WAIT_ATTEMPTS) : OPTIONAL_WAIT_ATTEMPTS;
  const byJob = failAfter !== undefined && retriedByJob(plan, name);
  if (failAfter !== undefined) wait(host, failAfter, byJob ? 'fail-job' : 'fail');
  else wait(host, startAfter);
  // The wording: phrases of report.yaml (NONE where a part does not apply).
  const noHealth = !healthcheckHasTest(dep.healthcheck);
  const healthy = noHealth ? 'wait.no-healthcheck' : 'wait.healthy';
  const optional: Values = d.required
    ? failAfter !== undefined
      ? { optional: byJob ? 'wait.fails-after-job' : 'wait.fails-after', failSeconds: failAfter * 2 }
      : { optional: NONE }
    : { optional: 'wait.optional', optionalSeconds: OPTIONAL_WAIT_ATTEMPTS * 2 };
  const inferred: Values = found.inferred
    ? {
        inferred: 'wait.inferred',
        ...found.why,
        ...(d.required && failAfter === undefined
          ? { givesUp: 'wait.gives-up', startSeconds: startAfter * 2 }
          : { givesUp: NONE }),
      }
    : { inferred: NONE };
  const fix = found.inferred
    ? noHealth
      ? 'wait.fix-both'
      : 'wait.fix-port'
    : noHealth
      ? 'wait.fix-healthcheck'
      : NONE;
  ctx.outcome(
    svc.name,
    key,
    noHealth || found.inferred ? 'depends_on.tcp-wait-partial' : 'depends_on.tcp-wait',
    { name, host, port, dep: dep.name, ...inferred, healthy, ...optional, fix },
    { objects },
  );
}

/**
 * The start-order step; `kindOf` tells which controller a dependency runs as (plan.ts decides;
 * injectable for tests). Only a dependency that runs as a Job can be waited on for completion.
 */
export function startOrderStep(
  kindOf: (ctx: ConvertContext, svc: Service) => ControllerKind = chooseKind,
): ContainerStep {
  return (ctx, svc, _container, plan) => {
    const inPod = new Set(plan.services.map((s) => s.name));
    const here = { objects: [workloadRef(plan)] };
    for (const depName of Object.keys(svc.depends_on).sort()) {
      const d = svc.depends_on[depName]!;
      const key = `depends_on.${depName}`;
      const rec = (id: OutcomeId, values: Values, extra?: OutcomeExtra): void =>
        ctx.outcome(svc.name, key, id, values, extra);
      if (d.restart) {
        ctx.outcome(svc.name, `${key}.restart`, 'depends_on.restart', { service: svc.name, dep: depName });
      }
      if (inPod.has(depName)) {
        rec(
          d.condition === 'service_started' ? 'depends_on.same-pod' : 'depends_on.same-pod-no-wait',
          { dep: depName },
          here,
        );
        continue;
      }
      const dep = ctx.project.services[depName];
      if (!dep) {
        const disabled = depName in ctx.project.disabledServices;
        rec(d.required ? 'depends_on.missing' : 'depends_on.missing-optional', {
          dep: depName,
          why: disabled ? 'wait.not-enabled' : 'wait.not-in-project',
        });
        continue;
      }
      const perms = permissionHelpers(ctx).get(depName);
      if (perms) {
        // The pod runs it as an init container when one of its containers mounts the helper's volumes.
        const mounted = plan.services.some((m) => helperMounts(perms, m, plan.containers.get(m.name)).length > 0);
        // Or its fsGroup does the helper's work (a group-only chown on claims).
        const fit = mounted ? fsGroupFit(perms, plan) : undefined;
        const gid = fit && 'gid' in fit ? fit.gid : undefined;
        rec(
          gid !== undefined
            ? 'depends_on.permission-helper-fsgroup'
            : mounted
              ? 'depends_on.permission-helper'
              : 'depends_on.permission-helper-elsewhere',
          { dep: depName, gid: gid ?? '' },
          mounted ? here : {},
        );
        continue;
      }
      const helper = dockerHelpers(ctx).get(depName);
      if (helper) rec('depends_on.docker-helper', { dep: depName, image: helper.image });
      else if (d.condition !== 'service_completed_successfully') waitForService(ctx, svc, plan, dep, d, key);
      else {
        const kind = kindOf(ctx, ctx.project.services[ctx.index.ownerOf(depName)] ?? dep);
        if (kind === 'Job') waitForJob(ctx, svc, plan, depName, d, key);
        else rec('depends_on.not-a-job', { dep: depName, kind, service: svc.name });
      }
    }
  };
}

/** ContainerStep: init containers for the service's `depends_on`. */
export const applyStartOrder: ContainerStep = startOrderStep();
