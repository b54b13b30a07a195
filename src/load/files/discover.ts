/**
 * Default compose file discovery, as `docker compose` does it (compose-go `WithDefaultConfigPath`):
 * look in the working directory, then each parent, for the first directory holding one of the
 * default names; the first name in preference order wins (a warning lists the others), and the
 * first matching override file in that same directory is added.
 */
import type { FileSystem } from '../fs.js';
import type { Diagnostics } from '../../report/diagnostic.js';
import { dirname, join } from '../../util/path.js';

export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
export const DEFAULT_OVERRIDE_FILE_NAMES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

function present(fs: FileSystem, dir: string, names: string[]): string[] {
  return names.map((n) => join(dir, n)).filter((p) => fs.readFile(p) !== undefined);
}

export interface Discovered {
  /** The main file, then the override file when there is one. */
  files: string[];
  /** The directory they were found in. */
  dir: string;
}

/** Find the default compose files from `startDir` upwards; reports `no-compose-file` when there is none. */
export function discoverComposeFiles(fs: FileSystem, startDir: string, diags: Diagnostics): Discovered | undefined {
  let dir = startDir;
  for (;;) {
    const found = present(fs, dir, DEFAULT_FILE_NAMES);
    if (found.length > 0) {
      if (found.length > 1) {
        diags.warn('multiple-compose-files', { found: found.join(', '), used: found[0]! });
      }
      const files = [found[0]!];
      const overrides = present(fs, dir, DEFAULT_OVERRIDE_FILE_NAMES);
      if (overrides.length > 1) {
        diags.warn('multiple-override-files', { found: overrides.join(', '), used: overrides[0]! });
      }
      if (overrides.length > 0) files.push(overrides[0]!);
      return { files, dir };
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  diags.error('no-compose-file', { names: DEFAULT_FILE_NAMES.join(', '), dir: startDir });
  return undefined;
}
