/**
 * The ports an ingress a dialect requests for a service routes to when none of the service's published ports is
 * HTTP by classification (plan/ports.ts findRoutes): one route per port the rules name (Traefik routers to
 * different services of the labels), else the ingress port, else the first TCP port; a port the service does not
 * publish is a container port, with where it comes from (`unpublishedPort`); and its class, TLS Secret and which
 * of its rules (hosts, paths) go to which route (objects/ingress.ts). Dialect code: only kompose labels, `x-k8s`
 * and Traefik router labels request an ingress, so the dialects carry this (src/convert/dialects.ts,
 * Dialect.ingressRequest) and the lean entry does not bundle it.
 */
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { IngressRequest, RequestedRoute, RouteRef } from '../intent/dialect.js';
import type { IngressOverride, IngressRuleOverride } from '../intent/overrides-types.js';
import { reachOf } from '../network/reach.js';
import { heuristicImage } from './base-image.js';
import { HTTP_PORTS, NON_HTTP_PORTS, routesOf } from './ports.js';
import { serviceOverrides } from '../intent/overrides.js';
import { derivedRoutes, reportCatchAllClash } from '../objects/catch-all.js';

function requestedRoutes(ctx: ConvertContext, svc: Service, ingress: IngressOverride): RequestedRoute[] {
  const out: RequestedRoute[] = [];
  const wants = [...new Set(ingress.rules.map((r) => r.port ?? ingress.port))];
  const route = { service: svc, reason: 'port.ingress-requested', reasonValues: {} } as const;
  for (const want of wants.length ? wants : [ingress.port]) {
    const index = svc.ports.findIndex((p) => p.protocol === 'tcp' && (want === undefined || p.target === want));
    if (index >= 0) {
      if (!out.some((m) => m.index === index)) out.push({ ...route, port: svc.ports[index]!, index });
      continue;
    }
    const found = unpublishedPort(ctx, svc, want, ingress.portFrom);
    if (found && !out.some((m) => m.port.target === found.port))
      out.push({ ...route, port: { target: found.port, protocol: 'tcp' }, index: -1, from: found.from });
  }
  return out;
}

/**
 * The container port an Ingress requested for a service without a matching published port goes to, and where
 * it comes from: the port the request names (Traefik's `loadbalancer.server.port`, `x-k8s.ingress.port`, the port
 * a Docker proxy's settings give, `given`); for
 * a service with Traefik routers, else (as Traefik itself picks the one port a container exposes) its first
 * TCP `expose` port, the ports peers address it on, the ports it says it serves, its image's well-known port.
 */
export function unpublishedPort(
  ctx: ConvertContext,
  svc: Service,
  want: number | undefined,
  given?: { port: number; from: string },
): { port: number; from: string } | undefined {
  if (want !== undefined) {
    const label = Object.keys(svc.labels)
      .filter((k) => TRAEFIK_PORT.test(k) && Number(svc.labels[k]) === want)
      .sort()[0];
    const from = label ? `label ${label}` : given?.port === want ? given.from : 'the ingress port';
    return { port: want, from };
  }
  if (!Object.keys(svc.labels).some((k) => TRAEFIK_RULE.test(k))) return undefined;
  const exposed = svc.expose.find((e) => e.protocol === 'tcp');
  if (exposed) return { port: exposed.target, from: `expose ${exposed.target}` };
  const r = reachOf(ctx, svc.name);
  const pick = (ports: number[]): number | undefined => ports.find((p) => HTTP_PORTS.has(p)) ?? ports[0];
  const referenced = pick([...r.referenced.keys()].filter((p) => !NON_HTTP_PORTS.has(p)));
  if (referenced !== undefined)
    return { port: referenced, from: `peers address it there (${r.referenced.get(referenced)})` };
  const self = pick([...r.self.keys()].filter((p) => !NON_HTTP_PORTS.has(p)));
  if (self !== undefined) return { port: self, from: `it says it serves it (${r.self.get(self)})` };
  const known = pick(r.wellKnown.filter((p) => !NON_HTTP_PORTS.has(p)));
  if (known !== undefined) return { port: known, from: `the well-known port of image ${heuristicImage(ctx, svc)}` };
  return undefined;
}

const TRAEFIK_RULE = /^traefik\.http\.routers\.[^.]+\.rule$/;
const TRAEFIK_PORT = /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/;

/**
 * What a service's own ingress sets for route `r`: class, TLS Secret, and the rules that go to it (those naming its
 * port; unplaced ones go to the first; without a host, `host`).
 */
function ownIngress(
  ctx: ConvertContext,
  r: RouteRef,
  done: Set<string>,
  host: string | undefined,
): ReturnType<IngressRequest['own']> {
  const ingress = serviceOverrides(ctx, r.service.name).ingress;
  if (!ingress) return undefined;
  const { className, tlsSecret } = ingress;
  if (!ingress.rules.length) return { className, tlsSecret };
  const all = routesOf(ctx, r.service.name);
  const portOf = (w: IngressRuleOverride): number | undefined => w.port ?? ingress.port;
  const home = (w: IngressRuleOverride): RouteRef | undefined => all.find((x) => x.port.target === portOf(w));
  const first = !done.has(r.service.name);
  const mine = ingress.rules.filter((w) => {
    const h = home(w);
    return h ? h === r : first;
  });
  done.add(r.service.name);
  return { rules: mine.length ? mine.map((w) => ({ ...w, host: w.host ?? host })) : undefined, className, tlsSecret };
}

export const INGRESS_REQUEST: IngressRequest = {
  routes: requestedRoutes,
  own: ownIngress,
  derived: derivedRoutes,
  clashes: reportCatchAllClash,
};
