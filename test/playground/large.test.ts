import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { parse } from 'yaml';
import { buildPlayground } from '../../playground/build.mjs';

// The playground under stress, in its own build folder (so it can run beside playground.test.ts):
// - a large project (300 services, ~2400 objects) from a share link must keep the page usable. It used to highlight
//   and lay out every object's YAML on every edit (a main-thread task of several seconds per keystroke); now an
//   object's YAML is plain text until it comes near the view;
// - offline after loading, a zip whose renderers chunk cannot load says so instead of doing nothing;
// - a worker that fails (its script does not load, or a conversion throws in it) is said, not left "pending".
const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const SKIP = !existsSync(CHROMIUM) && !process.env.CI;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
const out = mkdtempSync(join(tmpdir(), 'compose2k8s-playground-large-'));
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let base = '';

beforeAll(async () => {
  if (SKIP) return;
  const built = await buildPlayground({ outdir: out, minify: false });
  expect(built.errors).toEqual([]);
  const child = spawn(process.execPath, [join(root, 'playground/serve.mjs')], {
    env: { ...process.env, PORT: '0', DIR: out },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  server = child;
  base = await new Promise<string>((resolve) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const url = /^http:\/\/127\.0\.0\.1:\d+\/\S*$/m.exec(text);
      if (url) resolve(url[0]);
    });
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
  rmSync(out, { recursive: true, force: true });
});

/** A compose file of `n` services, each with a published port, a dependency, env (one secret) and a volume. */
function large(n: number): string {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  svc${i}:`, `    image: nginx:1.${i % 30}`, `    ports: ["${8000 + i}:80"]`);
    if (i + 1 < n) lines.push(`    depends_on: [svc${i + 1}]`);
    lines.push('    environment:', `      DB_PASSWORD: secret${i}`, `      PEER: http://svc${(i + 7) % n}:80`);
    lines.push('    volumes:', `      - data${i}:/data`);
  }
  lines.push('volumes:', ...Array.from({ length: n }, (_, i) => `  data${i}: {}`));
  return lines.join('\n') + '\n';
}

/** A share link's fragment (playground/share.ts: JSON, deflate, base64url). */
function fragment(state: unknown): string {
  return 's=' + deflateSync(Buffer.from(JSON.stringify(state))).toString('base64url');
}

describe.skipIf(SKIP)('playground under stress: a 300-service project, offline, a failing worker', () => {
  it('shows every object, highlighting only those near the view', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const state = { files: [{ name: 'compose.yaml', content: large(300) }], env: '', options: {} };
    await page.goto(`${base}#${fragment(state)}`);
    await page.waitForFunction(() => /objects/.test(document.getElementById('counts')?.textContent ?? ''), null, {
      timeout: 90_000,
    });
    await page.waitForFunction(() => document.body.dataset.state === 'ok', null, { timeout: 90_000 });
    const count = await page.locator('#objects details.object').count();
    expect(count).toBeGreaterThan(2000);
    const last = page.locator('#objects details.object pre').last();
    // Every object's YAML is in the page (copy, find, tests read it) ...
    const plain = (await last.textContent()) ?? '';
    expect((parse(plain) as { kind: string }).kind).toBeTruthy();
    // ... but only those in view are highlighted: a bounded number of spans, not ~15 per object.
    const spans = await page.locator('#objects pre.yaml span').count();
    expect(spans).toBeGreaterThan(0);
    expect(spans).toBeLessThan(count);
    // (Scrolled again on each try: the conversion with the texts, once their chunk is there, renders the list anew.)
    const highlighted = async (): Promise<number> => {
      await last.scrollIntoViewIfNeeded();
      return last.locator('span.y-key').count();
    };
    await expect.poll(highlighted, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await last.textContent()).toBe(plain); // highlighting changes no character (copy, share, find)
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('says so when a zip cannot be made: offline, the renderers chunk (loaded on the first zip) does not load', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(base);
    await page.waitForFunction(() => document.body.dataset.state === 'ok', null, { timeout: 60_000 });
    await context.setOffline(true);
    await page.click('#download');
    await expect.poll(() => page.textContent('#status'), { timeout: 10_000 }).toMatch(/^Download failed: /);
    expect(await page.isEnabled('#download')).toBe(true);
    await context.close();
  }, 120_000);

  for (const [what, body] of [
    ['its script throws as it loads', 'throw new Error("worker broke at load");'],
    ['a conversion throws in it', 'self.onmessage = () => { throw new Error("conversion broke"); };'],
  ] as const)
    it(`says the converter failed when the worker fails (${what}), and an edit tries again`, async () => {
      const context = await browser!.newContext();
      let served = 0;
      await context.route(/\/worker\.js(\?.*)?$/, (route) => {
        served++;
        return route.fulfill({ status: 200, contentType: 'text/javascript', body });
      });
      const page = await context.newPage();
      await page.goto(base);
      await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 30_000 });
      expect(served).toBe(1);
      expect(await page.textContent('#status')).toMatch(/^The converter failed: .*(broke|did not load)/);
      // An edit converts again (and, with the same broken worker, says so again rather than hang).
      await page.locator('.cm-content').first().click();
      await page.keyboard.type('#');
      await page.waitForFunction(() => document.body.dataset.state === 'pending', null, { timeout: 10_000 });
      await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 10_000 });
      await context.close();
    }, 120_000);
});
