import { describe, it, expect } from 'vitest';
import type { Service as KService } from 'kubernetes-types/core/v1.js';
import { convert, memoryFs } from '../../../src/index.js';
import { expectValid } from '../../helpers/validate.js';

function run(yaml: string) {
  const out = convert({
    files: [{ path: '/p/compose.yaml', content: yaml }],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': yaml }),
    env: {},
  });
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(out.objects);
  return out;
}
type Out = ReturnType<typeof run>;
const service = (out: Out, name: string) =>
  out.objects.find((o) => o.kind === 'Service' && o.metadata.name === name) as unknown as
    (KService & { metadata: { name: string } }) | undefined;
const podLabels = (out: Out, name: string): Record<string, string> => {
  const w = out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name) as unknown as {
    spec: { template: { metadata: { labels: Record<string, string> } } };
  };
  return w.spec.template.metadata.labels;
};
const entries = (out: Out, svc: string, key: string) =>
  out.report!.entries.filter((e) => e.service === svc && e.key === key);

describe('network aliases', () => {
  it('one alias → a ClusterIP Service named after it, selecting only the alias label and the project', () => {
    const out = run(`
name: shop
services:
  api:
    image: api:1
    environment: { DB_HOST: database }
    networks: [back]
  db:
    image: postgres:16
    expose: ["5432"]
    networks:
      back:
        aliases: [database]
networks:
  back: {}
`);
    const s = service(out, 'database')!;
    expect(s.spec!.type).toBe('ClusterIP');
    expect(s.spec!.selector).toEqual({ 'compose2k8s.io/alias-database': 'true', 'app.kubernetes.io/part-of': 'shop' });
    expect(s.spec!.ports).toEqual([
      { name: 'tcp-5432', port: 5432, targetPort: service(out, 'db')!.spec!.ports![0]!.targetPort, protocol: 'TCP' },
    ]);
    expect(podLabels(out, 'db')['compose2k8s.io/alias-database']).toBe('true');
    expect(podLabels(out, 'api')['compose2k8s.io/alias-database']).toBeUndefined();
    const e = entries(out, 'db', 'networks.back.aliases');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ status: 'converted', objects: ['Service/database'] });
    // The pods' network labels are unchanged: the back network's policy still admits api → db.
    expect(podLabels(out, 'db')['compose2k8s.io/network-back']).toBe('true');
    expect(out.objects.some((o) => o.kind === 'NetworkPolicy' && o.metadata.name.includes('back'))).toBe(true);
  });

  it('an alias shared by two services selects both pods, with the union of their ports (reported)', () => {
    const out = run(`
services:
  loki-read:
    image: grafana/loki:3
    ports: ["3100"]
    networks: { loki: { aliases: [loki] } }
  loki-write:
    image: grafana/loki:3
    ports: ["3100", "7946"]
    networks: { loki: { aliases: [loki] } }
  grafana:
    image: grafana/grafana:11
    networks: [loki]
networks:
  loki: {}
`);
    const s = service(out, 'loki')!;
    expect(s.spec!.ports!.map((p) => p.port).sort()).toEqual([3100, 7946]);
    expect(podLabels(out, 'loki-read')['compose2k8s.io/alias-loki']).toBe('true');
    expect(podLabels(out, 'loki-write')['compose2k8s.io/alias-loki']).toBe('true');
    expect(podLabels(out, 'grafana')['compose2k8s.io/alias-loki']).toBeUndefined();
    for (const svc of ['loki-read', 'loki-write']) {
      const [e] = entries(out, svc, 'networks.loki.aliases');
      expect(e).toMatchObject({ status: 'approximated', objects: ['Service/loki'] });
      expect(e!.message).toMatch(/union 3100, 7946/);
    }
  });

  it("the union's port names are made unique as every Service's are (service-ports.ts addPort: web, web-2, web-3)", () => {
    const one = (n: number) => `
  n${n}:
    image: app:1
    ports: [{ target: 800${n}, name: web }]
    networks: { back: { aliases: [shared] } }`;
    const out = run(`services:${one(1)}${one(2)}${one(3)}\nnetworks:\n  back: {}\n`);
    expect(service(out, 'shared')!.spec!.ports!.map((p) => [p.port, p.name])).toEqual([
      [8001, 'web'],
      [8002, 'web-2'],
      [8003, 'web-3'],
    ]);
  });

  it('an alias on a service without ports gets no Service and no label', () => {
    const out = run(`
services:
  worker:
    image: worker:1
    networks: { default: { aliases: [jobs] } }
`);
    expect(service(out, 'jobs')).toBeUndefined();
    expect(podLabels(out, 'worker')['compose2k8s.io/alias-jobs']).toBeUndefined();
    expect(entries(out, 'worker', 'networks.default.aliases')[0]).toMatchObject({ status: 'approximated' });
  });

  it('an alias named like another service is not emitted; the clash is reported', () => {
    const out = run(`
services:
  cache: { image: redis:7, expose: ["6379"] }
  db:
    image: postgres:16
    expose: ["5432"]
    networks: { default: { aliases: [cache] } }
`);
    expect(service(out, 'cache')!.spec!.selector).toMatchObject({ 'app.kubernetes.io/name': 'cache' });
    expect(podLabels(out, 'db')['compose2k8s.io/alias-cache']).toBeUndefined();
    const [e] = entries(out, 'db', 'networks.default.aliases');
    expect(e).toMatchObject({ status: 'approximated' });
    expect(e!.message).toMatch(/Service cache of service cache already has that name/);
  });
});

describe('link aliases', () => {
  it('db:database → Service database selecting db; the links entry is converted', () => {
    const out = run(`
services:
  web:
    image: web:1
    links: ["db:database", cache]
  db: { image: postgres:16, expose: ["5432"] }
  cache: { image: redis:7, expose: ["6379"] }
`);
    const s = service(out, 'database')!;
    expect(s.spec!.selector).toEqual({
      'compose2k8s.io/alias-database': 'true',
      'app.kubernetes.io/part-of': expect.any(String),
    });
    expect(s.spec!.ports!.map((p) => p.port)).toEqual([5432]);
    expect(podLabels(out, 'db')['compose2k8s.io/alias-database']).toBe('true');
    const e = entries(out, 'web', 'links').filter((x) => x.path === 'links[0]');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ id: 'links.alias-service', status: 'converted', objects: ['Service/database'] });
    // the plain link is hostconfig.ts's; the alias one is not reported twice
    expect(entries(out, 'web', 'links').filter((x) => x.path === 'links[1]')).toHaveLength(1);
  });
});

describe('container_name / hostname peers address', () => {
  // Shaped like appwrite (an executor reached as exc1, mongodb as appwrite-mongodb) and supabase (kong routing to
  // realtime-dev.supabase-realtime, a dotted container_name whose first label the app reads as its tenant).
  const yaml = `
services:
  api:
    image: example/api
    environment:
      EXECUTOR_HOST: http://exc1:80/v1
      MONGO_URL: mongodb://appwrite-mongodb:27017/app
    command: ["serve", "--realtime", "http://realtime-dev.supabase-realtime:4000/socket"]
  executor:
    image: example/executor
    container_name: exc1
    hostname: exc1
    expose: ["80"]
  mongodb:
    image: mongo:7
    container_name: appwrite-mongodb
  realtime:
    image: example/realtime
    container_name: realtime-dev.supabase-realtime
    expose: ["4000"]
  quiet:
    image: example/quiet
    container_name: nobody-calls-me
    expose: ["9000"]
`;
  it('gets a Service answering on that name, selecting the same pods, with the service ports', () => {
    const out = run(yaml);
    expect(service(out, 'exc1')?.spec?.ports?.map((p) => p.port)).toEqual([80]);
    expect(service(out, 'appwrite-mongodb')?.spec?.ports?.map((p) => p.port)).toEqual([27017]);
    const sel = service(out, 'exc1')!.spec!.selector!;
    const [key] = Object.keys(sel).filter((k) => k.startsWith('compose2k8s.io/alias-'));
    expect(podLabels(out, 'executor')[key!]).toBe('true');
    expect(entries(out, 'executor', 'container_name.peers').map((e) => e.id)).toEqual(['container_name.peer-service']);
    expect(entries(out, 'executor', 'hostname.peers').map((e) => e.id)).toEqual(['hostname.peer-service']);
    // Nobody addresses it by its container_name: no extra Service.
    expect(service(out, 'nobody-calls-me')).toBeUndefined();
  });

  it('a dotted name answers as the Service of its first label, and peers are rewritten to it', () => {
    const out = run(yaml);
    expect(service(out, 'realtime-dev')?.spec?.ports?.map((p) => p.port)).toEqual([4000]);
    const api = out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api') as unknown as {
      spec: { template: { spec: { containers: Array<{ args?: string[] }> } } };
    };
    expect(api.spec.template.spec.containers[0]!.args).toContain('http://realtime-dev:4000/socket');
    expect(entries(out, 'realtime', 'container_name.peers')[0]?.message).toContain('rewritten to realtime-dev');
  });
});

describe('a name peers use that cannot be a Service name (`_`)', () => {
  const rewritten = (name: string, to: string) =>
    new RegExp(
      `; ${name.replace('.', '\\.')} cannot be a Service name, so peers' mentions of it \\(.*\\) are rewritten to ${to} `,
    );
  // Docker's DNS resolves my_db, main_cache and main_db; the cluster has no record for them, only for my-db...
  const out = () =>
    run(`
services:
  db:
    image: postgres:16
    container_name: my_db
  cache:
    image: redis:7
    hostname: main_cache
  search:
    image: example/search
    expose: ["9200"]
    networks: { default: { aliases: [main_search] } }
  app:
    image: example/app
    environment:
      DB_HOST: my_db
      REDIS_URL: redis://main_cache:6379/0
      SEARCH_URL: http://main_search:9200
`);
  it("rewrites the peers' mentions to the Service that answers, and says so on the name's entry", () => {
    const o = out();
    const env = o.objects.find((x) => x.kind === 'ConfigMap' && x.metadata.name === 'app-env') as unknown as {
      data: Record<string, string>;
    };
    expect(env.data).toMatchObject({
      DB_HOST: 'my-db',
      REDIS_URL: 'redis://main-cache:6379/0',
      SEARCH_URL: 'http://main-search:9200',
    });
    expect(service(o, 'my-db')).toBeDefined();
    expect(entries(o, 'db', 'container_name.peers')[0]?.message).toMatch(rewritten('my_db', 'my-db'));
    expect(entries(o, 'db', 'container_name.peers')[0]?.message).not.toContain('answers on that name');
    expect(entries(o, 'cache', 'hostname.peers')[0]?.message).toMatch(rewritten('main_cache', 'main-cache'));
    const alias = o.report!.entries.find((e) => e.service === 'search' && e.path === 'networks.default.aliases[0]');
    expect(alias?.message).toMatch(rewritten('main_search', 'main-search'));
    expect(alias?.message).not.toContain('peers must use');
  });

  it("a dotted name led by the service's own name is rewritten to its own Service", () => {
    // db.internal reads as Service db of namespace internal in the cluster: no such namespace.
    const o = run(`
services:
  db:
    image: postgres:16
    hostname: db.internal
  app:
    image: example/app
    environment: { DB_HOST: db.internal }
`);
    const env = o.objects.find((x) => x.kind === 'ConfigMap' && x.metadata.name === 'app-env') as unknown as {
      data: Record<string, string>;
    };
    expect(env.data['DB_HOST']).toBe('db');
    expect(entries(o, 'db', 'hostname.peers')[0]?.message).toMatch(rewritten('db.internal', 'db'));
  });
});

describe('an alias of the Docker reverse proxy', () => {
  it('says the ingress controller takes its place (unsupported); an alias of a portless service keeps its fix', () => {
    const out = run(`
services:
  traefik:
    image: traefik:v3.1
    command: ["--providers.docker"]
    ports: ["80:80"]
    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]
    networks:
      gateway: { aliases: [app.test] }
  worker:
    image: acme/worker
    networks:
      gateway: { aliases: [jobs.internal] }
networks:
  gateway: {}
`);
    const [proxy] = out.report!.entries.filter(
      (e) => e.service === 'traefik' && e.path === 'networks.gateway.aliases[0]',
    );
    expect(proxy).toMatchObject({ id: 'networks.alias-proxy', status: 'unsupported' });
    expect(proxy!.message).toContain('the ingress controller takes its place');
    expect(proxy!.fix).toContain('rewrite name app.test');
    const [plain] = out.report!.entries.filter(
      (e) => e.service === 'worker' && e.path === 'networks.gateway.aliases[0]',
    );
    expect(plain).toMatchObject({ id: 'networks.alias-portless', status: 'approximated' });
  });
});

describe('services grouped into one pod (kompose.service.group, x-k8s.group)', () => {
  it("a grouped service's own name gets a Service selecting the shared pod, reported on the group label", () => {
    const out = run(`
name: g
services:
  dind:
    image: docker:28.1.1-dind
    labels: { kompose.service.group: cup }
    ports: ["2375:2375"]
  cup:
    image: ghcr.io/sergi0g/cup:v3.4.0
    environment: { DOCKER_HOST: "tcp://dind:2375" }
    labels: { kompose.service.group: cup }
    ports: ["8000:8000"]
  client:
    image: docker:28.1.1-cli
    command: ["docker", "-H", "tcp://dind:2375", "ps"]
`);
    // Both containers run in the pod of cup; peers (client, and cup itself) call dind:2375.
    const s = service(out, 'dind')!;
    expect(s.spec!.selector).toEqual({ 'compose2k8s.io/alias-dind': 'true', 'app.kubernetes.io/part-of': 'g' });
    expect(s.spec!.ports!.map((p) => p.port)).toContain(2375);
    expect(podLabels(out, 'cup')['compose2k8s.io/alias-dind']).toBe('true');
    const e = entries(out, 'dind', 'labels.kompose.service.group');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ id: 'labels.kompose.group-service', status: 'converted', objects: ['Service/dind'] });
    // The main service of the group keeps its own Service and its plain entry.
    expect(service(out, 'cup')).toBeDefined();
    expect(entries(out, 'cup', 'labels.kompose.service.group')[0]!.status).toBe('converted');
  });

  it('x-k8s.group: a grouped service in a pod without ports is reported, not silently unresolvable', () => {
    const out = run(`
name: g
services:
  main:
    image: busybox
    command: ["sleep", "infinity"]
    x-k8s: { group: pair }
  helper:
    image: busybox
    command: ["sleep", "infinity"]
    x-k8s: { group: pair }
`);
    // The group's first service by name (helper) owns the pod; main runs in it.
    expect(entries(out, 'main', 'x-k8s.group')).toEqual([
      expect.objectContaining({ id: 'x-k8s.group-no-service', status: 'approximated' }),
    ]);
    expect(entries(out, 'helper', 'x-k8s.group')[0]!.id).toBe('x-k8s.applied');
  });
});
