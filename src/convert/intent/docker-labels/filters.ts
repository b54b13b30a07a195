/**
 * With --ingress gateway, what the HTTPRoute rules of a service's Traefik routers (routing.ts) carry of their
 * middlewares: a stripprefix of the router's own path, a headers middleware's custom headers and Host. Decided once
 * (traefikFilters); objects/httproute.ts emits the filters through the dialect hook, finish/docker-labels.ts reports
 * what they carry. Other middlewares are reported as not applied.
 */
import type { ConvertContext } from '../../context.js';
import { FactKey } from '../../facts.js';
import type { HeaderModifier, RouteFilter, RoutedRule } from '../dialect.js';
import { HEADER_NAME } from './rule.js';
import { isInternal, traefikRouting, type TraefikRouter, type TraefikRouting } from './routing.js';

/** Middleware types that change the request path (a chain may hold one). */
const PATH_MIDDLEWARES = new Set([
  'stripprefix',
  'stripprefixregex',
  'replacepath',
  'replacepathregex',
  'addprefix',
  'chain',
]);

/**
 * The stripprefix middleware of router `r` that a route rule on prefix `path` can carry as an HTTPRoute URLRewrite
 * filter (ReplacePrefixMatch `/`), if any: a middleware of these labels whose first prefix a request under `path`
 * can match is `path` itself (Traefik strips the first prefix that matches), on a router whose other middlewares
 * do not change the path.
 */
function strippedBy(routing: TraefikRouting, r: TraefikRouter, path: string): string | undefined {
  let found: string | undefined;
  for (const written of r.middlewares ?? []) {
    const [name, provider] = written.split('@') as [string, string | undefined];
    const type = provider === undefined || provider === 'docker' ? routing.middlewareTypes.get(name) : undefined;
    if (!type || !PATH_MIDDLEWARES.has(type)) continue;
    const first = (routing.stripPrefixes.get(name) ?? []).find((q) => q.startsWith(path) || path.startsWith(q));
    if (found || type !== 'stripprefix' || first !== path) return undefined;
    found = written;
  }
  return found;
}

/** What the HTTPRoute rules carry of the routers' middlewares (--ingress gateway), decided once (traefikFilters). */
export interface TraefikFilters {
  /** Per `service\0host\0path\0exact` (no host: any) of every routed rule: the filters of that HTTPRoute rule. */
  rules: ReadonlyMap<string, RouteFilter[]>;
  /** Per routed router whose rules carry some of its middlewares: what they carry. */
  carried: ReadonlyMap<TraefikRouter, TraefikCarried>;
}

/** The middlewares of a router of `service` its HTTPRoute rules carry. */
export interface TraefikCarried {
  service: string;
  /** Each one (as written) → the filters it became, and its options left out (a headers middleware's stsSeconds...). */
  middlewares: ReadonlyMap<string, { as: string[]; left: string[] }>;
}

const FILTERS = new FactKey<TraefikFilters>();
const ruleKey = (service: string, host: string | undefined, path: string, exact: boolean): string =>
  `${service}\0${host ?? ''}\0${path}\0${exact}`;

/** A hostname URLRewrite accepts (PreciseHostname): what a custom `Host` request header becomes. */
const PRECISE_HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Gateway API bounds: at most 16 headers set and 16 removed per modifier, values of 1 to 4096 characters. */
const MAX_HEADERS = 16;

/**
 * The filters router `r`'s middlewares become on a rule of path `path`, and the middlewares they carry: its
 * stripprefix of that path prefix (strippedBy) → URLRewrite ReplacePrefixMatch `/`; a headers middleware's custom
 * request headers → RequestHeaderModifier (`Host` → URLRewrite hostname), custom response headers →
 * ResponseHeaderModifier, an empty value removes the header, as in Traefik. A headers middleware is carried whole or
 * not at all (a header the API rejects, or one an earlier middleware of the router sets too); its other options stay
 * not applied. Other middlewares (redirectscheme, ratelimit...) are never carried.
 */
function filtersOf(
  routing: TraefikRouting,
  r: TraefikRouter,
  path: string,
  exact: boolean,
): { filters: RouteFilter[]; carried: Map<string, { as: string[]; left: string[] }> } {
  const carried = new Map<string, { as: string[]; left: string[] }>();
  const rewrite: { hostname?: string; path?: { type: 'ReplacePrefixMatch'; replacePrefixMatch: '/' } } = {};
  const strip = exact ? undefined : strippedBy(routing, r, path);
  if (strip) {
    rewrite.path = { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' };
    carried.set(strip, { as: ['URLRewrite ReplacePrefixMatch /'], left: [] });
  }
  // Header name (lower case: names are case-insensitive) → the name as written and its value.
  const mods = { request: new Map<string, [string, string]>(), response: new Map<string, [string, string]>() };
  for (const written of r.middlewares ?? []) {
    const [name, provider] = written.split('@') as [string, string | undefined];
    const h = provider === undefined || provider === 'docker' ? routing.headers.get(name) : undefined;
    if (!h || (!h.request.length && !h.response.length)) continue;
    const host = h.request.filter(([n]) => n.toLowerCase() === 'host');
    const headers = { request: h.request.filter((x) => !host.includes(x)), response: h.response };
    const fits = (side: 'request' | 'response'): boolean => {
      const all = [...mods[side].keys(), ...headers[side].map(([n]) => n.toLowerCase())];
      return (
        new Set(all).size === all.length &&
        headers[side].every(([n, v]) => HEADER_NAME.test(n) && v.length <= 4096) &&
        all.length <= MAX_HEADERS
      );
    };
    const hostname = host[0]?.[1].toLowerCase();
    if (
      !fits('request') ||
      !fits('response') ||
      host.length > 1 ||
      (hostname !== undefined && (rewrite.hostname !== undefined || !PRECISE_HOST.test(hostname)))
    )
      continue;
    const as: string[] = [];
    if (hostname !== undefined) {
      rewrite.hostname = hostname;
      as.push('URLRewrite hostname');
    }
    for (const side of ['request', 'response'] as const) {
      for (const [n, v] of headers[side]) mods[side].set(n.toLowerCase(), [n, v]);
      if (headers[side].length) as.push(side === 'request' ? 'RequestHeaderModifier' : 'ResponseHeaderModifier');
    }
    carried.set(written, { as, left: h.other });
  }
  const modifier = (m: Map<string, [string, string]>): HeaderModifier => {
    const set = [...m.values()].filter(([, v]) => v !== '').map(([name, value]) => ({ name, value }));
    const remove = [...m.values()].filter(([, v]) => v === '').map(([n]) => n);
    return { ...(set.length ? { set } : {}), ...(remove.length ? { remove } : {}) };
  };
  const filters: RouteFilter[] = [];
  if (rewrite.hostname !== undefined || rewrite.path) filters.push({ type: 'URLRewrite', urlRewrite: rewrite });
  if (mods.request.size) filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: modifier(mods.request) });
  if (mods.response.size)
    filters.push({ type: 'ResponseHeaderModifier', responseHeaderModifier: modifier(mods.response) });
  return { filters, carried };
}

/**
 * With --ingress gateway: what each HTTPRoute rule of a service's Traefik routers carries of their middlewares
 * (filtersOf), found once; objects/httproute.ts emits the filters, finish/docker-labels.ts names what they carry.
 * Routers of a service with the same host and path share the rule: the routers that serve the traffic decide it.
 * Twin routers (one rule on an HTTP and a TLS entrypoint, usually the HTTP one only redirecting to HTTPS) share
 * it: the TLS twin serves, its middlewares decide the rule's filters, and the HTTP twin's middlewares (its
 * redirectscheme) are not applied (an HTTPRoute on every listener cannot redirect only HTTP). Serving routers
 * whose filters differ give the rule none.
 */
export function traefikFilters(ctx: ConvertContext): TraefikFilters {
  return ctx.facts.get(FILTERS, () => {
    const rules = new Map<string, RouteFilter[]>();
    const carried = new Map<TraefikRouter, TraefikCarried>();
    if (ctx.options.ingress !== 'gateway') return { rules, carried };
    const routing = traefikRouting(ctx);
    for (const [service, list] of routing.routers) {
      const routed = list.filter((r) => !isInternal(r) && !r.guardedBy && r.rules?.length);
      const shared = new Map<string, TraefikRouter[]>();
      for (const r of routed)
        for (const x of r.rules!) {
          const k = ruleKey(service, x.host, x.path ?? '/', !!x.exact);
          shared.set(k, [...(shared.get(k) ?? []), r]);
        }
      const own = new Map(
        routed.map((r) => [r, filtersOf(routing, r, r.rules![0]!.path ?? '/', !!r.rules![0]!.exact)]),
      );
      const decided = new Set<TraefikRouter>(routed);
      for (const [k, twins] of shared) {
        const serving = twins.some((r) => r.tls) ? twins.filter((r) => r.tls) : twins;
        const first = JSON.stringify(own.get(serving[0]!)!.filters);
        const agree = serving.every((r) => JSON.stringify(own.get(r)!.filters) === first);
        // A router is carried where the rule's filters are its own (a twin that does the same counts too).
        for (const r of twins) if (!agree || JSON.stringify(own.get(r)!.filters) !== first) decided.delete(r);
        rules.set(k, agree ? own.get(serving[0]!)!.filters : []);
      }
      for (const r of decided) {
        const middlewares = own.get(r)!.carried;
        if (middlewares.size) carried.set(r, { service, middlewares });
      }
    }
    return { rules, carried };
  });
}

/** The dialect hook (Dialect.routeFilters): the filters of a service's HTTPRoute rule (traefikFilters). */
export function traefikRouteFilters(
  ctx: ConvertContext,
  service: string,
  rule: RoutedRule,
): readonly RouteFilter[] | undefined {
  if (rule.headers?.length) return undefined;
  const { rules } = traefikFilters(ctx);
  const exact = !!rule.exact;
  // A router without host applies to any host, the one an --ingress-host gives it too.
  const filters =
    rules.get(ruleKey(service, rule.host, rule.path, exact)) ??
    rules.get(ruleKey(service, undefined, rule.path, exact));
  return filters?.length ? filters : undefined;
}
