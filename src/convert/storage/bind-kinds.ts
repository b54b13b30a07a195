/**
 * What a bind mount's path is to its service, read from the paths and the command alone: code it runs, or its own
 * build context.
 * bind.ts decides what each becomes.
 */
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { basename, isAbsolute, resolve } from '../../util/path.js';

/** A path whose last component looks like a file name (`init.sql`, not `.n8n` nor `data`). */
export function looksLikeFile(path: string): boolean {
  const name = basename(path);
  return /\.[A-Za-z0-9]{2,8}$/.test(name) && !name.startsWith('.');
}

/** Files that are code or configuration by their extension, not data a container writes. */
const CODE_FILE = /\.(sh|bash|py|js|mjs|cjs|ts|rb|pl|php|lua|ya?ml|json|toml|conf|cfg|cnf|ini|xml|properties)$/i;

/**
 * A path below `target` that the service runs or reads as code (the first found), if any: the program its
 * entrypoint or command starts (`/compose/start`), or a script or config file one of their words names
 * (`--config.file=/etc/prometheus/prometheus.yml`). Other paths (`--dbpath /data/db`) may be data.
 */
export function runsFrom(svc: Service, target: string): string | undefined {
  const dir = target.replace(/\/+$/, '');
  if (!dir) return undefined;
  const below = (p: string | undefined): boolean =>
    p !== undefined && p.startsWith(`${dir}/`) && p.length > dir.length + 1;
  const program = svc.entrypoint?.length ? svc.entrypoint[0] : svc.command?.[0];
  if (below(program)) return program;
  for (const w of [...(svc.entrypoint ?? []), ...(svc.command ?? [])])
    for (const part of w.split(/[\s=:,'"]+/)) if (below(part) && CODE_FILE.test(part)) return part;
  return undefined;
}

/**
 * True when bind mount `v` is the service's build context mounted right over the directory the image runs its
 * code from (`./frontend:/usr/src/app` with `build: ./frontend`): its `working_dir`, or a directory an anonymous
 * volume of the service sits below (`/usr/src/app/node_modules`: the image installed its modules there, so its code
 * is there too). Conservative: the whole context, at exactly that directory.
 */
export function sourceOverApp(ctx: ConvertContext, svc: Service, v: ServiceVolume): boolean {
  const context = svc.build?.context;
  if (context === undefined || /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(context)) return false;
  if (v.source !== (isAbsolute(context) ? context : resolve(ctx.project.workingDir, context))) return false;
  const dir = v.target.replace(/\/+$/, '');
  if (!dir) return false;
  if (svc.working_dir !== undefined && svc.working_dir.replace(/\/+$/, '') === dir) return true;
  return svc.volumes.some((w) => w.type === 'volume' && !w.source && w.target.startsWith(`${dir}/`));
}
