/**
 * Atomic output directory writes for `-o DIR`: files go to a temporary directory beside the target,
 * which is then renamed into place, so a failed run never leaves a half-written directory. A
 * non-empty target is refused unless `force`, which replaces it as a whole (stale files go too).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RenderedFile } from '../render/files.js';

export type WriteResult =
  | { ok: true; dir: string; written: string[] }
  | { ok: false; code: 'output-not-empty' | 'output-not-directory' | 'output-write-failed'; message: string };

function uniqueSuffix(): string {
  return `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** `a/b.yaml` style relative paths (no `.`/`..`/empty segments, no backslashes), for `nested` writes. */
function safeNestedPath(p: string): boolean {
  return !p.includes('\\') && p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/**
 * `nested`: file paths may contain subdirectories and dot-files (a Helm chart's `templates/` and
 * `.helmignore`); without it, only plain file names are accepted.
 */
export function writeDirAtomic(
  target: string,
  files: RenderedFile[],
  opts: { force?: boolean; nested?: boolean } = {},
): WriteResult {
  const dir = resolve(target);
  let existing: string[] | undefined;
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      return { ok: false, code: 'output-not-directory', message: `${target} exists and is not a directory` };
    existing = readdirSync(dir);
    if (existing.length > 0 && !opts.force)
      return {
        ok: false,
        code: 'output-not-empty',
        message: `${target} is not empty (${existing.length} entries); pass --force to replace its content`,
      };
  }
  const parent = dirname(dir);
  const tmp = join(parent, `.${basename(dir)}.tmp-${uniqueSuffix()}`);
  let old: string | undefined;
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(tmp);
    for (const f of files) {
      if (
        opts.nested ? !safeNestedPath(f.path) : f.path.includes('/') || f.path.includes('\\') || f.path.startsWith('.')
      )
        throw new Error(`refusing to write file name ${JSON.stringify(f.path)}`);
      if (opts.nested) mkdirSync(dirname(join(tmp, f.path)), { recursive: true });
      writeFileSync(join(tmp, f.path), f.content);
    }
    if (existing !== undefined) {
      if (existing.length === 0) rmdirSync(dir);
      else {
        old = join(parent, `.${basename(dir)}.old-${uniqueSuffix()}`);
        renameSync(dir, old);
      }
    }
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (old) renameSync(old, dir);
      else if (existing !== undefined) mkdirSync(dir, { recursive: true });
      old = undefined;
      throw e;
    }
    if (old) rmSync(old, { recursive: true, force: true });
    return { ok: true, dir, written: files.map((f) => f.path) };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    return { ok: false, code: 'output-write-failed', message: `could not write ${target}: ${(e as Error).message}` };
  }
}
