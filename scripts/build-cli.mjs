#!/usr/bin/env node
/**
 * Bundles the CLI (src/cli/main.ts and everything it imports, dependencies included) into one ESM
 * file, dist/cli/compose2k8s.mjs, which package.json's `bin` points to. One file means one read and
 * one compile instead of resolving and loading ~200 modules: that is most of the CLI's start-up.
 * `dist/` from tsc stays as it is for the library exports. Run by `npm run build`.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/compose2k8s.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Full minification (identifiers too): fewer bytes for V8 to scan and compile at every start.
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Some dependencies ship CommonJS that calls require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __c2kCreateRequire } from 'node:module';\nconst require = __c2kCreateRequire(import.meta.url);",
  },
});
