/**
 * One service: raw (schema-valid) value → model `Service`. References to other services, volumes,
 * networks, secrets and configs are collected in `refs` and checked by the caller once everything is known.
 */
import type { DependsOn, Extensions, Service, ServiceNetwork } from '../../model/types.js';
import type { RawService } from '../../model/schema.js';
import { mentionedServices } from '../../model/mentions.js';
import {
  asIs,
  convertKeys,
  type Ctx,
  type Path,
  toBool,
  toBytes,
  toDuration,
  toInt,
  toNumber,
  where,
} from './context.js';
import { mapping, toEnvFiles, toEnvMapping, toExtraHosts, toMapping } from './maps.js';
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

/** A string or a list, as a list. */
const list = (_: Ctx, v: string | string[] | undefined): string[] | undefined => (typeof v === 'string' ? [v] : v);

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
  const volumes = toVolumes(ctx, raw.volumes, at('volumes'));
  volumes.forEach((v, i) => {
    if (v.type === 'volume' && v.source !== undefined)
      refs.push({ kind: 'volume', name: v.source, path: [...at('volumes'), i] });
  });
  for (const [target, ...seg] of mentionedServices(raw))
    refs.push({ kind: 'service', name: target, path: [...path, ...seg] });
  const secrets = toFileRefs(ctx, raw.secrets, at('secrets'), 'secret');
  secrets.forEach((s, i) => refs.push({ kind: 'secret', name: s.source, path: [...at('secrets'), i] }));
  const configs = toFileRefs(ctx, raw.configs, at('configs'), 'config');
  configs.forEach((c, i) => refs.push({ kind: 'config', name: c.source, path: [...at('configs'), i] }));

  const unsetEnvironment: string[] = [];
  const svc = convertKeys<RawService, Service>(ctx, raw, path, {
    name: () => name,
    profiles: asIs,
    image: asIs,
    build: toBuild,
    pull_policy: asIs,
    pull_refresh_after: asIs,
    platform: asIs,
    command: toCommand,
    entrypoint: toCommand,
    working_dir: asIs,
    user: (_, v) => (v === undefined ? undefined : String(v)),
    group_add: (_, v) => v?.map(String),
    environment: (c, v, p) => toEnvMapping(c, v, p, unsetEnvironment) ?? {},
    unsetEnvironment: () => (unsetEnvironment.length ? unsetEnvironment : undefined),
    env_file: toEnvFiles,
    labels: (_, v) => toMapping(v) ?? {},
    label_file: (c, v) => list(c, v)?.map((f) => resolve(c.opts.workingDir, f)),
    annotations: mapping,
    ports: toPorts,
    expose: toExpose,
    volumes: () => volumes,
    volumes_from: asIs,
    tmpfs: list,
    depends_on: (c, v, p) => toDependsOn(c, v, p, refs),
    links: asIs,
    external_links: asIs,
    healthcheck: toHealthcheck,
    deploy: toDeploy,
    restart: asIs,
    scale: toInt,
    networks: () => toNetworks(raw, path, refs),
    network_mode: asIs,
    hostname: asIs,
    domainname: asIs,
    mac_address: asIs,
    dns: list,
    dns_search: list,
    dns_opt: asIs,
    extra_hosts: toExtraHosts,
    secrets: () => secrets,
    configs: () => configs,
    cap_add: asIs,
    cap_drop: asIs,
    privileged: toBool,
    read_only: toBool,
    security_opt: asIs,
    sysctls: mapping,
    ulimits: toUlimits,
    userns_mode: asIs,
    pid: (_, v) => v ?? undefined,
    ipc: asIs,
    uts: asIs,
    cgroup: asIs,
    cgroup_parent: asIs,
    isolation: asIs,
    runtime: asIs,
    init: toBool,
    stdin_open: toBool,
    tty: toBool,
    stop_signal: asIs,
    stop_grace_period: toDuration,
    container_name: asIs,
    mem_limit: toBytes,
    mem_reservation: toBytes,
    memswap_limit: toBytes,
    mem_swappiness: toInt,
    shm_size: toBytes,
    cpus: toNumber,
    cpu_shares: toInt,
    cpu_quota: toInt,
    cpu_period: toInt,
    cpu_count: toInt,
    cpu_percent: toInt,
    cpu_rt_period: toCpuRt,
    cpu_rt_runtime: toCpuRt,
    cpuset: asIs,
    pids_limit: toInt,
    oom_kill_disable: toBool,
    oom_score_adj: toInt,
    gpus: toDeviceRequests,
    devices: toDevices,
    device_cgroup_rules: asIs,
    blkio_config: asIs,
    storage_opt: (_, v) => (v ? toMapping(v as Record<string, string>) : undefined),
    logging: (_, v) => (v ? defined({ driver: v.driver, options: toMapping(v.options ?? undefined) }) : undefined),
    credential_spec: asIs,
    develop: (_, v) => v ?? undefined,
    post_start: asIs,
    pre_stop: asIs,
    attach: toBool,
    use_api_socket: toBool,
    provider: asIs,
    models: asIs,
    extensions: () => extensionsOf(raw),
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
