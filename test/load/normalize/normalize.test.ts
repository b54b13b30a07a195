/** normalizeProject: references, defaults, top-level resources, errors with positions. */
import { positionsFromPointers } from '../../../src/model/positions.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeProject } from '../../../src/load/normalize/normalize.js';
import { parseComposeYaml } from '../../../src/load/yaml/yaml.js';
import { Diagnostics } from '../../../src/report/diagnostic.js';
import { load, service } from './normalize-helper.js';
import { TEXTS } from '../../../src/mappings/texts.js';

describe('scalars and units', () => {
  it('bytes, cpus, durations, ulimits, devices, gpus', () => {
    const { web, problems } = service(`mem_limit: 512m
memswap_limit: 1g
shm_size: "2gb"
mem_reservation: 1024
cpus: "0.5"
cpu_shares: 512
stop_grace_period: 1m30s
ulimits:
  nproc: 65535
  nofile:
    soft: 20000
    hard: 40000
devices:
  - "/dev/ttyUSB0:/dev/ttyUSB1:rwm"
  - /dev/sda
gpus: all
privileged: "true"
tmpfs: /run
dns: 8.8.8.8
user: 1000
group_add: [mail, 42]`);
    expect(problems).toEqual([]);
    expect(web).toMatchObject({
      mem_limit: 512 * 1024 ** 2,
      memswap_limit: 1024 ** 3,
      shm_size: 2 * 1024 ** 3,
      mem_reservation: 1024,
      cpus: 0.5,
      cpu_shares: 512,
      stop_grace_period: 90_000,
      ulimits: { nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 20000, hard: 40000 } },
      devices: [
        { source: '/dev/ttyUSB0', target: '/dev/ttyUSB1', permissions: 'rwm' },
        { source: '/dev/sda', target: '/dev/sda' },
      ],
      gpus: [{ count: -1 }],
      privileged: true,
      tmpfs: ['/run'],
      dns: ['8.8.8.8'],
      user: '1000',
      group_add: ['mail', '42'],
    });
  });

  it('deploy: resources, restart policy, update config, device counts', () => {
    const { web, problems } = service(`deploy:
  mode: replicated
  replicas: 3
  labels: [tier=web]
  resources:
    limits: {cpus: "0.50", memory: 50M, pids: 100}
    reservations:
      memory: 20m
      devices:
        - capabilities: [gpu]
          count: all
        - capabilities: [gpu]
          driver: nvidia
          count: 2
  restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 2m}
  update_config: {parallelism: 2, delay: 10s, monitor: 500ms, order: start-first}`);
    expect(problems).toEqual([]);
    expect(web?.deploy).toEqual({
      mode: 'replicated',
      replicas: 3,
      labels: { tier: 'web' },
      resources: {
        limits: { cpus: 0.5, memory: 50 * 1024 ** 2, pids: 100 },
        reservations: {
          memory: 20 * 1024 ** 2,
          devices: [
            { capabilities: ['gpu'], count: -1 },
            { capabilities: ['gpu'], driver: 'nvidia', count: 2 },
          ],
        },
      },
      restart_policy: { condition: 'on-failure', delay: 5000, max_attempts: 3, window: 120_000 },
      update_config: { parallelism: 2, delay: 10_000, monitor: 500, order: 'start-first' },
    });
  });

  it('build: string → context; long form args list → map, key-only args looked up', () => {
    expect(service('build: ./app').web?.build).toEqual({ context: '/proj/app' });
    expect(service('build: https://github.com/x/y.git#main').web?.build).toEqual({
      context: 'https://github.com/x/y.git#main',
    });
    const { web } = service(
      'build:\n  context: .\n  dockerfile: Dockerfile.dev\n  args: [A=1, FROM_HOST, UNSET]\n  target: dev',
    );
    expect(web?.build).toEqual({
      context: '/proj',
      dockerfile: 'Dockerfile.dev',
      args: { A: '1', FROM_HOST: 'host-value' },
      target: 'dev',
    });
  });

  it.each([
    ['mem_limit: lots', 'invalid-bytes@4:5'],
    ['stop_grace_period: 10', 'invalid-duration@4:5'],
    ['healthcheck:\n  interval: soon', 'invalid-duration@5:7'],
    ['healthcheck:\n  test: [FOO, x]', 'invalid-value@5:7'],
    ['cpus: many', 'invalid-type@4:5'],
    ['privileged: maybe', 'invalid-type@4:5'],
    ['command: echo "unterminated', 'invalid-command@4:5'],
  ])('%s', (line, problem) => {
    expect(service(line).problems).toEqual([problem]);
  });
});

describe('schema errors (all reported, with positions)', () => {
  it('unknown keys, wrong types; x-* keys are extensions', () => {
    const { result, problems, diags } = load(`version: "3.8"
x-common: &c {a: 1}
servcies: {}
services:
  web:
    image: nginx
    prots: ["80"]
    x-note: hi
    ports: "80:80"
    environment: 5
    healthcheck:
      test: [CMD, true]
networks:
  n:
    driverr: bridge
`);
    expect(result).toBeUndefined();
    expect([...problems].sort((a, b) => order(a) - order(b))).toEqual([
      'unknown-key@3:1',
      'unknown-key@7:5',
      'invalid-type@9:5',
      'invalid-type@10:5',
      'invalid-type@12:19',
      'unknown-key@15:5',
    ]);
    const prots = diags.list.find((d) => d.message.includes('"prots"'));
    expect(prots?.message).toContain('services.web');
    expect(prots?.hint).toBe('did you mean "ports"?');
  });

  it('a valid file: extensions, version ignored (info), name kept', () => {
    const { result, diags } = load(
      'version: "3"\nname: myapp\nx-common: {a: 1}\nservices:\n  web:\n    image: nginx\n    x-svc: 1',
    );
    expect(result?.name).toBe('myapp');
    expect(result?.extensions).toEqual({ 'x-common': { a: 1 } });
    expect(result?.ignoredKeys).toEqual(['version', 'name']);
    expect(result?.services['web']?.extensions).toEqual({ 'x-svc': 1 });
    expect(diags.list.map((d) => `${d.severity} ${d.code}@${d.pos?.line}:${d.pos?.col}`)).toEqual([
      'info version-obsolete@1:1',
    ]);
  });

  it('a service that is not a mapping', () => {
    expect(load('services:\n  web: nginx').problems).toEqual(['invalid-type@2:3']);
  });

  it('an invalid service name', () => {
    expect(load('services:\n  "my web": {image: x}').problems).toEqual(['invalid-name@2:3']);
  });

  it('a long-syntax port with a wrong field type points at the field', () => {
    expect(service('ports:\n  - target: 80\n    published: [1]').problems).toEqual(['invalid-type@6:9']);
  });
});

function order(p: string): number {
  const [, line, col] = /@(\d+):(\d+)/.exec(p)!;
  return Number(line) * 1000 + Number(col);
}

const corpus = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));

function composeFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = dir + '/' + name;
    if (statSync(p).isDirectory()) composeFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

describe.runIf(existsSync(corpus))('real compose files', () => {
  it('never throw, and files without interpolation, windows paths or tags normalize without schema errors', () => {
    let checked = 0;
    for (const file of composeFiles(corpus)) {
      const text = readFileSync(file, 'utf8');
      const diags = new Diagnostics(TEXTS);
      const parsed = parseComposeYaml(text, file, diags);
      if (!parsed || typeof parsed.value !== 'object' || !parsed.value || !('services' in parsed.value)) continue;
      expect(() =>
        normalizeProject(parsed.value, {
          workingDir: '/p',
          home: '/h',
          sources: positionsFromPointers(parsed.positions),
          diags,
          lookupEnv: () => '1',
        }),
      ).not.toThrow();
      if (/\$|!reset|!override|[A-Z]:\\/.test(text)) continue;
      const schemaErrors = diags.errors.filter((d) =>
        ['unknown-key', 'invalid-type', 'invalid-value'].includes(d.code),
      );
      expect(
        schemaErrors
          .map((d) => `${d.pos?.file}:${d.pos?.line} ${d.message}`)
          .filter((m) => !/_format_version|_transform|consumers|acls|basicauth/.test(m)),
      ).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('more conversions', () => {
  it('extra_hosts: comma-separated IPs, null in map form, bad host names', () => {
    expect(service('extra_hosts: ["multi=10.0.0.1,10.0.0.2"]').web?.extra_hosts).toEqual([
      { host: 'multi', ip: '10.0.0.1' },
      { host: 'multi', ip: '10.0.0.2' },
    ]);
    expect(service('extra_hosts:\n  h:').web?.extra_hosts).toEqual([{ host: 'h', ip: '' }]);
    expect(service('extra_hosts: ["nohost"]').problems).toEqual(['invalid-value@4:19']);
    expect(service('extra_hosts: ["=1.2.3.4"]').problems).toEqual(['invalid-value@4:19']);
  });

  it('a port with a host IP that is not an IP', () => {
    expect(service('ports: ["localhost:80:80"]').problems).toEqual(['invalid-port@4:13']);
  });

  it('ipc/pid service:X must name a service', () => {
    expect(service('ipc: "service:ghost"\npid: "service:web"').problems).toEqual(['unknown-service@4:5']);
  });

  it('cpu_rt_runtime accepts microseconds or a duration; ulimits accept numeric strings', () => {
    const { web, problems } = service('cpu_rt_runtime: 400ms\ncpu_rt_period: 1400000\nulimits:\n  nofile: "1024"');
    expect(problems).toEqual([]);
    expect(web).toMatchObject({
      cpu_rt_runtime: 400_000,
      cpu_rt_period: 1_400_000,
      ulimits: { nofile: { soft: 1024, hard: 1024 } },
    });
  });

  it('logging options and storage_opt become string maps; healthcheck NONE kept', () => {
    const { web } = service(
      'logging:\n  driver: json-file\n  options:\n    max-size: 10m\n    max-file: 3\nstorage_opt:\n  size: 1G\nhealthcheck:\n  test: [NONE]',
    );
    expect(web?.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
    expect(web?.storage_opt).toEqual({ size: '1G' });
    expect(web?.healthcheck).toEqual({ test: ['NONE'] });
  });

  it('label_file (made absolute, one or a list) and pull_refresh_after are kept for the report', () => {
    const { web, problems } = service('label_file: ./labels\npull_refresh_after: 1h');
    expect(problems).toEqual([]);
    expect(web?.label_file).toEqual(['/proj/labels']);
    expect(web?.pull_refresh_after).toBe('1h');
    expect(service('label_file: [a.labels, /etc/b.labels]').web?.label_file).toEqual([
      '/proj/a.labels',
      '/etc/b.labels',
    ]);
  });

  it('top-level include and models are read and listed for the report; models are kept', () => {
    const { result, problems } = load(
      'include: [other.yaml]\nmodels:\n  llm: {model: ai/smollm2, context_size: 4096, runtime_flags: [--no-prefill], x-a: 1}\nservices: {}',
    );
    expect(problems).toEqual([]);
    expect(result?.ignoredKeys).toEqual(['include', 'models']);
    expect(result?.models).toEqual({
      llm: { model: 'ai/smollm2', context_size: 4096, runtime_flags: ['--no-prefill'], extensions: { 'x-a': 1 } },
    });
    expect(load('services: {}').result).not.toHaveProperty('models');
  });

  it('env_file required given as a string', () => {
    expect(service('env_file:\n  - path: x.env\n    required: "false"').web?.env_file).toEqual([
      { path: '/proj/x.env', required: false },
    ]);
  });

  it('no services at all is a valid (empty) project', () => {
    expect(load('').result).toEqual({
      services: {},
      networks: {},
      volumes: {},
      secrets: {},
      configs: {},
      extensions: {},
    });
  });
});

describe('unknown-key messages say where the key belongs', () => {
  it.each([
    ['services: {}\nimage: nginx', 'unknown key "image" at the top level; "image" belongs in services.<name>'],
    [
      'services:\n  web:\n    image: x\n    driver: bridge',
      '"driver" belongs in networks.<name> or volumes.<name> or secrets.<name>',
    ],
    ['services:\n  web:\n    image: x\n    replicas: 2', '"replicas" belongs in services.<name>.deploy'],
    ['networks:\n  n:\n    foo: 1', 'unknown key "foo" in networks.n; allowed there: name, driver, driver_opts, ipam'],
  ])('%j', (yaml, text) => {
    const { diags } = load(yaml);
    expect(diags.errors.map((d) => d.message).join('\n')).toContain(text);
  });
});

describe('Windows paths in short-syntax volumes (compose-go ParseVolume)', () => {
  it('keeps drive letters inside the source and target', async () => {
    const { splitVolumeSpec, isHostPath } = await import('../../../src/load/normalize/volumes.js');
    expect(splitVolumeSpec('C:\\Users\\data:D:\\config:rw')).toEqual(['C:\\Users\\data', 'D:\\config', 'rw']);
    expect(splitVolumeSpec('c:/data:/data')).toEqual(['c:/data', '/data']);
    expect(splitVolumeSpec('./a:/b:ro')).toEqual(['./a', '/b', 'ro']);
    expect(splitVolumeSpec('named:/x')).toEqual(['named', '/x']);
    expect(isHostPath('C:\\Users')).toBe(true);
    expect(isHostPath('\\\\server\\share')).toBe(true);
    expect(isHostPath('c')).toBe(false);
  });
});
