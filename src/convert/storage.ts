/**
 * `volumes`, `tmpfs` and `shm_size` of a service → pod volumes and container mounts:
 * named volume → PersistentVolumeClaim (storage-claims.ts), anonymous volume → emptyDir,
 * tmpfs/shm → emptyDir in memory, bind mounts → ConfigMap / PVC / hostPath (storage-bind.ts).
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../model/types.js';
import type { ConvertContext } from './context.js';
import type { ContainerStep, PodPlan } from './pod.js';
import { dns1123Label, isDns1123Subdomain } from './naming.js';
import { volumeName } from './storage-files.js';
import { addVolume, claim, mounters, mountOf, quantity } from './storage-claims.js';
import { applyBind } from './storage-bind.js';
import { serviceOverrides } from './overrides.js';
import { applyVolumesFrom } from './storage-from.js';

export { quantity } from './storage-claims.js';

/** A named volume mounted in `c`; `key` is the compose key reported (`volumes`, or `volumes_from` for borrowed ones). */
export function named(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  vIn: ServiceVolume,
  at: object,
  key = 'volumes',
): void {
  const source = vIn.source!;
  const ov = serviceOverrides(ctx, svc).volumes ?? {};
  const v: ServiceVolume =
    ov.subpath && !vIn.volume?.subpath ? { ...vIn, volume: { ...vIn.volume, subpath: ov.subpath } } : vIn;
  if (ov.type === 'emptyDir') {
    const name = addVolume(plan, { name: volumeName('vol', source), emptyDir: {} });
    (c.volumeMounts ??= []).push(mountOf(name, v));
    ctx.record(
      svc.name,
      key,
      'approximated',
      `${source} at ${v.target} → emptyDir as the storage type asks: its data is lost when the pod is replaced`,
      { ...at },
    );
    ctx.record(
      undefined,
      `volumes.${source}`,
      'approximated',
      `no claim: ${svc.name} uses it as an emptyDir (storage type)`,
      { objects: [`${plan.kind}/${plan.name}`] },
    );
    return;
  }
  if (ov.type === 'hostPath' || ov.type === 'configMap')
    ctx.record(
      svc.name,
      key,
      'ignored',
      `storage type ${ov.type} does not apply to the named volume ${source}; it stays a PersistentVolumeClaim`,
      { ...at },
    );
  const def = ctx.project.volumes[source];
  const topKey = `volumes.${source}`;
  const topPos = ctx.pos('volumes', source);
  const top = (
    status: 'converted' | 'approximated' | 'unsupported',
    msg: string,
    extra: { objects?: string[]; fix?: string } = {},
  ) => ctx.record(undefined, topKey, status, msg, { ...extra, ...(topPos ? { pos: topPos } : {}) });
  if (def?.external) {
    const wanted = def.name ?? source;
    const claimName = isDns1123Subdomain(wanted) ? wanted : dns1123Label(wanted);
    const name = addVolume(plan, { name: dns1123Label(claimName), persistentVolumeClaim: { claimName } });
    (c.volumeMounts ??= []).push(mountOf(name, v));
    plan.mountsRwoClaim = true; // its access mode is unknown: assume ReadWriteOnce, the common case
    if (!ctx.isReported(undefined, topKey))
      top(
        'approximated',
        `external volume is expected as an existing PersistentVolumeClaim ${claimName}; it is not emitted`,
        {
          objects: [`PersistentVolumeClaim/${claimName}`],
          fix: `create the claim ${claimName} (and copy the data of the Docker volume into it) before deploying`,
        },
      );
    ctx.record(svc.name, key, 'converted', `${source} (external PVC ${claimName}) mounted at ${v.target}`, {
      ...at,
      objects: [`PersistentVolumeClaim/${claimName}`],
    });
    return;
  }
  const r = claim(ctx, plan, {
    identity: `volume\0${source}`,
    volume: source,
    service: svc,
    proposed: def?.name ?? source,
    shared: mounters(ctx.project, (x) => x.type === 'volume' && x.source === source),
    labels: ctx.projectLabels(),
  });
  const name = r.template ? r.name : addVolume(plan, { name: r.name, persistentVolumeClaim: { claimName: r.name } });
  (c.volumeMounts ??= []).push(mountOf(name, v));
  if (r.created) {
    const kind = r.template
      ? `volumeClaimTemplate ${r.name} of StatefulSet ${plan.name} (one claim per replica)`
      : `PersistentVolumeClaim ${r.name}`;
    if (r.accessMode === 'ReadWriteMany' && !r.explicitMode)
      top('approximated', `${kind}, ReadWriteMany because several pods mount it, ${r.size}`, {
        objects: r.objects,
        fix: 'use a storage class that supports ReadWriteMany (NFS, CephFS, EFS, Azure Files...) via --storage-class, or give each workload its own volume',
      });
    else
      top('converted', `${kind}, ${r.accessMode}${r.explicitMode ? ' (as set)' : ''}, ${r.size}`, {
        objects: r.objects,
      });
    if ((def?.driver && def.driver !== 'local') || (def?.driver_opts && Object.keys(def.driver_opts).length))
      ctx.record(
        undefined,
        `${topKey}.driver`,
        'unsupported',
        `volume driver ${def.driver ?? 'local'} ${JSON.stringify(def.driver_opts ?? {})} is not kept`,
        {
          ...(topPos ? { pos: topPos } : {}),
          fix: 'create a StorageClass (or a PersistentVolume) for this storage and pass --storage-class',
        },
      );
  }
  const note = v.volume?.nocopy
    ? ''
    : ' (starts empty: files the image has at that path are not copied in as Docker does)';
  ctx.record(svc.name, key, 'converted', `${source} mounted at ${v.target}${v.read_only ? ' read-only' : ''}${note}`, {
    ...at,
    objects: r.objects,
  });
}

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
