import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/kube/object.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import type { IngressSpec } from 'kubernetes-types/networking/v1.js';
import type { ServiceSpec } from 'kubernetes-types/core/v1.js';
import { buildServices } from '../../../src/convert/objects/services.js';
import { buildIngress } from '../../../src/convert/objects/ingress.js';
import { find, has, recs, runSteps } from '../steps.js';
import { convertProject } from '../../../src/index.js';
import { convertYaml, fromYaml } from '../../helpers/project.js';

const ing = (o: KubeObject): IngressSpec => o['spec'] as IngressSpec;
const run = (services: Parameters<typeof runSteps>[0], options: Partial<ConvertOptions> = {}) =>
  runSteps(services, [], {
    options,
    podSteps: [buildServices, buildIngress],
    external: { secrets: options.ingressTlsSecret ? [options.ingressTlsSecret] : [] },
  });

describe('Ingress', () => {
  test('one HTTP port: host from options, path / Prefix, backend by Service port name, class and TLS', () => {
    const r = run(
      { web: { image: 'nginx', ports: [{ target: 80, published: '8080' }] } },
      {
        ingressHost: 'shop.example.com',
        ingressClass: 'nginx',
        ingressTlsSecret: 'shop-tls',
      },
    );
    const spec = ing(find(r, 'Ingress', 'web'));
    const svcPort = (find(r, 'Service', 'web').spec as ServiceSpec).ports![0]!;
    expect(spec.ingressClassName).toBe('nginx');
    expect(spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
    expect(spec.rules).toEqual([
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: svcPort.name } } } },
          ],
        },
      },
    ]);
    const e = recs(r, 'web', 'ports').find((x) => x.objects.includes('Ingress/web'))!;
    expect(e.status).toBe('approximated');
    expect(e.message).toContain('https://shop.example.com/');
  });

  test('a web port also published as UDP (logstash 5000/tcp + 5000/udp) is no HTTP route: LoadBalancer, reported', () => {
    const r = run({
      logstash: {
        image: 'logstash:7.16.1',
        ports: [
          { target: 5000, published: '5000', protocol: 'tcp' },
          { target: 5000, published: '5000', protocol: 'udp' },
        ],
      },
    });
    expect(has(r, 'Ingress', 'logstash')).toBe(false);
    const e = r.ctx.entries.find((x) => x.service === 'logstash' && x.path === 'ports[0]')!;
    expect(e.objects).toContain('Service/logstash-public-tcp');
    expect(e.message).toContain('container port 5000 is a well-known web port, but it is also published as UDP');
    // Without its UDP twin the same port is a web port.
    expect(has(run({ app: { image: 'app', ports: [{ target: 5000, published: '5000' }] } }), 'Ingress', 'app')).toBe(
      true,
    );
  });

  test('no host option and a single HTTP port → rule without host', () => {
    const r = run({ web: { image: 'nginx', ports: [{ target: 80, published: '80' }] } });
    const spec = ing(find(r, 'Ingress', 'web'));
    expect(spec.rules![0]!.host).toBeUndefined();
    expect(spec.ingressClassName).toBeUndefined();
    expect(spec.tls).toBeUndefined();
    expect(recs(r, 'web', 'ports').find((x) => x.objects.includes('Ingress/web'))!.fix).toContain('--ingress-host');
  });

  test('without --ingress-class the report says the default IngressClass is assumed; with it, not', () => {
    const r = run({ web: { image: 'nginx', ports: [{ target: 80, published: '80' }] } });
    const e = recs(r, 'web', 'ports').find((x) => x.objects.includes('Ingress/web'))!;
    expect(e.id).toBe('ports.ingress-default-class');
    expect(e.fix).toContain('--ingress-class');
    const c = run({ web: { image: 'nginx', ports: [{ target: 80, published: '80' }] } }, { ingressClass: 'nginx' });
    expect(ing(find(c, 'Ingress', 'web')).ingressClassName).toBe('nginx');
    expect(recs(c, 'web', 'ports').map((x) => x.id)).not.toContain('ports.ingress-default-class');
  });

  test('several HTTP ports in the project → one host per port, never two rules on the same host', () => {
    const r = run(
      {
        web: { image: 'nginx', ports: [{ target: 80, published: '80' }] },
        admin: {
          image: 'adminer',
          ports: [
            { target: 8080, published: '8081' },
            { target: 3000, published: '3000' },
          ],
        },
        db: { image: 'postgres', ports: [{ target: 5432, published: '5432' }] },
      },
      { ingressHost: 'example.com' },
    );
    expect(ing(find(r, 'Ingress', 'web')).rules!.map((x) => x.host)).toEqual(['web.example.com']);
    expect(ing(find(r, 'Ingress', 'admin')).rules!.map((x) => x.host)).toEqual([
      'admin.example.com',
      'admin-3000.example.com',
    ]);
    expect(has(r, 'Ingress', 'db')).toBe(false);
    expect(has(r, 'Service', 'db-public')).toBe(true);
  });

  test('without --ingress-host several routes use <svc>.localhost', () => {
    const r = run({
      a: { image: 'a', ports: [{ target: 80, published: '80' }] },
      b: { image: 'b', ports: [{ target: 80, published: '81' }] },
    });
    expect(ing(find(r, 'Ingress', 'a')).rules![0]!.host).toBe('a.localhost');
    expect(ing(find(r, 'Ingress', 'b')).rules![0]!.host).toBe('b.localhost');
  });

  test('TLS and loopback ports get no Ingress', () => {
    const r = run({
      proxy: { image: 'caddy', ports: [{ target: 443, published: '443' }] },
      local: { image: 'x', ports: [{ target: 80, published: '8080', host_ip: '127.0.0.1' }] },
    });
    expect(r.objects.some((o) => o.kind === 'Ingress')).toBe(false);
    expect(has(r, 'Service', 'proxy-public')).toBe(true);
  });

  test('a proxy that serves 80 and 443 itself keeps both on one LoadBalancer, not 80 on an Ingress', () => {
    // Mattermost's nginx, Caddy, nginx-proxy-manager: port 80 redirects to 443 on the same address.
    const r = run({
      proxy: {
        image: 'nginx',
        ports: [
          { target: 80, published: '80' },
          { target: 443, published: '443' },
        ],
      },
      web: { image: 'nginx', ports: [{ target: 80, published: '8081' }] },
    });
    expect(has(r, 'Ingress', 'proxy')).toBe(false);
    const lb = find(r, 'Service', 'proxy-public').spec as ServiceSpec;
    expect(lb.ports!.map((p) => p.port)).toEqual([80, 443]);
    expect(recs(r, 'proxy', 'ports')[0]!.message).toContain('serves TLS on 443 itself');
    // A plain web server without TLS still gets its Ingress.
    expect(has(r, 'Ingress', 'web')).toBe(true);
  });

  test('port 80 stays with any TLS port the service serves itself (nextcloud-aio: 80 beside 8443)', () => {
    // AIO answers the ACME http-01 challenge for its 8443 certificate on port 80: both must share one address.
    const r = run({
      aio: {
        image: 'ghcr.io/nextcloud-releases/all-in-one',
        ports: [
          { target: 80, published: '80' },
          { target: 8080, published: '8080' },
          { target: 8443, published: '8443' },
        ],
      },
    });
    expect(has(r, 'Ingress', 'aio')).toBe(false);
    const lb = find(r, 'Service', 'aio-public').spec as ServiceSpec;
    expect(lb.ports!.map((p) => p.port)).toEqual([80, 8080, 8443]);
    expect(recs(r, 'aio', 'ports')[0]!.message).toContain('serves TLS on 8443 itself');
  });

  test('a well-known TLS port is passed through, and its entry does not claim it carries TLS (Calls: WebRTC)', () => {
    const r = run({
      mm: { image: 'mattermost/mattermost-team-edition', ports: [{ target: 8443, published: '8443' }] },
    });
    expect(has(r, 'Ingress', 'mm')).toBe(false);
    expect(recs(r, 'mm', 'ports')[0]!.message).toContain('container port 8443 usually carries TLS');
  });

  test('HTTP port of a sidecar routes to the pod Service', () => {
    const r = run({
      app: { image: 'a', ports: [{ target: 5432, published: '5432' }] },
      ui: { image: 'u', network_mode: 'service:app', ports: [{ target: 8080, published: '8080' }] },
    });
    const rule = ing(find(r, 'Ingress', 'app')).rules![0]!;
    expect(rule.http!.paths[0]!.backend.service!.name).toBe('app');
    expect(recs(r, 'ui', 'ports').some((e) => e.objects.includes('Ingress/app'))).toBe(true);
  });
});

describe('x-k8s / kompose Ingress settings', () => {
  test('kompose.service.expose hosts with paths, class and TLS per service', () => {
    const r = runSteps(
      {
        web: {
          image: 'nginx',
          ports: [{ target: 80, published: '80' }],
          labels: {
            'kompose.service.expose': 'www.example.com,api.example.com/v1',
            'kompose.service.expose.ingress-class-name': 'traefik',
            'kompose.service.expose.tls-secret': 'web-tls',
          },
        },
        other: { image: 'x', ports: [{ target: 8080, published: '8080' }] },
      },
      [],
      { podSteps: [buildServices, buildIngress], external: { secrets: ['web-tls'] } },
    );
    const spec = ing(find(r, 'Ingress', 'web'));
    expect(spec.ingressClassName).toBe('traefik');
    expect(spec.tls).toEqual([{ hosts: ['www.example.com', 'api.example.com'], secretName: 'web-tls' }]);
    expect(spec.rules!.map((x) => [x.host, x.http!.paths[0]!.path])).toEqual([
      ['www.example.com', '/'],
      ['api.example.com', '/v1'],
    ]);
    // The only other route is alone among the automatic ones: it gets the bare (absent) host.
    expect(ing(find(r, 'Ingress', 'other')).rules![0]!.host).toBeUndefined();
  });

  test('ingress: true routes a non-HTTP port; ingress: false keeps a web port off the Ingress', () => {
    const r = run({
      grpc: { image: 'g', ports: [{ target: 50051 }], extensions: { 'x-k8s': { ingress: true } } },
      web: { image: 'nginx', ports: [{ target: 80, published: '80' }], extensions: { 'x-k8s': { ingress: false } } },
    });
    expect(ing(find(r, 'Ingress', 'grpc')).rules![0]!.http!.paths[0]!.backend.service!.name).toBe('grpc');
    expect(has(r, 'Ingress', 'web')).toBe(false);
    expect(has(r, 'Service', 'web-public')).toBe(true);
    expect(recs(r, 'web', 'ports').some((e) => e.message.includes('Ingress disabled'))).toBe(true);
  });

  test('top-level x-k8s ingress host replaces the option', () => {
    const r = runSteps({ web: { image: 'nginx', ports: [{ target: 80, published: '80' }] } }, [], {
      options: { ingressHost: 'old.example.com' },
      extensions: { 'x-k8s': { ingress: { host: 'new.example.com' } } },
      podSteps: [buildServices, buildIngress],
    });
    expect(ing(find(r, 'Ingress', 'web')).rules![0]!.host).toBe('new.example.com');
  });
});

describe('published ports of non-HTTP container ports', () => {
  test('postgres published on 5000 and redis on 8080 get the public Service, not an HTTP Ingress', () => {
    const r = run({
      db: { image: 'postgres:16', ports: [{ target: 5432, published: '5000' }] },
      cache: { image: 'redis:7', ports: [{ target: 6379, published: '8080' }] },
      web: { image: 'nginx', ports: [{ target: 8080, published: '8080' }] },
    });
    expect(has(r, 'Ingress', 'db')).toBe(false);
    expect(has(r, 'Ingress', 'cache')).toBe(false);
    expect(has(r, 'Ingress', 'web')).toBe(true);
    const pub = (n: string) => (find(r, 'Service', n).spec as ServiceSpec).ports!.map((p) => [p.port, p.targetPort]);
    expect((find(r, 'Service', 'db-public').spec as ServiceSpec).type).toBe('LoadBalancer');
    expect(pub('db-public')).toEqual([[5000, 'tcp-5432']]);
    expect(pub('cache-public')).toEqual([[8080, 'tcp-6379']]);
    expect(recs(r, 'db', 'ports').some((e) => /5432 is a well-known non-HTTP port/.test(e.message))).toBe(true);
  });
});

describe('a loopback-bound port the proxy labels route (plausible v2.0.0)', () => {
  test('one entry: the Ingress exposes it, with no "not exposed" note and no port-forward fix', () => {
    const r = convertProject(
      fromYaml(`
services:
  plausible:
    image: plausible/analytics:v2.0
    ports: ["127.0.0.1:8000:8000"]
    labels:
      traefik.enable: "true"
      traefik.http.routers.plausible.rule: "Host(\`example.com\`)"
      traefik.http.services.plausible.loadbalancer.server.port: "8000"
`),
    );
    expect(r.objects.some((o) => o.kind === 'Ingress' && o.metadata.name === 'plausible')).toBe(true);
    const e = r.report.entries.find((x) => x.service === 'plausible' && x.path === 'ports[0]')!;
    expect(e.message).toContain('→ Ingress/plausible, reachable at http://example.com/');
    expect(e.message).not.toContain('not exposed');
    expect(e.fix).not.toContain('port-forward');
    // Without the labels it stays in-cluster, said so.
    const local = convertProject(fromYaml('services:\n  p:\n    image: x\n    ports: ["127.0.0.1:8000:8000"]\n'));
    const l = local.report.entries.find((x) => x.service === 'p' && x.path === 'ports[0]')!;
    expect(l.message).toContain('bound to 127.0.0.1 only: reachable inside the cluster, not exposed');
  });
});

describe('kompose.service.expose: "true" is an Ingress without a host (kompose initIngress), whatever other services do', () => {
  const full = (yaml: string) => {
    const out = convertYaml(yaml);
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const ingress = (name: string) =>
      out.objects.find((o) => o.kind === 'Ingress' && o.metadata.name === name) as unknown as {
        spec: { rules: Array<{ host?: string }>; tls?: Array<{ hosts?: string[]; secretName: string }> };
      };
    const entry = (service: string, path: string) =>
      out.report!.entries.find((e) => e.service === service && e.path === path)!;
    const ids = (service: string, path: string) => {
      const e = entry(service, path);
      return [...(e.earlier ?? []).map((m) => m.id), e.id];
    };
    return { ingress, entry, ids };
  };
  const web = `
services:
  web:
    image: nginx
    ports: ["8080:80"]
    labels: { kompose.service.expose: "true" }
`;
  const api = `
  api:
    image: myapi
    ports: ["3000:3000"]
    labels: { kompose.service.expose: "true", kompose.service.expose.tls-secret: api-tls }
`;

  test('a second service changes neither rule: both catch-all, and the clash on / is reported on both ports', () => {
    const one = full(web);
    const two = full(web + api);
    expect(two.ingress('web').spec).toEqual(one.ingress('web').spec);
    expect(two.ingress('web').spec.rules.map((r) => r.host)).toEqual([undefined]);
    expect(two.ingress('api').spec.rules.map((r) => r.host)).toEqual([undefined]);
    expect(one.ids('web', 'ports[0]')).not.toContain('ports.ingress-catch-all-clash');
    expect(two.ids('web', 'ports[0]')).toContain('ports.ingress-catch-all-clash');
    expect(two.ids('api', 'ports[0]')).toContain('ports.ingress-catch-all-clash');
  });

  test('the TLS Secret is named, not redacted: a Secret name is not a secret', () => {
    const { ingress, entry } = full(web + api);
    expect(ingress('api').spec.tls).toEqual([{ secretName: 'api-tls' }]);
    expect(entry('api', 'labels.kompose.service.expose.tls-secret').message).toContain('api-tls');
  });
});
