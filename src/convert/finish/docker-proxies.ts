/**
 * The report entries of the routing settings a Docker-discovery proxy other than Traefik read
 * (plan/docker-proxies.ts), once the Ingresses exist: each route (VIRTUAL_HOST, virtual.host, a `caddy` site) says
 * which Ingress rules (or HTTPRoutes, with --ingress gateway) it became, with its TLS as the Traefik router entries
 * say it, or that the public route is lost and how to make it; each setting read with it points at that entry;
 * settings of the proxy the Ingress does not carry say what is lost. Never silently a ConfigMap key or annotation.
 */
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import type { OutcomeId } from '../../mappings/outcomes.js';
import type { Values, OutcomeExtra } from '../book.js';
import { routesOf } from '../plan/ports.js';
import { gatewayLabel } from '../intent/options.js';
import { proxyRoutes, type ProxyRoute } from '../plan/docker-proxies.js';
import { routeRefs } from './docker-labels.js';

export function reportProxyRoutes(ctx: ConvertContext, plans: PodPlan[]): void {
  const all = proxyRoutes(ctx);
  if (!all.size) return;
  const gateway = ctx.options.ingress === 'gateway' ? ctx.options.gateway : undefined;
  for (const plan of plans)
    for (const svc of plan.services) {
      const list = all.get(svc.name);
      if (!list) continue;
      // An item another step already reported (a variable's own entry) gets this verdict on top.
      const put = (path: string, id: OutcomeId, values: Values, extra: OutcomeExtra = {}): void => {
        if (ctx.book.get(svc.name, path)) ctx.downgrade(svc.name, path, id, values, extra);
        else ctx.outcome(svc.name, path, id, values, extra);
      };
      const refs = routeRefs(ctx, plan.main.name);
      const routes = routesOf(ctx, svc.name);
      for (const r of list) {
        const main = r.path.slice(r.path.indexOf('.') + 1);
        const named = { proxy: r.proxy, setting: r.setting, service: svc.name };
        if (r.empty) put(r.path, 'proxy.host-empty', named);
        else if (r.guard) put(r.path, 'proxy.route-auth-unrouted', { ...named, guard: r.guard });
        else if (!r.rules) put(r.path, 'proxy.route-lost', { ...named, why: r.why ?? '' });
        else if (!refs.length || !routes.length)
          put(r.path, 'proxy.route-lost', {
            ...named,
            why: `no ${gateway ? 'HTTPRoute' : 'Ingress'} was made for ${svc.name} (its x-k8s or kompose ingress settings turn it off)`,
          });
        else routed(ctx, r, named, refs, routes, put, plan);
        for (const p of r.parts) put(p.path, 'proxy.setting-part', { setting: p.setting, proxy: r.proxy, main });
        for (const p of r.notCarried)
          put(p.path, 'proxy.setting-not-carried', { setting: p.setting, proxy: r.proxy, effect: p.effect });
      }
    }
}

/** The entry of a route that became Ingress rules (or HTTPRoutes). */
function routed(
  ctx: ConvertContext,
  r: ProxyRoute,
  named: Values,
  refs: readonly string[],
  routes: ReturnType<typeof routesOf>,
  put: (path: string, id: OutcomeId, values: Values, extra?: OutcomeExtra) => void,
  plan: PodPlan,
): void {
  const gateway = ctx.options.ingress === 'gateway' ? ctx.options.gateway : undefined;
  const where = r.rules!.map((x) => `${x.host ?? '<any host>'}${x.path ?? '/'}`).join(', ');
  const u = routes.find((x) => x.index < 0 && x.port.target === r.port);
  const via = u
    ? `, on container port ${u.port.target} (from ${u.from ?? r.portFrom}; compose does not publish it)`
    : '';
  const id: OutcomeId = gateway
    ? r.tls
      ? 'proxy.route-gateway-tls'
      : 'proxy.route-gateway'
    : r.tls
      ? 'proxy.route-ingress-tls'
      : 'proxy.route-ingress';
  put(
    r.path,
    id,
    {
      ...named,
      where,
      ref: refs.join(', '),
      via,
      tls: r.tls ?? '',
      gateway: gateway ? gatewayLabel(gateway) : '',
    },
    { objects: [...refs, `Service/${ctx.serviceName(plan.main)}`] },
  );
  if (r.dropped) ctx.downgrade(String(named.service), r.path, 'proxy.hosts-dropped', { hosts: r.dropped.join(', ') });
}
