#!/usr/bin/env node
/**
 * `node bench/scale.mjs [repeats]` (after `npm run build`): only the scale rows of bench/run.mjs (scaleLoad,
 * scaleConvert, scaleRender), measured the same way (median of 5 runs of 1000 services after a warm-up, then
 * 5000 services once after a warm-up), repeated `repeats` times (default 1) in fresh processes, for quick
 * before/after comparisons without the CLI and samples rows. Each step also reports the process's CPU time
 * (`cpu`, all threads: the collector's helpers included), which waiting for a core on a busy machine does not
 * inflate as it does wall time.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

async function child() {
  const { generateCompose } = await import('./generate.mjs');
  const { median } = await import('./measure.mjs');
  const timed = (fn) => {
    const c = process.cpuUsage();
    const t = performance.now();
    const value = fn();
    const ms = performance.now() - t;
    const d = process.cpuUsage(c);
    return { ms, cpu: (d.user + d.system) / 1000, value };
  };
  const core = await import('../dist/index.js');
  const { renderYaml } = await import('../dist/render/yaml.js');
  const fs = core.memoryFs({});
  const pipeline = (text) => {
    const l = timed(() =>
      core.loadProject({ files: [{ path: '/bench/compose.yaml', content: text }], fs, workingDir: '/bench', env: {} }),
    );
    const c = timed(() => core.convertProject(l.value.project, {}, fs));
    const r = timed(() => renderYaml(c.value.objects));
    return { load: l.ms, convert: c.ms, render: r.ms, cpuload: l.cpu, cpuconvert: c.cpu, cpurender: r.cpu };
  };
  const small = generateCompose(1000);
  const runs = [];
  for (let i = 0; i < 6; i++) runs.push(pipeline(small));
  const m = (k) => median(runs.slice(1).map((r) => r[k]));
  const big = generateCompose(5000);
  pipeline(big);
  const b = pipeline(big);
  const row = (k) => `${k} ${m(k).toFixed(0)} → ${b[k].toFixed(0)} ms = ${(b[k] / m(k)).toFixed(2)}×`;
  const cpu = (k) => `${(b['cpu' + k] / m('cpu' + k)).toFixed(2)}×`;
  console.log(['load', 'convert', 'render'].map(row).join(' | '));
  console.log(`  cpu time: ${['load', 'convert', 'render'].map((k) => `${k} ${cpu(k)}`).join(' | ')}`);
}

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
