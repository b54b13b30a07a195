/**
 * Traefik's Docker labels (plan/docker-helpers.ts drops Traefik itself; ofelia's job labels are read by ofelia.ts):
 * routers (`traefik.http.routers.<r>.rule`, `.tls`, `traefik.http.services.<s>.loadbalancer.server.port`). A rule
 * (rule.ts) made of `Host(...)` and `PathPrefix(...)` joined by `&&` (hosts may be alternatives joined by `||`)
 * becomes Ingress rules of the labelled service, the lowest layer below kompose labels and x-k8s. Any other matcher
 * (Path, Headers, HostRegexp, Query, `!`...) has no Ingress rule: reported. A router behind a middleware that guards
 * access (basicauth, digestauth, forwardauth, an address allow-list, also inside a chain) is not routed at all: the
 * Ingress would not guard it, and routing it would open what compose protected. With --ingress gateway what the
 * routers' other middlewares become on their HTTPRoute rules is filters.ts.
 */
import type { Service } from '../../../model/types.js';
import type { ConvertContext } from '../../context.js';
import { FactKey } from '../../facts.js';
import type { HeaderMatch, IngressOverride, IngressRuleOverride } from '../overrides-types.js';
import { dockerHelpers } from '../../plan/docker-helpers.js';
import { parseTraefikRule, type TraefikExclusion } from './rule.js';
import { commandWords } from '../../../model/command.js';

export interface TraefikRouter {
  router: string;
  /** The label holding the rule. */
  label: string;
  rule: string;
  /** The Ingress rules it becomes, or why it cannot. */
  rules?: IngressRuleOverride[];
  why?: string;
  /** Paths the rule excludes: other routers take them (`traefikRouting`). */
  excluded?: TraefikExclusion[];
  /** Negated matchers no Ingress/HTTPRoute path can express (`!Host(...)`, `!Query(...)`). */
  unexpressed?: string[];
  /** Headers the rule excludes (`!HeaderRegexp(`x`, `.+`)`): an HTTPRoute header match can send them elsewhere. */
  excludedHeaders?: Array<HeaderMatch & { text: string }>;
  /** The Traefik service the router names (`traefik.http.routers.<r>.service`), if set. */
  service?: string;
  /** Traefik's priority: the `.priority` label, else the length of the rule (Traefik's default). */
  priority: number;
  /**
   * The container port the router sends to: `traefik.http.services.<s>.loadbalancer.server.port` of the service
   * it names, or of the one service the labels define when it names none (as Traefik picks it).
   */
  port?: number;
  /** The label `port` comes from, or the one that would give it. */
  portLabel: string;
  tls: boolean;
  /**
   * What gives it TLS when its labels do not: the static-config flags of the entrypoints it is on, in the files
   * (`--entrypoints.websecure.http.tls=true of traefik`; traefikRouting).
   */
  tlsBy?: string;
  /** `traefik.http.routers.<r>.entrypoints`, as written. */
  entrypoints?: string[];
  /** `traefik.http.routers.<r>.middlewares`, as written (`auth`, `strip@docker`, `headers@file`). */
  middlewares?: string[];
  /** The authenticating middlewares in front of it (`auth (basicauth)`): it is not routed (`traefikRouting`). */
  guardedBy?: string[];
}

/**
 * Middleware types that guard access (authentication, source-address allow-lists): a router behind one is never
 * routed without it. A middleware defined outside the labels (`auth@file`) guards by its name (auth, sso, oidc...).
 */
const AUTH_MIDDLEWARES = new Set(['basicauth', 'digestauth', 'forwardauth', 'ipallowlist', 'ipwhitelist']);
const AUTH_NAME = /auth|sso|oauth|oidc|login|keycloak|authelia|authentik|allowlist|whitelist/i;
const MIDDLEWARE = /^traefik\.http\.middlewares\.([^.]+)\.([^.]+)\./;

const ROUTER_RULE = /^traefik\.http\.routers\.([^.]+)\.rule$/;
const SERVICE_PORT = /^traefik\.http\.services\.([^.]+)\.loadbalancer\.server\.port$/;

/** Routers of a service whose labels say Traefik should route to it (`traefik.enable` not false). */
export function traefikRouters(svc: Service): TraefikRouter[] {
  if (/^false$/i.test(svc.labels['traefik.enable'] ?? '')) return [];
  const ports = new Map<string, { label: string; port?: number }>();
  for (const label of Object.keys(svc.labels).sort()) {
    const m = SERVICE_PORT.exec(label);
    if (!m) continue;
    const n = Number(svc.labels[label]);
    ports.set(m[1]!, { label, ...(Number.isInteger(n) && n > 0 && n < 65536 ? { port: n } : {}) });
  }
  const out: TraefikRouter[] = [];
  for (const [label, rule] of Object.entries(svc.labels)) {
    const m = ROUTER_RULE.exec(label);
    if (!m) continue;
    const router = m[1]!;
    const at = (k: string): string | undefined => {
      const v = svc.labels[`traefik.http.routers.${router}.${k}`];
      return v === undefined ? undefined : String(v);
    };
    const tls = /^true$/i.test(at('tls') ?? '') || at('tls.certresolver') !== undefined;
    const parsed = parseTraefikRule(String(rule));
    const service = at('service');
    const prio = Number(at('priority'));
    // The service it names; without one, the one service the labels define (Traefik's own choice); with
    // several and none named, Traefik refuses the router: the first (by name) is the best guess.
    const own = service !== undefined ? ports.get(service) : ports.values().next().value;
    const list = (k: string): string[] =>
      (at(k) ?? '')
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean);
    const middlewares = list('middlewares');
    const entrypoints = list('entrypoints');
    out.push({
      router,
      label,
      rule: String(rule),
      tls,
      ...parsed,
      ...(service ? { service } : {}),
      priority: Number.isInteger(prio) && prio > 0 ? prio : String(rule).length,
      ...(own?.port !== undefined ? { port: own.port } : {}),
      portLabel: own?.label ?? `traefik.http.services.${service ?? svc.name}.loadbalancer.server.port`,
      ...(middlewares.length ? { middlewares } : {}),
      ...(entrypoints.length ? { entrypoints } : {}),
    });
  }
  return out.sort((a, b) => (a.router < b.router ? -1 : a.router > b.router ? 1 : 0));
}

/** A router to one of Traefik's own services (`api@internal`: its dashboard and API), not to the container. */
export function isInternal(r: TraefikRouter): boolean {
  return r.service?.endsWith('@internal') ?? false;
}

/** Where requests a router excludes go instead: a host and path of another router's service. */
export interface Diversion {
  host?: string;
  path: string;
  exact: boolean;
  /** Only requests with this header (an HTTPRoute header match). */
  header?: HeaderMatch;
  /** The compose service and router that serve it in Traefik. */
  service: string;
  router: string;
}

export interface TraefikRouting {
  /** Per compose service: rules it gets on behalf of other routers' exclusions (with its router's port). */
  borrowed: ReadonlyMap<string, IngressRuleOverride[]>;
  /** Per `service\0router` with exclusions or unexpressed negations: where excluded paths go, what is left. */
  diverted: ReadonlyMap<string, { to: Diversion[]; left: string[] }>;
  /** The routers of each service (`traefikRouters`), read once; `guardedBy` set on those behind authentication. */
  routers: ReadonlyMap<string, TraefikRouter[]>;
  /** Middleware name → its type (`basicauth`, `stripprefix`, `chain`...), from the labels of every service. */
  middlewareTypes: ReadonlyMap<string, string>;
  /** Stripprefix middleware name → its prefixes, in order. */
  stripPrefixes: ReadonlyMap<string, string[]>;
  /** Headers middleware name → its custom headers and its other options. */
  headers: ReadonlyMap<string, HeadersMiddleware>;
}

/** A `headers` middleware: custom request / response headers (an empty value removes it), and its other options. */
export interface HeadersMiddleware {
  request: Array<[name: string, value: string]>;
  response: Array<[name: string, value: string]>;
  /** Its other options (`stsSeconds`, `sslRedirect`, CORS...), as written: no HTTPRoute filter sets them. */
  other: string[];
}

/** A headers middleware's option: `customRequestHeaders.<name>`, `customResponseHeaders.<name>` or another one. */
const HEADERS_OPTION = /^traefik\.http\.middlewares\.[^.]+\.headers\.(?:custom(request|response)headers\.(.+)|(.+))$/i;

/** Middleware name → type, chain name → its members, stripprefix name → its prefixes, as the labels define them. */
function middlewareIndex(ctx: ConvertContext): {
  types: Map<string, string>;
  chains: Map<string, string[]>;
  prefixes: Map<string, string[]>;
  headers: Map<string, HeadersMiddleware>;
} {
  const types = new Map<string, string>();
  const chains = new Map<string, string[]>();
  const prefixes = new Map<string, string[]>();
  const headers = new Map<string, HeadersMiddleware>();
  for (const svc of Object.values(ctx.project.services))
    for (const [label, value] of Object.entries(svc.labels)) {
      const m = MIDDLEWARE.exec(label);
      if (!m) continue;
      const type = m[2]!.toLowerCase();
      types.set(m[1]!, type);
      const list = String(value)
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      if (type === 'chain' && label.endsWith('.chain.middlewares')) chains.set(m[1]!, list);
      if (type === 'stripprefix' && label.toLowerCase().endsWith('.stripprefix.prefixes')) prefixes.set(m[1]!, list);
      const h = type === 'headers' ? HEADERS_OPTION.exec(label) : null;
      if (!h) continue;
      const mw = headers.get(m[1]!) ?? { request: [], response: [], other: [] };
      headers.set(m[1]!, mw);
      if (h[3] !== undefined) mw.other.push(h[3]);
      else mw[h[1]!.toLowerCase() === 'request' ? 'request' : 'response'].push([h[2]!, String(value)]);
    }
  return { types, chains, prefixes, headers };
}

/** The authenticating middlewares among `names` (`@docker` suffixes dropped; chains followed), as `name (type)`. */
function authMiddlewares(
  names: readonly string[],
  index: ReturnType<typeof middlewareIndex>,
  seen = new Set<string>(),
): string[] {
  const out: string[] = [];
  for (const written of names) {
    const [name, provider] = written.split('@') as [string, string | undefined];
    if (seen.has(name)) continue;
    seen.add(name);
    // Another provider's middleware (`@file`, `@kubernetescrd`) is not in these labels: only its name can tell.
    const type = provider === undefined || provider === 'docker' ? index.types.get(name) : undefined;
    if (type && AUTH_MIDDLEWARES.has(type)) out.push(`${written} (${type})`);
    else if (!type && AUTH_NAME.test(name))
      out.push(`${written} (defined outside these labels; its name says it guards access)`);
    else if (type === 'chain')
      out.push(...authMiddlewares(index.chains.get(name) ?? [], index, seen).map((m) => `${written} → ${m}`));
  }
  return out;
}

/** A static-config flag that sets an entrypoint's TLS: `--entrypoints.<ep>.http.tls[=true]`, `...http.tls.<x>=...`. */
const TLS_FLAG = /^--entrypoints\.([^.=]+)\.http\.tls(\.[^=]+)?(?:=(.*))?$/i;
const TLS_VARIABLE = /^TRAEFIK_ENTRYPOINTS_([^_]+)_HTTP_TLS(_.+)?$/i;

/**
 * The entrypoints whose TLS the static config of the project's Traefik sets (its command flags or TRAEFIK_* variables),
 * by lower-case name → the setting, as written. Only when one Traefik service is in the files: without it the
 * entrypoints are not known (a name such as websecure is no evidence).
 */
function tlsEntrypoints(ctx: ConvertContext): Map<string, string> {
  const out = new Map<string, string>();
  const traefik = [...dockerHelpers(ctx).values()].filter((h) => h.proxy === 'traefik');
  if (traefik.length !== 1) return out;
  const svc = traefik[0]!.service;
  for (const a of commandWords(svc)) {
    const m = TLS_FLAG.exec(a);
    if (m && (m[2] !== undefined || m[3] === undefined || /^true$/i.test(m[3])))
      out.set(m[1]!.toLowerCase(), `${a} of ${svc.name}`);
  }
  for (const [k, v] of Object.entries(svc.environment)) {
    const m = TLS_VARIABLE.exec(k);
    if (m && (m[2] !== undefined || /^true$/i.test(v ?? ''))) out.set(m[1]!.toLowerCase(), `${k}=${v} of ${svc.name}`);
  }
  return out;
}

/** The Traefik routing of the project (traefikRouting), found once. */
const ROUTING = new FactKey<TraefikRouting>();

/**
 * An Ingress or HTTPRoute cannot exclude a path, but Traefik's outcome can be rebuilt: a request goes to the
 * highest-priority router that matches it, so when router X excludes prefix N on host H, requests for H under N
 * go to the router that would win without X. That router gets N on host H (a more specific path than X's, which
 * Ingress and HTTPRoute prefer); a router whose own path lies inside N and outranks it gets its path on H too
 * (host rules hide rules without host for that host). With --ingress gateway an excluded header is rebuilt the same
 * way, as a header match on X's path sent to the router that wins without X. Found once per conversion, routers
 * indexed by host.
 */
export function traefikRouting(ctx: ConvertContext): TraefikRouting {
  return ctx.facts.get(ROUTING, () => {
    type Candidate = { service: string; r: TraefikRouter; rule: IngressRuleOverride };
    const routers = new Map<string, TraefikRouter[]>();
    const byHost = new Map<string | undefined, Candidate[]>();
    const index = middlewareIndex(ctx);
    const tlsBy = tlsEntrypoints(ctx);
    for (const svc of Object.values(ctx.project.services)) {
      const list = traefikRouters(svc).map((r) => {
        const guardedBy = r.middlewares ? authMiddlewares(r.middlewares, index) : [];
        // A router on entrypoints that all terminate TLS (Traefik's static config) is a TLS router.
        const by = r.tls ? [] : (r.entrypoints ?? []).map((e) => tlsBy.get(e.toLowerCase()));
        const tls = by.length && by.every((b) => b !== undefined) ? { tls: true, tlsBy: by.join(', ') } : {};
        return { ...r, ...tls, ...(guardedBy.length ? { guardedBy } : {}) };
      });
      routers.set(svc.name, list);
      for (const r of list)
        if (!isInternal(r) && !r.guardedBy)
          for (const rule of r.rules ?? []) {
            const c = byHost.get(rule.host);
            if (c) c.push({ service: svc.name, r, rule });
            else byHost.set(rule.host, [{ service: svc.name, r, rule }]);
          }
    }
    const borrowed = new Map<string, IngressRuleOverride[]>();
    const diverted = new Map<string, { to: Diversion[]; left: string[] }>();
    const same = (a?: HeaderMatch[], b?: HeaderMatch[]): boolean => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
    const lend = (
      c: Candidate,
      host: string | undefined,
      path: string,
      exact: boolean,
      header?: HeaderMatch,
    ): Diversion => {
      const list = borrowed.get(c.service) ?? [];
      const headers = header ? [header] : undefined;
      const has = (x: IngressRuleOverride): boolean =>
        x.host === host && (x.path ?? '/') === path && !!x.exact === exact && same(x.headers, headers);
      const own = routers.get(c.service)!.some((r) => r.rules?.some(has));
      if (!own && !list.some(has))
        list.push({
          ...(host !== undefined ? { host } : {}),
          path,
          ...(exact ? { exact } : {}),
          ...(c.r.port !== undefined ? { port: c.r.port } : {}),
          ...(headers ? { headers } : {}),
        });
      borrowed.set(c.service, list);
      return {
        ...(host !== undefined ? { host } : {}),
        path,
        exact,
        ...(header ? { header } : {}),
        service: c.service,
        router: c.r.router,
      };
    };
    // With --ingress gateway an excluded header becomes a header match (an Ingress has none).
    const gateway = ctx.options.ingress === 'gateway';
    for (const [service, list] of routers)
      for (const x of list) {
        if (isInternal(x) || x.guardedBy || !x.rules || (!x.excluded && !x.unexpressed && !x.excludedHeaders)) continue;
        const to: Diversion[] = [];
        const left = [...(x.unexpressed ?? [])];
        // Routers that match host H (their own host, or any host), other than X and its twins (the same rule on
        // another entrypoint), and that do not exclude the path themselves; the highest priority covering it.
        const candidatesFor = (host: string | undefined, path: string): Candidate[] =>
          [...(byHost.get(host) ?? []), ...(host ? (byHost.get(undefined) ?? []) : [])]
            .filter((c) => c.r.rule !== x.rule)
            .filter((c) => !c.r.excluded?.some((e) => !e.exact && path.startsWith(e.path)));
        const bestFor = (candidates: Candidate[], path: string, exact: boolean): Candidate | undefined => {
          let best: Candidate | undefined;
          for (const c of candidates) {
            const p = c.rule.path ?? '/';
            const covers = c.rule.exact ? exact && p === path : path.startsWith(p);
            if (covers && (!best || c.r.priority > best.r.priority)) best = c;
          }
          return best;
        };
        for (const rule of x.rules) {
          const own = rule.path ?? '/';
          for (const n of x.excluded ?? []) {
            if (!n.path.startsWith(own) || (rule.exact && n.path !== own)) continue; // X never matched it
            const candidates = candidatesFor(rule.host, n.path);
            const best = bestFor(candidates, n.path, n.exact);
            if (best) to.push(lend(best, rule.host, n.path, n.exact));
            else
              left.push(
                `${n.text} on ${rule.host ?? 'any host'}: no other router serves ${n.path} (Traefik answers 404 there)`,
              );
            if (n.exact) continue;
            // Routers inside N that win over the one taking N keep their paths on host H.
            for (const c of candidates) {
              const p = c.rule.path ?? '/';
              if (p === n.path || !p.startsWith(n.path) || (best && c.r.priority <= best.r.priority)) continue;
              to.push(lend(c, rule.host, p, !!c.rule.exact));
            }
          }
          // Requests with an excluded header go where Traefik sends them: a header match on X's own path, which
          // outranks X's rule (same path, more headers) and yields to longer paths, as Traefik's priorities do.
          for (const hd of x.excludedHeaders ?? []) {
            if (!gateway) {
              left.push(`${hd.text} (an Ingress cannot match headers; --ingress gateway can)`);
              continue;
            }
            const best = bestFor(candidatesFor(rule.host, own), own, !!rule.exact);
            const { text: _t, ...header } = hd;
            if (best) to.push(lend(best, rule.host, own, !!rule.exact, header));
            else left.push(`${hd.text} on ${rule.host ?? 'any host'}: no other router serves such requests`);
          }
        }
        const seen = new Set<string>();
        const unique = to.filter((d) => {
          const k = `${d.host}\0${d.path}\0${d.exact}\0${d.service}\0${JSON.stringify(d.header ?? '')}`;
          return seen.has(k) ? false : (seen.add(k), true);
        });
        diverted.set(`${service}\0${x.router}`, { to: unique, left: [...new Set(left)] });
      }
    return {
      borrowed,
      diverted,
      routers,
      middlewareTypes: index.types,
      stripPrefixes: index.prefixes,
      headers: index.headers,
    };
  });
}

/**
 * The Ingress a service's Traefik routers ask for (hosts and paths, each with its router's port), with the paths
 * it serves for other routers' exclusions, if any.
 */
export function traefikIngress(ctx: ConvertContext, svc: Service): IngressOverride | undefined {
  const routing = traefikRouting(ctx);
  const routers = (routing.routers.get(svc.name) ?? []).filter((r) => !isInternal(r) && !r.guardedBy);
  const rules: IngressRuleOverride[] = [];
  const key = (x: IngressRuleOverride): string =>
    `${x.host}\0${x.path ?? '/'}\0${!!x.exact}\0${JSON.stringify(x.headers ?? [])}`;
  const seen = new Set<string>();
  const add = (x: IngressRuleOverride): void => {
    if (seen.has(key(x))) return;
    seen.add(key(x));
    rules.push(x);
  };
  for (const r of routers)
    for (const x of r.rules ?? []) add({ ...x, ...(r.port !== undefined ? { port: r.port } : {}) });
  if (!rules.length) return undefined;
  for (const x of routing.borrowed.get(svc.name) ?? []) add(x);
  const port = routers.find((r) => r.port !== undefined)?.port;
  return {
    enabled: true,
    rules,
    hosts: [...new Set(rules.map((r) => r.host).filter((h): h is string => !!h))],
    ...(port !== undefined ? { port } : {}),
  };
}
