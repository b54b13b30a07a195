/**
 * The Helm chart renderer, checked with the real helm binary: every sample's chart lints, its default
 * values reproduce the plain conversion, values change what they should, and user content that looks
 * like a template survives literally.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertProject } from '../../../src/index.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import { memoryFs } from '../../../src/load/fs.js';
import { loadProject } from '../../../src/index.js';
import type { Project } from '../../../src/model/types.js';
import { nodeFs } from '../../../src/node/fs.js';
import { renderHelmChart } from '../../../src/render/helm/chart.js';
import { chartName } from '../../../src/render/helm/meta.js';
import { escapeTemplate } from '../../../src/render/helm/markers.js';
import { splitImage, valuesKey } from '../../../src/render/helm/values.js';
import { renderYaml } from '../../../src/render/yaml.js';
import { KUBECTL_IMAGE, WAIT_IMAGE } from '../../../src/kube/images.js';
import { expectValid } from '../../helpers/validate.js';
import {
  byRef,
  HASHED_JOB,
  parseStream,
  runTool,
  toolAvailable,
  type ToolRun,
  withoutHelmLabels,
  writeTree,
  type Obj,
} from '../render-tools.js';
import { fakeCluster, type FakeJob } from '../fake-cluster.js';
import { loadSample, samples } from '../../helpers/samples.js';

function loadText(compose: string): Project {
  const r = loadProject({
    files: ['/p/compose.yaml'],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': compose }),
    env: {},
  });
  if (!r.project) throw new Error(JSON.stringify(r.diagnostics));
  return r.project;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function chart(project: Project, options: Partial<ConvertOptions> = {}): { dir: string; objects: Obj[] } {
  const { objects, diagnostics } = convertProject(project, options, nodeFs);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const dir = writeTree(renderHelmChart(objects, { name: project.name, project }));
  dirs.push(dir);
  return { dir, objects: parseStream(renderYaml(objects)) };
}

function template(dir: string, ...args: string[]): Obj[] {
  const r = runTool('helm', ['template', 'rel', dir, '--namespace', 'prod', ...args]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return parseStream(r.stdout);
}

/** The object `Kind/name`; a Job by its converted name (the chart adds its spec's hash: HASHED_JOB). */
const find = (objs: Obj[], kind: string, name: string): Obj => {
  const named = (x: Obj): boolean =>
    x.metadata.name === name || (kind === 'Job' && HASHED_JOB.exec(x.metadata.name)?.[1] === name);
  const o = objs.find((x) => x.kind === kind && named(x));
  if (!o) throw new Error(`${kind}/${name} not rendered`);
  return o;
};
/** An object's name as the plain conversion has it (a chart's Job without its hash). */
const plainName = (o: Obj): string => (o.kind === 'Job' && HASHED_JOB.exec(o.metadata.name)?.[1]) || o.metadata.name;
const spec = (o: Obj): Record<string, any> => o['spec'] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('helm chart pieces', () => {
  it('makes values keys Go templates can reach', () => {
    expect(valuesKey('web')).toBe('web');
    expect(valuesKey('my_db')).toBe('my_db');
    expect(valuesKey('log-shipper')).toBe('logShipper');
    expect(valuesKey('node.exporter-v2')).toBe('nodeExporterV2');
    expect(valuesKey('3d-render')).toBe('v3dRender');
  });

  it('splits image references, ports and digests included', () => {
    expect(splitImage('nginx')).toEqual({ repository: 'nginx', tag: '' });
    expect(splitImage('registry:5000/org/app:1.2')).toEqual({ repository: 'registry:5000/org/app', tag: '1.2' });
    expect(splitImage('registry:5000/app')).toEqual({ repository: 'registry:5000/app', tag: '' });
    expect(splitImage('app:1@sha256:abc')).toEqual({ repository: 'app', tag: '1', digest: 'sha256:abc' });
  });

  it('escapes every {{ and makes DNS-safe chart names', () => {
    expect(escapeTemplate('a {{ b }} {{{')).toBe('a {{ "{{" }} b }} {{ "{{" }}{');
    expect(chartName('My_Project')).toBe('my-project');
    expect(chartName('1st')).toBe('chart-1st');
  });

  it('writes the chart files', () => {
    const p = loadSample('voting-app');
    const files = renderHelmChart(convertProject(p, {}, nodeFs).objects, {
      name: p.name,
      project: p,
      appVersion: '2.0',
    });
    const paths = files.map((f) => f.path);
    expect(paths.slice(0, 5)).toEqual([
      'Chart.yaml',
      'values.yaml',
      '.helmignore',
      'templates/_helpers.tpl',
      'templates/NOTES.txt',
    ]);
    expect(paths).toContain('templates/deployment-vote.yaml');
    const chartYaml = files[0]!.content;
    expect(chartYaml).toMatch(/^apiVersion: v2$/m);
    expect(chartYaml).toMatch(/^name: voting$/m);
    expect(chartYaml).toMatch(/^version: "0\.1\.0"$/m);
    expect(chartYaml).toMatch(/^appVersion: "2\.0"$/m);
    const helpers = files[3]!.content;
    expect(helpers).toContain('app.kubernetes.io/instance: {{ .Release.Name | quote }}');
    expect(helpers).toContain('app.kubernetes.io/managed-by: {{ .Release.Service | quote }}');
    expect(helpers).toContain('helm.sh/chart:');
    const deploy = files.find((f) => f.path === 'templates/deployment-vote.yaml')!.content;
    expect(deploy).toContain('replicas: {{ .Values.vote.replicas }}');
    expect(deploy).toContain('namespace: {{ .Release.Namespace | quote }}');
  });

  it('keeps secret placeholders and never real secret values unless embedded', () => {
    const compose = 'services:\n  app:\n    image: app:1\n    environment:\n      API_TOKEN: s3cr3t-value\n';
    const p = loadText(compose);
    const values = (mode: ConvertOptions['secrets']): string =>
      renderHelmChart(convertProject(p, { secrets: mode }).objects, { name: p.name, project: p }).find(
        (f) => f.path === 'values.yaml',
      )!.content;
    // values.yaml holds neither the value nor its placeholder: the key, empty, and the existingSecret switch.
    expect(values('placeholder')).toMatch(/secretEnv:\n\s+existingSecret: ""\n\s+values:\n\s+API_TOKEN: ""/);
    expect(values('placeholder')).not.toContain('s3cr3t-value');
    expect(values('placeholder')).not.toContain('<set-me');
    expect(values('embed')).toContain('API_TOKEN: s3cr3t-value');
  });
});

describe.runIf(toolAvailable('helm'))('helm chart with the real helm', () => {
  it.each(samples)('sample %s: lints, and default values reproduce the plain conversion', (name) => {
    const project = loadSample(name);
    const { dir, objects } = chart(project, { namespace: 'prod' });
    const lint = runTool('helm', ['lint', dir]);
    expect(lint.stdout + lint.stderr).not.toMatch(/\[(ERROR|WARNING)\]/);
    expect(lint.status).toBe(0);
    const rendered = template(dir);
    expectValid(rendered);
    expect(byRef(rendered.map((o) => withoutHelmLabels(o) as Obj))).toEqual(
      byRef(objects.map((o) => withoutHelmLabels(o) as Obj)),
    );
    for (const o of rendered) {
      expect(o.metadata).toMatchObject({
        namespace: 'prod',
        labels: { 'app.kubernetes.io/instance': 'rel', 'app.kubernetes.io/managed-by': 'Helm' },
      });
    }
  });

  it('--set changes replicas, image, persistence, ingress and env', () => {
    const { dir } = chart(loadSample('django-celery'), { ingressHost: 'shop.example.com' });
    const before = template(dir);
    expect(spec(find(before, 'Deployment', 'web')).replicas).toBe(3);
    const after = template(
      dir,
      '--set',
      'web.replicas=5',
      '--set',
      'web.image.tag=2.0.0',
      '--set',
      'db.persistence.pg.size=20Gi',
      '--set',
      'db.persistence.pg.storageClass=fast',
      '--set',
      'web.ingress.host=shop.test',
      '--set',
      'web.ingress.className=nginx',
      '--set-string',
      'web.env.CELERY_TIMEZONE=on',
      '--set',
      'web.resources.limits.cpu=2',
    );
    expectValid(after);
    const web = find(after, 'Deployment', 'web');
    expect(spec(web).replicas).toBe(5);
    expect(spec(web).template.spec.containers[0].image).toBe('registry.example.com/shop/django:2.0.0');
    expect(spec(web).template.spec.containers[0].resources.limits.cpu).toBe(2);
    expect(spec(find(after, 'Deployment', 'worker')).replicas).toBe(2);
    // db (postgres with a named volume) is a StatefulSet: its claim is a volumeClaimTemplate.
    expect(spec(find(after, 'StatefulSet', 'db')).volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: 'fast',
      resources: { requests: { storage: '20Gi' } },
    });
    expect(spec(find(after, 'Ingress', 'web'))).toMatchObject({
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.test' }],
    });
    expect(find(after, 'ConfigMap', 'web-env')['data']).toMatchObject({ CELERY_TIMEZONE: 'on' });
    const off = template(dir, '--set', 'web.ingress.enabled=false');
    expect(off.some((o) => o.kind === 'Ingress')).toBe(false);
    // The NetworkPolicy that admitted the ingress controller (from any namespace) to web's port goes with it.
    expect(before.some((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'web-from-ingress')).toBe(true);
    expect(off.some((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'web-from-ingress')).toBe(false);
    expect(off.length).toBe(before.length - 2);
    // --set reads 4 and true as a number and a boolean: env takes them (the template quotes them into the ConfigMap).
    const typed = template(dir, '--set', 'web.env.WORKERS=4', '--set', 'web.env.CELERY_TIMEZONE=true');
    expect(find(typed, 'ConfigMap', 'web-env')['data']).toMatchObject({ WORKERS: '4', CELERY_TIMEZONE: 'true' });
  });

  it('an Ingress of several rules (hosts of a router rule) has its rules as a value: the hosts can be changed', () => {
    const project = loadText(
      [
        'name: routes',
        'services:',
        '  web:',
        '    image: nginx:1',
        '    labels:',
        '      traefik.enable: "true"',
        '      traefik.http.routers.web.rule: Host(`a.example.com`) || Host(`b.example.com`)',
        '      traefik.http.services.web.loadbalancer.server.port: "80"',
      ].join('\n'),
    );
    const { dir, objects } = chart(project);
    const rules = (objs: Obj[]): Array<{ host?: string }> => spec(find(objs, 'Ingress', 'web')).rules;
    expect(rules(objects).map((r) => r.host)).toEqual(['a.example.com', 'b.example.com']);
    const values = parseStream(readFileSync(join(dir, 'values.yaml'), 'utf8'))[0] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const mine = structuredClone(values['web'].ingress.rules).map((r: { host: string }) => ({
      ...r,
      host: r.host.replace('example.com', 'shop.test'),
    }));
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, JSON.stringify({ web: { ingress: { rules: mine } } }));
    const after = rules(template(dir, '-f', file));
    expect(after.map((r) => r.host)).toEqual(['a.shop.test', 'b.shop.test']);
    expect(after).toEqual(mine);
    // NOTES.txt names every host.
    const r = runTool('helm', ['install', 'rel', dir, '--dry-run=client', '-f', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('  web: http://a.shop.test/\n  web: http://b.shop.test/\n');
  });

  it('keeps user strings that look like templates literally', () => {
    const compose = [
      'name: tpl',
      'services:',
      '  web:',
      '    image: nginx:1.25',
      '    command: ["echo", "{{ .Values }}", "{{- fail \\"boom\\" }}"]',
      '    ports: ["8080:80"]',
      '    labels:',
      '      note: "{{ .Release.Name }}"',
      '    environment:',
      '      GREETING: "hello {{ .Values.web }}"',
      '      "on": "y"',
      '    configs: [{ source: tpl, target: /etc/tpl.conf }]',
      'configs:',
      '  tpl:',
      '    content: |',
      '      {{ define "x" }}{{ .Values.secret }}{{ end }}',
      '      {{{ odd }}} }} {{',
      '',
    ].join('\n');
    const project = loadText(compose);
    const { dir, objects } = chart(project, { namespace: 'prod' });
    const rendered = template(dir);
    expectValid(rendered);
    expect(byRef(rendered.map((o) => withoutHelmLabels(o) as Obj))).toEqual(
      byRef(objects.map((o) => withoutHelmLabels(o) as Obj)),
    );
    const web = find(rendered, 'Deployment', 'web');
    expect(spec(web).template.spec.containers[0].args).toEqual(['echo', '{{ .Values }}', '{{- fail "boom" }}']);
    expect(find(rendered, 'ConfigMap', 'web-env')['data']).toEqual({ GREETING: 'hello {{ .Values.web }}', on: 'y' });
    const config = rendered.find((o) => o.kind === 'ConfigMap' && o.metadata.name !== 'web-env')!;
    expect(Object.values(config['data'] as object)).toEqual([
      '{{ define "x" }}{{ .Values.secret }}{{ end }}\n{{{ odd }}} }} {{\n',
    ]);
  });

  it('leaves a Job pod template without Helm labels (it is immutable) but lifts its image', () => {
    const project = loadText(
      'name: jobs\nservices:\n  migrate:\n    image: "tool:1"\n    deploy: { mode: replicated-job }\n',
    );
    const { dir } = chart(project);
    const job = find(template(dir, '--set', 'migrate.image.tag=2'), 'Job', 'migrate');
    expect(job.metadata).toMatchObject({ labels: { 'helm.sh/chart': 'jobs-0.1.0' } });
    const pod = spec(job).template;
    expect(pod.metadata.labels['helm.sh/chart']).toBeUndefined();
    expect(pod.metadata.labels['app.kubernetes.io/name']).toBe('migrate');
    expect(pod.spec.containers[0].image).toBe('tool:2');
  });

  it('names a Job after its spec, so an upgrade that changes it makes a new Job (its pod template is immutable)', () => {
    const long = 'a'.repeat(60);
    const project = loadText(
      [
        'name: jobs',
        'services:',
        '  migrate:',
        '    image: "tool:1"',
        '    restart: "no"',
        '    environment: { MODE: a }',
        '    depends_on: [db]',
        '  db:',
        '    image: "postgres:16"',
        '  web:',
        '    image: "app:1"',
        '    depends_on:',
        '      migrate: { condition: service_completed_successfully }',
        `  ${long}:`,
        '    image: "tool:1"',
        '    restart: "no"',
        '',
      ].join('\n'),
    );
    const { dir, objects } = chart(project, { namespace: 'prod' });
    const jobName = (objs: Obj[]): string => find(objs, 'Job', 'migrate').metadata.name;
    const base = template(dir);
    expect(jobName(base)).toMatch(/^migrate-[0-9a-f]{8}$/);
    // The same chart and values: the same name (a plain helm upgrade keeps the Job that ran).
    expect(jobName(template(dir))).toBe(jobName(base));
    // What changes the Job's spec renames it; what does not (another service's values) leaves it.
    expect(jobName(template(dir, '--set', 'migrate.image.tag=2'))).not.toBe(jobName(base));
    expect(jobName(template(dir, '--set', 'migrate.resources.limits.memory=1Gi'))).not.toBe(jobName(base));
    // So does what its pods read from the chart's ConfigMaps and Secrets (env is read at container start).
    expect(jobName(template(dir, '--set', 'migrate.env.MODE=b'))).not.toBe(jobName(base));
    expect(jobName(template(dir, '--set', 'web.image.tag=2', '--set', 'web.replicas=3'))).toBe(jobName(base));
    // A long name keeps to the 63 characters of a Job's pods' job-name label.
    const jobs = base.filter((o) => o.kind === 'Job').map((o) => o.metadata.name);
    expect(jobs.filter((n) => /^a{54}-[0-9a-f]{8}$/.test(n))).toHaveLength(1);
    // web waits for every Job of migrate's labels, which the chart's Job has whatever its name.
    const wait = spec(find(base, 'Deployment', 'web')).template.spec.initContainers.find(
      (c: { name: string }) => c.name === 'wait-for-migrate',
    );
    const selector = (wait.args as string[]).find((a) => a.startsWith('--selector='))!.slice('--selector='.length);
    const labels = find(base, 'Job', 'migrate').metadata as unknown as { labels: Record<string, string> };
    for (const kv of selector.split(',')) expect(labels.labels[kv.split('=')[0]!]).toBe(kv.split('=')[1]);
    // Apart from its name, the Job is the plain conversion's.
    expect(withoutHelmLabels(find(base, 'Job', 'migrate'))).toEqual(withoutHelmLabels(find(objects, 'Job', 'migrate')));
  });

  it("a pod waiting for a Job finds the chart's Job by its labels (real kubectl wait, stand-in API server)", async () => {
    const project = loadText(
      [
        'name: jobs',
        'services:',
        '  migrate:',
        '    image: "tool:1"',
        '    restart: "no"',
        '  web:',
        '    image: "app:1"',
        '    depends_on:',
        '      migrate: { condition: service_completed_successfully }',
        '',
      ].join('\n'),
    );
    const { dir } = chart(project);
    const rendered = template(dir);
    const job = find(rendered, 'Job', 'migrate');
    const labels = (job.metadata as unknown as { labels: Record<string, string> }).labels;
    const wait = spec(find(rendered, 'Deployment', 'web')).template.spec.initContainers.find(
      (c: { name: string }) => c.name === 'wait-for-migrate',
    );
    expect(wait.command).toEqual(['/bin/kubectl']);
    const args = [...(wait.args as string[]).filter((a) => !a.startsWith('--timeout=')), '--timeout=5s', '-n', 'prod'];
    const waitIn = async (jobs: FakeJob[]): Promise<ToolRun> => {
      const cluster = await fakeCluster(writeTree([]), {}, jobs);
      try {
        return await cluster.kubectl(args);
      } finally {
        await cluster.close();
      }
    };
    // The chart's Job, under its hashed name: found, and complete.
    const found = await waitIn([{ namespace: 'prod', name: job.metadata.name, labels }]);
    expect(found.stderr).toBe('');
    expect(found.stdout).toContain(`job.batch/${job.metadata.name} condition met`);
    expect(found.status).toBe(0);
    // No Job yet (or only another project's of the same service name): the wait fails, and the kubelet retries it.
    const other = { ...labels, 'app.kubernetes.io/part-of': 'other' };
    for (const jobs of [[], [{ namespace: 'prod', name: 'migrate', labels: other }]]) {
      const missing = await waitIn(jobs);
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toMatch(/no matching resources found/);
    }
  });

  it('a Job keeps its name when only the labels Helm sets on what it reads change (a new chart version)', () => {
    const project = loadText(
      [
        'name: jobs',
        'services:',
        '  migrate:',
        '    image: "tool:1"',
        '    restart: "no"',
        '    environment: { MODE: a, API_TOKEN: t }',
        '  web:',
        '    image: "app:1"',
        '    depends_on:',
        '      migrate: { condition: service_completed_successfully }',
        '',
      ].join('\n'),
    );
    const { dir } = chart(project, { namespace: 'prod' });
    const jobName = (objs: Obj[]): string => find(objs, 'Job', 'migrate').metadata.name;
    const base = jobName(template(dir));
    // Its ConfigMap and Secret carry helm.sh/chart: a chart version bump that changes nothing the Job runs must not
    // run it again (a one-shot init that is not idempotent then fails, and every pod waiting for it is stuck).
    const chartYaml = join(dir, 'Chart.yaml');
    writeFileSync(chartYaml, readFileSync(chartYaml, 'utf8').replace(/^version: .*$/m, 'version: 9.9.9'));
    expect(jobName(template(dir))).toBe(base);
    // What its pods read still renames it.
    expect(jobName(template(dir, '--set', 'migrate.env.MODE=b'))).not.toBe(base);
    expect(jobName(template(dir, '--set-string', 'migrate.secretEnv.values.API_TOKEN=u'))).not.toBe(base);
  });

  it("containers running a service's image (seed init containers, a job-exec CronJob) follow its image values", () => {
    const compose = (workerImage: string): string =>
      [
        'name: seeds',
        'services:',
        '  web:',
        '    image: "app:1"',
        '    volumes: [data:/var/lib/app]',
        '    labels:',
        '      ofelia.enabled: "true"',
        '      ofelia.job-exec.clean.schedule: "@every 1h"',
        '      ofelia.job-exec.clean.command: "app clean"',
        '  worker:',
        `    image: "${workerImage}"`,
        '    volumes: [cache:/var/cache/app]',
        '  ofelia:',
        '    image: mcuadros/ofelia:latest',
        '    command: daemon --docker',
        '    volumes: [/var/run/docker.sock:/var/run/docker.sock:ro]',
        'volumes:',
        '  data: { x-k8s: { seed: true } }',
        '  cache: { x-k8s: { seed: true } }',
      ].join('\n');
    const images = (objs: Obj[], kind: string, name: string): string[] => {
      const pod =
        kind === 'CronJob'
          ? spec(spec(find(objs, kind, name)).jobTemplate).template
          : spec(find(objs, kind, name)).template;
      return [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c: { image: string }) => c.image);
    };
    const set = ['--set', 'web.image.tag=2', '--set', 'worker.image.repository=mirror.local/other'];
    // An air-gapped mirror or a new tag moves the seeds and the CronJob with the app.
    const own = template(chart(loadText(compose('other:1'))).dir, ...set);
    expect(images(own, 'Deployment', 'web')).toEqual(['app:2', 'app:2']);
    expect(images(own, 'CronJob', 'web-clean')).toEqual(['app:2']);
    expect(images(own, 'Deployment', 'worker')).toEqual(['mirror.local/other:1', 'mirror.local/other:1']);
    // Two services of one image: a seed follows its own pod's service; the CronJob, the one it is named after
    // (web-clean: a job-exec in web's container), not the image's other user.
    const shared = template(chart(loadText(compose('app:1'))).dir, ...set);
    expect(images(shared, 'Deployment', 'web')).toEqual(['app:2', 'app:2']);
    expect(images(shared, 'Deployment', 'worker')).toEqual(['mirror.local/other:1', 'mirror.local/other:1']);
    expect(images(shared, 'CronJob', 'web-clean')).toEqual(['app:2']);
    const worker = template(chart(loadText(compose('app:1'))).dir, '--set', 'worker.image.tag=3');
    expect(images(worker, 'CronJob', 'web-clean')).toEqual(['app:1']);
  });

  it("a service's pod keeps the converter's own images when another service happens to run the same one", () => {
    const project = loadText(
      [
        'name: waits',
        'services:',
        '  tools:',
        `    image: "${WAIT_IMAGE}"`,
        '    command: [sleep, infinity]',
        '  db:',
        '    image: "redis:7"',
        '  web:',
        '    image: "nginx:1"',
        '    depends_on: [db]',
      ].join('\n'),
    );
    const objs = template(chart(project).dir, '--set', 'tools.image.repository=mirror.local/tools');
    // web's wait-for-db init container is the converter's, not a container of tools: tools' values do not move it.
    const pod = spec(find(objs, 'Deployment', 'web')).template.spec;
    expect(pod.initContainers.map((c: { image: string }) => c.image)).toEqual([WAIT_IMAGE]);
    expect(spec(find(objs, 'Deployment', 'tools')).template.spec.containers[0].image).toBe(
      `mirror.local/tools:${WAIT_IMAGE.split(':')[1]}`,
    );
  });

  it('the init containers compose2k8s adds, and permission helpers, take their images from values (a mirror)', () => {
    const project = loadText(
      [
        'name: mirror',
        'services:',
        '  db:',
        '    image: "postgres:16"',
        '  migrate:',
        '    image: "app:1"',
        '    command: [migrate]',
        '    depends_on: [db]',
        '  fix-perms:',
        '    image: "alpine:3"',
        '    command: [chown, -R, "1000:1000", /data]',
        '    volumes: [data:/data]',
        '  web:',
        '    image: "app:1"',
        '    volumes: [data:/srv/data]',
        '    depends_on:',
        '      db: { condition: service_started }',
        '      migrate: { condition: service_completed_successfully }',
        '      fix-perms: { condition: service_completed_successfully }',
        'volumes:',
        '  data: {}',
      ].join('\n'),
    );
    const { dir, objects } = chart(project);
    const inits = (objs: Obj[]): Record<string, string> =>
      Object.fromEntries(
        spec(find(objs, 'Deployment', 'web')).template.spec.initContainers.map((c: { name: string; image: string }) => [
          c.name,
          c.image,
        ]),
      );
    const before = inits(objects);
    expect(Object.values(before).sort()).toEqual(['alpine:3', KUBECTL_IMAGE, WAIT_IMAGE].sort());
    const values = readFileSync(join(dir, 'values.yaml'), 'utf8');
    expect(values).toContain('helperImages:');
    const after = inits(
      template(
        dir,
        '--set',
        'helperImages.waitFor.repository=mirror.local/busybox',
        '--set',
        'helperImages.kubectl.repository=mirror.local/kubectl',
        '--set',
        'fixPerms.image.repository=mirror.local/alpine',
      ),
    );
    const mirrored = (image: string): string => `mirror.local/${image.replace(/^registry\.k8s\.io\//, '')}`;
    expect(after).toEqual(Object.fromEntries(Object.entries(before).map(([k, v]) => [k, mirrored(v)])));
  });

  it('imagePullSecrets of the values reach every pod, after its own (a private registry or mirror)', () => {
    const project = loadText(
      [
        'name: pull',
        'services:',
        '  db:',
        '    image: "postgres:16"',
        '  migrate:',
        '    image: "registry.local/app:1"',
        '    deploy: { mode: replicated-job }',
        '  web:',
        '    image: "registry.local/app:1"',
        '    depends_on: [db]',
        '    x-k8s: { imagePullSecrets: [own] }',
      ].join('\n'),
    );
    const { dir, objects } = chart(project);
    const pulls = (objs: Obj[]): Record<string, unknown> =>
      Object.fromEntries(
        objs
          .filter((o) => spec(o)?.template)
          .map((o) => [`${o.kind}/${plainName(o)}`, spec(o).template.spec.imagePullSecrets]),
      );
    expect(pulls(objects)).toEqual({
      'Deployment/db': undefined,
      'Job/migrate': undefined,
      'Deployment/web': [{ name: 'own' }],
    });
    expect(pulls(template(dir, '--set', 'imagePullSecrets[0].name=regcred'))).toEqual({
      'Deployment/db': [{ name: 'regcred' }],
      'Job/migrate': [{ name: 'regcred' }],
      'Deployment/web': [{ name: 'own' }, { name: 'regcred' }],
    });
  });

  it('a values change to what a pod reads (env, Secret) changes its pod template, so helm upgrade rolls it', () => {
    const project = loadText(
      [
        'name: roll',
        'services:',
        '  web:',
        '    image: "web:1"',
        '    environment: { APP_MODE: prod, DB_PASSWORD: "${DB_PASS}" }',
        '  db:',
        '    image: "postgres:16"',
        '    environment: { POSTGRES_PASSWORD: "${DB_PASS}" }',
        '  migrate:',
        '    image: "tool:1"',
        '    environment: { DB_PASSWORD: "${DB_PASS}" }',
        '    deploy: { mode: replicated-job }',
      ].join('\n'),
    );
    const { dir } = chart(project);
    const annotations = (objs: Obj[], kind: string, name: string): Record<string, string> =>
      spec(find(objs, kind, name)).template.metadata.annotations ?? {};
    const before = template(dir);
    const secretKey = Object.keys(before.find((o) => o.kind === 'Secret')!['stringData'] as object)[0]!;
    const secretPath = readFileSync(join(dir, 'values.yaml'), 'utf8').match(/^ {2}(\w+):\n {4}existingSecret/m)![1];
    const env = template(dir, '--set', 'web.env.APP_MODE=staging');
    const secret = template(dir, '--set-string', `secrets.${secretPath}.values.${secretKey}=new`);
    const web = annotations(before, 'Deployment', 'web');
    expect(Object.keys(web).filter((k) => k.startsWith('checksum/')).length).toBe(2);
    expect(annotations(env, 'Deployment', 'web')).not.toEqual(web);
    expect(annotations(secret, 'Deployment', 'web')).not.toEqual(web);
    expect(annotations(env, 'Deployment', 'db')).toEqual(annotations(before, 'Deployment', 'db'));
    expect(annotations(secret, 'Deployment', 'db')).not.toEqual(annotations(before, 'Deployment', 'db'));
    // A Job's pod template is immutable: no checksum there (it would fail the upgrade instead).
    expect(annotations(secret, 'Job', 'migrate')).toEqual({});
    // An existing Secret's content is invisible to the chart: NOTES says to restart the workloads after changing it.
    const r = runTool('helm', [
      'install',
      'rel',
      dir,
      '--dry-run=client',
      '--set',
      `secrets.${secretPath}.existingSecret=mine`,
    ]);
    expect(r.stdout).toContain('kubectl rollout restart deployment,statefulset,daemonset');
  });

  it('gives services named like reserved values keys their own keys', () => {
    const compose = [
      'name: clash',
      'services:',
      '  secrets: { image: "a:1", deploy: { replicas: 2 } }',
      '  global: { image: "b:1" }',
      '  log-shipper: { image: "registry:5000/c" }',
      '  logShipper: { image: "d@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" }',
      '',
    ].join('\n');
    const project = loadText(compose);
    const { dir, objects } = chart(project);
    const values = parseStream(readFileSync(`${dir}/values.yaml`, 'utf8'))[0] as unknown as Record<
      string,
      { image: unknown }
    >;
    expect(Object.keys(values).sort()).toEqual([
      'global2',
      'imagePullSecrets',
      'logShipper',
      'logShipper2',
      'secrets2',
    ]);
    expect(values['logShipper2']!.image).toEqual({ repository: 'registry:5000/c', tag: '' });
    expect(values['logShipper']!.image).toMatchObject({
      repository: 'd',
      tag: '',
      digest: expect.stringMatching(/^sha256:/),
    });
    const rendered = template(dir, '--set', 'secrets2.replicas=4');
    expect(spec(find(rendered, 'Deployment', 'secrets')).replicas).toBe(4);
    const images = (objs: Obj[]): string[] =>
      objs
        .filter((o) => o.kind === 'Deployment')
        .map((o) => spec(o).template.spec.containers[0].image)
        .sort();
    expect(images(rendered)).toEqual(images(objects));
  });
});

describe.runIf(toolAvailable('helm'))('secrets in the chart, with the real helm', () => {
  const compose = [
    'name: vault',
    'services:',
    '  app:',
    '    image: app:1',
    '    environment:',
    '      API_TOKEN: s3cr3t-value',
    '      MODE: prod',
    '    secrets: [db_password]',
    'secrets:',
    '  db_password:',
    '    environment: DB_PASSWORD',
  ].join('\n');
  const setup = () => {
    const p = loadText(compose);
    const { dir } = chart(p);
    return dir;
  };
  const podSpec = (objs: Obj[]) => spec(find(objs, 'Deployment', 'app')).template.spec;

  it('lints strictly; values.yaml holds no secret value nor placeholder; defaults render the placeholders', () => {
    const dir = setup();
    const lint = runTool('helm', ['lint', '--strict', dir]);
    expect(lint.stdout + lint.stderr).not.toMatch(/\[(ERROR|WARNING)\]/);
    expect(lint.status).toBe(0);
    const values = readFileSync(join(dir, 'values.yaml'), 'utf8');
    expect(values).not.toMatch(/s3cr3t|<set-me/);
    const secrets = template(dir).filter((o) => o.kind === 'Secret');
    expect(secrets.length).toBe(2);
    for (const s of secrets)
      for (const v of Object.values(s['stringData'] as Record<string, string>)) expect(v).toMatch(/^<set-me/);
  });

  it('existingSecret: the chart creates no Secret and the pods reference the given one', () => {
    const dir = setup();
    const before = template(dir).filter((o) => o.kind === 'Secret');
    const envSecret = before.find((s) => 'API_TOKEN' in (s['stringData'] as object))!.metadata.name;
    const fileSecret = before.find((s) => s.metadata.name !== envSecret)!.metadata.name;
    const after = template(
      dir,
      '--set',
      'app.secretEnv.existingSecret=app-creds',
      '--set',
      'secrets.dbPassword.existingSecret=db-creds',
    );
    expect(after.filter((o) => o.kind === 'Secret')).toEqual([]);
    const pod = podSpec(after);
    const refs = JSON.stringify(pod);
    expect(refs).toContain('"secretRef":{"name":"app-creds"}');
    expect(refs).toContain('"secretName":"db-creds"');
    expect(refs).not.toContain(`"${envSecret}"`);
    expect(refs).not.toContain(`"${fileSecret}"`);
  });

  it('values given at install time fill the Secret; unknown keys are added, mistyped values refused', () => {
    const dir = setup();
    const after = template(
      dir,
      '--set-string',
      'app.secretEnv.values.API_TOKEN=tok',
      '--set-string',
      'app.secretEnv.values.EXTRA=x',
      '--set-string',
      'secrets.dbPassword.values.db_password=pw',
    );
    const data = after.filter((o) => o.kind === 'Secret').map((s) => s['stringData']);
    expect(data).toEqual(expect.arrayContaining([{ API_TOKEN: 'tok', EXTRA: 'x' }, { db_password: 'pw' }]));
    for (const bad of ['secrets.dbPassword.existingSecret=1', 'secrets.dbPassword.existingsecret=x']) {
      const r = runTool('helm', ['template', 'rel', dir, '--set', bad]);
      expect(r.status, bad).not.toBe(0);
    }
  });

  it('NOTES.txt says which Secrets to provide, with the exact commands, until they are', () => {
    const dir = setup();
    const notes = (...args: string[]): string => {
      const r = runTool('helm', ['install', 'rel', dir, '--dry-run=client', '--namespace', 'shop', ...args]);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.slice(r.stdout.indexOf('NOTES:'));
    };
    const fresh = notes();
    expect(fresh).toMatch(/kubectl create secret generic NAME --namespace shop --from-literal=API_TOKEN=\.\.\./);
    expect(fresh).toMatch(/--from-file=db_password=\.\/db_password/);
    expect(fresh).toContain('--set app.secretEnv.existingSecret=NAME');
    expect(fresh).toContain('--set-string secrets.dbPassword.values.db_password=...');
    // A database keeps the password it first starts with: the notes say to give values at the first install.
    expect(fresh.replace(/\s+/g, ' ')).toContain('Give them at the first install: a database keeps the password');
    const done = notes(
      '--set',
      'secrets.dbPassword.existingSecret=db-creds',
      '--set-string',
      'app.secretEnv.values.API_TOKEN=t',
    );
    expect(done).toContain('the existing Secret db-creds');
    expect(done).toContain('values given at install time');
    expect(done).not.toContain('kubectl create secret');
  });
});

describe.runIf(toolAvailable('helm'))(
  'secret values across helm upgrade, against a cluster holding the release',
  () => {
    it('a value given at install stays when an upgrade gives none (not back to its placeholder, rolling every pod)', async () => {
      const p = loadText(
        [
          'name: keep',
          'services:',
          '  app:',
          '    image: app:1',
          '    environment: { API_TOKEN: "${TOKEN}", MODE: prod }',
          '    secrets: [db_password]',
          '  db:',
          '    image: postgres:16',
          '    environment: { POSTGRES_PASSWORD: "${DB_PASS}" }',
          '  worker:',
          '    image: app:1',
          '    environment: { DB_PASSWORD: "${DB_PASS}" }',
          'secrets:',
          '  db_password:',
          '    environment: DB_PASSWORD',
        ].join('\n'),
      );
      const { dir } = chart(p);
      const secrets = template(dir).filter((o) => o.kind === 'Secret');
      const data = (o: Obj): Record<string, string> => o['stringData'] as Record<string, string>;
      // What the install was given: every key of every Secret (placeholders, or empty: variables left unset).
      for (const o of secrets) for (const v of Object.values(data(o))) expect(v).toMatch(/^(<set-me.*)?$/);
      const given = Object.fromEntries(
        secrets.map((o) => [o.metadata.name, Object.fromEntries(Object.keys(data(o)).map((k) => [k, `given-${k}`]))]),
      );
      // Every secret value path in values.yaml: secrets.<secret>.values.<key> and <service>.secretEnv.values.<key>.
      type SecretValue = { existingSecret: string; values: Record<string, string> };
      const tree = parseStream(readFileSync(join(dir, 'values.yaml'), 'utf8'))[0] as unknown as Record<
        string,
        Record<string, SecretValue> & { secretEnv?: SecretValue }
      >;
      const holders: Array<[string, SecretValue]> = [
        ...Object.entries(tree['secrets'] ?? {}).map(([k, v]) => [`secrets.${k}`, v] as [string, SecretValue]),
        ...Object.entries(tree).flatMap(([k, v]) =>
          v.secretEnv ? [[`${k}.secretEnv`, v.secretEnv] as [string, SecretValue]] : [],
        ),
      ];
      const sets = holders.flatMap(([path, v]) => Object.keys(v.values).map((k) => `${path}.values.${k}=given-${k}`));
      expect(sets.length).toBe(Object.values(given).flatMap((g) => Object.keys(g)).length);
      const installed = template(dir, ...sets.flatMap((x) => ['--set-string', x]));
      const cluster = await fakeCluster(dir, { prod: given });
      try {
        const r = await cluster.helm([
          'template',
          'rel',
          dir,
          '--namespace',
          'prod',
          '--dry-run=server',
          '--disable-openapi-validation',
        ]);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        // helm upgrade without the values: the same objects as the install (Secrets, and the pods' checksums).
        expect(byRef(parseStream(r.stdout))).toEqual(byRef(installed));
        // NOTES.txt of that upgrade: nothing left to provide.
        const notes = await cluster.helm([
          'install',
          'rel',
          dir,
          '--namespace',
          'prod',
          '--dry-run=server',
          '--disable-openapi-validation',
        ]);
        expect(notes.status, notes.stderr).toBe(0);
        expect(notes.stdout).toContain('db-password: values given at install time');
        expect(notes.stdout).not.toContain('holds placeholders');
        // A value the upgrade gives still wins.
        const [first] = sets;
        const changed = await cluster.helm([
          'template',
          'rel',
          dir,
          '--namespace',
          'prod',
          '--dry-run=server',
          '--disable-openapi-validation',
          '--set-string',
          first!.replace(/=.*/, '=new'),
        ]);
        const values = parseStream(changed.stdout)
          .filter((o) => o.kind === 'Secret')
          .flatMap((o) => Object.values(data(o)));
        expect(values).toContain('new');
        expect(values.filter((v) => v.startsWith('given-')).length).toBe(sets.length - 1);
      } finally {
        await cluster.close();
      }
    });
  },
);

describe.runIf(toolAvailable('helm'))('NOTES.txt: what an upgrade cannot do, and how to fill secret files', () => {
  const render = (compose: string, files: Record<string, string> = {}): string => {
    const fs = memoryFs({ '/p/compose.yaml': compose, ...files });
    const r = loadProject({ files: ['/p/compose.yaml'], workingDir: '/p', fs, env: {} });
    const { objects } = convertProject(r.project!, {}, fs);
    const dir = writeTree(renderHelmChart(objects, { name: r.project!.name, project: r.project! }));
    dirs.push(dir);
    return dir;
  };
  const notesOf = (dir: string, ...args: string[]): string => {
    const r = runTool('helm', ['install', 'rel', dir, '--dry-run=client', '--namespace', 'shop', ...args]);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.slice(r.stdout.indexOf('NOTES:'));
  };

  it('a secret file: --set-file with its escaped key and its project path, which helm accepts', () => {
    const dir = render('name: demo\nservices:\n  app:\n    image: nginx:1\n    volumes: ["./conf:/etc/app:ro"]\n', {
      '/p/conf/.env': 'TOKEN=abc\n',
      '/p/conf/app.ini': 'x=1\n',
    });
    const notes = notesOf(dir);
    expect(notes).toContain("--set-file 'secrets.appConf.values.\\.env=./conf/.env'");
    expect(notes).toContain('--from-file=.env=./conf/.env');
    expect(notes).not.toMatch(/values\.\.env/);
    const r = runTool('helm', ['template', 'rel', dir, '--set-file', 'secrets.appConf.values.\\.env=/dev/null']);
    expect(r.status, r.stderr).toBe(0);
  });

  it('images compose builds: each one to build and push, under the name the chart runs, as the report says', () => {
    const dir = render(
      [
        'name: demo',
        'services:',
        '  api:',
        '    build: { context: ./api, dockerfile: Dockerfile.prod, target: runtime, args: { VERSION: "1" } }',
        '  web:',
        '    build: ./web',
        '    image: registry.example.com/shop/web:1.4.2',
        '  odd:',
        '    build: "./{{ x }}"',
        '  cache:',
        '    image: redis:7',
      ].join('\n'),
    );
    const notes = notesOf(dir, '--set', 'api.image.repository=reg.io/api', '--set', 'api.image.tag=2');
    expect(notes).toContain('Images to build: Kubernetes does not build images');
    expect(notes).toContain(
      'api: docker build -t reg.io/api:2 -f api/Dockerfile.prod --target runtime --build-arg VERSION api && docker push reg.io/api:2',
    );
    expect(notes).toContain(
      'web: docker build -t registry.example.com/shop/web:1.4.2 web && docker push registry.example.com/shop/web:1.4.2',
    );
    // a context that looks like a template is printed as it is
    expect(notes).toContain("odd: docker build -t demo-odd '{{ x }}' && docker push demo-odd");
    expect(notes).toContain('--build-arg NAME takes the value of NAME from your environment');
    expect(notes).not.toMatch(/cache: docker build/);
    const lint = runTool('helm', ['lint', dir]);
    expect(lint.status, lint.stdout).toBe(0);
  });

  it('a Job: runs again when an upgrade changes it, or after deleting it; a StatefulSet claim: grow the PVC', () => {
    const dir = render(
      [
        'name: demo',
        'services:',
        '  db:',
        '    image: postgres:16',
        '    volumes: ["dbdata:/var/lib/postgresql/data"]',
        '  migrate:',
        '    image: tool:1',
        '    deploy: { mode: replicated-job }',
        'volumes:',
        '  dbdata:',
      ].join('\n'),
    );
    const notes = notesOf(dir).replace(/\s+/g, ' ');
    expect(notes).toContain('An upgrade that changes one (its image, its environment, a Secret it reads');
    expect(notes).toContain(
      'kubectl delete job --selector=app.kubernetes.io/name=migrate,app.kubernetes.io/part-of=demo --namespace shop',
    );
    // Nothing waits for migrate, so Kubernetes deletes it after it finishes: an unchanged upgrade after that runs it.
    expect(notes).toContain(
      '(migrate is deleted 3600s after it finishes: an upgrade after that runs it again, even unchanged)',
    );
    expect(notes).toContain('db.persistence.dbdata: kubectl patch pvc dbdata-db-0 --namespace shop');
    const values = readFileSync(join(dir, 'values.yaml'), 'utf8');
    expect(values).toMatch(/# persistence\.dbdata: size and storageClass are fixed at the first install/);
    expect(values).toContain('edit the PVC (dbdata-db-0, one per pod)');
  });
});
