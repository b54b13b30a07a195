/**
 * Hard-coded IP addresses: pod and Service IPs change in Kubernetes, so an address written into
 * the compose file (environment values, extra_hosts, dns) is a pitfall finding with a fix.
 */
import type { Service } from '../../model/types.js';
import type { SourcePos } from '../../report/diagnostic.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { ipLiterals } from '../../kube/ip.js';

export function hardCodedIp(
  ctx: ConvertContext,
  svc: Service,
  plan: PodPlan,
  ip: string,
  what: string,
  pos: SourcePos | undefined,
  id: 'hard-coded-ip.uses' | 'hard-coded-ip.dns' = 'hard-coded-ip.uses',
): void {
  if (ipLiterals(ip).length === 0) return;
  ctx.finding(
    id,
    { what, ip },
    { object: `${plan.kind}/${plan.name}`, service: svc.name, ip, ...(pos ? { pos } : {}) },
  );
}

/** Flag environment values that contain IP literals. */
export function lintEnvironmentIps(ctx: ConvertContext, svc: Service, plan: PodPlan): void {
  for (const [k, v] of Object.entries(svc.environment)) {
    for (const ip of ipLiterals(String(v))) {
      ctx.finding(
        'hard-coded-ip.environment',
        { key: k, ip },
        {
          object: `${plan.kind}/${plan.name}`,
          service: svc.name,
          ip,
          ...withPos(ctx.servicePos(svc, 'environment', k)),
        },
      );
    }
  }
}

function withPos(pos: SourcePos | undefined): { pos?: SourcePos } {
  return pos ? { pos } : {};
}
