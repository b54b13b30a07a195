import { describe, expect, test } from 'vitest';
import { container, obj, pod, run } from '../run.js';
import { convertProject } from '../../../src/index.js';
import { fromYaml } from '../../helpers/project.js';

const xk8s = (v: Record<string, unknown>) => ({ extensions: { 'x-k8s': v } });

describe('service overrides on the pod', () => {
  test('service account, pull secrets, fsGroup, pull policy', () => {
    const r = run(
      {
        web: {
          image: 'x',
          pull_policy: 'always',
          ...xk8s({
            serviceAccount: 'web-sa',
            imagePullSecrets: ['regcred'],
            fsGroup: 2000,
            imagePullPolicy: 'IfNotPresent',
          }),
        },
      },
      {},
      {},
      { secrets: ['regcred'] },
    );
    const p = pod(r, 'web');
    expect(p.serviceAccountName).toBe('web-sa');
    expect(p.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(p.securityContext?.fsGroup).toBe(2000);
    expect(container(r, 'web').imagePullPolicy).toBe('IfNotPresent');
  });

  test('resource quantities given in x-k8s win over the compose ones', () => {
    const r = run({
      web: {
        image: 'x',
        deploy: { resources: { limits: { cpus: 1, memory: 1024 * 1024 * 1024 } } },
        ...xk8s({ resources: { limits: { memory: '768Mi' }, requests: { cpu: '100m', ephemeralStorage: '1Gi' } } }),
      },
    });
    expect(container(r, 'web').resources).toEqual({
      limits: { cpu: '1', memory: '768Mi' },
      // memory: the default request of a limit without a reservation (resources.ts), which x-k8s leaves alone.
      requests: { cpu: '100m', 'ephemeral-storage': '1Gi', memory: '128Mi' },
    });
  });

  test('an x-k8s limit below the default request of a compose limit takes the request down with it', () => {
    const r = run({
      web: {
        image: 'x',
        deploy: { resources: { limits: { cpus: 2, memory: 1024 * 1024 * 1024 } } },
        ...xk8s({ resources: { limits: { cpu: '50m', memory: '64Mi' } } }),
      },
    });
    expect(container(r, 'web').resources).toEqual({
      limits: { cpu: '50m', memory: '64Mi' },
      requests: { cpu: '50m', memory: '64Mi' },
    });
  });

  test('extra init containers run after the start-order waits', () => {
    const r = run({
      db: { image: 'postgres', expose: ['5432'] },
      web: {
        image: 'x',
        depends_on: { db: { condition: 'service_started', required: true, restart: false } },
        ...xk8s({ initContainers: [{ name: 'migrate', image: 'x', command: ['./migrate'] }] }),
      },
    });
    const names = (pod(r, 'web').initContainers ?? []).map((c) => c.name);
    expect(names[names.length - 1]).toBe('migrate');
    expect(names.length).toBe(2);
  });

  test('hpa → HorizontalPodAutoscaler targeting the Deployment', () => {
    const r = run({
      web: {
        image: 'x',
        deploy: { replicas: 2, resources: { reservations: { cpus: 0.25 } } },
        ...xk8s({ hpa: { maxReplicas: 6, cpu: 70 } }),
      },
    });
    expect(obj(r, 'HorizontalPodAutoscaler', 'web').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
    });
    expect(r.diagnostics.some((d) => d.code === 'hpa-without-requests')).toBe(false);
  });

  test('hpa on utilization without requests warns', () => {
    const r = run({ web: { image: 'x', ...xk8s({ hpa: { maxReplicas: 3 } }) } });
    expect(obj(r, 'HorizontalPodAutoscaler', 'web')).toBeDefined();
    expect(r.diagnostics.some((d) => d.code === 'hpa-without-requests' && d.severity === 'warning')).toBe(true);
  });
});

describe('hostPorts', () => {
  test('published single ports bind on the node when asked', () => {
    const r = run({
      web: {
        image: 'x',
        ports: [
          { target: 80, published: '8080' },
          { target: 9000, published: '9000-9001' },
        ],
        ...xk8s({ hostPorts: true }),
      },
    });
    expect(container(r, 'web').ports).toEqual([
      { name: 'tcp-80', containerPort: 80, protocol: 'TCP', hostPort: 8080 },
      { name: 'tcp-9000', containerPort: 9000, protocol: 'TCP' },
    ]);
  });
});

describe('a user init container that loops with no bound', () => {
  // Shaped like kompose's initcontainer example: the user's own wait, kept as written, and said.
  const yaml = (command: string) => `
services:
  web:
    image: nginx
    labels:
      kompose.init.containers.name: "init-myservice"
      kompose.init.containers.image: "busybox:1.28"
      kompose.init.containers.command: '${command}'
`;
  const warns = (command: string) =>
    convertProject(fromYaml(yaml(command))).diagnostics.filter((d) => d.code === 'init-container-unbounded-wait');
  test('is kept and warned about; a bounded one is not', () => {
    expect(warns('["sh", "-c", "until nslookup myservice; do sleep 2; done"]')).toHaveLength(1);
    expect(
      warns('["sh", "-c", "i=0; until nslookup myservice; do i=$((i+1)); [ $i -ge 30 ] && exit 1; sleep 2; done"]'),
    ).toEqual([]);
    expect(warns('["sh", "-c", "timeout 300 sh -c \\"until nslookup myservice; do sleep 2; done\\""]')).toEqual([]);
  });
});
