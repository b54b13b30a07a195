// The shipped browser bundle (`compose2k8s/bundle`, scripts/build-browser.mjs) goes through a second minifier:
// it must convert exactly as the source does. Every sample, with and without the report texts, through both.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join as joinPath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleBrowser } from '../../scripts/build-browser.mjs';
import * as source from '../../src/browser.js';
import { TEXTS } from '../../src/mappings/texts.js';
import { nodeFs } from '../../src/node/fs.js';
import { CORPUS, composeFiles } from '../helpers/corpus.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(joinPath(tmpdir(), 'compose2k8s-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** samples/<name>/** as in-memory files under /samples/<name>. */
function sampleFiles(name: string): Record<string, string> {
  const files: Record<string, string> = {};
  const base = joinPath(root, 'samples', name);
  for (const e of readdirSync(base, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = joinPath(e.parentPath, e.name);
    files[`/samples/${name}/${abs.slice(base.length + 1)}`] = readFileSync(abs, 'utf8');
  }
  return files;
}

const samples = readdirSync(joinPath(root, 'samples')).filter((n) =>
  statSync(joinPath(root, 'samples', n)).isDirectory(),
);

describe('the shipped browser bundle', () => {
  let bundle: typeof source;
  const load = async (): Promise<typeof source> => {
    if (bundle) return bundle;
    const built = await bundleBrowser();
    expect(built.gzip).toBeLessThan(built.esbuild.gzip);
    const file = joinPath(tmp, 'browser.bundle.mjs');
    writeFileSync(file, built.code);
    return (bundle = (await import(pathToFileURL(file).href)) as typeof source);
  };

  it('is smaller than esbuild alone makes it and converts every sample as the source does', async () => {
    const bundle = await load();
    expect(samples.length).toBeGreaterThan(5);
    for (const name of samples) {
      const files = sampleFiles(name);
      for (const texts of [undefined, TEXTS]) {
        const run = (m: typeof source) => {
          const out = m.convert({ fs: m.memoryFs(files), workingDir: `/samples/${name}`, texts });
          return JSON.stringify({ yaml: m.renderYaml(out.objects), report: out.report, diagnostics: out.diagnostics });
        };
        const expected = run(source);
        expect(expected).toContain('kind: Deployment');
        expect(run(bundle), name).toBe(expected);
      }
    }
  }, 120_000);

  it.runIf(existsSync(CORPUS))(
    'converts every corpus project as the source does',
    async () => {
      const bundle = await load();
      const files = composeFiles(CORPUS);
      expect(files.length).toBeGreaterThan(100);
      for (const f of files) {
        const run = (m: typeof source) => {
          const out = m.convert({ files: [f], fs: nodeFs, workingDir: dirname(f) });
          return JSON.stringify({ objects: out.objects, report: out.report, diagnostics: out.diagnostics });
        };
        expect(run(bundle), f).toBe(run(source));
      }
    },
    300_000,
  );
});
