/**
 * The loader pipeline end to end: file discovery and override files, COMPOSE_FILE, .env / --env-file
 * precedence, service env_file merging, project name, stdin, project directory, error positions.
 */
import { describe, expect, test } from 'vitest';
import { loadProject } from '../../src/index.js';
import { memoryFs } from '../../src/load/fs.js';
import type { LoadOptions, LoadResult } from '../../src/load/api.js';
import { formatPos } from '../../src/report/diagnostic.js';

const WEB = 'services:\n  web:\n    image: web\n';

function load(files: Record<string, string>, opts: Partial<LoadOptions> = {}): LoadResult {
  return loadProject({ workingDir: '/p', fs: memoryFs(files), env: {}, ...opts });
}
function ok(files: Record<string, string>, opts: Partial<LoadOptions> = {}) {
  const r = load(files, opts);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.project!;
}

describe('file discovery', () => {
  const cases: Array<[string, Record<string, string>, string[]]> = [
    [
      'compose.yaml wins over docker-compose.yml',
      { '/p/compose.yaml': WEB, '/p/docker-compose.yml': WEB },
      ['/p/compose.yaml'],
    ],
    [
      'compose.yml wins over docker-compose.yaml',
      { '/p/compose.yml': WEB, '/p/docker-compose.yaml': WEB },
      ['/p/compose.yml'],
    ],
    [
      'docker-compose.yml wins over docker-compose.yaml',
      { '/p/docker-compose.yaml': WEB, '/p/docker-compose.yml': WEB },
      ['/p/docker-compose.yml'],
    ],
    [
      'override file is added',
      { '/p/compose.yaml': WEB, '/p/compose.override.yaml': WEB },
      ['/p/compose.yaml', '/p/compose.override.yaml'],
    ],
    [
      'compose.override.yml is preferred over compose.override.yaml',
      { '/p/compose.yaml': WEB, '/p/compose.override.yaml': WEB, '/p/compose.override.yml': WEB },
      ['/p/compose.yaml', '/p/compose.override.yml'],
    ],
    [
      'legacy names',
      { '/p/docker-compose.yml': WEB, '/p/docker-compose.override.yml': WEB },
      ['/p/docker-compose.yml', '/p/docker-compose.override.yml'],
    ],
  ];
  test.each(cases)('%s', (_n, files, want) => {
    expect(ok(files).composeFiles).toEqual(want);
  });

  test('several candidate names: a warning lists them', () => {
    const r = load({ '/p/compose.yaml': WEB, '/p/docker-compose.yml': WEB });
    expect(r.diagnostics.map((d) => d.code)).toContain('multiple-compose-files');
  });

  test('walks up to a parent directory, which becomes the project directory', () => {
    const p = ok(
      { '/p/compose.yaml': 'services:\n  web:\n    build: .\n', '/p/sub/dir/readme': 'x' },
      { workingDir: '/p/sub/dir' },
    );
    expect(p.composeFiles).toEqual(['/p/compose.yaml']);
    expect(p.workingDir).toBe('/p');
    expect(p.name).toBe('p');
  });

  test('the override file is not added when files are given with -f', () => {
    const p = ok(
      { '/p/compose.yaml': WEB, '/p/compose.override.yaml': 'services:\n  extra:\n    image: x\n' },
      { files: ['compose.yaml'] },
    );
    expect(Object.keys(p.services)).toEqual(['web']);
  });

  test('no compose file anywhere → no-compose-file', () => {
    const r = load({ '/q/compose.yaml': WEB });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['no-compose-file']);
  });

  test('a missing -f file → file-not-found', () => {
    const r = load({ '/p/compose.yaml': WEB }, { files: ['nope.yaml'] });
    expect(r.diagnostics.find((d) => d.severity === 'error')?.code).toBe('file-not-found');
  });

  test('COMPOSE_FILE lists the files (":"-separated)', () => {
    const p = ok(
      { '/p/a.yaml': WEB, '/p/b.yaml': 'services:\n  web:\n    user: u\n' },
      { env: { COMPOSE_FILE: 'a.yaml:b.yaml' } },
    );
    expect(p.composeFiles).toEqual(['/p/a.yaml', '/p/b.yaml']);
    expect(p.services.web!.user).toBe('u');
  });

  test('COMPOSE_FILE can come from .env', () => {
    const p = ok({ '/p/a.yaml': WEB, '/p/.env': 'COMPOSE_FILE=a.yaml\n' });
    expect(p.composeFiles).toEqual(['/p/a.yaml']);
  });

  test('inline content (stdin) is used as is, in the working directory', () => {
    const p = ok({}, { files: [{ path: '-', content: 'services:\n  s:\n    image: s\n    build: ./x\n' }] });
    expect(p.services.s!.build?.context).toBe('/p/x');
    expect(p.name).toBe('p');
  });

  test("the project directory is the first file's directory", () => {
    const p = ok(
      { '/p/deploy/compose.yaml': 'services:\n  web:\n    build: ../src\n' },
      { files: ['deploy/compose.yaml'] },
    );
    expect(p.workingDir).toBe('/p/deploy');
    expect(p.services.web!.build?.context).toBe('/p/src');
  });

  test('--project-directory overrides it (relative paths resolve there)', () => {
    const p = ok(
      { '/p/deploy/compose.yaml': 'services:\n  web:\n    build: ./src\n' },
      { files: ['deploy/compose.yaml'], projectDirectory: '/p' },
    );
    expect(p.workingDir).toBe('/p');
    expect(p.services.web!.build?.context).toBe('/p/src');
  });

  test('sources holds the text of every file read', () => {
    const r = load({
      '/p/compose.yaml': 'services:\n  web:\n    image: web\n    env_file: a.env\n',
      '/p/a.env': 'A=1\n',
      '/p/.env': 'X=1\n',
    });
    expect([...r.sources.keys()].sort()).toEqual(['/p/.env', '/p/a.env', '/p/compose.yaml']);
  });
});

describe('environment: .env and --env-file', () => {
  const files = {
    '/p/compose.yaml': 'services:\n  web:\n    image: web:${TAG}\n',
    '/p/.env': 'TAG=dotenv\n',
    '/p/prod.env': 'TAG=prod\n',
    '/p/extra.env': 'TAG=extra\n',
  };
  const cases: Array<[string, Partial<LoadOptions>, string]> = [
    ['.env in the project directory', {}, 'web:dotenv'],
    ['process environment wins over .env', { env: { TAG: 'proc' } }, 'web:proc'],
    ['--env-file replaces .env', { envFiles: ['prod.env'] }, 'web:prod'],
    ['later --env-file wins', { envFiles: ['prod.env', 'extra.env'] }, 'web:extra'],
    ['process environment wins over --env-file', { envFiles: ['prod.env'], env: { TAG: 'proc' } }, 'web:proc'],
  ];
  test.each(cases)('%s', (_n, opts, want) => {
    expect(ok(files, opts).services.web!.image).toBe(want);
  });

  test('the project records the env files it read, in order (the report cites them)', () => {
    expect(ok(files).envFiles).toEqual(['/p/.env']);
    expect(ok(files, { envFiles: ['prod.env', 'extra.env'] }).envFiles).toEqual(['/p/prod.env', '/p/extra.env']);
    expect(ok({ '/p/compose.yaml': WEB }).envFiles).toEqual([]);
  });

  test('a missing --env-file is an error', () => {
    const r = load(files, { envFiles: ['nope.env'] });
    expect(r.diagnostics.find((d) => d.severity === 'error')?.code).toBe('env-file-missing');
  });

  test('.env values can refer to earlier ones and to the process environment', () => {
    const p = ok(
      { '/p/compose.yaml': 'services:\n  web:\n    image: ${IMG}\n', '/p/.env': 'REG=r.io\nIMG=${REG}/${USER}/web\n' },
      { env: { USER: 'me' } },
    );
    expect(p.services.web!.image).toBe('r.io/me/web');
  });

  test('Project.environment keeps the interpolation environment', () => {
    const p = ok(files, { env: { OTHER: '1' } });
    expect(p.environment).toMatchObject({ TAG: 'dotenv', OTHER: '1' });
  });
});

describe('service env_file', () => {
  test('files in order, environment wins', () => {
    const p = ok({
      '/p/compose.yaml':
        'services:\n  web:\n    image: w\n    env_file: [a.env, b.env]\n    environment:\n      C: from-environment\n',
      '/p/a.env': 'A=a\nB=a\nC=a\n',
      '/p/b.env': 'B=b\n',
    });
    expect(p.services.web!.environment).toEqual({ A: 'a', B: 'b', C: 'from-environment' });
  });

  test('required: false and missing → skipped', () => {
    const p = ok({
      '/p/compose.yaml':
        'services:\n  web:\n    image: w\n    env_file:\n      - path: nope.env\n        required: false\n',
    });
    expect(p.services.web!.environment).toEqual({});
  });

  test('missing required file → env-file-missing at the entry', () => {
    const r = load({
      '/p/compose.yaml': 'services:\n  web:\n    image: w\n    env_file:\n      - ok.env\n      - nope.env\n',
      '/p/ok.env': 'A=1\n',
    });
    const e = r.diagnostics.find((d) => d.severity === 'error')!;
    expect(e.code).toBe('env-file-missing');
    expect(formatPos(e.pos)).toBe('/p/compose.yaml:6:9');
    expect(r.project).toBeUndefined();
  });

  test('env_file values may use the project environment', () => {
    const p = ok({
      '/p/compose.yaml': 'services:\n  web:\n    image: w\n    env_file: a.env\n',
      '/p/a.env': 'URL=http://${HOST}\n',
      '/p/.env': 'HOST=db\n',
    });
    expect(p.services.web!.environment).toEqual({ URL: 'http://db' });
  });
});

describe('project name', () => {
  const named = 'name: from-file\n' + WEB;
  const cases: Array<[string, Record<string, string>, Partial<LoadOptions>, string]> = [
    [
      'basename of the project directory',
      { '/p/My_App.v2/compose.yaml': WEB },
      { workingDir: '/p/My_App.v2' },
      'my_appv2',
    ],
    ['top-level name:', { '/p/compose.yaml': named }, {}, 'from-file'],
    [
      'COMPOSE_PROJECT_NAME wins over name:',
      { '/p/compose.yaml': named },
      { env: { COMPOSE_PROJECT_NAME: 'from-env' } },
      'from-env',
    ],
    [
      'COMPOSE_PROJECT_NAME from .env',
      { '/p/compose.yaml': WEB, '/p/.env': 'COMPOSE_PROJECT_NAME=dotenv-name\n' },
      {},
      'dotenv-name',
    ],
    [
      '-p wins over everything',
      { '/p/compose.yaml': named },
      { projectName: 'cli', env: { COMPOSE_PROJECT_NAME: 'from-env' } },
      'cli',
    ],
    [
      "the last file's name: wins",
      { '/p/compose.yaml': named, '/p/compose.override.yaml': 'name: second\n' },
      {},
      'second',
    ],
    [
      'name: can be interpolated',
      { '/p/compose.yaml': 'name: app-${ENV}\n' + WEB },
      { env: { ENV: 'dev' } },
      'app-dev',
    ],
    [
      'leading separators are trimmed from the basename',
      { '/p/_x-/compose.yaml': WEB },
      { workingDir: '/p/_x-' },
      'x-',
    ],
  ];
  test.each(cases)('%s', (_n, files, opts, want) => {
    const p = ok(files, opts);
    expect(p.name).toBe(want);
    // Only the directory's basename is marked: the name every selector holds then changes with the checkout.
    expect(p.nameFromDirectory ?? false).toBe(_n.includes('basename'));
  });

  const errors: Array<[string, Record<string, string>, Partial<LoadOptions>, string]> = [
    ['an invalid -p', { '/p/compose.yaml': WEB }, { projectName: 'Bad Name' }, 'invalid-project-name'],
    ['an invalid name:', { '/p/compose.yaml': 'name: Upper\n' + WEB }, {}, 'invalid-project-name'],
    [
      'a directory name with no usable character',
      { '/p/__/compose.yaml': WEB },
      { workingDir: '/p/__' },
      'project-name-empty',
    ],
  ];
  test.each(errors)('error: %s', (_n, files, opts, code) => {
    const r = load(files, opts);
    expect(r.project).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([code]);
  });

  test('an invalid name: is reported at its position', () => {
    const r = load({ '/p/compose.yaml': WEB + 'name: Upper\n' });
    expect(formatPos(r.diagnostics.find((d) => d.code === 'invalid-project-name')?.pos)).toBe('/p/compose.yaml:4:1');
  });
});

describe('errors with positions', () => {
  const cases: Array<[string, string, string, string]> = [
    ['YAML syntax', 'services:\n  web:\n    image: [oops\n', 'yaml-syntax', '/p/compose.yaml:'],
    [
      'required variable',
      'services:\n  web:\n    image: ${IMG:?set IMG}\n',
      'interpolation-required',
      '/p/compose.yaml:3:5',
    ],
    ['unknown key', 'services:\n  web:\n    image: w\n    imag: w\n', 'unknown-key', '/p/compose.yaml:4:5'],
  ];
  test.each(cases)('%s', (_n, yaml, code, where) => {
    const r = load({ '/p/compose.yaml': yaml });
    const e = r.diagnostics.find((d) => d.severity === 'error')!;
    expect(e.code).toBe(code);
    expect(formatPos(e.pos).startsWith(where)).toBe(true);
  });

  test('top-level version is ignored with an info note', () => {
    const r = load({ '/p/compose.yaml': 'version: "3.8"\n' + WEB });
    expect(r.project?.ignoredKeys).toContain('version');
    expect(r.diagnostics.find((d) => d.code === 'version-obsolete')?.severity).toBe('info');
  });
});

describe('an empty compose file (compose-go: "empty compose file")', () => {
  test.each([
    ['empty', ''],
    ['only comments', '# later\n\n'],
    ['null', 'null\n'],
    ['an empty document', '---\n'],
  ])('%s: an error at file:1:1, no project', (_n, text) => {
    const r = load({ '/p/compose.yaml': text });
    expect(r.project).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.severity, d.code, formatPos(d.pos)])).toEqual([
      ['error', 'compose-file-empty', '/p/compose.yaml:1:1'],
    ]);
  });

  test('from stdin too', () => {
    const r = load({}, { files: [{ path: '-', content: '' }] });
    expect(r.diagnostics.map((d) => [d.code, formatPos(d.pos)])).toEqual([['compose-file-empty', '<stdin>:1:1']]);
  });

  test('any top-level key is a project: name, an extension, an empty services', () => {
    for (const text of ['name: x\n', 'x-common: {}\n', 'services: {}\n']) ok({ '/p/compose.yaml': text });
  });

  test('files are checked merged: an empty override or included file is fine, all of them empty is not', () => {
    ok({ '/p/compose.yaml': WEB, '/p/compose.override.yaml': '' });
    ok({ '/p/compose.yaml': 'include: [inc.yaml]\n' + WEB, '/p/inc.yaml': '# nothing yet\n' });
    const r = load({ '/p/a.yaml': '', '/p/b.yaml': '# b\n' }, { files: ['a.yaml', 'b.yaml'] });
    expect(r.diagnostics.map((d) => [d.code, formatPos(d.pos)])).toEqual([['compose-file-empty', '/p/a.yaml:1:1']]);
    // compose-go drops `include` once applied: a file that only includes empty files is empty.
    const inc = load({ '/p/compose.yaml': 'include: [inc.yaml]\n', '/p/inc.yaml': '' });
    expect(inc.diagnostics.map((d) => d.code)).toEqual(['compose-file-empty']);
  });
});

describe('scale', () => {
  test('a generated 1000-service file loads', () => {
    let yaml = 'services:\n';
    for (let i = 0; i < 1000; i++) {
      // a 1000-long depends_on chain (a ring would be a dependency cycle, which docker compose rejects)
      const dep = i < 999 ? `    depends_on: [svc${i + 1}]\n` : '';
      yaml += `  svc${i}:\n    image: img${i}:1\n    ports: ["${10000 + i}:80"]\n    environment: [A=${i}]\n${dep}    volumes: ["./d${i}:/data"]\n`;
    }
    const t0 = performance.now();
    const p = ok({ '/p/compose.yaml': yaml, '/p/compose.override.yaml': 'services:\n  svc0:\n    user: u\n' });
    const ms = performance.now() - t0;
    console.log(`1000 services loaded in ${ms.toFixed(0)} ms`);
    expect(Object.keys(p.services)).toHaveLength(1000);
    expect(p.services.svc0!.user).toBe('u');
  });
});
