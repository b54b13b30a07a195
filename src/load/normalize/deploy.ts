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
import {
  asIs,
  convertKeys,
  type Conversions,
  type Ctx,
  type Path,
  toBool,
  toBytes,
  toDuration,
  toInt,
  toMode,
  toNumber,
} from './context.js';
import { type ListOrDict, mapping, toEnvMapping, toExtraHosts, toMapping } from './maps.js';

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
  return convertKeys<RawHealthcheck, Healthcheck>(ctx, raw, path, {
    test: () => test,
    interval: toDuration,
    timeout: toDuration,
    start_period: toDuration,
    start_interval: toDuration,
    retries: toInt,
    disable: toBool,
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
  return raw.map((d, i) =>
    convertKeys<RawDevice, DeviceRequest>(ctx, d, [...path, i], {
      capabilities: asIs,
      driver: asIs,
      count: (c, v, p) => (v === 'all' ? -1 : toInt(c, v, p)),
      device_ids: asIs,
      options: mapping,
    }),
  );
}

type RawReservations = NonNullable<NonNullable<RawDeploy['resources']>['reservations']>;
type Reservations = NonNullable<NonNullable<Deploy['resources']>['reservations']>;

const RESOURCES: Conversions<RawReservations, ResourceSpec> = { cpus: toNumber, memory: toBytes, pids: toInt };

const RESERVATIONS: Conversions<RawReservations, Reservations> = {
  ...RESOURCES,
  devices: toDeviceRequests,
  generic_resources: asIs,
};

const UPDATE: Conversions<NonNullable<RawDeploy['update_config']>, UpdateConfig> = {
  parallelism: toInt,
  delay: toDuration,
  failure_action: asIs,
  monitor: toDuration,
  max_failure_ratio: toNumber,
  order: asIs,
};

function toUpdate(
  ctx: Ctx,
  raw: NonNullable<RawDeploy['update_config']> | undefined,
  path: Path,
): UpdateConfig | undefined {
  return raw && convertKeys(ctx, raw, path, UPDATE);
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
      limits: limits && convertKeys(ctx, limits, at('resources', 'limits'), RESOURCES),
      reservations: reservations && convertKeys(ctx, reservations, at('resources', 'reservations'), RESERVATIONS),
    });
  }
  let restart_policy: Deploy['restart_policy'];
  if (raw.restart_policy) {
    const rp = raw.restart_policy;
    if (rp.condition !== undefined && !RESTART_CONDITIONS.includes(rp.condition)) {
      ctx.errorAt('invalid-value.condition', at('restart_policy', 'condition'));
    }
    restart_policy = convertKeys(ctx, rp, at('restart_policy'), {
      condition: (_, v) => v as NonNullable<Deploy['restart_policy']>['condition'],
      delay: toDuration,
      max_attempts: toInt,
      window: toDuration,
    });
  }
  return convertKeys<RawDeploy, Deploy>(ctx, raw, path, {
    mode: (_, v) => v as Deploy['mode'],
    replicas: toInt,
    labels: mapping,
    endpoint_mode: asIs,
    resources: () => resources,
    restart_policy: () => restart_policy,
    update_config: toUpdate,
    rollback_config: toUpdate,
    placement: (c, v, p) =>
      v && convertKeys(c, v, p, { constraints: asIs, preferences: asIs, max_replicas_per_node: toInt }),
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
    return convertKeys<typeof r, FileReference>(ctx, r, [...path, i], {
      source: asIs,
      target: () => target,
      uid: asIs,
      gid: asIs,
      mode: toMode,
    });
  });
}
