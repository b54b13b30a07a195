/**
 * Published HTTP ports → one Ingress per pod, routing to the pod's ClusterIP Service by port name.
 *
 * Hosts: when the whole project has exactly one HTTP port, its rule uses `--ingress-host` as is (or
 * no host). With several, every port gets its own host so `/` never collides between Ingresses:
 * `<svc>.<host>` for a service's first HTTP port, `<svc>-<published>.<host>` for further ones
 * (`<host>` defaults to `localhost`, which resolves to the local machine for kind/k3d/minikube
 * tunnels). Paths are not used to split because apps rarely expect to run under a prefix. An Ingress asked for
 * without a host (kompose.service.expose: "true", x-k8s ingress: true) keeps no host (or `--ingress-host`), as
 * kompose makes it, and two such Ingresses on `/` are reported (the controller serves one).
 */
import type { Ingress, IngressRule, IngressServiceBackend } from 'kubernetes-types/networking/v1.js';
import type { ServicePort as KSvcPort } from 'kubernetes-types/core/v1.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import type { PodPlan } from '../plan/pod.js';
import type { PhraseId } from '../../mappings/outcomes.js';
import { TLS_PORTS, httpRoutes, publishedStart, routesOf, type HttpRoute } from '../plan/ports.js';
import type { Service, ServicePort } from '../../model/types.js';
import { FactKey } from '../facts.js';
import { targetPortName } from './service-ports.js';
import { effectiveOptions } from '../intent/overrides.js';
import type { HeaderMatch } from '../intent/overrides-types.js';
import { ingressRequest, type RouteRef } from '../intent/dialect.js';
import { mountedTexts } from '../network/reach.js';
import { parseBytes } from '../../load/normalize/units.js';

export { httpRoutes, type HttpRoute } from '../plan/ports.js';

/** Hosts of every route of the project, decided once. */
const ROUTE_HOSTS = new FactKey<Map<string, string | undefined>>();

/**
 * Host of each route of the project (undefined = rule without host), keyed by routeKey. Routes whose service sets
 * its own hosts (x-k8s/kompose/Traefik) are left out here and do not count.
 */
export function routeHosts(ctx: ConvertContext): Map<string, string | undefined> {
  return ctx.facts.get(ROUTE_HOSTS, () => decideHosts(ctx, httpRoutes(ctx)));
}

function decideHosts(ctx: ConvertContext, routes: HttpRoute[]): Map<string, string | undefined> {
  const hosts = new Map<string, string | undefined>();
  const given = effectiveOptions(ctx).ingressHost;
  // Hosts a dialect sets: a service's own ones (podRoutes), or none, or --ingress-host, for an Ingress asked for
  // without a host (a catch-all, objects/catch-all.ts).
  const auto = ingressRequest(ctx)?.derived(ctx, routes, (r) => hosts.set(routeKey(r), given)) ?? routes;
  if (auto.length === 1) {
    hosts.set(routeKey(auto[0]!), given);
    return hosts;
  }
  const domain = hostDomain(given);
  const seen = new Set<string>();
  for (const r of auto) {
    const label = ctx.serviceName(r.service);
    const host = seen.has(label)
      ? `${label}-${publishedStart(r.port) ?? r.port.target}.${domain}`
      : `${label}.${domain}`;
    seen.add(label);
    hosts.set(routeKey(r), host);
  }
  return hosts;
}

/** A route's key in routeHosts' map. */
export const routeKey = (r: HttpRoute): string => `${r.service.name}\0${r.index}`;

/** The domain generated hosts end in: `--ingress-host` without a leading `*.`, else `localhost`. */
const hostDomain = (given: string | undefined): string => (given ?? 'localhost').replace(/^\*\./, '');

/** ingress-nginx's annotation telling it to speak TLS to the backend. */
const NGINX_BACKEND_PROTOCOL = 'nginx.ingress.kubernetes.io/backend-protocol';

const TRUTHY = new Set(['true', '1', 'yes', 'on', 'enabled', 'enable']);

/**
 * Why the container port serves HTTPS, if it does: a TLS port (443/8443/9443, as container or published
 * port), an enabled `*_SSL_*`/`*_TLS_*`/`*_HTTPS_*` setting, or a healthcheck calling `https://localhost`.
 */
export function tlsBackendEvidence(svc: Service, port: ServicePort): string | undefined {
  if (TLS_PORTS.has(port.target)) return `container port ${port.target} carries TLS`;
  const pub = publishedStart(port);
  if (pub !== undefined && TLS_PORTS.has(pub)) return `published as TLS port ${pub}`;
  for (const [k, v] of Object.entries(svc.environment)) {
    const tokens = k.toUpperCase().split(/[_.-]/);
    if (tokens.some((t) => t === 'SSL' || t === 'TLS' || t === 'HTTPS') && TRUTHY.has(v.trim().toLowerCase()))
      if (!tokens.some((t) => t === 'VERIFY' || t === 'INSECURE' || t === 'SKIP' || t === 'CLIENT')) return `${k}=${v}`;
  }
  const test = (svc.healthcheck?.test ?? []).join(' ');
  const m = /https:\/\/(?:localhost|127\.0\.0\.1)(?::(\d+))?/.exec(test);
  if (m && (m[1] === undefined || Number(m[1]) === port.target)) return `the healthcheck calls ${m[0]}`;
  return undefined;
}

/** ingress-nginx's request-body limit annotation (its default is 1m). */
const NGINX_BODY_SIZE = 'nginx.ingress.kubernetes.io/proxy-body-size';

/** Settings that cap upload size: UPLOAD_MAX_SIZE, MAX_UPLOAD_SIZE, CLIENT_MAX_BODY_SIZE, POST_MAX_SIZE... */
const UPLOAD_NAME =
  /(^|_)(UPLOAD_MAX(_FILE)?_?SIZE|MAX_(UPLOAD|BODY|FILE|POST|REQUEST)(_BODY)?_?SIZE|CLIENT_MAX_BODY_SIZE|POST_MAX_SIZE|UPLOAD_LIMIT|BODY_LIMIT)$/;

/** `100M`, `50MB`, `1g`, `2048k`, `104857600` → MiB (rounded up), by the loader's byte-size rule; undefined when not a size. */
export function sizeInMiB(v: string): number | undefined {
  const bytes = parseBytes(v.trim());
  return bytes === undefined ? undefined : Math.ceil(bytes / 1048576);
}

interface UploadLimit {
  mib: number;
  /** The variable, or the directive, that sets it. */
  name: string;
  value: string;
  /** The mounted config file that sets it (a directive); absent for an environment variable. */
  file?: string;
}

/**
 * Directives in config files the service mounts that cap a request body: nginx `client_max_body_size 50m;`, PHP
 * `upload_max_filesize = 64M` / `post_max_size`, Apache `LimitRequestBody 52428800` (bytes). `0` means no limit.
 */
const BODY_DIRECTIVE =
  /(?:^|[\s;{])(client_max_body_size|upload_max_filesize|post_max_size|LimitRequestBody)\s*=?\s*["']?([0-9.]+[kKmMgGtT]?)["']?\s*(?:;|}|$)/g;

/** The body-size directives of a config file's text, comments (`#`, an ini `;` line) left out. */
function bodyDirectives(text: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const raw of text.split('\n')) {
    if (/^\s*;/.test(raw)) continue;
    const line = raw.replace(/#.*$/, '');
    for (const m of line.matchAll(BODY_DIRECTIVE)) out.push({ name: m[1]!, value: m[2]! });
  }
  return out;
}

/** Largest upload limit the service's environment or mounted config files set, over ingress-nginx's 1 MiB default. */
/**
 * A later verdict on the `ports[i]` item a route came from. A route with no `ports` entry (a Traefik router's, on
 * an unpublished port: index -1) is reported with the router's label (finish/docker-labels.ts) instead.
 */
export function downgradePort(
  ctx: ConvertContext,
  r: RouteRef,
  id: Parameters<ConvertContext['downgrade']>[2],
  values?: Parameters<ConvertContext['downgrade']>[3],
  extra?: Parameters<ConvertContext['downgrade']>[4],
): void {
  if (r.index >= 0) ctx.downgrade(r.service.name, `ports[${r.index}]`, id, values, extra);
}

function uploadLimit(ctx: ConvertContext, svc: Service): UploadLimit | undefined {
  let best: UploadLimit | undefined;
  const consider = (l: UploadLimit): void => {
    if (l.mib > 1 && (!best || l.mib > best.mib)) best = l;
  };
  for (const [k, v] of Object.entries(svc.environment)) {
    if (!UPLOAD_NAME.test(k.toUpperCase())) continue;
    const mib = sizeInMiB(v);
    if (mib !== undefined) consider({ mib, name: k, value: v });
  }
  for (const { label, text } of mountedTexts(ctx, svc)) {
    if (!/client_max_body_size|upload_max_filesize|post_max_size|LimitRequestBody/.test(text)) continue;
    for (const { name, value } of bodyDirectives(text)) {
      // No limit in the proxy: none at the Ingress either (ingress-nginx reads 0 as unlimited).
      const mib = /^0+$/.test(value) ? Infinity : sizeInMiB(value);
      if (mib !== undefined) consider({ mib, name, value, file: label });
    }
  }
  return best;
}

/** One routed path of a pod: host (undefined = any host), path prefix, and the Service port it goes to. */
export interface RoutedPath {
  host?: string;
  path: string;
  /** Only this path (a Traefik `Path(...)`), not the prefix. */
  exact?: boolean;
  /** Only requests with these headers (HTTPRoute only: an Ingress has no header match). */
  headers?: HeaderMatch[];
  port: KSvcPort & { name: string };
}

/** One published HTTP port that got at least one path. */
export interface RoutedPort {
  r: HttpRoute;
  /** Its paths, in order. */
  paths: RoutedPath[];
  /** Its URLs (`https` when a TLS secret is set). */
  urls: string[];
  /** Hosts came from the service's own settings (x-k8s, kompose, Traefik labels). */
  pinned: boolean;
  /** At least one path has a host. */
  anyHost: boolean;
}

/**
 * What the routes of one pod are, whatever object carries them (Ingress or Gateway API HTTPRoute): decided once
 * here, so both builders route the same hosts and paths to the same Service ports. Ports with no Service port and
 * paths another port already took are reported here (the same outcomes for both).
 */
export interface PodRoutes {
  /** The pod's ClusterIP Service (the backend of every path). */
  service: string;
  /** Hosts in first-seen order, each with its paths (undefined host = no host). */
  hosts: Array<{ host?: string; paths: RoutedPath[] }>;
  routed: RoutedPort[];
  className?: string;
  tlsSecret?: string;
  /** Routed ports whose container serves HTTPS, with the evidence. */
  tlsBackends: Array<{ r: HttpRoute; evidence: string }>;
  /** Routed ports whose service raises its upload limit over 1 MiB. */
  limits: Array<{ r: HttpRoute } & UploadLimit>;
}

export function podRoutes(ctx: ConvertContext, plan: PodPlan): PodRoutes | undefined {
  const opts = effectiveOptions(ctx);
  // Routes in project order (services by name, ports in order), like httpRoutes lists them.
  const mine = plan.services
    .map((s) => s.name)
    .sort()
    .flatMap((n) => routesOf(ctx, n));
  if (mine.length === 0) return undefined;
  const hosts = routeHosts(ctx);
  const svcName = ctx.serviceName(plan.main);
  const kservice = ctx.find('Service', svcName);
  const sports = ((kservice?.spec as { ports?: KSvcPort[] } | undefined)?.ports ?? []) as KSvcPort[];
  const byHost: PodRoutes['hosts'] = [];
  const routed: RoutedPort[] = [];
  const pinnedDone = new Set<string>();
  const tlsBackends: PodRoutes['tlsBackends'] = [];
  let className = opts.ingressClass;
  let tlsSecret = opts.ingressTlsSecret;
  for (const r of mine) {
    const at = { pos: ctx.servicePos(r.service, 'ports', r.index) };
    const tp = targetPortName(plan, r.service, r.port.target, 'tcp');
    const sp = sports.find((q) => q.targetPort === tp && (q.protocol ?? 'TCP') === 'TCP');
    if (!sp?.name) {
      downgradePort(ctx, r, 'ports.ingress-no-service-port', { port: r.port.published ?? r.port.target }, at);
      continue;
    }
    const port = sp as KSvcPort & { name: string };
    // A service's own ingress (x-k8s/kompose/Traefik): its class and TLS Secret; its hosts go to the route of the
    // port they name (a Traefik router's service port), the rest to its first route; its other routes get derived
    // hosts.
    const own = ingressRequest(ctx)?.own(ctx, r, pinnedDone, opts.ingressHost);
    className = own?.className ?? className;
    tlsSecret = own?.tlsSecret ?? tlsSecret;
    const pinned = own?.rules;
    const key = routeKey(r);
    const wanted: Array<{ host?: string; path?: string; exact?: boolean; headers?: HeaderMatch[] }> = pinned ?? [
      {
        host: hosts.has(key)
          ? hosts.get(key)
          : `${ctx.serviceName(r.service)}-${r.port.target}.${hostDomain(opts.ingressHost)}`,
      },
    ];
    const urls: string[] = [];
    const paths: RoutedPath[] = [];
    for (const w of wanted) {
      const host = w.host;
      const path = w.path ?? '/';
      const group = byHost.find((x) => x.host === host);
      const headers = w.headers?.length ? w.headers : undefined;
      if (group?.paths.some((x) => x.path === path && JSON.stringify(x.headers) === JSON.stringify(headers))) {
        downgradePort(
          ctx,
          r,
          'ports.ingress-already-routed',
          { port: r.port.published ?? r.port.target, host: host ?? 'any host', path },
          at,
        );
        continue;
      }
      const entry: RoutedPath = {
        ...(host ? { host } : {}),
        path,
        ...(w.exact ? { exact: true } : {}),
        ...(headers ? { headers } : {}),
        port,
      };
      if (group) group.paths.push(entry);
      else byHost.push({ ...(host ? { host } : {}), paths: [entry] });
      paths.push(entry);
      urls.push(`${tlsSecret ? 'https' : 'http'}://${host ?? '<ingress address>'}${path}`);
    }
    if (!urls.length) continue;
    routed.push({ r, paths, urls, pinned: !!pinned, anyHost: wanted.some((w) => w.host) });
    const evidence = tlsBackendEvidence(r.service, r.port);
    if (evidence) tlsBackends.push({ r, evidence });
  }
  if (byHost.length === 0) return undefined;
  const limits = routed.flatMap(({ r }) => {
    const l = uploadLimit(ctx, r.service);
    return l ? [{ r, ...l }] : [];
  });
  return {
    service: svcName,
    hosts: byHost,
    routed,
    ...(className ? { className } : {}),
    ...(tlsSecret ? { tlsSecret } : {}),
    tlsBackends,
    limits,
  };
}

/**
 * How the report says a routed port is reached: a phrase of report.yaml, `instead of host port {published}` (the
 * entry's value) or `as requested`.
 */
export function routedVia(r: HttpRoute): PhraseId {
  return r.port.published ? 'via.host-port' : 'via.requested';
}

export function buildIngress(ctx: ConvertContext, plan: PodPlan): void {
  const routes = podRoutes(ctx, plan);
  if (!routes) return;
  const opts = effectiveOptions(ctx);
  const svcName = routes.service;
  const ref = `Ingress/${svcName}`;
  const { className, tlsSecret, routed } = routes;
  const rules: IngressRule[] = routes.hosts.map((h) => {
    // Stores, not `{ ...(host ? { host } : {}), http }`: V8 gives each object of a literal opening with a spread a
    // hidden class of its own.
    const rule: IngressRule = h.host ? { host: h.host } : {};
    rule.http = {
      // Header matches exist only with --ingress gateway (an Ingress path has none).
      paths: h.paths
        .filter((p) => !p.headers)
        .map((p) => ({
          path: p.path,
          pathType: p.exact ? ('Exact' as const) : ('Prefix' as const),
          backend: { service: { name: svcName, port: { name: p.port.name } } satisfies IngressServiceBackend },
        })),
    };
    return rule;
  });
  const ruleHosts = [...new Set(rules.map((x) => x.host).filter((h): h is string => !!h))];
  const spec: NonNullable<Ingress['spec']> = {
    ...(className ? { ingressClassName: className } : {}),
    ...(tlsSecret ? { tls: [{ ...(ruleHosts.length ? { hosts: ruleHosts } : {}), secretName: tlsSecret }] } : {}),
    rules,
  };
  // One Ingress per pod: a TLS backend makes the annotation apply to all its routes (ingress-nginx has no
  // per-path protocol), which the report says. Set for ingress-nginx classes and for the default class.
  const nginxLike = !className || /nginx/i.test(className);
  const limits = routes.limits;
  const biggest = limits.reduce((a, b) => Math.max(a, b.mib), 0);
  const annotations: Record<string, string> = {};
  if (nginxLike && routes.tlsBackends.length) annotations[NGINX_BACKEND_PROTOCOL] = 'HTTPS';
  if (nginxLike && biggest) annotations[NGINX_BODY_SIZE] = biggest === Infinity ? '0' : `${biggest}m`;
  const obj: Ingress & KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: ctx.meta(svcName, ctx.labels(plan.main), annotations),
    spec,
  };
  ctx.emit(obj);
  for (const { r, urls, pinned, anyHost } of routed)
    downgradePort(
      ctx,
      r,
      anyHost
        ? opts.ingressHost || pinned
          ? 'ports.ingress-host'
          : 'ports.ingress-generated-host'
        : 'ports.ingress-any-host',
      {
        published: r.port.published ?? '-',
        target: r.port.target,
        reason: r.reason,
        ...r.reasonValues,
        ref,
        urls: urls.join(', '),
        via: routedVia(r),
      },
      { pos: ctx.servicePos(r.service, 'ports', r.index), objects: [ref, `Service/${svcName}`] },
    );
  if (!className) for (const { r } of routed) downgradePort(ctx, r, 'ports.ingress-default-class', { ref });
  // Catch-all rules of other pods' Ingresses on the same host and path `/` (objects/catch-all.ts).
  ingressRequest(ctx)?.clashes(ctx, plan, routed, ref);
  for (const l of limits)
    downgradePort(ctx, l.r, l.file ? 'ports.ingress-body-size-config' : 'ports.ingress-body-size', {
      ref,
      name: l.name,
      value: l.value,
      file: l.file ?? '',
      annotation: NGINX_BODY_SIZE,
      size: biggest === Infinity ? '0 (no limit)' : `${biggest}m`,
      set: nginxLike ? 'body-limit.set' : 'body-limit.not-nginx',
      className: className ?? '',
    });
  // Last, so the entry keeps this outcome's id (the more specific one).
  for (const { r, evidence } of routes.tlsBackends)
    downgradePort(ctx, r, className && nginxLike ? 'ports.ingress-tls-backend' : 'ports.ingress-tls-backend-unknown', {
      ref,
      evidence,
      target: r.port.target,
      annotation: NGINX_BACKEND_PROTOCOL,
      class: className ?? "cluster's default",
      set: nginxLike ? 'tls-backend.set' : 'tls-backend.none',
    });
}
