/** Test helper: YAML text → normalizeProject, with positions from the real YAML reader. */
import { positionsFromPointers } from '../../../src/model/positions.js';
import { parseComposeYaml } from '../../../src/load/yaml/yaml.js';
import { normalizeProject, type NormalizeOptions } from '../../../src/load/normalize/normalize.js';
import { Diagnostics } from '../../../src/report/diagnostic.js';
import { TEXTS } from '../../../src/mappings/texts.js';

export const ENV: Record<string, string> = { FROM_HOST: 'host-value', EMPTY: '' };

export function load(yaml: string, extra: Partial<NormalizeOptions> = {}) {
  const diags = new Diagnostics(TEXTS);
  const parsed = parseComposeYaml(yaml, 'compose.yaml', diags);
  if (!parsed) throw new Error('test YAML does not parse: ' + diags.list.map((d) => d.message).join('; '));
  const result = normalizeProject(parsed.value, {
    workingDir: '/proj',
    home: '/users/me',
    sources: positionsFromPointers(parsed.positions),
    diags,
    lookupEnv: (n) => ENV[n],
    ...extra,
  });
  const problems = diags.list.filter((d) => d.severity !== 'info').map((d) => `${d.code}@${d.pos?.line}:${d.pos?.col}`);
  return { result, diags, problems };
}

/** `body` is YAML for the keys of one service `web` (indented by the helper), which has `image: img`. */
export function service(body: string, rest = '') {
  const indented = body
    .trim()
    .split('\n')
    .map((l) => '    ' + l)
    .join('\n');
  const r = load(`services:\n  web:\n    image: img\n${indented}\n${rest}`);
  return { ...r, web: r.result?.services['web'] };
}
