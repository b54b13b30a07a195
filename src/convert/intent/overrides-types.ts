/** What users ask for beyond the Compose Spec (kompose labels, `x-k8s`), as read by intent/overrides.ts. */
import type { ControllerKind } from '../../kube/workloads.js';
import type { ConvertOptions } from './options.js';

export type ServiceTypeOverride = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'Headless' | 'None';
export type AccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';
export type VolumeKind = 'persistentVolumeClaim' | 'emptyDir' | 'hostPath' | 'configMap';

export interface ProbeOverride {
  /** Absent: keep the action derived from the compose healthcheck, only tune the timing. */
  type?: 'exec' | 'http' | 'tcp';
  command?: string[];
  /** http: request path (absent → `/`). */
  path?: string;
  /** http/tcp: container port (absent → the service's first port). */
  port?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  initialDelaySeconds?: number;
  /** The probe must not be emitted (also no default probe). */
  disabled?: boolean;
}

export interface IngressRuleOverride {
  /** Absent: rule without host (or the `--ingress-host` option). */
  host?: string;
  /** Absent: `/`. */
  path?: string;
  /** The path matches exactly (`pathType: Exact`, a Traefik `Path(...)`), not as a prefix. */
  exact?: boolean;
  /** Container port of this rule (a Traefik router's service port); absent: the ingress `port`. */
  port?: number;
  /** Only requests with these headers (an HTTPRoute header match; an Ingress has none). */
  headers?: HeaderMatch[];
}

/** A request header an HTTPRoute rule matches: an exact value or a regular expression. */
export interface HeaderMatch {
  name: string;
  value: string;
  regex: boolean;
}

export interface IngressOverride {
  /**
   * true: the user asked for an Ingress (`kompose.service.expose`, `x-k8s.ingress`); false: never create one
   * (`x-k8s.ingress: false`, `kompose.service.expose: false`); absent: only class/TLS were set, for an
   * Ingress the converter creates anyway (HTTP ports).
   */
  enabled?: boolean;
  /**
   * True when kompose labels asked for an Ingress (`kompose.service.expose`) beside `kompose.service.type:
   * LoadBalancer`, where kompose builds none (the load balancer exposes the ports): `enabled` is then false.
   */
  besideLoadBalancer?: boolean;
  /** One rule per host (kompose `host/path` entries keep their own path). Empty: one rule from the options. */
  rules: IngressRuleOverride[];
  /** The distinct hosts of `rules`. */
  hosts: string[];
  className?: string;
  tlsSecret?: string;
  /** Container port to route (Traefik's `loadbalancer.server.port`); absent: the first TCP port. */
  port?: number;
  /** Where a port the dialect found comes from, for the report (nginx-proxy's `VIRTUAL_PORT`, its default 80). */
  portFrom?: { port: number; from: string };
}

export interface StorageOverride {
  size?: string;
  storageClass?: string;
  accessMode?: AccessMode;
  /** kompose.volume.type: how the service's volumes are realised. */
  type?: VolumeKind;
  /** kompose.volume.subpath / sub-path: mount this sub-path of each volume. */
  subpath?: string;
}

export interface QuantityPair {
  cpu?: string;
  memory?: string;
  ephemeralStorage?: string;
}

export interface ServiceOverrides {
  controller?: ControllerKind;
  replicas?: number;
  serviceType?: ServiceTypeOverride;
  nodePort?: number;
  externalTrafficPolicy?: 'Cluster' | 'Local';
  ingress?: IngressOverride;
  /** kompose.service.group / x-k8s.group: services with the same group share one pod. */
  serviceGroup?: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  imagePullSecrets?: string[];
  serviceAccountName?: string;
  /** Storage settings for the service's volumes (a top-level volume's own settings win: `volumeOverrides`). */
  volumes?: StorageOverride;
  readiness?: ProbeOverride;
  liveness?: ProbeOverride;
  startup?: ProbeOverride;
  resources?: { limits?: QuantityPair; requests?: QuantityPair };
  cron?: { schedule: string; concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace'; backoffLimit?: number };
  /** cpu: target average utilization (%); memory: utilization (%) when a number, average value when a quantity. */
  hpa?: { minReplicas?: number; maxReplicas?: number; cpu?: number; memory?: number | string };
  initContainers?: Array<{ name: string; image: string; command?: string[] }>;
  fsGroup?: number;
  /** kompose.controller.port.expose: published ports also become hostPorts. */
  hostPorts?: boolean;
  /** Raw patches (`x-k8s.patches`) applied last by the pipeline, in order. */
  patches?: unknown[];
  /** Published ports are HTTP (Ingress) or not (`x-k8s.http`, label `compose2k8s.http`). */
  http?: boolean;
}

export interface VolumeOverrides {
  size?: string;
  storageClass?: string;
  accessMode?: AccessMode;
  /** kompose.volume.selector: bind to PersistentVolumes labelled with this value. */
  selector?: string;
  /** x-k8s seed: fill the empty claim with the image's files at the mount path first, as Docker does on first use. */
  seed?: boolean;
}

/** The top-level `x-k8s`: option values (by option name; see OPTIONS) and project settings that are no option. */
export interface ProjectOverrides {
  options?: Partial<ConvertOptions>;
  storage?: { accessMode?: AccessMode };
}
