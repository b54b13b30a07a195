#!/usr/bin/env node
// `npm run corpus:snapshot -- DIR`: writes every corpus case set's and sample's manifests into DIR (see
// scripts/corpus-snapshot.ts), for a byte-for-byte `diff -r` between two commits.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { startVitest } from 'vitest/node';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npm run corpus:snapshot -- DIR');
  process.exit(2);
}
process.env.SNAPSHOT_DIR = resolve(dir);
const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = await startVitest('test', [], {
  root,
  config: false,
  include: ['scripts/corpus-snapshot.ts'],
  run: true,
  watch: false,
  testTimeout: 600_000,
});
await vitest?.close();
process.exit(process.exitCode ?? 0);
