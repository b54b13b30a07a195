/**
 * `volumes_from: [svc, svc:ro, container:name]` — the container mounts every volume of another
 * service at the same paths, as Docker does.
 * - Same pod (a sidecar, or the main service of a sidecar): the pod volumes already exist, so the
 *   source container's mounts are copied (read-only with `:ro`).
 * - Another pod: named volumes mount the same claim (storage-claims.ts counts the borrower, so the
 *   claim becomes ReadWriteMany); project files become the same ConfigMaps; anonymous volumes and
 *   tmpfs cannot be shared across pods and are reported.
 */
import type { Container, VolumeMount } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { applyBind } from './bind.js';
import { named } from './named.js';

export function applyVolumesFrom(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  ref: string,
  i: number,
): void {
  const pos = ctx.servicePos(svc, 'volumes_from', i);
  const path = `volumes_from[${i}]`;
  if (ref.startsWith('container:')) return ctx.outcome(svc.name, path, 'volumes_from.container', { ref });
  const [name = '', mode] = ref.split(':');
  const ro = mode === 'ro';
  const from = ctx.project.services[name];
  if (!from) return ctx.outcome(svc.name, path, 'volumes_from.unknown-service', { name });
  if (!from.volumes.length) return ctx.outcome(svc.name, path, 'volumes_from.nothing', { name });

  const source = plan.containers.get(name);
  if (source) {
    const added = sharePodMounts(source, c, ro);
    return ctx.outcome(svc.name, path, 'volumes_from.same-pod', {
      name,
      ro: ro ? ' read-only' : '',
      paths: added.join(', ') || 'none left to add',
    });
  }

  // Another pod: each borrowed volume is an item of its own, `volumes_from[i].volumes[j]`.
  from.volumes.forEach((v: ServiceVolume, j) => {
    const borrowed: ServiceVolume = ro ? { ...v, read_only: true } : v;
    const item = `${path}.volumes[${j}]`;
    if (v.type === 'volume' && v.source) return named(ctx, svc, c, plan, borrowed, item, pos);
    if (v.type === 'bind') return applyBind(ctx, svc, c, plan, borrowed, item, pos);
    ctx.outcome(
      svc.name,
      item,
      'volumes_from.not-shareable',
      { what: v.type === 'volume' ? 'the anonymous volume' : `the ${v.type} mount`, name, target: v.target },
      { pos },
    );
  });
}

/** Same pod: mount the pod volumes the source container mounts, at the same paths. */
function sharePodMounts(source: Container, c: Container, ro: boolean): string[] {
  const mounts = (c.volumeMounts ??= []);
  const added: string[] = [];
  for (const m of source.volumeMounts ?? []) {
    if (mounts.some((x) => x.mountPath === m.mountPath)) continue;
    const copy: VolumeMount = { ...m, ...(ro ? { readOnly: true } : {}) };
    mounts.push(copy);
    added.push(m.mountPath);
  }
  return added;
}
