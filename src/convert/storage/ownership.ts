/**
 * What a Docker volume gives an image and a fresh claim does not (issue 12 §3): Docker fills a new volume with the
 * image directory and its owner; a fresh block-storage claim is empty, root-owned and holds `lost+found`.
 * - Postgres-family images refuse a data directory that is not empty (`lost+found`): a claim mounted right at
 *   their data directory gets a `subPath`, so the server sees an empty subdirectory it may own.
 * - A service that runs as a non-root user (compose `user:`, or an image known to run as a fixed uid) cannot write
 *   a root-owned claim: the pod gets `fsGroup` (with `fsGroupChangePolicy: OnRootMismatch`, so a large volume is
 *   not walked on every start).
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { STATEFUL_IMAGES, imageKey, statefulImage } from '../../kube/images.js';
import type { SourcePos } from '../../report/diagnostic.js';
import { resolveUser } from '../../kube/users.js';

/** The subdirectory of the claim a postgres-family data directory is kept in. */
export const PGDATA_SUBPATH = 'pgdata';

/** The official postgres image's data directory (its entrypoint runs initdb there). */
const POSTGRES_DATA = '/var/lib/postgresql/data';

/**
 * Images that run as a fixed non-root uid by default (their Dockerfile's `USER`), so a root-owned claim is not
 * writable for them: repository (or its last path component) → the group id their files need. Documented in
 * docs/volumes.md.
 */
export const FIXED_UID_IMAGES: Readonly<Record<string, number>> = {
  'grafana/grafana': 472,
  'grafana/grafana-oss': 472,
  'grafana/grafana-enterprise': 472,
  'grafana/loki': 10001,
  'grafana/tempo': 10001,
  'prom/prometheus': 65534,
  'prom/alertmanager': 65534,
  'jenkins/jenkins': 1000,
  sonarqube: 1000,
  'elasticsearch/elasticsearch': 1000,
  elasticsearch: 1000,
  'opensearchproject/opensearch': 1000,
  'kibana/kibana': 1000,
  'n8nio/n8n': 1000,
  'keycloak/keycloak': 1000,
  'mattermost/mattermost-team-edition': 2000,
  'mattermost/mattermost-enterprise-edition': 2000,
  'bitnami/postgresql': 1001,
  'bitnami/mysql': 1001,
  'bitnami/mariadb': 1001,
  'bitnami/mongodb': 1001,
  'bitnami/redis': 1001,
  'bitnami/rabbitmq': 1001,
  'bitnami/kafka': 1001,
  'bitnami/elasticsearch': 1001,
  'bitnami/zookeeper': 1001,
  'bitnami/minio': 1001,
  'bitnami/etcd': 1001,
  'tootsuite/mastodon': 991,
  'mastodon/mastodon': 991,
  'mastodon/mastodon-streaming': 991,
  'zammad/zammad': 1000,
  'zammad/zammad-docker-compose': 1000,
  'confluentinc/cp-kafka': 1000,
  'confluentinc/cp-zookeeper': 1000,
  'confluentinc/cp-schema-registry': 1000,
};

/**
 * The target of a postgres-family data directory mounted at a volume root (unless a subpath is already set, or
 * PGDATA already points into a subdirectory), or undefined.
 */
function postgresDataRoot(svc: Service, v: ServiceVolume): string | undefined {
  if (v.volume?.subpath || !svc.image) return undefined;
  const target = v.target.replace(/\/+$/, '');
  const key = statefulImage(svc.image);
  const info = key ? STATEFUL_IMAGES[key] : undefined;
  // Images built on the official postgres image (pgvector, supabase/postgres, ...) keep its entrypoint and
  // data directory: a claim at that directory is a postgres data directory whatever the image's name.
  const postgres = info ? info.env === 'PGDATA' && info.paths.includes(target) : target === POSTGRES_DATA;
  if (!postgres) return undefined;
  const pgdata = svc.environment.PGDATA?.replace(/\/+$/, '');
  if (pgdata && pgdata !== target) return undefined;
  return target;
}

/** A `user:` that is not root: the entrypoint cannot chown what the kubelet created. */
function runsAsNonRoot(svc: Service): boolean {
  return svc.user !== undefined && resolveUser(svc.user, svc.image).uid !== 0 && svc.user.split(':')[0] !== 'root';
}

/**
 * The subPath a claim mounted at `v.target` needs for `svc`'s image: a postgres-family data directory at a volume
 * root, when postgres starts as root (its entrypoint then chowns the subdirectory the kubelet made).
 */
export function dataSubPath(svc: Service, v: ServiceVolume): string | undefined {
  return postgresDataRoot(svc, v) && !runsAsNonRoot(svc) ? PGDATA_SUBPATH : undefined;
}

/**
 * The PGDATA a postgres that runs as a non-root `user:` needs instead of a subPath: a subdirectory of the claim it
 * creates itself, so it owns it (initdb must chmod its directory; one the kubelet made for a subPath is root's).
 */
export function dataPgdata(svc: Service, v: ServiceVolume): string | undefined {
  const root = postgresDataRoot(svc, v);
  return root && runsAsNonRoot(svc) ? `${root}/${PGDATA_SUBPATH}` : undefined;
}

/** Set PGDATA on the container (over what its environment gives) and say so on the mount's entry. */
export function setPgdata(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  path: string,
  pgdata: string,
  pos?: SourcePos,
): void {
  c.env = [...(c.env ?? []).filter((e) => e.name !== 'PGDATA'), { name: 'PGDATA', value: pgdata }];
  ctx.downgrade(svc.name, path, 'volumes.pgdata-env', { pgdata, user: svc.user ?? '' }, pos ? { pos } : {});
}

/**
 * The group a service's files need on a claim, and why: a non-root `user:` (its group, or its uid when the group is
 * root or not given: the pod's fsGroup is added to the process's groups), or a fixed-uid image.
 */
export function claimGroup(svc: Service): { gid: number; why: string } | undefined {
  if (svc.user !== undefined) {
    const { uid, gid } = resolveUser(svc.user, svc.image);
    if (gid !== undefined && !Number.isNaN(gid) && gid !== 0) return { gid, why: `user: ${svc.user}` };
    if (uid !== undefined && uid !== 0) return { gid: uid, why: `user: ${svc.user}` };
    return undefined;
  }
  const key = svc.image ? imageKey(FIXED_UID_IMAGES, svc.image) : undefined;
  return key ? { gid: FIXED_UID_IMAGES[key]!, why: `image ${key} runs as uid ${FIXED_UID_IMAGES[key]!}` } : undefined;
}

/**
 * After `svc` mounted a claim at item `path`: give the pod the fsGroup its user needs (unless one is set), and say
 * so on the mount's entry.
 */
export function claimOwnership(ctx: ConvertContext, svc: Service, plan: PodPlan, path: string, pos?: SourcePos): void {
  const g = claimGroup(svc);
  if (!g) return;
  const psc = (plan.spec.securityContext ??= {});
  if (psc.fsGroup === undefined) {
    psc.fsGroup = g.gid;
    psc.fsGroupChangePolicy = 'OnRootMismatch';
  }
  if (psc.fsGroup !== g.gid) return;
  ctx.downgrade(svc.name, path, 'volumes.fsgroup', { gid: g.gid, why: g.why }, pos ? { pos } : {});
}
