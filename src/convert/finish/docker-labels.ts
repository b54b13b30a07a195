/**
 * Labels that carried behaviour for a Docker-bound helper (intent/docker-labels/ reads them) get their own
 * report entries, so they never pass silently as pod annotations: each Traefik router says which Ingress
 * rules (or HTTPRoutes, with --ingress gateway) it became or why none (ofelia jobs: objects/cronjobs.ts), and
 * which of its middlewares the HTTPRoute filters carry (intent/docker-labels/filters.ts traefikFilters decides it once) or
 * are not applied; Traefik labels that configure something else (middlewares, TLS resolvers...) are listed as not
 * carried.
 */
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import type { Values } from '../book.js';
import { routesOf } from '../plan/ports.js';
import { isInternal, traefikRouting, type Diversion, type TraefikRouter } from '../intent/docker-labels/routing.js';
import { traefikFilters, traefikRouteFilters, type TraefikCarried } from '../intent/docker-labels/filters.js';
import type { IngressRuleOverride } from '../intent/overrides-types.js';
import { dockerHelpers } from '../plan/docker-helpers.js';
import { httpRoutesOf } from '../objects/httproute.js';
import { gatewayLabel } from '../intent/options.js';
import type { Service } from '../../model/types.js';
import { healthcheckActive } from '../../model/healthcheck.js';
import { serviceOverrides } from '../intent/overrides.js';

/** Traefik labels the router entries account for. */
const ROUTER_PARTS =
  /^traefik\.(enable|http\.routers\.[^.]+\.(rule|entrypoints|service|tls|priority|middlewares)|http\.services\.[^.]+\.loadbalancer\.server\.port)$/;

/** The labels of a middleware that HTTPRoute filters can carry (traefikFilters): prefixes stripped, custom headers. */
const FILTER_LABEL =
  /^traefik\.http\.middlewares\.([^.]+)\.(?:stripprefix\.prefixes|headers\.custom(?:request|response)headers\..+)$/i;

/** The HTTPRoute filter types of Extended support (not Core, as RequestHeaderModifier is) that traefikFilters emits. */
const EXTENDED_FILTERS = ['URLRewrite', 'ResponseHeaderModifier'];

/** What a request misses when a middleware of this type is not applied (types not listed: `its <type> settings`). */
const MIDDLEWARE_EFFECTS: Readonly<Record<string, string>> = {
  stripprefix: 'the path prefix is no longer stripped',
  stripprefixregex: 'the path prefix is no longer stripped',
  replacepath: 'the path is no longer rewritten',
  replacepathregex: 'the path is no longer rewritten',
  addprefix: 'no prefix is added to the path',
  redirectscheme: 'HTTP is no longer redirected to HTTPS',
  redirectregex: 'no redirect',
  ratelimit: 'no rate limit',
  inflightreq: 'no limit on concurrent requests',
  headers: 'its response/request headers are not set',
  compress: 'responses are not compressed',
  buffering: 'no body size limit',
};

export function reportDockerLabels(ctx: ConvertContext, plans: PodPlan[]): void {
  const helpers = dockerHelpers(ctx);
  const traefikDropped = [...helpers.values()].some((h) => h.proxy === 'traefik');
  const routing = traefikRouting(ctx);
  // The middlewares each routed router's HTTPRoute rules carry as filters (traefikFilters, decided once), where the
  // service's routes hold the router's rules with those filters (x-k8s hosts replace them), found first: the
  // middleware's labels that the filters carry are then the router entry's, whichever service defines them.
  const carriedBy = new Map<TraefikRouter, TraefikCarried>();
  for (const [r, c] of traefikFilters(ctx).carried)
    if (r.rules!.every((x) => filteredOn(ctx, c.service, x))) carriedBy.set(r, c);
  const carried = new Set(
    [...carriedBy.values()].flatMap((c) => [...c.middlewares.keys()].map((m) => m.split('@')[0]!)),
  );
  for (const plan of plans)
    for (const svc of plan.services) {
      const routes = routesOf(ctx, svc.name);
      const gateway = ctx.options.ingress === 'gateway' ? ctx.options.gateway : undefined;
      const refs = routeRefs(ctx, plan.main.name);
      const ref = refs.join(', ');
      const ingress = refs.length > 0;
      // The unpublished container port a router's rules go to (its service's port, else the first such route).
      const viaOf = (port: number | undefined): string => {
        const u = routes.find((x) => x.index < 0 && x.port.target === port) ?? routes.find((x) => x.index < 0);
        return u
          ? `, on container port ${u.port.target} (from ${u.from ?? 'the ingress port'}; compose does not publish it)`
          : '';
      };
      for (const r of routing.routers.get(svc.name) ?? []) {
        const path = `labels.${r.label}`;
        if (isInternal(r)) {
          ctx.outcome(svc.name, path, 'traefik.router-internal', { router: r.router, service: r.service ?? '' });
          continue;
        }
        if (r.guardedBy) {
          ctx.outcome(svc.name, path, 'traefik.router-auth-unrouted', {
            router: r.router,
            middlewares: r.guardedBy.join(', '),
            rule: r.rule,
          });
          continue;
        }
        if (!r.rules) {
          ctx.outcome(svc.name, path, 'traefik.rule-no-ingress', { router: r.router, why: r.why ?? '' });
          continue;
        }
        if (!routes.length) {
          ctx.outcome(svc.name, path, 'traefik.rule-no-port', {
            router: r.router,
            service: svc.name,
            label: r.portLabel,
            named: r.service
              ? ` it names Traefik service ${r.service}, whose port no label of ${svc.name} sets (${r.portLabel});`
              : '',
          });
          continue;
        }
        if (!ingress) {
          const why = `no ${gateway ? 'HTTPRoute' : 'Ingress'} was made for ${svc.name}`;
          ctx.outcome(svc.name, path, 'traefik.rule-no-ingress', { router: r.router, why });
          continue;
        }
        const where = r.rules.map((x) => `${x.host ?? '<any host>'}${x.path ?? '/'}`).join(', ');
        const via = viaOf(r.port);
        const tlsBy = r.tlsBy ?? 'tls / certresolver';
        const objects = [...refs, `Service/${ctx.serviceName(plan.main)}`];
        const found = routing.diverted.get(`${svc.name}\0${r.router}`);
        // Middlewares the HTTPRoute rules carry as filters are said so, not listed among those not applied.
        const mine = carriedBy.get(r)?.middlewares;
        // The filter types of Extended support it uses, by name (`URLRewrite hostname` is a URLRewrite).
        const types = new Set([...(mine?.values() ?? [])].flatMap(({ as }) => as.map((a) => a.split(' ')[0])));
        const extended = EXTENDED_FILTERS.filter((t) => types.has(t));
        const filtered: Values = mine
          ? {
              filters: 'route.filters',
              carried: [...mine].map(([m, { as }]) => `${m} → ${as.join(' + ')}`).join(', '),
              extended: extended.length ? 'route.extended' : 'route.none',
              extendedTypes: extended.join(', '),
            }
          : { filters: 'route.none' };
        if (found) {
          // A diversion holds only where the target's Ingress took its Traefik rules (x-k8s/kompose hosts replace them).
          const held = (d: Diversion): boolean =>
            ingressHas(ctx, d.service, { ...d, ...(d.header ? { headers: [d.header] } : {}) }) &&
            routesOf(ctx, d.service).length > 0;
          const diverted = {
            to: found.to.filter(held),
            left: [
              ...found.left,
              ...found.to
                .filter((d) => !held(d))
                .map(
                  (d) =>
                    `${d.host ?? '<any host>'}${d.path} for ${d.service}, whose own ingress settings (or missing port) leave it unrouted`,
                ),
            ],
          };
          const others = [...new Set(diverted.to.map((d) => d.service))].flatMap((s) =>
            routeRefs(ctx, ctx.index.ownerOf(s)),
          );
          ctx.outcome(
            svc.name,
            path,
            diverted.left.length ? 'traefik.rule-negated-partial' : 'traefik.rule-negated-routed',
            {
              router: r.router,
              where,
              ref,
              via,
              excluded: (r.excluded ?? []).map((e) => e.text).join(' && ') || 'none',
              to: diverted.to.length
                ? diverted.to
                    .map(
                      (d) =>
                        `${d.host ?? '<any host>'}${d.path}${d.exact ? ' (exact)' : ''}${
                          d.header
                            ? ` with header ${d.header.name} ${d.header.regex ? 'matching' : '='} ${d.header.value}`
                            : ''
                        } → ${d.service} (router ${d.router})`,
                    )
                    .join(', ')
                : 'none',
              left: diverted.left.join('; '),
              tls: r.tls ? `; its TLS (${tlsBy}) is not set up here (${TLS_HINT})` : '',
              ...filtered,
            },
            { objects: [...new Set([...objects, ...others])] },
          );
          notApplied(ctx, svc.name, path, r.middlewares, routing.middlewareTypes, mine);
          continue;
        }
        ctx.outcome(
          svc.name,
          path,
          gateway
            ? r.tls
              ? 'traefik.router-route-tls'
              : 'traefik.router-route'
            : r.tls
              ? 'traefik.router-ingress-tls'
              : 'traefik.router-ingress',
          { router: r.router, where, ref, via, tlsBy, gateway: gateway ? gatewayLabel(gateway) : '', ...filtered },
          { objects },
        );
        notApplied(ctx, svc.name, path, r.middlewares, routing.middlewareTypes, mine);
      }
      helperLabels(ctx, svc);
      if (traefikDropped || routing.routers.get(svc.name)?.length)
        for (const label of Object.keys(svc.labels).sort())
          if (
            label.startsWith('traefik.') &&
            !ROUTER_PARTS.test(label) &&
            !carried.has(FILTER_LABEL.exec(label)?.[1] ?? '')
          )
            ctx.outcome(svc.name, `labels.${label}`, 'traefik.label-not-carried', { label });
    }
}

/**
 * A routed router's middlewares, which the Ingress / HTTPRoute does not apply (those its filters carry whole are
 * left out, one carried in part lists the options left): the router's entry is downgraded.
 */
function notApplied(
  ctx: ConvertContext,
  service: string,
  path: string,
  middlewares: readonly string[] | undefined,
  types: ReadonlyMap<string, string>,
  carried?: TraefikCarried['middlewares'],
): void {
  const effects = (middlewares ?? []).flatMap((m) => {
    const type = types.get(m.split('@')[0]!);
    const part = carried?.get(m);
    if (part) return part.left.length ? [`${m} (${type}: its ${part.left.join(', ')} settings are not applied)`] : [];
    if (!type) return `${m} (defined outside these labels: if it authenticates, the route is open)`;
    return [`${m} (${type}: ${MIDDLEWARE_EFFECTS[type] ?? `its ${type} settings are not applied`})`];
  });
  if (!effects.length) return;
  // An HTTPRoute has filters of its own for some of them; an Ingress has only its controller's annotations.
  const id = ctx.options.ingress === 'gateway' ? 'traefik.router-middlewares-route' : 'traefik.router-middlewares';
  ctx.downgrade(service, path, id, { middlewares: effects.join('; ') });
}

/**
 * Whether a rule of the ingress of `service` gets the filters of router rule `x` from the HTTPRoute hook
 * (traefikRouteFilters, as objects/httproute.ts asks it): one on its host and path, or, for a rule without host
 * (any host), on its path under a host x-k8s gives.
 */
function filteredOn(ctx: ConvertContext, service: string, x: IngressRuleOverride): boolean {
  const path = x.path ?? '/';
  const filters = (host: string | undefined): string =>
    JSON.stringify(traefikRouteFilters(ctx, service, { host, path, exact: !!x.exact }) ?? []);
  const mine = filters(x.host);
  return !!serviceOverrides(ctx, service).ingress?.rules.some(
    (w) =>
      !w.headers?.length &&
      (w.path ?? '/') === path &&
      !!w.exact === !!x.exact &&
      (x.host === undefined || w.host === x.host) &&
      filters(w.host) === mine,
  );
}

/** Whether the ingress of `service` (every layer: x-k8s hosts replace Traefik's) has this host, path and match. */
function ingressHas(
  ctx: ConvertContext,
  service: string,
  x: Pick<IngressRuleOverride, 'host' | 'path' | 'exact' | 'headers'>,
): boolean {
  const key = (w: typeof x): string => `${w.host}\0${w.path ?? '/'}\0${!!w.exact}\0${JSON.stringify(w.headers ?? [])}`;
  return !!serviceOverrides(ctx, service).ingress?.rules.some((w) => key(w) === key(x));
}

export const TLS_HINT = 'an Ingress certificate: --ingress-tls-secret or cert-manager; a Gateway: an HTTPS listener';

/** The Ingress or HTTPRoutes (with --ingress gateway: `<svc>`, `<svc>-2`...) made for the pod of `owner`. */
export function routeRefs(ctx: ConvertContext, owner: string): string[] {
  if (ctx.options.ingress === 'gateway') return httpRoutesOf(ctx, owner).map((n) => `HTTPRoute/${n}`);
  return ctx.find('Ingress', ctx.serviceName(owner)) ? [`Ingress/${ctx.serviceName(owner)}`] : [];
}

/**
 * Labels read by autoheal, watchtower and Portainer (each its own entry, never silently an annotation): autoheal's
 * restart is the liveness probe the healthcheck gives; watchtower's image updates need an image automation tool.
 */
function helperLabels(ctx: ConvertContext, svc: Service): void {
  for (const label of Object.keys(svc.labels).sort()) {
    const value = String(svc.labels[label]);
    const path = `labels.${label}`;
    if (label === 'autoheal' || label.startsWith('autoheal.')) {
      const live = serviceOverrides(ctx, svc).liveness;
      const probe = live?.disabled ? false : healthcheckActive(svc.healthcheck) || live !== undefined;
      ctx.outcome(svc.name, path, probe ? 'autoheal.liveness' : 'autoheal.no-healthcheck', {
        label,
        value,
        service: svc.name,
      });
    } else if (label.startsWith('com.centurylinklabs.watchtower.'))
      ctx.outcome(svc.name, path, 'watchtower.label', { label, value });
    else if (label.startsWith('io.portainer.')) ctx.outcome(svc.name, path, 'portainer.label', { label });
  }
}
