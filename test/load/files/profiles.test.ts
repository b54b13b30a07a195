/** Profiles (compose-spec 15-profiles.md) through loadProject. */
import { describe, expect, test } from 'vitest';
import { loadProject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import { formatPos } from '../../../src/report/diagnostic.js';

const SPEC_EXAMPLE = `services:
  foo:
    image: foo
  bar:
    image: bar
    profiles:
      - test
  baz:
    image: baz
    depends_on:
      - bar
    profiles:
      - test
  zot:
    image: zot
    depends_on:
      - bar
    profiles:
      - debug
`;

function load(yaml: string, profiles?: string[], env: Record<string, string> = {}) {
  return loadProject({
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': yaml }),
    env,
    ...(profiles ? { profiles } : {}),
  });
}

describe('profiles: the spec example', () => {
  const cases: Array<[string, string[] | undefined, Record<string, string>, string[]]> = [
    ['no profile: only services without profiles', undefined, {}, ['foo']],
    ['--profile test', ['test'], {}, ['bar', 'baz', 'foo']],
    ['--profile test --profile debug', ['test', 'debug'], {}, ['bar', 'baz', 'foo', 'zot']],
    ['comma-separated flag value', ['test,debug'], {}, ['bar', 'baz', 'foo', 'zot']],
    ['COMPOSE_PROFILES when no flag', undefined, { COMPOSE_PROFILES: 'test' }, ['bar', 'baz', 'foo']],
    ['flags win over COMPOSE_PROFILES', ['test'], { COMPOSE_PROFILES: 'debug' }, ['bar', 'baz', 'foo']],
    ['"*" enables every profile', ['*'], {}, ['bar', 'baz', 'foo', 'zot']],
  ];
  test.each(cases)('%s', (_n, profiles, env, want) => {
    const r = load(SPEC_EXAMPLE, profiles, env);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(Object.keys(r.project!.services).sort()).toEqual(want);
  });

  test('disabled services are listed with their profiles', () => {
    const r = load(SPEC_EXAMPLE);
    expect(r.project!.disabledServices).toEqual({ bar: ['test'], baz: ['test'], zot: ['debug'] });
  });

  test('--profile debug alone: zot depends on the disabled bar → error at the reference', () => {
    const r = load(SPEC_EXAMPLE, ['debug']);
    expect(r.project).toBeUndefined();
    const e = r.diagnostics.find((d) => d.severity === 'error')!;
    expect(e.code).toBe('profile-disabled-dependency');
    expect(e.message).toContain('"bar"');
    expect(formatPos(e.pos)).toMatch(/^\/p\/compose\.yaml:17:/);
  });
});

describe('profiles: references to disabled services', () => {
  const base = (ref: string) => `services:\n  tool:\n    image: t\n    profiles: [tools]\n  app:\n    image: a\n${ref}`;
  const cases: Array<[string, string, string | undefined]> = [
    [
      'optional depends_on (required: false) is fine',
      '    depends_on:\n      tool:\n        condition: service_started\n        required: false\n',
      undefined,
    ],
    ['links', '    links: [tool]\n', 'profile-disabled-dependency'],
    ['volumes_from', '    volumes_from: [tool]\n', 'profile-disabled-dependency'],
    ['network_mode service:', '    network_mode: "service:tool"\n', 'profile-disabled-dependency'],
    [
      'depends_on long form',
      '    depends_on:\n      tool:\n        condition: service_healthy\n',
      'profile-disabled-dependency',
    ],
  ];
  test.each(cases)('%s', (_n, ref, code) => {
    const r = load(base(ref));
    const errs = r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    expect(errs).toEqual(code ? [code] : []);
  });

  test('a disabled service may depend on another disabled one', () => {
    const r = load(
      'services:\n  a:\n    image: a\n    profiles: [x]\n    depends_on: [b]\n  b:\n    image: b\n    profiles: [y]\n',
    );
    expect(r.project?.disabledServices).toEqual({ a: ['x'], b: ['y'] });
  });

  test('unused top-level networks and volumes stay', () => {
    const r = load(
      'services:\n  a:\n    image: a\n    profiles: [x]\n    volumes: [data:/d]\n    networks: [n]\nvolumes:\n  data: {}\nnetworks:\n  n: {}\n',
    );
    expect(Object.keys(r.project!.volumes)).toEqual(['data']);
    expect(Object.keys(r.project!.networks)).toContain('n');
  });
});
