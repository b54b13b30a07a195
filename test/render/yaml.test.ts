import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderYaml, isAmbiguous } from '../../src/render/yaml.js';
import type { KubeObject } from '../../src/kube/object.js';

/** Strings that some YAML 1.1 or 1.2 reader would turn into something else when left unquoted. */
const NASTY = [
  'on',
  'off',
  'On',
  'OFF',
  'yes',
  'no',
  'Yes',
  'NO',
  'y',
  'Y',
  'n',
  'N',
  'true',
  'False',
  'TRUE',
  'tRuE',
  '~',
  'null',
  'Null',
  'NULL',
  '0755',
  '0o755',
  '0x1F',
  '0b101',
  '1_000',
  '1e3',
  '1E-3',
  '.5',
  '+1',
  '-1',
  '1.',
  '.inf',
  '-.inf',
  '.Inf',
  '.nan',
  '.NaN',
  '1:20',
  '190:20:30',
  '-1:20',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  '=',
  '<<',
  '',
  ' ',
  ' leading',
  'trailing ',
  '123',
  '3.14',
  '-0',
  '00',
  '1,000',
  '#not a comment',
  '- item',
  '? key',
  ': colon',
  'a: b',
  'key:',
  '[1,2]',
  '{a: 1}',
  '*alias',
  '&anchor',
  '!tag',
  '%directive',
  '@at',
  '`tick',
  '|',
  '>',
  '"quoted"',
  "'single'",
  'tab\there',
  'ctrl\u0007char',
  'nul\u0000',
  'line1\nline2',
  'trailing newline\n',
  'two trailing\n\n',
  '\nleading newline',
  '  indented\nblock',
  'spaces at end  \nnext',
  'crlf\r\nline',
  'unicode ✓ ü',
  'emoji 😀',
  '\u2028sep',
  'a # b',
  'a#b',
  'http://x:80/y?z=1&w',
  '${VAR}',
  "it's",
  '-',
  '---',
  '...',
  'ä: ö',
];

function obj(data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nasty' }, data };
}

function readBack(text: string, version: '1.1' | '1.2'): unknown[] {
  const docs = parseAllDocuments(text, { version });
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS());
}

describe('renderYaml YAML 1.1/1.2 safety', () => {
  it(`round-trips ${NASTY.length} nasty strings as values and keys under both versions`, () => {
    expect(NASTY.length).toBeGreaterThanOrEqual(40);
    const data: Record<string, string> = {};
    NASTY.forEach((s, i) => (data[`k${String(i).padStart(3, '0')}`] = s));
    const asKeys: Record<string, string> = {};
    for (const s of NASTY) if (s !== '') asKeys[s] = s;
    const input = [obj(data), { ...obj(asKeys), metadata: { name: 'keys', labels: { on: 'yes', y: 'n' } } }];
    const text = renderYaml(input);
    for (const v of ['1.1', '1.2'] as const) expect(readBack(text, v)).toEqual(JSON.parse(JSON.stringify(input)));
  });

  it('quotes ambiguous scalars and leaves ordinary ones plain', () => {
    const text = renderYaml([obj({ a: 'on', b: '0755', c: '1:20', d: 'hello world', e: 'nginx:1.25' })]);
    expect(text).toContain('a: "on"');
    expect(text).toContain('b: "0755"');
    expect(text).toContain('c: "1:20"');
    expect(text).toContain('d: hello world');
    expect(text).toContain('e: nginx:1.25');
  });

  it('keeps non-string scalars typed', () => {
    const o: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'w' },
      spec: { replicas: 3, paused: false, x: null, f: 0.5 },
    };
    const text = renderYaml([o]);
    expect(text).toContain('replicas: 3\n');
    expect(text).toContain('paused: false\n');
    for (const v of ['1.1', '1.2'] as const) expect(readBack(text, v)).toEqual([o]);
  });

  it('detects ambiguity per YAML 1.1 rules that a 1.2 reader would not flag', () => {
    for (const s of ['y', 'N', 'off', '0755', '1_000', '1:20', '2001-12-14', '=', '<<'])
      expect(isAmbiguous(s)).toBe(true);
    for (const s of ['nginx', 'web-1', 'ClusterIP', '/data', 'a b', 'v1.2.3']) expect(isAmbiguous(s)).toBe(false);
  });

  it('writes multi-line strings as block literals without folding long lines', () => {
    const long = 'x'.repeat(300) + ' ' + 'y'.repeat(300);
    const text = renderYaml([obj({ script: 'echo a\necho b\n', long })]);
    expect(text).toMatch(/script: \|\n {4}echo a\n {4}echo b\n/);
    expect(text).toContain(`long: ${long}\n`);
  });
});

describe('renderYaml stream and order', () => {
  const a: KubeObject = {
    spec: { selector: { matchLabels: { z: '1', a: '2' } }, ports: [{ port: 80 }] },
    zeta: 1,
    kind: 'Service',
    metadata: { annotations: { b: '1', a: '2' }, labels: { z: 'z', a: 'a' }, namespace: 'ns', name: 'web' },
    apiVersion: 'v1',
    alpha: 2,
  };
  const b: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { b: '2', a: '1' } };

  it('starts every document with --- and keeps the given object order', () => {
    const text = renderYaml([a, b]);
    expect(text.startsWith('---\napiVersion: v1\nkind: Service\n')).toBe(true);
    expect(text.split(/^---$/m).length - 1).toBe(2);
    expect(text.indexOf('kind: Service')).toBeLessThan(text.indexOf('kind: ConfigMap'));
    expect(renderYaml([])).toBe('');
  });

  it('orders keys: apiVersion, kind, metadata(name, namespace, labels, annotations), spec, rest sorted; sorts label maps', () => {
    const text = renderYaml([a]);
    expect(text).toBe(
      [
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: web',
        '  namespace: ns',
        '  labels:',
        '    a: a',
        '    z: z',
        '  annotations:',
        '    a: "2"',
        '    b: "1"',
        'spec:',
        '  selector:',
        '    matchLabels:',
        '      a: "2"',
        '      z: "1"',
        '  ports:',
        '    - port: 80',
        'alpha: 2',
        'zeta: 1',
        '',
      ].join('\n'),
    );
  });

  it('is byte-identical across runs and never emits anchors for shared objects', () => {
    const shared = { app: 'web' };
    const o: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: shared },
      spec: { l: shared },
    };
    const t1 = renderYaml([o, b]);
    expect(renderYaml([o, b])).toBe(t1);
    expect(t1).not.toMatch(/[&*]a\d/);
    expect(t1).not.toContain('*');
  });
});
