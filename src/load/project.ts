/**
 * The loader pipeline (compose-go `loader` package): environment → compose files → per file
 * (parse, interpolate, include, extends) → merge in order (nothing at all: `compose-file-empty`) → normalize →
 * env_file → profiles → name.
 */
import type { InlineFile, LoadOptions, LoadResult } from './api.js';
import type { FileSystem } from './fs.js';
import type { Project } from '../model/types.js';
import { Diagnostics } from '../report/diagnostic.js';
import { parseComposeYamlDocuments } from './yaml/yaml.js';
import { interpolateTree } from './env/interpolate.js';
import { normalizeProject } from './normalize/normalize.js';
import {
  attachPositions,
  collectPositions,
  enforceUnicity,
  getChildPos,
  isObj,
  mergeModels,
  stripTags,
  type Obj,
} from './files/merge.js';
import { applyInclude } from './files/include.js';
import { applyExtends } from './files/extends.js';
import { applyServiceEnvFiles, loadProjectEnv } from './env/envfiles.js';
import { applyServiceLabelFiles } from './normalize/labelfiles.js';
import { discoverComposeFiles } from './files/discover.js';
import { activeProfiles, applyProfiles } from './files/profiles.js';
import { peekFileProjectName, resolveProjectName } from './files/project-name.js';
import { dirname, resolve } from '../util/path.js';
import { positionKey, type InterpolatedPart } from '../model/pointer.js';
import type { FileScope, ModelLoader } from './files/scope.js';
import { redactLoad } from './redact.js';

function isStdinName(p: string): boolean {
  return p === '-' || p.startsWith('<');
}

function inlinePath(f: InlineFile, workingDir: string): string {
  if (f.path === '-') return '<stdin>';
  return isStdinName(f.path) ? f.path : resolve(workingDir, f.path);
}

function createLoader(
  fs: FileSystem,
  diags: Diagnostics,
  sources: Map<string, string>,
  inline: Map<string, string>,
  interpolated: Map<string, readonly InterpolatedPart[]>,
): ModelLoader {
  const loading = new Set<string>();
  const loader: ModelLoader = {
    fs,
    diags,
    sources,
    isLoading: (f) => loading.has(f),
    loadFile(file, workingDir, env, includeChain, pos, missingCode = 'file-not-found') {
      const text = inline.get(file) ?? fs.readFile(file);
      if (text === undefined) {
        // `-f somedir`: "not found" would send people looking for a missing file.
        if (missingCode === 'file-not-found' && fs.isDirectory(file))
          diags.error('file-not-found.directory', { file }, pos);
        else diags.error(missingCode, { file }, pos);
        return undefined;
      }
      sources.set(file, text);
      const docs = parseComposeYamlDocuments(text, file, diags);
      if (!docs) return undefined;
      loading.add(file);
      try {
        const scope: FileScope = {
          file,
          dir: isStdinName(file) ? workingDir : dirname(file),
          workingDir,
          env,
          includeChain,
        };
        let model: Obj | undefined;
        for (const doc of docs) {
          const value = interpolateTree(
            doc.value,
            doc.positions,
            (n: string) => env[n],
            diags,
            (pos, parts) => interpolated.set(positionKey(pos), parts),
          );
          attachPositions(value, doc.positions);
          if (!isObj(value)) continue;
          applyInclude(value, scope, loader);
          applyExtends(value, scope, loader);
          model = model ? mergeModels(model, value) : value;
        }
        return model ?? {};
      } finally {
        loading.delete(file);
      }
    },
  };
  return loader;
}

/**
 * Load a compose project. What it returns for people to read — diagnostics and the source texts of code frames —
 * holds no secret value (redact.ts); the project itself keeps them, for the conversion.
 */
export function loadProject(opts: LoadOptions): LoadResult {
  const seen: { env?: Record<string, string> } = {};
  const result = load(opts, seen);
  return redactLoad(result, seen.env ?? opts.env ?? {});
}

function load(opts: LoadOptions, seen: { env?: Record<string, string> }): LoadResult {
  const diags = new Diagnostics(opts.texts);
  const sources = new Map<string, string>();
  const fail = (): LoadResult => ({ diagnostics: diags.list, sources });
  const wd = opts.workingDir;
  const explicitDir = opts.projectDirectory ? resolve(wd, opts.projectDirectory) : undefined;

  const inline = new Map<string, string>();
  let files: string[] = (opts.files ?? []).map((f) => {
    if (typeof f === 'string') return f === '-' ? '<stdin>' : resolve(wd, f);
    const p = inlinePath(f, wd);
    inline.set(p, f.content);
    return p;
  });
  const firstReal = files.find((f) => !isStdinName(f));
  const envDir = explicitDir ?? (firstReal ? dirname(firstReal) : wd);
  const {
    env,
    files: envFiles,
    environmentParts,
  } = loadProjectEnv({
    fs: opts.fs,
    diags,
    sources,
    processEnv: opts.env ?? {},
    envFiles: opts.envFiles,
    workingDir: wd,
    dir: envDir,
  });
  seen.env = env;
  if (diags.hasErrors()) return fail();

  let projectDir = envDir;
  if (files.length === 0 && env.COMPOSE_FILE) {
    const sep = env.COMPOSE_PATH_SEPARATOR || ':';
    files = env.COMPOSE_FILE.split(sep)
      .filter(Boolean)
      .map((f) => resolve(wd, f));
    projectDir = explicitDir ?? dirname(files[0]!);
  } else if (files.length === 0) {
    const found = discoverComposeFiles(opts.fs, explicitDir ?? wd, diags);
    if (!found) return fail();
    files = found.files;
    projectDir = explicitDir ?? found.dir;
  }

  // compose-go (loader/loader.go `projectName`) settles the project name before loading and exposes it as
  // COMPOSE_PROJECT_NAME for interpolation (compose-spec: "MUST be exposed"), -p winning over the .env value.
  const envName = env.COMPOSE_PROJECT_NAME;
  const peeked = peekFileProjectName(
    files.map((f) => ({ file: f, text: inline.get(f) ?? opts.fs.readFile(f) })),
    (n) => env[n],
  );
  const early = resolveProjectName(
    { explicit: opts.projectName, env: envName, fromFile: peeked, projectDir },
    new Diagnostics(),
  );
  if (early !== undefined) env.COMPOSE_PROJECT_NAME = early;

  const interpolated = new Map<string, readonly InterpolatedPart[]>();
  const loader = createLoader(opts.fs, diags, sources, inline, interpolated);
  let merged: Obj = {};
  for (const file of files) {
    const model = loader.loadFile(file, projectDir, env, []);
    if (model) merged = mergeModels(merged, model);
  }
  if (diags.hasErrors()) return fail();
  // compose-go (loader.go `load`): the merged model, includes applied, with no key at all is "empty compose file".
  // An empty file, only comments, or `null` is no project (a truncated file or an empty pipe), not an empty one.
  if (Object.keys(merged).length === 0) {
    diags.error('compose-file-empty', { file: files.join(', ') }, { file: files[0]!, line: 1, col: 1 });
    return fail();
  }

  const raw = enforceUnicity(stripTags(merged) as Obj);
  const positions = collectPositions(raw);
  const normalized = normalizeProject(raw, {
    workingDir: projectDir,
    ...(env.HOME ? { home: env.HOME } : {}),
    sources: positions,
    diags,
    lookupEnv: (n: string) => env[n],
    passedThrough: (pos, parts) => interpolated.set(positionKey(pos), parts),
  });
  if (!normalized || diags.hasErrors()) return fail();

  const envFileParts = applyServiceEnvFiles(normalized.services, opts.fs, diags, sources, positions, env);
  applyServiceLabelFiles(normalized.services, opts.fs, diags, sources, positions);
  const split = applyProfiles(
    normalized.services,
    activeProfiles(opts.profiles, env),
    positions,
    diags,
    isObj(raw.services) ? raw.services : {},
  );
  const name = resolveProjectName(
    {
      explicit: opts.projectName,
      env: envName,
      fromFile: typeof raw.name === 'string' ? raw.name : undefined,
      fromFilePos: getChildPos(raw, 'name'),
      projectDir,
    },
    diags,
  );
  if (name === undefined || diags.hasErrors()) return fail();

  const project: Project = {
    name,
    ...(!opts.projectName && !envName && !(typeof raw.name === 'string' && raw.name)
      ? { nameFromDirectory: true }
      : {}),
    workingDir: projectDir,
    composeFiles: files,
    services: split.enabled,
    networks: normalized.networks,
    volumes: normalized.volumes,
    secrets: normalized.secrets,
    configs: normalized.configs,
    disabledServices: split.disabled,
    extensions: normalized.extensions,
    environment: env,
    envFiles,
    ...(environmentParts.size ? { environmentParts } : {}),
    ...(envFileParts.size ? { envFileParts } : {}),
    ...(normalized.ignoredKeys ? { ignoredKeys: normalized.ignoredKeys } : {}),
    ...(normalized.models ? { models: normalized.models } : {}),
    sources: positions,
    interpolated,
  };
  return { project, diagnostics: diags.list, sources };
}
