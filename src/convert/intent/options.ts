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

export function defaultOptions(partial: Partial<ConvertOptions> = {}): ConvertOptions {
  const o: ConvertOptions = {
    createNamespace: false,
    secrets: 'placeholder',
    exposeType: 'LoadBalancer',
    volumeSize: '1Gi',
    hostPath: false,
    networkPolicies: true,
    defaultProbes: true,
  };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  return o;
}
