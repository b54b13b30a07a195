/**
 * Differential test: our loader against docker-compose 1.29.2 (`docker-compose config`, which needs no
 * Docker engine). Per service we compare image, environment, ports, volumes, command, entrypoint and
 * depends_on. Every known difference is listed in KNOWN with its reason; any other difference fails.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadProject } from '../../src/index.js';
import { nodeFs } from '../../src/node/fs.js';
import { toolPath } from '../../scripts/tools.mjs';
import {
  diff,
  type Difference,
  fromDockerCompose,
  fromProject,
  inactiveServices,
  type Normal,
} from '../fixtures/differential/compare.js';

const run = promisify(execFile);
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const fixturesDir = here('../fixtures/differential/');
const corpusDir = here('../../../shared/corpus/');
const dockerCompose = toolPath('docker-compose');
const haveDockerCompose = existsSync(dockerCompose);
if (!haveDockerCompose && process.env.CI)
  throw new Error(`docker-compose missing at ${dockerCompose}; scripts/pretest.mjs installs it`);
if (!haveDockerCompose)
  console.warn('differential.test.ts: docker-compose not installed (run `node scripts/pretest.mjs`); skipping');

/** What a known difference may look at besides the two values. */
interface Context {
  /** Services docker-compose printed whose profiles are all inactive. */
  inactive: string[];
}

/**
 * A difference we accept, with why. `where` is `<case>/<service>`; `*` matches any case or service.
 * Without `adjust` the whole field may differ; with it, the field must be equal once adjusted.
 */
interface Known {
  where: string;
  field: Difference['field'] | 'load';
  why: string;
  adjust?: (ours: unknown, theirs: unknown, ctx: Context) => [unknown, unknown];
}

const stripTrailingSlash = (vols: unknown): unknown =>
  (vols as string[]).map((v) => v.replace(/^(.*:\/.*?)\/+(:ro)?$/, '$1$2')).sort();

const KNOWN: Known[] = [
  {
    where: '*/*',
    field: 'services',
    why: 'docker-compose 1.29.2 `config` prints every service whatever the active profiles (it filters only in `up`/`run`); the spec and compose v2 leave out services none of whose profiles is active',
    adjust: (ours, theirs, ctx) => [ours, (theirs as string[]).filter((s) => !ctx.inactive.includes(s))],
  },
  {
    where: '*/*',
    field: 'volumes',
    why: 'docker-compose 1.29.2 runs container paths through normpath (`/etc/pihole/` → `/etc/pihole`); we keep the target as written, which mounts the same directory',
    adjust: (ours, theirs) => [stripTrailingSlash(ours), theirs],
  },
  {
    where: 'real-world/frappe-docker/compose.yaml/*',
    field: 'image',
    why: 'docker-compose 1.29.2 does not interpolate inside a default value (`${CUSTOM_TAG:-$ERPNEXT_VERSION}` keeps `$ERPNEXT_VERSION`); the spec and compose v2 do',
  },
  {
    where: 'real-world/frappe-docker/compose.yaml/frontend',
    field: 'environment',
    why: 'docker-compose 1.29.2 does not unescape `$$` inside a default value (`${FRAPPE_SITE_NAME_HEADER:-$$host}`); the spec and compose v2 give `$host`',
  },
];

function accepted(caseName: string, d: Difference, ctx: Context): boolean {
  const [dc, ds] = [d.service, d.field];
  const ks = KNOWN.filter((k) => {
    const cut = k.where.lastIndexOf('/');
    const c = k.where.slice(0, cut);
    const s = k.where.slice(cut + 1);
    return (c === '*' || c === caseName) && (s === '*' || s === dc) && k.field === ds;
  });
  if (ks.length === 0) return false;
  const whole = ks.find((k) => !k.adjust);
  if (whole) {
    used.add(whole);
    return true;
  }
  let [a, b] = [d.ours, d.theirs];
  for (const k of ks) [a, b] = (k.adjust as NonNullable<Known['adjust']>)(a, b, ctx);
  if (JSON.stringify(a) !== JSON.stringify(b)) return false;
  for (const k of ks) used.add(k);
  return true;
}

interface Case {
  name: string;
  dir: string;
  files: string[];
  env: Record<string, string>;
}

/** The same small environment for both tools (HOME for `~` in paths). */
const envOf = (c: Case): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/root',
  ...c.env,
});

const contextOf = (c: Case, doc: unknown): Context => ({
  inactive: inactiveServices(doc, (c.env.COMPOSE_PROFILES ?? '').split(',').filter(Boolean)),
});

/** `docker-compose -f ... config` for one case (the real CLI). */
async function dockerComposeConfig(c: Case): Promise<unknown> {
  const args = c.files.flatMap((f) => ['-f', f]).concat('config');
  const { stdout } = await run(dockerCompose, args, {
    cwd: c.dir,
    env: envOf(c),
    timeout: 60_000,
    maxBuffer: 16 << 20,
  });
  return parse(stdout);
}

interface Outcome {
  doc?: unknown;
  error?: string;
}

/**
 * The same `config` code path for many cases in one Python process (dc_batch.py), since starting
 * docker-compose per file dominates the run time. A test below checks it prints what the CLI prints.
 */
async function dockerComposeBatch(cases: Case[]): Promise<Outcome[]> {
  if (cases.length === 0) return [];
  const python = /^#!\s*(\S+)/.exec(readFileSync(dockerCompose, 'utf8').slice(0, 200))?.[1] ?? 'python3';
  const child = execFile(python, [join(fixturesDir, 'dc_batch.py')], { maxBuffer: 64 << 20, timeout: 240_000 });
  child.stdin?.end(JSON.stringify(cases.map((c) => ({ dir: c.dir, files: c.files, env: envOf(c) }))));
  const stdout = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`dc_batch.py exited ${String(code)}`))));
  });
  return (JSON.parse(stdout) as Array<{ yaml?: string; error?: string }>).map((r) =>
    r.yaml !== undefined ? { doc: parse(r.yaml) } : { error: r.error ?? 'unknown error' },
  );
}

function ours(c: Case): ReturnType<typeof fromProject> | string {
  const result = loadProject({ files: c.files, workingDir: c.dir, fs: nodeFs, env: envOf(c) });
  if (!result.project) return result.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n');
  return fromProject(result.project);
}

const fixtureCases: Case[] = readdirSync(fixturesDir)
  .filter((n) => statSync(join(fixturesDir, n)).isDirectory())
  .sort()
  .map((name) => {
    const dir = join(fixturesDir, name);
    const spec = existsSync(join(dir, 'case.json'))
      ? (JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as { files?: string[]; env?: Record<string, string> })
      : {};
    return { name, dir, files: spec.files ?? ['docker-compose.yml'], env: spec.env ?? {} };
  });

const show = (caseName: string, d: Difference): string =>
  `${caseName}/${d.service} ${d.field}: ours ${JSON.stringify(d.ours)} vs docker-compose ${JSON.stringify(d.theirs)}`;

/** Known differences that some compared case needed (checked at the end so the table stays honest). */
const used = new Set<Known>();

/** The differences between our loader and docker-compose that KNOWN does not explain. */
function unexplained(c: Case, doc: unknown): string[] {
  const mine = ours(c);
  if (typeof mine === 'string') {
    const k = KNOWN.find((x) => x.field === 'load' && x.where === `${c.name}/*`);
    if (k) used.add(k);
    return k ? [] : [`${c.name}: our loader rejects what docker-compose accepts:\n${mine}`];
  }
  const ctx = contextOf(c, doc);
  return diff(mine, fromDockerCompose(doc))
    .filter((d) => !accepted(c.name, d, ctx))
    .map((d) => show(c.name, d));
}

describe.runIf(haveDockerCompose)('loader vs docker-compose 1.29.2: fixtures', () => {
  it('has at least 15 fixtures', () => {
    expect(fixtureCases.length).toBeGreaterThanOrEqual(15);
  });

  let outcomes: Outcome[] = [];
  beforeAll(async () => {
    outcomes = await dockerComposeBatch(fixtureCases);
  }, 240_000);

  it('batch driver prints what the docker-compose CLI prints', async () => {
    const c = fixtureCases.find((x) => x.name === 'interpolation') as Case;
    const batch = outcomes[fixtureCases.indexOf(c)];
    expect(batch?.doc).toEqual(await dockerComposeConfig(c));
    expect(batch?.doc).toMatchObject({ services: { app: { image: 'registry.local/app:latest' } } });
  });

  it('reports a difference the table does not list', () => {
    const i = fixtureCases.findIndex((x) => x.name === 'extends');
    const c = fixtureCases[i] as Case;
    const mine = ours(c);
    if (typeof mine === 'string') throw new Error(mine);
    (mine.worker as Normal).environment.LEVEL = 'tampered';
    (mine.web as Normal).volumes.push('bind:/x:/y/');
    const doc = outcomes[i]?.doc;
    const found = diff(mine, fromDockerCompose(doc)).filter((d) => !accepted(c.name, d, contextOf(c, doc)));
    expect(found.map((d) => `${d.service} ${d.field}`)).toEqual(['web volumes', 'worker environment']);
  });

  it.each(fixtureCases.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const o = outcomes[i] as Outcome;
    expect(o.error ?? '').toBe('');
    expect(unexplained(c, o.doc)).toEqual([]);
  });
});

const COMPOSE_FILE = /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/;

function corpusFiles(): Case[] {
  const out: Case[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const p = join(dir, entry);
      if (statSync(p).isDirectory()) walk(p, `${rel}${entry}/`);
      else if (COMPOSE_FILE.test(entry)) out.push({ name: `${rel}${entry}`, dir, files: [entry], env: {} });
    }
  };
  for (const set of ['awesome-compose', 'real-world']) {
    if (existsSync(join(corpusDir, set))) walk(join(corpusDir, set), `${set}/`);
  }
  return out;
}

/**
 * The corpus ships compose files without their build contexts, which docker-compose 1.29.2 insists on.
 * Such a project is copied to a temp dir with empty build-context folders, and both tools read the copy.
 */
function withBuildContexts(c: Case, tmpRoot: string): Case | undefined {
  const doc = obj(parse(readFileSync(join(c.dir, c.files[0] as string), 'utf8')));
  const copy = join(tmpRoot, c.name.replace(/[^\w.-]+/g, '_'));
  cpSync(c.dir, copy, { recursive: true });
  let made = false;
  for (const svc of Object.values(obj(doc.services))) {
    const build = obj(svc).build;
    const context = typeof build === 'string' ? build : obj(build).context;
    if (typeof context !== 'string' || /^[a-z]+:\/\/|^git@|\$/.test(context)) continue;
    const dir = join(copy, context);
    if (!dir.startsWith(copy) || existsSync(dir)) continue;
    mkdirSync(dir, { recursive: true });
    made = true;
  }
  return made ? { ...c, dir: copy } : undefined;
}

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const corpus = haveDockerCompose && existsSync(corpusDir) ? corpusFiles() : [];

describe.runIf(corpus.length > 0)('loader vs docker-compose 1.29.2: real-world and awesome-compose corpus', () => {
  it('agrees on every file docker-compose 1.29.2 accepts, except the listed differences', async () => {
    const tmpRoot = mkdtempSync(join(tmpdir(), 'compose2k8s-differential-'));
    try {
      const first = await dockerComposeBatch(corpus);
      const retries = corpus
        .flatMap((c, i) =>
          /build path .* does not exist/.test(first[i]?.error ?? '')
            ? [[i, withBuildContexts(c, tmpRoot)] as const]
            : [],
        )
        .filter((r): r is readonly [number, Case] => r[1] !== undefined);
      const second = await dockerComposeBatch(retries.map(([, c]) => c));
      const outcomes = corpus.map((c, i) => ({ c, doc: first[i]?.doc }));
      retries.forEach(([i, c], j) => {
        outcomes[i] = { c, doc: second[j]?.doc };
      });
      const compared = outcomes.filter((o) => o.doc !== undefined);
      const unexpected = compared.flatMap(({ c, doc }) => unexplained(c, doc));
      if (process.env.DIFFERENTIAL_VERBOSE) {
        console.log(
          `corpus: ${corpus.length} files, ${corpus.length - compared.length} rejected by docker-compose 1.29.2 (skipped), ${compared.length} compared`,
        );
      }
      expect(compared.length).toBeGreaterThan(40);
      expect(unexpected).toEqual([]);
    } finally {
      rmSync(tmpRoot, { recursive: true, force: true });
    }
  }, 300_000);
});

describe.runIf(haveDockerCompose)('the table of known differences', () => {
  it('has no entry that no compared case needs any more', () => {
    const stale = KNOWN.filter((k) => !used.has(k))
      // Without the corpus, entries that only corpus files need (theirs, and wildcards) cannot be judged.
      .filter((k) => corpus.length > 0 || !/^(awesome-compose|real-world|\*)\//.test(k.where))
      .map((k) => `${k.where} ${k.field}: ${k.why}`);
    expect(stale).toEqual([]);
  });
});
