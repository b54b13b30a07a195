import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlayground } from '../../playground/build.mjs';

// The playground bundle is the proof that the core runs in a browser: esbuild with platform
// 'browser' and no polyfills, failing on any Node built-in.
const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'compose2k8s-playground-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('playground build', () => {
  it('bundles the core for the browser with the sample embedded', async () => {
    const outfile = join(tmp, 'app.js');
    const result = await buildPlayground({ outfile, minify: false });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const js = readFileSync(outfile, 'utf8');
    const sample = readFileSync(join(root, 'samples/voting-app/compose.yaml'), 'utf8');
    for (const line of sample.split('\n').filter((l) => l.includes('image:'))) expect(js).toContain(line.trim());
    expect(js).not.toMatch(/\brequire\(|from\s*["']node:/);
    expect(existsSync(outfile + '.map')).toBe(true);
  });

  for (const spec of ['node:fs', 'path', 'fs/promises']) {
    it(`fails when anything imports the Node built-in ${spec}`, async () => {
      const entry = join(tmp, `uses-${spec.replace(/\W/g, '-')}.ts`);
      writeFileSync(entry, `import * as m from '${spec}';\nexport const x = m;\n`);
      const failure = await buildPlayground({ entry, outfile: join(tmp, 'bad.js') }).then(
        () => 'built',
        (e: { errors?: Array<{ text: string }> }) => e.errors?.map((x) => x.text).join('\n') ?? String(e),
      );
      expect(failure).toContain(`"${spec}" is a Node built-in`);
      expect(failure).toContain(entry);
    });
  }
});
