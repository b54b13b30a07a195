/**
 * User and group names whose ids are fixed by an official image's Dockerfile, per image repository, with the
 * Alpine variant where its ids differ (`postgres` is 999 in the Debian-based image, 70 in `postgres:*-alpine`;
 * `www-data` is Debian's 33 and Alpine's 82). Kubernetes only takes numeric ids (runAsUser/runAsGroup), so a
 * compose `user: postgres` is mapped through this table when the image is known, and reported otherwise.
 * Names with the same id in every image (root, nobody) are in WELL_KNOWN_USERS.
 *
 * Sources: the Dockerfiles of the official images (docker-library) and of the vendors' images named below.
 */

import { imageKey, imageRepository, imageTag } from './images.js';

/** Ids of one name: the uid (for a user), the gid (for the group of that name). */
export interface NameIds {
  uid?: number;
  gid?: number;
}

interface ImageNames {
  /** Debian/Ubuntu/Oracle-based default variant. */
  default: Readonly<Record<string, NameIds>>;
  /** `*-alpine` tags, where they differ. */
  alpine?: Readonly<Record<string, NameIds>>;
}

const WWW_DATA: ImageNames = {
  default: { 'www-data': { uid: 33, gid: 33 } },
  alpine: { 'www-data': { uid: 82, gid: 82 } },
};

export const IMAGE_USERS: Readonly<Record<string, ImageNames>> = {
  postgres: {
    default: { postgres: { uid: 999, gid: 999 } },
    alpine: { postgres: { uid: 70, gid: 70 } },
  },
  'postgis/postgis': { default: { postgres: { uid: 999, gid: 999 } } },
  mysql: { default: { mysql: { uid: 999, gid: 999 } } },
  mariadb: { default: { mysql: { uid: 999, gid: 999 } } },
  mongo: { default: { mongodb: { uid: 999, gid: 999 } } },
  redis: {
    default: { redis: { uid: 999, gid: 999 } },
    alpine: { redis: { uid: 999, gid: 1000 } },
  },
  nginx: { default: { nginx: { uid: 101, gid: 101 } } },
  node: { default: { node: { uid: 1000, gid: 1000 } } },
  php: WWW_DATA,
  wordpress: WWW_DATA,
  nextcloud: WWW_DATA,
  httpd: WWW_DATA,
  'grafana/grafana': { default: { grafana: { uid: 472 } } },
  'elasticsearch/elasticsearch': { default: { elasticsearch: { uid: 1000 } } },
  elasticsearch: { default: { elasticsearch: { uid: 1000 } } },
};

/** The repository key of `image` in IMAGE_USERS and whether it is the Alpine variant, or undefined. */
function lookup(image: string): { key: string; names: Readonly<Record<string, NameIds>>; alpine: boolean } | undefined {
  const key = imageRepository(image);
  const tag = imageTag(image);
  const entry = Object.hasOwn(IMAGE_USERS, key) ? IMAGE_USERS[key]! : undefined;
  if (!entry) return undefined;
  const alpine = /(^|-)alpine/.test(tag);
  return { key, alpine, names: { ...entry.default, ...(alpine ? entry.alpine : {}) } };
}

/** The ids of user or group `name` in `image`, when the image is in the table and defines it. */
export function imageNameIds(image: string, name: string): { ids: NameIds; image: string } | undefined {
  const l = lookup(image);
  if (!l || !Object.hasOwn(l.names, name)) return undefined;
  return { ids: l.names[name]!, image: l.alpine ? `${l.key} (Alpine)` : l.key };
}

/**
 * User and group names with the same id in every Linux image (root is 0 by definition; nobody/nogroup
 * are 65534 in Debian, Ubuntu, Alpine and busybox). Other names depend on the image's /etc/passwd.
 */
const WELL_KNOWN_USERS: Readonly<Record<string, number>> = { root: 0, nobody: 65534 };
const WELL_KNOWN_GROUPS: Readonly<Record<string, number>> = { root: 0, nobody: 65534, nogroup: 65534 };

/** What a compose `user:` (`name|uid[:group|gid]`) means in numbers, for an image. */
export interface ResolvedUser {
  /** The user and group parts as written (`group` absent without `:`, '' for `user:`). */
  name: string;
  group?: string;
  /** The uid: numeric as written, or the name's id (well known, or in `image`'s table); undefined when unknown. */
  uid?: number;
  /** The gid when a group is given: numeric, or the name's id; NaN when the name is unknown; undefined without one. */
  gid?: number;
  /** How a named user was resolved: `well-known` (root, nobody), `image` (the table: `image` names the row). */
  by?: 'well-known' | 'image';
  image?: string;
}

/** The one reading of compose `user:`: container.ts sets runAsUser/runAsGroup from it, storage its fsGroup. */
export function resolveUser(user: string, image: string | undefined): ResolvedUser {
  const [name, group] = user.split(':', 2) as [string, string | undefined];
  const num = (s: string): boolean => /^\d+$/.test(s);
  const out: ResolvedUser = { name };
  if (group !== undefined) out.group = group;
  if (num(name)) out.uid = Number(name);
  else if (Object.hasOwn(WELL_KNOWN_USERS, name)) {
    out.uid = WELL_KNOWN_USERS[name];
    out.by = 'well-known';
  } else {
    const known = image ? imageNameIds(image, name) : undefined;
    if (known?.ids.uid !== undefined) {
      out.uid = known.ids.uid;
      out.by = 'image';
      out.image = known.image;
    }
  }
  if (group !== undefined && group !== '') {
    out.gid = num(group)
      ? Number(group)
      : Object.hasOwn(WELL_KNOWN_GROUPS, group)
        ? WELL_KNOWN_GROUPS[group]
        : ((image ? imageNameIds(image, group)?.ids.gid : undefined) ?? NaN);
  }
  return out;
}

/** The uid Bitnami's images run as (`USER 1001` in each of their Dockerfiles). */
const BITNAMI_UID = 1001;

/**
 * Images that run as a fixed non-root uid by default (their Dockerfile's `USER`): repository (or its last path
 * component) → that uid. A root-owned claim is not writable for them (storage gives the pod this fsGroup) and a port
 * below 1024 is not bindable (container.ts adds Docker's ip_unprivileged_port_start sysctl). Documented in
 * docs/volumes.md.
 */
const FIXED_UID_IMAGES: Readonly<Record<string, number>> = {
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
  'bitnami/postgresql': BITNAMI_UID,
  'bitnami/mysql': BITNAMI_UID,
  'bitnami/mariadb': BITNAMI_UID,
  'bitnami/mongodb': BITNAMI_UID,
  'bitnami/redis': BITNAMI_UID,
  'bitnami/rabbitmq': BITNAMI_UID,
  'bitnami/kafka': BITNAMI_UID,
  'bitnami/elasticsearch': BITNAMI_UID,
  'bitnami/zookeeper': BITNAMI_UID,
  'bitnami/minio': BITNAMI_UID,
  'bitnami/etcd': BITNAMI_UID,
  'bitnami/wordpress': BITNAMI_UID,
  'tootsuite/mastodon': 991,
  'mastodon/mastodon': 991,
  'mastodon/mastodon-streaming': 991,
  'zammad/zammad': 1000,
  'zammad/zammad-docker-compose': 1000,
  'confluentinc/cp-kafka': 1000,
  // apache/kafka: its Dockerfile adds user appuser on Alpine (`adduser -D`, uid 1000), then `USER appuser`.
  'apache/kafka': 1000,
  'confluentinc/cp-zookeeper': 1000,
  'confluentinc/cp-schema-registry': 1000,
  // frappe_docker: `useradd -u 1000 ... frappe`, `USER frappe` (images/production/Containerfile); the v14 worker
  // images made the same user with a plain `useradd` on Debian (uid 1000).
  'frappe/erpnext': 1000,
  'frappe/erpnext-worker': 1000,
  'frappe/frappe-worker': 1000,
  // Plausible CE: `USER 999` (its Dockerfile), data in the VOLUME /var/lib/plausible.
  'plausible/community-edition': 999,
  'plausible/analytics': 999,
};

/** The uid `image` runs as when it is one of the fixed-uid images, with the table's name for it; else undefined. */
export function fixedImageUid(image: string): { uid: number; image: string } | undefined {
  const key = imageKey(FIXED_UID_IMAGES, image);
  return key ? { uid: FIXED_UID_IMAGES[key]!, image: key } : undefined;
}

/**
 * The uid an image runs as, read from where it keeps its data: `/bitnami/<app>` is the layout of Bitnami's images,
 * and an image that keeps it (ghcr.io/posthog/kafka-container: bitnami/kafka's layout and KAFKA_CFG_* settings) is
 * built on one and runs as its uid 1001. Undefined for any other path.
 */
export function layoutUid(target: string): { uid: number; layout: string } | undefined {
  return /^\/bitnami\/[^/]/.test(target) ? { uid: BITNAMI_UID, layout: '/bitnami/' } : undefined;
}

/**
 * Official images that start as root and whose entrypoint then switches to their own user (gosu / su-exec) after
 * making the data directory theirs; each also starts as that user directly (`--user`), given a writable data
 * directory. Repository → the user's name in IMAGE_USERS.
 */
const ROOT_START_IMAGES: Readonly<Record<string, string>> = {
  postgres: 'postgres',
  'postgis/postgis': 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  mongo: 'mongodb',
  redis: 'redis',
};

/** The user an image's entrypoint switches to after starting as root, with its ids; undefined for other images. */
export function entrypointUser(image: string): { name: string; uid: number; image: string } | undefined {
  const key = imageRepository(image);
  const name = Object.hasOwn(ROOT_START_IMAGES, key) ? ROOT_START_IMAGES[key]! : undefined;
  const known = name !== undefined ? imageNameIds(image, name) : undefined;
  return name !== undefined && known?.ids.uid !== undefined
    ? { name, uid: known.ids.uid, image: known.image }
    : undefined;
}
