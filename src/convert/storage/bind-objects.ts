/** The objects a bind mount's content becomes: a ConfigMap of its files, or a Secret of its secret files. */
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { basename } from '../../util/path.js';
import { EXEC_MODE, emitConfigMapOf, emitSecretOf, isExecutable, uniqueName, type FileData } from './files.js';
import { effectiveOptions } from '../intent/overrides.js';
import type { Values } from '../book.js';
import type { OutcomeId, PhraseId } from '../../mappings/outcomes.js';
import { mounters } from './claims.js';
import { installsInto } from './bind-kinds.js';

/** Report the bind mount's one entry (the item's path and position are bound in). */
export type Rec = (id: OutcomeId, values: Values, extra?: { objects?: string[] }) => void;

/**
 * The wanted name and the labels of what a bind source's files become (ConfigMap, Secret): `<service>-<base name>`
 * with the service's labels when one pod mounts it; `<project>-<base name>` with the project's labels when several
 * do, so a directory that loki, promtail and alertmanager share is not named and labelled after whichever of them
 * sorts first.
 */
export function bindOwner(
  ctx: ConvertContext,
  svc: Service,
  src: string,
): { proposed: string; labels: Record<string, string> } {
  return mounters(ctx, 'bind', src).pods.length > 1
    ? { proposed: `${ctx.project.name}-${basename(src)}`, labels: ctx.projectLabels() }
    : { proposed: `${ctx.serviceName(svc)}-${basename(src)}`, labels: ctx.labels(svc) };
}

/** The ConfigMap of a bind-mounted file or directory (data key → file). */
export function emitConfigMap(ctx: ConvertContext, svc: Service, src: string, files: Record<string, FileData>): string {
  const owner = bindOwner(ctx, svc, src);
  const name = uniqueName(ctx, 'configmap', `bind\0${src}`, owner.proposed);
  emitConfigMapOf(ctx, name, owner.labels, files);
  return name;
}

/**
 * The report's note on a mount's access: a phrase of report.yaml (`bind.*`). None when compose mounts it read-only
 * itself, nor for a folder of service `dirOf` its command writes into: the app gets a writable copy of it (bind.ts
 * writableCopy, whose entry says so).
 */
export function roNote(v: ServiceVolume, ctx?: ConvertContext, dirOf?: Service): PhraseId {
  return v.read_only || (ctx && dirOf && installsInto(ctx, dirOf, v)) ? 'bind.none' : 'bind.read-only';
}

/** One file of a bind-mounted directory in its ConfigMap: data key, path under the mount, 0755 when executable. */
export interface FileItem {
  key: string;
  path: string;
  mode?: number;
}

/** A directory file's item: data key, path under the mount, and mode 0755 when the file at `file` is executable. */
export function fileItem(ctx: ConvertContext, key: string, path: string, file: string): FileItem {
  return isExecutable(ctx, file) ? { key, path, mode: EXEC_MODE } : { key, path };
}

/** A single bind-mounted file's volume mode (0755 when executable, else the default) and the report's note on it. */
export function singleFileMode(ctx: ConvertContext, file: string): { defaultMode?: number; note: PhraseId } {
  return isExecutable(ctx, file) ? { defaultMode: EXEC_MODE, note: 'bind.exec' } : { note: 'bind.none' };
}

/** The report's note on the files of a directory that keep their execute bit: its `exec` and `execFiles` values. */
export function execNote(items: readonly FileItem[]): Values {
  const n = items.filter((i) => i.mode !== undefined).length;
  return { exec: n ? 'bind.exec-files' : 'bind.none', execFiles: n };
}

/**
 * A Secret holding secret project files (`files`: data key → text): placeholder values unless `--secrets embed`,
 * not emitted with `--secrets external` (the user creates it with the fix's kubectl command).
 */
export function emitFileSecret(
  ctx: ConvertContext,
  svc: Service,
  src: string,
  files: Record<string, string>,
  /** Data key → the file's path, to read a binary file's bytes. */
  paths: Readonly<Record<string, string>>,
): { name: string; emitted: boolean } {
  const owner = bindOwner(ctx, svc, src);
  const name = uniqueName(ctx, 'secret', `bind\0${src}`, owner.proposed);
  if (effectiveOptions(ctx).secrets === 'external') return { name, emitted: false };
  emitSecretOf(ctx, name, owner.labels, files, paths);
  return { name, emitted: true };
}
