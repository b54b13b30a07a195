/**
 * Differential test of our own YAML parser (src/load/yaml: lexer.ts, parser.ts, scalar-text.ts, read by
 * cst.ts) against the reader it replaced, which read the `yaml` package's CST (kept in ref-*.ts):
 * values, positions and diagnostics (code, severity, message, line:col, order) must be identical, and
 * the syntax tree itself must equal the `yaml` package's token for token. Inputs: every YAML file of
 * samples/, test/fixtures and ../shared/corpus, each broken in a few deterministic ways, the edge cases,
 * and random YAML-hostile mutations (fast-check; more cases under `npm run fuzz`, see test/fuzz).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseComposeYamlDocuments } from '../../../src/load/yaml/yaml.js';
import { parseComposeYamlDocuments as refParse } from './ref-yaml.js';
import { EDGE_CASES, compareWithReference as compare, repo, run, sameTree, variants, yamlFiles } from './diff-cases.js';
import { mutate, mutation } from './mutations.js';

const RUNS = Number(process.env.YAML_DIFF_RUNS ?? 2000);

describe('our YAML parser reads exactly what the yaml-package-based reader read', () => {
  const files = yamlFiles();
  const texts = files.map((f) => readFileSync(f, 'utf8'));

  it('finds the files to compare', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  // Two parsers over every corpus file and its variants: about 55 s on an idle 2-core machine, growing with the corpus,
  // so the suite's 60 s limit failed it whenever other test files loaded the machine.
  it(
    'every file of samples/, test/fixtures and the corpus, as written and broken in a few ways',
    { timeout: 300_000 },
    () => {
      const differ: string[] = [];
      let compared = 0;
      let withErrors = 0;
      texts.forEach((text, n) => {
        for (const [i, v] of [text, ...variants(text)].entries()) {
          compared++;
          const ref = run(refParse, v, 'x.yaml');
          if (ref.docs === undefined) withErrors++;
          const t = sameTree(v);
          if (t.ours !== t.ref) differ.push(`${files[n]!.slice(repo.length)}#${i} (tree)`);
          else if (JSON.stringify(run(parseComposeYamlDocuments, v, 'x.yaml')) !== JSON.stringify(ref))
            differ.push(`${files[n]!.slice(repo.length)}#${i}`);
        }
      });
      expect(differ).toEqual([]);
      expect(compared).toBeGreaterThan(5000);
      expect(withErrors).toBeGreaterThan(500);
    },
  );

  it.each(EDGE_CASES.map((t) => [t]))('%j', (text) => {
    compare(text);
  });

  it(`random mutations of the files (${RUNS} cases)`, { timeout: 0 }, () => {
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 8 }), (i, ms) => {
        compare(mutate(texts[i]!, ms));
      }),
      { numRuns: RUNS },
    );
  });

  it('random short texts of YAML punctuation', () => {
    const chars = fc.constantFrom(...'ab:-?,[]{}#&*!|>"\'\\ \t\n\r%@`.~0'.split(''), '---', '...', '\ufeff');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }), (cs) => {
        compare(cs.join(''));
      }),
      { numRuns: RUNS },
    );
  });
});
