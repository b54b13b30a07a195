/**
 * The nested service blocks with units inside: `deploy`, `healthcheck`, device requests (`gpus`,
 * reservations.devices), `devices`, `ulimits`, `build`, and secret/config references.
 */
import type {
  BuildConfig,
  Deploy,
  DeviceMapping,
  DeviceRequest,
  FileReference,
  Healthcheck,
  ResourceSpec,
  UpdateConfig,
} from '../../model/types.js';
import type { RawDeploy, RawHealthcheck, RawService } from '../../model/schema.js';
import { resolve } from '../../util/path.js';
import { splitShell } from './shell.js';
import { type Ctx, type Path, toBool, toBytes, toDuration, toInt, toMode, toNumber } from './context.js';
import { type ListOrDict, toEnvMapping, toExtraHosts, toMapping } from './maps.js';

/** Copies the defined entries of `src` into a fresh object (no `undefined`-valued keys). */
export function defined<T extends object>(src: T): T {
  const out = {} as T;
  for (const [k, v] of Object.entries(src)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

export function toHealthcheck(ctx: Ctx, raw: RawHealthcheck | undefined, path: Path): Healthcheck | undefined {
  if (raw === undefined) return undefined;
  const at = (k: string): Path => [...path, k];
  let test: string[] | undefined;
  if (typeof raw.test === 'string') test = ['CMD-SHELL', raw.test];
  else if (raw.test) test = raw.test;
  if (test && test.length > 0 && !['NONE', 'CMD', 'CMD-SHELL'].includes(test[0]!)) {
    ctx.errorAt('invalid-value.test', at('test'));
  }
  return defined<Healthcheck>({
    test,
    interval: toDuration(ctx, raw.interval, at('interval')),
    timeout: toDuration(ctx, raw.timeout, at('timeout')),
    start_period: toDuration(ctx, raw.start_period, at('start_period')),
    start_interval: toDuration(ctx, raw.start_interval, at('start_interval')),
    retries: toInt(ctx, raw.retries, at('retries')),
    disable: toBool(ctx, raw.disable, at('disable')),
  });
}

type RawDevice = NonNullable<NonNullable<NonNullable<RawDeploy['resources']>['reservations']>['devices']>[number];

export function toDeviceRequests(
  ctx: Ctx,
  raw: RawDevice[] | 'all' | undefined,
  path: Path,
): DeviceRequest[] | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'all') return [{ count: -1 }];
  return raw.map((d, i) => {
    let count: number | undefined;
    if (d.count === 'all') count = -1;
    else count = toInt(ctx, d.count, [...path, i, 'count']);
    return defined<DeviceRequest>({
      capabilities: d.capabilities,
      driver: d.driver,
      count,
      device_ids: d.device_ids,
      options: toMapping(d.options),
    });
  });
}

function toResources(
  ctx: Ctx,
  raw: { cpus?: number | string; memory?: number | string; pids?: number | string },
  path: Path,
): ResourceSpec {
  return defined<ResourceSpec>({
    cpus: toNumber(ctx, raw.cpus, [...path, 'cpus']),
    memory: toBytes(ctx, raw.memory, [...path, 'memory']),
    pids: toInt(ctx, raw.pids, [...path, 'pids']),
  });
}

function toUpdate(
  ctx: Ctx,
  raw: NonNullable<RawDeploy['update_config']> | undefined,
  path: Path,
): UpdateConfig | undefined {
  if (!raw) return undefined;
  return defined<UpdateConfig>({
    parallelism: toInt(ctx, raw.parallelism, [...path, 'parallelism']),
    delay: toDuration(ctx, raw.delay, [...path, 'delay']),
    failure_action: raw.failure_action,
    monitor: toDuration(ctx, raw.monitor, [...path, 'monitor']),
    max_failure_ratio: toNumber(ctx, raw.max_failure_ratio, [...path, 'max_failure_ratio']),
    order: raw.order,
  });
}

const DEPLOY_MODES = ['replicated', 'global', 'replicated-job', 'global-job'];
const RESTART_CONDITIONS = ['none', 'on-failure', 'any'];

export function toDeploy(ctx: Ctx, raw: RawDeploy | null | undefined, path: Path): Deploy | undefined {
  if (!raw) return undefined;
  const at = (...k: string[]): Path => [...path, ...k];
  if (raw.mode !== undefined && !DEPLOY_MODES.includes(raw.mode)) {
    ctx.errorAt('invalid-value.one-of', at('mode'), { allowed: DEPLOY_MODES.join(', ') });
  }
  let resources: Deploy['resources'];
  if (raw.resources) {
    const { limits, reservations } = raw.resources;
    resources = defined<NonNullable<Deploy['resources']>>({
      limits: limits ? toResources(ctx, limits, at('resources', 'limits')) : undefined,
      reservations: reservations
        ? defined({
            ...toResources(ctx, reservations, at('resources', 'reservations')),
            devices: toDeviceRequests(ctx, reservations.devices, at('resources', 'reservations', 'devices')),
            generic_resources: reservations.generic_resources,
          })
        : undefined,
    });
  }
  let restart_policy: Deploy['restart_policy'];
  if (raw.restart_policy) {
    const rp = raw.restart_policy;
    if (rp.condition !== undefined && !RESTART_CONDITIONS.includes(rp.condition)) {
      ctx.errorAt('invalid-value.condition', at('restart_policy', 'condition'));
    }
    restart_policy = defined<NonNullable<Deploy['restart_policy']>>({
      condition: rp.condition as NonNullable<Deploy['restart_policy']>['condition'],
      delay: toDuration(ctx, rp.delay, at('restart_policy', 'delay')),
      max_attempts: toInt(ctx, rp.max_attempts, at('restart_policy', 'max_attempts')),
      window: toDuration(ctx, rp.window, at('restart_policy', 'window')),
    });
  }
  const pl = raw.placement;
  return defined<Deploy>({
    mode: raw.mode as Deploy['mode'],
    replicas: toInt(ctx, raw.replicas, at('replicas')),
    labels: toMapping(raw.labels),
    endpoint_mode: raw.endpoint_mode,
    resources,
    restart_policy,
    update_config: toUpdate(ctx, raw.update_config, at('update_config')),
    rollback_config: toUpdate(ctx, raw.rollback_config, at('rollback_config')),
    placement: pl
      ? defined({
          constraints: pl.constraints,
          preferences: pl.preferences,
          max_replicas_per_node: toInt(ctx, pl.max_replicas_per_node, at('placement', 'max_replicas_per_node')),
        })
      : undefined,
  });
}

/** `"/dev/ttyUSB0[:/dev/ttyUSB0[:rwm]]"` or long syntax. */
/** compose-go's default for a device written without permissions: read, write, mknod. */
const DEVICE_PERMISSIONS = 'rwm';

export function toDevices(ctx: Ctx, raw: RawService['devices'], path: Path): DeviceMapping[] | undefined {
  if (!raw) return undefined;
  const out: DeviceMapping[] = [];
  raw.forEach((d, i) => {
    if (typeof d !== 'string') {
      out.push({ source: d.source, target: d.target ?? d.source, permissions: d.permissions ?? DEVICE_PERMISSIONS });
      return;
    }
    const parts = d.split(':');
    if (parts.length > 3 || parts.some((p) => p === '')) {
      ctx.errorAt('invalid-value.device', [...path, i], { value: d });
      return;
    }
    out.push({ source: parts[0]!, target: parts[1] ?? parts[0]!, permissions: parts[2] ?? DEVICE_PERMISSIONS });
  });
  return out;
}

export function toUlimits(
  ctx: Ctx,
  raw: RawService['ulimits'],
  path: Path,
): Record<string, { soft: number; hard: number }> | undefined {
  if (!raw) return undefined;
  const out: Record<string, { soft: number; hard: number }> = {};
  for (const [name, v] of Object.entries(raw)) {
    if (typeof v === 'object') {
      const soft = toInt(ctx, v.soft, [...path, name, 'soft']);
      const hard = toInt(ctx, v.hard, [...path, name, 'hard']);
      if (soft === undefined || hard === undefined) continue;
      // Files merged key by key can leave a soft limit above the hard one, which the kernel refuses.
      if (soft > hard && hard !== -1) {
        ctx.errorAt('invalid-value.ulimit', [...path, name], { soft, hard });
        continue;
      }
      out[name] = { soft, hard };
    } else {
      const n = toInt(ctx, v, [...path, name]);
      if (n !== undefined) out[name] = { soft: n, hard: n };
    }
  }
  return out;
}

/** A remote build context (URL or git reference) is kept as written; a local one is made absolute. */
function isRemoteContext(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith('git@') || s.startsWith('github.com/');
}

export function toBuild(ctx: Ctx, raw: RawService['build'], path: Path): BuildConfig | undefined {
  if (raw === undefined) return undefined;
  const ctxDir = (s: string): string => (isRemoteContext(s) ? s : resolve(ctx.opts.workingDir, s));
  if (typeof raw === 'string') return { context: ctxDir(raw) };
  const out: BuildConfig = { context: ctxDir(raw.context ?? '.') };
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined || k === 'context' || k.startsWith('x-')) continue;
    out[k] = v;
  }
  if (raw.args) out.args = toEnvMapping(ctx, raw.args as ListOrDict);
  if (raw.labels) out.labels = toMapping(raw.labels);
  if (raw.extra_hosts) out.extra_hosts = toExtraHosts(ctx, raw.extra_hosts, [...path, 'extra_hosts']);
  if (raw.shm_size !== undefined) out.shm_size = toBytes(ctx, raw.shm_size, [...path, 'shm_size']);
  if (raw.ulimits) out.ulimits = toUlimits(ctx, raw.ulimits, [...path, 'ulimits']);
  if (raw.secrets) out.secrets = toFileRefs(ctx, raw.secrets, [...path, 'secrets'], 'secret');
  return out;
}

/** `command`/`entrypoint`: string → shell words; `[]`, `""` and null → null (explicitly empty). */
export function toCommand(
  ctx: Ctx,
  raw: string | string[] | null | undefined,
  path: Path,
): string[] | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  let words: string[];
  if (typeof raw === 'string') {
    const r = splitShell(raw);
    if ('error' in r) {
      ctx.errorAt('invalid-command', path, { raw, error: r.error });
      return undefined;
    }
    if (r.truncatedAt !== undefined) {
      ctx.warnAt('command-shell-operator', path, { dropped: raw.slice(r.truncatedAt) });
    }
    words = r.words;
  } else words = raw;
  return words.length === 0 ? null : words;
}

export function toFileRefs(
  ctx: Ctx,
  raw: RawService['secrets'],
  path: Path,
  kind: 'secret' | 'config',
): FileReference[] {
  const base = kind === 'secret' ? '/run/secrets/' : '/';
  return (raw ?? []).map((r, i) => {
    if (typeof r === 'string') return { source: r, target: base + r };
    let target = r.target ?? base + r.source;
    if (kind === 'secret' && !target.startsWith('/')) target = base + target;
    return defined<FileReference>({
      source: r.source,
      target,
      uid: r.uid,
      gid: r.gid,
      mode: toMode(ctx, r.mode, [...path, i, 'mode']),
    });
  });
}
