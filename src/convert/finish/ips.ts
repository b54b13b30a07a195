/**
 * Hard-coded IP addresses: pod and Service IPs change in Kubernetes, so an address the compose project gives a
 * container (a peer's `ipv4_address`, any address of a compose network's `ipam` subnet) written into the compose file
 * (environment values, extra_hosts, dns) is a pitfall finding with a fix. A network without `ipam` gets its subnet
 * from Docker's default pools, so an address of 172.17.0.0–172.31.255.255 (the bridge pools Docker hands out first;
 * 172.17.0.1 is the Docker host) is one too. Other addresses (a public resolver, a LAN router, a VPN's own tunnel
 * range) are no container's and do not move: nothing to fix.
 */
import type { Service } from '../../model/types.js';
import type { SourcePos } from '../../report/diagnostic.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { inSubnet, ipLiterals } from '../../kube/ip.js';
import { FactKey } from '../facts.js';

interface ComposeAddresses {
  /** Fixed addresses (`ipv4_address`, `ipv6_address`) → the service that has them. */
  peers: ReadonlyMap<string, Service>;
  /** The `ipam.config[].subnet` of every compose network, and Docker's default pools if a network has none. */
  subnets: readonly string[];
}

/** Docker's default bridge address pools (172.17.0.0/16 … 172.31.0.0/16), where a network without `ipam` lives. */
const DOCKER_POOLS = ['172.17.0.0/16', '172.18.0.0/15', '172.20.0.0/14', '172.24.0.0/13'];

/** The fixed addresses and subnets of the project (composeAddress), read once. */
const COMPOSE_ADDRESSES = new FactKey<ComposeAddresses>();

/**
 * What `ip` is in the project, read once: `{ peer }` for a service's fixed address, `{}` for another address of a
 * compose subnet, undefined for an address the project does not give out (not a container's: it does not move).
 */
export function composeAddress(ctx: ConvertContext, ip: string): { peer?: Service } | undefined {
  const known = ctx.facts.get(COMPOSE_ADDRESSES, () => {
    const peers = new Map<string, Service>();
    for (const svc of Object.values(ctx.project.services))
      for (const att of Object.values(svc.networks))
        for (const a of [att.ipv4_address, att.ipv6_address]) if (a && !peers.has(a)) peers.set(a, svc);
    const nets = Object.values(ctx.project.networks);
    const subnets = nets.flatMap((n) =>
      (n.ipam?.config ?? []).flatMap((c) => (typeof c.subnet === 'string' ? [c.subnet] : [])),
    );
    // The default network, or a declared one without a subnet: Docker picks one from its pools.
    const pooled = nets.length === 0 || nets.some((n) => !n.external && !n.ipam?.config?.length);
    return { peers, subnets: pooled ? [...subnets, ...DOCKER_POOLS] : subnets };
  });
  const peer = known.peers.get(ip);
  if (peer) return { peer };
  return known.subnets.some((s) => inSubnet(ip, s)) ? {} : undefined;
}

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
  // A fixed DNS server must be reachable wherever it is; any other address only when it is a container's.
  if (id !== 'hard-coded-ip.dns' && !composeAddress(ctx, ip)) return;
  ctx.finding(id, { what, ip }, { object: `${plan.kind}/${plan.name}`, service: svc.name, ip, pos });
}

/** Flag environment values that contain IP literals. */
export function lintEnvironmentIps(ctx: ConvertContext, svc: Service, plan: PodPlan): void {
  for (const [k, v] of Object.entries(svc.environment)) {
    for (const ip of ipLiterals(String(v))) {
      const at = composeAddress(ctx, ip);
      if (!at) continue;
      const peer = at.peer && at.peer !== svc ? ctx.serviceName(at.peer) : undefined;
      ctx.finding(
        peer ? 'hard-coded-ip.environment-peer' : 'hard-coded-ip.environment',
        { key: k, ip, ...(peer ? { peer } : {}) },
        {
          object: `${plan.kind}/${plan.name}`,
          service: svc.name,
          ip,
          pos: ctx.servicePos(svc, 'environment', k),
        },
      );
    }
  }
}
