import { describe, it, expect } from 'vitest';
import { convert, memoryFs } from '../../../src/index.js';
import { expectValid } from '../../helpers/validate.js';
import type { KubeObject } from '../../../src/index.js';

function run(yaml: string) {
  const out = convert({
    files: [{ path: '/p/compose.yaml', content: yaml }],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': yaml }),
    env: {},
  });
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(out.objects);
  return out;
}
const containers = (objs: KubeObject[], workload: string) =>
  ((
    objs.find(
      (o) => o.metadata.name === workload && o.kind !== 'Service' && o.kind !== 'Ingress' && o.kind !== 'NetworkPolicy',
    ) as { spec: { template: { spec: { containers: unknown[] } } } } | undefined
  )?.spec.template.spec.containers ?? []) as Array<{
    name: string;
    volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  }>;
/** Entries of a service's volumes_from items (`volumes_from[0]`, or `volumes_from[0].volumes[1]` per borrowed volume). */
const entry = (out: ReturnType<typeof run>, svc: string) =>
  out.report!.entries.filter((e) => e.service === svc && e.path.startsWith('volumes_from['));

describe('volumes_from', () => {
  it('a sidecar in the same pod mounts the source container volumes, read-only with :ro', () => {
    const out = run(`
services:
  app:
    image: app:1
    volumes: [logs:/var/log/app, cache:/cache]
  shipper:
    image: shipper:1
    network_mode: service:app
    volumes_from: ["app:ro"]
volumes: { logs: {}, cache: {} }
`);
    const shipper = containers(out.objects, 'app').find((c) => c.name === 'shipper')!;
    expect(shipper.volumeMounts).toEqual([
      { name: 'logs', mountPath: '/var/log/app', readOnly: true },
      { name: 'cache', mountPath: '/cache', readOnly: true },
    ]);
    expect(entry(out, 'shipper')).toMatchObject([
      { path: 'volumes_from[0]', id: 'volumes_from.same-pod', status: 'converted' },
    ]);
  });

  it('another pod mounts the same claim: one ReadWriteOnce claim, the pods on one node', () => {
    const out = run(`
services:
  app:
    image: app:1
    volumes: [data:/data]
  backup:
    image: backup:1
    volumes_from: [app]
volumes: { data: {} }
`);
    const backup = containers(out.objects, 'backup')[0]!;
    expect(backup.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    const pvc = out.objects.find(
      (o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'data',
    ) as unknown as { spec: Record<string, unknown> };
    expect(pvc.spec.accessModes).toEqual(['ReadWriteOnce']);
    const backupDeploy = out.objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'backup',
    ) as unknown as {
      spec: { template: { spec: { affinity: unknown } } };
    };
    expect(backupDeploy.spec.template.spec.affinity).toEqual({
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: { matchLabels: { 'compose2k8s.io/claims-app': 'true' } },
            topologyKey: 'kubernetes.io/hostname',
          },
        ],
      },
    });
    expect(entry(out, 'backup')).toMatchObject([
      { path: 'volumes_from[0].volumes[0]', id: 'volumes.named', status: 'converted' },
    ]);
  });

  it('an anonymous volume of another pod cannot be shared and says so; container: refs are unsupported', () => {
    const out = run(`
services:
  app:
    image: app:1
    volumes: [/scratch]
  other:
    image: o:1
    volumes_from: [app, "container:legacy"]
`);
    const e = entry(out, 'other');
    expect(e.map((x) => [x.path, x.id, x.status]).sort()).toEqual([
      ['volumes_from[0].volumes[0]', 'volumes_from.not-shareable', 'unsupported'],
      ['volumes_from[1]', 'volumes_from.container', 'unsupported'],
    ]);
    expect(containers(out.objects, 'other')[0]!.volumeMounts ?? []).toEqual([]);
  });
});
