import { describe, expect, test } from 'vitest';
import { entry, pod, run, template } from '../run.js';

const POS = { file: '/project/compose.yaml', line: 7, col: 9 };
/** A default network whose subnets hold the addresses written below: only a container's address is flagged. */
const SUBNETS = {
  default: { ipam: { config: [{ subnet: '10.0.0.0/24' }, { subnet: '172.18.0.0/16' }] }, extensions: {} },
};

describe('hostname and domainname', () => {
  test('a DNS-1123 hostname becomes the pod hostname', () => {
    const r = run({ web: { image: 'x', hostname: 'frontend' } });
    expect(pod(r, 'web').hostname).toBe('frontend');
    expect(entry(r, 'web', 'hostname').status).toBe('converted');
  });

  test('an invalid hostname is sanitized and reported', () => {
    const r = run({ web: { image: 'x', hostname: 'Web_Host.example.com' } });
    expect(pod(r, 'web').hostname).toBe('web-host');
    expect(entry(r, 'web', 'hostname').status).toBe('approximated');
  });

  test('domainname is unsupported with a fix', () => {
    const r = run({ web: { image: 'x', hostname: 'h', domainname: 'example.com' } });
    expect(pod(r, 'web').subdomain).toBeUndefined();
    const e = entry(r, 'web', 'domainname');
    expect(e.status).toBe('unsupported');
    expect(e.fix).toContain('headless Service');
  });
});

describe('extra_hosts and DNS', () => {
  test('extra_hosts → hostAliases grouped by IP, each IP a hard-coded-ip finding', () => {
    const r = run(
      {
        web: {
          image: 'x',
          extra_hosts: [
            { host: 'db', ip: '10.0.0.5' },
            { host: 'cache', ip: '10.0.0.6' },
            { host: 'db.internal', ip: '10.0.0.5' },
          ],
        },
      },
      {},
      { sources: { 'services/web/extra_hosts/1': POS }, networks: SUBNETS },
    );
    expect(pod(r, 'web').hostAliases).toEqual([
      { ip: '10.0.0.5', hostnames: ['db', 'db.internal'] },
      { ip: '10.0.0.6', hostnames: ['cache'] },
    ]);
    const ips = r.report.findings.filter((f) => f.pitfall === 'hard-coded-ip');
    expect(ips.map((f) => f.message)).toEqual([
      'extra_hosts entry db uses the hard-coded IP 10.0.0.5',
      'extra_hosts entry cache uses the hard-coded IP 10.0.0.6',
      'extra_hosts entry db.internal uses the hard-coded IP 10.0.0.5',
    ]);
    expect(ips[1]!.pos).toEqual(POS);
    expect(ips[0]!.fix).toContain('Service');
    // One item per entry of the normalized list.
    expect(r.report.entries.filter((e) => e.service === 'web' && e.key === 'extra_hosts').map((e) => e.path)).toEqual([
      'extra_hosts[0]',
      'extra_hosts[1]',
      'extra_hosts[2]',
    ]);
    expect(r.report.entries.find((e) => e.path === 'extra_hosts[1]')).toMatchObject({
      id: 'extra_hosts.alias',
      status: 'converted',
      pos: POS,
    });
  });

  test('host-gateway has no equivalent', () => {
    const r = run({ web: { image: 'x', extra_hosts: [{ host: 'host.docker.internal', ip: 'host-gateway' }] } });
    expect(pod(r, 'web').hostAliases).toBeUndefined();
    expect(entry(r, 'web', 'extra_hosts')).toMatchObject({
      id: 'extra_hosts.host-gateway',
      path: 'extra_hosts[0]',
      status: 'unsupported',
    });
  });

  test('dns keeps cluster DNS (ClusterFirst), at most 2 extra nameservers, trade-off reported', () => {
    const r = run({
      web: {
        image: 'x',
        dns: ['8.8.8.8', '1.1.1.1', '9.9.9.9'],
        dns_search: ['corp.local'],
        dns_opt: ['ndots:2', 'edns0'],
      },
    });
    const p = pod(r, 'web');
    expect(p.dnsPolicy).toBeUndefined();
    expect(p.dnsConfig).toEqual({
      nameservers: ['8.8.8.8', '1.1.1.1'],
      searches: ['corp.local'],
      options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
    });
    const e = entry(r, 'web', 'dns');
    expect(e.status).toBe('approximated');
    expect(e.message).toContain('dropped 9.9.9.9');
    expect(e.fix).toContain('dnsPolicy: None');
    expect(r.report.findings.filter((f) => f.pitfall === 'hard-coded-ip')).toHaveLength(3);
  });
});

describe('dns values', () => {
  test('names are not valid nameservers: dropped and reported', () => {
    const r = run({ web: { image: 'x', dns: ['dns.example.com', '2001:4860:4860::8888'] } });
    expect(pod(r, 'web').dnsConfig).toEqual({ nameservers: ['2001:4860:4860::8888'] });
    expect(entry(r, 'web', 'dns').message).toContain('dropped dns.example.com');
  });
});

describe('other pod settings', () => {
  test('platform → nodeSelector os and arch; variant approximated', () => {
    const r = run({ web: { image: 'x', platform: 'linux/arm64/v8' } });
    expect(pod(r, 'web').nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' });
    expect(entry(r, 'web', 'platform').status).toBe('approximated');
    const r2 = run({ web: { image: 'x', platform: 'linux/amd64' } });
    expect(entry(r2, 'web', 'platform').status).toBe('converted');
  });

  test('wasi/wasm: no nodeSelector (no node carries it); the RuntimeClass places the pod', () => {
    const r = run({ etl: { image: 'x', platform: 'wasi/wasm', runtime: 'io.containerd.wasmedge.v1' } });
    expect(pod(r, 'etl').nodeSelector).toBeUndefined();
    expect(entry(r, 'etl', 'platform')).toMatchObject({ id: 'platform.wasm', status: 'approximated' });
    expect(entry(r, 'etl', 'platform').fix).toContain('RuntimeClass io-containerd-wasmedge-v1 scheduling.nodeSelector');
    const bare = run({ etl: { image: 'x', platform: 'wasi/wasm' } });
    expect(pod(bare, 'etl').nodeSelector).toBeUndefined();
    expect(entry(bare, 'etl', 'platform')).toMatchObject({ id: 'platform.wasm-no-runtime', status: 'unsupported' });
  });

  test('an os or arch the kubelet never sets is left out of the nodeSelector; docker aliases are normalized', () => {
    const r = run({ web: { image: 'x', platform: 'linux/sparc' } });
    expect(pod(r, 'web').nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(entry(r, 'web', 'platform')).toMatchObject({ id: 'platform.no-node-label', status: 'approximated' });
    expect(entry(r, 'web', 'platform').message).toContain('kubernetes.io/arch=sparc');
    const r2 = run({ web: { image: 'x', platform: 'linux/x86_64' } });
    expect(pod(r2, 'web').nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' });
  });

  test('service labels → pod annotations (invalid keys skipped); selector labels untouched', () => {
    const r = run({ web: { image: 'x', labels: { 'com.example.team': 'shop', 'a/b/c': 'bad' } } });
    const t = template(r, 'web');
    expect(t.metadata.annotations).toEqual({ 'com.example.team': 'shop' });
    expect(t.metadata.labels['com.example.team']).toBeUndefined();
    const e = entry(r, 'web', 'labels');
    expect(e).toMatchObject({ id: 'labels.invalid-keys', status: 'approximated' });
    expect(e.message).toContain('a/b/c');
  });

  test('stop_grace_period → terminationGracePeriodSeconds rounded up', () => {
    const r = run({ web: { image: 'x', stop_grace_period: 1500 } });
    expect(pod(r, 'web').terminationGracePeriodSeconds).toBe(2);
  });

  test('sysctls → pod sysctls; unsafe ones are dropped (the kubelet would reject the pod) and reported', () => {
    const r = run({ web: { image: 'x', sysctls: { 'net.core.somaxconn': '1024', 'net.ipv4.tcp_syncookies': '0' } } });
    expect(pod(r, 'web').securityContext?.sysctls).toEqual([{ name: 'net.ipv4.tcp_syncookies', value: '0' }]);
    expect(entry(r, 'web', 'sysctls.net.core.somaxconn')).toMatchObject({
      id: 'sysctls.unsafe-dropped',
      status: 'unsupported',
    });
    expect(entry(r, 'web', 'sysctls.net.core.somaxconn').fix).toContain('--allow-unsafe-sysctls');
  });

  test.each([false, true])(
    'a node-wide sysctl (Elasticsearch vm.max_map_count) is dropped even with --allow-unsafe-sysctls=%s',
    (allowUnsafeSysctls) => {
      const r = run(
        { es: { image: 'elasticsearch:8.15.0', sysctls: { 'vm.max_map_count': '262144' } } },
        { allowUnsafeSysctls },
      );
      expect(pod(r, 'es').securityContext?.sysctls).toBeUndefined();
      const e = entry(r, 'es', 'sysctls.vm.max_map_count');
      expect(e).toMatchObject({ id: 'sysctls.node-level', status: 'unsupported' });
      expect(e.fix).toContain('sysctl -w vm.max_map_count=262144');
    },
  );

  test('ulimits: one unsupported item per limit; memlock breaks an app told to lock memory', () => {
    const r = run({
      es: {
        image: 'elasticsearch:8.15.0',
        environment: { 'bootstrap.memory_lock': 'true' },
        ulimits: { memlock: { soft: -1, hard: -1 }, nofile: { soft: 65536, hard: 65536 } },
      },
      other: { image: 'x', ulimits: { memlock: { soft: -1, hard: -1 } } },
    });
    expect(entry(r, 'es', 'ulimits.memlock')).toMatchObject({ id: 'ulimits.memlock-breaks', status: 'unsupported' });
    expect(entry(r, 'es', 'ulimits.memlock').message).toContain('bootstrap.memory_lock=true');
    expect(entry(r, 'es', 'ulimits.memlock').fix).toContain('bootstrap.memory_lock=false');
    expect(entry(r, 'es', 'ulimits.nofile')).toMatchObject({ id: 'ulimits.dropped' });
    expect(entry(r, 'other', 'ulimits.memlock')).toMatchObject({ id: 'ulimits.dropped' });
    expect(entry(r, 'other', 'ulimits.memlock').message).toContain('unlimited');
  });

  test('--allow-unsafe-sysctls keeps them, reported with the kubelet fix', () => {
    const r = run(
      { web: { image: 'x', sysctls: { 'net.core.somaxconn': '1024', 'net.ipv4.tcp_syncookies': '0' } } },
      { allowUnsafeSysctls: true },
    );
    expect(pod(r, 'web').securityContext?.sysctls).toEqual([
      { name: 'net.core.somaxconn', value: '1024' },
      { name: 'net.ipv4.tcp_syncookies', value: '0' },
    ]);
    // One item per sysctl: only the unsafe one is approximated.
    expect(entry(r, 'web', 'sysctls.net.core.somaxconn')).toMatchObject({
      id: 'sysctls.unsafe',
      path: 'sysctls.net.core.somaxconn',
      status: 'approximated',
    });
    expect(entry(r, 'web', 'sysctls.net.core.somaxconn').fix).toContain('allowed-unsafe-sysctls');
    expect(entry(r, 'web', 'sysctls.net.ipv4.tcp_syncookies')).toMatchObject({
      id: 'sysctls.safe',
      status: 'converted',
    });
  });

  test('group_add: numeric ids → supplementalGroups, names unsupported', () => {
    const r = run({ web: { image: 'x', group_add: ['44', 'video'] } });
    expect(pod(r, 'web').securityContext?.supplementalGroups).toEqual([44]);
    expect(entry(r, 'web', 'group_add')).toMatchObject({ id: 'group_add.names-dropped', status: 'approximated' });
  });

  test('container_name ignored, init and stop_signal unsupported with fixes', () => {
    const r = run({ web: { image: 'x', container_name: 'my-web', init: true, stop_signal: 'SIGQUIT' } });
    expect(entry(r, 'web', 'container_name')).toMatchObject({ id: 'container_name.generated', status: 'ignored' });
    expect(entry(r, 'web', 'init')).toMatchObject({ id: 'init.pid1', status: 'unsupported' });
    const s = entry(r, 'web', 'stop_signal');
    expect(s.status).toBe('unsupported');
    expect(s.fix).toContain('preStop');
    expect(s.fix).toContain('kill -s QUIT 1');
  });

  test('environment values with compose-subnet IPs are findings at the variable; loopback, 0.0.0.0 and others are not', () => {
    const r = run(
      {
        api: {
          image: 'x',
          environment: {
            DB_HOST: '172.18.0.3',
            BIND: '0.0.0.0',
            LOCAL: '127.0.0.1:9000',
            URL: 'http://192.168.1.20:8080/x',
            VER: '1.2.3',
          },
        },
      },
      {},
      { sources: { 'services/api/environment/DB_HOST': POS }, networks: SUBNETS },
    );
    const f = r.report.findings.filter((x) => x.pitfall === 'hard-coded-ip');
    // 192.168.1.20 is outside the project's subnets: a host of its own, not a container's address.
    expect(f.map((x) => x.message)).toEqual(['environment DB_HOST contains the hard-coded IP 172.18.0.3']);
    expect(f[0]!.pos).toEqual(POS);
    expect(f[0]!.object).toBe('Deployment/api');
  });
});

describe('network_mode', () => {
  test('host → hostNetwork with ClusterFirstWithHostNet', () => {
    const r = run({ agent: { image: 'x', network_mode: 'host' } });
    expect(pod(r, 'agent').hostNetwork).toBe(true);
    expect(pod(r, 'agent').dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(entry(r, 'agent', 'network_mode').status).toBe('approximated');
  });

  test('none is isolated by a NetworkPolicy (approximated; unsupported without policies); container:x is unsupported', () => {
    const r = run({
      a: { image: 'x', network_mode: 'none', restart: 'always' },
      b: { image: 'x', network_mode: 'container:vpn' },
    });
    expect(pod(r, 'a').hostNetwork).toBeUndefined();
    expect(entry(r, 'a', 'network_mode')).toMatchObject({ id: 'network_mode.none-isolated', status: 'approximated' });
    expect(entry(r, 'b', 'network_mode').fix).toContain('one pod');
    const off = run({ a: { image: 'x', network_mode: 'none' } }, { networkPolicies: false });
    expect(entry(off, 'a', 'network_mode')).toMatchObject({ id: 'network_mode.none', status: 'unsupported' });
  });

  test("bridge and default are Docker's default network: converted, no host network, nothing for --strict to refuse", () => {
    const r = run({ a: { image: 'x', network_mode: 'bridge' }, b: { image: 'x', network_mode: 'default' } });
    for (const s of ['a', 'b']) {
      expect(pod(r, s).hostNetwork).toBeUndefined();
      expect(entry(r, s, 'network_mode').status).toBe('converted');
      expect(entry(r, s, 'network_mode').id).toBe('network_mode.bridge');
    }
  });
});
