/**
 * Docker-discovery proxies other than Traefik (nginx-proxy, acme-companion, caddy-gen, caddy-docker-proxy): no
 * workload for them, and the routing settings they read become Ingress rules with one entry each, or say the route
 * is lost.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { convert, memoryFs } from '../../../src/index.js';
import { convert as leanConvert } from '../../../src/browser.js';
import { expectValid } from '../../helpers/validate.js';
import { ingressPaths } from '../../helpers/outputs.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/dockerhelpers/${name}.yaml`, import.meta.url), 'utf8');

function run(yaml: string, options: Partial<ConvertOptions> = {}, convertWith = convert) {
  const out = convertWith({
    files: [{ path: '/p/compose.yaml', content: yaml }],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': yaml }),
    env: {},
    options,
  });
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(out.objects);
  const entry = (service: string | undefined, path: string) =>
    out.report!.entries.find((e) => e.service === service && e.path === path);
  const kinds = (name: string) => out.objects.filter((o) => o.metadata.name === name).map((o) => o.kind);
  /** Every Ingress path as `host path pathType → service:port`. */
  const ingress = () => ingressPaths(out.objects);
  return { out, entry, kinds, ingress };
}

describe('nginx-proxy', () => {
  const { entry, kinds, ingress } = run(fixture('nginx-proxy'));

  it('gets no workload, nor does acme-companion: an ingress controller and cert-manager take their place', () => {
    expect(kinds('proxy')).toEqual([]);
    expect(kinds('acme')).toEqual([]);
    expect(entry('proxy', 'image')).toMatchObject({ id: 'docker-helper.proxy', status: 'approximated' });
    expect(entry('proxy', 'image')!.message).toContain('VIRTUAL_HOST');
    expect(entry('acme', 'image')).toMatchObject({ id: 'docker-helper.certificates', status: 'approximated' });
  });

  it('VIRTUAL_HOST (a comma list), VIRTUAL_PATH and VIRTUAL_PORT become Ingress rules, one entry each', () => {
    expect(ingress()).toEqual([
      'app.example.com /api Prefix → app:tcp-8080',
      'web.example.com / Prefix → web:tcp-8000',
      'www.example.com /api Prefix → app:tcp-8080',
    ]);
    // LETSENCRYPT_HOST asked acme-companion for a certificate: the Ingress gets none, as for a Traefik TLS router.
    expect(entry('app', 'environment.VIRTUAL_HOST')).toMatchObject({
      id: 'proxy.route-ingress-tls',
      status: 'approximated',
      objects: ['Ingress/app', 'Service/app'],
    });
    expect(entry('app', 'environment.VIRTUAL_HOST')!.message).toContain(
      'rules app.example.com/api, www.example.com/api, on container port 8080 (from VIRTUAL_PORT',
    );
    for (const k of ['VIRTUAL_PORT', 'VIRTUAL_PATH', 'LETSENCRYPT_HOST'])
      expect(entry('app', `environment.${k}`), k).toMatchObject({ id: 'proxy.setting-part', status: 'converted' });
    expect(entry('app', 'environment.VIRTUAL_DEST')).toMatchObject({
      id: 'proxy.setting-not-carried',
      status: 'unsupported',
    });
  });

  it('without VIRTUAL_PORT routes the one declared port; a regular-expression host is reported, not routed', () => {
    expect(entry('web', 'environment.VIRTUAL_HOST')).toMatchObject({
      id: 'proxy.hosts-dropped',
      status: 'approximated',
    });
    expect(entry('web', 'environment.VIRTUAL_HOST')!.message).toContain('from the one port it declares');
    expect(entry('regex', 'environment.VIRTUAL_HOST')).toMatchObject({ id: 'proxy.route-lost', status: 'unsupported' });
    expect(kinds('regex')).not.toContain('Ingress');
    expect(entry('blank', 'environment.VIRTUAL_HOST')).toMatchObject({ id: 'proxy.host-empty', status: 'ignored' });
  });

  it('with --ingress gateway the route is an HTTPRoute', () => {
    const g = run(fixture('nginx-proxy'), { ingress: 'gateway', gateway: 'gw' });
    expect(g.kinds('app')).toContain('HTTPRoute');
    expect(g.entry('app', 'environment.VIRTUAL_HOST')).toMatchObject({
      id: 'proxy.route-gateway-tls',
      objects: ['HTTPRoute/app', 'Service/app'],
    });
  });

  it('a proxy that mounts htpasswd files may guard any host: no route is made open', () => {
    const yaml = fixture('nginx-proxy').replace(
      '      - certs:/etc/nginx/certs\n      - /var/run/docker.sock:/tmp/docker.sock:ro',
      '      - certs:/etc/nginx/certs\n      - ./htpasswd:/etc/nginx/htpasswd:ro\n      - /var/run/docker.sock:/tmp/docker.sock:ro',
    );
    expect(yaml).toContain('/etc/nginx/htpasswd');
    const guarded = run(yaml);
    expect(guarded.entry('app', 'environment.VIRTUAL_HOST')).toMatchObject({
      id: 'proxy.route-auth-unrouted',
      status: 'unsupported',
    });
    expect(guarded.ingress()).toEqual([]);
  });

  it('is read only when the project runs nginx-proxy: elsewhere VIRTUAL_HOST is a plain variable', () => {
    const alone = run(
      'services:\n  app:\n    image: traefik/whoami\n    environment:\n      VIRTUAL_HOST: app.example.com\n',
    );
    expect(alone.entry('app', 'environment.VIRTUAL_HOST')).toBeUndefined();
    expect(alone.ingress()).toEqual([]);
  });

  it('the lean entry without the docker-labels dialect says what it did not read', () => {
    const lean = run(fixture('nginx-proxy'), {}, leanConvert);
    expect(lean.entry('app', 'environment.VIRTUAL_HOST')).toMatchObject({ id: 'report.dialect-not-loaded' });
    expect(lean.entry('proxy', 'image')?.id).toBe('docker-helper.proxy');
  });
});

describe('Traefik and nginx-proxy in one project', () => {
  it("a service both route gets one Ingress with both's rules", () => {
    const { ingress, entry } = run(`services:
  traefik:
    image: traefik:v3.1
    ports: ["80:80"]
    volumes: [/var/run/docker.sock:/var/run/docker.sock:ro]
  proxy:
    image: nginxproxy/nginx-proxy:1.6
    ports: ["8080:80"]
    volumes: [/var/run/docker.sock:/tmp/docker.sock:ro]
  app:
    image: traefik/whoami
    expose: ["80"]
    environment:
      VIRTUAL_HOST: b.example.com,a.example.com
    labels:
      traefik.enable: "true"
      traefik.http.routers.app.rule: Host(\`a.example.com\`)
`);
    expect(ingress()).toEqual(['a.example.com / Prefix → app:tcp-80', 'b.example.com / Prefix → app:tcp-80']);
    expect(entry('app', 'environment.VIRTUAL_HOST')?.objects).toContain('Ingress/app');
  });
});

describe('caddy-gen and caddy-docker-proxy', () => {
  const { entry, kinds, ingress } = run(fixture('caddy'));

  it('get no workload; their labels become Ingress rules', () => {
    expect(kinds('gen')).toEqual([]);
    expect(kinds('cdp')).toEqual([]);
    expect(ingress()).toEqual([
      'api.example.org /api Prefix → kuma:tcp-3002',
      'stats.example.com / Prefix → analytics:tcp-8000',
      'status.example.org / Prefix → kuma:tcp-3001',
    ]);
  });

  it('a volume only the proxy mounts is not created, nor are its settings (its driver is not a foreign one)', () => {
    expect(entry(undefined, 'volumes.caddy-certificates')?.id).toBe('docker-helper.volume-not-created');
    expect(entry(undefined, 'volumes.caddy-certificates.driver')).toMatchObject({
      id: 'docker-helper.volume-not-created',
      status: 'ignored',
    });
  });

  it('a service published on loopback only is routed through the Ingress, as caddy-gen exposed it', () => {
    expect(entry('analytics', 'labels.virtual.host')).toMatchObject({
      id: 'proxy.route-ingress-tls',
      objects: ['Ingress/analytics', 'Service/analytics'],
    });
    expect(entry('analytics', 'labels.virtual.port')?.id).toBe('proxy.setting-part');
    expect(entry('analytics', 'ports[0]')!.message).toContain('Ingress/analytics');
  });

  it('a route behind basic authentication is not made', () => {
    expect(entry('guarded', 'labels.virtual.host')).toMatchObject({
      id: 'proxy.route-auth-unrouted',
      status: 'unsupported',
    });
    expect(kinds('guarded')).not.toContain('Ingress');
  });

  it("a caddy-gen label beyond the route's port and TLS is said not to be carried", () => {
    const yaml = fixture('caddy').replace(
      '      virtual.tls-email: admin@example.com\n',
      '      virtual.tls-email: admin@example.com\n      virtual.proxy.headers: X-Frame-Options DENY\n',
    );
    const more = run(yaml);
    expect(more.entry('analytics', 'labels.virtual.proxy.headers')).toMatchObject({
      id: 'proxy.setting-not-carried',
      status: 'unsupported',
    });
    expect(more.entry('analytics', 'labels.virtual.proxy.headers')!.message).toContain(
      'its Caddy settings are not applied',
    );
    expect(more.ingress()).toEqual(ingress());
  });

  it('the lean entry without the docker-labels dialect names each label the proxies would read', () => {
    const lean = run(fixture('caddy'), {}, leanConvert);
    for (const [service, path] of [
      ['analytics', 'labels.virtual.host'],
      ['kuma', 'labels.caddy'],
      ['kuma', 'labels.caddy_1.reverse_proxy'],
    ])
      expect(lean.entry(service, path), path).toMatchObject({ id: 'report.dialect-not-loaded' });
    expect(lean.ingress()).toEqual([]);
  });

  it('caddy sites: automatic HTTPS unless http://, matchers as paths, other directives not carried', () => {
    expect(entry('kuma', 'labels.caddy')?.id).toBe('proxy.route-ingress-tls');
    expect(entry('kuma', 'labels.caddy_1')?.id).toBe('proxy.route-ingress');
    expect(entry('kuma', 'labels.caddy.reverse_proxy')?.id).toBe('proxy.setting-part');
    expect(entry('kuma', 'labels.caddy.encode')?.id).toBe('proxy.setting-not-carried');
    expect(entry('static', 'labels.caddy')).toMatchObject({ id: 'proxy.route-lost', status: 'unsupported' });
    expect(entry('static', 'labels.caddy')!.message).toContain('no caddy.reverse_proxy label');
  });
});
