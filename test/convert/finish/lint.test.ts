/**
 * Pitfall lint on the output objects: each pitfall is found per workload with a fix
 * and the service position, nothing a module already reported is repeated, and a clean project has
 * no findings.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convertProject } from '../../../src/index.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import type { ConvertResult } from '../../../src/convert/result.js';
import { ConvertContext } from '../../../src/convert/context.js';
import { defaultOptions } from '../../../src/convert/intent/options.js';
import { lintPitfalls, selects } from '../../../src/convert/finish/lint.js';
import { loadProject } from '../../../src/index.js';
import { nodeFs } from '../../../src/node/fs.js';
import { memoryFs } from '../../../src/load/fs.js';
import type { Finding } from '../../../src/report/entry.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';
import { CORPUS, composeFiles } from '../../helpers/corpus.js';
import { withDialects } from '../../helpers/dialects.js';

const SAMPLES = fileURLToPath(new URL('../../../samples/', import.meta.url));

function convert(
  yaml: string,
  options: Partial<ConvertOptions> = {},
  files: Record<string, string> = {},
): ConvertResult {
  const p = fromYaml(yaml, files);
  const all: Record<string, string> = { '/project/compose.yaml': yaml };
  for (const [k, v] of Object.entries(files)) all[`/project/${k}`] = v;
  const r = convertProject(p, options, memoryFs(all));
  expect(r.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
  expectValid(r.objects);
  return r;
}

/** Compose subnets holding the addresses the hard-coded-ip tests write: only a container's address is flagged. */
const NET = `networks:
  default:
    ipam: {config: [{subnet: 172.18.0.0/16}, {subnet: 10.0.0.0/8}, {subnet: 192.168.0.0/16}, {subnet: "2001:db8::/32"}]}
`;

const of = (r: ConvertResult, pitfall: Finding['pitfall']): Finding[] =>
  r.report.findings.filter((f) => f.pitfall === pitfall);

const CLEAN = `services:
  web:
    image: ghcr.io/acme/web:1.0
    ports: ["8080:8080"]
    healthcheck: {test: ["CMD", "curl", "-f", "http://localhost:8080/health"], interval: 10s}
    deploy: {resources: {limits: {cpus: "0.5", memory: 256M}}}
    environment: {DB_HOST: db, LISTEN: "0.0.0.0:8080", LOCAL: "127.0.0.1"}
  db:
    image: postgres:16
    environment: {POSTGRES_PASSWORD: "\${DB_PASSWORD}"}
    volumes: ["pg:/var/lib/postgresql/data"]
    healthcheck: {test: ["CMD-SHELL", "pg_isready"], interval: 5s}
    deploy: {resources: {limits: {cpus: "1", memory: 1G}}}
volumes:
  pg:
`;

describe('selects', () => {
  it('matches labels and expressions; an empty selector selects everything', () => {
    const l = { app: 'web', tier: 'front' };
    expect(selects({}, l)).toBe(true);
    expect(selects(undefined, l)).toBe(false);
    expect(selects({ matchLabels: { app: 'web' } }, l)).toBe(true);
    expect(selects({ matchLabels: { app: 'db' } }, l)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, l)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, l)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, l)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, l)).toBe(false);
  });
});

describe('lintPitfalls', () => {
  it('finds nothing in a clean project', () => {
    // The password comes from .env, as in a real project (unset, postgres would not initialize: a finding).
    expect(convert(CLEAN, {}, { '.env': 'DB_PASSWORD=secret\n' }).report.findings).toEqual([]);
  });

  it('flags a container without limits even when another container of the pod has them', () => {
    const r = convert(`services:
  app:
    image: app
    deploy: {resources: {limits: {memory: 256M}}}
  shipper:
    image: fluent-bit
    network_mode: service:app
`);
    const f = of(r, 'no-resource-limits');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ object: 'Deployment/app', service: 'shipper' });
    expect(f[0]!.message).toContain('container shipper');
    expect(f[0]!.fix).toContain('deploy.resources.limits');
    // The example size is not offered as fit for a database or a JVM (their heap alone may be larger).
    expect(f[0]!.fix).toContain('not a database, cache or JVM');
    expect(f[0]!.pos?.line).toBe(5);
  });

  it('does not repeat the finding of the resources module', () => {
    const r = convert('services:\n  a:\n    image: a\n');
    expect(of(r, 'no-resource-limits')).toHaveLength(1);
  });

  it('flags a missing liveness probe on long-running workloads only, once per container', () => {
    const r = convert(`services:
  api:
    image: api
    ports: ["8080:8080"]
  worker:
    image: worker
  migrate:
    image: m
    expose: ["9000"]
    deploy: {mode: replicated-job}
`);
    const f = of(r, 'no-probes');
    expect(f.find((x) => x.service === 'api')?.message).toMatch(/no liveness probe/);
    expect(f.filter((x) => x.service === 'worker')).toHaveLength(1);
    expect(f.some((x) => x.object.startsWith('Job/'))).toBe(false);
  });

  it('no missing-liveness finding for a healthcheck kept readiness-only because it deletes what it tests', () => {
    const r = convert(`services:
  consumer:
    image: getsentry/snuba
    healthcheck:
      test: ["CMD", "python3", "-c", "import os; os.remove('/tmp/health.txt')"]
`);
    expect(of(r, 'no-probes').filter((x) => x.service === 'consumer')).toEqual([]);
  });

  it("no-probes suggests the image's own check for a database or cache, an HTTP check only for a routed service", () => {
    const r = convert(`services:
  db:
    image: mariadb:10.6.4-focal
  pg:
    image: postgres:16
  cache:
    image: redis:alpine
  mongo:
    image: mongo:4.2.0
  web:
    image: acme/web
    ports: ["8080:8080"]
  worker:
    image: worker
`);
    const fix = (svc: string): string => of(r, 'no-probes').find((x) => x.service === svc)!.fix!;
    expect(fix('db')).toContain('test: ["CMD", "mysqladmin", "ping", "-h", "127.0.0.1"]');
    expect(fix('pg')).toContain('test: ["CMD", "pg_isready", "-U", "postgres"]');
    expect(fix('cache')).toContain('test: ["CMD", "redis-cli", "ping"]');
    expect(fix('mongo')).toContain('test: ["CMD", "mongo", "--quiet"');
    expect(fix('web')).toContain('test: ["CMD", "curl", "-f", "http://localhost:8080/"] if the image has curl');
    expect(fix('worker')).toContain('<a command that exits 0 when the service is ready>');
    for (const svc of ['db', 'pg', 'cache', 'worker']) expect(fix(svc)).not.toContain('curl');
    const entry = (svc: string) => r.report.entries.find((e) => e.service === svc && e.path === 'healthcheck')!;
    expect(entry('cache')).toMatchObject({ id: 'healthcheck.default-tcp' });
    expect(entry('cache').fix).toContain('["CMD", "redis-cli", "ping"]');
    expect(entry('db').fix).not.toContain('HTTP');
  });

  it('flags IPs in args, env, bind-mounted config files and hostAliases, once each', () => {
    const r = convert(
      `services:
  proxy:
    image: nginx
    command: ["--upstream", "172.18.0.5:3000"]
    environment: {DNS: "2001:db8::53", SELF: "127.0.0.1"}
    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"]
    extra_hosts: ["legacy:192.168.10.20"]
` + NET,
      {},
      { 'nginx.conf': 'server { allow 10.0.0.0/8; location / { proxy_pass http://10.20.30.40:8080; } }\n' },
    );
    const msgs = of(r, 'hard-coded-ip').map((f) => f.message);
    for (const ip of ['172.18.0.5', '2001:db8::53', '10.20.30.40', '192.168.10.20'])
      expect(
        msgs.filter((m) => m.includes(ip)),
        ip,
      ).toHaveLength(1);
    expect(msgs.filter((m) => m.includes('10.0.0.0') || m.includes('127.0.0.1'))).toEqual([]);
    expect(msgs.find((m) => m.includes('10.20.30.40'))).toMatch(/ConfigMap/);
    for (const f of of(r, 'hard-coded-ip')) expect(f.fix?.length).toBeGreaterThan(10);
  });

  it("flags Docker's embedded DNS server (nginx resolver 127.0.0.11) in a mounted config and in a command", () => {
    const r = convert(
      `services:
  web:
    image: nginx
    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"]
  gw:
    image: nginx
    entrypoint: [sh, -c, "printf 'http{resolver 127.0.0.11;}' > /etc/nginx/nginx.conf && nginx"]
  plain:
    image: app
    environment: {LOCAL: "127.0.0.1", OTHER: "127.0.0.110"}
`,
      {},
      { 'nginx.conf': 'http { resolver 127.0.0.11 valid=2s; upstream php { server app:9000 resolve; } }\n' },
    );
    const f = of(r, 'hard-coded-ip').filter((x) => x.message.includes('127.0.0.11'));
    expect(f.map((x) => x.object).sort()).toEqual(['Deployment/gw', 'Deployment/web']);
    expect(f.find((x) => x.object === 'Deployment/web')!.message).toMatch(/^ConfigMap .*Docker's embedded DNS server/);
    expect(f[0]!.fix).toContain('kube-dns.kube-system.svc.cluster.local');
  });

  it('skips addresses on comment lines of a mounted config (#, ;, //); flags the same address on a live line', () => {
    const r = convert(
      `services:
  web:
    image: nginx
    volumes: ["./default.conf:/etc/nginx/conf.d/default.conf:ro", "./app.ini:/etc/app.ini:ro"]
` + NET,
      {},
      {
        'default.conf': '#resolver 1.1.1.1;\n  # allow 10.9.9.9;\nserver { listen 80; }\n',
        'app.ini': '; upstream = 10.8.8.8\n// 10.7.7.7\nhost = 10.6.6.6 # the db\n',
      },
    );
    const ips = of(r, 'hard-coded-ip').map((f) => f.message);
    for (const ip of ['1.1.1.1', '10.9.9.9', '10.8.8.8', '10.7.7.7'])
      expect(ips.filter((m) => m.includes(ip))).toEqual([]);
    expect(ips.filter((m) => m.includes('10.6.6.6'))).toHaveLength(1);
  });

  it('does not repeat the env IP the ips module already found', () => {
    const r = convert('services:\n  app:\n    image: app\n    environment: {DB: "10.1.1.1"}\n' + NET);
    expect(of(r, 'hard-coded-ip').filter((f) => f.message.includes('10.1.1.1'))).toHaveLength(1);
  });

  it("flags only a container's address (a compose subnet, a peer's fixed address), at the variable", () => {
    // awesome-compose pihole-cloudflared-DoH: 1.1.1.1 is a public resolver, 192.168.178.1 the LAN router, 10.13.13.0
    // a VPN's own tunnel range: none is a container's, none moves, no Service can stand in for it.
    const r = convert(`services:
  cloudflared:
    image: visibilityspots/cloudflared
    networks:
      dns-net:
        ipv4_address: 172.20.0.2
  pihole:
    image: pihole/pihole:latest
    command: ["--upstream", "172.20.0.9", "--lan", "192.168.178.2"]
    environment:
      - TZ=UTC
      - PIHOLE_DNS_=172.20.0.2#5054;1.1.1.1
      - REV_SERVER_TARGET=192.168.178.1
      - INTERNAL_SUBNET=10.13.13.0
    networks: [dns-net]
networks:
  dns-net:
    ipam:
      config:
        - subnet: 172.20.0.0/24
`);
    const f = of(r, 'hard-coded-ip').filter((x) => x.service === 'pihole');
    expect(f.map((x) => x.ip).sort()).toEqual(['172.20.0.2', '172.20.0.9']);
    const peer = f.find((x) => x.ip === '172.20.0.2')!;
    expect(peer.message).toBe('environment PIHOLE_DNS_ contains 172.20.0.2, the fixed address of service cloudflared');
    expect(peer.fix).toContain('spec.clusterIP of Service cloudflared');
    expect(peer.pos).toMatchObject({ line: 12 });
    // Another address of the subnet is no peer's: the plain Service-name fix.
    expect(f.find((x) => x.ip === '172.20.0.9')!.fix).not.toContain('clusterIP');
  });

  it("a network without ipam lives in Docker's default pools: their addresses are a container's (172.17-31.x)", () => {
    const r = convert(`services:
  app:
    image: app
    environment: {DB_HOST: "172.18.0.5", DOCKER_HOST: "tcp://172.17.0.1:2375", LAN: "192.168.1.20", VPN: "10.13.13.0"}
`);
    expect(
      of(r, 'hard-coded-ip')
        .map((x) => x.ip)
        .sort(),
    ).toEqual(['172.17.0.1', '172.18.0.5']);
    // every network has its own subnet: only those count
    const own = convert(`services:
  app:
    image: app
    environment: {DB_HOST: "172.18.0.5"}
    networks: [n]
networks:
  n:
    ipam:
      config:
        - subnet: 10.5.0.0/16
`);
    expect(of(own, 'hard-coded-ip')).toEqual([]);
  });

  it('flags stateful images whose data directory is not on a claim', () => {
    const r = convert(`services:
  pg:
    image: postgres:16
  my:
    image: mysql:8
    volumes: ["/var/lib/mysql"]
  mongo:
    image: mongo:7
    volumes: ["mongo:/data/db"]
  pg2:
    image: postgres:16
    environment: {PGDATA: /pgdata/data}
    volumes: ["pgdata:/pgdata"]
  pg3:
    image: postgres:16
    volumes: ["pgroot:/var/lib/postgresql"]
  maria:
    image: mariadb:11
    volumes: ["./data:/var/lib/mysql"]
volumes: {mongo: {}, pgdata: {}, pgroot: {}}
`);
    const f = of(r, 'stateful-without-volume');
    expect(f.map((x) => x.service).sort()).toEqual(['my', 'pg']);
    expect(f.find((x) => x.service === 'pg')!.message).toContain('/var/lib/postgresql/data');
    expect(f.find((x) => x.service === 'my')!.fix).toContain('my-data:/var/lib/mysql');
  });

  it('accepts the postgres 18 layout (a claim below /var/lib/postgresql)', () => {
    const r = convert(
      'services:\n  pg:\n    image: postgres:18\n    volumes: ["pg:/var/lib/postgresql/18/docker"]\nvolumes: {pg: {}}\n',
    );
    expect(of(r, 'stateful-without-volume')).toEqual([]);
  });

  it('accepts a claim whose target is the data directory written with a trailing slash', () => {
    // The data-directory rule of kube/images.ts (holdsDataOf), as the controller and storage steps read it.
    const r = convert(
      'services:\n  db:\n    image: mariadb:11\n    volumes: ["db:/var/lib/mysql/"]\nvolumes: {db: {}}\n',
    );
    expect(of(r, 'stateful-without-volume')).toEqual([]);
  });

  it('flags a PGDATA moved off the volume', () => {
    const r = convert(`services:
  pg:
    image: postgres:16
    environment: {PGDATA: /elsewhere}
    volumes: ["pg:/var/lib/postgresql/data"]
volumes: {pg: {}}
`);
    expect(of(r, 'stateful-without-volume').map((f) => f.message)).toEqual([expect.stringContaining('/elsewhere')]);
  });

  it('accepts a StatefulSet volumeClaimTemplate as persistent storage', () => {
    const ctx = withDialects(new ConvertContext(fromYaml('services: {db: {image: "redis:7"}}'), defaultOptions()));
    const sts = (claim: string) => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: {
            containers: [{ name: 'db', image: 'redis:7', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
          },
        },
        volumeClaimTemplates: [{ metadata: { name: claim }, spec: { accessModes: ['ReadWriteOnce'] } }],
      },
    });
    ctx.emit(sts('data'));
    lintPitfalls(ctx);
    expect(ctx.findings.filter((f) => f.pitfall === 'stateful-without-volume')).toEqual([]);
    const ctx2 = withDialects(new ConvertContext(fromYaml('services: {db: {image: "redis:7"}}'), defaultOptions()));
    ctx2.emit(sts('other'));
    lintPitfalls(ctx2);
    expect(ctx2.findings.filter((f) => f.pitfall === 'stateful-without-volume')).toHaveLength(1);
  });

  it('flags pods no NetworkPolicy covers, and only the project-wide finding with --no-network-policies', () => {
    const yaml = 'services:\n  agent:\n    image: agent\n    network_mode: host\n  web:\n    image: web\n';
    const r = convert(yaml);
    expect(of(r, 'no-network-policy').map((f) => f.object)).toEqual(['Deployment/agent']);
    expect(of(r, 'no-network-policy')[0]!.message).toContain('host network');
    const off = convert(yaml, { networkPolicies: false });
    expect(of(off, 'no-network-policy').map((f) => f.object)).toEqual(['project/project']);
  });

  it('flags a workload that no policy selects', () => {
    const ctx = withDialects(new ConvertContext(fromYaml('services: {web: {image: web}}'), defaultOptions()));
    ctx.emit({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: {},
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web' }] } },
      },
    });
    ctx.emit({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'db-only' },
      spec: { podSelector: { matchLabels: { app: 'db' } } },
    });
    lintPitfalls(ctx);
    const f = ctx.findings.filter((x) => x.pitfall === 'no-network-policy');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ object: 'Deployment/web', service: 'web' });
  });
});

describe.runIf(existsSync(SAMPLES))('samples', () => {
  const dirs = existsSync(SAMPLES)
    ? readdirSync(SAMPLES)
        .filter((d) => existsSync(`${SAMPLES}${d}/compose.yaml`))
        .sort()
    : [];
  it.each(dirs.map((d) => [d]))('%s: findings carry a fix and a position, without duplicates', (dir) => {
    const loaded = loadProject({ files: ['compose.yaml'], workingDir: `${SAMPLES}${dir}`, fs: nodeFs, env: {} });
    const r = convertProject(loaded.project!, {}, nodeFs);
    const keys = r.report.findings
      .filter((f) => f.pitfall !== 'hard-coded-ip')
      .map((f) => `${f.pitfall} ${f.object} ${f.service ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const f of r.report.findings) {
      expect(f.fix).not.toBe('');
      if (f.service) expect(f.pos?.file).toMatch(/compose\.yaml$/);
    }
  });
  it('finds the unpersisted Redis of nginx-node-redis', () => {
    const loaded = loadProject({
      files: ['compose.yaml'],
      workingDir: `${SAMPLES}nginx-node-redis`,
      fs: nodeFs,
      env: {},
    });
    const r = convertProject(loaded.project!, {}, nodeFs);
    expect(of(r, 'stateful-without-volume').map((f) => f.service)).toEqual(['redis']);
  });
});

describe.runIf(existsSync(CORPUS))('corpus', () => {
  it('lints every loadable project without internal errors; each lint finding names a service with its position', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const f of composeFiles(CORPUS.replace(/\/$/, ''))) {
      const loaded = loadProject({ files: [f], workingDir: f.slice(0, f.lastIndexOf('/')), fs: nodeFs, env: {} });
      if (!loaded.project) continue;
      const r = convertProject(loaded.project, {}, nodeFs);
      for (const d of r.diagnostics) if (d.code === 'internal-error') problems.push(`${f}: ${d.message}`);
      for (const x of r.report.findings) {
        seen.add(x.pitfall);
        if (!x.fix) problems.push(`${f}: ${x.pitfall} ${x.object} without a fix`);
        if (!x.object.startsWith('project/') && (!x.service || !x.pos))
          problems.push(`${f}: ${x.pitfall} ${x.object} without service/position`);
      }
    }
    expect(problems).toEqual([]);
    expect([...seen].sort()).toEqual([
      'database-without-password',
      'hard-coded-ip',
      'no-network-policy',
      'no-probes',
      'no-resource-limits',
      'stateful-without-volume',
    ]);
  }, 300_000);
});

describe('no-probes finding for services without declared ports', () => {
  it('suggests a check that fits the image and says when the Service port is only inferred', () => {
    const r = convert(`services:
  rest:
    image: postgrest/postgrest:v12
  db:
    image: postgres:16
  cache:
    image: valkey/valkey:8
  kong:
    image: kong:3
    ports: ["8000:8000"]
    environment:
      REST_URL: http://rest:3000/
    depends_on: [db, cache]
`);
    // Each is known to serve a port (addressed by a peer, or its image's well-known port): a default probe there.
    const probe = (name: string) =>
      (
        r.objects.find((o) => o.kind !== 'Service' && o.metadata.name === name) as unknown as {
          spec: { template: { spec: { containers: Array<{ readinessProbe?: { tcpSocket?: { port: number } } }> } } };
        }
      ).spec.template.spec.containers[0]!.readinessProbe?.tcpSocket?.port;
    expect([probe('rest'), probe('db'), probe('cache')]).toEqual([3000, 5432, 6379]);
    expect(of(r, 'no-probes').filter((x) => /no readiness or liveness/.test(x.message))).toEqual([]);
  });
});

describe('database-without-password', () => {
  const services = (r: ConvertResult): string[] => of(r, 'database-without-password').map((f) => f.service!);

  it('names each official database image whose environment lacks every variable its entrypoint needs', () => {
    const r = convert(`services:
  pg:
    image: postgres:16
    environment: {POSTGRES_DB: shop}
  gis:
    image: postgis/postgis:16-3.4
  ts:
    image: timescale/timescaledb:2.17.2-pg17
    command: ["-c", "max_connections=200"]
  vec:
    image: pgvector/pgvector:0.7.0-pg16
    command: postgres -c shared_buffers=256MB
    environment: {POSTGRES_HOST_AUTH_METHOD: md5}
  my:
    image: mysql:8
    environment: {MYSQL_DATABASE: app, MYSQL_USER: app, MYSQL_PASSWORD: secret}
  maria:
    image: docker.io/library/mariadb:11
    command: mariadbd --character-set-server=utf8mb4
    environment: {MARIADB_PASSWORD: secret}
  pg10:
    image: postgres:10.12-alpine
`);
    expect(services(r).sort()).toEqual(['gis', 'maria', 'my', 'pg', 'pg10', 'ts', 'vec']);
    const [f] = of(r, 'database-without-password').filter((x) => x.service === 'pg');
    expect(f).toMatchObject({ object: 'Deployment/pg', pos: { file: expect.stringMatching(/compose\.yaml$/) } });
    expect(f!.message).toContain('POSTGRES_PASSWORD, POSTGRES_PASSWORD_FILE, POSTGRES_HOST_AUTH_METHOD=trust');
    expect(f!.fix).toContain('set POSTGRES_PASSWORD in the environment or env_file of service pg');
    const maria = of(r, 'database-without-password').find((x) => x.service === 'maria')!;
    expect(maria.fix).toContain('set MARIADB_ROOT_PASSWORD');
  });

  // chatwoot's production compose: `POSTGRES_PASSWORD=` (the entrypoints test each variable with `[ -z ... ]`).
  it('takes a variable set empty for none, and says which one is empty', () => {
    const r = convert(`services:
  pg:
    image: pgvector/pgvector:pg16
    environment: [POSTGRES_DB=chatwoot, POSTGRES_PASSWORD=]
  my:
    image: mysql:8
    environment: {MYSQL_ROOT_PASSWORD: "", MYSQL_ALLOW_EMPTY_PASSWORD: ""}
  ok:
    image: postgres:16
    environment: {POSTGRES_PASSWORD: "", POSTGRES_HOST_AUTH_METHOD: trust}
`);
    expect(services(r).sort()).toEqual(['my', 'pg']);
    const pg = of(r, 'database-without-password').find((x) => x.service === 'pg')!;
    expect(pg.message).toContain('sets POSTGRES_PASSWORD empty and none of POSTGRES_PASSWORD_FILE');
    expect(pg.fix).toContain('give POSTGRES_PASSWORD a value');
  });

  // Images built before docker-library/postgres#658 (February 2020) start without a password, with trust.
  it('is quiet when a variable is set (env_file, _FILE, trust, aliases), for other or older images, other commands', () => {
    const r = convert(
      `services:
  fromfile:
    image: postgres:16
    env_file: db.env
  secretfile:
    image: postgres:16
    environment: {POSTGRES_PASSWORD_FILE: /run/secrets/pg}
  trust:
    image: postgres:16
    environment: {POSTGRES_HOST_AUTH_METHOD: trust}
  random:
    image: mysql:8
    environment: {MYSQL_RANDOM_ROOT_PASSWORD: "yes"}
  alias:
    image: mariadb:11
    environment: {MYSQL_ALLOW_EMPTY_PASSWORD: "yes"}
  hash:
    image: mariadb:11
    environment: {MARIADB_ROOT_PASSWORD_HASH: "*ABC"}
  bitnami:
    image: bitnami/postgresql:16
  fork:
    image: ghcr.io/acme/postgres:16
  built:
    image: postgres:16
    build: ./db
  shell:
    image: postgres:16
    command: ["sh", "-c", "sleep infinity"]
  wrapped:
    image: mysql:8
    entrypoint: ["/init.sh"]
  pg10:
    image: postgres:10.1
  pg96:
    image: postgres:9.6.16-alpine
  ts16:
    image: timescale/timescaledb:1.6.0-pg11
`,
      {},
      { 'db.env': 'POSTGRES_PASSWORD=secret\n', 'db/Dockerfile': 'FROM postgres:16\n' },
    );
    expect(services(r)).toEqual([]);
  });
});
