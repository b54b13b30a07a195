/**
 * Volumes that behave like Docker volumes (issue 12 §3, issue 14 shared sockets), on compose files shaped like
 * real stacks, through the real loader; every object is validated.
 */
import { describe, expect, test } from 'vitest';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { convertProject } from '../../../src/index.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import type { ConvertResult } from '../../../src/convert/result.js';
import { memoryFs } from '../../../src/load/fs.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';

function conv(
  yaml: string,
  options: Partial<ConvertOptions> = {},
  files: Record<string, string> = {},
  claims: string[] = [],
): ConvertResult {
  const all: Record<string, string> = { '/project/compose.yaml': yaml };
  for (const [k, v] of Object.entries(files)) all[`/project/${k}`] = v;
  const r = convertProject(fromYaml(yaml, files), options, memoryFs(all));
  expect(r.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
  expectValid(r.objects, { claims });
  return r;
}

function podOf(r: ConvertResult, name: string): PodSpec {
  const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];
  const o = r.objects.find((x) => kinds.includes(x.kind) && x.metadata.name === name) as unknown as {
    spec: { template: { spec: PodSpec } };
  };
  return o.spec.template.spec;
}

function templateOf(r: ConvertResult, name: string): { metadata: { labels: Record<string, string> } } {
  const o = r.objects.find((x) => x.kind !== 'Service' && x.metadata.name === name) as unknown as {
    spec: { template: { metadata: { labels: Record<string, string> } } };
  };
  return o.spec.template;
}

/** Each pod carries `label` and requires to run next to the pods carrying it. */
function expectOnOneNode(r: ConvertResult, pods: string[], label: string): void {
  for (const name of pods) {
    expect(templateOf(r, name).metadata.labels[label]).toBe('true');
    expect(podOf(r, name).affinity!.podAffinity!.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { labelSelector: { matchLabels: { [label]: 'true' } }, topologyKey: 'kubernetes.io/hostname' },
    ]);
  }
}

function ids(r: ConvertResult, service: string): string[] {
  return r.report.entries.filter((e) => e.service === service && e.key === 'volumes').map((e) => e.id);
}

function pvcMode(r: ConvertResult, name: string): unknown {
  const o = r.objects.find((x) => x.kind === 'PersistentVolumeClaim' && x.metadata.name === name) as unknown as {
    spec: { accessModes: string[] };
  };
  return o.spec.accessModes;
}

describe('postgres data directory at a volume root', () => {
  test('named volume at /var/lib/postgresql/data is mounted with a subPath, reported', () => {
    const r = conv(`
services:
  db:
    image: postgres:16
    environment: { POSTGRES_PASSWORD: example }
    volumes: [db-data:/var/lib/postgresql/data]
volumes: { db-data: {} }
`);
    const mount = podOf(r, 'db').containers[0]!.volumeMounts!.find((m) => m.mountPath === '/var/lib/postgresql/data');
    expect(mount?.subPath).toBe('pgdata');
    const e = r.report.entries.find((x) => x.service === 'db' && x.path === 'volumes[0]')!;
    expect(e.message).toContain('subPath pgdata');
  });

  test('a claim at /var/lib/postgresql: postgres 18+ keeps its data below it; 17 and older in their own VOLUME', () => {
    const r = conv(`
services:
  db18:
    image: postgres:18
    volumes: [pga:/var/lib/postgresql]
  alpine:
    image: postgres:alpine
    volumes: [pgb:/var/lib/postgresql/]
  db16:
    image: postgres:16-alpine
    volumes: [pgc:/var/lib/postgresql]
  moved:
    image: postgres:16
    environment: { PGDATA: /var/lib/postgresql/16/main }
    volumes: [pgd:/var/lib/postgresql]
  pgvector:
    image: pgvector/pgvector:pg17
    volumes: [pge:/var/lib/postgresql]
  nonroot:
    image: postgres:18
    user: '999:999'
    volumes: [pgf:/var/lib/postgresql]
volumes: { pga: {}, pgb: {}, pgc: {}, pgd: {}, pge: {}, pgf: {} }
`);
    const entry = (svc: string) => r.report.entries.find((x) => x.service === svc && x.path === 'volumes[0]')!;
    expect(entry('db18')).toMatchObject({ id: 'volumes.pg-root-below', status: 'converted' });
    expect(entry('db18').message).toContain('keeps its data in /var/lib/postgresql/18/docker, which its entrypoint');
    expect(entry('db18').message).not.toContain('owned by root');
    expect(entry('alpine')).toMatchObject({ id: 'volumes.pg-root-below', status: 'converted' });
    expect(entry('moved')).toMatchObject({
      id: 'volumes.pg-root-below',
      values: { pgdata: '/var/lib/postgresql/16/main' },
    });
    // 17 and older: the image's VOLUME /var/lib/postgresql/data is mounted over the claim, which stays empty
    for (const svc of ['db16', 'pgvector']) {
      expect(entry(svc)).toMatchObject({ id: 'volumes.pg-root-shadowed', status: 'approximated' });
      expect(entry(svc).message).toContain('declares VOLUME /var/lib/postgresql/data');
      expect(entry(svc).fix).toContain('mount the volume at /var/lib/postgresql/data instead');
    }
    // no subPath, no PGDATA: the manifests are as before
    for (const svc of ['db18', 'alpine', 'db16'])
      expect(podOf(r, svc).containers[0]!.volumeMounts![0]).not.toHaveProperty('subPath');
    expect(podOf(r, 'db18').containers[0]!.env ?? []).toEqual([]);
    // a non-root user cannot create the directory as root does: the fsGroup entry stays
    expect(entry('nonroot').id).toBe('volumes.named-starts-empty');
    expect(entry('nonroot').message).toContain('pod fsGroup 999');
  });

  test('postgres 18+ (or untagged) at the old /var/lib/postgresql/data: PGDATA pinned there, approximated', () => {
    // awesome-compose nextcloud-postgres (postgres:alpine) and spring-postgres (postgres): the 18 image keeps its data
    // in /var/lib/postgresql/18/docker and its entrypoint exits when /var/lib/postgresql/data is a mount point.
    const r = conv(
      `
services:
  latest:
    image: postgres:alpine
    volumes: [pga:/var/lib/postgresql/data]
  db18:
    image: postgres:18
    volumes: ['./pgdata:/var/lib/postgresql/data/']
  tagless:
    image: postgres
    volumes: [/var/lib/postgresql/data]
  external:
    image: pgvector/pgvector:pg18
    volumes: [old:/var/lib/postgresql/data]
  db16:
    image: postgres:16
    volumes: [pgc:/var/lib/postgresql/data]
  own:
    image: postgres:18
    environment: { PGDATA: /var/lib/postgresql/data/pg }
    volumes: [pgd:/var/lib/postgresql/data]
  nonroot:
    image: postgres:18
    user: '999:999'
    volumes: [pge:/var/lib/postgresql/data]
volumes: { pga: {}, pgc: {}, pgd: {}, pge: {}, old: { external: true } }
`,
      {},
      {},
      ['old'],
    );
    const entry = (svc: string) => r.report.entries.find((x) => x.service === svc && x.path === 'volumes[0]')!;
    const pgdata = (svc: string) => podOf(r, svc).containers[0]!.env?.find((e) => e.name === 'PGDATA')?.value;
    for (const svc of ['latest', 'db18', 'tagless', 'external']) {
      expect(entry(svc)).toMatchObject({ id: 'volumes.pg18-data-env', status: 'approximated' });
      expect(entry(svc).message).toContain('"unused mount/volume" when /var/lib/postgresql/data is a mount point');
      expect(entry(svc).message).toContain('PGDATA=/var/lib/postgresql/data here keeps the data on the volume');
      expect(entry(svc).fix).toContain('mount the volume at /var/lib/postgresql instead');
      expect(pgdata(svc)).toBe('/var/lib/postgresql/data');
    }
    // a claim the converter makes keeps its subPath (lost+found at the root); the external claim keeps its root
    expect(podOf(r, 'latest').containers[0]!.volumeMounts![0]).toMatchObject({ subPath: 'pgdata' });
    expect(podOf(r, 'external').containers[0]!.volumeMounts![0]).not.toHaveProperty('subPath');
    expect(entry('db18').message).toContain('postgres:18 keeps its data in /var/lib/postgresql/18/docker');
    // a tag without a major: the entry names the tag it took for 18+, and the fix offers pinning an older one
    expect(entry('tagless').message).toContain('postgres (no tag: latest, the newest release, 18 or later today)');
    expect(entry('latest').message).toContain('postgres:alpine (tag alpine names no major');
    expect(entry('latest').message).toContain('keeps its data in /var/lib/postgresql/<major>/docker');
    expect(entry('tagless').fix).toContain('or pin the tag of postgres 17 or older');
    expect(entry('db18').fix).not.toContain('pin');
    // 17 and older keep their data there; a PGDATA of its own is honoured; a non-root user gets PGDATA below the mount
    for (const svc of ['db16', 'own', 'nonroot']) expect(entry(svc).id).not.toBe('volumes.pg18-data-env');
    for (const svc of ['db16', 'own']) expect(pgdata(svc)).toBeUndefined();
    expect(pgdata('nonroot')).toBe('/var/lib/postgresql/data/pgdata');
  });

  test('postgres 18+ with a volume at a versioned directory beside its own (/var/lib/postgresql/18/data): PGDATA below it', () => {
    // appwrite: appwrite/postgres:0.1.0 is built FROM postgres:18, which keeps its data in /var/lib/postgresql/18/docker
    // below its VOLUME /var/lib/postgresql: without PGDATA the named volume stays empty and a pod loses the data.
    const r = conv(
      `
services:
  postgresql:
    image: appwrite/postgres:0.1.0
    volumes: [appwrite-postgresql:/var/lib/postgresql/18/data:rw]
  own:
    image: postgres:18
    volumes: [own:/var/lib/postgresql/18/docker]
  config:
    image: postgres:18
    volumes: [config:/var/lib/postgresql/config]
  old:
    image: postgres:16
    volumes: [old:/var/lib/postgresql/16/data]
  nonroot:
    image: postgres:18-alpine
    user: '999:999'
    environment: { POSTGRES_USER: app }
    volumes: [nonroot:/var/lib/postgresql/18/data]
volumes: { appwrite-postgresql: {}, own: {}, config: {}, old: {}, nonroot: {} }
`,
    );
    const entry = (svc: string) => r.report.entries.find((x) => x.service === svc && x.path === 'volumes[0]')!;
    const pgdata = (svc: string) => podOf(r, svc).containers[0]!.env?.find((e) => e.name === 'PGDATA')?.value;
    expect(entry('postgresql')).toMatchObject({ id: 'volumes.pg18-data-beside', status: 'approximated' });
    expect(entry('postgresql').message).toContain('keeps its data in /var/lib/postgresql/<major>/docker');
    expect(entry('postgresql').message).toContain('PGDATA=/var/lib/postgresql/18/data/pgdata here keeps the data');
    expect(entry('postgresql').message).not.toContain('user the image runs as is not known');
    expect(entry('postgresql').fix).toContain('mount the volume at /var/lib/postgresql instead');
    // The data a Docker installation holds is in the image's anonymous volume: the fix moves it with a dump, as the
    // database's superuser, by the compose service's name.
    expect(entry('postgresql').fix).toContain(
      'move it with a dump, `docker compose exec postgresql pg_dumpall -U postgres > dump.sql` on the Docker host, then `kubectl exec -i <pod of postgresql> -- psql -U postgres -d postgres < dump.sql`',
    );
    expect(entry('nonroot').fix).toContain('pg_dumpall -U app');
    expect(pgdata('postgresql')).toBe('/var/lib/postgresql/18/data/pgdata');
    expect(podOf(r, 'postgresql').containers[0]!.volumeMounts![0]).not.toHaveProperty('subPath');
    // run as a non-root user, it writes that directory too (applyPgdata reads only /var/lib/postgresql/data)
    expect(entry('nonroot')).toMatchObject({ id: 'volumes.pg18-data-beside', status: 'approximated' });
    expect(pgdata('nonroot')).toBe('/var/lib/postgresql/18/data/pgdata');
    expect(podOf(r, 'nonroot').securityContext?.fsGroup).toBe(999);
    // its own data directory, another folder below the root, and a postgres 17 or older image: no PGDATA from here
    for (const svc of ['own', 'config', 'old']) {
      expect(entry(svc).id).not.toBe('volumes.pg18-data-beside');
      expect(pgdata(svc)).toBeUndefined();
    }
  });

  test('postgres 18+ with a volume at its own data directory (default or PGDATA) keeps it off the claim root', () => {
    // initdb refuses a directory holding lost+found: the fresh claim's root is no data directory, wherever it is.
    const r = conv(
      `
services:
  own:
    image: postgres:18
    volumes: [own:/var/lib/postgresql/18/docker]
  env:
    image: postgres:18-alpine
    environment: { PGDATA: /var/lib/postgresql/18/data }
    volumes: [env:/var/lib/postgresql/18/data]
  other:
    image: postgres:18
    volumes: [other:/var/lib/postgresql/config]
volumes: { own: {}, env: {}, other: {} }
`,
    );
    const mount = (svc: string) => podOf(r, svc).containers[0]!.volumeMounts![0]!;
    for (const svc of ['own', 'env']) {
      expect(mount(svc)).toMatchObject({ subPath: 'pgdata' });
      expect(r.report.entries.find((x) => x.service === svc && x.path === 'volumes[0]')!.message).toContain(
        'mounted with subPath pgdata',
      );
    }
    expect(mount('other')).not.toHaveProperty('subPath');
  });

  test("Kafka's log directory is kept off the claim root (lost+found), with the fsGroup of its image", () => {
    const r = conv(
      `
services:
  cp:
    image: confluentinc/cp-kafka:7.6.13
    volumes: [cp-data:/var/lib/kafka/data]
  apache:
    image: apache/kafka:3.9.0
    volumes: [apache-data:/var/lib/kafka/data]
  sentry:
    image: confluentinc/cp-kafka:7.6.13
    volumes: [sentry-kafka:/var/lib/kafka/data]
volumes: { cp-data: {}, apache-data: {}, sentry-kafka: { external: true } }
`,
      {},
      {},
      ['sentry-kafka'],
    );
    for (const name of ['cp', 'apache']) {
      expect(podOf(r, name).containers[0]!.volumeMounts![0]!.subPath).toBe('kafka');
      expect(podOf(r, name).securityContext).toMatchObject({ fsGroup: 1000 });
      const e = r.report.entries.find((x) => x.service === name && x.path === 'volumes[0]')!;
      expect(e.message).toContain('subPath kafka');
      expect(e.message).toContain('where Kafka stops at startup (lost+found is not a topic-partition directory)');
    }
    // An external claim keeps its root (the data copied from the Docker volume); its entry says a new one is refused.
    expect(podOf(r, 'sentry').containers[0]!.volumeMounts![0]!.subPath).toBeUndefined();
    const ext = r.report.entries.find((x) => x.service === 'sentry' && x.path === 'volumes[0]')!;
    expect(ext).toMatchObject({ id: 'volumes.external-data-root', status: 'approximated' });
    expect(ext.fix).toContain('subpath: kafka');
  });

  test('a data folder that becomes a claim: its entry says the subPath and where copied data goes', () => {
    // immich's ./postgres: data copied to the claim root would sit beside pgdata/, and postgres would initdb anew.
    const r = conv(`
services:
  database:
    image: postgres:16
    volumes: [./postgres:/var/lib/postgresql/data]
`);
    expect(podOf(r, 'database').containers[0]!.volumeMounts![0]!.subPath).toBe('pgdata');
    const e = r.report.entries.find((x) => x.service === 'database' && x.path === 'volumes[0]')!;
    expect(e.status).toBe('approximated');
    expect(e.id).toBe('volumes.bind-data-claim');
    expect(e.message).toContain('mounted with subPath pgdata');
    expect(e.message).toContain('which initdb refuses (the directory is not empty)');
    expect(e.message).toContain(
      'belongs in pgdata/ of the claim (kubectl cp into the pod at /var/lib/postgresql/data), not at its root',
    );
  });

  test('PGDATA already in a subdirectory, or an image that takes a fresh claim as it is: no subPath', () => {
    const r = conv(`
services:
  db:
    image: postgres:16
    environment: { PGDATA: /var/lib/postgresql/data/pgdata }
    volumes: [pg:/var/lib/postgresql/data]
  mongo:
    image: mongo:7
    volumes: [mg:/data/db]
volumes: { pg: {}, mg: {} }
`);
    expect(podOf(r, 'db').containers[0]!.volumeMounts!.every((m) => m.subPath === undefined)).toBe(true);
    expect(podOf(r, 'mongo').containers[0]!.volumeMounts!.every((m) => m.subPath === undefined)).toBe(true);
  });

  test("a database's data directory is not offered the seed (its image has nothing there); other paths are", () => {
    const r = conv(`
services:
  db:
    image: postgres:16
    environment: { POSTGRES_PASSWORD: example }
    volumes: [pg:/var/lib/postgresql/data]
  app:
    image: example/app
    volumes: [assets:/app/public]
volumes: { pg: {}, assets: {} }
`);
    const db = r.report.entries.find((x) => x.service === 'db' && x.path === 'volumes[0]')!;
    expect(db.message).toMatch(/^pg mounted at \/var\/lib\/postgresql\/data: the data directory of postgres, empty in/);
    expect(db.message).not.toContain('seed');
    const app = r.report.entries.find((x) => x.service === 'app' && x.path === 'volumes[0]')!;
    expect(app.id).toBe('volumes.named-starts-empty-owner');
    expect(app.status).toBe('approximated');
    expect(app.message).toMatch(/^assets mounted at \/app\/public; a fresh claim starts empty/);
    expect(app.fix).toContain('x-k8s: {seed: true}');
  });

  test('an image whose user is unknown: the entry says a non-root one cannot write the root-owned claim', () => {
    const r = conv(`
services:
  app:
    image: example/app
    volumes: [va:/app/data]
  rooted:
    image: example/app
    user: root
    volumes: [vb:/app/data]
  named:
    image: example/app
    user: appuser
    volumes: [vc:/app/data]
volumes: { va: {}, vb: {}, vc: {} }
`);
    const entry = (svc: string) => r.report.entries.find((x) => x.service === svc && x.path === 'volumes[0]')!;
    expect(entry('app').id).toBe('volumes.named-starts-empty-owner');
    expect(entry('app').message).toContain('a non-root one cannot write the claim');
    expect(entry('app').fix).toContain('x-k8s: {fsGroup: GID}');
    expect(entry('named').id).toBe('volumes.named-starts-empty-owner');
    // root writes any claim: only the seed is offered
    expect(entry('rooted').id).toBe('volumes.named-starts-empty');
    expect(entry('rooted').fix).not.toContain('fsGroup');
  });

  // netbox-docker: the image sets no USER and unitd runs the app as uid 101, gid 0, in directories the image made
  // group-root writable (chown unit:root, chmod g+w): a fresh root:root 0755 claim needs group root's write bit.
  test('a user name not resolved, in group root (netbox unit:root), gets fsGroup 0', () => {
    const r = conv(`
services:
  netbox:
    image: docker.io/netboxcommunity/netbox:v4.1-3.0.2
    user: "unit:root"
    volumes: [media:/opt/netbox/netbox/media]
  rootgroup:
    image: example/app
    user: "1000:0"
    volumes: [vb:/app/data]
volumes: { media: {}, vb: {} }
`);
    expect(podOf(r, 'netbox').securityContext).toEqual({ fsGroup: 0, fsGroupChangePolicy: 'OnRootMismatch' });
    const e = r.report.entries.find((x) => x.service === 'netbox' && x.path === 'volumes[0]')!;
    expect(e.message).toContain('pod fsGroup 0 (fsGroupChangePolicy OnRootMismatch) makes the claim writable');
    expect(e.message).toContain('(user: unit:root)');
    // A known uid in group root keeps its uid as the claim's group.
    expect(podOf(r, 'rootgroup').securityContext?.fsGroup).toBe(1000);
  });

  test('a claim under /bitnami/ (an image built on a Bitnami one, posthog kafka) gets the Bitnami uid as fsGroup', () => {
    const r = conv(`
services:
  kafka:
    image: ghcr.io/posthog/kafka-container:v2.8.2
    volumes: [kafka-data:/bitnami/kafka]
  other:
    image: example/app
    volumes: [vd:/bitnami-data]
volumes: { kafka-data: {}, vd: {} }
`);
    expect(podOf(r, 'kafka').securityContext).toEqual({ fsGroup: 1001, fsGroupChangePolicy: 'OnRootMismatch' });
    const kafka = r.report.entries.find((x) => x.service === 'kafka' && x.path === 'volumes[0]')!;
    expect(kafka.message).toContain('pod fsGroup 1001');
    expect(kafka.message).toContain('under /bitnami/');
    expect(kafka.id).toBe('volumes.named-starts-empty');
    expect(podOf(r, 'other').securityContext?.fsGroup).toBeUndefined();
  });

  test('an image whose entrypoint fills its empty volume (wordpress, nextcloud) needs no seed; elsewhere it does', () => {
    const r = conv(`
services:
  wordpress:
    image: wordpress:6-apache
    volumes: [wp:/var/www/html/]
  cloud:
    image: docker.io/library/nextcloud:29-fpm
    volumes: [nc:/var/www/html]
  plugins:
    image: wordpress:6
    volumes: [extra:/usr/src/extra]
  cron:
    image: nextcloud:29-apache
    entrypoint: /cron.sh
    volumes: [nc2:/var/www/html]
  cli:
    image: wordpress:cli
    command: [wp, plugin, list]
    volumes: [wp2:/var/www/html]
  cloudcron:
    image: docker.io/library/nextcloud:29-fpm
    entrypoint: /cron.sh
    volumes: [nc:/var/www/html]
volumes: { wp: {}, nc: {}, extra: {}, nc2: {}, wp2: {} }
`);
    const entry = (svc: string) => r.report.entries.find((x) => x.service === svc && x.path === 'volumes[0]')!;
    expect(entry('wordpress')).toMatchObject({ id: 'volumes.named-populated', status: 'converted' });
    expect(entry('wordpress').message).toContain('the entrypoint of wordpress copies /usr/src/wordpress into it');
    expect(entry('cloud')).toMatchObject({
      id: 'volumes.named-populated',
      values: expect.objectContaining({ image: 'nextcloud' }),
    });
    expect(entry('plugins').id).toBe('volumes.named-starts-empty-owner');
    // the copy happens only before the image's own server starts: not under /cron.sh, nor in the cli variant
    expect(entry('cron').id).not.toBe('volumes.named-populated');
    expect(entry('cli').id).not.toBe('volumes.named-populated');
    // ...but a cron container sharing the app's volume finds it filled by the app
    expect(entry('cloudcron').id).toBe('volumes.named-populated');
  });

  test("gitea's /data is its data directory: empty in the image, laid out and chowned by its root entrypoint", () => {
    const r = conv(`
services:
  gitea:
    image: gitea/gitea:1.21
    volumes: [gitea:/data]
  rootless:
    image: gitea/gitea:1.21-rootless
    volumes: [rl:/var/lib/gitea]
volumes: { gitea: {}, rl: {} }
`);
    const entry = (svc: string) => r.report.entries.find((x) => x.service === svc && x.path === 'volumes[0]')!;
    expect(entry('gitea')).toMatchObject({ id: 'volumes.named-data', status: 'converted' });
    expect(entry('gitea').message).toContain('the data directory of gitea/gitea, empty in the image');
    // not a database: a Deployment still, and the rootless image (uid 1000) keeps the owner note
    const kinds = r.objects.filter((o) => o.metadata.name === 'gitea').map((o) => o.kind);
    expect(kinds).toContain('Deployment');
    expect(kinds).not.toContain('StatefulSet');
    expect(entry('rootless').id).toBe('volumes.named-starts-empty-owner');
  });

  test('MySQL and MariaDB data directories get a subPath too (mysqld --initialize refuses lost+found)', () => {
    const r = conv(`
services:
  mysql:
    image: mysql:5.7
    environment: { MYSQL_ROOT_PASSWORD: example }
    volumes: [my:/var/lib/mysql]
  maria:
    image: mariadb:11
    volumes: ["./db:/var/lib/mysql"]
volumes: { my: {} }
`);
    for (const s of ['mysql', 'maria']) {
      const mount = podOf(r, s).containers[0]!.volumeMounts!.find((m) => m.mountPath === '/var/lib/mysql');
      expect(mount?.subPath).toBe('mysql');
    }
    expect(r.report.entries.find((x) => x.service === 'mysql' && x.path === 'volumes[0]')!.message).toContain(
      'subPath mysql',
    );
  });

  test('an image that only mounts its data at the postgres path, run as a user, keeps its directory (no PGDATA)', () => {
    // nextcloud's aio-postgresql hardcodes DATADIR and wipes it when PG_VERSION is not there: PGDATA would lose data.
    const r = conv(`
services:
  db:
    image: ghcr.io/nextcloud-releases/aio-postgresql:latest
    user: "999"
    volumes: [db:/var/lib/postgresql/data]
volumes: { db: {} }
`);
    const c = podOf(r, 'db').containers[0]!;
    expect(c.env?.find((e) => e.name === 'PGDATA')).toBeUndefined();
    expect(c.volumeMounts![0]!.subPath).toBeUndefined();
    const e = r.report.entries.find((x) => x.service === 'db' && x.path === 'volumes[0]')!;
    expect(e.id).toBe('volumes.pgdata-unknown-image');
    expect(e.status).toBe('approximated');
    expect(e.fix).toContain('chown 999 /var/lib/postgresql/data');
  });

  test('a missing ./data bind for postgres becomes a claim mounted with the subPath', () => {
    const r = conv(`
services:
  db:
    image: postgis/postgis:16-3.4
    volumes: ["./pgdata:/var/lib/postgresql/data"]
`);
    expect(podOf(r, 'db').containers[0]!.volumeMounts![0]).toMatchObject({ subPath: 'pgdata' });
  });
});

describe('fsGroup for services that do not run as root', () => {
  test('a non-root user: and a fixed-uid image get fsGroup; root does not', () => {
    const r = conv(`
services:
  app:
    image: node:20
    user: "1000:1001"
    volumes: [uploads:/app/uploads]
  grafana:
    image: grafana/grafana:11.0.0
    volumes: [grafana:/var/lib/grafana]
  root:
    image: alpine
    user: root
    volumes: [scratch:/scratch]
volumes: { uploads: {}, grafana: {}, scratch: {} }
`);
    expect(podOf(r, 'app').securityContext).toMatchObject({ fsGroup: 1001, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(podOf(r, 'grafana').securityContext).toMatchObject({ fsGroup: 472 });
    expect(podOf(r, 'root').securityContext?.fsGroup).toBeUndefined();
    expect(r.report.entries.find((e) => e.service === 'grafana' && e.path === 'volumes[0]')!.message).toContain(
      'fsGroup 472',
    );
  });

  test('frappe/erpnext (uid 1000) and Plausible CE (uid 999) are fixed-uid images: their pods get fsGroup', () => {
    const r = conv(`
services:
  configurator:
    image: frappe/erpnext:v16.32.3
    restart: on-failure
    volumes: [sites:/srv/frappe-bench/sites]
  plausible:
    image: ghcr.io/plausible/community-edition:v3.2.0
    volumes: [plausible-data:/var/lib/plausible]
  analytics:
    image: plausible/analytics:v2.0
    volumes: [event-data:/var/lib/plausible]
volumes: { sites: {}, plausible-data: {}, event-data: {} }
`);
    const want = (gid: number) => ({ fsGroup: gid, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(podOf(r, 'configurator').securityContext).toMatchObject(want(1000));
    expect(podOf(r, 'plausible').securityContext).toMatchObject(want(999));
    expect(podOf(r, 'analytics').securityContext).toMatchObject(want(999));
    expect(r.report.entries.find((e) => e.service === 'configurator' && e.path === 'volumes[0]')!.message).toContain(
      'fsGroup 1000 (fsGroupChangePolicy OnRootMismatch) makes the claim writable for the service (image frappe/erpnext runs as uid 1000)',
    );
  });

  test('a user name the image defines, and uid:0, give the resolved uid as fsGroup', () => {
    // user: postgres is uid 999 in the postgres image; airflow runs as 50000:0 (group root: the uid is the group).
    const r = conv(`
services:
  db:
    image: postgres:16
    user: postgres
    volumes: [pg:/var/lib/postgresql/data]
  airflow:
    image: apache/airflow:3.0.2
    user: "50000:0"
    volumes: [logs:/opt/airflow/logs]
  kafka:
    image: confluentinc/cp-kafka:7.6.0
    volumes: [kafka:/var/lib/kafka/data]
  web:
    image: ghcr.io/mastodon/mastodon:v4.3.17
    volumes: [system:/mastodon/public/system]
volumes: { pg: {}, logs: {}, kafka: {}, system: {} }
`);
    expect(podOf(r, 'db').securityContext).toMatchObject({ fsGroup: 999 });
    // Not a subPath: the kubelet would make that directory root's, and initdb must chmod it. Postgres makes its own.
    const db = podOf(r, 'db').containers[0]!;
    expect(db.volumeMounts![0]!.subPath).toBeUndefined();
    expect(db.env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
    expect(r.report.entries.find((e) => e.service === 'db' && e.path === 'volumes[0]')!.message).toContain(
      'PGDATA=/var/lib/postgresql/data/pgdata: postgres runs as postgres',
    );
    expect(podOf(r, 'airflow').securityContext).toMatchObject({ fsGroup: 50000 });
    expect(podOf(r, 'kafka').securityContext).toMatchObject({ fsGroup: 1000 });
    expect(podOf(r, 'web').securityContext).toMatchObject({ fsGroup: 991 });
  });

  test('an fsGroup the user set (x-k8s) is kept', () => {
    const r = conv(`
services:
  app:
    image: node:20
    user: "1000"
    volumes: [d:/d]
    x-k8s: { fsGroup: 2000 }
volumes: { d: {} }
`);
    expect(podOf(r, 'app').securityContext?.fsGroup).toBe(2000);
  });
});

const UPLOADS = `
services:
  web:
    image: ghcr.io/acme/web:1
    volumes: [uploads:/srv/uploads]
  worker:
    image: ghcr.io/acme/worker:1
    volumes: [uploads:/data/uploads]
volumes: { uploads: {} }
`;

describe('a volume several services write', () => {
  test('one ReadWriteOnce claim; every pod using it, the first included, carries its label and requires its node', () => {
    const r = conv(UPLOADS);
    expect(pvcMode(r, 'uploads')).toEqual(['ReadWriteOnce']);
    // No pod is left free: one that schedules elsewhere (an image bump of a Recreate Deployment) would meet
    // Multi-Attach. The first pod matches its own term, so it still schedules.
    expectOnOneNode(r, ['web', 'worker'], 'compose2k8s.io/claims-web');
    const top = r.report.entries.find((e) => e.service === undefined && e.path === 'volumes.uploads')!;
    expect(top).toMatchObject({ id: 'top.volumes.claim-shared', status: 'approximated' });
    expect(top.message).toContain('compose2k8s.io/claims-web');
    expect(top.fix).toContain('--shared-volumes rwx');
  });

  test('pods linked through several claims form one group: no two of them schedule freely on two nodes', () => {
    // api shares cache with a and uploads with b; a and b share nothing. With a label per claim, a and b would
    // both be free to schedule first, on two nodes, and api could never join both.
    const r = conv(`
services:
  a:
    image: ghcr.io/acme/a:1
    volumes: [cache:/cache]
  api:
    image: ghcr.io/acme/api:1
    volumes: [cache:/cache, uploads:/uploads]
  b:
    image: ghcr.io/acme/b:1
    volumes: [uploads:/uploads]
volumes: { cache: {}, uploads: {} }
`);
    for (const name of ['a', 'api', 'b']) {
      expect(
        Object.keys(templateOf(r, name).metadata.labels).filter((k) => k.startsWith('compose2k8s.io/claims-')),
      ).toEqual(['compose2k8s.io/claims-a']);
      expect(podOf(r, name).affinity!.podAffinity!.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    }
  });

  test('a config folder several pods mount is copied into each pod: it joins no groups (grafana-loki ./config)', () => {
    const r = conv(
      `
services:
  loki:
    image: grafana/loki:3.5.0
    volumes: [./config:/etc/loki, chunks:/loki]
  compactor:
    image: grafana/loki:3.5.0
    volumes: [./config:/etc/loki, chunks:/loki]
  generator:
    image: mingrammer/flog
    volumes: [varlog:/var/log]
  promtail:
    image: grafana/promtail:3.5.0
    volumes: [./config:/etc/promtail, varlog:/var/log]
  alertmanager:
    image: prom/alertmanager:v0.28.0
    volumes: [./config:/config]
volumes: { chunks: {}, varlog: {} }
`,
      {},
      { 'config/loki.yaml': 'auth_enabled: false\n' },
    );
    // Two groups, each named after its first pod; alertmanager mounts no claim and is kept nowhere.
    expectOnOneNode(r, ['compactor', 'loki'], 'compose2k8s.io/claims-compactor');
    expectOnOneNode(r, ['generator', 'promtail'], 'compose2k8s.io/claims-generator');
    expect(podOf(r, 'alertmanager').affinity).toBeUndefined();
    const top = r.report.entries.find((e) => e.service === undefined && e.path === 'volumes.varlog')!;
    expect(top.message).toContain('compose2k8s.io/claims-generator');
    // A folder that is a mounter's data directory is a claim: it still joins its pods' group (the claim's pod, db,
    // carries the group label, named after backup, which reads a copy).
    const data = conv(
      'services:\n  db:\n    image: postgres:16\n    volumes: [./pg:/var/lib/postgresql/data]\n  backup:\n    image: ghcr.io/acme/backup:1\n    volumes: [./pg:/backup/pg]\n',
      {},
      { 'pg/PG_VERSION': '16\n' },
    );
    expectOnOneNode(data, ['db'], 'compose2k8s.io/claims-backup');
  });

  test('--shared-volumes rwx keeps one ReadWriteMany claim and no affinity', () => {
    const r = conv(UPLOADS, { sharedVolumes: 'rwx' });
    expect(pvcMode(r, 'uploads')).toEqual(['ReadWriteMany']);
    expect(podOf(r, 'worker').affinity).toBeUndefined();
  });

  test('replicas share the ReadWriteOnce claim on one node, as on one Docker host; the entry names them', () => {
    const r = conv(UPLOADS.replace('image: ghcr.io/acme/worker:1', 'image: ghcr.io/acme/worker:1\n    scale: 3'));
    expect(pvcMode(r, 'uploads')).toEqual(['ReadWriteOnce']);
    expectOnOneNode(r, ['web', 'worker'], 'compose2k8s.io/claims-web');
    const top = r.report.entries.find((x) => x.service === undefined && x.path === 'volumes.uploads')!;
    expect(top).toMatchObject({ id: 'top.volumes.claim-shared', status: 'approximated' });
    expect(top.message).toContain('web, worker (3 replicas)');
    // one replicated service alone, kept a Deployment: its replicas are kept together too
    const alone = conv(
      'services:\n  loki:\n    image: ghcr.io/acme/loki:3\n    deploy: { replicas: 3 }\n    volumes: [data:/loki]\n    x-k8s: { controller: Deployment }\nvolumes: { data: {} }\n',
    );
    expect(pvcMode(alone, 'data')).toEqual(['ReadWriteOnce']);
    expectOnOneNode(alone, ['loki'], 'compose2k8s.io/claims-loki');
  });

  test('replicas required on distinct nodes, or a DaemonSet, need ReadWriteMany', () => {
    const spread = conv(
      UPLOADS.replace(
        'image: ghcr.io/acme/worker:1',
        'image: ghcr.io/acme/worker:1\n    deploy: { replicas: 2, placement: { max_replicas_per_node: 1 } }',
      ),
    );
    expect(pvcMode(spread, 'uploads')).toEqual(['ReadWriteMany']);
    expect(podOf(spread, 'web').affinity).toBeUndefined();
    const top = spread.report.entries.find((x) => x.service === undefined && x.path === 'volumes.uploads')!;
    expect(top).toMatchObject({ id: 'top.volumes.claim-rwx', status: 'approximated' });
    const global = conv(
      UPLOADS.replace('image: ghcr.io/acme/worker:1', 'image: ghcr.io/acme/worker:1\n    deploy: { mode: global }'),
    );
    expect(pvcMode(global, 'uploads')).toEqual(['ReadWriteMany']);
  });

  test('a bind-mounted project directory both services write is reported, not silently split', () => {
    const r = conv(
      `
services:
  app:
    image: php:8-fpm
    volumes: ["./html:/var/www/html"]
  web:
    image: nginx:1.27
    volumes: ["./html:/usr/share/nginx/html"]
  ro:
    image: nginx:1.27
    volumes: ["./html:/srv:ro"]
`,
      {},
      { 'html/index.php': '<?php echo 1;\n' },
    );
    const app = r.report.entries.find((e) => e.service === 'app' && e.path === 'volumes[0]')!;
    expect(app).toMatchObject({ id: 'volumes.bind-shared-rw', status: 'approximated' });
    expect(app.message).toContain('web');
    // a read-only mount is what the ConfigMap gives anyway
    expect(ids(r, 'ro')).toEqual(['volumes.bind-dir']);
  });
});

describe('a missing project directory several services write (mastodon public/system)', () => {
  const SYSTEM = `
services:
  web:
    image: ghcr.io/mastodon/mastodon:v4.3.17
    command: bundle exec puma -C config/puma.rb
    volumes: [./public/system:/mastodon/public/system]
  sidekiq:
    image: ghcr.io/mastodon/mastodon:v4.3.17
    command: bundle exec sidekiq
    volumes: [./public/system:/mastodon/public/system]
`;
  const entry = (r: ConvertResult, svc: string) =>
    r.report.entries.find((e) => e.service === svc && e.path === 'volumes[0]')!;

  test("each entry names the pods, the claim they share, and what keeps them on one node, as a named volume's does", () => {
    const r = conv(SYSTEM);
    expectOnOneNode(r, ['sidekiq', 'web'], 'compose2k8s.io/claims-sidekiq');
    for (const svc of ['web', 'sidekiq']) {
      // What a data claim gets still applies (the image's user owns the claim's files).
      expect(podOf(r, svc).securityContext?.fsGroup).toBe(991);
      const e = entry(r, svc);
      expect(e).toMatchObject({ id: 'volumes.bind-data-claim-together', status: 'approximated' });
      expect(e.message).toContain('the pods sidekiq, web share, one PersistentVolumeClaim sidekiq-system');
      expect(e.message).toContain('pod label compose2k8s.io/claims-sidekiq and a required pod affinity');
      expect(e.message).not.toContain("the service's data directory");
      // ...and the entry says so: the fsGroup note is not dropped because the claim is already approximated.
      expect(e.message).toContain('; pod fsGroup 991 (fsGroupChangePolicy OnRootMismatch) makes the claim writable');
      expect(e.fix).toContain('--shared-volumes rwx');
    }
  });

  test('--shared-volumes rwx: one ReadWriteMany claim, said so; a directory one service writes keeps its entry', () => {
    const rwx = conv(SYSTEM, { sharedVolumes: 'rwx' });
    expect(pvcMode(rwx, 'sidekiq-system')).toEqual(['ReadWriteMany']);
    expect(entry(rwx, 'web')).toMatchObject({ id: 'volumes.bind-data-claim-shared' });
    expect(entry(rwx, 'web').message).toContain('(ReadWriteMany, 1Gi) mounted by all of them');
    const one = conv(SYSTEM.replace(/ {2}sidekiq:[^]*$/, ''));
    expect(entry(one, 'web').id).toBe('volumes.bind-data-claim');
  });
});

describe('shared UNIX sockets', () => {
  test('a mysqld socket volume shared with php across pods is unsupported, with the TCP / group fix', () => {
    const r = conv(`
services:
  mysql:
    image: mysql:8
    volumes: [mysqld:/var/run/mysqld, db:/var/lib/mysql]
  php:
    image: php:8-fpm
    volumes: [mysqld:/var/run/mysqld]
volumes: { mysqld: {}, db: {} }
`);
    for (const s of ['mysql', 'php']) {
      const e = r.report.entries.find((x) => x.service === s && x.path === 'volumes[0]')!;
      expect(e).toMatchObject({ id: 'volumes.socket-across-pods', status: 'unsupported' });
      expect(e.fix).toContain('x-k8s');
    }
    // the data volume is not a socket
    expect(r.report.entries.find((x) => x.service === 'mysql' && x.path === 'volumes[1]')!.status).not.toBe(
      'unsupported',
    );
  });

  test('in one pod (x-k8s group) the socket works and nothing is reported', () => {
    const r = conv(`
services:
  mysql:
    image: mysql:8
    volumes: [mysqld:/var/run/mysqld]
    x-k8s: { group: lamp }
  php:
    image: php:8-fpm
    volumes: [mysqld:/var/run/mysqld]
    x-k8s: { group: lamp }
volumes: { mysqld: {} }
`);
    expect(r.report.entries.some((e) => e.id === 'volumes.socket-across-pods')).toBe(false);
  });
});

describe('external volumes get what emitted claims get', () => {
  test('a database data directory on an external claim: no subPath, the entry says the data belongs at its root', () => {
    const r = conv(
      `
services:
  db:
    image: postgres:16
    volumes: [pg:/var/lib/postgresql/data]
  pgnr:
    image: postgres:16
    user: postgres
    volumes: [pg2:/var/lib/postgresql/data]
volumes: { pg: { external: true, name: sentry-postgres }, pg2: { external: true } }
`,
      {},
      {},
      ['sentry-postgres', 'pg2'],
    );
    const db = podOf(r, 'db').containers[0]!;
    expect(db.volumeMounts).toEqual([{ name: 'sentry-postgres', mountPath: '/var/lib/postgresql/data' }]);
    const e = r.report.entries.find((x) => x.service === 'db' && x.path === 'volumes[0]')!;
    expect(e).toMatchObject({ id: 'volumes.external-data-root', status: 'approximated' });
    expect(e.message).toContain('at the root of the claim (no subPath)');
    expect(e.fix).toContain('subpath: pgdata');
    const top = r.report.entries.find((x) => x.service === undefined && x.path === 'volumes.pg')!;
    expect(top.fix).toContain('into its root');
    // a non-root postgres gets no PGDATA into a subdirectory either: the copied data is at the root
    expect(podOf(r, 'pgnr').containers[0]!.env ?? []).not.toContainEqual(expect.objectContaining({ name: 'PGDATA' }));
  });

  test('an external claim used with a subpath keeps it and gets the plain entry', () => {
    const r = conv(
      `
services:
  db:
    image: postgres:16
    volumes: [pg:/var/lib/postgresql/data]
    x-k8s: { storage: { subpath: pgdata } }
volumes: { pg: { external: true } }
`,
      {},
      {},
      ['pg'],
    );
    expect(podOf(r, 'db').containers[0]!.volumeMounts![0]!.subPath).toBe('pgdata');
    expect(ids(r, 'db')).toEqual(['volumes.external-claim']);
  });

  test('an external claim several pods mount: the same label and affinity as an emitted one, and a sharing entry', () => {
    const yaml = `
services:
  web:
    image: getsentry/sentry:24
    volumes: [data:/data]
  worker:
    image: getsentry/sentry:24
    volumes: [data:/data]
volumes: { data: { external: true, name: sentry-data } }
`;
    const r = conv(yaml, {}, {}, ['sentry-data']);
    expectOnOneNode(r, ['web', 'worker'], 'compose2k8s.io/claims-web');
    const top = r.report.entries.find((x) => x.service === undefined && x.path === 'volumes.data')!;
    expect(top).toMatchObject({ id: 'top.volumes.external-shared', status: 'approximated' });
    expect(top.message).toContain('web, worker');
    expect(top.fix).toContain('--shared-volumes rwx');
    // replicas are kept on the node too; replicas required on distinct nodes make it ReadWriteMany, as the entry says
    const replicated = conv(
      yaml.replace('image: getsentry/sentry:24\n    volumes', 'image: getsentry/sentry:24\n    scale: 2\n    volumes'),
      {},
      {},
      ['sentry-data'],
    );
    expectOnOneNode(replicated, ['web', 'worker'], 'compose2k8s.io/claims-web');
    expect(replicated.report.entries.find((x) => x.path === 'volumes.data')!.message).toContain(
      'web (2 replicas), worker',
    );
    const many = conv(
      yaml.replace(
        'image: getsentry/sentry:24\n    volumes',
        'image: getsentry/sentry:24\n    deploy: { replicas: 2, placement: { max_replicas_per_node: 1 } }\n    volumes',
      ),
      {},
      {},
      ['sentry-data'],
    );
    expect(podOf(many, 'web').affinity?.podAffinity).toBeUndefined();
    const t2 = many.report.entries.find((x) => x.service === undefined && x.path === 'volumes.data')!;
    expect(t2).toMatchObject({ id: 'top.volumes.external-rwx', status: 'approximated' });
    expect(t2.message).toContain('must be ReadWriteMany');
  });

  test('an external claim declared ReadWriteMany in x-k8s keeps no pod on one node, as an emitted one', () => {
    const r = conv(
      `
services:
  web:
    image: getsentry/sentry:24
    volumes: [data:/data]
  worker:
    image: getsentry/sentry:24
    volumes: [data:/data]
volumes: { data: { external: true, name: sentry-data, x-k8s: { accessMode: ReadWriteMany } } }
`,
      {},
      {},
      ['sentry-data'],
    );
    for (const svc of ['web', 'worker']) {
      expect(podOf(r, svc).affinity).toBeUndefined();
      expect(Object.keys(templateOf(r, svc).metadata.labels).filter((k) => k.includes('claims-'))).toEqual([]);
    }
    const top = r.report.entries.find((x) => x.service === undefined && x.path === 'volumes.data')!;
    expect(top).toMatchObject({ id: 'top.volumes.external-declared-rwx', status: 'converted' });
    // Not Recreate: a ReadWriteMany claim does not hold a rolling update back.
    const web = r.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web') as unknown as {
      spec: { strategy?: { type: string } };
    };
    expect(web.spec.strategy?.type).not.toBe('Recreate');
  });

  test('an external claim gets the fsGroup its image needs, as a named volume does', () => {
    const r = conv(
      `
services:
  n8n:
    image: docker.n8n.io/n8nio/n8n:stable
    volumes: [n8n_data:/srv/n8n]
  grafana:
    image: grafana/grafana:11.0.0
    volumes: [gdata:/var/lib/grafana]
volumes: { n8n_data: { external: true }, gdata: { external: true } }
`,
      {},
      {},
      ['n8n-data', 'gdata'],
    );
    expect(podOf(r, 'n8n').securityContext).toMatchObject({ fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(podOf(r, 'grafana').securityContext).toMatchObject({ fsGroup: 472 });
    const e = r.report.entries.find((x) => x.service === 'grafana' && x.path === 'volumes[0]')!;
    expect(e.message).toContain('pod fsGroup 472');
  });
});

describe('volume drivers', () => {
  test("local, Docker's default, is converted; --strict has nothing to refuse; driver options stay reported", () => {
    const r = conv(`
services:
  db:
    image: postgres:16
    volumes: [data:/var/lib/postgresql/data, bound:/srv]
volumes:
  data: { driver: local }
  bound: { driver: local, driver_opts: { type: none, o: bind, device: /srv/data } }
`);
    const drv = (v: string) =>
      r.report.entries.find((x) => x.service === undefined && x.path === `volumes.${v}.driver`)!;
    expect(drv('data')).toMatchObject({ id: 'volume.driver.local', status: 'converted' });
    // the host's /srv/data does not come along: the driver's device is reported not kept
    expect(drv('bound')).toMatchObject({ id: 'volume.driver.dropped', status: 'unsupported' });
    expect(r.report.entries.filter((x) => x.status === 'unsupported' && x.path.startsWith('volumes.data'))).toEqual([]);
    // o: bind of /srv/data, outside the project: the Docker host's data cannot come along; a claim (starting empty)
    // keeps the data the service writes, never an unmounted path.
    expect(podOf(r, 'db').containers[0]!.volumeMounts?.map((m) => m.mountPath)).toContain('/srv');
  });

  test('a bound project folder or a bind at a database data directory is a claim, never a read-only ConfigMap', () => {
    const r = conv(
      `
services:
  db:
    image: postgres:16
    volumes: [pgdata:/var/lib/postgresql/data]
  cache:
    image: redis:7
    volumes: [./volumes/redis:/data]
volumes:
  pgdata: { driver: local, driver_opts: { type: none, o: bind, device: ./volumes/postgres } }
`,
      {},
      { 'volumes/postgres/PG_VERSION': '16\n', 'volumes/redis/dump.rdb': 'REDIS0011' },
    );
    expect(r.objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name)).toEqual([]);
    for (const [svc, path] of [
      ['db', '/var/lib/postgresql/data'],
      ['cache', '/data'],
    ] as const) {
      const pod = podOf(r, svc);
      const m = pod.containers[0]!.volumeMounts!.find((x) => x.mountPath === path)!;
      expect(m.readOnly).toBeUndefined();
      const claims = [
        ...(pod.volumes ?? []).filter((v) => v.persistentVolumeClaim).map((v) => v.name),
        ...((
          r.objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === svc)?.spec as {
            volumeClaimTemplates?: Array<{ metadata: { name: string } }>;
          }
        )?.volumeClaimTemplates?.map((t) => t.metadata.name) ?? []),
      ];
      expect(claims).toContain(m.name);
    }
  });

  test('local with o: bind and a project device is a bind mount of that folder, relative to the project', () => {
    const r = conv(
      `
services:
  app:
    image: nginx:1.27
    volumes:
      - conf:/etc/nginx/conf.d
      - data:/var/cache/app
      - static:/srv/static:ro
      - { type: volume, source: static, target: /srv/img, volume: { subpath: img } }
  worker:
    image: busybox
    volumes: [data:/work]
  editor:
    image: busybox
    volumes: [./conf:/edit]
volumes:
  conf: { driver: local, driver_opts: { type: none, o: bind, device: ./conf } }
  data: { driver: local, driver_opts: { type: none, o: bind, device: ./state } }
  static: { driver_opts: { type: none, o: 'bind,ro', device: /project/static } }
`,
      {},
      { 'conf/default.conf': 'server {}\n', 'static/index.html': '<p>hi</p>\n', 'static/img/a.svg': '<svg/>\n' },
    );
    const entry = (svc: string | undefined, path: string) =>
      r.report.entries.find((x) => x.service === svc && x.path === path)!;
    // ./conf holds files: a ConfigMap, shared with editor's plain bind of it, each entry naming the other writer.
    expect(entry('app', 'volumes[0]')).toMatchObject({
      id: 'volumes.bind-shared-rw',
      objects: ['ConfigMap/project-conf'],
      values: { shown: './conf', peers: 'editor' },
    });
    expect(entry('app', 'volumes[2]').id).toBe('volumes.bind-dir');
    // A subpath of the volume is that folder of the device: ./static/img.
    expect(entry('app', 'volumes[3]').values).toMatchObject({ shown: './static/img', count: 1 });
    expect(entry('editor', 'volumes[0]')).toMatchObject({ id: 'volumes.bind-shared-rw', values: { peers: 'app' } });
    expect(podOf(r, 'app').containers[0]!.volumeMounts).toContainEqual({
      name: expect.any(String),
      mountPath: '/srv/static',
      readOnly: true,
    });
    // ./state does not exist: the services' data directory, one claim both pods mount, kept on one node.
    expect(entry('app', 'volumes[1]')).toMatchObject({
      id: 'volumes.bind-data-claim-together',
      objects: ['PersistentVolumeClaim/app-state'],
    });
    expect(entry('app', 'volumes[1]').message).toContain('the pods app, worker share');
    expect(entry('worker', 'volumes[0]').objects).toEqual(['PersistentVolumeClaim/app-state']);
    const group = Object.keys(templateOf(r, 'app').metadata.labels).filter((k) =>
      k.startsWith('compose2k8s.io/claims-'),
    );
    expect(group).toHaveLength(1);
    expect(templateOf(r, 'worker').metadata.labels[group[0]!]).toBe('true');
    expect(podOf(r, 'worker').affinity?.podAffinity).toBeDefined();
    expect(entry(undefined, 'volumes.data')).toMatchObject({ id: 'top.volumes.bind-device', status: 'converted' });
    expect(entry(undefined, 'volumes.data').message).toContain('./state');
    expect(entry(undefined, 'volumes.data.driver_opts')).toMatchObject({
      id: 'volume.driver_opts.bind',
      status: 'converted',
    });
    expect(r.report.entries.filter((x) => x.id.startsWith('volumes.named-starts-empty'))).toEqual([]);
  });
});
