/**
 * The one definition of the shared corpus case sets (../shared/corpus, outside the repo), used by the
 * loader corpus test (test/load/corpus.test.ts), the corpus conversion test (test/corpus/) and
 * `npm run corpus` (scripts/corpus-counts.ts), so they all count the same things.
 *
 * A case set is the files one `docker compose` (or kompose) invocation loads:
 * - real-world, awesome-compose: a directory's default files (discovery: compose.yaml/docker-compose.yml +
 *   override, with the directory's .env), plus each other `*compose*.y*ml` there layered on the nearest
 *   default file, as the projects' docs do (`-f base -f overlay`);
 * - kompose: each fixture file alone, as kompose's tests run them, plus the `-f a -f b` pairs they use.
 * Sets that cannot load carry an ExpectedFailure: they must fail, and only with its codes.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FILE_NAMES, DEFAULT_OVERRIDE_FILE_NAMES } from '../../src/load/files/discover.js';
import type { LoadResult } from '../../src/load/api.js';
import { loadProject } from '../../src/index.js';
import { nodeFs } from '../../src/node/fs.js';
import { formatOneLine } from '../../src/report/diagnostic.js';
import { KOMPOSE_ENV, KOMPOSE_FAILURES, KOMPOSE_MULTI, KOMPOSE_NO_ENV_CASES, KOMPOSE_OTHER_SINGLE } from './kompose.js';
import { REAL_WORLD_ENV, REAL_WORLD_FAILURES, REAL_WORLD_PREREQS } from './real-world.js';

/** Absolute path of the shared corpus folder, with a trailing slash. */
export const CORPUS_ROOT = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
export const CORPUS_GROUPS = ['awesome-compose', 'real-world', 'kompose'] as const;
export type CorpusGroup = (typeof CORPUS_GROUPS)[number];

/** Why a case set does not load. `loader-gap` is a compose2k8s shortcoming, listed so it stays visible. */
export type FailureKind = 'user-file' | 'fragment' | 'v1-format' | 'invalid-fixture' | 'kompose-lenient' | 'loader-gap';

export interface ExpectedFailure {
  kind: FailureKind;
  /** The load error codes it fails with; any other error code is an unexpected failure. */
  codes: string[];
  why: string;
}

export interface CaseSet {
  group: CorpusGroup;
  /** `group/path` of the directory (default files) or of the last file; `#no-env` marks a run without variables. */
  label: string;
  /** Working directory (absolute). */
  dir: string;
  /** Files in `-f` order (absolute); empty = default discovery in `dir`. */
  files: string[];
  env: Record<string, string>;
  expected?: ExpectedFailure;
}

/** Every environment starts with HOME (for `~` in paths); the rest comes from the tables. */
const BASE_ENV = { HOME: '/users/someone' };
const COMPOSE_NAME = /compose.*\.ya?ml$/;

function composeDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    const names = readdirSync(d);
    if (names.some((n) => COMPOSE_NAME.test(n))) out.push(d);
    if (depth > 5) return;
    for (const n of names) {
      if (n.startsWith('.') || n === 'node_modules') continue;
      const p = `${d}/${n}`;
      if (statSync(p).isDirectory()) walk(p, depth + 1);
    }
  };
  walk(root, 0);
  return out.sort();
}

/** The nearest default file in a parent directory, within the project (the group's first level). */
function parentDefault(dir: string, root: string): string | undefined {
  let d = dir;
  while (d.length > root.length + 1) {
    d = d.slice(0, d.lastIndexOf('/'));
    const main = DEFAULT_FILE_NAMES.find((n) => existsSync(`${d}/${n}`));
    if (main) return `${d}/${main}`;
    if (d.split('/').length <= root.split('/').length + 1) break;
  }
  return undefined;
}

function projectSets(corpus: string, group: 'real-world' | 'awesome-compose'): CaseSet[] {
  const root = corpus + group;
  const out: CaseSet[] = [];
  const add = (label: string, dir: string, files: string[]): void => {
    const extra = Object.entries(REAL_WORLD_ENV).find(([k]) => label === k || label.startsWith(k + '/'))?.[1] ?? {};
    const expected = REAL_WORLD_FAILURES[label];
    out.push({ group, label, dir, files, env: { ...BASE_ENV, ...extra }, ...(expected ? { expected } : {}) });
  };
  for (const dir of composeDirs(root)) {
    const label = dir.slice(corpus.length);
    const names = readdirSync(dir)
      .filter((n) => COMPOSE_NAME.test(n))
      .sort();
    const main = DEFAULT_FILE_NAMES.find((n) => names.includes(n));
    if (main) add(label, dir, []);
    // An extra file is layered on the nearest default file (its own directory's, else a parent's
    // within the project: docker-elk extensions, frappe overrides), as the projects' docs do.
    const base = main ? `${dir}/${main}` : parentDefault(dir, root);
    for (const n of names) {
      if (n === main || DEFAULT_OVERRIDE_FILE_NAMES.includes(n)) continue;
      const l = `${label}/${n}`;
      const pre = (REAL_WORLD_PREREQS[l] ?? []).map((f) => `${dir}/${f}`);
      add(l, dir, [...(base ? [base] : []), ...pre, `${dir}/${n}`]);
    }
  }
  return out;
}

function komposeSets(corpus: string): CaseSet[] {
  const root = `${corpus}kompose/`;
  const out: CaseSet[] = [];
  const add = (rel: string[], suffix = '', env: Record<string, string> = {}): void => {
    const files = rel.map((r) => root + r);
    const last = files[files.length - 1]!;
    const label = `kompose/${rel[rel.length - 1]}${suffix}`;
    const expected = KOMPOSE_FAILURES[label];
    out.push({
      group: 'kompose',
      label,
      dir: last.slice(0, last.lastIndexOf('/')),
      files,
      env: { ...BASE_ENV, ...env },
      ...(expected ? { expected } : {}),
    });
  };
  const overlays = new Set(KOMPOSE_MULTI.flatMap((m) => m.slice(1)));
  const singles = composeDirs(root.slice(0, -1)).flatMap((dir) =>
    readdirSync(dir)
      .filter((n) => COMPOSE_NAME.test(n))
      .map((n) => `${dir}/${n}`.slice(root.length)),
  );
  for (const rel of [...singles, ...KOMPOSE_OTHER_SINGLE].sort()) {
    if (overlays.has(rel) || !existsSync(root + rel)) continue;
    add([rel], '', KOMPOSE_ENV[`kompose/${rel}`]);
    if (KOMPOSE_NO_ENV_CASES.includes(`kompose/${rel}`)) add([rel], '#no-env');
  }
  for (const m of KOMPOSE_MULTI) if (m.every((r) => existsSync(root + r))) add(m);
  return out;
}

/** Every case set of the corpus at `corpus` (default: ../shared/corpus); [] when it is absent. */
export function corpusCaseSets(corpus: string = CORPUS_ROOT): CaseSet[] {
  if (!existsSync(corpus)) return [];
  const out: CaseSet[] = [];
  for (const group of CORPUS_GROUPS) {
    if (!existsSync(corpus + group)) continue;
    out.push(...(group === 'kompose' ? komposeSets(corpus) : projectSets(corpus, group)));
  }
  return out;
}

export function loadCaseSet(c: CaseSet): LoadResult {
  return loadProject({ workingDir: c.dir, fs: nodeFs, env: c.env, files: c.files });
}

export type Outcome = 'loaded' | 'expected-failure' | 'unexpected-failure';

/**
 * Judge a load: a set without expectation must load without errors and with at least one service; an
 * expected failure must fail, and only with its codes. `problems` explains an unexpected result.
 */
export function judgeLoad(c: CaseSet, r: LoadResult): { outcome: Outcome; problems: string[] } {
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (c.expected) {
    const codes = c.expected.codes;
    if (errors.length === 0)
      return {
        outcome: 'unexpected-failure',
        problems: [`${c.label}: expected to fail (${codes.join(', ')}) but loaded`],
      };
    const other = errors.filter((e) => !codes.includes(e.code)).map(formatOneLine);
    return other.length
      ? { outcome: 'unexpected-failure', problems: other }
      : { outcome: 'expected-failure', problems: [] };
  }
  if (errors.length > 0 || !r.project) return { outcome: 'unexpected-failure', problems: errors.map(formatOneLine) };
  const count = Object.keys(r.project.services).length + Object.keys(r.project.disabledServices).length;
  if (count === 0) return { outcome: 'unexpected-failure', problems: [`${c.label}: no services`] };
  return { outcome: 'loaded', problems: [] };
}
