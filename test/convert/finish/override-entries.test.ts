/** Report entries for kompose labels and x-k8s keys: one per key, with the objects it shaped. */
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import type { ReportEntry } from '../../../src/report/entry.js';

function report(yaml: string): ReportEntry[] {
  const r = convert({ files: ['compose.yaml'], workingDir: '/p', fs: memoryFs({ '/p/compose.yaml': yaml }) });
  expect(r.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
  return r.report!.entries;
}
const find = (es: ReportEntry[], service: string | undefined, key: string) =>
  es.find((e) => e.service === service && e.key === key);

describe('report entries for kompose labels', () => {
  const entries = report(`services:
  web:
    image: nginx
    ports: ["80:80"]
    labels:
      kompose.service.type: nodeport
      kompose.service.expose: shop.example.com
      kompose.image-pull-policy: Sometimes
      kompose.made.up: "1"
      kompose.service.tyep: nodeport
      other.label: x
    deploy:
      labels:
        kompose.ephemeral-storage.limit: 1Gi
  worker:
    image: app
    labels:
      kompose.service.type: loadbalancer
`);

  it('a label that shaped objects is converted, with those objects and its position', () => {
    expect(find(entries, 'web', 'labels.kompose.service.type')).toMatchObject({
      status: 'converted',
      objects: ['Service/web'],
      message: 'type of the Service for the published ports: nodeport',
      pos: { line: 6 },
    });
    expect(find(entries, 'web', 'labels.kompose.service.expose')).toMatchObject({
      status: 'converted',
      objects: ['Ingress/web'],
    });
    expect(find(entries, 'web', 'deploy.labels.kompose.ephemeral-storage.limit')).toMatchObject({
      status: 'converted',
      objects: ['Deployment/web'],
      pos: { line: 14 },
    });
  });

  it('an invalid kompose label is ignored, with the reason', () => {
    expect(find(entries, 'web', 'labels.kompose.image-pull-policy')).toMatchObject({
      status: 'ignored',
      message: expect.stringMatching(/^invalid value Sometimes: .*Always, IfNotPresent, Never/),
    });
    expect(find(entries, 'web', 'labels.other.label')).toBeUndefined();
  });

  it('an unknown kompose label is unsupported (what it asked for is lost, so --strict refuses), a misspelt one names the label meant', () => {
    expect(find(entries, 'web', 'labels.kompose.made.up')).toMatchObject({
      id: 'labels.kompose.unknown',
      status: 'unsupported',
      message: expect.stringMatching(/not a kompose label/),
      fix: expect.stringMatching(/^see docs\/x-k8s.md/),
    });
    expect(find(entries, 'web', 'labels.kompose.service.tyep')).toMatchObject({
      id: 'labels.kompose.unknown-near',
      status: 'unsupported',
      fix: expect.stringMatching(/^did you mean kompose.service.type\?/),
      pos: { line: 10 },
    });
  });

  it('a label with nothing to shape (a Service type without ports) is ignored, not claimed converted', () => {
    expect(find(entries, 'worker', 'labels.kompose.service.type')).toMatchObject({
      status: 'ignored',
      objects: [],
      message: expect.stringMatching(/no Service was generated/),
    });
  });

  it('the generic labels entry stays (labels still become annotations)', () => {
    expect(find(entries, 'web', 'labels')?.status).toBeDefined();
  });
});

describe('report entries for x-k8s', () => {
  it('service, volume and top-level keys each get an entry; no "x-* ignored" entry for x-k8s', () => {
    const entries = report(`x-k8s:
  namespace: shop
services:
  db:
    image: postgres
    ports: ["5432"]
    volumes: ["data:/var/lib/postgresql/data"]
    x-k8s:
      controller: statefulset
      service: { type: Headless }
      hpa: { maxReplicas: 3 }
volumes:
  data:
    x-k8s: { size: 5Gi }
    labels:
      kompose.volume.storage-class-name: fast
`);
    expect(find(entries, undefined, 'x-k8s.namespace')).toMatchObject({ status: 'converted', pos: { line: 2 } });
    expect(find(entries, undefined, 'x-k8s')).toBeUndefined();
    expect(find(entries, 'db', 'x-k8s.controller')).toMatchObject({
      status: 'converted',
      objects: ['StatefulSet/db'],
      pos: { line: 9 },
    });
    expect(find(entries, 'db', 'x-k8s.service')).toMatchObject({ status: 'converted', objects: ['Service/db'] });
    expect(find(entries, 'db', 'x-k8s.hpa')).toMatchObject({
      status: 'converted',
      objects: ['HorizontalPodAutoscaler/db'],
    });
    const vol = find(entries, undefined, 'volumes.data.x-k8s.size');
    expect(vol?.status).toBe('converted');
    expect(vol?.objects.length).toBeGreaterThan(0);
    expect(find(entries, undefined, 'volumes.data.labels.kompose.volume.storage-class-name')?.status).toBe('converted');
  });

  it('a service x-k8s block with an error is ignored as a whole, key by key', () => {
    const entries = report(`services:
  web:
    image: nginx
    x-k8s:
      controler: Deployment
      replicas: 2
`);
    expect(find(entries, 'web', 'x-k8s.replicas')).toMatchObject({
      status: 'ignored',
      message: expect.stringMatching(/block has an error/),
    });
    expect(find(entries, 'web', 'x-k8s.controler')?.status).toBe('ignored');
  });
});

describe('an empty top-level x-k8s', () => {
  it('is ignored, not reported as an unhandled key', () => {
    const entries = report(`x-k8s: {}
services:
  web: { image: nginx }
`);
    expect(find(entries, undefined, 'x-k8s')).toMatchObject({
      status: 'ignored',
      message: 'the top-level x-k8s is empty: nothing to apply',
    });
  });
});

describe('settings that found their objects but left no trace', () => {
  it('a nodePort outside the range and a traffic policy on a headless Service are ignored, with the reason', () => {
    const entries = report(`services:
  a:
    image: app
    ports: ["3306:3306"]
    labels: { kompose.service.type: nodeport, kompose.service.nodeport.port: "33111" }
  b:
    image: app
    ports: ["80:80"]
    x-k8s: { service: { type: Headless, externalTrafficPolicy: Local } }
  c:
    image: app
    ports: ["81:81"]
    x-k8s: { service: { nodePort: 30081 } }
`);
    expect(find(entries, 'a', 'labels.kompose.service.nodeport.port')).toMatchObject({
      status: 'ignored',
      message: expect.stringMatching(/no such nodePort/),
    });
    expect(find(entries, 'a', 'labels.kompose.service.type')?.status).toBe('converted');
    expect(find(entries, 'b', 'x-k8s.service')).toMatchObject({
      status: 'ignored',
      message: expect.stringMatching(/externalTrafficPolicy/),
    });
    expect(find(entries, 'c', 'x-k8s.service')).toMatchObject({ status: 'converted', objects: ['Service/c'] });
  });
});
