/**
 * `volumes`, `tmpfs` and `shm_size` of a service → pod volumes and container mounts:
 * named volume → PersistentVolumeClaim (named.ts), anonymous volume → emptyDir seeded from the image (anonymous.ts),
 * tmpfs/shm → emptyDir in memory, bind mounts → ConfigMap / PVC / hostPath (storage-bind.ts).
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodPlan } from '../plan/pod.js';
import type { ContainerStep } from '../step.js';
import { volumeName } from './files.js';
import { addVolume } from './claims.js';
import { bytesQuantity } from '../../kube/quantity.js';
import { applyBind } from './bind.js';
import { applyVolumesFrom } from './volumes-from.js';
import { named } from './named.js';
import { anonymous } from './anonymous.js';
import { parseBytes } from '../../load/normalize/units.js';

function memoryDir(plan: PodPlan, c: Container, target: string, size: number | undefined, prefix: string): void {
  const name = addVolume(plan, {
    name: volumeName(prefix, target.replace(/\//g, '-') || 'root'),
    emptyDir: { medium: 'Memory', ...(size ? { sizeLimit: bytesQuantity(size) } : {}) },
  });
  (c.volumeMounts ??= []).push({ name, mountPath: target });
}

export const applyStorage: ContainerStep = (ctx, svc, c, plan) => {
  svc.volumes.forEach((v, i) => {
    const path = `volumes[${i}]`;
    if (v.type === 'volume' && v.source) return named(ctx, svc, c, plan, v, path);
    if (v.type === 'volume') return anonymous(ctx, svc, c, plan, v, path);
    if (v.type === 'tmpfs') {
      memoryDir(plan, c, v.target, v.tmpfs?.size, 'tmpfs');
      return ctx.outcome(svc.name, path, v.tmpfs?.mode !== undefined ? 'volumes.tmpfs-mode' : 'volumes.tmpfs', {
        target: v.target,
      });
    }
    if (v.type === 'bind') return applyBind(ctx, svc, c, plan, v, path);
    ctx.outcome(svc.name, path, v.type === 'image' ? 'volumes.image' : 'volumes.other-type', {
      type: v.type,
      target: v.target,
    });
  });

  (svc.tmpfs ?? []).forEach((t, i) => {
    const [target, opts = ''] = t.split(/:(.*)/s) as [string, string?];
    const sizeOpt = /(?:^|,)size=([^,]+)/.exec(opts)?.[1];
    memoryDir(plan, c, target, sizeOpt ? parseBytes(sizeOpt) : undefined, 'tmpfs');
    const other = opts.split(',').filter((o) => o && !o.startsWith('size='));
    if (other.length) ctx.outcome(svc.name, `tmpfs[${i}]`, 'tmpfs.options', { target, options: other.join(',') });
    else ctx.outcome(svc.name, `tmpfs[${i}]`, 'tmpfs.memory', { target });
  });

  (svc.volumes_from ?? []).forEach((ref, i) => applyVolumesFrom(ctx, svc, c, plan, ref, i));

  if (svc.shm_size !== undefined) {
    memoryDir(plan, c, '/dev/shm', svc.shm_size, 'shm');
    ctx.outcome(svc.name, 'shm_size', 'shm_size.memory', { size: bytesQuantity(svc.shm_size) });
  }
};
