/**
 * The stage walk of the `dockerfile` dialect (its BuildReader `stage`, intent/dialect.ts): the stage a built
 * service's Dockerfile (or `dockerfile_inline`, plan/base-image.ts dockerfileText) ends on, read once per service.
 * The stage `build.target` names, else the last one; `ARG` defaults and `build.args` fill `${VAR}` (and
 * `${VAR:-default}`, `${VAR:+word}`) in FROM; a stage FROM an earlier stage is that stage's image. Its image is
 * undefined when it is `scratch` or still holds a variable. The same walk gives the USER the stage leaves set and the
 * context copies it holds (build-copies.ts). Only the dialect imports it (src/convert/dialects.ts), so the lean
 * entry without it bundles none of this.
 */
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { FactKey } from '../facts.js';
import { normalize } from '../../util/path.js';
import type { ContextCopy, Stage } from '../intent/dialect.js';
import { dockerfileText } from './base-image.js';

const STAGES = new FactKey<Map<string, Stage | undefined>>();

/** The stage `svc`'s build ends on (dockerfileStage), read once per service; undefined when it cannot be read. */
export function builtStage(ctx: ConvertContext, svc: Service): Stage | undefined {
  const known = ctx.facts.get(STAGES, () => new Map());
  if (!known.has(svc.name)) {
    const text = dockerfileText(ctx, svc);
    known.set(
      svc.name,
      text === undefined ? undefined : dockerfileStage(text, svc.build?.args ?? {}, svc.build?.target),
    );
  }
  return known.get(svc.name);
}

/** The image stage `target` (else the last stage) of a Dockerfile starts FROM, or undefined. */
export function dockerfileBase(
  text: string,
  args: Readonly<Record<string, string>>,
  target?: string,
): string | undefined {
  return dockerfileStage(text, args, target)?.image;
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
