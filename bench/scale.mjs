#!/usr/bin/env node
/**
 * The scale rows of bench/run.mjs (scaleLoad, scaleConvert, scaleRender), measured by `scalePairs` below, which
 * run.mjs imports. Run alone, `node bench/scale.mjs [repeats]` (after `npm run build`) prints only those rows,
 * repeated `repeats` times (default 1) in fresh processes, for quick before/after comparisons without the CLI and
 * samples rows. Each step also reports the process's CPU time (`cpu`, all threads: the collector's helpers
 * included), which waiting for a core on a busy machine does not inflate as it does wall time.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { collect } from './measure.mjs';

const STEPS = ['load', 'convert', 'render'];

/**
 * Load, convert and render of the `small` and the `big` compose text, `runs` interleaved pairs after one warm-up
 * pair, each step timed after a full collection (so no step pays for the garbage of the one before it, whose
 * amount depends on when the collector last ran); the ratio of each step is the fastest big run over the fastest
 * small run. The fastest run is the one the rest of the machine disturbed least (other work only ever adds time),
 * and interleaving puts both sizes in the same conditions: the median of runs taken minutes apart moved the rows
 * by 2× between idle runs of the same code (session 13). Returns per step the `small` and `big` times (ms) and
 * CPU times, and the `ratio`.
 */
export function scalePairs({ core, renderYaml, small, big, runs }) {
  const fs = core.memoryFs({});
  const timed = (fn) => {
    collect();
    const c = process.cpuUsage();
    const t = performance.now();
    const value = fn();
    const ms = performance.now() - t;
    const d = process.cpuUsage(c);
    return { ms, cpu: (d.user + d.system) / 1000, value };
  };
  const pipeline = (text) => {
    const l = timed(() =>
      core.loadProject({ files: [{ path: '/bench/compose.yaml', content: text }], fs, workingDir: '/bench', env: {} }),
    );
    if (!l.value.project) throw new Error('the generated project does not load');
    const c = timed(() => core.convertProject(l.value.project, {}, fs));
    const r = timed(() => renderYaml(c.value.objects));
    return { load: l, convert: c, render: r };
  };
  const seen = { small: [], big: [] };
  for (let i = 0; i < 1 + runs; i++) {
    const s = pipeline(small);
    const b = pipeline(big);
    if (i === 0) continue;
    seen.small.push(s);
    seen.big.push(b);
  }
  const fastest = (list, step, key) => Math.min(...list.map((p) => p[step][key]));
  return Object.fromEntries(
    STEPS.map((step) => {
      const s = fastest(seen.small, step, 'ms');
      const b = fastest(seen.big, step, 'ms');
      const cpu = fastest(seen.big, step, 'cpu') / fastest(seen.small, step, 'cpu');
      return [step, { small: s, big: b, ratio: b / s, cpu }];
    }),
  );
}

async function child() {
  const { generateCompose } = await import('./generate.mjs');
  const core = await import('../dist/index.js');
  const { renderYaml } = await import('../dist/render/yaml.js');
  const r = scalePairs({ core, renderYaml, small: generateCompose(1000), big: generateCompose(5000), runs: 3 });
  const row = (k) => `${k} ${r[k].small.toFixed(0)} → ${r[k].big.toFixed(0)} ms = ${r[k].ratio.toFixed(2)}×`;
  console.log(STEPS.map(row).join(' | '));
  console.log(`  cpu time: ${STEPS.map((k) => `${k} ${r[k].cpu.toFixed(2)}×`).join(' | ')}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === '--child') await child();
  else {
    const repeats = Number(process.argv[2] ?? 1);
    for (let i = 0; i < repeats; i++) {
      const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child'], {
        stdio: 'inherit',
      });
      if (r.status !== 0) process.exit(r.status ?? 1);
    }
  }
}
