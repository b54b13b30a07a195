/**
 * The `services.<name>` part of the Compose Spec schema (compose-spec `schema/compose-spec.json`,
 * `definitions.service`), including legacy v2/v3 keys still accepted by docker compose.
 */
import * as z from 'zod';
import {
  boolStr,
  command,
  deviceRequest,
  extraHosts,
  fileRefs,
  listOfStrings,
  listOrDict,
  num,
  numStr,
  obj,
  optsMap,
  scalar,
  str,
  stringOrList,
  ulimits,
} from './schema-common.js';

const port = z.union([
  z.number(),
  z.string(),
  obj({
    name: str.optional(),
    mode: str.optional(),
    host_ip: str.optional(),
    target: numStr.optional(),
    published: numStr.optional(),
    protocol: str.optional(),
    app_protocol: str.optional(),
  }),
]);

const volume = z.union([
  z.string(),
  obj({
    type: z.enum(['bind', 'volume', 'tmpfs', 'cluster', 'npipe', 'image']),
    source: str.optional(),
    target: str.optional(),
    read_only: boolStr.optional(),
    consistency: str.optional(),
    bind: obj({
      propagation: str.optional(),
      create_host_path: boolStr.optional(),
      recursive: z.enum(['enabled', 'disabled', 'writable', 'readonly']).optional(),
      selinux: z.enum(['z', 'Z']).optional(),
    }).optional(),
    volume: obj({ labels: listOrDict.optional(), nocopy: boolStr.optional(), subpath: str.optional() }).optional(),
    tmpfs: obj({ size: numStr.optional(), mode: numStr.optional() }).optional(),
    image: obj({ subpath: str.optional() }).optional(),
  }),
]);

const dependsOn = z.union([
  listOfStrings,
  z.record(
    z.string(),
    obj({
      condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']),
      required: boolStr.optional(),
      restart: boolStr.optional(),
    }),
  ),
]);

const serviceNetwork = obj({
  aliases: listOfStrings.optional(),
  interface_name: str.optional(),
  ipv4_address: str.optional(),
  ipv6_address: str.optional(),
  link_local_ips: listOfStrings.optional(),
  mac_address: str.optional(),
  driver_opts: optsMap.optional(),
  priority: num.optional(),
  gw_priority: num.optional(),
}).nullable();

export const healthcheckSchema = obj({
  disable: boolStr.optional(),
  interval: numStr.optional(),
  retries: numStr.optional(),
  test: z.union([z.string(), z.array(z.string())]).optional(),
  timeout: numStr.optional(),
  start_period: numStr.optional(),
  start_interval: numStr.optional(),
});

const resources = obj({
  cpus: numStr.optional(),
  memory: numStr.optional(),
  pids: numStr.optional(),
});

const updateConfig = obj({
  parallelism: numStr.optional(),
  delay: numStr.optional(),
  failure_action: str.optional(),
  monitor: numStr.optional(),
  max_failure_ratio: numStr.optional(),
  order: z.enum(['start-first', 'stop-first']).optional(),
});

export const deploySchema = obj({
  mode: str.optional(),
  endpoint_mode: str.optional(),
  replicas: numStr.optional(),
  labels: listOrDict.optional(),
  rollback_config: updateConfig.optional(),
  update_config: updateConfig.optional(),
  resources: obj({
    limits: resources.optional(),
    reservations: obj({
      cpus: numStr.optional(),
      memory: numStr.optional(),
      pids: numStr.optional(),
      generic_resources: z.array(z.unknown()).optional(),
      devices: z.array(deviceRequest).optional(),
    }).optional(),
  }).optional(),
  restart_policy: obj({
    condition: str.optional(),
    delay: numStr.optional(),
    max_attempts: numStr.optional(),
    window: numStr.optional(),
  }).optional(),
  placement: obj({
    constraints: listOfStrings.optional(),
    preferences: z.array(obj({ spread: str.optional() })).optional(),
    max_replicas_per_node: numStr.optional(),
  }).optional(),
}).nullable();

export const buildSchema = z.union([
  z.string(),
  obj({
    context: str.optional(),
    dockerfile: str.optional(),
    dockerfile_inline: str.optional(),
    entitlements: listOfStrings.optional(),
    args: listOrDict.optional(),
    ssh: z.union([listOrDict, z.string()]).optional(),
    labels: listOrDict.optional(),
    cache_from: listOfStrings.optional(),
    cache_to: listOfStrings.optional(),
    no_cache: boolStr.optional(),
    additional_contexts: listOrDict.optional(),
    network: str.optional(),
    pull: boolStr.optional(),
    target: str.optional(),
    shm_size: numStr.optional(),
    extra_hosts: extraHosts.optional(),
    isolation: str.optional(),
    privileged: boolStr.optional(),
    secrets: fileRefs.optional(),
    tags: listOfStrings.optional(),
    ulimits: ulimits.optional(),
    platforms: listOfStrings.optional(),
  }),
]);

const envFile = z.union([
  z.string(),
  z.array(z.union([z.string(), obj({ path: str, format: str.optional(), required: boolStr.optional() })])),
]);

export const serviceShape = {
  annotations: listOrDict.optional(),
  attach: boolStr.optional(),
  blkio_config: z.record(z.string(), z.unknown()).optional(),
  build: buildSchema.optional(),
  cap_add: listOfStrings.optional(),
  cap_drop: listOfStrings.optional(),
  cgroup: z.enum(['host', 'private']).optional(),
  cgroup_parent: str.optional(),
  command: command.optional(),
  configs: fileRefs.optional(),
  container_name: str.optional(),
  cpu_count: numStr.optional(),
  cpu_percent: numStr.optional(),
  cpu_period: numStr.optional(),
  cpu_quota: numStr.optional(),
  cpu_rt_period: numStr.optional(),
  cpu_rt_runtime: numStr.optional(),
  cpu_shares: numStr.optional(),
  cpus: numStr.optional(),
  cpuset: str.optional(),
  credential_spec: z.record(z.string(), z.unknown()).optional(),
  depends_on: dependsOn.optional(),
  deploy: deploySchema.optional(),
  develop: z.record(z.string(), z.unknown()).nullable().optional(),
  device_cgroup_rules: listOfStrings.optional(),
  devices: z
    .array(z.union([z.string(), obj({ source: str, target: str.optional(), permissions: str.optional() })]))
    .optional(),
  dns: stringOrList.optional(),
  dns_opt: listOfStrings.optional(),
  dns_search: stringOrList.optional(),
  domainname: str.optional(),
  entrypoint: command.optional(),
  env_file: envFile.optional(),
  environment: listOrDict.optional(),
  expose: z.array(z.union([z.string(), z.number()])).optional(),
  extends: z.union([z.string(), obj({ service: str, file: str.optional() })]).optional(),
  external_links: listOfStrings.optional(),
  extra_hosts: extraHosts.optional(),
  gpus: z.union([z.literal('all'), z.array(deviceRequest)]).optional(),
  group_add: z.array(z.union([z.string(), z.number()])).optional(),
  healthcheck: healthcheckSchema.optional(),
  hostname: str.optional(),
  image: str.optional(),
  init: boolStr.optional(),
  ipc: str.optional(),
  isolation: str.optional(),
  label_file: stringOrList.optional(),
  labels: listOrDict.optional(),
  links: listOfStrings.optional(),
  logging: obj({ driver: str.optional(), options: optsMap.optional() }).optional(),
  mac_address: str.optional(),
  mem_limit: numStr.optional(),
  mem_reservation: numStr.optional(),
  mem_swappiness: numStr.optional(),
  memswap_limit: numStr.optional(),
  models: z.union([listOfStrings, z.record(z.string(), z.unknown())]).optional(),
  network_mode: str.optional(),
  networks: z.union([listOfStrings, z.record(z.string(), serviceNetwork)]).optional(),
  oom_kill_disable: boolStr.optional(),
  oom_score_adj: numStr.optional(),
  pid: str.nullable().optional(),
  pids_limit: numStr.optional(),
  platform: str.optional(),
  ports: z.array(port).optional(),
  post_start: z.array(z.unknown()).optional(),
  pre_stop: z.array(z.unknown()).optional(),
  privileged: boolStr.optional(),
  profiles: listOfStrings.optional(),
  provider: z.record(z.string(), z.unknown()).optional(),
  pull_policy: str.optional(),
  pull_refresh_after: str.optional(),
  read_only: boolStr.optional(),
  restart: str.optional(),
  runtime: str.optional(),
  scale: numStr.optional(),
  secrets: fileRefs.optional(),
  security_opt: listOfStrings.optional(),
  shm_size: numStr.optional(),
  stdin_open: boolStr.optional(),
  stop_grace_period: numStr.optional(),
  stop_signal: str.optional(),
  storage_opt: z.record(z.string(), z.unknown()).optional(),
  sysctls: listOrDict.optional(),
  tmpfs: stringOrList.optional(),
  tty: boolStr.optional(),
  ulimits: ulimits.optional(),
  use_api_socket: boolStr.optional(),
  user: z.union([z.string(), z.number()]).optional(),
  userns_mode: str.optional(),
  uts: str.optional(),
  volumes: z.array(volume).optional(),
  volumes_from: listOfStrings.optional(),
  working_dir: str.optional(),
};

export const serviceSchema = obj(serviceShape);
export type RawService = z.infer<typeof serviceSchema>;
export type RawPort = NonNullable<RawService['ports']>[number];
export type RawVolume = NonNullable<RawService['volumes']>[number];
export type RawDeploy = NonNullable<z.infer<typeof deploySchema>>;
export type RawHealthcheck = z.infer<typeof healthcheckSchema>;

/** Service keys the spec defines but the model does not carry: `extends` is resolved by the loader before normalization. */
export const SERVICE_KEYS_NOT_MODELLED: readonly string[] = ['extends'];

/** `scalar` re-exported for the top-level schema. */
export { scalar };
