/** Shared helpers for converter tests: convert a code-built project and validate every object. */
import { expect } from 'vitest';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { convertProject } from '../../src/index.js';
import type { ConvertOptions } from '../../src/convert/intent/options.js';
import type { ConvertResult } from '../../src/convert/result.js';
import type { KubeObject } from '../../src/kube/object.js';
import type { ReportEntry } from '../../src/report/entry.js';
import { project, type ProjectInput, type ServiceInput } from '../helpers/project.js';
import { expectValid, type External } from '../helpers/validate.js';

export function run(
  services: Record<string, ServiceInput>,
  options: Partial<ConvertOptions> = {},
  input: ProjectInput = {},
  external: External = {},
): ConvertResult {
  const r = convertProject(project(services, input), options);
  expect(r.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
  expectValid(r.objects, external);
  return r;
}

export function obj(r: ConvertResult, kind: string, name: string): KubeObject {
  const o = r.objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in ${r.objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

type WithTemplate = {
  spec: {
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
  };
};

export function pod(r: ConvertResult, name: string, kind = 'Deployment'): PodSpec {
  return (obj(r, kind, name) as unknown as WithTemplate).spec.template.spec;
}

export function template(r: ConvertResult, name: string, kind = 'Deployment'): WithTemplate['spec']['template'] {
  return (obj(r, kind, name) as unknown as WithTemplate).spec.template;
}

export function container(r: ConvertResult, workload: string, name = workload, kind = 'Deployment'): Container {
  const c = pod(r, workload, kind).containers.find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name} in ${workload}`);
  return c;
}

export function entries(r: ConvertResult, service: string, key: string): ReportEntry[] {
  return r.report.entries.filter((e) => e.service === service && e.key === key);
}

export function entry(r: ConvertResult, service: string, key: string): ReportEntry {
  const e = entries(r, service, key);
  if (e.length !== 1) throw new Error(`expected one entry for ${service} ${key}, got ${JSON.stringify(e)}`);
  return e[0]!;
}
