import { describe, expect, test } from 'vitest';
import { container, entries, entry, run } from '../run.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('deploy.resources', () => {
  test('limits and reservations → limits and requests', () => {
    const r = run({
      web: {
        image: 'x',
        deploy: {
          resources: { limits: { cpus: 0.5, memory: 512 * MiB }, reservations: { cpus: 0.25, memory: 128 * MiB } },
        },
      },
    });
    expect(container(r, 'web').resources).toEqual({
      limits: { cpu: '500m', memory: '512Mi' },
      requests: { cpu: '250m', memory: '128Mi' },
    });
    expect(entry(r, 'web', 'deploy.resources.limits.cpus').status).toBe('converted');
    expect(r.report.findings.some((f) => f.pitfall === 'no-resource-limits')).toBe(false);
  });

  test('a reservation above its limit is an error at its position; the request is left out', () => {
    const pos = { file: '/project/compose.yaml', line: 12, col: 19 };
    const r = run(
      {
        web: {
          image: 'x',
          deploy: { resources: { limits: { memory: 256 * MiB }, reservations: { memory: 512 * MiB } } },
        },
      },
      {},
      { sources: { 'services/web/deploy/resources/reservations/memory': pos } },
    );
    expect(container(r, 'web').resources).toEqual({ limits: { memory: '256Mi' } });
    const d = r.diagnostics.find((x) => x.code === 'resource-reservation-exceeds-limit');
    expect(d?.severity).toBe('error');
    expect(d?.pos).toEqual(pos);
  });

  test('pids limits are unsupported', () => {
    const r = run({ web: { image: 'x', pids_limit: 100, deploy: { resources: { limits: { pids: 50 } } } } });
    expect(entry(r, 'web', 'pids_limit').status).toBe('unsupported');
    expect(entry(r, 'web', 'deploy.resources.limits.pids').status).toBe('unsupported');
    expect(container(r, 'web').resources).toBeUndefined();
  });
});

describe('legacy keys', () => {
  test('mem_limit, mem_reservation, cpus', () => {
    const r = run({ web: { image: 'x', mem_limit: GiB, mem_reservation: 256 * MiB, cpus: 1.5 } });
    // The cpu limit has no reservation: a small request, not the whole limit Kubernetes would otherwise request.
    expect(container(r, 'web').resources).toEqual({
      limits: { cpu: '1500m', memory: '1Gi' },
      requests: { cpu: '100m', memory: '256Mi' },
    });
    expect(entry(r, 'web', 'cpus')).toMatchObject({ id: 'deploy.resources.default-request', status: 'converted' });
    expect(entry(r, 'web', 'cpus').message).toContain('limits.cpu: 1500m; requests.cpu: 100m');
  });

  test('a limit without a reservation requests a little (the limit when lower), never the whole limit', () => {
    const r = run({
      big: { image: 'x', deploy: { resources: { limits: { cpus: 2, memory: 2 * GiB } } } },
      tiny: { image: 'x', deploy: { resources: { limits: { cpus: 0.05, memory: 64 * MiB } } } },
    });
    expect(container(r, 'big').resources).toEqual({
      limits: { cpu: '2', memory: '2Gi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
    expect(container(r, 'tiny').resources).toEqual({
      limits: { cpu: '50m', memory: '64Mi' },
      requests: { cpu: '50m', memory: '64Mi' },
    });
    expect(entry(r, 'big', 'deploy.resources.limits.memory').message).toMatch(/requests\.memory: 128Mi/);
  });

  test('deploy.resources wins over the legacy key, which is reported ignored', () => {
    const r = run({ web: { image: 'x', cpus: 4, deploy: { resources: { limits: { cpus: 1 } } } } });
    expect(container(r, 'web').resources?.limits).toEqual({ cpu: '1' });
    expect(entry(r, 'web', 'cpus').status).toBe('ignored');
  });

  test('cpu_shares → request (approximated), cpu_quota/cpu_period → limit', () => {
    const r = run({ web: { image: 'x', cpu_shares: 512, cpu_quota: 50_000, cpu_period: 100_000 } });
    expect(container(r, 'web').resources).toEqual({ limits: { cpu: '500m' }, requests: { cpu: '500m' } });
    expect(entry(r, 'web', 'cpu_shares').status).toBe('approximated');
    expect(entry(r, 'web', 'cpu_quota').status).toBe('converted');
  });

  test('memswap_limit is unsupported', () => {
    const r = run({ web: { image: 'x', mem_limit: 512 * MiB, memswap_limit: GiB } });
    expect(entry(r, 'web', 'memswap_limit').status).toBe('unsupported');
    expect(container(r, 'web').resources?.limits).toEqual({ memory: '512Mi' });
  });
});

describe('GPUs', () => {
  test('device reservation with a count → nvidia.com/gpu limit', () => {
    const r = run({
      ml: {
        image: 'x',
        deploy: { resources: { reservations: { devices: [{ driver: 'nvidia', count: 2, capabilities: ['gpu'] }] } } },
      },
    });
    expect(container(r, 'ml').resources).toEqual({ limits: { 'nvidia.com/gpu': '2' } });
    expect(entry(r, 'ml', 'deploy.resources.reservations.devices')).toMatchObject({
      path: 'deploy.resources.reservations.devices[0]',
      id: 'deploy.resources.reservations.devices-count',
      status: 'converted',
    });
  });

  test('NVIDIA driver capabilities become NVIDIA_DRIVER_CAPABILITIES, as Docker sets them (NVENC needs video)', () => {
    // immich's hwaccel nvenc: without the variable the runtime mounts only utility,compute and NVENC fails.
    const devices = [{ driver: 'nvidia', count: 1, capabilities: ['gpu', 'compute', 'video'] }];
    const r = run({
      nvenc: { image: 'x', deploy: { resources: { reservations: { devices } } } },
      own: {
        image: 'x',
        environment: { NVIDIA_DRIVER_CAPABILITIES: 'all' },
        deploy: { resources: { reservations: { devices } } },
      },
      plain: { image: 'x', gpus: [{ count: -1 }] },
    });
    expect(container(r, 'nvenc').env).toEqual([{ name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'compute,video' }]);
    expect(container(r, 'nvenc').resources).toEqual({ limits: { 'nvidia.com/gpu': '1' } });
    const e = entry(r, 'nvenc', 'deploy.resources.reservations.devices');
    expect(e).toMatchObject({ status: 'converted', values: { driverCaps: 'gpu.driver-caps', caps: 'compute,video' } });
    expect(e.message).toContain('env NVIDIA_DRIVER_CAPABILITIES=compute,video');
    // The service's own value stays (envFrom); nothing is added beside it.
    expect(container(r, 'own').env ?? []).not.toContainEqual(
      expect.objectContaining({ name: 'NVIDIA_DRIVER_CAPABILITIES' }),
    );
    expect(entry(r, 'own', 'deploy.resources.reservations.devices').message).toContain(
      'sets NVIDIA_DRIVER_CAPABILITIES itself',
    );
    // `gpu` alone is no driver capability: Docker sets nothing, and so does the converter.
    expect(container(r, 'plain').env).toBeUndefined();
  });

  test('all GPUs (count -1) and `gpus: all` → 1, approximated', () => {
    const r = run({ ml: { image: 'x', gpus: [{ count: -1 }] } });
    expect(container(r, 'ml').resources).toEqual({ limits: { 'nvidia.com/gpu': '1' } });
    const e = entry(r, 'ml', 'gpus');
    expect(e).toMatchObject({ path: 'gpus[0]', id: 'gpus.all', status: 'approximated' });
    expect(e.fix).toContain('count');
  });

  test('device_ids count as that many GPUs; a non-GPU device is unsupported', () => {
    const r = run({
      ml: {
        image: 'x',
        deploy: {
          resources: {
            reservations: { devices: [{ capabilities: ['gpu'], device_ids: ['0', '3'] }, { capabilities: ['tpu'] }] },
          },
        },
      },
    });
    expect(container(r, 'ml').resources?.limits).toEqual({ 'nvidia.com/gpu': '2' });
    expect(entries(r, 'ml', 'deploy.resources.reservations.devices').map((e) => [e.path, e.id, e.status])).toEqual([
      ['deploy.resources.reservations.devices[0]', 'deploy.resources.reservations.devices-ids', 'approximated'],
      ['deploy.resources.reservations.devices[1]', 'deploy.resources.reservations.devices-other', 'unsupported'],
    ]);
  });
});

describe('no-resource-limits finding', () => {
  test('a workload without resources gets the finding with a fix', () => {
    const pos = { file: '/project/compose.yaml', line: 3, col: 3 };
    const r = run({ web: { image: 'x' } }, {}, { sources: { 'services/web': pos } });
    const f = r.report.findings.find((x) => x.pitfall === 'no-resource-limits');
    expect(f?.object).toBe('Deployment/web');
    expect(f?.fix).toContain('deploy: { resources: { limits:');
    expect(f?.pos).toEqual(pos);
  });
});

describe('cpu_period bookkeeping', () => {
  test('cpu_period is ignored when deploy.resources.limits.cpus wins over cpu_quota', () => {
    const r = run({
      web: { image: 'x', cpu_quota: 50_000, cpu_period: 100_000, deploy: { resources: { limits: { cpus: 2 } } } },
    });
    expect(container(r, 'web').resources?.limits).toEqual({ cpu: '2' });
    expect(entry(r, 'web', 'cpu_quota').status).toBe('ignored');
    expect(entry(r, 'web', 'cpu_period').status).toBe('ignored');
  });
});

describe('CPU amounts finer than a millicore', () => {
  test('cpus "0.000001" and "0.0004": rounded to 1m and reported approximated; 1.1 stays converted; no false reservation error', async () => {
    const { fromYaml } = await import('../../helpers/project.js');
    const { convertProject } = await import('../../../src/index.js');
    const { expectValid } = await import('../../helpers/validate.js');
    const p = fromYaml(`
services:
  sidecar:
    image: busybox
    command: ["sleep", "infinity"]
    deploy:
      resources:
        limits: { cpus: "0.000001", memory: 16M }
        reservations: { cpus: "0.0004" }
  api:
    image: ghcr.io/acme/api:1
    deploy:
      resources:
        limits: { cpus: "1.1" }
`);
    const r = convertProject(p, {});
    expectValid(r.objects);
    expect(r.diagnostics.filter((d) => d.code === 'resource-reservation-exceeds-limit')).toEqual([]);
    expect(container(r, 'sidecar').resources).toEqual({
      limits: { cpu: '1m', memory: '16Mi' },
      requests: { cpu: '1m', memory: '16Mi' },
    });
    const lim = entry(r, 'sidecar', 'deploy.resources.limits.cpus');
    expect(lim).toMatchObject({ id: 'deploy.resources.limits.cpus-rounded', status: 'approximated' });
    expect(lim.message).toMatch(/0\.000001 CPUs rounded: Kubernetes counts CPU in whole millicores/);
    expect(entry(r, 'sidecar', 'deploy.resources.reservations.cpus').status).toBe('approximated');
    expect(container(r, 'api').resources).toEqual({ limits: { cpu: '1100m' }, requests: { cpu: '100m' } });
    expect(entry(r, 'api', 'deploy.resources.limits.cpus')).toMatchObject({
      id: 'deploy.resources.default-request',
      earlier: [{ id: 'deploy.resources.limits.cpus-set' }],
      status: 'converted',
    });
  });
});
