/**
 * Day 2: a compose edit that only changes a service's environment or a config file changes a ConfigMap/Secret, which
 * `kubectl apply` updates without restarting a pod. The pod template's config hash makes the apply roll the pods.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_HASH } from '../../src/kube/config-hash.js';
import { renderHelmChart } from '../../src/render/helm/chart.js';
import { renderKustomize } from '../../src/render/kustomize.js';
import type { ServiceInput } from '../helpers/project.js';
import { run, template } from '../convert/run.js';

const hashOf = (services: Record<string, ServiceInput>, name = 'web', kind = 'Deployment'): string | undefined =>
  template(run(services), name, kind).metadata.annotations?.[CONFIG_HASH];

const web = (env: Record<string, string>): ServiceInput => ({ image: 'nginx:1.27', environment: env });

describe('config hash on pod templates', () => {
  it('changes when only the environment a Deployment reads changes, and not otherwise', () => {
    const before = hashOf({ web: web({ MODE: 'a' }) });
    expect(before).toMatch(/^[0-9a-f]{16}$/);
    expect(hashOf({ web: web({ MODE: 'a' }) })).toBe(before);
    expect(hashOf({ web: web({ MODE: 'b' }) })).not.toBe(before);
    // A secret-looking variable goes to a Secret: its changes count too (placeholders unless --secrets embed).
    const withSecret = hashOf({ web: web({ MODE: 'a', API_TOKEN: 'x' }) });
    expect(withSecret).not.toBe(before);
  });

  it('only the configs the pod reads: a neighbour’s change leaves it', () => {
    const a = hashOf({ web: web({ MODE: 'a' }), api: { image: 'api:1', environment: { X: '1' } } });
    const b = hashOf({ web: web({ MODE: 'a' }), api: { image: 'api:1', environment: { X: '2' } } });
    expect(a).toBeDefined();
    expect(b).toBe(a);
  });

  it('none without a config, none on a Job (its pod template cannot change)', () => {
    expect(hashOf({ web: { image: 'nginx:1.27' } })).toBeUndefined();
    const r = run({
      web: web({ DB: 'x' }),
      migrate: { image: 'app:1', command: ['migrate'], restart: 'no', environment: { DB: 'x' } },
    });
    expect(template(r, 'web').metadata.annotations?.[CONFIG_HASH]).toBeDefined();
    expect(template(r, 'migrate', 'Job').metadata.annotations?.[CONFIG_HASH]).toBeUndefined();
  });

  it('a chart and a Kustomize base with generators roll pods their own way: no config hash there', () => {
    const { objects } = run({ web: web({ MODE: 'a' }) });
    const helm = renderHelmChart(objects, { name: 'demo' });
    expect(helm.some((f) => f.content.includes('checksum/'))).toBe(true);
    expect(helm.some((f) => f.content.includes(CONFIG_HASH))).toBe(false);
    expect(renderKustomize(objects).some((f) => f.content.includes(CONFIG_HASH))).toBe(false);
    // Without generators the ConfigMaps are plain resources: the hash rolls the pods.
    expect(renderKustomize(objects, { generators: false }).some((f) => f.content.includes(CONFIG_HASH))).toBe(true);
  });
});
