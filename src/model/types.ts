/**
 * The normalized Compose project: what the loader (src/load) produces and the converter
 * (src/convert) consumes. Everything is in long syntax, with units parsed:
 * durations are milliseconds, byte sizes are bytes, CPU counts are numbers.
 *
 * Field names follow the Compose Spec (snake_case) so a key in a compose file maps 1:1 to a field.
 * Optional fields are absent when the input did not set them (never `undefined`-valued keys).
 *
 * Source positions live beside the model in `Project.sources` (src/model/positions.ts), looked up by the
 * segments of a value's place, e.g. `sources.at('services', 'web', 'ports', 0)`.
 */
import type { InterpolatedPart } from './pointer.js';
import type { SourcePositions } from './positions.js';
import type { ConfigConfig, ModelConfig, NetworkConfig, SecretConfig, VolumeConfig } from './types-top.js';

export type { ConfigConfig, ModelConfig, NetworkConfig, SecretConfig, VolumeConfig } from './types-top.js';

export type { Extensions } from './types-top.js';
import type { Extensions } from './types-top.js';

export interface Project {
  /** Normalized project name (lowercase, [a-z0-9_-], starts with a letter or digit). */
  name: string;
  /** The name is the project directory's (no -p, COMPOSE_PROJECT_NAME or top-level `name:` gave one). */
  nameFromDirectory?: boolean;
  /** Absolute project directory. */
  workingDir: string;
  /** Absolute paths of the compose files loaded, in order. */
  composeFiles: string[];
  services: Record<string, Service>;
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, SecretConfig>;
  configs: Record<string, ConfigConfig>;
  /** Services left out because none of their profiles is active (name → profiles). */
  disabledServices: Record<string, string[]>;
  /** Top-level `x-*` fields. */
  extensions: Extensions;
  /**
   * The environment used for interpolation (process environment over `.env`/`--env-file`). Needed for
   * secrets/configs with `environment:`. Never printed by `config`.
   */
  environment: Record<string, string>;
  /**
   * The files `environment` was read from (`.env`, or each `--env-file` / COMPOSE_ENV_FILES), absolute, in reading
   * order: a later file wins. Absent: the project directory's `.env`.
   */
  envFiles?: readonly string[];
  /**
   * The variables of `environment` whose env-file value interpolated other variables, with its pieces as
   * `interpolated` holds them for a compose value (`.env` `URL=postgres://u:${DB_PASS}@db`: `postgres://u:`, DB_PASS's
   * value, `@db`; a piece from a variable itself built so is taken apart). Absent: none was; a variable the process
   * environment sets never is.
   */
  environmentParts?: ReadonlyMap<string, readonly InterpolatedPart[]>;
  /**
   * Per service, the variables it takes from its `env_file`s (not set again by `environment:`) whose value
   * interpolated others, with their pieces as `environmentParts` holds them (`app.env`
   * `DATABASE_URL=postgres://u:${POSTGRES_PASSWORD}@db/app`). Absent: none was.
   */
  envFileParts?: ReadonlyMap<string, ReadonlyMap<string, readonly InterpolatedPart[]>>;
  /** Top-level keys that were read and dropped (e.g. `version`), kept for the report. */
  ignoredKeys?: string[];
  /** Top-level `models` (Docker Model Runner); absent when the file has none. Not converted, kept for the report. */
  models?: Record<string, ModelConfig>;
  /** Position of each value in its source file, by its place in the tree (`sources.at('services', 'web')`). */
  sources: SourcePositions;
  /**
   * The variables each interpolated value was made from, by the value's source position (`positionKey(pos)`,
   * the position `sources` holds for its pointer); only values that reference a variable are present (an empty or unset
   * variable is a piece with empty text).
   */
  interpolated?: ReadonlyMap<string, readonly InterpolatedPart[]>;
}

export interface Service {
  name: string;
  profiles?: string[];

  image?: string;
  build?: BuildConfig;
  pull_policy?: string;
  /** `pull_refresh_after` as written (a duration, e.g. `24h`); compose re-pulls after it. */
  pull_refresh_after?: string;
  platform?: string;

  /** `null` means explicitly reset (`command: []` / `!reset`): run with no args. */
  command?: string[] | null;
  entrypoint?: string[] | null;
  working_dir?: string;
  user?: string;
  group_add?: string[];

  /** Resolved: env_file entries merged, then `environment` on top. Key-only entries with no value are dropped. */
  environment: Record<string, string>;
  /**
   * `environment` keys written without a value (`- REDIS_PASSWORD`, `REDIS_PASSWORD:`) that the environment did not
   * set when the file was loaded: compose passes nothing for them, and they are not in `environment`. Kept for the
   * report; never printed by `config`.
   */
  unsetEnvironment?: string[];
  /** The env_file references that were read (kept for the report). */
  env_file?: EnvFileRef[];
  labels: Record<string, string>;
  /** The `label_file` entries (absolute paths) whose labels were merged into `labels` (kept for the report). */
  label_file?: string[];
  annotations?: Record<string, string>;

  ports: ServicePort[];
  /** Container-only ports, typed (`"8000-8002/udp"` → three entries); duplicates kept as written. */
  expose: ExposedPort[];

  volumes: ServiceVolume[];
  volumes_from?: string[];
  tmpfs?: string[];

  depends_on: Record<string, DependsOn>;
  links?: string[];
  external_links?: string[];

  healthcheck?: Healthcheck;
  deploy?: Deploy;
  restart?: string;
  scale?: number;

  /** Network name → attachment. Services without `networks` and without `network_mode` are on `default`. */
  networks: Record<string, ServiceNetwork>;
  network_mode?: string;
  hostname?: string;
  domainname?: string;
  mac_address?: string;
  dns?: string[];
  dns_search?: string[];
  dns_opt?: string[];
  extra_hosts?: ExtraHost[];

  secrets: FileReference[];
  configs: FileReference[];

  cap_add?: string[];
  cap_drop?: string[];
  privileged?: boolean;
  read_only?: boolean;
  security_opt?: string[];
  sysctls?: Record<string, string>;
  ulimits?: Record<string, { soft: number; hard: number }>;
  userns_mode?: string;
  pid?: string;
  ipc?: string;
  uts?: string;
  cgroup?: string;
  cgroup_parent?: string;
  isolation?: string;
  runtime?: string;
  init?: boolean;

  stdin_open?: boolean;
  tty?: boolean;
  stop_signal?: string;
  /** Milliseconds. */
  stop_grace_period?: number;
  container_name?: string;

  /** Bytes. */
  mem_limit?: number;
  mem_reservation?: number;
  memswap_limit?: number;
  mem_swappiness?: number;
  shm_size?: number;
  cpus?: number;
  cpu_shares?: number;
  cpu_quota?: number;
  cpu_period?: number;
  cpu_count?: number;
  cpu_percent?: number;
  cpu_rt_period?: number;
  cpu_rt_runtime?: number;
  cpuset?: string;
  pids_limit?: number;
  oom_kill_disable?: boolean;
  oom_score_adj?: number;
  gpus?: DeviceRequest[];
  devices?: DeviceMapping[];
  device_cgroup_rules?: string[];
  blkio_config?: unknown;
  storage_opt?: Record<string, string>;

  logging?: { driver?: string; options?: Record<string, string> };
  credential_spec?: unknown;
  develop?: unknown;
  post_start?: unknown[];
  pre_stop?: unknown[];
  attach?: boolean;
  use_api_socket?: boolean;
  provider?: unknown;
  models?: unknown;

  /** `x-*` fields of the service. */
  extensions: Extensions;
}

export interface BuildConfig {
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string>;
  target?: string;
  secrets?: FileReference[];
  /** Any other build keys as written (cache_from, labels, ssh, platforms, ...). */
  [key: string]: unknown;
}

export interface EnvFileRef {
  path: string;
  required: boolean;
  format?: string;
}

/** One `expose` entry: a container port that peers reach, never published. */
export interface ExposedPort {
  target: number;
  protocol: 'tcp' | 'udp' | 'sctp';
}

export interface ServicePort {
  /** Container port. */
  target: number;
  /** Host port or range as a string (`"8080"`, `"8000-8010"`); absent when not published. */
  published?: string;
  host_ip?: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  mode?: 'ingress' | 'host';
  name?: string;
  app_protocol?: string;
}

export type VolumeType = 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';

export interface ServiceVolume {
  type: VolumeType;
  /**
   * bind: absolute host path (relative paths resolved against the project dir; `~` expanded when HOME is known);
   * volume: the volume's key in top-level `volumes`; absent for an anonymous volume.
   */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: {
    propagation?: string;
    create_host_path?: boolean;
    selinux?: 'z' | 'Z';
    recursive?: 'enabled' | 'disabled' | 'writable' | 'readonly';
  };
  /** `labels`: labels for the anonymous/new volume docker creates for this mount. */
  volume?: { nocopy?: boolean; subpath?: string; labels?: Record<string, string> };
  /** size in bytes; mode as a number (octal as written). */
  tmpfs?: { size?: number; mode?: number };
  image?: { subpath?: string };
}

export interface DependsOn {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  required: boolean;
  restart: boolean;
}

export interface Healthcheck {
  /** e.g. `['CMD', 'curl', '-f', 'http://localhost']`, `['CMD-SHELL', 'pg_isready']`, `['NONE']`. A string test is normalized to CMD-SHELL. */
  test?: string[];
  /** Milliseconds. */
  interval?: number;
  timeout?: number;
  start_period?: number;
  start_interval?: number;
  retries?: number;
  disable?: boolean;
}

export interface Deploy {
  mode?: 'replicated' | 'global' | 'replicated-job' | 'global-job';
  replicas?: number;
  labels?: Record<string, string>;
  endpoint_mode?: string;
  resources?: {
    limits?: ResourceSpec;
    reservations?: ResourceSpec & { devices?: DeviceRequest[]; generic_resources?: unknown[] };
  };
  restart_policy?: {
    condition?: 'none' | 'on-failure' | 'any';
    /** Milliseconds. */
    delay?: number;
    max_attempts?: number;
    window?: number;
  };
  update_config?: UpdateConfig;
  rollback_config?: UpdateConfig;
  placement?: {
    constraints?: string[];
    preferences?: Array<{ spread?: string }>;
    max_replicas_per_node?: number;
  };
}

export interface ResourceSpec {
  cpus?: number;
  /** Bytes. */
  memory?: number;
  pids?: number;
}

export interface UpdateConfig {
  parallelism?: number;
  /** Milliseconds. */
  delay?: number;
  failure_action?: string;
  monitor?: number;
  max_failure_ratio?: number;
  order?: 'stop-first' | 'start-first';
}

export interface DeviceRequest {
  capabilities?: string[];
  driver?: string;
  /** `-1` for `all`. */
  count?: number;
  device_ids?: string[];
  options?: Record<string, string>;
}

export interface DeviceMapping {
  source: string;
  target: string;
  permissions?: string;
}

export interface ServiceNetwork {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  priority?: number;
  gw_priority?: number;
  driver_opts?: Record<string, string>;
  interface_name?: string;
}

export interface ExtraHost {
  host: string;
  ip: string;
}

/** A service's reference to a top-level secret or config. */
export interface FileReference {
  source: string;
  /** Secrets: defaults to `/run/secrets/<source>`; configs: defaults to `/<source>`. Always set after normalization. */
  target: string;
  uid?: string;
  gid?: string;
  /** File mode as a number (e.g. 0o444 = 292). */
  mode?: number;
}
