/**
 * The conversion options, declared once in OPTIONS: name, CLI flag, top-level `x-k8s` key, default, accepted
 * values and doc. From it come the defaults (defaultOptions), the precedence (effectiveOptions in overrides.ts:
 * CLI flag or library option > x-k8s > default), the commander options of the CLI (src/cli/options.ts) and
 * docs/options.md (test/convert/intent/options.test.ts keeps it in step).
 */
import type { ControllerKind } from '../../kube/workloads.js';

/** Options of one conversion. Every field has a default (see `defaultOptions`). */
export interface ConvertOptions {
  /** metadata.namespace of every namespaced object; absent → no namespace set. */
  namespace?: string;
  /** Also emit the Namespace object (only with `namespace`). */
  createNamespace: boolean;
  /** How secret values are emitted. */
  secrets: 'placeholder' | 'embed' | 'external';
  /** Service type for published non-HTTP ports. */
  exposeType: 'LoadBalancer' | 'NodePort' | 'none';
  /** Ingress host for HTTP ports (absent → rule without host). */
  ingressHost?: string;
  ingressClass?: string;
  /** TLS secret name for Ingresses. */
  ingressTlsSecret?: string;
  /** Default PVC size and storage class. */
  volumeSize: string;
  storageClass?: string;
  /** Allow hostPath volumes for host bind mounts. */
  hostPath: boolean;
  /** Emit NetworkPolicies (issue 5). */
  networkPolicies: boolean;
  /** tcpSocket readiness probe for services with ports and no healthcheck (issue 5). */
  defaultProbes: boolean;
  podSecurity?: 'restricted';
  /** Controller per compose service name (`--controller SERVICE=KIND`); wins over x-k8s and kompose labels. */
  controllers?: Record<string, ControllerKind>;
}

/** How the CLI reads an option's value. */
export type OptionKind =
  | { type: 'string'; arg: string }
  | { type: 'choice'; arg: string; choices: readonly string[] }
  | { type: 'quantity'; arg: string }
  | { type: 'flag' }
  | { type: 'controllers'; arg: string };

export interface OptionSpec {
  name: keyof ConvertOptions;
  /** Long CLI flag without dashes (`namespace` → `--namespace`); `short` adds `-n`. */
  flag: string;
  short?: string;
  kind: OptionKind;
  /** Dotted key under the top-level `x-k8s` that sets it too (`ingress.host`), when there is one. */
  xk8s?: string;
  default?: ConvertOptions[keyof ConvertOptions];
  doc: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'namespace',
    flag: 'namespace',
    short: 'n',
    kind: { type: 'string', arg: 'ns' },
    xk8s: 'namespace',
    doc: 'set metadata.namespace on every namespaced object',
  },
  {
    name: 'createNamespace',
    flag: 'create-namespace',
    kind: { type: 'flag' },
    xk8s: 'createNamespace',
    default: false,
    doc: 'also emit the Namespace object',
  },
  {
    name: 'secrets',
    flag: 'secrets',
    kind: { type: 'choice', arg: 'mode', choices: ['placeholder', 'embed', 'external'] },
    xk8s: 'secrets',
    default: 'placeholder',
    doc: 'secret values: placeholder, embed (values in the manifest) or external (reference existing Secrets)',
  },
  {
    name: 'exposeType',
    flag: 'expose-type',
    kind: { type: 'choice', arg: 'type', choices: ['LoadBalancer', 'NodePort', 'none'] },
    xk8s: 'exposeType',
    default: 'LoadBalancer',
    doc: 'Service type for published non-HTTP ports: LoadBalancer, NodePort or none',
  },
  {
    name: 'ingressHost',
    flag: 'ingress-host',
    kind: { type: 'string', arg: 'host' },
    xk8s: 'ingress.host',
    doc: 'host of the Ingress rules for HTTP ports',
  },
  {
    name: 'ingressClass',
    flag: 'ingress-class',
    kind: { type: 'string', arg: 'class' },
    xk8s: 'ingress.class',
    doc: 'ingressClassName of the Ingresses',
  },
  {
    name: 'ingressTlsSecret',
    flag: 'ingress-tls-secret',
    kind: { type: 'string', arg: 'secret' },
    xk8s: 'ingress.tls.secret',
    doc: 'TLS Secret name for the Ingresses',
  },
  {
    name: 'volumeSize',
    flag: 'volume-size',
    kind: { type: 'quantity', arg: 'size' },
    xk8s: 'storage.size',
    default: '1Gi',
    doc: 'size of each PersistentVolumeClaim',
  },
  {
    name: 'storageClass',
    flag: 'storage-class',
    kind: { type: 'string', arg: 'class' },
    xk8s: 'storage.class',
    doc: 'storageClassName of the PersistentVolumeClaims',
  },
  {
    name: 'hostPath',
    flag: 'host-path',
    kind: { type: 'flag' },
    default: false,
    doc: 'mount host bind mounts as hostPath volumes (single-node clusters only)',
  },
  {
    name: 'networkPolicies',
    flag: 'network-policies',
    kind: { type: 'flag' },
    xk8s: 'networkPolicies',
    default: true,
    doc: 'emit NetworkPolicies for compose networks',
  },
  {
    name: 'defaultProbes',
    flag: 'default-probes',
    kind: { type: 'flag' },
    xk8s: 'defaultProbes',
    default: true,
    doc: 'a tcpSocket readiness probe for services with ports and no healthcheck',
  },
  {
    name: 'podSecurity',
    flag: 'pod-security',
    kind: { type: 'choice', arg: 'level', choices: ['restricted'] },
    xk8s: 'podSecurity',
    doc: 'make pods pass this Pod Security Standard',
  },
  {
    name: 'controllers',
    flag: 'controller',
    kind: { type: 'controllers', arg: 'service=kind' },
    doc: 'run SERVICE as KIND (Deployment, StatefulSet, DaemonSet, Job, CronJob); repeatable (per service, x-k8s.controller)',
  },
];

export function defaultOptions(partial: Partial<ConvertOptions> = {}): ConvertOptions {
  const o: Record<string, unknown> = {};
  for (const spec of OPTIONS) if (spec.default !== undefined) o[spec.name] = spec.default;
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) o[k] = v;
  return o as unknown as ConvertOptions;
}

/** The options a caller set (CLI flags given, library options passed): they win over x-k8s. */
export function explicitOptions(partial: Partial<ConvertOptions> = {}): ReadonlySet<keyof ConvertOptions> {
  return new Set((Object.keys(partial) as Array<keyof ConvertOptions>).filter((k) => partial[k] !== undefined));
}
