/**
 * `--ingress gateway`: the published HTTP ports of a pod → Gateway API HTTPRoutes (gateway.networking.k8s.io/v1)
 * attached to the Gateway of `--gateway NAME[/NAMESPACE]`, instead of an Ingress. The hosts, paths and backends
 * are the Ingress builder's (podRoutes in ingress.ts): same hosts, paths as PathPrefix matches, the pod's
 * ClusterIP Service on the same port (by number: backendRefs take no port names).
 *
 * An HTTPRoute's hostnames apply to all its rules, where an Ingress has rules per host: hosts with the same paths
 * and backends share one route (Traefik's `Host(a) || Host(b)`), other hosts get their own route (`<svc>`,
 * `<svc>-2`...). What an Ingress carried that a route cannot is reported: TLS (a listener of the Gateway
 * terminates it), the IngressClass (the GatewayClass picks the controller), the HTTPS backend annotation
 * (BackendTLSPolicy) and the body-size annotation (implementation policies). A path gets the filters its dialect
 * asks for (Dialect.routeFilters: a Traefik stripprefix's URLRewrite, custom headers' header modifiers).
 */
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import { LABEL_NAME } from '../../kube/object.js';
import type { PodPlan } from '../plan/pod.js';
import { gatewayLabel, gatewayRef } from '../intent/options.js';
import { dialects, type RouteFilter } from '../intent/dialect.js';
import { downgradePort, podRoutes, routedVia, type RoutedPath } from './ingress.js';
import type { PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import type { RoutedPeer } from '../output-modes.js';

export const GATEWAY_API = 'gateway.networking.k8s.io/v1';

/** Gateway API limits (CRD maxItems): hostnames and rules per route. */
const MAX_HOSTNAMES = 16;
const MAX_RULES = 16;

/** The HTTPRoute path rules a CEL validation of the CRD enforces for PathPrefix / Exact values. */
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

/** Why a path cannot be an HTTPRoute PathPrefix value, if it cannot: the phrase `why` (report.yaml) and its values. */
export function routePathProblem(path: string): { why: PhraseId; bad?: string } | undefined {
  if (!path.startsWith('/')) return { why: 'route-path.no-slash' };
  if (path.length > 1024) return { why: 'route-path.too-long' };
  if (!PATH_CHARS.test(path)) return { why: 'route-path.characters' };
  for (const bad of ['//', '/./', '/../', '%2f', '%2F', '#'])
    if (path.includes(bad)) return { why: 'route-path.contains', bad };
  if (path.endsWith('/..') || path.endsWith('/.')) return { why: 'route-path.dot-segment' };
  return undefined;
}

interface HttpRouteRule {
  matches: Array<{
    path: { type: 'PathPrefix' | 'Exact'; value: string };
    headers?: Array<{ type: 'Exact' | 'RegularExpression'; name: string; value: string }>;
  }>;
  filters?: readonly RouteFilter[];
  backendRefs: Array<{ name: string; port: number }>;
}

export interface HttpRouteObject extends KubeObject {
  spec: {
    parentRefs: Array<{ name: string; namespace?: string }>;
    hostnames?: string[];
    rules: HttpRouteRule[];
  };
}

/** Names of the HTTPRoutes a pod got (`<svc>`, `<svc>-2`...): the builder's names, found without a scan. */
export function httpRoutesOf(ctx: ConvertContext, service: string): string[] {
  const out: string[] = [];
  const app = ctx.labels(service)[LABEL_NAME];
  const base = ctx.serviceName(service);
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    const o = ctx.find('HTTPRoute', name);
    if (!o) return out;
    if (o.metadata.labels?.[LABEL_NAME] === app) out.push(name);
  }
}

/**
 * The routed peer of `--ingress gateway` (OutputMode.routedPeer): the Gateway's proxies, assumed to run in the
 * Gateway's namespace (that of `--gateway`, else the routes' own when `--namespace` names it; unknown: any
 * namespace), sending to the routes' backendRefs.
 */
export function gatewayPeer(ctx: ConvertContext): RoutedPeer {
  const backends: RoutedPeer['backends'] = [];
  for (const o of ctx.objects)
    if (o.kind === 'HTTPRoute')
      for (const r of (o as HttpRouteObject).spec.rules) for (const b of r.backendRefs) backends.push([b.name, b.port]);
  const opts = ctx.options;
  // Without --gateway no route was made (option-invalid up front): no backends, nothing admitted.
  if (!opts.gateway) return { suffix: 'ingress', values: {}, backends };
  const namespace = gatewayRef(opts.gateway).namespace ?? opts.namespace;
  const gateway = gatewayLabel(opts.gateway);
  return {
    suffix: 'gateway',
    namespace,
    values: namespace
      ? { gatewayPeers: 'gateway.namespace-pods', assumed: 'gateway.in-namespace', gateway, namespace }
      : { gatewayPeers: 'gateway.any-namespace', assumed: 'gateway.namespace-unknown', gateway },
    backends,
  };
}

export function buildHttpRoutes(ctx: ConvertContext, plan: PodPlan): void {
  const opts = ctx.options;
  if (!opts.gateway) return; // reported as option-invalid up front
  const routes = podRoutes(ctx, plan);
  if (!routes) return;
  const gw = gatewayRef(opts.gateway);
  const gateway = gatewayLabel(opts.gateway);
  const svcName = routes.service;
  const tls = !!routes.tlsSecret;

  // Paths an HTTPRoute cannot hold are left out, each reported on its port.
  const skipped = new Set<RoutedPath>();
  for (const { r, paths } of routes.routed)
    for (const p of paths) {
      const why = routePathProblem(p.path);
      if (!why) continue;
      skipped.add(p);
      const pos = ctx.servicePos(r.service, 'ports', r.index);
      downgradePort(
        ctx,
        r,
        'ports.route-path-invalid',
        { path: p.path, ...why, host: p.host ?? 'any host' },
        pos ? { pos } : {},
      );
    }

  // The filters the service's dialect asks for on a path's rule (a Traefik router's middlewares).
  const hook = dialects(ctx).find((d) => d.routeFilters)?.routeFilters;
  const filtersOf = new Map<RoutedPath, readonly RouteFilter[]>();
  if (hook)
    for (const { r, paths } of routes.routed)
      for (const p of paths) {
        const f = hook(ctx, r.service.name, p);
        if (f) filtersOf.set(p, f);
      }

  // Hosts with the same paths and backends share a route; a route has at most 16 hostnames and 16 rules.
  type Group = { hostnames: string[]; paths: RoutedPath[]; key: string };
  const groups: Group[] = [];
  for (const h of routes.hosts) {
    const paths = h.paths.filter((p) => !skipped.has(p));
    if (!paths.length) continue;
    const key = paths
      .map((p) => `${p.path}\0${p.port.port}\0${JSON.stringify([p.headers ?? [], filtersOf.get(p) ?? []])}`)
      .join('\n');
    const same = h.host
      ? groups.find((g) => g.key === key && g.hostnames.length > 0 && g.hostnames.length < MAX_HOSTNAMES)
      : undefined;
    if (same) same.hostnames.push(h.host!);
    else
      for (let i = 0; i < paths.length; i += MAX_RULES)
        groups.push({ hostnames: h.host ? [h.host] : [], paths: paths.slice(i, i + MAX_RULES), key });
  }
  if (!groups.length) return;

  // Route name per path, for the report.
  const refOf = new Map<RoutedPath, string>();
  let n = 0;
  for (const g of groups) {
    let name: string;
    do {
      n++;
      name = n === 1 ? svcName : `${svcName}-${n}`;
    } while (ctx.find('HTTPRoute', name));
    const obj: HttpRouteObject = {
      apiVersion: GATEWAY_API,
      kind: 'HTTPRoute',
      metadata: ctx.meta(name, ctx.labels(plan.main)),
      spec: {
        parentRefs: [{ name: gw.name, ...(gw.namespace ? { namespace: gw.namespace } : {}) }],
        ...(g.hostnames.length ? { hostnames: g.hostnames } : {}),
        rules: g.paths.map((p) => ({
          matches: [
            {
              path: { type: p.exact ? 'Exact' : 'PathPrefix', value: p.path },
              ...(p.headers
                ? {
                    headers: p.headers.map((h) => ({
                      type: h.regex ? ('RegularExpression' as const) : ('Exact' as const),
                      name: h.name,
                      value: h.value,
                    })),
                  }
                : {}),
            },
          ],
          ...(filtersOf.has(p) ? { filters: filtersOf.get(p) } : {}),
          backendRefs: [{ name: svcName, port: p.port.port }],
        })),
      },
    };
    ctx.emit(obj);
    for (const p of g.paths) refOf.set(p, `HTTPRoute/${name}`);
    // The other hosts of the group share the paths of the first.
    for (const h of routes.hosts)
      if (h.host && g.hostnames.includes(h.host))
        for (const p of h.paths) if (!refOf.has(p) && !skipped.has(p)) refOf.set(p, `HTTPRoute/${name}`);
  }

  const routeNs = opts.namespace;
  // The listener a route needs, in phrases of report.yaml (route.none where a part does not apply).
  const admits: Values =
    gw.namespace && gw.namespace !== routeNs
      ? routeNs
        ? { admits: 'route.admits-namespace', routeNamespace: routeNs }
        : { admits: 'route.admits-applied' }
      : { admits: 'route.none' };
  for (const { r, paths, pinned, anyHost } of routes.routed) {
    const mine = paths.filter((p) => refOf.has(p));
    if (!mine.length) continue;
    const refs = [...new Set(mine.map((p) => refOf.get(p)!))];
    const ref = refs.join(', ');
    const hosts = [...new Set(mine.map((p) => p.host).filter((h): h is string => !!h))];
    const pos = ctx.servicePos(r.service, 'ports', r.index);
    const at = pos ? { pos } : {};
    const listener: Values = {
      listener: 'route.listener',
      ...(hosts.length ? { forHosts: 'route.for-hosts', listenerHosts: hosts.join(', ') } : { forHosts: 'route.none' }),
      listenerProtocol: tls ? 'HTTPS' : 'HTTP',
      ...admits,
    };
    downgradePort(
      ctx,
      r,
      anyHost
        ? opts.ingressHost || pinned
          ? 'ports.route-host'
          : 'ports.route-generated-host'
        : 'ports.route-any-host',
      {
        published: r.port.published ?? '-',
        target: r.port.target,
        reason: r.reason,
        ...r.reasonValues,
        ref,
        gateway,
        urls: mine.map((p) => `${tls ? 'https' : 'http'}://${p.host ?? '<gateway address>'}${p.path}`).join(', '),
        via: routedVia(r),
        ...listener,
      },
      { ...at, objects: [...refs, `Service/${svcName}`] },
    );
    if (routes.className)
      downgradePort(ctx, r, 'ports.route-ingress-class', {
        class: routes.className,
        ref,
        gateway,
      });
    if (routes.tlsSecret) {
      const grant: Values =
        gw.namespace && gw.namespace !== routeNs
          ? { grant: 'route.grant', gatewayNamespace: gw.namespace }
          : { grant: 'route.none' };
      downgradePort(ctx, r, 'ports.route-tls', {
        secret: routes.tlsSecret,
        ref,
        gateway,
        hosts: hosts.length ? hosts.join(', ') : 'its hosts',
        ...grant,
      });
    }
  }
  const routedPort = (r: (typeof routes.routed)[number]['r']): string | undefined => {
    const p = routes.routed.find((x) => x.r === r)?.paths.find((x) => refOf.has(x));
    return p ? refOf.get(p) : undefined;
  };
  const biggest = routes.limits.reduce((a, b) => Math.max(a, b.mib), 0);
  for (const l of routes.limits) {
    const ref = routedPort(l.r);
    if (ref)
      downgradePort(ctx, l.r, 'ports.route-body-size', {
        ref,
        name: l.name,
        value: l.value,
        size: biggest === Infinity ? '0 (no limit)' : `${biggest}m`,
      });
  }
  // Last, so the entry keeps this outcome's id (the more specific one).
  for (const { r, evidence } of routes.tlsBackends) {
    const ref = routedPort(r);
    const port = routes.routed.find((x) => x.r === r)?.paths[0]?.port.port;
    if (ref && port !== undefined)
      downgradePort(ctx, r, 'ports.route-backend-tls', {
        ref,
        evidence,
        target: r.port.target,
        service: svcName,
        port,
      });
  }
}
