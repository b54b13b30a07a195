import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { parse } from 'yaml';
import { unzipSync } from 'fflate';

// The playground in a real Chromium: build the static site with its own build script, serve the
// built folder with its own server on a random 127.0.0.1 port under a non-root base path (the site
// must work under any base path), and drive the page like a user.
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
const BASE = '/some/base/';
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
      env: { ...process.env, PORT: '0', BASE },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    server = child;
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^http:\/\/127\.0\.0\.1:\d+\/\S*$/m.exec(out);
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
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  context.on('request', (r) => {
    const url = r.url();
    if (url.startsWith(base)) served.push(new URL(url).pathname);
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:'))
      problems.push(`request to ${url}`);
  });
  context.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  server?.kill();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.state !== 'pending');
}

/** A fresh page on the playground (or `url`), converted. */
async function open(ctx: TestContext, url = base): Promise<Page> {
  if (SKIP || !context) ctx.skip(SKIP_NOTE);
  const page = await context!.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  await settle(page);
  return page;
}

/** Replace the text of the visible compose editor by typing it (one input) and wait for the worker. */
async function setCompose(page: Page, text: string): Promise<void> {
  await page.click('#editors .cm-editor:not([hidden]) .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await page.waitForFunction(() => document.body.dataset.state === 'pending');
  await settle(page);
}

/** Replace the text of the .env editor the same way. */
async function setEnv(page: Page, text: string): Promise<void> {
  await page.click('#env-editor .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await page.waitForFunction(() => document.body.dataset.state === 'pending');
  await settle(page);
}

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { template?: { spec?: { containers?: Array<{ image?: string }> } } };
}

async function objects(page: Page): Promise<Obj[]> {
  const texts = await page.locator('#objects details.object pre').allTextContents();
  return texts.map((t) => parse(t) as Obj);
}

/** 1-based line of the cursor in the focused editor (CodeMirror marks the cursor's line active). */
async function cursorLine(page: Page): Promise<number> {
  return page.evaluate(() => {
    const content = document.activeElement as HTMLElement;
    if (!content.classList.contains('cm-content')) return -1;
    const active = content.querySelector('.cm-activeLine');
    const gutter = content.closest('.cm-editor')!.querySelector('.cm-lineNumbers .cm-activeLineGutter')?.textContent;
    return active && gutter ? Number(gutter) : -1;
  });
}

const SIMPLE = 'services:\n  web:\n    ports: ["8080:80"]\n    image: nginx:1.27';

describe('playground in Chromium', () => {
  it('converts the default sample in a worker: one workload per service, time in the status line', async (ctx) => {
    const page = await open(ctx);
    const sample = readFileSync(join(root, 'samples/voting-app/compose.yaml'), 'utf8');
    const services = Object.keys((parse(sample) as { services: Record<string, unknown> }).services);
    const objs = await objects(page);
    const workloads = objs
      .filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet')
      .map((d) => d.metadata.name);
    expect(workloads.sort()).toEqual([...services].sort());
    expect(await page.textContent('#counts')).toBe(`${objs.length} objects`);
    expect(await page.textContent('#status')).toMatch(/^converted in \d+\.\d ms · \d+ objects · 0 errors/);
    // Grouped by service: the vote group holds vote's Deployment and Service.
    const vote = page.locator('details.service-group[data-service="vote"] details.object');
    expect(await vote.evaluateAll((ds) => ds.map((d) => (d as HTMLElement).dataset.id))).toEqual(
      expect.arrayContaining(['Deployment/vote', 'Service/vote']),
    );
    await page.fill('#filter', 'statefulset');
    expect(await page.locator('#objects details.object').count()).toBe(
      objs.filter((o) => o.kind === 'StatefulSet').length,
    );
    await page.close();
  });

  it('updates the manifests as the user types in the editor', async (ctx) => {
    const page = await open(ctx);
    await setCompose(page, SIMPLE);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('-alpine');
    await settle(page);
    const deploy = (await objects(page)).find((o) => o.kind === 'Deployment');
    expect(deploy?.spec?.template?.spec?.containers?.[0]?.image).toBe('nginx:1.27-alpine');
    await page.close();
  });

  it('underlines a syntax error at its line, marks the gutter, and a click on it lands on that line', async (ctx) => {
    const page = await open(ctx);
    await setCompose(page, 'services:\n  web:\n    image: "nginx\n    ports: ["80"]\n');
    const diag = page.locator('#diagnostics li.error');
    await expect.poll(() => diag.count()).toBeGreaterThan(0);
    expect(await diag.first().textContent()).toMatch(/compose\.yaml:3:\d+ error yaml-syntax/);
    expect(await page.locator('#objects details.object').count()).toBe(0);
    const underlinedLine = await page
      .locator('#editors .cm-editor:not([hidden]) .cm-lintRange-error')
      .first()
      .evaluate((e) => {
        const line = e.closest('.cm-line')!;
        return Array.from(line.parentElement!.children).indexOf(line) + 1;
      });
    expect(underlinedLine).toBe(3);
    // The word at the position, not the blank after it.
    await setCompose(page, 'services:\n  web:\n    image: nginx\n    mem_limit: lots\n');
    const underlined = page.locator('#editors .cm-editor:not([hidden]) .cm-lintRange-error');
    expect(await underlined.allTextContents()).toEqual(['mem_limit:']);
    await setCompose(page, 'services:\n  web:\n    image: "nginx\n    ports: ["80"]\n');
    expect(await page.locator('#editors .cm-editor:not([hidden]) .cm-lint-marker-error').count()).toBe(1);
    await page.focus('#opt-namespace');
    await diag.first().click();
    expect(await cursorLine(page)).toBe(3);
    await page.close();
  });

  it('filters the report by status with counts; clicking an entry lands on its line', async (ctx) => {
    const page = await open(ctx);
    await setCompose(page, 'services:\n  web:\n    image: nginx\n    stop_signal: SIGUSR1\n');
    const unsupported = page.locator('#status-filter button[data-status="unsupported"]');
    expect(await unsupported.textContent()).toBe('unsupported 1');
    await unsupported.click();
    const rows = page.locator('#report tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.locator('td.key').textContent()).toBe('stop_signal');
    // The report's wording (messages, fixes) is a chunk of its own, loaded at start-up; until it is there a message
    // is its outcome id and values. Once there, the page converts again: the entry shows its real message and fix.
    await page.waitForFunction(() => document.querySelector('#report tbody tr .fix') !== null);
    expect(await rows.locator('.fix').textContent()).toMatch(/^fix: \S/);
    const message = (await rows.locator('td.message').textContent()) ?? '';
    expect(message).toContain('SIGTERM');
    expect(message).not.toMatch(/^stop_signal\./);
    const color = (sel: string): Promise<string> =>
      page
        .locator(sel)
        .first()
        .evaluate((e) => getComputedStyle(e).color);
    await page.click('#status-filter button[data-status="all"]');
    expect(await rows.count()).toBeGreaterThan(1);
    expect(await color('#report .badge.unsupported')).not.toBe(await color('#report .badge.converted'));
    await page.click('#status-filter button[data-status="unsupported"]');
    await rows.first().click();
    expect(await cursorLine(page)).toBe(4);
    await page.close();
  });

  it('draws the graph with one node per workload and shows a node’s YAML and report on click', async (ctx) => {
    const page = await open(ctx);
    const objs = await objects(page);
    await page.click('#view-graph');
    const workloadKinds = ['Deployment', 'StatefulSet', 'Job', 'CronJob', 'DaemonSet'];
    const nodes = await page.locator('#graph g.node').evaluateAll((gs) => gs.map((g) => (g as SVGElement).dataset.id!));
    const expected = objs.filter((o) => workloadKinds.includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(nodes.filter((id) => workloadKinds.includes(id.split('/')[0]!)).sort()).toEqual(expected.sort());
    // Ingress → Service → Deployment edges exist for vote.
    expect(await page.locator('#graph path.edge[data-from="Service/vote"][data-to="Deployment/vote"]').count()).toBe(1);
    await page.click('#graph g.node[data-id="Deployment/vote"]');
    expect(await page.textContent('#node-detail h3')).toBe('Deployment/vote');
    const yamlText = (await page.textContent('#node-detail pre')) ?? '';
    expect((parse(yamlText) as Obj).metadata.name).toBe('vote');
    expect(await page.locator('#node-detail tr').count()).toBeGreaterThan(0);
    expect(await page.getAttribute('#graph g.node[data-id="Deployment/vote"]', 'class')).toContain('selected');
    await page.close();
  });

  it('merges an override tab like -f a -f b', async (ctx) => {
    const page = await open(ctx);
    await setCompose(page, SIMPLE + '\n');
    await page.click('#add-file');
    expect(await page.locator('#file-tabs .file-tab').allTextContents()).toEqual([
      'compose.yaml',
      'compose.override.yaml',
    ]);
    await setCompose(page, 'services:\n  web:\n    image: nginx:1.28\n');
    const deploy = (await objects(page)).find((o) => o.kind === 'Deployment');
    expect(deploy?.spec?.template?.spec?.containers?.[0]?.image).toBe('nginx:1.28');
    await page.close();
  });

  it('reads the dialects, a chunk loaded at start-up: a kompose label shapes the Service', async (ctx) => {
    const page = await open(ctx);
    await setCompose(page, SIMPLE + '\n    labels:\n      kompose.service.type: NodePort\n');
    // Until the chunk is there the label is reported as not loaded; once there, the page converts again with it.
    await page.waitForFunction(() => document.querySelector('#objects')?.textContent?.includes('type: NodePort'));
    const svc = (await objects(page)).find((o) => o.kind === 'Service' && o.metadata.name === 'web') as
      (Obj & { spec?: { type?: string } }) | undefined;
    expect(svc?.spec?.type).toBe('NodePort');
    expect(await page.locator('#report tbody tr td.key', { hasText: 'labels.kompose.service.type' }).count()).toBe(1);
    expect(await page.textContent('#report')).not.toContain('dialect');
    await page.close();
  });

  it('reproduces the state from a share link in a new page', async (ctx) => {
    const page = await open(ctx);
    await setCompose(page, SIMPLE);
    await page.fill('#opt-namespace', 'team-a');
    await settle(page);
    await page.click('#share');
    // The link is encoded asynchronously (CompressionStream): wait until the field shows it.
    await page.waitForFunction(() => (document.querySelector('#share-url') as HTMLInputElement).value !== '');
    const link = await page.inputValue('#share-url');
    expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/);
    expect(link.startsWith(base)).toBe(true);
    const before = await page.locator('#objects details.object pre').allTextContents();
    expect(before.join('')).toContain('namespace: team-a');
    const again = await open(ctx, link);
    expect(await again.inputValue('#opt-namespace')).toBe('team-a');
    expect(await again.locator('#objects details.object pre').allTextContents()).toEqual(before);
    await page.close();
    await again.close();
  });

  it('follows a share link opened in a tab that already shows the playground (only the fragment changes)', async (ctx) => {
    const page = await open(ctx);
    const state = { files: [{ name: 'compose.yaml', content: SIMPLE }], env: '', options: { namespace: 'team-b' } };
    await page.goto(`${base}#s=${deflateSync(Buffer.from(JSON.stringify(state))).toString('base64url')}`);
    await expect.poll(() => page.inputValue('#opt-namespace')).toBe('team-b');
    await settle(page);
    expect((await page.locator('#objects details.object pre').allTextContents()).join('')).toContain(
      'namespace: team-b',
    );
    await page.close();
  });

  it('downloads zips of the -o layout, the Helm chart and the Kustomize output', async (ctx) => {
    const page = await open(ctx);
    const objs = await objects(page);
    const names = async (layout: string): Promise<string[]> => {
      await page.selectOption('#zip-layout', layout);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
      expect(download.suggestedFilename()).toMatch(/\.zip$/);
      return Object.keys(unzipSync(readFileSync(await download.path()))).sort();
    };
    const files = await names('files');
    expect(files.length).toBe(objs.length);
    expect(files).toContain('voting/deployment-vote.yaml');
    const helm = await names('helm');
    expect(helm).toEqual(expect.arrayContaining(['voting-helm/Chart.yaml', 'voting-helm/values.yaml']));
    expect(helm.some((f) => f.startsWith('voting-helm/templates/'))).toBe(true);
    const kustomize = await names('kustomize');
    expect(kustomize).toContain('voting-kustomize/kustomization.yaml');
    await page.close();
  });

  it('downloads no secret value by default (every layout), and each value with secrets: embed', async (ctx) => {
    const page = await open(ctx);
    const literal = 'Pl4ygroundL1teralS3cret';
    const fromEnv = 'Pl4ygroundD0tenvT0ken';
    const keyBody = 'MIIPl4ygroundPr1vateKeyB0dy';
    await setCompose(
      page,
      [
        'services:',
        '  db:',
        '    image: postgres:16',
        '    environment:',
        `      POSTGRES_PASSWORD: ${literal}`,
        '    healthcheck:',
        '      test: ["CMD-SHELL", "pg_isready -U app && psql -c \'select 1\' postgres://app:${API_TOKEN}@localhost/app"]',
        '    labels:',
        '      com.example.token: ${API_TOKEN}',
        '  api:',
        '    image: example/api',
        '    environment:',
        '      API_TOKEN: ${API_TOKEN}',
        '    configs: [tls]',
        'configs:',
        '  tls:',
        '    content: |',
        '      -----BEGIN PRIVATE KEY-----',
        `      ${keyBody}`,
        '      -----END PRIVATE KEY-----',
        '',
      ].join('\n'),
    );
    await setEnv(page, `API_TOKEN=${fromEnv}\n`);
    const secrets = [literal, fromEnv, keyBody];
    const shown = async (): Promise<string> =>
      [
        ...(await page.locator('#objects details.object pre').allTextContents()),
        (await page.textContent('#report')) ?? '',
        (await page.textContent('#diagnostics')) ?? '',
      ].join('\n');
    const zipText = async (layout: string): Promise<string> => {
      await page.selectOption('#zip-layout', layout);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
      const files = unzipSync(readFileSync(await download.path()));
      expect(Object.keys(files).length).toBeGreaterThan(2);
      return Object.values(files)
        .map((b) => new TextDecoder().decode(b))
        .join('\n');
    };
    const found = (text: string): string[] => secrets.filter((v) => text.includes(v));
    expect(await page.inputValue('#opt-secrets')).toBe('placeholder');
    expect(found(await shown())).toEqual([]);
    for (const layout of ['files', 'helm', 'kustomize'])
      expect([layout, found(await zipText(layout))]).toEqual([layout, []]);
    // The download holds the Secrets, with placeholders where the values would be.
    expect(await zipText('files')).toMatch(/kind: Secret[\s\S]*<set-me: POSTGRES_PASSWORD>/);

    await page.selectOption('#opt-secrets', 'embed');
    // The worker reconverts: the manifests on the page now hold the values too.
    await expect.poll(async () => found(await shown()), { timeout: 20_000 }).toEqual(secrets);
    for (const layout of ['files', 'helm', 'kustomize'])
      expect([layout, found(await zipText(layout))]).toEqual([layout, secrets]);
    await page.close();
  });

  it('shows no secret value in a diagnostic about the line that holds it', async (ctx) => {
    const page = await open(ctx);
    const value = 'Pl4ygroundBr0kenS3cret';
    await setCompose(page, `services:\n  db:\n    image: mysql:8\n    environment:\n      DB_PASSWORD: "${value}\n`);
    const diag = page.locator('#diagnostics li.error');
    await expect.poll(() => diag.count()).toBeGreaterThan(0);
    expect(await diag.first().textContent()).toMatch(/compose\.yaml:5:\d+ error yaml-syntax/);
    await setCompose(page, `services:\n  db:\n    image: mysql:8\n    environment:\n      DB_PASSWORD: ${value}\${\n`);
    await expect
      .poll(() => page.locator('#diagnostics li.error').first().textContent())
      .toMatch(/interpolation-syntax/);
    const text = (await page.textContent('#diagnostics')) ?? '';
    expect(text).toContain('DB_PASSWORD');
    expect(text).not.toContain(value);
    await page.close();
  });

  it('switches theme and sample', async (ctx) => {
    const page = await open(ctx);
    const bg = (): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.selectOption('#theme', 'light');
    const light = await bg();
    await page.selectOption('#theme', 'dark');
    expect(await bg()).not.toBe(light);
    await page.selectOption('#sample', 'gitea-postgres');
    await settle(page);
    const sample = parse(readFileSync(join(root, 'samples/gitea-postgres/compose.yaml'), 'utf8')) as {
      services: Record<string, unknown>;
    };
    const workloads = (await objects(page))
      .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
      .map((o) => o.metadata.name);
    expect(workloads.sort()).toEqual(Object.keys(sample.services).sort());
    if (process.env.PLAYGROUND_SCREENSHOT) {
      await page.selectOption('#theme', 'light');
      await page.selectOption('#sample', 'voting-app');
      await settle(page);
      await page.click('#view-graph');
      await page.click('#graph g.node[data-id="Deployment/vote"]');
      await page.screenshot({ path: process.env.PLAYGROUND_SCREENSHOT });
    }
    await page.close();
  });

  it('logged no console errors and requested nothing but the local server', (ctx) => {
    if (SKIP) ctx.skip(SKIP_NOTE);
    expect(problems).toEqual([]);
    // The listener saw the page's own requests, so an empty list above means something.
    expect(served).toEqual(expect.arrayContaining([BASE, `${BASE}style.css`, `${BASE}app.js`, `${BASE}worker.js`]));
  });
});
