/**
 * The one table of supported kompose labels: label → accepted values → meaning → overrides field.
 * docs/x-k8s.md and the mappings report use it; a test checks every entry has a handler.
 */
/** Our own label (same as ports.ts's HTTP_LABEL; not imported to keep this module free of cycles). */
export const HTTP_LABEL = 'compose2k8s.http';

export interface KomposeLabel {
  label: string;
  /** Accepted values, as a user would write them. */
  values: string;
  meaning: string;
  /** The ServiceOverrides / VolumeOverrides field it sets. */
  field: string;
  /** Where the label goes. */
  on: 'service' | 'volume';
}

const probeSuffixes: Array<[string, string, string, string]> = [
  ['disable', 'true / false', 'no probe at all (also no default probe)', 'disabled'],
  ['test', 'command line or JSON array', 'exec probe running this command', 'command'],
  ['http_get_path', '/path', 'httpGet probe on this path', 'path'],
  ['http_get_port', 'port number', 'httpGet probe on this port', 'port'],
  ['tcp_port', 'port number', 'tcpSocket probe on this port', 'port'],
  ['interval', 'duration (10s)', 'periodSeconds', 'periodSeconds'],
  ['timeout', 'duration (1s)', 'timeoutSeconds', 'timeoutSeconds'],
  ['retries', 'integer', 'failureThreshold', 'failureThreshold'],
  ['start_period', 'duration (30s)', 'initialDelaySeconds', 'initialDelaySeconds'],
];

const S = (label: string, values: string, meaning: string, field: string): KomposeLabel => ({
  label,
  values,
  meaning,
  field,
  on: 'service',
});

export const KOMPOSE_LABELS: readonly KomposeLabel[] = [
  S(
    'kompose.service.type',
    'nodeport / clusterip / loadbalancer / headless / none',
    'type of the Service for the published ports',
    'serviceType',
  ),
  S(
    'kompose.service.expose',
    'true / false / host[/path],host2,...',
    'create an Ingress (for these hosts; a host may carry its own path)',
    'ingress.rules',
  ),
  S('kompose.service.expose.path', '/path', 'Ingress path for hosts without their own path', 'ingress.rules[].path'),
  S('kompose.service.expose.tls-secret', 'secret name', 'TLS Secret of the Ingress', 'ingress.tlsSecret'),
  S('kompose.service.expose.ingress-class-name', 'class name', 'ingressClassName of the Ingress', 'ingress.className'),
  S(
    'kompose.service.nodeport.port',
    '30000-32767',
    'fixed nodePort (implies type NodePort when no type is set)',
    'nodePort',
  ),
  S(
    'kompose.service.external-traffic-policy',
    'cluster / local',
    'externalTrafficPolicy of the NodePort/LoadBalancer Service',
    'externalTrafficPolicy',
  ),
  S('kompose.service.group', 'group name', 'services of one group run as containers of one pod', 'serviceGroup'),
  ...(['readiness', 'liveness'] as const).flatMap((kind) =>
    probeSuffixes.map(([suffix, values, meaning, field]) =>
      S(`kompose.service.healthcheck.${kind}.${suffix}`, values, `${kind} probe: ${meaning}`, `${kind}.${field}`),
    ),
  ),
  S(
    'kompose.controller.type',
    'deployment / statefulset / daemonset / job / cronjob / replicationcontroller',
    'workload kind (replicationcontroller becomes a Deployment)',
    'controller',
  ),
  S('kompose.controller.port.expose', 'true / false', 'published ports also become hostPorts', 'hostPorts'),
  S(
    'kompose.image-pull-policy',
    'Always / IfNotPresent / Never',
    'imagePullPolicy of the container',
    'imagePullPolicy',
  ),
  S('kompose.image-pull-secret', 'secret name[,secret2]', 'imagePullSecrets of the pod', 'imagePullSecrets'),
  S('kompose.serviceaccount-name', 'service account name', 'serviceAccountName of the pod', 'serviceAccountName'),
  S('kompose.security-context.fsgroup', 'group id', 'pod securityContext.fsGroup', 'fsGroup'),
  S(
    'kompose.cronjob.schedule',
    'cron expression ("*/5 * * * *")',
    'run as a CronJob on this schedule',
    'cron.schedule',
  ),
  S(
    'kompose.cronjob.concurrency_policy',
    'Allow / Forbid / Replace',
    'CronJob concurrencyPolicy',
    'cron.concurrencyPolicy',
  ),
  S('kompose.cronjob.backoff_limit', 'integer', 'Job backoffLimit', 'cron.backoffLimit'),
  S('kompose.hpa.replicas.min', 'integer', 'HorizontalPodAutoscaler minReplicas', 'hpa.minReplicas'),
  S('kompose.hpa.replicas.max', 'integer', 'HorizontalPodAutoscaler maxReplicas', 'hpa.maxReplicas'),
  S('kompose.hpa.cpu', 'percent (50)', 'target average CPU utilization', 'hpa.cpu'),
  S(
    'kompose.hpa.memory',
    'percent (70) or quantity (512Mi)',
    'target average memory utilization, or average value',
    'hpa.memory',
  ),
  S(
    'kompose.init.containers.name',
    'container name',
    'name of an init container (default init-<service>)',
    'initContainers[0].name',
  ),
  S('kompose.init.containers.image', 'image', 'image of the init container', 'initContainers[0].image'),
  S(
    'kompose.init.containers.command',
    'JSON array or command line',
    'command of the init container',
    'initContainers[0].command',
  ),
  S('kompose.volume.size', 'quantity (1Gi)', "size of the service's volume claims", 'volumes.size'),
  S(
    'kompose.volume.storage-class-name',
    'StorageClass name',
    "storageClassName of the service's volume claims",
    'volumes.storageClass',
  ),
  S(
    'kompose.volume.type',
    'persistentVolumeClaim / emptyDir / hostPath / configMap',
    "how the service's volumes are realised",
    'volumes.type',
  ),
  S(
    'kompose.volume.subpath',
    'sub-path',
    'mount this sub-path of the volumes (alias kompose.volume.sub-path)',
    'volumes.subpath',
  ),
  S('kompose.volume.sub-path', 'sub-path', 'same as kompose.volume.subpath', 'volumes.subpath'),
  S(
    'kompose.ephemeral-storage.request',
    'quantity (1Gi)',
    'ephemeral-storage request (usually in deploy.labels)',
    'resources.requests.ephemeralStorage',
  ),
  S(
    'kompose.ephemeral-storage.limit',
    'quantity (1Gi)',
    'ephemeral-storage limit (usually in deploy.labels)',
    'resources.limits.ephemeralStorage',
  ),
  S(HTTP_LABEL, 'true / false', 'published ports are HTTP (Ingress) or not (LoadBalancer/NodePort Service)', 'http'),
  {
    label: 'kompose.volume.size',
    values: 'quantity (1Gi)',
    meaning: 'size of the claim (wins over the service label)',
    field: 'size',
    on: 'volume',
  },
  {
    label: 'kompose.volume.storage-class-name',
    values: 'StorageClass name',
    meaning: 'storageClassName of the claim',
    field: 'storageClass',
    on: 'volume',
  },
  {
    label: 'kompose.volume.selector',
    values: 'label value',
    meaning: 'bind to PersistentVolumes labelled io.kompose.service=<value>',
    field: 'selector',
    on: 'volume',
  },
];

/** The table as Markdown (docs/x-k8s.md embeds it; a test keeps the two identical). */
export function komposeLabelsMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = KOMPOSE_LABELS.map(
    (l) =>
      `| ${l.on === 'volume' ? 'top-level volume' : 'service'} | \`${l.label}\` | ${esc(l.values)} | ${esc(l.meaning)} | \`${l.field}\` |`,
  );
  return ['| On | Label | Values | Meaning | Override field |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
