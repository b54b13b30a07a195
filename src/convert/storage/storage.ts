/**
 * `volumes`, `tmpfs` and `shm_size` of a service → pod volumes and container mounts:
 * named volume → PersistentVolumeClaim (storage-claims.ts), anonymous volume → emptyDir,
 * tmpfs/shm → emptyDir in memory, bind mounts → ConfigMap / PVC / hostPath (storage-bind.ts).
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodPlan } from '../plan/pod.js';
import type { ContainerStep } from '../step.js';
import { volumeName } from './files.js';
import { addVolume, mountOf, quantity } from './claims.js';
import { applyBind } from './bind.js';
import { applyVolumesFrom } from './volumes-from.js';
import { named } from './named.js';

export { quantity } from './claims.js';

function memoryDir(plan: PodPlan, c: Container, target: string, size: number | undefined, prefix: string): void {
  const name = addVolume(plan, {
    name: volumeName(prefix, target.replace(/\//g, '-') || 'root'),
    emptyDir: { medium: 'Memory', ...(size ? { sizeLimit: quantity(size) } : {}) },
  });
  (c.volumeMounts ??= []).push({ name, mountPath: target });
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i;
function parseSize(s: string): number | undefined {
  const m = SIZE.exec(s.trim());
  if (!m) return undefined;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * mult);
}

export const applyStorage: ContainerStep = (ctx, svc, c, plan) => {
  svc.volumes.forEach((v, i) => {
    const pos = ctx.servicePos(svc, 'volumes', i);
    const at = pos ? { pos } : {};
    const rec = (
      status: 'converted' | 'approximated' | 'unsupported' | 'ignored',
      msg: string,
      extra: { objects?: string[]; fix?: string } = {},
    ) => ctx.record(svc.name, 'volumes', status, msg, { ...extra, ...at });
    if (v.type === 'volume' && v.source) return named(ctx, svc, c, plan, v, at);
    if (v.type === 'volume') {
      const name = addVolume(plan, { name: volumeName('anon', v.target.replace(/\//g, '-') || 'root'), emptyDir: {} });
      (c.volumeMounts ??= []).push(mountOf(name, v));
      return rec(
        'approximated',
        `anonymous volume at ${v.target} → emptyDir: its data is lost when the pod is replaced`,
        {
          fix: 'use a named volume to keep the data (it becomes a PersistentVolumeClaim)',
        },
      );
    }
    if (v.type === 'tmpfs') {
      memoryDir(plan, c, v.target, v.tmpfs?.size, 'tmpfs');
      return rec(
        v.tmpfs?.mode !== undefined ? 'approximated' : 'converted',
        `tmpfs at ${v.target} → emptyDir (Memory)${v.tmpfs?.mode !== undefined ? '; mode is not kept' : ''}`,
      );
    }
    if (v.type === 'bind') return applyBind(ctx, svc, c, plan, v, rec);
    rec('unsupported', `${v.type} volume at ${v.target} has no Kubernetes equivalent here`, {
      fix:
        v.type === 'image'
          ? 'copy the files in an init container from that image into an emptyDir'
          : 'use a named volume',
    });
  });

  (svc.tmpfs ?? []).forEach((t, i) => {
    const [target, opts = ''] = t.split(/:(.*)/s) as [string, string?];
    const sizeOpt = /(?:^|,)size=([^,]+)/.exec(opts)?.[1];
    memoryDir(plan, c, target, sizeOpt ? parseSize(sizeOpt) : undefined, 'tmpfs');
    const pos = ctx.servicePos(svc, 'tmpfs', i);
    const other = opts.split(',').filter((o) => o && !o.startsWith('size='));
    ctx.record(
      svc.name,
      'tmpfs',
      other.length ? 'approximated' : 'converted',
      `${target} → emptyDir (Memory)${other.length ? `; options ${other.join(',')} are not kept` : ''}`,
      {
        ...(pos ? { pos } : {}),
      },
    );
  });

  (svc.volumes_from ?? []).forEach((ref, i) => applyVolumesFrom(ctx, svc, c, plan, ref, i));

  if (svc.shm_size !== undefined) {
    memoryDir(plan, c, '/dev/shm', svc.shm_size, 'shm');
    ctx.record(svc.name, 'shm_size', 'converted', `/dev/shm → emptyDir (Memory, sizeLimit ${quantity(svc.shm_size)})`);
  }
};
