/**
 * Service `volumes`: short syntax `[SOURCE:]TARGET[:OPTIONS]` (as compose-go's format.ParseVolume reads it)
 * and long syntax → ServiceVolume[], with bind sources made absolute.
 */
import type { ServiceVolume } from '../../model/types.js';
import type { RawVolume } from '../../model/schema.js';
import { resolve } from '../../util/path.js';
import { convertKeys, type Ctx, type Path, toBool, toBytes, toMode } from './context.js';
import { mapping } from './maps.js';

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const CONSISTENCY = new Set(['cached', 'delegated', 'consistent']);

const WINDOWS_PATH = /^[a-zA-Z]:[\\/]|^\\\\/;

export function isHostPath(s: string): boolean {
  return s.startsWith('.') || s.startsWith('/') || s.startsWith('~') || WINDOWS_PATH.test(s);
}

/**
 * Split `[SOURCE:]TARGET[:OPTIONS]` on `:`, except the colon of a Windows drive (`C:\data`, `d:/x`)
 * at the start of a part — compose-go's ParseVolume reads `C:\src:D:\dst:rw` as three parts.
 */
export function splitVolumeSpec(spec: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < spec.length; i++) {
    const ch = spec[i]!;
    const drive = ch === ':' && /^[a-zA-Z]$/.test(cur) && (spec[i + 1] === '\\' || spec[i + 1] === '/');
    if (ch === ':' && !drive) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** Absolute host path: `~` via home, relative against workingDir. */
export function hostPath(ctx: Ctx, src: string, path: Path): string {
  if (WINDOWS_PATH.test(src)) return src; // a Windows host path stays as written
  if (src === '~' || src.startsWith('~/')) {
    if (ctx.opts.home === undefined) {
      ctx.warnAt('home-unknown', path);
      return src;
    }
    return resolve(ctx.opts.home, src.slice(2));
  }
  return resolve(ctx.opts.workingDir, src);
}

function parseShort(ctx: Ctx, spec: string, path: Path): ServiceVolume | undefined {
  const parts = splitVolumeSpec(spec);
  if (spec === '' || parts.length > 3 || parts.some((p) => p === '')) {
    ctx.errorAt('invalid-volume', path, { spec });
    return undefined;
  }
  if (parts.length === 1) return { type: 'volume', target: parts[0]! };
  const [source, target, options] = parts as [string, string, string | undefined];
  const bind = isHostPath(source);
  const v: ServiceVolume = bind
    ? { type: 'bind', source: hostPath(ctx, source, path), target, bind: { create_host_path: true } }
    : { type: 'volume', source, target };
  for (const opt of options ? options.split(',') : []) {
    if (opt === 'ro') v.read_only = true;
    else if (opt === 'rw') v.read_only = false;
    else if (opt === 'nocopy') v.volume = { ...v.volume, nocopy: true };
    else if (opt === 'z' || opt === 'Z') v.bind = { ...v.bind, selinux: opt };
    else if (PROPAGATION.has(opt)) v.bind = { ...v.bind, propagation: opt };
    else if (CONSISTENCY.has(opt)) v.consistency = opt;
    // compose-go ignores unknown short-syntax options; say so instead of failing.
    else ctx.warnAt('volume-option-ignored', path, { option: opt, spec });
  }
  return v;
}

/** A value kept when it is not empty (`''` is as good as not written). */
const given = <V>(_: Ctx, v: V): V | undefined => v || undefined;

function parseLong(ctx: Ctx, raw: Exclude<RawVolume, string>, path: Path): ServiceVolume | undefined {
  if (raw.target === undefined || raw.target === '') {
    ctx.errorAt('invalid-volume.target', path);
    return undefined;
  }
  const v: ServiceVolume = { type: raw.type, target: raw.target };
  if (raw.source !== undefined && raw.source !== '') {
    v.source = raw.type === 'bind' ? hostPath(ctx, raw.source, [...path, 'source']) : raw.source;
  } else if (raw.type === 'bind') {
    ctx.errorAt('invalid-volume.source', path);
    return undefined;
  }
  const ro = toBool(ctx, raw.read_only, [...path, 'read_only']);
  if (ro !== undefined) v.read_only = ro;
  if (raw.consistency) v.consistency = raw.consistency;
  if (raw.bind)
    v.bind = convertKeys(ctx, raw.bind, [...path, 'bind'], {
      propagation: given,
      create_host_path: toBool,
      selinux: given,
      recursive: given,
    });
  if (raw.volume)
    v.volume = convertKeys(ctx, raw.volume, [...path, 'volume'], { nocopy: toBool, subpath: given, labels: mapping });
  if (raw.tmpfs) v.tmpfs = convertKeys(ctx, raw.tmpfs, [...path, 'tmpfs'], { size: toBytes, mode: toMode });
  if (raw.image) v.image = convertKeys(ctx, raw.image, [...path, 'image'], { subpath: given });
  return v;
}

export function toVolumes(ctx: Ctx, raw: RawVolume[] | undefined, path: Path): ServiceVolume[] {
  const out: ServiceVolume[] = [];
  (raw ?? []).forEach((entry, i) => {
    const v = typeof entry === 'string' ? parseShort(ctx, entry, [...path, i]) : parseLong(ctx, entry, [...path, i]);
    if (v) out.push(v);
  });
  return out;
}
