/** A named volume mounted by a container → its PersistentVolumeClaim (or claim template), emptyDir or external claim. */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { FactKey } from '../facts.js';
import type { PodPlan } from '../plan/pod.js';
import { dns1123Label, isDns1123Subdomain } from '../../kube/naming.js';
import { addVolume, claim, declaredAccessMode, mounters, mountOf, podList, shareExisting } from './claims.js';
import { serviceOverrides, volumeOverrides } from '../intent/overrides.js';
import { overrideApplier } from '../intent/dialect.js';
import {
  applyPgdata,
  claimOwnerUnknown,
  claimOwnership,
  dataSubPath,
  externalDataRoot,
  postgresRootClaim,
  pinOldDataDir,
  subPathReason,
  POSTGRES_DATA,
} from './ownership.js';
import { dataDirectoryOf, imageTag, populatedFrom, shellless, shipsFilesAt } from '../../kube/images.js';
import { heuristicImage } from '../plan/base-image.js';
import { addSeed } from './seed.js';
import { checkSocketVolume } from './sockets.js';
import { applyBind } from './bind.js';
import { bindDevice } from '../../model/volume-device.js';
import { isInside, shownPath } from '../../util/path.js';
import type { OutcomeExtra, Values } from '../book.js';
import type { OutcomeId } from '../../mappings/outcomes.js';
import type { SourcePos } from '../../report/diagnostic.js';

/**
 * The entry of a top-level volume several services may reach: the first writer owns it, later ones can only make it
 * worse (and add their objects).
 */
export function topEntry(ctx: ConvertContext, path: string, id: OutcomeId, values: Values, extra: OutcomeExtra): void {
  if (ctx.book.get(undefined, path)) ctx.downgrade(undefined, path, id, values, extra);
  else ctx.outcome(undefined, path, id, values, extra);
}

/**
 * A named volume mounted in `c`, reported at `path` (`volumes[2]`, or `volumes_from[0].volumes[1]` for a borrowed
 * one, with `pos` the volumes_from entry).
 */
export function named(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  vIn: ServiceVolume,
  path: string,
  pos?: SourcePos,
): void {
  const at = { pos };
  const source = vIn.source!;
  // The service's storage settings (kompose labels, x-k8s) make it an emptyDir, or give it a sub-path: the dialects'
  // applier (pod/overrides.ts).
  const applier = overrideApplier(ctx);
  const vOv = applier ? applier.namedMount(ctx, svc, c, plan, vIn, path, at) : vIn;
  if (!vOv) return;
  const ov = serviceOverrides(ctx, svc).volumes ?? {};
  const topKey = `volumes.${source}`;
  const sub = dataSubPath(ctx, svc, vOv);
  const v: ServiceVolume = sub ? { ...vOv, volume: { ...vOv.volume, subpath: sub } } : vOv;
  // A storage type that cannot apply to a named volume: said on the mount's entry once it is written.
  const misfit = ov.type === 'hostPath' || ov.type === 'configMap' ? ov.type : undefined;
  const def = ctx.project.volumes[source];
  if (def?.external) return external(ctx, svc, c, plan, vOv, path, pos);
  // A device outside the project is the Docker host's data, which cannot come along: such a volume stays a claim
  // (starting empty, as the entries below say), not an unsupported host path that would leave the data unmounted.
  const disguised = bindDevice(def);
  if (disguised && isInside(ctx.project.workingDir, disguised.device))
    return boundVolume(ctx, svc, c, plan, vIn, path, disguised, pos);
  const r = claim(ctx, plan, {
    identity: `volume\0${source}`,
    volume: source,
    service: svc,
    proposed: def?.name ?? source,
    shared: mounters(ctx, 'volume', source),
    labels: ctx.projectLabels(),
  });
  const name = r.volume;
  (c.volumeMounts ??= []).push(mountOf(name, v));
  if (r.created) {
    const kind = r.template
      ? `volumeClaimTemplate ${r.name} of StatefulSet ${plan.name} (one claim per replica)`
      : `PersistentVolumeClaim ${r.name}`;
    if (r.colocated)
      topEntry(
        ctx,
        topKey,
        'top.volumes.claim-shared',
        { kind, size: r.size, pods: podList(ctx, r.colocated.pods), label: r.colocated.label },
        { objects: r.objects },
      );
    else if (r.accessMode === 'ReadWriteMany' && !r.explicitMode)
      topEntry(ctx, topKey, 'top.volumes.claim-rwx', { kind, size: r.size }, { objects: r.objects });
    else
      topEntry(
        ctx,
        topKey,
        'top.volumes.claim',
        { kind, mode: r.accessMode, asSet: r.explicitMode ? ' (as set)' : '', size: r.size },
        { objects: r.objects },
      );
    const opts = def?.driver_opts && Object.keys(def.driver_opts).length > 0;
    if (def?.driver !== undefined || opts) {
      // `local` without options is Docker's default (a directory on the Docker host): the claim is its equivalent.
      const topPos = ctx.pos('volumes', source);
      ctx.outcome(
        undefined,
        `${topKey}.driver`,
        def?.driver === 'local' && !opts ? 'volume.driver.local' : 'volume.driver.dropped',
        { driver: def?.driver ?? 'local', opts: JSON.stringify(def?.driver_opts ?? {}) },
        { pos: topPos },
      );
    }
  }
  // Docker copies the image's files into a new volume unless nocopy; x-k8s seed asks for the same here, and an
  // image known to need its files there (shipsFilesAt) gets it unless x-k8s says `seed: false`.
  const asked = volumeOverrides(ctx, source).seed;
  const ships = asked === undefined && c.image && !shellless(c.image) ? shipsFilesAt(c.image, v.target) : undefined;
  const seed =
    !v.volume?.nocopy && (asked === true || ships !== undefined) && c.image
      ? addSeed(ctx, c, plan, source, name, v)
      : undefined;
  // A database's data directory is empty in its image: the copy Docker makes brings nothing, so no seed note there.
  const image = heuristicImage(ctx, svc);
  const data = !seed && !v.volume?.nocopy && image ? dataDirectoryOf(image, v.target) : undefined;
  // An image whose entrypoint copies its application into the volume while it is empty (wordpress): filled anyway.
  const filled = !seed && !data && !v.volume?.nocopy ? filledBy(ctx, source) : undefined;
  ctx.outcome(
    svc.name,
    path,
    v.volume?.nocopy
      ? 'volumes.named-nocopy'
      : seed
        ? ships
          ? 'volumes.named-seeded-known'
          : 'volumes.named-seeded'
        : data
          ? 'volumes.named-data'
          : filled
            ? 'volumes.named-populated'
            : 'volumes.named',
    {
      source,
      target: v.target,
      ro: v.read_only ? ' read-only' : '',
      ...(seed ? { init: seed } : {}),
      ...(ships ? { image: ships } : {}),
      ...(data ? { image: data } : {}),
      ...(filled ? { image: filled.image, from: filled.from } : {}),
    },
    { pos, objects: r.objects },
  );
  if (sub) ctx.downgrade(svc.name, path, 'volumes.pgdata-subpath', { sub, why: subPathReason(ctx, svc) }, at);
  applyPgdata(ctx, svc, c, path, vOv, pos);
  const pinned = pinOldDataDir(ctx, svc, c, vOv, path, pos);
  claimOwnership(ctx, svc, plan, vOv, path, pos);
  // Last of the notes on the mount, so none is lost (a better outcome does not replace a worse one). Not at a
  // database's data directory: any image's /var/lib/postgresql/data is one (ownership.ts), empty in the image; not
  // for a volume borrowed through volumes_from (`pos`): its owner's mount says it.
  // At /var/lib/postgresql, a postgres whose data directory is below it says what becomes of its data instead.
  const unsaid = !seed && !data && !filled && !pos && !v.volume?.nocopy && !pinned;
  const pg = unsaid ? postgresRootClaim(ctx, svc, vOv) : undefined;
  if (pg) ctx.downgrade(svc.name, path, pg.id, pg.values, at);
  else if (unsaid && v.target.replace(/\/+$/, '') !== POSTGRES_DATA)
    ctx.downgrade(
      svc.name,
      path,
      claimOwnerUnknown(ctx, svc, plan) ? 'volumes.named-starts-empty-owner' : 'volumes.named-starts-empty',
      {},
      at,
    );
  checkSocketVolume(ctx, svc, plan, vIn, path, pos);
  if (misfit) ctx.downgrade(svc.name, path, 'volumes.named-type-ignored', { type: misfit, source }, at);
}

/**
 * An external volume: the existing claim of its name, mounted as it is. Its data comes from the Docker volume, so it
 * is at the claim's root: no subPath for a database (its entry says where the data belongs). Pods sharing it are
 * kept on one node (its access mode is unknown) unless x-k8s or a label declares it ReadWriteMany, and get the
 * fsGroup their user needs, as an emitted claim does.
 */
function external(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  v: ServiceVolume,
  path: string,
  pos: SourcePos | undefined,
): void {
  const at = { pos };
  const source = v.source!;
  const def = ctx.project.volumes[source]!;
  const topKey = `volumes.${source}`;
  const ov = serviceOverrides(ctx, svc).volumes ?? {};
  const misfit = ov.type === 'hostPath' || ov.type === 'configMap' ? ov.type : undefined;
  const wanted = def.name ?? source;
  const claimName = isDns1123Subdomain(wanted) ? wanted : dns1123Label(wanted);
  const name = addVolume(plan, { name: dns1123Label(claimName), persistentVolumeClaim: { claimName } });
  (c.volumeMounts ??= []).push(mountOf(name, v));
  // Unless declared, its access mode is unknown: assume ReadWriteOnce, the common case.
  const mode = declaredAccessMode(ctx, source, svc);
  if (mode !== 'ReadWriteMany' && mode !== 'ReadOnlyMany') plan.mountsRwoClaim = true;
  const shared = mounters(ctx, 'volume', source);
  const s = shareExisting(ctx, plan, shared, mode);
  const objects = [`PersistentVolumeClaim/${claimName}`];
  if (!ctx.book.get(undefined, topKey)) {
    const pods = podList(ctx, shared.pods);
    if (s.how !== 'alone' && mode === 'ReadWriteMany')
      ctx.outcome(undefined, topKey, 'top.volumes.external-declared-rwx', { claim: claimName, pods }, { objects });
    else if (s.label)
      ctx.outcome(
        undefined,
        topKey,
        'top.volumes.external-shared',
        { claim: claimName, pods, label: s.label },
        { objects },
      );
    else if (s.how === 'many')
      ctx.outcome(undefined, topKey, 'top.volumes.external-rwx', { claim: claimName, pods }, { objects });
    else ctx.outcome(undefined, topKey, 'top.volumes.external', { claim: claimName }, { objects });
  }
  const data = externalDataRoot(ctx, svc, v);
  const values = { source, claim: claimName, target: v.target };
  if (data) ctx.outcome(svc.name, path, 'volumes.external-data-root', { ...values, ...data }, { pos, objects });
  else ctx.outcome(svc.name, path, 'volumes.external-claim', values, { pos, objects });
  claimOwnership(ctx, svc, plan, v, path, pos);
  pinOldDataDir(ctx, svc, c, v, path, pos);
  if (misfit) ctx.downgrade(svc.name, path, 'volumes.named-type-ignored', { type: misfit, source }, at);
}

/**
 * A volume of the local driver with `o: bind` (model/volume-device.ts) whose device is in the project: Docker mounts
 * that folder, so it is converted as a bind mount of it, by the bind rules (a folder of files → a ConfigMap, a
 * database's data or a missing folder → a claim), each mount's entry saying what it became.
 */
function boundVolume(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  v: ServiceVolume,
  path: string,
  bound: { device: string; readOnly: boolean },
  pos: SourcePos | undefined,
): void {
  const source = v.source!;
  // A subpath of the volume is that folder of the device.
  const sub = v.volume?.subpath?.replace(/^\/+|\/+$/g, '');
  const device = sub ? `${bound.device}/${sub}` : bound.device;
  const shown = shownPath(ctx.project.workingDir, device);
  // Docker's local driver needs the device to exist: it never creates it.
  const asBind: ServiceVolume = {
    type: 'bind',
    source: device,
    target: v.target,
    ...(v.read_only || bound.readOnly ? { read_only: true } : {}),
    bind: { create_host_path: false },
  };
  applyBind(ctx, svc, c, plan, asBind, path, pos);
  const topKey = `volumes.${source}`;
  topEntry(ctx, topKey, 'top.volumes.bind-device', { shown }, {});
  if (!ctx.book.get(undefined, `${topKey}.driver`)) {
    const optsPos = ctx.pos('volumes', source, 'driver_opts') ?? ctx.pos('volumes', source);
    const driverPos = ctx.pos('volumes', source, 'driver') ?? optsPos;
    ctx.outcome(undefined, `${topKey}.driver`, 'volume.driver.bind', { shown }, { pos: driverPos });
    const o = ctx.project.volumes[source]?.driver_opts?.o ?? '';
    const at = { pos: optsPos };
    ctx.outcome(undefined, `${topKey}.driver_opts`, 'volume.driver_opts.bind', { o, shown }, at);
  }
}

/**
 * The image whose entrypoint fills volume `source` while it is empty, if a service mounting it there starts that
 * image's server (a cron container sharing nextcloud's volume gets it filled by the app's).
 */
function filledBy(ctx: ConvertContext, source: string): { image: string; from: string } | undefined {
  // Once per volume: its users are looked through once, however many of them mount it.
  const known = ctx.facts.get(FILLED, () => new Map());
  if (!known.has(source)) known.set(source, findFiller(ctx, source));
  return known.get(source) ?? undefined;
}

/** The volumes filled by their image, computed once per project. */
const FILLED = new FactKey<Map<string, { image: string; from: string } | null>>();

function findFiller(ctx: ConvertContext, source: string): { image: string; from: string } | null {
  for (const u of ctx.index.usersOf('volume', source)) {
    const image = heuristicImage(ctx, u);
    if (!image || !startsAsServer(u, image)) continue;
    for (const w of u.volumes) {
      if (w.type !== 'volume' || w.source !== source) continue;
      const f = populatedFrom(image, w.target);
      if (f) return f;
    }
  }
  return null;
}

/**
 * Does the service start its image's own server? The entrypoints that fill their volume (kube/images.ts
 * SELF_POPULATING_IMAGES) do so only before starting apache or php-fpm: not under another entrypoint (nextcloud's
 * `/cron.sh`), another command (`wp ...`), or the `cli` variant of the image.
 */
function startsAsServer(svc: Service, image: string): boolean {
  if (svc.entrypoint !== undefined || imageTag(image).startsWith('cli')) return false;
  const first = svc.command?.[0];
  return first === undefined || /^(apache2|php-fpm)/.test(first);
}
