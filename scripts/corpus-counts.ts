/**
 * Corpus counts for `npm run corpus` (scripts/corpus.mjs runs this file with vitest, which compiles the
 * TypeScript validator; it is not part of `npm test`). Loads every compose file of
 * ../shared/corpus/{awesome-compose,real-world,kompose}, converts what loads, validates the objects and
 * writes the counts as JSON to $CORPUS_COUNTS_OUT.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { convertProject } from '../src/convert/index.js';
import { dns1123Label } from '../src/convert/naming.js';
import { loadProject } from '../src/load/project.js';
import type { Project } from '../src/model/types.js';
import { nodeFs } from '../src/node/fs.js';
import { type External, validateObjects } from '../test/helpers/validate.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const SETS = ['awesome-compose', 'real-world', 'kompose'];
const COMPOSE_FILE = /^(docker-)?compose[^/]*\.ya?ml$/;

export interface SetCounts {
  files: number;
  loaded: number;
  loadFailed: number;
  converted: number;
  internalErrors: number;
  objects: number;
  invalidFiles: number;
  validationIssues: number;
  /** Most frequent load diagnostic codes and validation messages (kind of problem → count). */
  loadCodes: Record<string, number>;
  issueKinds: Record<string, number>;
  examples: string[];
}

function composeFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) composeFiles(p, out);
    else if (COMPOSE_FILE.test(n)) out.push(p);
  }
  return out;
}

function externals(p: Project): External {
  const names = (group: Record<string, { name?: string; external?: boolean }>): string[] =>
    Object.entries(group)
      .filter(([, v]) => v.external)
      .flatMap(([k, v]) => [dns1123Label(k), ...(v.name ? [dns1123Label(v.name)] : [])]);
  return { claims: names(p.volumes), secrets: names(p.secrets), configMaps: names(p.configs) };
}

const bump = (m: Record<string, number>, k: string): void => {
  m[k] = (m[k] ?? 0) + 1;
};

function countSet(set: string): SetCounts {
  const c: SetCounts = {
    files: 0, loaded: 0, loadFailed: 0, converted: 0, internalErrors: 0, objects: 0,
    invalidFiles: 0, validationIssues: 0, loadCodes: {}, issueKinds: {}, examples: [],
  };
  const root = join(CORPUS, set);
  if (!existsSync(root)) return c;
  for (const f of composeFiles(root)) {
    c.files++;
    const rel = f.slice(CORPUS.length);
    const loaded = loadProject({ files: [f], workingDir: dirname(f), fs: nodeFs, env: {} });
    if (!loaded.project) {
      c.loadFailed++;
      for (const d of loaded.diagnostics) if (d.severity === 'error') bump(c.loadCodes, d.code);
      continue;
    }
    c.loaded++;
    const r = convertProject(loaded.project, {}, nodeFs);
    c.converted++;
    c.objects += r.objects.length;
    c.internalErrors += r.diagnostics.filter((d) => d.code === 'internal-error').length;
    const issues = validateObjects(r.objects, externals(loaded.project));
    if (issues.length > 0) {
      c.invalidFiles++;
      c.validationIssues += issues.length;
      for (const i of issues) bump(c.issueKinds, i.message.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N'));
      if (c.examples.length < 5) c.examples.push(`${rel}: ${issues[0]?.object} ${issues[0]?.path}: ${issues[0]?.message}`);
    }
  }
  return c;
}

test.runIf(existsSync(CORPUS))('corpus counts', () => {
  const counts = Object.fromEntries(SETS.map((s) => [s, countSet(s)]));
  const out = process.env.CORPUS_COUNTS_OUT;
  if (out) writeFileSync(out, JSON.stringify(counts, null, 2));
  expect(Object.values(counts).reduce((n, s) => n + s.files, 0)).toBeGreaterThan(0);
}, 600_000);
