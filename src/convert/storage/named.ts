/** A named volume mounted by a container → its PersistentVolumeClaim (or claim template), emptyDir or external claim. */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { dns1123Label, isDns1123Subdomain } from '../../kube/naming.js';
import { volumeName } from './files.js';
import { addVolume, claim, mounters, mountOf } from './claims.js';
import { serviceOverrides } from '../intent/overrides.js';

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
    shared: mounters(ctx, 'volume', source),
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
