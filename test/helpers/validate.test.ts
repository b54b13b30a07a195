import { describe, expect, it } from 'vitest';
import { expectValid, validateObjects } from './validate.js';
import { parseQuantity } from './validate-data.js';

type O = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are mutated freely

function base(): O[] {
  const webLabels = { 'app.kubernetes.io/name': 'web' };
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-env' }, data: { MODE: 'prod' } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'web-secret' },
      type: 'Opaque',
      stringData: { TOKEN: 'x' },
      data: { 'ca.crt': 'aGVsbG8=' },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'web-data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: webLabels },
      spec: {
        replicas: 2,
        selector: { matchLabels: webLabels },
        template: {
          metadata: { labels: { ...webLabels, tier: 'front' } },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'nginx:1.27',
                imagePullPolicy: 'IfNotPresent',
                ports: [
                  { name: 'http', containerPort: 80, protocol: 'TCP' },
                  { name: 'metrics', containerPort: 9090 },
                ],
                env: [
                  { name: 'LOG_LEVEL', value: 'info' },
                  { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'TOKEN' } } },
                  { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'web-env', key: 'MODE' } } },
                  { name: 'URL', value: 'https://u:$(TOKEN)@api/$(MODE)?p=$$(LITERAL)' },
                ],
                envFrom: [{ configMapRef: { name: 'web-env' } }],
                args: ['--token', '$(TOKEN)', '--url=$(URL)'],
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'conf', mountPath: '/etc/conf', readOnly: true },
                ],
                readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
                resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1, memory: '0.125Gi' } },
              },
            ],
            volumes: [
              { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
              { name: 'conf', configMap: { name: 'web-env' } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: {
        selector: webLabels,
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'metrics', port: 9090, targetPort: 9090 },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: {
        rules: [
          {
            host: 'example.com',
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
            },
          },
        ],
      },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web' },
      spec: {
        parentRefs: [{ name: 'gw', namespace: 'infra' }],
        hostnames: ['example.com'],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ name: 'web', port: 80 }],
          },
        ],
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 3,
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db' },
      spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: {
            containers: [
              {
                name: 'db',
                image: 'postgres:16',
                ports: [{ containerPort: 5432 }],
                volumeMounts: [{ name: 'pgdata', mountPath: '/var/lib/postgresql/data' }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'pgdata' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'OnFailure',
            containers: [{ name: 'migrate', image: 'app:1', command: ['sh', '-c', 'true'] }],
          },
        },
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'backup', image: 'app:1' }] } } },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: {
            containers: [
              { name: 'agent', image: 'agent:1', ports: [{ containerPort: 8125, hostPort: 8125, protocol: 'UDP' }] },
            ],
          },
        },
      },
    },
  ];
}

const find = (objs: O[], kind: string, name: string): O => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} not in fixture`);
  return o;
};
const web = (objs: O[]): O => find(objs, 'Deployment', 'web');
const webPod = (objs: O[]): O => web(objs).spec.template.spec;
const webC = (objs: O[]): O => webPod(objs).containers[0];

describe('validateObjects: valid input', () => {
  it('accepts the hand-written project', () => {
    expect(validateObjects(base())).toEqual([]);
    expect(() => expectValid(base())).not.toThrow();
  });
  it('accepts references to objects declared external', () => {
    const objs = base().filter((o) => o.kind !== 'Secret');
    expect(validateObjects(objs, { secrets: ['web-secret'] })).toEqual([]);
  });
  it('accepts a kubectl wait for Jobs by name or by labels that a Job of the set has', () => {
    const objs = base();
    find(objs, 'Job', 'migrate').metadata.labels = { app: 'migrate', tier: 'jobs' };
    webPod(objs).initContainers = [
      { name: 'a', image: 'kubectl', args: ['wait', '--for=condition=complete', 'job/migrate'] },
      { name: 'b', image: 'kubectl', args: ['wait', '--for=condition=complete', 'job', '--selector=app=migrate'] },
    ];
    expect(validateObjects(objs)).toEqual([]);
  });
  it('accepts optional references to missing objects', () => {
    const objs = base().filter((o) => o.kind !== 'Secret');
    webC(objs).env[1].valueFrom.secretKeyRef.optional = true;
    expect(validateObjects(objs)).toEqual([]);
  });
});

const broken: Array<[string, (objs: O[]) => unknown, RegExp]> = [
  [
    'unknown kind',
    (o) => o.push({ apiVersion: 'v1', kind: 'Frobnicator', metadata: { name: 'x' } }),
    /unknown kind v1 Frobnicator/,
  ],
  [
    'unknown field deep in a container',
    (o) => (webC(o).imagePullPolicyy = 'Always'),
    /unknown field "imagePullPolicyy"/,
  ],
  ['unknown top-level field', (o) => (web(o).specs = {}), /unknown field "specs"/],
  ['unknown field in metadata', (o) => (web(o).metadata.label = {}), /unknown field "label"/],
  ['schema type error (string port)', (o) => (webC(o).ports[0].containerPort = '80'), /schema: must be integer/],
  [
    'schema: missing required container name',
    (o) => delete find(o, 'Job', 'migrate').spec.template.spec.containers[0].name,
    /schema: .*name|DNS-1123 label/,
  ],
  [
    'name not a DNS subdomain',
    (o) => (find(o, 'ConfigMap', 'web-env').metadata.name = 'Web_Env'),
    /not a DNS-1123 subdomain/,
  ],
  [
    'Service name must be DNS-1035 (no leading digit)',
    (o) => (find(o, 'Service', 'db').metadata.name = '1db'),
    /DNS-1035/,
  ],
  [
    'CronJob name longer than 52',
    (o) => (find(o, 'CronJob', 'backup').metadata.name = 'b'.repeat(53)),
    /longer than 52/,
  ],
  ['invalid label key', (o) => (web(o).metadata.labels['bad key'] = 'x'), /not a qualified name/],
  ['invalid label value', (o) => (web(o).metadata.labels.x = 'a'.repeat(64)), /longer than 63/],
  ['container port 0', (o) => (webC(o).ports[1].containerPort = 0), /not in 1-65535/],
  ['container port above 65535', (o) => (webC(o).ports[1].containerPort = 70000), /not in 1-65535/],
  ['container port name longer than 15', (o) => (webC(o).ports[1].name = 'metrics-endpoint'), /1-15 characters/],
  ['duplicate container port name', (o) => (webC(o).ports[1].name = 'http'), /duplicate port name "http"/],
  ['Service port out of range', (o) => (find(o, 'Service', 'web').spec.ports[1].port = 65536), /not in 1-65535/],
  [
    'duplicate Service port name',
    (o) => (find(o, 'Service', 'web').spec.ports[1].name = 'http'),
    /duplicate Service port name/,
  ],
  ['unnamed port in a multi-port Service', (o) => delete find(o, 'Service', 'web').spec.ports[1].name, /must be named/],
  ['invalid env var name', (o) => (webC(o).env[0].name = '1 LOG'), /env var name/],
  ['invalid volume name', (o) => (webPod(o).volumes[1].name = 'Conf'), /not a DNS-1123 label/],
  ['duplicate volume name', (o) => (webPod(o).volumes[1].name = 'data'), /duplicate volume name/],
  ['volumeMount of a missing volume', (o) => (webC(o).volumeMounts[1].name = 'nope'), /unknown volume "nope"/],
  ['duplicate mountPath', (o) => (webC(o).volumeMounts[1].mountPath = '/data'), /mountPath \/data is used twice/],
  [
    'selector not in template labels',
    (o) => (web(o).spec.selector.matchLabels.extra = 'y'),
    /does not match the template labels/,
  ],
  [
    'Service selector matching nothing',
    (o) => (find(o, 'Service', 'web').spec.selector = { app: 'ghost' }),
    /matches no workload/,
  ],
  [
    'Service targetPort name not a container port',
    (o) => (find(o, 'Service', 'web').spec.ports[0].targetPort = 'https'),
    /targetPort "https" is not a container port name/,
  ],
  [
    'missing ConfigMap in envFrom',
    (o) => (webC(o).envFrom[0].configMapRef.name = 'other'),
    /ConfigMap "other" does not exist/,
  ],
  [
    'missing Secret in secretKeyRef',
    (o) => (webC(o).env[1].valueFrom.secretKeyRef.name = 'nope'),
    /Secret "nope" does not exist/,
  ],
  ['missing key in a ConfigMap', (o) => (webC(o).env[2].valueFrom.configMapKeyRef.key = 'NOPE'), /has no key "NOPE"/],
  [
    'missing PVC',
    (o) => (webPod(o).volumes[0].persistentVolumeClaim.claimName = 'gone'),
    /PersistentVolumeClaim "gone" does not exist/,
  ],
  [
    'missing ConfigMap volume',
    (o) => (webPod(o).volumes[1].configMap.name = 'gone'),
    /ConfigMap "gone" does not exist/,
  ],
  [
    'Ingress backend to a missing Service',
    (o) => (find(o, 'Ingress', 'web').spec.rules[0].http.paths[0].backend.service.name = 'api'),
    /Service "api" does not exist/,
  ],
  [
    'Ingress backend to a missing port',
    (o) => (find(o, 'Ingress', 'web').spec.rules[0].http.paths[0].backend.service.port.number = 81),
    /has no port 81/,
  ],
  [
    'duplicate kind/name',
    (o) => o.push(structuredClone(find(o, 'ConfigMap', 'web-env'))),
    /duplicate ConfigMap "web-env"/,
  ],
  [
    'Job with restartPolicy Always',
    (o) => (find(o, 'Job', 'migrate').spec.template.spec.restartPolicy = 'Always'),
    /restartPolicy Never or OnFailure/,
  ],
  [
    'Job without restartPolicy',
    (o) => delete find(o, 'Job', 'migrate').spec.template.spec.restartPolicy,
    /restartPolicy Never or OnFailure/,
  ],
  [
    'CronJob with restartPolicy Always',
    (o) => (find(o, 'CronJob', 'backup').spec.jobTemplate.spec.template.spec.restartPolicy = 'Always'),
    /restartPolicy Never or OnFailure/,
  ],
  ['Deployment with restartPolicy Never', (o) => (webPod(o).restartPolicy = 'Never'), /restartPolicy Always/],
  [
    'StatefulSet serviceName missing',
    (o) => (find(o, 'StatefulSet', 'db').spec.serviceName = 'database'),
    /Service "database" does not exist/,
  ],
  ['StatefulSet serviceName not headless', (o) => delete find(o, 'Service', 'db').spec.clusterIP, /is not headless/],
  [
    'HPA target missing',
    (o) => (find(o, 'HorizontalPodAutoscaler', 'web').spec.scaleTargetRef.name = 'api'),
    /scale target Deployment "api" does not exist/,
  ],
  ['probe on an unknown named port', (o) => (webC(o).readinessProbe.httpGet.port = 'admin'), /probe port "admin"/],
  ['container without image', (o) => delete webC(o).image, /image is required/],
  [
    'duplicate hostPort',
    (o) =>
      find(o, 'DaemonSet', 'agent').spec.template.spec.containers[0].ports.push({
        containerPort: 8126,
        hostPort: 8125,
        protocol: 'UDP',
      }),
    /hostPort .* used twice/,
  ],
  ['volume with two sources', (o) => (webPod(o).volumes[1].emptyDir = {}), /exactly one source/],
  [
    'nodePort on a ClusterIP Service',
    (o) => (find(o, 'Service', 'web').spec.ports[0].nodePort = 30080),
    /nodePort needs type NodePort/,
  ],
  ['malformed quantity', (o) => (webC(o).resources.limits.memory = '128MB'), /"128MB" is not a quantity/],
  ['request above limit', (o) => (webC(o).resources.requests.memory = '256Mi'), /request 256Mi is above the limit/],
  [
    'claim without storage request',
    (o) => delete find(o, 'PersistentVolumeClaim', 'web-data').spec.resources,
    /needs resources.requests.storage/,
  ],
  [
    'claim template without accessModes',
    (o) => delete find(o, 'StatefulSet', 'db').spec.volumeClaimTemplates[0].spec.accessModes,
    /needs accessModes/,
  ],
  [
    'ConfigMap key with a slash',
    (o) => (find(o, 'ConfigMap', 'web-env').data['conf/app.ini'] = 'x'),
    /key "conf\/app.ini" must be/,
  ],
  [
    'HTTPRoute backend to a missing Service',
    (o) => (find(o, 'HTTPRoute', 'web').spec.rules[0].backendRefs[0].name = 'api'),
    /HTTPRoute\/web \/spec\/rules\/0\/backendRefs\/0\/name: Service "api" does not exist/,
  ],
  [
    'HTTPRoute backend to a port the Service lacks',
    (o) => (find(o, 'HTTPRoute', 'web').spec.rules[0].backendRefs[0].port = 81),
    /Service "web" has no port 81/,
  ],
  [
    'HTTPRoute backend to a Service port by name',
    (o) => (find(o, 'HTTPRoute', 'web').spec.rules[0].backendRefs[0].port = 'http'),
    /backendRefs\/0\/port: schema: must be integer/,
  ],
  [
    'HTTPRoute Service backend without a port',
    (o) => delete find(o, 'HTTPRoute', 'web').spec.rules[0].backendRefs[0].port,
    /Must have port for Service reference/,
  ],
  [
    'HTTPRoute URLRewrite ReplacePrefixMatch on an Exact match',
    (o) => {
      const rule = find(o, 'HTTPRoute', 'web').spec.rules[0];
      rule.matches[0].path.type = 'Exact';
      rule.filters = [
        { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
      ];
    },
    /exactly one PathPrefix match must be specified/,
  ],
  [
    'HTTPRoute RequestRedirect with backendRefs',
    (o) =>
      (find(o, 'HTTPRoute', 'web').spec.rules[0].filters = [
        { type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } },
      ]),
    /RequestRedirect filter must not be used together with backendRefs/,
  ],
  [
    'HTTPRoute with a repeated header modifier',
    (o) =>
      (find(o, 'HTTPRoute', 'web').spec.rules[0].filters = [
        { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['x-a'] } },
        { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['x-b', 'x-b'] } },
      ]),
    /RequestHeaderModifier filter cannot be repeated[^]*Duplicate value/,
  ],
  [
    'HTTPRoute filter without the field of its type',
    (o) =>
      (find(o, 'HTTPRoute', 'web').spec.rules[0].filters = [
        { type: 'URLRewrite', requestHeaderModifier: { remove: ['x-a'] } },
      ]),
    /filter.requestHeaderModifier must be nil[^]*filter.urlRewrite must be specified/,
  ],
  [
    'HTTPRoute with an Ingress-style field',
    (o) => (find(o, 'HTTPRoute', 'web').spec.rules[0].matches[0].path.pathType = 'Prefix'),
    /unknown field "pathType"/,
  ],
  [
    'HTTPRoute path type an HTTPRoute does not know',
    (o) => (find(o, 'HTTPRoute', 'web').spec.rules[0].matches[0].path.type = 'Prefix'),
    /path\/type: schema: must be equal to one of the allowed values/,
  ],
  [
    'HTTPRoute path with a dot segment',
    (o) => (find(o, 'HTTPRoute', 'web').spec.rules[0].matches[0].path.value = '/a/../b'),
    /value must not contain \/..\//,
  ],
  [
    'HTTPRoute relative path',
    (o) => (find(o, 'HTTPRoute', 'web').spec.rules[0].matches[0].path.value = 'api'),
    /must be an absolute path/,
  ],
  [
    'HTTPRoute upper-case hostname',
    (o) => (find(o, 'HTTPRoute', 'web').spec.hostnames = ['Example.com']),
    /hostnames\/0: schema: must match pattern/,
  ],
  ['HTTPRoute without a Gateway', (o) => (find(o, 'HTTPRoute', 'web').spec.parentRefs = []), /attaches to no Gateway/],
  [
    'HTTPRoute backend in another namespace',
    (o) => (find(o, 'HTTPRoute', 'web').spec.rules[0].backendRefs[0].namespace = 'other'),
    /needs a ReferenceGrant/,
  ],
  [
    'Secret data not base64',
    (o) => (find(o, 'Secret', 'web-secret').data['ca.crt'] = 'not base64!'),
    /not valid base64/,
  ],
  [
    'ConfigMap above 1 MiB',
    (o) => (find(o, 'ConfigMap', 'web-env').data.big = 'x'.repeat(1024 * 1024)),
    /above the 1 MiB limit/,
  ],
  ['invalid imagePullPolicy', (o) => (webC(o).imagePullPolicy = 'Sometimes'), /invalid imagePullPolicy/],
  [
    'an env value using a variable defined after it (Kubernetes leaves it unexpanded)',
    (o) => webC(o).env.unshift({ name: 'EARLY', value: 'x$(URL)' }),
    /\$\(URL\) is not defined before env EARLY/,
  ],
  ['an argument using an undefined variable', (o) => webC(o).args.push('$(NOPE)'), /\$\(NOPE\) is not defined/],
  [
    'a kubectl wait for a Job that does not exist',
    (o) => (webPod(o).initContainers = [{ name: 'w', image: 'kubectl', args: ['wait', 'job/ghost'] }]),
    /Job "ghost" does not exist/,
  ],
  [
    'a kubectl wait for Jobs of labels no Job has',
    (o) => (webPod(o).initContainers = [{ name: 'w', image: 'kubectl', args: ['wait', 'job', '--selector=app=x'] }]),
    /no Job has the labels app=x/,
  ],
];

describe('validateObjects: each broken variant is caught', () => {
  it.each(broken)('%s', (_name, mutate, expected) => {
    const objs = base();
    mutate(objs);
    const issues = validateObjects(objs);
    const text = issues.map((i) => `${i.object} ${i.path}: ${i.message}`).join('\n');
    expect(text).toMatch(expected);
    expect(() => expectValid(objs)).toThrow(/validation issue/);
  });
});

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['1', 1],
    [2, 2],
    ['1Ki', 1024],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1e3', 1000],
    ['100M', 1e8],
    ['.5', 0.5],
  ] as const)('%s → %s', (q, v) => {
    expect(parseQuantity(q)).toBeCloseTo(v);
  });
  it.each(['1 Gi', '1GB', 'Gi', '', '1.2.3', '--1'])('rejects %j', (q) => {
    expect(parseQuantity(q)).toBeUndefined();
  });
});

describe('issue locations', () => {
  it('names the object and the JSON pointer of the bad field', () => {
    const objs = base();
    webC(objs).imagePullPolicyy = 'Always';
    expect(validateObjects(objs)).toContainEqual({
      object: 'Deployment/web',
      path: '/spec/template/spec/containers/0/imagePullPolicyy',
      message: 'unknown field "imagePullPolicyy"',
    });
  });
});
