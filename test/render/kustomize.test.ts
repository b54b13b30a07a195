/**
 * The Kustomize renderer, checked with the real `kubectl kustomize`: the base builds to exactly the
 * converted objects, and an overlay that patches it applies.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertProject } from '../../src/index.js';
import type { ConvertOptions } from '../../src/convert/intent/options.js';
import type { Project } from '../../src/model/types.js';
import { nodeFs } from '../../src/node/fs.js';
import type { KubeObject } from '../../src/kube/object.js';
import { renderFiles } from '../../src/render/files.js';
import { jobsOnHashedConfig, renderKustomize } from '../../src/render/kustomize.js';
import { renderYaml } from '../../src/render/yaml.js';
import { expectValid } from '../helpers/validate.js';
import {
  byRef,
  modGeneratorHashes,
  nameRefs,
  parseStream,
  runTool,
  toolAvailable,
  writeTree,
  type Obj,
} from './render-tools.js';
import { loadSample, samples } from '../helpers/samples.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function base(
  project: Project,
  options: Partial<ConvertOptions> = {},
  generators = true,
): { dir: string; objects: Obj[] } {
  const { objects } = convertProject(project, options, nodeFs);
  const dir = writeTree(renderKustomize(objects, { namespace: options.namespace, generators }));
  dirs.push(dir);
  return { dir, objects: parseStream(renderYaml(objects)) };
}

function build(dir: string): Obj[] {
  const r = runTool('kubectl', ['kustomize', dir]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return parseStream(r.stdout);
}

describe('kustomization.yaml', () => {
  it('lists the object files in apply order, with the namespace and the labels every object has', () => {
    const { objects } = convertProject(loadSample('voting-app'), { namespace: 'prod' }, nodeFs);
    const files = renderKustomize(objects, { namespace: 'prod', generators: false });
    expect(files.map((f) => f.path)).toEqual(['kustomization.yaml', ...renderFiles(objects).map((f) => f.path)]);
    const k = parse(files[0]!.content) as Record<string, unknown>;
    expect(k).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'prod',
      labels: [
        {
          pairs: { 'app.kubernetes.io/managed-by': 'compose2k8s', 'app.kubernetes.io/part-of': 'voting' },
          includeSelectors: false,
        },
      ],
      resources: renderFiles(objects).map((f) => f.path),
    });
    expect(files.slice(1).every((f) => !f.content.includes('namespace: prod'))).toBe(true);
  });

  it('leaves the namespace in the files when none is given', () => {
    const { objects } = convertProject(loadSample('voting-app'), {}, nodeFs);
    const k = parse(renderKustomize(objects)[0]!.content) as Record<string, unknown>;
    expect(k['namespace']).toBeUndefined();
  });
});

describe('a Secret a pod mounts as files', () => {
  const objects = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'app-config-yaml' },
      type: 'Opaque',
      stringData: { 'config.yaml': '<set-me: config.yaml>' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'app-env' },
      type: 'Opaque',
      stringData: { PASSWORD: '<set-me: pw>' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app' },
      spec: {
        selector: { matchLabels: { app: 'app' } },
        template: {
          metadata: { labels: { app: 'app' } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'grafana/loki:3.2.0',
                envFrom: [{ secretRef: { name: 'app-env' } }],
                volumeMounts: [{ name: 'conf', mountPath: '/etc/app/config.yaml', subPath: 'config.yaml' }],
              },
            ],
            volumes: [{ name: 'conf', secret: { secretName: 'app-config-yaml' } }],
          },
        },
      },
    },
  ] as unknown as KubeObject[];

  it('is generated from one file per key, so the placeholder is filled with the real file; env Secrets stay envs', () => {
    const files = renderKustomize(objects);
    const k = parse(files[0]!.content) as { secretGenerator: unknown[] };
    expect(k.secretGenerator).toEqual([
      { name: 'app-config-yaml', files: ['config.yaml=secret-app-config-yaml/config.yaml'] },
      { name: 'app-env', envs: ['secret-app-env.env'] },
    ]);
    expect(files.find((f) => f.path === 'secret-app-config-yaml/config.yaml')?.content).toBe('<set-me: config.yaml>');
  });

  it.runIf(toolAvailable('kubectl'))('builds to the same Secret with the real kubectl', () => {
    const dir = writeTree(renderKustomize(objects));
    dirs.push(dir);
    const { built, expected } = modGeneratorHashes(build(dir), parseStream(renderYaml(objects)));
    expect(byRef(built)).toEqual(byRef(expected));
  });
});

describe.runIf(toolAvailable('kubectl'))('kustomize with the real kubectl', () => {
  it.each(samples)('sample %s: the base builds to the converted objects (plain ConfigMaps and Secrets)', (name) => {
    const opts = { namespace: 'prod', createNamespace: name === 'voting-app' };
    const { dir, objects } = base(loadSample(name), opts, false);
    const built = build(dir);
    expectValid(built);
    expect(built.length).toBe(objects.length);
    expect(byRef(built)).toEqual(byRef(objects));
  });

  it.each(samples)('sample %s: with generators, the same objects modulo hash suffixes', (name) => {
    const opts = { namespace: 'prod', createNamespace: name === 'voting-app' };
    const { dir, objects } = base(loadSample(name), opts);
    const raw = build(dir);
    expectValid(raw);
    const { built, expected, hashed } = modGeneratorHashes(raw, objects);
    expect(byRef(built)).toEqual(byRef(expected));
    // Every ConfigMap and Secret of the sample was generated, and every reference points at the hashed name, but for
    // those only Jobs read: they keep their name (a Job's pod template is immutable).
    const generated = objects.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret').length;
    const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Record<string, Obj[] | undefined>;
    const kept = [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])].filter(
      (g) => (g as { options?: { disableNameSuffixHash?: boolean } }).options?.disableNameSuffixHash,
    );
    expect(kept.length).toBe(name === 'django-celery' ? 1 : 0);
    expect(hashed.size).toBe(generated - kept.length);
    const bases = new Set(hashed.values());
    expect(nameRefs(raw).filter((n) => bases.has(n))).toEqual([]);
  });

  it('builds without a namespace too', () => {
    const { dir, objects } = base(loadSample('wordpress-mysql'));
    const { built, expected } = modGeneratorHashes(build(dir), objects);
    expect(byRef(built)).toEqual(byRef(expected));
  });

  it('an overlay over the base applies its patch and namespace', () => {
    const { dir, objects } = base(loadSample('django-celery'), { namespace: 'prod' });
    const root = mkdtempSync(join(tmpdir(), 'c2k-overlay-'));
    dirs.push(root);
    renameSync(dir, join(root, 'base'));
    const overlay = join(root, 'overlays', 'staging');
    mkdirSync(overlay, { recursive: true });
    writeFileSync(
      join(overlay, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'namespace: staging',
        'resources: [../../base]',
        'patches:',
        '  - target: { kind: Deployment, name: web }',
        '    patch: |',
        '      - op: replace',
        '        path: /spec/replicas',
        '        value: 7',
        '',
      ].join('\n'),
    );
    const built = build(overlay);
    expectValid(built);
    expect(built.length).toBe(objects.length);
    const web = built.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!;
    expect((web['spec'] as { replicas: number }).replicas).toBe(7);
    const worker = built.find((o) => o.kind === 'Deployment' && o.metadata.name === 'worker')!;
    expect((worker['spec'] as { replicas: number }).replicas).toBe(2);
    expect(built.every((o) => (o.metadata as { namespace?: string }).namespace === 'staging')).toBe(true);
  });
});

describe.runIf(toolAvailable('kubectl'))('generators with the real kubectl', () => {
  const labels = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'edge' };
  const objects = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'api-env', labels, annotations: { 'example.com/note': 'yes' } },
      data: { A: 'plain', B: ' lead', C: 'trail ', D: '"quoted"', E: '', F: 'a=b#c', G: 'é ü', H: "'sq'", I: 'x # y' },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'conf', labels },
      immutable: true,
      data: { 'app.yaml': 'server:\n  port: 80\n', '.hidden': 'h', _hidden: 'u', 'no-newline': 'x\n\ny' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', labels },
      type: 'Opaque',
      data: { TOKEN: Buffer.from('tok', 'utf8').toString('base64') },
      stringData: { PASSWORD: '<set-me: password>' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tls' },
      type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': '-----BEGIN CERTIFICATE-----\nx\n', 'tls.key': '<set-me: key>' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'binary' },
      type: 'Opaque',
      data: { blob: Buffer.from([0xff, 0xfe, 0x00]).toString('base64') },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api', labels },
      spec: {
        containers: [
          {
            name: 'api',
            image: 'nginx:1',
            envFrom: [{ configMapRef: { name: 'api-env' } }, { secretRef: { name: 'creds' } }],
            env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'creds', key: 'TOKEN' } } }],
            volumeMounts: [
              { name: 'conf', mountPath: '/etc/app' },
              { name: 'tls', mountPath: '/tls' },
              { name: 'bin', mountPath: '/bin-data' },
            ],
          },
        ],
        volumes: [
          { name: 'conf', configMap: { name: 'conf' } },
          { name: 'tls', secret: { secretName: 'tls' } },
          { name: 'bin', secret: { secretName: 'binary' } },
        ],
      },
    },
  ] as unknown as KubeObject[];

  it('env files and per-key files carry every value exactly; non-UTF-8 data stays a plain Secret', () => {
    const files = renderKustomize(objects);
    const env = files.find((f) => f.path === 'configmap-api-env.env')!.content;
    expect(env).toContain('B= lead\n');
    // Multi-line values and keys starting with a dot are files; the binary Secret is a resource.
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['configmap-conf/app.yaml', 'configmap-conf/_.hidden', 'secret-binary.yaml']),
    );
    const dir = writeTree(files);
    dirs.push(dir);
    const raw = build(dir);
    const { built, expected, hashed } = modGeneratorHashes(raw, parseStream(renderYaml(objects)));
    expect(byRef(built)).toEqual(byRef(expected));
    expect([...hashed.values()].sort()).toEqual(['api-env', 'conf', 'creds', 'tls']);
    expect(nameRefs(raw).filter((n) => [...hashed.values()].includes(n))).toEqual([]);
  });

  it('a changed value changes the generated name (the pod template changes, so the pods roll)', () => {
    const changed = objects.map((o) =>
      o.metadata.name === 'api-env' && o.kind === 'ConfigMap'
        ? ({ ...o, data: { ...(o as unknown as { data: object }).data, A: 'other' } } as unknown as KubeObject)
        : o,
    );
    const names = (objs: KubeObject[]): string[] => {
      const dir = writeTree(renderKustomize(objs));
      dirs.push(dir);
      const pod = build(dir).find((o) => o.kind === 'Pod')!;
      return nameRefs([pod]);
    };
    const before = names(objects);
    const after = names(changed);
    expect(after).not.toEqual(before);
    expect(after.filter((n) => before.includes(n)).length).toBe(before.length - 1);
  });
});

describe.runIf(toolAvailable('kubectl'))('generators a Job reads', () => {
  const pod = (envFrom: object[]): object => ({
    spec: { containers: [{ name: 'c', image: 'alpine:3', envFrom }], restartPolicy: 'Never' },
  });
  const objects = (mode: string, password: string): KubeObject[] =>
    [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'init-env' }, data: { MODE: mode } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { PASSWORD: password } },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'init' },
        spec: { template: pod([{ configMapRef: { name: 'init-env' } }, { secretRef: { name: 'creds' } }]) },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'db' },
        spec: {
          selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' } }, ...pod([{ secretRef: { name: 'creds' } }]) },
        },
      },
    ] as unknown as KubeObject[];
  const job = (objs: KubeObject[]): Obj => {
    const dir = writeTree(renderKustomize(objs));
    dirs.push(dir);
    return build(dir).find((o) => o.kind === 'Job')!;
  };

  it('one only Jobs read keeps its name, so a changed value leaves the immutable Job template as it was', () => {
    const files = renderKustomize(objects('setup', 'a'));
    const k = parse(files[0]!.content) as { configMapGenerator: object[]; secretGenerator: object[] };
    expect(k.configMapGenerator[0]).toMatchObject({ name: 'init-env', options: { disableNameSuffixHash: true } });
    expect(k.secretGenerator[0]).not.toHaveProperty('options.disableNameSuffixHash');
    expect(nameRefs([job(objects('setup', 'a'))])).toContain('init-env');
    expect(job(objects('other', 'a'))).toEqual(job(objects('setup', 'a')));
  });

  it('one a Deployment shares keeps its hash (the Deployment rolls); the Job is named in the kustomization and by jobsOnHashedConfig', () => {
    expect(job(objects('setup', 'b'))).not.toEqual(job(objects('setup', 'a')));
    expect([...jobsOnHashedConfig(objects('setup', 'a'))]).toEqual([['init', ['Secret/creds']]]);
    expect(jobsOnHashedConfig(objects('setup', 'a'), { generators: false }).size).toBe(0);
    expect(renderKustomize(objects('setup', 'a'))[0]!.content).toContain(
      'delete them before kubectl apply -k (they then run again): Job/init (Secret/creds).',
    );
  });
});
