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

type Status = 'converted' | 'approximated' | 'unsupported' | 'ignored';

export function applyVolumesFrom(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  ref: string,
  i: number,
): void {
  const pos = ctx.servicePos(svc, 'volumes_from', i);
  const at = pos ? { pos } : {};
  const rec = (status: Status, msg: string, extra: { objects?: string[]; fix?: string } = {}): void =>
    ctx.record(svc.name, 'volumes_from', status, msg, { ...extra, ...at });

  if (ref.startsWith('container:')) {
    return rec('unsupported', `${ref}: a container outside the compose project does not exist in Kubernetes`, {
      fix: 'mount the data through a named volume (a PersistentVolumeClaim) in both workloads',
    });
  }
  const [name = '', mode] = ref.split(':');
  const ro = mode === 'ro';
  const from = ctx.project.services[name];
  if (!from) return rec('unsupported', `${name} is not part of the converted project (disabled by a profile?)`);
  if (!from.volumes.length) return rec('ignored', `${name} has no volumes to share`);

  const source = plan.containers.get(name);
  if (source) return sharePodMounts(source, c, name, ro, rec);

  from.volumes.forEach((v: ServiceVolume) => {
    const borrowed: ServiceVolume = ro ? { ...v, read_only: true } : v;
    if (v.type === 'volume' && v.source) return named(ctx, svc, c, plan, borrowed, at, 'volumes_from');
    if (v.type === 'bind') return applyBind(ctx, svc, c, plan, borrowed, rec);
    rec(
      'unsupported',
      `${v.type === 'volume' ? 'the anonymous volume' : `the ${v.type} mount`} of ${name} at ${v.target} lives in another pod and cannot be shared`,
      {
        fix: `give it a name in ${name} (a named volume becomes a claim both pods can mount), or run both services in one pod (network_mode: service:${name})`,
      },
    );
  });
}

/** Same pod: mount the pod volumes the source container mounts, at the same paths. */
function sharePodMounts(
  source: Container,
  c: Container,
  name: string,
  ro: boolean,
  rec: (s: Status, m: string) => void,
): void {
  const mounts = (c.volumeMounts ??= []);
  const added: string[] = [];
  for (const m of source.volumeMounts ?? []) {
    if (mounts.some((x) => x.mountPath === m.mountPath)) continue;
    const copy: VolumeMount = { ...m, ...(ro ? { readOnly: true } : {}) };
    mounts.push(copy);
    added.push(m.mountPath);
  }
  rec(
    'converted',
    `mounts the volumes of ${name} in the same pod${ro ? ' read-only' : ''}: ${added.join(', ') || 'none left to add'}`,
  );
}
