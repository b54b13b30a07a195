/**
 * The one way the core touches files. The Node CLI passes an implementation over `node:fs`
 * (src/node/fs.ts); a browser or a test passes `memoryFs({...})`. All paths are absolute POSIX.
 */
export interface FileSystem {
  /** File content as UTF-8 text, or `undefined` when there is no such file. */
  readFile(path: string): string | undefined;
  /**
   * File content as bytes, or `undefined` when there is no such file. Optional: without it a file that is not
   * UTF-8 text cannot be carried (it is reported); with it, such a file becomes `binaryData`.
   */
  readBytes?(path: string): Uint8Array | undefined;
  /**
   * True when `path` is a file with an execute bit set (owner, group or other). Optional: without it every file a
   * bind mount carries into a ConfigMap gets Kubernetes' default mode 0644, so a mounted script cannot be run.
   */
  isExecutable?(path: string): boolean;
  /** True when `path` is an existing directory. */
  isDirectory(path: string): boolean;
  /** Entry names of a directory (not recursive), or `undefined` when it is not a directory. */
  listDir(path: string): string[] | undefined;
}

import { normalize } from '../util/path.js';

/**
 * An in-memory file system: keys are absolute paths (normalized), values file contents, as text or bytes (bytes
 * read as text are decoded as UTF-8, invalid sequences becoming U+FFFD, as a Node or browser decoder does).
 * `executable` lists the files that have an execute bit (scripts a container runs from a bind mount).
 */
export function memoryFs(
  files: Record<string, string | Uint8Array>,
  options: { executable?: readonly string[] } = {},
): FileSystem {
  const map = new Map<string, string | Uint8Array>();
  for (const [k, v] of Object.entries(files)) map.set(normalize(k), v);
  const executable = new Set((options.executable ?? []).map(normalize));
  const isDir = (p: string): boolean => {
    const n = normalize(p);
    const prefix = n === '/' ? '/' : n + '/';
    for (const k of map.keys()) if (k.startsWith(prefix)) return true;
    return false;
  };
  return {
    readFile(p) {
      const v = map.get(normalize(p));
      return v === undefined || typeof v === 'string' ? v : new TextDecoder().decode(v);
    },
    readBytes(p) {
      const v = map.get(normalize(p));
      return v === undefined || typeof v !== 'string' ? v : new TextEncoder().encode(v);
    },
    isExecutable: (p) => executable.has(normalize(p)) && map.has(normalize(p)),
    isDirectory: isDir,
    listDir(p) {
      if (!isDir(p)) return undefined;
      const n = normalize(p);
      const prefix = n === '/' ? '/' : n + '/';
      const names = new Set<string>();
      for (const k of map.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
      return [...names].sort();
    },
  };
}
