/**
 * One service: raw (schema-valid) value → model `Service`. References to other services, volumes,
 * networks, secrets and configs are collected in `refs` and checked by the caller once everything is known.
 */
import type { DependsOn, Extensions, Service, ServiceNetwork } from '../../model/types.js';
import type { RawService } from '../../model/schema.js';
import { type Ctx, type Path, toBool, toBytes, toDuration, toInt, toNumber, where } from './context.js';
import { toEnvFiles, toEnvMapping, toExtraHosts, toMapping } from './maps.js';
import { toExpose, toPorts } from './ports.js';
import { toVolumes } from './volumes.js';
import { resolve } from '../../util/path.js';
import {
  defined,
  toBuild,
  toCommand,
  toDeploy,
  toDeviceRequests,
  toDevices,
  toFileRefs,
  toHealthcheck,
  toUlimits,
} from './deploy.js';

export type RefKind = 'service' | 'volume' | 'network' | 'secret' | 'config';

export interface Ref {
  kind: RefKind;
  name: string;
  path: Path;
}

export function extensionsOf(raw: object): Extensions {
  const ext: Extensions = {};
  for (const [k, v] of Object.entries(raw)) if (k.startsWith('x-')) ext[k] = v;
  return ext;
}

const list = (v: string | string[] | undefined): string[] | undefined => (typeof v === 'string' ? [v] : v);

function toDependsOn(ctx: Ctx, raw: RawService['depends_on'], path: Path, refs: Ref[]): Record<string, DependsOn> {
  const out: Record<string, DependsOn> = {};
  if (Array.isArray(raw)) {
    raw.forEach((name, i) => {
      out[name] = { condition: 'service_started', required: true, restart: false };
      refs.push({ kind: 'service', name, path: [...path, i] });
    });
  } else if (raw) {
    for (const [name, d] of Object.entries(raw)) {
      out[name] = {
        condition: d.condition,
        required: toBool(ctx, d.required, [...path, name, 'required']) ?? true,
        restart: toBool(ctx, d.restart, [...path, name, 'restart']) ?? false,
      };
      refs.push({ kind: 'service', name, path: [...path, name] });
    }
  }
  return out;
}

function toNetworks(raw: RawService, path: Path, refs: Ref[]): Record<string, ServiceNetwork> {
  const out: Record<string, ServiceNetwork> = {};
  const nets = raw.networks;
  if (Array.isArray(nets)) {
    nets.forEach((n, i) => {
      out[n] = {};
      refs.push({ kind: 'network', name: n, path: [...path, 'networks', i] });
    });
  } else if (nets) {
    for (const [n, cfg] of Object.entries(nets)) {
      const { driver_opts, ...rest } = cfg ?? {};
      const net: ServiceNetwork = {};
      for (const [k, v] of Object.entries(rest))
        if (!k.startsWith('x-') && v !== undefined) (net as Record<string, unknown>)[k] = v;
      if (driver_opts) net.driver_opts = toMapping(driver_opts);
      out[n] = net;
      refs.push({ kind: 'network', name: n, path: [...path, 'networks', n] });
    }
  } else if (raw.network_mode === undefined) {
    out['default'] = {};
    refs.push({ kind: 'network', name: 'default', path });
  }
  return out;
}

/** Normalizes `services.<name>`; `refs` receives every cross-reference found. */
export function normalizeService(ctx: Ctx, name: string, raw: RawService, refs: Ref[]): Service {
  const path: Path = ['services', name];
  const at = (k: string): Path => [...path, k];
  /** `f` applied to the service's key `k` (its raw value and path). */
  const conv = <K extends keyof RawService, T>(f: (c: Ctx, v: RawService[K], p: Path) => T, k: K): T =>
    f(ctx, raw[k], at(k));
  const volumes = conv(toVolumes, 'volumes');
  volumes.forEach((v, i) => {
    if (v.type === 'volume' && v.source !== undefined)
      refs.push({ kind: 'volume', name: v.source, path: [...at('volumes'), i] });
  });
  for (const key of ['links', 'volumes_from'] as const) {
    (raw[key] ?? []).forEach((entry, i) => {
      const target = entry.split(':')[0]!;
      if (key === 'volumes_from' && target === 'container') return;
      refs.push({ kind: 'service', name: target, path: [...at(key), i] });
    });
  }
  for (const key of ['network_mode', 'ipc', 'pid'] as const) {
    const mode = raw[key];
    if (mode?.startsWith('service:'))
      refs.push({ kind: 'service', name: mode.slice('service:'.length), path: at(key) });
  }
  const secrets = toFileRefs(ctx, raw.secrets, at('secrets'), 'secret');
  secrets.forEach((s, i) => refs.push({ kind: 'secret', name: s.source, path: [...at('secrets'), i] }));
  const configs = toFileRefs(ctx, raw.configs, at('configs'), 'config');
  configs.forEach((c, i) => refs.push({ kind: 'config', name: c.source, path: [...at('configs'), i] }));

  const unsetEnvironment: string[] = [];
  const svc = defined<Service>({
    name,
    profiles: raw.profiles,
    image: raw.image,
    build: conv(toBuild, 'build'),
    pull_policy: raw.pull_policy,
    pull_refresh_after: raw.pull_refresh_after,
    platform: raw.platform,
    command: conv(toCommand, 'command'),
    entrypoint: conv(toCommand, 'entrypoint'),
    working_dir: raw.working_dir,
    user: raw.user === undefined ? undefined : String(raw.user),
    group_add: raw.group_add?.map(String),
    environment: conv((c, v, p) => toEnvMapping(c, v, p, unsetEnvironment), 'environment') ?? {},
    unsetEnvironment: unsetEnvironment.length ? unsetEnvironment : undefined,
    env_file: conv(toEnvFiles, 'env_file'),
    labels: toMapping(raw.labels) ?? {},
    label_file: list(raw.label_file)?.map((f) => resolve(ctx.opts.workingDir, f)),
    annotations: toMapping(raw.annotations),
    ports: conv(toPorts, 'ports'),
    expose: conv(toExpose, 'expose'),
    volumes,
    volumes_from: raw.volumes_from,
    tmpfs: list(raw.tmpfs),
    depends_on: toDependsOn(ctx, raw.depends_on, at('depends_on'), refs),
    links: raw.links,
    external_links: raw.external_links,
    healthcheck: conv(toHealthcheck, 'healthcheck'),
    deploy: conv(toDeploy, 'deploy'),
    restart: raw.restart,
    scale: conv(toInt, 'scale'),
    networks: toNetworks(raw, path, refs),
    network_mode: raw.network_mode,
    hostname: raw.hostname,
    domainname: raw.domainname,
    mac_address: raw.mac_address,
    dns: list(raw.dns),
    dns_search: list(raw.dns_search),
    dns_opt: raw.dns_opt,
    extra_hosts: conv(toExtraHosts, 'extra_hosts'),
    secrets,
    configs,
    cap_add: raw.cap_add,
    cap_drop: raw.cap_drop,
    privileged: conv(toBool, 'privileged'),
    read_only: conv(toBool, 'read_only'),
    security_opt: raw.security_opt,
    sysctls: toMapping(raw.sysctls),
    ulimits: conv(toUlimits, 'ulimits'),
    userns_mode: raw.userns_mode,
    pid: raw.pid ?? undefined,
    ipc: raw.ipc,
    uts: raw.uts,
    cgroup: raw.cgroup,
    cgroup_parent: raw.cgroup_parent,
    isolation: raw.isolation,
    runtime: raw.runtime,
    init: conv(toBool, 'init'),
    stdin_open: conv(toBool, 'stdin_open'),
    tty: conv(toBool, 'tty'),
    stop_signal: raw.stop_signal,
    stop_grace_period: conv(toDuration, 'stop_grace_period'),
    container_name: raw.container_name,
    mem_limit: conv(toBytes, 'mem_limit'),
    mem_reservation: conv(toBytes, 'mem_reservation'),
    memswap_limit: conv(toBytes, 'memswap_limit'),
    mem_swappiness: conv(toInt, 'mem_swappiness'),
    shm_size: conv(toBytes, 'shm_size'),
    cpus: conv(toNumber, 'cpus'),
    cpu_shares: conv(toInt, 'cpu_shares'),
    cpu_quota: conv(toInt, 'cpu_quota'),
    cpu_period: conv(toInt, 'cpu_period'),
    cpu_count: conv(toInt, 'cpu_count'),
    cpu_percent: conv(toInt, 'cpu_percent'),
    cpu_rt_period: conv(toCpuRt, 'cpu_rt_period'),
    cpu_rt_runtime: conv(toCpuRt, 'cpu_rt_runtime'),
    cpuset: raw.cpuset,
    pids_limit: conv(toInt, 'pids_limit'),
    oom_kill_disable: conv(toBool, 'oom_kill_disable'),
    oom_score_adj: conv(toInt, 'oom_score_adj'),
    gpus: conv(toDeviceRequests, 'gpus'),
    devices: conv(toDevices, 'devices'),
    device_cgroup_rules: raw.device_cgroup_rules,
    blkio_config: raw.blkio_config,
    storage_opt: raw.storage_opt ? toMapping(raw.storage_opt as Record<string, string>) : undefined,
    logging: raw.logging
      ? defined({ driver: raw.logging.driver, options: toMapping(raw.logging.options ?? undefined) })
      : undefined,
    credential_spec: raw.credential_spec,
    develop: raw.develop ?? undefined,
    post_start: raw.post_start,
    pre_stop: raw.pre_stop,
    attach: conv(toBool, 'attach'),
    use_api_socket: conv(toBool, 'use_api_socket'),
    provider: raw.provider,
    models: raw.models,
    extensions: extensionsOf(raw),
  });
  // `build.secrets` must name top-level secrets too (compose-go: "refers to undefined build secret").
  svc.build?.secrets?.forEach((s, i) =>
    refs.push({ kind: 'secret', name: s.source, path: [...at('build'), 'secrets', i] }),
  );
  return svc;
}

/** cpu_rt_period/runtime: microseconds as a number, or a duration string (converted to microseconds). */
function toCpuRt(ctx: Ctx, v: number | string | undefined, path: Path): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  if (/^-?\d+$/.test(v.trim())) return Number(v);
  const ms = toDuration(ctx, v, path);
  return ms === undefined ? undefined : Math.round(ms * 1000);
}

export { where };
