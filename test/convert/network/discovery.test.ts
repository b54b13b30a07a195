import { describe, expect, it } from 'vitest';
import { discoveredNames, joinedByFlags } from '../../../src/convert/network/discovery.js';
import { fromYaml } from '../../helpers/project.js';
import { convertProject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import { expectValid } from '../../helpers/validate.js';

describe('discoveredNames', () => {
  it('reads the names of every dns_sd_configs block, block and flow lists; not static targets nor other keys', () => {
    const names = (t: string) => discoveredNames(t).map((d) => `${d.via}:${d.name}`);
    const text = `scrape_configs:
  - job_name: loki
    dns_sd_configs:
      - names:
          - loki          # every replica
          - "loki-compactor"
        type: A
        port: 3100
  - job_name: app
    static_configs:
      - targets: ["app:8080"]
  - job_name: promtail
    dns_sd_configs:
    - names: [promtail, 'agent']
      type: A
      port: 9080
    - names:
      - tail
      type: AAAA
      port: 9080
`;
    expect(names(text)).toEqual([
      'dns_sd_configs:loki',
      'dns_sd_configs:loki-compactor',
      'dns_sd_configs:promtail',
      'dns_sd_configs:agent',
      'dns_sd_configs:tail',
    ]);
    expect(names('static_configs:\n  - targets: [loki:3100]\n')).toEqual([]);
  });

  it('reads a memberlist join_members list: bare names, name:port and dns+; not an SRV lookup', () => {
    const names = (t: string) => discoveredNames(t).map((d) => `${d.via}:${d.name}`);
    expect(
      names(
        'memberlist:\n  join_members:\n    - "loki"\n    - dns+tempo:7946\n    - dnssrv+_x._tcp.y\n  bind_port: 7946\n',
      ),
    ).toEqual(['join_members:loki', 'join_members:tempo']);
    expect(names('memberlist:\n  join_members: ["read", "write:7946"]\n')).toEqual([
      'join_members:read',
      'join_members:write',
    ]);
  });
  it('a join_members list of a list item ends at the next item of that list: a sibling is no member', () => {
    const names = (t: string) => discoveredNames(t).map((d) => `${d.via}:${d.name}`);
    // The key is a list item's (`- join_members:`); the item after its list (`- consul`) is the outer list's.
    expect(names('kvstores:\n  - join_members:\n      - loki\n  - consul\n')).toEqual(['join_members:loki']);
    expect(names('kvstores:\n  - join_members:\n    - loki\n    - tempo\n  - consul\n')).toEqual([
      'join_members:loki',
      'join_members:tempo',
    ]);
    // A key's list at the key's own indentation is still its list; the outer list's next item is not.
    expect(names('rings:\n- memberlist:\n    join_members:\n    - loki\n- consul\n')).toEqual(['join_members:loki']);
  });

  it('reads the -memberlist.join flags of a command line, with the join_members rule for each address', () => {
    const names = (t: string) => joinedByFlags(t).map((d) => `${d.via}:${d.name}`);
    expect(
      names(
        '-config.file=/etc/loki/config.yaml -target=read -memberlist.join=loki-gossip:7946 --memberlist.join dns+tempo:7946 -memberlist.join=dnssrv+_x._tcp.y',
      ),
    ).toEqual(['-memberlist.join:loki-gossip', '-memberlist.join:tempo']);
    expect(names('-memberlist.join-timeout=10s -memberlist.bind-port=7946')).toEqual([]);
  });
});

describe('a Service whose replicas peers need one by one is headless', () => {
  // grafana-loki's production compose: loki with 3 replicas, its memberlist join_members and Prometheus's
  // dns_sd_configs naming the compose service. In compose the name resolves to every replica; a ClusterIP's virtual
  // IP shows one: a joining node reaches one random replica, and Prometheus scrapes one replica per scrape.
  const files = {
    '/project/config/loki.yaml':
      'memberlist:\n  join_members:\n    - "loki"\n    - "loki-compactor"\n  bind_port: 7946\n',
    '/project/prom/prometheus.yml':
      'scrape_configs:\n  - job_name: app\n    dns_sd_configs:\n      - names: [app, single]\n        type: A\n        port: 8080\n',
  };
  const compose = `
services:
  loki:
    image: grafana/loki:3.7.6
    command: ["-config.file=/etc/loki/loki.yaml"]
    ports: ["3100", "7946"]
    volumes: [./config:/etc/loki]
    deploy: { replicas: 3 }
  loki-compactor:
    image: grafana/loki:3.7.6
    command: ["-config.file=/etc/loki/loki.yaml"]
    ports: ["3100", "7946"]
    volumes: [./config:/etc/loki]
  prometheus:
    image: prom/prometheus:v3.14.0
    volumes: [./prom/prometheus.yml:/etc/prometheus/prometheus.yml]
  app:
    image: ghcr.io/example/app:1
    expose: ["8080"]
    deploy: { replicas: 2 }
  single:
    image: ghcr.io/example/app:1
    expose: ["8080"]
  plain:
    image: ghcr.io/example/app:1
    expose: ["8080"]
    deploy: { replicas: 2 }
`;
  it('a scaled cluster member and a scaled Prometheus dns_sd target; not one replica, nor a replica no peer needs', () => {
    const r = convertProject(fromYaml(compose), {}, memoryFs(files));
    const svc = (name: string) =>
      r.objects.find((o) => o.kind === 'Service' && o.metadata.name === name) as unknown as {
        spec: { clusterIP?: string; publishNotReadyAddresses?: boolean };
      };
    const expose = (name: string) => r.report.entries.find((e) => e.service === name && e.path === 'expose');
    // Headless, and with not-ready pods: memberlist nodes join each other before any is ready, and compose's DNS
    // answers with every running container, healthy or not.
    expect(svc('loki').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(expose('loki')!.message).toContain(
      'Service loki is headless (clusterIP: None) and publishes not-ready pods (publishNotReadyAddresses), as compose names resolve to every running container: its name resolves to the pod IPs of all 3 replicas',
    );
    // Its own config joins it (the replicas join each other); the directory two services mount is named once.
    expect(expose('loki')!.message).toContain('(loki in join_members of file config/loki.yaml)');
    expect(svc('app').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(expose('app')!.message).toContain(
      'the settings that resolve its name to every address reach each replica (app in dns_sd_configs of file prom/prometheus.yml)',
    );
    // One replica: its virtual IP is that pod. Replicas no peer needs one by one keep their load-balancing IP.
    for (const name of ['loki-compactor', 'single', 'plain']) expect(svc(name).spec.clusterIP).toBeUndefined();
    expectValid(r.objects);
  });

  it('a Prometheus dns_sd target that ordinary clients also use lists ready pods only; one only Prometheus uses lists all', () => {
    // publishNotReadyAddresses marks every pod ready in the Service's endpoints: a peer, a service_healthy wait or the
    // Ingress reaching \`app\` would get a pod before its readiness probe passes (in each rollout, say). Prometheus
    // resolves the compose name its config names, the one those clients use: one Service serves both.
    const withClients = `
services:
  prometheus:
    image: prom/prometheus:v3.14.0
    volumes: [./prom/prometheus.yml:/etc/prometheus/prometheus.yml]
  app:
    image: ghcr.io/example/app:1
    expose: ["8080"]
    healthcheck: { test: ["CMD", "curl", "-f", "http://localhost:8080/health"] }
    deploy: { replicas: 2 }
  single:
    image: ghcr.io/example/app:1
    expose: ["8080"]
    healthcheck: { test: ["CMD", "curl", "-f", "http://localhost:8080/health"] }
    deploy: { replicas: 2 }
  web:
    image: ghcr.io/example/web:1
    environment: { API_URL: "http://app:8080" }
  worker:
    image: ghcr.io/example/web:1
    depends_on: { single: { condition: service_healthy } }
`;
    const r = convertProject(fromYaml(withClients), {}, memoryFs(files));
    const svc = (name: string) =>
      r.objects.find((o) => o.kind === 'Service' && o.metadata.name === name) as unknown as {
        spec: { clusterIP?: string; publishNotReadyAddresses?: boolean };
      };
    const expose = (name: string) => r.report.entries.find((e) => e.service === name && e.path === 'expose')!;
    for (const [name, clients] of [
      ['app', 'web'],
      ['single', 'worker'],
    ] as const) {
      // Still headless: Prometheus scrapes each ready replica. Not-ready pods stay out, for the clients' sake.
      expect(svc(name).spec.clusterIP).toBe('None');
      expect(svc(name).spec.publishNotReadyAddresses).toBeUndefined();
      expect(expose(name)).toMatchObject({ id: 'expose.replicas-headless-ready', status: 'approximated' });
      expect(expose(name).message).toContain(`its clients (${clients}) must not reach a pod before it is ready`);
      expect(expose(name).fix).toContain('point the dns_sd_configs names at a second headless Service');
    }
    expectValid(r.objects);
    // Prometheus alone: every running replica, as compose's DNS answers.
    const alone = convertProject(fromYaml(withClients.replace(/ {2}web:[\s\S]*$/, '')), {}, memoryFs(files));
    const app = alone.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'app') as unknown as {
      spec: { clusterIP?: string; publishNotReadyAddresses?: boolean };
    };
    expect(app.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    // A published port: its Ingress routes through the Service's endpoints, which must hold ready pods only.
    const routed = convertProject(
      fromYaml(withClients.replace(/ {2}web:[\s\S]*$/, '').replace('expose: ["8080"]', 'ports: ["8080:8080"]')),
      {},
      memoryFs(files),
    );
    const entry = routed.report.entries.find((e) => e.service === 'app' && e.path === 'expose')!;
    expect(entry.message).toContain('as the routes of its published ports must not reach a pod before it is ready');
    const service = routed.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'app')!;
    expect((service.spec as { publishNotReadyAddresses?: boolean }).publishNotReadyAddresses).toBeUndefined();
    expectValid(routed.objects);
  });

  it('a DaemonSet (deploy.mode global) Prometheus finds by dns_sd_configs: one target per node, not one per scrape', () => {
    // node-exporter on every node: behind a virtual IP each scrape reached one random node, so the series of all nodes
    // interleaved under one target; headless, Prometheus scrapes the pod of every node.
    const global = `
services:
  prometheus:
    image: prom/prometheus:v3.14.0
    volumes: [./prom/prometheus.yml:/etc/prometheus/prometheus.yml]
  app:
    image: prom/node-exporter:v1.8.1
    expose: ["8080"]
    deploy: { mode: global }
`;
    const r = convertProject(fromYaml(global), {}, memoryFs(files));
    expect(r.objects.find((o) => o.kind === 'DaemonSet')?.metadata.name).toBe('app');
    const svc = r.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'app') as unknown as {
      spec: { clusterIP?: string; publishNotReadyAddresses?: boolean };
    };
    expect(svc.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    const expose = r.report.entries.find((e) => e.service === 'app' && e.path === 'expose')!;
    expect(expose.message).toContain('its name resolves to the pod IPs of its pod on every node (a DaemonSet)');
    expect(expose.message).not.toContain('replicas,');
    expectValid(r.objects);
  });
  it('a scaled Loki whose command joins its own name by -memberlist.join: headless, each replica joins the others', () => {
    // Loki's simple scalable compose passes the memberlist by flag; behind a virtual IP a node joins one random replica.
    const flags = `
services:
  loki:
    image: grafana/loki:3.7.6
    command: ["-config.file=/etc/loki/local-config.yaml", "-memberlist.join=loki:7946"]
    ports: ["3100", "7946"]
    deploy: { replicas: 3 }
`;
    const r = convertProject(fromYaml(flags), {}, memoryFs({}));
    const svc = r.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'loki') as unknown as {
      spec: { clusterIP?: string; publishNotReadyAddresses?: boolean };
    };
    expect(svc.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    const expose = r.report.entries.find((e) => e.service === 'loki' && e.path === 'expose')!;
    expect(expose.message).toContain('(loki in -memberlist.join of loki command)');
    expectValid(r.objects);
  });
});
