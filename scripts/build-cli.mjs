#!/usr/bin/env node
/**
 * Builds the published CLI (package.json `bin`: dist/cli/compose2k8s.cjs). Run by `npm run build`.
 *
 * Start-up is most of a small run, and most of start-up is V8 compiling JavaScript: the ~200 modules'
 * source once at load, then every function again (lazily) the first time it runs. So:
 *
 * 1. The program (src/cli/main.ts, everything it imports, dependencies included) is bundled and
 *    minified into one file, dist/cli/bundle.js: one read and no module resolution. The file is the
 *    text of a function expression `(function (require, module, exports) { ... })` — CommonJS wrapped by
 *    hand — so the launcher can compile it as a classic script with a V8 code cache (ES modules cannot
 *    take one on Node 20, which lacks `module.enableCompileCache`).
 * 2. A training run converts a small project in this process, then saves V8's code cache of the bundle
 *    with every function compiled so far (dist/cli/bundle.cache). A later run with the same Node/V8
 *    version and flags skips both the initial compile and the lazy compiles of the default path.
 * 3. dist/cli/compose2k8s.cjs is a small (CommonJS) launcher: it reads the bundle and the cache, compiles (V8
 *    checks the cache and silently ignores one from another V8 version or a different bundle) and runs.
 *    No cache file, or a rejected one, only means the normal compile: the result is the same.
 *
 * `--no-cache` skips step 2; `--no-minify` keeps names readable (for `node --cpu-prof`); `--outdir DIR`
 * writes the three files elsewhere (default dist/cli).
 */
import { build } from 'esbuild';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const outdir = resolve(root, args.includes('--outdir') ? args[args.indexOf('--outdir') + 1] : 'dist/cli');
const withCache = !args.includes('--no-cache');
const minify = !args.includes('--no-minify');
const bundleFile = join(outdir, 'bundle.js');
const cacheFile = join(outdir, 'bundle.cache');

mkdirSync(outdir, { recursive: true });
rmSync(cacheFile, { force: true });
// The launcher was an ES module (compose2k8s.mjs) before: do not leave a stale one beside the new one.
rmSync(join(outdir, 'compose2k8s.mjs'), { force: true });

await build({
  absWorkingDir: root,
  stdin: {
    contents: "export { runCli } from './src/cli/main.ts';\nexport { nodeIO } from './src/cli/common.ts';\n",
    resolveDir: root,
    sourcefile: 'cli-entry.ts',
    loader: 'ts',
  },
  outfile: bundleFile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Full minification (identifiers too): fewer bytes for V8 to scan, compile and cache.
  minify,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: '(function (require, module, exports) {' },
  footer: { js: '})' },
  plugins: [lazyBuiltins(['node:child_process'])],
});

// The launcher reads the bundle as latin1, which is the same string only for ASCII text, and a one-byte string
// (decoded ~3× faster than UTF-8, and what V8 hashes to check the cache). esbuild escapes non-ASCII characters
// in strings and names, not in regular expression literals.
{
  const m = /[^\x00-\x7f]/.exec(readFileSync(bundleFile, 'latin1'));
  // Unminified builds keep comments (which may hold any character): only for profiling, so not fatal there.
  if (m && minify)
    throw new Error(`${bundleFile}: non-ASCII character at offset ${m.index}; write it as an escape in the source`);
}

/**
 * commander requires `node:child_process` at load, only to spawn executable subcommands (which this CLI has
 * none of); loading it is a few ms of every start. These built-ins are loaded on first property access instead.
 */
function lazyBuiltins(names) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
  return {
    name: 'lazy-builtins',
    setup(b) {
      b.onResolve({ filter }, (a) =>
        a.namespace === 'lazy-builtin' ? undefined : { path: a.path, namespace: 'lazy-builtin' },
      );
      b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (a) => ({
        contents: `let m;\nmodule.exports = new Proxy({}, { get: (_, k) => (m ??= require(${JSON.stringify(a.path)}))[k] });\n`,
        loader: 'js',
      }));
    },
  };
}

const LAUNCHER = `#!/usr/bin/env node
// compose2k8s: runs the bundled program (bundle.js) with the V8 code cache made at build time
// (bundle.cache), if there is one and this Node accepts it. Built by scripts/build-cli.mjs.
// CommonJS, not an ES module: Node's ESM entry (loader, async source read, module job) costs a few ms per start.
'use strict';
const { readFileSync } = require('node:fs');
const { Script } = require('node:vm');

const file = __dirname + '/bundle.js';
let cachedData;
try {
  cachedData = readFileSync(__dirname + '/bundle.cache');
} catch {
  cachedData = undefined;
}
const program = { exports: {} };
const script = new Script(readFileSync(file, 'latin1'), { filename: file, cachedData });
// After the compile (V8 accepts a code cache only under the flags it was made with): let functions run 4x longer
// in the interpreter before tiering up. A small run otherwise spends ~20 % of its instructions compiling the YAML
// lexer with Turbofan and Sparkplug for a few more milliseconds of use; a long run still gets optimized code.
require('node:v8').setFlagsFromString('--interrupt-budget=${4 * 67584}');
script.runInThisContext()(require, program, program.exports);
program.exports.runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
`;
const launcher = join(outdir, 'compose2k8s.cjs');
writeFileSync(launcher, LAUNCHER);
chmodSync(launcher, 0o755);

if (withCache) await writeCodeCache();

/**
 * Compile the bundle as the launcher does, run the program in this process on the repository's samples
 * (the default output, plus JSON and `-o DIR` once), then save the code cache: it holds every function
 * those runs compiled, so a user's run of the same paths compiles (almost) nothing.
 *
 * The training runs with Sparkplug (V8's baseline compiler) off. V8 keeps, with a function's bytecode, that it
 * was hot enough to be baseline-compiled, and a process that loads the cache then baseline-compiles those
 * functions early: trained on every sample, a 5-service run compiled 74 functions with Sparkplug instead of 25
 * (186 after 20 runs of one file), ~10 % of its time. The flag is restored before the cache is written, so the
 * cache carries the default flags' hash (V8 rejects a cache made under other flags).
 */
async function writeCodeCache() {
  const script = new Script(readFileSync(bundleFile, 'latin1'), { filename: bundleFile });
  const program = { exports: {} };
  script.runInThisContext()(createRequire(bundleFile), program, program.exports);
  setFlagsFromString('--no-sparkplug');
  const tmp = mkdtempSync(join(tmpdir(), 'c2k-train-'));
  try {
    const samples = join(root, 'samples');
    // Without samples/ (a copy of dist/ alone) the cache still skips the initial compile.
    const runs = (existsSync(samples) ? readdirSync(samples) : [])
      .filter((name) => existsSync(join(samples, name, 'compose.yaml')))
      .map((name, i) => ({
        cwd: join(samples, name),
        extra: [[], ['--format', 'json'], ['-o', join(tmp, name)]][i % 3],
      }));
    for (const { cwd, extra } of runs) {
      const io = { ...program.exports.nodeIO(), cwd, env: {}, stdout: () => {}, stderr: () => {} };
      const code = await program.exports.runCli(['compose.yaml', ...extra], io);
      if (code > 2) throw new Error(`training run in ${cwd} failed (exit ${code})`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    setFlagsFromString('--sparkplug');
  }
  writeFileSync(cacheFile, script.createCachedData());
}
