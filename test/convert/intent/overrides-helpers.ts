/** Helpers for the overrides tests: a ConvertContext from compose YAML (real loader) or a corpus file. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConvertContext } from '../../../src/convert/context.js';
import { defaultOptions, type ConvertOptions } from '../../../src/convert/intent/options.js';
import { loadProject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import { TEXTS } from '../../../src/mappings/texts.js';
import { formatOneLine, type Diagnostic } from '../../../src/report/diagnostic.js';
import { withDialects } from '../../helpers/dialects.js';

export const KOMPOSE = fileURLToPath(new URL('../../../../shared/corpus/kompose/', import.meta.url));
export const hasKompose = existsSync(KOMPOSE);

/** Load `text` as /project/compose.yaml and return a fresh conversion context. */
export function ctxFrom(
  text: string,
  options: Partial<ConvertOptions> = {},
  env: Record<string, string> = {},
  files: Record<string, string> = {},
): ConvertContext {
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) all[`/project/${k}`] = v;
  all['/project/compose.yaml'] = text;
  const r = loadProject({ files: ['compose.yaml'], workingDir: '/project', fs: memoryFs(all), env });
  if (!r.project) throw new Error(`loader failed:\n${r.diagnostics.map(formatOneLine).join('\n')}`);
  return withDialects(new ConvertContext(r.project, defaultOptions(options), undefined, undefined, TEXTS));
}

/**
 * A kompose fixture (path relative to the kompose corpus), loaded as compose.yaml with the small
 * files beside it (env files); `append` adds YAML text at the end (e.g. a missing volume definition).
 */
export function ctxFixture(rel: string, env: Record<string, string> = {}, append = ''): ConvertContext {
  const dir = KOMPOSE + rel.slice(0, rel.lastIndexOf('/') + 1);
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) {
    const st = statSync(dir + f);
    if (st.isFile() && st.size < 10_000 && /\.env$/.test(f)) files[f] = readFileSync(dir + f, 'utf8');
  }
  return ctxFrom(readFileSync(KOMPOSE + rel, 'utf8') + append, {}, env, files);
}

/** Diagnostics as `code line:col message` for compact assertions. */
export function diagLines(ctx: ConvertContext): string[] {
  return ctx.diags.list.map((d: Diagnostic) => `${d.code} ${d.pos ? `${d.pos.line}:${d.pos.col}` : '-'} ${d.message}`);
}
