/** Short → long syntax, from the Compose Spec examples (05-services.md) and compose-go's loader rules. */
import { describe, expect, it } from 'vitest';
import type { ServicePort, ServiceVolume } from '../../../src/model/types.js';
import { service } from './normalize-helper.js';

const tcp = (target: number, extra: Partial<ServicePort> = {}): ServicePort => ({
  target,
  protocol: 'tcp',
  mode: 'ingress',
  ...extra,
});

describe('ports', () => {
  it.each<[string, ServicePort[]]>([
    ['"3000"', [tcp(3000)]],
    ['3000', [tcp(3000)]],
    ['"3000-3002"', [tcp(3000), tcp(3001), tcp(3002)]],
    ['"8000:8000"', [tcp(8000, { published: '8000' })]],
    ['"9090-9091:8080-8081"', [tcp(8080, { published: '9090' }), tcp(8081, { published: '9091' })]],
    ['"49100:22"', [tcp(22, { published: '49100' })]],
    ['"8000-9000:80"', [tcp(80, { published: '8000-9000' })]],
    ['"127.0.0.1:8001:8001"', [tcp(8001, { published: '8001', host_ip: '127.0.0.1' })]],
    [
      '"127.0.0.1:5000-5001:5000-5001"',
      [tcp(5000, { published: '5000', host_ip: '127.0.0.1' }), tcp(5001, { published: '5001', host_ip: '127.0.0.1' })],
    ],
    ['"127.0.0.1::5000"', [tcp(5000, { host_ip: '127.0.0.1' })]],
    ['"[::1]:6001:6001"', [tcp(6001, { published: '6001', host_ip: '::1' })]],
    ['"6060:6060/udp"', [{ target: 6060, published: '6060', protocol: 'udp', mode: 'ingress' }]],
    ['"12400-12500:1240/sctp"', [{ target: 1240, published: '12400-12500', protocol: 'sctp', mode: 'ingress' }]],
  ])('%s', (spec, expected) => {
    const { web, problems } = service(`ports:\n  - ${spec}`);
    expect(problems).toEqual([]);
    expect(web?.ports).toEqual(expected);
  });

  it('long syntax, published as string or number, protocol defaults to tcp', () => {
    const { web } = service(`ports:
  - name: web
    target: 80
    host_ip: 127.0.0.1
    published: "8080"
    app_protocol: http
    mode: host
  - target: 443
    published: 8443
    protocol: udp`);
    expect(web?.ports).toEqual([
      {
        name: 'web',
        target: 80,
        host_ip: '127.0.0.1',
        published: '8080',
        protocol: 'tcp',
        mode: 'host',
        app_protocol: 'http',
      },
      { target: 443, published: '8443', protocol: 'udp', mode: 'ingress' },
    ]);
  });

  it.each([
    ['"9090-9092:8080-8081"', 'invalid-port@5:9'],
    ['"abc"', 'invalid-port@5:9'],
    ['"80/xyz"', 'invalid-port@5:9'],
    ['"70000"', 'invalid-port@5:9'],
  ])('rejects %s', (spec, problem) => {
    expect(service(`ports:\n  - ${spec}`).problems).toEqual([problem]);
  });

  it.each([['"70000"'], ['abc'], ['"9000-8000"']])(
    'rejects a long-syntax published %s that is no port or range',
    (p) => {
      const r = service(`ports:\n  - target: 80\n    published: ${p}`);
      expect(r.problems).toEqual(['invalid-port@6:9']);
    },
  );

  it.each([['0'], ['8080'], ['"8000-8002"']])('takes a long-syntax published %s', (p) => {
    const r = service(`ports:\n  - target: 80\n    published: ${p}`);
    expect(r.problems).toEqual([]);
    expect(r.web!.ports[0]!.published).toBe(p.replace(/"/g, ''));
  });

  it.each([['0'], ['65536'], ['07778000']])('rejects a long-syntax target %s that is no port number', (target) => {
    const r = service(`ports:\n  - target: ${target}\n    published: 8000`);
    expect(r.problems).toEqual(['invalid-port@5:9']);
    expect(r.diags.list[0]!.message).toBe(
      `services.web.ports[0]: target ${Number(target)} is not a port number (1-65535)`,
    );
  });

  it('expose: strings and numbers, ranges expanded', () => {
    const { web } = service('expose:\n  - "3000"\n  - 8000\n  - "9000-9002"\n  - "53/udp"');
    expect(web?.expose).toEqual([
      { target: 3000, protocol: 'tcp' },
      { target: 8000, protocol: 'tcp' },
      { target: 9000, protocol: 'tcp' },
      { target: 9001, protocol: 'tcp' },
      { target: 9002, protocol: 'tcp' },
      { target: 53, protocol: 'udp' },
    ]);
  });
});

const bind = (source: string, target: string, extra: Partial<ServiceVolume> = {}): ServiceVolume => ({
  type: 'bind',
  source,
  target,
  bind: { create_host_path: true },
  ...extra,
});

describe('volumes', () => {
  it.each<[string, ServiceVolume]>([
    ['/var/lib/mysql', { type: 'volume', target: '/var/lib/mysql' }],
    ['/opt/data:/var/lib/mysql', bind('/opt/data', '/var/lib/mysql')],
    ['./cache:/tmp/cache', bind('/proj/cache', '/tmp/cache')],
    ['../shared:/shared', bind('/shared', '/shared')],
    ['~/configs:/etc/configs/:ro', bind('/users/me/configs', '/etc/configs/', { read_only: true })],
    ['datavolume:/var/lib/mysql', { type: 'volume', source: 'datavolume', target: '/var/lib/mysql' }],
    [
      'datavolume:/data:rw,nocopy',
      { type: 'volume', source: 'datavolume', target: '/data', read_only: false, volume: { nocopy: true } },
    ],
    ['./src:/src:z', bind('/proj/src', '/src', { bind: { create_host_path: true, selinux: 'z' } })],
    [
      './src:/src:ro,Z,rslave',
      bind('/proj/src', '/src', {
        read_only: true,
        bind: { create_host_path: true, selinux: 'Z', propagation: 'rslave' },
      }),
    ],
    ['./src:/src:cached', bind('/proj/src', '/src', { consistency: 'cached' })],
  ])('%s', (spec, expected) => {
    const { web, problems } = service(`volumes:\n  - ${spec}`, 'volumes:\n  datavolume:\n');
    expect(problems).toEqual([]);
    expect(web?.volumes).toEqual([expected]);
  });

  it('long syntax as is, units converted', () => {
    const { web, problems } = service(
      `volumes:
  - type: volume
    source: db-data
    target: /data
    volume:
      nocopy: true
      subpath: sub
  - type: bind
    source: ./static
    target: /opt/app/static
    read_only: true
    bind:
      create_host_path: false
  - type: tmpfs
    target: /run
    tmpfs:
      size: 64m
      mode: "1777"`,
      'volumes:\n  db-data: {}\n',
    );
    expect(problems).toEqual([]);
    expect(web?.volumes).toEqual([
      { type: 'volume', source: 'db-data', target: '/data', volume: { nocopy: true, subpath: 'sub' } },
      {
        type: 'bind',
        source: '/proj/static',
        target: '/opt/app/static',
        read_only: true,
        bind: { create_host_path: false },
      },
      { type: 'tmpfs', target: '/run', tmpfs: { size: 64 * 1024 * 1024, mode: 0o1777 } },
    ]);
  });

  it.each([
    ['a:b:c:d', 'invalid-volume@5:9'],
    ['./x:/y:bogus', 'volume-option-ignored@5:9'],
    ['undeclared:/data', 'unknown-volume@5:9'],
  ])('rejects %s', (spec, problem) => {
    expect(service(`volumes:\n  - ${spec}`).problems).toEqual([problem]);
  });
});

describe('environment, labels and other maps', () => {
  it('list form: KEY=VAL, KEY= (empty), KEY (from the environment, dropped when unset)', () => {
    const { web } = service('environment:\n  - A=1\n  - B=\n  - C=x=y\n  - FROM_HOST\n  - NOT_SET');
    expect(web?.environment).toEqual({ A: '1', B: '', C: 'x=y', FROM_HOST: 'host-value' });
  });

  it('map form: numbers and booleans are stringified like compose-go, null looks up', () => {
    const { web } = service(
      'environment:\n  N: 1\n  F: 1.5\n  T: true\n  S: "yes"\n  FROM_HOST:\n  NOT_SET: null\n  EMPTY: ""',
    );
    expect(web?.environment).toEqual({ N: '1', F: '1.5', T: 'true', S: 'yes', FROM_HOST: 'host-value', EMPTY: '' });
  });

  it('labels, annotations, sysctls: key-only means empty string', () => {
    const { web } = service(
      'labels:\n  - com.example.a=1\n  - com.example.flag\nannotations:\n  x: 1\nsysctls:\n  net.core.somaxconn: 1024\n  net.ipv4.tcp_syncookies: 0',
    );
    expect(web?.labels).toEqual({ 'com.example.a': '1', 'com.example.flag': '' });
    expect(web?.annotations).toEqual({ x: '1' });
    expect(web?.sysctls).toEqual({ 'net.core.somaxconn': '1024', 'net.ipv4.tcp_syncookies': '0' });
  });

  it('x-* keys inside user maps are data, not extensions', () => {
    const { web, problems } = service('labels:\n  x-team: core\nx-owner: me');
    expect(problems).toEqual([]);
    expect(web?.labels).toEqual({ 'x-team': 'core' });
    expect(web?.extensions).toEqual({ 'x-owner': 'me' });
  });

  it('extra_hosts: host:ip, host=ip, IPv6, map form', () => {
    const list = service(
      'extra_hosts:\n  - "somehost:162.242.195.82"\n  - "otherhost=50.31.209.229"\n  - "myhostv6=[::1]"\n  - "v6:::1"',
    );
    expect(list.web?.extra_hosts).toEqual([
      { host: 'somehost', ip: '162.242.195.82' },
      { host: 'otherhost', ip: '50.31.209.229' },
      { host: 'myhostv6', ip: '::1' },
      { host: 'v6', ip: '::1' },
    ]);
    const map = service('extra_hosts:\n  somehost: 162.242.195.82\n  multi: ["10.0.0.1", "10.0.0.2"]');
    expect(map.web?.extra_hosts).toEqual([
      { host: 'somehost', ip: '162.242.195.82' },
      { host: 'multi', ip: '10.0.0.1' },
      { host: 'multi', ip: '10.0.0.2' },
    ]);
  });

  it('env_file: string, list, long form; paths absolute', () => {
    expect(service('env_file: .env').web?.env_file).toEqual([{ path: '/proj/.env', required: true }]);
    expect(
      service('env_file:\n  - ./a.env\n  - path: ./b.env\n    required: false\n  - path: /abs/c.env\n    format: raw')
        .web?.env_file,
    ).toEqual([
      { path: '/proj/a.env', required: true },
      { path: '/proj/b.env', required: false },
      { path: '/abs/c.env', required: true, format: 'raw' },
    ]);
  });
});

describe('command, entrypoint, healthcheck', () => {
  it.each<[string, string[] | null]>([
    ['command: bundle exec thin -p 3000', ['bundle', 'exec', 'thin', '-p', '3000']],
    [`command: sh -c 'echo "$$HOME"'`, ['sh', '-c', 'echo "$$HOME"']],
    ['command: ["bundle", "exec"]', ['bundle', 'exec']],
    ['command: []', null],
    ['command: ""', null],
    ['command: null', null],
    ['entrypoint: /code/entrypoint.sh -p 3000', ['/code/entrypoint.sh', '-p', '3000']],
  ])('%s', (line, expected) => {
    const { web } = service(line);
    const key = line.startsWith('command') ? 'command' : 'entrypoint';
    expect(web?.[key]).toEqual(expected);
  });

  it('healthcheck: string test → CMD-SHELL, durations → ms', () => {
    const { web } = service(
      'healthcheck:\n  test: curl -f http://localhost\n  interval: 1m30s\n  timeout: 10s\n  retries: 3\n  start_period: 40s\n  start_interval: 5s',
    );
    expect(web?.healthcheck).toEqual({
      test: ['CMD-SHELL', 'curl -f http://localhost'],
      interval: 90_000,
      timeout: 10_000,
      retries: 3,
      start_period: 40_000,
      start_interval: 5000,
    });
    expect(service('healthcheck:\n  test: ["CMD", "curl", "-f", "x"]').web?.healthcheck?.test).toEqual([
      'CMD',
      'curl',
      '-f',
      'x',
    ]);
    expect(service('healthcheck:\n  disable: true').web?.healthcheck).toEqual({ disable: true });
  });

  it('an unquoted shell operator in a string command is a warning', () => {
    const { web, problems } = service('command: echo a && echo b');
    expect(web?.command).toEqual(['echo', 'a']);
    expect(problems).toEqual(['command-shell-operator@4:5']);
  });
});
