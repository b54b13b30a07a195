import { describe, expect, expectTypeOf, it } from 'vitest';
import { composeSchema, serviceKeys, topLevelKeys } from '../../src/model/schema.js';
import { check, type Issue } from '../../src/model/check.js';
import { SERVICE_KEYS_NOT_MODELLED } from '../../src/model/schema-service.js';
import type { NetworkConfig, Project, Service, VolumeConfig } from '../../src/model/types.js';
import { normalizeProject } from '../../src/load/normalize/normalize.js';
import { allowedKeysAt } from '../../src/load/normalize/top.js';

/** Every model field that comes from a compose key (unsetEnvironment is derived from environment); tsc fails here when types.ts gains a field. */
const MODEL_SERVICE_KEYS: Record<Exclude<keyof Service, 'name' | 'extensions' | 'unsetEnvironment'>, true> = {
  profiles: true,
  image: true,
  build: true,
  pull_policy: true,
  platform: true,
  command: true,
  entrypoint: true,
  working_dir: true,
  user: true,
  group_add: true,
  environment: true,
  env_file: true,
  labels: true,
  annotations: true,
  ports: true,
  expose: true,
  volumes: true,
  volumes_from: true,
  tmpfs: true,
  depends_on: true,
  links: true,
  external_links: true,
  healthcheck: true,
  deploy: true,
  restart: true,
  scale: true,
  networks: true,
  network_mode: true,
  hostname: true,
  domainname: true,
  mac_address: true,
  dns: true,
  dns_search: true,
  dns_opt: true,
  extra_hosts: true,
  secrets: true,
  configs: true,
  cap_add: true,
  cap_drop: true,
  privileged: true,
  read_only: true,
  security_opt: true,
  sysctls: true,
  ulimits: true,
  userns_mode: true,
  pid: true,
  ipc: true,
  uts: true,
  cgroup: true,
  cgroup_parent: true,
  isolation: true,
  runtime: true,
  init: true,
  stdin_open: true,
  tty: true,
  stop_signal: true,
  stop_grace_period: true,
  container_name: true,
  mem_limit: true,
  mem_reservation: true,
  memswap_limit: true,
  mem_swappiness: true,
  shm_size: true,
  cpus: true,
  cpu_shares: true,
  cpu_quota: true,
  cpu_period: true,
  cpu_count: true,
  cpu_percent: true,
  cpu_rt_period: true,
  cpu_rt_runtime: true,
  cpuset: true,
  pids_limit: true,
  oom_kill_disable: true,
  oom_score_adj: true,
  gpus: true,
  devices: true,
  device_cgroup_rules: true,
  blkio_config: true,
  storage_opt: true,
  logging: true,
  credential_spec: true,
  develop: true,
  post_start: true,
  pre_stop: true,
  attach: true,
  use_api_socket: true,
  provider: true,
  models: true,
  label_file: true,
  pull_refresh_after: true,
};

describe('Compose Spec schema shape', () => {
  it('accepts every service key of the model, plus the spec keys the model drops', () => {
    const model = Object.keys(MODEL_SERVICE_KEYS).sort();
    expect(
      serviceKeys()
        .filter((k) => !model.includes(k))
        .sort(),
    ).toEqual([...SERVICE_KEYS_NOT_MODELLED].sort());
    expect(model.filter((k) => !serviceKeys().includes(k))).toEqual([]);
    expect(serviceKeys()).toContain('mem_limit');
    expect(serviceKeys()).toContain('cpu_shares');
  });

  it('top-level keys', () => {
    expect([...topLevelKeys()].sort()).toEqual([
      'configs',
      'include',
      'models',
      'name',
      'networks',
      'secrets',
      'services',
      'version',
      'volumes',
    ]);
  });

  it('network and volume keys cover the model', () => {
    const net: Record<Exclude<keyof NetworkConfig, 'extensions'>, true> = {
      name: true,
      driver: true,
      driver_opts: true,
      ipam: true,
      external: true,
      internal: true,
      enable_ipv4: true,
      enable_ipv6: true,
      attachable: true,
      labels: true,
    };
    const vol: Record<Exclude<keyof VolumeConfig, 'extensions'>, true> = {
      name: true,
      driver: true,
      driver_opts: true,
      external: true,
      labels: true,
    };
    expect(allowedKeysAt(composeSchema(), ['networks', 'n']).sort()).toEqual(Object.keys(net).sort());
    expect(allowedKeysAt(composeSchema(), ['volumes', 'v']).sort()).toEqual(Object.keys(vol).sort());
    expect(allowedKeysAt(composeSchema(), ['secrets', 's'])).toContain('environment');
    expect(allowedKeysAt(composeSchema(), ['configs', 'c'])).toContain('content');
  });

  it('allowedKeysAt walks records, arrays and unions', () => {
    expect(allowedKeysAt(composeSchema(), ['services', 'web', 'ports', 0])).toContain('published');
    expect(allowedKeysAt(composeSchema(), ['services', 'web', 'deploy', 'resources', 'limits']).sort()).toEqual([
      'cpus',
      'memory',
      'pids',
    ]);
  });

  it('accepts both short and long syntax', () => {
    const issues: Issue[] = [];
    check(
      composeSchema(),
      {
        services: {
          web: {
            build: '.',
            ports: [80, '8080:80', { target: 443, published: '8443' }],
            volumes: ['data:/d', { type: 'bind', source: '.', target: '/s' }],
            environment: ['A=1'],
            labels: { a: 1, b: true, c: null },
            depends_on: ['db'],
            networks: { front: null },
            secrets: ['s', { source: 's', target: 't', mode: 0o440 }],
            command: 'echo hi',
            healthcheck: { test: ['CMD', 'true'], interval: '10s' },
            ulimits: { nofile: 1024, nproc: { soft: 1, hard: 2 } },
            gpus: 'all',
          },
        },
      },
      issues,
    );
    expect(issues).toEqual([]);
  });

  it('normalizeProject output is the model', () => {
    expectTypeOf(normalizeProject).returns.toEqualTypeOf<
      | (Pick<
          Project,
          'services' | 'networks' | 'volumes' | 'secrets' | 'configs' | 'extensions' | 'ignoredKeys' | 'models'
        > & {
          name?: string;
        })
      | undefined
    >();
  });
});
