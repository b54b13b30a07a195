#!/usr/bin/env node
/**
 * Builds the browser bundle that the package ships as `compose2k8s/bundle` (dist/browser.bundle.js): the lean
 * entry src/browser.ts and everything it imports in one minified ES module, for a page that loads the converter
 * from a CDN or a static folder without a bundler of its own. Run by `npm run build`; `npm run bench` sizes the
 * same bytes (row bundleKB), and scripts/bundle-report.mjs says what is in them.
 *
 * Two minifiers in a row: esbuild bundles and minifies, then swc's minifier compresses the result again (its
 * compressor does what esbuild's one-pass minifier does not: inlining of single-use functions and constants,
 * merging of statements across them; ~3 % of the gzip size). swc's mangler runs with the module's top-level
 * scope, which esbuild's output leaves to the names it chose.
 *
 *   node scripts/build-browser.mjs [--outfile dist/browser.bundle.js]
 */
import { build } from 'esbuild';
import { minify } from '@swc/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * esbuild's minified ES module `code` compressed again by swc (see above); with `map` (esbuild's source map of
 * `code`, as text) the result's map leads back to the sources.
 */
export async function recompress(code, map) {
  return minify(code, {
    module: true,
    ecma: 2022,
    compress: { passes: 3 },
    mangle: { toplevel: true },
    ...(map ? { sourceMap: { content: map } } : {}),
  });
}

/** esbuild's settings for the browser bundle of `entry` (also scripts/bundle-report.mjs's). */
export const esbuildOptions = (entry) => ({
  absWorkingDir: root,
  entryPoints: [entry],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  write: false,
  logLevel: 'error',
});

/**
 * The bundle of `entry` (default src/browser.ts): `esbuild` is esbuild's minified output alone, `code` the shipped
 * text after swc; each with its gzip -9 size.
 */
export async function bundleBrowser({ entry = 'src/browser.ts' } = {}) {
  const r = await build(esbuildOptions(entry));
  const esbuild = r.outputFiles[0].text;
  const { code } = await recompress(esbuild);
  const gzip = (text) => gzipSync(text, { level: 9 }).length;
  return { code, gzip: gzip(code), esbuild: { raw: Buffer.byteLength(esbuild), gzip: gzip(esbuild) } };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const outfile = resolve(
    root,
    args.includes('--outfile') ? args[args.indexOf('--outfile') + 1] : 'dist/browser.bundle.js',
  );
  const { code } = await bundleBrowser();
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, code);
}
