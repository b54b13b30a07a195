/**
 * What the converter knows about well-known images, as data: which hold state where. One home for
 * image-reference parsing, so every table is looked up the same way.
 */
import { isInside } from '../util/path.js';

/** The image of the `wait-for-<service>` init containers the converter adds (busybox's nc). */
export const WAIT_IMAGE = 'busybox:1.36';
/** The official kubectl image: no shell, binary at /bin/kubectl; a failed wait is retried by the kubelet. */
export const KUBECTL_IMAGE = 'registry.k8s.io/kubectl:v1.32.0';
/**
 * The images of the init containers the converter adds to pods, which no compose service runs, by the values key a
 * Helm chart gives each (`helperImages.<key>`): waitFor (wait-for-<service>: a port), kubectl (wait-for-<job>).
 */
export const HELPER_IMAGES: Readonly<Record<string, string>> = { waitFor: WAIT_IMAGE, kubectl: KUBECTL_IMAGE };

/** The data of the postgres family's images (their entrypoint is postgres's) and of the MySQL family's. */
const POSTGRES_DATA = {
  paths: ['/var/lib/postgresql/data'],
  env: 'PGDATA',
  root: '/var/lib/postgresql',
  sub: 'pgdata',
};
const MYSQL_DATA = { paths: ['/var/lib/mysql'], sub: 'mysql' };

/**
 * Well-known stateful images (repository, or its last path component) → directories that hold their
 * data (any one on a claim is enough), the env variable that moves it (postgres PGDATA), and a root
 * below which any claim counts (postgres 18+ keeps data in /var/lib/postgresql/<major>/docker), and `sub`: the
 * subdirectory of a claim mounted right at the data directory, for images whose entrypoint (running as root, so it
 * chowns it) refuses or misreads the `lost+found` of a fresh claim's root (initdb; mysqld --initialize; MariaDB lists
 * it as a database), or that refuse it and run as a fixed uid (Kafka: the kubelet makes the subPath directory with the
 * claim root's mode, group-writable under the pod's fsGroup).
 * Official images unless prefixed; nats is left out (it is stateless unless JetStream is on).
 */
export const STATEFUL_IMAGES: Readonly<
  Record<string, { paths: readonly string[]; env?: string; root?: string; sub?: string }>
> = {
  postgres: POSTGRES_DATA,
  postgis: POSTGRES_DATA,
  timescaledb: POSTGRES_DATA,
  pgvector: POSTGRES_DATA,
  'pgvecto-rs': POSTGRES_DATA,
  mysql: MYSQL_DATA,
  mariadb: MYSQL_DATA,
  percona: MYSQL_DATA,
  mongo: { paths: ['/data/db'] },
  'mongodb-community-server': { paths: ['/data/db'] },
  redis: { paths: ['/data'] },
  valkey: { paths: ['/data'] },
  'redis-stack-server': { paths: ['/data'] },
  elasticsearch: { paths: ['/usr/share/elasticsearch/data'] },
  opensearch: { paths: ['/usr/share/opensearch/data'] },
  rabbitmq: { paths: ['/var/lib/rabbitmq'] },
  // Kafka refuses any directory in its log dir that is not a topic-partition (`lost+found`: strimzi#1307).
  'apache/kafka': { paths: ['/var/lib/kafka/data', '/tmp/kraft-combined-logs'], sub: 'kafka' },
  'cp-kafka': { paths: ['/var/lib/kafka/data'], sub: 'kafka' },
  kafka: { paths: ['/var/lib/kafka/data'], sub: 'kafka' },
  zookeeper: { paths: ['/data'] },
  'cp-zookeeper': { paths: ['/var/lib/zookeeper/data'] },
  minio: { paths: ['/data'] },
  'clickhouse-server': { paths: ['/var/lib/clickhouse'] },
  cassandra: { paths: ['/var/lib/cassandra'] },
  influxdb: { paths: ['/var/lib/influxdb2', '/var/lib/influxdb'] },
  etcd: { paths: ['/etcd-data', '/var/lib/etcd'] },
  couchdb: { paths: ['/opt/couchdb/data'] },
  neo4j: { paths: ['/data'] },
  'bitnami/postgresql': { paths: ['/bitnami/postgresql'] },
  'bitnami/mysql': { paths: ['/bitnami/mysql'] },
  'bitnami/mariadb': { paths: ['/bitnami/mariadb'] },
  'bitnami/mongodb': { paths: ['/bitnami/mongodb'] },
  'bitnami/redis': { paths: ['/bitnami/redis/data'] },
  'bitnami/rabbitmq': { paths: ['/bitnami/rabbitmq/mnesia'] },
  'bitnami/kafka': { paths: ['/bitnami/kafka'] },
  'bitnami/elasticsearch': { paths: ['/bitnami/elasticsearch/data'] },
  'bitnami/zookeeper': { paths: ['/bitnami/zookeeper'] },
  'bitnami/minio': { paths: ['/bitnami/minio/data'] },
  'bitnami/etcd': { paths: ['/bitnami/etcd'] },
};

/** The grammar of an image reference (distribution/reference): `[host[:port]/]path[:tag][@digest]`. */
const DOMAIN = String.raw`(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?`;
const PATH_PART = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const IMAGE_REFERENCE = new RegExp(
  String.raw`^(?:(?:${DOMAIN}|\[[0-9A-Fa-f:]+\](?::[0-9]+)?)/)?${PATH_PART}(?:/${PATH_PART})*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

/**
 * Whether the kubelet can pull `image` at all: a reference by the grammar above, its name at most 255 characters
 * (`:` from `${REGISTRY}:${TAG}` with both unset is not; the kubelet reports InvalidImageName).
 */
export function isImageReference(image: string): boolean {
  return IMAGE_REFERENCE.test(image) && image.split(/[:@]/)[0]!.length <= 255;
}

/**
 * The repository of an image reference without registry, `library/`, tag or digest, lower-cased
 * (`docker.io/library/postgres:16@sha256:...` → `postgres`, `ghcr.io/org/app:1` → `org/app`).
 */
export function imageRepository(image: string): string {
  let ref = image.trim().toLowerCase().split('@')[0]!;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  if (namesRegistry(parts)) parts.shift();
  if (parts[0] === 'library') parts.shift();
  return parts.join('/');
}

/** Whether the first component of an image reference's path is a registry host (a dot or port, or localhost). */
function namesRegistry(parts: readonly string[]): boolean {
  return parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost');
}

/** The registry host an image reference names (`ghcr.io/getsentry/snuba:nightly` → `ghcr.io`), or undefined. */
export function imageRegistry(image: string): string | undefined {
  const parts = image.trim().toLowerCase().split('@')[0]!.split('/');
  return namesRegistry(parts) ? parts[0] : undefined;
}

/** The tag of an image reference, lower-cased (`wordpress:6-CLI@sha256:...` → `6-cli`; '' without one). */
export function imageTag(image: string): string {
  const ref = image.trim().toLowerCase().split('@')[0]!;
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : '';
}

/** The key of a table keyed by repository or by its last path component, for an image reference. */
export function imageKey<T>(table: Readonly<Record<string, T>>, image: string): string | undefined {
  const repo = imageRepository(image);
  if (Object.hasOwn(table, repo)) return repo;
  const last = repo.slice(repo.lastIndexOf('/') + 1);
  return Object.hasOwn(table, last) ? last : undefined;
}

/**
 * Applications, not databases (no StatefulSet or datastore rule reads this), whose data directory is empty in the
 * image and which their entrypoint, started as root, lays out and gives to their user at every start: gitea/gitea
 * (its s6 setup scripts create /data/git, /data/gitea, /data/ssh and chown them to USER_UID; not the `rootless` tags,
 * which run as uid 1000 with their data in /var/lib/gitea).
 */
const APP_DATA_DIRS: Readonly<Record<string, string>> = { 'gitea/gitea': '/data' };

/**
 * The well-known stateful image (STATEFUL_IMAGES key), or application (APP_DATA_DIRS), whose data directory is
 * exactly `target`, or undefined: a directory its entrypoint fills at first start, empty in the image, so Docker's
 * copy into a new volume brings nothing a fresh claim lacks.
 */
export function dataDirectoryOf(image: string, target: string): string | undefined {
  const key = statefulImage(image);
  const dir = target.replace(/\/+$/, '');
  if (key) return STATEFUL_IMAGES[key]!.paths.includes(dir) ? key : undefined;
  const repo = imageRepository(image);
  return APP_DATA_DIRS[repo] === dir && !imageTag(image).includes('rootless') ? repo : undefined;
}

/**
 * True when a mount at `target` holds the data of a well-known stateful image: it is one of its data directories or
 * above one, or below its root (postgres 18+ keeps data in /var/lib/postgresql/<major>/docker).
 */
export function holdsDataOf(image: string, target: string): boolean {
  const key = statefulImage(image);
  if (!key) return false;
  const entry = STATEFUL_IMAGES[key]!;
  const t = target.replace(/\/+$/, '');
  return entry.paths.some((p) => isInside(t, p)) || (entry.root !== undefined && isInside(entry.root, t));
}

/**
 * True for an image known to have no shell (distroless, Chainguard static, scratch): an init container that runs a
 * shell script (a seed copy) cannot start from it.
 */
export function shellless(image: string): boolean {
  const repo = imageRepository(image);
  return repo === 'scratch' || /(^|\/)distroless(\/|$)/.test(repo) || /(^|\/)chainguard\/static$/.test(repo);
}

/**
 * Where a postgres-family image (STATEFUL_IMAGES with env PGDATA) keeps its data by default, below its `root`, and
 * the VOLUME its image declares: from postgres 18 on, `<root>/<major>/docker` under VOLUME `<root>`; up to 17,
 * `<root>/data`, which is the VOLUME. The major comes from the tag (`16-alpine`, postgis `17-3.5`; `pg17`,
 * `2.17.2-pg17` for timescaledb and pgvector); a tag of the official image that names none (`latest`, `alpine`, none,
 * or a vendor's own version below 8: appwrite/postgres:0.1.0) is its newest release. Undefined for other images, or
 * another family's tag without a major.
 */
export function postgresLayout(image: string): { root: string; data: string; volume: string } | undefined {
  const key = statefulImage(image);
  const root = key ? STATEFUL_IMAGES[key]!.root : undefined;
  if (!root || STATEFUL_IMAGES[key!]!.env !== 'PGDATA') return undefined;
  const tag = imageTag(image);
  const m = /(?:^|-)pg(\d+)/.exec(tag) ?? (key === 'postgres' || key === 'postgis' ? /^(\d+)/.exec(tag) : null);
  // Below 8 a leading number is an image's own version (appwrite/postgres:0.1.0, built on postgres 18), no major.
  const major = m && Number(m[1]) >= 8 ? Number(m[1]) : undefined;
  if (major === undefined && key !== 'postgres') return undefined;
  return major === undefined || major >= 18
    ? { root, data: `${root}/${major ?? '<major>'}/docker`, volume: root }
    : { root, data: `${root}/data`, volume: `${root}/data` };
}

/** The STATEFUL_IMAGES key of an image reference (`docker.io/library/postgres:16@sha256:...` → postgres). */
export function statefulImage(image: string): string | undefined {
  return imageKey(STATEFUL_IMAGES, image);
}

const PG_INIT = {
  vars: ['POSTGRES_PASSWORD', 'POSTGRES_PASSWORD_FILE', 'POSTGRES_HOST_AUTH_METHOD=trust'],
  server: ['postgres'],
};

/**
 * The first release of each postgres series whose image has the check (docker-library/postgres#658, February 2020:
 * 12.2, 11.7, 10.12, 9.6.17, ...); a tag of an older release was never built again and starts without a password.
 */
const PG_CHECKED: Readonly<Record<string, number>> = { '9.4': 26, '9.5': 21, '9.6': 17, '10': 12, '11': 7, '12': 2 };

/** Whether postgres release `version` (`10.1`, `9.6`, `16-alpine`: a series without a release is rebuilt) checks. */
function pgChecks(version: string): boolean {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version);
  if (!m || Number(m[1]) >= 13) return true;
  const old = Number(m[1]) < 10;
  const first = PG_CHECKED[old ? `${m[1]}.${m[2]}` : m[1]!];
  const release = old ? m[3] : m[2];
  return first !== undefined && (release === undefined || Number(release) >= first);
}

/**
 * Official database images whose entrypoint (docker_verify_minimum_env) exits on an empty data directory unless the
 * environment sets one of `vars` (`NAME=value`: to that value), when it runs the server: the command is one of
 * `server`, or an option (`-c ...`) it prepends the server to. docker-library/postgres (postgis, timescaledb and
 * pgvector keep its entrypoint), docker-library/mysql, MariaDB/mariadb-docker (which reads the MYSQL_* names too).
 * Exact repositories: a fork or a bitnami image has rules of its own.
 */
const INIT_PASSWORD: Readonly<Record<string, { vars: readonly string[]; server: readonly string[] }>> = {
  postgres: PG_INIT,
  'postgis/postgis': PG_INIT,
  'timescale/timescaledb': PG_INIT,
  'pgvector/pgvector': PG_INIT,
  mysql: {
    vars: [
      'MYSQL_ROOT_PASSWORD',
      'MYSQL_ROOT_PASSWORD_FILE',
      'MYSQL_ALLOW_EMPTY_PASSWORD',
      'MYSQL_RANDOM_ROOT_PASSWORD',
    ],
    server: ['mysqld'],
  },
  mariadb: {
    vars: [
      'MARIADB_ROOT_PASSWORD',
      'MARIADB_ROOT_PASSWORD_FILE',
      'MYSQL_ROOT_PASSWORD',
      'MYSQL_ROOT_PASSWORD_FILE',
      'MARIADB_ROOT_PASSWORD_HASH',
      'MARIADB_ROOT_PASSWORD_HASH_FILE',
      'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD',
      'MYSQL_ALLOW_EMPTY_PASSWORD',
      'MARIADB_RANDOM_ROOT_PASSWORD',
      'MYSQL_RANDOM_ROOT_PASSWORD',
    ],
    server: ['mariadbd', 'mysqld'],
  },
};

/**
 * The variables one of which `image`'s entrypoint needs to initialize its database (INIT_PASSWORD), when `command`
 * (undefined: the image's own) runs the server; undefined otherwise.
 */
export function initPasswordVars(image: string, command: readonly string[] | undefined): readonly string[] | undefined {
  const repo = imageRepository(image);
  const entry = Object.hasOwn(INIT_PASSWORD, repo) ? INIT_PASSWORD[repo]! : undefined;
  const first = command?.[0];
  const server = first === undefined ? !command : first.startsWith('-') || entry?.server.includes(first);
  // timescaledb images are built once per release: those before 1.7 (April 2020) predate the check; pgvector's
  // began in 2023.
  const tag = imageTag(image);
  const timescale = /^(\d+)\.(\d+)\./.exec(tag);
  const built =
    repo === 'timescale/timescaledb'
      ? !timescale || Number(timescale[1]) * 100 + Number(timescale[2]) >= 107
      : repo === 'pgvector/pgvector' || entry !== PG_INIT || pgChecks(tag);
  return server && built ? entry?.vars : undefined;
}

/**
 * Official images whose entrypoint fills their volume at the first start while it is empty, copying the application
 * from another directory of the image (repository, or its last path component → the volume's directory and where
 * the copy comes from; read from each image's docker-entrypoint.sh). A fresh claim there starts as a new Docker
 * volume does in effect: no seed is needed.
 */
export const SELF_POPULATING_IMAGES: Readonly<Record<string, { path: string; from: string }>> = {
  wordpress: { path: '/var/www/html', from: '/usr/src/wordpress' },
  nextcloud: { path: '/var/www/html', from: '/usr/src/nextcloud' },
  joomla: { path: '/var/www/html', from: '/usr/src/joomla' },
  matomo: { path: '/var/www/html', from: '/usr/src/matomo' },
};

/** Where the entrypoint of `image` copies the files of the volume at `target` from, if it fills it when empty. */
export function populatedFrom(image: string, target: string): { image: string; from: string } | undefined {
  const key = imageKey(SELF_POPULATING_IMAGES, image);
  const entry = key ? SELF_POPULATING_IMAGES[key]! : undefined;
  return entry && entry.path === target.replace(/\/+$/, '') ? { image: key!, from: entry.from } : undefined;
}

/**
 * Images known to ship files their program needs at start at a path compose projects mount a named volume over
 * (repository → paths): Docker copies those files into the new volume, so a fresh claim there must be seeded.
 * supabase/postgres: its postgresql.conf includes the configuration files under /etc/postgresql-custom (supabase's
 * compose mounts the `db-config` volume there), so an empty directory stops the server from starting.
 */
export const SEEDED_IMAGE_PATHS: Readonly<Record<string, readonly string[]>> = {
  'supabase/postgres': ['/etc/postgresql-custom'],
};

/** The SEEDED_IMAGE_PATHS key of `image` when it ships files its program needs at `target`, else undefined. */
export function shipsFilesAt(image: string, target: string): string | undefined {
  const repo = imageRepository(image);
  const paths = Object.hasOwn(SEEDED_IMAGE_PATHS, repo) ? SEEDED_IMAGE_PATHS[repo]! : [];
  return paths.includes(target.replace(/\/+$/, '')) ? repo : undefined;
}

/**
 * Default listening ports of well-known images (repository, or its last path component): the one table.
 * Services, start-order waits and default probes trust them as served when the service declares no ports
 * or declares one of them.
 */
export const IMAGE_PORTS: Readonly<Record<string, readonly number[]>> = {
  postgres: [5432],
  postgis: [5432],
  timescaledb: [5432],
  pgvector: [5432],
  'bitnami/postgresql': [5432],
  mysql: [3306],
  mariadb: [3306],
  percona: [3306],
  'bitnami/mysql': [3306],
  'bitnami/mariadb': [3306],
  redis: [6379],
  'bitnami/redis': [6379],
  'redis-stack-server': [6379],
  'redis/redis-stack': [6379, 8001],
  redismod: [6379],
  valkey: [6379],
  keydb: [6379],
  mongo: [27017],
  mongodb: [27017],
  'bitnami/mongodb': [27017],
  memcached: [11211],
  rabbitmq: [5672],
  elasticsearch: [9200, 9300],
  opensearch: [9200, 9300],
  clickhouse: [8123, 9000],
  'clickhouse-server': [8123, 9000],
  nats: [4222],
  etcd: [2379],
  zookeeper: [2181],
  'cp-zookeeper': [2181],
  kafka: [9092],
  'cp-kafka': [9092],
  'apache/kafka': [9092],
  'cp-schema-registry': [8081],
  minio: [9000],
  mailhog: [1025, 8025],
  mailpit: [1025, 8025],
  nginx: [80],
  httpd: [80],
  caddy: [80],
  traefik: [80],
  'traefik/whoami': [80],
  influxdb: [8086],
  cassandra: [9042],
  couchdb: [5984],
  grafana: [3000],
  prometheus: [9090],
  alertmanager: [9093],
  loki: [3100],
  promtail: [9080],
  kibana: [5601],
  // The API port (the image's logstash.yml binds it to 0.0.0.0); its inputs (5044, 5000) depend on the pipeline.
  logstash: [9600],
  'mattermost-enterprise-edition': [8065],
  'mattermost-team-edition': [8065],
  'itzg/minecraft-server': [25565],
  'eclipse-mosquitto': [1883],
};

/**
 * Official PHP application images whose tag names the server their default command runs: `apache` (and the default
 * tags: `latest`, `stable`, a version) Apache on port 80, `fpm` / `fpm-alpine` PHP-FPM on 9000, `cli` none.
 */
const PHP_APP_IMAGES = new Set(['nextcloud', 'wordpress', 'joomla', 'drupal', 'matomo']);

/**
 * The well-known ports of an image (empty when it is not in IMAGE_PORTS), and those a PHP application image's tag
 * names when it starts its own server (`entrypointKept`: a replaced entrypoint, nextcloud's `/cron.sh`, runs none).
 */
export function wellKnownPorts(image: string, entrypointKept = true): readonly number[] {
  const k = imageKey(IMAGE_PORTS, image);
  if (k) return IMAGE_PORTS[k]!;
  if (!entrypointKept || !PHP_APP_IMAGES.has(imageRepository(image))) return [];
  const tag = imageTag(image);
  return /(^|-)fpm(-|$)/.test(tag) ? [9000] : /(^|-)cli(-|$)/.test(tag) ? [] : [80];
}

/**
 * Document roots of well-known web server images (repository, or its last path component): files the server reads and
 * serves (its own index page ships there), never data it writes.
 */
const CONTENT_ROOTS: Readonly<Record<string, string>> = {
  nginx: '/usr/share/nginx/html',
  'nginxinc/nginx-unprivileged': '/usr/share/nginx/html',
  httpd: '/usr/local/apache2/htdocs',
  caddy: '/usr/share/caddy',
};

/** The document root of web server `image` when `target` is it or a folder below it. */
export function contentRootOf(image: string, target: string): string | undefined {
  const key = imageKey(CONTENT_ROOTS, image);
  const root = key ? CONTENT_ROOTS[key]! : undefined;
  const t = target.replace(/\/+$/, '');
  return root && isInside(root, t) ? root : undefined;
}
