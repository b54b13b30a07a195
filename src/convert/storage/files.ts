/**
 * Helpers shared by the modules that turn file content into ConfigMaps/Secrets (configs, secrets,
 * bind mounts, environment): key and name rules, size limits, binary detection, placeholders.
 */
import type { ConvertContext } from '../context.js';
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

/** `file:line` (file relative to the project directory) for messages, or '' when unknown. */
export function where(ctx: ConvertContext, pos: SourcePos | undefined): string {
  if (!pos) return '';
  const file = pos.file.startsWith('/') ? relative(ctx.project.workingDir, pos.file) : pos.file;
  return `${file}:${pos.line}`;
}

export function kindRef(kind: string, name: string): string {
  return `${kind}/${name}`;
}
