#!/usr/bin/env node
// `npm run corpus`: load, convert and validate every compose file of ../shared/corpus and print counts.
// The work is in scripts/corpus-counts.ts, run through vitest (which compiles the TypeScript validator).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'compose2k8s-corpus-'));
const out = join(dir, 'counts.json');
process.env.CORPUS_COUNTS_OUT = out;

try {
  const vitest = await startVitest('test', [], {
    root,
    config: false,
    include: ['scripts/corpus-counts.ts'],
    run: true,
    watch: false,
    reporters: ['dot'],
    testTimeout: 600_000,
  });
  await vitest?.close();
  let counts;
  try {
    counts = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    console.error('corpus: no counts were written (is ../shared/corpus present?)');
    process.exit(1);
  }
  const cols = ['files', 'loaded', 'loadFailed', 'converted', 'internalErrors', 'objects', 'invalidFiles', 'validationIssues'];
  const total = Object.fromEntries(cols.map((c) => [c, 0]));
  const rows = Object.entries(counts).map(([set, c]) => {
    for (const k of cols) total[k] += c[k];
    return [set, ...cols.map((k) => c[k])];
  });
  rows.push(['total', ...cols.map((k) => total[k])]);
  const table = [['set', ...cols], ...rows];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
  console.log(table.map((r) => r.map((v, i) => String(v).padStart(widths[i])).join('  ')).join('\n'));
  for (const [set, c] of Object.entries(counts)) {
    const top = (m) => Object.entries(m).sort((a, b) => b[1] - a[1]).slice(0, 8);
    if (Object.keys(c.loadCodes).length) console.log(`\n${set}: load errors by code\n${top(c.loadCodes).map(([k, n]) => `  ${n}  ${k}`).join('\n')}`);
    if (Object.keys(c.issueKinds).length) console.log(`\n${set}: validation issues\n${top(c.issueKinds).map(([k, n]) => `  ${n}  ${k}`).join('\n')}`);
    if (c.examples.length) console.log(`${c.examples.map((e) => `  e.g. ${e}`).join('\n')}`);
  }
  if (total.internalErrors > 0 || total.validationIssues > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
