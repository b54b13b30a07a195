/**
 * An anonymous volume (`- /usr/src/app/node_modules`) → an emptyDir. Docker fills a new anonymous volume with the
 * files the image has at its path, and compose projects rely on it: "bind the source, keep the image's
 * node_modules" mounts the project over the app directory and an anonymous volume over its node_modules, so the
 * image's installed modules stay visible. An emptyDir starts empty, so here a seed init container from the same
 * image (seed.ts) copies those files in while it is empty, as Docker does. Not for `nocopy`, nor at the data
 * directory of a well-known database (empty in its image: nothing to copy), nor for an image known to have no
 * shell (distroless): the seed script needs `sh`, `ls` and `cp`.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { volumeName } from './files.js';
import { addVolume, mountOf } from './claims.js';
import { addSeed } from './seed.js';
import { dataDirectoryOf, shellless } from '../../kube/images.js';
import { heuristicImage } from '../plan/base-image.js';
import { sourceOverApp } from './bind-kinds.js';

export function anonymous(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  v: ServiceVolume,
  path: string,
): void {
  // Below a build-context bind that is not mounted (bind-kinds.ts sourceOverApp), the image's own directory shows
  // through: the volume would only copy it into an emptyDir at every start.
  const over = svc.volumes.find(
    (w) => w.type === 'bind' && v.target.startsWith(`${w.target.replace(/\/+$/, '')}/`) && sourceOverApp(ctx, svc, w),
  );
  if (over) return ctx.outcome(svc.name, path, 'volumes.anonymous-in-image', { target: v.target, dir: over.target });
  const name = addVolume(plan, { name: volumeName('anon', v.target.replace(/\//g, '-') || 'root'), emptyDir: {} });
  (c.volumeMounts ??= []).push(mountOf(name, v));
  const image = heuristicImage(ctx, svc);
  if (v.volume?.nocopy || (image && dataDirectoryOf(image, v.target)))
    return ctx.outcome(svc.name, path, 'volumes.anonymous', { target: v.target });
  if (!c.image || (image && shellless(image)) || shellless(c.image))
    return ctx.outcome(svc.name, path, 'volumes.anonymous-empty', { target: v.target });
  const init = addSeed(ctx, c, plan, name, name, v);
  ctx.outcome(svc.name, path, 'volumes.anonymous-seeded', { target: v.target, init });
}
