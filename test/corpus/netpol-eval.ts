/**
 * An independent reading of NetworkPolicies (networking.k8s.io/v1 semantics, as a CNI enforces them) for the
 * runtime audit: may a pod with labels `from` open a connection to a pod with labels `to` on a port? Everything
 * is in one namespace (the output's); a `namespaceSelector` matches it when it is `{}` or selects
 * `kubernetes.io/metadata.name` of that namespace. An `ipBlock` never matches a pod (pod addresses are not
 * known here), so a rule that admits pods only through address ranges does not admit them.
 *
 * Test code on purpose: written from the API's documentation, not from src/convert/objects/netpol.ts.
 */
import type { KubeObject } from '../../src/kube/object.js';

type J = Record<string, unknown>;
const obj = (v: unknown): J | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export type Labels = Readonly<Record<string, string>>;

/** One port of the destination pod: its number, the container port's name (if any) and protocol. */
export interface PodPort {
  number: number;
  name?: string;
  protocol: string;
}

/** Does a metav1.LabelSelector select `labels`? (Absent selector: nothing; `{}`: everything.) */
export function selects(selector: unknown, labels: Labels): boolean {
  const s = obj(selector);
  if (!s) return false;
  for (const [k, v] of Object.entries(obj(s.matchLabels) ?? {})) if (labels[k] !== v) return false;
  for (const e of arr(s.matchExpressions)) {
    const x = obj(e) ?? {};
    const key = str(x.key) ?? '';
    const values = arr(x.values).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (x.operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function namespaceMatches(selector: unknown, namespace: string): boolean {
  return selects(selector, { 'kubernetes.io/metadata.name': namespace });
}

/** Does one NetworkPolicyPeer (`from`/`to` item) designate a pod of the namespace with `labels`? */
function peerMatches(peer: unknown, labels: Labels, namespace: string): boolean {
  const p = obj(peer) ?? {};
  if (p.ipBlock) return false;
  const ns = p.namespaceSelector;
  const pods = p.podSelector;
  if (ns !== undefined && !namespaceMatches(ns, namespace)) return false;
  if (pods !== undefined) return selects(pods, labels);
  return ns !== undefined;
}

/** Does a NetworkPolicyPort list admit `port`? (Absent or empty: every port.) */
function portMatches(ports: unknown, port: PodPort): boolean {
  const list = arr(ports);
  if (!list.length) return true;
  return list.some((item) => {
    const p = obj(item) ?? {};
    if ((str(p.protocol) ?? 'TCP') !== port.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return p.port === port.name;
    const end = typeof p.endPort === 'number' ? p.endPort : p.port;
    return port.number >= (p.port as number) && port.number <= (end as number);
  });
}

interface Policy {
  name: string;
  podSelector: unknown;
  ingress?: unknown[];
  egress?: unknown[];
}

/** The policies of an output, read once. */
export class PolicySet {
  private readonly policies: Policy[] = [];

  constructor(
    objects: readonly KubeObject[],
    private readonly namespace = 'default',
  ) {
    for (const o of objects) {
      if (o.kind !== 'NetworkPolicy') continue;
      const spec = obj(o.spec) ?? {};
      const types = arr(spec.policyTypes).map(String);
      // Without policyTypes, Ingress always, Egress when egress rules are given.
      const ingress = types.length ? types.includes('Ingress') : true;
      const egress = types.length ? types.includes('Egress') : spec.egress !== undefined;
      this.policies.push({
        name: o.metadata.name,
        podSelector: spec.podSelector ?? {},
        ...(ingress ? { ingress: arr(spec.ingress) } : {}),
        ...(egress ? { egress: arr(spec.egress) } : {}),
      });
    }
  }

  get empty(): boolean {
    return this.policies.length === 0;
  }

  /** Is the connection from a pod with labels `from` to a pod with labels `to` on `port` allowed both ways out and in? */
  allows(from: Labels, to: Labels, port: PodPort): boolean {
    return this.direction('egress', from, to, port) && this.direction('ingress', to, from, port);
  }

  /** `subject` is the pod the policies select (the destination for ingress, the source for egress). */
  private direction(kind: 'ingress' | 'egress', subject: Labels, peer: Labels, port: PodPort): boolean {
    const isolating = this.policies.filter((p) => p[kind] !== undefined && selects(p.podSelector, subject));
    if (!isolating.length) return true;
    const peers = kind === 'ingress' ? 'from' : 'to';
    return isolating.some((p) =>
      p[kind]!.some((rule) => {
        const r = obj(rule) ?? {};
        const list = arr(r[peers]);
        const peerOk = !list.length || list.some((x) => peerMatches(x, peer, this.namespace));
        return peerOk && portMatches(r.ports, port);
      }),
    );
  }
}
