/**
 * `list_or_dict` fields (environment, labels, annotations, sysctls, build args, ...) → string maps,
 * `extra_hosts` → ExtraHost[], and `env_file` → EnvFileRef[].
 */
import type { EnvFileRef, ExtraHost } from '../../model/types.js';
import { resolve } from '../../util/path.js';
import { type Ctx, type Path, toBool } from './context.js';

type Scalar = string | number | boolean;
export type ListOrDict = Scalar[] | Record<string, Scalar | null>;

/**
 * Like compose-go's Mapping (labels, sysctls, annotations, logging options): `KEY` alone or `KEY: null`
 * means an empty string.
 */
export function toMapping(v: ListOrDict | undefined): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const i = s.indexOf('=');
      if (i < 0) out[s] = '';
      else out[s.slice(0, i)] = s.slice(i + 1);
    }
    return out;
  }
  for (const [k, val] of Object.entries(v)) out[k] = val === null ? '' : String(val);
  return out;
}

/** toMapping as a key conversion (convertKeys). */
export const mapping = (_: Ctx, v: ListOrDict | undefined): Record<string, string> | undefined => toMapping(v);

/**
 * Like compose-go's MappingWithEquals (environment, build args): `KEY` alone or `KEY: null` takes the
 * value from `lookupEnv`, and is dropped when that has none. `KEY=` is an empty string. With `path` (a service's
 * `environment`), a key-only entry that found a value is recorded as made from that variable (`passedThrough`).
 */
export function toEnvMapping(
  ctx: Ctx,
  v: ListOrDict | undefined,
  path?: Path,
  /** Collects the keys without a value that the environment does not set either (compose leaves them out). */
  unset?: string[],
): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  const out: Record<string, string> = {};
  const lookup = (k: string, at: Path | undefined, listItem: boolean): void => {
    const found = ctx.opts.lookupEnv?.(k);
    if (found === undefined) {
      delete out[k];
      if (unset && !unset.includes(k)) unset.push(k);
      return;
    }
    out[k] = found;
    const pos = at && ctx.opts.passedThrough ? ctx.opts.sources.exact(...at) : undefined;
    if (pos)
      ctx.opts.passedThrough!(
        pos,
        listItem ? [{ text: `${k}=` }, { text: found, name: k }] : [{ text: found, name: k }],
      );
  };
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      const s = String(item);
      const eq = s.indexOf('=');
      const key = eq < 0 ? s : s.slice(0, eq);
      if (path) keyPosition(ctx, path, i, key);
      if (eq < 0) lookup(s, path && [...path, i], true);
      else out[key] = s.slice(eq + 1);
    });
    return out;
  }
  for (const [k, val] of Object.entries(v)) {
    if (val === null) lookup(k, path && [...path, k], false);
    else out[k] = String(val);
  }
  return out;
}

/**
 * A list item (`- KEY=value`, position by index) also gives the position of its variable (by name), as a mapping
 * does: a report entry or finding about KEY points at its line, not at the `environment:` key. A later item of the
 * same name (the one that wins) moves it.
 */
function keyPosition(ctx: Ctx, path: Path, i: number, key: string): void {
  const pos = ctx.opts.sources.exact(...path, i);
  if (pos && key && !/^\d+$/.test(key)) ctx.opts.sources.setAt([...path, key], pos);
}

function stripBrackets(ip: string): string {
  return ip.length > 2 && ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}

/**
 * `host:ip`, `host=ip` (`=` wins, so `host=::1` works), `host=ip1,ip2`, `{host: ip}`, `{host: [ip1, ip2]}`;
 * brackets around IPv6 addresses are removed (compose-go HostsList).
 */
export function toExtraHosts(
  ctx: Ctx,
  v: string[] | Record<string, string | string[] | null> | undefined,
  path: Path,
): ExtraHost[] | undefined {
  if (v === undefined) return undefined;
  const out: ExtraHost[] = [];
  const add = (host: string, ips: string[], at: Path): void => {
    if (host === '' || /[:=]/.test(host)) {
      ctx.errorAt('invalid-value.host', at, { host });
      return;
    }
    for (const ip of ips) out.push({ host, ip: stripBrackets(ip) });
  };
  if (Array.isArray(v)) {
    v.forEach((entry, i) => {
      const eq = entry.indexOf('=');
      const sep = eq >= 0 ? eq : entry.indexOf(':');
      if (sep < 0) {
        ctx.errorAt('invalid-value.host-ip', [...path, i], { entry });
        return;
      }
      add(entry.slice(0, sep), entry.slice(sep + 1).split(','), [...path, i]);
    });
    return out;
  }
  for (const [host, ips] of Object.entries(v))
    add(host, ips === null ? [''] : Array.isArray(ips) ? ips : [ips], [...path, host]);
  return out;
}

type RawEnvFile = string | Array<string | { path: string; format?: string; required?: boolean | string }>;

export function toEnvFiles(ctx: Ctx, v: RawEnvFile | undefined, path: Path): EnvFileRef[] | undefined {
  if (v === undefined) return undefined;
  const list = typeof v === 'string' ? [v] : v;
  return list.map((e, i): EnvFileRef => {
    if (typeof e === 'string') return { path: resolve(ctx.opts.workingDir, e), required: true };
    const required = toBool(ctx, e.required, [...path, i, 'required']) ?? true;
    return { path: resolve(ctx.opts.workingDir, e.path), required, ...(e.format ? { format: e.format } : {}) };
  });
}
