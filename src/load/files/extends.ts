/**
 * `extends` (compose-spec 05-services.md#extends): a service starts from another service — of the same
 * file (`extends: svc` / `{service}`) or of another file (`{file, service}`, relative to the working
 * directory the extending file is loaded with: the project directory for `-f` files) — and is merged
 * on top of it with the usual merge rules. Chains are followed; cycles are `extends-cycle`, a missing
 * service or file `extends-missing`. Relative paths of a service taken from another file are made
 * absolute against that file's directory (compose-go `ResolveRelativePaths`).
 */
import type { SourcePos } from '../../report/diagnostic.js';
import type { FileScope, ModelLoader } from './scope.js';
import { cloneTree, getChildPos, isObj, mergeService, setChildPos, type Obj } from './merge.js';
import { dirname, resolve } from '../../util/path.js';

function isRemote(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('git@') || p.startsWith('github.com/');
}

function isLocalRelative(p: string): boolean {
  return !p.startsWith('/') && !p.startsWith('~') && !isRemote(p) && !/^[a-z]:[\\/]/i.test(p);
}

function rebaseList(v: unknown, dir: string): unknown {
  const one = (e: unknown): unknown => {
    if (typeof e === 'string') return isLocalRelative(e) ? resolve(dir, e) : e;
    if (isObj(e) && typeof e.path === 'string' && isLocalRelative(e.path)) return { ...e, path: resolve(dir, e.path) };
    return e;
  };
  if (Array.isArray(v)) {
    const out = v.map(one);
    v.forEach((_, i) => setChildPos(out, i, getChildPos(v, i)));
    return out;
  }
  return one(v);
}

function rebaseKey(o: Obj, k: string, f: (v: unknown) => unknown): void {
  if (!Object.hasOwn(o, k)) return;
  o[k] = f(o[k]);
}

/**
 * Make a service's relative paths (build context, env_file, label_file, bind sources) absolute. Its `extends` is
 * already resolved: every file loadFile returns went through applyExtends, which leaves no `extends` key.
 */
export function rebaseServicePaths(svc: Obj, dir: string): void {
  rebaseKey(svc, 'build', (b) => {
    if (typeof b === 'string') return isLocalRelative(b) ? resolve(dir, b) : b;
    if (isObj(b)) {
      const ctx = typeof b.context === 'string' ? b.context : '.';
      if (isLocalRelative(ctx)) b.context = resolve(dir, ctx);
    }
    return b;
  });
  rebaseKey(svc, 'env_file', (v) => rebaseList(v, dir));
  rebaseKey(svc, 'label_file', (v) => rebaseList(v, dir));
  rebaseKey(svc, 'volumes', (vols) => {
    if (!Array.isArray(vols)) return vols;
    vols.forEach((v, i) => {
      if (typeof v === 'string') {
        const at = v.indexOf(':');
        if (at > 0 && v.startsWith('.')) vols[i] = resolve(dir, v.slice(0, at)) + v.slice(at);
      } else if (isObj(v) && v.type === 'bind' && typeof v.source === 'string' && isLocalRelative(v.source)) {
        v.source = resolve(dir, v.source);
      }
    });
    return vols;
  });
}

/** Rebase every relative path of a whole model (services, top-level secret/config files). */
export function rebaseModelPaths(model: Obj, dir: string): void {
  if (isObj(model.services)) for (const s of Object.values(model.services)) if (isObj(s)) rebaseServicePaths(s, dir);
  for (const kind of ['secrets', 'configs']) {
    const group = model[kind];
    if (!isObj(group)) continue;
    for (const def of Object.values(group)) {
      if (isObj(def) && typeof def.file === 'string' && isLocalRelative(def.file)) def.file = resolve(dir, def.file);
    }
  }
}

interface Ref {
  service: string;
  file?: string;
}

function readRef(v: unknown): Ref | undefined {
  if (typeof v === 'string') return { service: v };
  if (isObj(v) && typeof v.service === 'string') {
    return typeof v.file === 'string' ? { service: v.service, file: v.file } : { service: v.service };
  }
  return undefined;
}

/** Resolve every `extends` of the services in `model` (one parsed file), in place. */
export function applyExtends(model: Obj, scope: FileScope, loader: ModelLoader): void {
  const services = model.services;
  if (!isObj(services)) return;
  const done = new Set<string>();

  const resolveService = (name: string, stack: string[]): Obj | undefined => {
    const svc = services[name];
    if (!isObj(svc)) return undefined;
    if (done.has(name) || !Object.hasOwn(svc, 'extends')) return svc;
    const pos: SourcePos | undefined = getChildPos(svc, 'extends') ?? getChildPos(services, name);
    const ref = readRef(svc.extends);
    const own: Obj = {};
    for (const [k, v] of Object.entries(svc)) {
      if (k === 'extends') continue;
      own[k] = v;
      setChildPos(own, k, getChildPos(svc, k));
    }
    const finish = (result: Obj): Obj => {
      services[name] = result;
      done.add(name);
      return result;
    };
    if (!ref) {
      loader.diags.error('invalid-extends', { service: JSON.stringify(name) }, pos);
      return finish(own);
    }
    let base: Obj | undefined;
    // compose-go resolves extends.file with the file's resource loader, whose base is the working
    // directory the file is loaded with (the project directory for -f files, an include's
    // project_directory, the extended file's own directory), not necessarily the file's directory.
    if (ref.file !== undefined && resolve(scope.workingDir, ref.file) !== scope.file) {
      const file = resolve(scope.workingDir, ref.file);
      const key = `${file}#${ref.service}`;
      if (stack.includes(key) || loader.isLoading(file)) {
        loader.diags.error('extends-cycle', { cycle: [...stack, key].join(' -> ') }, pos);
        return finish(own);
      }
      const other = loader.loadFile(file, dirname(file), scope.env, [], pos, 'extends-missing.file');
      if (!other) return finish(own);
      const found = isObj(other.services) ? other.services[ref.service] : undefined;
      if (!isObj(found)) {
        loader.diags.error(
          'extends-missing.other-file',
          { service: JSON.stringify(name), base: JSON.stringify(ref.service), file },
          pos,
        );
        return finish(own);
      }
      base = cloneTree(found);
      rebaseServicePaths(base, dirname(file));
    } else {
      const key = `${scope.file}#${ref.service}`;
      if (stack.includes(key) || ref.service === name) {
        loader.diags.error('extends-cycle', { cycle: [...stack, `${scope.file}#${name}`, key].join(' -> ') }, pos);
        return finish(own);
      }
      if (!isObj(services[ref.service])) {
        loader.diags.error(
          'extends-missing',
          { service: JSON.stringify(name), base: JSON.stringify(ref.service) },
          pos,
        );
        return finish(own);
      }
      // a mapping (checked above), so resolveService returns it or what it extends
      base = cloneTree(resolveService(ref.service, [...stack, `${scope.file}#${name}`])!);
    }
    return finish(mergeService(base, own));
  };

  for (const name of Object.keys(services)) resolveService(name, []);
}
