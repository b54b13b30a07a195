/**
 * The Service type kompose labels or `x-k8s` ask for (`kompose.service.type`, `x-k8s.service.type`, `nodePort`,
 * `externalTrafficPolicy`: service-ports.ts typeOverride), applied to a pod's in-cluster Service (services.ts), and
 * its entries. A LoadBalancer over ports that mix TCP and UDP keeps the Service peers resolve ClusterIP and splits
 * the load balancer by protocol into `<name>-tcp` / `<name>-udp`, as published ports are. Dialect code: without
 * those dialects no type is asked for (published ports go through public-services.ts), so kompose and x-k8s carry
 * it in their OverrideApplier (intent/dialect.ts) and the lean entry does not bundle it.
 */
import type { Service as KService, ServicePort as KServicePort } from 'kubernetes-types/core/v1.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import type { PodPlan } from '../plan/pod.js';
import { addPort, publishedServicePort, targetPortName, typeOverride } from './service-ports.js';
import { reachOf } from '../network/reach.js';

/**
 * The ports of a NodePort / LoadBalancer Service the type asks for: a published port on its host port, as Docker
 * publishes it and the default path's `<name>-public` Service does (`"8080:80"` → port 8080, targetPort the
 * container port), as kompose does too; a container port peers address (`web:80`) is kept beside it, so they
 * still reach it by the service name as in compose. Other ports are kept as they are.
 */
function atPublishedPorts(ctx: ConvertContext, plan: PodPlan, ports: readonly KServicePort[]): KServicePort[] {
  const out: KServicePort[] = [];
  for (const sp of ports) {
    let published: { port: number; service: string } | undefined;
    for (const svc of plan.services) {
      const p = svc.ports.find(
        (q) =>
          q.protocol.toUpperCase() === sp.protocol &&
          publishedServicePort(q) !== undefined &&
          targetPortName(plan, svc, q.target, q.protocol) === sp.targetPort,
      );
      if (p) published = { port: publishedServicePort(p)!, service: svc.name };
      if (published) break;
    }
    if (!published || published.port === sp.port) {
      addPort(out, sp);
      continue;
    }
    if (!addPort(out, { ...sp, port: published.port })) addPort(out, sp);
    else if (reachOf(ctx, published.service).referenced.has(sp.port)) addPort(out, sp);
  }
  return out;
}

/**
 * Give the pod's Service (`obj`, a ClusterIP Service not yet emitted) the type asked for, emit it, and emit the
 * split load balancers (their refs pushed to `lbSplit`); returns the emitted Service.
 */
export function emitTypedService(
  ctx: ConvertContext,
  plan: PodPlan,
  obj: KService & KubeObject,
  headless: boolean,
  lbSplit: string[],
): KubeObject {
  const typed = typeOverride(ctx, plan);
  const spec = obj.spec!;
  const name = obj.metadata.name!;
  const ports = spec.ports ?? [];
  const asked = typed.type === 'NodePort' || typed.type === 'LoadBalancer' ? typed.type : 'ClusterIP';
  const protocols = new Set(ports.map((p) => p.protocol ?? 'TCP'));
  const mixedLb = asked === 'LoadBalancer' && !headless && protocols.has('TCP') && protocols.size > 1;
  const type = mixedLb ? 'ClusterIP' : asked;
  spec.type = type;
  if (type !== 'ClusterIP' && ports.length) spec.ports = atPublishedPorts(ctx, plan, ports);
  const first = spec.ports?.[0];
  if (type === 'NodePort' && typed.nodePort !== undefined && first) {
    if (typed.nodePort >= 30000 && typed.nodePort <= 32767) first.nodePort = typed.nodePort;
    else
      ctx.downgrade(
        plan.main.name,
        'ports',
        'ports.node-port-range',
        { nodePort: typed.nodePort },
        { objects: [`Service/${name}`] },
      );
  }
  if (type !== 'ClusterIP' && typed.externalTrafficPolicy) spec.externalTrafficPolicy = typed.externalTrafficPolicy;
  const emitted = ctx.emit(obj);
  if (mixedLb)
    for (const proto of ['TCP', 'UDP', 'SCTP'] as const) {
      const group = ports.filter((p) => (p.protocol ?? 'TCP') === proto);
      if (!group.length) continue;
      const lbName = ctx.names.get('service', `lb-${proto}\0${plan.main.name}`, 63, `${name}-${proto.toLowerCase()}`);
      const lb: KService & KubeObject = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: ctx.meta(lbName, ctx.labels(plan.main)),
        spec: {
          type: 'LoadBalancer',
          selector: ctx.selector(plan.main),
          ports: atPublishedPorts(ctx, plan, group),
          ...(typed.externalTrafficPolicy ? { externalTrafficPolicy: typed.externalTrafficPolicy } : {}),
        },
      };
      ctx.emit(lb);
      lbSplit.push(`Service/${lbName}`);
    }
  return emitted;
}

/** The entries of the type asked for, once the pod's Services exist (`cluster`: its in-cluster Service). */
export function reportTypedService(
  ctx: ConvertContext,
  plan: PodPlan,
  cluster: KubeObject | undefined,
  lbSplit: readonly string[],
): void {
  if (!cluster) return;
  const typed = typeOverride(ctx, plan);
  const t = (cluster.spec as KService['spec'])!;
  const exposed = t.type === 'NodePort' || t.type === 'LoadBalancer';
  const ref = `Service/${cluster.metadata.name}`;
  if (lbSplit.length) {
    ctx.downgrade(
      plan.main.name,
      'ports',
      'ports.load-balancer-type-split',
      { ref, type: typed.type ?? '', refs: lbSplit.join(', ') },
      { objects: [ref, ...lbSplit] },
    );
    return;
  }
  const multi = typed.nodePort !== undefined && (t.ports?.length ?? 0) > 1;
  ctx.downgrade(
    plan.main.name,
    'ports',
    exposed ? (multi ? 'ports.service-type-first-node-port' : 'ports.service-type') : 'ports.service-type-in-cluster',
    { ref, type: typed.type ?? '', nodePort: typed.nodePort ?? '' },
    { objects: [ref] },
  );
  const protos = new Set((t.ports ?? []).map((p) => p.protocol ?? 'TCP'));
  if (t.type === 'LoadBalancer' && protos.has('TCP') && protos.has('UDP'))
    ctx.downgrade(plan.main.name, 'ports', 'ports.load-balancer-mixed', { ref });
}
