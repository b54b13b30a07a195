/**
 * The image a built service starts FROM. Kubernetes cannot build, but what the converter knows about images
 * (stateful databases and their data directories, fixed uids, well-known ports, user names) holds for an image
 * built on one: `build: ./es` with `FROM docker.elastic.co/elasticsearch/elasticsearch:9.1.0` is Elasticsearch, whose
 * uid 1000 needs fsGroup on its claim, and `FROM postgres:16` initialises a data directory that must not be a
 * fresh claim's root. A Dockerfile is no part of the Compose Spec: the `dockerfile` dialect reads it
 * (intent/dialect.ts BuildReader: plan/dockerfile.ts, build-copies.ts), and these are the core's thin accessors of
 * what it read — without the dialect, a built service's heuristics are those of its `image:` (if any), and
 * finish/dialects.ts reports the Dockerfile there was to read. Here too: where a build's Dockerfile is
 * (`dockerfile_inline`, or the file in a local context through the injected file system), which the core reads only
 * to know whether there is one.
 */
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { isAbsolute, resolve } from '../../util/path.js';
import { fixedImageUid } from '../../kube/users.js';
import { buildReader, type BuildCopies, type Stage } from '../intent/dialect.js';

/** The image `svc`'s heuristics read: the image its build starts FROM when there is one, else its `image`. */
export function heuristicImage(ctx: ConvertContext, svc: Service): string | undefined {
  return builtStage(ctx, svc)?.image ?? svc.image;
}

/**
 * The `USER` the Dockerfile of `svc`'s build leaves set (as written), or undefined when it sets none or cannot be
 * read: it replaces the base image's user, so what the converter knows of that (fixed uids) no longer holds.
 */
export function baseUser(ctx: ConvertContext, svc: Service): string | undefined {
  return builtStage(ctx, svc)?.user;
}

/**
 * The uid `svc` runs as without a `user:` when its image is a fixed-uid image (kube/users.ts) and its build sets no USER
 * of its own (which would replace the base image's), with the table's name for the image; else undefined.
 */
export function fixedUid(ctx: ConvertContext, svc: Service): { uid: number; image: string } | undefined {
  const image = heuristicImage(ctx, svc);
  return image && baseUser(ctx, svc) === undefined ? fixedImageUid(image) : undefined;
}

/**
 * The directory `svc`'s command starts in: its `working_dir`, else the `WORKDIR` its Dockerfile leaves set (when the
 * dockerfile dialect read one); undefined when neither says (the base image's own, unknown here).
 */
export function workingDirOf(ctx: ConvertContext, svc: Service): string | undefined {
  return svc.working_dir ?? builtStage(ctx, svc)?.workdir;
}

/** The stage `svc`'s build ends on, when the dockerfile dialect read it; undefined without a build or the dialect. */
function builtStage(ctx: ConvertContext, svc: Service): Stage | undefined {
  return svc.build ? buildReader(ctx)?.stage(ctx, svc) : undefined;
}

/** What of its build context the image of `svc` holds, and where, when the dockerfile dialect read it. */
export function buildCopies(ctx: ConvertContext, svc: Service): BuildCopies | undefined {
  return svc.build ? buildReader(ctx)?.copies(ctx, svc) : undefined;
}

/** The absolute directory of `svc`'s local build context; undefined without a build or for a remote one. */
export function buildContextDir(ctx: ConvertContext, svc: Service): string | undefined {
  const context = svc.build?.context;
  if (context === undefined || /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(context)) return undefined;
  return isAbsolute(context) ? context : resolve(ctx.project.workingDir, context);
}

/** The absolute path of the Dockerfile of `svc`'s local build context; undefined without one. */
export function dockerfilePath(ctx: ConvertContext, svc: Service): string | undefined {
  const context = buildContextDir(ctx, svc);
  return context === undefined ? undefined : resolve(context, svc.build?.dockerfile ?? 'Dockerfile');
}

/** The text of `svc`'s Dockerfile (`dockerfile_inline`, or the file through the injected file system). */
export function dockerfileText(ctx: ConvertContext, svc: Service): string | undefined {
  const b = svc.build;
  if (!b || b.dockerfile_inline !== undefined) return b?.dockerfile_inline;
  const path = dockerfilePath(ctx, svc);
  return path === undefined ? undefined : ctx.fs?.readFile(path);
}
