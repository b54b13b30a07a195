import { describe, expect, it } from 'vitest';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import { project, type ProjectInput, type ServiceInput } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';
import { fromYaml } from '../../helpers/project.js';
import { convertProject } from '../../../src/index.js';
import { ConvertContext } from '../../../src/convert/context.js';
import { TEXTS } from '../../../src/mappings/texts.js';
import { LABEL_PART_OF, type KubeObject } from '../../../src/kube/object.js';
import { defaultOptions, type ConvertOptions } from '../../../src/convert/intent/options.js';
import type { PodPlan } from '../../../src/convert/plan/pod.js';
import {
  applyNetworkLabels,
  buildNetworkPolicies,
  networkLabelKey,
  networkLabels,
} from '../../../src/convert/objects/netpol.js';
import { withDialects } from '../../helpers/dialects.js';

type Labels = Record<string, string>;

/** One pod per service; network labels applied as the pipeline would; Deployments returned for validation. */
function setup(services: Record<string, ServiceInput>, input: ProjectInput = {}, opts: Partial<ConvertOptions> = {}) {
  const p = project(services, input);
  const ctx = withDialects(new ConvertContext(p, defaultOptions(opts), undefined, undefined, TEXTS));
  const plans: PodPlan[] = [];
  const deployments: KubeObject[] = [];
  for (const svc of Object.values(p.services)) {
    const c: Container = { name: ctx.serviceName(svc), image: 'app', ports: [{ name: 'http', containerPort: 8080 }] };
    const plan: PodPlan = {
      name: ctx.serviceName(svc),
      main: svc,
      services: [svc],
      kind: 'Deployment',
      replicas: 1,
      spec: { containers: [c] },
      containers: new Map([[svc.name, c]]),
      podLabels: {},
      podAnnotations: {},
      volumeClaimTemplates: [],
      mountsRwoClaim: false,
    };
    applyNetworkLabels(ctx, svc, c, plan);
    plans.push(plan);
  }
  const podLabels = (name: string): Labels => {
    const plan = plans.find((x) => x.main.name === name)!;
    return { ...ctx.labels(plan.main), ...plan.podLabels };
  };
  for (const plan of plans) {
    deployments.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: ctx.meta(plan.name, ctx.labels(plan.main)),
      spec: {
        selector: { matchLabels: ctx.selector(plan.main) },
        template: { metadata: { labels: podLabels(plan.main.name) }, spec: plan.spec },
      },
    });
  }
  return { ctx, plans, podLabels, deployments };
}

function policies(ctx: ConvertContext): Array<KubeObject & NetworkPolicy> {
  return ctx.objects.filter((o) => o.kind === 'NetworkPolicy') as Array<KubeObject & NetworkPolicy>;
}

// ---- a small NetworkPolicy evaluator (same namespace; `external` = a client outside the cluster) ----
function selects(sel: LabelSelector | undefined, labels: Labels): boolean {
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel?.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
    if (e.operator === 'In' && !(e.values ?? []).includes(labels[e.key]!)) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(labels[e.key]!)) return false;
  }
  return true;
}
type Peer = { pod: Labels } | { external: true } | { dns: true };
function peerMatches(p: NetworkPolicyPeer, peer: Peer): boolean {
  if ('external' in peer) return p.ipBlock?.cidr === '0.0.0.0/0';
  if (p.ipBlock) return false;
  if ('dns' in peer)
    return (
      selects(p.namespaceSelector, { 'kubernetes.io/metadata.name': 'kube-system' }) &&
      selects(p.podSelector, { 'k8s-app': 'kube-dns' }) &&
      p.namespaceSelector !== undefined
    );
  // same namespace: a namespaceSelector ({} or matching) plus optional podSelector, or a podSelector alone
  return selects(p.podSelector, peer.pod);
}
function portMatches(ports: NetworkPolicyPort[] | undefined, port: number | string, protocol = 'TCP'): boolean {
  return !ports || ports.some((x) => (x.protocol ?? 'TCP') === protocol && (x.port === undefined || x.port === port));
}
function allowed(
  nps: NetworkPolicy[],
  dir: 'Ingress' | 'Egress',
  subject: Labels,
  peer: Peer,
  port: number | string = 8080,
  protocol = 'TCP',
): boolean {
  const applying = nps.filter((np) => np.spec!.policyTypes!.includes(dir) && selects(np.spec!.podSelector, subject));
  if (applying.length === 0) return true;
  return applying.some((np) =>
    (dir === 'Ingress' ? (np.spec!.ingress ?? []) : (np.spec!.egress ?? [])).some((r) => {
      const peers = 'from' in r ? r.from : (r as { to?: NetworkPolicyPeer[] }).to;
      return (!peers || peers.some((p) => peerMatches(p, peer))) && portMatches(r.ports, port, protocol);
    }),
  );
}

describe('networkLabels', () => {
  it('one label per compose network, valid label keys, distinct for long similar names', () => {
    const a = 'n'.repeat(80) + 'a';
    const b = 'n'.repeat(80) + 'b';
    const { ctx } = setup(
      { web: { networks: { front: {}, [a]: {}, [b]: {} } } },
      { networks: { front: { extensions: {} }, [a]: { extensions: {} }, [b]: { extensions: {} } } },
    );
    const labels = networkLabels(ctx, ctx.project.services.web!);
    const keys = Object.keys(labels);
    expect(keys).toHaveLength(3);
    expect(labels['compose2k8s.io/network-front']).toBe('true');
    for (const k of keys) {
      const [prefix, name] = k.split('/') as [string, string];
      expect(prefix).toBe('compose2k8s.io');
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
  });

  it('applyNetworkLabels writes pod labels only when policies are enabled', () => {
    const on = setup({ web: {} });
    expect(on.plans[0]!.podLabels).toEqual({ 'compose2k8s.io/network-default': 'true' });
    const off = setup({ web: {} }, {}, { networkPolicies: false });
    expect(off.plans[0]!.podLabels).toEqual({});
  });

  it('external networks are labelled by their real name, so projects sharing one share the label', () => {
    const { ctx } = setup(
      { web: { networks: { proxy: {} } } },
      { networks: { proxy: { external: true, name: 'traefik_public', extensions: {} } } },
    );
    expect(networkLabelKey(ctx, 'proxy')).toBe('compose2k8s.io/network-traefik-public');
  });
});

describe('buildNetworkPolicies: isolation between compose networks', () => {
  const services: Record<string, ServiceInput> = {
    frontend: { networks: { front: {} } },
    api: { networks: { front: {}, back: {} } },
    db: { networks: { back: {} } },
  };
  const nets = { front: { extensions: {} }, back: { extensions: {} } };

  it('default deny plus one allow policy per network; all objects valid', () => {
    const { ctx, plans, deployments } = setup(services, { networks: nets });
    buildNetworkPolicies(ctx, plans);
    expect(policies(ctx).map((p) => p.metadata.name)).toEqual(['demo-default-deny', 'demo-net-back', 'demo-net-front']);
    expect(policies(ctx)[0]!.spec).toEqual({
      podSelector: { matchLabels: { [LABEL_PART_OF]: 'demo' } },
      policyTypes: ['Ingress'],
    });
    // Day 2: the monitoring stack's scrapes are refused too; the fix says which pods to open, and how.
    expect(ctx.entries.find((e) => e.service === undefined && e.path === 'networks')?.fix).toMatch(
      /Prometheus in another namespace .*podSelector app.kubernetes.io\/part-of: demo, from a namespaceSelector/,
    );
    expectValid([...deployments, ...ctx.objects]);
    expect(ctx.entries.find((e) => e.key === 'networks.front')).toMatchObject({
      status: 'converted',
      objects: ['NetworkPolicy/demo-net-front'],
    });
  });

  it('reachability matches compose: only pods sharing a network talk', () => {
    const { ctx, plans, podLabels } = setup(services, { networks: nets });
    buildNetworkPolicies(ctx, plans);
    const nps = policies(ctx);
    const can = (from: string, to: string): boolean => allowed(nps, 'Ingress', podLabels(to), { pod: podLabels(from) });
    expect(can('frontend', 'api')).toBe(true);
    expect(can('api', 'db')).toBe(true);
    expect(can('api', 'frontend')).toBe(true);
    expect(can('frontend', 'db')).toBe(false);
    expect(can('db', 'frontend')).toBe(false);
    // a pod of another project carrying the same network label is not admitted
    const stranger = { ...podLabels('db'), [LABEL_PART_OF]: 'other' };
    expect(allowed(nps, 'Ingress', podLabels('api'), { pod: stranger })).toBe(false);
    expect(allowed(nps, 'Ingress', podLabels('api'), { external: true })).toBe(false);
  });

  it('internal network: pods only on it may reach only its members and DNS; pods also on an open network are not restricted', () => {
    const { ctx, plans, podLabels, deployments } = setup(services, {
      networks: { front: { extensions: {} }, back: { internal: true, extensions: {} } },
    });
    buildNetworkPolicies(ctx, plans);
    const nps = policies(ctx);
    expect(nps.map((p) => p.metadata.name)).toContain('demo-net-back-egress');
    expectValid([...deployments, ...ctx.objects]);
    const out = (from: string, peer: Peer, port: number | string = 8080, proto = 'TCP'): boolean =>
      allowed(nps, 'Egress', podLabels(from), peer, port, proto);
    expect(out('db', { pod: podLabels('api') })).toBe(true);
    expect(out('db', { pod: podLabels('frontend') })).toBe(false);
    expect(out('db', { external: true })).toBe(false);
    expect(out('db', { dns: true }, 53, 'UDP')).toBe(true);
    expect(out('db', { dns: true }, 53, 'TCP')).toBe(true);
    expect(out('api', { external: true })).toBe(true);
    expect(out('frontend', { external: true })).toBe(true);
    expect(ctx.entries.find((e) => e.key === 'networks.back')?.message).toMatch(/internal/);
  });

  it('external network: admits any pod in the namespace with its label, reported approximated', () => {
    const { ctx, plans, podLabels } = setup(
      { web: { networks: { proxy: {} } } },
      { networks: { proxy: { external: true, extensions: {} } } },
    );
    buildNetworkPolicies(ctx, plans);
    const other = { [LABEL_PART_OF]: 'traefik', 'compose2k8s.io/network-proxy': 'true' };
    expect(allowed(policies(ctx), 'Ingress', podLabels('web'), { pod: other })).toBe(true);
    expect(ctx.entries.find((e) => e.key === 'networks.proxy')).toMatchObject({ status: 'approximated' });
  });

  it('unused networks are reported ignored and get no policy', () => {
    const { ctx, plans } = setup({ web: {} }, { networks: { default: { extensions: {} }, spare: { extensions: {} } } });
    buildNetworkPolicies(ctx, plans);
    expect(policies(ctx).map((p) => p.metadata.name)).toEqual(['demo-default-deny', 'demo-net-default']);
    expect(ctx.entries.find((e) => e.key === 'networks.spare')?.status).toBe('ignored');
  });
});

describe('buildNetworkPolicies: traffic from outside', () => {
  function withServices() {
    const s = setup({ web: {}, db: {} });
    const { ctx } = s;
    const sel = ctx.selector('web');
    ctx.emit({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: ctx.meta('web', ctx.labels('web')),
      spec: { selector: sel, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    });
    ctx.emit({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: ctx.meta('db-public', ctx.labels('db')),
      spec: {
        type: 'LoadBalancer',
        selector: ctx.selector('db'),
        ports: [{ name: 'pg', port: 5432, targetPort: 5432, protocol: 'TCP' }],
      },
    });
    ctx.emit({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: ctx.meta('web', ctx.labels('web')),
      spec: {
        rules: [
          {
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
            },
          },
        ],
      },
    });
    buildNetworkPolicies(ctx, s.plans);
    return s;
  }

  it('Ingress-backed ports admit the controller from any namespace; the assumption is reported', () => {
    const { ctx, podLabels, deployments } = withServices();
    const np = ctx.find('NetworkPolicy', 'web-from-ingress') as KubeObject & NetworkPolicy;
    expect(np.spec).toEqual({
      podSelector: { matchLabels: ctx.selector('web') },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 'http' }] }],
    });
    const controller = { 'app.kubernetes.io/name': 'ingress-nginx' };
    expect(allowed(policies(ctx), 'Ingress', podLabels('web'), { pod: controller }, 'http')).toBe(true);
    expect(allowed(policies(ctx), 'Ingress', podLabels('web'), { pod: controller }, 9999)).toBe(false);
    expect(allowed(policies(ctx), 'Ingress', podLabels('db'), { pod: controller }, 5432)).toBe(false);
    expect(ctx.entries.find((e) => e.service === 'web' && e.key === 'ports')?.fix).toMatch(/namespaceSelector/);
    expectValid([...deployments, ...ctx.objects]);
  });

  it('LoadBalancer ports are open to any address, other ports are not', () => {
    const { ctx, podLabels } = withServices();
    const nps = policies(ctx);
    expect(ctx.find('NetworkPolicy', 'db-public-from-anywhere')).toBeDefined();
    expect(allowed(nps, 'Ingress', podLabels('db'), { external: true }, 5432)).toBe(true);
    expect(allowed(nps, 'Ingress', podLabels('db'), { external: true }, 22)).toBe(false);
    expect(allowed(nps, 'Ingress', podLabels('web'), { external: true }, 'http')).toBe(false);
  });
});

describe('buildNetworkPolicies: reports', () => {
  it('aliases are left to aliases.ts; fixed addresses are unsupported with a hard-coded-ip finding', () => {
    const { ctx, plans } = setup(
      { db: { networks: { back: { aliases: ['database'], ipv4_address: '172.20.0.5' } } } },
      { networks: { back: { extensions: {} } } },
    );
    buildNetworkPolicies(ctx, plans);
    expect(ctx.entries.filter((e) => e.key === 'networks.back.aliases')).toEqual([]);
    expect(ctx.entries.find((e) => e.key === 'networks.back.ipv4_address')).toMatchObject({
      path: 'networks.back.ipv4_address',
      id: 'networks.fixed-address',
      status: 'unsupported',
    });
    expect(ctx.findings).toMatchObject([{ pitfall: 'hard-coded-ip', object: 'Deployment/db', service: 'db' }]);
  });

  it('a service on no network (network_mode service:X or none) gets no networks entry of its own', () => {
    const r = convertProject(
      fromYaml(`
services:
  es:
    image: example/es
    networks: [elk]
  setup:
    image: example/curl
    network_mode: service:es
  keys:
    image: example/keys
    network_mode: none
networks:
  elk: {}
`),
    );
    for (const s of ['setup', 'keys'])
      expect(r.report.entries.filter((e) => e.service === s && e.key === 'networks')).toEqual([]);
    expect(r.report.entries.find((e) => e.service === 'es' && e.key === 'networks')?.message).toMatch(
      /^on elk: pod labels compose2k8s.io\/network-elk,/,
    );
  });

  it('network_mode: none → a policy that denies the pod all ingress and egress; without policies, the fix', () => {
    const yaml = `
services:
  keys:
    image: example/keys
    command: [generate]
    network_mode: none
  web:
    image: example/web
    ports: ["80:8080"]
`;
    const r = convertProject(fromYaml(yaml));
    const np = r.objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'keys-no-network') as
      (KubeObject & NetworkPolicy) | undefined;
    expect(np?.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'keys', [LABEL_PART_OF]: 'project' } },
      policyTypes: ['Ingress', 'Egress'],
    });
    // It selects the keys pod only, never web's.
    const template = (name: string) =>
      (
        r.objects.find((o) => o.metadata.name === name && 'spec' in o && (o.spec as { template?: unknown }).template)
          ?.spec as { template: { metadata: { labels: Labels } } }
      ).template.metadata.labels;
    const selects = (labels: Labels) =>
      Object.entries(np!.spec!.podSelector.matchLabels!).every(([k, v]) => labels[k] === v);
    expect(selects(template('keys'))).toBe(true);
    expect(selects(template('web'))).toBe(false);
    expect(r.report.entries.find((e) => e.service === 'keys' && e.key === 'network_mode')).toMatchObject({
      id: 'network_mode.none-isolated',
      status: 'approximated',
      objects: expect.arrayContaining(['NetworkPolicy/keys-no-network']),
    });
    expectValid(r.objects);

    const off = convertProject(fromYaml(yaml), { networkPolicies: false });
    expect(off.objects.filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
    const entry = off.report.entries.find((e) => e.service === 'keys' && e.key === 'network_mode');
    expect(entry).toMatchObject({ id: 'network_mode.none', status: 'unsupported' });
    expect(entry?.fix).toMatch(/--no-network-policies/);
  });

  it('disabled: no objects, a no-network-policy finding with the fix, networks approximated', () => {
    const { ctx, plans } = setup({ web: {} }, {}, { networkPolicies: false });
    buildNetworkPolicies(ctx, plans);
    expect(ctx.objects).toEqual([]);
    expect(ctx.findings).toMatchObject([{ pitfall: 'no-network-policy' }]);
    expect(ctx.findings[0]!.fix).toMatch(/--no-network-policies/);
    expect(ctx.entries.find((e) => e.key === 'networks.default')?.status).toBe('approximated');
  });
});

describe('buildNetworkPolicies: a peer on another network', () => {
  const yaml = (appNets: string, dbPorts = '') => `
services:
  app:
    image: app
    environment:
      DATABASE_URL: postgres://u@db:5432/app
    networks: [${appNets}]
  db:
    image: postgres
${dbPorts}    networks: [back]
networks:
  front: {}
  back: {}
`;
  const warnings = (text: string, opts: Partial<ConvertOptions> = {}) =>
    convertProject(fromYaml(text), opts)
      .diagnostics.filter((d) => d.code === 'peer-on-other-network')
      .map((d) => [d.message, d.pos?.line]);

  it('warns once, at the service that names it, when no network joins them and the port is closed', () => {
    expect(warnings(yaml('front'))).toEqual([
      [
        'service "app" names db on port(s) 5432, but no compose network joins them: the NetworkPolicies drop the connection (in Docker the name does not resolve there either)',
        3,
      ],
    ]);
  });

  it('quiet when a network joins them, when the port is open to every pod, or without policies', () => {
    expect(warnings(yaml('front, back'))).toEqual([]);
    expect(warnings(yaml('front', '    ports: ["5432:5432"]\n'))).toEqual([]);
    expect(warnings(yaml('front'), { networkPolicies: false })).toEqual([]);
  });
});

describe('buildNetworkPolicies: the project default network declared external', () => {
  it('an external network named <project>_default is the default network: one label, no warning', () => {
    const r = convertProject(
      fromYaml(`
name: shop
services:
  web:
    image: nginx
    expose: ["80"]
  proxy:
    image: caddy
    command: [caddy, reverse-proxy, --to, "web:80"]
    networks: [edge]
networks:
  edge:
    external: true
    name: shop_default
`),
    );
    expect(r.diagnostics.filter((d) => d.code === 'peer-on-other-network')).toEqual([]);
    const labels = (name: string) =>
      Object.keys(
        (
          r.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!.spec as {
            template: { metadata: { labels: Record<string, string> } };
          }
        ).template.metadata.labels,
      ).filter((k) => k.startsWith('compose2k8s.io/network-'));
    expect(labels('proxy')).toEqual(labels('web'));
    expect(labels('web')).toHaveLength(1);
  });
});
