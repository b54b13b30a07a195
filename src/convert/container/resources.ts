/**
 * Container resources from `deploy.resources` and the legacy keys (`cpus`, `mem_limit`,
 * `cpu_shares`, ...). Compose limits → k8s limits, reservations → requests, GPUs →
 * `nvidia.com/gpu`. `deploy.resources` wins over a legacy key for the same quantity.
 * A limit without a reservation gets a small request (DEFAULT_REQUESTS, or the limit when lower): Docker reserves
 * nothing for a limit, while Kubernetes would request the whole limit, so pods kept on one node by a shared claim
 * would not fit where they ran side by side in compose.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { DeviceRequest, Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { recorder, type ContainerStep, type Rec } from '../step.js';
import type { OutcomeId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import { bytesQuantity, cpuQuantity, cpuRounded } from '../../kube/quantity.js';

/** The request a limit without a reservation gets (the limit when it is lower), as the no-resource-limits fix suggests. */
export const DEFAULT_REQUESTS = { cpu: 0.1, memory: 128 * 1024 * 1024 } as const;

/** The outcomes of one candidate key: used (exact / rounded), no limit (0 or less), another key used instead. */
interface Ids {
  set: OutcomeId;
  rounded?: OutcomeId;
  none: OutcomeId;
  instead?: OutcomeId;
}

/**
 * First defined positive value wins; the others are reported as ignored. `quantity` writes a value as Kubernetes
 * reads it; a key with a `rounded` outcome (a CPU count) also reports the cores as written, for the rounding note.
 */
function pick(
  rec: Rec,
  quantity: (value: number) => string,
  candidates: Array<[key: string, value: number | undefined, ids: Ids]>,
): { key: string; value: number } | undefined {
  let chosen: { key: string; value: number } | undefined;
  for (const [key, value, ids] of candidates) {
    if (value === undefined) continue;
    if (!(value > 0)) rec(key, ids.none, { value });
    else if (chosen) rec(key, ids.instead!, { used: chosen.key });
    else {
      chosen = { key, value };
      if (ids.rounded) rec(key, cpuRounded(value) ? ids.rounded : ids.set, { quantity: quantity(value), cores: value });
      else rec(key, ids.set, { quantity: quantity(value) });
    }
  }
  return chosen;
}

export const applyResources: ContainerStep = (ctx, svc, c, plan) => {
  const rec = recorder(ctx, svc, plan);
  const lim = svc.deploy?.resources?.limits;
  const res = svc.deploy?.resources?.reservations;
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};

  const quota = svc.cpu_quota !== undefined ? svc.cpu_quota / (svc.cpu_period ?? 100_000) : undefined;
  const cpuLimit = pick(rec, cpuQuantity, [
    [
      'deploy.resources.limits.cpus',
      lim?.cpus,
      {
        set: 'deploy.resources.limits.cpus-set',
        rounded: 'deploy.resources.limits.cpus-rounded',
        none: 'deploy.resources.limits.cpus-no-limit',
      },
    ],
    ['cpus', svc.cpus, { set: 'cpus.set', rounded: 'cpus.rounded', none: 'cpus.no-limit', instead: 'cpus.overridden' }],
    [
      'cpu_quota',
      quota,
      {
        set: 'cpu_quota.set',
        rounded: 'cpu_quota.rounded',
        none: 'cpu_quota.no-limit',
        instead: 'cpu_quota.overridden',
      },
    ],
  ]);
  if (svc.cpu_period !== undefined) {
    const used = quota !== undefined && cpuLimit?.value === quota && lim?.cpus === undefined && svc.cpus === undefined;
    rec(
      'cpu_period',
      used
        ? 'cpu_period.divides-quota'
        : svc.cpu_quota === undefined
          ? 'cpu_period.no-quota'
          : 'cpu_period.quota-unused',
    );
  }
  const cpuReq = pick(rec, cpuQuantity, [
    [
      'deploy.resources.reservations.cpus',
      res?.cpus,
      {
        set: 'deploy.resources.reservations.cpus-set',
        rounded: 'deploy.resources.reservations.cpus-rounded',
        none: 'deploy.resources.reservations.cpus-no-limit',
      },
    ],
    [
      'cpu_shares',
      svc.cpu_shares !== undefined ? svc.cpu_shares / 1024 : undefined,
      { set: 'cpu_shares.request', none: 'cpu_shares.no-limit', instead: 'cpu_shares.overridden' },
    ],
  ]);
  const memLimit = pick(rec, bytesQuantity, [
    [
      'deploy.resources.limits.memory',
      lim?.memory,
      { set: 'deploy.resources.limits.memory-set', none: 'deploy.resources.limits.memory-no-limit' },
    ],
    ['mem_limit', svc.mem_limit, { set: 'mem_limit.set', none: 'mem_limit.no-limit', instead: 'mem_limit.overridden' }],
  ]);
  const memReq = pick(rec, bytesQuantity, [
    [
      'deploy.resources.reservations.memory',
      res?.memory,
      { set: 'deploy.resources.reservations.memory-set', none: 'deploy.resources.reservations.memory-no-limit' },
    ],
    [
      'mem_reservation',
      svc.mem_reservation,
      { set: 'mem_reservation.set', none: 'mem_reservation.no-limit', instead: 'mem_reservation.overridden' },
    ],
  ]);
  // A reservation above its limit is compared as the quantities Kubernetes sees (whole millicores, bytes: the
  // loader keeps whole bytes), not the compose decimals.
  for (const [what, limit, req, quantity, item] of [
    ['cpu', cpuLimit, cpuReq, cpuQuantity, 'cpus'],
    ['memory', memLimit, memReq, bytesQuantity, 'memory'],
  ] as const) {
    if (limit !== undefined) limits[what] = quantity(limit.value);
    if (req !== undefined) {
      if (limit !== undefined && quantity(req.value) !== quantity(limit.value) && req.value > limit.value)
        exceeds(ctx, svc, item, quantity(req.value), quantity(limit.value));
      else requests[what] = quantity(req.value);
    } else if (limit !== undefined) {
      requests[what] = quantity(Math.min(limit.value, DEFAULT_REQUESTS[what]));
      ctx.downgrade(svc.name, limit.key, 'deploy.resources.default-request', { what, request: requests[what] });
    }
  }

  if (lim?.pids !== undefined) rec('deploy.resources.limits.pids', 'deploy.resources.limits.pids');
  if (res?.pids !== undefined) rec('deploy.resources.reservations.pids', 'deploy.resources.reservations.pids');
  if (svc.pids_limit !== undefined) rec('pids_limit', 'pids_limit.unsupported');
  if (svc.memswap_limit !== undefined) rec('memswap_limit', 'memswap_limit.unsupported');

  // The driver capabilities of every GPU request, in the order written: Docker sets them in the container (below).
  const driverCaps = new Set<string>();
  const own = Object.hasOwn(svc.environment, DRIVER_CAPS_VAR);
  const gpus =
    gpuCount(rec, 'deploy.resources.reservations.devices', res?.devices, false, driverCaps, own, {
      other: 'deploy.resources.reservations.devices-other',
      ids: 'deploy.resources.reservations.devices-ids',
      all: 'deploy.resources.reservations.devices-all',
      count: 'deploy.resources.reservations.devices-count',
    }) +
    gpuCount(rec, 'gpus', svc.gpus, true, driverCaps, own, {
      other: 'gpus.other',
      ids: 'gpus.ids',
      all: 'gpus.all',
      count: 'gpus.count',
    });
  if (gpus > 0) limits['nvidia.com/gpu'] = String(gpus);
  if (driverCaps.size && !own) c.env = [...(c.env ?? []), { name: DRIVER_CAPS_VAR, value: [...driverCaps].join(',') }];

  if (Object.keys(limits).length || Object.keys(requests).length) {
    c.resources = {
      ...(Object.keys(limits).length ? { limits } : {}),
      ...(Object.keys(requests).length ? { requests } : {}),
    };
  }
};

function exceeds(ctx: ConvertContext, svc: Service, what: 'cpus' | 'memory', req: string, limit: string): void {
  ctx.diags.error(
    'resource-reservation-exceeds-limit',
    { service: svc.name, what, req, limit },
    ctx.servicePos(svc, 'deploy', 'resources', 'reservations', what) ?? ctx.servicePos(svc),
  );
}

/** The variable the NVIDIA container runtime reads to know which driver libraries to mount into a container. */
const DRIVER_CAPS_VAR = 'NVIDIA_DRIVER_CAPABILITIES';

/**
 * The device capabilities that are NVIDIA driver capabilities. Docker (moby daemon/nvidia_linux.go) turns those of a
 * GPU request into NVIDIA_DRIVER_CAPABILITIES (`[gpu, compute, video]` → `compute,video`); the Kubernetes device plugin
 * only hands out the GPU, and without the variable the runtime mounts its default (utility,compute): no NVENC/NVDEC.
 */
const DRIVER_CAPS: ReadonlySet<string> = new Set(['compute', 'compat32', 'graphics', 'utility', 'video', 'display']);

/**
 * GPUs requested by device requests (capability `gpu`, driver nvidia or unset); each request is an item `key[i]`.
 * Their driver capabilities are added to `driverCaps`; the entry says the container gets them unless `own` (the
 * service sets the variable itself).
 */
function gpuCount(
  rec: Rec,
  key: string,
  devices: DeviceRequest[] | undefined,
  gpuDefault: boolean,
  driverCaps: Set<string>,
  own: boolean,
  id: Record<'other' | 'ids' | 'all' | 'count', OutcomeId>,
): number {
  let total = 0;
  for (const [i, d] of (devices ?? []).entries()) {
    const path = `${key}[${i}]`;
    const caps = d.capabilities ?? (gpuDefault ? ['gpu'] : []);
    const isGpu = caps.includes('gpu') && (d.driver === undefined || d.driver === 'nvidia');
    if (!isGpu) {
      rec(path, id.other, { driver: d.driver ?? 'default', capabilities: caps.join(',') || 'none' });
      continue;
    }
    const mine = caps.filter((cap) => DRIVER_CAPS.has(cap));
    for (const cap of mine) driverCaps.add(cap);
    // The entry's note on the driver capabilities, a phrase of report.yaml.
    const note: Values = !mine.length
      ? { driverCaps: 'gpu.no-driver-caps' }
      : { driverCaps: own ? 'gpu.driver-caps-own' : 'gpu.driver-caps', caps: mine.join(','), envVar: DRIVER_CAPS_VAR };
    if (d.device_ids?.length) {
      total += d.device_ids.length;
      rec(path, id.ids, { count: d.device_ids.length, devices: d.device_ids.join(', '), ...note });
    } else if (d.count === undefined || d.count < 0) {
      total += 1;
      rec(path, id.all, note);
    } else if (d.count > 0) {
      total += d.count;
      rec(path, id.count, { count: d.count, ...note });
    }
  }
  return total;
}

/** Pitfall finding when no container of the workload has requests or limits. */
export function checkResourceLimits(ctx: ConvertContext, plan: PodPlan): void {
  const has = (c: Container): boolean => !!(c.resources?.limits || c.resources?.requests);
  if (plan.spec.containers.some(has)) return;
  const pos = ctx.servicePos(plan.main);
  const object = `${plan.kind}/${plan.name}`;
  ctx.finding('no-resource-limits', { object, service: plan.main.name }, { object, service: plan.main.name, pos });
}
