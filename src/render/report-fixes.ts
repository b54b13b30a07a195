/**
 * The report's word on what a chart or a Kustomize tree changes for the user. The conversion's fix for a Secret
 * holding placeholders is a `kubectl create secret` (plain manifests); under the other formats that is wrong:
 * - a chart renders the Secret itself, so one created by hand before the install makes `helm install` fail (the
 *   release does not own it): the values (`--set-string`, `--set-file`) or `existingSecret` are the way; and a
 *   chart names its Jobs after their spec's hash (helm/jobs.ts): an upgrade that changes one runs it again, one
 *   that leaves it as it is does not (deleting it first does);
 * - a Kustomize secretGenerator gives the Secret a content-hash name, so one created by name is read by no pod:
 *   the generator's files are the way; and a Job that reads a generated object with a hash suffix must be deleted
 *   before the next `kubectl apply -k` after that object changes (its pod template cannot change).
 * - with environments (`--overlay`), a Service headless in some and with a virtual IP in others cannot switch in
 *   place (clusterIP is immutable): it must be deleted before applying the other environment.
 * Each is an amendment (convert/book.ts amendReport) to the entry of its item, chosen by outcome id, never by
 * wording; its fix replaces the owner's.
 */
import type { Amendment, Values } from '../convert/book.js';
import { RENDER_OUTCOMES } from '../mappings/module-outcomes.js';
import { LABEL_NAME, selectorArg, selectorLabels, type KubeObject } from '../kube/object.js';
import type { OutcomeId, PhraseId } from '../mappings/outcomes.js';
import { jobTtlSeconds } from '../kube/workloads.js';
import type { Report } from '../report/entry.js';
import { generatedObjects, jobsOnHashedConfig, type KustomizeOptions } from './kustomize.js';
import { generatorEntry } from './generators.js';

/** Outcomes whose fix fills a Secret the conversion emitted with placeholders by `kubectl create secret`. */
const SECRET_FILLS: ReadonlySet<OutcomeId> = new Set<OutcomeId>([
  'command.secret-references',
  'entrypoint.secret-references',
  'environment.secret-placeholder',
  'environment.secret-empty',
  'volumes.bind-secret-file',
  'volumes.bind-dir-secret-files',
  'top.secrets.missing',
  'top.secrets.placeholder',
  'top.configs.secret',
  'top.interpolation.shared',
  'top.interpolation.shared-empty',
  'top.shared-values.shared',
  'top.shared-values.shared-empty',
]);

/** The Secrets (by name) an entry's fix fills, among those `known` holds. */
function filledSecrets<T>(e: Report['entries'][number], known: ReadonlyMap<string, T>): string[] {
  if (!SECRET_FILLS.has(e.id as OutcomeId)) return [];
  return e.objects.flatMap((o) => (o.startsWith('Secret/') && known.has(o.slice(7)) ? [o.slice(7)] : []));
}

/** A Secret of the chart that takes its data from values. */
export interface ChartSecret {
  /** Values path without `.Values.`: `secrets.demoCredentials`, `web.secretEnv`. */
  path: string;
  /** The `--set-string` / `--set-file` arguments that fill its placeholder keys. */
  sets: string[];
}

/** Helm: fill a Secret of the chart through its values; how a Job of the chart runs again. */
export function helmAmendments(
  report: Report,
  objects: readonly KubeObject[],
  secrets: ReadonlyMap<string, ChartSecret>,
): Amendment[] {
  const out: Amendment[] = [];
  for (const o of objects) {
    const service = o.metadata.labels?.[LABEL_NAME];
    if (o.kind === 'Job' && service) {
      const selector = selectorArg(selectorLabels(o.metadata.labels));
      // A Job Kubernetes deletes after it finishes is missing at a later upgrade, which creates it again (and runs it).
      const ttlSeconds = jobTtlSeconds(o);
      const rerun: PhraseId = ttlSeconds === undefined ? 'helm-job.kept' : 'helm-job.ttl';
      out.push(
        amendment({ service, path: 'controller' }, 'report.helm-job', {
          job: o.metadata.name,
          selector,
          rerun,
          ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
        }),
      );
    }
  }
  for (const e of report.entries) {
    const [secret] = filledSecrets(e, secrets);
    if (secret === undefined) continue;
    const s = secrets.get(secret)!;
    const sets = s.sets.length ? s.sets.join(' ') : `--set-string ${s.path}.values.KEY=...`;
    out.push(amendment(where(e), 'report.helm-secret', { secret, path: s.path, sets }));
  }
  return out;
}

export interface KustomizeTarget extends KustomizeOptions {
  /** The output directory as the user named it. */
  dir: string;
  /** Overlay names (`--overlay`): the tree is `base/` + `overlays/NAME/`. */
  overlays?: readonly string[];
  /**
   * The report is this environment's (`--overlay NAME=...`): it is applied with `overlays/NAME`, and a Secret the
   * base does not generate (`inBase`) comes from that overlay's own files.
   */
  environment?: { name: string; inBase: ReadonlySet<string> };
}

/** Kustomize: fill the generators' files; delete the Jobs reading hashed generated objects before re-applying. */
export function kustomizeAmendments(report: Report, objects: readonly KubeObject[], t: KustomizeTarget): Amendment[] {
  if (t.generators === false) return [];
  const list = [...objects];
  const generated = generatedObjects(list, t);
  const secrets = new Map(
    [...generated.values()].filter((g) => g.kind === 'secretGenerator').map((g) => [g.name, g] as const),
  );
  const overlays = t.overlays ?? [];
  const base = overlays.length ? `${t.dir}/base` : t.dir;
  const applyTo = overlays.length ? overlays.map((o) => `${t.dir}/overlays/${o}`).join(' or ') : t.dir;
  // An environment's Secret the base lacks is generated from its overlay's files, and applied with it alone; one of
  // the base is said as the base's entries say it (the same words: the report lists it once).
  const env = t.environment;
  const own = env ? `${t.dir}/overlays/${env.name}` : undefined;
  const out: Amendment[] = [];
  for (const e of report.entries) {
    const names = filledSecrets(e, secrets);
    if (!names.length) continue;
    const ownOnly = own !== undefined && names.every((n) => !env!.inBase.has(n));
    const files = names.flatMap((n) => {
      const { entry } = generatorEntry(secrets.get(n)!);
      const envs = entry.envs as string[] | undefined;
      const dir = own !== undefined && !env!.inBase.has(n) ? own : base;
      return envs ? envs.map((f) => `${dir}/${f}`) : [`the files in ${dir}/secret-${n}/`];
    });
    out.push(
      amendment(where(e), 'report.kustomize-secret', {
        secret: names.join(', '),
        // An overlay's own secret files hold the keys it adds or changes (overlays.ts): those are filled there.
        files:
          files.join(', ') +
          (overlays.length && !ownOnly ? ` (and the secret files of ${t.dir}/overlays/NAME that hold its keys)` : ''),
        dirs: ownOnly ? own : applyTo,
      }),
    );
  }
  const jobs = jobsOnHashedConfig(list, t);
  for (const o of list) {
    const refs = o.kind === 'Job' ? jobs.get(o.metadata.name) : undefined;
    const service = o.metadata.labels?.[LABEL_NAME];
    if (!refs || !service) continue;
    out.push(
      amendment({ service, path: 'controller' }, 'report.kustomize-job-config', {
        job: o.metadata.name,
        refs: refs.join(', '),
        dirs: applyTo,
      }),
    );
  }
  return out;
}

/** An amendment to the item `at` with outcome `id`, whose status is in this module's table (RENDER_OUTCOMES). */
function amendment(at: Pick<Amendment, 'service' | 'path'>, id: OutcomeId, values: Values): Amendment {
  return { ...at, id, status: RENDER_OUTCOMES.find((o) => o.id === id)!.status, values };
}

const where = (e: Report['entries'][number]): Pick<Amendment, 'service' | 'path'> =>
  e.service !== undefined ? { service: e.service, path: e.path } : { path: e.path };

/** The environments' objects (`--overlay`), as the renderers get them. */
interface EnvironmentObjects {
  name: string;
  objects: readonly KubeObject[];
}

const headless = (o: KubeObject): boolean => (o.spec as { clusterIP?: string } | undefined)?.clusterIP === 'None';

/**
 * A Service of the base that is headless in some environments and has a virtual IP in others: its clusterIP
 * cannot change once applied, so switching environments needs it deleted first. Said on the base's entry that
 * made the Service (the first that lists it).
 */
export function environmentAmendments(
  report: Report,
  objects: readonly KubeObject[],
  environments: readonly EnvironmentObjects[],
): Amendment[] {
  const flips = new Map<string, string[]>();
  const base = new Map(objects.filter((o) => o.kind === 'Service').map((o) => [o.metadata.name, headless(o)]));
  for (const env of environments)
    for (const o of env.objects) {
      const was = o.kind === 'Service' ? base.get(o.metadata.name) : undefined;
      if (was === undefined || was === headless(o)) continue;
      flips.set(o.metadata.name, [...(flips.get(o.metadata.name) ?? []), env.name]);
    }
  const out: Amendment[] = [];
  for (const e of report.entries) {
    const name = e.objects.find((o) => o.startsWith('Service/') && flips.has(o.slice(8)))?.slice(8);
    if (name === undefined) continue;
    const [here, there] = base.get(name) ? ['headless', 'a ClusterIP Service'] : ['a ClusterIP Service', 'headless'];
    out.push(
      amendment(where(e), 'report.environment-cluster-ip', {
        name,
        here,
        there,
        environments: flips.get(name)!.join(', '),
      }),
    );
    flips.delete(name);
  }
  return out;
}
