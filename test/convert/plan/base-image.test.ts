/**
 * A built service is known by the image its Dockerfile starts FROM: a database built on postgres gets what postgres
 * gets (StatefulSet, the data subPath), an Elasticsearch built on the official image its fsGroup.
 */
import { describe, expect, it } from 'vitest';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { convertProject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';

describe('built services get the heuristics of their base image', () => {
  const COMPOSE = `
services:
  db:
    build: ./db
    environment: { POSTGRES_PASSWORD: example }
    volumes: [pg:/var/lib/postgresql/data]
  es:
    build: { context: ./es, dockerfile: Containerfile }
    volumes: [es:/usr/share/elasticsearch/data]
  app:
    build: { context: ./app, dockerfile_inline: "FROM node:20\\nCOPY . /app\\n" }
volumes: { pg: {}, es: {} }
`;
  function run(files: Record<string, string>) {
    const all = { '/project/compose.yaml': COMPOSE, ...files };
    const p = fromYaml(COMPOSE, files);
    const r = convertProject(p, {}, memoryFs(all));
    expectValid(r.objects);
    const pod = (name: string): PodSpec =>
      (
        r.objects.find(
          (o) => o.metadata.name === name && (o.kind === 'Deployment' || o.kind === 'StatefulSet'),
        ) as unknown as {
          spec: { template: { spec: PodSpec } };
        }
      ).spec.template.spec;
    return { r, pod };
  }

  it('FROM postgres: a StatefulSet with the data subPath; FROM elasticsearch: fsGroup 1000', () => {
    const { r, pod } = run({
      '/project/db/Dockerfile': 'FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n',
      '/project/es/Containerfile': 'ARG V=9.1.0\nFROM docker.elastic.co/elasticsearch/elasticsearch:${V}\n',
    });
    expect(r.objects.some((o) => o.metadata.name === 'db' && o.kind === 'StatefulSet')).toBe(true);
    expect(
      pod('db').containers[0]!.volumeMounts?.find((m) => m.mountPath === '/var/lib/postgresql/data')?.subPath,
    ).toBe('pgdata');
    expect(pod('es').securityContext?.fsGroup).toBe(1000);
  });

  it('a FROM whose tag is a variable with a default is that image (fsGroup 1000 for Elasticsearch)', () => {
    const { pod } = run({
      '/project/es/Containerfile': 'ARG V\nFROM docker.elastic.co/elasticsearch/elasticsearch:${V:-8.15.0}\n',
    });
    expect(pod('es').securityContext?.fsGroup).toBe(1000);
  });

  it("a USER in the Dockerfile replaces the base image's uid: its own id, or nothing assumed for a name", () => {
    const { r, pod } = run({
      '/project/db/Dockerfile': 'FROM postgres:16\n',
      '/project/es/Containerfile': 'FROM docker.elastic.co/elasticsearch/elasticsearch:9.1.0\nUSER 2000:3000\n',
    });
    expect(pod('es').securityContext?.fsGroup).toBe(3000);
    const es = r.report.entries.find(
      (e) => e.service === 'es' && e.path === 'volumes[0]' && e.message.includes('fsGroup'),
    );
    expect(es?.message).toContain('USER 2000:3000 in its Dockerfile');
    const named = run({
      '/project/db/Dockerfile': 'FROM postgres:16\n',
      '/project/es/Containerfile': 'FROM docker.elastic.co/elasticsearch/elasticsearch:9.1.0\nUSER someone\n',
    });
    expect(named.pod('es').securityContext?.fsGroup).toBeUndefined();
    expect(named.r.report.entries.filter((e) => e.service === 'es' && e.message.includes('fsGroup'))).toEqual([]);
  });

  it('without a readable Dockerfile, nothing is assumed', () => {
    const { r, pod } = run({});
    expect(r.objects.some((o) => o.metadata.name === 'db' && o.kind === 'Deployment')).toBe(true);
    expect(pod('es').securityContext?.fsGroup).toBeUndefined();
  });
});
