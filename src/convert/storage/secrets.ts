/**
 * Top-level `secrets`/`configs` → one Secret/ConfigMap per compose definition (emitted once, shared
 * by every service using it), mounted per service reference as a single file (`items` + `subPath`)
 * at the reference's `target`.
 */
import type { ConfigMap, Container, Secret, Volume } from 'kubernetes-types/core/v1.js';
import type { FileReference } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import { addPodVolume, type PodPlan } from '../plan/pod.js';
import type { ContainerStep } from '../step.js';
import { isDns1123Subdomain } from '../../kube/naming.js';
import { effectiveOptions } from '../intent/overrides.js';
import { relative } from '../../util/path.js';
import {
  MAX_OBJECT_BYTES,
  dataKey,
  kindRef,
  looksBinary,
  placeholder,
  uniqueName,
  utf8Length,
  volumeName,
} from './files.js';

type Family = 'secrets' | 'configs';

/** What a service reference mounts: the object and the key holding the file. */
interface Resolved {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  key: string;
}

/** Value of a secret/config definition, or why it is unknown. */
function readValue(
  ctx: ConvertContext,
  def: { file?: string; environment?: string; content?: string },
): { value?: string; from: string; problem?: string } {
  if (def.content !== undefined) return { value: def.content, from: 'inline content' };
  if (def.environment !== undefined) {
    const v = ctx.project.environment[def.environment];
    return v === undefined
      ? {
          from: `environment variable ${def.environment}`,
          problem: `environment variable ${def.environment} is not set`,
        }
      : { value: v, from: `environment variable ${def.environment}` };
  }
  if (def.file !== undefined) {
    const rel = def.file.startsWith(ctx.project.workingDir + '/')
      ? relative(ctx.project.workingDir, def.file)
      : def.file;
    const v = ctx.fs?.readFile(def.file);
    return v === undefined
      ? { from: `file ${rel}`, problem: `file ${rel} cannot be read` }
      : { value: v, from: `file ${rel}` };
  }
  return { from: 'nothing', problem: 'no file, environment or content' };
}

/** Emit (once) the object for one top-level definition; undefined when it cannot be mounted. */
function resolve(ctx: ConvertContext, family: Family, source: string): Resolved | undefined {
  const isSecret = family === 'secrets';
  const kind = isSecret ? 'Secret' : 'ConfigMap';
  const def = isSecret ? ctx.project.secrets[source] : ctx.project.configs[source];
  const topKey = `${family}.${source}`;
  const pos = ctx.pos(family, source);
  const first = !ctx.isReported(undefined, topKey);
  const rec = (
    status: Parameters<ConvertContext['record']>[2],
    msg: string,
    extra: { objects?: string[]; fix?: string } = {},
  ) => {
    if (first) ctx.record(undefined, topKey, status, msg, { ...extra, ...(pos ? { pos } : {}) });
  };
  if (!def) return undefined;
  const key = dataKey(source);

  if (def.external) {
    const wanted = def.name ?? source;
    const name = isDns1123Subdomain(wanted)
      ? wanted
      : uniqueName(ctx, kind.toLowerCase(), `${family}\0${source}`, wanted);
    const create = isSecret
      ? `kubectl create secret generic ${name} --from-file=${key}=<file>`
      : `kubectl create configmap ${name} --from-file=${key}=<file>`;
    rec('approximated', `external ${family.slice(0, -1)} is referenced as ${kind} ${name} (key ${key}), not emitted`, {
      objects: [kindRef(kind, name)],
      fix: `create it in the cluster: ${create}`,
    });
    return { kind, name, key };
  }

  const name = uniqueName(ctx, kind.toLowerCase(), `${family}\0${source}`, source);
  const ref = kindRef(kind, name);
  if (ctx.find(kind, name)) return { kind, name, key };
  if (first && def.template_driver)
    ctx.record(undefined, `${topKey}.template_driver`, 'unsupported', 'template drivers are not applied', {
      ...(pos ? { pos } : {}),
    });
  if (first && isSecret && (def as { driver?: string }).driver)
    ctx.record(undefined, `${topKey}.driver`, 'unsupported', 'secret drivers have no Kubernetes equivalent', {
      ...(pos ? { pos } : {}),
      fix: 'use an external secret operator (e.g. External Secrets) and --secrets external',
    });

  const { value, from, problem } = readValue(ctx, def as { file?: string; environment?: string; content?: string });
  const fromFile = `--from-file=${key}=${from.startsWith('file ') ? from.slice(5) : '<file>'}`;
  const createCmd = isSecret
    ? `kubectl create secret generic ${name} ${fromFile}`
    : `kubectl create configmap ${name} ${fromFile}`;

  if (value !== undefined && looksBinary(value)) {
    rec('unsupported', `${from} is binary; it is not converted`, { fix: `create the object yourself: ${createCmd}` });
    return undefined;
  }
  if (value !== undefined && utf8Length(value) > MAX_OBJECT_BYTES) {
    rec('unsupported', `${from} is larger than the 1 MiB ${kind} limit`, {
      fix: 'mount it from a PersistentVolume or bake it into the image',
    });
    return undefined;
  }

  if (isSecret && effectiveOptions(ctx).secrets === 'external') {
    rec('approximated', `secret from ${from} is referenced as Secret ${name}, not emitted (--secrets external)`, {
      objects: [ref],
      fix: `create it before deploying: ${createCmd}`,
    });
    return { kind, name, key };
  }

  let content: string;
  if (value === undefined) {
    content = isSecret ? placeholder(key) : '';
    rec('approximated', `${problem}; ${kind} ${name} holds ${isSecret ? 'a placeholder' : 'an empty value'}`, {
      objects: [ref],
      fix: `fill it before deploying: ${createCmd} --dry-run=client -o yaml | kubectl apply -f -`,
    });
  } else if (isSecret && effectiveOptions(ctx).secrets === 'placeholder') {
    content = placeholder(key);
    rec('approximated', `Secret ${name} holds a placeholder; the real value is in ${from}`, {
      objects: [ref],
      fix: `re-run with --secrets embed, or fill it: ${createCmd} --dry-run=client -o yaml | kubectl apply -f -`,
    });
  } else {
    content = value;
    rec('converted', `${from} → ${kind} ${name}${isSecret ? ' (value embedded: keep the manifest private)' : ''}`, {
      objects: [ref],
    });
  }
  const obj: (Secret | ConfigMap) & KubeObject = isSecret
    ? {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: ctx.meta(name, ctx.projectLabels()),
        type: 'Opaque',
        stringData: { [key]: content },
      }
    : { apiVersion: 'v1', kind: 'ConfigMap', metadata: ctx.meta(name, ctx.projectLabels()), data: { [key]: content } };
  ctx.emit(obj);
  return { kind, name, key };
}

function mountRef(
  ctx: ConvertContext,
  family: Family,
  svcName: string,
  index: number,
  r: FileReference,
  container: Container,
  plan: PodPlan,
): void {
  const isSecret = family === 'secrets';
  const pos = ctx.servicePos(svcName, family, index);
  const res = resolve(ctx, family, r.source);
  if (!res) {
    ctx.record(
      svcName,
      family,
      'unsupported',
      `${family.slice(0, -1)} ${r.source} is not mounted (see the top-level ${family}.${r.source} entry)`,
      { ...(pos ? { pos } : {}) },
    );
    return;
  }
  let target = r.target || (isSecret ? `/run/secrets/${r.source}` : `/${r.source}`);
  if (!target.startsWith('/')) target = (isSecret ? '/run/secrets/' : '/') + target;
  const modeSuffix = r.mode !== undefined ? `-m${r.mode.toString(8)}` : '';
  const vname = volumeName(isSecret ? 'secret' : 'config', res.name + modeSuffix);
  const item = { key: res.key, path: res.key, ...(r.mode !== undefined ? { mode: r.mode } : {}) };
  const volume: Volume = isSecret
    ? { name: vname, secret: { secretName: res.name, items: [item] } }
    : { name: vname, configMap: { name: res.name, items: [item] } };
  addPodVolume(plan, volume);
  (container.volumeMounts ??= []).push({ name: vname, mountPath: target, subPath: res.key, readOnly: true });
  ctx.record(svcName, family, 'converted', `${r.source} mounted at ${target} from ${res.kind} ${res.name}`, {
    objects: [kindRef(res.kind, res.name)],
    ...(pos ? { pos } : {}),
  });
  if (r.uid !== undefined || r.gid !== undefined) {
    ctx.record(
      svcName,
      `${family}.uid`,
      'unsupported',
      `file owner ${r.uid ?? ''}:${r.gid ?? ''} of ${target} cannot be set per file; it is owned by root (group fsGroup when set)`,
      {
        ...(pos ? { pos } : {}),
        fix: 'set spec.securityContext.fsGroup to the group that must read it, or make the file world-readable with mode',
      },
    );
  }
}

export const applySecretsAndConfigs: ContainerStep = (ctx, svc, container, plan) => {
  (svc.secrets ?? []).forEach((r, i) => mountRef(ctx, 'secrets', svc.name, i, r, container, plan));
  (svc.configs ?? []).forEach((r, i) => mountRef(ctx, 'configs', svc.name, i, r, container, plan));
};
