/**
 * Differential test of the YAML reader: the CST builder (src/load/yaml/cst.ts, what the loader uses)
 * against the builder it replaced (the `yaml` package's Document model + our node walk, kept here in
 * legacy-*.ts). Every YAML file of samples/, test/fixtures and ../shared/corpus (compose files and the
 * config files they mount), each also broken in a few deterministic ways (lines dropped, duplicated,
 * shifted, characters cut) so that the syntax errors are compared too, and a list of hand-written
 * edge cases: values, positions and diagnostics (code, severity, message, file:line:col, order) must be
 * identical.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseComposeYamlDocuments } from '../../../src/load/yaml/yaml.js';
import { Diagnostics } from '../../../src/report/diagnostic.js';
import { parseComposeYamlDocuments as legacyParse } from './legacy-yaml.js';
import { EDGE_CASES, plain, repo, run, variants, yamlFiles } from './diff-cases.js';
import { TEXTS } from '../../../src/mappings/texts.js';

/**
 * Where the CST builder deliberately differs: the old builder printed whatever object the `yaml` package
 * made of a value with a YAML 1.1 type tag (a Date's local string, a Symbol's name) or rewrote `!!pairs`
 * items into single-pair mappings; the new one keeps the text as written (and the items as they are).
 */
const KNOWN: Array<[string, unknown, unknown]> = [
  ['a: !!timestamp 2001-12-14\n', { a: '2001-12-14' }, 'a Date printed in the local time zone'],
  ['a: !!merge x\n', { a: 'x' }, '"Symbol(<<)"'],
  ['a: !!pairs [a, b]\n', { a: ['a', 'b'] }, [{ a: null }, { b: null }]],
];

describe('the CST builder reads YAML exactly as the Document-model builder did', () => {
  const files = yamlFiles();
  it('finds the files to compare', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  it('every file of samples/, test/fixtures and the corpus', () => {
    const differ: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const a = run(legacyParse, text, f);
      const b = run(parseComposeYamlDocuments, text, f);
      try {
        expect(b).toEqual(a);
      } catch {
        differ.push(f.slice(repo.length));
      }
    }
    expect(differ).toEqual([]);
  });

  it('every file broken in a few ways (syntax errors compared)', () => {
    const differ: string[] = [];
    let compared = 0;
    let withErrors = 0;
    for (const f of files) {
      for (const [i, text] of variants(readFileSync(f, 'utf8')).entries()) {
        const a = run(legacyParse, text, 'x.yaml');
        const b = run(parseComposeYamlDocuments, text, 'x.yaml');
        compared++;
        if (a.docs === undefined) withErrors++;
        try {
          expect(b).toEqual(a);
        } catch {
          differ.push(`${f.slice(repo.length)}#${i}`);
        }
      }
    }
    expect(differ).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
    expect(withErrors).toBeGreaterThan(100);
    // ~25 s alone; twice the default limit for a 2-core machine running the other test files beside it.
  }, 120_000);

  it.each(KNOWN)('known difference %j', (text, now) => {
    const d = new Diagnostics(TEXTS);
    const docs = parseComposeYamlDocuments(text, 'x.yaml', d);
    expect(docs?.[0]?.value).toEqual(now);
    expect(run(legacyParse, text, 'x.yaml').docs?.[0]?.value).not.toEqual(plain(now));
  });

  it.each(EDGE_CASES.map((t) => [t]))('%j', (text) => {
    expect(run(parseComposeYamlDocuments, text, 'x.yaml')).toEqual(run(legacyParse, text, 'x.yaml'));
  });
});
