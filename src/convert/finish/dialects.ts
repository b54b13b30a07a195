/**
 * What the dialects this conversion was not given would have read (intent/dialect.ts DIALECT_READS: kompose
 * labels, Traefik and Docker helper labels, the routing variables and labels of a Docker proxy the project runs,
 * ofelia job labels, `x-k8s` blocks, a built service's Dockerfile or `dockerfile_inline` when there is one to read:
 * not for a remote context, nor a file the file system does not hold) gets one entry each,
 * `report.dialect-not-loaded`, naming the dialect and how to pass it — never a label kept silently as an
 * annotation. A key some step already reported (a label holding a secret) keeps that entry.
 */
import type { ConvertContext } from '../context.js';
import type { SourcePos } from '../../report/diagnostic.js';
import { DIALECT_READS, dialect, type DialectName } from '../intent/dialect.js';
import { dockerHelpers, proxyReads } from '../plan/docker-helpers.js';
import { dockerfilePath, dockerfileText } from '../plan/base-image.js';
import { relative } from '../../util/path.js';

export function reportDialectsNotLoaded(ctx: ConvertContext): void {
  for (const name of Object.keys(DIALECT_READS) as DialectName[]) {
    if (dialect(ctx, name)) continue;
    const reads = DIALECT_READS[name];
    const put = (service: string | undefined, path: string, what: string, pos: SourcePos | undefined): void => {
      if (ctx.book.get(service, path)) return;
      ctx.outcome(service, path, 'report.dialect-not-loaded', { what, dialect: name }, pos ? { pos } : {});
    };
    const label = reads.label;
    const ext = reads.extension;
    const more = reads.proxySettings ? proxyReads(ctx) : undefined;
    const helpers = dockerHelpers(ctx);
    for (const svc of Object.values(ctx.project.services)) {
      const also = more && !helpers.has(svc.name) ? more : undefined;
      if (label || also) {
        for (const k of Object.keys(svc.labels))
          if (label?.(k) || also?.label(k))
            put(svc.name, `labels.${k}`, `label ${k}`, ctx.servicePos(svc, 'labels', k));
        // A deploy label the service's own labels repeat is that one (the service label wins).
        if (reads.deployLabels)
          for (const k of Object.keys(svc.deploy?.labels ?? {}))
            if (label?.(k) && !(k in svc.labels))
              put(svc.name, `deploy.labels.${k}`, `label ${k}`, ctx.servicePos(svc, 'deploy', 'labels', k));
      }
      if (also)
        for (const k of Object.keys(svc.environment))
          if (also.env(k))
            put(
              svc.name,
              `environment.${k}`,
              `variable ${k}`,
              ctx.project.sources.exact('services', svc.name, 'environment', k) ?? ctx.servicePos(svc, 'environment'),
            );
      if (ext !== undefined && svc.extensions[ext] !== undefined)
        put(svc.name, ext, `key ${ext}`, ctx.servicePos(svc, ext));
      if (reads.build && dockerfileText(ctx, svc) !== undefined) {
        const inline = svc.build!.dockerfile_inline !== undefined;
        const key = inline ? 'dockerfile_inline' : 'dockerfile';
        const what = inline
          ? 'key build.dockerfile_inline'
          : `Dockerfile ${relative(ctx.project.workingDir, dockerfilePath(ctx, svc)!)}`;
        put(svc.name, `build.${key}`, what, ctx.servicePos(svc, 'build', key));
      }
    }
    for (const [vname, vol] of Object.entries(ctx.project.volumes)) {
      if (label && reads.volumeLabels)
        for (const k of Object.keys(vol.labels ?? {}))
          if (label(k))
            put(undefined, `volumes.${vname}.labels.${k}`, `label ${k}`, ctx.pos('volumes', vname, 'labels', k));
      if (ext !== undefined && vol.extensions[ext] !== undefined)
        put(undefined, `volumes.${vname}.${ext}`, `key ${ext}`, ctx.pos('volumes', vname, ext));
    }
    if (ext !== undefined && ctx.project.extensions[ext] !== undefined) put(undefined, ext, `key ${ext}`, ctx.pos(ext));
  }
}
