import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { noNodeBuiltins } from '../../playground/build.mjs';

// The package as its users consume it in a web app: `npm pack` (which runs `prepare`, the tsc
// build), install the tarball into a throwaway app in a temp directory, bundle
// `import { convert } from 'compose2k8s'` for the browser with esbuild (no polyfills; any Node
// built-in fails the build), and run the bundle in Chromium.
const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const SKIP = !existsSync(CHROMIUM) && !process.env.CI;
const tmp = mkdtempSync(join(tmpdir(), 'compose2k8s-package-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Under the "browser" condition, compose2k8s is the lean entry: no report texts unless given (compose2k8s/texts),
// so messages are outcome ids and values and there are no fixes; the Helm/Kustomize renderers come from
// compose2k8s/render.
const APP = `import { convert, renderYaml } from 'compose2k8s';
import { TEXTS } from 'compose2k8s/texts';
import { renderHelmChart } from 'compose2k8s/render';
import { DIALECTS } from 'compose2k8s/dialects';
const files = [{ path: 'compose.yaml', content: 'services:\\n  web:\\n    image: nginx:1.27\\n    ports: ["8080:80"]\\n    stop_signal: SIGUSR1\\n' }];
const out = convert({ files });
const withTexts = convert({ files, texts: TEXTS });
const labelled = [{ path: 'compose.yaml', content: files[0].content + '    labels:\\n      kompose.service.type: NodePort\\n' }];
const serviceType = (o) => o.objects.find((x) => x.kind === 'Service' && x.metadata.name === 'web').spec.type;
window.result = {
  kinds: out.objects.map((o) => o.kind + '/' + o.metadata.name),
  errors: out.diagnostics.filter((d) => d.severity === 'error').length,
  yaml: renderYaml(out.objects),
  fixes: [out, withTexts].map((o) => o.report.entries.filter((e) => e.fix).length),
  same: JSON.stringify(out.report.entries.map((e) => [e.id, e.status, e.values, e.earlier])) ===
    JSON.stringify(withTexts.report.entries.map((e) => [e.id, e.status, e.values, e.earlier])),
  image: [out, withTexts].map((o) => o.report.entries.find((e) => e.id === 'image.set').message),
  chart: renderHelmChart(out.objects, { name: 'web' }).map((f) => f.path),
  dialects: [convert({ files: labelled }), convert({ files: labelled, dialects: DIALECTS })].map(serviceType),
};
`;

const app = join(tmp, 'app');
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  if (SKIP) return;
  npm(['pack', '--pack-destination', tmp, '--silent'], root);
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', join(tmp, tarball!)], app);
}, 300_000);

describe.skipIf(SKIP)('compose2k8s inside a browser bundler app', () => {
  it('packs, installs from the tarball, bundles for the browser and converts in Chromium', async () => {
    writeFileSync(join(app, 'main.js'), APP);
    const result = await build({
      entryPoints: [join(app, 'main.js')],
      absWorkingDir: app,
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: ['es2022'],
      minify: true,
      logLevel: 'silent',
      plugins: [noNodeBuiltins],
    });
    expect(result.errors).toEqual([]);
    const js = result.outputFiles[0]!.text;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!doctype html><title>app</title>');
      await page.addScriptTag({ content: js });
      const out = await page.evaluate(
        () =>
          (
            window as unknown as {
              result: {
                kinds: string[];
                errors: number;
                yaml: string;
                fixes: number[];
                same: boolean;
                image: string[];
                chart: string[];
                dialects: string[];
              };
            }
          ).result,
      );
      expect(errors).toEqual([]);
      expect(out.errors).toBe(0);
      expect(out.kinds).toEqual(expect.arrayContaining(['Deployment/web', 'Service/web']));
      expect(out.yaml).toContain('image: nginx:1.27');
      expect(out.fixes[0]).toBe(0);
      expect(out.fixes[1]).toBeGreaterThan(0);
      expect(out.same).toBe(true);
      expect(out.image).toEqual(['image.set (image=nginx:1.27)', 'image: nginx:1.27']);
      expect(out.chart).toContain('Chart.yaml');
      // The lean entry reads the Compose Spec; compose2k8s/dialects adds the kompose labels (and the others).
      expect(out.dialects).toEqual(['ClusterIP', 'NodePort']);
      expect(requests.filter((u) => !u.startsWith('about:') && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 300_000);
});

/** Every entry README.md lists (package.json `exports`), each with a name it exports. */
const ENTRIES: Record<string, string> = {
  compose2k8s: 'convert',
  'compose2k8s/browser': 'convert',
  'compose2k8s/bundle': 'convert',
  'compose2k8s/texts': 'TEXTS',
  'compose2k8s/dialects': 'DIALECTS',
  'compose2k8s/modes': 'MODES',
  'compose2k8s/render': 'renderHelmChart',
  'compose2k8s/node': 'nodeFs',
};

const TS = `import { convert, renderYaml } from 'compose2k8s';
import * as browser from 'compose2k8s/browser';
import * as bundle from 'compose2k8s/bundle';
import { TEXTS } from 'compose2k8s/texts';
import { DIALECTS } from 'compose2k8s/dialects';
import { MODES } from 'compose2k8s/modes';
import { renderHelmChart } from 'compose2k8s/render';
import { nodeFs } from 'compose2k8s/node';
const input = { files: [{ path: '/app/compose.yaml', content: 'services: {}' }], texts: TEXTS, dialects: DIALECTS, modes: MODES };
const out = browser.convert(input);
const yaml: string = renderYaml(convert({ workingDir: '/app', fs: nodeFs }).objects) + bundle.renderJson(out.objects);
const files: string[] = renderHelmChart(out.objects, { name: 'app' }).map((f) => f.path);
console.log(yaml, files, out.diagnostics.map((d) => d.code));
`;

describe.skipIf(SKIP)('compose2k8s installed in a Node or TypeScript project', () => {
  it("has the reference docs README.md links to (read in node_modules or on a CDN; npm's site has no repository)", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((docs\/[\w.-]+\.md)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(3);
    const installed = join(app, 'node_modules/compose2k8s');
    expect(links.filter((l) => !existsSync(join(installed, l)))).toEqual([]);
  });

  it('resolves every entry, with its types, in Node (import and require) and TypeScript (bundler, node16, node10)', () => {
    const names = Object.entries(ENTRIES);
    // Node: ESM import, and require() from CommonJS (Node 20.19+ loads ES modules synchronously).
    const esm = names.map(([m, name], i) => `import { ${name} as n${i} } from '${m}';`).join('\n');
    writeFileSync(join(app, 'entries.mjs'), `${esm}\nconsole.log([${names.map((_, i) => `typeof n${i}`)}].join());\n`);
    const cjs = `console.log([${names.map(([m, name]) => `typeof require('${m}').${name}`)}].join());\n`;
    writeFileSync(join(app, 'entries.cjs'), cjs);
    for (const file of ['entries.mjs', 'entries.cjs']) {
      const out = execFileSync(process.execPath, ['--no-warnings', file], { cwd: app, encoding: 'utf8' }).trim();
      expect(
        out.split(',').filter((t) => t === 'undefined'),
        file,
      ).toEqual([]);
    }
    // TypeScript, strict, the library's own .d.ts checked too: README's example, through every entry's types.
    writeFileSync(join(app, 'main.ts'), TS);
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    for (const [module, resolution] of [
      ['esnext', 'bundler'],
      ['node16', 'node16'],
      ['esnext', 'node10'],
    ]) {
      const args = ['--strict', '--noEmit', '--skipLibCheck', 'false', '--target', 'es2022'];
      const run = [...args, '--lib', 'es2022,dom', '--module', module!, '--moduleResolution', resolution!, 'main.ts'];
      let errors = '';
      try {
        execFileSync(process.execPath, [tsc, ...run], { cwd: app, encoding: 'utf8' });
      } catch (e) {
        errors = String((e as { stdout?: string }).stdout);
      }
      expect(errors, resolution).toBe('');
    }
  }, 120_000);
});
