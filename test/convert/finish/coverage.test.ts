import { describe, expect, it } from 'vitest';
import { ConvertContext } from '../../../src/convert/context.js';
import { TEXTS } from '../../../src/mappings/texts.js';
import { defaultOptions } from '../../../src/convert/intent/options.js';
import { memoryFs } from '../../../src/load/fs.js';
import { loadProject } from '../../../src/index.js';
import { finishReport, isEmptyDefault } from '../../../src/convert/finish/coverage.js';
import { withDialects } from '../../helpers/dialects.js';

const COMPOSE = `version: "3.8"
services:
  web:
    image: nginx:1.25
    container_name: my-web
    stop_signal: SIGINT
    deploy:
      replicas: 2
      placement:
        constraints: [node.role == manager]
      resources:
        limits: {cpus: "0.5"}
        reservations: {memory: 64M}
    ulimits:
      nofile: 1024
    volumes: [data:/data]
    networks: [back]
    x-custom: 1
  worker:
    image: busybox
    profiles: [jobs]
volumes:
  data:
    driver: local
    driver_opts: {type: nfs}
  unused: {}
networks:
  back:
    internal: true
x-common: &c {a: 1}
`;

function context(): ConvertContext {
  const res = loadProject({ workingDir: '/p', fs: memoryFs({ '/p/compose.yaml': COMPOSE }), env: {} });
  expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return withDialects(new ConvertContext(res.project!, defaultOptions(), undefined, undefined, TEXTS));
}

describe('finishReport', () => {
  // No conversion step ran on this context, so keys the table maps (converted/approximated) were not
  // handled: they must not be claimed as converted.
  it('adds a table entry for every key nobody reported, with its position', () => {
    const ctx = context();
    const report = finishReport(ctx);
    const keys = report.entries.map((e) => `${e.service ?? '-'}:${e.key}:${e.status}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'web:image:unsupported',
        'web:container_name:ignored',
        'web:stop_signal:unsupported',
        'web:ulimits:unsupported',
        'web:deploy.replicas:unsupported',
        'web:deploy.placement:unsupported',
        'web:deploy.resources.limits:unsupported',
        'web:deploy.resources.reservations:unsupported',
        '-:version:ignored',
        '-:volumes.data:unsupported',
        '-:volumes.data.driver:unsupported',
        '-:volumes.data.driver_opts:unsupported',
        '-:networks.back:unsupported',
        '-:networks.back.internal:unsupported',
        '-:x-common:ignored',
        '-:volumes.unused:ignored',
        'worker:profiles:ignored',
      ]),
    );
    // Parents of expanded keys, extensions and empty defaults get no entry of their own.
    expect(keys.some((k) => k.startsWith('web:deploy:') || k.startsWith('web:deploy.resources:'))).toBe(false);
    expect(keys.some((k) => k.includes('x-custom') || k.includes(':name:') || k.includes(':environment:'))).toBe(false);
    expect(keys.some((k) => k.startsWith('worker:networks') || k.includes('networks.default'))).toBe(false);
    const image = report.entries.find((e) => e.key === 'image')!;
    expect(image.id === 'report.unhandled').toBe(true);
    expect(image.fix).toMatch(/not converted in this case/);
    expect(report.entries.find((e) => e.key === 'container_name')!.id === 'report.unhandled').toBe(false);
    const stop = report.entries.find((e) => e.key === 'stop_signal')!;
    expect(stop.pos).toMatchObject({ line: 6 });
    expect(stop.pos!.file).toMatch(/compose\.yaml$/);
    expect(stop.fix).toMatch(/preStop|STOPSIGNAL/);
    const placement = report.entries.find((e) => e.key === 'deploy.placement')!;
    expect(placement.pos).toMatchObject({ line: 9 });
    expect(report.entries.find((e) => e.key === 'worker' || e.service === 'worker')!.message).toMatch(/jobs/);
  });

  it('keeps what modules reported and does not duplicate it', () => {
    const ctx = context();
    ctx.outcome('web', 'stop_signal', 'service.stop_signal');
    ctx.outcome('web', 'deploy.replicas', 'service.deploy.replicas', {}, { objects: ['Deployment/web'] });
    ctx.outcome(undefined, 'volumes.data', 'top.volumes', {}, { objects: ['PersistentVolumeClaim/data'] });
    const report = finishReport(ctx);
    const stops = report.entries.filter((e) => e.service === 'web' && e.key === 'stop_signal');
    expect(stops).toHaveLength(1);
    expect(stops[0]!.id).toBe('service.stop_signal');
    expect(report.entries.filter((e) => e.key === 'deploy.replicas')).toHaveLength(1);
    // A sibling nobody reported is still filled in.
    expect(report.entries.filter((e) => e.key === 'deploy.placement')).toHaveLength(1);
    expect(report.entries.filter((e) => e.key === 'volumes.data')).toHaveLength(1);
    expect(report.entries.filter((e) => e.key === 'volumes.data.driver')).toHaveLength(1);
  });

  it('does not expand a parent a module reported as a whole', () => {
    const ctx = context();
    ctx.outcome('web', 'deploy', 'service.deploy');
    const keys = finishReport(ctx)
      .entries.filter((e) => e.service === 'web')
      .map((e) => e.key);
    expect(keys.filter((k) => k.startsWith('deploy'))).toEqual(['deploy']);
  });

  it('counts the summary over all entries and orders top-level first, then services', () => {
    const ctx = context();
    ctx.outcome('web', 'image', 'service.image');
    const report = finishReport(ctx);
    const total = Object.values(report.summary).reduce((a, b) => a + b, 0);
    expect(total).toBe(report.entries.length);
    expect(report.summary.unsupported).toBe(report.entries.filter((e) => e.status === 'unsupported').length);
    expect(report.project).toBe('p');
    const firstService = report.entries.findIndex((e) => e.service !== undefined);
    expect(report.entries.slice(firstService).every((e) => e.service !== undefined)).toBe(true);
    const webKeys = report.entries.filter((e) => e.service === 'web').map((e) => e.key);
    expect(webKeys).toEqual([...webKeys].sort());
  });

  it('treats loader defaults as absent', () => {
    expect(isEmptyDefault('environment', {})).toBe(true);
    expect(isEmptyDefault('ports', [])).toBe(true);
    expect(isEmptyDefault('networks', { default: {} })).toBe(true);
    expect(isEmptyDefault('networks', { default: { aliases: ['x'] } })).toBe(false);
    expect(isEmptyDefault('networks', { front: {} })).toBe(false);
    expect(isEmptyDefault('command', null)).toBe(false);
    expect(isEmptyDefault('privileged', false)).toBe(false);
  });
});
