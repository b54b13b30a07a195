/**
 * Top-level `secrets`/`configs` → one Secret/ConfigMap per compose definition (emitted once, shared
 * by every service using it), mounted per service reference as a single file (`items` + `subPath`)
 * at the reference's `target`.
 */
import type { Container, Volume } from 'kubernetes-types/core/v1.js';
import type { FileReference, Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { addPodVolume, type PodPlan } from '../plan/pod.js';
import type { ContainerStep } from '../step.js';
import { isDns1123Subdomain } from '../../kube/naming.js';
import { effectiveOptions } from '../intent/overrides.js';
import type { Values } from '../book.js';
import type { OutcomeId, PhraseId } from '../../mappings/outcomes.js';
import { relative } from '../../util/path.js';
import {
  MAX_OBJECT_BYTES,
  dataKey,
  emitConfigMapOf,
  emitSecretOf,
  kindRef,
  fileData,
  placeholder,
  uniqueName,
  volumeName,
} from './files.js';
import { isSecretKey, mountPath, secretFile, secretFileContent } from '../../kube/secrets.js';
import { podGroup } from './ownership.js';

type Family = 'secrets' | 'configs';

/** What a service reference mounts: the object and the key holding the file. */
interface Resolved {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  key: string;
}

/**
 * Value of a secret/config definition, or why it is unknown; where it comes from (`from`, with `sourceFile` /
 * `sourceVariable`) and the problem are phrases of report.yaml. `file`: the file as the report shows it.
 */
function readValue(
  ctx: ConvertContext,
  def: { file?: string; environment?: string; content?: string },
): { value?: string; from: Values; problem?: PhraseId; file?: string } {
  if (def.content !== undefined) return { value: def.content, from: { from: 'source.inline' } };
  if (def.environment !== undefined) {
    const v = ctx.project.environment[def.environment];
    const from = { from: 'source.variable', sourceVariable: def.environment };
    return v === undefined ? { from, problem: 'source.variable-unset' } : { value: v, from };
  }
  if (def.file !== undefined) {
    const rel = def.file.startsWith(ctx.project.workingDir + '/')
      ? relative(ctx.project.workingDir, def.file)
      : def.file;
    const v = ctx.fs?.readFile(def.file);
    const from = { from: 'source.file', sourceFile: rel };
    return v === undefined ? { from, problem: 'source.file-unreadable', file: rel } : { value: v, from, file: rel };
  }
  return { from: { from: 'source.nothing' }, problem: 'source.no-source' };
}

/** Emit (once) the object for one top-level definition; undefined when it cannot be mounted. */
function resolve(ctx: ConvertContext, family: Family, source: string): Resolved | undefined {
  const isSecret = family === 'secrets';
  const kind = isSecret ? 'Secret' : 'ConfigMap';
  const def = isSecret ? ctx.project.secrets[source] : ctx.project.configs[source];
  const topKey = `${family}.${source}`;
  const pos = ctx.pos(family, source);
  const first = !ctx.book.get(undefined, topKey);
  /** The definition's one entry, written by the first reference that resolves it. */
  const rec = (secretId: OutcomeId, configId: OutcomeId, values: Values, objects: string[] = []) => {
    if (first) ctx.outcome(undefined, topKey, isSecret ? secretId : configId, values, { objects, pos });
  };
  if (!def) return undefined;
  const key = dataKey(source);

  if (def.external) {
    const wanted = def.name ?? source;
    const name = isDns1123Subdomain(wanted)
      ? wanted
      : uniqueName(ctx, kind.toLowerCase(), `${family}\0${source}`, wanted);
    rec('top.secrets.external', 'top.configs.external', { name, key }, [kindRef(kind, name)]);
    return { kind, name, key };
  }

  if (!isSecret) {
    const secretConfig = configAsSecret(ctx, source, def, key, rec);
    if (secretConfig) return secretConfig;
  }
  const name = uniqueName(ctx, kind.toLowerCase(), `${family}\0${source}`, source);
  const ref = kindRef(kind, name);
  if (ctx.find(kind, name)) return { kind, name, key };
  if (first && def.template_driver)
    ctx.outcome(
      undefined,
      `${topKey}.template_driver`,
      isSecret ? 'secret.template_driver.dropped' : 'config.template_driver.dropped',
      {},
      { pos },
    );
  if (first && isSecret && (def as { driver?: string }).driver)
    ctx.outcome(undefined, `${topKey}.driver`, 'secret.driver.dropped', {}, { pos });

  const { value, from, problem, file } = readValue(
    ctx,
    def as { file?: string; environment?: string; content?: string },
  );
  // The fixes spell the `kubectl create` command that makes the object from the file.
  const create = { name, key, file: file ?? '<file>' };

  // A file that is not UTF-8 text travels as its bytes (binaryData, or a Secret's data) when they can be read.
  const data = fileData(ctx, def.file, value ?? '');
  if (!data) {
    rec('top.secrets.binary', 'top.configs.binary', { ...from, ...create });
    return undefined;
  }
  if (data.size > MAX_OBJECT_BYTES) {
    rec('top.secrets.too-large', 'top.configs.too-large', { ...from });
    return undefined;
  }

  if (isSecret && effectiveOptions(ctx).secrets === 'external') {
    rec('top.secrets.external-option', 'top.secrets.external-option', { ...from, ...create }, [ref]);
    return { kind, name, key };
  }

  let content: string;
  if (value === undefined) {
    content = isSecret ? placeholder(key) : '';
    rec('top.secrets.missing', 'top.configs.missing', { ...from, problem: problem ?? 'source.no-source', ...create }, [
      ref,
    ]);
  } else if (isSecret && effectiveOptions(ctx).secrets === 'placeholder') {
    content = placeholder(key);
    rec('top.secrets.placeholder', 'top.secrets.placeholder', { ...create, ...from }, [ref]);
  } else {
    content = value;
    rec('top.secrets.embedded', 'top.configs.converted', { ...from, name }, [ref]);
  }
  if (isSecret) emitSecretOf(ctx, name, ctx.projectLabels(), { [key]: content }, def.file ? { [key]: def.file } : {});
  else emitConfigMapOf(ctx, name, ctx.projectLabels(), { [key]: data });
  return { kind, name, key };
}

/**
 * A config whose content is secret (a key file, an htpasswd, a PEM private key, a secret-looking variable) becomes a
 * Secret like a compose secret: placeholder unless `--secrets embed`, not emitted with `--secrets external`.
 */
function configAsSecret(
  ctx: ConvertContext,
  source: string,
  def: { file?: string; environment?: string; content?: string },
  key: string,
  rec: (secretId: OutcomeId, configId: OutcomeId, values: Values, objects?: string[]) => void,
): Resolved | undefined {
  const { value, from, file } = readValue(ctx, def);
  if (value === undefined) return undefined;
  const why =
    (def.file !== undefined ? secretFile(def.file, value) : secretFileContent(value)) ??
    (def.environment !== undefined && isSecretKey(def.environment, value) ? 'a secret-looking variable' : undefined);
  if (!why) return undefined;
  const name = uniqueName(ctx, 'secret', `configs\0${source}`, source);
  const mode = effectiveOptions(ctx).secrets;
  const state: PhraseId =
    mode === 'external'
      ? 'secret-state.external'
      : mode === 'embed'
        ? 'secret-state.embedded'
        : 'secret-state.placeholder';
  if (mode !== 'external')
    emitSecretOf(ctx, name, ctx.projectLabels(), { [key]: value }, def.file !== undefined ? { [key]: def.file } : {});
  rec('top.configs.secret', 'top.configs.secret', { ...from, why, name, state, key, file: file ?? '<file>' }, [
    kindRef('Secret', name),
  ]);
  return { kind: 'Secret', name, key };
}

/**
 * A `mode` that denies other users read access (0400, 0440) on a file the service reads as a non-root user: a Secret
 * or ConfigMap volume's files are root's, so the service reads it only through their group. The pod's fsGroup (its
 * user's group, as a claim gets: ownership.ts podGroup) gives the volume's files that group and the kubelet adds
 * group read to a read-only volume's modes; every container of the pod has fsGroup among its groups, so a pod that
 * already has another one reads it too. Root, or a user not known here, is left as it is.
 */
function groupReadable(
  ctx: ConvertContext,
  svc: Service,
  plan: PodPlan,
  family: Family,
  path: string,
  mode: number,
  target: string,
): void {
  if ((mode & 0o004) !== 0) return;
  const g = podGroup(ctx, svc, plan);
  if (!g) return;
  const values = { mode: `0${mode.toString(8).padStart(3, '0')}`, target, gid: g.gid, why: g.why };
  ctx.downgrade(svc.name, path, family === 'secrets' ? 'secrets.mode-fsgroup' : 'configs.mode-fsgroup', values);
}

function mountRef(
  ctx: ConvertContext,
  family: Family,
  svc: Service,
  index: number,
  r: FileReference,
  container: Container,
  plan: PodPlan,
): void {
  const svcName = svc.name;
  const isSecret = family === 'secrets';
  const path = `${family}[${index}]`;
  const res = resolve(ctx, family, r.source);
  if (!res) {
    ctx.outcome(svcName, path, isSecret ? 'secrets.not-mounted' : 'configs.not-mounted', { source: r.source });
    return;
  }
  const target = mountPath(family, r);
  const modeSuffix = r.mode !== undefined ? `-m${r.mode.toString(8)}` : '';
  const vname = volumeName(isSecret ? 'secret' : 'config', res.name + modeSuffix);
  const item = { key: res.key, path: res.key, ...(r.mode !== undefined ? { mode: r.mode } : {}) };
  const volume: Volume =
    res.kind === 'Secret'
      ? { name: vname, secret: { secretName: res.name, items: [item] } }
      : { name: vname, configMap: { name: res.name, items: [item] } };
  addPodVolume(plan, volume);
  (container.volumeMounts ??= []).push({ name: vname, mountPath: target, subPath: res.key, readOnly: true });
  ctx.outcome(
    svcName,
    path,
    isSecret ? 'secrets.mounted' : 'configs.mounted',
    { source: r.source, target, kind: res.kind, name: res.name },
    { objects: [kindRef(res.kind, res.name)] },
  );
  if (r.mode !== undefined) groupReadable(ctx, svc, plan, family, path, r.mode, target);
  if (r.uid !== undefined || r.gid !== undefined)
    ctx.downgrade(svcName, path, isSecret ? 'secrets.owner' : 'configs.owner', {
      uid: r.uid ?? '',
      gid: r.gid ?? '',
      target,
    });
}

export const applySecretsAndConfigs: ContainerStep = (ctx, svc, container, plan) => {
  (svc.secrets ?? []).forEach((r, i) => mountRef(ctx, 'secrets', svc, i, r, container, plan));
  (svc.configs ?? []).forEach((r, i) => mountRef(ctx, 'configs', svc, i, r, container, plan));
};
