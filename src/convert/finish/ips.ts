/**
 * Hard-coded IP addresses: pod and Service IPs change in Kubernetes, so an address written into
 * the compose file (environment values, extra_hosts, dns) is a pitfall finding with a fix.
 */
import type { Service } from '../../model/types.js';
import type { SourcePos } from '../../report/diagnostic.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { ipLiterals } from '../../kube/ip.js';

const SERVICE_FIX =
  'use the name of a Service (e.g. the compose service name) instead of an IP address: pod and Service IPs change when pods restart';

export function hardCodedIp(
  ctx: ConvertContext,
  svc: Service,
  plan: PodPlan,
  ip: string,
  what: string,
  pos: SourcePos | undefined,
  fix: string = SERVICE_FIX,
): void {
  if (ipLiterals(ip).length === 0) return;
  ctx.finding({
    pitfall: 'hard-coded-ip',
    object: `${plan.kind}/${plan.name}`,
    service: svc.name,
    ip,
    message: `${what} uses the hard-coded IP ${ip}`,
    fix,
    ...(pos ? { pos } : {}),
  });
}

/** Flag environment values that contain IP literals. */
export function lintEnvironmentIps(ctx: ConvertContext, svc: Service, plan: PodPlan): void {
  for (const [k, v] of Object.entries(svc.environment)) {
    for (const ip of ipLiterals(String(v))) {
      ctx.finding({
        pitfall: 'hard-coded-ip',
        object: `${plan.kind}/${plan.name}`,
        service: svc.name,
        ip,
        message: `environment ${k} contains the hard-coded IP ${ip}`,
        fix: SERVICE_FIX,
        ...withPos(ctx.servicePos(svc, 'environment', k)),
      });
    }
  }
}

function withPos(pos: SourcePos | undefined): { pos?: SourcePos } {
  return pos ? { pos } : {};
}
