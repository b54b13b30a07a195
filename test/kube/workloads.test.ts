/** Where each workload kind keeps its pod template (src/kube/workloads.ts): one lookup for every pass. */
import { describe, expect, it } from 'vitest';
import { podTemplateOf } from '../../src/kube/workloads.js';

const tmpl = { metadata: { labels: { app: 'x' } }, spec: { containers: [] } };

describe('podTemplateOf', () => {
  it.each(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'])('%s keeps it at spec.template', (kind) => {
    const o = { kind, spec: { template: tmpl } };
    expect(podTemplateOf(o)).toBe(tmpl);
  });
  it('a CronJob keeps it at spec.jobTemplate.spec.template', () => {
    expect(podTemplateOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: tmpl } } } })).toBe(tmpl);
    expect(podTemplateOf({ kind: 'CronJob', spec: { template: tmpl } })).toBeUndefined();
  });
  it('a Pod is its own template', () => {
    const pod = { kind: 'Pod', metadata: {}, spec: { containers: [] } };
    expect(podTemplateOf(pod)).toBe(pod);
  });
  it('kinds without pods, and unbuilt templates, give undefined', () => {
    expect(podTemplateOf({ kind: 'Service', spec: { template: tmpl } })).toBeUndefined();
    expect(podTemplateOf({ kind: 'toString', spec: { template: tmpl } })).toBeUndefined();
    expect(podTemplateOf({ kind: 'Deployment' })).toBeUndefined();
    expect(podTemplateOf({ kind: 'Deployment', spec: { template: null } })).toBeUndefined();
  });
});
