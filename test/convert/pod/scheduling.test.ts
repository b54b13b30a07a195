import { describe, expect, test } from 'vitest';
import { constraintRequirement } from '../../../src/convert/pod/scheduling.js';
import { container, entry, obj, pod, run } from '../run.js';

const SEL = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'demo' };

describe('deploy.placement', () => {
  test('constraints → required node affinity; arch names translated', () => {
    const r = run({
      web: {
        image: 'x',
        deploy: {
          placement: { constraints: ['node.labels.disk == ssd', 'node.platform.arch==x86_64', 'node.hostname!=old'] },
        },
      },
    });
    expect(pod(r, 'web').affinity?.nodeAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: 'disk', operator: 'In', values: ['ssd'] },
              { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
              { key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['old'] },
            ],
          },
        ],
      },
    });
    expect(entry(r, 'web', 'deploy.placement').status).toBe('converted');
  });

  test('node.role has no equivalent', () => {
    expect(constraintRequirement('node.role==manager')).toContain('no Kubernetes node label');
    const r = run({ web: { image: 'x', deploy: { placement: { constraints: ['node.role==manager'] } } } });
    expect(pod(r, 'web').affinity).toBeUndefined();
    expect(entry(r, 'web', 'deploy.placement').status).toBe('unsupported');
  });

  test('spread preferences → topology spread; max_replicas_per_node 1 → anti-affinity', () => {
    const r = run({
      web: {
        image: 'x',
        deploy: { replicas: 3, placement: { preferences: [{ spread: 'node.labels.zone' }], max_replicas_per_node: 1 } },
      },
    });
    const p = pod(r, 'web');
    expect(p.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: SEL } },
    ]);
    expect(p.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: SEL } },
    ]);
  });
});

describe('deploy.update_config and restart_policy', () => {
  test('start-first → maxSurge = parallelism, maxUnavailable 0', () => {
    const r = run({ web: { image: 'x', deploy: { update_config: { parallelism: 2, order: 'start-first' } } } });
    expect((obj(r, 'Deployment', 'web').spec as { strategy: unknown }).strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 2, maxUnavailable: 0 },
    });
    expect(entry(r, 'web', 'deploy.update_config').status).toBe('converted');
  });

  test('stop-first default; delay is dropped (approximated); DaemonSets get updateStrategy', () => {
    const r = run({ agent: { image: 'x', deploy: { mode: 'global', update_config: { delay: 10_000 } } } });
    expect((obj(r, 'DaemonSet', 'agent').spec as { updateStrategy: unknown }).updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    expect(entry(r, 'agent', 'deploy.update_config').status).toBe('approximated');
  });

  test('restart_policy on-failure is approximated for a Deployment', () => {
    // With a port it stays a Deployment (without one, on-failure makes it a Job: controller.ts).
    const r = run({
      web: {
        image: 'x',
        ports: [{ target: 80 }],
        deploy: { restart_policy: { condition: 'on-failure', max_attempts: 3 } },
      },
    });
    const e = entry(r, 'web', 'deploy.restart_policy');
    expect(e.status).toBe('approximated');
    expect(e.message).toContain('max_attempts');
  });
});

describe('host namespaces, runtime, hooks', () => {
  test('pid/ipc host → hostPID/hostIPC', () => {
    const r = run({ mon: { image: 'x', pid: 'host', ipc: 'host' } });
    expect(pod(r, 'mon').hostPID).toBe(true);
    expect(pod(r, 'mon').hostIPC).toBe(true);
  });

  test('pid: service:X inside the same pod → shareProcessNamespace', () => {
    const r = run({ app: { image: 'x' }, debug: { image: 'y', network_mode: 'service:app', pid: 'service:app' } });
    expect(pod(r, 'app').shareProcessNamespace).toBe(true);
    expect(entry(r, 'debug', 'pid').status).toBe('converted');
  });

  test('userns_mode other than host → hostUsers false; runtime → runtimeClassName', () => {
    const r = run({ web: { image: 'x', userns_mode: 'auto', runtime: 'runsc' } });
    expect(pod(r, 'web').hostUsers).toBe(false);
    expect(pod(r, 'web').runtimeClassName).toBe('runsc');
    expect(entry(r, 'web', 'runtime').fix).toContain('RuntimeClass runsc');
  });

  test('runtime given as a containerd shim type: the handler is a runtime entry name (a DNS label), not the shim', () => {
    const r = run({ etl: { image: 'x', runtime: 'io.containerd.wasmedge.v1' } });
    expect(pod(r, 'etl').runtimeClassName).toBe('io-containerd-wasmedge-v1');
    const e = entry(r, 'etl', 'runtime');
    expect(e.id).toBe('runtime.shim');
    expect(e.fix).toContain('with handler: wasmedge');
    expect(e.fix).not.toContain('handler: io.containerd');
  });

  test('post_start/pre_stop → lifecycle exec; extra hooks reported', () => {
    const r = run({
      web: {
        image: 'x',
        post_start: [{ command: ['./warmup.sh'], user: 'root' }],
        pre_stop: [{ command: 'nginx -s quit' }, { command: ['true'] }],
      },
    });
    expect(container(r, 'web').lifecycle).toEqual({
      postStart: { exec: { command: ['./warmup.sh'] } },
      preStop: { exec: { command: ['sh', '-c', 'nginx -s quit'] } },
    });
    expect(entry(r, 'web', 'post_start').message).toContain('user');
    expect(entry(r, 'web', 'pre_stop').status).toBe('approximated');
  });
});
