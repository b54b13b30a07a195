/**
 * Helpers shared by the modules that turn file content into ConfigMaps/Secrets (configs, secrets,
 * bind mounts, environment): key and name rules, size limits, binary detection, placeholders.
 */
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import { effectiveOptions } from '../intent/overrides.js';
import { dns1123Label } from '../../kube/naming.js';
import { relative } from '../../util/path.js';
import { base64 } from '../../util/base64.js';
import type { SourcePos } from '../../report/diagnostic.js';

/** A valid data key for a file name: invalid characters → `_`. */
export function dataKey(fileName: string): string {
  let k = fileName.replace(/[^-._a-zA-Z0-9]+/g, '_');
  if (k === '' || k === '.' || k === '..') k = 'file' + k.replace(/\./g, '_');
  return k.length > 253 ? k.slice(0, 253) : k;
}

/** A data key for file `name` that `taken` does not hold yet: `name_2`, `name_3`... after the first. */
export function freeKey(name: string, taken: Readonly<Record<string, unknown>>): string {
  let key = dataKey(name);
  for (let i = 2; key in taken; i++) key = dataKey(`${name}_${i}`);
  return key;
}

/** The API server rejects ConfigMaps and Secrets larger than 1 MiB. */
export const MAX_OBJECT_BYTES = 1024 * 1024;

export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * True for content that is not text: contains NUL or the U+FFFD replacement character a UTF-8
 * decoder puts where bytes were invalid (the FileSystem returns text, so binary shows up like that).
 */
export function looksBinary(s: string): boolean {
  return s.includes('\u0000') || s.includes('\uFFFD');
}

/**
 * A binary file (see looksBinary) as `binaryData`: its bytes, base64-encoded, and their count for the 1 MiB
 * limit; undefined when the file system cannot read bytes (then the file cannot be carried).
 */
export function binaryFile(ctx: ConvertContext, path: string): { data: string; size: number } | undefined {
  const bytes = ctx.fs?.readBytes?.(path);
  return bytes ? { data: base64(bytes), size: bytes.length } : undefined;
}

/** The mode a file with an execute bit keeps in a ConfigMap volume (0755), as Docker's bind mount shows it. */
export const EXEC_MODE = 0o755;

/** True when the bind-mounted file at `path` has an execute bit (a script the container may run). */
export function isExecutable(ctx: ConvertContext, path: string): boolean {
  return ctx.fs?.isExecutable?.(path) ?? false;
}

/**
 * Unique object name in a kind group: `identity` says which source it is (two different sources
 * never share a name), `proposed` is the wanted name (sanitized to DNS-1123).
 */
export function uniqueName(ctx: ConvertContext, group: string, identity: string, proposed: string): string {
  return ctx.names.get(group, identity, 63, proposed);
}

/** Pod volume names are DNS-1123 labels; prefix + name, cut with a hash when too long. */
export function volumeName(prefix: string, name: string): string {
  return dns1123Label(`${prefix}-${name}`);
}

/** A recognizable placeholder for a secret value that was not embedded. */
export function placeholder(key: string): string {
  return `<set-me: ${key}>`;
}

/** A file as a ConfigMap carries it: its text (`data`), or, not UTF-8 text, its bytes base64-encoded (`binaryData`). */
export interface FileData {
  binary: boolean;
  data: string;
  /** Its bytes, for the 1 MiB limit. */
  size: number;
}

/**
 * The file at `path`, read as `text`, as a ConfigMap carries it; undefined for a binary one (looksBinary) whose bytes
 * the file system cannot read (or with no path).
 */
export function fileData(ctx: ConvertContext, path: string | undefined, text: string): FileData | undefined {
  if (!looksBinary(text)) return { binary: false, data: text, size: utf8Length(text) };
  const bin = path ? binaryFile(ctx, path) : undefined;
  return bin && { binary: true, ...bin };
}

/** Emit ConfigMap `name` (unless it is there) of files (data key → file): text in `data`, binary in `binaryData`. */
export function emitConfigMapOf(
  ctx: ConvertContext,
  name: string,
  labels: Record<string, string>,
  files: Record<string, FileData>,
): void {
  if (ctx.find('ConfigMap', name)) return;
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const [k, f] of Object.entries(files)) (f.binary ? binaryData : data)[k] = f.data;
  const obj: ConfigMap & KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: ctx.meta(name, labels),
    ...(Object.keys(data).length || !Object.keys(binaryData).length ? { data } : {}),
    ...(Object.keys(binaryData).length ? { binaryData } : {}),
  };
  ctx.emit(obj);
}

/**
 * Emit Secret `name` (unless it is there) of secret files (`files`: data key → text): placeholder values unless
 * `--secrets embed`. A binary one cannot travel as text: embedded, its bytes (read at `paths[key]`) go to `data`
 * (base64) when the file system can read them, else it keeps the placeholder.
 */
export function emitSecretOf(
  ctx: ConvertContext,
  name: string,
  labels: Record<string, string>,
  files: Record<string, string>,
  paths: Readonly<Record<string, string>>,
): void {
  if (ctx.find('Secret', name)) return;
  const embed = effectiveOptions(ctx).secrets === 'embed';
  const stringData: Record<string, string> = {};
  const data: Record<string, string> = {};
  for (const [k, t] of Object.entries(files)) {
    const bin = embed && looksBinary(t) && paths[k] !== undefined ? binaryFile(ctx, paths[k]) : undefined;
    if (bin) data[k] = bin.data;
    else stringData[k] = embed && !looksBinary(t) ? t : placeholder(k);
  }
  const obj: Secret & KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: ctx.meta(name, labels),
    type: 'Opaque',
    ...(Object.keys(data).length ? { data } : {}),
    ...(Object.keys(stringData).length || !Object.keys(data).length ? { stringData } : {}),
  };
  ctx.emit(obj);
}

/** `file:line` (file relative to the project directory) for messages, or '' when unknown. */
export function where(ctx: ConvertContext, pos: SourcePos | undefined): string {
  if (!pos) return '';
  const file = pos.file.startsWith('/') ? relative(ctx.project.workingDir, pos.file) : pos.file;
  return `${file}:${pos.line}`;
}

export function kindRef(kind: string, name: string): string {
  return `${kind}/${name}`;
}
