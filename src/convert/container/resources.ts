/**
 * Container resources from `deploy.resources` and the legacy keys (`cpus`, `mem_limit`,
 * `cpu_shares`, ...). Compose limits → k8s limits, reservations → requests, GPUs →
 * `nvidia.com/gpu`. `deploy.resources` wins over a legacy key for the same quantity.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { DeviceRequest, Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import type { ContainerStep } from '../step.js';

const MI = 1024 * 1024;
const GI = 1024 * MI;

/** CPU cores → quantity: 0.5 → `500m`, 2 → `2`; at least `1m`. */
export function cpuQuantity(cores: number): string {
  const milli = Math.max(1, Math.round(cores * 1000));
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** True when `cores` is not a whole number of millicores, the finest CPU unit Kubernetes accepts. */
export function cpuRounded(cores: number | undefined): boolean {
  if (cores === undefined || !(cores > 0)) return false;
  const milli = cores * 1000;
  return Math.abs(milli - Math.round(milli)) > 1e-6 || Math.round(milli) < 1;
}

function cpuRounding(cores: number): string {
  return cpuRounded(cores) ? ` (${cores} CPUs rounded: Kubernetes counts CPU in whole millicores, at least 1m)` : '';
}

/** Bytes → quantity: exact `Gi`/`Mi` when divisible, else plain bytes. */
export function memoryQuantity(bytes: number): string {
  const b = Math.round(bytes);
  if (b > 0 && b % GI === 0) return `${b / GI}Gi`;
  if (b > 0 && b % MI === 0) return `${b / MI}Mi`;
  return String(b);
}

type Rec = (
  key: string,
  status: 'converted' | 'approximated' | 'unsupported' | 'ignored',
  msg: string,
  fix?: string,
) => void;

/** First defined positive value wins; the others are reported as ignored. */
function pick(
  rec: Rec,
  candidates: Array<[key: string, value: number | undefined, msg: (v: number) => string, approx?: boolean]>,
): number | undefined {
  let chosen: { key: string; value: number } | undefined;
  for (const [key, value, msg, approx] of candidates) {
    if (value === undefined) continue;
    if (!(value > 0)) rec(key, 'ignored', `${value} means no limit`);
    else if (chosen) rec(key, 'ignored', `${chosen.key} is used instead`);
    else {
      chosen = { key, value };
      rec(key, approx ? 'approximated' : 'converted', msg(value));
    }
  }
  return chosen?.value;
}

export const applyResources: ContainerStep = (ctx, svc, c, plan) => {
  const objects = [`${plan.kind}/${plan.name}`];
  const rec: Rec = (key, status, msg, fix) =>
    ctx.record(svc.name, key, status, msg, { objects, ...(fix ? { fix } : {}) });
  const lim = svc.deploy?.resources?.limits;
  const res = svc.deploy?.resources?.reservations;
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};

  const quota = svc.cpu_quota !== undefined ? svc.cpu_quota / (svc.cpu_period ?? 100_000) : undefined;
  const cpuLimit = pick(rec, [
    [
      'deploy.resources.limits.cpus',
      lim?.cpus,
      (v) => `limits.cpu: ${cpuQuantity(v)}${cpuRounding(v)}`,
      cpuRounded(lim?.cpus),
    ],
    ['cpus', svc.cpus, (v) => `limits.cpu: ${cpuQuantity(v)}${cpuRounding(v)}`, cpuRounded(svc.cpus)],
    ['cpu_quota', quota, (v) => `limits.cpu: ${cpuQuantity(v)} (quota / period)${cpuRounding(v)}`, cpuRounded(quota)],
  ]);
  if (svc.cpu_period !== undefined) {
    const used = quota !== undefined && cpuLimit === quota && lim?.cpus === undefined && svc.cpus === undefined;
    rec(
      'cpu_period',
      used ? 'converted' : 'ignored',
      used
        ? 'divides cpu_quota into limits.cpu'
        : svc.cpu_quota === undefined
          ? 'no effect without cpu_quota'
          : 'cpu_quota is not used',
    );
  }
  const cpuReq = pick(rec, [
    [
      'deploy.resources.reservations.cpus',
      res?.cpus,
      (v) => `requests.cpu: ${cpuQuantity(v)}${cpuRounding(v)}`,
      cpuRounded(res?.cpus),
    ],
    [
      'cpu_shares',
      svc.cpu_shares !== undefined ? svc.cpu_shares / 1024 : undefined,
      (v) => `requests.cpu: ${cpuQuantity(v)} (shares / 1024): Kubernetes weighs CPU by requests, not relative shares`,
      true,
    ],
  ]);
  const memLimit = pick(rec, [
    ['deploy.resources.limits.memory', lim?.memory, (v) => `limits.memory: ${memoryQuantity(v)}`],
    ['mem_limit', svc.mem_limit, (v) => `limits.memory: ${memoryQuantity(v)}`],
  ]);
  const memReq = pick(rec, [
    ['deploy.resources.reservations.memory', res?.memory, (v) => `requests.memory: ${memoryQuantity(v)}`],
    ['mem_reservation', svc.mem_reservation, (v) => `requests.memory: ${memoryQuantity(v)}`],
  ]);
  if (cpuLimit !== undefined) limits.cpu = cpuQuantity(cpuLimit);
  if (memLimit !== undefined) limits.memory = memoryQuantity(memLimit);
  if (cpuReq !== undefined) {
    // Compared as the quantities Kubernetes sees (whole millicores), not the compose decimals.
    if (cpuLimit !== undefined && cpuQuantity(cpuReq) !== cpuQuantity(cpuLimit) && cpuReq > cpuLimit)
      exceeds(ctx, svc, 'cpus', cpuQuantity(cpuReq), cpuQuantity(cpuLimit));
    else requests.cpu = cpuQuantity(cpuReq);
  }
  if (memReq !== undefined) {
    if (memLimit !== undefined && memReq > memLimit)
      exceeds(ctx, svc, 'memory', memoryQuantity(memReq), memoryQuantity(memLimit));
    else requests.memory = memoryQuantity(memReq);
  }

  const pidsFix = "limit PIDs per pod on the nodes (kubelet's podPidsLimit)";
  if (lim?.pids !== undefined)
    rec('deploy.resources.limits.pids', 'unsupported', 'Kubernetes has no per-container PID limit', pidsFix);
  if (res?.pids !== undefined)
    rec('deploy.resources.reservations.pids', 'unsupported', 'Kubernetes has no PID reservation', pidsFix);
  if (svc.pids_limit !== undefined)
    rec('pids_limit', 'unsupported', 'Kubernetes has no per-container PID limit', pidsFix);
  if (svc.memswap_limit !== undefined)
    rec(
      'memswap_limit',
      'unsupported',
      'Kubernetes has no per-container swap limit',
      'remove it; swap is configured per node (NodeSwap)',
    );

  const gpus =
    gpuCount(rec, 'deploy.resources.reservations.devices', res?.devices, false) + gpuCount(rec, 'gpus', svc.gpus, true);
  if (gpus > 0) limits['nvidia.com/gpu'] = String(gpus);

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
    `service ${svc.name}: reservation of ${what} (${req}) is above its limit (${limit}); Kubernetes rejects requests above limits`,
    ctx.servicePos(svc, 'deploy', 'resources', 'reservations', what) ?? ctx.servicePos(svc),
    `lower deploy.resources.reservations.${what} to at most the limit`,
  );
}

/** GPUs requested by device requests (capability `gpu`, driver nvidia or unset). */
function gpuCount(rec: Rec, key: string, devices: DeviceRequest[] | undefined, gpuDefault: boolean): number {
  let total = 0;
  for (const d of devices ?? []) {
    const caps = d.capabilities ?? (gpuDefault ? ['gpu'] : []);
    const isGpu = caps.includes('gpu') && (d.driver === undefined || d.driver === 'nvidia');
    if (!isGpu) {
      rec(
        key,
        'unsupported',
        `device request (driver ${d.driver ?? 'default'}, capabilities ${caps.join(',') || 'none'}) has no Kubernetes equivalent`,
        'request the device plugin resource of your cluster in resources.limits',
      );
      continue;
    }
    if (d.device_ids?.length) {
      total += d.device_ids.length;
      rec(
        key,
        'approximated',
        `limits nvidia.com/gpu: ${d.device_ids.length}; Kubernetes cannot pick specific devices (${d.device_ids.join(', ')})`,
      );
    } else if (d.count === undefined || d.count < 0) {
      total += 1;
      rec(
        key,
        'approximated',
        'limits nvidia.com/gpu: 1; "all GPUs" has no Kubernetes equivalent, a count is needed',
        'set `count:` to the number of GPUs the service needs',
      );
    } else if (d.count > 0) {
      total += d.count;
      rec(key, 'converted', `limits nvidia.com/gpu: ${d.count}`);
    }
  }
  return total;
}

/** Pitfall finding when no container of the workload has requests or limits. */
export function checkResourceLimits(ctx: ConvertContext, plan: PodPlan): void {
  const has = (c: Container): boolean => !!(c.resources?.limits || c.resources?.requests);
  if (plan.spec.containers.some(has)) return;
  const pos = ctx.servicePos(plan.main);
  ctx.finding({
    pitfall: 'no-resource-limits',
    object: `${plan.kind}/${plan.name}`,
    service: plan.main.name,
    message: `${plan.kind}/${plan.name} sets no CPU or memory requests or limits: the scheduler cannot place it well and it can starve its neighbours`,
    fix: `add to service ${plan.main.name}: deploy: { resources: { limits: { cpus: "0.5", memory: 512M }, reservations: { cpus: "0.1", memory: 128M } } }`,
    ...(pos ? { pos } : {}),
  });
}
