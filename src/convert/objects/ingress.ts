/**
 * Published HTTP ports → one Ingress per pod, routing to the pod's ClusterIP Service by port name.
 *
 * Hosts: when the whole project has exactly one HTTP port, its rule uses `--ingress-host` as is (or
 * no host). With several, every port gets its own host so `/` never collides between Ingresses:
 * `<svc>.<host>` for a service's first HTTP port, `<svc>-<published>.<host>` for further ones
 * (`<host>` defaults to `localhost`, which resolves to the local machine for kind/k3d/minikube
 * tunnels). Paths are not used to split because apps rarely expect to run under a prefix.
 */
import type { Ingress, IngressRule, IngressServiceBackend } from 'kubernetes-types/networking/v1.js';
import type { ServicePort as KSvcPort } from 'kubernetes-types/core/v1.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import type { PodPlan } from '../plan/pod.js';
import { TLS_PORTS, httpRoutes, publishedStart, routesOf, type HttpRoute } from '../plan/ports.js';
import type { Service, ServicePort } from '../../model/types.js';
import { FactKey } from '../facts.js';
import { targetPortName } from './services.js';
import { effectiveOptions, serviceOverrides } from '../intent/overrides.js';

export { httpRoutes, type HttpRoute } from '../plan/ports.js';

/**
 * Host of each route (undefined = rule without host), keyed by `service\0index`. Routes whose
 * service sets its own hosts (x-k8s/kompose) are left out here and do not count.
 */
/** Hosts of every route of the project, decided once. */
const ROUTE_HOSTS = new FactKey<Map<string, string | undefined>>('route hosts');

export function routeHosts(ctx: ConvertContext, routes: HttpRoute[]): Map<string, string | undefined> {
  const hosts = new Map<string, string | undefined>();
  const given = effectiveOptions(ctx).ingressHost;
  const auto = routes.filter((r) => !serviceOverrides(ctx, r.service).ingress?.rules.length);
  if (auto.length === 1) {
    hosts.set(`${auto[0]!.service.name}\0${auto[0]!.index}`, given);
    return hosts;
  }
  const domain = (given ?? 'localhost').replace(/^\*\./, '');
  const seen = new Set<string>();
  for (const r of auto) {
    const label = ctx.serviceName(r.service);
    const host = seen.has(label)
      ? `${label}-${publishedStart(r.port) ?? r.port.target}.${domain}`
      : `${label}.${domain}`;
    seen.add(label);
    hosts.set(`${r.service.name}\0${r.index}`, host);
  }
  return hosts;
}

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
  for (const [k, v] of Object.entries(svc.environment ?? {})) {
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

/** `100M`, `50MB`, `1g`, `2048k`, `104857600` → MiB (rounded up); undefined when not a size. */
export function sizeInMiB(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(v);
  if (!m) return undefined;
  const unit = m[2]!.toLowerCase();
  const f = unit === 'k' ? 1 / 1024 : unit === 'm' ? 1 : unit === 'g' ? 1024 : unit === 't' ? 1024 * 1024 : 1 / 1048576;
  return Math.ceil(Number(m[1]) * f);
}

/** Largest upload limit the service's environment sets, over ingress-nginx's 1 MiB default. */
function uploadLimit(svc: Service): { mib: number; name: string; value: string } | undefined {
  let best: { mib: number; name: string; value: string } | undefined;
  for (const [k, v] of Object.entries(svc.environment ?? {})) {
    if (!UPLOAD_NAME.test(k.toUpperCase())) continue;
    const mib = sizeInMiB(v);
    if (mib !== undefined && mib > 1 && (!best || mib > best.mib)) best = { mib, name: k, value: v };
  }
  return best;
}

export function buildIngress(ctx: ConvertContext, plan: PodPlan): void {
  const opts = effectiveOptions(ctx);
  // Routes in project order (services by name, ports in order), like httpRoutes lists them.
  const mine = plan.services
    .map((s) => s.name)
    .sort()
    .flatMap((n) => routesOf(ctx, n));
  if (mine.length === 0) return;
  const hosts = ctx.facts.get(ROUTE_HOSTS, () => routeHosts(ctx, httpRoutes(ctx)));
  const svcName = ctx.serviceName(plan.main);
  const kservice = ctx.find('Service', svcName);
  const sports = ((kservice?.spec as { ports?: KSvcPort[] } | undefined)?.ports ?? []) as KSvcPort[];
  const name = svcName;
  const ref = `Ingress/${name}`;
  const rules: IngressRule[] = [];
  const pending: Array<() => void> = [];
  const routed: typeof mine = [];
  const pinnedDone = new Set<string>();
  const tlsRoutes: Array<{ r: HttpRoute; evidence: string }> = [];
  let className = opts.ingressClass;
  let tlsSecret = opts.ingressTlsSecret;
  for (const r of mine) {
    const pos = ctx.servicePos(r.service, 'ports', r.index);
    const at = pos ? { pos } : {};
    const tp = targetPortName(plan, r.service, r.port.target, 'tcp');
    const sp = sports.find((q) => q.targetPort === tp && (q.protocol ?? 'TCP') === 'TCP');
    if (!sp?.name) {
      if (r.index >= 0)
        ctx.downgrade(
          r.service.name,
          `ports[${r.index}]`,
          'ports.ingress-no-service-port',
          { port: r.port.published ?? r.port.target },
          at,
        );
      continue;
    }
    const ov = serviceOverrides(ctx, r.service).ingress;
    if (ov?.className) className = ov.className;
    if (ov?.tlsSecret) tlsSecret = ov.tlsSecret;
    const backend = { service: { name: svcName, port: { name: sp.name } } satisfies IngressServiceBackend };
    // A service's own hosts (x-k8s/kompose) go to its first route; its other routes get derived hosts.
    const pinned = ov?.rules.length && !pinnedDone.has(r.service.name) ? ov.rules : undefined;
    if (pinned) pinnedDone.add(r.service.name);
    const key = `${r.service.name}\0${r.index}`;
    const domain = (opts.ingressHost ?? 'localhost').replace(/^\*\./, '');
    const wanted: Array<{ host?: string; path?: string; exact?: boolean }> = pinned
      ? pinned.map((w) => ({ host: w.host ?? opts.ingressHost, path: w.path, exact: w.exact }))
      : [{ host: hosts.has(key) ? hosts.get(key) : `${ctx.serviceName(r.service)}-${r.port.target}.${domain}` }];
    const urls: string[] = [];
    for (const w of wanted) {
      const host = w.host;
      const path = w.path ?? '/';
      const rule = rules.find((x) => x.host === host);
      if (rule?.http?.paths.some((x) => x.path === path)) {
        if (r.index >= 0)
          ctx.downgrade(
            r.service.name,
            `ports[${r.index}]`,
            'ports.ingress-already-routed',
            { port: r.port.published ?? r.port.target, host: host ?? 'any host', path },
            at,
          );
        continue;
      }
      const entry = { path, pathType: w.exact ? ('Exact' as const) : ('Prefix' as const), backend };
      if (rule) rule.http!.paths.push(entry);
      else rules.push({ ...(host ? { host } : {}), http: { paths: [entry] } });
      urls.push(`${tlsSecret ? 'https' : 'http'}://${host ?? '<ingress address>'}${path}`);
    }
    if (!urls.length) continue;
    routed.push(r);
    const evidence = tlsBackendEvidence(r.service, r.port);
    if (evidence) tlsRoutes.push({ r, evidence });
    const anyHost = wanted.some((w) => w.host);
    const via = r.port.published ? `instead of host port ${r.port.published}` : 'as requested';
    // A route to an unpublished port (a Traefik router's) is reported with the router's label (finish/docker-labels.ts).
    if (r.index >= 0)
      pending.push(() =>
        ctx.downgrade(
          r.service.name,
          `ports[${r.index}]`,
          anyHost
            ? opts.ingressHost || pinned
              ? 'ports.ingress-host'
              : 'ports.ingress-generated-host'
            : 'ports.ingress-any-host',
          {
            published: r.port.published ?? '-',
            target: r.port.target,
            reason: r.reason,
            ref,
            urls: urls.join(', '),
            via,
          },
          { ...at, objects: [ref, `Service/${svcName}`] },
        ),
      );
  }
  if (rules.length === 0) return;
  const ruleHosts = [...new Set(rules.map((x) => x.host).filter((h): h is string => !!h))];
  const spec: NonNullable<Ingress['spec']> = {
    ...(className ? { ingressClassName: className } : {}),
    ...(tlsSecret ? { tls: [{ ...(ruleHosts.length ? { hosts: ruleHosts } : {}), secretName: tlsSecret }] } : {}),
    rules,
  };
  const obj: Ingress & KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: ctx.meta(name, ctx.labels(plan.main)),
    spec,
  };
  // One Ingress per pod: a TLS backend makes the annotation apply to all its routes (ingress-nginx has no
  // per-path protocol), which the report says. Set for ingress-nginx classes and for the default class.
  const nginxLike = !className || /nginx/i.test(className);
  if (tlsRoutes.length && nginxLike)
    obj.metadata.annotations = { ...obj.metadata.annotations, [NGINX_BACKEND_PROTOCOL]: 'HTTPS' };
  const limits = routed.flatMap((r) => {
    const l = uploadLimit(r.service);
    return l ? [{ r, ...l }] : [];
  });
  const biggest = limits.reduce((a, b) => Math.max(a, b.mib), 0);
  if (biggest && nginxLike)
    obj.metadata.annotations = { ...obj.metadata.annotations, [NGINX_BODY_SIZE]: `${biggest}m` };
  ctx.emit(obj);
  for (const f of pending) f();
  if (!className)
    for (const r of routed)
      if (r.index >= 0) ctx.downgrade(r.service.name, `ports[${r.index}]`, 'ports.ingress-default-class', { ref });
  for (const l of limits)
    if (l.r.index >= 0)
      ctx.downgrade(l.r.service.name, `ports[${l.r.index}]`, 'ports.ingress-body-size', {
        ref,
        name: l.name,
        value: l.value,
        annotation: NGINX_BODY_SIZE,
        size: `${biggest}m`,
        set: nginxLike ? 'set' : `not set (the ${className} class is not ingress-nginx)`,
      });
  // Last, so the entry keeps this outcome's id (the more specific one).
  for (const { r, evidence } of tlsRoutes)
    if (r.index >= 0)
      ctx.downgrade(
        r.service.name,
        `ports[${r.index}]`,
        className && nginxLike ? 'ports.ingress-tls-backend' : 'ports.ingress-tls-backend-unknown',
        {
          ref,
          evidence,
          target: r.port.target,
          annotation: NGINX_BACKEND_PROTOCOL,
          class: className ?? "cluster's default",
          set: nginxLike ? ` (${NGINX_BACKEND_PROTOCOL}: HTTPS is set, for ingress-nginx)` : '',
        },
      );
}
