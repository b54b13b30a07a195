import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { convert, memoryFs } from '../../src/index.js';
import { nodeFs } from '../../src/node/index.js';
import { buildGraph, isWorkload, NODE_H, NODE_W } from '../../playground/graph.js';
import { SAMPLES } from '../helpers/samples.js';
import { CORPUS } from '../helpers/corpus.js';

// The graph view's model and layout (playground/graph.ts) on real conversions: the sample the page
// opens with, and sentry-self-hosted from the shared corpus (the "still usable for 60" case).
function graphOf(path: string, extra: Record<string, string> = {}) {
  const content = readFileSync(path, 'utf8');
  const out = convert({
    files: [{ path: '/project/compose.yaml', content }],
    fs: memoryFs(extra),
    options: { networkPolicies: true },
  });
  return { out, graph: buildGraph(out.objects, out.report?.entries ?? []) };
}

function expectNoOverlap(nodes: ReadonlyArray<{ id: string; x: number; y: number }>): void {
  const seen = new Set<string>();
  for (const n of nodes) {
    const cell = `${Math.round(n.x / (NODE_W / 2))},${Math.round(n.y / (NODE_H / 2))}`;
    expect(seen.has(cell), `${n.id} overlaps another node`).toBe(false);
    seen.add(cell);
  }
}

describe('playground graph', () => {
  it('connects Ingress → Service → workload → ConfigMap/Secret/PVC and colours by worst status', () => {
    const { out, graph } = graphOf(join(SAMPLES, 'django-celery/compose.yaml'), {
      '/project/app.env': readFileSync(join(SAMPLES, 'django-celery/app.env'), 'utf8'),
    });
    const workloads = out.objects.filter((o) => isWorkload(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(
      graph.nodes
        .filter((n) => isWorkload(n.kind))
        .map((n) => n.id)
        .sort(),
    ).toEqual(workloads.sort());
    const has = (from: string, to: string, dashed = false): boolean =>
      graph.edges.some((e) => e.from === from && e.to === to && e.dashed === dashed);
    expect(has('Ingress/web', 'Service/web')).toBe(true);
    expect(has('Service/web', 'Deployment/web')).toBe(true);
    expect(has('Deployment/web', 'ConfigMap/web-env')).toBe(true);
    expect(has('Deployment/web', 'StatefulSet/db', true)).toBe(true);
    expect(has('Deployment/web', 'Job/migrate', true)).toBe(true);
    expect(graph.nodes.some((n) => n.kind === 'PersistentVolumeClaim')).toBe(true);
    // Status: each node carries the worst status of the entries that name it.
    const ranks = { none: 0, converted: 1, ignored: 2, approximated: 3, unsupported: 4 } as const;
    for (const n of graph.nodes) {
      const named = (out.report?.entries ?? []).filter((e) => e.objects.includes(n.id));
      const worst = named.reduce<keyof typeof ranks>((w, e) => (ranks[e.status] > ranks[w] ? e.status : w), 'none');
      expect(n.status, n.id).toBe(worst);
    }
    expect(graph.groups.map((g) => g.name)).toContain('web-from-ingress');
    expect(graph.groups.find((g) => g.name === 'web-from-ingress')?.members).toEqual(['Deployment/web']);
    expectNoOverlap(graph.nodes);
  });

  const sentry = join(CORPUS, 'real-world/sentry-self-hosted/docker-compose.yml');
  it.skipIf(!existsSync(sentry))(
    'lays out sentry-self-hosted: every workload once, layers top-down, no overlaps',
    () => {
      const out = convert({
        files: [sentry],
        fs: nodeFs,
        workingDir: dirname(sentry),
        options: { networkPolicies: true },
      });
      const graph = buildGraph(out.objects, out.report?.entries ?? []);
      const workloads = out.objects.filter((o) => isWorkload(o.kind));
      expect(workloads.length).toBeGreaterThan(40);
      expect(graph.nodes.filter((n) => isWorkload(n.kind)).length).toBe(workloads.length);
      expectNoOverlap(graph.nodes);
      const at = new Map(graph.nodes.map((n) => [n.id, n]));
      for (const e of graph.edges.filter((x) => x.from.startsWith('Service/'))) {
        expect(at.get(e.to)!.y, `${e.from} → ${e.to}`).toBeGreaterThan(at.get(e.from)!.y);
      }
      for (const n of graph.nodes) {
        expect(n.x + NODE_W).toBeLessThanOrEqual(graph.width);
        expect(n.y + NODE_H).toBeLessThanOrEqual(graph.height);
      }
    },
  );
});
