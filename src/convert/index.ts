/**
 * The conversion pipeline: Project → Kubernetes objects + report + diagnostics.
 *
 * plan pods → per service: container, pod settings, container steps (resources, environment,
 * secrets/configs, storage, probes, start order) → controller → Services → Ingress →
 * project-wide objects → coverage report → objects in apply order.
 */
import type { Project, Service } from '../model/types.js';
import type { FileSystem } from '../load/fs.js';
import type { ReportTexts } from '../mappings/outcomes.js';
import { ConvertContext } from './context.js';
import type { Values } from './book.js';
import { checkOption, defaultOptions, OPTIONS, type ConvertOptions, type OptionName } from './intent/options.js';
import { isInvalid, type Invalid } from './intent/values.js';
import type { PodPlan } from './plan/pod.js';
import type { ContainerStep } from './step.js';
import { planPods, reportCollisions } from './plan/plan.js';
import { effectiveOptions, readIntent } from './intent/overrides.js';
import { buildContainer } from './container/container.js';
import { applyPodSettings } from './pod/settings.js';
import { lintPitfalls } from './finish/lint.js';
import { applyResources, checkResourceLimits } from './container/resources.js';
import { lintEnvironmentIps } from './finish/ips.js';
import { buildWorkload } from './objects/workloads.js';
import { sortObjects } from '../kube/sort.js';
import { annotateConfigHashes } from '../kube/config-hash.js';
import { projectSecretValues, Redactor } from '../kube/redact.js';
import { applyEnvironment, applySecretsAndConfigs } from './container/config.js';
import { applyStorage } from './storage/storage.js';
import { applyProbes } from './container/probes.js';
import { applyHostConfig } from './container/hostconfig.js';
import { applyPlacement, reportRestartPolicy } from './pod/scheduling.js';
import { applyNetworkLabels, buildNetworkPolicies } from './objects/netpol.js';
import { applyStartOrder } from './container/startorder.js';
import { redactSecretArgs } from './container/secret-args.js';
import { buildServices, reportUnreachable } from './objects/services.js';
import { aliasPeerNames, applyAliasLabels, buildAliasServices } from './objects/aliases.js';
import { buildIngress } from './objects/ingress.js';
import { buildSharedCredentials } from './objects/credentials.js';
import { rewriteRenamedHosts } from './network/rename.js';
import { finishReport } from './finish/coverage.js';
import { askedMode, checkModes, useModes, type OutputMode } from './output-modes.js';
import { dialects as loadedDialects, overrideApplier, useDialects, type Dialect } from './intent/dialect.js';
import { addPermissionInits, reportPermissionHelpers } from './plan/permission-helpers.js';
import { basicReport, type ConvertResult } from './result.js';
import type { Report } from '../report/entry.js';

export type { ConvertResult } from './result.js';

/** Per-container steps, in order. */
export const CONTAINER_STEPS: ReadonlyArray<[name: string, step: ContainerStep]> = [
  ['resources', applyResources],
  ['container overrides', (ctx, svc, c, plan) => overrideApplier(ctx)?.container(ctx, svc, c, plan)],
  ['environment', applyEnvironment],
  ['secrets-and-configs', applySecretsAndConfigs],
  ['storage', applyStorage],
  ['network-labels', applyNetworkLabels],
  ['alias-labels', applyAliasLabels],
  ['host-config', applyHostConfig],
  ['probes', applyProbes],
  ['secret-args', redactSecretArgs],
  ['start-order', applyStartOrder],
];

/** Per-pod steps after its containers: the rest of the pod, the controller, then what refers to it. */
const POD_STEPS: ReadonlyArray<[name: string, step: (ctx: ConvertContext, plan: PodPlan) => void]> = [
  ['permission helpers', addPermissionInits],
  ['init container overrides', (ctx, plan) => overrideApplier(ctx)?.initContainers(ctx, plan)],
  ['resource check', checkResourceLimits],
  ['pod security', (ctx, plan) => askedMode(ctx, 'pod-security-restricted')?.pod(ctx, plan)],
  [
    'placement',
    (ctx, plan) => {
      applyPlacement(ctx, plan);
      reportRestartPolicy(ctx, plan);
    },
  ],
  ['workload', (ctx, plan) => ctx.emit(buildWorkload(ctx, plan))],
  ['services', buildServices],
  // Published HTTP ports: an Ingress, or Gateway API HTTPRoutes with --ingress gateway (an output mode).
  ['ingress', (ctx, plan) => (askedMode(ctx, 'gateway')?.pod ?? buildIngress)(ctx, plan)],
  ['autoscaler', (ctx, plan) => overrideApplier(ctx)?.autoscaler(ctx, plan)],
];

/** Project-wide steps after every pod. */
const PROJECT_STEPS: ReadonlyArray<[name: string, step: (ctx: ConvertContext, plans: PodPlan[]) => void]> = [
  ['shared credentials', (ctx) => buildSharedCredentials(ctx)],
  ['network policies', buildNetworkPolicies],
  ['aliases', buildAliasServices],
  ['renamed hosts', (ctx, plans) => rewriteRenamedHosts(ctx, plans, aliasPeerNames(ctx))],
  // Objects of the dialects the caller passed (ofelia's CronJobs).
  ['dialect objects', (ctx, plans) => eachDialect(ctx, 'objects', (d) => d.objects?.(ctx, plans))],
  ['permission helpers', reportPermissionHelpers],
  // What the dialects read and the objects now show (Traefik routers, Docker helper labels).
  ['dialect reports', (ctx, plans) => eachDialect(ctx, 'report', (d) => d.report?.(ctx, plans))],
  ['unreachable services', reportUnreachable],
  ['patches', (ctx, plans) => overrideApplier(ctx)?.patches(ctx, plans)],
  // Last, over the finished objects: a changed ConfigMap or Secret changes the pod templates that read it.
  ['config hashes', (ctx) => annotateConfigHashes(ctx.objects)],
];

/** Run one stage; a bug in a module becomes a diagnostic, never an exception for the caller. */
function guarded(ctx: ConvertContext, stage: string, svc: Service | undefined, f: () => void): void {
  try {
    f();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (svc) ctx.diags.error('internal-error.service', { stage, service: svc.name, error: msg }, ctx.servicePos(svc));
    else ctx.diags.error('internal-error.stage', { stage, error: msg });
  }
}

/** Run a hook of every dialect of this conversion, each guarded on its own. */
function eachDialect(ctx: ConvertContext, hook: string, f: (d: Dialect) => void): void {
  for (const d of loadedDialects(ctx)) guarded(ctx, `${d.name} ${hook}`, undefined, () => f(d));
}

/**
 * Convert a loaded project. `texts` (mappings/texts.ts TEXTS) fills each report entry's `fix`; the Node entry and
 * the CLI always pass it, the lean browser entry only once the page has loaded it. `dialects` (intent/dialect.ts)
 * are the inputs beyond the Compose Spec to read (kompose labels, x-k8s...); the Node entry passes all of them,
 * and what a dialect left out would have read gets a `report.dialect-not-loaded` entry. `modes` (output-modes.ts)
 * are the output modes options may ask for (--pod-security restricted, --ingress gateway); the Node entry passes
 * all of them.
 */
export function convertProject(
  project: Project,
  options: Partial<ConvertOptions> = {},
  fs?: FileSystem,
  texts?: ReportTexts,
  dialects: readonly Dialect[] = [],
  modes: readonly OutputMode[] = [],
): ConvertResult {
  const given = checkOptions(options);
  // The options the caller set (CLI flags given, library options passed, none undefined): they win over x-k8s.
  const explicit = new Set(Object.keys(given.options) as OptionName[]);
  const ctx = new ConvertContext(project, defaultOptions(given.options), fs, explicit, texts);
  useDialects(ctx, dialects);
  useModes(ctx, modes);
  for (const [name, bad] of given.invalid)
    if (bad.hint) ctx.diags.error('option-invalid', { name, reason: bad.invalid, hint: bad.hint });
    else ctx.diags.error('option-invalid.docs', { name, reason: bad.invalid });
  // Intent: every kompose label and x-k8s block (of the dialects passed) is read and validated up front.
  guarded(ctx, 'intent', undefined, () => readIntent(ctx));
  // The top-level x-k8s extension refines the options (namespace, ingress, storage...).
  guarded(ctx, 'project overrides', undefined, () => Object.assign(ctx.options, effectiveOptions(ctx)));
  checkRouting(ctx, given.options);
  checkModes(ctx);
  namespace(ctx);
  if (project.ignoredKeys?.includes('name'))
    ctx.outcome(undefined, 'name', 'top.name.labels', { project: project.name });
  // Day 2: the name is in every workload's selector (immutable); from the directory, another checkout changes it.
  else if (project.nameFromDirectory) ctx.outcome(undefined, 'name', 'top.name.directory', { project: project.name });
  let plans: PodPlan[] = [];
  guarded(ctx, 'pod planning', undefined, () => (plans = planPods(ctx)));
  for (const plan of plans) convertPod(ctx, plan);
  for (const [name, step] of PROJECT_STEPS) guarded(ctx, name, undefined, () => step(ctx, plans));
  reportCollisions(ctx);
  guarded(ctx, 'pitfall lint', undefined, () => lintPitfalls(ctx));
  let report: Report | undefined;
  guarded(ctx, 'report', undefined, () => (report = finishReport(ctx)));
  // Diagnostics and report entries are for people and logs: no secret value in them, whatever --secrets says
  // (issue 13). An entry's message may quote a value its owner read (an invalid kompose label's value).
  const { values, plain } = projectSecretValues(project);
  const redactor = new Redactor(values, plain);
  const finalReport = report ?? basicReport(ctx);
  for (const e of finalReport.entries) {
    e.message = redactor.knownValues(e.message);
    if (e.fix) e.fix = redactor.knownValues(e.fix);
    // The values the message was made of go out with it (the lean entry's messages are those values).
    if (e.values) e.values = redactValues(redactor, e.values);
    if (e.earlier) for (const p of e.earlier) p.values = redactValues(redactor, p.values);
    if (e.later) for (const p of e.later) p.values = redactValues(redactor, p.values);
  }
  return {
    objects: sortObjects(ctx.objects),
    report: finalReport,
    diagnostics: ctx.diags.list.map((d) => redactor.diagnostic(d)),
  };
}

/** Placeholder values with every known secret value redacted; the same object when none is in them. */
function redactValues(redactor: Redactor, values: Values): Values {
  let out: Record<string, Values[string]> | undefined;
  for (const k in values) {
    const v = values[k];
    if (typeof v !== 'string') continue;
    const r = redactor.knownValues(v);
    if (r !== v) (out ??= { ...values })[k] = r;
  }
  return out ?? values;
}

function convertPod(ctx: ConvertContext, plan: PodPlan): void {
  // The dialects' override applier (intent/dialect.ts), when one was passed, here and at its other points.
  guarded(ctx, 'pod overrides', plan.main, () => overrideApplier(ctx)?.pod(ctx, plan));
  for (const svc of plan.services) {
    guarded(ctx, 'container', svc, () => {
      const c = buildContainer(ctx, svc, plan);
      plan.spec.containers.push(c);
      plan.containers.set(svc.name, c);
      applyPodSettings(ctx, svc, plan);
      lintEnvironmentIps(ctx, svc, plan);
    });
    const c = plan.containers.get(svc.name);
    if (!c) continue;
    for (const [name, step] of CONTAINER_STEPS) guarded(ctx, name, svc, () => step(ctx, svc, c, plan));
  }
  for (const [name, step] of POD_STEPS) guarded(ctx, name, plan.main, () => step(ctx, plan));
}

/** The caller's options as the table reads them: invalid values are left out (the default applies) and listed. */
function checkOptions(options: Partial<ConvertOptions>): {
  options: Partial<ConvertOptions>;
  invalid: Array<[string, Invalid]>;
} {
  const out: Record<string, unknown> = {};
  const invalid: Array<[string, Invalid]> = [];
  for (const spec of OPTIONS) {
    const v = (options as Record<string, unknown>)[spec.name];
    if (v === undefined) continue;
    const r = checkOption(spec, v);
    if (isInvalid(r)) invalid.push([spec.name, r]);
    else out[spec.name] = r;
  }
  return { options: out as Partial<ConvertOptions>, invalid };
}

/** `--ingress gateway` needs the Gateway to attach to; `--gateway` alone is a mistake (x-k8s may hold both). */
function checkRouting(ctx: ConvertContext, given: Partial<ConvertOptions>): void {
  const o = ctx.options;
  if (o.ingress === 'gateway' && !o.gateway) ctx.diags.error('option-invalid.no-gateway');
  else if (given.gateway !== undefined && o.ingress !== 'gateway')
    ctx.diags.error('option-invalid.gateway-unused', { gateway: given.gateway });
}

function namespace(ctx: ConvertContext): void {
  const ns = ctx.options.namespace;
  if (ns !== undefined && ctx.options.createNamespace)
    ctx.emit({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: ctx.projectLabels() } });
}
