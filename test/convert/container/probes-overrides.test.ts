/** Probe overrides (kompose.service.healthcheck.* labels, x-k8s.probes) on top of the healthcheck-derived probes. */
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import { expectValid } from '../../helpers/validate.js';

function run(yaml: string) {
  const r = convert({ files: ['compose.yaml'], workingDir: '/p', fs: memoryFs({ '/p/compose.yaml': yaml }) });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(r.objects);
  const dep = r.objects.find((o) => o.kind === 'Deployment')!;
  const c = (dep as unknown as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec
    .containers[0]!;
  return { c, r, entries: r.report!.entries };
}

describe('probe overrides', () => {
  it('kompose tcp_port labels replace the default probe; timing from the healthcheck, readiness timing from labels', () => {
    const { c, entries } = run(`services:
  s:
    image: mongo
    ports: ["27017"]
    healthcheck: { interval: 10s, timeout: 1s, retries: 5 }
    labels:
      kompose.service.healthcheck.liveness.tcp_port: 8080
      kompose.service.healthcheck.readiness.tcp_port: 9090
      kompose.service.healthcheck.readiness.interval: 7s
      kompose.service.healthcheck.readiness.retries: 2
`);
    expect(c.readinessProbe).toEqual({
      tcpSocket: { port: 9090 },
      periodSeconds: 7,
      timeoutSeconds: 1,
      failureThreshold: 2,
    });
    // liveness keeps compose2k8s's policy: twice the healthcheck retries
    expect(c.livenessProbe).toEqual({
      tcpSocket: { port: 8080 },
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 10,
    });
    const e = entries.find((x) => x.key === 'labels.kompose.service.healthcheck.readiness.tcp_port')!;
    expect(e).toMatchObject({
      service: 's',
      id: 'labels.kompose.probe-set',
      status: 'converted',
      objects: ['Deployment/s'],
    });
    expect(e.pos?.line).toBe(8);
    expect(entries.find((x) => x.key === 'healthcheck')?.status).toBe('converted');
  });

  it('http label without a port uses the first TCP port and path; an exec test label is shell-split', () => {
    const { c } = run(`services:
  s:
    image: app
    ports: ["8080:80"]
    labels:
      kompose.service.healthcheck.readiness.http_get_path: /ready
      kompose.service.healthcheck.liveness.test: pg_isready -U app
`);
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 80 } });
    expect(c.livenessProbe).toEqual({ exec: { command: ['pg_isready', '-U', 'app'] } });
  });

  it('x-k8s timing without an action tunes the healthcheck probe; disabled removes it; startup is added', () => {
    const { c, entries } = run(`services:
  s:
    image: app
    ports: ["80"]
    healthcheck: { test: ["CMD", "check"], interval: 30s }
    x-k8s:
      probes:
        readiness: { period: 5s, initialDelay: 3s }
        liveness: false
        startup: { tcp: 80, failureThreshold: 30 }
`);
    expect(c.readinessProbe).toEqual({
      exec: { command: ['check'] },
      periodSeconds: 5,
      timeoutSeconds: 30,
      failureThreshold: 3,
      initialDelaySeconds: 3,
    });
    expect(c.livenessProbe).toBeUndefined();
    // the healthcheck's startupProbe (its timing: interval, timeout) gets the given action and threshold
    expect(c.startupProbe).toEqual({
      tcpSocket: { port: 80 },
      periodSeconds: 30,
      timeoutSeconds: 30,
      failureThreshold: 30,
    });
    expect(entries.find((x) => x.path === 'x-k8s.probes.liveness')).toMatchObject({
      id: 'x-k8s.probes-disabled',
      status: 'converted',
      message: 'no livenessProbe (disabled)',
    });
  });

  it('readiness disabled: no default probe; timing alone with nothing to tune is reported ignored', () => {
    const { c, entries } = run(`services:
  s:
    image: app
    ports: ["80"]
    labels:
      kompose.service.healthcheck.readiness.disable: "true"
      kompose.service.healthcheck.liveness.interval: 5s
`);
    expect(c.readinessProbe).toBeUndefined();
    expect(c.livenessProbe).toBeUndefined();
    expect(entries.find((x) => x.path === 'labels.kompose.service.healthcheck.liveness.interval')).toMatchObject({
      id: 'labels.kompose.probe-timing-only',
      status: 'ignored',
    });
    expect(entries.find((x) => x.key === 'labels.kompose.service.healthcheck.readiness.disable')?.message).toBe(
      'no readinessProbe (disabled)',
    );
  });

  it('tcp probe without a port on a service without ports is unsupported, not invalid output', () => {
    const { c, entries } = run(`services:
  s:
    image: app
    x-k8s: { probes: { readiness: { tcp: { port: 81 } }, liveness: { http: /h } } }
`);
    expect(c.readinessProbe).toEqual({ tcpSocket: { port: 81 } });
    expect(c.livenessProbe).toBeUndefined();
    expect(entries.find((x) => x.path === 'x-k8s.probes.liveness')).toMatchObject({
      id: 'x-k8s.probes-invalid',
      status: 'unsupported',
    });
  });

  it('settings that replace the probes take the healthcheck: disabled, unconvertible or without test, no default probe', () => {
    const entry = (healthcheck: string) => {
      const { c, entries } = run(`services:
  s:
    image: app
    ports: ["8080:80"]
    healthcheck: ${healthcheck}
    x-k8s: { probes: { readiness: { tcp: 80 } } }
`);
      return { c, e: entries.find((x) => x.key === 'healthcheck') };
    };
    const disabled = entry('{ disable: true }');
    expect(disabled.e?.id).toBe('healthcheck.disabled-overridden');
    expect(disabled.c.readinessProbe).toMatchObject({ tcpSocket: { port: 80 } });
    const timing = entry('{ interval: 7s }');
    expect(timing.e?.id).toBe('healthcheck.timing-only');
    expect(timing.c.readinessProbe).toMatchObject({ tcpSocket: { port: 80 }, periodSeconds: 7 });
    expect(timing.c.livenessProbe).toBeUndefined();
    const odd = entry('{ test: ["NONE", "x"] }');
    expect(odd.c.livenessProbe).toBeUndefined();
    expect(odd.c.readinessProbe).toEqual(expect.objectContaining({ tcpSocket: { port: 80 } }));
    const derived = entry('{ test: ["CMD", "check"], interval: 5s }');
    expect(derived.c.livenessProbe).toMatchObject({ exec: { command: ['check'] }, periodSeconds: 5 });
    expect(derived.c.readinessProbe).toMatchObject({ tcpSocket: { port: 80 }, periodSeconds: 5 });
  });
});
