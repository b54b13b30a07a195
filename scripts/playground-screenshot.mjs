#!/usr/bin/env node
// Regenerates the README's screenshot of the playground (docs/playground.png) by running the
// Chromium playground test with PLAYGROUND_SCREENSHOT set: the test builds the site, serves it on
// loopback, loads the voting-app sample, opens the graph and selects a node, then takes the picture
// at 1280x800.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = fileURLToPath(new URL('../docs/playground.png', import.meta.url));
execFileSync('npx', ['vitest', 'run', 'test/playground/playground.test.ts', '-t', 'switches theme and sample'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PLAYGROUND_SCREENSHOT: out },
});
process.stdout.write(`wrote ${out}\n`);
