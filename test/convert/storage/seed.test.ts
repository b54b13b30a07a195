/**
 * x-k8s seed on a named volume: an init container from the service's image copies what the image has at the mount
 * path into the empty claim, as Docker does for a new volume. The script is run for real in a shell here.
 */
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.js';
import { convertProject } from '../../../src/index.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';
import { seedScript } from '../../../src/convert/storage/seed.js';

const COMPOSE = `
services:
  db:
    image: supabase/postgres:15.8.1.060
    volumes: [db-config:/etc/postgresql-custom, data:/var/lib/postgresql/data]
  plain:
    image: nginx:1.27
    volumes: [cache:/var/cache/nginx]
volumes:
  db-config: { x-k8s: { seed: true } }
  data: {}
  cache: {}
`;

type Pod = { spec: { template: { spec: { initContainers?: Container[]; containers: Container[] } } } };
const pod = (r: ReturnType<typeof convertProject>, name: string) =>
  (r.objects.find((o) => o.metadata.name === name && /Deployment|StatefulSet/.test(o.kind)) as unknown as Pod).spec
    .template.spec;

describe('x-k8s seed', () => {
  test('adds one init container, first, from the same image, mounting the claim elsewhere; others are untouched', () => {
    const r = convertProject(fromYaml(COMPOSE), {});
    expectValid(r.objects);
    const db = pod(r, 'db');
    const seed = db.initContainers![0]!;
    expect(seed.name).toBe('seed-db-config');
    expect(seed.image).toBe('supabase/postgres:15.8.1.060');
    // As root, as Docker's copy into a new volume: `cp -a` keeps the owners the image gives the files.
    expect(seed.securityContext).toEqual({ runAsUser: 0 });
    const mount = seed.volumeMounts![0]!;
    expect(db.containers[0]!.volumeMounts!.find((m) => m.name === mount.name)!.mountPath).toBe(
      '/etc/postgresql-custom',
    );
    expect(mount.mountPath).toBe('/compose2k8s-seed');
    expect(db.initContainers!.filter((c) => c.name.startsWith('seed-'))).toHaveLength(1);
    expect(pod(r, 'plain').initContainers ?? []).toEqual([]);
    const e = (svc: string) => r.report.entries.find((x) => x.service === svc && x.path === 'volumes[0]')!;
    expect(e('db').id).toBe('volumes.named-seeded');
    expect(e('db').message).toContain('init container seed-db-config first copies');
    expect(e('plain').id).toBe('volumes.named-starts-empty-owner');
    expect(e('plain').status).toBe('approximated');
    expect(e('plain').fix).toContain('x-k8s: {seed: true} on the volume');
  });

  test('an image known to need its files there (supabase/postgres at /etc/postgresql-custom) is seeded unasked; seed: false turns it off', () => {
    const yaml = COMPOSE.replace('  db-config: { x-k8s: { seed: true } }', '  db-config: {}');
    const r = convertProject(fromYaml(yaml), {});
    expectValid(r.objects);
    expect(pod(r, 'db').initContainers!.map((c) => c.name)).toContain('seed-db-config');
    const e = r.report.entries.find((x) => x.service === 'db' && x.path === 'volumes[0]')!;
    expect(e).toMatchObject({ id: 'volumes.named-seeded-known', status: 'converted' });
    expect(e.message).toContain('supabase/postgres needs the files');
    const off = convertProject(fromYaml(COMPOSE.replace('seed: true', 'seed: false')), {});
    expect((pod(off, 'db').initContainers ?? []).map((c) => c.name)).not.toContain('seed-db-config');
    // another image at that path is not seeded unasked
    const other = convertProject(fromYaml(yaml.replace('supabase/postgres:15.8.1.060', 'postgres:16')), {});
    expect((pod(other, 'db').initContainers ?? []).map((c) => c.name)).not.toContain('seed-db-config');
  });

  test('the seed runs as root over the app user, keeping the rest of its settings: a non-root app could not fill the root-owned claim', () => {
    const r = convertProject(
      fromYaml(`
services:
  backend:
    image: frappe/erpnext:v16.32.3
    read_only: true
    volumes: [sites:/srv/frappe-bench/sites]
  app:
    image: node:20
    user: "1000:1000"
    cap_drop: [ALL]
    volumes: [data:/app/data]
volumes:
  sites: { x-k8s: { seed: true } }
  data: { x-k8s: { seed: true } }
`),
      {},
    );
    expectValid(r.objects);
    const backend = pod(r, 'backend') as { securityContext?: object; initContainers?: Container[] };
    expect(backend.securityContext).toMatchObject({ fsGroup: 1000 });
    expect(backend.initContainers![0]).toMatchObject({
      name: 'seed-sites',
      securityContext: { readOnlyRootFilesystem: true, runAsUser: 0 },
    });
    expect(pod(r, 'app').initContainers![0]!.securityContext).toEqual({ runAsUser: 0, runAsGroup: 1000 });
  });

  test('the seed container passes the restricted Pod Security Standard when the pod does', () => {
    const r = convertProject(
      fromYaml(
        COMPOSE.replace('image: supabase/postgres:15.8.1.060', 'image: supabase/postgres:15.8.1.060\n    user: "999"'),
      ),
      {
        podSecurity: 'restricted',
      },
    );
    expectValid(r.objects);
    const seed = pod(r, 'db').initContainers!.find((c) => c.name === 'seed-db-config')!;
    expect(seed.securityContext).toMatchObject({
      runAsUser: 999,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(r.report.entries.filter((e) => e.service === 'db' && e.status === 'unsupported')).toEqual([]);
  });

  test("a writable copy's script copies a ConfigMap volume's files themselves, not its ..data symlinks", () => {
    const root = mkdtempSync(join(tmpdir(), 'c2k-seed-'));
    try {
      // The kubelet's layout of a ConfigMap volume: entries are symlinks into ..data, a link to a timestamped folder.
      const volume = join(root, 'app');
      const stamp = '..2026_01_01_00_00_00.000000001';
      mkdirSync(join(volume, stamp, 'src'), { recursive: true });
      writeFileSync(join(volume, stamp, 'package.json'), '{}\n');
      writeFileSync(join(volume, stamp, 'src', 'index.js'), 'x\n');
      symlinkSync(stamp, join(volume, '..data'));
      symlinkSync('..data/package.json', join(volume, 'package.json'));
      symlinkSync('..data/src', join(volume, 'src'));
      const copy = join(root, 'copy');
      mkdirSync(copy);
      const run = spawnSync('sh', ['-c', seedScript('cm-app', volume, 'files').replaceAll('/compose2k8s-seed', copy)], {
        encoding: 'utf8',
      });
      expect(run.status).toBe(0);
      expect(readdirSync(copy).sort()).toEqual(['package.json', 'src']);
      expect(lstatSync(join(copy, 'package.json')).isFile()).toBe(true);
      expect(lstatSync(join(copy, 'src')).isDirectory()).toBe(true);
      expect(readFileSync(join(copy, 'src', 'index.js'), 'utf8')).toBe('x\n');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the script copies the image files into an empty claim once, keeps a filled one, and skips a missing dir', () => {
    const root = mkdtempSync(join(tmpdir(), 'c2k-seed-'));
    try {
      const image = join(root, "etc/post gres'custom");
      const claim = join(root, 'claim');
      mkdirSync(join(image, 'conf.d'), { recursive: true });
      mkdirSync(join(claim, 'lost+found'), { recursive: true });
      writeFileSync(join(image, 'supautils.conf'), 'x = 1\n');
      writeFileSync(join(image, 'conf.d', 'a.conf'), 'a\n');
      // The script mounts the claim at a fixed path; run it with that path pointing at the test's claim.
      const run = (target: string) =>
        spawnSync('sh', ['-c', seedScript('db-config', target).replaceAll('/compose2k8s-seed', claim)], {
          encoding: 'utf8',
        });
      expect(run(image).status).toBe(0);
      expect(readFileSync(join(claim, 'supautils.conf'), 'utf8')).toBe('x = 1\n');
      expect(readFileSync(join(claim, 'conf.d', 'a.conf'), 'utf8')).toBe('a\n');
      writeFileSync(join(claim, 'supautils.conf'), 'edited\n');
      const again = run(image);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('already holds files');
      expect(readFileSync(join(claim, 'supautils.conf'), 'utf8')).toBe('edited\n');
      const missing = run(join(root, 'nope'));
      expect(missing.status).toBe(0);
      expect(missing.stdout).toContain('nothing to seed');
      expect(existsSync(join(claim, 'nope'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
