/**
 * What the converter knows about well-known images, as data: which hold state where. One home for
 * image-reference parsing, so every table is looked up the same way.
 */

/**
 * Well-known stateful images (repository, or its last path component) → directories that hold their
 * data (any one on a claim is enough), the env variable that moves it (postgres PGDATA), and a root
 * below which any claim counts (postgres 18+ keeps data in /var/lib/postgresql/<major>/docker).
 * Official images unless prefixed; nats is left out (it is stateless unless JetStream is on).
 */
export const STATEFUL_IMAGES: Readonly<Record<string, { paths: readonly string[]; env?: string; root?: string }>> = {
  postgres: { paths: ['/var/lib/postgresql/data'], env: 'PGDATA', root: '/var/lib/postgresql' },
  postgis: { paths: ['/var/lib/postgresql/data'], env: 'PGDATA', root: '/var/lib/postgresql' },
  timescaledb: { paths: ['/var/lib/postgresql/data'], env: 'PGDATA', root: '/var/lib/postgresql' },
  mysql: { paths: ['/var/lib/mysql'] },
  mariadb: { paths: ['/var/lib/mysql'] },
  percona: { paths: ['/var/lib/mysql'] },
  mongo: { paths: ['/data/db'] },
  'mongodb-community-server': { paths: ['/data/db'] },
  redis: { paths: ['/data'] },
  valkey: { paths: ['/data'] },
  'redis-stack-server': { paths: ['/data'] },
  elasticsearch: { paths: ['/usr/share/elasticsearch/data'] },
  opensearch: { paths: ['/usr/share/opensearch/data'] },
  rabbitmq: { paths: ['/var/lib/rabbitmq'] },
  'apache/kafka': { paths: ['/var/lib/kafka/data', '/tmp/kraft-combined-logs'] },
  'cp-kafka': { paths: ['/var/lib/kafka/data'] },
  kafka: { paths: ['/var/lib/kafka/data'] },
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
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library') parts.shift();
  return parts.join('/');
}

/** The key of a table keyed by repository or by its last path component, for an image reference. */
export function imageKey<T>(table: Readonly<Record<string, T>>, image: string): string | undefined {
  const repo = imageRepository(image);
  if (Object.hasOwn(table, repo)) return repo;
  const last = repo.slice(repo.lastIndexOf('/') + 1);
  return Object.hasOwn(table, last) ? last : undefined;
}

/** The STATEFUL_IMAGES key of an image reference (`docker.io/library/postgres:16@sha256:...` → postgres). */
export function statefulImage(image: string): string | undefined {
  return imageKey(STATEFUL_IMAGES, image);
}
