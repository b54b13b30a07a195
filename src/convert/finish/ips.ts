/**
 * Hard-coded IP addresses: pod and Service IPs change in Kubernetes, so an address written into
 * the compose file (environment values, extra_hosts, dns) is a pitfall finding with a fix.
 */
import type { Service } from '../../model/types.js';
import type { SourcePos } from '../../report/diagnostic.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';

const IPV4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.])/g;

/** IPv4 literals in `text` that are worth flagging (not 0.0.0.0, not loopback). */
export function ipv4Literals(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IPV4)) {
    const parts = m.slice(1, 5).map(Number);
    if (parts.some((n) => n > 255)) continue;
    if (parts.every((n) => n === 0) || parts[0] === 127) continue;
    if (!out.includes(m[0])) out.push(m[0]);
  }
  return out;
}

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
  if (ipv4Literals(ip).length === 0 && !ip.includes(':')) return;
  if (ip === '::1' || ip === '::') return;
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

/** Flag environment values that contain IPv4 literals. */
export function lintEnvironmentIps(ctx: ConvertContext, svc: Service, plan: PodPlan): void {
  for (const [k, v] of Object.entries(svc.environment)) {
    for (const ip of ipv4Literals(String(v))) {
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
