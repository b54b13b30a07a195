/**
 * Validation + normalization of the merged compose tree (after include/extends/profiles/interpolation):
 * checks it against the Compose Spec schema (src/model/schema.ts), converts short syntax to long syntax
 * and units to numbers, and checks references between services and top-level resources.
 * Every error is reported (with a position); the result is `undefined` when there was any.
 */
import { checkServiceConsistency } from './consistency.js';
import type { Project, Service } from '../../model/types.js';
import { composeSchema, type RawCompose, type RawService } from '../../model/schema.js';
import { check, type Issue } from '../../model/check.js';
import { Ctx, type NormalizeOptions, type Path } from './context.js';
import { reportProblems, schemaProblems } from './issues.js';
import { normalizeService, extensionsOf, type Ref } from './service.js';
import {
  allowedKeysAt,
  placesOfKey,
  toConfigConfig,
  toModelConfig,
  toNetworkConfig,
  toSecretConfig,
  toVolumeConfig,
} from './top.js';
import { checkRefs } from './refs.js';
import { isMap } from '../../util/object.js';

export type { NormalizeOptions } from './context.js';

export type NormalizedProject = Pick<
  Project,
  'services' | 'networks' | 'volumes' | 'secrets' | 'configs' | 'extensions' | 'ignoredKeys' | 'models'
> & { name?: string };

const NAME_RE = /^[a-zA-Z0-9._-]+$/;

/** The entries of a mapping-valued section; `{}` when it is absent or not a mapping (already reported). */
function mapping(v: unknown): Record<string, unknown> {
  return isMap(v) ? v : {};
}

/** `raw`: the merged compose files, a mapping (the YAML reader refuses any other top level: `yaml-not-mapping`). */
export function normalizeProject(raw: Record<string, unknown>, opts: NormalizeOptions): NormalizedProject | undefined {
  const ctx = new Ctx(opts);
  const before = opts.diags.errors.length;
  const schema = composeSchema();
  const issues: Issue[] = [];
  check(schema, raw, issues);
  const help = {
    allowed: (p: PropertyKey[]) => allowedKeysAt(schema, p),
    placesOf: (k: string) => placesOfKey(schema, k),
  };
  const problems = schemaProblems(issues, raw, help);
  reportProblems(problems, opts.sources, opts.diags);
  /** Entries (`volumes/data`) or service keys (`services/web/ports`) with a schema problem are left out. */
  const broken = new Set(problems.map((p) => p.path.slice(0, p.path[0] === 'services' ? 3 : 2).join('/')));
  const top = raw as RawCompose & Record<string, unknown>;

  const ignoredKeys: string[] = [];
  if (top.version !== undefined) {
    ignoredKeys.push('version');
    ctx.info('version-obsolete', {}, ['version']);
  }
  // Not dropped but not a resource group either: listed so the report accounts for them (mapping rows `top:*`).
  if (typeof top.name === 'string') ignoredKeys.push('name');
  if (top.include !== undefined) ignoredKeys.push('include');
  if (top.models !== undefined) ignoredKeys.push('models');

  const section = <R, T>(
    key: 'networks' | 'volumes' | 'secrets' | 'configs' | 'models',
    fn: (c: Ctx, r: R, p: Path) => T,
  ) => {
    const out: Record<string, T> = {};
    for (const [name, value] of Object.entries(mapping(top[key])) as Array<[string, R]>) {
      if (!NAME_RE.test(name)) ctx.error('invalid-name', { key, name }, [key, name]);
      if (broken.has(`${key}/${name}`)) continue;
      out[name] = fn(ctx, value, [key, name]);
    }
    return out;
  };
  const networks = section('networks', toNetworkConfig);
  const volumes = section('volumes', toVolumeConfig);
  const secrets = section('secrets', toSecretConfig);
  const configs = section('configs', toConfigConfig);
  const models = section('models', toModelConfig);

  const refs: Ref[] = [];
  const services: Record<string, Service> = {};
  const rawServices = mapping(top.services) as Record<string, RawService>;
  for (const [name, svc] of Object.entries(rawServices)) {
    if (!NAME_RE.test(name)) ctx.error('invalid-name.service', { name }, ['services', name]);
    if (broken.has(`services/${name}`)) continue; // a service that is not a mapping is a schema problem
    const valid = Object.fromEntries(Object.entries(svc).filter(([k]) => !broken.has(`services/${name}/${k}`)));
    services[name] = normalizeService(ctx, name, valid as RawService, refs);
    checkServiceConsistency(ctx, name, services[name], valid.networks !== undefined);
    if (svc.image === undefined && svc.build === undefined && svc.provider === undefined) {
      ctx.error('missing-image', { service: name }, ['services', name]);
    }
  }
  const declared = {
    service: new Set(Object.keys(rawServices)),
    volume: new Set(Object.keys(mapping(top.volumes))),
    network: new Set(Object.keys(mapping(top.networks))),
    secret: new Set(Object.keys(mapping(top.secrets))),
    config: new Set(Object.keys(mapping(top.configs))),
  };
  checkRefs(ctx, refs, declared);
  if (
    refs.some((r) => r.kind === 'network' && r.name === 'default') &&
    !networks['default'] &&
    !declared.network.has('default')
  ) {
    networks['default'] = { extensions: {} };
  }

  if (opts.diags.errors.length > before) return undefined;
  const result: NormalizedProject = {
    services,
    networks,
    volumes,
    secrets,
    configs,
    extensions: extensionsOf(top),
    ...(ignoredKeys.length ? { ignoredKeys } : {}),
    ...(top.models !== undefined && top.models !== null ? { models } : {}),
  };
  if (typeof top.name === 'string') result.name = top.name;
  return result;
}
