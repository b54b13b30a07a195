import { describe, expect, test } from 'vitest';
import { convert as convertLean, type ConvertOutput } from '../../src/browser.js';
import { convert, TEXTS } from '../../src/index.js';
import { DIALECTS, dockerLabels, kompose, ofelia, xk8s } from '../../src/dialects.js';

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
    for (const d of [kompose, xk8s, dockerLabels, ofelia]) {
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
