/**
 * `include` (compose-spec 14-include.md, compose-go `ApplyInclude`): each entry loads other compose
 * file(s) as a sub-project — its own project directory (the first file's directory unless
 * `project_directory` is given) and its own environment (its `env_file`s, or the `.env` of its project
 * directory; the including environment wins) — with relative paths made absolute, then imports its
 * services/networks/volumes/secrets/configs. A resource defined both by the include and locally is an
 * error (`include-conflict`) unless both definitions are identical.
 */
import type { FileScope, ModelLoader } from './scope.js';
import { readIncludeEnv } from '../env/envfiles.js';
import { rebaseModelPaths } from './extends.js';
import { getChildPos, isObj, mergeModels, setChildPos, stripTags, type Obj } from './merge.js';
import { dirname, join, resolve } from '../../util/path.js';

const RESOURCES = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

function strings(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((e) => typeof e === 'string')) return v as string[];
  return undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((e, i) => deepEqual(e, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

export function applyInclude(model: Obj, scope: FileScope, loader: ModelLoader): void {
  if (!Object.hasOwn(model, 'include')) return;
  const list = model.include;
  const listPos = getChildPos(model, 'include');
  delete model.include;
  if (list === null || list === undefined) return;
  if (!Array.isArray(list)) {
    loader.diags.error('invalid-type.include', {}, listPos);
    return;
  }
  list.forEach((entry, i) => {
    const pos = getChildPos(list, i) ?? listPos;
    const cfg: Obj | undefined = typeof entry === 'string' ? { path: entry } : isObj(entry) ? entry : undefined;
    const paths = cfg ? strings(cfg.path) : undefined;
    if (!cfg || !paths || paths.length === 0) {
      loader.diags.error('invalid-include', {}, pos);
      return;
    }
    const files = paths.map((p) => resolve(scope.workingDir, p));
    const main = files[0]!;
    if (main === scope.file || scope.includeChain.includes(main)) {
      loader.diags.error('include-cycle', { cycle: [...scope.includeChain, scope.file, main].join(' -> ') }, pos);
      return;
    }
    const pd =
      typeof cfg.project_directory === 'string' ? resolve(scope.workingDir, cfg.project_directory) : dirname(main);
    const envFiles = strings(cfg.env_file);
    const env =
      envFiles && envFiles.length > 0
        ? readIncludeEnv(
            loader,
            envFiles.map((f) => resolve(scope.workingDir, f)),
            scope.env,
            pos,
            true,
          )
        : readIncludeEnv(loader, [join(pd, '.env')], scope.env, pos, false);
    const chain = [...scope.includeChain, scope.file];
    let merged: Obj | undefined;
    for (const f of files) {
      const m = loader.loadFile(f, pd, env, chain, pos, 'include-missing');
      if (!m) return;
      merged = merged ? mergeModels(merged, m) : m;
    }
    const imported = stripTags(merged) as Obj; // `files` is not empty: every one was loaded
    rebaseModelPaths(imported, pd);
    importResources(imported, model, main, loader);
  });
}

function importResources(source: Obj, target: Obj, file: string, loader: ModelLoader): void {
  for (const kind of RESOURCES) {
    const from = source[kind];
    if (!isObj(from)) continue;
    let to = target[kind];
    if (!isObj(to)) {
      to = {};
      target[kind] = to;
      setChildPos(target, kind, getChildPos(source, kind));
    }
    const dest = to as Obj;
    for (const [name, def] of Object.entries(from)) {
      if (Object.hasOwn(dest, name)) {
        if (deepEqual(stripTags(dest[name]), def)) continue;
        loader.diags.error('include-conflict', { kind, name, file }, getChildPos(dest, name));
        continue;
      }
      dest[name] = def;
      setChildPos(dest, name, getChildPos(from, name));
    }
  }
}
