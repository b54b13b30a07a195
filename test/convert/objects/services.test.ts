import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/kube/object.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import type { ServiceSpec } from 'kubernetes-types/core/v1.js';
import { buildServices } from '../../../src/convert/objects/services.js';
import { classifyPort, containerPortName } from '../../../src/convert/plan/ports.js';
import { convertYaml, service } from '../../helpers/project.js';
import { ctr, find, has, recs, runSteps } from '../steps.js';

const spec = (o: KubeObject): ServiceSpec => o['spec'] as ServiceSpec;
const run = (services: Parameters<typeof runSteps>[0], options: Partial<ConvertOptions> = {}) =>
  runSteps(services, [], { options, podSteps: [buildServices] });

/** No port of `name` is known: its Service is headless without ports (the name resolves to the pod), reported. */
function expectNameOnly(r: ReturnType<typeof runSteps>, name: string): void {
  const s = spec(find(r, 'Service', name));
  expect(s.clusterIP).toBe('None');
  expect(s.ports).toBeUndefined();
  expect(recs(r, name, 'expose').map((e) => e.id)).toContain('expose.headless-implicit');
  // Day 2: the API server keeps an applied Service headless when a later apply drops clusterIP: None (ports added).
  const e = recs(r, name, 'expose').find((x) => x.id === 'expose.headless-implicit')!;
  expect(e.fix).toContain(`stays headless on later applies: kubectl delete service ${name} before applying`);
}

describe('containerPortName', () => {
  test('<proto>-<port>, preferred name when free, unique within the set', () => {
    const used = new Set<string>();
    expect(containerPortName(8080, 'tcp', used)).toBe('tcp-8080');
    expect(containerPortName(53, 'udp', used)).toBe('udp-53');
    expect(containerPortName(80, 'tcp', used, 'Web UI')).toBe('web-ui');
    expect(containerPortName(81, 'tcp', used, 'web-ui')).toBe('tcp-81');
    expect(containerPortName(8080, 'tcp', used)).toBe('tcp-8080-2');
    for (const n of used) expect(n.length).toBeLessThanOrEqual(15);
  });
});

describe('classifyPort', () => {
  const s = service('x');
  test.each([
    [80, undefined, undefined, true],
    [8080, '80', undefined, true],
    [5432, '5432', undefined, false],
    [443, '443', undefined, false],
    [1234, '8080', undefined, true],
    [1234, '1234', 'http', true],
    [80, '80', 'grpc', false],
  ])('target %s published %s app_protocol %s → http %s', (target, published, ap, http) => {
    expect(
      classifyPort(s, {
        target,
        protocol: 'tcp',
        ...(published ? { published } : {}),
        ...(ap ? { app_protocol: ap } : {}),
      }).http,
    ).toBe(http);
  });
  test('UDP is never HTTP; the label forces either way', () => {
    expect(classifyPort(s, { target: 80, protocol: 'udp' }).http).toBe(false);
    // Its TCP twin is no HTTP either: a port served over both protocols is a raw protocol.
    const both = service('z', { ports: [{ target: 5000, protocol: 'udp' }] });
    expect(classifyPort(both, { target: 5000, protocol: 'tcp', published: '5000' }).http).toBe(false);
    expect(
      classifyPort(service('y', { labels: { 'compose2k8s.http': 'true' } }), { target: 7000, protocol: 'tcp' }).http,
    ).toBe(true);
    expect(
      classifyPort(service('y', { labels: { 'compose2k8s.http': 'false' } }), { target: 80, protocol: 'tcp' }).http,
    ).toBe(false);
  });
});

describe('ClusterIP Service', () => {
  // Compose peers reach `web:80` whatever host port publishes it, so the in-cluster Service answers on
  // the container port; the published port is for the Ingress / `<svc>-public` Service.
  test('port = the container port (not the published one), targetPort = its name; expose adds ports', () => {
    const r = run({ web: { image: 'nginx', ports: [{ target: 80, published: '8080' }], expose: ['9000'] } });
    const s = find(r, 'Service', 'web');
    const names = (ctr(r, 'web').ports ?? []).map((p) => p.name);
    expect(spec(s).type).toBe('ClusterIP');
    expect(spec(s).selector).toEqual(r.ctx.selector('web'));
    expect(spec(s).ports).toEqual([
      { name: names[0], port: 80, targetPort: names[0], protocol: 'TCP' },
      { name: names[1], port: 9000, targetPort: names[1], protocol: 'TCP' },
    ]);
    expect(recs(r, 'web', 'expose')[0]!.status).toBe('converted');
  });

  test('TCP and UDP on one port → two entries with different names', () => {
    const r = run({ dns: { image: 'coredns', ports: [{ target: 53 }, { target: 53, protocol: 'udp' }] } });
    const ports = spec(find(r, 'Service', 'dns')).ports!;
    expect(ports.map((p) => [p.port, p.protocol])).toEqual([
      [53, 'TCP'],
      [53, 'UDP'],
    ]);
    expect(new Set(ports.map((p) => p.name)).size).toBe(2);
  });

  test('sidecar ports are merged into the pod Service; no ports → a headless Service that only resolves the name', () => {
    const r = run({
      app: { image: 'a', ports: [{ target: 3000 }] },
      metrics: { image: 'm', network_mode: 'service:app', expose: ['9100'] },
      worker: { image: 'w' },
    });
    expect(spec(find(r, 'Service', 'app')).ports!.map((p) => p.port)).toEqual([3000, 9100]);
    expect(has(r, 'Service', 'metrics')).toBe(false);
    const e = recs(r, 'app', 'ports')[0]!;
    expect(e.status).toBe('approximated');
    expect(e.message).toContain('random host port');
    expectNameOnly(r, 'worker');
  });

  test('a published range keeps the target port and is reported', () => {
    const r = run({ ftp: { image: 'ftp', ports: [{ target: 21000, published: '21000-21010' }] } });
    expect(spec(find(r, 'Service', 'ftp')).ports![0]!.port).toBe(21000);
    const pub = spec(find(r, 'Service', 'ftp-public'));
    expect(pub.type).toBe('LoadBalancer');
    expect(recs(r, 'ftp', 'ports').some((e) => e.status === 'approximated' && e.message.includes('range'))).toBe(true);
  });
});

describe('public Service for non-HTTP ports', () => {
  test('LoadBalancer by default, published port kept', () => {
    const r = run({ db: { image: 'postgres', ports: [{ target: 5432, published: '15432' }] } });
    const p = spec(find(r, 'Service', 'db-public'));
    expect(p.type).toBe('LoadBalancer');
    expect(p.ports!.map((x) => x.port)).toEqual([15432]);
    // One port, one report entry: the in-cluster Service and the published one both in it. A database on a
    // LoadBalancer answers the Internet, where Docker published it on the host: approximated, with the fix.
    expect(recs(r, 'db', 'ports').map((e) => [e.path, e.id, e.status, e.objects])).toEqual([
      ['ports[0]', 'ports.public-datastore', 'approximated', ['Service/db', 'Service/db-public']],
    ]);
    expect(recs(r, 'db', 'ports')[0]!.fix).toContain('loadBalancerSourceRanges');
    const game = run({ game: { image: 'acme/game', ports: [{ target: 7777, published: '7777' }] } });
    expect(recs(game, 'game', 'ports').map((e) => [e.id, e.status])).toEqual([['ports.published', 'converted']]);
  });

  test('a published DHCP port is reported: clients broadcast on their LAN, which never reaches a Service', () => {
    const r = run({
      pihole: {
        image: 'pihole/pihole',
        ports: [
          { target: 53, published: '53', protocol: 'udp' },
          { target: 67, published: '67', protocol: 'udp' },
        ],
      },
    });
    expect(recs(r, 'pihole', 'ports').map((e) => [e.path, e.id, e.status])).toEqual([
      ['ports[0]', 'ports.published', 'converted'],
      ['ports[1]', 'ports.dhcp-broadcast', 'approximated'],
    ]);
    expect(recs(r, 'pihole', 'ports')[1]!.message).toContain('port 67/udp is a DHCP server');
    expect(recs(r, 'pihole', 'ports')[1]!.fix).toContain('DHCP relay');
  });

  test('a database port on a LoadBalancer is reported by the port too, whatever the image (supabase supavisor)', () => {
    const r = run({
      pooler: {
        image: 'supabase/supavisor',
        ports: [
          { target: 5432, published: '5432' },
          { target: 6379, published: '6379' },
          { target: 9000, published: '9000' },
        ],
      },
    });
    expect(recs(r, 'pooler', 'ports').map((e) => [e.path, e.id, e.status])).toEqual([
      ['ports[0]', 'ports.public-datastore', 'approximated'],
      ['ports[1]', 'ports.public-datastore', 'approximated'],
      // 9000 is MinIO's, but also php-fpm's or SonarQube's: not a database port by itself
      ['ports[2]', 'ports.published', 'converted'],
    ]);
    expect(recs(r, 'pooler', 'ports')[0]!.message).toContain('makes postgres port 5432 reachable from any address');
    expect(recs(r, 'pooler', 'ports')[1]!.message).toContain('makes redis port 6379');
  });

  test('0.0.0.0 is no specific address; a specific host IP is reported', () => {
    const r = run({
      db: {
        image: 'pg',
        ports: [
          { target: 5432, published: '5432', host_ip: '0.0.0.0' },
          { target: 6379, published: '6379', host_ip: '10.0.0.5' },
        ],
      },
    });
    const pub = recs(r, 'db', 'ports').filter((e) => e.objects.includes('Service/db-public'));
    // Both are database ports on a LoadBalancer (approximated for that); only the specific address is noted.
    expect(pub.map((e) => e.status)).toEqual(['approximated', 'approximated']);
    expect(pub[0]!.message).not.toContain('0.0.0.0');
    expect(pub[1]!.message).toContain('10.0.0.5');
  });

  test('NodePort keeps the published port when it is in the node port range', () => {
    const r = run(
      {
        db: {
          image: 'pg',
          ports: [
            { target: 5432, published: '30432' },
            { target: 6379, published: '6379' },
          ],
        },
      },
      { exposeType: 'NodePort' },
    );
    const ports = spec(find(r, 'Service', 'db-public')).ports!;
    expect(ports[0]!.nodePort).toBe(30432);
    expect(ports[1]!.nodePort).toBeUndefined();
    expect(
      recs(r, 'db', 'ports')
        .filter((e) => e.objects.includes('Service/db-public'))
        .map((e) => e.status),
    ).toEqual(['converted', 'approximated']);
  });

  test('expose-type none → no public Service, reported; loopback ports stay in-cluster', () => {
    const r = run({ db: { image: 'pg', ports: [{ target: 5432, published: '5432' }] } }, { exposeType: 'none' });
    expect(has(r, 'Service', 'db-public')).toBe(false);
    expect(recs(r, 'db', 'ports').some((e) => e.status === 'approximated' && e.fix!.includes('port-forward'))).toBe(
      true,
    );

    const l = run({ db: { image: 'pg', ports: [{ target: 5432, published: '5432', host_ip: '127.0.0.1' }] } });
    expect(has(l, 'Service', 'db-public')).toBe(false);
    expect(recs(l, 'db', 'ports').some((e) => e.message.includes('127.0.0.1'))).toBe(true);
  });

  test('HTTP ports get no public Service (they go through the Ingress)', () => {
    const r = run({ web: { image: 'nginx', ports: [{ target: 80, published: '8080' }] } });
    expect(has(r, 'Service', 'web-public')).toBe(false);
  });

  test('a compose service named <svc>-public does not clash with the public Service', () => {
    const r = run({
      db: { image: 'pg', ports: [{ target: 5432, published: '5432' }] },
      'db-public': { image: 'x', ports: [{ target: 1 }] },
    });
    const names = r.objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('db-public');
  });
});

describe('StatefulSet', () => {
  test('gets a headless Service even without ports', () => {
    const r = runSteps({ db: { image: 'pg' } }, [(_c, _s, _k, p) => void (p.kind = 'StatefulSet')], {
      podSteps: [buildServices],
    });
    expect(spec(find(r, 'Service', 'db')).clusterIP).toBe('None');
  });
});

describe('ports inferred for pods that declare none', () => {
  test('from <name>:<port> in a peer environment or mounted file', () => {
    const r = runSteps(
      {
        web: {
          image: 'nginx',
          environment: { API: 'http://api:9091/v1' },
          volumes: [{ type: 'bind', source: '/project/nginx.conf', target: '/etc/nginx/nginx.conf' }],
        },
        api: { image: 'my/api' },
        worker: { image: 'my/worker' },
      },
      [],
      { podSteps: [buildServices], files: { '/project/nginx.conf': 'location / { proxy_pass http://worker:8000; }' } },
    );
    expect(spec(find(r, 'Service', 'api')).ports).toEqual([
      { name: 'tcp-9091', port: 9091, targetPort: 9091, protocol: 'TCP' },
    ]);
    expect(spec(find(r, 'Service', 'worker')).ports!.map((p) => p.port)).toEqual([8000]);
    const e = recs(r, 'api', 'expose')[0]!;
    expect(e.status).toBe('approximated');
    expect(e.message).toContain('api:9091 in web environment API');
    expect(e.fix).toContain('expose: ["9091"]');
    expectNameOnly(r, 'web');
  });

  test('the image default port when a peer depends on it; only the name when nobody refers to it', () => {
    const r = run({
      app: { image: 'app', depends_on: { db: { condition: 'service_started', required: true, restart: false } } },
      db: { image: 'docker.io/library/postgres:16@sha256:abc' },
      cache: { image: 'redis:7' },
    });
    expect(spec(find(r, 'Service', 'db')).ports!.map((p) => p.port)).toEqual([5432]);
    expect(recs(r, 'db', 'expose')[0]!.message).toContain('default port of image postgres');
    expectNameOnly(r, 'cache');
  });

  test('a name inside another word or host name is no reference', () => {
    const r = run({
      app: { image: 'app', environment: { URL: 'http://db.example.com:5432', X: 'mydb:1' } },
      db: { image: 'postgres' },
    });
    expectNameOnly(r, 'db');
  });
});

describe('a service peers address but that gets no Service', () => {
  test('x-k8s service None: its expose entry says who names it, links included', () => {
    const out = convertYaml(`services:
  db:
    image: postgres:16
    expose: ["5432"]
    x-k8s: {service: None}
  web:
    image: example/web
    links: [db]
    environment:
      DATABASE_URL: postgres://db:5432/app
`);
    expect(out.objects.some((o) => o.kind === 'Service' && o.metadata.name === 'db')).toBe(false);
    const e = out.report!.entries.find((x) => x.service === 'db' && x.path === 'expose')!;
    expect(e.id).toBe('expose.no-service');
    expect(e.message).toMatch(
      /^peers address it \(.*links of web\) but no Service db is emitted \(x-k8s service type None\)/,
    );
  });
});

describe('x-k8s / kompose Service settings', () => {
  const ports = [
    { target: 5432, published: '5432' },
    { target: 80, published: '8080' },
  ];
  test('kompose NodePort with a fixed node port: the pod Service gets the type, no <svc>-public', () => {
    const r = run({
      db: {
        image: 'pg',
        ports,
        labels: { 'kompose.service.type': 'nodeport', 'kompose.service.nodeport.port': '30080' },
      },
    });
    const s = spec(find(r, 'Service', 'db'));
    expect(s.type).toBe('NodePort');
    expect(s.ports![0]!.nodePort).toBe(30080);
    expect(has(r, 'Service', 'db-public')).toBe(false);
    expect(
      recs(r, 'db', 'ports').some((e) => e.status === 'approximated' && e.message.includes('first port only')),
    ).toBe(true);
  });

  test('a node port outside 30000-32767 is left to the cluster and reported', () => {
    const r = run({
      db: {
        image: 'pg',
        ports: [ports[0]!],
        labels: { 'kompose.service.type': 'nodeport', 'kompose.service.nodeport.port': '33111' },
      },
    });
    expect(spec(find(r, 'Service', 'db')).ports![0]!.nodePort).toBeUndefined();
    expect(recs(r, 'db', 'ports').some((e) => e.message.includes('33111'))).toBe(true);
  });

  test('x-k8s service: None → no Service at all; Headless → clusterIP None', () => {
    const n = run({ db: { image: 'pg', ports, extensions: { 'x-k8s': { service: { type: 'None' } } } } });
    expect(n.objects.filter((o) => o.kind === 'Service')).toEqual([]);
    const h = run({ db: { image: 'pg', ports, extensions: { 'x-k8s': { service: { type: 'Headless' } } } } });
    expect(spec(find(h, 'Service', 'db')).clusterIP).toBe('None');
    expect(has(h, 'Service', 'db-public')).toBe(false);
  });

  test('externalTrafficPolicy goes on the public Service; top-level exposeType wins over the option', () => {
    const r = runSteps(
      {
        db: {
          image: 'pg',
          ports: [ports[0]!],
          extensions: { 'x-k8s': { service: { externalTrafficPolicy: 'Local' } } },
        },
      },
      [],
      {
        options: { exposeType: 'LoadBalancer' },
        extensions: { 'x-k8s': { exposeType: 'NodePort' } },
        podSteps: [buildServices],
      },
    );
    const p = spec(find(r, 'Service', 'db-public'));
    expect(p.type).toBe('NodePort');
    expect(p.externalTrafficPolicy).toBe('Local');
  });

  test('x-k8s http: false keeps a web port off the Ingress', () => {
    const r = run({
      web: { image: 'nginx', ports: [{ target: 80, published: '80' }], extensions: { 'x-k8s': { http: false } } },
    });
    expect(spec(find(r, 'Service', 'web-public')).ports!.map((p) => p.port)).toEqual([80]);
  });
});

describe('LoadBalancer Services per protocol', () => {
  test('TCP and UDP published ports are split into -public-tcp and -public-udp, each reported', () => {
    const r = run({
      dns: {
        image: 'coredns',
        ports: [
          { target: 53, published: '53', protocol: 'udp' },
          { target: 53, published: '53' },
          { target: 9153, published: '9153' },
        ],
      },
    });
    expect(has(r, 'Service', 'dns-public')).toBe(false);
    expect(spec(find(r, 'Service', 'dns-public-tcp')).ports!.map((p) => `${p.port}/${p.protocol}`)).toEqual([
      '53/TCP',
      '9153/TCP',
    ]);
    expect(spec(find(r, 'Service', 'dns-public-udp')).ports!.map((p) => `${p.port}/${p.protocol}`)).toEqual(['53/UDP']);
    const e = recs(r, 'dns', 'ports').find((e) => e.path === 'ports[0]')!;
    expect(e.id).toBe('ports.load-balancer-split');
    expect(e.objects).toContain('Service/dns-public-udp');
  });

  test('one protocol, or NodePort, stays one Service', () => {
    const one = run({ dns: { image: 'x', ports: [{ target: 53, published: '53', protocol: 'udp' }] } });
    expect(has(one, 'Service', 'dns-public')).toBe(true);
    const node = run(
      {
        dns: {
          image: 'x',
          ports: [
            { target: 53, published: '53', protocol: 'udp' },
            { target: 53, published: '53' },
          ],
        },
      },
      { exposeType: 'NodePort' },
    );
    expect(spec(find(node, 'Service', 'dns-public')).ports).toHaveLength(2);
  });

  test('a LoadBalancer service type with TCP and UDP ports (kompose v2 redis): ClusterIP for peers, one LoadBalancer per protocol', () => {
    const r = run({
      redis: {
        image: 'redis:3.0',
        labels: { 'kompose.service.type': 'loadbalancer' },
        ports: [
          { target: 6379, protocol: 'tcp' },
          { target: 1235, published: '1234', protocol: 'udp' },
        ],
      },
    });
    // Peers resolve `redis` on both protocols; no Service mixes them behind a load balancer.
    const main = spec(find(r, 'Service', 'redis'));
    expect(main.type).toBe('ClusterIP');
    expect(main.ports!.map((p) => `${p.port}/${p.protocol}`)).toEqual(['6379/TCP', '1235/UDP']);
    const tcp = spec(find(r, 'Service', 'redis-tcp'));
    const udp = spec(find(r, 'Service', 'redis-udp'));
    expect([tcp.type, udp.type]).toEqual(['LoadBalancer', 'LoadBalancer']);
    expect(tcp.ports!.map((p) => `${p.port}/${p.protocol}`)).toEqual(['6379/TCP']);
    // Each load balancer answers on the published port, as Docker (and kompose) publish it: 1234:1235/udp → 1234.
    expect(udp.ports!.map((p) => `${p.port}/${p.protocol}`)).toEqual(['1234/UDP']);
    expect(udp.selector).toEqual(main.selector);
    const e = recs(r, 'redis', 'ports').find((e) => e.path === 'ports')!;
    expect(e.id).toBe('ports.load-balancer-type-split');
    expect(e.objects).toEqual(['Service/redis', 'Service/redis-tcp', 'Service/redis-udp']);
    // One protocol: the asked-for type as before.
    const one = run({
      redis: {
        image: 'redis',
        labels: { 'kompose.service.type': 'loadbalancer' },
        ports: [{ target: 6379, protocol: 'tcp' }],
      },
    });
    expect(spec(find(one, 'Service', 'redis')).type).toBe('LoadBalancer');
    expect(has(one, 'Service', 'redis-tcp')).toBe(false);
  });

  test('more than 50 ports on one LoadBalancer are reported (a range is one port)', () => {
    const r = run({ rtp: { image: 'x', ports: [{ target: 10000, published: '10000-10059', protocol: 'udp' }] } });
    const many = run({
      rtp: {
        image: 'x',
        ports: Array.from({ length: 51 }, (_, i) => ({
          target: 20000 + i,
          published: String(20000 + i),
          protocol: 'udp' as const,
        })),
      },
    });
    expect(recs(r, 'rtp', 'ports').find((e) => e.path === 'ports[0]')!.id).not.toBe('ports.load-balancer-many');
    expect(recs(many, 'rtp', 'ports').find((e) => e.path === 'ports[50]')!.id).toBe('ports.load-balancer-many');
    // The whole load balancer fails to provision, so every one of its ports says so.
    expect(recs(many, 'rtp', 'ports').find((e) => e.path === 'ports[0]')!.message).toContain('has 51 ports');
  });
});

describe('a Service type the user chose (kompose.service.type, x-k8s service.type)', () => {
  const full = (yaml: string) => {
    const out = convertYaml(yaml);
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const svc = (name: string) =>
      out.objects.find((o) => o.kind === 'Service' && o.metadata.name === name) as unknown as { spec: ServiceSpec };
    const entry = (service: string, path: string) =>
      out.report!.entries.find((e) => e.service === service && e.path === path)!;
    return { out, svc, entry, ingresses: out.objects.filter((o) => o.kind === 'Ingress').map((o) => o.metadata.name) };
  };

  test('NodePort / LoadBalancer answer on the published port, as Docker and the default path do; no Ingress beside them', () => {
    const { out, svc, entry, ingresses } = full(`
services:
  db:
    image: postgres
    ports: ["15432:5432"]
  web:
    image: nginx
    ports: ["8080:80"]
    labels: { kompose.service.type: LoadBalancer }
  api:
    image: myapi
    ports: ["9000:3000"]
    labels: { kompose.service.type: nodeport }
`);
    expect(svc('web').spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 8080, targetPort: 'tcp-80' }] });
    expect(svc('api').spec).toMatchObject({ type: 'NodePort', ports: [{ port: 9000, targetPort: 'tcp-3000' }] });
    expect(svc('db-public').spec.ports![0]!.port).toBe(15432);
    // The type chosen says how the ports are reached: no Ingress, as kompose makes none without kompose.service.expose.
    expect(ingresses).toEqual([]);
    const typed = entry('web', 'ports');
    expect([typed.id, ...(typed.earlier ?? []).map((m) => m.id)]).toContain('ports.service-type');
    expect(entry('web', 'ports[0]').status).toBe('converted');
    // Published as a web port, it is still known to be served: the default readiness probe stays.
    const dep = out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web') as unknown as {
      spec: { template: { spec: { containers: Array<{ readinessProbe?: unknown }> } } };
    };
    expect(dep.spec.template.spec.containers[0]!.readinessProbe).toMatchObject({ tcpSocket: { port: 80 } });
  });

  test('a container port peers address stays on the Service beside the published one', () => {
    const { svc } = full(`
services:
  web:
    image: nginx
    ports: ["8080:80"]
    labels: { kompose.service.type: LoadBalancer }
  client:
    image: curlimages/curl
    command: ["sh", "-c", "while true; do curl http://web:80/; sleep 60; done"]
`);
    expect(svc('web').spec.ports!.map((p) => p.port)).toEqual([8080, 80]);
  });

  test('kompose.service.expose beside a LoadBalancer is not applied (as kompose), beside a NodePort it is', () => {
    const lb = full(`
services:
  front:
    image: nginx
    ports: ["80:80"]
    labels: { kompose.service.type: loadbalancer, kompose.service.expose: lb, kompose.service.expose.ingress-class-name: nginx }
`);
    expect(lb.ingresses).toEqual([]);
    for (const l of ['kompose.service.expose', 'kompose.service.expose.ingress-class-name'])
      expect(lb.entry('front', `labels.${l}`)).toMatchObject({
        id: 'labels.kompose.expose-load-balancer',
        status: 'ignored',
      });
    const np = full(`
services:
  front:
    image: nginx
    ports: ["80:80"]
    labels: { kompose.service.type: nodeport, kompose.service.expose: "true" }
`);
    expect(np.ingresses).toEqual(['front']);
  });
});
