/**
 * Catch-all Ingresses: an Ingress a service asks for (kompose.service.expose "true", x-k8s ingress: true) without
 * a host or path has no host of its own, or `--ingress-host`, as kompose makes it: a rule at the controller's address
 * whatever other services do, and two such rules of different pods on `/` clash (the controller serves one). Only
 * those dialects ask for one, so they carry this (intent/dialect.ts IngressRequest, plan/requested-routes.ts) and the
 * lean entry does not bundle it.
 */
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import type { RouteRef } from '../intent/dialect.js';
import { FactKey } from '../facts.js';
import { httpRoutes } from '../plan/ports.js';
import { effectiveOptions, serviceOverrides } from '../intent/overrides.js';
import { downgradePort } from './ingress.js';

/** True when the service asks for an Ingress (kompose.service.expose, x-k8s ingress) and names no host or path. */
function catchAll(ctx: ConvertContext, service: string): boolean {
  const ing = serviceOverrides(ctx, service).ingress;
  return ing?.enabled === true && !ing.rules.length;
}

/**
 * The routes whose hosts objects/ingress.ts derives (IngressRequest.derived): not those of a service that names its
 * own hosts, nor those of a catch-all Ingress, each of which goes to `caught` (it gets `--ingress-host`, or none).
 */
export function derivedRoutes<R extends RouteRef>(
  ctx: ConvertContext,
  routes: readonly R[],
  caught: (r: R) => void,
): R[] {
  for (const r of routes) if (catchAll(ctx, r.service.name)) caught(r);
  return routes.filter(
    (r) => !serviceOverrides(ctx, r.service.name).ingress?.rules.length && !catchAll(ctx, r.service.name),
  );
}

/** The services with a catch-all Ingress (catchAll and routed), found once: their rules all get the same host. */
const CATCH_ALL = new FactKey<string[]>();

function catchAllServices(ctx: ConvertContext): string[] {
  return ctx.facts.get(CATCH_ALL, () => [
    ...new Set(httpRoutes(ctx).flatMap((r) => (catchAll(ctx, r.service.name) ? [r.service.name] : []))),
  ]);
}

/**
 * Once the pod's Ingress `ref` routes `routed` (IngressRequest.clashes): its catch-all rules that other pods'
 * Ingresses also have on the same host and path `/`, where the controller serves one of them.
 */
export function reportCatchAllClash(
  ctx: ConvertContext,
  plan: PodPlan,
  routed: ReadonlyArray<{ r: RouteRef }>,
  ref: string,
): void {
  const mates = new Set(plan.services.map((s) => s.name));
  const others = catchAllServices(ctx).filter((n) => !mates.has(n));
  if (others.length)
    for (const { r } of routed)
      if (catchAll(ctx, r.service.name))
        downgradePort(ctx, r, 'ports.ingress-catch-all-clash', {
          ref,
          others: others.join(', '),
          host: effectiveOptions(ctx).ingressHost ?? 'any host',
        });
}
