/**
 * Compose `depends_on` → init containers that hold a Pod back until its dependencies are up (issue 5).
 *
 * - `service_started` / `service_healthy`: a `wait-for-<dep>` busybox init container that loops until
 *   the dependency's Service accepts TCP connections on its first port. A Service only routes to
 *   ready Pods, so with a readiness probe on the dependency this also waits for it to be healthy.
 * - `service_completed_successfully`: the dependency runs as a Job; a `wait-for-<dep>` init container
 *   runs `kubectl wait --for=condition=complete job/<dep>`, with a ServiceAccount, a Role (get/list/
 *   watch jobs) and a RoleBinding emitted once per dependant Pod. A failed wait exits non-zero and
 *   the kubelet retries the init container, which also covers a Job that does not exist yet.
 * - `required: false`: the wait gives up after a bounded time and the Pod starts anyway.
 * - A dependency in the same Pod (sidecar) needs no wait; `restart: true` has no equivalent.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import { healthcheckHasTest } from '../../model/healthcheck.js';
import type { Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { declaredTcpTargets } from '../../model/ports.js';
import type { DependsOn, Service } from '../../model/types.js';
import type { ControllerKind, PodPlan } from '../plan/pod.js';
import type { ContainerStep } from '../step.js';
import { chooseKind } from '../plan/plan.js';
import type { ConvertContext } from '../context.js';
import { dns1123Label } from '../../kube/naming.js';
import { inferPorts } from '../plan/services-infer.js';
import { dockerHelpers } from '../plan/docker-helpers.js';

export const WAIT_IMAGE = 'busybox:1.36';
/** The official kubectl image: no shell, binary at /bin/kubectl; a failed wait is retried by the kubelet. */
export const KUBECTL_IMAGE = 'registry.k8s.io/kubectl:v1.32.0';
/** `required: false` dependencies: give up after this many 2-second attempts. */
export const OPTIONAL_WAIT_ATTEMPTS = 30;

/**
 * Port on which the Service in front of a compose service answers for its first TCP port, as
 * services.ts builds it: the first TCP container port (ports, then expose) — the in-cluster Service
 * answers on container ports, as Compose peers use them. Undefined when the service has no TCP port
 * (then there is no Service to wait on).
 */
export function dependencyServicePort(dep: Service): number | undefined {
  return declaredTcpTargets(dep)[0];
}

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

/** The shell loop of a TCP wait: until the Service answers, or (optional) until attempts run out. */
export function tcpWaitScript(dep: string, host: string, port: number, required: boolean): string {
  const probe = `nc -z -w 2 ${host} ${port}`;
  if (required) return `until ${probe}; do echo waiting for ${dep}; sleep 2; done`;
  return (
    `i=0; until ${probe}; do i=$((i+1)); ` +
    `if [ "$i" -ge ${OPTIONAL_WAIT_ATTEMPTS} ]; then echo "${dep} not reachable, starting anyway (required: false)"; exit 0; fi; ` +
    `echo waiting for ${dep}; sleep 2; done`
  );
}

function addInit(plan: PodPlan, c: Container): boolean {
  const inits = (plan.spec.initContainers ??= []);
  if (inits.some((x) => x.name === c.name)) return false;
  inits.push(c);
  return true;
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

function waitForJob(ctx: ConvertContext, svc: Service, plan: PodPlan, dep: string, d: DependsOn, key: string): void {
  const job = ctx.serviceName(ctx.index.ownerOf(dep));
  const rbac = ensureJobWaitRbac(ctx, plan);
  const name = waitContainerName(dep);
  addInit(plan, {
    name,
    image: KUBECTL_IMAGE,
    command: ['/bin/kubectl'],
    args: ['wait', '--for=condition=complete', `job/${job}`, '--timeout=600s'],
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
    securityContext: restrictedSecurity(false),
  });
  const optional = d.required
    ? 'a failed or timed-out wait is retried by the kubelet'
    : 'required: false is not honoured: the Pod waits until the Job completes';
  const internal =
    ctx.options.networkPolicies && onlyInternal(ctx, plan)
      ? `; ${svc.name} is only on internal networks, whose egress policy blocks the API server: allow it`
      : '';
  ctx.outcome(
    svc.name,
    key,
    'depends_on.job-wait',
    { dep, job, name, image: KUBECTL_IMAGE, optional, internal },
    { objects: [`${plan.kind}/${plan.name}`, ...rbac] },
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
 * The port a wait for `dep` probes, and whether it was inferred: its own first TCP port, else the
 * first TCP port of another container of its pod (the same Service), else the port services.ts
 * infers for a pod that declares none (peers' `<name>:<port>` or the image's default port) — the
 * Service then exists with that port, so the wait must use it rather than give up.
 */
export function waitPort(
  ctx: ConvertContext,
  dep: Service,
  owner: string = ctx.index.ownerOf(dep.name),
): { port: number; inferred?: string } | undefined {
  const own = dependencyServicePort(dep);
  if (own !== undefined) return { port: own };
  const all = ctx.project.services;
  const members = [...ctx.index.podMembers(owner)];
  members.sort((a, b) => (a.name === owner ? -1 : b.name === owner ? 1 : a.name < b.name ? -1 : 1));
  if (members.some((m) => m.ports.length > 0 || m.expose.length > 0)) {
    for (const m of members) {
      const p = dependencyServicePort(m);
      if (p !== undefined) return { port: p };
    }
    return undefined;
  }
  const main = all[owner];
  if (!main) return undefined;
  const first = inferPorts(ctx, { main, services: members } as Pick<PodPlan, 'main' | 'services'> as PodPlan)[0];
  return first ? { port: first.port, inferred: first.reason } : undefined;
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
  const found = waitPort(ctx, dep, owner);
  if (found === undefined) {
    ctx.outcome(svc.name, key, 'depends_on.no-port', { dep: dep.name, service: svc.name });
    return;
  }
  const port = found.port;
  if (ctx.options.networkPolicies && !sharesNetwork(ctx, plan, owner)) {
    ctx.outcome(svc.name, key, 'depends_on.no-shared-network', { dep: dep.name, service: svc.name });
    return;
  }
  const host = ctx.serviceName(owner);
  const name = waitContainerName(dep.name);
  addInit(plan, {
    name,
    image: WAIT_IMAGE,
    // An inferred port may be wrong: wait a bounded time rather than hold the Pod back forever.
    command: ['sh', '-c', tcpWaitScript(dep.name, host, port, d.required && !found.inferred)],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
    securityContext: restrictedSecurity(true),
  });
  const healthy =
    d.condition === 'service_healthy'
      ? healthcheckHasTest(dep.healthcheck)
        ? `; a Service only routes to ready Pods and ${dep.name}'s healthcheck is its readinessProbe, so this waits until it is healthy`
        : `; ${dep.name} has no healthcheck, so this only waits until it accepts connections`
      : '';
  const optional = d.required
    ? ''
    : `; required: false — gives up after ${OPTIONAL_WAIT_ATTEMPTS * 2}s and starts anyway`;
  const inferred = found.inferred
    ? ` (${dep.name} declares no ports; ${port} is the port its Service gets: ${found.inferred}${d.required ? `; as the port is a guess, the wait gives up after ${OPTIONAL_WAIT_ATTEMPTS * 2}s and starts anyway` : ''})`
    : '';
  const noHealth = d.condition === 'service_healthy' && !healthy.includes('readinessProbe');
  const fix = [
    ...(found.inferred ? [`declare the port ${dep.name} listens on: expose: ["${port}"]`] : []),
    ...(noHealth ? [`add a healthcheck to ${dep.name}`] : []),
  ].join('; ');
  ctx.outcome(
    svc.name,
    key,
    noHealth || found.inferred ? 'depends_on.tcp-wait-partial' : 'depends_on.tcp-wait',
    { name, host, port, inferred, healthy, optional, fix },
    { objects: [`${plan.kind}/${plan.name}`] },
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
    for (const depName of Object.keys(svc.depends_on).sort()) {
      const d = svc.depends_on[depName]!;
      const key = `depends_on.${depName}`;
      if (d.restart) {
        ctx.outcome(svc.name, `${key}.restart`, 'depends_on.restart', { service: svc.name, dep: depName });
      }
      if (inPod.has(depName)) {
        ctx.outcome(
          svc.name,
          key,
          d.condition === 'service_started' ? 'depends_on.same-pod' : 'depends_on.same-pod-no-wait',
          { dep: depName },
          { objects: [`${plan.kind}/${plan.name}`] },
        );
        continue;
      }
      const dep = ctx.project.services[depName];
      if (!dep) {
        const disabled = depName in ctx.project.disabledServices;
        ctx.outcome(svc.name, key, d.required ? 'depends_on.missing' : 'depends_on.missing-optional', {
          dep: depName,
          why: disabled ? 'not enabled (profile)' : 'not in the project',
        });
        continue;
      }
      const helper = dockerHelpers(ctx).get(depName);
      if (helper) {
        ctx.outcome(svc.name, key, 'depends_on.docker-helper', { dep: depName, image: helper.image });
        continue;
      }
      if (d.condition !== 'service_completed_successfully') {
        waitForService(ctx, svc, plan, dep, d, key);
        continue;
      }
      const kind = kindOf(ctx, ctx.project.services[ctx.index.ownerOf(depName)] ?? dep);
      if (kind === 'Job') waitForJob(ctx, svc, plan, depName, d, key);
      else ctx.outcome(svc.name, key, 'depends_on.not-a-job', { dep: depName, kind, service: svc.name });
    }
  };
}

/** ContainerStep: init containers for the service's `depends_on`. */
export const applyStartOrder: ContainerStep = startOrderStep();
