/** Well-known image tables (src/kube/images.ts): image references resolve to their table keys one way. */
import { describe, expect, it } from 'vitest';
import { imageRepository, postgresLayout, STATEFUL_IMAGES, statefulImage } from '../../src/kube/images.js';

describe('statefulImage', () => {
  it.each([
    ['postgres:16-alpine', 'postgres'],
    ['docker.io/library/mysql:8.0', 'mysql'],
    ['registry.local:5000/mongo@sha256:abcd', 'mongo'],
    ['bitnami/postgresql:16', 'bitnami/postgresql'],
    ['localhost/valkey/valkey:8', 'valkey'],
    ['clickhouse/clickhouse-server:24', 'clickhouse-server'],
    ['apache/kafka:3.7.0', 'apache/kafka'],
    ['nginx:1.25', undefined],
    ['ghcr.io/acme/redis-proxy:1', undefined],
  ])('%s → %s', (image, key) => {
    expect(statefulImage(image)).toBe(key);
  });
  it('has absolute data paths for every image', () => {
    for (const e of Object.values(STATEFUL_IMAGES)) for (const p of e.paths) expect(p).toMatch(/^\/[^ ]+[^/]$/);
  });
});

describe('postgresLayout', () => {
  const below = (major: string) => ({
    root: '/var/lib/postgresql',
    data: `/var/lib/postgresql/${major}/docker`,
    volume: '/var/lib/postgresql',
  });
  const old = { root: '/var/lib/postgresql', data: '/var/lib/postgresql/data', volume: '/var/lib/postgresql/data' };
  it.each([
    ['postgres:18', below('18')],
    ['postgres:18.1-trixie', below('18')],
    ['postgres:alpine', below('<major>')],
    ['postgres', below('<major>')],
    ['postgres:17-alpine', old],
    ['postgres:9.6', old],
    ['postgis/postgis:16-3.4', old],
    ['postgis/postgis:18-3.6-alpine', below('18')],
    ['timescale/timescaledb:2.17.2-pg17', old],
    ['pgvector/pgvector:pg18', below('18')],
    ['tensorchord/pgvecto-rs:pg16-v0.2.0', old],
    ['supabase/postgres:15.8.1.060', old],
    ['appwrite/postgres:0.1.0', below('<major>')],
    ['postgis/postgis:latest', undefined],
    ['mysql:8', undefined],
  ])('%s', (image, layout) => expect(postgresLayout(image)).toEqual(layout));
});

describe('imageRepository', () => {
  it.each([
    ['postgres', 'postgres'],
    ['docker.io/library/postgres:16@sha256:abc', 'postgres'],
    ['ghcr.io/org/app:1', 'org/app'],
    ['localhost:5000/team/api', 'team/api'],
    ['Org/App:Latest', 'org/app'],
  ])('%s → %s', (image, repo) => expect(imageRepository(image)).toBe(repo));
  it('does not take inherited object keys for image names', () => {
    expect(statefulImage('constructor')).toBeUndefined();
    expect(statefulImage('library/toString:1')).toBeUndefined();
  });
});
