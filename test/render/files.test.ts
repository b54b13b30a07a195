import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/kube/object.js';
import { writeDirAtomic } from '../../src/node/write.js';
import { diffFiles, hasDrift, renderFiles } from '../../src/render/files.js';
import { renderJson } from '../../src/render/json.js';

const cm: KubeObject = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: { name: 'web-env' },
  data: { B: '2', A: 'yes' },
};
const dep: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } };

describe('renderJson', () => {
  it('wraps objects in a v1 List with 2-space indent and the YAML key order', () => {
    const text = renderJson([cm, dep]);
    expect(text.endsWith('}\n')).toBe(true);
    const list = JSON.parse(text) as { apiVersion: string; kind: string; items: KubeObject[] };
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    expect(list.items).toEqual([cm, dep]);
    expect(Object.keys(list.items[0]!)).toEqual(['apiVersion', 'kind', 'metadata', 'data']);
    expect(Object.keys(list.items[0]!['data'] as object)).toEqual(['A', 'B']);
    expect(text).toContain('\n  "items": [\n    {\n      "apiVersion": "v1"');
  });
});

describe('renderFiles', () => {
  it('writes <kind>-<name>.yaml per object, each a single document', () => {
    const files = renderFiles([cm, dep]);
    expect(files.map((f) => f.path)).toEqual(['configmap-web-env.yaml', 'deployment-web.yaml']);
    expect(files[0]!.content.startsWith('---\napiVersion: v1\nkind: ConfigMap\n')).toBe(true);
    expect(parse(files[0]!.content.replace(/^---\n/, ''), { version: '1.1' })).toEqual(cm);
  });

  it('writes .json files with --format json', () => {
    const files = renderFiles([dep], 'json');
    expect(files[0]!.path).toBe('deployment-web.json');
    expect(JSON.parse(files[0]!.content)).toEqual(dep);
  });

  it('reports missing, extra and changed files', () => {
    const files = renderFiles([cm, dep]);
    const same = new Map(files.map((f) => [f.path, f.content]));
    expect(hasDrift(diffFiles(files, same))).toBe(false);
    const other = new Map(same);
    other.delete('deployment-web.yaml');
    other.set('configmap-web-env.yaml', 'changed');
    other.set('service-old.yaml', 'x');
    expect(diffFiles(files, other)).toEqual({
      missing: ['deployment-web.yaml'],
      extra: ['service-old.yaml'],
      changed: ['configmap-web-env.yaml'],
    });
  });
});

describe('writeDirAtomic', () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'c2k-write-'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));
  const files = renderFiles([cm, dep]);

  it('creates the directory (and parents) with every file, leaving no temp dir', () => {
    const res = writeDirAtomic(join(base, 'a/out'), files);
    expect(res.ok).toBe(true);
    expect(readdirSync(join(base, 'a/out')).sort()).toEqual(['configmap-web-env.yaml', 'deployment-web.yaml']);
    expect(readFileSync(join(base, 'a/out/deployment-web.yaml'), 'utf8')).toBe(files[1]!.content);
    expect(readdirSync(join(base, 'a'))).toEqual(['out']);
  });

  it('writes into an existing empty directory', () => {
    mkdirSync(join(base, 'out'));
    expect(writeDirAtomic(join(base, 'out'), files).ok).toBe(true);
    expect(readdirSync(join(base, 'out'))).toHaveLength(2);
  });

  it('refuses a non-empty directory without force and leaves it untouched', () => {
    mkdirSync(join(base, 'out'));
    writeFileSync(join(base, 'out/keep.txt'), 'mine');
    const res = writeDirAtomic(join(base, 'out'), files);
    expect(res).toMatchObject({ ok: false, code: 'output-not-empty' });
    expect(readdirSync(join(base, 'out'))).toEqual(['keep.txt']);
    expect(readdirSync(base)).toEqual(['out']);
  });

  it('replaces the content as a whole with force (stale files go)', () => {
    mkdirSync(join(base, 'out'));
    writeFileSync(join(base, 'out/service-old.yaml'), 'stale');
    expect(writeDirAtomic(join(base, 'out'), files, { force: true }).ok).toBe(true);
    expect(readdirSync(join(base, 'out')).sort()).toEqual(['configmap-web-env.yaml', 'deployment-web.yaml']);
    expect(readdirSync(base)).toEqual(['out']);
  });

  it('refuses a target that is a file', () => {
    writeFileSync(join(base, 'out'), 'x');
    expect(writeDirAtomic(join(base, 'out'), files, { force: true })).toMatchObject({
      ok: false,
      code: 'output-not-directory',
    });
    expect(readFileSync(join(base, 'out'), 'utf8')).toBe('x');
  });

  it('leaves nothing behind when writing fails', () => {
    const res = writeDirAtomic(join(base, 'out'), [...files, { path: '../escape.yaml', content: 'x' }]);
    expect(res).toMatchObject({ ok: false, code: 'output-write-failed' });
    expect(readdirSync(base)).toEqual([]);
  });
});

describe('file order for kubectl apply -f DIR', () => {
  it('the Namespace file sorts before every namespaced object', () => {
    const objs = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'shop' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } },
    ];
    const names = renderFiles(objs).map((f) => f.path);
    expect(names).toContain('00-namespace-shop.yaml');
    expect([...names].sort()[0]).toBe('00-namespace-shop.yaml');
  });
});
