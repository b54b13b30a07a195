/**
 * `--ingress gateway --gateway NAME[/NAMESPACE]` end to end through the CLI, in process, on the gateway fixture:
 * the YAML stream holds HTTPRoutes (validated), bad flags exit 2 with a clear message, and the Helm chart and the
 * Kustomize base carry the routes (`helm template` / `helm lint --strict` / `kubectl kustomize` on the real tools).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIn } from '../helpers/cli.js';
import { expectValid } from '../helpers/validate.js';
import { byRef, parseStream, runTool, toolAvailable, withoutHelmLabels, type Obj } from '../render/render-tools.js';

const FIXTURE = new URL('../fixtures/gateway/', import.meta.url).pathname;
const GW = ['--ingress', 'gateway', '--gateway', 'gw/infra'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'c2k-cli-gateway-'));
  cpSync(FIXTURE, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runIn(dir, args);

type Route = Obj & { spec: { parentRefs: unknown[]; hostnames?: string[] } };
const routesOf = (objects: Obj[]): Route[] => objects.filter((o): o is Route => o.kind === 'HTTPRoute');

describe('compose2k8s --ingress gateway', () => {
  it('prints HTTPRoutes attached to the Gateway instead of Ingresses, all valid', async () => {
    const r = await run(...GW, '-n', 'shop', '--report', 'json');
    expect(r.code).toBe(0);
    const objects = parseStream(r.out);
    expectValid(objects);
    expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(
      routesOf(objects)
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['admin', 'admin-2', 'api', 'secure', 'web', 'whoami']);
    for (const o of routesOf(objects)) expect(o.spec.parentRefs).toEqual([{ name: 'gw', namespace: 'infra' }]);
    const report = JSON.parse(r.err) as { entries: Array<{ id: string }> };
    const ids = new Set(report.entries.map((e) => e.id));
    for (const id of ['ports.route-backend-tls', 'traefik.router-route-tls', 'ports.policy-from-gateway'])
      expect(ids).toContain(id);
  });

  it('bad or missing --gateway, and --gateway without --ingress gateway, exit 2 with a clear message', async () => {
    const missing = await run('--ingress', 'gateway');
    expect(missing.code).toBe(2);
    expect(missing.out).toBe('');
    expect(missing.err).toContain('--ingress gateway needs the Gateway the HTTPRoutes attach to');
    expect(missing.err).toContain('--gateway NAME[/NAMESPACE]');
    expect(missing.err).not.toMatch(/\n\s+at /); // no stack trace
    const bad = await run('--ingress', 'gateway', '--gateway', 'My_Gateway');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('"My_Gateway" is not a valid Gateway name');
    const alone = await run('--gateway', 'gw');
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--gateway gw is only used with --ingress gateway');
    const api = await run('--ingress', 'istio');
    expect(api.code).toBe(2);
    expect(api.err).toContain('"istio" is not one of ingress, gateway');
  });

  it.runIf(toolAvailable('helm'))(
    'the Helm chart carries the routes: helm template renders the conversion, values change hosts and Gateway',
    async () => {
      const plain = await run(...GW, '-n', 'prod', '--report', 'none');
      expect((await run(...GW, '--format', 'helm', '-o', 'chart', '--report', 'none')).code).toBe(0);
      const chart = join(dir, 'chart');
      const lint = runTool('helm', ['lint', '--strict', chart]);
      expect(lint.status, lint.stdout + lint.stderr).toBe(0);
      const t = runTool('helm', ['template', 'rel', chart, '--namespace', 'prod']);
      expect(t.status, t.stderr).toBe(0);
      const rendered = parseStream(t.stdout);
      expectValid(rendered);
      const routes = (objs: Obj[]) => byRef(routesOf(objs).map((o) => withoutHelmLabels(o) as Obj));
      expect(routes(rendered)).toEqual(routes(parseStream(plain.out)));
      expect(t.stdout).toContain('who.example.com');

      const moved = runTool('helm', [
        'template',
        'rel',
        chart,
        '--set',
        'web.route.hostnames={shop.example.com}',
        '--set',
        'web.route.parentRefs[0].name=edge',
        '--set',
        'web.route.parentRefs[0].namespace=net',
        '--set',
        'api.route.enabled=false',
      ]);
      expect(moved.status, moved.stderr).toBe(0);
      const objs = parseStream(moved.stdout);
      const web = routesOf(objs).find((o) => o.metadata.name === 'web')!;
      expect(web.spec.hostnames).toEqual(['shop.example.com']);
      expect(web.spec.parentRefs).toEqual([{ name: 'edge', namespace: 'net' }]);
      expect(routesOf(objs).some((o) => o.metadata.name === 'api')).toBe(false);
      // The schema refuses a misspelt key.
      const typo = runTool('helm', ['template', 'rel', chart, '--set', 'web.route.hostname=x']);
      expect(typo.status).not.toBe(0);
    },
  );

  it.runIf(toolAvailable('kubectl'))('the Kustomize base carries the routes', async () => {
    expect((await run(...GW, '--format', 'kustomize', '-o', 'k8s', '-n', 'shop', '--report', 'none')).code).toBe(0);
    const b = runTool('kubectl', ['kustomize', join(dir, 'k8s')]);
    expect(b.status, b.stderr).toBe(0);
    const objects = parseStream(b.stdout);
    expectValid(objects);
    expect(routesOf(objects).length).toBe(6);
    for (const o of routesOf(objects)) expect((o.metadata as { namespace?: string }).namespace).toBe('shop');
  });
});
