#!/usr/bin/env node
// Bundles the playground (playground/app.ts + the compose2k8s core from src/) for the browser into
// playground/dist/app.js with esbuild. The build FAILS when anything in the bundle imports a Node
// built-in: the core promises to run in a browser, and this bundle is the proof (no polyfills).
// The sample compose file is embedded at build time, so the page needs no network at all.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const SAMPLE = 'samples/voting-app/compose.yaml';

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Turns every import of a Node built-in into a build error naming the importer. */
export const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.split('/')[0];
      if (!args.path.startsWith('node:') && !builtins.has(args.path) && !builtins.has(bare)) return undefined;
      return {
        errors: [
          {
            text: `"${args.path}" is a Node built-in; the browser bundle must not import it (imported by ${args.importer})`,
          },
        ],
      };
    });
  },
};

/** Bundle `entry` (default playground/app.ts) to `outfile` (default playground/dist/app.js). */
export async function buildPlayground({ entry = here + 'app.ts', outfile = here + 'dist/app.js', minify = true } = {}) {
  const sample = readFileSync(root + SAMPLE, 'utf8');
  return build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      __SAMPLE_COMPOSE__: JSON.stringify(sample),
      __SAMPLE_PATH__: JSON.stringify(SAMPLE),
      'process.env.NODE_ENV': '"production"',
    },
    plugins: [noNodeBuiltins],
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildPlayground().then(
    () => process.stderr.write('playground: built playground/dist/app.js\n'),
    () => {
      // esbuild has already printed the errors.
      process.exitCode = 1;
    },
  );
}
