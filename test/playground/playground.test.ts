import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { parse, parseAllDocuments } from 'yaml';

// The playground in a real Chromium: build it with its own build script, serve it with its own
// server on a random 127.0.0.1 port, and drive the page like a user.
const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
const SKIP = !existsSync(CHROMIUM) && !process.env.CI;
const SKIP_NOTE = `${CHROMIUM} is missing (npm test's pretest installs it): playground browser test skipped`;
if (SKIP) console.warn(SKIP_NOTE);

let server: ChildProcess | undefined;
let base = '';
let context: BrowserContext | undefined;
let profile = '';
const problems: string[] = [];
const served: string[] = [];

function startServer(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'playground/serve.mjs')], {
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    server = child;
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^http:\/\/127\.0\.0\.1:\d+\/$/m.exec(out);
      if (url) resolve(url[0]);
    });
    child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code} before printing its URL`)));
  });
}

beforeAll(async () => {
  if (SKIP) return;
  execFileSync(process.execPath, [join(root, 'playground/build.mjs')], { cwd: root, stdio: 'inherit' });
  base = await startServer();
  profile = mkdtempSync(join(tmpdir(), 'compose2k8s-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
  context.on('request', (r) => {
    const url = r.url();
    if (url.startsWith(base)) served.push(url.slice(base.length - 1));
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:'))
      problems.push(`request to ${url}`);
  });
  context.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
});

afterAll(async () => {
  await context?.close();
  server?.kill();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** A fresh page on the playground, with the sample converted. */
async function open(ctx: TestContext): Promise<Page> {
  if (SKIP || !context) ctx.skip(SKIP_NOTE);
  const page = await context!.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(base);
  await page.waitForSelector('body[data-state="ok"]');
  return page;
}

/** Replace the compose text (as typing would: one input event) and wait for the debounced run. */
async function setCompose(page: Page, text: string): Promise<void> {
  await page.fill('#compose', text);
  await page.waitForFunction(() => document.body.dataset.state !== 'pending');
}

async function output(page: Page): Promise<string> {
  return (await page.textContent('#output')) ?? '';
}

const SIMPLE = 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n';

describe('playground in Chromium', () => {
  it('converts the embedded sample to a workload per service (databases with a volume as StatefulSets)', async (ctx) => {
    const page = await open(ctx);
    const sample = readFileSync(join(root, 'samples/voting-app/compose.yaml'), 'utf8');
    expect(await page.inputValue('#compose')).toBe(sample);
    const services = Object.keys((parse(sample) as { services: Record<string, unknown> }).services);
    expect(services.length).toBeGreaterThan(2);
    const docs = parseAllDocuments(await output(page)).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string } },
    );
    const workloads = docs
      .filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet')
      .map((d) => d.metadata.name);
    expect(workloads.sort()).toEqual([...services].sort());
    expect(docs.find((d) => d.metadata.name === 'db' && d.kind !== 'Service')?.kind).toBe('StatefulSet');
    expect(await page.textContent('#counts')).toBe(`${docs.length} objects`);
    await page.close();
  });

  it('shows a syntax error at its line:col and moves the cursor there on click', async (ctx) => {
    const page = await open(ctx);
    const text = 'services:\n  web:\n    image: "nginx\n    ports: ["80"]\n';
    const col = text.split('\n')[2]!.indexOf('"') + 1;
    await setCompose(page, text);
    const diag = page.locator('#diagnostics li.error', { hasText: `compose.yaml:3:${col}` });
    await expect.poll(() => diag.count()).toBe(1);
    expect(await diag.textContent()).toContain('yaml-syntax');
    expect(await output(page)).not.toContain('kind:');
    expect(await page.isVisible('#findings-title')).toBe(false);
    expect(await page.locator('#compose-gutter .mark-error').textContent()).toBe('3');
    await page.focus('#opt-namespace');
    await diag.click();
    const cursor = await page.evaluate(() => {
      const ta = document.getElementById('compose') as HTMLTextAreaElement;
      return { focused: document.activeElement === ta, at: ta.selectionStart, end: ta.selectionEnd };
    });
    const lineStart = text.split('\n').slice(0, 2).join('\n').length + 1;
    expect(cursor).toEqual({ focused: true, at: lineStart + col - 1, end: lineStart + col - 1 });
    await page.close();
  });

  it('sets metadata.namespace on every object when a namespace is given', async (ctx) => {
    const page = await open(ctx);
    await setCompose(page, SIMPLE);
    expect(await output(page)).not.toContain('namespace:');
    await page.fill('#opt-namespace', 'team-a');
    await page.waitForFunction(() => document.body.dataset.state === 'ok');
    const docs = parseAllDocuments(await output(page)).map(
      (d) => d.toJS() as { kind: string; metadata: { namespace?: string } },
    );
    expect(docs.map((d) => d.kind)).toContain('Deployment');
    for (const d of docs) expect(d.metadata.namespace, d.kind).toBe('team-a');
    await page.close();
  });

  it('lists an unsupported key in the report table, coloured apart from converted ones', async (ctx) => {
    const page = await open(ctx);
    await setCompose(page, 'services:\n  web:\n    image: nginx\n    stop_signal: SIGUSR1\n');
    const row = page.locator('#report tbody tr', { has: page.locator('td.key', { hasText: /^stop_signal$/ }) });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td.service').textContent()).toBe('web');
    expect(await row.locator('td.status').textContent()).toBe('unsupported');
    expect(await row.locator('td.message').textContent()).toContain('SIGTERM');
    expect((await row.locator('td.fix').textContent())!.length).toBeGreaterThan(0);
    const color = (sel: string): Promise<string> =>
      page
        .locator(sel)
        .first()
        .evaluate((e) => getComputedStyle(e).color);
    expect(await color('#report .badge.unsupported')).not.toBe(await color('#report .badge.converted'));
    // The row points at its line: clicking it puts the cursor on line 4.
    await row.click();
    const line = await page.evaluate(() => {
      const ta = document.getElementById('compose') as HTMLTextAreaElement;
      return ta.value.slice(0, ta.selectionStart).split('\n').length;
    });
    expect(line).toBe(4);
    await page.close();
  });

  it('reads .env for interpolation, switches to JSON and downloads what it shows', async (ctx) => {
    const page = await open(ctx);
    await setCompose(page, 'services:\n  web:\n    image: "nginx:${TAG}"\n');
    await page.fill('#env', 'TAG=1.27-alpine\n');
    await page.waitForFunction(() => document.body.dataset.state === 'ok');
    expect(await output(page)).toContain('image: nginx:1.27-alpine');
    await page.selectOption('#opt-format', 'json');
    const list = JSON.parse(await output(page)) as { kind: string; items: Array<{ kind: string }> };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.kind)).toContain('Deployment');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('project.json');
    expect(readFileSync(await download.path(), 'utf8')).toBe(await output(page));
    if (process.env.PLAYGROUND_SCREENSHOT) {
      await page.selectOption('#opt-format', 'yaml');
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.click('#reset');
      await page.screenshot({ path: process.env.PLAYGROUND_SCREENSHOT });
    }
    await page.close();
  });

  it('logged no console errors and requested nothing but the local server', (ctx) => {
    if (SKIP) ctx.skip(SKIP_NOTE);
    expect(problems).toEqual([]);
    // The listener saw the page's own requests, so an empty list above means something.
    expect(served).toEqual(expect.arrayContaining(['/', '/style.css', '/dist/app.js']));
  });
});
