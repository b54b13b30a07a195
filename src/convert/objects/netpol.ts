/**
 * Compose networks → NetworkPolicies (issue 5). Compose isolates services on different networks;
 * Kubernetes lets every Pod reach every other, so with option `networkPolicies`:
 * - each Pod carries `compose2k8s.io/network-<net>: "true"` per compose network (`applyNetworkLabels`);
 * - `<project>-default-deny` denies all ingress to the project's Pods;
 * - `<project>-net-<net>` admits traffic between Pods of the same network;
 * - `<service>-from-ingress` admits the ingress controller (from any namespace) on Ingress-backed ports;
 *   `<service>-from-gateway` admits the Gateway's namespace on HTTPRoute-backed ports (`--ingress gateway`);
 * - `<service>-from-anywhere` admits any address on LoadBalancer/NodePort ports;
 * - `internal: true` networks: Pods only on internal networks may only reach those networks and DNS;
 * - `network_mode: none`: `<pod>-no-network` denies all ingress and egress of that Pod (`isolatePod`, called by the
 *   network_mode entry's owner, pod/settings.ts).
 */
import type {
  Ingress,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicySpec,
} from 'kubernetes-types/networking/v1.js';
import type { Service as KubeService, ServicePort as KubeServicePort } from 'kubernetes-types/core/v1.js';
import type { LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import type { Service } from '../../model/types.js';
import { plansByService, type PodPlan } from '../plan/pod.js';
import type { ContainerStep } from '../step.js';
import { type ConvertContext } from '../context.js';
import { LABEL_NAME, LABEL_PART_OF, type KubeObject } from '../../kube/object.js';
import { labelValue } from '../../kube/naming.js';
import type { PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import { reachOf } from '../network/reach.js';
import { askedMode, type RoutedPeer } from '../output-modes.js';

export const NETWORK_LABEL_PREFIX = 'compose2k8s.io/network-';
const NP_GROUP = 'networkpolicy';
const ANYWHERE = ['0.0.0.0/0', '::/0'];

/**
 * Pod label key for membership of a compose network. Project networks are keyed by their compose key;
 * external networks by their real name, so two projects sharing an external network share the label.
 */
export function networkLabelKey(ctx: ConvertContext, net: string): string {
  const cfg = ctx.project.networks[net];
  const external = cfg?.external === true;
  const real = cfg?.name ?? net;
  // An external network named `<project>_default` is this project's default network (Docker names it so): the
  // same label, so its members reach the default network's as they do in Docker.
  if (external && real === `${ctx.project.name}_default` && net !== 'default') return networkLabelKey(ctx, 'default');
  const max = 63 - 'network-'.length;
  return (
    NETWORK_LABEL_PREFIX +
    ctx.names.get('network-label', external ? `external:${real}` : net, max, external ? real : net)
  );
}

/** `{ 'compose2k8s.io/network-<net>': 'true' }` for each compose network the service is on. */
export function networkLabels(ctx: ConvertContext, svc: Service): Record<string, string> {
  const out: Record<string, string> = {};
  for (const net of Object.keys(svc.networks).sort()) out[networkLabelKey(ctx, net)] = 'true';
  return out;
}

/** ContainerStep: network membership labels on the Pod template (only when NetworkPolicies are emitted). */
export const applyNetworkLabels: ContainerStep = (ctx, svc, _container, plan) => {
  const nets = Object.keys(svc.networks).sort();
  // No network (network_mode service:X, none, host): its network_mode entry says where it is; no labels of its own.
  if (!nets.length) return;
  const explicit = !(
    nets.length === 1 &&
    nets[0] === 'default' &&
    Object.keys(svc.networks['default'] ?? {}).length === 0
  );
  if (!ctx.options.networkPolicies) {
    if (explicit) ctx.outcome(svc.name, 'networks', 'networks.not-isolated', { nets: nets.join(', ') });
    return;
  }
  const labels = networkLabels(ctx, svc);
  Object.assign(plan.podLabels, labels);
  if (explicit)
    ctx.outcome(svc.name, 'networks', 'networks.labels', {
      nets: nets.join(', '),
      labels: Object.keys(labels).join(', '),
    });
};

function partOf(ctx: ConvertContext): Record<string, string> {
  return { [LABEL_PART_OF]: labelValue(ctx.project.name) };
}

function emitPolicy(ctx: ConvertContext, wanted: string, spec: NetworkPolicySpec): string {
  const name = ctx.names.get(NP_GROUP, wanted);
  const np: NetworkPolicy & KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: ctx.meta(name, ctx.projectLabels()),
    spec,
  };
  ctx.emit(np);
  return `NetworkPolicy/${name}`;
}

/**
 * A Pod of a service with `network_mode: none`: a policy that selects it and allows nothing, in or out (Docker gives
 * such a container only a loopback interface, which the Pod keeps). Returns the policy's `Kind/name`.
 */
export function isolatePod(ctx: ConvertContext, plan: PodPlan): string {
  return emitPolicy(ctx, `${plan.name}-no-network`, {
    podSelector: { matchLabels: ctx.selector(plan.main) },
    policyTypes: ['Ingress', 'Egress'],
  });
}

/** Per-service network settings Kubernetes cannot honour (reported with or without policies). */
function reportAttachments(ctx: ConvertContext, plans: PodPlan[]): void {
  const planOf = plansByService(plans);
  for (const name of Object.keys(ctx.project.services).sort()) {
    const svc = ctx.project.services[name]!;
    const plan = planOf.get(name);
    const obj = plan ? `${plan.kind}/${plan.name}` : `service/${name}`;
    for (const [net, att] of Object.entries(svc.networks)) {
      // Aliases (networks.<net>.aliases[i]) are reported by aliases.ts, which gives them Services.
      for (const k of ['ipv4_address', 'ipv6_address'] as const) {
        const ip = att[k];
        if (!ip) continue;
        const dns = ctx.serviceName(svc);
        ctx.outcome(name, `networks.${net}.${k}`, 'networks.fixed-address', { ip, service: name, dns });
        ctx.finding(
          'hard-coded-ip.fixed-address',
          { service: name, ip, network: net, dns },
          { object: obj, service: name, pos: ctx.servicePos(svc, 'networks', net, k) },
        );
      }
    }
  }
}

/** Compose network → the Pods on it (hostNetwork Pods are outside NetworkPolicy and skipped). */
function membership(plans: PodPlan[]): Map<string, PodPlan[]> {
  const out = new Map<string, PodPlan[]>();
  for (const plan of plans) {
    if (plan.spec.hostNetwork) continue;
    const nets = new Set(plan.services.flatMap((s) => Object.keys(s.networks)));
    for (const net of nets) {
      const list = out.get(net) ?? [];
      list.push(plan);
      out.set(net, list);
    }
  }
  return out;
}

function networkPolicies(ctx: ConvertContext, members: Map<string, PodPlan[]>): void {
  const project = ctx.project.name;
  const usedOpen = [...members.keys()].filter((n) => !ctx.project.networks[n]?.internal);
  for (const net of Object.keys(ctx.project.networks).sort()) {
    const cfg = ctx.project.networks[net]!;
    const pods = members.get(net);
    if (!pods?.length) {
      ctx.outcome(undefined, `networks.${net}`, 'top.networks.unused');
      continue;
    }
    const key = networkLabelKey(ctx, net);
    const mine = { ...partOf(ctx), [key]: 'true' };
    // An external network is shared with other projects: admit any Pod in the namespace carrying its label.
    const peers = cfg.external ? { [key]: 'true' } : mine;
    const objects = [
      emitPolicy(ctx, `${project}-net-${net}`, {
        podSelector: { matchLabels: mine },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: peers } }] }],
      }),
    ];
    let internal: PhraseId = 'network.open';
    if (cfg.internal) {
      // Only Pods on no open network are restricted: an open network gives a container outside access in Docker too.
      const others: LabelSelectorRequirement[] = usedOpen.map((n) => ({
        key: networkLabelKey(ctx, n),
        operator: 'DoesNotExist',
      }));
      objects.push(
        emitPolicy(ctx, `${project}-net-${net}-egress`, {
          podSelector: { matchLabels: mine, ...(others.length ? { matchExpressions: others } : {}) },
          policyTypes: ['Egress'],
          egress: [
            { to: [{ podSelector: { matchLabels: peers } }] },
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 53 },
              ],
            },
          ],
        }),
      );
      internal = 'network.internal';
    }
    ctx.outcome(
      undefined,
      `networks.${net}`,
      cfg.external ? 'top.networks.external' : 'top.networks.policy',
      { net, label: key, internal, ...(cfg.external ? { name: cfg.name ?? net } : {}) },
      { objects },
    );
  }
}

/** Service name → its selector and the target ports of some of its ports (`port` number or name). */
function targetPorts(svc: KubeService, which: (p: KubeServicePort) => boolean): NetworkPolicyPort[] {
  const out: NetworkPolicyPort[] = [];
  for (const p of svc.spec?.ports ?? []) {
    if (!which(p)) continue;
    const port = p.targetPort ?? p.port;
    const protocol = p.protocol ?? 'TCP';
    if (!out.some((o) => o.port === port && o.protocol === protocol)) out.push({ protocol, port });
  }
  return out;
}

/** The pod plan a Service selects, by its app.kubernetes.io/name (indexed once, first plan wins). */
function planByApp(ctx: ConvertContext, plans: PodPlan[]): (selector: Record<string, string>) => PodPlan | undefined {
  const byApp = new Map<string, PodPlan>();
  for (const p of plans) {
    const app = ctx.selector(p.main)[LABEL_NAME]!;
    if (!byApp.has(app)) byApp.set(app, p);
  }
  // A selector without the name (an alias Service's) finds none: every key is a name.
  return (selector) => byApp.get(selector[LABEL_NAME]);
}

/**
 * Who sends the routed traffic: the ingress controller (namespace unknown: any namespace) to the Ingresses' backends
 * (only ingress.ts has made them at this step: patches and dialect objects come later), to a Service port by number
 * or name; or the routed peer of an output mode (`--ingress gateway`: objects/httproute.ts).
 */
function routedPeer(ctx: ConvertContext): RoutedPeer {
  const mode = askedMode(ctx, 'gateway')?.routedPeer?.(ctx);
  if (mode) return mode;
  const backends: RoutedPeer['backends'] = [];
  for (const o of ctx.objects)
    if (o.kind === 'Ingress')
      for (const r of (o as Ingress).spec!.rules!)
        for (const { backend } of r.http!.paths)
          backends.push([backend.service!.name, backend.service!.port!.number ?? backend.service!.port!.name!]);
  return { suffix: 'ingress', values: {}, backends };
}

/** Emits the exposure policies; returns, per pod plan, the Service ports they open to every pod. */
function exposurePolicies(ctx: ConvertContext, plans: PodPlan[]): Map<PodPlan, Set<number>> {
  const opened = new Map<PodPlan, Set<number>>();
  const peer = routedPeer(ctx);
  const backends = new Map<string, Set<number | string>>();
  for (const [name, port] of peer.backends) {
    const set = backends.get(name);
    if (set) set.add(port);
    else backends.set(name, new Set([port]));
  }
  const routedFrom: NetworkPolicyPeer[] = [
    { namespaceSelector: peer.namespace ? { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } } : {} },
  ];
  const services = ctx.objects.filter((o) => o.kind === 'Service') as Array<KubeObject & KubeService>;
  const serviceOwner = planByApp(ctx, plans);
  for (const s of services) {
    const selector = s.spec?.selector;
    if (!selector) continue;
    const owner = serviceOwner(selector);
    /**
     * `<service>-from-<suffix>`, admitting `from` on the target ports of the Service ports `which` takes; noted on
     * the owner's `ports` entry (the published ports' entries belong to services.ts / ingress.ts).
     */
    const admit = (
      suffix: 'ingress' | 'gateway' | 'anywhere',
      id: 'ports.policy-from-ingress' | 'ports.policy-from-gateway' | 'ports.policy-from-anywhere',
      from: NetworkPolicyPeer[],
      which: (p: KubeServicePort) => boolean,
      everyPod: boolean,
      values: (policy: string, ports: string) => Values,
    ): void => {
      const ports = targetPorts(s, which);
      if (!ports.length) return;
      const policy = emitPolicy(ctx, `${s.metadata.name}-from-${suffix}`, {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [{ from, ports }],
      });
      if (!owner) return;
      if (everyPod) {
        const set = opened.get(owner) ?? new Set<number>();
        for (const p of s.spec?.ports ?? []) if (which(p)) set.add(p.port);
        opened.set(owner, set);
      }
      const list = ports.map((p) => p.port).join(', ');
      ctx.downgrade(owner.main.name, 'ports', id, values(policy, list), {
        objects: [policy],
      });
    };
    const used = backends.get(s.metadata.name);
    // The routed peer is any pod of any namespace unless the Gateway's namespace is known.
    if (used)
      admit(
        peer.suffix,
        peer.suffix === 'gateway' ? 'ports.policy-from-gateway' : 'ports.policy-from-ingress',
        routedFrom,
        (p) => used.has(p.port) || (p.name !== undefined && used.has(p.name)),
        !peer.namespace,
        (policy, ports) => ({ policy, ports, ...peer.values }),
      );
    const type = s.spec?.type;
    if (type === 'LoadBalancer' || type === 'NodePort')
      admit(
        'anywhere',
        'ports.policy-from-anywhere',
        ANYWHERE.map((cidr) => ({ ipBlock: { cidr } })),
        () => true,
        true,
        (policy, ports) => ({ policy, type, ports }),
      );
  }
  return opened;
}

/**
 * Peers that name a service on a port no policy lets them reach: they share no compose network (no network label in
 * common), and the port is not open to every pod (Ingress backends, LoadBalancer and NodePort ports are). In Docker
 * the name does not resolve there either; the input is inconsistent, and the warning says so rather than the output
 * silently dropping the connection. Host-network and network-less pods are outside this (their own entries say so).
 */
function peersOnOtherNetworks(ctx: ConvertContext, plans: PodPlan[], opened: Map<PodPlan, Set<number>>): void {
  const planOf = plansByService(plans);
  const nets = (plan: PodPlan): string[] =>
    Object.keys(plan.podLabels).filter((k) => k.startsWith(NETWORK_LABEL_PREFIX));
  for (const target of plans) {
    if (target.spec.hostNetwork) continue;
    const mine = new Set(nets(target));
    if (!mine.size) continue;
    for (const svc of target.services) {
      for (const [peer, ports] of reachOf(ctx, svc.name).byPeer) {
        const from = planOf.get(peer);
        if (!from || from === target || from.spec.hostNetwork) continue;
        const theirs = nets(from);
        if (!theirs.length || theirs.some((k) => mine.has(k))) continue;
        const closed = ports.filter((p) => !opened.get(target)?.has(p));
        if (!closed.length) continue;
        ctx.diags.warn(
          'peer-on-other-network',
          { service: peer, peer: svc.name, ports: closed.join(', ') },
          ctx.servicePos(peer),
        );
      }
    }
  }
}

/**
 * Project-wide NetworkPolicies, after Services and Ingresses are emitted. Call it always: with
 * `networkPolicies` off it only reports (a `no-network-policy` finding and per-network entries).
 */
export function buildNetworkPolicies(ctx: ConvertContext, plans: PodPlan[]): void {
  reportAttachments(ctx, plans);
  if (!ctx.options.networkPolicies) {
    ctx.finding('no-network-policy', {}, { object: `project/${ctx.project.name}` });
    for (const net of Object.keys(ctx.project.networks).sort())
      ctx.outcome(undefined, `networks.${net}`, 'top.networks.not-isolated');
    return;
  }
  const objects = [
    emitPolicy(ctx, `${ctx.project.name}-default-deny`, {
      podSelector: { matchLabels: partOf(ctx) },
      policyTypes: ['Ingress'],
    }),
  ];
  const partOfValue = partOf(ctx)[LABEL_PART_OF]!;
  ctx.outcome(
    undefined,
    'networks',
    'top.networks.default-deny',
    { partOf: partOfValue },
    { objects, pos: ctx.pos('networks') },
  );
  networkPolicies(ctx, membership(plans));
  peersOnOtherNetworks(ctx, plans, exposurePolicies(ctx, plans));
}
