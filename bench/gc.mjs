#!/usr/bin/env node
/**
 * `node bench/gc.mjs [services...]` (after `npm run build`): what the garbage collector does in each step (load,
 * convert, render) of one pipeline run on the generated project, after a warm-up run of 1000 services. Prints the
 * young-generation collections (scavenges), the full ones (mark-compact), the bytes they copied and promoted, and
 * their pause. Counts and bytes hardly depend on the machine's load, unlike times: use them to compare commits on
 * a shared machine (bench/README.md, "Session 5"). Re-runs itself under `--trace-gc-nvp`, whose lines it parses.
 * `node bench/gc.mjs --shape NAME [services...]`: the same for a project shape of bench/shapes.mjs (warm-up run of
 * 400 services of it), in a process with `--single-threaded-gc` as row scaleShapes runs it (bench/README.md,
 * "Session 18").
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MARK = '@@step ';

async function child(n, shape) {
  const { generateCompose } = await import('./generate.mjs');
  const { SHAPE_FILES, shapeCompose } = await import('./shapes.mjs');
  const core = await import('../dist/index.js');
  const { renderYaml } = await import('../dist/render/yaml.js');
  const fs = core.memoryFs(shape ? SHAPE_FILES : {});
  const compose = (size) => (shape ? shapeCompose(shape, size) : generateCompose(size));
  const run = (text, mark) => {
    const say = (s) => mark && console.log(MARK + s);
    say('load');
    const dir = shape ? '/shapes' : '/b';
    const l = core.loadProject({
      files: [{ path: `${dir}/compose.yaml`, content: text }],
      fs,
      workingDir: dir,
      env: {},
    });
    say('convert');
    const c = core.convertProject(l.project, {}, fs);
    say('render');
    renderYaml(c.objects);
    say('end');
  };
  run(compose(shape ? 400 : 1000), false);
  run(compose(n), true);
}

function summarize(n, out) {
  let step;
  const rows = {};
  for (const line of out.split('\n')) {
    if (line.startsWith(MARK)) {
      step = line.slice(MARK.length);
      continue;
    }
    if (!step || step === 'end' || !line.includes(' gc=')) continue;
    const kv = Object.fromEntries([...line.matchAll(/([\w.]+)=([^ ]+)/g)].map((m) => [m[1], m[2]]));
    const r = (rows[step] ??= { scavenges: 0, markCompacts: 0, pauseMs: 0, copiedMB: 0, promotedMB: 0 });
    if (kv.gc === 's') r.scavenges++;
    else r.markCompacts++;
    r.pauseMs += Number(kv.pause) || 0;
    r.copiedMB += (Number(kv.new_space_survived) || 0) / 1048576;
    r.promotedMB += (Number(kv.promoted) || 0) / 1048576;
  }
  for (const [step, r] of Object.entries(rows))
    console.log(
      `${n} ${step.padEnd(8)} scavenges ${r.scavenges}, mark-compacts ${r.markCompacts}, copied ${r.copiedMB.toFixed(0)} MB, promoted ${r.promotedMB.toFixed(0)} MB, pause ${r.pauseMs.toFixed(0)} ms`,
    );
}

if (process.argv[2] === '--child') await child(Number(process.argv[3]), process.argv[4]);
else {
  const args = process.argv.slice(2);
  const shape = args.includes('--shape') ? args[args.indexOf('--shape') + 1] : undefined;
  const sizes = args.map(Number).filter(Boolean);
  const flags = shape ? ['--trace-gc-nvp', '--single-threaded-gc'] : ['--trace-gc-nvp'];
  for (const n of sizes.length ? sizes : shape ? [400, 2000] : [1000, 5000]) {
    const child = [fileURLToPath(import.meta.url), '--child', String(n), ...(shape ? [shape] : [])];
    const r = spawnSync(process.execPath, [...flags, ...child], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    if (r.status !== 0) {
      process.stderr.write(r.stderr);
      process.exit(1);
    }
    summarize(n, r.stdout);
  }
}
