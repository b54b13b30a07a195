/**
 * The routing settings of the reverse proxies other than Traefik that route to the containers they discover through
 * the Docker socket (plan/docker-helpers.ts finds them, by image, and gives them no workload). Read only for the
 * proxies the project runs, as each proxy documents them:
 * - nginx-proxy: a service's environment `VIRTUAL_HOST` (a comma list), `VIRTUAL_PORT` (else the one port the
 *   container exposes, else 80), `VIRTUAL_PATH` (a location prefix); acme-companion's `LETSENCRYPT_HOST` asks for
 *   a certificate;
 * - caddy-gen: labels `virtual.host` (hosts separated by spaces), `virtual.port` (else 80), `virtual.tls-email`;
 * - caddy-docker-proxy: labels `caddy` (the site addresses; `caddy_0`, `caddy_1`... for several sites) and
 *   `caddy.reverse_proxy` (`[matcher] {{upstreams [scheme] [PORT]}}`, port 80 when none).
 * Hosts, path and port become Ingress rules of the service, the lowest layer of its ingress as Traefik router labels
 * are (intent/docker-labels/routing.ts); a route behind authentication is not made at all (the Ingress would leave it open).
 * Each setting read keeps its own report entry (finish/docker-proxies.ts). Dialect code, next to the detection it
 * follows: only the docker-labels dialect imports it (src/convert/dialects.ts), so the lean entry does not bundle it.
 */
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { FactKey } from '../facts.js';
import { dockerHelpers, dockerProxies, type ProxyKind } from './docker-helpers.js';
import { reachOf } from '../network/reach.js';
import type { IngressOverride, IngressRuleOverride } from '../intent/overrides-types.js';

export type RoutingProxy = Exclude<ProxyKind, 'traefik'>;

/** A setting a proxy reads besides the one naming the hosts: its item path and how it was written. */
export interface ProxySetting {
  path: string;
  setting: string;
}

/** One route a proxy made for a service (one per VIRTUAL_HOST, virtual.host, `caddy` / `caddy_N` site). */
export interface ProxyRoute {
  proxy: RoutingProxy;
  /** The item naming the hosts: `environment.VIRTUAL_HOST`, `labels.virtual.host`, `labels.caddy`. */
  path: string;
  /** That setting as written (`VIRTUAL_HOST=a.example.com`). */
  setting: string;
  /** The Ingress rules it becomes (each with `port`); absent when it cannot (`why`), is empty or is guarded. */
  rules?: IngressRuleOverride[];
  /** The container port it routes to, and where that comes from. */
  port: number;
  portFrom: string;
  why?: string;
  /** The host setting is empty: the proxy routed nothing. */
  empty?: boolean;
  /** Hosts no Ingress rule can express (a regular expression), left out of `rules`. */
  dropped?: string[];
  /** What made the proxy serve it over TLS (LETSENCRYPT_HOST, Caddy's automatic HTTPS), if anything. */
  tls?: string;
  /** The authentication in front of it: it is not routed. */
  guard?: string;
  /** The settings read with it (VIRTUAL_PORT, virtual.port, caddy.reverse_proxy...). */
  parts: ProxySetting[];
  /** Settings of the proxy it carries no further, each with what is lost. */
  notCarried: Array<ProxySetting & { effect: string }>;
}

/** A host an Ingress rule accepts: a DNS name, optionally `*.` first. */
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The hosts an Ingress can route, and those it cannot (with why). */
function splitHosts(written: readonly string[]): { hosts: string[]; dropped: string[] } {
  const hosts: string[] = [];
  const dropped: string[] = [];
  for (const h of written) {
    const host = h.toLowerCase();
    if (HOST.test(host)) {
      if (!hosts.includes(host)) hosts.push(host);
    } else dropped.push(h.startsWith('~') ? `${h} (a regular expression)` : `${h} (not a DNS name or *.wildcard)`);
  }
  return { hosts, dropped };
}

/** A port number as written, or undefined. */
function portOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 && n < 65536 ? n : undefined;
}

/** The route's rules from its hosts, path and port, or why there are none. */
function routeOf(
  base: Omit<ProxyRoute, 'rules' | 'dropped' | 'why'>,
  written: readonly string[],
  path: { path?: string; exact?: boolean } | string,
): ProxyRoute {
  if (typeof path === 'string') return { ...base, why: path };
  const { hosts, dropped } = splitHosts(written);
  const out: ProxyRoute = { ...base, ...(dropped.length ? { dropped } : {}) };
  if (!hosts.length) return { ...out, why: `no host an Ingress rule can express: ${dropped.join(', ')}` };
  const rules = hosts.map((host) => ({
    host,
    ...(path.path ? { path: path.path } : {}),
    ...(path.exact ? { exact: true } : {}),
    port: base.port,
  }));
  return { ...out, rules };
}

/** nginx-proxy settings whose effect the Ingress does not carry. */
const NGINX_NOT_CARRIED: Readonly<Record<string, string>> = {
  VIRTUAL_DEST: 'the path is no longer rewritten',
  VIRTUAL_PROTO: 'requests reach the container as plain HTTP',
  HTTPS_METHOD: 'its HTTP/HTTPS redirect policy is not applied',
  HSTS: 'no Strict-Transport-Security header is set',
  CERT_NAME: 'the certificate it names is not used',
};
const NGINX_PARTS = ['VIRTUAL_PORT', 'VIRTUAL_PATH', 'LETSENCRYPT_HOST', 'LETSENCRYPT_EMAIL', 'NETWORK_ACCESS'];

/** The container port nginx-proxy picks without VIRTUAL_PORT: the one port exposed, else 80. */
function nginxDefaultPort(ctx: ConvertContext, svc: Service): { port: number; from: string } {
  const declared = new Set<number>();
  for (const p of svc.ports) if (p.protocol === 'tcp') declared.add(p.target);
  for (const e of svc.expose) if (e.protocol === 'tcp') declared.add(e.target);
  if (declared.size === 1) return { port: [...declared][0]!, from: 'the one port it declares' };
  if (declared.size > 1) return { port: 80, from: "nginx-proxy's default (80) for a container with several ports" };
  const known = reachOf(ctx, svc.name).wellKnown;
  if (known.length === 1) return { port: known[0]!, from: 'the one port its image is known to expose' };
  return { port: 80, from: "nginx-proxy's default (80)" };
}

/**
 * An nginx-proxy that mounts /etc/nginx/htpasswd (a file per VIRTUAL_HOST holds its basic-auth users): which
 * hosts it guards is in files this conversion does not read, so every route it makes counts as guarded.
 */
function htpasswdMount(ctx: ConvertContext): string | undefined {
  for (const h of dockerHelpers(ctx).values())
    if (h.proxy === 'nginx-proxy')
      for (const v of h.service.volumes)
        if (/^\/etc\/nginx\/htpasswd(\/|$)/.test(v.target))
          return `the basic authentication nginx-proxy ${h.service.name} may apply from ${v.target}`;
  return undefined;
}

function nginxProxy(ctx: ConvertContext, svc: Service): ProxyRoute[] {
  const env = svc.environment;
  if (!('VIRTUAL_HOST' in env)) return [];
  const htpasswd = htpasswdMount(ctx);
  const value = String(env['VIRTUAL_HOST']);
  const written = value
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const given = portOf(env['VIRTUAL_PORT']);
  const port = given !== undefined ? { port: given, from: 'VIRTUAL_PORT' } : nginxDefaultPort(ctx, svc);
  const setting = (k: string): ProxySetting => ({ path: `environment.${k}`, setting: `${k}=${env[k]}` });
  const notCarried = Object.keys(NGINX_NOT_CARRIED)
    .filter((k) => k in env && !(k === 'VIRTUAL_PROTO' && /^http$/i.test(env[k]!)))
    .map((k) => ({ ...setting(k), effect: NGINX_NOT_CARRIED[k]! }));
  const tls = env['LETSENCRYPT_HOST']?.trim()
    ? `LETSENCRYPT_HOST: acme-companion's Let's Encrypt certificate for ${env['LETSENCRYPT_HOST']}`
    : undefined;
  const base = {
    proxy: 'nginx-proxy' as const,
    path: 'environment.VIRTUAL_HOST',
    setting: `VIRTUAL_HOST=${value}`,
    port: port.port,
    portFrom: port.from,
    ...(tls ? { tls } : {}),
    ...(/^internal$/i.test(env['NETWORK_ACCESS'] ?? '')
      ? { guard: 'NETWORK_ACCESS=internal (private networks only)' }
      : htpasswd
        ? { guard: htpasswd }
        : {}),
    parts: NGINX_PARTS.filter((k) => k in env).map(setting),
    notCarried,
  };
  if (!written.length) return [{ ...base, empty: true }];
  if ('VIRTUAL_PORT' in env && given === undefined)
    return [routeOf(base, written, `VIRTUAL_PORT=${env['VIRTUAL_PORT']} is not a port`)];
  const path = env['VIRTUAL_PATH']?.trim();
  if (path && !path.startsWith('/'))
    return [routeOf(base, written, `VIRTUAL_PATH=${path} (a regular-expression location) has no Ingress path`)];
  return [routeOf(base, written, { ...(path && path !== '/' ? { path } : {}) })];
}

const CADDY_GEN_PARTS = ['virtual.port', 'virtual.tls-email', 'virtual.tls'];

function caddyGen(svc: Service): ProxyRoute[] {
  const labels = svc.labels;
  if (!('virtual.host' in labels)) return [];
  const value = String(labels['virtual.host']);
  const written = value
    .split(/[\s,]+/)
    .map((h) => h.replace(/^https?:\/\//, ''))
    .filter(Boolean);
  const given = portOf(labels['virtual.port']);
  const setting = (k: string): ProxySetting => ({ path: `labels.${k}`, setting: `${k}=${labels[k]}` });
  const keys = Object.keys(labels)
    .filter((k) => k.startsWith('virtual.') && k !== 'virtual.host')
    .sort();
  const auth = keys.filter((k) => k.startsWith('virtual.auth.'));
  const base = {
    proxy: 'caddy-gen' as const,
    path: 'labels.virtual.host',
    setting: `virtual.host=${value}`,
    port: given ?? 80,
    portFrom: given !== undefined ? 'label virtual.port' : "caddy-gen's default (80)",
    tls: `Caddy's automatic HTTPS${labels['virtual.tls-email'] ? `, ACME account ${labels['virtual.tls-email']}` : ''}`,
    ...(auth.length ? { guard: `${auth.join(', ')} (basic authentication)` } : {}),
    parts: keys.filter((k) => CADDY_GEN_PARTS.includes(k) || k.startsWith('virtual.auth.')).map(setting),
    notCarried: keys
      .filter((k) => !CADDY_GEN_PARTS.includes(k) && !k.startsWith('virtual.auth.'))
      .map((k) => ({ ...setting(k), effect: 'its Caddy settings are not applied' })),
  };
  if (!written.length) return [{ ...base, empty: true }];
  if ('virtual.port' in labels && given === undefined)
    return [routeOf(base, written, `virtual.port=${labels['virtual.port']} is not a port`)];
  return [routeOf(base, written, {})];
}

const CADDY_SITE = /^caddy(_\d+)?$/;
const CADDY_GUARDS = new Set(['basicauth', 'basic_auth', 'forward_auth']);
const UPSTREAMS = /\{\{\s*upstreams\s*([^}]*)\}\}/;

/** A `caddy.reverse_proxy` value: the path its matcher selects and the upstream port, or why not. */
function caddyReverseProxy(value: string): { path?: string; exact?: boolean; port?: number } | string {
  const m = UPSTREAMS.exec(value);
  if (!m) return `reverse_proxy ${value} does not send requests to the container ({{upstreams}})`;
  const args = m[1]!.trim().split(/\s+/).filter(Boolean);
  const port = args.map(portOf).find((p) => p !== undefined);
  const matcher = value.slice(0, m.index).trim();
  if (!matcher || matcher === '*' || matcher === '/*') return port !== undefined ? { port } : {};
  if (!matcher.startsWith('/') || /[\s@]/.test(matcher) || matcher.indexOf('*') < matcher.length - 1)
    return `the matcher ${matcher} of reverse_proxy has no Ingress path`;
  const path = matcher.endsWith('/*') ? matcher.slice(0, -2) : matcher.replace(/\*$/, '');
  return { path, ...(matcher.endsWith('*') ? {} : { exact: true }), ...(port !== undefined ? { port } : {}) };
}

function caddyDockerProxy(svc: Service): ProxyRoute[] {
  const labels = svc.labels;
  const out: ProxyRoute[] = [];
  for (const site of Object.keys(labels)
    .filter((k) => CADDY_SITE.test(k))
    .sort()) {
    const value = String(labels[site]);
    const addresses = value.split(/[\s,]+/).filter(Boolean);
    const plain = addresses.length > 0 && addresses.every((a) => a.startsWith('http://'));
    const written = addresses.map((a) => a.replace(/^https?:\/\//, '').replace(/:\d+$/, ''));
    const keys = Object.keys(labels)
      .filter((k) => k.startsWith(`${site}.`))
      .sort();
    const directive = (k: string): string => k.slice(site.length + 1).split('.')[0]!;
    const guards = keys.filter((k) => CADDY_GUARDS.has(directive(k)));
    const proxyKey = `${site}.reverse_proxy`;
    const setting = (k: string): ProxySetting => ({ path: `labels.${k}`, setting: `${k}=${labels[k]}` });
    const rp = proxyKey in labels ? caddyReverseProxy(String(labels[proxyKey])) : undefined;
    const port = typeof rp === 'object' ? rp.port : undefined;
    const base = {
      proxy: 'caddy-docker-proxy' as const,
      path: `labels.${site}`,
      setting: `${site}=${value}`,
      port: port ?? 80,
      portFrom: port !== undefined ? `label ${proxyKey}` : "Caddy's default upstream port (80)",
      ...(plain ? {} : { tls: "Caddy's automatic HTTPS" }),
      ...(guards.length ? { guard: `${guards.join(', ')} (authentication)` } : {}),
      parts: keys.filter((k) => k === proxyKey || guards.includes(k)).map(setting),
      notCarried: keys
        .filter((k) => k !== proxyKey && !guards.includes(k))
        .map((k) => ({ ...setting(k), effect: `its Caddy directive ${directive(k)} is not applied` })),
    };
    // A bare `:80` (any host) is a rule without host.
    const anyHost = written.length > 0 && written.every((w) => w === '');
    if (!addresses.length) out.push({ ...base, empty: true });
    else if (rp === undefined) out.push({ ...base, why: `no ${proxyKey} label sends its requests to the container` });
    else if (typeof rp === 'string') out.push({ ...base, why: rp });
    else if (anyHost)
      out.push({
        ...base,
        rules: [{ ...(rp.path ? { path: rp.path } : {}), ...(rp.exact ? { exact: true } : {}), port: base.port }],
      });
    else out.push(routeOf(base, written.filter(Boolean), rp));
  }
  return out;
}

/** The docker proxy routes, computed once per project. */
const ROUTES = new FactKey<ReadonlyMap<string, ProxyRoute[]>>();

/** The routes the project's proxies (other than Traefik) made, per service; found once. */
export function proxyRoutes(ctx: ConvertContext): ReadonlyMap<string, ProxyRoute[]> {
  return ctx.facts.get(ROUTES, () => {
    const out = new Map<string, ProxyRoute[]>();
    const proxies = dockerProxies(ctx);
    if (![...proxies].some((p) => p !== 'traefik')) return out;
    const helpers = dockerHelpers(ctx);
    for (const svc of Object.values(ctx.project.services)) {
      if (helpers.has(svc.name)) continue;
      const routes = [
        ...(proxies.has('nginx-proxy') ? nginxProxy(ctx, svc) : []),
        ...(proxies.has('caddy-gen') ? caddyGen(svc) : []),
        ...(proxies.has('caddy-docker-proxy') ? caddyDockerProxy(svc) : []),
      ];
      if (routes.length) out.set(svc.name, routes);
    }
    return out;
  });
}

/** The Ingress a service's proxy routes ask for (their hosts and path, each with its port). */
export function proxyIngress(ctx: ConvertContext, svc: Service): IngressOverride | undefined {
  const routes = (proxyRoutes(ctx).get(svc.name) ?? []).filter((r) => r.rules && !r.guard);
  if (!routes.length) return undefined;
  const rules = routes.flatMap((r) => r.rules!);
  return {
    enabled: true,
    rules,
    hosts: [...new Set(rules.map((r) => r.host).filter((h): h is string => !!h))],
    port: routes[0]!.port,
    portFrom: { port: routes[0]!.port, from: routes[0]!.portFrom },
  };
}

/** Two ingress layers of the same level (Traefik routers and another proxy's routes) as one: both's rules. */
export function joinIngress(
  a: IngressOverride | undefined,
  b: IngressOverride | undefined,
): IngressOverride | undefined {
  if (!a || !b) return a ?? b;
  const key = (x: IngressRuleOverride): string => `${x.host}\0${x.path ?? '/'}\0${!!x.exact}`;
  const seen = new Set(a.rules.map(key));
  const rules = [...a.rules, ...b.rules.filter((x) => !seen.has(key(x)))];
  return { ...b, ...a, rules, hosts: [...new Set([...a.hosts, ...b.hosts])] };
}
