/**
 * Environments as Kustomize overlays, checked with the real `kubectl kustomize`: for each override file,
 * `overlays/NAME` builds to exactly the objects of a plain conversion of base + override.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { convert, type KubeObject } from '../../src/index.js';
import { memoryFs } from '../../src/load/fs.js';
import { diffJson, renderKustomizeOverlays } from '../../src/render/overlays.js';
import { renderYaml } from '../../src/render/yaml.js';
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

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const BASE = `
name: shop
services:
  web:
    image: ghcr.io/example/web:1.0
    ports: ["8080:80"]
    environment:
      MODE: dev
    depends_on: [api]
  api:
    image: ghcr.io/example/api:1.0
    expose: ["9000"]
    environment:
      LOG_LEVEL: debug
  db:
    image: postgres:16
    volumes: [pgdata:/var/lib/postgresql/data]
  debug:
    image: busybox
    command: ["sleep", "infinity"]
    profiles: [debug]
volumes:
  pgdata:
`;

const PROD = `
services:
  web:
    image: ghcr.io/example/web:1.4
    environment:
      MODE: production
      CDN_URL: https://cdn.example.com
    deploy:
      replicas: 3
      resources:
        limits: {cpus: "1", memory: 512M}
  api:
    ports: ["9443:9000"]
    environment:
      LOG_LEVEL: !reset null
  cache:
    image: redis:7
`;

const DEV = `
services:
  web:
    ports: !reset []
  api:
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost:9000/health"]
`;

const files = { '/p/compose.yaml': BASE, '/p/compose.prod.yaml': PROD, '/p/compose.dev.yaml': DEV };

function objects(paths: string[], profiles: string[] = []): KubeObject[] {
  const r = convert({ files: paths, workingDir: '/p', fs: memoryFs(files), env: {}, profiles });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.objects;
}

describe('JSON 6902 diff', () => {
  it('adds, removes and replaces; patches same-length lists item by item and replaces the others', () => {
    expect(diffJson({ a: 1, b: { c: 2 }, l: [1, 2] }, { b: { c: 3, d: 'x/y' }, l: [1, 5], n: null })).toEqual([
      { op: 'remove', path: '/a' },
      { op: 'replace', path: '/b/c', value: 3 },
      { op: 'add', path: '/b/d', value: 'x/y' },
      { op: 'replace', path: '/l/1', value: 5 },
      { op: 'add', path: '/n', value: null },
    ]);
    expect(diffJson({ l: [1] }, { l: [1, 2] })).toEqual([{ op: 'replace', path: '/l', value: [1, 2] }]);
    expect(diffJson({ 'a/b~c': 1 }, { 'a/b~c': 2 })).toEqual([{ op: 'replace', path: '/a~1b~0c', value: 2 }]);
    expect(diffJson({ x: [{ y: 1 }] }, { x: [{ y: 1 }] })).toEqual([]);
  });
});

describe.skipIf(!toolAvailable('kubectl'))('kustomize overlays', () => {
  const envs = [
    { name: 'prod', files: ['/p/compose.yaml', '/p/compose.prod.yaml'], profiles: [] as string[] },
    { name: 'dev', files: ['/p/compose.yaml', '/p/compose.dev.yaml'], profiles: ['debug'] },
  ];
  for (const [namespace, generators] of [
    [undefined, true],
    ['shop', true],
    ['shop', false],
  ] as const) {
    it(`each overlay builds to the plain conversion of base + override${namespace ? ' (with a namespace)' : ''}${generators ? '' : ' (plain ConfigMaps)'}`, () => {
      const opts = namespace ? { namespace } : {};
      const conv = (paths: string[], profiles: string[] = []): KubeObject[] => {
        const r = convert({ files: paths, workingDir: '/p', fs: memoryFs(files), env: {}, profiles, options: opts });
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        return r.objects;
      };
      const base = conv(['/p/compose.yaml']);
      const rendered = renderKustomizeOverlays(
        base,
        envs.map((e) => ({ name: e.name, objects: conv(e.files, e.profiles) })),
        { ...opts, generators },
      );
      const dir = writeTree(rendered);
      dirs.push(dir);
      for (const e of envs) {
        const r = runTool('kubectl', ['kustomize', `${dir}/overlays/${e.name}`]);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const raw = parseStream(r.stdout);
        const { built, expected, hashed } = modGeneratorHashes(raw, parseStream(renderYaml(conv(e.files, e.profiles))));
        expect(byRef(built)).toEqual(byRef(expected));
        expect(hashed.size > 0).toBe(generators);
        const plainNames = new Set(hashed.values());
        expect(nameRefs(raw).filter((n) => plainNames.has(n))).toEqual([]);
      }
      const base2 = modGeneratorHashes(
        parseStream(runTool('kubectl', ['kustomize', `${dir}/base`]).stdout),
        parseStream(renderYaml(base)),
      );
      expect(byRef(base2.built)).toEqual(byRef(base2.expected));
    });
  }

  it('an overlay holds only what its environment changes', () => {
    const rendered = renderKustomizeOverlays(objects(['/p/compose.yaml']), [
      { name: 'prod', objects: objects(['/p/compose.yaml', '/p/compose.prod.yaml']) },
    ]);
    const paths = rendered.map((f) => f.path).filter((p) => p.startsWith('overlays/prod/'));
    expect(paths).toContain('overlays/prod/kustomization.yaml');
    // The new cache service comes as resources; web's Deployment and ConfigMap as patches; db is untouched.
    expect(paths.some((p) => /overlays\/prod\/[^/]*cache[^/]*\.yaml$/.test(p))).toBe(true);
    expect(paths.some((p) => p.startsWith('overlays/prod/patches/') && p.includes('web'))).toBe(true);
    expect(paths.some((p) => p.includes('/patches/') && /-db[.-]/.test(p))).toBe(false);
    const k = rendered.find((f) => f.path === 'overlays/prod/kustomization.yaml')!.content;
    expect(k).toContain('- ../../base');
    const unchanged = renderKustomizeOverlays(objects(['/p/compose.yaml']), [
      { name: 'same', objects: objects(['/p/compose.yaml']) },
    ]);
    expect(unchanged.filter((f) => f.path.startsWith('overlays/same/')).map((f) => f.path)).toEqual([
      'overlays/same/kustomization.yaml',
    ]);
  });
});

export type { Obj };

describe.skipIf(!toolAvailable('kubectl'))('strategic-merge patches, images and deletions', () => {
  const deployment = (
    image: string,
    containerPatch: Record<string, unknown> = {},
    extra: Record<string, unknown> = {},
  ) =>
    ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'web',
                image,
                args: ['--a'],
                ports: [{ containerPort: 80, name: 'http' }],
                env: [
                  { name: 'A', value: '1' },
                  { name: 'B', value: '2' },
                ],
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
                ...containerPatch,
              },
              { name: 'side', image: 'busybox:1.36', command: ['sleep', 'infinity'] },
            ],
            volumes: [{ name: 'data', emptyDir: {} }],
            ...extra,
          },
        },
      },
    }) as unknown as KubeObject;
  const service = (ports: Array<{ port: number; name: string }>) =>
    ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: ports.map((p) => ({ ...p, targetPort: p.port })) },
    }) as unknown as KubeObject;
  const base = [service([{ port: 80, name: 'http' }]), deployment('ghcr.io/x/web:1.0')];

  const cases: Array<{ name: string; env: KubeObject[]; json: boolean; images?: boolean }> = [
    {
      name: 'values-and-appends',
      env: [
        service([
          { port: 80, name: 'http' },
          { port: 443, name: 'https' },
        ]),
        deployment('ghcr.io/x/web:1.0', {
          args: ['--a', '--b'],
          ports: [
            { containerPort: 80, name: 'http' },
            { containerPort: 443, name: 'https' },
          ],
          env: [
            { name: 'A', value: '10' },
            { name: 'B', value: '2' },
            { name: 'C', value: '3' },
          ],
          resources: { limits: { memory: '1Gi' } },
        }),
      ],
      json: false,
    },
    {
      name: 'removals',
      env: [
        service([{ port: 80, name: 'http' }]),
        deployment('ghcr.io/x/web:1.0', { env: [{ name: 'B', value: '2' }], volumeMounts: [] }, { volumes: [] }),
      ],
      json: false,
    },
    {
      name: 'mid-insert',
      env: [
        service([{ port: 80, name: 'http' }]),
        deployment('ghcr.io/x/web:1.0', {
          env: [
            { name: 'A', value: '1' },
            { name: 'Z', value: '0' },
            { name: 'B', value: '2' },
          ],
        }),
      ],
      json: true,
    },
    {
      name: 'image-tag',
      env: [service([{ port: 80, name: 'http' }]), deployment('ghcr.io/x/web:2.0')],
      json: false,
      images: true,
    },
    {
      name: 'image-digest',
      env: [service([{ port: 80, name: 'http' }]), deployment('ghcr.io/x/web@sha256:' + 'a'.repeat(64))],
      json: false,
      images: false,
    },
    { name: 'deleted', env: [deployment('ghcr.io/x/web:1.0')], json: false },
  ];

  it.each(cases)('$name: the overlay builds to the environment', ({ name, env, json, images }) => {
    const rendered = renderKustomizeOverlays(base, [{ name, objects: env }]);
    const dir = writeTree(rendered);
    dirs.push(dir);
    const r = runTool('kubectl', ['kustomize', `${dir}/overlays/${name}`]);
    expect(r.stderr).toBe('');
    expect(byRef(parseStream(r.stdout))).toEqual(byRef(parseStream(renderYaml(env))));
    const paths = rendered.map((f) => f.path);
    expect(paths.some((p) => p.endsWith('.json6902.yaml'))).toBe(json);
    const k = rendered.find((f) => f.path === `overlays/${name}/kustomization.yaml`)!.content;
    if (images !== undefined) expect(/^images:/m.test(k)).toBe(images);
    // Strategic patches name the changed fields only: the sidecar is never in them.
    for (const f of rendered.filter((x) => x.path.includes('/patches/deployment-web.yaml')))
      expect(f.content).not.toContain('busybox');
  });

  // The converter writes each port's protocol. Kustomize merges Service and container ports by port and protocol
  // (their list-map keys), so a patch item without its protocol matched nothing: appwrite's override publishes
  // postgres's image port, the Service's targetPort became the named container port in the plain conversion but
  // stayed 5432 in the overlay.
  it('ports with a protocol: changed, kept and removed items reach the overlay', () => {
    const svc = (ports: Array<Record<string, unknown>>) =>
      ({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'db' },
        spec: { selector: { app: 'db' }, ports: ports.map((p) => ({ protocol: 'TCP', ...p })) },
      }) as unknown as KubeObject;
    const sts = (ports: Array<Record<string, unknown>>) =>
      ({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: {
          selector: { matchLabels: { app: 'db' } },
          serviceName: 'db',
          template: {
            metadata: { labels: { app: 'db' } },
            spec: {
              containers: [{ name: 'db', image: 'postgres:16', ports: ports.map((p) => ({ ...p, protocol: 'TCP' })) }],
            },
          },
        },
      }) as unknown as KubeObject;
    const base = [
      svc([
        { name: 'tcp-5432', port: 5432, targetPort: 5432 },
        { name: 'tcp-9187', port: 9187, targetPort: 9187 },
        { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
      ]),
      sts([{ containerPort: 5432 }, { containerPort: 9187, name: 'metrics' }]),
    ];
    const env = [
      svc([
        { name: 'tcp-5432', port: 5432, targetPort: 'tcp-5432' },
        { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
      ]),
      sts([{ containerPort: 5432, name: 'tcp-5432' }]),
    ];
    // The same port under another protocol: another item to Kustomize, the same one to Kubernetes (replaced).
    const udp = [
      svc([
        { name: 'tcp-5432', port: 5432, targetPort: 5432 },
        { name: 'tcp-9187', port: 9187, targetPort: 9187 },
        { name: 'tcp-53', port: 53, targetPort: 53 },
      ]),
      base[1]!,
    ];
    // A new port: Kustomize lists it before the base's items whatever the patch's order (JSON 6902 then).
    const added = [
      svc([
        { name: 'tcp-5432', port: 5432, targetPort: 5432 },
        { name: 'tcp-9187', port: 9187, targetPort: 9187 },
        { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
        { name: 'tcp-5433', port: 5433, targetPort: 5433 },
      ]),
      sts([{ containerPort: 5432 }, { containerPort: 9187, name: 'metrics' }, { containerPort: 5433 }]),
    ];
    const envs = { ports: env, protocol: udp, added };
    const rendered = renderKustomizeOverlays(
      base,
      Object.entries(envs).map(([name, objects]) => ({ name, objects })),
    );
    const dir = writeTree(rendered);
    dirs.push(dir);
    for (const [name, objects] of Object.entries(envs)) {
      const r = runTool('kubectl', ['kustomize', `${dir}/overlays/${name}`]);
      expect(r.stderr).toBe('');
      expect(byRef(parseStream(r.stdout))).toEqual(byRef(parseStream(renderYaml(objects))));
    }
  });
});

describe.skipIf(!toolAvailable('kubectl'))('generators in overlays', () => {
  const cm = (name: string, data: Record<string, string>, labels: Record<string, string> = { app: 'web' }) =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data }) as unknown as KubeObject;
  const secret = (name: string, stringData: Record<string, string>) =>
    ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', stringData }) as unknown as KubeObject;
  const pod = (refs: string[]) =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1',
            envFrom: refs.map((r) =>
              r.startsWith('s:') ? { secretRef: { name: r.slice(2) } } : { configMapRef: { name: r } },
            ),
          },
        ],
      },
    }) as unknown as KubeObject;
  const base = [
    cm('web-env', { A: '1', B: '2' }),
    cm('extra', { X: 'x' }),
    secret('web-secret', { TOKEN: '<set-me: TOKEN>' }),
    pod(['web-env', 'extra', 's:web-secret']),
  ];
  const cases: Array<{ name: string; env: KubeObject[]; behavior: RegExp }> = [
    {
      name: 'merge',
      env: [
        cm('web-env', { A: '10', B: '2', C: '3' }),
        cm('extra', { X: 'x' }),
        secret('web-secret', { TOKEN: '<set-me: TOKEN>', K: '<set-me: K>' }),
        pod(['web-env', 'extra', 's:web-secret']),
      ],
      behavior: /behavior: merge[\s\S]*behavior: merge/,
    },
    {
      name: 'replace',
      env: [
        cm('web-env', { A: '1' }),
        cm('extra', { X: 'x' }, { app: 'other' }),
        secret('web-secret', { TOKEN: '<set-me: TOKEN>' }),
        pod(['web-env', 'extra', 's:web-secret']),
      ],
      behavior: /behavior: replace[\s\S]*behavior: replace/,
    },
    {
      name: 'added-and-deleted',
      env: [
        cm('web-env', { A: '1', B: '2' }),
        cm('new-env', { N: 'n' }),
        secret('web-secret', { TOKEN: '<set-me: TOKEN>' }),
        pod(['web-env', 'new-env', 's:web-secret']),
      ],
      behavior: /configMapGenerator:\n {2}- name: new-env\n/,
    },
  ];
  it.each(cases)('$name: the overlay builds to the environment, references hashed', ({ name, env, behavior }) => {
    const rendered = renderKustomizeOverlays(base, [{ name, objects: env }]);
    const k = rendered.find((f) => f.path === `overlays/${name}/kustomization.yaml`)!.content;
    expect(k).toMatch(behavior);
    // The merge holds only the changed and added keys.
    if (name === 'merge')
      expect(rendered.find((f) => f.path === `overlays/${name}/configmap-web-env.env`)!.content).toBe('A=10\nC=3\n');
    const dir = writeTree(rendered);
    dirs.push(dir);
    const r = runTool('kubectl', ['kustomize', `${dir}/overlays/${name}`]);
    expect(r.stderr).toBe('');
    const raw = parseStream(r.stdout);
    const { built, expected, hashed } = modGeneratorHashes(raw, parseStream(renderYaml(env)));
    expect(byRef(built)).toEqual(byRef(expected));
    expect(nameRefs(raw).filter((n) => [...hashed.values()].includes(n))).toEqual([]);
    // The base's hashes differ from the overlay's for what changed: the pod's references change, so it rolls.
    const baseBuilt = parseStream(runTool('kubectl', ['kustomize', `${dir}/base`]).stdout);
    const podRefs = (objs: Obj[]) => nameRefs(objs.filter((o) => o.kind === 'Pod'));
    expect(podRefs(raw)).not.toEqual(podRefs(baseBuilt));
  });
});

describe.skipIf(!toolAvailable('kubectl'))('secrets an overlay changes', () => {
  // With the profile, TURN_SECRET is shared by app and talk: it moves from app's Secret to the project Secret.
  const compose = [
    'name: demo',
    'services:',
    '  app:',
    '    image: nginx:1.27',
    '    environment: { ADMIN_PASSWORD: "${ADMIN_PASSWORD}", TURN_SECRET: "${TURN_SECRET}" }',
    '  talk:',
    '    image: nginx:1.27',
    '    profiles: [talk]',
    '    environment: { TURN_SECRET: "${TURN_SECRET}" }',
  ].join('\n');
  const conv = (profiles: string[]): KubeObject[] => {
    const fs = memoryFs({ '/p/compose.yaml': compose });
    const r = convert({
      files: ['/p/compose.yaml'],
      workingDir: '/p',
      fs,
      env: { ADMIN_PASSWORD: 'a', TURN_SECRET: 't' },
      profiles,
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return r.objects;
  };

  it('a value filled in the base reaches the overlay: the overlay merges only the keys it adds or changes', () => {
    const rendered = renderKustomizeOverlays(conv([]), [{ name: 'talk', objects: conv(['talk']) }]);
    const base = rendered.find((f) => f.path === 'base/secret-app-env-secret.env')!;
    expect(base.content).toContain('ADMIN_PASSWORD=<set-me: ADMIN_PASSWORD>');
    base.content = base.content.replace('<set-me: ADMIN_PASSWORD>', 'RealPw');
    const k = rendered.find((f) => f.path === 'overlays/talk/kustomization.yaml')!.content;
    expect(k).not.toContain('behavior: replace');
    expect(rendered.some((f) => f.path.startsWith('overlays/talk/') && f.content.includes('ADMIN_PASSWORD'))).toBe(
      false,
    );
    const dir = writeTree(rendered);
    dirs.push(dir);
    const r = runTool('kubectl', ['kustomize', `${dir}/overlays/talk`]);
    expect(r.stderr).toBe('');
    const secret = parseStream(r.stdout).find(
      (o) => o.kind === 'Secret' && o.metadata.name.startsWith('app-env-secret'),
    );
    const data = secret!['data'] as Record<string, string>;
    expect(Buffer.from(data['ADMIN_PASSWORD']!, 'base64').toString()).toBe('RealPw');
    // The key the environment moved to the project Secret is dropped (a JSON 6902 patch of the generated Secret).
    expect(Object.keys(data)).toEqual(['ADMIN_PASSWORD']);
  });
});
