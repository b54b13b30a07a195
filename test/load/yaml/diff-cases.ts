/**
 * The inputs the YAML differential tests share: every YAML file of samples/, test/fixtures and
 * ../shared/corpus, deterministic ways to break each, hand-written edge cases, and the comparable form
 * of a parse (values with markers spelled out, positions, diagnostics in order).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Override, RESET } from '../../../src/load/yaml/tags.js';
import { Diagnostics } from '../../../src/report/diagnostic.js';
import { parseComposeYamlDocuments, type ParsedFile } from '../../../src/load/yaml/yaml.js';
import { Parser as YamlParser } from 'yaml';
import { Parser } from '../../../src/load/yaml/text/parser.js';
import { parseComposeYamlDocuments as refParse } from './ref-yaml.js';
import { TEXTS } from '../../../src/mappings/texts.js';
import { fill } from '../../../src/report/template.js';
import type { ErrorToken } from '../../../src/load/yaml/text/syntax.js';

export type Parse = (text: string, file: string, diags: Diagnostics) => ParsedFile[] | undefined;

export const repo = fileURLToPath(new URL('../../../', import.meta.url));
const roots = [repo + 'samples/', repo + 'test/fixtures/', repo + '../shared/corpus/'];

export function yamlFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const p = dir + n;
      if (statSync(p).isDirectory()) walk(p + '/');
      else if (/\.ya?ml$/.test(n)) files.push(p);
    }
  };
  for (const r of roots) if (existsSync(r)) walk(r);
  return files;
}

/** Values in a comparable form: markers and numbers that toEqual would blur spelled out. */
export function plain(v: unknown): unknown {
  if (v === RESET) return { $reset: true };
  if (v instanceof Override) return { $override: plain(v.value) };
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (typeof v === 'number') return Number.isNaN(v) ? { $nan: true } : Object.is(v, -0) ? { $negzero: true } : v;
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plain(x);
    return { $keys: Object.keys(v), ...o };
  }
  return v;
}

export function run(parse: Parse, text: string, file: string) {
  const d = new Diagnostics(TEXTS);
  const docs = parse(text, file, d);
  return {
    docs: docs?.map((x) => ({
      value: plain(x.value),
      positions: [...x.positions].map(([p, s]) => `${p}@${s.line}:${s.col}`).sort(),
    })),
    diagnostics: d.list.map((x) => `${x.severity} ${x.code} ${x.pos?.line}:${x.pos?.col} ${x.message}`),
  };
}

/** Deterministic ways to break a file: each gives a variant text. */
export function variants(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  const n = lines.length;
  const picks = [1, Math.floor(n / 3), Math.floor(n / 2), n - 3].filter((i) => i > 0 && i < n);
  for (const i of picks) {
    out.push([...lines.slice(0, i), ...lines.slice(i + 1)].join('\n')); // drop a line
    out.push([...lines.slice(0, i), lines[i]!, ...lines.slice(i)].join('\n')); // duplicate it
    out.push([...lines.slice(0, i), ' ' + lines[i]!, ...lines.slice(i + 1)].join('\n')); // shift right
    out.push([...lines.slice(0, i), lines[i]!.replace(/^ /, ''), ...lines.slice(i + 1)].join('\n')); // shift left
    out.push(
      [...lines.slice(0, i), lines[i]!.slice(0, Math.ceil(lines[i]!.length / 2)), ...lines.slice(i + 1)].join('\n'),
    );
    out.push([...lines.slice(0, i), '\t' + lines[i]!, ...lines.slice(i + 1)].join('\n'));
  }
  return out;
}

/** A "billion laughs" document (9^9 nodes once expanded), then `tail`. */
const bomb = (tail: string): string =>
  ['a: &a [x, x, x, x, x, x, x, x, x]']
    .concat(
      [...'bcdefghi'].map(
        (n, i) =>
          `${n}: &${n} [${Array(9)
            .fill('*' + 'abcdefgh'[i])
            .join(', ')}]`,
      ),
    )
    .join('\n') +
  '\n' +
  tail;

export const EDGE_CASES: string[] = [
  bomb('j: *i\nk: [1\n'),
  bomb('j: *i\nj: 2\n'),
  '',
  '# only comments\n',
  '---\n',
  '--- !reset\n',
  '~\n',
  'a: 1\n---\nb: 2\n---\n',
  '%YAML 1.2\n---\na: 1\n',
  '%YAML 1.1\n---\na: 1\n---\nb: !!str 2\n',
  '%YAML 1.3\n---\na: 1\n',
  '%YAML\n---\na: 1\n',
  '%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n',
  '%TAG !e!\n---\na: 1\n',
  '%FOO bar\n---\na: 1\n',
  '%YAML 1.2\na: 1\n',
  'a: !e!foo 1\n',
  'a: !<tag:x> 1\nb: !<!> 2\nc: !<x 3\n',
  'a: !!timestamp 2001-12-14\nb: !!timestamp nope\n',
  'a: ! 1\nb: ! [x]\nc: ! {k: v}\n',
  'a: !!str\nb: !!null\nc: !!int 0x1F\nd: !!bool yes\n',
  'a: &x\nb: *x\n',
  'a: &x !!str\nb: *x\n',
  'a: & 1\nb: *\n',
  'a: &x &y 1\nb: !t !u 2\n',
  'a: &x [1, 2]\nb: *x\nc: !override *x\n',
  'x: &a {k: 1}\ny:\n  <<: *a\n  <<: *a\n',
  'x: &a {k: 1}\ny:\n  "<<": 1\n  <<: *a\n',
  'x: &a [{k: 1}, {j: 2}]\ny:\n  <<: *a\n',
  'x:\n  <<: [{a: 1}, {a: 2, b: 3}, 4]\n  b: 9\n',
  'x:\n  <<:\n  b: 9\n',
  'x:\n  ? <<\n  b: 9\n',
  'x: {<<: {a: 1}, b: 2}\n',
  'x: [a: 1, <<: {b: 1}, c]\n',
  'x: [? a : 1, : 2, b: ]\n',
  'x: {a, b: , : c}\n',
  'x:\n  <<: !reset [{a: 1}]\n',
  'x:\n  <<: !reset {a: 1}\n',
  'x:\n  <<: &m [{a: 1}]\ny:\n  <<: *m\n',
  'a: &a {x: 1, x: 2}\nb: *a\nc: *a\n',
  'a: &a [1, *a]\n',
  'a: &a\n  b: *a\n',
  'a: *nope\nb: *nope\n',
  '*k : 1\n',
  'k: &k key\n*k : 1\n',
  'k: &k [1]\n*k : 1\n',
  '? [a]\n: 1\n? {a: 1}\n: 2\n',
  '? |\n  block key\n: 1\n',
  '80: x\ntrue: y\n~: z\n1.5: w\n"80": ok\n',
  'a:\n  - b\n  -\n  - # c\n  - !!str\n',
  'a: [1, , 2]\nb: [, 1]\nc: {a: 1,, b: 2}\n',
  'a: [1 2]\nb: {a: 1 b: 2}\n',
  'a: {a:1}\nb: [a:1]\n',
  'a: [\n  b\n]\nc: {\nd: 1\n}\n',
  'a: [b, c\n',
  'a: {b: c\n',
  '[a, b]\n',
  '{a: 1}\n',
  '{a: 1} x\n',
  'a: "x\\qy"\nb: "\\u00e9\\x41"\n',
  "a: 'it''s'\nb: \"multi\n  line\"\nc: plain\n  folded\n",
  'a: |+\n  keep\n\nb: >-\n  folded\n  text\nc: |2\n   indented\n',
  'a: |x\n  bad header\n',
  'a: |\n  one\n two\n',
  'a: >\n\n  x\n',
  'a:\tb\n',
  'a:\n\t- b\n',
  '\ta: 1\n',
  'a: 1 #comment\nb: 2#not\nc: "x"#c\n',
  '- a\n- b\n',
  'a:\n- b\n- c\n',
  'a: - b\n',
  'a: b: c\n',
  'a:\n  b: 1\n c: 2\n',
  'a:\n  - 1\n   - 2\n',
  '- a\nb: c\n',
  'a: 1\n- b\n',
  '? a\n? b\n',
  '? a\n  b\n: c\n',
  'a\nb: 1\n',
  'a:\n  b\n  c: 1\n',
  'a: 1\n...\nb: 2\n',
  '...\na: 1\n',
  'a: 1\n--- x\n',
  '--- a: 1\n',
  '--- - a\n',
  '---\n- a\n',
  'a: &x !t\n  - 1\n',
  'a: !t &x\n  b: 1\n',
  'a: &x - 1\n',
  'a: "unterminated\nb: 2\n',
  "a: 'unterminated\n",
  'a: `x`\nb: @y\nc: %z\n',
  'a: [b, {c: d, e: [f, g]}, [h, [i]]]\n',
  'a: b\n  c\n',
  'key with spaces: v\n"quoted": v\n? explicit\n: v\n',
  `${'k'.repeat(1100)}: v\n`,
  `[${'k'.repeat(1100)}: v]\n`,
  'a: [b\n  : c]\n',
  'a: [b\n  , c]\n',
  'a: 0x10\nb: 0o17\nc: 017\nd: 1_000\ne: .inf\nf: -.Inf\ng: .nan\nh: 1e3\ni: 12345678901234567890\n',
  'a: !!int 1.5\nb: !!float x\nc: !!bool 1\nd: !!null x\n',
  'a: !!binary aGVsbG8=\n',
  'a: !!set {x, y}\nb: !!set\n  ? x\n  ? y\n',
  'a: !!set {x: 1}\n',
  'a: !!set {a, b: }\n',
  'a: !!set\n  ? a\n  b:\n',
  'a: !!omap [x: 1, y: 2]\nb: !!pairs [x: 1]\nc: !!omap {x: 1}\n',
  'a: !!omap [x: 1, x: 2]\n',
  'a: !!omap [a, a]\n',
  'a: !!omap\n  - x: 1\n    y: 2\n  - x: 3\n',
  'a: !!omap [{}, {}]\n',
  '!!merge <<: {a: 1}\n',
  'a/b~c: {d/e: 1}\n',
  "'': 1\n",
  '__proto__: 1\nx: {__proto__: {a: 1}}\n',
  'a:\n  # c\n  b: 1\n  # d\n',
  'a: # c\n  b\n',
  '- - a\n  - b\n- - c\n',
  '-\n  a: 1\n- b: 2\n  c: 3\n',
  'a: [b]]\n',
  'a: }\n',
  ']\n',
  'a: |\n  x\n b: 1\n',
  'a: 1\r\nb: 2\r\n',
  '\uFEFFa: 1\n',
  'a: "\\\n  x"\n',
  // syntax errors the files and their variants rarely or never show
  '%YAML abc\n---\na: 1\n',
  'a: !! 1\n',
  '&a ? x\n: 1\n',
  '[? ? a]\n',
  '"a"\n- b\n',
  'a: |x\n  b\n',
  '- &a - x\n',
  '- [a\n- b\n',
];

/**
 * An error token with its message: the `yaml` package's as it is, ours worded from the texts (our parser names
 * what is wrong by id and values).
 */
function wordError(_key: string, v: unknown): unknown {
  if (!v || typeof v !== 'object' || (v as { type?: unknown }).type !== 'error') return v;
  const e = v as Partial<ErrorToken> & { message?: string };
  if (e.message === undefined && e.id === undefined) return v;
  const message = e.message ?? fill(TEXTS.diagnostics[e.id!], e.values ?? {}, e.id!, 'diagnostic');
  return { type: e.type, offset: e.offset, source: e.source, message };
}

/**
 * Both syntax trees as JSON (the `yaml` package's is the reference), error tokens worded. The replacer runs only on
 * trees holding an error token: it is called for every node, and most texts have none (this runs ~40 000 times).
 */
export function sameTree(text: string): { ours: string; ref: string } {
  const ours = Parser.parse(text);
  const ref = [...new YamlParser().parse(text)];
  const plain = JSON.stringify(ours);
  if (!plain.includes('"type":"error"')) return { ours: plain, ref: JSON.stringify(ref) };
  return { ours: JSON.stringify(ours, wordError), ref: JSON.stringify(ref, wordError) };
}

export function compareWithReference(text: string): void {
  const t = sameTree(text);
  if (t.ours !== t.ref) {
    let k = 0;
    while (t.ours[k] === t.ref[k]) k++;
    const at = (s: string) => s.slice(Math.max(0, k - 300), k + 200);
    throw new Error(`syntax trees differ for ${JSON.stringify(text)}\nyaml: ${at(t.ref)}\nours: ${at(t.ours)}`);
  }
  const ours = JSON.stringify(run(parseComposeYamlDocuments, text, 'x.yaml'));
  const ref = JSON.stringify(run(refParse, text, 'x.yaml'));
  if (ours !== ref) throw new Error(`results differ for ${JSON.stringify(text)}\nyaml: ${ref}\nours: ${ours}`);
}
