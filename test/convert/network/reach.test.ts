import { describe, expect, it } from 'vitest';
import { findHostReferences } from '../../../src/convert/network/hostrefs.js';
import { fromYaml } from '../../helpers/project.js';
import { convertProject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';

const names =
  (...n: string[]) =>
  (h: string) =>
    n.includes(h);

describe('findHostReferences', () => {
  it('finds host:port, URLs (userinfo, scheme default ports), user@host and command words; not tags or paths', () => {
    const refs = (t: string, mode?: 'value' | 'words' | 'file') =>
      findHostReferences(t, names('broker', 'db', 'api', 'rocketchat', 'node'), mode).map((r) => [r.host, r.port]);
    expect(refs('PLAINTEXT://broker:29092,CONTROLLER://broker:29093')).toEqual([
      ['broker', 29092],
      ['broker', 29093],
    ]);
    expect(refs('postgres://shop:pw@db/shop')).toEqual([['db', 5432]]);
    expect(refs('1@broker:29093')).toEqual([['broker', 29093]]);
    expect(refs('proxy_pass http://api;', 'file')).toEqual([['api', 80]]);
    expect(refs('nc -z rocketchat 3000', 'words')).toEqual([['rocketchat', 3000]]);
    expect(refs('db')).toEqual([['db', undefined]]);
    // A value that is only a list of hosts names each of them; prose that mentions a name does not.
    expect(refs('broker,db:5433, api')).toEqual([
      ['broker', undefined],
      ['db', 5433],
      ['api', undefined],
    ]);
    expect(refs('db:5433 api:8080')).toEqual([
      ['db', 5433],
      ['api', 8080],
    ]);
    expect(refs('connect to db first')).toEqual([]);
    expect(refs('node:20 /srv/api/x db-backup', 'words')).toEqual([]);
  });

  it('an nginx upstream name is no host: proxy_pass http://api names the block, its server lines the hosts', () => {
    const refs = (t: string) => findHostReferences(t, names('api', 'web'), 'file').map((r) => [r.host, r.port]);
    const conf = 'upstream api { server api:3000; }\nserver { location / { proxy_pass http://api; } }';
    expect(refs(conf)).toEqual([['api', 3000]]);
    // Without the upstream block the same proxy_pass is api:80; another name in the file is still a host.
    expect(refs('location / { proxy_pass http://api; }')).toEqual([['api', 80]]);
    expect(refs(`${conf}\nlocation /w { proxy_pass http://web; }`)).toEqual([
      ['api', 3000],
      ['web', 80],
    ]);
  });

  it("a host option takes the command's one port option: psql -p 5432 -h db, pg_isready -h db -p 6432", () => {
    const refs = (t: string) => findHostReferences(t, names('db', '127.0.0.1'), 'words').map((r) => [r.host, r.port]);
    expect(refs('psql -U postgres -p 5432 -h 127.0.0.1 -tA -c "select 1"')).toEqual([['127.0.0.1', 5432]]);
    expect(refs('pg_isready -h db -p 6432')).toEqual([['db', 6432]]);
    expect(refs('redis-cli -h db --port=6380 ping')).toEqual([['db', 6380]]);
    expect(refs('mysqladmin ping -h db -P 3306 -psecret')).toEqual([['db', 3306]]);
    // Two port options may belong to two commands: no port is taken; a password glued to -p is not a port.
    expect(refs('pg_isready -h db -p 5432 && psql -p 6432')).toEqual([['db', undefined]]);
    expect(refs('mysql -h db -p12345')).toEqual([['db', undefined]]);
  });
});

function convert(yaml: string, files: Record<string, string> = {}) {
  return convertProject(fromYaml(yaml), {}, memoryFs(files));
}
type Svc = { spec: { clusterIP?: string; ports?: Array<{ port: number }>; publishNotReadyAddresses?: boolean } };
const service = (r: ReturnType<typeof convert>, name: string) =>
  r.objects.find((o) => o.kind === 'Service' && o.metadata.name === name) as unknown as Svc | undefined;

describe('reachability', () => {
  it('Kafka multi-listener: the broker Service answers on the internal listener peers use', () => {
    const r = convert(`services:
  broker:
    image: confluentinc/cp-kafka:7.6.1
    ports: ["9092:9092"]
    environment:
      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://broker:29092,PLAINTEXT_HOST://localhost:9092
  connect:
    image: confluentinc/cp-kafka-connect:7.6.1
    depends_on: [broker]
    environment:
      CONNECT_BOOTSTRAP_SERVERS: broker:29092
`);
    expect(service(r, 'broker')!.spec.ports!.map((p) => p.port)).toEqual([9092, 29092]);
    expect(service(r, 'broker-headless')!.spec).toMatchObject({
      publishNotReadyAddresses: true,
      ports: [{ port: 29092 }],
    });
  });

  it('nginx proxy_pass in a mounted config, Flink jobmanager:6123, zulip-postgresql on 5432', () => {
    const r = convert(
      `services:
  web:
    image: nginx
    ports: ["80:80"]
    volumes: ["./nginx.conf:/etc/nginx/conf.d/default.conf:ro"]
  backend:
    image: example/backend
  jobmanager:
    image: flink
  taskmanager:
    image: flink
    command: taskmanager
    environment:
      FLINK_PROPERTIES: "jobmanager.rpc.address: jobmanager:6123"
  database:
    image: zulip/zulip-postgresql:14
  zulip:
    image: zulip/docker-zulip
    environment:
      DB_HOST: database
      DB_PORT: "5432"
`,
      { '/project/nginx.conf': 'location / { proxy_pass http://backend:6060; }' },
    );
    expect(service(r, 'backend')!.spec.ports!.map((p) => p.port)).toEqual([6060]);
    expect(service(r, 'jobmanager')!.spec.ports!.map((p) => p.port)).toEqual([6123]);
    expect(service(r, 'database')!.spec.ports!.map((p) => p.port)).toEqual([5432]);
  });

  it('sentry-style upstream: the peer gets the port of the upstream server line only, nothing to fix', () => {
    const r = convert(
      `services:
  proxy:
    image: nginx:1.27
    ports: ["8080:80"]
    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"]
  api:
    image: example/api:1
`,
      {
        '/project/nginx.conf':
          'events {}\nhttp {\n  upstream api { server api:3000; }\n  server { listen 80; location / { proxy_pass http://api; } }\n}\n',
      },
    );
    expect(service(r, 'api')!.spec.ports!.map((p) => p.port)).toEqual([3000]);
    const expose = r.report.entries.find((e) => e.service === 'api' && e.path === 'expose')!;
    expect(expose.message).not.toContain('api:80');
    expect(expose.fix).toContain('expose: ["3000"]');
  });

  it('a self-named healthcheck calls localhost; a peer named without a port gets a headless Service', () => {
    const r = convert(`services:
  elasticsearch:
    image: elasticsearch:8.14.0
    healthcheck:
      test: ["CMD-SHELL", "curl -fs http://elasticsearch:9200/_cluster/health"]
  app:
    image: example/app
    environment:
      ES: http://elasticsearch:9200
      CACHE_HOST: cache
  cache:
    image: example/cache
`);
    const es = r.objects.find((o) => o.metadata.name === 'elasticsearch' && o.kind !== 'Service') as unknown as {
      spec: { template: { spec: { containers: Array<{ readinessProbe: { exec: { command: string[] } } }> } } };
    };
    expect(es.spec.template.spec.containers[0]!.readinessProbe.exec.command[2]).toBe(
      'curl -fs http://localhost:9200/_cluster/health',
    );
    expect(r.report.entries.find((e) => e.service === 'elasticsearch' && e.path === 'healthcheck.test')?.id).toBe(
      'healthcheck.self-named',
    );
    expect(service(r, 'cache')!.spec.clusterIP).toBe('None');
  });
});
