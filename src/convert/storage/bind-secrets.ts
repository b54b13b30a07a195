/**
 * Bind mounts of secret files (keys, certificates, .env files holding credentials): a Secret mounted where compose
 * mounted the file, or, for a directory, the secret files in a Secret and the rest in a ConfigMap.
 */
import type { Container, Volume } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { basename } from '../../util/path.js';
import { dataKey, volumeName, type FileData } from './files.js';
import { secretValueIn } from '../container/secret-values.js';
import { effectiveOptions } from '../intent/overrides.js';
import { addVolume } from './claims.js';
import {
  emitConfigMap,
  emitFileSecret,
  execNote,
  roNote,
  singleFileMode,
  type FileItem,
  type Rec,
} from './bind-objects.js';
import type { PhraseId } from '../../mappings/outcomes.js';

/** What the Secret holds, as a phrase of report.yaml: a placeholder replaces a whole file (bind-objects.ts). */
function secretValues(ctx: ConvertContext, emitted: boolean): PhraseId {
  if (!emitted) return 'secret-state.not-emitted';
  return effectiveOptions(ctx).secrets === 'embed' ? 'secret-state.values-embedded' : 'secret-state.file-placeholders';
}

/** The `--from-file=KEY=PATH` arguments that fill a Secret from the project directory (the fix spells the command). */
function fromFiles(files: Array<{ key: string; path: string }>): string {
  return files.map((f) => `--from-file=${f.key}=${f.path}`).join(' ');
}

/** A secret file bind mount → a Secret mounted with subPath where compose mounted the file. */
export function fileSecret(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  v: ServiceVolume,
  shown: string,
  text: string,
  why: string,
  rec: Rec,
): void {
  const src = v.source ?? '';
  const key = dataKey(basename(src));
  const s = emitFileSecret(ctx, svc, src, { [key]: text }, { [key]: src });
  const { defaultMode, note } = singleFileMode(ctx, src);
  const name = addVolume(plan, {
    name: volumeName('secret', s.name),
    secret: { secretName: s.name, ...(defaultMode ? { defaultMode } : {}) },
  });
  (c.volumeMounts ??= []).push({ name, mountPath: v.target, subPath: key, readOnly: true });
  rec(
    'volumes.bind-secret-file',
    {
      shown,
      why,
      secret: s.name,
      state: secretValues(ctx, s.emitted),
      fromFiles: fromFiles([{ key, path: shown }]),
      exec: note,
    },
    { objects: [`Secret/${s.name}`] },
  );
}

/**
 * A bind-mounted directory holding secret files: the others go to its ConfigMap, the secret ones to a Secret, both
 * projected into one volume mounted at the directory, so every file keeps its path.
 */
export function dirWithSecrets(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  v: ServiceVolume,
  shown: string,
  plain: { files: Record<string, FileData>; items: FileItem[] },
  secrets: Record<string, string>,
  secretItems: FileItem[],
  whys: string[],
  rec: Rec,
): void {
  const src = v.source ?? '';
  const s = emitFileSecret(
    ctx,
    svc,
    src,
    secrets,
    Object.fromEntries(secretItems.map((i) => [i.key, `${src}/${i.path}`])),
  );
  const objects = [`Secret/${s.name}`];
  let volume: Volume;
  if (plain.items.length) {
    const cm = emitConfigMap(ctx, svc, src, plain.files);
    objects.unshift(`ConfigMap/${cm}`);
    volume = {
      name: volumeName('dir', cm),
      projected: {
        sources: [{ configMap: { name: cm, items: plain.items } }, { secret: { name: s.name, items: secretItems } }],
      },
    };
  } else {
    const renamed = secretItems.some((i) => i.key !== i.path || i.mode !== undefined);
    volume = {
      name: volumeName('secret', s.name),
      secret: { secretName: s.name, ...(renamed ? { items: secretItems } : {}) },
    };
  }
  const name = addVolume(plan, volume);
  (c.volumeMounts ??= []).push({ name, mountPath: v.target, readOnly: true });
  rec(
    'volumes.bind-dir-secret-files',
    {
      shown,
      count: plain.items.length,
      secretCount: secretItems.length,
      files: whys.join(', '),
      secret: s.name,
      target: v.target,
      state: secretValues(ctx, s.emitted),
      fromFiles: fromFiles(secretItems.map((i) => ({ key: i.key, path: `${shown}/${i.path}` }))),
      ro: roNote(v, ctx, svc),
      ...execNote([...plain.items, ...secretItems]),
    },
    { objects },
  );
}

export function holdsSecret(ctx: ConvertContext, text: string): string | undefined {
  const name = secretValueIn(ctx, text);
  return name ? `a file holding the value of ${name}` : undefined;
}
