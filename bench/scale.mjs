#!/usr/bin/env node
/**
 * The scale rows of bench/run.mjs: scaleLoad, scaleConvert, scaleRender (`pipelineSteps`) and scaleShapes
 * (`shapesRow`), all measured by `scalePairs` below. Run alone (after `npm run build`), `node bench/scale.mjs
 * [repeats]` prints only the first three rows and `node bench/scale.mjs [repeats] --shapes` only scaleShapes, each
 * repeated `repeats` times (default 1) in fresh processes, for quick before/after comparisons without the CLI and
 * samples rows. Each step also reports the process's CPU time (`cpu`, all threads: the collector's helpers
 * included) and the main thread's (`thread`), which waiting for a core on a busy machine does not inflate as it
 * does wall time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { collect, median } from './measure.mjs';
import { SHAPE_FILES, SHAPE_NAMES, shapeCompose } from './shapes.mjs';

const self = fileURLToPath(import.meta.url);
const STEPS = ['load', 'convert', 'render'];

/**
 * CPU time (ms) the calling thread has run, from Linux's per-thread scheduler statistics (nanoseconds); NaN where
 * there is no /proc. Unlike wall time it leaves out the time the thread waited for a core.
 */
function threadMs() {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/** `fn` timed after a full collection: wall, process CPU and main-thread CPU milliseconds, and its value. */
function timed(fn) {
  collect();
  const c = process.cpuUsage();
  const th = threadMs();
  const t = performance.now();
  const value = fn();
  const ms = performance.now() - t;
  const thread = threadMs() - th;
  const d = process.cpuUsage(c);
  return { ms, cpu: (d.user + d.system) / 1000, thread, value };
}

/**
 * `measure(small)` and `measure(big)`, `runs` interleaved pairs after one warm-up pair; `measure(input, timed)`
 * returns a timing per step, each from `timed` (so each step runs after a full collection: no step pays for the
 * garbage of the one before it, whose amount depends on when the collector last ran). The ratio of each step is the
 * fastest big run over the fastest small run. The fastest run is the one the rest of the machine disturbed least
 * (other work only ever adds time), and interleaving puts both sizes in the same conditions: the median of runs
 * taken minutes apart moved the rows by 2× between idle runs of the same code (session 13). Returns per step the
 * `small` and `big` times (ms), the `ratio` and the same ratio of process CPU (`cpu`) and main-thread CPU
 * (`thread`) times.
 */
export function scalePairs({ small, big, runs, measure }) {
  const seen = { small: [], big: [] };
  for (let i = 0; i < 1 + runs; i++) {
    const s = measure(small, timed);
    const b = measure(big, timed);
    if (i === 0) continue;
    seen.small.push(s);
    seen.big.push(b);
  }
  const fastest = (list, step, key) => Math.min(...list.map((p) => p[step][key]));
  const ratio = (step, key) => fastest(seen.big, step, key) / fastest(seen.small, step, key);
  return Object.fromEntries(
    Object.keys(seen.small[0]).map((step) => [
      step,
      {
        small: fastest(seen.small, step, 'ms'),
        big: fastest(seen.big, step, 'ms'),
        ratio: ratio(step, 'ms'),
        cpu: ratio(step, 'cpu'),
        thread: ratio(step, 'thread'),
        smallThread: fastest(seen.small, step, 'thread'),
        bigThread: fastest(seen.big, step, 'thread'),
      },
    ]),
  );
}

/** The `measure` of scalePairs for the rows scaleLoad, scaleConvert and scaleRender: a compose text's pipeline. */
export function pipelineSteps({ core, renderYaml }) {
  const fs = core.memoryFs({});
  return (text, time) => {
    const l = time(() =>
      core.loadProject({ files: [{ path: '/bench/compose.yaml', content: text }], fs, workingDir: '/bench', env: {} }),
    );
    if (!l.value.project) throw new Error('the generated project does not load');
    const c = time(() => core.convertProject(l.value.project, {}, fs));
    const r = time(() => renderYaml(c.value.objects));
    return { load: l, convert: c, render: r };
  };
}

/** Services of the smaller size of each shape of bench/shapes.mjs (the larger has 5×). */
export const SHAPE_N = 400;
/** Child processes of the scaleShapes row; the row takes, per shape, the median of their ratios. */
const SHAPE_PROCESSES = 3;
/** Timed pairs of each shape in each child process (after one warm-up pair). */
const SHAPE_RUNS = 1;
/**
 * V8 flags of the scaleShapes children (bench/README.md, "Session 15"): the whole collection on the main thread,
 * so that its CPU time holds all of convert's work and none of the waiting for helper threads a busy 2-core machine
 * makes the collector's parallel phases do.
 */
const SHAPE_FLAGS = ['--expose-gc', '--single-threaded-gc'];

/** In a child: convert of each shape at SHAPE_N and 5×SHAPE_N services by scalePairs; JSON on stdout. */
async function shapesChild() {
  const core = await import('../dist/index.js');
  const fs = core.memoryFs(SHAPE_FILES);
  const project = (shape, n) => {
    const l = core.loadProject({
      files: [{ path: '/shapes/compose.yaml', content: shapeCompose(shape, n) }],
      fs,
      workingDir: '/shapes',
      env: {},
    });
    if (!l.project) throw new Error(`shape ${shape} does not load: ${l.diagnostics.map((d) => d.message).join('; ')}`);
    return l.project;
  };
  const measure = (p, time) => ({ convert: time(() => core.convertProject(p, {}, fs)) });
  const out = {};
  for (const shape of SHAPE_NAMES) {
    const r = scalePairs({
      small: project(shape, SHAPE_N),
      big: project(shape, SHAPE_N * 5),
      runs: SHAPE_RUNS,
      measure,
    });
    out[shape] = r.convert;
  }
  console.log(JSON.stringify(out));
}

/**
 * Row scaleShapes: each shape measured in SHAPE_PROCESSES fresh child processes; per shape the median of the
 * processes' main-thread CPU ratios (`ratio`; the wall-time ratio where there is no /proc, `clock` says which) and
 * of their wall-time ratios (`wall`), worst shape first. Why CPU time and child processes: bench/README.md,
 * "Session 15".
 */
export function shapesRow() {
  const runs = [];
  for (let i = 0; i < SHAPE_PROCESSES; i++) {
    const r = spawnSync(process.execPath, [...SHAPE_FLAGS, self, '--shapes-child'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`bench/scale.mjs --shapes-child exited ${r.status}`);
    runs.push(JSON.parse(r.stdout));
  }
  const clock = Number.isFinite(runs[0][SHAPE_NAMES[0]].thread) ? 'cpu' : 'wall';
  const [ratio, small, big] = clock === 'cpu' ? ['thread', 'smallThread', 'bigThread'] : ['ratio', 'small', 'big'];
  const of = (shape, key) => median(runs.map((r) => r[shape][key]));
  return SHAPE_NAMES.map((shape) => ({
    shape,
    clock,
    ratio: of(shape, ratio),
    wall: of(shape, 'ratio'),
    small: of(shape, small),
    big: of(shape, big),
    each: runs.map((r) => r[shape][ratio]),
  })).sort((a, b) => b.ratio - a.ratio);
}

async function pipelineChild() {
  const { generateCompose } = await import('./generate.mjs');
  const core = await import('../dist/index.js');
  const { renderYaml } = await import('../dist/render/yaml.js');
  const measure = pipelineSteps({ core, renderYaml });
  const r = scalePairs({ small: generateCompose(1000), big: generateCompose(5000), runs: 3, measure });
  const row = (k) => `${k} ${r[k].small.toFixed(0)} → ${r[k].big.toFixed(0)} ms = ${r[k].ratio.toFixed(2)}×`;
  console.log(STEPS.map(row).join(' | '));
  console.log(`  cpu time: ${STEPS.map((k) => `${k} ${r[k].cpu.toFixed(2)}×`).join(' | ')}`);
}

function printShapes() {
  const rows = shapesRow();
  const fmt = (r) =>
    `${r.shape} ${r.ratio.toFixed(2)}× (processes ${r.each.map((x) => x.toFixed(2)).join(' ')}; wall ${r.wall.toFixed(2)}×)`;
  console.log(`scaleShapes ${rows[0].ratio.toFixed(2)}× | ${rows.map(fmt).join(' | ')}`);
}

if (process.argv[1] && self === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') await pipelineChild();
  else if (args[0] === '--shapes-child') await shapesChild();
  else {
    const repeats = Number(args.find((a) => /^\d+$/.test(a)) ?? 1);
    for (let i = 0; i < repeats; i++) {
      if (args.includes('--shapes')) {
        printShapes();
        continue;
      }
      const r = spawnSync(process.execPath, ['--expose-gc', self, '--child'], { stdio: 'inherit' });
      if (r.status !== 0) process.exit(r.status ?? 1);
    }
  }
}
