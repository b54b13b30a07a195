#!/usr/bin/env node
/**
 * What is in the browser bundle that `npm run bench` sizes (row `bundleKB`: src/browser.ts, the lean entry of
 * package.json's `browser` condition, bundled for the browser, minified, gzip -9). Prints the total, the minified
 * bytes per package / source folder and per file (esbuild's metafile), and each package's or folder's share of the
 * gzip size (the bundle cut without it). The per-part figures are esbuild's minified output; the total is given both
 * as esbuild makes it and as the package ships it (scripts/build-browser.mjs: then swc; the bench's figure).
 * `--entry FILE` sizes another entry (src/index.ts: the default entry with the report texts and the renderers;
 * src/renderers.ts; src/mappings/texts.ts).
 *
 *   node scripts/bundle-report.mjs [--top N] [--entry src/browser.ts]
 */
import { build, transform } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { bundleBrowser, esbuildOptions } from './build-browser.mjs';

const argv = process.argv.slice(2);
const top = argv.includes('--top') ? Number(argv[argv.indexOf('--top') + 1]) : 25;
const entry = argv.includes('--entry') ? argv[argv.indexOf('--entry') + 1] : 'src/browser.ts';

/** The shipped bundle's esbuild settings (scripts/build-browser.mjs), plus `extra`. */
async function bundle(extra = {}) {
  const r = await build({ ...esbuildOptions(entry), metafile: true, ...extra });
  const code = r.outputFiles[0].contents;
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, meta: r.metafile, text: r.outputFiles[0].text };
}

/** `node_modules/@scope/name` or `node_modules/name`, else the file's folder under src/ (two levels). */
function group(file) {
  const parts = file.split('/');
  if (parts[0] === 'node_modules') return parts.slice(0, parts[1].startsWith('@') ? 3 : 2).join('/');
  return parts.slice(0, Math.min(3, parts.length - 1)).join('/') || file;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
const all = await bundle();
const shipped = await bundleBrowser({ entry });
console.log(
  `bundle of ${entry}: ${kb(all.raw)} minified, ${kb(all.gzip)} gzip -9 (esbuild); ${kb(shipped.gzip)} gzip -9 as shipped (+ swc)`,
);

const inputs = Object.entries(Object.values(all.meta.outputs)[0].inputs);
const groups = new Map();
for (const [file, v] of inputs) groups.set(group(file), (groups.get(group(file)) ?? 0) + v.bytesInOutput);
console.log('\nminified bytes by package / folder:');
for (const [g, n] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${kb(n)}  ${g}`);

console.log('\nminified bytes by file:');
for (const [file, v] of inputs.sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, top))
  console.log(`${kb(v.bytesInOutput)}  ${file}`);

// Each folder's share of the gzip size: the bundle minus the bundle without the folder's modules. esbuild marks
// each module with a `// src/...` comment unless whitespace is minified, so the bundle is cut at those marks and each
// rest minified again before gzip. Shares overlap (gzip finds repeats across folders), so they sum above the total.
const marked = await bundle({ minify: false, minifyIdentifiers: true, minifySyntax: true });
// The closing `export { ... }` names declarations of every module: left out, so that a cut bundle still parses.
const cuts = marked.text
  .replace(/\nexport \{[^}]*\};?\s*$/, '\n')
  .split(/^(?=\/\/ (?:src|node_modules)\/)/m)
  .map((text) => {
    const file = /^\/\/ (\S+)/.exec(text)?.[1] ?? '';
    return { group: file ? group(file) : '', text };
  });
const gzipOf = async (code) =>
  gzipSync((await transform(code, { minifyWhitespace: true, loader: 'js' })).code, { level: 9 }).length;
const whole = await gzipOf(cuts.map((c) => c.text).join(''));
const shares = [];
for (const g of new Set(cuts.map((c) => c.group).filter(Boolean)))
  shares.push([
    whole -
      (await gzipOf(
        cuts
          .filter((c) => c.group !== g)
          .map((c) => c.text)
          .join(''),
      )),
    g,
  ]);
console.log('\ngzip share of each package / folder (the bundle minus the bundle without it):');
for (const [n, g] of shares.sort((a, b) => b[0] - a[0]).slice(0, top)) console.log(`${kb(n)}  ${g}`);
