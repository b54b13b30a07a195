/**
 * "Nothing dropped silently": every service key and every top-level key of the schema, written with a
 * valid value in a minimal compose file, must come out of `convert()` as an entry of the conversion
 * report (converted, approximated, unsupported or ignored, but never absent).
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import { serviceKeys, topLevelKeys } from '../../../src/model/schema.js';

/**
 * A sample value per service key, as YAML lines under `services.web` (which has `image: img` unless the
 * sample sets `image` or `provider`). `extra` is YAML appended at the top level (other services, resources).
 */
const SERVICE_SAMPLES: Record<string, { body: string; extra?: string }> = {
  annotations: { body: 'annotations: {com.example.a: "1"}' },
  attach: { body: 'attach: false' },
  blkio_config: { body: 'blkio_config: {weight: 300}' },
  build: { body: 'build: ./app' },
  cap_add: { body: 'cap_add: [NET_ADMIN]' },
  cap_drop: { body: 'cap_drop: [ALL]' },
  cgroup: { body: 'cgroup: host' },
  cgroup_parent: { body: 'cgroup_parent: m-executor' },
  command: { body: 'command: ["run", "--fast"]' },
  configs: { body: 'configs: [app_cfg]', extra: 'configs:\n  app_cfg:\n    content: hello' },
  container_name: { body: 'container_name: my-web' },
  cpu_count: { body: 'cpu_count: 2' },
  cpu_percent: { body: 'cpu_percent: 50' },
  cpu_period: { body: 'cpu_period: 100000' },
  cpu_quota: { body: 'cpu_quota: 50000' },
  cpu_rt_period: { body: 'cpu_rt_period: 1400us' },
  cpu_rt_runtime: { body: 'cpu_rt_runtime: 400ms' },
  cpu_shares: { body: 'cpu_shares: 512' },
  cpus: { body: 'cpus: 0.5' },
  cpuset: { body: 'cpuset: "0-1"' },
  credential_spec: { body: 'credential_spec: {file: spec.json}' },
  depends_on: { body: 'depends_on: [db]', extra: 'services:\n  db:\n    image: postgres' },
  deploy: { body: 'deploy: {replicas: 2}' },
  develop: { body: 'develop: {watch: [{path: ./src, action: sync, target: /app}]}' },
  device_cgroup_rules: { body: 'device_cgroup_rules: ["c 1:3 mr"]' },
  devices: { body: 'devices: ["/dev/ttyUSB0:/dev/ttyUSB0"]' },
  dns: { body: 'dns: 8.8.8.8' },
  dns_opt: { body: 'dns_opt: [use-vc]' },
  dns_search: { body: 'dns_search: example.com' },
  domainname: { body: 'domainname: example.com' },
  entrypoint: { body: 'entrypoint: /bin/start' },
  env_file: { body: 'env_file: [app.env]' },
  environment: { body: 'environment: {A: "1"}' },
  expose: { body: 'expose: ["3000"]' },
  external_links: { body: 'external_links: [redis_1]' },
  extra_hosts: { body: 'extra_hosts: ["somehost=162.242.195.82"]' },
  gpus: { body: 'gpus: all' },
  group_add: { body: 'group_add: [mail]' },
  healthcheck: { body: 'healthcheck: {test: ["CMD", "true"], interval: 10s}' },
  hostname: { body: 'hostname: web1' },
  image: { body: '' },
  init: { body: 'init: true' },
  ipc: { body: 'ipc: shareable' },
  isolation: { body: 'isolation: process' },
  label_file: { body: 'label_file: ./app.labels' },
  labels: { body: 'labels: {com.example.team: web}' },
  links: { body: 'links: [db]', extra: 'services:\n  db:\n    image: postgres' },
  logging: { body: 'logging: {driver: syslog}' },
  mac_address: { body: 'mac_address: 02:42:ac:11:65:43' },
  mem_limit: { body: 'mem_limit: 512m' },
  mem_reservation: { body: 'mem_reservation: 256m' },
  mem_swappiness: { body: 'mem_swappiness: 10' },
  memswap_limit: { body: 'memswap_limit: 1g' },
  models: { body: 'models: [llm]', extra: 'models:\n  llm:\n    model: ai/smollm2' },
  network_mode: { body: 'network_mode: host' },
  networks: { body: 'networks: [front]', extra: 'networks:\n  front: {}' },
  oom_kill_disable: { body: 'oom_kill_disable: true' },
  oom_score_adj: { body: 'oom_score_adj: 500' },
  pid: { body: 'pid: host' },
  pids_limit: { body: 'pids_limit: 100' },
  platform: { body: 'platform: linux/amd64' },
  ports: { body: 'ports: ["8080:80"]' },
  post_start: { body: 'post_start: [{command: ["echo", "hi"]}]' },
  pre_stop: { body: 'pre_stop: [{command: ["echo", "bye"]}]' },
  privileged: { body: 'privileged: true' },
  profiles: { body: 'profiles: [debug]' },
  provider: { body: 'provider: {type: awesomecloud, options: {type: mysql}}' },
  pull_policy: { body: 'pull_policy: always' },
  pull_refresh_after: { body: 'pull_refresh_after: 24h' },
  read_only: { body: 'read_only: true' },
  restart: { body: 'restart: always' },
  runtime: { body: 'runtime: runc' },
  scale: { body: 'scale: 2' },
  secrets: { body: 'secrets: [token]', extra: 'secrets:\n  token:\n    environment: TOKEN' },
  security_opt: { body: 'security_opt: ["no-new-privileges:true"]' },
  shm_size: { body: 'shm_size: 64m' },
  stdin_open: { body: 'stdin_open: true' },
  stop_grace_period: { body: 'stop_grace_period: 30s' },
  stop_signal: { body: 'stop_signal: SIGINT' },
  storage_opt: { body: 'storage_opt: {size: 20G}' },
  sysctls: { body: 'sysctls: {net.core.somaxconn: 1024}' },
  tmpfs: { body: 'tmpfs: /run' },
  tty: { body: 'tty: true' },
  ulimits: { body: 'ulimits: {nofile: 1024}' },
  use_api_socket: { body: 'use_api_socket: true' },
  user: { body: 'user: "1000"' },
  userns_mode: { body: 'userns_mode: host' },
  uts: { body: 'uts: host' },
  volumes: { body: 'volumes: ["data:/data"]', extra: 'volumes:\n  data: {}' },
  volumes_from: { body: 'volumes_from: [db]', extra: 'services:\n  db:\n    image: postgres' },
  working_dir: { body: 'working_dir: /app' },
};

/** Service keys that cannot appear in the report, and why. */
const SERVICE_NOT_REPORTED: Record<string, string> = {
  extends: 'resolved by the loader before normalization: the merged service is what gets converted',
};

/**
 * Keys the loader keeps in the model but a converter module fails on (owned elsewhere). Each is checked
 * to still fail, so this list shrinks when the module is fixed.
 */
const CONVERTER_GAPS: Record<string, { code: string; why: string }> = {};

/** A sample compose file per top-level key (a `web` service is added unless the sample defines services). */
/** Top-level keys that cannot appear in the report, and why. */
const TOP_NOT_REPORTED: Record<string, string> = {
  include:
    'resolved by the loader (src/load/files/include.ts removes the key): the included services are what get converted',
};

const TOP_SAMPLES: Record<string, string> = {
  version: 'version: "3.8"',
  name: 'name: shop',
  include: 'include: [inc.yaml]',
  services: '',
  networks: 'networks:\n  front: {driver: overlay}',
  volumes: 'volumes:\n  data: {driver: local}',
  secrets: 'secrets:\n  token:\n    environment: TOKEN',
  configs: 'configs:\n  app_cfg:\n    content: hello',
  models: 'models:\n  llm:\n    model: ai/smollm2',
};

const FILES = {
  '/project/app.env': 'A=1\n',
  '/project/app.labels': 'com.example.owner=team-a\n',
  '/project/inc.yaml': 'services:\n  helper:\n    image: busybox\n',
};

/** Merge `extra` (top-level YAML sections) with the `web` service text. */
function composeFor(webBody: string, extra = ''): string {
  const image = /^\s*(image|provider):/m.test(webBody) ? [] : ['    image: img'];
  const web = [
    '  web:',
    ...image,
    ...webBody
      .split('\n')
      .filter(Boolean)
      .map((l) => '    ' + l),
  ];
  const extraServices = /^services:\n((?: .*\n?)*)/m.exec(extra);
  const rest = extraServices ? extra.replace(extraServices[0], '') : extra;
  return (
    ['services:', ...web, ...(extraServices ? extraServices[1]!.trimEnd().split('\n') : []), rest].join('\n') + '\n'
  );
}

function run(content: string) {
  const out = convert({ files: [{ path: 'compose.yaml', content }], fs: memoryFs(FILES), env: { TOKEN: 's3cr3t' } });
  const errors = out.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
  return { out, errors };
}

describe('every service key reaches the report', () => {
  it('has a sample or a documented reason for every key of serviceKeys()', () => {
    const missing = serviceKeys().filter((k) => !(k in SERVICE_SAMPLES) && !(k in SERVICE_NOT_REPORTED));
    expect(missing).toEqual([]);
    expect(Object.keys(SERVICE_SAMPLES).filter((k) => !serviceKeys().includes(k))).toEqual([]);
  });

  for (const [key, gap] of Object.entries(CONVERTER_GAPS)) {
    it(`${key} (known converter gap: ${gap.why})`, () => {
      const sample = SERVICE_SAMPLES[key]!;
      const { out, errors } = run(composeFor(sample.body, sample.extra));
      expect(out.project?.services['web']).toHaveProperty(key);
      expect(errors.map((e) => e.split(':')[0])).toEqual([gap.code]);
    });
  }

  for (const key of serviceKeys().filter((k) => k in SERVICE_SAMPLES && !(k in CONVERTER_GAPS))) {
    it(key, () => {
      const sample = SERVICE_SAMPLES[key]!;
      const { out, errors } = run(composeFor(sample.body, sample.extra));
      expect(errors).toEqual([]);
      const keys = (out.report?.entries ?? []).filter((e) => e.service === 'web').map((e) => e.key);
      expect(
        keys.some((k) => k === key || k.startsWith(key + '.')),
        `web keys: ${keys.join(', ')}`,
      ).toBe(true);
    });
  }
});

describe('every top-level key reaches the report', () => {
  it('has a sample for every key of topLevelKeys()', () => {
    expect(topLevelKeys().filter((k) => !(k in TOP_SAMPLES))).toEqual([]);
  });

  it('the included services are converted even though include itself is not reported', () => {
    const { out, errors } = run(composeFor('', TOP_SAMPLES['include']));
    expect(errors).toEqual([]);
    expect(out.report?.entries.some((e) => e.service === 'helper' && e.key === 'image')).toBe(true);
  });

  for (const key of topLevelKeys().filter((k) => !(k in TOP_NOT_REPORTED))) {
    it(key, () => {
      const { out, errors } = run(composeFor('', TOP_SAMPLES[key]));
      expect(errors).toEqual([]);
      const entries = out.report?.entries ?? [];
      const found =
        key === 'services'
          ? entries.some((e) => e.service === 'web')
          : entries.some((e) => e.service === undefined && (e.key === key || e.key.startsWith(key + '.')));
      expect(
        found,
        `top-level keys: ${entries
          .filter((e) => !e.service)
          .map((e) => e.key)
          .join(', ')}`,
      ).toBe(true);
    });
  }
});
