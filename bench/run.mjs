#!/usr/bin/env node
/**
 * `npm run bench`: performance of the built converter (dist/), each measurement as a RATIO to a floor
 * measured in the same run on the same input, so the numbers compare across machines. Exits 1 when a
 * ratio exceeds its budget (see bench/README.md). Options: --runs N (default 5), --services N (default
 * 1000), --iterations N (samples loop, default 20), --no-build.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generateCompose } from './generate.mjs';
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
    stale = newest(`${root}src`) > statSync(`${root}dist/index.js`).mtimeMs;
  } catch {
    stale = true;
  }
  if (argv.includes('--no-build') || !stale) return;
  process.stdout.write('dist/ is older than src/: building... ');
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  // tsc emits even with type errors; only a missing dist is fatal.
  console.log(r.status === 0 ? 'done' : 'done (with type errors, see npm run build)');
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

  // 3b. Scaling: the same pipeline on 5x the services, against the 1000-service medians above (one run after a
  // warm-up of the big size: it takes seconds).
  const bigText = generateCompose(SERVICES * 5);
  const scaled = { load: [], convert: [], render: [] };
  for (let i = 0; i < 2; i++) {
    const l = timed(() =>
      core.loadProject({
        files: [{ path: '/bench/compose.yaml', content: bigText }],
        fs,
        workingDir: '/bench',
        env: {},
      }),
    );
    const c = timed(() => core.convertProject(l.value.project, {}, fs));
    const r = timed(() => renderYaml(c.value.objects));
    if (i === 0) continue;
    scaled.load.push(l.ms);
    scaled.convert.push(c.ms);
    scaled.render.push(r.ms);
  }

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

  // 5. Heap of the 1000-service case against the heap of yaml's plain parse of the same text.
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
    timeRow('scaleLoad', `load ${SERVICES * 5} services`, median(scaled.load), `load ${SERVICES}`, m.load),
    timeRow(
      'scaleConvert',
      `convert ${SERVICES * 5} services`,
      median(scaled.convert),
      `convert ${SERVICES}`,
      m.convert,
    ),
    timeRow('scaleRender', `render ${SERVICES * 5} services`, median(scaled.render), `render ${SERVICES}`, m.render),
    heapRow('heapRetained', 'heap retained (load+convert+render)', heap.retained),
    heapRow('heapPeak', 'heap peak (at phase ends)', heap.peak),
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
  console.log(
    `\n${SERVICES} services (${size}); ${samples.names.length} samples; median of ${RUNS} runs after ${WARMUP} warm-up; node ${process.version}`,
  );
  console.table(table);
  const measurements = Object.fromEntries(
    rows.map((r) => [
      r.id,
      { value: r.value, floor: r.floor, floorName: r.floorName, ratio: Number(r.ratio.toFixed(3)), budget: r.budget },
    ]),
  );
  const result = { node: process.version, services: SERVICES, runs: RUNS, iterations: ITERATIONS, measurements };
  writeFileSync(`${root}bench/results.json`, JSON.stringify(result, null, 2) + '\n');
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
