/**
 * What the report tells about an image compose builds (`build:`), which Kubernetes cannot build: the `docker build`
 * that makes it from the service's build inputs (context, dockerfile, target, the names of its args), and the
 * services whose build sections are the same build (one image to build and push, not one per service). Without
 * `--target` a plain `docker build` makes the last stage, not the one compose builds (react-express-mysql's
 * `target: development`), so the command always carries it.
 */
import type { BuildConfig, Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { FactKey } from '../facts.js';
import { isAbsolute, isInside, relative } from '../../util/path.js';
import { shQuote } from '../../util/shell.js';

/** Build identity → the services (sorted by name) with that build, found once per project. */
const BUILDS = new FactKey<Map<string, string[]>>();

/** The inputs that decide what a build makes, as one string: equal strings are the same build. */
function buildIdentity(b: BuildConfig): string {
  const args = Object.keys(b.args ?? {})
    .sort()
    .map((k) => [k, b.args![k]]);
  return JSON.stringify([b.context, b.dockerfile ?? null, b.dockerfile_inline ?? null, b.target ?? null, args]);
}

/** The other services that build exactly what `svc` builds (same context, Dockerfile, target and args). */
export function sameBuild(ctx: ConvertContext, svc: Service): string[] {
  if (!svc.build) return [];
  const builds = ctx.facts.get(BUILDS, () => {
    const out = new Map<string, string[]>();
    for (const name of Object.keys(ctx.project.services).sort()) {
      const b = ctx.project.services[name]!.build;
      if (!b) continue;
      const id = buildIdentity(b);
      out.set(id, [...(out.get(id) ?? []), name]);
    }
    return out;
  });
  return (builds.get(buildIdentity(svc.build)) ?? []).filter((n) => n !== svc.name);
}

/**
 * The words of the `docker build -t TAG ... CONTEXT && docker push TAG` a fix spells for `svc`'s build: `tagWord`, TAG
 * as a shell word, and `inputs` (buildInputs).
 */
export function buildCommand(ctx: ConvertContext, svc: Service, tag: string): { tagWord: string; inputs: string } {
  return { tagWord: shQuote(tag), inputs: buildInputs(ctx.project.workingDir, svc.build!) };
}

/**
 * The `docker build` words after `-t TAG` for build `b` of a project in `wd`, as shell words: its Dockerfile (`-f`,
 * relative to the context as compose reads it), target, each build arg by name (`--build-arg NAME` takes the value
 * from the environment, so no value is written here), and the context, a local one shown relative to `wd`.
 */
export function buildInputs(wd: string, b: BuildConfig): string {
  const local = !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(b.context);
  const context = local && isInside(wd, b.context) ? relative(wd, b.context) : b.context;
  const dir = context === '.' ? '' : `${context}/`;
  const words: string[] = [];
  if (b.dockerfile_inline !== undefined) words.push('-f', '<its dockerfile_inline, saved to a file>');
  else if (b.dockerfile !== undefined)
    words.push('-f', local && !isAbsolute(b.dockerfile) ? `${dir}${b.dockerfile}` : b.dockerfile);
  if (b.target !== undefined) words.push('--target', b.target);
  for (const k of Object.keys(b.args ?? {})) words.push('--build-arg', k);
  words.push(context);
  return words.map((w) => (w.startsWith('<') ? w : shQuote(w))).join(' ');
}
