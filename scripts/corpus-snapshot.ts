/**
 * Writes the manifests and the report of every corpus case set (and of every sample) to $SNAPSHOT_DIR, two files
 * per case set, so that two commits can be compared byte for byte (`diff -r`) after a refactoring that must not change
 * the output. Not part of `npm test`; run with `npm run corpus:snapshot -- DIR`.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'vitest';
import { convert, formatReportJson, renderYaml } from '../src/index.js';
import { nodeFs } from '../src/node/fs.js';
import { corpusCaseSets } from '../test/corpus/cases.js';

test('corpus snapshot', () => {
  const out = process.env['SNAPSHOT_DIR'];
  if (!out) throw new Error('SNAPSHOT_DIR is not set');
  mkdirSync(out, { recursive: true });
  const write = (label: string, r: ReturnType<typeof convert>): void => {
    const file = join(out, label.replace(/[^A-Za-z0-9._-]+/g, '_') + '.yaml');
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `# ${d.code}: ${d.message}`);
    writeFileSync(file, [...errors, renderYaml(r.objects)].join('\n'));
    // The report too (messages, fixes, ids), as `--report json` prints it: a refactoring must not change it either.
    if (r.report) writeFileSync(file.replace(/\.yaml$/, '.report.json'), formatReportJson(r.report));
  };
  for (const c of corpusCaseSets()) {
    write(c.label, convert({ files: c.files.length ? c.files : undefined, workingDir: c.dir, fs: nodeFs, env: c.env }));
  }
  const samples = new URL('../samples/', import.meta.url).pathname;
  for (const s of readdirSync(samples)) {
    const dir = join(samples, s);
    if (!statSync(dir).isDirectory()) continue;
    write(`samples/${s}`, convert({ workingDir: dir, fs: nodeFs, env: {} }));
  }
});
