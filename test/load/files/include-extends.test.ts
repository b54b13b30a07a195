/** `include` and `extends` through loadProject with an in-memory file system. */
import { describe, expect, test } from 'vitest';
import { loadProject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import { formatPos, type Diagnostic } from '../../../src/report/diagnostic.js';
import type { LoadResult } from '../../../src/load/api.js';

function load(files: Record<string, string>, env: Record<string, string> = {}): LoadResult {
  return loadProject({ workingDir: '/p', fs: memoryFs(files), env });
}
function ok(files: Record<string, string>, env: Record<string, string> = {}) {
  const r = load(files, env);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.project!;
}
function firstError(files: Record<string, string>): Diagnostic {
  const r = load(files);
  expect(r.project).toBeUndefined();
  return r.diagnostics.find((d) => d.severity === 'error')!;
}

describe('include', () => {
  test('short syntax imports services, networks and volumes', () => {
    const p = ok({
      '/p/compose.yaml': 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: web\n',
      '/p/sub/compose.yaml': 'services:\n  db:\n    image: pg\n    volumes: [data:/var/lib/pg]\nvolumes:\n  data: {}\n',
    });
    expect(Object.keys(p.services).sort()).toEqual(['db', 'web']);
    expect(Object.keys(p.volumes)).toEqual(['data']);
  });

  test('relative paths of included files resolve against the included project directory', () => {
    const p = ok({
      '/p/compose.yaml': 'include: [sub/compose.yaml]\n',
      '/p/sub/compose.yaml':
        'services:\n  api:\n    build: ./src\n    volumes: ["./conf:/conf"]\n    env_file: api.env\n',
      '/p/sub/api.env': 'A=1\n',
    });
    const api = p.services.api!;
    expect(api.build?.context).toBe('/p/sub/src');
    expect(api.volumes[0]?.source).toBe('/p/sub/conf');
    expect(api.environment).toEqual({ A: '1' });
  });

  test('project_directory changes where the included paths resolve', () => {
    const p = ok({
      '/p/compose.yaml': 'include:\n  - path: sub/compose.yaml\n    project_directory: other\n',
      '/p/sub/compose.yaml': 'services:\n  api:\n    build: .\n',
    });
    expect(p.services.api!.build?.context).toBe('/p/other');
  });

  test('env_file of the include is used to interpolate the included file', () => {
    const p = ok({
      '/p/compose.yaml': 'include:\n  - path: sub/compose.yaml\n    env_file: sub/vars.env\n',
      '/p/sub/compose.yaml': 'services:\n  api:\n    image: api:${TAG}\n',
      '/p/sub/vars.env': 'TAG=7\n',
    });
    expect(p.services.api!.image).toBe('api:7');
  });

  test("the included project's own .env is used by default", () => {
    const p = ok({
      '/p/compose.yaml': 'include: [sub/compose.yaml]\n',
      '/p/sub/compose.yaml': 'services:\n  api:\n    image: api:${TAG}\n',
      '/p/sub/.env': 'TAG=from-sub\n',
    });
    expect(p.services.api!.image).toBe('api:from-sub');
  });

  test('the including environment wins over the include env_file', () => {
    const p = ok(
      {
        '/p/compose.yaml': 'include: [sub/compose.yaml]\n',
        '/p/sub/compose.yaml': 'services:\n  api:\n    image: api:${TAG}\n',
        '/p/sub/.env': 'TAG=from-sub\n',
      },
      { TAG: 'from-process' },
    );
    expect(p.services.api!.image).toBe('api:from-process');
  });

  test('identical definitions in the include and locally are not a conflict', () => {
    const p = ok({
      '/p/compose.yaml':
        'include: [sub.yaml]\nnetworks:\n  shared: {}\nservices:\n  a:\n    image: a\n    networks: [shared]\n',
      '/p/sub.yaml': 'networks:\n  shared: {}\n',
    });
    expect(Object.keys(p.networks)).toContain('shared');
  });

  test('a list of paths is merged like -f files; an env_file reads the including environment; lists compare by value', () => {
    const p = ok(
      {
        '/p/compose.yaml':
          'include:\n  - path: [sub/a.yaml, sub/b.yaml]\n    env_file: [sub/vars.env]\nservices:\n  db:\n    image: pg\n    ports: ["5432"]\n',
        '/p/sub/a.yaml': 'services:\n  api:\n    image: ${REG}/api:1\n  db:\n    image: pg\n    ports: ["5432"]\n',
        '/p/sub/b.yaml': 'services:\n  api:\n    image: ${REG}/api:2\n',
        '/p/sub/vars.env': 'REG=${ROOT}/team\n',
      },
      { ROOT: 'registry.example.com' },
    );
    expect(p.services.api!.image).toBe('registry.example.com/team/api:2');
    expect(p.services.db!.ports.map((x) => x.target)).toEqual([5432]);
    const conflict = firstError({
      '/p/compose.yaml': 'include: [sub.yaml]\nservices:\n  db:\n    image: pg\n    ports: ["5432", "5433"]\n',
      '/p/sub.yaml': 'services:\n  db:\n    image: pg\n    ports: ["5432"]\n',
    });
    expect(conflict.code).toBe('include-conflict');
  });

  test("an included service's extends file and env_file list resolve against its directory, positions kept", () => {
    const files = {
      '/p/compose.yaml': 'include: [sub/compose.yaml]\n',
      '/p/sub/compose.yaml':
        'services:\n  api:\n    extends: {file: base.yaml, service: base}\n    env_file: [api.env, more.env]\n',
      '/p/sub/base.yaml': 'services:\n  base:\n    image: api\n',
      '/p/sub/api.env': 'A=1\n',
    };
    const p = ok({ ...files, '/p/sub/more.env': 'B=2\n' });
    expect(p.services.api).toMatchObject({ image: 'api', environment: { A: '1', B: '2' } });
    const missing = firstError(files);
    expect(missing.code).toBe('env-file-missing');
    expect(missing.pos).toMatchObject({ file: '/p/sub/compose.yaml', line: 4, col: 25 });
  });

  test('nested includes load', () => {
    const p = ok({
      '/p/compose.yaml': 'include: [a/compose.yaml]\n',
      '/p/a/compose.yaml': 'include: [b/compose.yaml]\nservices:\n  a:\n    image: a\n',
      '/p/a/b/compose.yaml': 'services:\n  b:\n    image: b\n',
    });
    expect(Object.keys(p.services).sort()).toEqual(['a', 'b']);
  });

  const errors: Array<[string, Record<string, string>, string, string]> = [
    [
      'a service defined by the include and locally',
      {
        '/p/compose.yaml': 'include:\n  - sub.yaml\nservices:\n  db:\n    image: mysql\n',
        '/p/sub.yaml': 'services:\n  db:\n    image: pg\n',
      },
      'include-conflict',
      '/p/compose.yaml:4:3',
    ],
    [
      'a missing included file',
      { '/p/compose.yaml': 'services:\n  a:\n    image: a\ninclude:\n  - nope.yaml\n' },
      'include-missing',
      '/p/compose.yaml:5:5',
    ],
    [
      'an include cycle',
      {
        '/p/compose.yaml': 'include: [a.yaml]\n',
        '/p/a.yaml': 'include: [b.yaml]\n',
        '/p/b.yaml': 'include: [a.yaml]\n',
      },
      'include-cycle',
      '/p/b.yaml:1:11',
    ],
    [
      'an include that is not a list',
      { '/p/compose.yaml': 'include: a.yaml\n' },
      'invalid-type',
      '/p/compose.yaml:1:1',
    ],
  ];
  test.each(errors)('error: %s', (_n, files, code, where) => {
    const e = firstError(files);
    expect(e.code).toBe(code);
    expect(formatPos(e.pos)).toBe(where);
  });
});

describe('extends', () => {
  test('same file, string form', () => {
    const p = ok({
      '/p/compose.yaml':
        'services:\n  base:\n    image: b\n    environment: {A: "1"}\n  web:\n    extends: base\n    environment: {B: "2"}\n',
    });
    expect(p.services.web!.image).toBe('b');
    expect(p.services.web!.environment).toEqual({ A: '1', B: '2' });
  });

  test('same file, mapping form; the merge rules apply', () => {
    const p = ok({
      '/p/compose.yaml':
        'services:\n  base:\n    image: b\n    command: [a]\n    ports: ["80:80"]\n  web:\n    extends: {service: base}\n    command: [b]\n    ports: ["81:81"]\n',
    });
    expect(p.services.web!.command).toEqual(['b']);
    expect(p.services.web!.ports.map((x) => x.target)).toEqual([80, 81]);
  });

  test('chains are followed', () => {
    const p = ok({
      '/p/compose.yaml':
        'services:\n  a:\n    image: a\n    hostname: ha\n  b:\n    extends: a\n    user: ub\n  c:\n    extends: b\n    working_dir: /c\n',
    });
    expect([p.services.c!.image, p.services.c!.hostname, p.services.c!.user, p.services.c!.working_dir]).toEqual([
      'a',
      'ha',
      'ub',
      '/c',
    ]);
  });

  test('another file: relative paths resolve against that file', () => {
    const p = ok({
      '/p/compose.yaml': 'services:\n  web:\n    extends:\n      file: common/base.yaml\n      service: app\n',
      '/p/common/base.yaml':
        'services:\n  app:\n    build: ./ctx\n    env_file: app.env\n    volumes: ["./data:/data"]\n',
      '/p/common/app.env': 'X=1\n',
    });
    const web = p.services.web!;
    expect(web.build?.context).toBe('/p/common/ctx');
    expect(web.volumes[0]?.source).toBe('/p/common/data');
    expect(web.environment).toEqual({ X: '1' });
  });

  test('another file whose service extends within that file', () => {
    const p = ok({
      '/p/compose.yaml': 'services:\n  web:\n    extends: {file: lib.yaml, service: two}\n',
      '/p/lib.yaml': 'services:\n  one:\n    image: one\n  two:\n    extends: one\n    user: u2\n',
    });
    expect([p.services.web!.image, p.services.web!.user]).toEqual(['one', 'u2']);
    expect(Object.keys(p.services)).toEqual(['web']);
  });

  test('positions of inherited keys point into the extended file', () => {
    const p = ok({
      '/p/compose.yaml': 'services:\n  web:\n    extends: {file: lib.yaml, service: app}\n',
      '/p/lib.yaml': 'services:\n  app:\n    image: one\n',
    });
    expect(p.sources.get('services/web/image')?.file).toBe('/p/lib.yaml');
  });

  const errors: Array<[string, Record<string, string>, string, string]> = [
    [
      'a cycle in one file',
      { '/p/compose.yaml': 'services:\n  a:\n    image: a\n    extends: b\n  b:\n    extends: a\n' },
      'extends-cycle',
      '/p/compose.yaml:6:5',
    ],
    [
      'a service extending itself',
      { '/p/compose.yaml': 'services:\n  a:\n    image: a\n    extends: a\n' },
      'extends-cycle',
      '/p/compose.yaml:4:5',
    ],
    [
      'a cycle across files',
      {
        '/p/compose.yaml': 'services:\n  a:\n    extends: {file: b.yaml, service: b}\n',
        '/p/b.yaml': 'services:\n  b:\n    extends: {file: compose.yaml, service: a}\n',
      },
      'extends-cycle',
      '/p/b.yaml:3:5',
    ],
    [
      'a missing service',
      { '/p/compose.yaml': 'services:\n  a:\n    image: a\n    extends: nope\n' },
      'extends-missing',
      '/p/compose.yaml:4:5',
    ],
    [
      'a missing file',
      { '/p/compose.yaml': 'services:\n  a:\n    extends:\n      file: nope.yaml\n      service: x\n' },
      'extends-missing',
      '/p/compose.yaml:3:5',
    ],
    [
      'a missing service in another file',
      {
        '/p/compose.yaml': 'services:\n  a:\n    extends: {file: lib.yaml, service: x}\n',
        '/p/lib.yaml': 'services:\n  y:\n    image: y\n',
      },
      'extends-missing',
      '/p/compose.yaml:3:5',
    ],
  ];
  test.each(errors)('error: %s', (_n, files, code, where) => {
    const e = firstError(files);
    expect(e.code).toBe(code);
    expect(formatPos(e.pos)).toBe(where);
  });
});
