/** The shared corpus beside the repository (absent on some machines: tests `runIf(existsSync(CORPUS))`). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/** Every `compose*.y(a)ml` / `docker-compose*.y(a)ml` below `dir`, in sorted order. */
export function composeFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) composeFiles(p, out);
    else if (/^(docker-)?compose[^/]*\.ya?ml$/.test(n)) out.push(p);
  }
  return out;
}
