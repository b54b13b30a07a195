/** Well-known image tables (src/kube/images.ts): image references resolve to their table keys one way. */
import { describe, expect, it } from 'vitest';
import { imageRepository, STATEFUL_IMAGES, statefulImage } from '../../src/kube/images.js';

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
