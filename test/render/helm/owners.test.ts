/**
 * Which service's values an object of the chart follows when its name does not say: a job-exec CronJob runs its
 * target's image, and the NetworkPolicy admitting the ingress controller goes with the Ingresses routing to it.
 * Checked with the real helm.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { convertProject, loadProject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import { nodeFs } from '../../../src/node/fs.js';
import type { KubeObject } from '../../../src/kube/object.js';
import { renderHelmChart } from '../../../src/render/helm/chart.js';
import { valuesKey } from '../../../src/render/helm/values.js';
import { parseStream, runTool, toolAvailable, writeTree, type Obj } from '../render-tools.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function convert(compose: string): {
  objects: KubeObject[];
  project: NonNullable<ReturnType<typeof loadProject>['project']>;
} {
  const r = loadProject({
    files: ['/p/compose.yaml'],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': compose }),
    env: {},
  });
  const project = r.project!;
  const { objects, diagnostics } = convertProject(project, {}, nodeFs);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { objects, project };
}

function template(objects: KubeObject[], project: { name: string }, ...args: string[]): Obj[] {
  const dir = writeTree(renderHelmChart(objects, { name: project.name, project } as never));
  dirs.push(dir);
  const r = runTool('helm', ['template', 'rel', dir, '--namespace', 'prod', ...args]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return parseStream(r.stdout);
}

const has = (objs: Obj[], kind: string, name: string): boolean =>
  objs.some((o) => o.kind === kind && o.metadata.name === name);

describe.runIf(toolAvailable('helm'))('chart objects follow the service they belong to, not their names', () => {
  it("a job-exec CronJob runs its target's image values, even when another service's name prefixes its own", () => {
    // api's job v2-sync is CronJob api-v2-sync, whose name starts like service api-v2's, which runs the same image:
    // found by name, the CronJob followed api-v2's image.
    const { objects, project } = convert(
      [
        'name: owners',
        'services:',
        '  api:',
        '    image: "app:1"',
        '    labels:',
        '      ofelia.enabled: "true"',
        '      ofelia.job-exec.v2-sync.schedule: "@every 1h"',
        '      ofelia.job-exec.v2-sync.command: "app sync"',
        '  api-v2:',
        '    image: "app:1"',
        '  ofelia:',
        '    image: mcuadros/ofelia:latest',
        '    command: daemon --docker',
        '    volumes: [/var/run/docker.sock:/var/run/docker.sock:ro]',
      ].join('\n'),
    );
    const cron = objects.find((o) => o.kind === 'CronJob')!;
    expect(cron.metadata.name).toBe('api-v2-sync');
    const out = template(objects, project, '--set', 'api.image.tag=2', '--set', `${valuesKey('api-v2')}.image.tag=3`);
    const pod = (out.find((o) => o.kind === 'CronJob')!['spec'] as any).jobTemplate.spec.template; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(pod.spec.containers[0].image).toBe('app:2');
  });

  it('the from-ingress NetworkPolicy of a Service several Ingresses route to goes when all of them do', () => {
    const { objects, project } = convert(
      [
        'name: routes',
        'services:',
        '  web:',
        '    image: "nginx:1"',
        '    ports: ["8080:80"]',
        '  api:',
        '    image: "ghcr.io/example/api:1"',
        '    ports: ["9000:8000"]',
      ].join('\n'),
    );
    // A path of api's Ingress routes to web too (a library caller's edit, or an x-k8s patch).
    const web = objects.find((o) => o.kind === 'Ingress' && o.metadata.name === 'web')! as unknown as {
      spec: { rules: Array<{ http: { paths: unknown[] } }> };
    };
    const api = objects.find((o) => o.kind === 'Ingress' && o.metadata.name === 'api')! as unknown as {
      spec: { rules: Array<{ http: { paths: unknown[] } }> };
    };
    api.spec.rules[0]!.http.paths.push({ ...(web.spec.rules[0]!.http.paths[0] as object), path: '/web' });
    const all = template(objects, project);
    expect(has(all, 'NetworkPolicy', 'web-from-ingress')).toBe(true);
    // api's Ingress still routes to web: the policy stays.
    const webOff = template(objects, project, '--set', 'web.ingress.enabled=false');
    expect(has(webOff, 'Ingress', 'web')).toBe(false);
    expect(has(webOff, 'NetworkPolicy', 'web-from-ingress')).toBe(true);
    // No Ingress left routing to web: its port is no longer open to every namespace.
    const none = template(objects, project, '--set', 'web.ingress.enabled=false', '--set', 'api.ingress.enabled=false');
    expect(has(none, 'Ingress', 'api')).toBe(false);
    expect(has(none, 'NetworkPolicy', 'web-from-ingress')).toBe(false);
    expect(has(none, 'NetworkPolicy', 'api-from-ingress')).toBe(false);
  });
});
