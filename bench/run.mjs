#!/usr/bin/env node
/**
 * `npm run bench`: performance of the built converter (dist/), each measurement as a RATIO to a floor
 * measured in the same run on the same input, so the numbers compare across machines. Exits 1 when a
 * ratio exceeds its budget (see bench/README.md). Options: --runs N (default 5), --services N (default
 * 1000), --iterations N (samples loop, default 20), --no-build, --json (print the results as JSON on
 * stdout instead of the table, for comparing commits), --quick (skip the CLI and 5000-service rows).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generateCompose } from './generate.mjs';
import { SHAPE_N, pipelineSteps, scalePairs, shapesRow } from './scale.mjs';
import { fmtMB, fmtMs, heapOf, median, timed } from './measure.mjs';

const self = fileURLToPath(import.meta.url);
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const RUNS = Math.max(5, opt('runs', 5));
const SERVICES = opt('services', 1000);
const ITERATIONS = opt('iterations', 20);
const WARMUP = 1;
const SMALL_PER_RUN = 4;
/** Timed pairs of the 1000- and 5000-service pipelines (a 5000 one takes seconds). */
const SCALE_RUNS = 4;
const QUICK = argv.includes('--quick');
const JSON_OUT = argv.includes('--json');

/**
 * Budgets: the highest acceptable ratio of each measurement to its floor. Set with headroom (about 2×)
 * over what the code does today, so they catch real regressions (an accidental quadratic loop shows up
 * as 10× and more), not noise. See bench/README.md.
 */
export const BUDGETS = {
  load: 4,
  convert: 10,
  render: 60,
  pipeline: 15,
  samples: 15,
  heapRetained: 30,
  heapPeak: 100,
  // 5x the services must cost at most 6x the time: linear, with room for the garbage collector.
  scaleLoad: 6,
  scaleConvert: 6,
  scaleRender: 6,
  // the worst of bench/shapes.mjs's projects, each sharing one thing among all services (session 10)
  scaleShapes: 6,
  cliBig: 2,
  cliSmall: 6,
  cliSmallBare: 12,
  // 162 KB after zod, fix texts, Helm/Kustomize and yaml's Document model left the browser entry (session 5); 133 KB
  // after the report's message templates joined the texts (session 7); 113.8 KB after session 15 moved dialect-only
  // code out of the lean core; 112.1 KB after session 16 made Dockerfile reading a dialect; 114.4 (session 17) and
  // 115.3 KB (session 18) with the runtime fixes of reviews, which the browser must run as the CLI does.
  bundleKB: 116,
  scaling: 1.6,
};

/** Newest modification time under `dir` (files only). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(`${e.parentPath ?? e.path}/${e.name}`).mtimeMs);
  }
  return t;
}

function build() {
  let stale = true;
  try {
    const built = Math.min(statSync(`${root}dist/index.js`).mtimeMs, statSync(`${root}dist/cli/bundle.js`).mtimeMs);
    stale = Math.max(newest(`${root}src`), statSync(`${root}scripts/build-cli.mjs`).mtimeMs) > built;
  } catch {
    stale = true;
  }
  if (argv.includes('--no-build') || !stale) return;
  process.stderr.write('dist/ is older than src/: building... ');
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  // tsc emits even with type errors; only a missing dist is fatal.
  const b = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  console.error(r.status === 0 && b.status === 0 ? 'done' : 'done (with errors, see npm run build)');
}

/** The published binary (package.json `bin`), as a user runs it. */
const CLI = join(root, JSON.parse(readFileSync(`${root}package.json`, 'utf8')).bin.compose2k8s);

/** Wall-clock milliseconds of a child process (and its stdout), failing loudly when it fails. */
function spawnTimed(args, input, env = process.env) {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    input,
    env,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return { ms, stdout: r.stdout };
}

/**
 * The CLI as a user runs it, against a floor process that does the least any converter must: read the
 * file, yaml.parse it, and yaml.stringify the CLI's own output (as a stream of the same documents).
 */
const FLOOR_SCRIPT = `
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments, stringify } from 'yaml';
const input = parse(readFileSync(process.argv[2], 'utf8'), { merge: true, maxAliasCount: -1 });
const docs = parseAllDocuments(readFileSync(process.argv[3], 'utf8')).map((d) => d.toJS());
let out = '';
for (const d of docs) out += '---\\n' + stringify(d);
process.stdout.write(String(out.length + Object.keys(input).length));
`;

function cliRows(runs) {
  const dir = mkdtempSync(join(tmpdir(), 'c2k-bench-'));
  try {
    const big = join(dir, 'big.yaml');
    const small = join(dir, 'small.yaml');
    writeFileSync(big, generateCompose(SERVICES));
    writeFileSync(small, generateCompose(5));
    // The floor script resolves `yaml` from the repo: run it from a copy inside node_modules' reach.
    const floorInRepo = `${root}bench/.floor.mjs`;
    writeFileSync(floorInRepo, FLOOR_SCRIPT);
    const outFile = join(dir, 'out.yaml');
    const cliBig = [];
    const floorBig = [];
    const cliSmall = [];
    const nodeOnly = [];
    // The same pair without NODE_EXTRA_CA_CERTS: where it is set (this machine sets it), every Node process parses
    // that CA bundle at start (~80 % of `node -e 0`'s instructions), which flattens the cliSmall ratio.
    const bare = { ...process.env };
    delete bare.NODE_EXTRA_CA_CERTS;
    const cliBare = [];
    const nodeBare = [];
    try {
      for (let i = 0; i < 1 + runs; i++) {
        const c = spawnTimed([CLI, big]);
        writeFileSync(outFile, c.stdout);
        const f = spawnTimed([floorInRepo, big, outFile]);
        // The small pair is short (~0.1-0.3 s) and so noisier: SMALL_PER_RUN interleaved pairs per round, so the
        // medians rest on 4x as many samples (20 at the default --runs 5).
        for (let k = 0; k < SMALL_PER_RUN; k++) {
          const cs = spawnTimed([CLI, small]);
          const n = spawnTimed(['-e', '0']);
          if (i === 0) continue;
          cliSmall.push(cs.ms);
          nodeOnly.push(n.ms);
        }
        for (let k = 0; k < SMALL_PER_RUN; k++) {
          const cs = spawnTimed([CLI, small], undefined, bare);
          const n = spawnTimed(['-e', '0'], undefined, bare);
          if (i === 0) continue;
          cliBare.push(cs.ms);
          nodeBare.push(n.ms);
        }
        if (i === 0) continue;
        cliBig.push(c.ms);
        floorBig.push(f.ms);
      }
    } finally {
      rmSync(floorInRepo, { force: true });
    }
    return {
      cliBig: median(cliBig),
      floorBig: median(floorBig),
      cliSmall: median(cliSmall),
      nodeOnly: median(nodeOnly),
      cliBare: median(cliBare),
      nodeBare: median(nodeBare),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Minified + gzipped size of the browser bundle of the library's `convert`: the lean entry that package.json's
 * `browser` condition serves (src/browser.ts, without the report's fix texts and the Helm/Kustomize renderers), as
 * the package ships it minified (`compose2k8s/bundle`, scripts/build-browser.mjs: esbuild, then swc's minifier);
 * `esbuild` is the size esbuild's minifier alone gives (what an app bundling the package with esbuild gets).
 */
async function bundleSize() {
  const { bundleBrowser } = await import('../scripts/build-browser.mjs');
  const b = await bundleBrowser();
  return { raw: Buffer.byteLength(b.code), gzip: b.gzip, esbuild: b.esbuild };
}

/** Every file of every samples/<name>/ folder, as an in-memory file system rooted at /samples. */
function loadSamples(core) {
  const files = {};
  const names = [];
  const dir = `${root}samples`;
  for (const name of readdirSync(dir)) {
    if (!statSync(`${dir}/${name}`).isDirectory()) continue;
    names.push(name);
    for (const e of readdirSync(`${dir}/${name}`, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      const abs = `${e.parentPath ?? e.path}/${e.name}`;
      files[`/samples/${abs.slice(dir.length + 1)}`] = readFileSync(abs, 'utf8');
    }
  }
  const texts = names.map(
    (n) => files[`/samples/${n}/compose.yaml`] ?? files[`/samples/${n}/docker-compose.yml`] ?? '',
  );
  return { fs: core.memoryFs(files), names, texts };
}

const floorParse = (text) => parse(text, { merge: true, maxAliasCount: -1 });

async function main() {
  build();
  const core = await import('../dist/index.js');
  const { renderYaml } = await import('../dist/render/yaml.js');
  const text = generateCompose(SERVICES);
  const fs = core.memoryFs({});
  const load = () =>
    core.loadProject({ files: [{ path: '/bench/compose.yaml', content: text }], fs, workingDir: '/bench', env: {} });

  // 1-3. The 1000-service case: load, convert, render timed separately within each run.
  const big = { load: [], convert: [], render: [], parse: [], stringify: [] };
  let objects = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const p = timed(() => floorParse(text));
    const l = timed(load);
    const errors = l.value.diagnostics.filter((d) => d.severity === 'error');
    if (!l.value.project)
      throw new Error(`the generated project does not load: ${errors.map((d) => d.message).join('; ')}`);
    const c = timed(() => core.convertProject(l.value.project, {}, fs));
    const r = timed(() => renderYaml(c.value.objects));
    const s = timed(() => JSON.stringify(c.value.objects));
    objects = c.value.objects.length;
    if (i < WARMUP) continue;
    big.parse.push(p.ms);
    big.load.push(l.ms);
    big.convert.push(c.ms);
    big.render.push(r.ms);
    big.stringify.push(s.ms);
  }
  const m = Object.fromEntries(Object.entries(big).map(([k, v]) => [k, median(v)]));

  // 3b. Scaling: the same pipeline on 5x the services, interleaved with 1000-service runs (bench/scale.mjs).
  const scaled = scalePairs({
    small: text,
    big: generateCompose(SERVICES * 5),
    runs: SCALE_RUNS,
    measure: pipelineSteps({ core, renderYaml }),
  });

  // 3c. Shapes of sharing (bench/shapes.mjs): convert of SHAPE_N and 5x SHAPE_N services in interleaved pairs, in
  // child processes, as main-thread CPU time (bench/scale.mjs shapesRow); the row is the worst shape's ratio.
  const shapes = shapesRow();

  // 4. Every sample: load + convert, ITERATIONS times per run.
  const samples = loadSamples(core);
  const sampleRuns = { subject: [], floor: [] };
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const f = timed(() => {
      for (let k = 0; k < ITERATIONS; k++) for (const t of samples.texts) floorParse(t);
    });
    const s = timed(() => {
      for (let k = 0; k < ITERATIONS; k++) {
        for (const name of samples.names) {
          const r = core.loadProject({ workingDir: `/samples/${name}`, fs: samples.fs, env: {} });
          if (!r.project)
            throw new Error(`samples/${name} does not load: ${r.diagnostics.map((d) => d.message).join('; ')}`);
          core.convertProject(r.project, {}, samples.fs);
        }
      }
    });
    if (i < WARMUP) continue;
    sampleRuns.floor.push(f.ms);
    sampleRuns.subject.push(s.ms);
  }

  // 5. Scaling: the whole in-process pipeline on 5× the services, against 5× the 1000-service time.
  let scaling;
  if (!QUICK) {
    const text5 = generateCompose(SERVICES * 5);
    const times = [];
    for (let i = 0; i < 2; i++) {
      const t = timed(() => {
        const l = core.loadProject({
          files: [{ path: '/bench/compose.yaml', content: text5 }],
          fs,
          workingDir: '/bench',
          env: {},
        });
        const c = core.convertProject(l.project, {}, fs);
        return renderYaml(c.objects).length;
      });
      times.push(t.ms);
    }
    scaling = Math.min(...times);
  }

  // 6. The CLI as a process, and the browser bundle's size.
  const cli = QUICK ? undefined : cliRows(Math.min(RUNS, 3));
  const bundle = await bundleSize();

  // 7. Heap of the 1000-service case against the heap of yaml's plain parse of the same text.
  const floorHeap = heapOf(() => floorParse(text));
  const heap = heapOf((mark) => {
    const l = load();
    mark();
    const c = core.convertProject(l.project, {}, fs);
    mark();
    const y = renderYaml(c.objects);
    mark();
    return { l, c, y };
  });

  const timeRow = (id, what, value, floorName, floor) => ({
    id,
    what,
    value: fmtMs(value),
    floorName,
    floor: fmtMs(floor),
    ratio: value / floor,
  });
  const heapRow = (id, what, bytes) => ({
    id,
    what,
    value: fmtMB(bytes),
    floorName: 'heap of parse() result',
    floor: fmtMB(floorHeap.retained),
    ratio: bytes / floorHeap.retained,
  });
  const rows = [
    timeRow('load', `load ${SERVICES} services`, m.load, 'yaml parse()', m.parse),
    timeRow('convert', 'convert (incl. report)', m.convert, 'yaml parse()', m.parse),
    timeRow('render', 'render YAML', m.render, 'JSON.stringify(objects)', m.stringify),
    timeRow(
      'pipeline',
      'load + convert + render',
      m.load + m.convert + m.render,
      'parse() + JSON.stringify',
      m.parse + m.stringify,
    ),
    timeRow(
      'samples',
      `samples/ load + convert ×${ITERATIONS}`,
      median(sampleRuns.subject),
      'yaml parse() of each',
      median(sampleRuns.floor),
    ),
    ...['load', 'convert', 'render'].map((step) =>
      timeRow(
        `scale${step[0].toUpperCase()}${step.slice(1)}`,
        `${step} ${SERVICES * 5} services (fastest)`,
        scaled[step].big,
        `${step} ${SERVICES} (fastest)`,
        scaled[step].small,
      ),
    ),
    {
      ...timeRow(
        'scaleShapes',
        `convert ${SHAPE_N * 5} services, worst shape (${shapes[0].shape}), ${shapes[0].clock}`,
        shapes[0].big,
        `convert ${SHAPE_N} (wall ratio ${shapes[0].wall.toFixed(2)}×)`,
        shapes[0].small,
      ),
      ratio: shapes[0].ratio,
    },
    heapRow('heapRetained', 'heap retained (load+convert+render)', heap.retained),
    heapRow('heapPeak', 'heap peak (at phase ends)', heap.peak),
    ...(cli
      ? [
          timeRow('cliBig', `CLI on ${SERVICES} services`, cli.cliBig, 'node: parse + stringify', cli.floorBig),
          timeRow('cliSmall', 'CLI on 5 services', cli.cliSmall, 'node -e 0', cli.nodeOnly),
          timeRow(
            'cliSmallBare',
            'CLI on 5 services, no NODE_EXTRA_CA_CERTS',
            cli.cliBare,
            'node -e 0, same env',
            cli.nodeBare,
          ),
        ]
      : []),
    ...(scaling !== undefined
      ? [
          timeRow(
            'scaling',
            `pipeline on ${SERVICES * 5} services`,
            scaling,
            `5 × ${SERVICES} services`,
            5 * (m.load + m.convert + m.render),
          ),
        ]
      : []),
    {
      id: 'bundleKB',
      what: 'browser bundle of convert (min+gzip)',
      value: `${(bundle.gzip / 1024).toFixed(1)} KB (esbuild alone ${(bundle.esbuild.gzip / 1024).toFixed(1)})`,
      floorName: 'KB (absolute; goal 100)',
      floor: '1',
      ratio: bundle.gzip / 1024,
    },
  ].map((r) => ({ ...r, budget: BUDGETS[r.id] }));

  const over = rows.filter((r) => r.ratio > r.budget);
  const table = rows.map((r) => ({
    measurement: r.what,
    value: r.value,
    floor: `${r.floor} (${r.floorName})`,
    ratio: r.ratio.toFixed(2) + '×',
    budget: `≤ ${r.budget}×`,
    ok: r.ratio > r.budget ? 'OVER' : 'ok',
  }));
  const size = `${(text.length / 1024).toFixed(0)} KiB, ${objects} objects`;
  const split = {
    startupMs: cli ? Math.round(cli.cliSmall) : undefined,
    loadMs: Math.round(m.load),
    convertMs: Math.round(m.convert),
    renderMs: Math.round(m.render),
  };
  const measurements = Object.fromEntries(
    rows.map((r) => [
      r.id,
      { value: r.value, floor: r.floor, floorName: r.floorName, ratio: Number(r.ratio.toFixed(3)), budget: r.budget },
    ]),
  );
  const result = {
    node: process.version,
    services: SERVICES,
    runs: RUNS,
    iterations: ITERATIONS,
    split,
    bundleBytes: bundle,
    measurements,
  };
  writeFileSync(`${root}bench/results.json`, JSON.stringify(result, null, 2) + '\n');
  if (JSON_OUT) {
    console.log(JSON.stringify(result, null, 2));
    if (over.length) process.exit(1);
    return;
  }
  console.log(
    `\n${SERVICES} services (${size}); ${samples.names.length} samples; median of ${RUNS} runs after ${WARMUP} warm-up; node ${process.version}`,
  );
  console.table(table);
  console.log(`split (ms, 1000-service case in process; start-up = whole CLI on 5 services): ${JSON.stringify(split)}`);
  console.log('wrote bench/results.json (a run artifact: do not commit it)');
  if (over.length) {
    console.error(`over budget: ${over.map((r) => `${r.id} ${r.ratio.toFixed(2)}× > ${r.budget}×`).join(', ')}`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(2);
});
