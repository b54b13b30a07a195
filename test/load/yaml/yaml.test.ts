import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Override, RESET } from '../../../src/load/yaml/tags.js';
import { parseComposeYaml, parseComposeYamlDocuments } from '../../../src/load/yaml/yaml.js';
import { MAX_ALIAS_EXPANSION } from '../../../src/load/yaml/cst.js';
import { Diagnostics } from '../../../src/report/diagnostic.js';
import { TEXTS } from '../../../src/mappings/texts.js';

function parse(text: string) {
  const d = new Diagnostics(TEXTS);
  const r = parseComposeYaml(text, 'compose.yaml', d);
  return { r, d, value: r?.value as Record<string, unknown> | undefined };
}
const at = (r: ReturnType<typeof parse>['r'], ptr: string) => {
  const p = r?.positions.get(ptr);
  return p ? `${p.line}:${p.col}` : undefined;
};

describe('scalars as go-yaml v3 resolves them', () => {
  const cases: Array<[string, unknown]> = [
    ['yes', 'yes'],
    ['no', 'no'],
    ['on', 'on'],
    ['off', 'off'],
    ['y', 'y'],
    ['true', true],
    ['False', false],
    ['TRUE', true],
    ['~', null],
    ['null', null],
    ['NULL', null],
    ['', null],
    ['0440', 288], // legacy octal: file modes reach docker compose as 0o440
    ['0o440', 288],
    ['0x1F', 31],
    ['-0x1F', -31],
    ['0b101', 5],
    ['1_000', 1000],
    ['+12', 12],
    ['08', 8], // not octal, not an int: the YAML float pattern reads it as 8
    ['1e3', 1000],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['.inf', Number.POSITIVE_INFINITY],
    ['-.Inf', Number.NEGATIVE_INFINITY],
    ['9007199254740993', 9007199254740993n], // beyond 2^53: exact as a bigint
    ['18446744073709551615', 18446744073709551615n], // uint64 max
    ['2001-12-14', '2001-12-14'], // no timestamps in compose
    ['0o8', '0o8'],
    ['1.2.3', '1.2.3'],
    ['80:80', '80:80'],
    ['"0440"', '0440'],
    ["'true'", 'true'],
    ['!!str 0440', '0440'],
    ['!!int "12"', 12],
    ['!!float 1', 1],
  ];
  it.each(cases)('v: %s', (src, want) => {
    const { value, d } = parse(`v: ${src}\n`);
    expect(d.list).toEqual([]);
    if (typeof want === 'number' && Number.isNaN(want)) expect(Number.isNaN(value?.v)).toBe(true);
    else expect(value?.v).toEqual(want);
  });
  it('.nan is NaN', () => {
    expect(Number.isNaN(parse('v: .nan').value?.v)).toBe(true);
  });
  it('block scalars are strings', () => {
    expect(parse('v: |\n  12\n').value?.v).toBe('12\n');
  });
  it('!!int on a word is an error', () => {
    const { r, d } = parse('a: 1\nv: !!int abc\n');
    expect(r).toBeUndefined();
    expect(d.errors[0]).toMatchObject({ code: 'yaml-bad-tag', pos: { line: 2, col: 10 } });
  });
});

describe('positions', () => {
  const src = [
    'services:',
    '  web:',
    '    image: nginx',
    '    ports:',
    '      - "80:80"',
    '      - target: 443',
    '',
  ].join('\n');
  it('points mapping entries at their key and sequence items at their start', () => {
    const { r } = parse(src);
    expect(at(r, '')).toBe('1:1');
    expect(at(r, 'services')).toBe('1:1');
    expect(at(r, 'services/web')).toBe('2:3');
    expect(at(r, 'services/web/image')).toBe('3:5');
    expect(at(r, 'services/web/ports/0')).toBe('5:9');
    expect(at(r, 'services/web/ports/1')).toBe('6:9');
    expect(at(r, 'services/web/ports/1/target')).toBe('6:9');
  });
  it('escapes pointer segments with / and ~', () => {
    const { r } = parse('labels:\n  a/b~c: x\n');
    expect(at(r, 'labels/a~1b~0c')).toBe('2:3');
  });
  it('keeps the position where a merged-in key was written (in the anchor)', () => {
    const { r, value } = parse(
      [
        'x-base: &base',
        '  image: app',
        '  restart: always',
        'services:',
        '  web:',
        '    <<: *base',
        '    restart: "no"',
        '',
      ].join('\n'),
    );
    expect(value?.services).toEqual({ web: { image: 'app', restart: 'no' } });
    expect(at(r, 'services/web/image')).toBe('2:3');
    expect(at(r, 'services/web/restart')).toBe('7:5');
  });
});

describe('anchors, aliases, merge keys', () => {
  it('expands aliases into independent copies', () => {
    const { value } = parse('a: &a {k: [1]}\nb: *a\n');
    expect(value?.b).toEqual({ k: [1] });
    expect(value?.b).not.toBe(value?.a);
  });
  it('merges a list of anchors: local keys win, earlier sources win', () => {
    const { value } = parse(
      ['p: &p {a: p, b: p}', 'q: &q {a: q, c: q}', 'x:', '  <<: [*p, *q]', '  b: local', ''].join('\n'),
    );
    expect(value?.x).toEqual({ a: 'p', b: 'local', c: 'q' });
  });
  it('merges an inline mapping', () => {
    expect(parse('x:\n  <<: {a: 1}\n  b: 2\n').value?.x).toEqual({ a: 1, b: 2 });
  });
  it('a local key written before the merge key still wins', () => {
    expect(parse('p: &p {a: p}\nx:\n  a: mine\n  <<: *p\n').value?.x).toEqual({ a: 'mine' });
  });
  it('the tagged merge key `!!merge <<` merges like `<<` (go-yaml reads both)', () => {
    const r = parse('p: &p {a: p, b: p}\nx:\n  !!merge <<: *p\n  b: local\n');
    expect(r.value?.x).toEqual({ a: 'p', b: 'local' });
    expect(parse('x:\n  !!merge <<: [{a: 1}, {a: 2, c: 3}]\n').value?.x).toEqual({ a: 1, c: 3 });
  });
  it('a quoted "<<" is a plain key', () => {
    expect(parse('x:\n  "<<": 1\n').value?.x).toEqual({ '<<': 1 });
  });
  it('x-* fields are plain data', () => {
    expect(parse('x-common: &c\n  env: {A: "1"}\n').value).toEqual({ 'x-common': { env: { A: '1' } } });
  });
  it('a later anchor with the same name shadows the earlier one', () => {
    expect(parse('a: &x 1\nb: &x 2\nc: *x\n').value?.c).toBe(2);
  });
  it('merging a scalar is an error at the merged value', () => {
    const { d } = parse('s: &s 1\nx:\n  <<: *s\n');
    expect(d.errors[0]).toMatchObject({ code: 'yaml-merge', pos: { line: 3, col: 7 } });
  });
  it('an unknown alias is an error at the alias', () => {
    const { r, d } = parse('a: 1\nb: *nope\n');
    expect(r).toBeUndefined();
    expect(d.errors[0]).toMatchObject({ code: 'yaml-syntax', pos: { line: 2, col: 4 } });
  });
  it('a recursive alias is an error, not a hang', () => {
    const { d } = parse('a: &a [1, *a]\n');
    expect(d.errors[0]).toMatchObject({ code: 'yaml-alias-limit', pos: { line: 1, col: 11 } });
  });
  it('a "billion laughs" document fails fast with yaml-alias-limit', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'abcdefghi';
    for (let i = 1; i < names.length; i++) {
      const prev = names[i - 1];
      lines.push(
        `${names[i]}: &${names[i]} [${Array(9)
          .fill('*' + prev)
          .join(',')}]`,
      );
    }
    const t = Date.now();
    const { r, d } = parse(lines.join('\n') + '\n');
    expect(Date.now() - t).toBeLessThan(5000);
    expect(r).toBeUndefined();
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0]?.code).toBe('yaml-alias-limit');
    expect(d.errors[0]?.message).toContain(String(MAX_ALIAS_EXPANSION));
  });
});

describe('compose tags', () => {
  it('!reset on any node kind, with or without a value', () => {
    const { value, d } = parse('a: !reset []\nb: !reset null\nc: !reset\nd: !reset {x: 1}\n');
    expect(d.list).toEqual([]);
    expect(value).toEqual({ a: RESET, b: RESET, c: RESET, d: RESET });
  });
  it('!override wraps the value', () => {
    const { value, r } = parse('command: !override [a, b]\nenv: !override\n  A: "1"\n');
    expect(value?.command).toBeInstanceOf(Override);
    expect((value?.command as Override).value).toEqual(['a', 'b']);
    expect((value?.env as Override).value).toEqual({ A: '1' });
    expect(at(r, 'command/1')).toBe('1:24');
  });
  it('an unknown tag is a warning and the value is kept', () => {
    const { value, d } = parse('a: 1\nb: !custom hello\n');
    expect(value?.b).toBe('hello');
    expect(d.list).toHaveLength(1);
    expect(d.list[0]).toMatchObject({ severity: 'warning', code: 'yaml-unknown-tag', pos: { line: 2, col: 12 } });
  });
});

describe('errors', () => {
  const cases: Array<[string, string, string, number, number]> = [
    ['syntax', 'services:\n  web: [\n', 'yaml-syntax', 3, 1],
    ['bad indentation', 'a: 1\n b: 2\n', 'yaml-syntax', 1, 4],
    ['misaligned key', 'services:\n  web:\n    image: x\n   ports: []\n', 'yaml-syntax', 4, 1],
    ['unclosed quote (points at the opening quote)', 'a: 1\nb: "x\nc: 2\n', 'yaml-syntax', 2, 4],
    ['duplicate key', 'services:\n  web: {}\n  web: {}\n', 'yaml-duplicate-key', 3, 3],
    ['numeric key (compose-go: Non-string key)', 'services:\n  80:\n    image: x\n', 'yaml-non-string-key', 2, 3],
    ['boolean key', 'true: 1\n', 'yaml-non-string-key', 1, 1],
    ['sequence key', 'a: 1\n? [a]\n: 1\n', 'yaml-non-string-key', 2, 3],
    ['null key', 'a: 1\n: 1\n', 'yaml-non-string-key', 2, 1],
    ['top-level sequence', '- a\n', 'yaml-not-mapping', 1, 1],
    ['top-level scalar', '\n"hello"\n', 'yaml-not-mapping', 2, 1],
  ];
  it.each(cases)('%s', (_name, src, code, line, col) => {
    const { r, d } = parse(src);
    expect(r).toBeUndefined();
    expect(d.errors[0]).toMatchObject({ code, pos: { file: 'compose.yaml', line, col } });
  });
  it('reports all errors of the file at once', () => {
    const { d } = parse('a: 1\na: 2\n1: x\nb:\n  c: 1\n  c: 2\n');
    expect(d.errors.map((e) => `${e.code}@${e.pos?.line}`)).toEqual([
      'yaml-duplicate-key@2',
      'yaml-non-string-key@3',
      'yaml-duplicate-key@6',
    ]);
  });
  it('quoted numeric keys are fine', () => {
    expect(parse('"80": x\n').value).toEqual({ '80': 'x' });
  });
});

describe('documents', () => {
  it('an empty file is an empty project', () => {
    for (const src of ['', '# only comments\n', '---\n']) {
      const { value, d } = parse(src);
      expect(d.list).toEqual([]);
      expect(value).toEqual({});
    }
  });
  it('several documents merge in order (compose-go loads them as layers)', () => {
    const { value, r, d } = parse(
      'services:\n  app:\n    image: a\n    ports: ["1"]\n---\nservices:\n  app:\n    ports: ["2"]\n---\n',
    );
    expect(value).toEqual({ services: { app: { image: 'a', ports: ['2'] } } });
    expect(at(r, 'services/app/ports/0')).toBe('8:13');
    expect(d.list.map((x) => x.code)).toEqual(['yaml-multi-document']);
  });
  it('parseComposeYamlDocuments returns each document separately', () => {
    const docs = parseComposeYamlDocuments('a: 1\n---\nb: 2\n', 'f.yml', new Diagnostics(TEXTS));
    expect(docs?.map((x) => x.value)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(docs?.[1]?.positions.get('b')).toEqual({ file: 'f.yml', line: 3, col: 1 });
  });
});

describe('real-world corpus', () => {
  const root = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir)) {
      const p = dir + n;
      if (statSync(p).isDirectory()) walk(p + '/');
      else if (/\.ya?ml$/.test(n)) files.push(p);
    }
  };
  if (existsSync(root)) walk(root);
  // compose files only: kompose's expected Kubernetes outputs and tool configs sit in the same tree
  const compose = files.filter(
    (f) => /(^|\/)([\w.-]*compose[\w.-]*)\.ya?ml$/.test(f) || /^services:/m.test(readFileSync(f, 'utf8')),
  );

  it.runIf(compose.length > 0)('parses every compose file with no error diagnostics', () => {
    const failures: string[] = [];
    for (const f of compose) {
      const d = new Diagnostics(TEXTS);
      const r = parseComposeYaml(readFileSync(f, 'utf8'), f, d);
      if (!r || d.hasErrors())
        failures.push(
          `${f.slice(root.length)}: ${d.errors.map((e) => `${e.pos?.line}:${e.pos?.col} ${e.code} ${e.message}`).join('; ')}`,
        );
    }
    expect(failures).toEqual([]);
    expect(compose.length).toBeGreaterThan(50);
  });

  it.runIf(existsSync(root + 'real-world/sentry-self-hosted/docker-compose.yml'))(
    'parses sentry (many aliases) with positions',
    () => {
      const d = new Diagnostics(TEXTS);
      const r = parseComposeYaml(
        readFileSync(root + 'real-world/sentry-self-hosted/docker-compose.yml', 'utf8'),
        'sentry',
        d,
      );
      expect(d.list).toEqual([]);
      const services = (r?.value as { services: Record<string, unknown> }).services;
      expect(Object.keys(services).length).toBeGreaterThan(20);
    },
  );
});
