/**
 * Traefik rules that exclude paths (appwrite's console) and routers that name one of several Traefik services of a
 * container: what the emitted Ingress and HTTPRoute rules route, and what the report says about it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { convert, memoryFs } from '../../../src/index.js';
import { expectValid } from '../../helpers/validate.js';
import { ingressPaths } from '../../helpers/outputs.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const FIXTURE = readFileSync(new URL('../../fixtures/dockerhelpers/traefik-negated.yaml', import.meta.url), 'utf8');

function run(yaml: string, options: Partial<ConvertOptions> = {}) {
  const out = convert({
    files: [{ path: '/p/compose.yaml', content: yaml }],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': yaml }),
    env: {},
    options,
  });
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(out.objects);
  const entry = (service: string, router: string) =>
    out.report!.entries.find((e) => e.service === service && e.path === `labels.traefik.http.routers.${router}.rule`);
  /** Every Ingress path as `host path pathType → service:port`. */
  const ingress = () => ingressPaths(out.objects);
  /** Every HTTPRoute match as `host path type [header] → service:port`. */
  const routes = () =>
    out.objects
      .filter((o) => o.kind === 'HTTPRoute')
      .flatMap((o) => {
        const spec = o.spec as Loose;
        return (spec.hostnames ?? ['*']).flatMap((h: string) =>
          spec.rules.flatMap((r: Loose) =>
            r.matches.map(
              (m: Loose) =>
                `${h} ${m.path.value} ${m.path.type}${(m.headers ?? []).map((x: Loose) => ` [${x.name} ${x.type} ${x.value}]`).join('')} → ${r.backendRefs[0].name}:${r.backendRefs[0].port}`,
            ),
          ),
        );
      })
      .sort();
  return { out, entry, ingress, routes };
}

describe('Traefik exclusions', () => {
  it('the paths a router excludes go, under its hosts, to the router Traefik sends them to', () => {
    const { entry, ingress } = run(FIXTURE);
    // Under the console's hosts, /v1 and /.well-known go to the api (PathPrefix(`/`) on any host), and
    // /v1/realtime to the realtime router (it outranks the api: a longer rule); elsewhere nothing changes.
    expect(ingress().filter((l) => /^(localhost|console\.localhost|\*) /.test(l))).toEqual([
      '* / Prefix → appwrite:tcp-80',
      '* /v1/realtime Prefix → appwrite-realtime:tcp-80',
      'console.localhost / Prefix → appwrite-console:tcp-3000',
      'console.localhost /.well-known Prefix → appwrite:tcp-80',
      'console.localhost /v1 Prefix → appwrite:tcp-80',
      'console.localhost /v1/realtime Prefix → appwrite-realtime:tcp-80',
      'localhost / Prefix → appwrite-console:tcp-3000',
      'localhost /.well-known Prefix → appwrite:tcp-80',
      'localhost /v1 Prefix → appwrite:tcp-80',
      'localhost /v1/realtime Prefix → appwrite-realtime:tcp-80',
    ]);
    // The header it excludes has no path form: its own outcome, naming what is left.
    const c = entry('appwrite-console', 'appwrite_console_http')!;
    expect(c).toMatchObject({ id: 'traefik.rule-negated-partial', status: 'approximated' });
    expect(c.message).toContain('localhost/v1/realtime → appwrite-realtime (router appwrite_realtime_ws)');
    expect(c.message).toContain(
      'still reach it: !HeaderRegexp(`x-appwrite-hostname`, `.+`) (an Ingress cannot match headers; --ingress gateway can)',
    );
    expect(c.objects).toEqual([
      'Ingress/appwrite-console',
      'Service/appwrite-console',
      'Ingress/appwrite',
      'Ingress/appwrite-realtime',
    ]);
    expect(entry('appwrite-console', 'appwrite_console_https')!.message).toContain('its TLS');
    // The api's own router entry is unchanged.
    expect(entry('appwrite', 'appwrite_api_http')).toMatchObject({ id: 'traefik.router-ingress' });
  });

  it('a Gateway API HTTPRoute gets the same paths, and the excluded header as a header match', () => {
    const { entry, routes } = run(FIXTURE, { ingress: 'gateway', gateway: 'gw' });
    const lines = routes().filter((l) => /^(localhost|console\.localhost) /.test(l));
    // Requests with the header go to the api: same path as the console's rule plus a header match, which
    // Gateway API precedence ranks above it (and below the longer /v1 paths, as Traefik's priorities do).
    expect(lines).toEqual([
      'console.localhost / PathPrefix [x-appwrite-hostname RegularExpression .+] → appwrite:80',
      'console.localhost / PathPrefix → appwrite-console:3000',
      'console.localhost /.well-known PathPrefix → appwrite:80',
      'console.localhost /v1 PathPrefix → appwrite:80',
      'console.localhost /v1/realtime PathPrefix → appwrite-realtime:80',
      'localhost / PathPrefix [x-appwrite-hostname RegularExpression .+] → appwrite:80',
      'localhost / PathPrefix → appwrite-console:3000',
      'localhost /.well-known PathPrefix → appwrite:80',
      'localhost /v1 PathPrefix → appwrite:80',
      'localhost /v1/realtime PathPrefix → appwrite-realtime:80',
    ]);
    const c = entry('appwrite-console', 'appwrite_console_http')!;
    expect(c).toMatchObject({ id: 'traefik.rule-negated-routed', status: 'approximated' });
    expect(c.message).toContain('HTTPRoute/appwrite-console');
    expect(c.message).toContain(
      'localhost/ with header x-appwrite-hostname matching .+ → appwrite (router appwrite_api_http)',
    );
  });

  it('an excluded path no other router serves is left to the router, and said so', () => {
    const yaml = `services:
  docs:
    image: example/docs:1
    labels:
      - traefik.http.services.docs.loadbalancer.server.port=8000
      - traefik.http.routers.docs.rule=Host(\`docs.example.com\`) && !PathPrefix(\`/private\`)
  blog:
    image: example/blog:1
    labels:
      - traefik.http.services.blog.loadbalancer.server.port=8080
      - traefik.http.routers.blog.rule=Host(\`blog.example.com\`)
`;
    const { entry, ingress } = run(yaml);
    expect(ingress()).toEqual([
      'blog.example.com / Prefix → blog:tcp-8080',
      'docs.example.com / Prefix → docs:tcp-8000',
    ]);
    const e = entry('docs', 'docs')!;
    expect(e).toMatchObject({ id: 'traefik.rule-negated-partial', status: 'approximated' });
    expect(e.message).toContain('no other router serves /private (Traefik answers 404 there)');
  });

  it('an excluded path whose router takes its hosts from x-k8s is not claimed as routed', () => {
    const yaml = `services:
  site:
    image: example/site:1
    labels:
      - traefik.http.services.site.loadbalancer.server.port=8080
      - traefik.http.routers.site.rule=Host(\`a.io\`) && !PathPrefix(\`/api\`)
  api:
    image: example/api:1
    labels:
      - traefik.http.services.api.loadbalancer.server.port=8082
      - traefik.http.routers.api.rule=PathPrefix(\`/api\`)
    x-k8s:
      ingress:
        hosts: [api.example.com]
`;
    const { entry, ingress } = run(yaml);
    expect(ingress()).toEqual(['a.io / Prefix → site:tcp-8080', 'api.example.com / Prefix → api:tcp-8082']);
    const e = entry('site', 'site')!;
    expect(e.id).toBe('traefik.rule-negated-partial');
    expect(e.message).toContain('a.io/api for api, whose own ingress settings');
  });

  it('a router outranked by a higher .priority keeps the excluded path from a lower one', () => {
    const yaml = `services:
  site:
    image: example/site:1
    labels:
      - traefik.http.services.site.loadbalancer.server.port=8080
      - traefik.http.routers.site.rule=Host(\`a.io\`) && !PathPrefix(\`/api\`)
  wide:
    image: example/wide:1
    labels:
      - traefik.http.services.wide.loadbalancer.server.port=8081
      - traefik.http.routers.wide.rule=PathPrefix(\`/\`)
      - traefik.http.routers.wide.priority=500
  api:
    image: example/api:1
    labels:
      - traefik.http.services.api.loadbalancer.server.port=8082
      - traefik.http.routers.api.rule=PathPrefix(\`/api\`)
`;
    const { ingress } = run(yaml);
    // wide (priority 500) beats api (rule length 17) for a.io/api: Traefik sends it to wide.
    expect(ingress().filter((l) => l.startsWith('a.io'))).toEqual([
      'a.io / Prefix → site:tcp-8080',
      'a.io /api Prefix → wide:tcp-8081',
    ]);
  });
});

describe("a router's .service", () => {
  it('picks the port of the Traefik service it names, one route per port', () => {
    const { entry, ingress } = run(FIXTURE);
    expect(ingress().filter((l) => l.includes('panel'))).toEqual([
      'admin.example.com / Prefix → panel:tcp-9000',
      'panel.example.com / Prefix → panel:tcp-8080',
    ]);
    expect(entry('panel', 'panel-web')!.message).toContain(
      'on container port 8080 (from label traefik.http.services.panel-web.loadbalancer.server.port',
    );
    expect(entry('panel', 'panel-admin')!.message).toContain('on container port 9000');
  });

  it('without a port label, expose or peer reference: the port its own healthcheck says it serves', () => {
    const yaml = `services:
  app:
    image: example/app
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://localhost:6060/health"]
    labels:
      traefik.http.routers.app.rule: Host(\`a.example.com\`)
`;
    const { entry, ingress } = run(yaml);
    expect(ingress()).toEqual(['a.example.com / Prefix → app:tcp-6060']);
    expect(entry('app', 'app')!.message).toContain(
      'on container port 6060 (from it says it serves it (localhost:6060 in app healthcheck); compose does not publish it)',
    );
  });

  it('a router naming a service no label gives a port to says which label would', () => {
    const yaml = `services:
  frontend:
    image: frappe/erpnext:v15
    labels:
      - traefik.http.routers.erp-https.rule=Host(\`erp.example.com\`)
      - traefik.http.routers.erp-https.service=erp
`;
    const { entry } = run(yaml);
    const e = entry('frontend', 'erp-https')!;
    expect(e).toMatchObject({ id: 'traefik.rule-no-port', status: 'unsupported' });
    expect(e.message).toContain('it names Traefik service erp, whose port no label of frontend sets');
    expect(e.fix).toContain('traefik.http.services.erp.loadbalancer.server.port=PORT');
  });
});

describe('Traefik middlewares', () => {
  const COMPOSE = `
services:
  traefik:
    image: traefik:v3.1
    command: ["--providers.docker"]
    ports: ["80:80"]
    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]
  admin:
    image: nginx
    labels:
      - traefik.enable=true
      - "traefik.http.routers.admin.rule=Host(\`admin.example.com\`)"
      - traefik.http.routers.admin.middlewares=guard@docker
      - traefik.http.middlewares.guard.chain.middlewares=auth,strip
      - "traefik.http.middlewares.auth.basicauth.users=admin:$$$$apr1$$$$x$$$$y"
      - traefik.http.middlewares.strip.stripprefix.prefixes=/app
  app:
    image: nginx
    labels:
      - traefik.enable=true
      - "traefik.http.routers.app.rule=Host(\`app.example.com\`) && PathPrefix(\`/app\`)"
      - traefik.http.routers.app.middlewares=strip,secure@file
  office:
    image: nginx
    labels:
      - traefik.enable=true
      - "traefik.http.routers.office.rule=Host(\`office.example.com\`)"
      - traefik.http.routers.office.middlewares=lan
      - traefik.http.middlewares.lan.ipallowlist.sourcerange=10.0.0.0/8
  wiki:
    image: nginx
    labels:
      - traefik.enable=true
      - "traefik.http.routers.wiki.rule=Host(\`wiki.example.com\`)"
      - traefik.http.routers.wiki.middlewares=authelia@file
`;

  it('a router behind basic auth (here inside a chain) is not routed; other middlewares are reported as not applied', () => {
    const { out, entry, ingress } = run(COMPOSE);
    // Only app is routed: admin.example.com would be open to anyone without the basicauth middleware.
    expect(ingress()).toEqual(['app.example.com /app Prefix → app:tcp-80']);
    expect(entry('admin', 'admin')).toMatchObject({ id: 'traefik.router-auth-unrouted', status: 'unsupported' });
    // An address allow-list guards access too; so does a middleware of another provider named for authentication.
    expect(entry('office', 'office')).toMatchObject({ id: 'traefik.router-auth-unrouted' });
    expect(entry('wiki', 'wiki')).toMatchObject({ id: 'traefik.router-auth-unrouted' });
    expect(entry('wiki', 'wiki')!.message).toContain('authelia@file (defined outside these labels');
    expect(entry('admin', 'admin')!.message).toContain('guard@docker');
    const app = entry('app', 'app')!;
    expect(app).toMatchObject({ id: 'traefik.router-middlewares', status: 'approximated' });
    expect(app.message).toContain('strip (stripprefix: the path prefix is no longer stripped)');
    expect(app.message).toContain('secure@file (defined outside these labels');
    // The middlewares label belongs to the router's entry, not a second "not carried" entry.
    expect(out.report!.entries.filter((e) => e.path === 'labels.traefik.http.routers.app.middlewares')).toEqual([]);
    expect(app.fix).toContain('ingress-nginx: rewrite-target');
  });

  // n8n-hosting's subfolderWithSSL: its stripprefix is an HTTPRoute filter, not an ingress-nginx annotation.
  it('with --ingress gateway, the fix names the HTTPRoute filters that replace the middlewares', () => {
    const { entry } = run(COMPOSE, { ingress: 'gateway', gateway: 'gw' });
    const app = entry('app', 'app')!;
    expect(app).toMatchObject({ id: 'traefik.router-middlewares-route', status: 'approximated' });
    // Its stripprefix is carried (below); the middleware of another provider is not.
    expect(app.message).toContain('the HTTPRoute rules carry its middlewares as filters: strip → URLRewrite');
    expect(app.message).toContain('its middlewares are not applied: secure@file (defined outside these labels');
    expect(app.fix).toContain('parentRefs sectionName');
    expect(app.fix).not.toContain('ingress-nginx');
  });
});

// n8n-hosting's subfolderWithSSL under --ingress gateway: n8n expects /app1 stripped, as Traefik's stripprefix did.
describe('Traefik stripprefix with --ingress gateway', () => {
  const STRIP = `
services:
  n8n:
    image: n8nio/n8n
    labels:
      - traefik.enable=true
      - "traefik.http.routers.n8n.rule=Host(\`example.com\`) && PathPrefix(\`/app1\`)"
      - traefik.http.routers.n8n.middlewares=n8n-stripprefix
      - traefik.http.middlewares.n8n-stripprefix.stripPrefix.prefixes=/app1
      - traefik.http.services.n8n.loadbalancer.server.port=5678
  other:
    image: nginx
    labels:
      - traefik.enable=true
      - "traefik.http.routers.other.rule=Host(\`example.com\`) && PathPrefix(\`/other\`)"
      - traefik.http.routers.other.middlewares=wrong
      - traefik.http.middlewares.wrong.stripprefix.prefixes=/else
  twin:
    image: nginx
    labels:
      - traefik.enable=true
      - "traefik.http.routers.a.rule=Host(\`twin.example.com\`) && PathPrefix(\`/t\`)"
      - traefik.http.routers.a.middlewares=strip-t
      - "traefik.http.routers.b.rule=Host(\`twin.example.com\`) && PathPrefix(\`/t\`)"
      - traefik.http.middlewares.strip-t.stripprefix.prefixes=/t
`;
  const GW = { ingress: 'gateway', gateway: 'gw/infra' } as const;
  /** `path → filters` of every HTTPRoute rule of `name`. */
  const rules = (out: ReturnType<typeof run>['out'], name: string) =>
    (out.objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === name)!.spec as Loose).rules.map(
      (r: Loose) => [r.matches[0].path.value, r.filters],
    );

  it('a router that strips its own path prefix gets a URLRewrite ReplacePrefixMatch filter on that rule', () => {
    const { out, entry } = run(STRIP, GW); // run validates the objects (the CEL rule of ReplacePrefixMatch too)
    expect(rules(out, 'n8n')).toEqual([
      [
        '/app1',
        [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
      ],
    ]);
    const n8n = entry('n8n', 'n8n')!;
    expect(n8n).toMatchObject({ id: 'traefik.router-route', status: 'converted' });
    expect(n8n.message).toContain(
      'carry its middlewares as filters: n8n-stripprefix → URLRewrite ReplacePrefixMatch /',
    );
    expect(n8n.message).not.toContain('not applied');
    // The middleware's label is carried: the router's entry says how, no "not carried" entry of its own.
    expect(out.report!.entries.filter((e) => e.path.startsWith('labels.traefik.http.middlewares.n8n-'))).toEqual([]);
    expect(out.report!.entries.map((e) => e.path)).toContain(
      'labels.traefik.http.middlewares.wrong.stripprefix.prefixes',
    );
  });

  it('a prefix other than the path, or a twin router that does not strip, keeps the middleware not applied', () => {
    const { out, entry } = run(STRIP, GW);
    expect(rules(out, 'other')).toEqual([['/other', undefined]]);
    expect(entry('other', 'other')).toMatchObject({ id: 'traefik.router-middlewares-route' });
    expect(entry('other', 'other')!.message).toContain('wrong (stripprefix: the path prefix is no longer stripped)');
    expect(rules(out, 'twin')).toEqual([['/t', undefined]]);
    expect(entry('twin', 'a')).toMatchObject({ id: 'traefik.router-middlewares-route' });
  });

  it('an Ingress gets no rewrite: the middleware stays not applied', () => {
    const { out, entry } = run(STRIP);
    expect(entry('n8n', 'n8n')).toMatchObject({ id: 'traefik.router-middlewares' });
    expect(out.report!.entries.find((e) => e.path.startsWith('labels.traefik.http.middlewares.n8n-'))).toMatchObject({
      id: 'traefik.label-not-carried',
    });
  });
});
