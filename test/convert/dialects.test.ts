import { describe, expect, test } from 'vitest';
import { convert as convertLean, type ConvertOutput } from '../../src/browser.js';
import { convert, TEXTS } from '../../src/index.js';
import { DIALECTS, dockerLabels, dockerfile, kompose, ofelia, xk8s } from '../../src/dialects.js';
import { memoryFs } from '../../src/load/fs.js';

/** Every dialect has something to read here: kompose labels (service, deploy, volume), x-k8s, Traefik, ofelia. */
const COMPOSE = `name: shop
x-k8s:
  namespace: shop
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    labels:
      kompose.service.type: NodePort
      traefik.http.routers.web.rule: Host(\`shop.example.com\`)
      ofelia.job-exec.clean.schedule: "@every 1h"
      ofelia.job-exec.clean.command: rm -rf /tmp/cache
      kompose.version: "1.34"
    deploy:
      labels:
        kompose.service.expose: shop.example.com
    x-k8s:
      replicas: 2
    volumes: [data:/data]
  ofelia:
    image: mcuadros/ofelia:latest
    command: daemon --docker
    volumes: [/var/run/docker.sock:/var/run/docker.sock:ro]
volumes:
  data:
    labels:
      kompose.volume.size: 5Gi
    x-k8s:
      size: 5Gi
`;

const files = [{ path: '/app/compose.yaml', content: COMPOSE }];

const notLoaded = (out: ConvertOutput): Array<[string | undefined, string, unknown]> =>
  out.report!.entries.filter((e) => e.id === 'report.dialect-not-loaded').map((e) => [e.service, e.key, e.values]);

const kinds = (out: ConvertOutput): string[] => out.objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe('input dialects', () => {
  test('the lean entry without dialects reports each label and key one would read as not loaded', () => {
    const out = convertLean({ files });
    const web = (what: string, dialect: string, key = what.replace(/^label /, 'labels.')) =>
      ['web', key, { what, dialect }] as const;
    expect(notLoaded(out)).toEqual(
      expect.arrayContaining([
        web('label kompose.service.type', 'kompose'),
        ['web', 'deploy.labels.kompose.service.expose', { what: 'label kompose.service.expose', dialect: 'kompose' }],
        web('label traefik.http.routers.web.rule', 'docker-labels'),
        web('label ofelia.job-exec.clean.schedule', 'ofelia'),
        web('label ofelia.job-exec.clean.command', 'ofelia'),
        ['web', 'x-k8s', { what: 'key x-k8s', dialect: 'x-k8s' }],
        [
          undefined,
          'volumes.data.labels.kompose.volume.size',
          { what: 'label kompose.volume.size', dialect: 'kompose' },
        ],
        [undefined, 'volumes.data.x-k8s', { what: 'key x-k8s', dialect: 'x-k8s' }],
        [undefined, 'x-k8s', { what: 'key x-k8s', dialect: 'x-k8s' }],
      ]),
    );
    // kompose's own generated label is harmless (no entry with or without the dialect); nothing else is listed.
    expect(notLoaded(out)).toHaveLength(9);
    for (const e of out.report!.entries.filter((x) => x.id === 'report.dialect-not-loaded'))
      expect(e.status).toBe('unsupported');
    // Not read: no NodePort, no x-k8s replicas or namespace, no CronJob.
    expect(kinds(out)).not.toContain('CronJob/web-clean');
    const svc = out.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'web');
    expect((svc?.spec as { type?: string }).type).toBe('ClusterIP');
    expect(svc?.metadata.namespace).toBeUndefined();
  });

  test('one entry per key: the not-loaded entries own their keys alone', () => {
    const out = convertLean({ files });
    const keys = out.report!.entries.map((e) => `${e.service ?? ''}\0${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('worded with the texts: the message names the dialect, the fix says to pass it', () => {
    const out = convertLean({ files, texts: TEXTS });
    const e = out.report!.entries.find((x) => x.service === 'web' && x.key === 'labels.kompose.service.type')!;
    expect(e.message).toBe(
      'label kompose.service.type is read by the kompose dialect, which this conversion was not given: not converted',
    );
    expect(e.fix).toContain("pass the kompose dialect to convert (import { DIALECTS } from 'compose2k8s/dialects'");
  });

  test('the lean entry with every dialect converts as the Node entry does', () => {
    const node = convert({ files });
    const lean = convertLean({ files, texts: TEXTS, dialects: DIALECTS });
    expect(notLoaded(node)).toEqual([]);
    expect(kinds(node)).toContain('CronJob/web-clean');
    expect(JSON.stringify(lean.objects)).toBe(JSON.stringify(node.objects));
    expect(JSON.stringify(lean.report)).toBe(JSON.stringify(node.report));
    expect(JSON.stringify(lean.diagnostics)).toBe(JSON.stringify(node.diagnostics));
  });

  test('some dialects: those given are read, the others reported', () => {
    const out = convertLean({ files, dialects: [kompose, ofelia] });
    const svc = out.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'web');
    expect((svc?.spec as { type?: string }).type).toBe('NodePort');
    expect(kinds(out)).toContain('CronJob/web-clean');
    expect(new Set(notLoaded(out).map(([, , v]) => (v as { dialect: string }).dialect))).toEqual(
      new Set(['x-k8s', 'docker-labels']),
    );
    // Each dialect alone reads only its own.
    for (const d of [kompose, xk8s, dockerLabels, ofelia, dockerfile]) {
      const one = convertLean({ files, dialects: [d] });
      expect(notLoaded(one).some(([, , v]) => (v as { dialect: string }).dialect === d.name)).toBe(false);
      expect(notLoaded(one).length).toBeGreaterThan(0);
    }
  });

  test('the Node entry can be told to read fewer dialects', () => {
    const out = convert({ files, dialects: [] });
    expect(notLoaded(out)).toHaveLength(9);
  });
});

/** Built services: a Dockerfile in the context, a dockerfile_inline, a remote context, a context without a Dockerfile. */
const BUILT = `name: shop
services:
  db:
    build: ./db
    environment: { POSTGRES_PASSWORD: example }
    volumes: [pg:/var/lib/postgresql/data]
  app:
    build: { context: ./app, dockerfile_inline: "FROM node:20\\nUSER node\\n" }
  remote:
    build: https://github.com/example/remote.git
  bare:
    build: ./bare
volumes: { pg: {} }
`;

describe('the dockerfile dialect', () => {
  const built = {
    files: [{ path: '/app/compose.yaml', content: BUILT }],
    fs: memoryFs({ '/app/db/Dockerfile': 'FROM postgres:16\n' }),
  };
  const kind = (out: ConvertOutput, name: string) =>
    out.objects.find((o) => o.metadata.name === name && (o.kind === 'Deployment' || o.kind === 'StatefulSet'))?.kind;

  test('without it, each Dockerfile there is to read has one entry, and the heuristics see only `image:`', () => {
    const out = convertLean(built);
    expect(notLoaded(out)).toEqual([
      ['db', 'build.dockerfile', { what: 'Dockerfile db/Dockerfile', dialect: 'dockerfile' }],
      ['app', 'build.dockerfile_inline', { what: 'key build.dockerfile_inline', dialect: 'dockerfile' }],
    ]);
    // Not read: the postgres base image would make db a StatefulSet.
    expect(kind(out, 'db')).toBe('Deployment');
  });

  test('with it, the base image decides as in the Node entry, and nothing is reported as not loaded', () => {
    const node = convert(built);
    for (const dialects of [DIALECTS, [dockerfile]]) {
      const lean = convertLean({ ...built, texts: TEXTS, dialects });
      expect(notLoaded(lean)).toEqual([]);
      expect(kind(lean, 'db')).toBe('StatefulSet');
      expect(JSON.stringify(lean.objects)).toBe(JSON.stringify(node.objects));
    }
  });
});

/** Every setting the dialects' override applier applies, from x-k8s and from kompose labels. */
const APPLIED = `name: shop
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost/"]
    labels:
      kompose.service.healthcheck.liveness.tcp_port: "80"
      kompose.service.healthcheck.readiness.http_get_path: /ready
      kompose.image-pull-policy: Always
    x-k8s:
      serviceAccount: web
      imagePullSecrets: [regcred]
      fsGroup: 1000
      resources: { limits: { memory: 256Mi } }
      probes:
        readiness: { http: /healthz, period: 5s }
      initContainers:
        - { name: migrate, image: nginx:1.27, command: ["sh", "-c", "echo migrate"] }
      hpa: { minReplicas: 2, maxReplicas: 4, cpu: 70 }
      patches:
        - { op: add, path: /spec/revisionHistoryLimit, value: 2 }
    volumes: [html:/usr/share/nginx/html]
volumes:
  html:
    x-k8s:
      seed: true
`;

describe('applying the overrides (the applier kompose and x-k8s carry)', () => {
  const applied = [{ path: '/app/compose.yaml', content: APPLIED }];
  const deployment = (out: ConvertOutput) =>
    out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web') as unknown as {
      spec: {
        revisionHistoryLimit?: number;
        template: {
          spec: {
            serviceAccountName?: string;
            imagePullSecrets?: Array<{ name: string }>;
            securityContext?: { fsGroup?: number };
            initContainers?: Array<{ name: string }>;
            containers: Array<{
              imagePullPolicy?: string;
              resources?: { limits?: Record<string, string> };
              readinessProbe?: { httpGet?: { path: string }; periodSeconds?: number };
              livenessProbe?: { tcpSocket?: { port: number }; exec?: unknown };
            }>;
          };
        };
      };
    };

  test('the lean entry with every dialect applies each setting as the Node entry does', () => {
    const node = convert({ files: applied });
    const lean = convertLean({ files: applied, texts: TEXTS, dialects: DIALECTS });
    expect(JSON.stringify(lean.objects)).toBe(JSON.stringify(node.objects));
    expect(JSON.stringify(lean.report)).toBe(JSON.stringify(node.report));
    expect(JSON.stringify(lean.diagnostics)).toBe(JSON.stringify(node.diagnostics));
    // Each setting shaped the output: not a comparison of two outputs that both lack them.
    const d = deployment(node);
    const pod = d.spec.template.spec;
    const c = pod.containers[0]!;
    expect(pod.serviceAccountName).toBe('web');
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(pod.securityContext?.fsGroup).toBe(1000);
    expect(pod.initContainers?.map((i) => i.name)).toEqual(['seed-html', 'migrate']);
    expect(c.imagePullPolicy).toBe('Always');
    expect(c.resources?.limits?.memory).toBe('256Mi');
    expect(c.readinessProbe?.httpGet?.path).toBe('/healthz');
    expect(c.readinessProbe?.periodSeconds).toBe(5);
    expect(c.livenessProbe?.tcpSocket?.port).toBe(80);
    expect(d.spec.revisionHistoryLimit).toBe(2);
    expect(kinds(node)).toContain('HorizontalPodAutoscaler/web');
  });

  test('kompose and x-k8s together apply each setting once, and each probe setting has one entry', () => {
    const out = convertLean({ files: applied, dialects: [kompose, xk8s] });
    const codes = out.diagnostics.map((x) => x.code);
    expect(codes).not.toContain('duplicate-object');
    expect(codes).not.toContain('init-container-name-taken');
    expect(kinds(out).filter((k) => k.startsWith('HorizontalPodAutoscaler/'))).toEqual(['HorizontalPodAutoscaler/web']);
    expect(deployment(out).spec.template.spec.initContainers?.map((i) => i.name)).toEqual(['seed-html', 'migrate']);
    const probeEntries = out.report!.entries.filter(
      (e) => e.key === 'x-k8s.probes.readiness' || e.key === 'labels.kompose.service.healthcheck.liveness.tcp_port',
    );
    expect(probeEntries.map((e) => [e.key, e.id])).toEqual([
      ['labels.kompose.service.healthcheck.liveness.tcp_port', 'labels.kompose.probe-set'],
      ['x-k8s.probes.readiness', 'x-k8s.probes-set'],
    ]);
  });

  test('a probe setting of a dialect not passed has only its not-loaded entry, not a probe entry', () => {
    // Both dialects set the readiness probe: each key is a source of it only when its dialect was passed.
    const entry = (out: ConvertOutput, key: string) =>
      out.report!.entries.filter((e) => e.service === 'web' && e.key === key).map((e) => e.id);
    const label = 'labels.kompose.service.healthcheck.readiness.http_get_path';
    const both = convertLean({ files: applied, dialects: [kompose, xk8s] });
    expect(entry(both, label)).toEqual(['labels.kompose.probe-set']);
    expect(entry(both, 'x-k8s.probes.readiness')).toEqual(['x-k8s.probes-set']);
    const onlyXk8s = convertLean({ files: applied, dialects: [xk8s] });
    expect(entry(onlyXk8s, label)).toEqual(['report.dialect-not-loaded']);
    expect(entry(onlyXk8s, 'x-k8s.probes.readiness')).toEqual(['x-k8s.probes-set']);
    const onlyKompose = convertLean({ files: applied, dialects: [kompose] });
    expect(deployment(onlyKompose).spec.template.spec.containers[0]!.readinessProbe?.httpGet?.path).toBe('/ready');
    expect(entry(onlyKompose, label)).toEqual(['labels.kompose.probe-set']);
    expect(entry(onlyKompose, 'x-k8s.probes.readiness')).toEqual([]);
    expect(entry(onlyKompose, 'x-k8s')).toEqual(['report.dialect-not-loaded']);
  });

  test('the lean entry without dialects applies none of them and reports the keys as not loaded', () => {
    const out = convertLean({ files: applied });
    const pod = deployment(out).spec.template.spec;
    const c = pod.containers[0]!;
    expect(pod.serviceAccountName).toBeUndefined();
    expect(pod.imagePullSecrets).toBeUndefined();
    expect(pod.securityContext?.fsGroup).toBeUndefined();
    expect(pod.initContainers).toBeUndefined();
    expect(c.imagePullPolicy).not.toBe('Always');
    expect(c.readinessProbe?.httpGet?.path).toBe('/');
    expect(c.livenessProbe?.tcpSocket).toBeUndefined();
    expect(deployment(out).spec.revisionHistoryLimit).toBeUndefined();
    expect(kinds(out).some((k) => k.startsWith('HorizontalPodAutoscaler/'))).toBe(false);
    expect(notLoaded(out).map(([service, key]) => `${service ?? ''}:${key}`)).toEqual(
      expect.arrayContaining(['web:x-k8s', ':volumes.html.x-k8s', 'web:labels.kompose.image-pull-policy']),
    );
    expect(out.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  });
});
