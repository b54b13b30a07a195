/**
 * The image a built service starts FROM. Kubernetes cannot build, but what the converter knows about images
 * (stateful databases and their data directories, fixed uids, well-known ports, user names) holds for an image
 * built on one: `build: ./es` with `FROM docker.elastic.co/elasticsearch/elasticsearch:9.1.0` is Elasticsearch, whose
 * uid 1000 needs fsGroup on its claim, and `FROM postgres:16` initialises a data directory that must not be a
 * fresh claim's root. Read once per service from the build's Dockerfile (or `dockerfile_inline`) through the
 * injected file system: the stage `build.target` names, else the last one; `ARG` defaults and `build.args` fill
 * `${VAR}` (and `${VAR:-default}`, `${VAR:+word}`) in FROM; a stage FROM an earlier stage is that stage's image.
 * Undefined when the file cannot be read, the context is remote, or the image is `scratch` or still holds a
 * variable. The same walk of the stages gives the USER the stage leaves set and the context copies it holds
 * (build-copies.ts).
 */
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { FactKey } from '../facts.js';
import { isAbsolute, normalize, resolve } from '../../util/path.js';
import { fixedImageUid } from '../../kube/users.js';

const BASE_IMAGES = new FactKey<Map<string, Stage | undefined>>();

/** The image `svc`'s heuristics read: the image its build starts FROM when there is one, else its `image`. */
export function heuristicImage(ctx: ConvertContext, svc: Service): string | undefined {
  return (svc.build ? builtStage(ctx, svc)?.image : undefined) ?? svc.image;
}

/**
 * The `USER` the Dockerfile of `svc`'s build leaves set (as written), or undefined when it sets none or cannot be
 * read: it replaces the base image's user, so what the converter knows of that (fixed uids) no longer holds.
 */
export function baseUser(ctx: ConvertContext, svc: Service): string | undefined {
  return svc.build ? builtStage(ctx, svc)?.user : undefined;
}

/**
 * The uid `svc` runs as without a `user:` when its image is a fixed-uid image (kube/users.ts) and its build sets no USER
 * of its own (which would replace the base image's), with the table's name for the image; else undefined.
 */
export function fixedUid(ctx: ConvertContext, svc: Service): { uid: number; image: string } | undefined {
  const image = heuristicImage(ctx, svc);
  return image && baseUser(ctx, svc) === undefined ? fixedImageUid(image) : undefined;
}

/** The stage `svc`'s build ends on (dockerfileStage), read once per service; undefined when it cannot be read. */
export function builtStage(ctx: ConvertContext, svc: Service): Stage | undefined {
  const known = ctx.facts.get(BASE_IMAGES, () => new Map());
  if (!known.has(svc.name)) {
    const text = dockerfileText(ctx, svc);
    known.set(
      svc.name,
      text === undefined ? undefined : dockerfileStage(text, svc.build?.args ?? {}, svc.build?.target),
    );
  }
  return known.get(svc.name);
}

/** The absolute directory of `svc`'s local build context; undefined without a build or for a remote one. */
export function buildContextDir(ctx: ConvertContext, svc: Service): string | undefined {
  const context = svc.build?.context;
  if (context === undefined || /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(context)) return undefined;
  return isAbsolute(context) ? context : resolve(ctx.project.workingDir, context);
}

/** The text of `svc`'s Dockerfile (`dockerfile_inline`, or the file through the injected file system). */
export function dockerfileText(ctx: ConvertContext, svc: Service): string | undefined {
  const b = svc.build;
  if (!b || b.dockerfile_inline !== undefined) return b?.dockerfile_inline;
  const context = buildContextDir(ctx, svc);
  return context === undefined || !ctx.fs ? undefined : ctx.fs.readFile(resolve(context, b.dockerfile ?? 'Dockerfile'));
}

/** The image stage `target` (else the last stage) of a Dockerfile starts FROM, or undefined. */
export function dockerfileBase(
  text: string,
  args: Readonly<Record<string, string>>,
  target?: string,
): string | undefined {
  return dockerfileStage(text, args, target)?.image;
}

/** The contents of context path `src` ('' for the whole context) are at absolute image directory `dest`. */
export interface ContextCopy {
  readonly src: string;
  readonly dest: string;
}

/**
 * What a Dockerfile stage is built on, the `USER` it leaves set, its working directory and the context copies it holds
 * (each its own or those of an earlier stage it starts FROM).
 */
export interface Stage {
  image: string | undefined;
  user?: string;
  /** The working directory (absolute), undefined while it is the base image's own (unknown). */
  workdir?: string;
  /** Where its COPY/ADD instructions put context paths (copiesOf). */
  copies: ContextCopy[];
}

/** Stage `target` (else the last stage) of a Dockerfile: its base image (undefined as for dockerfileBase), USER, copies. */
export function dockerfileStage(
  text: string,
  args: Readonly<Record<string, string>>,
  target?: string,
): Stage | undefined {
  const globals: Record<string, string> = {};
  const stages = new Map<string, Stage>();
  let current: Stage | undefined;
  let wanted: Stage | undefined;
  for (const [op, rest] of instructions(text)) {
    if (op === 'ARG' && !current) {
      // Only ARGs before the first FROM are in scope for FROM lines.
      for (const decl of rest) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(decl);
        if (m) globals[m[1]!] = args[m[1]!] ?? unquote(m[2] ?? '');
      }
      continue;
    }
    if (op !== 'FROM') {
      if (!current) continue;
      // A USER with a variable is a user that is not known here: kept as written.
      if (op === 'USER' && rest[0]) current.user = rest[0];
      const words = rest.join(' ');
      if (op === 'WORKDIR') {
        const dir = words.replace(/^(["'])(.*)\1$/, '$2');
        current.workdir = dir.includes('$')
          ? undefined
          : dir.startsWith('/')
            ? normalize(dir)
            : current.workdir && normalize(`${current.workdir}/${dir}`);
      } else if (op === 'COPY' || op === 'ADD') current.copies.push(...copiesOf(words, current.workdir));
      continue;
    }
    const words = rest.filter((w) => !w.startsWith('--'));
    const ref = words[0]?.replace(VARIABLE, (_, a: string | undefined, op: string | undefined, word = '', b) =>
      expand(args[a ?? b] ?? globals[a ?? b], op, word),
    );
    const parent = stages.get(ref?.toLowerCase() ?? '');
    const image = ref === undefined || ref.includes('$') ? undefined : parent ? parent.image : ref;
    current = {
      image,
      ...(parent?.user !== undefined ? { user: parent.user } : {}),
      workdir: parent?.workdir,
      copies: [...(parent?.copies ?? [])],
    };
    const alias = words[1]?.toUpperCase() === 'AS' ? words[2]?.toLowerCase() : undefined;
    if (alias) stages.set(alias, current);
    if (target !== undefined && alias === target.toLowerCase()) wanted = current;
  }
  const stage = target !== undefined ? wanted : current;
  return stage ? { ...stage, image: usable(stage.image) } : undefined;
}

/**
 * A Dockerfile's instructions, each its upper-cased word and the words after it: continuation lines joined, blank and
 * comment lines dropped.
 */
export function instructions(text: string): Array<[op: string, rest: string[]]> {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .flatMap((raw) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return [];
      const [word = '', ...rest] = line.split(/\s+/);
      return [[word.toUpperCase(), rest]];
    });
}

/** `$VAR`, `${VAR}`, `${VAR:-word}` / `${VAR-word}` (default), `${VAR:+word}` / `${VAR+word}` (alternative). */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** A variable's value as the Dockerfile reads it, or '$' (still a variable) when it is unset and has no default. */
function expand(value: string | undefined, op: string | undefined, word: string): string {
  // With the colon, an empty value counts as unset (an `ARG V` without default is empty here).
  const set = op?.startsWith(':') ? !!value : value !== undefined;
  if (op?.endsWith('-')) return set ? value! : word;
  if (op?.endsWith('+')) return set ? word : '';
  return value ?? '$';
}

function unquote(s: string): string {
  return /^(["']).*\1$/.test(s) ? s.slice(1, -1) : s;
}

function usable(image: string | undefined): string | undefined {
  return image && image.toLowerCase() !== 'scratch' ? image : undefined;
}

/** The context copies one COPY/ADD instruction makes (none for `--from`, heredocs, URLs, wildcards, variables). */
function copiesOf(args: string, workdir: string | undefined): ContextCopy[] {
  let words: string[];
  const flags = /^(--\S+\s+)*/.exec(args)?.[0] ?? '';
  if (/--from=/.test(flags) || args.includes('<<')) return [];
  const body = args.slice(flags.length).trim();
  if (body.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (!Array.isArray(parsed) || !parsed.every((w) => typeof w === 'string')) return [];
      words = parsed as string[];
    } catch {
      return [];
    }
  } else words = body.split(/\s+/);
  if (words.length < 2) return [];
  const dest = words[words.length - 1]!;
  if (dest.includes('$') || (!dest.startsWith('/') && workdir === undefined)) return [];
  const at = dest.startsWith('/') ? normalize(dest) : normalize(`${workdir}/${dest}`);
  return words.slice(0, -1).flatMap((src) => {
    if (/[*?[$]|:\/\/|^git@/.test(src)) return [];
    const rel = normalize(src.replace(/^\/+/, ''));
    if (rel === '..' || rel.startsWith('../')) return [];
    return [{ src: rel === '.' ? '' : rel, dest: at }];
  });
}
