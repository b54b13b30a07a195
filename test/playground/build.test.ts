import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  it('writes a static site: page, worker with the core, samples embedded, relative paths only', async () => {
    const outdir = join(tmp, 'site');
    const result = await buildPlayground({ outdir, minify: false });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(readdirSync(outdir).sort()).toEqual(
      ['app.js', 'app.js.map', 'chunks', 'index.html', 'style.css', 'worker.js', 'worker.js.map'].sort(),
    );
    const worker = readFileSync(join(outdir, 'worker.js'), 'utf8');
    const chunks = readdirSync(join(outdir, 'chunks')).filter((f) => f.endsWith('.js'));
    const chunk = (f: string): string => readFileSync(join(outdir, 'chunks', f), 'utf8');
    // The worker and the chunks it imports statically carry the lean core and the samples; the fix texts, the input
    // dialects, the output modes and the Helm/Kustomize renderers are chunks it imports dynamically (on start-up, on
    // the first zip).
    const dynamic = [...worker.matchAll(/import\(\s*"\.\/chunks\/([^"]+)"\s*\)/g)].map((m) => m[1]!);
    // Statically imported by the worker: the core. Other chunks hold code the dynamic ones share (the dialects'
    // Traefik report reads the HTTPRoutes of the gateway mode) and are imported by them only.
    const eager = chunks.filter((f) => !dynamic.includes(f) && worker.includes(`"./chunks/${f}"`));
    const shared = chunks.filter((f) => !dynamic.includes(f) && !eager.includes(f));
    for (const f of shared) expect(dynamic.some((d) => chunk(d).includes(`"./${f}"`))).toBe(true);
    expect(dynamic.map((f) => f.replace(/-\w+\.js$/, '')).sort()).toEqual(['dialects', 'modes', 'renderers', 'texts']);
    const core = [worker, ...eager.map(chunk)].join('\n');
    const fixText = 'Pass --profile to include a profile';
    const helmText = 'helm.sh/chart';
    const dialectText = 'kompose.image-pull-policy';
    const modeText = 'gateway.networking.k8s.io/v1';
    expect(core).not.toContain(fixText);
    expect(core).not.toContain(modeText);
    expect(core).not.toContain(helmText);
    expect(core).not.toContain(dialectText);
    expect(chunk(dynamic.find((f) => f.startsWith('dialects'))!)).toContain(dialectText);
    expect(chunk(dynamic.find((f) => f.startsWith('texts'))!)).toContain(fixText);
    expect([dynamic.find((f) => f.startsWith('modes'))!, ...shared].map(chunk).join('\n')).toContain(modeText);
    expect(chunk(dynamic.find((f) => f.startsWith('renderers'))!)).toContain(helmText);
    for (const name of ['voting-app', 'gitea-postgres']) {
      const sample = readFileSync(join(root, `samples/${name}/compose.yaml`), 'utf8');
      for (const line of sample.split('\n').filter((l) => l.includes('image:'))) expect(core).toContain(line.trim());
    }
    for (const js of [core, ...dynamic.map(chunk), readFileSync(join(outdir, 'app.js'), 'utf8')]) {
      expect(js).not.toMatch(/\brequire\(|from\s*["']node:/);
    }
    const html = readFileSync(join(outdir, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(expect.arrayContaining(['style.css', 'app.js']));
    for (const ref of refs) expect(ref, ref).not.toMatch(/^\/|^https?:/);
  });

  for (const spec of ['node:fs', 'path', 'fs/promises']) {
    it(`fails when anything imports the Node built-in ${spec}`, async () => {
      const entry = join(tmp, `uses-${spec.replace(/\W/g, '-')}.ts`);
      writeFileSync(entry, `import * as m from '${spec}';\nexport const x = m;\n`);
      const failure = await buildPlayground({ entry, outdir: join(tmp, 'bad') }).then(
        () => 'built',
        (e: { errors?: Array<{ text: string }> }) => e.errors?.map((x) => x.text).join('\n') ?? String(e),
      );
      expect(failure).toContain(`"${spec}" is a Node built-in`);
      expect(failure).toContain(entry);
    });
  }
});
