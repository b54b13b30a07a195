/**
 * What a Docker volume gives an image and a fresh claim does not (issue 12 §3): Docker fills a new volume with the
 * image directory and its owner; a fresh block-storage claim is empty, root-owned and holds `lost+found`.
 * - Postgres- and MySQL-family images refuse (or misread) a data directory that is not empty (`lost+found`): a
 *   claim mounted right at their data directory gets a `subPath`, so the server sees an empty subdirectory it may
 *   own.
 * - A service that runs as a non-root user (compose `user:`, or an image known to run as a fixed uid) cannot write
 *   a root-owned claim: the pod gets `fsGroup` (with `fsGroupChangePolicy: OnRootMismatch`, so a large volume is
 *   not walked on every start).
 * - Postgres 18+ keeps its data below /var/lib/postgresql and refuses a mount at /var/lib/postgresql/data (under
 *   Docker too): such a mount keeps no subPath, and its entry says so.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { STATEFUL_IMAGES, imageRepository, imageTag, postgresLayout, statefulImage } from '../../kube/images.js';
import type { SourcePos } from '../../report/diagnostic.js';
import { fixedImageUid, layoutUid, resolveUser } from '../../kube/users.js';
import { baseUser, heuristicImage } from '../plan/base-image.js';
import type { OutcomeId, PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import { isInside } from '../../util/path.js';

/** The subdirectory of the claim a postgres data directory is kept in (STATEFUL_IMAGES `sub` of postgres). */
export const PGDATA_SUBPATH = 'pgdata';

/** The official postgres image's data directory (its entrypoint runs initdb there). */
export const POSTGRES_DATA = '/var/lib/postgresql/data';

/**
 * A database data directory mounted at a volume root, for an image that needs a subdirectory there (STATEFUL_IMAGES
 * `sub`; for a postgres-family image also the directory its PGDATA names, or its default one from postgres 18 on),
 * unless a subpath is already set or PGDATA already points into a subdirectory: the target, the
 * subdirectory, and whether the image is known to honour PGDATA. Undefined otherwise.
 */
function dataRoot(
  svc: Service,
  v: ServiceVolume,
  image: string | undefined,
): { target: string; sub: string; known: boolean; pg: boolean } | undefined {
  if (v.volume?.subpath || !image) return undefined;
  const target = v.target.replace(/\/+$/, '');
  const key = statefulImage(image);
  const info = key ? STATEFUL_IMAGES[key] : undefined;
  // Images built on the official postgres image (supabase/postgres, ...) keep its data directory: a claim there is a
  // postgres data directory whatever the image's name (whether it honours PGDATA is not known).
  // A postgres-family image's data directory wherever it is: PGDATA, or its default (postgres 18+: <root>/<major>/docker).
  const pgDir =
    info?.env === 'PGDATA' ? (svc.environment.PGDATA?.replace(/\/+$/, '') ?? postgresLayout(image)?.data) : undefined;
  const root =
    info?.sub && (info.paths.includes(target) || pgDir === target)
      ? { target, sub: info.sub, known: true, pg: info.env === 'PGDATA' }
      : !info && target === POSTGRES_DATA
        ? { target, sub: PGDATA_SUBPATH, known: false, pg: true }
        : undefined;
  const pgdata = root?.pg ? svc.environment.PGDATA?.replace(/\/+$/, '') : undefined;
  return pgdata && pgdata !== target ? undefined : root;
}

/**
 * The layout of a postgres 18+ image (kube/images.ts postgresLayout) that refuses a mount at /var/lib/postgresql/data:
 * started as root (a non-root one gets PGDATA from applyPgdata) without PGDATA, its data directory is
 * <root>/<major>/docker below its VOLUME /var/lib/postgresql, so that mount would hold nothing, and its entrypoint stops
 * with "unused mount/volume" when the path is a mount point, empty or not (docker_setup_env checks mountinfo;
 * docker-library/postgres#1259, #1409), under Docker as well. Also a mount at a versioned directory beside that data
 * directory (`/var/lib/postgresql/18/data`: appwrite's compose, for its postgres 18 image): the entrypoint does not
 * refuse it, but the data goes to <root>/<major>/docker, under Docker into the anonymous volume of the image's VOLUME
 * (the named volume stays empty), here into the container's own layer, lost with it (`beside`), whatever user it runs
 * as (applyPgdata reads only /var/lib/postgresql/data). Undefined otherwise.
 */
function oldDataMount(svc: Service, v: ServiceVolume, image: string | undefined) {
  if (!image || svc.environment.PGDATA !== undefined) return undefined;
  const layout = postgresLayout(image);
  if (!layout || layout.volume !== layout.root) return undefined;
  const target = v.target.replace(/\/+$/, '');
  if (target === POSTGRES_DATA) return runsAsNonRoot(svc, image) ? undefined : { ...layout, beside: false };
  const rel = target.startsWith(`${layout.root}/`) ? target.slice(layout.root.length + 1) : '';
  return /^\d+\/(?!docker$)[^/]+$/.test(rel) ? { ...layout, beside: true } : undefined;
}

/**
 * oldDataMount for `svc`'s mount `v`: PGDATA pinned at the mount in its container `c` (beside: in a subdirectory of it,
 * which the entrypoint creates clear of a fresh claim's lost+found), so the data stays on the volume and the database
 * starts; the mount's entry says so (volumes.pg18-data-env, volumes.pg18-data-beside) with the image's repository and
 * tag and, when the tag names no major (`postgres`, `postgres:alpine`), that it was taken for the newest release;
 * beside, its fix moves a Docker installation's data (in the image's own VOLUME) with a dump as the superuser.
 * True when it pinned PGDATA.
 */
export function pinOldDataDir(
  ctx: ConvertContext,
  svc: Service,
  c: Container | undefined,
  v: ServiceVolume,
  path: string,
  pos?: SourcePos,
): boolean {
  const image = heuristicImage(ctx, svc);
  const layout = oldDataMount(svc, v, image);
  if (!layout || !image || !c) return false;
  const target = v.target.replace(/\/+$/, '');
  const pinned = layout.beside ? `${target}/${PGDATA_SUBPATH}` : target;
  c.env = [...(c.env ?? []), { name: 'PGDATA', value: pinned }];
  const tag = imageTag(image);
  // The tag it was judged by, when it names no major: phrases of report.yaml.
  const assumed: PhraseId = !layout.data.includes('<major>') ? 'pg-tag.major' : tag ? 'pg-tag.floating' : 'pg-tag.none';
  const values: Values = {
    image: imageRepository(image) + (tag ? `:${tag}` : ''),
    assumed,
    ...(tag ? { tag } : {}),
    pgdata: layout.data,
    volume: layout.volume,
    target,
    pinned,
    pin: assumed === 'pg-tag.major' ? 'pg-tag.major' : 'pg-tag.pin',
    // Whom the beside entry's fix dumps the Docker installation's data as (the image's superuser).
    service: svc.name,
    dbUser: svc.environment.POSTGRES_USER || 'postgres',
  };
  ctx.downgrade(svc.name, path, layout.beside ? 'volumes.pg18-data-beside' : 'volumes.pg18-data-env', values, { pos });
  return true;
}

/** A `user:` that is not root: the entrypoint cannot chown what the kubelet created. */
function runsAsNonRoot(svc: Service, image: string | undefined): boolean {
  return svc.user !== undefined && resolveUser(svc.user, image).uid !== 0 && svc.user.split(':')[0] !== 'root';
}

/**
 * The subPath a claim mounted at `v.target` needs for `svc`'s image: a database data directory at a volume root,
 * when the database starts as root (its entrypoint then chowns the subdirectory the kubelet made).
 */
export function dataSubPath(ctx: ConvertContext, svc: Service, v: ServiceVolume): string | undefined {
  const image = heuristicImage(ctx, svc);
  const root = dataRoot(svc, v, image);
  return root && !runsAsNonRoot(svc, image) ? root.sub : undefined;
}

/**
 * What the database of `svc` would do with the root of a fresh claim (root-owned, with `lost+found`), said where a
 * claim gets dataSubPath's subdirectory (a phrase): mysqld --initialize and initdb refuse a directory that is not
 * empty; MariaDB initializes but lists `lost+found` as a database; Kafka stops at a log dir entry that is not a
 * topic-partition.
 */
export function subPathReason(ctx: ConvertContext, svc: Service): PhraseId {
  const image = heuristicImage(ctx, svc);
  const key = image ? statefulImage(image) : undefined;
  return key === 'mariadb'
    ? 'subpath.mariadb'
    : key === 'mysql' || key === 'percona'
      ? 'subpath.mysqld'
      : key && STATEFUL_IMAGES[key]!.sub === 'kafka'
        ? 'subpath.kafka'
        : 'subpath.initdb';
}

/**
 * A claim mounted at the root of a postgres-family image's data (/var/lib/postgresql, kube/images.ts postgresLayout),
 * for a server that starts as root, with its data directory (PGDATA, or the image's default) below it:
 * - 'volumes.pg-root-below': the entrypoint creates that directory inside the claim and gives it to postgres, so the
 *   root owner and `lost+found` of a fresh claim do not matter (postgres 18 and later: `<root>/<major>/docker`);
 * - 'volumes.pg-root-shadowed': it is in the VOLUME of a postgres 17 or older image (`<root>/data`), which the
 *   container runtime mounts a volume of its own at, over the claim: the data does not reach the claim.
 * Undefined otherwise (the mount's entry says what a fresh claim lacks).
 */
export function postgresRootClaim(
  ctx: ConvertContext,
  svc: Service,
  v: ServiceVolume,
): { id: OutcomeId; values: Values } | undefined {
  const image = heuristicImage(ctx, svc);
  const layout = image && !v.volume?.subpath && !runsAsNonRoot(svc, image) ? postgresLayout(image) : undefined;
  if (!layout || v.target.replace(/\/+$/, '') !== layout.root) return undefined;
  const pgdata = svc.environment.PGDATA?.replace(/\/+$/, '') ?? layout.data;
  const values = { image: statefulImage(image!)!, pgdata, volume: layout.volume };
  if (layout.volume !== layout.root && isInside(layout.volume, pgdata))
    return { id: 'volumes.pg-root-shadowed', values };
  return pgdata !== layout.root && isInside(layout.root, pgdata) ? { id: 'volumes.pg-root-below', values } : undefined;
}

/**
 * An existing claim (external volume) mounted right at the data directory of a database that wants a subdirectory
 * there: its image and that subdirectory. The claim keeps no subPath (the data copied from the Docker volume is at
 * its root); the mount's entry says so, and what a new, empty claim needs.
 */
export function externalDataRoot(
  ctx: ConvertContext,
  svc: Service,
  v: ServiceVolume,
): { image: string; sub: string } | undefined {
  const image = heuristicImage(ctx, svc);
  const root = dataRoot(svc, v, image);
  return root && image ? { image: statefulImage(image) ?? imageRepository(image), sub: root.sub } : undefined;
}

/**
 * A postgres that runs as a non-root `user:` needs PGDATA instead of a subPath: a subdirectory of the claim it
 * creates itself, so it owns it (initdb must chmod its directory; one the kubelet makes for a subPath is root's).
 * Only images known to keep the official entrypoint (STATEFUL_IMAGES with env PGDATA) honour PGDATA: an image that
 * only mounts its data there may hardcode the directory (nextcloud's aio-postgresql wipes `$DATADIR/*` when
 * `PG_VERSION` is missing there), so it keeps the claim root and the report says what it needs. Sets PGDATA on the
 * container (over what its environment gives) and reports it on the mount's entry.
 */
export function applyPgdata(
  ctx: ConvertContext,
  svc: Service,
  c: Container | undefined,
  path: string,
  v: ServiceVolume,
  pos?: SourcePos,
): void {
  const image = heuristicImage(ctx, svc);
  const root = dataRoot(svc, v, image);
  if (!root?.pg || !c || !runsAsNonRoot(svc, image)) return;
  const at = { pos };
  const values = { image: image ?? '', user: svc.user ?? '', target: root.target };
  if (!root.known) return void ctx.downgrade(svc.name, path, 'volumes.pgdata-unknown-image', values, at);
  const pgdata = `${root.target}/${root.sub}`;
  c.env = [...(c.env ?? []).filter((e) => e.name !== 'PGDATA'), { name: 'PGDATA', value: pgdata }];
  ctx.downgrade(svc.name, path, 'volumes.pgdata-env', { pgdata, user: svc.user ?? '' }, at);
}

/**
 * The group a service's files need on a claim, and why (`image`: the image its heuristics read, plan/base-image.ts): a non-root `user:` (its group, or its uid when the group is
 * root or not given: the pod's fsGroup is added to the process's groups), a fixed-uid image, or else a claim mounted
 * at `target` where a fixed-uid layout keeps its data (kube/users.ts layoutUid: `/bitnami/...`). `built`: the USER
 * its Dockerfile leaves set (plan/base-image.ts baseUser), which stands for `user:` when there is none.
 */
export function claimGroup(
  svc: Service,
  image = svc.image,
  target?: string,
  built?: string,
): { gid: number; why: string } | undefined {
  const user = svc.user ?? built;
  if (user !== undefined) {
    const { uid, gid } = resolveUser(user, image);
    const why = svc.user !== undefined ? `user: ${user}` : `USER ${user} in its Dockerfile`;
    if (gid !== undefined && !Number.isNaN(gid) && gid !== 0) return { gid, why };
    if (uid !== undefined && uid !== 0) return { gid: uid, why };
    // A name not resolved, in group root (netbox's unit:root: its app runs as uid 101, gid 0, in directories the
    // image made group-root writable): the claim becomes group root's, which that process already is in.
    if (uid === undefined && gid === 0) return { gid, why };
    return undefined;
  }
  const fixed = image ? fixedImageUid(image) : undefined;
  if (fixed) return { gid: fixed.uid, why: `image ${fixed.image} runs as uid ${fixed.uid}` };
  const layout = target !== undefined ? layoutUid(target) : undefined;
  return layout
    ? {
        gid: layout.uid,
        why: `it keeps its data under ${layout.layout}, as images built on Bitnami's do, which run as uid ${layout.uid}`,
      }
    : undefined;
}

/**
 * After claimOwnership: the pod has no fsGroup and the service's user is not known (no `user:`, or a name the
 * converter cannot resolve), so whether it can write the root-owned claim is not known either.
 */
export function claimOwnerUnknown(ctx: ConvertContext, svc: Service, plan: PodPlan): boolean {
  if (plan.spec.securityContext?.fsGroup !== undefined) return false;
  const user = svc.user ?? baseUser(ctx, svc);
  return user === undefined || resolveUser(user, heuristicImage(ctx, svc)).uid === undefined;
}

/**
 * After `svc` mounted a claim (`v`) at item `path`: give the pod the fsGroup its user needs (unless one is set), and say
 * so on the mount's entry.
 */
export function claimOwnership(
  ctx: ConvertContext,
  svc: Service,
  plan: PodPlan,
  v: ServiceVolume,
  path: string,
  pos?: SourcePos,
): void {
  const g = podGroup(ctx, svc, plan, v.target);
  if (g) ctx.downgrade(svc.name, path, 'volumes.fsgroup', { gid: g.gid, why: g.why }, { pos });
}

/**
 * The pod fsGroup `svc`'s user needs for what the kubelet owns on its behalf (a claim at `target`, a Secret's files):
 * claimGroup's group, set on the pod unless it has one. Undefined when no group is known, or the pod already has
 * another fsGroup (every container has it among its groups too).
 */
export function podGroup(
  ctx: ConvertContext,
  svc: Service,
  plan: PodPlan,
  target?: string,
): { gid: number; why: string } | undefined {
  const g = claimGroup(svc, heuristicImage(ctx, svc), target, baseUser(ctx, svc));
  if (!g) return undefined;
  const psc = (plan.spec.securityContext ??= {});
  if (psc.fsGroup === undefined) {
    psc.fsGroup = g.gid;
    psc.fsGroupChangePolicy = 'OnRootMismatch';
  }
  return psc.fsGroup === g.gid ? g : undefined;
}
