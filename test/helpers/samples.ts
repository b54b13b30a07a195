/** The shipped sample projects (samples/<name>/compose.yaml), loaded with an empty environment. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../src/index.js';
import { nodeFs } from '../../src/node/fs.js';
import type { Project } from '../../src/model/types.js';

export const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));
export const samples = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

export function loadSample(name: string): Project {
  const r = loadProject({
    files: [`${SAMPLES}${name}/compose.yaml`],
    workingDir: `${SAMPLES}${name}`,
    fs: nodeFs,
    env: {},
  });
  if (!r.project) throw new Error(`sample ${name} does not load`);
  return r.project;
}
