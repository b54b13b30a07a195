/**
 * Harness for the concern-module tests (config, storage, services, ingress): plans pods with the
 * real planner, builds containers, runs only the steps under test, wraps each pod in its workload
 * and validates every object the way the API server would.
 */
import { expect } from 'vitest';
import type { Container } from 'kubernetes-types/core/v1.js';
import { ConvertContext } from '../../src/convert/context.js';
import { TEXTS } from '../../src/mappings/texts.js';
import { type KubeObject } from '../../src/kube/object.js';
import { defaultOptions, type ConvertOptions } from '../../src/convert/intent/options.js';
import type { PodPlan } from '../../src/convert/plan/pod.js';
import type { ContainerStep } from '../../src/convert/step.js';
import { planPods } from '../../src/convert/plan/plan.js';
import { buildContainer } from '../../src/convert/container/container.js';
import { buildWorkload } from '../../src/convert/objects/workloads.js';
import { memoryFs } from '../../src/load/fs.js';
import type { ReportEntry } from '../../src/report/entry.js';
import { project, type ProjectInput, type ServiceInput } from '../helpers/project.js';
import { expectValid, type External } from '../helpers/validate.js';
import { withDialects } from '../helpers/dialects.js';

export interface Run {
  ctx: ConvertContext;
  plans: PodPlan[];
  /** Emitted objects plus the workloads. */
  objects: KubeObject[];
}

export function runSteps(
  services: Record<string, ServiceInput>,
  steps: ContainerStep[],
  opts: {
    options?: Partial<ConvertOptions>;
    input?: ProjectInput;
    files?: Record<string, string | Uint8Array>;
    /** Paths of `files` that have an execute bit. */
    executable?: string[];
    /** A file system that reads text only (no readBytes), like a library user's older implementation. */
    textOnly?: boolean;
    podSteps?: Array<(ctx: ConvertContext, plan: PodPlan) => void>;
    external?: External;
    /** Top-level `x-*` extensions of the project. */
    extensions?: Record<string, unknown>;
  } = {},
): Run {
  const p = project(services, opts.input);
  if (opts.extensions) p.extensions = opts.extensions;
  const mem = opts.files ? memoryFs(opts.files, { executable: opts.executable }) : undefined;
  const fs =
    mem && opts.textOnly ? { readFile: mem.readFile, isDirectory: mem.isDirectory, listDir: mem.listDir } : mem;
  const ctx = withDialects(new ConvertContext(p, defaultOptions(opts.options), fs, undefined, TEXTS));
  const plans = planPods(ctx);
  for (const plan of plans) {
    for (const svc of plan.services) {
      const c = buildContainer(ctx, svc, plan);
      plan.spec.containers.push(c);
      plan.containers.set(svc.name, c);
      for (const step of steps) step(ctx, svc, c, plan);
    }
    ctx.emit(buildWorkload(ctx, plan));
    for (const s of opts.podSteps ?? []) s(ctx, plan);
  }
  expect(ctx.diags.errors).toEqual([]);
  expectValid(ctx.objects, opts.external);
  return { ctx, plans, objects: ctx.objects };
}

export function find(r: Run, kind: string, name: string): KubeObject {
  const o = r.ctx.find(kind, name);
  if (!o) throw new Error(`no ${kind}/${name} in ${r.objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

export function has(r: Run, kind: string, name: string): boolean {
  return r.ctx.find(kind, name) !== undefined;
}

export function ctr(r: Run, svc: string): Container {
  for (const p of r.plans) {
    const c = p.containers.get(svc);
    if (c) return c;
  }
  throw new Error(`no container for ${svc}`);
}

export function plan(r: Run, main: string): PodPlan {
  const p = r.plans.find((x) => x.main.name === main);
  if (!p) throw new Error(`no pod for ${main}`);
  return p;
}

export function recs(r: Run, service: string | undefined, key: string): ReportEntry[] {
  return r.ctx.entries.filter((e) => e.service === service && e.key === key);
}
