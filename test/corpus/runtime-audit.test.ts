/**
 * The runtime audit (an oracle apart from src/) on hand-made output: each check finds what it names and
 * stays quiet on the working form of the same thing.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/kube/object.js';
import { project } from '../helpers/project.js';
import { auditRuntime, hostRefs } from './runtime-audit.js';
import { PolicySet, selects } from './netpol-eval.js';

const meta = (name: string) => ({ name });
function deployment(name: string, containers: unknown[], extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { enableServiceLinks: false, containers, ...extra } },
    },
  };
}
function service(name: string, ports: number[], extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: { selector: { app: name }, ports: ports.map((port) => ({ port })), ...extra },
  };
}

describe('hostRefs', () => {
  const names = new Set(['broker', 'db', 'api']);
  const re = new RegExp(
    `(?:\\b([a-zA-Z][a-zA-Z0-9+.-]*)://(?:[^@/\\s'"]*@)?)?(?<![\\w.-])(broker|api|db)(?::(\\d{1,5}))?(?![\\w-]|\\.\\w)`,
    'g',
  );
  it('finds host:port, URLs with their scheme port, not longer names or domains', () => {
    expect(hostRefs('PLAINTEXT://broker:29092,HOST://localhost:9092', names, re)).toEqual([
      { name: 'broker', port: 29092 },
    ]);
    expect(hostRefs('postgres://u:secret@db/app', names, re)).toEqual([{ name: 'db', port: 5432 }]);
    expect(hostRefs('http://api/health', names, re)).toEqual([{ name: 'api', port: 80 }]);
    expect(hostRefs('db.example.com:5432 mydb:1 db-backup:2 api_v2:3', names, re)).toEqual([]);
    expect(hostRefs('MODE=api', names, re)).toEqual([]);
    expect(hostRefs('upstream api { server api:8080; }\nlocation / { proxy_pass http://api; }', names, re)).toEqual([
      { name: 'api', port: 8080 },
    ]);
  });
});

describe('auditRuntime', () => {
  const p = project({
    broker: { image: 'confluentinc/cp-kafka' },
    app: { image: 'app', user: 'root', environment: { KAFKA: 'broker:29092' } },
    es: { image: 'elasticsearch', hostname: 'es01' },
  });

  it('counts what an operator would trip over', () => {
    const objects = [
      deployment('broker', [{ name: 'broker', env: [{ name: 'L', value: 'PLAINTEXT://broker:29092' }] }], {
        enableServiceLinks: undefined,
        securityContext: { sysctls: [{ name: 'vm.max_map_count', value: '262144' }] },
      }),
      service('broker', [9092]),
      deployment('app', [{ name: 'app', env: [{ name: 'KAFKA', value: 'broker:29092' }] }], {
        initContainers: [{ name: 'wait', command: ['sh', '-c', 'until nc -z -w 2 broker 29092; do sleep 2; done'] }],
      }),
      deployment('es', [
        { name: 'es', readinessProbe: { exec: { command: ['sh', '-c', 'curl -f http://es01:9200/_cluster/health'] } } },
      ]),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('dns'),
        spec: { type: 'LoadBalancer', ports: [{ port: 53 }, { port: 53, protocol: 'UDP' }] },
      } as KubeObject,
    ];
    const a = auditRuntime(p, objects);
    expect(a.counts).toEqual({
      unreachedPeers: 2,
      unboundedWaits: 1,
      waitsOnUnservedPorts: 1,
      selfNamedProbes: 1,
      unsafeSysctls: 1,
      mixedProtocolLoadBalancers: 1,
      rootUsersDropped: 1,
      traefikRulesWithoutRoute: 0,
      serviceLinksOn: 1,
      blockedByPolicy: 0,
      credentialsInConfigMaps: 0,
      namedVolumesOffClaims: 0,
      sharedClaimsApart: 0,
      claimsNotWritable: 0,
      lowPortsUnbindable: 0,
      runOnceRetried: 0,
    });
    expect(a.details.find((d) => d.check === 'selfNamedProbes')).toMatchObject({
      where: 'Deployment/es es',
      what: 'es01:9200',
    });
  });

  it('is quiet on the working form', () => {
    const objects = [
      deployment('broker', [{ name: 'broker', env: [{ name: 'L', value: 'PLAINTEXT://broker:29092' }] }]),
      service('broker', [9092, 29092]),
      deployment(
        'app',
        [{ name: 'app', securityContext: { runAsUser: 0 }, env: [{ name: 'KAFKA', value: 'broker:29092' }] }],
        {
          initContainers: [
            {
              name: 'wait',
              command: ['sh', '-c', 'i=0; until nc -z -w 2 broker 29092; do i=$((i+1)); [ $i -ge 30 ] && break; done'],
            },
          ],
        },
      ),
      deployment('es', [
        { name: 'es', readinessProbe: { exec: { command: ['curl', '-f', 'http://localhost:9200/'] } } },
      ]),
      service('es01', [], { clusterIP: 'None' }),
    ];
    expect(Object.values(auditRuntime(p, objects).counts).every((n) => n === 0)).toBe(true);
  });

  it('a probe naming its own Service reaches the pod itself when the pod maps the name to loopback', () => {
    const mongo = project({ mongodb: { image: 'mongo:8' } });
    const probe = { exec: { command: ['mongosh', '--eval', "rs.initiate({members: [{host: 'mongodb:27017'}]})"] } };
    const objects = [deployment('mongodb', [{ name: 'mongodb', readinessProbe: probe }]), service('mongodb', [27017])];
    expect(auditRuntime(mongo, objects).counts.selfNamedProbes).toBe(1);
    const aliased = [
      deployment('mongodb', [{ name: 'mongodb', readinessProbe: probe }], {
        hostAliases: [{ ip: '127.0.0.1', hostnames: ['mongodb'] }],
      }),
      service('mongodb', [27017]),
    ];
    expect(auditRuntime(mongo, aliased).counts.selfNamedProbes).toBe(0);
  });

  it('a Traefik router rule needs an Ingress backend selecting the pod', () => {
    const t = project({ web: { image: 'whoami', labels: { 'traefik.http.routers.web.rule': 'Host(`a.example`)' } } });
    const objs = [deployment('web', [{ name: 'web' }]), service('web', [80])];
    expect(auditRuntime(t, objs).counts.traefikRulesWithoutRoute).toBe(1);
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('web'),
      spec: {
        rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      },
    } as KubeObject;
    expect(auditRuntime(t, [...objs, ingress]).counts.traefikRulesWithoutRoute).toBe(0);
  });
});

function policy(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(name), spec };
}

describe('PolicySet (NetworkPolicy semantics)', () => {
  const web = { app: 'web', tier: 'front' };
  const db = { app: 'db' };
  const pg = { number: 5432, name: 'tcp-5432', protocol: 'TCP' };

  it('label selectors: matchLabels and the four operators; {} selects all', () => {
    expect(selects({}, db)).toBe(true);
    expect(selects(undefined, db)).toBe(false);
    expect(selects({ matchLabels: { app: 'db' } }, db)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'x'] }] }, db)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] }, db)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, db)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, db)).toBe(true);
  });

  it('no policy selecting a pod leaves it open; a selecting policy admits only what a rule lists', () => {
    expect(new PolicySet([]).allows(web, db, pg)).toBe(true);
    const deny = policy('deny', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(new PolicySet([deny]).allows(web, db, pg)).toBe(false);
    const fromWeb = policy('db', {
      podSelector: { matchLabels: db },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'tcp-5432' }] }],
    });
    const set = new PolicySet([deny, fromWeb]);
    expect(set.allows(web, db, pg)).toBe(true);
    expect(set.allows({ app: 'other' }, db, pg)).toBe(false);
    expect(set.allows(web, db, { ...pg, name: 'other' })).toBe(false);
    expect(set.allows(web, db, { ...pg, protocol: 'UDP' })).toBe(false);
  });

  it('numeric ports with endPort, namespace selectors, ipBlocks, and egress of the source', () => {
    const anyNs = policy('db', {
      podSelector: { matchLabels: db },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 5000, endPort: 6000 }] }],
    });
    expect(new PolicySet([anyNs]).allows(web, db, pg)).toBe(true);
    expect(new PolicySet([anyNs]).allows(web, db, { ...pg, number: 80 })).toBe(false);
    const otherNs = policy('db', {
      podSelector: { matchLabels: db },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }] }],
    });
    expect(new PolicySet([otherNs]).allows(web, db, pg)).toBe(false);
    const cidr = policy('db', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] });
    expect(new PolicySet([cidr]).allows(web, db, pg)).toBe(false);
    const egress = policy('web-out', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'cache' } } }] }],
    });
    expect(new PolicySet([egress]).allows(web, db, pg)).toBe(false);
    expect(new PolicySet([egress]).allows(web, { app: 'cache' }, pg)).toBe(true);
    expect(new PolicySet([egress]).allows(db, web, pg)).toBe(true);
  });
});

describe('auditRuntime: NetworkPolicies', () => {
  const p = project({ app: { image: 'app', environment: { DB: 'postgres://db:5432/x' } }, db: { image: 'postgres' } });
  const objects = [
    deployment('app', [{ name: 'app', env: [{ name: 'DB', value: 'postgres://u@db:5432/x' }] }], {
      initContainers: [{ name: 'wait', command: ['sh', '-c', 'timeout 60 sh -c "until nc -z db 5432; do :; done"'] }],
    }),
    deployment('db', [{ name: 'db', ports: [{ name: 'tcp-5432', containerPort: 5432 }] }]),
    service('db', [5432]),
    policy('deny', { podSelector: {}, policyTypes: ['Ingress'] }),
  ];

  it('a reference and a wait to a Service whose pods a policy closes are dropped connections', () => {
    const a = auditRuntime(p, objects);
    expect(a.counts.blockedByPolicy).toBe(2);
    expect(a.counts.unreachedPeers).toBe(0);
    expect(a.details.filter((d) => d.check === 'blockedByPolicy').map((d) => d.what)).toEqual(['db:5432', 'db:5432']);
  });

  it('a rule admitting the client on the named container port lets it through', () => {
    const allow = policy('db-from-app', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'app' } } }], ports: [{ port: 'tcp-5432' }] }],
    });
    expect(auditRuntime(p, [...objects, allow]).counts.blockedByPolicy).toBe(0);
  });
});

describe('auditRuntime: secrets, claims and co-location', () => {
  const cm = (name: string, data: Record<string, string>): KubeObject =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name), data }) as KubeObject;

  it('a credential-named setting with a literal value in a ConfigMap, inline or in a config file', () => {
    const p = project({ app: { image: 'app' } });
    const bad = [
      cm('env', { DB_PASSWORD: 'hunter22', API_TOKEN: 'abcd1234' }),
      cm('files', { 'app.ini': '[db]\nhost = db\npassword = hunter22\n' }),
    ];
    const a = auditRuntime(p, bad);
    expect(a.counts.credentialsInConfigMaps).toBe(3);
    expect(a.details.map((d) => d.what)).toEqual(['DB_PASSWORD', 'API_TOKEN', 'password']);
    const fine = [
      cm('env', { DB_PASSWORD: '', PASSWORD_FILE: '/run/secrets/db', SECRET: '$(DB_SECRET)', TOKEN_LENGTH: '32' }),
      cm('files', { 'app.ini': 'password = ${DB_PASSWORD}\nsecret: <set-me>\n# password: x\n' }),
    ];
    expect(auditRuntime(p, fine).counts.credentialsInConfigMaps).toBe(0);
  });

  it('a named volume of compose must be a claim mounted at its path', () => {
    const p = project(
      { db: { image: 'postgres', volumes: [{ type: 'volume', source: 'data', target: '/var/lib/postgresql/data' }] } },
      { volumes: { data: { extensions: {} } } },
    );
    const mount = [{ name: 'data', mountPath: '/var/lib/postgresql/data' }];
    const onEmptyDir = [
      deployment('db', [{ name: 'db', volumeMounts: mount }], { volumes: [{ name: 'data', emptyDir: {} }] }),
    ];
    expect(auditRuntime(p, onEmptyDir).counts.namedVolumesOffClaims).toBe(1);
    const onClaim = [
      deployment('db', [{ name: 'db', volumeMounts: mount }], {
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      }),
    ];
    expect(auditRuntime(p, onClaim).counts.namedVolumesOffClaims).toBe(0);
  });

  it('pods of several workloads on one ReadWriteOnce claim must require to be together', () => {
    const p = project({ a: { image: 'a' }, b: { image: 'b' }, c: { image: 'c' } });
    const pvc = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('data'),
      spec: { accessModes: ['ReadWriteOnce'] },
    } as KubeObject;
    const near = (labels: Record<string, string>) => ({
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    });
    const vol = { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] };
    const pod = (name: string, extra: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject => {
      const d = deployment(name, [{ name }], { ...vol, ...extra });
      Object.assign((d.spec as { template: { metadata: { labels: object } } }).template.metadata.labels, labels);
      return d;
    };
    const group = { 'claims-a': 'true' };
    expect(auditRuntime(p, [pvc, pod('a', {}), pod('b', {})]).counts.sharedClaimsApart).toBe(1);
    // only the follower requires affinity: the anchor may move away on the next rollout
    expect(
      auditRuntime(p, [pvc, pod('a', {}), pod('b', { affinity: near({ app: 'a' }) })]).counts.sharedClaimsApart,
    ).toBe(1);
    const together = [
      pvc,
      pod('a', { affinity: near(group) }, group),
      pod('b', { affinity: near(group) }, group),
      pod('c', { affinity: near({ app: 'b' }) }),
    ];
    expect(auditRuntime(p, together).counts.sharedClaimsApart).toBe(0);
  });
});

describe('auditRuntime: users and run-once tasks', () => {
  const claimPod = (image: string, podSecurity: Record<string, unknown> = {}, ports: number[] = []) =>
    deployment(
      'app',
      [
        {
          name: 'app',
          image,
          ports: ports.map((containerPort) => ({ containerPort })),
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
      { securityContext: podSecurity, volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
    );
  const p = project({ app: { image: 'app' } });

  it('a known non-root uid needs fsGroup for its claims and the sysctl for ports below 1024', () => {
    const a = auditRuntime(p, [claimPod('grafana/grafana:11.0.0', {}, [80, 3000])]);
    expect(a.counts.claimsNotWritable).toBe(1);
    expect(a.counts.lowPortsUnbindable).toBe(1);
    expect(a.details.filter((d) => d.check === 'lowPortsUnbindable').map((d) => d.what)).toEqual(['uid 472 serves 80']);
    const fixed = claimPod('grafana/grafana:11.0.0', {
      fsGroup: 472,
      sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
    });
    expect(auditRuntime(p, [fixed]).counts).toMatchObject({ claimsNotWritable: 0, lowPortsUnbindable: 0 });
    // runAsUser decides over the image; root and unknown images are not checked
    expect(auditRuntime(p, [claimPod('app', { runAsUser: 1000 }, [80])]).counts.lowPortsUnbindable).toBe(1);
    expect(auditRuntime(p, [claimPod('grafana/grafana', { runAsUser: 0 }, [80])]).counts.claimsNotWritable).toBe(0);
    expect(auditRuntime(p, [claimPod('nginx', {}, [80])]).counts).toMatchObject({
      claimsNotWritable: 0,
      lowPortsUnbindable: 0,
    });
  });

  it('a service compose runs once must not be retried by its Job', () => {
    const job = (backoffLimit?: number): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('init'),
      spec: {
        ...(backoffLimit !== undefined ? { backoffLimit } : {}),
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'init' }] } },
      },
    });
    const once = project({ init: { image: 'app' } });
    expect(auditRuntime(once, [job()]).counts.runOnceRetried).toBe(1);
    expect(auditRuntime(once, [job(0)]).counts.runOnceRetried).toBe(0);
    const retried = project({ init: { image: 'app', restart: 'on-failure' } });
    expect(auditRuntime(retried, [job()]).counts.runOnceRetried).toBe(0);
  });
});
