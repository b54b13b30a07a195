import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

describe.skipIf(SKIP)('compose2k8s inside a browser bundler app', () => {
  it('packs, installs from the tarball, bundles for the browser and converts in Chromium', async () => {
    const npm = (args: string[], cwd: string): string =>
      execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    npm(['pack', '--pack-destination', tmp, '--silent'], root);
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', join(tmp, tarball!)], app);
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
