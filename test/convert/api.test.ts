import { describe, expect, test } from 'vitest';
import { convert, memoryFs, type ConvertInput } from '../../src/index.js';
import { convertProject } from '../../src/index.js';
import { convert as convertLean, type ReportTexts } from '../../src/browser.js';
import { TEXTS } from '../../src/mappings/texts.js';
import { convertYaml, fromYaml } from '../helpers/project.js';
import { expectValid } from '../helpers/validate.js';

const COMPOSE = `name: shop
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    user: www-data
  db:
    image: postgres:16
    deploy:
      resources:
        limits: { cpus: "0.5", memory: 512m }
`;

describe('public convert()', () => {
  test('inline files: objects in apply order, report, no errors', () => {
    const out = convert({ files: [{ path: 'compose.yaml', content: COMPOSE }] });
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(out.project?.name).toBe('shop');
    expectValid(out.objects);
    const kinds = out.objects.map((o) => o.kind);
    expect(kinds.indexOf('Service')).toBeLessThan(kinds.indexOf('Deployment'));
    const db = out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'db') as unknown as {
      spec: { template: { spec: { containers: Array<{ resources: unknown }> } } };
    };
    expect(db.spec.template.spec.containers[0]!.resources).toEqual({
      limits: { cpu: '500m', memory: '512Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
    expect(out.report?.project).toBe('shop');
  });

  test('report positions come from the compose file', () => {
    const out = convert({ files: [{ path: 'compose.yaml', content: COMPOSE }] });
    const e = out.report!.entries.find((x) => x.service === 'web' && x.key === 'user');
    expect(e?.status).toBe('unsupported');
    expect(e?.pos).toMatchObject({ file: '/project/compose.yaml', line: 6 });
  });

  test('files read through an injected fs, options passed through', () => {
    const fs = memoryFs({ '/srv/app/compose.yaml': 'services:\n  api:\n    image: api:1\n' });
    const out = convert({ fs, workingDir: '/srv/app', options: { namespace: 'prod', createNamespace: true } });
    expect(out.project?.name).toBe('app');
    expect(out.objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'prod' } });
    expect(out.objects.find((o) => o.kind === 'Deployment')?.metadata.namespace).toBe('prod');
  });

  test('bad input never throws: YAML errors come back as diagnostics', () => {
    const out = convert({ files: [{ path: 'compose.yaml', content: 'services:\n  web: [\n' }] });
    expect(out.objects).toEqual([]);
    expect(out.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  test('texts of another version (or not texts at all) never throw: what they lack reads as ids and values', () => {
    // A page loads the texts apart from the converter (compose2k8s/texts, lazily, maybe from a CDN): a texts
    // object of another version lacks some ids, and a module namespace passed by mistake lacks every table.
    const bad = [{ path: 'compose.yaml', content: 'services:\n  web: [\n' }];
    const good = [{ path: 'compose.yaml', content: COMPOSE }];
    const older = { ...TEXTS, diagnostics: {}, hints: {}, findings: {}, findingFixes: {}, messages: {}, fixes: {} };
    for (const texts of [{}, older, { TEXTS }] as unknown as ReportTexts[]) {
      const failed = convertLean({ files: bad, texts });
      expect(failed.diagnostics.map((d) => d.code)).toEqual(['yaml-syntax']);
      expect(failed.diagnostics[0]!.message).toMatch(/^yaml-syntax/);
      const out = convertLean({ files: good, texts });
      expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(out.report!.findings.map((f) => f.message)).toContain(
        'no-resource-limits (object=Deployment/web, service=web)',
      );
      expect(out.report!.entries.find((e) => e.id === 'image.set')!.message).toBe('image.set (image=nginx:1.27)');
    }
  });

  test('an input of the wrong shape (from plain JavaScript) is an option-invalid error naming the field', () => {
    const file = { path: 'compose.yaml', content: 'services:\n  web:\n    image: nginx:${TAG}\n' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ files: 'compose.yaml' }, 'files'],
      [{ files: [null] }, 'files[0]'],
      [{ files: [{ path: 'compose.yaml', content: 42 }] }, 'files[0]'],
      [{ files: [file], env: { TAG: 5 } }, 'env.TAG'],
      [{ files: [file], profiles: 'debug' }, 'profiles'],
      [{ files: [file], envFiles: ['.env', 3] }, 'envFiles[1]'],
      [{ files: [file], workingDir: 7 }, 'workingDir'],
      [{ files: [file], options: 'strict' }, 'options'],
    ];
    for (const [input, field] of cases) {
      const out = convert(input as ConvertInput);
      expect(out.objects).toEqual([]);
      expect(out.diagnostics.map((d) => [d.code, d.message.split(':')[0]])).toEqual([
        ['option-invalid', `convert() input ${field}`],
      ]);
      expect(out.diagnostics[0]!.hint).toBeTruthy();
    }
    // null (no input), as undefined, in both entries.
    for (const c of [convert, convertLean])
      expect(c(null as unknown as ConvertInput).diagnostics.map((d) => d.code)).toEqual(['no-compose-file']);
  });

  test('a null input field is an absent one, as a null input and null options are (it converted before the checks)', () => {
    const file = { path: 'compose.yaml', content: 'services:\n  web:\n    image: nginx:${TAG:-1.27}\n' };
    const nulls = { env: null, profiles: null, projectName: null, envFiles: null, projectDirectory: null };
    for (const c of [convert, convertLean]) {
      const out = c({ files: [file], workingDir: null, options: null, ...nulls } as unknown as ConvertInput);
      expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(out.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toContain('Deployment/web');
    }
    // A null where a string must be is said as null, not as "object".
    const bad = convert({ files: [file], env: { TAG: null } } as unknown as ConvertInput);
    expect(bad.diagnostics.map((d) => d.message)).toEqual(['convert() input env.TAG: not a string (null)']);
  });

  test('the default entry: texts, dialects or modes given as undefined are its own, as when left out', () => {
    const file = {
      path: 'compose.yaml',
      content: 'services:\n  web:\n    image: nginx:1.27\n    x-k8s:\n      replicas: 2\n',
    };
    const out = convert({ files: [file], texts: undefined, dialects: undefined, modes: undefined });
    expect(out.report!.entries.map((e) => e.id)).not.toContain('report.dialect-not-loaded');
    expect(out.report!.entries.find((e) => e.id === 'image.set')!.message).not.toMatch(/^image\.set/);
  });

  test('a missing file is a diagnostic', () => {
    const out = convert({ files: ['nope.yaml'] });
    expect(out.diagnostics.some((d) => d.severity === 'error' && /not found/.test(d.message))).toBe(true);
  });
});

describe('through the loader (fromYaml)', () => {
  test('memory units and the resource-limit error point at the reservation', () => {
    const p = fromYaml(`services:
  web:
    image: x
    deploy:
      resources:
        limits: { memory: 256M }
        reservations: { memory: 1G }
`);
    const r = convertProject(p);
    const d = r.diagnostics.find((x) => x.code === 'resource-reservation-exceeds-limit');
    expect(d?.pos).toMatchObject({ file: '/project/compose.yaml', line: 7 });
    expectValid(r.objects);
  });

  test('sidecar via network_mode and hard-coded IP finding at the environment line', () => {
    const p = fromYaml(`services:
  app:
    image: app
    environment:
      UPSTREAM: http://10.1.2.3:9000
  log:
    image: fluent-bit
    network_mode: service:app
networks:
  default:
    ipam: {config: [{subnet: 10.1.2.0/24}]}
`);
    const r = convertProject(p);
    expectValid(r.objects);
    const deployments = r.objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.map((o) => o.metadata.name)).toEqual(['app']);
    const f = r.report.findings.find((x) => x.pitfall === 'hard-coded-ip');
    expect(f?.pos?.line).toBe(5);
  });
});

describe('day 2: the project name', () => {
  const WEB = 'services:\n  web:\n    image: nginx:1.27\n';
  const nameEntry = (r: ReturnType<typeof convertYaml>) =>
    r.report?.entries.find((e) => e.service === undefined && e.path === 'name');

  test('a name from the directory is reported with how to pin it (it is in every selector, which cannot change)', () => {
    const e = nameEntry(convertYaml(WEB))!;
    expect(e).toMatchObject({ id: 'top.name.directory', status: 'converted' });
    expect(e.fix).toContain('set name: p at the top of the compose file');
    expect(e.fix).toContain('kubectl apply then fails on every Deployment');
  });

  test('a name the file gives is not', () => {
    expect(nameEntry(convertYaml('name: shop\n' + WEB))?.id).toBe('top.name.labels');
  });
});
