/**
 * Top-level `networks`, `volumes`, `secrets`, `configs` → model configs (legacy `external: {name}` folded
 * into `external` + `name`, `file` made absolute), and the schema walk that lists allowed keys for messages.
 */
import type { ConfigConfig, ModelConfig, NetworkConfig, SecretConfig, VolumeConfig } from '../../model/types.js';
import type { Schema } from '../../model/check.js';
import type { RawConfig, RawModel, RawNetwork, RawSecret, RawVolumeConfig } from '../../model/schema.js';
import { resolve } from '../../util/path.js';
import { asIs, convertKeys, type Ctx, type Path, toBool, where } from './context.js';
import type { DiagnosticId } from '../../report/codes.js';
import { mapping, toMapping } from './maps.js';
import { defined } from './deploy.js';
import { extensionsOf } from './service.js';
import { hostPath } from './volumes.js';

type External = boolean | string | { name?: string | undefined } | null | undefined;

/**
 * `external: true` / `"true"` / legacy `{name: x}` → [external, name]. A blank `name` (often an unset variable,
 * `name: ${NET}`) is no name: compose-go names an entry from its key when `Name == ""`.
 */
function external(
  ctx: Ctx,
  ext: External,
  given: string | undefined,
  path: Path,
): [boolean | undefined, string | undefined] {
  const name = given === '' ? undefined : given;
  if (ext === null || ext === undefined) return [undefined, name];
  if (typeof ext === 'object') {
    if (ext.name !== undefined && name !== undefined && ext.name !== name) {
      ctx.error('invalid-value.external-name', { where: where(path) }, [...path, 'external', 'name']);
    }
    if (ext.name !== undefined) {
      ctx.warn('external-name-deprecated', { where: where(path) }, [...path, 'external', 'name']);
    }
    return [true, (ext.name === '' ? undefined : ext.name) ?? name];
  }
  return [toBool(ctx, ext, [...path, 'external']), name];
}

export function toNetworkConfig(ctx: Ctx, raw: RawNetwork | null, path: Path): NetworkConfig {
  const r = raw ?? {};
  const [ext, name] = external(ctx, r.external, r.name, path);
  return convertKeys<RawNetwork, NetworkConfig>(ctx, r, path, {
    name: () => name,
    driver: asIs,
    driver_opts: mapping,
    ipam: (_, v) => v && defined({ driver: v.driver, config: v.config, options: v.options }),
    external: () => ext,
    internal: toBool,
    enable_ipv4: toBool,
    enable_ipv6: toBool,
    attachable: toBool,
    labels: mapping,
    extensions: () => extensionsOf(r),
  });
}

export function toVolumeConfig(ctx: Ctx, raw: RawVolumeConfig | null, path: Path): VolumeConfig {
  const r = raw ?? {};
  const [ext, name] = external(ctx, r.external, r.name, path);
  const opts = toMapping(r.driver_opts);
  // compose-go: the local driver's `o: bind` device is a host path, relative to the project directory.
  if (r.driver === 'local' && opts?.o === 'bind' && opts.device)
    opts.device = hostPath(ctx, opts.device, [...path, 'driver_opts', 'device']);
  return convertKeys<RawVolumeConfig, VolumeConfig>(ctx, r, path, {
    name: () => name,
    driver: asIs,
    driver_opts: () => opts,
    external: () => ext,
    labels: mapping,
    extensions: () => extensionsOf(r),
  });
}

/**
 * A top-level `secrets` or `configs` entry (`content` is a config's, `driver` a secret's). It needs one source: a
 * file, an environment variable or the content, unless it is external or a secret's driver makes it; `ids`: the
 * errors for none and for several.
 */
function toFileConfig(
  ctx: Ctx,
  raw: RawSecret | RawConfig | null,
  path: Path,
  ids: readonly [DiagnosticId, DiagnosticId],
): SecretConfig & ConfigConfig {
  const r: Partial<RawSecret & RawConfig> = raw ?? {};
  const [ext, name] = external(ctx, r.external, r.name, path);
  const n = [r.file, r.environment, r.content].filter((x) => x !== undefined).length;
  if (n === 0 && !ext && r.driver === undefined) ctx.errorAt(ids[0], path);
  else if (n > 1) ctx.errorAt(ids[1], path);
  return convertKeys<RawSecret & RawConfig, SecretConfig & ConfigConfig>(ctx, r, path, {
    name: () => name,
    file: (c, v) => (v === undefined ? undefined : resolve(c.opts.workingDir, v)),
    environment: asIs,
    content: asIs,
    external: () => ext,
    labels: mapping,
    driver: asIs,
    driver_opts: mapping,
    template_driver: asIs,
    extensions: () => extensionsOf(r),
  });
}

export function toSecretConfig(ctx: Ctx, raw: RawSecret | null, path: Path): SecretConfig {
  return toFileConfig(ctx, raw, path, ['invalid-secret.source', 'invalid-secret.sources']);
}

export function toConfigConfig(ctx: Ctx, raw: RawConfig | null, path: Path): ConfigConfig {
  return toFileConfig(ctx, raw, path, ['invalid-config.source', 'invalid-config.sources']);
}

/** A top-level `models` entry, kept as written (nothing in Kubernetes runs it; the report says so). */
export function toModelConfig(ctx: Ctx, raw: RawModel | null, path: Path): ModelConfig {
  const r = raw ?? {};
  return convertKeys<RawModel, ModelConfig>(ctx, r, path, {
    name: asIs,
    model: asIs,
    context_size: asIs,
    runtime_flags: asIs,
    extensions: () => extensionsOf(r),
  });
}

/** Keys of the object schema found at `path` (through optional/nullable/record/array/union). */
export function allowedKeysAt(schema: Schema<unknown>, path: readonly PropertyKey[]): string[] {
  const objectDefs = (s: Schema<unknown>, rest: readonly PropertyKey[]): Array<Record<string, unknown>> => {
    const d = s.def;
    if (d.type === 'optional' || d.type === 'nullable') return objectDefs(d.inner, rest);
    if (d.type === 'union') return d.options.flatMap((o) => objectDefs(o, rest));
    if (rest.length === 0) return d.type === 'object' ? [d.shape] : [];
    const [head, ...tail] = rest;
    if (d.type === 'object') {
      const child = d.shape[String(head)];
      return child ? objectDefs(child, tail) : [];
    }
    if (d.type === 'record' || d.type === 'array') return objectDefs(d.inner, tail);
    return [];
  };
  const keys = new Set<string>();
  for (const shape of objectDefs(schema, path)) for (const k of Object.keys(shape)) keys.add(k);
  return [...keys];
}

/** Places whose keys are worth suggesting when a key is misplaced (`*`: any entry). */
const PLACES: string[][] = [
  [],
  ['services', '*'],
  ['services', '*', 'build'],
  ['services', '*', 'deploy'],
  ['services', '*', 'deploy', 'resources', 'limits'],
  ['services', '*', 'healthcheck'],
  ['services', '*', 'networks', '*'],
  ['networks', '*'],
  ['volumes', '*'],
  ['secrets', '*'],
  ['configs', '*'],
];

/** A place as users write it: `services.<name>.networks.<network>`, `the top level`. */
function placeLabel(place: string[]): string {
  if (place.length === 0) return 'the top level';
  return place.map((s, i) => (s !== '*' ? s : i === 1 ? '<name>' : '<network>')).join('.');
}

/** Where `key` is allowed in the schema, e.g. `["services.<name>"]` for `ports`. */
export function placesOfKey(schema: Schema<unknown>, key: string): string[] {
  return PLACES.filter((p) => allowedKeysAt(schema, p).includes(key)).map(placeLabel);
}
