/**
 * One load + convert + render of the generated project, for profiling:
 *   npm run build && node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.mjs 1000
 * then open the .cpuprofile in Chrome DevTools (Performance tab) or VS Code.
 */
import { generateCompose } from './generate.mjs';
import { convertProject, loadProject, memoryFs } from '../dist/index.js';
import { renderYaml } from '../dist/render/yaml.js';

const text = generateCompose(Number(process.argv[2] ?? 1000));
const fs = memoryFs({});
const loaded = loadProject({
  files: [{ path: '/bench/compose.yaml', content: text }],
  fs,
  workingDir: '/bench',
  env: {},
});
if (!loaded.project) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
const converted = convertProject(loaded.project, {}, fs);
const yaml = renderYaml(converted.objects);
console.log(`${converted.objects.length} objects, ${yaml.length} characters of YAML`);
