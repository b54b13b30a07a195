/**
 * Property tests for the YAML emitter: arbitrary JSON-shaped data with hostile strings, emitted and
 * read back by `yaml` as YAML 1.1 and as YAML 1.2, must give back exactly the input. A failure
 * prints the shrunk counterexample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { emitYaml } from '../../src/render/emit.js';
import { renderYaml } from '../../src/render/yaml.js';
import type { KubeObject } from '../../src/kube/object.js';

/** Pieces that make strings hard: 1.1/1.2 type look-alikes, indicators, whitespace, controls. */
const PIECES = [
  'y',
  'n',
  'yes',
  'No',
  'ON',
  'off',
  'true',
  'Null',
  '~',
  '.inf',
  '-.Inf',
  '.NaN',
  '0777',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '1:20',
  '190:20:30',
  '1e3',
  '1.5e-3',
  '+12',
  '-0',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '<<',
  '=',
  '*',
  '&',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  "'",
  '"',
  '#',
  ' #',
  ': ',
  ':',
  '-',
  '- ',
  '? ',
  '?',
  ',',
  '[',
  ']',
  '{',
  '}',
  '---',
  '...',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '\r',
  '\r\n',
  '\\',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ud83d\ude00',
  '\ud800',
  '\udc00',
  'é',
  'a',
  'B',
  '0',
  '9',
  '.',
  '_',
  '/',
  'x'.repeat(80),
];

const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const number = fc.oneof(
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
);
const scalar = fc.oneof(nastyString, number, fc.boolean(), fc.constant(null));

const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('tree'), { maxLength: 4 }),
  map: fc.dictionary(nastyString, tie('tree'), { maxKeys: 4, noNullPrototype: true }),
}));

/** Plain data with the key order `yaml` gives back (`__proto__` keys are data keys there too). */
function readBack(text: string, version: '1.1' | '1.2'): unknown {
  return parse(text, { version, uniqueKeys: true, maxAliasCount: 0 });
}

describe('emitYaml', () => {
  it('reads back as the exact input under YAML 1.1 and 1.2 (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(nastyString, tree, { maxKeys: 5, noNullPrototype: true }), (data) => {
        const text = emitYaml(data);
        expect(readBack(text, '1.1')).toStrictEqual(data);
        expect(readBack(text, '1.2')).toStrictEqual(data);
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps every string a string, whatever it looks like (property)', () => {
    fc.assert(
      fc.property(fc.array(nastyString, { maxLength: 8 }), (list) => {
        const text = emitYaml({ list, nested: { list } });
        for (const version of ['1.1', '1.2'] as const)
          expect(readBack(text, version)).toStrictEqual({ list, nested: { list } });
      }),
      { numRuns: 1500 },
    );
  });

  it('writes multi-line strings as literal blocks when a block carries them exactly', () => {
    expect(emitYaml({ script: 'set -e\necho hi\n' })).toBe('script: |\n  set -e\n  echo hi\n');
    expect(emitYaml({ s: '  indented\nx' })).toBe('s: |2-\n    indented\n  x\n');
    expect(emitYaml({ s: 'a\n\n\n' })).toBe('s: |+\n  a\n\n\n');
    // A trailing whitespace-only line or a carriage return cannot be carried by a block.
    expect(emitYaml({ s: 'a\n  \n' })).toBe('s: "a\\n  \\n"\n');
    expect(emitYaml({ s: 'a\r\nb' })).toBe('s: "a\\r\\nb"\n');
  });

  it('quotes what YAML 1.1 readers (kubectl) take for other types, and nothing else', () => {
    for (const s of [
      'on',
      'Y',
      'no',
      '0777',
      '1_000',
      '1:20',
      '0b101',
      '.inf',
      '~',
      '2001-12-14',
      '*x',
      '&a',
      '!t',
      '@x',
      '`x',
      '%x',
      '|',
      '>',
    ])
      expect(emitYaml({ k: s })).toBe(`k: ${JSON.stringify(s)}\n`);
    for (const s of ['nginx', 'web-1', '::/0', '-Xmx1g', 'a b', 'v1.2.3', 'http://x:80/p', 'a#b'])
      expect(emitYaml({ k: s })).toBe(`k: ${s}\n`);
  });

  it('renders a stream of objects with the manifest key order', () => {
    const text = renderYaml([
      { kind: 'ConfigMap', apiVersion: 'v1', data: { b: '2', a: 'on' }, metadata: { labels: { z: '1' }, name: 'c' } },
    ] as unknown as KubeObject[]);
    expect(text).toBe(
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    z: "1"\ndata:\n  a: "on"\n  b: "2"\n',
    );
    expect(parseAllDocuments(text).map((d) => d.toJS())).toHaveLength(1);
  });
});
