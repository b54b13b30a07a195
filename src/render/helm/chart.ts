/**
 * Objects → a Helm chart (apiVersion v2): `Chart.yaml`, `values.yaml`, `.helmignore`, and under
 * `templates/` one file per object (same names as `renderFiles`), `_helpers.tpl` and `NOTES.txt`.
 * Values a user typically changes are lifted into `values.yaml` (see lift.ts); with default
 * values `helm template` renders the converted objects plus Helm's standard labels, in the release
 * namespace. User content is escaped so Helm never evaluates a `{{` that came from the compose file.
 */
import { LABEL_NAME, type KubeObject } from '../../kube/object.js';
import { withoutConfigHash } from '../../kube/config-hash.js';
import type { Project } from '../../model/types.js';
import { fileName, type RenderedFile } from '../files.js';
import { jsonEqual } from '../json-diff.js';
import {
  chartName,
  chartYaml,
  commonTag,
  ENVIRONMENTS_HEADER,
  helpers,
  HELMIGNORE,
  VALUES_HEADER,
  valuesComments,
} from './meta.js';
import { fillArgs, notes, type ChartBuild } from './notes.js';
import type { ChartSecret } from '../report-fixes.js';
import { alignKeys, liftAll, liftPlan, ref, valuesDiff, type J } from './plan.js';
import { valuesSchema } from './schema.js';
import { secretKeysOf } from './secret-refs.js';
import { secretSources } from './secret-sources.js';
import { renderValuesYaml } from './values.js';

export interface HelmChartOptions {
  /** Chart name (made DNS-safe); usually the compose project name. */
  name: string;
  /** `appVersion` of Chart.yaml; default: the image tag all services share, if they share one. */
  appVersion?: string;
  /** The converted project: values keys are its service names. */
  project?: Project;
}

/** One environment of the chart: the objects and project of base + its override files. */
export interface HelmEnvironment {
  name: string;
  objects: KubeObject[];
  project?: Project;
}

export interface HelmChartResult {
  files: RenderedFile[];
  /** Per environment, the objects (`Kind/name`) it changes outside the chart's values: values-NAME.yaml misses those. */
  outside: Array<{ environment: string; objects: string[] }>;
  /** The Secrets the chart takes from values, by name (for the report's fixes, see report-fixes.ts). */
  secrets: Map<string, ChartSecret>;
}

/** The toggle key of an object in `objects:` (its file name without .yaml). */
const toggleKey = (o: KubeObject): string => fileName(o).replace(/\.yaml$/, '');

export function renderHelmChart(objects: KubeObject[], options: HelmChartOptions): RenderedFile[] {
  return renderHelmEnvironments(objects, [], options).files;
}

/**
 * The chart of the base objects plus, per environment, `values-NAME.yaml` holding only what it changes. Objects
 * that are not in every environment (a service an override or a profile adds, one it removes) are in the chart
 * behind `objects.<kind-name>: true|false`, so adding or removing them is a value too.
 */
export function renderHelmEnvironments(
  plainBase: KubeObject[],
  plainEnvironments: HelmEnvironment[],
  options: HelmChartOptions,
): HelmChartResult {
  // The chart's checksum/ annotations roll the pods (lift.ts): the plain manifests' config hash is taken out, or
  // environments whose configs differ would set pod annotations of their own, which then hold no checksum.
  const base = plainBase.map(withoutConfigHash);
  const environments = plainEnvironments.map((e) => ({ ...e, objects: e.objects.map(withoutConfigHash) }));
  const chart = chartName(options.name);
  const services = [
    ...Object.keys(options.project?.services ?? {}),
    ...environments.flatMap((e) => Object.keys(e.project?.services ?? {})),
  ];
  // The chart's objects: the base, then what environments add (first environment's version).
  const all = new Map(base.map((o) => [ref(o), o]));
  for (const e of environments) for (const o of e.objects) if (!all.has(ref(o))) all.set(ref(o), o);
  const inBase = new Set(base.map(ref));
  const envRefs = environments.map((e) => new Set(e.objects.map(ref)));
  const toggled = [...all.keys()].filter((k) => !inBase.has(k) || envRefs.some((s) => !s.has(k)));
  const isToggled = new Set(toggled);
  const toggles = (has: (k: string) => boolean): J =>
    Object.fromEntries(toggled.map((k) => [toggleKey(all.get(k)!), has(k)]));

  const chartObjects = [...all.values()];
  // Each environment's version of every chart object (the chart's own where it has none), keys in chart order.
  const envObjects = environments.map((e) => {
    const mine = new Map(e.objects.map((o) => [ref(o), o]));
    return chartObjects.map((o) => {
      const m = mine.get(ref(o));
      return m ? (alignKeys(o, m) as KubeObject) : o;
    });
  });
  // What the environments change beyond the usual values becomes values too: a second pass lifts those fields.
  const keys = environments.length ? secretKeysOf([chartObjects, ...envObjects]) : undefined;
  const users = environments.length ? [chartObjects, ...envObjects].flat() : undefined;
  let main = liftAll(chartObjects, services, chart, undefined, keys, users);
  let lifted = envObjects.map((objs) => liftAll(objs, services, chart, undefined, keys, users));
  const plan = liftPlan(all, main, lifted, envObjects);
  if (plan.size) {
    main = liftAll(chartObjects, services, chart, plan, keys, users);
    lifted = envObjects.map((objs) => liftAll(objs, services, chart, plan, keys, users));
  }
  const tree: J = { ...main.tree, ...(toggled.length ? { objects: toggles((k) => inBase.has(k)) } : {}) };
  const templates: RenderedFile[] = [];
  for (const [k, t] of main.templates) {
    const content = isToggled.has(k)
      ? `{{- if index .Values.objects ${JSON.stringify(toggleKey(all.get(k)!))} }}\n${t.text}{{- end }}\n`
      : t.text;
    templates.push({ path: t.path, content });
  }

  const ingressToggles = new Map<string, string>();
  for (const k of toggled) {
    const o = all.get(k)!;
    const key =
      o.kind === 'Ingress' || o.kind === 'HTTPRoute' ? main.lifter.keyFor(o.metadata.labels?.[LABEL_NAME]) : undefined;
    if (key && !ingressToggles.has(key)) ingressToggles.set(key, toggleKey(o));
  }
  const secretToggles = new Map(
    toggled.flatMap((k) => {
      const o = all.get(k)!;
      return o.kind === 'Secret' ? [[o.metadata.name, toggleKey(o)] as const] : [];
    }),
  );
  const envFiles: RenderedFile[] = [];
  const envTrees: J[] = [];
  const outside: HelmChartResult['outside'] = [];
  environments.forEach((e, i) => {
    const mine = envRefs[i]!;
    const env = lifted[i]!;
    // Equal shapes: the chart's template renders this environment's object from values-NAME.yaml.
    const changed = [...mine].filter((k) => !jsonEqual(env.shapes.get(k), main.shapes.get(k)));
    if (changed.length) outside.push({ environment: e.name, objects: changed });
    const envTree: J = { ...env.tree, ...(toggled.length ? { objects: toggles((k) => envRefs[i]!.has(k)) } : {}) };
    envTrees.push(envTree);
    envFiles.push({
      path: `values-${e.name}.yaml`,
      content: renderValuesYaml(
        valuesDiff(tree, envTree),
        new Map(),
        `The ${e.name} environment: what its compose override files change in values.yaml.\nhelm install RELEASE . -f values-${e.name}.yaml`,
      ),
    });
  });

  // The project files mounted Secrets come from: NOTES.txt and the report's fixes name them (--set-file).
  const sources = secretSources(chartObjects, options.project);
  for (const sv of main.lifter.secretValues) {
    const files = sources.get(sv.name);
    if (files) sv.sources = files;
  }
  // The services whose image compose builds (base first, then what environments add): NOTES.txt lists the builds.
  const projects = [options.project, ...environments.map((e) => e.project)];
  const builds: ChartBuild[] = [...main.lifter.services].flatMap(([key, v]) => {
    const name = main.lifter.composeName(key);
    const p = projects.find((x) => x?.services[name]);
    const build = p?.services[name]!.build;
    return build && v.image !== undefined ? [{ key, build, workingDir: p.workingDir }] : [];
  });
  const appVersion = options.appVersion ?? commonTag(tree);
  const comments = valuesComments(main.lifter, tree);
  if (toggled.length)
    comments.set('objects', 'Objects that some environments leave out (values-NAME.yaml turns them on or off).');
  return {
    files: [
      { path: 'Chart.yaml', content: chartYaml(chart, options.name, appVersion) },
      {
        path: 'values.yaml',
        content: renderValuesYaml(tree, comments, VALUES_HEADER + (plan.size ? ENVIRONMENTS_HEADER : '')),
      },
      { path: '.helmignore', content: HELMIGNORE },
      { path: 'templates/_helpers.tpl', content: helpers(chart) },
      ...(main.lifter.jobTemplates.length
        ? [{ path: 'templates/_jobs.tpl', content: main.lifter.jobTemplates.join('\n') }]
        : []),
      {
        path: 'templates/NOTES.txt',
        content: notes(main.lifter, options.name, ingressToggles, secretToggles, builds, chart),
      },
      {
        path: 'values.schema.json',
        content: JSON.stringify(valuesSchema([tree, ...envTrees], `Values of the ${chart} chart`), null, 2) + '\n',
      },
      ...envFiles,
      ...templates,
    ],
    outside,
    secrets: new Map(main.lifter.secretValues.map((sv) => [sv.name, { path: sv.path, sets: fillArgs(sv) }])),
  };
}
