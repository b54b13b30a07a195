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
    s.partial({
      name: str,
      mode: str,
      host_ip: str,
      target: numStr,
      published: numStr,
      protocol: str,
      app_protocol: str,
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
      bind: s
        .partial({
          propagation: str,
          create_host_path: boolStr,
          recursive: s.enumOf(['enabled', 'disabled', 'writable', 'readonly']),
          selinux: s.enumOf(['z', 'Z']),
        })
        .optional(),
      volume: s.partial({ labels: listOrDict, nocopy: boolStr, subpath: str }).optional(),
      tmpfs: s.partial({ size: numStr, mode: numStr }).optional(),
      image: s.partial({ subpath: str }).optional(),
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

  const serviceNetwork = s
    .partial({
      aliases: listOfStrings,
      interface_name: str,
      ipv4_address: str,
      ipv6_address: str,
      link_local_ips: listOfStrings,
      mac_address: str,
      driver_opts: optsMap,
      priority: num,
      gw_priority: num,
    })
    .nullable();

  const healthcheckSchema = s.partial({
    disable: boolStr,
    interval: numStr,
    retries: numStr,
    test: stringOrList,
    timeout: numStr,
    start_period: numStr,
    start_interval: numStr,
  });

  const resources = s.partial({
    cpus: numStr,
    memory: numStr,
    pids: numStr,
  });

  const updateConfig = s.partial({
    parallelism: numStr,
    delay: numStr,
    failure_action: str,
    monitor: numStr,
    max_failure_ratio: numStr,
    order: s.enumOf(['start-first', 'stop-first']),
  });

  const deploySchema = s
    .partial({
      mode: str,
      endpoint_mode: str,
      replicas: numStr,
      labels: listOrDict,
      rollback_config: updateConfig,
      update_config: updateConfig,
      resources: s.partial({
        limits: resources,
        reservations: s.partial({
          cpus: numStr,
          memory: numStr,
          pids: numStr,
          generic_resources: s.array(s.unknown()),
          devices: s.array(deviceRequest),
        }),
      }),
      restart_policy: s.partial({
        condition: str,
        delay: numStr,
        max_attempts: numStr,
        window: numStr,
      }),
      placement: s.partial({
        constraints: listOfStrings,
        preferences: s.array(s.partial({ spread: str })),
        max_replicas_per_node: numStr,
      }),
    })
    .nullable();

  const buildSchema = s.union([
    s.string(),
    s.partial({
      context: str,
      dockerfile: str,
      dockerfile_inline: str,
      entitlements: listOfStrings,
      args: listOrDict,
      ssh: s.union([listOrDict, s.string()]),
      labels: listOrDict,
      cache_from: listOfStrings,
      cache_to: listOfStrings,
      no_cache: boolStr,
      additional_contexts: listOrDict,
      network: str,
      pull: boolStr,
      target: str,
      shm_size: numStr,
      extra_hosts: extraHosts,
      isolation: str,
      privileged: boolStr,
      secrets: fileRefs,
      tags: listOfStrings,
      ulimits: ulimits,
      platforms: listOfStrings,
    }),
  ]);

  const envFile = s.union([
    s.string(),
    s.array(s.union([s.string(), obj({ path: str, format: str.optional(), required: boolStr.optional() })])),
  ]);

  return s.optionalKeys({
    annotations: listOrDict,
    attach: boolStr,
    blkio_config: s.record(s.unknown()),
    build: buildSchema,
    cap_add: listOfStrings,
    cap_drop: listOfStrings,
    cgroup: s.enumOf(['host', 'private']),
    cgroup_parent: str,
    command: command,
    configs: fileRefs,
    container_name: str,
    cpu_count: numStr,
    cpu_percent: numStr,
    cpu_period: numStr,
    cpu_quota: numStr,
    cpu_rt_period: numStr,
    cpu_rt_runtime: numStr,
    cpu_shares: numStr,
    cpus: numStr,
    cpuset: str,
    credential_spec: s.record(s.unknown()),
    depends_on: dependsOn,
    deploy: deploySchema,
    develop: s.record(s.unknown()).nullable(),
    device_cgroup_rules: listOfStrings,
    devices: s.array(s.union([s.string(), obj({ source: str, target: str.optional(), permissions: str.optional() })])),
    dns: stringOrList,
    dns_opt: listOfStrings,
    dns_search: stringOrList,
    domainname: str,
    entrypoint: command,
    env_file: envFile,
    environment: listOrDict,
    expose: s.array(s.union([s.string(), s.number()])),
    extends: s.union([s.string(), obj({ service: str, file: str.optional() })]),
    external_links: listOfStrings,
    extra_hosts: extraHosts,
    gpus: s.union([s.enumOf(['all']), s.array(deviceRequest)]),
    group_add: s.array(s.union([s.string(), s.number()])),
    healthcheck: healthcheckSchema,
    hostname: str,
    image: str,
    init: boolStr,
    ipc: str,
    isolation: str,
    label_file: stringOrList,
    labels: listOrDict,
    links: listOfStrings,
    logging: s.partial({ driver: str, options: optsMap }),
    mac_address: str,
    mem_limit: numStr,
    mem_reservation: numStr,
    mem_swappiness: numStr,
    memswap_limit: numStr,
    models: s.union([listOfStrings, s.record(s.unknown())]),
    network_mode: str,
    networks: s.union([listOfStrings, s.record(serviceNetwork)]),
    oom_kill_disable: boolStr,
    oom_score_adj: numStr,
    pid: str.nullable(),
    pids_limit: numStr,
    platform: str,
    ports: s.array(port),
    post_start: s.array(s.unknown()),
    pre_stop: s.array(s.unknown()),
    privileged: boolStr,
    profiles: listOfStrings,
    provider: s.record(s.unknown()),
    pull_policy: str,
    pull_refresh_after: str,
    read_only: boolStr,
    restart: str,
    runtime: str,
    scale: numStr,
    secrets: fileRefs,
    security_opt: listOfStrings,
    shm_size: numStr,
    stdin_open: boolStr,
    stop_grace_period: numStr,
    stop_signal: str,
    storage_opt: s.record(s.unknown()),
    sysctls: listOrDict,
    tmpfs: stringOrList,
    tty: boolStr,
    ulimits: ulimits,
    use_api_socket: boolStr,
    user: s.union([s.string(), s.number()]),
    userns_mode: str,
    uts: str,
    volumes: s.array(volume),
    volumes_from: listOfStrings,
    working_dir: str,
  });
}

export type RawService = s.InferShape<ReturnType<typeof serviceShape>>;
export type RawPort = NonNullable<RawService['ports']>[number];
export type RawVolume = NonNullable<RawService['volumes']>[number];
export type RawDeploy = NonNullable<RawService['deploy']>;
export type RawHealthcheck = NonNullable<RawService['healthcheck']>;

/** Service keys the spec defines but the model does not carry: `extends` is resolved by the loader before normalization. */
export const SERVICE_KEYS_NOT_MODELLED: readonly string[] = ['extends'];
