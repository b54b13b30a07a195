/**
 * Where the image built for a service holds the files of its build context, read from its Dockerfile: the
 * `COPY`/`ADD` instructions of the stage the build ends on (`build.target`, else the last one) and of the stages it
 * starts FROM, each a context path whose contents land at an image directory (`COPY . .` after `WORKDIR /app`:
 * the whole context at /app; `COPY src /app/src`), less what `.dockerignore` keeps out of the context. bind-kinds.ts
 * reads it to tell a development bind mount (the source the image was built from, mounted over the image's copy of
 * it) from data. Undefined when the Dockerfile cannot be read. Conservative: a copy from another stage or image
 * (`--from`), a URL, a wildcard, a variable, or a relative destination under a base image's unknown WORKDIR is
 * not counted.
 */
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { FactKey } from '../facts.js';
import { normalize } from '../../util/path.js';
import type { BuildCopies, ContextCopy } from '../intent/dialect.js';
import { buildContextDir, dockerfilePath, dockerfileText } from './base-image.js';
import { builtStage, dockerfileStage } from './dockerfile.js';

const COPIES = new FactKey<Map<string, BuildCopies | undefined>>();

/**
 * What of its build context the image of `svc` holds, and where (memoized per service); undefined if unknown: the
 * `dockerfile` dialect's BuildReader `copies` (plan/base-image.ts buildCopies is the core's accessor).
 */
export function readBuildCopies(ctx: ConvertContext, svc: Service): BuildCopies | undefined {
  const known = ctx.facts.get(COPIES, () => new Map());
  if (!known.has(svc.name)) known.set(svc.name, readCopies(ctx, svc));
  return known.get(svc.name);
}

function readCopies(ctx: ConvertContext, svc: Service): BuildCopies | undefined {
  const text = dockerfileText(ctx, svc);
  if (text === undefined) return undefined;
  const context = buildContextDir(ctx, svc);
  const dockerfile = dockerfilePath(ctx, svc);
  // BuildKit reads <Dockerfile>.dockerignore before the context's .dockerignore.
  const ignore =
    context === undefined || !ctx.fs
      ? undefined
      : ((dockerfile ? ctx.fs.readFile(`${dockerfile}.dockerignore`) : undefined) ??
        ctx.fs.readFile(`${context}/.dockerignore`));
  return { copies: builtStage(ctx, svc)?.copies ?? [], ignored: ignoreMatcher(ignore ?? '') };
}

/** The context copies of stage `target` (else the last stage) of a Dockerfile, with those of the stages below it. */
export function dockerfileCopies(text: string, target?: string): ContextCopy[] {
  return dockerfileStage(text, {}, target)?.copies ?? [];
}

/**
 * `.dockerignore` as a test of a context path: the last pattern matching the path or a folder above it decides
 * (`!` lines put back). Patterns are globs (`*`, `?`, `**`) from the context root.
 */
export function ignoreMatcher(text: string): (rel: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const keep = l.startsWith('!');
      const pattern = normalize((keep ? l.slice(1) : l).trim().replace(/^\/+/, ''));
      return { keep, re: globRe(pattern) };
    });
  return (rel) => {
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      let out = false;
      for (const r of rules) if (r.re.test(p)) out = !r.keep;
      if (out) return true;
    }
    return false;
  };
}

function globRe(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      i++;
      // `**/x`: x in any folder, the root included.
      if (pattern[i + 1] === '/') {
        re += '(?:.*/)?';
        i++;
      } else re += '.*';
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
