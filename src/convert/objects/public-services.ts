/** The `<svc>-public` Service of `--expose-type` for published ports that are not HTTP (split by protocol when a load balancer needs it). */
import type { Service as KService, ServicePort as KServicePort } from 'kubernetes-types/core/v1.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import type { PodPlan } from '../plan/pod.js';
import {
  classifyPort,
  isLoopbackOnly,
  isPublishedRange,
  isRouted,
  NON_HTTP_PORTS,
  publishedStart,
  type PortClass,
} from '../plan/ports.js';
import type { OutcomeId, PhraseId } from '../../mappings/outcomes.js';
import type { OutcomeExtra, Values } from '../book.js';
import { effectiveOptions, serviceOverrides } from '../intent/overrides.js';
import { addPort, publishedServicePort, targetPortName, typeOverride, type Proto } from './service-ports.js';
import { IMAGE_PORTS, STATEFUL_IMAGES, statefulImage } from '../../kube/images.js';
import { heuristicImage } from '../plan/base-image.js';

/** DHCP server ports (67: DHCPv4, 547: DHCPv6), which clients reach by broadcast or multicast. */
const DHCP_PORTS: ReadonlySet<number> = new Set([67, 547]);

/** Ports per LoadBalancer most clouds accept (AWS NLB listeners, GCP forwarding rules): more are reported. */
const MAX_LB_PORTS = 50;

export function publicService(ctx: ConvertContext, plan: PodPlan, cluster: KubeObject | undefined): void {
  const type = effectiveOptions(ctx).exposeType;
  const etp = typeOverride(ctx, plan).externalTrafficPolicy;
  const ports: KServicePort[] = [];
  /** `<svc>-public`, or `<svc>-public-tcp` / `-udp` / `-sctp` (suffix `-TCP`...). */
  const publicName = (suffix: string): string =>
    ctx.names.get(
      'service',
      `public${suffix}\0${plan.main.name}`,
      63,
      `${ctx.serviceName(plan.main)}-public${suffix.toLowerCase()}`,
    );
  const name = publicName('');
  // Many cloud load balancers take one protocol each: a LoadBalancer with TCP and UDP ports is split in two.
  let split = false; // decided once the ports are known (before any `later` runs)
  const nameFor = (proto: string): string => (split ? publicName(`-${proto}`) : name);
  const later: Array<() => void> = [];
  for (const svc of plan.services) {
    svc.ports.forEach((p, i) => {
      const at = { pos: ctx.servicePos(svc, 'ports', i) };
      /** A verdict on this port's entry (services.ts owns it). */
      const downgrade = (id: OutcomeId, values: Values, extra?: OutcomeExtra): void =>
        ctx.downgrade(svc.name, `ports[${i}]`, id, values, extra);
      const pub = publishedStart(p);
      if (pub === undefined) return;
      // A port the proxy labels route: the Ingress reports it (the host binding only kept Docker's host off it).
      if (isLoopbackOnly(p) && !isRouted(ctx, svc, i)) {
        downgrade(
          'ports.loopback-only',
          { published: p.published ?? '', hostIp: p.host_ip ?? '', name: ctx.serviceName(plan.main), target: p.target },
          { ...at, objects: cluster ? [`Service/${cluster.metadata.name}`] : [] },
        );
        return;
      }
      if (isRouted(ctx, svc, i)) return; // the Ingress (ingress.ts) reports it
      const sov = serviceOverrides(ctx, svc);
      const cls: PortClass =
        sov.ingress?.enabled === false
          ? { http: false, reason: 'port.ingress-disabled', values: {} }
          : classifyPort(svc, p, sov.http);
      const tp = targetPortName(plan, svc, p.target, p.protocol);
      if (!tp) return;
      if (type === 'none') {
        downgrade(
          'ports.not-exposed',
          {
            published: p.published ?? '',
            reason: cls.reason,
            name: ctx.serviceName(plan.main),
            pub,
            target: p.target,
            ...cls.values,
          },
          at,
        );
        return;
      }
      const range = isPublishedRange(p);
      const port = publishedServicePort(p)!;
      const want: KServicePort = { name: tp, port, targetPort: tp, protocol: p.protocol.toUpperCase() as Proto };
      const nodePortOk = type === 'NodePort' && !range && pub >= 30000 && pub <= 32767;
      if (nodePortOk) want.nodePort = pub;
      const added = addPort(ports, want);
      later.push(() => {
        const ref = `Service/${nameFor(want.protocol!)}`;
        if (!added) {
          downgrade(
            'ports.published-taken',
            { published: p.published ?? '', protocol: p.protocol, ref },
            { ...at, objects: [ref] },
          );
          return;
        }
        const specificIp = p.host_ip !== undefined && !['', '0.0.0.0', '::'].includes(p.host_ip);
        const exact = type === 'LoadBalancer' ? !range && !specificIp : nodePortOk;
        // The notes: phrases of report.yaml (`port.*`), worded with the values below.
        const notes: PhraseId[] = [cls.reason];
        if (range) notes.push('port.range');
        if (specificIp && !isLoopbackOnly(p)) notes.push('port.host-ip');
        if (type === 'NodePort' && !nodePortOk) notes.push('port.node-port-chosen');
        const values = {
          published: p.published ?? '',
          target: p.target,
          protocol: p.protocol,
          type,
          ref,
          port: added.port,
          notes: notes.join(' '),
          name: nameFor(want.protocol!),
          ...cls.values,
          ...(specificIp ? { hostIp: p.host_ip! } : {}),
        };
        const id = exact
          ? 'ports.published'
          : type === 'NodePort'
            ? 'ports.published-node-port'
            : 'ports.published-load-balancer';
        downgrade(id, values, { ...at, objects: [ref] });
        if (split) downgrade('ports.load-balancer-split', { ref });
        // A datastore published by Docker sits on the host, usually behind its firewall; a cloud LoadBalancer
        // answers the Internet. Known by its image, else by its port (supabase's supavisor pooler on 5432).
        const store =
          type === 'LoadBalancer'
            ? (statefulImage(heuristicImage(ctx, svc) ?? '') ?? datastoreOfPort(p.target))
            : undefined;
        if (store) downgrade('ports.public-datastore', { ref, image: store, port: p.target });
        // A DHCP client finds its server by broadcast (DHCPv6: link-local multicast) on its LAN, which reaches the node
        // a Docker host is, but never a Service address: the server hears only relayed (unicast) requests.
        if (added.protocol === 'UDP' && DHCP_PORTS.has(p.target))
          downgrade('ports.dhcp-broadcast', { ref, type, port: p.target });
        const count = ports.filter((q) => q.protocol === added.protocol || !split).length;
        if (type === 'LoadBalancer' && count > MAX_LB_PORTS)
          downgrade('ports.load-balancer-many', { ref, count, max: MAX_LB_PORTS });
      });
    });
  }
  split = type === 'LoadBalancer' && ports.some((q) => q.protocol === 'TCP') && ports.some((q) => q.protocol === 'UDP');
  const groups = split
    ? (['TCP', 'UDP', 'SCTP'] as const).map((pr) => ports.filter((q) => q.protocol === pr))
    : [ports];
  for (const group of groups) {
    if (!group.length) continue;
    const obj: KService & KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: ctx.meta(nameFor(group[0]!.protocol!), ctx.labels(plan.main)),
      spec: { type, selector: ctx.selector(plan.main), ports: group, ...(etp ? { externalTrafficPolicy: etp } : {}) },
    };
    ctx.emit(obj);
  }
  for (const f of later) f();
}

/**
 * The datastore whose well-known port container port `port` is (5432 → postgres): a port of a stateful image
 * (IMAGE_PORTS of a STATEFUL_IMAGES key) that is never HTTP (NON_HTTP_PORTS), so not 9200 or 9000.
 */
function datastoreOfPort(port: number): string | undefined {
  if (!NON_HTTP_PORTS.has(port)) return undefined;
  return Object.keys(IMAGE_PORTS).find((k) => STATEFUL_IMAGES[k] !== undefined && IMAGE_PORTS[k]!.includes(port));
}
