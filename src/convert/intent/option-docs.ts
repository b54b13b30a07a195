/**
 * What each conversion option does, in words (one line each): the CLI's help (src/cli/options.ts) and
 * docs/options.md (test/convert/intent/options.test.ts) read it. The converter never does, so it is kept apart
 * from OPTIONS and out of the lean browser entry (issue 9).
 */
import type { OptionName } from './options.js';

export const OPTION_DOCS: Readonly<Record<OptionName, string>> = {
  namespace: 'set metadata.namespace on every namespaced object',
  createNamespace: 'also emit the Namespace object',
  secrets: 'secret values: placeholder, embed (values in the manifest) or external (reference existing Secrets)',
  exposeType: 'Service type for published non-HTTP ports: LoadBalancer, NodePort or none',
  ingress:
    'what routes published HTTP ports: ingress (networking.k8s.io/v1 Ingresses) or gateway (Gateway API HTTPRoutes attached to --gateway)',
  gateway:
    "the Gateway the HTTPRoutes attach to (parentRefs), required with --ingress gateway; without /NAMESPACE it is in the routes' namespace",
  ingressHost: 'host of the Ingress rules for HTTP ports',
  ingressClass: 'ingressClassName of the Ingresses',
  ingressTlsSecret: 'TLS Secret name for the Ingresses',
  volumeSize: 'size of each PersistentVolumeClaim',
  storageClass: 'storageClassName of the PersistentVolumeClaims',
  sharedVolumes:
    'a volume several pods write: rwo = one ReadWriteOnce claim with the pods co-located on its node (pod affinity), rwx = a ReadWriteMany claim (needs a StorageClass that provides it)',
  hostPath: 'mount host bind mounts as hostPath volumes (single-node clusters only)',
  networkPolicies: 'emit NetworkPolicies for compose networks',
  defaultProbes: 'give services with ports and no healthcheck a tcpSocket readiness probe',
  podSecurity: 'make pods pass this Pod Security Standard',
  allowUnsafeSysctls:
    "keep sysctls outside the kubelet's safe set (for nodes started with --allowed-unsafe-sysctls); by default they are dropped, as the kubelet would reject the pod",
  kustomizeGenerators:
    'write ConfigMaps and Secrets of --format kustomize as configMapGenerator / secretGenerator entries (files next to the kustomization; hash-suffixed names roll the pods when a config changes; those only Jobs read keep their name)',
  controllers: 'run SERVICE as KIND (Deployment, StatefulSet, DaemonSet, Job, CronJob); repeatable',
};
