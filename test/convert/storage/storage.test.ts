import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { applyStorage } from '../../../src/convert/storage/storage.js';
import { buildServices } from '../../../src/convert/objects/services.js';
import type { ServiceVolume } from '../../../src/model/types.js';
import { ctr, find, has, plan, recs, runSteps } from '../steps.js';
import { convertYaml } from '../../helpers/project.js';

const steps = [applyStorage];
const vol = (source: string, target: string, extra: Partial<ServiceVolume> = {}): ServiceVolume => ({
  type: 'volume',
  source,
  target,
  ...extra,
});
const bind = (source: string, target: string, extra: Partial<ServiceVolume> = {}): ServiceVolume => ({
  type: 'bind',
  source,
  target,
  ...extra,
});
type Pvc = PersistentVolumeClaim & { metadata: { name: string } };
type Data = { data?: Record<string, string> };

describe('named volumes', () => {
  test('→ PVC ReadWriteOnce with size and class; the Deployment uses Recreate', () => {
    // Forced to a Deployment: a database with a named volume would otherwise be a StatefulSet (controller.ts).
    const db = { image: 'postgres', extensions: { 'x-k8s': { controller: 'Deployment' } } };
    const r = runSteps(
      { db: { ...db, volumes: [vol('pgdata', '/var/lib/postgresql/data', { volume: { subpath: 'pg' } })] } },
      steps,
      {
        options: { volumeSize: '5Gi', storageClass: 'fast' },
        input: { volumes: { pgdata: { extensions: {} } } },
      },
    );
    const pvc = find(r, 'PersistentVolumeClaim', 'pgdata') as Pvc;
    expect(pvc.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'fast',
      resources: { requests: { storage: '5Gi' } },
    });
    expect(ctr(r, 'db').volumeMounts).toEqual([
      { name: 'pgdata', mountPath: '/var/lib/postgresql/data', subPath: 'pg' },
    ]);
    expect(plan(r, 'db').mountsRwoClaim).toBe(true);
    expect((find(r, 'Deployment', 'db').spec as { strategy?: unknown }).strategy).toEqual({ type: 'Recreate' });
    expect(recs(r, undefined, 'volumes.pgdata')[0]!.status).toBe('converted');
  });

  test('mounted by two pods with --shared-volumes rwx → one ReadWriteMany PVC, reported', () => {
    const r = runSteps(
      {
        a: { image: 'a', volumes: [vol('shared', '/data')] },
        b: { image: 'b', volumes: [vol('shared', '/in', { read_only: true })] },
      },
      steps,
      { input: { volumes: { shared: { extensions: {} } } }, options: { sharedVolumes: 'rwx' } },
    );
    expect(r.objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toHaveLength(1);
    expect((find(r, 'PersistentVolumeClaim', 'shared') as Pvc).spec!.accessModes).toEqual(['ReadWriteMany']);
    expect(ctr(r, 'b').volumeMounts).toEqual([{ name: 'shared', mountPath: '/in', readOnly: true }]);
    expect(plan(r, 'a').mountsRwoClaim).toBe(false);
    const top = recs(r, undefined, 'volumes.shared');
    expect(top).toHaveLength(1);
    expect(top[0]).toMatchObject({ path: 'volumes.shared', id: 'top.volumes.claim-rwx', status: 'approximated' });
    expect(top[0]!.fix).toContain('ReadWriteMany');
  });

  test('sidecar in the same pod keeps ReadWriteOnce', () => {
    const r = runSteps(
      {
        app: { image: 'a', volumes: [vol('d', '/d')] },
        side: { image: 's', network_mode: 'service:app', volumes: [vol('d', '/d')] },
      },
      steps,
      { input: { volumes: { d: { extensions: {} } } } },
    );
    expect((find(r, 'PersistentVolumeClaim', 'd') as Pvc).spec!.accessModes).toEqual(['ReadWriteOnce']);
    expect(plan(r, 'app').spec.volumes).toHaveLength(1);
  });

  test('external volume is referenced, not emitted; driver options are reported', () => {
    const r = runSteps(
      { a: { image: 'a', volumes: [vol('ext', '/e'), vol('nfs', '/n'), vol('plain', '/p')] } },
      steps,
      {
        input: {
          volumes: {
            ext: { external: true, name: 'legacy-data', extensions: {} },
            nfs: { driver: 'local', driver_opts: { type: 'nfs' }, extensions: {} },
            plain: { driver: 'local', extensions: {} },
          },
        },
        external: { claims: ['legacy-data'] },
      },
    );
    expect(has(r, 'PersistentVolumeClaim', 'legacy-data')).toBe(false);
    expect(plan(r, 'a').spec.volumes).toContainEqual({
      name: 'legacy-data',
      persistentVolumeClaim: { claimName: 'legacy-data' },
    });
    expect(recs(r, undefined, 'volumes.ext')[0]!.status).toBe('approximated');
    expect(plan(r, 'a').mountsRwoClaim).toBe(true);
    expect(recs(r, undefined, 'volumes.nfs.driver')[0]!.status).toBe('unsupported');
    // local without options is Docker's default driver: the claim on the StorageClass is its conversion.
    expect(recs(r, undefined, 'volumes.plain.driver')[0]).toMatchObject({
      id: 'volume.driver.local',
      status: 'converted',
    });
  });
});

describe('x-k8s and kompose storage settings', () => {
  test('volume x-k8s size/class/accessMode win over options; kompose selector', () => {
    const r = runSteps({ db: { image: 'pg', volumes: [vol('pg', '/data'), vol('shared', '/s')] } }, steps, {
      options: { volumeSize: '1Gi', storageClass: 'std' },
      input: {
        volumes: {
          pg: { extensions: { 'x-k8s': { size: '20Gi', class: 'fast', accessMode: 'ReadWriteOncePod' } } },
          shared: { labels: { 'kompose.volume.selector': 'nfs' }, extensions: {} },
        },
      },
    });
    expect((find(r, 'PersistentVolumeClaim', 'pg') as Pvc).spec).toEqual({
      accessModes: ['ReadWriteOncePod'],
      storageClassName: 'fast',
      resources: { requests: { storage: '20Gi' } },
    });
    expect((find(r, 'PersistentVolumeClaim', 'shared') as Pvc).spec!.selector).toEqual({
      matchLabels: { 'io.kompose.service': 'nfs' },
    });
    expect(recs(r, undefined, 'volumes.pg')[0]!.message).toContain('ReadWriteOncePod (as set), 20Gi');
    expect(plan(r, 'db').mountsRwoClaim).toBe(true);
  });

  test('service storage type emptyDir and subpath', () => {
    const r = runSteps(
      {
        cache: {
          image: 'redis',
          volumes: [vol('data', '/data')],
          extensions: { 'x-k8s': { storage: { type: 'emptyDir', subpath: 'x' } } },
        },
      },
      steps,
      {
        input: { volumes: { data: { extensions: {} } } },
      },
    );
    expect(has(r, 'PersistentVolumeClaim', 'data')).toBe(false);
    expect(plan(r, 'cache').spec.volumes).toEqual([{ name: 'vol-data', emptyDir: {} }]);
    expect(ctr(r, 'cache').volumeMounts).toEqual([{ name: 'vol-data', mountPath: '/data', subPath: 'x' }]);
    expect(recs(r, 'cache', 'volumes')[0]!.status).toBe('approximated');
  });
});

describe('anonymous, tmpfs and shm', () => {
  test('anonymous volume → emptyDir; tmpfs → memory emptyDir with size; shm_size → /dev/shm', () => {
    const r = runSteps(
      {
        app: {
          image: 'a',
          volumes: [
            { type: 'volume', target: '/cache' },
            { type: 'tmpfs', target: '/scratch', tmpfs: { size: 64 * 1024 * 1024 } },
          ],
          tmpfs: ['/run:size=10m,mode=1777'],
          shm_size: 256 * 1024 * 1024,
        },
      },
      steps,
    );
    const vols = plan(r, 'app').spec.volumes!;
    expect(vols.find((v) => v.emptyDir && !v.emptyDir.medium)).toBeDefined();
    expect(vols).toContainEqual({ name: 'tmpfs-scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } });
    expect(vols).toContainEqual({ name: 'tmpfs-run', emptyDir: { medium: 'Memory', sizeLimit: '10Mi' } });
    expect(vols).toContainEqual({ name: 'shm-dev-shm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } });
    expect(ctr(r, 'app').volumeMounts!.map((m) => m.mountPath)).toEqual(['/cache', '/scratch', '/run', '/dev/shm']);
    expect(recs(r, 'app', 'tmpfs')).toMatchObject([{ path: 'tmpfs[0]', id: 'tmpfs.options', status: 'approximated' }]);
    expect(recs(r, 'app', 'shm_size')).toMatchObject([
      { path: 'shm_size', id: 'shm_size.memory', status: 'converted' },
    ]);
  });
  test('a tmpfs size= option is read as every byte size of the compose file is (load/normalize/units.ts)', () => {
    const r = runSteps({ app: { image: 'a', tmpfs: ['/big:size=1p', '/gb:size=1.5gb'] } }, steps);
    const vols = plan(r, 'app').spec.volumes!;
    expect(vols).toContainEqual({ name: 'tmpfs-big', emptyDir: { medium: 'Memory', sizeLimit: '1024Ti' } });
    expect(vols).toContainEqual({ name: 'tmpfs-gb', emptyDir: { medium: 'Memory', sizeLimit: '1536Mi' } });
  });
});

describe('anonymous volumes are filled from the image, as Docker does', () => {
  type Pod = ReturnType<typeof plan>['spec'];
  const seedOf = (spec: Pod) => spec.initContainers?.find((c) => c.name.startsWith('seed-'));
  test('a seed init container from the same image copies the image files into the empty emptyDir', () => {
    const r = runSteps(
      {
        web: {
          image: 'node:20',
          volumes: [bind('/project/web', '/app'), { type: 'volume', target: '/app/node_modules' }],
        },
      },
      steps,
      { files: { '/project/web/index.js': 'x\n' } },
    );
    const spec = plan(r, 'web').spec;
    const seed = seedOf(spec)!;
    expect(spec.initContainers![0]).toBe(seed);
    expect(seed.image).toBe('node:20');
    const mount = ctr(r, 'web').volumeMounts!.find((m) => m.mountPath === '/app/node_modules')!;
    expect(spec.volumes!.find((v) => v.name === mount.name)).toEqual({ name: mount.name, emptyDir: {} });
    expect(seed.volumeMounts).toEqual([{ name: mount.name, mountPath: '/compose2k8s-seed' }]);
    expect(seed.command!.join(' ')).toContain('cp -a /app/node_modules/. /compose2k8s-seed/');
    const e = recs(r, 'web', 'volumes').find((x) => x.path === 'volumes[1]')!;
    expect([e.id, e.status]).toEqual(['volumes.anonymous-seeded', 'approximated']);
    expect(e.message).toContain(`init container ${seed.name} first copies`);
  });

  test('no seed with nocopy, at a database data directory, or from an image without a shell', () => {
    const anon = (target: string, extra: Partial<ServiceVolume> = {}): ServiceVolume => ({
      type: 'volume',
      target,
      ...extra,
    });
    const r = runSteps(
      {
        a: { image: 'node:20', volumes: [anon('/cache', { volume: { nocopy: true } })] },
        b: { image: 'redis:7', volumes: [anon('/data')] },
        c: { image: 'gcr.io/distroless/nodejs20-debian12', volumes: [anon('/app/node_modules')] },
      },
      steps,
    );
    for (const svc of ['a', 'b', 'c']) expect(seedOf(plan(r, svc).spec)).toBeUndefined();
    expect(['a', 'b', 'c'].map((svc) => recs(r, svc, 'volumes')[0]!.id)).toEqual([
      'volumes.anonymous',
      'volumes.anonymous',
      'volumes.anonymous-empty',
    ]);
  });

  test("the build context mounted over the image's app directory is dropped: the image holds that code", () => {
    const r = runSteps(
      {
        front: {
          build: { context: '/project/frontend' },
          image: 'front',
          volumes: [bind('/project/frontend', '/usr/src/app'), { type: 'volume', target: '/usr/src/app/node_modules' }],
        },
        api: {
          build: { context: '/project/api' },
          image: 'api',
          working_dir: '/srv/',
          volumes: [bind('/project/api', '/srv')],
        },
        // A folder of the context at its place in the app directory goes too; the context elsewhere is kept.
        part: {
          build: { context: '/project/part' },
          image: 'part',
          working_dir: '/srv',
          volumes: [bind('/project/part/src', '/srv/src'), bind('/project/part', '/opt/part')],
        },
      },
      steps,
      { files: { '/project/frontend/index.js': 'x\n', '/project/part/src/a.js': 'a\n', '/project/part/b.js': 'b\n' } },
    );
    // The anonymous node_modules volume below it goes too: the image's own node_modules shows through, no seed copy.
    expect(ctr(r, 'front').volumeMounts ?? []).toEqual([]);
    expect(plan(r, 'front').spec.initContainers ?? []).toEqual([]);
    expect(recs(r, 'front', 'volumes')[1]).toMatchObject({ id: 'volumes.anonymous-in-image', status: 'converted' });
    expect(ctr(r, 'api').volumeMounts ?? []).toEqual([]);
    for (const svc of ['front', 'api']) {
      const e = recs(r, svc, 'volumes')[0]!;
      expect([e.path, e.id, e.status]).toEqual(['volumes[0]', 'volumes.bind-build-context', 'approximated']);
    }
    expect(r.objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === 'front-frontend')).toBe(false);
    expect(recs(r, 'part', 'volumes').map((e) => e.id)).toEqual(['volumes.bind-build-context', 'volumes.bind-dir']);
  });

  test("a folder of the build context over its copy in the image is dropped, not an empty claim over the image's code", () => {
    const dockerfile = 'FROM node:20\nWORKDIR /app\nCOPY package.json .\nRUN npm ci\nCOPY . .\n';
    const r = runSteps(
      {
        web: {
          build: { context: '/project' },
          image: 'web',
          volumes: [
            bind('/project/src', '/app/src'), // missing here: the image built from a full checkout has it
            bind('/project/lib', '/app/vendor'), // not where the image holds ./lib
            bind('/project/data', '/app/data'), // data by its name: the app writes it
            bind('/project/secrets', '/app/secrets'), // .dockerignore keeps it out of the image
            bind('/project/instance', '/app/instance'), // missing and no source folder: nothing copied, app data
          ],
        },
      },
      steps,
      { files: { '/project/Dockerfile': dockerfile, '/project/.dockerignore': '# local\n/secrets\n' } },
    );
    expect(recs(r, 'web', 'volumes').map((e) => e.id)).toEqual([
      'volumes.bind-build-context',
      'volumes.bind-data-claim',
      'volumes.bind-data-claim',
      'volumes.bind-data-claim',
      'volumes.bind-data-claim',
    ]);
    expect(ctr(r, 'web').volumeMounts?.map((m) => m.mountPath)).toEqual([
      '/app/vendor',
      '/app/data',
      '/app/secrets',
      '/app/instance',
    ]);
  });

  test('the build context (or a source folder of it) without its Dockerfile: nothing mounted, never a claim or a partial copy', () => {
    const r = runSteps(
      {
        // The compose file converted alone: ./app is not here.
        web: { build: { context: '/project/app' }, image: 'web', volumes: [bind('/project/app', '/var/www/html/')] },
        front: {
          build: { context: '/project/frontend' },
          image: 'f',
          volumes: [bind('/project/frontend/src', '/code/src')],
        },
        // The project folder holds the compose file only: a ConfigMap of it would hide the code at /code.
        flask: { build: { context: '/project' }, image: 'flask', volumes: [bind('/project', '/code')] },
        // A data folder of a missing context stays data.
        api: { build: { context: '/project/api' }, image: 'api', volumes: [bind('/project/api/data', '/srv/data')] },
      },
      steps,
      { files: { '/project/compose.yaml': 'services: {}\n' } },
    );
    const ids = (svc: string): string[] => recs(r, svc, 'volumes').map((e) => `${e.id} ${e.status}`);
    expect(ids('web')).toEqual(['volumes.bind-context-absent unsupported']);
    expect(recs(r, 'web', 'volumes')[0]!.message).toContain('./app is the build context of web');
    expect(ids('front')).toEqual(['volumes.bind-context-absent unsupported']);
    expect(ids('flask')).toEqual(['volumes.bind-context-no-dockerfile unsupported']);
    expect(ids('api')).toEqual(['volumes.bind-data-claim approximated']);
    for (const svc of ['web', 'front', 'flask']) expect(ctr(r, svc).volumeMounts ?? []).toEqual([]);
    expect(r.objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name)).toEqual([
      'api-data',
    ]);
    expect(r.objects.some((o) => o.kind === 'ConfigMap')).toBe(false);
  });

  test("with the Dockerfile here, a context it does not copy is the bind's only source: a ConfigMap, as before", () => {
    const r = runSteps(
      { web: { build: { context: '/project/app' }, image: 'web', volumes: [bind('/project/app', '/var/www/html/')] } },
      steps,
      { files: { '/project/app/Dockerfile': 'FROM php:8-apache\n', '/project/app/index.php': '<?php echo 1;\n' } },
    );
    expect(recs(r, 'web', 'volumes').map((e) => e.id)).toEqual(['volumes.bind-dir']);
  });

  test("a folder of the code two services of one image mount over their copy is the image's; a third reader keeps it", () => {
    const dockerfile = { '/project/Dockerfile': 'FROM node:20\nCOPY . /app\n' };
    const both = {
      web: { build: { context: '/project' }, image: 'web', volumes: [bind('/project/src', '/app/src')] },
      worker: { build: { context: '/project' }, image: 'worker', volumes: [bind('/project/src', '/app/src')] },
    };
    const r = runSteps(both, steps, { files: dockerfile });
    for (const svc of ['web', 'worker'])
      expect(recs(r, svc, 'volumes').map((e) => e.id)).toEqual(['volumes.bind-build-context']);
    const read = runSteps({ ...both, reader: { image: 'busybox', volumes: [bind('/project/src', '/in')] } }, steps, {
      files: dockerfile,
    });
    for (const svc of ['web', 'worker'])
      expect(recs(read, svc, 'volumes').map((e) => e.id)).toEqual(['volumes.bind-data-claim-together']);
  });

  test('a Dockerfile that copies a folder elsewhere, or not at all, decides over working_dir', () => {
    const r = runSteps(
      {
        api: {
          build: { context: '/project/api', dockerfile: 'build/Dockerfile' },
          image: 'api',
          working_dir: '/srv',
          volumes: [bind('/project/api/src', '/opt/code'), bind('/project/api/conf', '/srv/conf')],
        },
        // A folder of the image's code that another service mounts as it is: kept, so both see the same files.
        worker: {
          build: { context: '/project/api', dockerfile: 'build/Dockerfile' },
          image: 'worker',
          volumes: [bind('/project/api/src/shared', '/opt/code/shared')],
        },
        reader: { image: 'busybox', volumes: [bind('/project/api/src/shared', '/in')] },
      },
      steps,
      { files: { '/project/api/build/Dockerfile': 'FROM python:3.12 AS base\nCOPY src /opt/code/\nFROM base\n' } },
    );
    expect(recs(r, 'api', 'volumes').map((e) => e.id)).toEqual([
      'volumes.bind-build-context',
      'volumes.bind-data-claim',
    ]);
    // reader mounts it too: one claim, both pods on one node
    expect(recs(r, 'worker', 'volumes')[0]!.id).toBe('volumes.bind-data-claim-together');
  });
});

describe('bind mounts', () => {
  const files = {
    '/project/nginx.conf': 'events {}\n',
    '/project/conf.d/a.conf': 'server {}\n',
    '/project/conf.d/b c.conf': 'x\n',
    '/project/src/app/main.py': 'print(1)\n',
    '/project/logo.png': 'PNG\u0000\u0001',
  };

  test('a project file → ConfigMap mounted with subPath, approximated', () => {
    const r = runSteps(
      { web: { image: 'nginx', volumes: [bind('/project/nginx.conf', '/etc/nginx/nginx.conf', { read_only: true })] } },
      steps,
      { files },
    );
    expect((find(r, 'ConfigMap', 'web-nginx-conf') as Data).data).toEqual({ 'nginx.conf': 'events {}\n' });
    expect(ctr(r, 'web').volumeMounts).toEqual([
      { name: 'cm-web-nginx-conf', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true },
    ]);
    expect(recs(r, 'web', 'volumes')).toMatchObject([
      { path: 'volumes[0]', id: 'volumes.bind-file', status: 'approximated', objects: ['ConfigMap/web-nginx-conf'] },
    ]);
  });

  test("a mounted config sending lookups to Docker's embedded DNS (127.0.0.11): said on the bind, with file and line", () => {
    const dns = {
      '/project/proxy/nginx.conf':
        '# resolver 127.0.0.11;\nserver {\n    resolver 127.0.0.11 valid=30s;\n    set $u http://backend:8000;\n}\n',
      '/project/haproxy/haproxy.cfg': 'global\nresolvers docker\n  nameserver dns1 127.0.0.11:53\n',
      '/project/plain/nginx.conf': '# resolver 127.0.0.11;\nserver { resolver 10.96.0.10; }\n',
    };
    const r = runSteps(
      {
        web: {
          image: 'nginx',
          volumes: [
            bind('/project/proxy/nginx.conf', '/etc/nginx/conf.d/default.conf', { read_only: true }),
            bind('/project/haproxy', '/usr/local/etc/haproxy'),
            bind('/project/plain/nginx.conf', '/etc/nginx/nginx.conf'),
          ],
        },
      },
      steps,
      { files: dns },
    );
    const [file, dir, plain] = recs(r, 'web', 'volumes');
    expect(file).toMatchObject({ path: 'volumes[0]', id: 'volumes.bind-docker-dns', status: 'approximated' });
    expect(file!.message).toContain('proxy/nginx.conf:3 sets resolver 127.0.0.11');
    expect(file!.fix).toContain('kubectl -n kube-system get svc kube-dns');
    expect(file!.fix).toContain('.svc.cluster.local');
    expect(dir!.message).toContain('haproxy/haproxy.cfg:3 sets nameserver 127.0.0.11');
    // A commented-out resolver names nothing.
    expect(plain!.id).toBe('volumes.bind-file');
  });

  test('a folder the command installs packages into (yarn install in /app) gets a writable copy, filled by an init container', () => {
    // Docker's getting-started compose: a stock node image runs the project's source, installing at start.
    const names = ['yarn', 'npm', 'composer', 'modules', 'run', 'elsewhere', 'global', 'apk'];
    const app = Object.fromEntries(
      names.flatMap((n) => [
        [`/project/${n}/package.json`, '{"name":"todo"}\n'],
        [`/project/${n}/src/index.js`, 'x\n'],
      ]),
    );
    let n = 0;
    const node = (extra: Record<string, unknown>, volumes: ServiceVolume[]) => ({
      image: 'node:18-alpine',
      volumes: [bind(`/project/${names[n++]}`, '/app'), ...volumes],
      ...extra,
    });
    const r = runSteps(
      {
        yarn: node({ working_dir: '/app', user: '1000', command: ['sh', '-c', 'yarn install && yarn run dev'] }, []),
        npm: node({ command: ['sh', '-c', 'cd /app/ && npm ci && npm start'] }, []),
        composer: node({ working_dir: '/app/src', command: ['composer', 'install'] }, []),
        modules: node({ working_dir: '/app', command: ['sh', '-c', 'yarn && yarn dev'] }, [
          { type: 'volume', target: '/app/node_modules' },
        ]),
        run: node({ working_dir: '/app', command: ['yarn', 'run', 'dev'] }, []),
        elsewhere: node({ working_dir: '/srv', command: ['npm', 'install'] }, []),
        global: node({ working_dir: '/app', command: ['sh', '-c', 'npm install -g nodemon && nodemon index.js'] }, []),
        apk: node({ working_dir: '/app', command: ['sh', '-c', 'apk add yarn && yarn dev'] }, []),
      },
      steps,
      { files: app },
    );
    const [yarn] = recs(r, 'yarn', 'volumes');
    expect(yarn).toMatchObject({ path: 'volumes[0]', id: 'volumes.bind-dir-installs', status: 'approximated' });
    expect(yarn!.message).toContain('yarn install writes /app/node_modules, so the container gets a writable copy');
    // The app writes its copy: the entry it downgrades does not call the folder read-only, and its fix says an edited
    // ConfigMap reaches the copy only in a new pod (the seed copies once, at pod start).
    expect(yarn!.message).not.toContain('read-only');
    expect(yarn!.fix).toContain('reaches the copy only in a new pod');
    for (const svc of ['modules', 'run'])
      expect(recs(r, svc, 'volumes')[0]!.message).toContain('it is read-only in the container');
    // The app mounts an emptyDir at /app; a seed init container from its image copies the ConfigMap's files in.
    expect(ctr(r, 'yarn').volumeMounts).toEqual([{ name: 'copy-cm-yarn-yarn', mountPath: '/app' }]);
    const spec = plan(r, 'yarn').spec;
    expect(spec.volumes!.find((x) => x.name === 'copy-cm-yarn-yarn')).toEqual({
      name: 'copy-cm-yarn-yarn',
      emptyDir: {},
    });
    const [seed] = spec.initContainers!;
    expect(seed).toMatchObject({ name: 'seed-cm-yarn-yarn', image: 'node:18-alpine' });
    expect(seed!.volumeMounts).toEqual([
      { name: 'copy-cm-yarn-yarn', mountPath: '/compose2k8s-seed' },
      { name: 'cm-yarn-yarn', mountPath: '/app' },
    ]);
    // It copies the files the ConfigMap's ..data link points at (not its symlinks), as the app's user: the copy is
    // the app's to write, as the host folder of the Docker bind was (a root-owned copy fails npm/yarn as uid 1000).
    expect(seed!.command!.join(' ')).toContain('cp -R /app/..data/. /compose2k8s-seed/');
    expect(ctr(r, 'yarn').securityContext).toMatchObject({ runAsUser: 1000 });
    expect(seed!.securityContext).toEqual(ctr(r, 'yarn').securityContext);
    expect(recs(r, 'npm', 'volumes')[0]!.message).toContain('npm ci writes /app/node_modules');
    expect(recs(r, 'composer', 'volumes')[0]!.message).toContain('composer install writes /app/src/vendor');
    // node_modules on a volume of its own, a command that installs nothing, an install elsewhere, a global install or
    // yarn installed as a package: read-only stays.
    for (const svc of ['modules', 'run', 'elsewhere', 'global', 'apk']) {
      expect(recs(r, svc, 'volumes')[0]!.id).toBe('volumes.bind-dir');
      expect(ctr(r, svc).volumeMounts![0]).toMatchObject({ mountPath: '/app', readOnly: true });
    }
  });

  test('a small text directory → one ConfigMap, keys sanitized with items', () => {
    const r = runSteps({ web: { image: 'nginx', volumes: [bind('/project/conf.d', '/etc/nginx/conf.d')] } }, steps, {
      files,
    });
    expect((find(r, 'ConfigMap', 'web-conf-d') as Data).data).toEqual({ 'a.conf': 'server {}\n', 'b_c.conf': 'x\n' });
    const v = plan(r, 'web').spec.volumes![0]!;
    expect(v.configMap!.items).toEqual([
      { key: 'a.conf', path: 'a.conf' },
      { key: 'b_c.conf', path: 'b c.conf' },
    ]);
    expect(ctr(r, 'web').volumeMounts![0]).toMatchObject({ mountPath: '/etc/nginx/conf.d', readOnly: true });
  });

  test('an executable file keeps its execute bit (mode 0755), as the bind mount showed it; other files do not', () => {
    const scripts = { ...files, '/project/run.sh': '#!/bin/sh\nexec app\n', '/project/conf.d/start.sh': 'exec x\n' };
    const executable = ['/project/run.sh', '/project/conf.d/start.sh'];
    const r = runSteps(
      {
        app: {
          image: 'py',
          entrypoint: ['/run.sh'],
          volumes: [
            bind('/project/run.sh', '/run.sh'),
            bind('/project/conf.d', '/etc/app'),
            bind('/project/nginx.conf', '/n.conf'),
          ],
        },
      },
      steps,
      { files: scripts, executable },
    );
    const vols = plan(r, 'app').spec.volumes!;
    expect(vols[0]!.configMap).toEqual({ name: 'app-run-sh', defaultMode: 0o755 });
    expect(vols[1]!.configMap!.items).toEqual([
      { key: 'a.conf', path: 'a.conf' },
      { key: 'b_c.conf', path: 'b c.conf' },
      { key: 'start.sh', path: 'start.sh', mode: 0o755 },
    ]);
    expect(vols[2]!.configMap).toEqual({ name: 'app-nginx-conf' });
    const [file, dir, plain] = recs(r, 'app', 'volumes');
    expect(file!.message).toContain('it keeps its execute bit (mode 0755)');
    expect(dir!.message).toContain('1 executable file(s) keep mode 0755');
    expect(plain!.message).not.toContain('0755');
    // Without the bit (or a file system that cannot tell) the files get Kubernetes' default mode, as before.
    const none = runSteps({ app: { image: 'py', volumes: [bind('/project/run.sh', '/run.sh')] } }, steps, {
      files: scripts,
    });
    expect(plan(none, 'app').spec.volumes![0]!.configMap).toEqual({ name: 'app-run-sh' });
  });

  test('an executable secret file keeps mode 0755 in its Secret volume', () => {
    const r = runSteps({ app: { image: 'py', volumes: [bind('/project/key.sh', '/key.sh')] } }, steps, {
      files: { ...files, '/project/key.sh': '-----BEGIN PRIVATE KEY-----\nabc\n' },
      executable: ['/project/key.sh'],
    });
    expect(plan(r, 'app').spec.volumes![0]!.secret).toMatchObject({ defaultMode: 0o755 });
  });

  // A PNG header: 0x89 is not valid UTF-8, so the text read shows U+FFFD and the bytes must travel as binaryData.
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
  const PNG_B64 = 'iVBORw0KGgoA/w==';

  test('a binary file, and a directory with one, become binaryData (base64) beside the text files', () => {
    const r = runSteps(
      {
        app: {
          image: 'py',
          volumes: [bind('/project/assets', '/assets'), bind('/project/logo.png', '/logo.png')],
        },
      },
      steps,
      { files: { ...files, '/project/assets/a.txt': 'a', '/project/assets/img/b.png': PNG, '/project/logo.png': PNG } },
    );
    const dir = find(r, 'ConfigMap', 'app-assets') as Data & { binaryData?: Record<string, string> };
    expect(dir.data).toEqual({ 'a.txt': 'a' });
    expect(dir.binaryData).toEqual({ 'img_b.png': PNG_B64 });
    expect(plan(r, 'app').spec.volumes![0]!.configMap!.items).toEqual([
      { key: 'a.txt', path: 'a.txt' },
      { key: 'img_b.png', path: 'img/b.png' },
    ]);
    const file = find(r, 'ConfigMap', 'app-logo-png') as Data & { binaryData?: Record<string, string> };
    expect(file.data).toBeUndefined();
    expect(file.binaryData).toEqual({ 'logo.png': PNG_B64 });
    expect(recs(r, 'app', 'volumes').map((e) => [e.path, e.id])).toEqual([
      ['volumes[0]', 'volumes.bind-dir'],
      ['volumes[1]', 'volumes.bind-file'],
    ]);
  });

  test('over 1 MiB of binary is reported; a text-only file system cannot carry binary files', () => {
    const big = new Uint8Array(1024 * 1024 + 1).fill(0xff);
    const large = runSteps({ app: { image: 'py', volumes: [bind('/project/big.bin', '/big.bin')] } }, steps, {
      files: { ...files, '/project/big.bin': big },
    });
    expect(recs(large, 'app', 'volumes').map((e) => e.id)).toEqual(['volumes.bind-too-large']);
    const r = runSteps(
      {
        app: {
          image: 'py',
          volumes: [bind('/project/assets', '/assets'), bind('/project/logo.png', '/logo.png')],
        },
      },
      steps,
      {
        files: { ...files, '/project/assets/a.txt': 'a', '/project/assets/img/b.png': PNG, '/project/logo.png': PNG },
        textOnly: true,
      },
    );
    expect(r.objects.filter((o) => o.kind === 'ConfigMap')).toEqual([]);
    const es = recs(r, 'app', 'volumes');
    expect(es.map((e) => [e.path, e.id, e.status])).toEqual([
      ['volumes[0]', 'volumes.bind-dir-unsupported', 'unsupported'],
      ['volumes[1]', 'volumes.bind-binary', 'unsupported'],
    ]);
    expect(es[0]!.message).toContain('img/b.png');
    expect(es[0]!.fix).toContain('--host-path');
  });

  test('nested directories (grafana provisioning) → one ConfigMap whose items rebuild the tree', () => {
    const tree = {
      '/project/grafana/provisioning/datasources/prometheus.yaml': 'apiVersion: 1\ndatasources: []\n',
      '/project/grafana/provisioning/dashboards/default.yaml': 'apiVersion: 1\nproviders: []\n',
      '/project/grafana/provisioning/dashboards/json/.gitkeep': '',
      '/project/grafana/provisioning/README.md': 'x\n',
    };
    const r = runSteps(
      {
        grafana: {
          image: 'grafana/grafana',
          volumes: [bind('/project/grafana/provisioning', '/etc/grafana/provisioning', { read_only: true })],
        },
      },
      steps,
      { files: tree },
    );
    const cm = r.objects.find((o) => o.kind === 'ConfigMap') as Data;
    expect(cm.data).toEqual({
      'README.md': 'x\n',
      'dashboards_default.yaml': 'apiVersion: 1\nproviders: []\n',
      'datasources_prometheus.yaml': 'apiVersion: 1\ndatasources: []\n',
    });
    const v = plan(r, 'grafana').spec.volumes![0]!;
    expect(v.configMap!.items).toEqual([
      { key: 'README.md', path: 'README.md' },
      { key: 'dashboards_default.yaml', path: 'dashboards/default.yaml' },
      { key: 'datasources_prometheus.yaml', path: 'datasources/prometheus.yaml' },
    ]);
    expect(ctr(r, 'grafana').volumeMounts![0]).toMatchObject({
      mountPath: '/etc/grafana/provisioning',
      readOnly: true,
    });
    expect(recs(r, 'grafana', 'volumes')).toMatchObject([{ id: 'volumes.bind-dir', status: 'approximated' }]);
  });

  test('a directory over the 1 MiB ConfigMap limit has its own outcome', () => {
    const big = 'x'.repeat(600 * 1024);
    const r = runSteps({ app: { image: 'a', volumes: [bind('/project/static', '/static')] } }, steps, {
      files: { '/project/static/a.js': big, '/project/static/b/c.js': big },
    });
    expect(r.objects.filter((o) => o.kind === 'ConfigMap')).toEqual([]);
    expect(recs(r, 'app', 'volumes')).toMatchObject([
      { path: 'volumes[0]', id: 'volumes.bind-dir-too-large', status: 'unsupported' },
    ]);
    expect(recs(r, 'app', 'volumes')[0]!.message).toContain('1.2 MiB');
  });

  test('files several pods mount are named after the project, not one of them; a shared data claim keeps a stable name', () => {
    const r = runSteps(
      {
        loki: {
          image: 'grafana/loki',
          volumes: [bind('/project/conf.d', '/etc/loki'), bind('/project/logs', '/logs')],
        },
        promtail: { image: 'grafana/promtail', volumes: [bind('/project/conf.d', '/etc/promtail')] },
        gen: { image: 'flog', volumes: [bind('/project/logs', '/var/log/gen')] },
        web: { image: 'nginx', volumes: [bind('/project/nginx.conf', '/etc/nginx/nginx.conf', { read_only: true })] },
      },
      steps,
      { files },
    );
    const conf = find(r, 'ConfigMap', 'demo-conf-d');
    expect(conf.metadata.labels).not.toHaveProperty(['app.kubernetes.io/name']);
    expect(conf.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'demo' });
    // A claim holds data: it keeps <first service>-<dir>, so a service that starts mounting it later renames nothing.
    expect(has(r, 'PersistentVolumeClaim', 'demo-logs')).toBe(false);
    for (const svc of ['loki', 'promtail'])
      expect(plan(r, svc).spec.volumes!.some((v) => v.configMap?.name === 'demo-conf-d')).toBe(true);
    for (const svc of ['loki', 'gen'])
      expect(plan(r, svc).spec.volumes!.some((v) => v.persistentVolumeClaim?.claimName === 'gen-logs')).toBe(true);
    // One pod mounting a file keeps the service's name and labels.
    expect(find(r, 'ConfigMap', 'web-nginx-conf').metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'web' });
    expect(r.objects.map((o) => o.metadata.name)).not.toContain('loki-conf-d');
  });

  test("the subPath at a database's data directory says what that database does with a claim's lost+found", () => {
    // Forced to Deployments: a database with a named volume would otherwise be a StatefulSet (controller.ts).
    const x = { 'x-k8s': { controller: 'Deployment' } };
    const r = runSteps(
      {
        maria: { image: 'mariadb:10.6.4-focal', extensions: x, volumes: [vol('maria', '/var/lib/mysql')] },
        my: { image: 'mysql:8', extensions: x, volumes: [vol('my', '/var/lib/mysql')] },
        pg: { image: 'postgres:16', extensions: x, volumes: [vol('pg', '/var/lib/postgresql/data')] },
      },
      steps,
      { input: { volumes: { maria: { extensions: {} }, my: { extensions: {} }, pg: { extensions: {} } } } },
    );
    const msg = (svc: string): string => recs(r, svc, 'volumes')[0]!.message;
    expect(msg('maria')).toContain('subPath mysql');
    expect(msg('maria')).toContain('MariaDB would list lost+found as a database');
    expect(msg('maria')).not.toContain('refuses');
    expect(msg('my')).toContain('which mysqld --initialize refuses');
    expect(msg('pg')).toContain('which initdb refuses');
  });

  test('a missing project directory is a data dir → PVC <svc>-<dir>', () => {
    const r = runSteps(
      {
        mysql: {
          image: 'mysql',
          volumes: [bind('/project/data', '/var/lib/mysql'), bind('/project/initdb.d', '/docker-entrypoint-initdb.d')],
        },
      },
      steps,
      { files },
    );
    expect((find(r, 'PersistentVolumeClaim', 'mysql-data') as Pvc).spec!.accessModes).toEqual(['ReadWriteOnce']);
    expect(ctr(r, 'mysql').volumeMounts).toEqual([
      { name: 'mysql-data', mountPath: '/var/lib/mysql', subPath: 'mysql' },
    ]);
    // The init-script directory is input, not data: no empty claim over it (below).
    expect(has(r, 'PersistentVolumeClaim', 'mysql-initdb-d')).toBe(false);
    expect(recs(r, 'mysql', 'volumes').map((e) => [e.path, e.id, e.status])).toEqual([
      ['volumes[0]', 'volumes.bind-data-claim', 'approximated'],
      ['volumes[1]', 'volumes.bind-missing-input', 'unsupported'],
    ]);
  });

  test("a missing folder at a web server's document root is input it serves: nothing mounted, never an empty claim", () => {
    const r = runSteps(
      {
        frontend: { image: 'nginx:alpine', volumes: [bind('/project/frontend', '/usr/share/nginx/html')] },
        web2: { image: 'httpd:2.4', volumes: [bind('/project/site', '/usr/local/apache2/htdocs')] },
        // Not a document root of its image: still a data directory.
        other: { image: 'busybox', volumes: [bind('/project/www', '/usr/share/nginx/html')] },
      },
      steps,
      { files: { '/project/compose.yaml': 'services: {}\n' } },
    );
    for (const svc of ['frontend', 'web2']) {
      expect(recs(r, svc, 'volumes').map((e) => `${e.id} ${e.status}`)).toEqual([
        'volumes.bind-missing-input unsupported',
      ]);
      expect(ctr(r, svc).volumeMounts ?? []).toEqual([]);
    }
    expect(recs(r, 'frontend', 'volumes')[0]!.message).toContain('the document root nginx serves');
    expect(recs(r, 'other', 'volumes')[0]!.id).toBe('volumes.bind-data-claim');
  });

  test('a missing directory mounted read-only is input the user must supply: nothing mounted, unsupported', () => {
    const r = runSteps(
      {
        netbox: {
          image: 'netbox',
          volumes: [{ ...bind('/project/configuration', '/etc/netbox/config'), read_only: true }],
        },
      },
      steps,
      { files },
    );
    expect(has(r, 'PersistentVolumeClaim', 'netbox-configuration')).toBe(false);
    expect(ctr(r, 'netbox').volumeMounts ?? []).toEqual([]);
    expect(recs(r, 'netbox', 'volumes').map((e) => [e.path, e.id, e.status])).toEqual([
      ['volumes[0]', 'volumes.bind-missing-readonly', 'unsupported'],
    ]);
  });

  test('a missing directory mounted at an input location is input the user must supply, not an empty claim', () => {
    const r = runSteps(
      {
        grafana: {
          image: 'grafana/grafana',
          volumes: [bind('/project/grafana', '/etc/grafana/provisioning/datasources')],
        },
        temporal: {
          image: 'temporalio/auto-setup',
          volumes: [bind('/project/dyn', '/etc/temporal/config/dynamicconfig')],
        },
        functions: {
          image: 'supabase/edge-runtime',
          command: ['start', '--main-service', '/opt/functions/main'],
          volumes: [bind('/project/volumes/functions', '/opt/functions')],
        },
        clickhouse: {
          image: 'clickhouse/clickhouse-server',
          volumes: [
            bind('/project/posthog/idl', '/idl'),
            bind('/project/posthog/clickhouse/config.xml', '/etc/clickhouse-server/config.xml'),
            bind('/project/posthog/user_scripts', '/var/lib/clickhouse/user_scripts'),
          ],
        },
        // A whole config directory below /etc may be written by the service (GitLab keeps its secrets there).
        gitlab: { image: 'gitlab/gitlab-ce', volumes: [bind('/project/config', '/etc/gitlab')] },
        // A short flag before a path (`mkdir -p`) names no input.
        minio: {
          image: 'minio/minio',
          command: ['sh', '-c', 'mkdir -p /data/loki && minio server /data'],
          volumes: [bind('/project/minio', '/data')],
        },
      },
      steps,
      { files },
    );
    const ids = (svc: string) => recs(r, svc, 'volumes').map((e) => [e.path, e.id]);
    for (const svc of ['grafana', 'temporal', 'functions']) {
      expect(ids(svc)).toEqual([['volumes[0]', 'volumes.bind-missing-input']]);
      expect(ctr(r, svc).volumeMounts ?? []).toEqual([]);
    }
    expect(recs(r, 'grafana', 'volumes')[0]!.message).toContain('configuration the service provisions from');
    expect(recs(r, 'functions', 'volumes')[0]!.message).toContain('its option --main-service names');
    expect(ids('clickhouse')).toEqual([
      ['volumes[0]', 'volumes.bind-missing-input'],
      ['volumes[1]', 'volumes.bind-missing-file'],
      ['volumes[2]', 'volumes.bind-missing-input'],
    ]);
    expect(recs(r, 'clickhouse', 'volumes')[0]!.message).toContain(
      'also mounts ./posthog/clickhouse/config.xml from the same missing ./posthog',
    );
    expect(r.objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name)).toEqual([
      'gitlab-config',
      'minio-minio',
    ]);
  });

  test('a missing directory that holds data stays a data claim: data paths, data dirs, shared, data options', () => {
    const r = runSteps(
      {
        mysql: {
          image: 'mysql:8',
          volumes: [
            bind('/project/mysql/data', '/var/lib/mysql'),
            bind('/project/mysql/my.cnf', '/etc/mysql/conf.d/my.cnf'),
          ],
        },
        proxy: { image: 'nginxproxy/nginx-proxy', volumes: [bind('/project/certs', '/etc/nginx/certs')] },
        acme: { image: 'nginxproxy/acme-companion', volumes: [bind('/project/certs', '/etc/nginx/certs')] },
        ha: {
          image: 'homeassistant/home-assistant',
          command: ['--config', '/config'],
          volumes: [bind('/project/ha', '/config')],
        },
        wg: { image: 'linuxserver/wireguard', volumes: [bind('/project/peers', '/etc/wireguard/peers')] },
      },
      steps,
      { files },
    );
    for (const svc of ['mysql', 'ha', 'wg'])
      expect(recs(r, svc, 'volumes')[0], svc).toMatchObject({ id: 'volumes.bind-data-claim' });
    // proxy and acme share theirs, on one node
    for (const svc of ['proxy', 'acme'])
      expect(recs(r, svc, 'volumes')[0], svc).toMatchObject({ id: 'volumes.bind-data-claim-together' });
  });

  test('a missing directory with storage type configMap is input too, never a claim', () => {
    const r = runSteps(
      {
        app: {
          image: 'x',
          labels: { 'kompose.volume.type': 'configMap' },
          volumes: [bind('/project/dyn', '/srv/dyn')],
        },
      },
      steps,
      { files },
    );
    expect(r.objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    expect(recs(r, 'app', 'volumes').map((e) => [e.id, e.status])).toEqual([
      ['volumes.bind-missing-input', 'unsupported'],
    ]);
    expect(recs(r, 'app', 'volumes')[0]!.message).toContain('storage type configMap');
  });

  test('a missing directory the service runs code from is not an empty claim: nothing mounted, unsupported', () => {
    const r = runSteps(
      {
        web: { image: 'posthog', command: ['/compose/start'], volumes: [bind('/project/compose', '/compose')] },
        prom: {
          image: 'prom/prometheus',
          command: ['--config.file=/etc/prometheus/prometheus.yml'],
          volumes: [bind('/project/prometheus', '/etc/prometheus')],
        },
        mongo: {
          image: 'mongo',
          command: ['mongod', '--dbpath', '/data/db'],
          volumes: [bind('/project/mongo', '/data')],
        },
      },
      steps,
      { files },
    );
    expect(ctr(r, 'web').volumeMounts ?? []).toEqual([]);
    expect(recs(r, 'web', 'volumes').map((e) => [e.id, e.status])).toEqual([
      ['volumes.bind-missing-code', 'unsupported'],
    ]);
    expect(recs(r, 'web', 'volumes')[0]!.message).toContain('uses /compose/start from it');
    expect(recs(r, 'prom', 'volumes')[0]!.message).toContain('uses /etc/prometheus/prometheus.yml from it');
    // A path that may be data (no program, no script or config file) keeps the data claim.
    expect(recs(r, 'mongo', 'volumes').map((e) => e.id)).toEqual(['volumes.bind-data-claim']);
  });

  test('a relative program or script path is read from working_dir: the same unsupported entry as the absolute one', () => {
    const r = runSteps(
      {
        // appwrite: `php -e app/http.php` from /usr/src/code, with ./app (missing) mounted at /usr/src/code/app
        api: {
          image: 'php',
          working_dir: '/usr/src/code',
          entrypoint: ['php', '-e', 'app/http.php'],
          volumes: [bind('/project/app', '/usr/src/code/app')],
        },
        run: {
          image: 'php',
          working_dir: '/srv',
          entrypoint: ['./bin/start'],
          volumes: [bind('/project/bin', '/srv/bin')],
        },
        // no working_dir: a relative path's directory is unknown, so it may be data
        other: { image: 'php', entrypoint: ['php', 'app/http.php'], volumes: [bind('/project/app2', '/srv/app')] },
      },
      steps,
      { files },
    );
    expect(ctr(r, 'api').volumeMounts ?? []).toEqual([]);
    expect(recs(r, 'api', 'volumes').map((e) => [e.id, e.status])).toEqual([
      ['volumes.bind-missing-code', 'unsupported'],
    ]);
    expect(recs(r, 'api', 'volumes')[0]!.message).toContain('uses /usr/src/code/app/http.php from it');
    expect(recs(r, 'run', 'volumes')[0]!.message).toContain('uses /srv/bin/start from it');
    expect(recs(r, 'other', 'volumes').map((e) => e.id)).toEqual(['volumes.bind-data-claim']);
  });

  test('a directory holding only .gitkeep is a data dir too', () => {
    const r = runSteps(
      { pg: { image: 'postgres', volumes: [bind('/project/pgdata', '/var/lib/postgresql/data')] } },
      steps,
      {
        files: { '/project/pgdata/.gitkeep': '' },
      },
    );
    expect(has(r, 'PersistentVolumeClaim', 'pg-pgdata')).toBe(true);
    expect(r.objects.some((o) => o.kind === 'ConfigMap')).toBe(false);
    expect(recs(r, 'pg', 'volumes')[0]!.message).toContain('only .gitkeep');
  });

  test('a missing file is unsupported, not a PVC', () => {
    const r = runSteps(
      { db: { image: 'pg', volumes: [bind('/project/init.sql', '/docker-entrypoint-initdb.d/init.sql')] } },
      steps,
      { files },
    );
    expect(r.objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    expect(recs(r, 'db', 'volumes')).toMatchObject([
      { path: 'volumes[0]', id: 'volumes.bind-missing-file', status: 'unsupported' },
    ]);
  });

  test('docker socket and host paths are unsupported; with --host-path they become hostPath', () => {
    const svc = {
      image: 'gcr.io/cadvisor/cadvisor',
      volumes: [
        bind('/var/run/docker.sock', '/var/run/docker.sock'),
        bind('/etc/localtime', '/etc/localtime', { read_only: true }),
      ],
    };
    const r = runSteps({ proxy: svc }, steps, { files });
    const es = recs(r, 'proxy', 'volumes');
    expect(es.map((e) => [e.path, e.id, e.status])).toEqual([
      ['volumes[0]', 'volumes.docker-socket', 'unsupported'],
      ['volumes[1]', 'volumes.host-path-outside', 'unsupported'],
    ]);
    expect(es[1]!.fix).toContain('TZ');
    expect(plan(r, 'proxy').spec.volumes).toBeUndefined();

    const h = runSteps({ proxy: svc }, steps, { files, options: { hostPath: true } });
    expect(plan(h, 'proxy').spec.volumes).toEqual([
      { name: 'host-docker-sock', hostPath: { path: '/var/run/docker.sock', type: 'Socket' } },
      { name: 'host-localtime', hostPath: { path: '/etc/localtime', type: 'DirectoryOrCreate' } },
    ]);
    expect(recs(h, 'proxy', 'volumes').map((e) => [e.path, e.id, e.status])).toEqual([
      ['volumes[0]', 'volumes.host-path', 'approximated'],
      ['volumes[1]', 'volumes.host-path', 'approximated'],
    ]);
  });
});

describe('SELinux relabel (:z / :Z)', () => {
  test('said on a hostPath, which the kubelet never relabels; a ConfigMap needs no word', () => {
    const svc = {
      image: 'netbox',
      volumes: [
        bind('/srv/netbox/config', '/etc/netbox/config', { read_only: true, bind: { selinux: 'z' as const } }),
        bind('/project/nginx.conf', '/etc/nginx/nginx.conf', { bind: { selinux: 'Z' as const } }),
      ],
    };
    const files = { '/project/nginx.conf': 'events {}\n' };
    const r = runSteps({ web: svc }, steps, { files, options: { hostPath: true } });
    const [host, cm] = recs(r, 'web', 'volumes');
    expect(host).toMatchObject({ id: 'volumes.host-path-selinux', status: 'approximated' });
    expect(host!.message).toContain(':z option (SELinux relabel) is not carried');
    expect(host!.fix).toContain('chcon -R -t container_file_t /srv/netbox/config');
    expect(cm!.id).toBe('volumes.bind-file');
  });
});

describe('StatefulSet', () => {
  test('own named volume becomes a volumeClaimTemplate instead of a PVC', () => {
    const r = runSteps(
      { db: { image: 'pg', volumes: [vol('pgdata', '/data')] } },
      [
        (ctx, svc, c, p) => {
          p.kind = 'StatefulSet';
          applyStorage(ctx, svc, c, p);
        },
      ],
      { input: { volumes: { pgdata: { extensions: {} } } }, podSteps: [buildServices] },
    );
    expect(has(r, 'PersistentVolumeClaim', 'pgdata')).toBe(false);
    expect(plan(r, 'db').volumeClaimTemplates.map((t) => t.metadata?.name)).toEqual(['pgdata']);
    expect(ctr(r, 'db').volumeMounts).toEqual([{ name: 'pgdata', mountPath: '/data' }]);
  });
});

const corpus = new URL('../../../../shared/corpus/', import.meta.url);
describe.runIf(existsSync(corpus))('corpus smoke', () => {
  test('a real nginx config file (awesome-compose nginx-golang) becomes a valid ConfigMap', () => {
    const conf = new URL('awesome-compose/nginx-golang/proxy/nginx.conf', corpus);
    if (!existsSync(conf)) return;
    const text = readFileSync(conf, 'utf8');
    const r = runSteps(
      { proxy: { image: 'nginx', volumes: [bind('/project/proxy/nginx.conf', '/etc/nginx/conf.d/default.conf')] } },
      steps,
      {
        files: { '/project/proxy/nginx.conf': text },
      },
    );
    expect((find(r, 'ConfigMap', 'proxy-nginx-conf') as Data).data!['nginx.conf']).toBe(text);
  });
});

describe('secret files in bind mounts never become ConfigMap data', () => {
  const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
  const HT = 'admin:$apr1$Xyz12345$abcdefghijklmnopqrstuv\n';
  const ENV = 'DB_PASSWORD=hunter2-xyz\n';
  const files = {
    '/project/tls/server.crt': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    '/project/tls/server.pem': KEY,
    '/project/auth/htpasswd': HT,
    '/project/app/.env': ENV,
    '/project/app/main.py': 'print(1)\n',
  };
  const nginx = {
    nginx: {
      image: 'nginx',
      volumes: [
        bind('/project/auth/htpasswd', '/etc/nginx/.htpasswd'),
        bind('/project/tls', '/etc/nginx/tls'),
        bind('/project/app', '/app'),
      ],
    },
  };

  test('a secret file → Secret mounted with subPath; a directory projects its ConfigMap and a Secret at the same path', () => {
    const r = runSteps(nginx, steps, { files });
    const out = JSON.stringify(r.objects);
    for (const v of [KEY, HT, ENV]) expect(out).not.toContain(JSON.stringify(v).slice(1, -1));
    const ht = find(r, 'Secret', 'nginx-htpasswd') as unknown as { stringData: Record<string, string> };
    expect(ht.stringData).toEqual({ htpasswd: '<set-me: htpasswd>' });
    const mounts = ctr(r, 'nginx').volumeMounts!;
    expect(mounts[0]).toMatchObject({ mountPath: '/etc/nginx/.htpasswd', subPath: 'htpasswd', readOnly: true });
    const tlsCm = find(r, 'ConfigMap', 'nginx-tls') as Data;
    expect(Object.keys(tlsCm.data!)).toEqual(['server.crt']);
    const vols = plan(r, 'nginx').spec.volumes!;
    const projected = vols.find((v) => v.projected)!.projected!.sources!;
    expect(projected).toEqual([
      { configMap: { name: 'nginx-tls', items: [{ key: 'server.crt', path: 'server.crt' }] } },
      { secret: { name: 'nginx-tls', items: [{ key: 'server.pem', path: 'server.pem' }] } },
    ]);
    expect(recs(r, 'nginx', 'volumes').map((e) => e.id)).toEqual([
      'volumes.bind-secret-file',
      'volumes.bind-dir-secret-files',
      'volumes.bind-dir-secret-files',
    ]);
    const e = recs(r, 'nginx', 'volumes')[0]!;
    expect(e.fix).toContain('kubectl create secret generic nginx-htpasswd --from-file=htpasswd=./auth/htpasswd');
  });

  test('a config file that sets a password, and a file named as one, are Secrets; a template stays a ConfigMap', () => {
    const conf = {
      '/project/sentry/config.yml': "mail.host: smtp\nsystem.secret-key: 'k3y-Xy9!'\n",
      '/project/sentry/config.example.yml': "system.secret-key: '!!changeme!!'\n",
      '/project/clickhouse/default-password.xml': '<clickhouse><password>Sup3rS3cretCH</password></clickhouse>\n',
    };
    const svc = {
      sentry: {
        image: 'getsentry/sentry',
        volumes: [
          bind('/project/sentry', '/etc/sentry'),
          bind('/project/clickhouse/default-password.xml', '/etc/clickhouse-server/users.d/default-password.xml'),
        ],
      },
    };
    const r = runSteps(svc, steps, { files: conf });
    const out = JSON.stringify(r.objects);
    expect(out).not.toContain('k3y-Xy9!');
    expect(out).not.toContain('Sup3rS3cretCH');
    expect(Object.keys((find(r, 'ConfigMap', 'sentry-sentry') as Data).data!)).toEqual(['config.example.yml']);
    expect(recs(r, 'sentry', 'volumes').map((e) => e.id)).toEqual([
      'volumes.bind-dir-secret-files',
      'volumes.bind-secret-file',
    ]);
    expect(recs(r, 'sentry', 'volumes')[0]!.message).toContain(
      'a config file giving system.secret-key a literal value',
    );
    // The placeholder replaces the whole file, not only the value: the entry says the app gets none of it.
    const file = recs(r, 'sentry', 'volumes')[1]!;
    expect(file.message).toContain('the whole content of each file is replaced, not only its secret values');
    expect(file.message).not.toContain('placeholder values');
  });

  test('--secrets embed writes the files into the Secret; --secrets external emits no Secret but mounts it', () => {
    const embed = runSteps(nginx, steps, { files, options: { secrets: 'embed' } });
    expect(
      (find(embed, 'Secret', 'nginx-htpasswd') as unknown as { stringData: Record<string, string> }).stringData,
    ).toEqual({
      htpasswd: HT,
    });
    const ext = runSteps(nginx, steps, {
      files,
      options: { secrets: 'external' },
      external: { secrets: ['nginx-htpasswd', 'nginx-tls', 'nginx-app'] },
    });
    expect(ext.objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(plan(ext, 'nginx').spec.volumes!.some((v) => v.secret?.secretName === 'nginx-htpasswd')).toBe(true);
  });
});

describe('anonymous volume with claim settings (kompose.volume.size / storage-class-name, x-k8s storage)', () => {
  const run = (yaml: string) => {
    const out = convertYaml(yaml);
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return out;
  };
  test('→ a claim with the size and StorageClass asked for, as kompose makes; the labels are applied to it', () => {
    const out = run(`
services:
  db:
    image: mariadb
    volumes: [/var/lib/mysql]
    labels:
      kompose.volume.size: 20Gi
      kompose.volume.storage-class-name: fast-ssd
`);
    const pvc = out.objects.find((o) => o.kind === 'PersistentVolumeClaim') as unknown as Pvc;
    expect(pvc.metadata.name).toBe('db-mysql');
    expect(pvc.spec).toMatchObject({ storageClassName: 'fast-ssd', resources: { requests: { storage: '20Gi' } } });
    const dep = out.objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { volumes: Array<{ emptyDir?: object; persistentVolumeClaim?: object }> } } };
    };
    expect(dep.spec.template.spec.volumes.some((v) => v.emptyDir)).toBe(false);
    const e = (path: string) => out.report!.entries.find((x) => x.service === 'db' && x.path === path)!;
    expect(e('volumes[0]')).toMatchObject({ id: 'volumes.anonymous-claim', status: 'converted' });
    for (const l of ['labels.kompose.volume.size', 'labels.kompose.volume.storage-class-name'] as const)
      expect(e(l)).toMatchObject({ id: 'labels.kompose.applied', objects: ['PersistentVolumeClaim/db-mysql'] });
  });
  test('storage type emptyDir keeps the emptyDir, whatever the size', () => {
    const out = run(`
services:
  app:
    image: myapp
    volumes: [/cache]
    x-k8s: { storage: { type: emptyDir, size: 1Gi } }
`);
    expect(out.objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
  });
});
