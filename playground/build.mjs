#!/usr/bin/env node
// Builds the playground as a static site in playground/dist/ (or `outdir`): index.html, style.css,
// app.js (the page) and worker.js (the converter, run off the main thread), all referenced by
// relative paths so the folder works under any base path on any static host. The build FAILS when
// anything in the bundle imports a Node built-in: the core promises to run in a browser, and this
// bundle is the proof (no polyfills). The samples/ projects are embedded, so the page needs no network.
// The worker bundles the lean core (src/browser.ts); what it imports dynamically — the report's fix texts, the
// input dialects, the Helm/Kustomize/files renderers — is split into chunks/, loaded from the same folder when needed.
import { build } from 'esbuild';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recompress } from '../scripts/build-browser.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

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

/** samples/<name>/** (without expected/ outputs) as { name: { relative path: text } }. */
export function readSamples(dir = join(root, 'samples')) {
  const out = {};
  for (const name of readdirSync(dir).sort()) {
    const base = join(dir, name);
    if (!statSync(base).isDirectory()) continue;
    const files = {};
    const walk = (d) => {
      for (const entry of readdirSync(d).sort()) {
        const p = join(d, entry);
        if (statSync(p).isDirectory()) {
          if (entry !== 'expected') walk(p);
        } else files[relative(base, p).split('\\').join('/')] = readFileSync(p, 'utf8');
      }
    };
    walk(base);
    if (files['compose.yaml']) out[name] = files;
  }
  return out;
}

/**
 * Bundle `entries` (default: the page and its worker) into `outdir` and copy the static files.
 * `entry` (one file) is for tests of the bundling rules.
 */
export async function buildPlayground({ outdir = join(here, 'dist'), entry, minify = true } = {}) {
  const common = {
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      __SAMPLES__: JSON.stringify(readSamples()),
      'process.env.NODE_ENV': '"production"',
    },
    plugins: [noNodeBuiltins],
  };
  if (!entry) rmSync(join(outdir, 'chunks'), { recursive: true, force: true }); // no chunks of an older build
  // The page and the worker are built apart, so each embeds what it uses (the samples) and only the
  // worker's dynamic imports become chunks.
  const results = entry
    ? [await build({ ...common, entryPoints: [entry] })]
    : await Promise.all([
        build({ ...common, entryPoints: [join(here, 'app.ts')] }),
        build({
          ...common,
          entryPoints: [join(here, 'worker.ts')],
          splitting: true,
          chunkNames: 'chunks/[name]-[hash]',
        }),
      ]);
  if (minify) await recompressAll(outdir);
  const result = {
    errors: results.flatMap((r) => r.errors),
    warnings: results.flatMap((r) => r.warnings),
  };
  if (!entry) {
    mkdirSync(outdir, { recursive: true });
    for (const f of ['index.html', 'style.css']) copyFileSync(join(here, f), join(outdir, f));
  }
  return result;
}

/**
 * Every .js file esbuild wrote to `outdir` (and chunks/), compressed again by swc as the shipped browser bundle is
 * (scripts/build-browser.mjs: ~4 % less to download), its source map carried over.
 */
async function recompressAll(outdir) {
  for (const dir of [outdir, join(outdir, 'chunks')]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
      const file = join(dir, name);
      const hasMap = existsSync(`${file}.map`);
      const out = await recompress(
        readFileSync(file, 'utf8'),
        hasMap ? readFileSync(`${file}.map`, 'utf8') : undefined,
      );
      writeFileSync(file, hasMap ? `${out.code}\n//# sourceMappingURL=${name}.map\n` : out.code);
      if (hasMap) writeFileSync(`${file}.map`, out.map);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildPlayground().then(
    () => process.stderr.write('playground: built playground/dist/\n'),
    (e) => {
      // esbuild has already printed its errors; anything else is printed here.
      if (!Array.isArray(e?.errors)) process.stderr.write(`playground: ${e?.stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
