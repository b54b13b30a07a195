/**
 * Keys the normalizer used to accept and drop: label_file, pull_refresh_after, top-level and service
 * `models`, long-syntax volume `bind.recursive` and `volume.labels`. Each is kept in the model and shows
 * up in the conversion report.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';

function run(compose: string, files: Record<string, string> = {}) {
  const out = convert({ files: [{ path: 'compose.yaml', content: compose }], fs: memoryFs(files) });
  const errors = out.diagnostics.filter((d) => d.severity === 'error');
  const entry = (service: string | undefined, key: string) =>
    out.report?.entries.find((e) => e.service === service && e.key === key);
  return { out, errors, entry };
}

describe('label_file', () => {
  const compose = `services:
  web:
    image: nginx
    label_file: [./a.labels, ./b.labels]
    labels:
      team: from-compose
`;
  const files = {
    '/project/a.labels': '# owner file\nowner=alice\nteam=from-a\ntier=web\n',
    '/project/b.labels': 'owner=bob\nquoted="x y"\n',
  };

  it('merges the files in order (a later file wins) under the service labels (which win)', () => {
    const { out, errors } = run(compose, files);
    expect(errors).toEqual([]);
    const web = out.project!.services['web']!;
    expect(web.labels).toEqual({ owner: 'bob', team: 'from-compose', tier: 'web', quoted: 'x y' });
    expect(web.label_file).toEqual(['/project/a.labels', '/project/b.labels']);
    expect(out.sources.get('/project/a.labels')).toContain('owner=alice');
  });

  it('is in the report, and the merged labels reach the pod', () => {
    const { out, entry } = run(compose, files);
    expect(entry('web', 'label_file')).toMatchObject({ status: 'converted', pos: { line: 4 } });
    const deploy = out.objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { metadata: unknown } };
    };
    expect(JSON.stringify(deploy.spec.template.metadata)).toContain('bob');
  });

  it('a missing file is an error at its entry', () => {
    const { errors } = run(compose, { '/project/a.labels': 'x=1\n' });
    expect(errors.map((d) => `${d.code}@${d.pos?.line}:${d.pos?.col}`)).toEqual(['label-file-missing@4:30']);
    expect(errors[0]!.message).toContain('/project/b.labels');
  });

  it('interpolates a label from earlier entries of the files, not from the environment', () => {
    const out = convert({
      files: [{ path: 'compose.yaml', content: 'services:\n  web:\n    image: nginx\n    label_file: ./a.labels\n' }],
      fs: memoryFs({ '/project/a.labels': 'owner=alice\nteam=${owner}-team\nhome=${FROM_ENV}\n' }),
      env: { FROM_ENV: 'x' },
    });
    expect(out.project!.services['web']!.labels).toEqual({ owner: 'alice', team: 'alice-team', home: '' });
  });

  it('a label file inherited through extends is read relative to the file that names it', () => {
    const { out, errors } = run('services:\n  web:\n    extends: {file: sub/base.yaml, service: base}\n', {
      '/project/sub/base.yaml': 'services:\n  base:\n    image: nginx\n    label_file: ./base.labels\n',
      '/project/sub/base.labels': 'from=base\n',
    });
    expect(errors).toEqual([]);
    expect(out.project!.services['web']!.labels).toEqual({ from: 'base' });
  });
});

describe('pull_refresh_after', () => {
  it('is kept and reported unsupported', () => {
    const { out, errors, entry } = run('services:\n  web:\n    image: nginx\n    pull_refresh_after: 24h\n');
    expect(errors).toEqual([]);
    expect(out.project!.services['web']!.pull_refresh_after).toBe('24h');
    expect(entry('web', 'pull_refresh_after')).toMatchObject({ status: 'unsupported', pos: { line: 4 } });
  });
});

describe('models', () => {
  const compose = `services:
  chat:
    image: chat-app
    models: [llm]
models:
  llm:
    model: ai/smollm2
    context_size: 4096
`;
  it('top-level models are kept in the project and reported unsupported, with the service binding', () => {
    const { out, errors, entry } = run(compose);
    expect(errors).toEqual([]);
    expect(out.project!.models).toEqual({ llm: { model: 'ai/smollm2', context_size: 4096, extensions: {} } });
    expect(entry(undefined, 'models')).toMatchObject({ status: 'unsupported', pos: { line: 5 } });
    expect(entry('chat', 'models')).toMatchObject({ status: 'unsupported', pos: { line: 4 } });
  });

  it('the project name from the file is reported too', () => {
    const { entry } = run('name: shop\n' + compose);
    expect(entry(undefined, 'name')).toMatchObject({ status: 'converted', pos: { line: 1 } });
  });
});

describe('long-syntax volume fields', () => {
  it('bind.recursive and volume.labels are kept in the model', () => {
    const { out, errors } = run(`services:
  web:
    image: nginx
    volumes:
      - {type: bind, source: ./conf, target: /etc/conf, read_only: true, bind: {recursive: readonly}}
      - type: volume
        source: data
        target: /data
        volume: {labels: {backup: daily}, nocopy: true}
volumes:
  data: {}
`);
    expect(errors).toEqual([]);
    const [conf, data] = out.project!.services['web']!.volumes;
    expect(conf?.bind).toEqual({ recursive: 'readonly' });
    expect(data?.volume).toEqual({ labels: { backup: 'daily' }, nocopy: true });
  });
});
