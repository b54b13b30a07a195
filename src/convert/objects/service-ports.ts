/** Service ports shared by the cluster and public Service builders (and the Ingress): names, dedup, type overrides. */
import type { ContainerPort, ServicePort as KServicePort } from 'kubernetes-types/core/v1.js';
import { portPairs } from '../../model/ports.js';
import type { Service, ServicePort } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { containerPortName, isPublishedRange, publishedStart } from '../plan/ports.js';
import { serviceOverrides } from '../intent/overrides.js';
import { portName } from '../../kube/naming.js';

export type Proto = 'TCP' | 'UDP' | 'SCTP';

/** The named container ports of a service: from its built container, else computed like containers.ts would. */
export function containerPortsOf(plan: PodPlan, svc: Service, used = new Set<string>()): ContainerPort[] {
  const built = plan.containers.get(svc.name)?.ports;
  if (built?.length) return built;
  const out: ContainerPort[] = [];
  const add = (target: number, protocol: string, name?: string): void => {
    const proto = protocol.toUpperCase() as Proto;
    if (!(target >= 1 && target <= 65535) || out.some((p) => p.containerPort === target && p.protocol === proto))
      return;
    out.push({ name: containerPortName(target, protocol, used, name), containerPort: target, protocol: proto });
  };
  for (const p of portPairs(svc)) add(p.target, p.protocol, p.name);
  return out;
}

/** Name of the container port serving (target, protocol) in the pod. */
export function targetPortName(plan: PodPlan, svc: Service, target: number, protocol: string): string | undefined {
  const proto = protocol.toUpperCase();
  return containerPortsOf(plan, svc).find((p) => p.containerPort === target && (p.protocol ?? 'TCP') === proto)?.name;
}

/** Add a Service port unless (port, protocol) is taken; the name is made unique. */
export function addPort(ports: KServicePort[], want: KServicePort): KServicePort | undefined {
  if (ports.some((q) => q.port === want.port && q.protocol === want.protocol)) return undefined;
  let name = want.name!;
  for (let i = 2; ports.some((q) => q.name === name); i++) name = portName(`${want.name!.slice(0, 12)}-${i}`);
  const p = { ...want, name };
  ports.push(p);
  return p;
}

/** x-k8s/kompose Service settings of the pod's main service (a nodePort alone implies NodePort). */
export function typeOverride(ctx: ConvertContext, plan: PodPlan) {
  const ov = serviceOverrides(ctx, plan.main);
  return {
    type: ov.serviceType ?? (ov.nodePort !== undefined ? ('NodePort' as const) : undefined),
    nodePort: ov.nodePort,
    externalTrafficPolicy: ov.externalTrafficPolicy,
  };
}

/**
 * The Service port a published compose port is exposed on outside the cluster, as Docker publishes it: its host
 * port (`"8080:80"` → 8080), or the container port for a host port range (one Service port cannot carry a range).
 */
export function publishedServicePort(p: ServicePort): number | undefined {
  const pub = publishedStart(p);
  return pub === undefined ? undefined : isPublishedRange(p) ? p.target : pub;
}
