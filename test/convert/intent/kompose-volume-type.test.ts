/** kompose.volume.type on bind mounts (hostPath / emptyDir / persistentVolumeClaim), and the named-volume report. */
import { describe, expect, it } from 'vitest';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { convert } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import { expectValid } from '../../helpers/validate.js';

/** Service web with `volumes` (a flow list) and the label, then `tail` (top-level keys); ./conf holds a file. */
function convertWeb(volumes: string, type: string, tail: string) {
  return convert({
    files: ['compose.yaml'],
    workingDir: '/p',
    fs: memoryFs({
      '/p/compose.yaml': `services:
  web:
    image: nginx
    volumes: ${volumes}
    labels:
      kompose.volume.type: ${type}
${tail}`,
      '/p/conf/a.conf': 'x',
    }),
  });
}

function run(type: string) {
  const r = convertWeb('["./conf:/etc/conf", "data:/data"]', type, 'volumes:\n  data: {}\n');
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(r.objects);
  const w = r.objects.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind))!;
  const spec = (w as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
  const c = spec.containers[0] as Container;
  const conf = c.volumeMounts!.find((m) => m.mountPath === '/etc/conf')!;
  const vol = spec.volumes?.find((v) => v.name === conf.name);
  const claimTemplates =
    (w as unknown as { spec: { volumeClaimTemplates?: Array<{ metadata: { name: string } }> } }).spec
      .volumeClaimTemplates ?? [];
  return { r, vol, conf, claimTemplates, entries: r.report!.entries };
}

describe('kompose.volume.type on a bind mount', () => {
  it('hostPath: the host directory as a hostPath volume', () => {
    const { vol, entries } = run('hostPath');
    expect(vol?.hostPath).toEqual({ path: '/p/conf', type: 'Directory' });
    expect(entries.find((e) => e.service === 'web' && e.key === 'volumes' && /hostPath/.test(e.message))?.status).toBe(
      'approximated',
    );
  });

  it('emptyDir: an empty directory, and the named volume is reported as not claimed', () => {
    const { vol, entries } = run('emptyDir');
    expect(vol?.emptyDir).toEqual({});
    expect(entries.find((e) => e.service === undefined && e.key === 'volumes.data')).toMatchObject({
      status: 'approximated',
      message: 'no claim: web uses it as an emptyDir (storage type)',
    });
  });

  it('persistentVolumeClaim: a claim instead of a ConfigMap of the files', () => {
    const { vol, conf, claimTemplates, r } = run('persistentVolumeClaim');
    const claimed =
      vol?.persistentVolumeClaim !== undefined || claimTemplates.some((t) => t.metadata.name === conf.name);
    expect(claimed).toBe(true);
    expect(r.objects.some((o) => o.kind === 'ConfigMap')).toBe(false);
  });

  it('configMap (the default for project files) stays a ConfigMap', () => {
    const { vol } = run('configMap');
    expect(vol?.configMap?.name).toBeDefined();
  });
});

describe("the label's entry follows the mounts it applies to", () => {
  const entryOf = (volumes: string, type: string, tail = '') => {
    const r = convertWeb(volumes, type, tail);
    return r.report!.entries.find((e) => e.service === 'web' && e.path === 'labels.kompose.volume.type')!;
  };

  it('a host path it cannot realise: unsupported, naming the mount; the same for x-k8s storage.type', () => {
    const e = entryOf('["./conf:/etc/conf", "/srv/site:/usr/share/nginx/html"]', 'configMap');
    expect(e).toMatchObject({ id: 'labels.kompose.volume-type-unsupported', status: 'unsupported' });
    expect(e.values).toEqual({ mounts: 'volumes[1]' });
    const x = convert({
      files: ['compose.yaml'],
      workingDir: '/p',
      fs: memoryFs({
        '/p/compose.yaml':
          'services:\n  web:\n    image: nginx\n    volumes: ["/srv/site:/srv/site"]\n' +
          '    x-k8s: { storage: { type: configMap, size: 2Gi } }\n',
      }),
    }).report!.entries.find((i) => i.service === 'web' && i.path === 'x-k8s.storage')!;
    expect(x).toMatchObject({ id: 'x-k8s.storage-type-unsupported', values: { mounts: 'volumes[0]' } });
  });

  it('a named volume that ignores the type: ignored; mounts made as it asks (approximated as binds are): converted', () => {
    expect(entryOf('["data:/data"]', 'hostPath', 'volumes:\n  data: {}\n')).toMatchObject({
      id: 'labels.kompose.volume-type-ignored',
      status: 'ignored',
    });
    expect(entryOf('["./conf:/etc/conf", "/run/app:/run/app"]', 'hostPath')).toMatchObject({
      id: 'labels.kompose.applied',
      status: 'converted',
    });
  });
});
