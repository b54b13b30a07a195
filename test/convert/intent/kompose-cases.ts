/**
 * The kompose fixtures that use kompose labels: which of kompose's expected outputs each one is compared
 * with (from kompose's script/test/cmd/tests*.sh), and what kompose tolerates that the Compose Spec does
 * not. EXPECTED_DIFFERENCES lists where our output differs from kompose's on purpose, with the reason.
 */
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import type { External } from '../../helpers/validate.js';

export interface Case {
  /** kompose's expected output, relative to the compose file's folder. */
  output?: string;
  /** Without an output: the expected effect per `service|label`. */
  expected?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Options matching the kompose command line of the fixture's test. */
  options?: Partial<ConvertOptions>;
  /** A kompose v1 file (services at the top level, no `services:`): wrapped before loading. */
  v1?: true;
  /** YAML appended to the file (declarations kompose does not require). */
  append?: string;
  /** Files kompose's repository has beside the fixture and the corpus copy lacks (path relative to the folder). */
  files?: Record<string, string>;
  /** Objects made outside the output (e.g. image pull secrets). */
  external?: External;
  /** Error diagnostics the fixture must produce (kompose rejects it too). */
  errors?: string[];
  /** `service|label` of kompose.* labels no kompose version knows (reported as a warning, not applied). */
  unknownLabels?: string[];
}

const V1 = { v1: true } as const;

export const CASES: Record<string, Case> = {
  'change-in-volume/compose.yaml': { output: 'output-k8s.yaml' },
  'compose-env-interpolation/compose.yaml': { output: 'output-k8s.yaml' },
  'configmap/compose.yaml': { output: 'output-k8s-template.json' },
  'configmap-pod/compose.yaml': { output: 'output-k8s.yaml' },
  'configmap-volume/compose-withlabel.yaml': {
    output: 'output-k8s-withlabel.yaml',
    files: { 'tls/a.crt': 'test-crt-data...', 'tls/a.key': 'test-key-data....', 'configs.tar': 'tar data' },
  },
  'controller/compose-controller-label-v3.yaml': { output: 'output-k8s-controller-v3-template.json' },
  'controller/compose-controller-label.yaml': { output: 'output-k8s-controller-template.json', ...V1 },
  'controller/compose.yaml': { output: 'output-k8s-deployment-template.json' },
  'cronjob/compose.yaml': { output: 'output-k8s.yaml' },
  'deploy/labels/compose.yaml': { output: 'output-k8s.yaml' },
  'entrypoint-command/compose.yaml': { output: 'output-k8s-template.json' },
  'expose/compose.yaml': { output: 'output-k8s.yaml' },
  'external-traffic-policy/compose-v1.yaml': { output: 'output-k8s-v1.yaml' },
  'external-traffic-policy/compose-v2.yaml': { output: 'output-k8s-v2.yaml' },
  'fsgroup/compose.yaml': { output: 'output-k8s.yaml' },
  'healthcheck/compose-healthcheck.yaml': { output: 'output-healthcheck-k8s.yaml' },
  'host-port-protocol/compose.yaml': {
    output: 'output-k8s.yaml',
    unknownLabels: ['nginx|kompose.container.kompose.controller.port.expose'],
  },
  'hpa/compose.yaml': { output: 'output-k8s.yaml' },
  'image-pull-policy/compose-files/v12-fail-image-pull-policy.yml': {
    errors: [
      'kompose-label-invalid: service "nginx0": label kompose.image-pull-policy: "Fail" is not one of Always, IfNotPresent, Never',
    ],
  },
  'image-pull-policy/compose-files/v12-image-pull-policy.yml': {
    output: '../provider-files/kubernetes-v12-image-pull-policy.json',
  },
  'image-pull-policy/compose-files/v3-image-pull-policy.yml': {
    output: '../provider-files/kubernetes-v3-image-pull-policy.json',
  },
  'image-pull-secret/compose-files/docker-compose-image-pull-secret.yml': {
    output: '../provider-files/kubernetes-image-pull-secret.json',
    ...V1,
    external: { secrets: ['sample-k8s-secret-name'] },
  },
  'initcontainer/compose.yaml': { output: 'output-k8s.yaml' },
  // No kompose output. The service has no ports, so there is no Service to give a type (the report says so).
  'label-port/docker-compose.yml': { expected: { 'webapiapplication|kompose.service.type': [] } },
  'multiple-type-volumes/compose.yaml': {
    output: 'output-k8s.yaml',
    files: { 'tls/a.crt': 'test-crt-data...', 'tls/a.key': 'test-key-data....' },
  },
  // kompose's test passes --pvc-request-size=300Mi
  'pvc-request-size/compose.yaml': { output: 'output-k8s.json', options: { volumeSize: '300Mi' } },
  'security-contexts/compose.yaml': { output: 'output-k8s.yaml' },
  'service-label/docker-compose.yaml': { output: 'output-k8s.json' },
  'service-name-change/docker-compose.yml': { output: 'output-k8s-template.json' },
  'single-file-output/compose.yaml': { output: 'output-k8s.yaml' },
  'storage-class-name/compose.yaml': { output: 'output-k8s.json' },
  'unused/expose-service/compose-files/docker-compose-expose-hostname-multiple-ports.yml': {
    output: '../provider-files/kubernetes-expose-hostname-multiple-ports.json',
    ...V1,
  },
  'unused/expose-service/compose-files/docker-compose-expose-hostname-tls.yml': {
    output: '../provider-files/kubernetes-expose-hostname-tls.json',
    ...V1,
  },
  'unused/expose-service/compose-files/docker-compose-expose-hostname.yml': {
    output: '../provider-files/kubernetes-expose-hostname.json',
    ...V1,
  },
  'unused/expose-service/compose-files/docker-compose-expose-multiple-hostname-tls.yml': {
    output: '../provider-files/kubernetes-expose-multiple-hostname-tls.json',
    ...V1,
  },
  'unused/expose-service/compose-files/docker-compose-expose-multiple-hostname.yml': {
    output: '../provider-files/kubernetes-expose-multiple-hostname.json',
    ...V1,
  },
  'unused/expose-service/compose-files/docker-compose-expose-true-multiple-ports.yml': {
    output: '../provider-files/kubernetes-expose-true-multiple-ports.json',
    ...V1,
  },
  'unused/expose-service/compose-files/docker-compose-expose-true.yml': {
    output: '../provider-files/kubernetes-expose-true.json',
    ...V1,
  },
  'unused/v3/docker-compose-deploy.yaml': {
    errors: ['unknown-service: services.vote.depends_on[0]: service "redis" is not defined'],
  },
  'unused/v3/docker-compose-env.yaml': { output: 'output-env-k8s.json' },
  'unused/v3/docker-compose-memcpu-partial.yaml': { output: 'output-memcpu-partial-k8s.json' },
  'unused/v3/docker-compose-memcpu.yaml': { output: 'output-memcpu-k8s.json' },
  'unused/v3/docker-compose-unset-env.yaml': { output: 'output-unset-env-k8s.json' },
  'unused/v3/docker-compose-volumes.yaml': { output: 'output-volumes-k8s-template.json' },
  'unused/v3/docker-compose.yaml': { output: 'output-k8s-template.json' },
  'v2/compose.yaml': { output: 'output-k8s.yaml' },
  'v3.0/compose.yaml': { output: 'output-k8s.yaml' },
  'vols-subpath/compose.yaml': { output: 'output-k8s.yaml' },
  // kompose tolerates volumes used but not declared; compose (and we) reject them.
  'volume-mounts/named-volume/docker-compose-v3.yml': { output: 'output-k8s-v3.json', append: '\n  db-config: {}\n' },
  'volume-mounts/named-volume/docker-compose.yml': {
    output: 'output-k8s-template.json',
    append: '\nvolumes:\n  db-data: {}\n',
  },
};

/** `fixture|service|label` (or `fixture|volume:<name>|label`) → why our effect differs from kompose's. */
export const EXPECTED_DIFFERENCES: Record<string, string> = {
  'v2/compose.yaml|redis|kompose.service.type':
    'redis publishes 6379/tcp and 1234:1235/udp: kompose makes one LoadBalancer with both protocols, which many clouds refuse (issue 14); compose2k8s keeps Service/redis ClusterIP for peers and makes one LoadBalancer per protocol (redis-tcp, redis-udp)',
  'configmap-volume/compose-withlabel.yaml|web|kompose.volume.type':
    'the fixture mounts a private key (tls/a.key): kompose puts it in a ConfigMap; compose2k8s never does (issue 13) — the key file is a Secret, and the tls directory projects its ConfigMap and that Secret',
  'multiple-type-volumes/compose.yaml|web|kompose.volume.type': 'same as configmap-volume: tls/a.key is a private key',
  'single-file-output/compose.yaml|front_end|kompose.service.expose':
    "as in external-traffic-policy: kompose's expected output has no Ingress for the LoadBalancer service; compose2k8s honours the label",
  'single-file-output/compose.yaml|front_end|kompose.service.expose.ingress-class-name':
    'follows from the Ingress above',
  'healthcheck/compose-healthcheck.yaml|mongo|kompose.service.group':
    "kompose applies kompose.service.group only with --service-group-mode=label, which this fixture's test does not pass; compose2k8s applies a label the user wrote",
  'healthcheck/compose-healthcheck.yaml|mysql|kompose.service.group': 'same as mongo',
  'service-label/docker-compose.yaml|mariadb|kompose.service.nodeport.port':
    'nodePort 33111 is outside the default node port range 30000-32767, which the API server rejects; compose2k8s leaves the port to the cluster and reports it',
  'pvc-request-size/compose.yaml|postgresql|kompose.volume.size':
    'the volume is a host directory outside the project; kompose silently replaces it by an empty claim, compose2k8s reports it unsupported instead of pretending the data is there',
};
