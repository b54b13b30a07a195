// The shipped browser bundle (`compose2k8s/bundle`, scripts/build-browser.mjs) goes through a second minifier:
// it must convert exactly as the source does. Every sample, with and without the report texts, through both.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleBrowser } from '../../scripts/build-browser.mjs';
import { readSamples } from '../../playground/build.mjs';
import * as source from '../../src/browser.js';
import { TEXTS } from '../../src/mappings/texts.js';
import { nodeFs } from '../../src/node/fs.js';
import { CORPUS, composeFiles } from '../helpers/corpus.js';

const tmp = mkdtempSync(join(tmpdir(), 'compose2k8s-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Each sample's files (the playground embeds the same), as in-memory files under /samples/<name>. */
const samples = Object.entries(readSamples()).map(([name, files]) => ({
  name,
  files: Object.fromEntries(Object.entries(files).map(([rel, text]) => [`/samples/${name}/${rel}`, text])),
}));

describe('the shipped browser bundle', () => {
  let bundle: typeof source;
  const load = async (): Promise<typeof source> => {
    if (bundle) return bundle;
    const built = await bundleBrowser();
    expect(built.gzip).toBeLessThan(built.esbuild.gzip);
    const file = join(tmp, 'browser.bundle.mjs');
    writeFileSync(file, built.code);
    return (bundle = (await import(pathToFileURL(file).href)) as typeof source);
  };

  it('is smaller than esbuild alone makes it and converts every sample as the source does', async () => {
    const bundle = await load();
    expect(samples.length).toBeGreaterThan(5);
    for (const { name, files } of samples) {
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
