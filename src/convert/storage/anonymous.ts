/**
 * An anonymous volume (`- /usr/src/app/node_modules`) → an emptyDir. Docker fills a new anonymous volume with the
 * files the image has at its path, and compose projects rely on it: "bind the source, keep the image's
 * node_modules" mounts the project over the app directory and an anonymous volume over its node_modules, so the
 * image's installed modules stay visible. An emptyDir starts empty, so here a seed init container from the same
 * image (seed.ts) copies those files in while it is empty, as Docker does. Not for `nocopy`, nor at the data
 * directory of a well-known database (empty in its image: nothing to copy), nor for an image known to have no
 * shell (distroless): the seed script needs `sh`, `ls` and `cp`.
 *
 * When the service's claim settings ask for storage (kompose.volume.size / storage-class-name, x-k8s storage size /
 * class, or storage type persistentVolumeClaim), the volume is a claim with those settings instead, as kompose makes
 * one for every anonymous volume: the user said this data must persist. It is seeded the same way.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { volumeName } from './files.js';
import { addVolume, mountOf } from './claims.js';
import { overrideApplier } from '../intent/dialect.js';
import { addSeed } from './seed.js';
import { dataDirectoryOf, shellless } from '../../kube/images.js';
import { heuristicImage } from '../plan/base-image.js';
import { sourceOverApp } from './bind-kinds.js';
import { pinOldDataDir } from './ownership.js';

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
  // A claim the service's storage settings ask for is dialect input (kompose, x-k8s): pod/overrides.ts makes it.
  const claimed = overrideApplier(ctx)?.anonymousClaim(ctx, svc, plan, v);
  const name =
    claimed?.volume ??
    addVolume(plan, { name: volumeName('anon', v.target.replace(/\//g, '-') || 'root'), emptyDir: {} });
  (c.volumeMounts ??= []).push(mountOf(name, v));
  const image = heuristicImage(ctx, svc);
  const values = { target: v.target, ...claimed?.values };
  const extra = claimed ? { objects: claimed.objects } : {};
  if (v.volume?.nocopy || (image && dataDirectoryOf(image, v.target))) {
    ctx.outcome(svc.name, path, claimed ? 'volumes.anonymous-claim' : 'volumes.anonymous', values, extra);
    pinOldDataDir(ctx, svc, c, v, path);
    return;
  }
  if (!c.image || (image && shellless(image)) || shellless(c.image))
    return ctx.outcome(
      svc.name,
      path,
      claimed ? 'volumes.anonymous-claim-empty' : 'volumes.anonymous-empty',
      values,
      extra,
    );
  const init = addSeed(ctx, c, plan, name, name, v);
  const id = claimed ? 'volumes.anonymous-claim-seeded' : 'volumes.anonymous-seeded';
  ctx.outcome(svc.name, path, id, { ...values, init }, extra);
}
