/**
 * Interpolation provenance: the loader records which variables each value was made from, by the value's
 * position, so the converter can share one Secret key between every value a credential was interpolated into.
 */
import { describe, expect, test } from 'vitest';
import { interpolateString } from '../../../src/load/env/interpolate.js';
import { loadProject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import { pointer, positionKey } from '../../../src/model/pointer.js';

const env: Record<string, string> = { PASS: 's3cr3t', USER: 'app', EMPTY: '' };
const lookup = (n: string): string | undefined => env[n];

describe('interpolateString parts', () => {
  test.each([
    ['${PASS}', [{ text: 's3cr3t', name: 'PASS' }]],
    ['$PASS', [{ text: 's3cr3t', name: 'PASS' }]],
    [
      'postgres://${USER}:${PASS}@db/x',
      [
        { text: 'postgres://' },
        { text: 'app', name: 'USER' },
        { text: ':' },
        { text: 's3cr3t', name: 'PASS' },
        { text: '@db/x' },
      ],
    ],
    ['${PASS:-fallback}', [{ text: 's3cr3t', name: 'PASS' }]],
    ['${NOPE:-fallback}', [{ text: 'fallback' }]],
    ['${NOPE:-${PASS}}', [{ text: 's3cr3t', name: 'PASS' }]],
    ['${EMPTY:-x}', [{ text: 'x' }]],
    ['${PASS:+set}', [{ text: 'set' }]],
    ['a$$b', [{ text: 'a$b' }]],
  ])('%s', (input, parts) => {
    const r = interpolateString(input, lookup);
    expect(r.parts).toEqual(parts);
    expect(r.value).toBe(parts.map((p) => p.text).join(''));
  });
});

describe('loader', () => {
  test('records the variables of each value by its position, through extends', () => {
    const r = loadProject({
      workingDir: '/p',
      fs: memoryFs({
        '/p/compose.yaml': [
          'services:',
          '  db:',
          '    image: postgres',
          '    environment:',
          '      POSTGRES_PASSWORD: ${DB_PASS}',
          '      POSTGRES_DB: app',
          '  web:',
          '    extends: { file: base.yaml, service: base }',
          '',
        ].join('\n'),
        '/p/base.yaml':
          'services:\n  base:\n    image: web\n    environment:\n      DATABASE_URL: postgres://u:${DB_PASS}@db/app\n',
        '/p/.env': 'DB_PASS=hunter22\n',
      }),
      env: {},
    });
    const p = r.project!;
    const partsOf = (svc: string, key: string) =>
      p.interpolated?.get(positionKey(p.sources.get(pointer('services', svc, 'environment', key))!));
    expect(partsOf('db', 'POSTGRES_PASSWORD')).toEqual([{ text: 'hunter22', name: 'DB_PASS' }]);
    expect(partsOf('web', 'DATABASE_URL')).toEqual([
      { text: 'postgres://u:' },
      { text: 'hunter22', name: 'DB_PASS' },
      { text: '@db/app' },
    ]);
    expect(partsOf('db', 'POSTGRES_DB')).toBeUndefined();
  });
});

describe('.env values built from other variables (Project.environmentParts)', () => {
  const load = (dotenv: string, processEnv: Record<string, string> = {}, more: Record<string, string> = {}) =>
    loadProject({
      workingDir: '/p',
      fs: memoryFs({ '/p/compose.yaml': 'services:\n  app:\n    image: app\n', '/p/.env': dotenv, ...more }),
      env: processEnv,
    }).project!;

  test('keeps the pieces of each value that interpolated a variable, taking apart one built so itself', () => {
    const p = load(
      [
        'USER=mm',
        'PASS=s3cr3t',
        'URL=postgres://${USER}:${PASS}@db/x',
        'DSN="${URL}&ssl=1"',
        "RAW='${PASS}'",
        'PLAIN=text',
      ].join('\n'),
    );
    expect(p.environment.URL).toBe('postgres://mm:s3cr3t@db/x');
    expect(p.environmentParts?.get('URL')).toEqual([
      { text: 'postgres://' },
      { text: 'mm', name: 'USER' },
      { text: ':' },
      { text: 's3cr3t', name: 'PASS' },
      { text: '@db/x' },
    ]);
    // DSN was built from URL, itself built from PASS: its pieces are URL's, then its own text.
    expect(p.environmentParts?.get('DSN')?.map((q) => q.name ?? q.text)).toEqual([
      'postgres://',
      'USER',
      ':',
      'PASS',
      '@db/x',
      '&ssl=1',
    ]);
    // Single quotes interpolate nothing; a literal has no pieces.
    expect([...p.environmentParts!.keys()].sort()).toEqual(['DSN', 'URL']);
  });

  test('a later line or file setting it as a literal, or the process environment setting it, drops the pieces', () => {
    const p = load('PASS=s3cr3t\nA=x${PASS}\nB=y${PASS}\nA=plain\n', { B: 'from-shell' });
    expect(p.environment.B).toBe('from-shell');
    expect(p.environmentParts).toBeUndefined();
  });

  test("across --env-files: a value of a later file built from an earlier file's variable", () => {
    const p = loadProject({
      workingDir: '/p',
      envFiles: ['a.env', 'b.env'],
      fs: memoryFs({
        '/p/compose.yaml': 'services:\n  app:\n    image: app\n',
        '/p/a.env': 'PASS=s3cr3t\n',
        '/p/b.env': 'URL=redis://:${PASS}@cache\n',
      }),
      env: {},
    }).project!;
    expect(p.environmentParts?.get('URL')).toEqual([
      { text: 'redis://:' },
      { text: 's3cr3t', name: 'PASS' },
      { text: '@cache' },
    ]);
  });
});

describe('env_file values built from other variables (Project.envFileParts)', () => {
  test('per service, the pieces of what it takes from its env_files; environment: or a raw file replacing it drops them', () => {
    const compose = [
      'services:',
      '  app:',
      '    image: app',
      '    env_file: [app.env, {path: raw.env, format: raw}]',
      '    environment: {OWN: mine}',
      '  plain:',
      '    image: plain',
      '    env_file: plain.env',
    ].join('\n');
    const p = loadProject({
      workingDir: '/p',
      fs: memoryFs({
        '/p/compose.yaml': compose,
        '/p/.env': 'PASS=s3cr3t\n',
        '/p/app.env': 'HOST=db\nURL=postgres://u:${PASS}@${HOST}/x\nOWN=x${PASS}\nLATER=y${PASS}\n',
        '/p/raw.env': 'LATER=literal\n',
        '/p/plain.env': 'A=1\n',
      }),
      env: {},
    }).project!;
    expect(p.services.app!.environment.URL).toBe('postgres://u:s3cr3t@db/x');
    expect(p.envFileParts?.get('app')?.get('URL')).toEqual([
      { text: 'postgres://u:' },
      { text: 's3cr3t', name: 'PASS' },
      { text: '@' },
      { text: 'db', name: 'HOST' },
      { text: '/x' },
    ]);
    expect([...p.envFileParts!.get('app')!.keys()]).toEqual(['URL']);
    expect(p.envFileParts?.has('plain')).toBe(false);
  });
});
