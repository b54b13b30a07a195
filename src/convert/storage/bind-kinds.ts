/**
 * What a bind mount's path is to its service, read from the paths and the command alone: code it runs, input it
 * reads (init scripts, provisioning, configuration), its own build context, or a folder its command installs
 * packages or writes caches into (installsInto).
 * bind.ts decides what each becomes.
 */
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { basename, isInside, normalize, relative, resolve } from '../../util/path.js';
import { contentRootOf, holdsDataOf, imageRepository } from '../../kube/images.js';
import { buildContextDir, buildCopies, dockerfileText, heuristicImage, workingDirOf } from '../plan/base-image.js';
import type { ContextCopy } from '../intent/dialect.js';
import { mounters } from './claims.js';
import { boundPath } from '../../model/volume-device.js';
import type { Values } from '../book.js';
import type { PhraseId } from '../../mappings/outcomes.js';
import { commandWords } from '../../model/command.js';

/** A path whose last component looks like a file name (`init.sql`, not `.n8n` nor `data`). */
export function looksLikeFile(path: string): boolean {
  const name = basename(path);
  return /\.[A-Za-z0-9]{2,8}$/.test(name) && !name.startsWith('.');
}

/** Files that are code or configuration by their extension, not data a container writes. */
const CODE_FILE = /\.(sh|bash|py|js|mjs|cjs|ts|rb|pl|php|lua|ya?ml|json|toml|conf|cfg|cnf|ini|xml|properties)$/i;

/**
 * A path below `target` that the service runs or reads as code (the first found), if any: the program its
 * entrypoint or command starts (`/compose/start`), or a script or config file one of their words names
 * (`--config.file=/etc/prometheus/prometheus.yml`), relative ones read from `working_dir`. Other paths (`--dbpath
 * /data/db`) may be data.
 */
export function runsFrom(svc: Service, target: string): string | undefined {
  return namedBelow(commandWords(svc), target, svc.working_dir);
}

/**
 * The path below `target` (or at it, with `orAt`: a file mount) that command line `words` runs (its first word) or
 * names as a script or config file, if any; a relative path is read from `workingDir` when that is absolute, a bare
 * program name (`php`) is looked up on PATH instead. One rule for a service's command and its healthcheck's test.
 */
export function namedBelow(
  words: readonly string[],
  target: string,
  workingDir: string | undefined,
  orAt = false,
): string | undefined {
  const dir = target.replace(/\/+$/, '');
  if (!dir) return undefined;
  const below = (p: string | undefined): boolean =>
    p !== undefined && ((orAt && p === dir) || (p.startsWith(`${dir}/`) && p.length > dir.length + 1));
  const wd = workingDir?.startsWith('/') ? workingDir : undefined;
  const at = (p: string | undefined, program = false): string | undefined =>
    p === undefined || !wd || p.startsWith('/') || p.startsWith('-') || p.includes('$') || (program && !p.includes('/'))
      ? p
      : resolve(wd, p);
  const program = at(words[0], true);
  if (below(program)) return program;
  for (const w of words)
    for (const part of w.split(/[\s=:,'"]+/)) {
      const path = at(part);
      if (below(path) && CODE_FILE.test(part)) return path;
    }
  return undefined;
}

/** What a writer's command leaves in its working directory, read from the words it matched and what it sees. */
interface Seen {
  /** The words of the command (entrypoint and command joined). */
  cmd: string;
  env: Readonly<Record<string, string>>;
  /** A file of the bound folder at the working directory, by name (`poetry.toml`), when it can be read. */
  local: (name: string) => string | undefined;
}

/**
 * What a writer's kind means for the pod's writable copy, phrases of report.yaml: its entry's tail (an install runs
 * again in every new pod; a dev server's caches and pid files start empty in each) and the image its fix suggests
 * (one that runs the install; one that holds the code, where the server writes in the container's own files).
 */
const WORDING = {
  install: { tail: 'writes.install', bake: 'writes.install-bake' },
  cache: { tail: 'writes.cache', bake: 'writes.cache-bake' },
} as const satisfies Record<string, { tail: PhraseId; bake: PhraseId }>;

/**
 * Commands that write into their working directory: the words, what they write there (a path relative to it, or
 * undefined when they write nothing there) and their kind, which WORDING words. Not a global install (`npm install -g nodemon`), nor `yarn` as a package name (`apk add yarn`): a bare
 * `yarn` starts a command.
 */
const WRITERS: ReadonlyArray<{
  re: RegExp;
  writes: (m: RegExpExecArray, seen: Seen) => string | undefined;
  kind: keyof typeof WORDING;
}> = [
  {
    re: /\b(?:npm|pnpm)\s+(?:install|i|ci)\b(?![^;&|]*\s(?:-g|--global)\b)|\byarn\s+install\b|(?<=(?:^|&&|;|\|\||\s-c)\s*)yarn(?=\s*(?:$|&&|;|\|\|))/,
    writes: () => 'node_modules',
    kind: 'install',
  },
  { re: /\bcomposer\s+install\b/, writes: () => 'vendor', kind: 'install' },
  // An editable install builds the project in place: setuptools writes its NAME.egg-info beside the sources.
  {
    re: /\bpip3?\s+install\b[^;&|]*?\s(?:-e|--editable)(?:\s+|=)([^\s;&|-][^\s;&|]*)/,
    writes: (m) => (/[$:]/.test(m[1]!) ? undefined : `${m[1]!.replace(/\[.*$/, '')}/*.egg-info`),
    kind: 'install',
  },
  // uv keeps the project's virtualenv in .venv unless UV_PROJECT_ENVIRONMENT names another (absolute: outside it).
  { re: /\buv\s+sync\b/, writes: (_, { env }) => env.UV_PROJECT_ENVIRONMENT || '.venv', kind: 'install' },
  // Poetry keeps its virtualenv in its cache directory unless told to keep it in the project.
  {
    re: /\bpoetry\s+install\b/,
    writes: (_, { cmd, env, local }) =>
      /^(true|1)$/i.test(env.POETRY_VIRTUALENVS_IN_PROJECT ?? '') ||
      /\bpoetry\s+config\s+(?:--local\s+)?virtualenvs\.in-project\s+true\b/.test(cmd) ||
      /^\s*in-project\s*=\s*true\b/m.test(local('poetry.toml') ?? '')
        ? '.venv'
        : undefined,
    kind: 'install',
  },
  // Bundler installs gems to GEM_HOME unless given a path, and writes Gemfile.lock when it resolves anew (no lock, or
  // one without the container's platform): the folder's own file when the gems go outside it (an absolute path).
  {
    re: /\bbundle\s+install\b[^;&|]*/,
    writes: (m, { env }) => {
      const path =
        /--path[=\s]+([^\s;&|]+)/.exec(m[0])?.[1] ?? (/--deployment\b/.test(m[0]) ? 'vendor/bundle' : env.BUNDLE_PATH);
      return path && !path.startsWith('/') ? path : 'Gemfile.lock';
    },
    kind: 'install',
  },
  // Pipenv keeps its virtualenv outside the project unless PIPENV_VENV_IN_PROJECT is true (none at all with --system);
  // `pipenv install` locks first and writes Pipfile.lock when the folder has none (`pipenv sync` installs the lock).
  {
    re: /\bpipenv\s+(install|sync)\b[^;&|]*/,
    writes: (m, { env, local }) =>
      !/\s--system\b/.test(m[0]) && /^(1|true|yes|on)$/i.test(env.PIPENV_VENV_IN_PROJECT ?? '')
        ? '.venv'
        : m[1] === 'install' && !/\s--skip-lock\b/.test(m[0]) && local('Pipfile') && !local('Pipfile.lock')
          ? 'Pipfile.lock'
          : undefined,
    kind: 'install',
  },
  { re: /\bnext\s+(?:dev|build)\b/, writes: () => '.next', kind: 'cache' },
  { re: /\bnux[ti]\s+(?:dev|build|generate)\b/, writes: () => '.nuxt', kind: 'cache' },
  // Vite's dev server keeps its pre-bundled dependencies in node_modules/.vite (`vite`, `vite dev`, `vite --host`).
  {
    re: /(?<![\w./-])vite(?:\s+(?:dev|serve))?(?=\s*(?:$|[;&|]|--?\w))/,
    writes: () => 'node_modules/.vite',
    kind: 'cache',
  },
  // tmp/pids/server.pid and tmp/cache: the server stops when it cannot write its pid file.
  { re: /\brails\s+(?:s|server)\b/, writes: () => 'tmp', kind: 'cache' },
];

/**
 * A package manager running a script of the package.json in its directory, group 1 its name: `npm run dev`, `yarn
 * dev`, `pnpm run dev`, and npm's own shortcuts (`npm start`).
 */
const RUNS_SCRIPT =
  /\b(?:(?:npm|yarn|pnpm)\s+run(?:-script)?\s+|(?:yarn|pnpm)\s+|npm\s+(?=(?:start|stop|restart|test)\b))(\w[\w:.-]*)/g;

/** The text of script `name` of `packageJson` (the text of the file), if it has one. */
function scriptOf(name: string, packageJson = ''): string | undefined {
  try {
    const script = (JSON.parse(packageJson) as { scripts?: Record<string, unknown> } | null)?.scripts?.[name];
    return typeof script === 'string' ? script : undefined;
  } catch {
    return undefined;
  }
}

/** What installsInto found: the writer's words, the directory it writes and the report's phrases on it. */
interface Written {
  install: string;
  dir: string;
  tail: PhraseId;
  bake: PhraseId;
}

/**
 * The command of `svc` that writes into the folder bind mount `v` mounts (`yarn install` with working_dir /app, or
 * after `cd /app`, or in the WORKDIR of its Dockerfile, writes /app/node_modules; `next dev` writes /app/.next; `npm
 * run dev` whose script in the folder's package.json is `vite` writes /app/node_modules/.vite), unless another mount
 * of the service holds what it writes (`- /app/node_modules`): its words (a script's: `npm run dev (vite)`), the path
 * it writes and the report's phrases on it (WORDING), or undefined.
 */
export function installsInto(ctx: ConvertContext, svc: Service, v: ServiceVolume): Written | undefined {
  const trim = (p: string): string => normalize(p).replace(/\/+$/, '');
  const target = trim(v.target);
  // A file of the bound folder at working directory `wd`, by name, when it can be read.
  const localAt =
    (wd: string) =>
    (name: string): string | undefined => {
      const at = v.source && isInside(target, trim(wd)) ? `${v.source}${trim(wd).slice(target.length)}` : undefined;
      return at ? ctx.fs?.readFile(`${at}/${name}`) : undefined;
    };
  // The folder holds `dir`, and no other mount of the service below it does.
  const holds = (dir: string): boolean => {
    const inside = (t: string): boolean => dir === t || dir.startsWith(`${t}/`);
    return (
      inside(target) &&
      !svc.volumes.some((w) => w !== v && trim(w.target).length > target.length && inside(trim(w.target)))
    );
  };
  const written = (cmd: string, dirOf: () => string | undefined, depth: number): Written | undefined => {
    const wdAt = (i: number): string | undefined =>
      [...cmd.slice(0, i).matchAll(/\bcd\s+(\/[^\s;&|]*)/g)].pop()?.[1] ?? dirOf();
    for (const { re, writes, kind } of WRITERS) {
      const m = re.exec(cmd);
      const wd = m && wdAt(m.index);
      if (!m || !wd?.startsWith('/')) continue;
      const rel = writes(m, { cmd, env: svc.environment, local: localAt(wd) });
      if (rel === undefined) continue;
      const dir = resolve(trim(wd), rel).replace(/\/+$/, '');
      if (holds(dir)) return { install: m[0].trim(), dir, ...WORDING[kind] };
    }
    // A script of the folder's package.json, run in its directory: its own writer, named through the script.
    // Scripts that run scripts (`npm start` running `npm run serve`) are followed once.
    for (const m of depth < 2 ? cmd.matchAll(RUNS_SCRIPT) : []) {
      const wd = wdAt(m.index);
      const script = wd?.startsWith('/') ? scriptOf(m[1]!, localAt(wd)('package.json')) : undefined;
      const found = script === undefined ? undefined : written(script, () => wd, depth + 1);
      if (found) return { ...found, install: `${m[0].trim()} (${found.install})` };
    }
    return undefined;
  };
  return written(commandWords(svc).join(' '), () => workingDirOf(ctx, svc), 0);
}

/**
 * True when bind mount `v` mounts source the image of `svc` was built from over the image's own copy of it, for
 * live editing under Docker:
 * - the whole build context right over the image's app directory (`./frontend:/usr/src/app` with
 *   `build: ./frontend`): its `working_dir`, a directory an anonymous volume of the service sits below
 *   (`/usr/src/app/node_modules`: the image installed its modules there, so its code is there too), or where its
 *   Dockerfile copies the context (`COPY . /app`);
 * - a folder of the context at its place in that copy (`./src:/app/src` with `build: .` and `COPY . /app`, or,
 *   when the Dockerfile cannot be read, with the app directory /app as above). Never a folder that holds data or
 *   what an app writes by its name (`./data`, `./logs`), the image's data directory, one `.dockerignore` keeps out
 *   of the image, a file, nor a folder another service mounts otherwise (its claim or ConfigMap would lose a writer).
 */
export function sourceOverApp(ctx: ConvertContext, svc: Service, v: ServiceVolume): boolean {
  const rel = overImageCopy(ctx, svc, v);
  if (rel === undefined) return false;
  if (!rel) return true;
  const src = v.source!;
  return ctx.index
    .usersOf('bind', src)
    .every(
      (u) =>
        u.name === svc.name ||
        u.volumes.every(
          (w) => boundPath(w, ctx.project.volumes)?.path !== src || overImageCopy(ctx, u, w) !== undefined,
        ),
    );
}

/**
 * What is missing when bind mount `v` mounts the build context of `svc` (or a source folder of it: `./frontend/src`)
 * and its Dockerfile is not here, the context being absent or a copy without it (a compose file converted alone):
 * 'context' or 'dockerfile'. The image may then hold that code (a Dockerfile that copies it) or not (the bind is its
 * only source): the converter cannot tell, and an empty claim or a ConfigMap of a partial copy there would hide it.
 * Never a configuration folder below /etc, the data directory of the image or a data path, nor a folder another pod
 * mounts too; nor with a `working_dir`, which says where the app is (a bind there is sourceOverApp's; one elsewhere
 * is no copy of the image's code). Undefined otherwise.
 */
export function unseenContext(
  ctx: ConvertContext,
  svc: Service,
  v: ServiceVolume,
): 'context' | 'dockerfile' | undefined {
  const context = buildContextDir(ctx, svc);
  const src = v.source;
  const dir = v.target.replace(/\/+$/, '');
  if (context === undefined || !src || !dir || !ctx.fs || svc.working_dir !== undefined) return undefined;
  if (dockerfileText(ctx, svc) !== undefined) return undefined;
  const rel = src === context ? '' : src.startsWith(`${context}/`) ? src.slice(context.length + 1) : undefined;
  if (rel === undefined || (rel && (!SOURCE_DIR.test(basename(rel)) || DATA_PATH.test(rel)))) return undefined;
  const image = heuristicImage(ctx, svc);
  // Below /etc it is configuration the context also holds (sentry's ./sentry at /etc/sentry), never the app's code.
  if (dir.startsWith('/etc/') || DATA_PATH.test(dir) || (image && holdsDataOf(image, dir))) return undefined;
  if (ctx.fs.readFile(src) !== undefined) return undefined;
  if (rel && mounters(ctx, 'bind', src).pods.length > 1) return undefined;
  return ctx.fs.isDirectory(context) ? 'dockerfile' : 'context';
}

/** Folders of source code by their name. */
const SOURCE_DIR = /^(src|sources?|lib|app|pkg|cmd|internal|components|pages)$/i;

/** Folders an app writes to by their name: logs, caches, temporary and run-time files. */
const WRITTEN_PATH = /(^|\/)(logs?|\.?cache|te?mp|run)(\/|$)/i;

/** The path of `v`'s source in the build context ('' for the whole) when the image holds it at `v.target`. */
function overImageCopy(ctx: ConvertContext, svc: Service, v: ServiceVolume): string | undefined {
  const context = buildContextDir(ctx, svc);
  const src = v.source;
  const dir = v.target.replace(/\/+$/, '');
  if (context === undefined || !src || !dir) return undefined;
  const rel = src === context ? '' : src.startsWith(`${context}/`) ? src.slice(context.length + 1) : undefined;
  if (rel === undefined) return undefined;
  // The app directory the context would be copied to, were the mount a folder at its place in the copy.
  const app = !rel ? dir : dir.endsWith(`/${rel}`) ? dir.slice(0, -rel.length - 1) : undefined;
  const atApp =
    !!app &&
    ((svc.working_dir !== undefined && svc.working_dir.replace(/\/+$/, '') === app) ||
      svc.volumes.some((w) => w.type === 'volume' && !w.source && w.target.startsWith(`${app}/`)));
  if (!rel && atApp) return rel;
  if (rel) {
    const image = heuristicImage(ctx, svc);
    if (DATA_PATH.test(rel) || WRITTEN_PATH.test(rel) || (image && holdsDataOf(image, dir))) return undefined;
    if (looksLikeFile(src) || ctx.fs?.readFile(src) !== undefined) return undefined;
  }
  const copies = buildCopies(ctx, svc);
  if (!copies) return rel && atApp ? rel : undefined;
  if (rel && copies.ignored(rel)) return undefined;
  // A folder the context lacks is not in the image either: nothing was copied, so it is where the app writes
  // (`./instance`, `./static`). A source folder by its name (`./src`) counts as copied: the image is built from
  // a full checkout, whatever this copy of the project holds.
  if (rel && ctx.fs && !ctx.fs.isDirectory(src) && !SOURCE_DIR.test(basename(rel))) return undefined;
  return copies.copies.some((c) => landsAt(c, rel) === dir) ? rel : undefined;
}

/** Where context path `rel` is in the image after copy `c`, if the copy holds it. */
function landsAt(c: ContextCopy, rel: string): string | undefined {
  if (c.src && rel !== c.src && !rel.startsWith(`${c.src}/`)) return undefined;
  const below = c.src ? rel.slice(c.src.length + 1) : rel;
  return (below ? normalize(`${c.dest}/${below}`) : c.dest).replace(/\/+$/, '') || undefined;
}

/** Init-script directories entrypoints run once (`/docker-entrypoint-initdb.d`, nginx's `/docker-entrypoint.d`). */
const INIT_DIR = /^(?:[\w.-]*-)?(?:initdb|entrypoint)\.d$/;
/**
 * An option whose value is input the service reads (`--main-service /opt/functions/main`, `--rules`,
 * `--plugins-dir`): config-like words only. `--config /config` (home-assistant), `--userDir /data` (node-red),
 * `--home`, `--root`, `--wal-dir` name folders the service writes, so an option is input only when it says so.
 */
const INPUT_OPTION =
  /^--[\w.-]*(service|function|script|rule|template|plugin|definition|schema|migration)s?([-._]?dir)?$/i;

/** A path that holds data by its name (`/data`, `./mysql/data`, `/srv/uploads`), whatever else it looks like. */
const DATA_PATH = /(^|\/)(data|db|database|storage|state|uploads?|media|backups?)(\/|$)/i;

/** A configuration directory below /etc by its name (`/etc/temporal/config/dynamicconfig`, `/etc/app/conf.d`). */
const ETC_CONFIG = /^(.*conf(ig)?s?|conf\.d|rules|templates)$/i;

/**
 * Why a missing directory mounted at `v.target` is input the service reads rather than data it writes, if it is:
 * an init-script directory, provisioning, a config directory below /etc by its name, a directory an input option of
 * the command names (`--main-service
 * /opt/functions/main`), or one of a source tree that is missing altogether while the service also mounts
 * files from it (a checkout the compose file expects beside it). Never a data path, the image's data directory,
 * nor a directory several pods share: treating one of those as input would leave the data in the container.
 * The why is a phrase of report.yaml (`input.*`, the value `why`) and its values.
 */
export function inputDir(ctx: ConvertContext, svc: Service, v: ServiceVolume): Values | undefined {
  const dir = v.target.replace(/\/+$/, '');
  const parts = dir.split('/').filter(Boolean);
  if (parts.some((p) => INIT_DIR.test(p))) return { why: 'input.init-scripts' };
  if (parts.includes('provisioning')) return { why: 'input.provisioning' };
  const image = heuristicImage(ctx, svc);
  if (DATA_PATH.test(dir) || DATA_PATH.test(v.source ?? '') || (image && holdsDataOf(image, dir))) return undefined;
  if (parts[0] === 'etc' && parts.length >= 3 && ETC_CONFIG.test(parts[parts.length - 1]!))
    return { why: 'input.etc-config' };
  if (v.source && mounters(ctx, 'bind', v.source).pods.length > 1) return undefined;
  if (image && contentRootOf(image, dir)) return { why: 'input.document-root', repository: imageRepository(image) };
  const words = [...commandWords(svc), ...(svc.healthcheck?.test ?? [])].flatMap((w) => w.split(/\s+/));
  for (let i = 0; i < words.length; i++) {
    const [opt, value] =
      words[i]!.startsWith('--') && words[i]!.includes('=') ? words[i]!.split(/=(.*)/s) : [words[i - 1], words[i]];
    if (value === undefined || !isInside(dir, value)) continue;
    if (opt && INPUT_OPTION.test(opt)) return { why: 'input.option', option: opt };
  }
  return missingTree(ctx, svc, v);
}

/**
 * The first directory below the project of bind source `v` when it is missing as a whole and another bind mount
 * of the service is a file from it: the service expects a source tree that is not there.
 */
function missingTree(ctx: ConvertContext, svc: Service, v: ServiceVolume): Values | undefined {
  const fs = ctx.fs;
  const wd = ctx.project.workingDir;
  const top = relative(wd, v.source ?? '').split('/')[0];
  if (!fs || !top || top === '..') return undefined;
  const root = `${wd}/${top}`;
  if (fs.isDirectory(root) || fs.readFile(root) !== undefined) return undefined;
  const file = svc.volumes.find(
    (w) => w.type === 'bind' && w !== v && w.source?.startsWith(`${root}/`) && looksLikeFile(w.source),
  );
  return file ? { why: 'input.missing-tree', file: relative(wd, file.source!), top } : undefined;
}
