/**
 * Service overrides (x-k8s / kompose labels, read through overrides.ts) that shape the pod and its
 * controller: the controller or CronJob they ask for, which services a group setting runs in another's pod, pull
 * policy and secrets, service account, fsGroup, host ports, extra init containers, resource quantities, a
 * HorizontalPodAutoscaler, and what the storage settings make of a volume (an anonymous volume's claim, a named
 * volume's emptyDir or sub-path). Part of the dialects' OverrideApplier (intent/dialect.ts): only
 * src/convert/dialects.ts imports it, so the lean entry without dialects does not bundle it.
 */
import type { Container, ContainerPort } from 'kubernetes-types/core/v1.js';
import type { HorizontalPodAutoscaler, MetricSpec } from 'kubernetes-types/autoscaling/v2.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import type { PodPlan } from '../plan/pod.js';
import { serviceOverrides } from '../intent/overrides.js';
import { planPods } from '../plan/plan.js';
import { podOwner } from '../facts.js';
import { hpaManaged, type KindDecision } from '../plan/controller.js';
import { isMap } from '../../util/object.js';
import { isPublishedRange, publishedStart } from '../plan/ports.js';
import { quantityValue } from '../../kube/quantity.js';
import { addVolume, claim, mountOf, ownMounters } from '../storage/claims.js';
import { volumeName } from '../storage/files.js';
import { topEntry } from '../storage/named.js';
import type { OutcomeExtra } from '../book.js';
import { basename } from '../../util/path.js';

/**
 * Pod owner with user grouping: services with the same `kompose.service.group` / `x-k8s.group`
 * share the pod of the group's first service (by name); `network_mode: service:X` chains still apply (OverrideApplier
 * owners, plan/plan.ts).
 */
export function groupOwners(ctx: ConvertContext, names: string[]): Map<string, string> {
  const services = ctx.project.services;
  const groupFirst = new Map<string, string>();
  for (const n of names) {
    const g = serviceOverrides(ctx, n).serviceGroup;
    if (g && !groupFirst.has(g)) groupFirst.set(g, n);
  }
  const owners = new Map<string, string>();
  for (const n of names) {
    const base = podOwner(services, n);
    const g = serviceOverrides(ctx, base).serviceGroup;
    owners.set(n, g ? podOwner(services, groupFirst.get(g)!) : base);
  }
  return owners;
}

/**
 * The services a group setting (kompose.service.group, x-k8s.group) runs in another service's pod, with the group and
 * that pod's main service, in pod order.
 */
export function groupedServices(ctx: ConvertContext): Array<{ service: string; group: string; main: string }> {
  const services = ctx.project.services;
  return planPods(ctx).flatMap((plan) =>
    plan.services.flatMap((m) => {
      const group = serviceOverrides(ctx, m).serviceGroup;
      return m === plan.main || group === undefined || podOwner(services, m.name) !== m.name
        ? []
        : [{ service: m.name, group, main: plan.main.name }];
    }),
  );
}

/**
 * The controller kompose labels or x-k8s ask for (plan/controller.ts rule 1, after the command line), else the CronJob
 * their cron schedule makes (rule 2), with where the deciding setting is (OverrideApplier controller).
 */
export function askedController(ctx: ConvertContext, main: Service): KindDecision | undefined {
  const ov = serviceOverrides(ctx, main);
  const kind = ov.controller;
  if (!kind) {
    const cron = ov.cron?.schedule;
    return cron ? { kind: 'CronJob', id: 'controller.cron', values: { schedule: cron } } : undefined;
  }
  const ext = main.extensions['x-k8s'];
  if (isMap(ext) && 'controller' in ext) return { kind, id: 'controller.x-k8s', at: ['x-k8s', 'controller'] };
  const inLabels = 'kompose.controller.type' in main.labels;
  return {
    kind,
    id: 'controller.kompose-label',
    at: inLabels ? ['labels', 'kompose.controller.type'] : ['deploy', 'labels', 'kompose.controller.type'],
  };
}

/** A CronJob's schedule, retries and concurrency policy, from x-k8s.cron or the kompose.cronjob labels (plan.ts). */
export function applyCronSettings(ctx: ConvertContext, plan: PodPlan): void {
  const cron = serviceOverrides(ctx, plan.main).cron;
  plan.schedule = cron?.schedule || undefined;
  if (cron?.backoffLimit !== undefined) plan.backoffLimit = cron.backoffLimit;
  if (cron?.concurrencyPolicy) plan.concurrencyPolicy = cron.concurrencyPolicy;
}

/** Before the container steps: settings other modules read (start order binds its Role to the service account). */
export function applyPodOverrides(ctx: ConvertContext, plan: PodPlan): void {
  const ov = serviceOverrides(ctx, plan.main);
  if (ov.serviceAccountName) plan.spec.serviceAccountName = ov.serviceAccountName;
  if (ov.imagePullSecrets?.length) plan.spec.imagePullSecrets = ov.imagePullSecrets.map((name) => ({ name }));
  if (ov.fsGroup !== undefined) (plan.spec.securityContext ??= {}).fsGroup = ov.fsGroup;
}

/** Per container, after resources.ts: pull policy and resource quantities given explicitly win; host ports. */
export function applyContainerOverrides(ctx: ConvertContext, svc: Service, c: Container): void {
  const ov = serviceOverrides(ctx, svc);
  if (ov.hostPorts) addHostPorts(svc, c.ports ?? []);
  if (ov.imagePullPolicy) c.imagePullPolicy = ov.imagePullPolicy;
  const r = ov.resources;
  if (!r) return;
  for (const side of ['limits', 'requests'] as const) {
    const q = r[side];
    if (!q) continue;
    const out = { ...(c.resources?.[side] ?? {}) } as Record<string, string>;
    if (q.cpu) out.cpu = q.cpu;
    if (q.memory) out.memory = q.memory;
    if (q.ephemeralStorage) out['ephemeral-storage'] = q.ephemeralStorage;
    c.resources = { ...(c.resources ?? {}), [side]: out };
  }
  // A limit set here below a request it leaves alone (resources.ts' default request of a compose limit) would be
  // refused by the API server: the request follows the limit down.
  const { limits, requests } = c.resources ?? {};
  for (const k of ['cpu', 'memory'] as const) {
    const lim = limits?.[k];
    const req = requests?.[k];
    if (r.limits?.[k] && !r.requests?.[k] && lim !== undefined && req !== undefined)
      if ((quantityValue(String(req)) ?? 0) > (quantityValue(String(lim)) ?? Infinity)) requests![k] = lim;
  }
}

/** kompose.controller.port.expose / x-k8s hostPorts: single published ports also bind on the node. */
function addHostPorts(svc: Service, ports: ContainerPort[]): void {
  for (const p of svc.ports) {
    const host = isPublishedRange(p) ? undefined : publishedStart(p);
    const cp = ports.find((x) => x.containerPort === p.target && x.protocol === p.protocol.toUpperCase());
    if (host !== undefined && cp && cp.hostPort === undefined) cp.hostPort = host;
  }
}

/** After the container steps: user init containers run after the start-order waits. */
export function addOverrideInitContainers(ctx: ConvertContext, plan: PodPlan): void {
  const inits = serviceOverrides(ctx, plan.main).initContainers;
  if (!inits?.length) return;
  const list = (plan.spec.initContainers ??= []);
  for (const i of inits) {
    if (list.some((x) => x.name === i.name) || plan.spec.containers.some((x) => x.name === i.name)) {
      ctx.diags.warn('init-container-name-taken', { name: i.name, service: plan.main.name }, ctx.servicePos(plan.main));
      continue;
    }
    list.push({ name: i.name, image: i.image, ...(i.command?.length ? { command: i.command } : {}) });
    // The user's own loop is kept as written (its bound, if any, is theirs to choose), and said.
    const script = (i.command ?? []).join(' ');
    if (/\buntil\b/.test(script) && !/\btimeout\b|-ge\s+\d+|-gt\s+\d+|\$\(\(\s*\w+\s*\+\s*1\s*\)\)/.test(script))
      ctx.diags.warn(
        'init-container-unbounded-wait',
        { name: i.name, service: plan.main.name },
        ctx.servicePos(plan.main),
      );
  }
}

/** A HorizontalPodAutoscaler (autoscaling/v2) for a Deployment or StatefulSet with `hpa` settings. */
export function buildHpa(ctx: ConvertContext, plan: PodPlan): void {
  const ov = serviceOverrides(ctx, plan.main);
  const h = ov.hpa;
  if (!h) return;
  const objects = [`${plan.kind}/${plan.name}`];
  const pos = ctx.servicePos(plan.main);
  const at = pos ? { pos } : {};
  if (!hpaManaged(ctx, plan)) {
    ctx.diags.warn('hpa-not-scalable', { service: plan.main.name, kind: plan.kind }, ctx.servicePos(plan.main));
    ctx.outcome(plan.main.name, 'autoscaling', 'autoscaling.not-scalable', { kind: plan.kind }, { objects, ...at });
    return;
  }
  const metrics: MetricSpec[] = [];
  const cpu = h.cpu ?? (h.memory === undefined ? 80 : undefined);
  if (cpu !== undefined)
    metrics.push({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } },
    });
  if (typeof h.memory === 'number')
    metrics.push({
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: h.memory } },
    });
  else if (typeof h.memory === 'string')
    metrics.push({
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'AverageValue', averageValue: h.memory } },
    });
  const min = h.minReplicas ?? Math.max(1, plan.replicas);
  const max = Math.max(h.maxReplicas ?? Math.max(min, plan.replicas) * 2, min);
  const hpa: HorizontalPodAutoscaler & KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: ctx.meta(plan.name, ctx.labels(plan.main)),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: plan.kind, name: plan.name },
      minReplicas: min,
      maxReplicas: max,
      metrics,
    },
  };
  ctx.emit(hpa);
  const ref = `HorizontalPodAutoscaler/${plan.name}`;
  const notes: string[] = [];
  if (h.maxReplicas !== undefined && h.maxReplicas < min)
    notes.push(`maximum ${h.maxReplicas} is below the minimum: raised to ${min}`);
  const asked = ov.replicas ?? plan.main.deploy?.replicas ?? plan.main.scale;
  if (asked !== undefined && (asked < min || asked > max))
    notes.push(`replicas ${asked} is outside ${min}-${max}: the autoscaler moves it into that range`);
  const targets = metrics.map(
    (m) =>
      `${m.resource!.name} ${m.resource!.target.averageUtilization !== undefined ? `${m.resource!.target.averageUtilization}%` : m.resource!.target.averageValue}`,
  );
  ctx.outcome(
    plan.main.name,
    'autoscaling',
    notes.length ? 'autoscaling.hpa-adjusted' : 'autoscaling.hpa',
    { hpa: ref, min, max, targets: targets.join(', '), workload: `${plan.kind}/${plan.name}`, notes: notes.join('; ') },
    { objects: [...objects, ref], ...at },
  );
  const noRequests = plan.spec.containers.some((c) => !c.resources?.requests && !c.resources?.limits);
  if (noRequests && metrics.some((m) => m.resource?.target.type === 'Utilization'))
    ctx.diags.warn('hpa-without-requests', { name: plan.name, service: plan.main.name }, ctx.servicePos(plan.main));
}

/**
 * The claim the service's storage settings ask for (a size, a StorageClass or storage type persistentVolumeClaim;
 * not emptyDir), named like its other claims (`<service>-<directory>`); undefined when they ask for none
 * (OverrideApplier anonymousClaim, storage/anonymous.ts).
 */
export function anonymousClaim(
  ctx: ConvertContext,
  svc: Service,
  plan: PodPlan,
  v: ServiceVolume,
): { volume: string; objects: string[]; values: Record<string, string> } | undefined {
  const ov = serviceOverrides(ctx, svc).volumes ?? {};
  const asked = ov.type === 'persistentVolumeClaim' || (ov.type !== 'emptyDir' && (ov.size ?? ov.storageClass));
  if (!asked) return undefined;
  const r = claim(ctx, plan, {
    identity: `anonymous\0${svc.name}\0${v.target}`,
    service: svc,
    proposed: `${ctx.serviceName(svc)}-${basename(v.target) || 'root'}`,
    shared: ownMounters(ctx, svc),
    labels: ctx.labels(svc),
  });
  const settings = [
    ...(ov.size !== undefined ? [`size ${ov.size}`] : []),
    ...(ov.storageClass !== undefined ? [`StorageClass ${ov.storageClass}`] : []),
    ...(ov.type !== undefined ? [`storage type ${ov.type}`] : []),
  ].join(', ');
  return {
    volume: r.volume,
    objects: r.objects,
    values: {
      kind: r.kind,
      name: r.name,
      mode: r.accessMode,
      size: r.size,
      settings,
    },
  };
}

/**
 * What the service's storage settings make of a named volume's mount (storage/named.ts): with storage type emptyDir
 * an emptyDir, mounted and reported here (undefined: nothing is left to do); else the mount, with the settings'
 * sub-path unless it has its own (OverrideApplier namedMount).
 */
export function storageNamedMount(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  v: ServiceVolume,
  path: string,
  at: OutcomeExtra,
): ServiceVolume | undefined {
  const ov = serviceOverrides(ctx, svc).volumes ?? {};
  const mount: ServiceVolume =
    ov.subpath && !v.volume?.subpath ? { ...v, volume: { ...v.volume, subpath: ov.subpath } } : v;
  if (ov.type !== 'emptyDir') return mount;
  const source = v.source!;
  const name = addVolume(plan, { name: volumeName('vol', source), emptyDir: {} });
  (c.volumeMounts ??= []).push(mountOf(name, mount));
  ctx.outcome(svc.name, path, 'volumes.named-emptydir', { source, target: mount.target }, at);
  const objects = [`${plan.kind}/${plan.name}`];
  topEntry(ctx, `volumes.${source}`, 'top.volumes.emptydir', { service: svc.name }, { objects });
  return undefined;
}
