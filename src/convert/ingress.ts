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
import type { Service, ServicePort } from '../model/types.js';
import type { ConvertContext, KubeObject } from './context.js';
import type { PodPlan } from './pod.js';
import { classifyPort, isLoopbackOnly, publishedStart } from './ports.js';
import { targetPortName } from './services.js';

export interface HttpRoute {
  service: Service;
  port: ServicePort;
  index: number;
  reason: string;
}

/** Every published HTTP port of the project (services sorted by name, ports in order). */
export function httpRoutes(ctx: ConvertContext): HttpRoute[] {
  const out: HttpRoute[] = [];
  for (const name of Object.keys(ctx.project.services).sort()) {
    const svc = ctx.project.services[name]!;
    svc.ports.forEach((p, index) => {
      if (publishedStart(p) === undefined || isLoopbackOnly(p)) return;
      const cls = classifyPort(svc, p);
      if (cls.http) out.push({ service: svc, port: p, index, reason: cls.reason });
    });
  }
  return out;
}

/** Host of each route (undefined = rule without host), keyed by `service\0index`. */
export function routeHosts(ctx: ConvertContext, routes: HttpRoute[]): Map<string, string | undefined> {
  const hosts = new Map<string, string | undefined>();
  const given = ctx.options.ingressHost;
  if (routes.length === 1) {
    hosts.set(`${routes[0]!.service.name}\0${routes[0]!.index}`, given);
    return hosts;
  }
  const domain = (given ?? 'localhost').replace(/^\*\./, '');
  const seen = new Set<string>();
  for (const r of routes) {
    const label = ctx.serviceName(r.service);
    const host = seen.has(label) ? `${label}-${publishedStart(r.port)}.${domain}` : `${label}.${domain}`;
    seen.add(label);
    hosts.set(`${r.service.name}\0${r.index}`, host);
  }
  return hosts;
}

export function buildIngress(ctx: ConvertContext, plan: PodPlan): void {
  const inPod = new Set(plan.services.map((s) => s.name));
  const all = httpRoutes(ctx);
  const mine = all.filter((r) => inPod.has(r.service.name));
  if (mine.length === 0) return;
  const hosts = routeHosts(ctx, all);
  const svcName = ctx.serviceName(plan.main);
  const kservice = ctx.find('Service', svcName);
  const sports = ((kservice?.spec as { ports?: KSvcPort[] } | undefined)?.ports ?? []) as KSvcPort[];
  const name = svcName;
  const ref = `Ingress/${name}`;
  const rules: IngressRule[] = [];
  const pending: Array<() => void> = [];
  for (const r of mine) {
    const pos = ctx.servicePos(r.service, 'ports', r.index);
    const at = pos ? { pos } : {};
    const tp = targetPortName(plan, r.service, r.port.target, 'tcp');
    const sp = sports.find((q) => q.targetPort === tp && (q.protocol ?? 'TCP') === 'TCP');
    if (!sp?.name) {
      ctx.record(r.service.name, 'ports', 'unsupported', `published port ${r.port.published} has no Service port to route to`, at);
      continue;
    }
    const host = hosts.get(`${r.service.name}\0${r.index}`);
    const backend = { service: { name: svcName, port: { name: sp.name } } satisfies IngressServiceBackend };
    if (rules.some((x) => x.host === host)) {
      ctx.record(r.service.name, 'ports', 'approximated', `published port ${r.port.published} duplicates another route to the same host`, at);
      continue;
    }
    rules.push({ ...(host ? { host } : {}), http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } });
    const url = `${ctx.options.ingressTlsSecret ? 'https' : 'http'}://${host ?? '<ingress address>'}/`;
    pending.push(() =>
      ctx.record(r.service.name, 'ports', 'approximated', `published ${r.port.published}:${r.port.target} (${r.reason}) → ${ref}, reachable at ${url} instead of host port ${r.port.published}`, {
        ...at,
        objects: [ref, `Service/${svcName}`],
        fix: host
          ? `point DNS for ${host} at the ingress controller${ctx.options.ingressHost ? '' : ', or pass --ingress-host'}`
          : 'pass --ingress-host to route a DNS name; without it the rule matches any host',
      }),
    );
  }
  if (rules.length === 0) return;
  const ruleHosts = rules.map((x) => x.host).filter((h): h is string => !!h);
  const spec: NonNullable<Ingress['spec']> = {
    ...(ctx.options.ingressClass ? { ingressClassName: ctx.options.ingressClass } : {}),
    ...(ctx.options.ingressTlsSecret
      ? { tls: [{ ...(ruleHosts.length ? { hosts: ruleHosts } : {}), secretName: ctx.options.ingressTlsSecret }] }
      : {}),
    rules,
  };
  const obj: Ingress & KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: ctx.meta(name, ctx.labels(plan.main)),
    spec,
  };
  ctx.emit(obj);
  for (const f of pending) f();
}
