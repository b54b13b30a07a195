import { readFileSync, statSync, readdirSync } from 'node:fs';
import type { FileSystem } from '../load/fs.js';

/** FileSystem over node:fs, for the CLI and Node library users. */
export const nodeFs: FileSystem = {
  readFile(path) {
    try {
      if (!statSync(path).isFile()) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  readBytes(path) {
    try {
      if (!statSync(path).isFile()) return undefined;
      const b = readFileSync(path);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch {
      return undefined;
    }
  },
  isExecutable(path) {
    try {
      const st = statSync(path);
      return st.isFile() && (st.mode & 0o111) !== 0;
    } catch {
      return false;
    }
  },
  isDirectory(path) {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
  listDir(path) {
    try {
      return readdirSync(path).sort();
    } catch {
      return undefined;
    }
  },
};
