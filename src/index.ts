/**
 * Public API of compose2k8s, the default entry (Node, and bundlers without the `browser` condition): the lean core
 * of ./browser.ts with the report's texts attached (worded messages, every report entry's `fix`), plus the Helm, Kustomize and
 * `-o DIR` renderers of ./renderers.ts, reading every input dialect of ./dialects.ts (kompose labels, x-k8s...), with
 * every output mode of ./modes.ts (--pod-security restricted, --ingress gateway).
 * Browser bundlers get ./browser.ts alone through package.json's `browser` condition; `compose2k8s/texts`,
 * `compose2k8s/render` and `compose2k8s/dialects` are there for pages that want them (lazily).
 *
 *   const { objects, report, diagnostics } = convert({ files: [{ path: 'compose.yaml', content }] });
 */
import { convert as convertLean, type ConvertInput, type ConvertOutput } from './browser.js';
import { convertProject as convertProjectLean } from './convert/index.js';
import { loadProject as loadProjectLean } from './load/project.js';
import { TEXTS } from './mappings/texts.js';
import { DIALECTS } from './convert/dialects.js';
import { MODES } from './convert/modes.js';

export * from './browser.js';
export * from './renderers.js';
export * from './dialects.js';
export * from './modes.js';
export { TEXTS } from './mappings/texts.js';

/**
 * Load compose files and convert them, with the report's texts and every dialect (unless `dialects` says which).
 * Never throws on bad input: problems are diagnostics.
 */
export function convert(input: ConvertInput = {}): ConvertOutput {
  // `?? `, not a spread under them: a field given as undefined (`dialects: cfg.dialects`) is one left out.
  const given = input ?? {};
  return convertLean({
    ...given,
    texts: given.texts ?? TEXTS,
    dialects: given.dialects ?? DIALECTS,
    modes: given.modes ?? MODES,
  });
}

/** Load compose files, with the diagnostics' texts unless other `texts` are given. */
export const loadProject: typeof loadProjectLean = (opts) => loadProjectLean({ ...opts, texts: opts.texts ?? TEXTS });

/** Convert a loaded project, with the report's texts, every dialect and every output mode unless others are given. */
export const convertProject: typeof convertProjectLean = (
  project,
  options,
  fs,
  texts = TEXTS,
  dialects = DIALECTS,
  modes = MODES,
) => convertProjectLean(project, options, fs, texts, dialects, modes);
