/**
 * Objects → a Kustomize base: the object files `renderFiles` writes plus a `kustomization.yaml`
 * listing them in apply order. With a namespace, the kustomization sets it and the object files
 * leave it out, so an overlay can move the whole base by changing one line. The labels every object
 * already carries are listed (without touching selectors) as the place to change them; `kubectl
 * kustomize` of the base yields exactly the converted objects (modulo the hash suffixes of generated names).
 *
 * By default ConfigMaps and Secrets become `configMapGenerator` / `secretGenerator` entries whose files sit next
 * to the kustomization (see generators.ts): a changed config gets a new name, which rolls the pods that read it.
 * A Job's pod template is immutable, so a renamed config would make `kubectl apply -k` fail on the Job: the ones
 * only Jobs read keep their name (`disableNameSuffixHash`), and the Jobs that share a hashed one with a long-running
 * workload are named (kustomization header; report entry report.kustomize-job-config, see report-fixes.ts: delete
 * the Job before re-applying).
 */
import type { KubeObject } from '../kube/object.js';
import { renderFiles, type RenderedFile } from './files.js';
import { addGenerator, emptyGeneratorSet, generatedOf, generatorKeys, type Generated } from './generators.js';
import { podConfigRefs, podVolumeRefs } from '../kube/workloads.js';
import { withoutConfigHash } from '../kube/config-hash.js';
import { renderValuesYaml } from './helm/values.js';

export interface KustomizeOptions {
  /** Namespace of the base (the converter's `--namespace`). */
  namespace?: string;
  /** ConfigMaps and Secrets as generators (default true); false keeps them plain objects. */
  generators?: boolean;
}

export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/** Labels with the same value on every object (metadata.labels). */
function commonLabels(objects: KubeObject[]): Record<string, string> {
  const [first, ...rest] = objects;
  const common: Record<string, string> = { ...(first?.metadata.labels ?? {}) };
  for (const o of rest) {
    for (const [k, v] of Object.entries(common)) if (o.metadata.labels?.[k] !== v) delete common[k];
  }
  return Object.fromEntries(Object.entries(common).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function withoutNamespace(o: KubeObject, ns: string): KubeObject {
  if (o.metadata.namespace !== ns) return o;
  const { namespace: _drop, ...metadata } = o.metadata;
  return { ...o, metadata };
}

/**
 * The ConfigMaps and Secrets (`Kind/name`) that Jobs read and no other workload does: their generators keep the
 * plain name (see Generated.keepName). One that a Deployment also reads keeps its hash suffix, so that changing it
 * still rolls the Deployment; the Jobs reading it are named by jobsOnHashedConfig.
 */
function jobOnlyConfig(objects: KubeObject[]): Set<string> {
  const byJobs = new Set<string>();
  const byOthers = new Set<string>();
  for (const o of objects) for (const r of podConfigRefs(o)) (o.kind === 'Job' ? byJobs : byOthers).add(r);
  return new Set([...byJobs].filter((r) => !byOthers.has(r)));
}

/**
 * The ConfigMaps and Secrets written as generators (by `Kind/name`), when `generators` is on. A Secret a pod mounts
 * is written as files (Generated.mounted): its placeholders stand for whole files (a secret config file), which an
 * env line cannot take.
 */
export function generatedObjects(objects: KubeObject[], options: KustomizeOptions = {}): Map<string, Generated> {
  const out = new Map<string, Generated>();
  if (options.generators === false) return out;
  const jobOnly = jobOnlyConfig(objects);
  const mounted = new Set(objects.flatMap((o) => [...podVolumeRefs(o)]));
  for (const o of objects) {
    const g = generatedOf(o);
    const k = `${o.kind}/${o.metadata.name}`;
    if (!g) continue;
    out.set(k, {
      ...g,
      ...(jobOnly.has(k) ? { keepName: true } : {}),
      ...(o.kind === 'Secret' && mounted.has(k) ? { mounted: true } : {}),
    });
  }
  return out;
}

/**
 * Jobs whose pod template names a generated ConfigMap or Secret that keeps its hash suffix (another workload reads
 * it too), with those names: after one changes, `kubectl apply -k` cannot update the Job (its template is
 * immutable); it must be deleted first, and then runs again with the new values.
 */
export function jobsOnHashedConfig(objects: KubeObject[], options: KustomizeOptions = {}): Map<string, string[]> {
  const generated = generatedObjects(objects, options);
  const out = new Map<string, string[]>();
  for (const o of objects) {
    if (o.kind !== 'Job') continue;
    const hashed = [...podConfigRefs(o)].filter((r) => generated.has(r) && !generated.get(r)!.keepName).sort();
    if (hashed.length) out.set(o.metadata.name, hashed);
  }
  return out;
}

/**
 * `objects` without the plain manifests' config hash (kube/config-hash.ts) on the pods whose every ConfigMap and
 * Secret is generated: the generators' hash suffixes roll those, and the hash would only add patches to overlays.
 */
export function withGeneratorRolls(objects: KubeObject[], options: KustomizeOptions = {}): KubeObject[] {
  const generated = generatedObjects(objects, options);
  if (!generated.size) return objects;
  const emitted = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
  const rolled = (o: KubeObject): boolean => [...podConfigRefs(o)].every((r) => generated.has(r) || !emitted.has(r));
  return objects.map((o) => (rolled(o) ? withoutConfigHash(o) : o));
}

export function renderKustomize(given: KubeObject[], options: KustomizeOptions = {}): RenderedFile[] {
  const ns = options.namespace;
  const objects = withGeneratorRolls(given, options);
  const generated = generatedObjects(objects, options);
  const gens = emptyGeneratorSet();
  for (const g of generated.values()) addGenerator(gens, g);
  const plain = objects.filter((o) => !generated.has(`${o.kind}/${o.metadata.name}`));
  const files = renderFiles(ns ? plain.map((o) => withoutNamespace(o, ns)) : plain);
  const labels = commonLabels(objects);
  const kustomization: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...(ns ? { namespace: ns } : {}),
    ...(Object.keys(labels).length ? { labels: [{ pairs: labels, includeSelectors: false }] } : {}),
    resources: files.map((f) => f.path),
    ...generatorKeys(gens),
  };
  const kept = [...generated.values()].some((g) => g.keepName);
  const jobs = [...jobsOnHashedConfig(objects, options)].map(([job, refs]) => `Job/${job} (${refs.join(', ')})`);
  const header =
    'Generated by compose2k8s. Resources are listed in apply order; use this directory as a base\n(resources: [../base]) and patch it from an overlay.' +
    (generated.size
      ? '\nConfigMaps and Secrets are generated from the files next to this one: edit them, and the\nhash suffix of the generated name rolls the pods that read them.'
      : '') +
    (kept
      ? "\nThe ones only Jobs read keep their name (disableNameSuffixHash): a Job's pod template cannot\nchange, and a finished Job does not run again; delete it before applying to run it with new values."
      : '') +
    (jobs.length
      ? `\nA changed generator renames what these Jobs read, and a Job's pod template cannot change:\ndelete them before kubectl apply -k (they then run again): ${jobs.join('; ')}.`
      : '');
  return [
    { path: KUSTOMIZATION_FILE, content: renderValuesYaml(kustomization, new Map(), header) },
    ...files,
    ...gens.files,
  ];
}
