/**
 * Merge rules (compose-spec 13-merge.md, compose-go override rules) through loadProject: a base
 * compose.yaml and a discovered compose.override.yaml.
 */
import { describe, expect, test } from 'vitest';
import { loadProject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import type { Project, Service } from '../../../src/model/types.js';

function load(base: string, over: string): Project {
  const r = loadProject({
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': base, '/p/compose.override.yaml': over }),
    env: {},
  });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  expect(errors).toEqual([]);
  return r.project!;
}

const svc = (yaml: string): string => `services:\n  web:\n    image: nginx\n${yaml.replace(/^/gm, '    ')}\n`;

interface Case {
  name: string;
  base: string;
  over: string;
  get: (s: Service, p: Project) => unknown;
  want: unknown;
}

const cases: Case[] = [
  {
    name: 'mapping: scalar replaced',
    base: svc('restart: always'),
    over: svc('restart: "no"'),
    get: (s) => s.restart,
    want: 'no',
  },
  { name: 'mapping: missing key added', base: svc(''), over: svc('hostname: h1'), get: (s) => s.hostname, want: 'h1' },
  {
    name: 'image replaced',
    base: svc(''),
    over: 'services:\n  web:\n    image: nginx:2\n',
    get: (s) => s.image,
    want: 'nginx:2',
  },
  {
    name: 'command replaced, not appended',
    base: svc('command: [echo, foo]'),
    over: svc('command: [echo, bar]'),
    get: (s) => s.command,
    want: ['echo', 'bar'],
  },
  {
    name: 'entrypoint replaced',
    base: svc('entrypoint: [a, b]'),
    over: svc('entrypoint: c'),
    get: (s) => s.entrypoint?.at(-1),
    want: 'c',
  },
  {
    name: 'healthcheck.test replaced, other healthcheck keys merged',
    base: svc('healthcheck:\n  test: [CMD, a, b]\n  interval: 10s'),
    over: svc('healthcheck:\n  test: [CMD, c]\n  retries: 3'),
    get: (s) => [s.healthcheck?.test, s.healthcheck?.interval, s.healthcheck?.retries],
    want: [['CMD', 'c'], 10000, 3],
  },
  {
    name: 'environment: list and map forms merged by key',
    base: svc('environment: [A=1, B=2]'),
    over: svc('environment:\n  B: "3"\n  C: "4"'),
    get: (s) => s.environment,
    want: { A: '1', B: '3', C: '4' },
  },
  {
    name: 'environment: map then list',
    base: svc('environment:\n  A: "1"'),
    over: svc('environment: [A=9, D=5]'),
    get: (s) => s.environment,
    want: { A: '9', D: '5' },
  },
  {
    name: 'labels merged by key',
    base: svc('labels: [a=1, b=2]'),
    over: svc('labels:\n  b: x'),
    get: (s) => s.labels,
    want: { a: '1', b: 'x' },
  },
  {
    name: 'annotations merged by key',
    base: svc('annotations: {a: "1"}'),
    over: svc('annotations: [c=3]'),
    get: (s) => s.annotations,
    want: { a: '1', c: '3' },
  },
  {
    name: 'sysctls merged by key',
    base: svc('sysctls: [net.core.somaxconn=1024]'),
    over: svc('sysctls:\n  net.ipv4.tcp_syncookies: 0'),
    get: (s) => s.sysctls,
    want: { 'net.core.somaxconn': '1024', 'net.ipv4.tcp_syncookies': '0' },
  },
  {
    // compose-go override/merge.go mergeExtraHosts appends: a host may have several addresses
    name: 'extra_hosts appended, a host keeps the addresses of both files',
    base: svc('extra_hosts: ["a=1.1.1.1", "b:2.2.2.2"]'),
    over: svc('extra_hosts:\n  b: 3.3.3.3'),
    get: (s) => s.extra_hosts,
    want: [
      { host: 'a', ip: '1.1.1.1' },
      { host: 'b', ip: '2.2.2.2' },
      { host: 'b', ip: '3.3.3.3' },
    ],
  },
  {
    name: 'ports: distinct entries appended',
    base: svc('ports: ["8080:80"]'),
    over: svc('ports: ["8443:443"]'),
    get: (s) => s.ports.map((p) => `${p.published}:${p.target}`),
    want: ['8080:80', '8443:443'],
  },
  {
    name: 'ports: same identity (short and long syntax) kept once',
    base: svc('ports: ["8080:80"]'),
    over: svc('ports:\n  - target: 80\n    published: "8080"\n    protocol: tcp'),
    get: (s) => s.ports.length,
    want: 1,
  },
  {
    name: 'ports: different protocol is a different port',
    base: svc('ports: ["53:53"]'),
    over: svc('ports: ["53:53/udp"]'),
    get: (s) => s.ports.map((p) => p.protocol),
    want: ['tcp', 'udp'],
  },
  {
    name: 'volumes: unique by target, override wins',
    base: svc('volumes: ["foo:/work", "./a:/a"]'),
    over: svc('volumes: ["bar:/work"]') + 'volumes:\n  foo: {}\n  bar: {}\n',
    get: (s) => s.volumes.map((v) => `${v.source}:${v.target}`),
    want: ['bar:/work', '/p/a:/a'],
  },
  {
    name: 'secrets: unique by target',
    base: svc('secrets: [s1]') + 'secrets:\n  s1: {file: ./s1}\n  s2: {file: ./s2}\n',
    over: svc('secrets:\n  - source: s2\n    target: s1'),
    get: (s) => s.secrets.map((x) => `${x.source}>${x.target}`),
    want: ['s2>/run/secrets/s1'],
  },
  {
    name: 'configs: unique by target',
    base: svc('configs: [{source: c1, target: /etc/app.conf}]') + 'configs:\n  c1: {file: ./c1}\n  c2: {file: ./c2}\n',
    over: svc('configs: [{source: c2, target: /etc/app.conf}, c1]'),
    get: (s) => s.configs.map((x) => `${x.source}>${x.target}`),
    want: ['c2>/etc/app.conf', 'c1>/c1'],
  },
  {
    name: 'networks: list and map merged by name',
    base: svc('networks: [front]') + 'networks:\n  front: {}\n  back: {}\n',
    over: svc('networks:\n  front:\n    aliases: [web1]\n  back: {}'),
    get: (s) => s.networks,
    want: { front: { aliases: ['web1'] }, back: {} },
  },
  {
    name: 'depends_on: list and map merged by name',
    base: svc('depends_on: [db]') + '  db:\n    image: pg\n  cache:\n    image: redis\n',
    over: svc('depends_on:\n  db:\n    condition: service_healthy\n  cache:\n    condition: service_started'),
    get: (s) => Object.fromEntries(Object.entries(s.depends_on).map(([k, v]) => [k, v.condition])),
    want: { db: 'service_healthy', cache: 'service_started' },
  },
  {
    name: 'dns: appended, duplicates dropped',
    base: svc('dns: [1.1.1.1, 8.8.8.8]'),
    over: svc('dns: [8.8.8.8, 9.9.9.9]'),
    get: (s) => s.dns,
    want: ['1.1.1.1', '8.8.8.8', '9.9.9.9'],
  },
  {
    name: 'expose: appended unique',
    base: svc('expose: ["3000"]'),
    over: svc('expose: ["3000", "4000"]'),
    get: (s) => s.expose.map((e) => e.target),
    want: [3000, 4000],
  },
  {
    name: 'cap_add: appended unique',
    base: svc('cap_add: [NET_ADMIN]'),
    over: svc('cap_add: [NET_ADMIN, SYS_TIME]'),
    get: (s) => s.cap_add,
    want: ['NET_ADMIN', 'SYS_TIME'],
  },
  {
    name: 'plain sequence (security_opt) appended',
    base: svc('security_opt: [a=1]'),
    over: svc('security_opt: [b=2]'),
    get: (s) => s.security_opt,
    want: ['a=1', 'b=2'],
  },
  {
    name: '!reset removes a sequence',
    base: svc('ports: ["8080:80"]'),
    over: svc('ports: !reset []'),
    get: (s) => s.ports,
    want: [],
  },
  {
    name: '!reset removes one environment key',
    base: svc('environment:\n  FOO: bar\n  KEEP: "1"'),
    over: svc('environment:\n  FOO: !reset null'),
    get: (s) => s.environment,
    want: { KEEP: '1' },
  },
  {
    name: '!reset removes a scalar',
    base: svc('hostname: h'),
    over: svc('hostname: !reset ""'),
    get: (s) => s.hostname,
    want: undefined,
  },
  {
    name: '!override replaces a sequence',
    base: svc('ports: ["8080:80"]'),
    over: svc('ports: !override ["8443:443"]'),
    get: (s) => s.ports.map((p) => p.target),
    want: [443],
  },
  {
    name: '!override replaces a mapping',
    base: svc('environment:\n  A: "1"\n  B: "2"'),
    over: svc('environment: !override\n  C: "3"'),
    get: (s) => s.environment,
    want: { C: '3' },
  },
  {
    name: 'build: short context merged with long form',
    base: 'services:\n  web:\n    build: ./app\n',
    over: 'services:\n  web:\n    build:\n      dockerfile: Dockerfile.dev\n      args: [X=1]\n',
    get: (s) => [s.build?.context, s.build?.dockerfile, s.build?.args],
    want: ['/p/app', 'Dockerfile.dev', { X: '1' }],
  },
  {
    name: 'logging: same driver merges options',
    base: svc('logging:\n  driver: json-file\n  options: {max-size: 10m}'),
    over: svc('logging:\n  options: {max-file: "3"}'),
    get: (s) => s.logging,
    want: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } },
  },
  {
    name: 'logging: another driver replaces',
    base: svc('logging:\n  driver: json-file\n  options: {max-size: 10m}'),
    over: svc('logging:\n  driver: syslog\n  options: {tag: web}'),
    get: (s) => s.logging,
    want: { driver: 'syslog', options: { tag: 'web' } },
  },
  {
    name: 'ulimits: per-limit mapping merged',
    base: svc('ulimits:\n  nofile: {soft: 100, hard: 200}'),
    over: svc('ulimits:\n  nofile: {soft: 150, hard: 200}\n  nproc: 65535'),
    get: (s) => s.ulimits,
    want: { nofile: { soft: 150, hard: 200 }, nproc: { soft: 65535, hard: 65535 } },
  },
  {
    name: 'deploy: nested mapping merged',
    base: svc('deploy:\n  replicas: 2\n  resources:\n    limits: {cpus: "0.5"}'),
    over: svc('deploy:\n  resources:\n    limits: {memory: 64M}'),
    get: (s) => [s.deploy?.replicas, s.deploy?.resources?.limits],
    want: [2, { cpus: 0.5, memory: 64 * 1024 * 1024 }],
  },
  {
    name: 'top-level volumes merged',
    base: svc('') + 'volumes:\n  data:\n    driver: local\n',
    over: 'volumes:\n  data:\n    labels: {a: b}\n  more: {}\n',
    get: (_s, p) => [p.volumes.data?.driver, p.volumes.data?.labels, Object.keys(p.volumes).sort()],
    want: ['local', { a: 'b' }, ['data', 'more']],
  },
  {
    name: 'x- extensions merged',
    base: svc('') + 'x-a: {one: 1}\n',
    over: 'x-a: {two: 2}\n',
    get: (_s, p) => p.extensions['x-a'],
    want: { one: 1, two: 2 },
  },
  {
    name: 'models: a list and a mapping merge by name (each file canonicalized first)',
    base: svc('models: [m1]') + 'models:\n  m1: {model: ai/x}\n  m2: {model: ai/y}\n',
    over: svc('models: {m2: {endpoint_var: M2_URL}}'),
    get: (s) => s.models,
    want: { m1: null, m2: { endpoint_var: 'M2_URL' } },
  },
  {
    name: 'devices: merged by target, default permissions rwm',
    base: svc('devices: ["/dev/fuse"]'),
    over: svc('devices: ["/dev/fuse:/dev/fuse:r", "/dev/snd"]'),
    get: (s) => s.devices,
    want: [
      { source: '/dev/fuse', target: '/dev/fuse', permissions: 'r' },
      { source: '/dev/snd', target: '/dev/snd', permissions: 'rwm' },
    ],
  },
  {
    name: 'ulimits: a partial override merges key by key',
    base: svc('ulimits: {nofile: {soft: 1024, hard: 4096}, nproc: 64}'),
    over: svc('ulimits: {nofile: {soft: 2048}}'),
    get: (s) => s.ulimits,
    want: { nofile: { soft: 2048, hard: 4096 }, nproc: { soft: 64, hard: 64 } },
  },
  {
    name: 'new service added by override',
    base: svc(''),
    over: 'services:\n  api:\n    image: api\n',
    get: (_s, p) => Object.keys(p.services).sort(),
    want: ['api', 'web'],
  },
];

describe('merge rules', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const p = load(c.base, c.over);
    expect(c.get(p.services.web!, p)).toEqual(c.want);
  });
});

test('a merge that leaves a soft ulimit above the hard one is refused, at the limit', () => {
  const r = loadProject({
    workingDir: '/p',
    fs: memoryFs({
      '/p/compose.yaml': svc('ulimits: {nofile: {soft: 1024, hard: 4096}}'),
      '/p/compose.override.yaml': svc('ulimits: {nofile: {soft: 8192}}'),
    }),
    env: {},
  });
  const e = r.diagnostics.filter((d) => d.severity === 'error');
  expect(e.map((d) => d.code)).toEqual(['invalid-value']);
  expect(e[0]!.message).toContain('soft limit 8192 is above the hard limit 4096');
  expect(e[0]!.pos?.line).toBeGreaterThan(0);
});

describe('positions after merge', () => {
  test('a replaced value points at the overriding file, kept values at the base file', () => {
    const p = load(svc('ports: ["8080:80"]\nrestart: always'), 'services:\n  web:\n    image: nginx:2\n');
    expect(p.sources.get('services/web/image')).toEqual({ file: '/p/compose.override.yaml', line: 3, col: 5 });
    expect(p.sources.get('services/web/restart')).toMatchObject({ file: '/p/compose.yaml', line: 5 });
    expect(p.sources.get('services/web')).toMatchObject({ file: '/p/compose.yaml', line: 2 });
  });
  test('errors in a merged service point into the file that wrote the bad value', () => {
    const r = loadProject({
      workingDir: '/p',
      fs: memoryFs({
        '/p/compose.yaml': svc('restart: always'),
        '/p/compose.override.yaml': 'services:\n  web:\n    image: nginx\n    cpus: lots\n',
      }),
      env: {},
    });
    const err = r.diagnostics.find((d) => d.severity === 'error');
    expect(err?.pos).toMatchObject({ file: '/p/compose.override.yaml', line: 4 });
  });
});
