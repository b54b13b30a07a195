/**
 * `--ingress gateway`: HTTPRoutes route what the Ingress would (same hosts, paths, Services and ports), attach to
 * the Gateway of `--gateway`, and the report says what a route does not carry. Every output is validated (Gateway
 * API schema, strict fields, CEL rules, backendRefs that resolve).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Ingress } from 'kubernetes-types/networking/v1.js';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type { Service as KService } from 'kubernetes-types/core/v1.js';
import { convertProject } from '../../../src/index.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import type { ConvertResult } from '../../../src/convert/result.js';
import type { KubeObject } from '../../../src/kube/object.js';
import type { HttpRouteObject } from '../../../src/convert/objects/httproute.js';
import { routePathProblem } from '../../../src/convert/objects/httproute.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';
import { entries, obj, run } from '../run.js';

const FIXTURE = readFileSync(new URL('../../fixtures/gateway/compose.yaml', import.meta.url), 'utf8');
const GW: Partial<ConvertOptions> = { ingress: 'gateway', gateway: 'gw/infra' };

function convert(text: string, options: Partial<ConvertOptions>): ConvertResult {
  const r = convertProject(fromYaml(text), options);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(r.objects);
  return r;
}

const routes = (r: ConvertResult): HttpRouteObject[] =>
  r.objects.filter((o): o is HttpRouteObject => o.kind === 'HTTPRoute');

/** host + path → Service:port number, as an Ingress routes them. */
function ingressTable(r: ConvertResult): string[] {
  const port = (svc: string, name: string): number =>
    ((obj(r, 'Service', svc) as KubeObject & KService).spec!.ports ?? []).find((p) => p.name === name)!.port;
  return r.objects
    .filter((o) => o.kind === 'Ingress')
    .flatMap((o) =>
      ((o as KubeObject & Ingress).spec!.rules ?? []).flatMap((rule) =>
        rule.http!.paths.map((p) => {
          const s = p.backend.service!;
          return `${rule.host ?? '*'}${p.path} → ${s.name}:${port(s.name, s.port!.name!)} ${p.pathType}`;
        }),
      ),
    )
    .sort();
}

/** host + path → Service:port, as HTTPRoutes route them. */
function routeTable(r: ConvertResult): string[] {
  return routes(r)
    .flatMap((o) =>
      (o.spec.hostnames ?? ['*']).flatMap((h) =>
        o.spec.rules.flatMap((rule) =>
          rule.matches.map((m) => {
            const b = rule.backendRefs[0]!;
            const type = m.path.type === 'PathPrefix' ? 'Prefix' : m.path.type;
            return `${h}${m.path.value} → ${b.name}:${b.port} ${type}`;
          }),
        ),
      ),
    )
    .sort();
}

describe('--ingress gateway', () => {
  it('routes the same hosts, paths and Service ports as the Ingress would, and emits no Ingress', () => {
    const ingress = convert(FIXTURE, {});
    const gateway = convert(FIXTURE, GW);
    expect(gateway.objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(ingressTable(ingress).length).toBeGreaterThan(5);
    expect(routeTable(gateway)).toEqual(ingressTable(ingress));
    // With --ingress-host every derived host moves to that domain in both.
    const host = { ingressHost: 'shop.example.com' };
    expect(routeTable(convert(FIXTURE, { ...GW, ...host }))).toEqual(ingressTable(convert(FIXTURE, host)));
  });

  it('attaches every route to the Gateway; hosts with the same paths share a route, other hosts get their own', () => {
    const r = convert(FIXTURE, GW);
    for (const o of routes(r)) expect(o.spec.parentRefs).toEqual([{ name: 'gw', namespace: 'infra' }]);
    // Traefik: Host(`who.example.com`) || Host(`whoami.example.com`) → one route with both hostnames.
    expect(obj(r, 'HTTPRoute', 'whoami').spec).toEqual({
      parentRefs: [{ name: 'gw', namespace: 'infra' }],
      hostnames: ['who.example.com', 'whoami.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'whoami', port: 80 }] }],
    });
    // Two HTTP ports have two hosts: two routes, each with its own backend port.
    const admin = [obj(r, 'HTTPRoute', 'admin'), obj(r, 'HTTPRoute', 'admin-2')] as HttpRouteObject[];
    expect(admin.map((o) => [o.spec.hostnames, o.spec.rules[0]!.backendRefs[0]!.port])).toEqual([
      [['admin.localhost'], 8000],
      [['admin-8081.localhost'], 8081],
    ]);
    // x-k8s hosts and path.
    expect((obj(r, 'HTTPRoute', 'api') as HttpRouteObject).spec.rules[0]!.matches[0]!.path).toEqual({
      type: 'PathPrefix',
      value: '/v1',
    });
    // The x-k8s ingress key shaped that route: its entry says so, not that no Ingress was generated.
    expect(entries(r, 'api', 'x-k8s.ingress')[0]).toMatchObject({ id: 'x-k8s.applied', objects: ['HTTPRoute/api'] });
    const e = entries(r, 'admin', 'ports').find((x) => x.path === 'ports[1]')!;
    expect(e.id).toBe('ports.route-generated-host');
    expect([...e.objects].sort()).toEqual(['HTTPRoute/admin-2', 'Service/admin']);
    expect(e.message).toContain('http://admin-8081.localhost/');
    expect(e.fix).toContain('Gateway gw (namespace infra) needs a listener for admin-8081.localhost');
  });

  it('a Gateway without namespace is referred to in the routes’ namespace', () => {
    const r = convert(FIXTURE, { ingress: 'gateway', gateway: 'edge' });
    for (const o of routes(r)) expect(o.spec.parentRefs).toEqual([{ name: 'edge' }]);
    expect(entries(r, 'web', 'ports').find((x) => x.path === 'ports[0]')!.fix).not.toContain('allowedRoutes');
  });

  it('TLS is reported for the Gateway listener, with the Secret to reference; the route carries none', () => {
    const r = convert(FIXTURE, { ...GW, ingressTlsSecret: 'shop-tls', ingressHost: 'shop.example.com' });
    for (const o of routes(r)) expect(JSON.stringify(o.spec)).not.toContain('shop-tls');
    const e = entries(r, 'web', 'ports').find((x) => x.path === 'ports[0]')!;
    expect(e.status).toBe('approximated');
    expect(e.message).toContain('https://web.shop.example.com/');
    expect(e.message).toContain('TLS (Secret shop-tls) is not part of HTTPRoute/web');
    expect(e.fix).toContain('HTTPS listener for web.shop.example.com with tls.certificateRefs naming Secret shop-tls');
    // The Gateway is in another namespace: the Secret must be there, or granted.
    expect(e.fix).toContain('ReferenceGrant');
  });

  it('an HTTPS backend, an upload limit and an IngressClass are reported with their fix, not annotated', () => {
    const r = convert(FIXTURE, { ...GW, ingressClass: 'nginx' });
    for (const o of routes(r)) expect(o.metadata.annotations).toBeUndefined();
    const secure = entries(r, 'secure', 'ports').find((x) => x.path === 'ports[0]')!;
    expect(secure.id).toBe('ports.route-backend-tls');
    expect(secure.fix).toContain('BackendTLSPolicy');
    expect(secure.fix).toContain('Service secure port 8888');
    const web = entries(r, 'web', 'ports').find((x) => x.path === 'ports[0]')!;
    expect(web.message).toContain('CLIENT_MAX_BODY_SIZE=50m');
    expect(web.fix).toContain('at least 50m');
    expect(web.message).toContain('nginx names an IngressClass, which HTTPRoutes do not use');
    // The same project as Ingresses sets ingress-nginx annotations instead.
    const ing = convert(FIXTURE, { ingressClass: 'nginx' });
    expect(obj(ing, 'Ingress', 'web').metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/proxy-body-size': '50m',
    });
  });

  it('Traefik routers say which HTTPRoute they became, and that their TLS belongs to the Gateway', () => {
    const r = convert(FIXTURE, GW);
    const e = r.report.entries.find(
      (x) => x.service === 'whoami' && x.path === 'labels.traefik.http.routers.whoami.rule',
    )!;
    expect(e.id).toBe('traefik.router-route-tls');
    expect(e.objects).toEqual(['HTTPRoute/whoami', 'Service/whoami']);
    expect(e.message).toContain('who.example.com/, whoami.example.com/');
    expect(e.fix).toContain('HTTPS listener');
  });

  it('a path an HTTPRoute cannot hold is reported and left out', () => {
    expect(routePathProblem('/a//b')).toEqual({ why: 'route-path.contains', bad: '//' });
    expect(routePathProblem('/a/..')).toEqual({ why: 'route-path.dot-segment' });
    expect(routePathProblem('/api/v1')).toBeUndefined();
    const r = convert(
      `services:
  web:
    image: nginx
    ports: ['8080:80']
    x-k8s: { ingress: { hosts: [a.example.com], path: '/a//b' } }
`,
      GW,
    );
    expect(routes(r)).toEqual([]);
    const e = entries(r, 'web', 'ports').find((x) => x.path === 'ports[0]')!;
    expect(e.id).toBe('ports.route-path-invalid');
    expect(e.status).toBe('unsupported');
  });

  it('NetworkPolicies admit the Gateway’s namespace on routed ports, and the report says what was assumed', () => {
    const policy = (r: ConvertResult): NetworkPolicy =>
      obj(r, 'NetworkPolicy', 'web-from-gateway') as KubeObject & NetworkPolicy;
    const r = convert(FIXTURE, GW);
    expect(r.objects.some((o) => o.metadata.name.endsWith('-from-ingress'))).toBe(false);
    expect(policy(r).spec!.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'infra' } } }],
        ports: [{ protocol: 'TCP', port: 'tcp-80' }],
      },
    ]);
    const e = entries(r, 'web', 'ports').find((x) => x.path === 'ports')!;
    expect(e.id).toBe('ports.policy-from-gateway');
    expect(e.message).toContain('assumed to run in its namespace infra');
    // Gateway in the routes' namespace: --namespace names it.
    const same = convert(FIXTURE, { ingress: 'gateway', gateway: 'gw', namespace: 'shop' });
    expect(policy(same).spec!.ingress![0]!.from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } },
    ]);
    // Neither: any namespace, and the report says the namespace is not known.
    const unknown = convert(FIXTURE, { ingress: 'gateway', gateway: 'gw' });
    expect(policy(unknown).spec!.ingress![0]!.from).toEqual([{ namespaceSelector: {} }]);
    expect(entries(unknown, 'web', 'ports').find((x) => x.path === 'ports')!.message).toContain('is not known');
  });

  it('x-k8s ingress.api and ingress.gateway set it too', () => {
    const text = `x-k8s:
  ingress: { api: gateway, gateway: edge/net }
services:
  web:
    image: nginx
    ports: ['8080:80']
`;
    const r = convert(text, {});
    expect((obj(r, 'HTTPRoute', 'web') as HttpRouteObject).spec.parentRefs).toEqual([
      { name: 'edge', namespace: 'net' },
    ]);
    // The flag wins over x-k8s.
    expect(convert(text, { ingress: 'ingress' }).objects.some((o) => o.kind === 'Ingress')).toBe(true);
  });

  it('gateway mode without a Gateway, a Gateway without gateway mode and a bad name are errors', () => {
    const svc = { web: { image: 'nginx', ports: [{ target: 80, published: '8080' }] } };
    const errors = (options: Partial<ConvertOptions>): string[] =>
      run(svc, options)
        .diagnostics.filter((d) => d.severity === 'error')
        .map((d) => `${d.code}: ${d.message}`);
    expect(errors({ ingress: 'gateway' })).toEqual([
      'option-invalid: options.gateway: --ingress gateway needs the Gateway the HTTPRoutes attach to',
    ]);
    expect(errors({ gateway: 'gw' })).toEqual([
      'option-invalid: options.gateway: --gateway gw is only used with --ingress gateway',
    ]);
    expect(errors({ ingress: 'gateway', gateway: 'GW/infra' })[0]).toMatch(/"GW" is not a valid Gateway name/);
    expect(errors({ ingress: 'gateway', gateway: 'gw/in/fra' })[0]).toMatch(/is not NAME or NAME\/NAMESPACE/);
    expect(errors({ ingress: 'gateway', gateway: 'gw/infra' })).toEqual([]);
  });
});
