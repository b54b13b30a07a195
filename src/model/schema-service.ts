/**
 * The `services.<name>` part of the Compose Spec schema (compose-spec `schema/compose-spec.json`,
 * `definitions.service`), including legacy v2/v3 keys still accepted by docker compose.
 */
import * as s from './check.js';
import { obj, type Blocks } from './schema-common.js';

/** The keys of a service and their schemas (built on each call). */
export function serviceShape(b: Blocks) {
  const {
    boolStr,
    command,
    deviceRequest,
    extraHosts,
    fileRefs,
    listOfStrings,
    listOrDict,
    num,
    numStr,
    optsMap,
    str,
    stringOrList,
    ulimits,
  } = b;
  const port = s.union([
    s.number(),
    s.string(),
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

  const volume = s.union([
    s.string(),
    obj({
      type: s.enumOf(['bind', 'volume', 'tmpfs', 'cluster', 'npipe', 'image']),
      source: str.optional(),
      target: str.optional(),
      read_only: boolStr.optional(),
      consistency: str.optional(),
      bind: obj({
        propagation: str.optional(),
        create_host_path: boolStr.optional(),
        recursive: s.enumOf(['enabled', 'disabled', 'writable', 'readonly']).optional(),
        selinux: s.enumOf(['z', 'Z']).optional(),
      }).optional(),
      volume: obj({ labels: listOrDict.optional(), nocopy: boolStr.optional(), subpath: str.optional() }).optional(),
      tmpfs: obj({ size: numStr.optional(), mode: numStr.optional() }).optional(),
      image: obj({ subpath: str.optional() }).optional(),
    }),
  ]);

  const dependsOn = s.union([
    listOfStrings,
    s.record(
      obj({
        condition: s.enumOf(['service_started', 'service_healthy', 'service_completed_successfully']),
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

  const healthcheckSchema = obj({
    disable: boolStr.optional(),
    interval: numStr.optional(),
    retries: numStr.optional(),
    test: s.union([s.string(), s.array(s.string())]).optional(),
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
    order: s.enumOf(['start-first', 'stop-first']).optional(),
  });

  const deploySchema = obj({
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
        generic_resources: s.array(s.unknown()).optional(),
        devices: s.array(deviceRequest).optional(),
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
      preferences: s.array(obj({ spread: str.optional() })).optional(),
      max_replicas_per_node: numStr.optional(),
    }).optional(),
  }).nullable();

  const buildSchema = s.union([
    s.string(),
    obj({
      context: str.optional(),
      dockerfile: str.optional(),
      dockerfile_inline: str.optional(),
      entitlements: listOfStrings.optional(),
      args: listOrDict.optional(),
      ssh: s.union([listOrDict, s.string()]).optional(),
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

  const envFile = s.union([
    s.string(),
    s.array(s.union([s.string(), obj({ path: str, format: str.optional(), required: boolStr.optional() })])),
  ]);

  return {
    annotations: listOrDict.optional(),
    attach: boolStr.optional(),
    blkio_config: s.record(s.unknown()).optional(),
    build: buildSchema.optional(),
    cap_add: listOfStrings.optional(),
    cap_drop: listOfStrings.optional(),
    cgroup: s.enumOf(['host', 'private']).optional(),
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
    credential_spec: s.record(s.unknown()).optional(),
    depends_on: dependsOn.optional(),
    deploy: deploySchema.optional(),
    develop: s.record(s.unknown()).nullable().optional(),
    device_cgroup_rules: listOfStrings.optional(),
    devices: s
      .array(s.union([s.string(), obj({ source: str, target: str.optional(), permissions: str.optional() })]))
      .optional(),
    dns: stringOrList.optional(),
    dns_opt: listOfStrings.optional(),
    dns_search: stringOrList.optional(),
    domainname: str.optional(),
    entrypoint: command.optional(),
    env_file: envFile.optional(),
    environment: listOrDict.optional(),
    expose: s.array(s.union([s.string(), s.number()])).optional(),
    extends: s.union([s.string(), obj({ service: str, file: str.optional() })]).optional(),
    external_links: listOfStrings.optional(),
    extra_hosts: extraHosts.optional(),
    gpus: s.union([s.enumOf(['all']), s.array(deviceRequest)]).optional(),
    group_add: s.array(s.union([s.string(), s.number()])).optional(),
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
    models: s.union([listOfStrings, s.record(s.unknown())]).optional(),
    network_mode: str.optional(),
    networks: s.union([listOfStrings, s.record(serviceNetwork)]).optional(),
    oom_kill_disable: boolStr.optional(),
    oom_score_adj: numStr.optional(),
    pid: str.nullable().optional(),
    pids_limit: numStr.optional(),
    platform: str.optional(),
    ports: s.array(port).optional(),
    post_start: s.array(s.unknown()).optional(),
    pre_stop: s.array(s.unknown()).optional(),
    privileged: boolStr.optional(),
    profiles: listOfStrings.optional(),
    provider: s.record(s.unknown()).optional(),
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
    storage_opt: s.record(s.unknown()).optional(),
    sysctls: listOrDict.optional(),
    tmpfs: stringOrList.optional(),
    tty: boolStr.optional(),
    ulimits: ulimits.optional(),
    use_api_socket: boolStr.optional(),
    user: s.union([s.string(), s.number()]).optional(),
    userns_mode: str.optional(),
    uts: str.optional(),
    volumes: s.array(volume).optional(),
    volumes_from: listOfStrings.optional(),
    working_dir: str.optional(),
  };
}

export type RawService = s.InferShape<ReturnType<typeof serviceShape>>;
export type RawPort = NonNullable<RawService['ports']>[number];
export type RawVolume = NonNullable<RawService['volumes']>[number];
export type RawDeploy = NonNullable<RawService['deploy']>;
export type RawHealthcheck = NonNullable<RawService['healthcheck']>;

/** Service keys the spec defines but the model does not carry: `extends` is resolved by the loader before normalization. */
export const SERVICE_KEYS_NOT_MODELLED: readonly string[] = ['extends'];
