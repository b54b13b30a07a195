/**
 * With --ingress gateway, what a Traefik router's middlewares become on its HTTPRoute rule (URLRewrite for a
 * stripprefix of its own path) and what its entry says: the rule and the entry read one decision
 * (intent/docker-labels/filters.ts), so they cannot disagree.
 */
import { describe, expect, it } from 'vitest';
import { expectValid } from '../../helpers/validate.js';
import { convertYaml } from '../../helpers/project.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const GW = { ingress: 'gateway', gateway: 'gw/infra' } as const;

function run(yaml: string, options: Partial<ConvertOptions> = GW) {
  const out = convertYaml(yaml, options);
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(out.objects);
  const entry = (service: string, router: string) =>
    out.report!.entries.find((e) => e.service === service && e.path === `labels.traefik.http.routers.${router}.rule`)!;
  /** `hostnames path → filters` of every HTTPRoute rule. */
  const rules = () =>
    out.objects
      .filter((o) => o.kind === 'HTTPRoute')
      .flatMap((o) =>
        (o.spec as Loose).rules.map((r: Loose) => ({
          at: `${((o.spec as Loose).hostnames ?? ['*']).join(',')}${r.matches[0].path.value}`,
          filters: r.filters,
        })),
      );
  const labelEntries = (prefix: string) =>
    out.report!.entries.filter((e) => e.path.startsWith(`labels.${prefix}`)).map((e) => `${e.path} ${e.id}`);
  return { out, entry, rules, labelEntries };
}

const STRIP = [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }];

const router = (name: string, rule: string, extra: string[] = []) =>
  [`traefik.http.routers.${name}.rule=${rule}`, ...extra.map((x) => `traefik.http.routers.${name}.${x}`)]
    .map((l) => `      - "${l}"`)
    .join('\n');

describe('Traefik stripprefix under --ingress gateway: the rule and the entry agree', () => {
  const STRIPPED = (more = '') => `
services:
  app:
    image: nginx
    labels:
      - traefik.enable=true
${router('app', 'Host(`a.example.com`) && PathPrefix(`/app`)', ['middlewares=strip'])}
      - traefik.http.middlewares.strip.stripprefix.prefixes=/app
${more}`;

  it('a rule the HTTPRoute does not hold (x-k8s hosts replace the routers) carries no filter, and the entry says none', () => {
    const { rules, entry, labelEntries } = run(
      STRIPPED('    x-k8s:\n      ingress:\n        hosts: [other.example.com]\n'),
    );
    expect(rules()).toEqual([{ at: 'other.example.com/', filters: undefined }]);
    expect(entry('app', 'app').message).not.toContain('URLRewrite');
    expect(entry('app', 'app').message).toContain('strip (stripprefix: the path prefix is no longer stripped)');
    expect(labelEntries('traefik.http.middlewares.')).toEqual([
      'labels.traefik.http.middlewares.strip.stripprefix.prefixes traefik.label-not-carried',
    ]);
  });

  it('a router without host strips its path under the host x-k8s gives it, and the entry says so', () => {
    // The router matches any host: Traefik stripped /app on other.example.com too, so the rule's filter is right;
    // its entry and the middleware's label must not call it not applied.
    const { rules, entry, labelEntries } = run(
      STRIPPED('    x-k8s:\n      ingress:\n        hosts: [other.example.com]\n        path: /app\n').replace(
        'Host(`a.example.com`) && PathPrefix(`/app`)',
        'PathPrefix(`/app`)',
      ),
    );
    expect(rules()).toEqual([{ at: 'other.example.com/app', filters: STRIP }]);
    expect(entry('app', 'app')).toMatchObject({ id: 'traefik.router-route', status: 'converted' });
    expect(entry('app', 'app').message).toContain('strip → URLRewrite ReplacePrefixMatch /');
    expect(labelEntries('traefik.http.middlewares.')).toEqual([]);
  });

  it('a stripped rule carries URLRewrite, and the entry names it', () => {
    const { rules, entry, labelEntries } = run(STRIPPED());
    expect(rules()).toEqual([{ at: 'a.example.com/app', filters: STRIP }]);
    expect(entry('app', 'app')).toMatchObject({ id: 'traefik.router-route', status: 'converted' });
    expect(labelEntries('traefik.http.middlewares.')).toEqual([]);
  });
});

// frappe-docker's multi-bench-ssl: an HTTP router that redirects to HTTPS, and its TLS twin that serves the site.
describe('Traefik twin routers under --ingress gateway', () => {
  const TWINS = `
services:
  app:
    image: nginx
    labels:
      - traefik.enable=true
${router('app-http', 'Host(`a.example.com`) && PathPrefix(`/app`)', ['entrypoints=web', 'middlewares=https-redirect'])}
${router('app-https', 'Host(`a.example.com`) && PathPrefix(`/app`)', ['entrypoints=websecure', 'tls=true', 'middlewares=strip'])}
      - traefik.http.middlewares.https-redirect.redirectscheme.scheme=https
      - traefik.http.middlewares.https-redirect.redirectscheme.permanent=true
      - traefik.http.middlewares.strip.stripprefix.prefixes=/app
      - traefik.http.services.app.loadbalancer.server.port=8080
`;

  it("the TLS twin's middlewares decide the rule both share; the HTTP twin's redirect is reported, not a filter", () => {
    const { rules, entry, labelEntries } = run(TWINS);
    expect(rules()).toEqual([{ at: 'a.example.com/app', filters: STRIP }]);
    expect(entry('app', 'app-https')).toMatchObject({ id: 'traefik.router-route-tls', status: 'approximated' });
    expect(entry('app', 'app-https').message).toContain('carry its middlewares as filters: strip → URLRewrite');
    expect(entry('app', 'app-https').message).not.toContain('not applied');
    const http = entry('app', 'app-http');
    expect(http).toMatchObject({ id: 'traefik.router-middlewares-route', status: 'approximated' });
    expect(http.message).toContain('https-redirect (redirectscheme: HTTP is no longer redirected to HTTPS)');
    expect(http.message).not.toContain('as filters');
    expect(http.fix).toContain("bound to the Gateway's HTTP listener only (parentRefs sectionName)");
    expect(labelEntries('traefik.http.middlewares.')).toEqual([
      'labels.traefik.http.middlewares.https-redirect.redirectscheme.permanent traefik.label-not-carried',
      'labels.traefik.http.middlewares.https-redirect.redirectscheme.scheme traefik.label-not-carried',
    ]);
  });

  it('twins with different middlewares on the same entrypoint kind give the rule no filter', () => {
    const { rules } = run(TWINS.replace('tls=true', 'priority=1'));
    expect(rules()).toEqual([{ at: 'a.example.com/app', filters: undefined }]);
  });
});

// frappe-docker's custom-domain override sets the Host header; headers middlewares set security headers.
describe('Traefik headers middlewares under --ingress gateway', () => {
  const HEADERS = `
services:
  web:
    image: nginx
    labels:
      - traefik.enable=true
${router('web', 'Host(`h.example.com`)', ['middlewares=hdr,site'])}
      - traefik.http.middlewares.hdr.headers.customrequestheaders.X-Forwarded-Proto=https
      - traefik.http.middlewares.hdr.headers.customrequestheaders.X-Debug=
      - traefik.http.middlewares.hdr.headers.customResponseHeaders.X-Powered-By=
      - traefik.http.middlewares.hdr.headers.customResponseHeaders.X-Frame-Options=DENY
      - traefik.http.middlewares.hdr.headers.stsSeconds=31536000
      - traefik.http.middlewares.site.headers.customrequestheaders.Host=site.example.com
`;

  it('custom request / response headers become header modifiers (an empty value removes), Host a URLRewrite hostname', () => {
    const { rules, entry, labelEntries } = run(HEADERS);
    expect(rules()).toEqual([
      {
        at: 'h.example.com/',
        filters: [
          { type: 'URLRewrite', urlRewrite: { hostname: 'site.example.com' } },
          {
            type: 'RequestHeaderModifier',
            requestHeaderModifier: { set: [{ name: 'X-Forwarded-Proto', value: 'https' }], remove: ['X-Debug'] },
          },
          {
            type: 'ResponseHeaderModifier',
            responseHeaderModifier: { set: [{ name: 'X-Frame-Options', value: 'DENY' }], remove: ['X-Powered-By'] },
          },
        ],
      },
    ]);
    const web = entry('web', 'web');
    expect(web).toMatchObject({ id: 'traefik.router-middlewares-route', status: 'approximated' });
    expect(web.message).toContain(
      'as filters: hdr → RequestHeaderModifier + ResponseHeaderModifier, site → URLRewrite hostname (Extended ' +
        'support, which not every Gateway implements: URLRewrite, ResponseHeaderModifier)',
    );
    // Its other options have no filter: still not applied, and their labels not carried.
    expect(web.message).toContain(
      'its middlewares are not applied: hdr (headers: its stsSeconds settings are not applied)',
    );
    expect(labelEntries('traefik.http.middlewares.')).toEqual([
      'labels.traefik.http.middlewares.hdr.headers.stsSeconds traefik.label-not-carried',
    ]);
  });

  it('request headers alone are a Core filter: no word of Extended support', () => {
    const core = run(`
services:
  web:
    image: nginx
    labels:
      - traefik.enable=true
${router('web', 'Host(`h.example.com`)', ['middlewares=hdr'])}
      - traefik.http.middlewares.hdr.headers.customrequestheaders.X-Forwarded-Proto=https
`);
    expect(core.rules()[0]!.filters.map((f: Loose) => f.type)).toEqual(['RequestHeaderModifier']);
    expect(core.entry('web', 'web').message).toContain('as filters: hdr → RequestHeaderModifier');
    expect(core.entry('web', 'web').message).not.toContain('Extended');
  });

  it('a header the API rejects leaves its middleware not applied; an Ingress applies none', () => {
    const bad = run(HEADERS.replace('Host=site.example.com', 'Host=site.example.com:8443'));
    expect(bad.rules()[0]!.filters.map((f: Loose) => f.type)).toEqual([
      'RequestHeaderModifier',
      'ResponseHeaderModifier',
    ]);
    expect(bad.entry('web', 'web').message).toContain('site (headers: its response/request headers are not set)');
    const ingress = run(HEADERS, {});
    expect(ingress.entry('web', 'web')).toMatchObject({ id: 'traefik.router-middlewares' });
    expect(ingress.entry('web', 'web').message).toContain('hdr (headers: its response/request headers are not set)');
  });
});

// TLS set on the entrypoint in Traefik's static config (plausible's traefik override names websecure, whose TLS
// lives in a traefik.yml the project does not ship): read only where the Traefik service is in the files.
describe("Traefik entrypoint TLS from the Traefik service's flags", () => {
  const WITH = (flag: string) => `
services:
  traefik:
    image: traefik:v3
    command: ["--providers.docker=true", "--entrypoints.websecure.address=:443", "${flag}"]
    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]
  app:
    image: nginx
    labels:
      - traefik.enable=true
${router('app', 'Host(`a.example.com`)', ['entrypoints=websecure'])}
${router('plain', 'Host(`b.example.com`)', ['entrypoints=web'])}
`;

  it('a router on an entrypoint whose flags set TLS is a TLS router, named by the flag', () => {
    for (const flag of ['--entrypoints.websecure.http.tls=true', '--entryPoints.websecure.http.tls.certResolver=le']) {
      const { entry } = run(WITH(flag));
      expect(entry('app', 'app')).toMatchObject({ id: 'traefik.router-route-tls', status: 'approximated' });
      expect(entry('app', 'app').message).toContain(`its TLS (${flag} of traefik)`);
      expect(entry('app', 'plain')).toMatchObject({ id: 'traefik.router-route' });
      expect(run(WITH(flag), {}).entry('app', 'app')).toMatchObject({ id: 'traefik.router-ingress-tls' });
    }
  });

  it('without TLS in the flags, or without Traefik in the files, the router keeps its status', () => {
    expect(run(WITH('--entrypoints.websecure.http.tls=false')).entry('app', 'app')).toMatchObject({
      id: 'traefik.router-route',
    });
    const alone = WITH('--entrypoints.websecure.http.tls=true').replace(/ {2}traefik:[^]*?(?= {2}app:)/, '');
    expect(run(alone).entry('app', 'app')).toMatchObject({ id: 'traefik.router-route' });
  });
});
