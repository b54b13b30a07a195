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

function conv(yaml: string, options: Partial<ConvertOptions> = {}, files: Record<string, string> = {}): ConvertResult {
  const all: Record<string, string> = { '/project/compose.yaml': yaml };
  for (const [k, v] of Object.entries(files)) all[`/project/${k}`] = v;
  const r = convertProject(fromYaml(yaml, files), options, memoryFs(all));
  expect(r.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
  expectValid(r.objects);
  return r;
}

function podOf(r: ConvertResult, name: string): PodSpec {
  const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];
  const o = r.objects.find((x) => kinds.includes(x.kind) && x.metadata.name === name) as unknown as {
    spec: { template: { spec: PodSpec } };
  };
  return o.spec.template.spec;
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
    expect(app.id).toBe('volumes.named-starts-empty');
    expect(app.status).toBe('approximated');
    expect(app.message).toMatch(/^assets mounted at \/app\/public; a fresh claim starts empty/);
    expect(app.fix).toContain('x-k8s: {seed: true}');
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
  test('one ReadWriteOnce claim, the second pod required on the first one’s node, reported', () => {
    const r = conv(UPLOADS);
    expect(pvcMode(r, 'uploads')).toEqual(['ReadWriteOnce']);
    expect(podOf(r, 'web').affinity).toBeUndefined();
    const term = podOf(r, 'worker').affinity!.podAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0]!;
    expect(term.topologyKey).toBe('kubernetes.io/hostname');
    expect(term.labelSelector!.matchLabels!['app.kubernetes.io/name']).toBe('web');
    const top = r.report.entries.find((e) => e.service === undefined && e.path === 'volumes.uploads')!;
    expect(top).toMatchObject({ id: 'top.volumes.claim-shared', status: 'approximated' });
    expect(top.fix).toContain('--shared-volumes rwx');
  });

  test('--shared-volumes rwx keeps one ReadWriteMany claim and no affinity', () => {
    const r = conv(UPLOADS, { sharedVolumes: 'rwx' });
    expect(pvcMode(r, 'uploads')).toEqual(['ReadWriteMany']);
    expect(podOf(r, 'worker').affinity).toBeUndefined();
  });

  test('a replicated writer still needs ReadWriteMany', () => {
    const r = conv(UPLOADS.replace('image: ghcr.io/acme/worker:1', 'image: ghcr.io/acme/worker:1\n    scale: 3'));
    expect(pvcMode(r, 'uploads')).toEqual(['ReadWriteMany']);
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
