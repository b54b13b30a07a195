/**
 * Issue 12/14 fixtures shaped like the upstream stacks that broke: a Caddy front end whose Caddyfile routes to
 * peers on ports they never declare, and a three-node search cluster whose nodes wait for each other at start.
 */
import { describe, expect, it } from 'vitest';
import { fromYaml } from '../../helpers/project.js';
import { convertProject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import type { KubeObject } from '../../../src/kube/object.js';

function convert(yaml: string, files: Record<string, string> = {}) {
  return convertProject(fromYaml(yaml), {}, memoryFs(files));
}
type Port = { port: number; targetPort?: number };
type Svc = { spec: { clusterIP?: string; ports?: Port[]; publishNotReadyAddresses?: boolean } };
type Container = {
  name: string;
  command?: string[];
  args?: string[];
  readinessProbe?: unknown;
  startupProbe?: unknown;
};
type Pod = { spec: { template: { spec: { containers: Container[]; initContainers?: Container[] } } } };
const find = (objects: KubeObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const ports = (o: KubeObject | undefined) => ((o as unknown as Svc | undefined)?.spec.ports ?? []).map((p) => p.port);
const workload = (objects: KubeObject[], name: string) =>
  objects.find(
    (o) =>
      o.metadata.name === name && o.kind !== 'Service' && 'spec' in o && o.spec && 'template' in (o.spec as object),
  ) as unknown as Pod;

describe('a Caddy front end routes to peers on ports only its Caddyfile names', () => {
  const compose = `services:
  caddy:
    image: caddy:2
    ports: ["80:80", "443:443"]
    volumes:
      - ./Caddyfile:/etc/caddy/Caddyfile:ro
      - caddy-data:/data
  web:
    image: example/plane-web
  space:
    image: example/plane-space
  api:
    image: example/plane-api
    expose: ["8000"]
volumes:
  caddy-data: {}
`;
  const caddyfile = `{$SITE_ADDRESS:localhost} {
	reverse_proxy /spaces/* space:3000
	reverse_proxy /api/* api:8000
	reverse_proxy /* web:3000
}
`;
  const r = convert(compose, { '/project/Caddyfile': caddyfile });

  it('gives every routed peer a Service on the port the Caddyfile names', () => {
    expect(ports(find(r.objects, 'Service', 'web'))).toContain(3000);
    expect(ports(find(r.objects, 'Service', 'space'))).toContain(3000);
    expect(ports(find(r.objects, 'Service', 'api'))).toContain(8000);
  });

  it('carries the Caddyfile into the pod as a ConfigMap', () => {
    const cms = r.objects.filter((o) => o.kind === 'ConfigMap') as unknown as Array<{ data?: Record<string, string> }>;
    expect(cms.some((c) => Object.values(c.data ?? {}).some((v) => v.includes('reverse_proxy /* web:3000')))).toBe(
      true,
    );
  });

  it('probes the peers only on the port that is known to be served', () => {
    const web = workload(r.objects, 'web').spec.template.spec.containers[0]!;
    expect(JSON.stringify(web.readinessProbe ?? {})).not.toMatch(/"port":(?!3000)\d+/);
  });
});

describe('a three-node search cluster that needs a quorum to become healthy', () => {
  const node = (n: number, peers: string) => `  es0${n}:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.14.0
    environment:
      node.name: es0${n}
      cluster.name: es-docker-cluster
      discovery.seed_hosts: ${peers}
      cluster.initial_master_nodes: es01,es02,es03
    volumes: ["data0${n}:/usr/share/elasticsearch/data"]
    healthcheck:
      test: ["CMD-SHELL", "curl -fs http://es0${n}:9200/_cluster/health || exit 1"]
      interval: 10s
      retries: 30
`;
  const compose = `services:
${node(1, 'es02,es03')}    ports: ["9200:9200"]
${node(2, 'es01,es03')}    depends_on: [es01]
${node(3, 'es01,es02')}    depends_on: [es02]
  kibana:
    image: docker.elastic.co/kibana/kibana:8.14.0
    ports: ["5601:5601"]
    environment:
      ELASTICSEARCH_HOSTS: http://es01:9200
    depends_on:
      es01: { condition: service_healthy }
volumes:
  data01: {}
  data02: {}
  data03: {}
`;
  const r = convert(compose);

  it('a node waits for its peer through a headless Service that publishes not-ready pods (no deadlock)', () => {
    for (const [svc, dep] of [
      ['es02', 'es01'],
      ['es03', 'es02'],
    ] as const) {
      const init = workload(r.objects, svc).spec.template.spec.initContainers ?? [];
      const waits = init.map((c) => [...(c.command ?? []), ...(c.args ?? [])].join(' '));
      expect(waits.some((w) => w.includes(`${dep}-headless`))).toBe(true);
      expect(waits.some((w) => new RegExp(`\\b${dep}(?!-headless)\\b[.:]`).test(w))).toBe(false);
      const headless = find(r.objects, 'Service', `${dep}-headless`) as unknown as Svc;
      expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    }
  });

  it('every node answers on 9200 and the discovery port 9300 that peers name', () => {
    for (const n of ['es01', 'es02', 'es03']) {
      const all = [...ports(find(r.objects, 'Service', n)), ...ports(find(r.objects, 'Service', `${n}-headless`))];
      expect(all).toContain(9200);
      expect(all).toContain(9300);
    }
  });

  it('the self-named health check goes to the pod itself, so a node can become ready before its Service routes to it', () => {
    for (const n of ['es01', 'es02', 'es03']) {
      const c = workload(r.objects, n).spec.template.spec.containers[0]!;
      // An httpGet probe goes to the pod IP; an exec one must call localhost, never the Service name.
      expect(JSON.stringify(c.readinessProbe)).toMatch(
        /"httpGet":\{"path":"\/_cluster\/health","port":9200,"httpHeaders":\[\{"name":"Host","value":"localhost:9200"\}\]\}|http:\/\/localhost:9200\/_cluster\/health/,
      );
      expect(JSON.stringify(c.readinessProbe)).not.toContain(`${n}:9200`);
    }
  });

  it('kibana waits for es01 to be healthy, bounded by nothing but readiness (service_healthy)', () => {
    const init = workload(r.objects, 'kibana').spec.template.spec.initContainers ?? [];
    expect(init.map((c) => [...(c.command ?? []), ...(c.args ?? [])].join(' ')).join('\n')).toMatch(/es01/);
  });
});
