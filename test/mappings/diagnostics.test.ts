/**
 * Diagnostic codes as data: mappings/diagnostics.yaml documents every code (docs/diagnostics.md and the
 * DiagnosticCode union are generated from it), code in src/ uses only those codes, every documented code is
 * reported somewhere, and each example really produces its code.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateFrom } from '../../scripts/gen-mappings.mjs';
import { convert } from '../../src/index.js';
import { memoryFs } from '../../src/load/fs.js';

const root = new URL('../../', import.meta.url);
const { diagnostics, diagnosticMessages, codes, diagnosticDocs, errors } = generateFrom(root);

function sources(dir: URL): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? sources(new URL(`${d.name}/`, dir))
      : d.name.endsWith('.ts') && d.name !== 'codes.ts'
        ? [readFileSync(new URL(d.name, dir), 'utf8')]
        : [],
  );
}

describe('diagnostic codes', () => {
  it('the data is valid and the generated union and docs are up to date', () => {
    expect(errors).toEqual([]);
    expect(diagnostics.length).toBeGreaterThan(60);
    expect(readFileSync(new URL('src/report/codes.ts', root), 'utf8')).toBe(codes);
    expect(readFileSync(new URL('docs/diagnostics.md', root), 'utf8')).toBe(diagnosticDocs);
  });

  it('every documented code is reported somewhere in src/ (literally, or as one of its `code.variant` wordings)', () => {
    const code = sources(new URL('src/', root)).join('\n');
    const unused = diagnostics.map((d) => d.code).filter((c) => !code.includes(`'${c}'`) && !code.includes(`'${c}.`));
    expect(unused).toEqual([]);
  });

  it('every wording of diagnostics.yaml is used in src/, by its id, and belongs to its code', () => {
    const code = sources(new URL('src/', root)).join('\n');
    expect(diagnosticMessages.length).toBeGreaterThan(100);
    expect(diagnosticMessages.map((m) => m.id).filter((id) => !code.includes(`'${id}'`))).toEqual([]);
    const codes = new Set(diagnostics.map((d) => d.code));
    expect(diagnosticMessages.filter((m) => !codes.has(m.id.split('.')[0]!))).toEqual([]);
  });

  it('the core words no diagnostic itself: every one it reports is worded from the texts', () => {
    // A message or hint written at a call site would be a string argument after the id; ids are all there is.
    const core = sources(new URL('src/', root)).join('\n');
    expect(core).not.toMatch(/diags\.(error|warn|info)\(\s*'[a-z0-9.-]+',\s*[`'"]/);
  });

  const examples = diagnostics.filter((d) => d.example);
  it('has examples', () => expect(examples.length).toBeGreaterThan(15));
  for (const d of examples)
    it(`the example of ${d.code} produces it, with a position in the file`, () => {
      const r = convert({
        files: ['/p/compose.yaml'],
        workingDir: '/p',
        fs: memoryFs({ '/p/compose.yaml': d.example! }),
        env: {},
      });
      const hit = r.diagnostics.find((x) => x.code === d.code);
      expect(hit, r.diagnostics.map((x) => `${x.code}: ${x.message}`).join('\n')).toBeDefined();
      expect(hit!.severity).toBe(d.severity);
      expect(hit!.pos?.file).toBe('/p/compose.yaml');
    });
});
