/**
 * Which values in a service's commands, probes, labels and files are secret: by value (the values of its
 * secret-looking variables, strict in command/args, loose elsewhere, plain words only after a password option) and
 * by variable (the pieces the loader recorded as made from a secret variable, for values too short, plain or empty to
 * find by their text, and from a credential the project's shared Secret holds, whatever its value). secret-args.ts rewrites what is found here; pod settings and bind mounts ask about labels and
 * files.
 */
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { ENV_VAR_NAME } from './env.js';
import { isSecretKey, isSecretVariable, mountedFiles } from '../../kube/secrets.js';
import { escapeWord } from './container.js';
import { effectiveOptions } from '../intent/overrides.js';
import { placeholder } from '../storage/files.js';
import { FactKey } from '../facts.js';
import { partsAt, sharedCredentials } from '../plan/credentials.js';
import { pointer, type InterpolatedPart } from '../../model/pointer.js';
import { splitShell } from '../../load/normalize/shell.js';
import { planPods } from '../plan/plan.js';
import { testCommand } from './http-check.js';

/** Shorter values (`1`, `no`, `abc`) are too likely to occur by chance in a command. */
const MIN_SECRET_LENGTH = 6;
/** The same outside command/args, where a match is replaced inside words too (`-pVALUE`). */
const MIN_LOOSE_LENGTH = 4;

/**
 * Values that could just as well be a word of the command (`postgres` as password and as user name,
 * a number): replacing them would change the command when the Secret holds a placeholder.
 */
function tooPlain(value: string, plainValues: ReadonlySet<string>): boolean {
  return value.length < MIN_SECRET_LENGTH || /^[A-Za-z]+$/.test(value) || /^\d+$/.test(value) || plainValues.has(value);
}

/** Secret-looking variables whose values may have been interpolated: the service's own, then the project's. */
export interface SecretValue {
  name: string;
  value: string;
  /** The service's own variable (its env Secret holds it), not only the project's interpolation environment. */
  own: boolean;
  /**
   * A plain-looking value (`postgres`, `admin`, `1234`): outside command/args it is replaced only right after a
   * password option (`-pVALUE`, `--password=VALUE`, `-a VALUE`), never where the same word is a user name or a path.
   */
  flagOnly?: true;
  /** Also the value of a plain variable: no file or label holding it counts as secret for it. */
  plainValue?: true;
}

/** Options after which a word is a password (`mysqladmin -pVALUE`, `redis-cli -a VALUE`, `--password=VALUE`). */
const PASSWORD_FLAG = /(?:^|[\s'"])(?:-p\s*|-a\s+|--requirepass\s+|--pass(?:word)?[=\s]+)['"]?$/;

/** Does the value at `i` of `text` follow a password option? */
export function afterPasswordFlag(text: string, i: number): boolean {
  return PASSWORD_FLAG.test(text.slice(Math.max(0, i - 24), i));
}

/** Each service's secret values, strict and loose: computed once per service, several steps read them. */
const SERVICE_SECRET_VALUES = new FactKey<Map<Service, { strict: SecretValue[]; loose: SecretValue[] }>>();

export function secretValues(ctx: ConvertContext, svc: Service, strict = true): readonly SecretValue[] {
  const known = ctx.facts.get(SERVICE_SECRET_VALUES, () => new Map());
  let hit = known.get(svc);
  if (!hit) known.set(svc, (hit = findSecretValues(ctx, svc)));
  return strict ? hit.strict : hit.loose;
}

function findSecretValues(ctx: ConvertContext, svc: Service): { strict: SecretValue[]; loose: SecretValue[] } {
  const plain = new Set<string>();
  const own = Object.keys(svc.environment);
  const proj = Object.keys(ctx.project.environment);
  const files = mountedFiles(svc);
  for (const [env, sib, f] of [
    [svc.environment, own, files],
    [ctx.project.environment, proj, undefined],
  ] as const)
    for (const [k, v] of Object.entries(env)) if (!isSecretKey(k, v, sib, f)) plain.add(v);
  return {
    strict: secretValuesOf(ctx, svc, own, proj, plain, files, true),
    loose: secretValuesOf(ctx, svc, own, proj, plain, files, false),
  };
}

function secretValuesOf(
  ctx: ConvertContext,
  svc: Service,
  own: readonly string[],
  proj: readonly string[],
  plain: Set<string>,
  files: ReadonlySet<string>,
  strict: boolean,
): SecretValue[] {
  const out: SecretValue[] = [];
  const seen = new Set<string>();
  // Outside command/args (probes, labels) a false match only costs a variable reference, so any value of a
  // secret-looking variable counts unless it is short or also the value of a plain variable.
  const skip = (value: string): boolean => (strict ? tooPlain(value, plain) : value.length < MIN_LOOSE_LENGTH);
  const add = (name: string, value: string, isOwn: boolean): void => {
    const sib = isOwn ? own : proj;
    if (skip(value) || seen.has(value) || !ENV_VAR_NAME.test(name)) return;
    if (!isSecretKey(name, value, sib, isOwn ? files : undefined)) return;
    seen.add(value);
    out.push({
      name,
      value,
      own: isOwn,
      ...(!strict && tooPlain(value, plain) ? { flagOnly: true as const } : {}),
      ...(!strict && plain.has(value) ? { plainValue: true as const } : {}),
    });
  };
  for (const [k, v] of Object.entries(svc.environment).sort()) add(k, v, true);
  for (const [k, v] of Object.entries(ctx.project.environment).sort()) add(k, v, false);
  // Longest first, so a value containing another is replaced whole.
  return out.sort((a, b) => b.value.length - a.value.length || (a.name < b.name ? -1 : 1));
}

/** No plain values: `tooPlain` by the value's own shape only. */
const NONE: ReadonlySet<string> = new Set();

/** Marks a secret variable's piece in a command string while it is split into words (never in compose text). */
export const MARK = '\u0000';

/** Compose words with each secret variable's piece as MARK + index + MARK; `names[index]` is its variable. */
interface MarkedWords {
  /** Per word: the marked word, or undefined when it holds no such piece. */
  words: Array<string | undefined>;
  names: string[];
}

/**
 * The words at `segs` (`services/<name>/command`) with the pieces the loader recorded as the value of a secret
 * variable marked, where that value is too short or plain for the value pass to find safely (an empty
 * `--requirepass "${REDIS_PASSWORD}"`, a `-p${DB_PASS}` of `abc`). A list has a record per word (from index `first`
 * of the compose list); a string has one, split into words as the loader split it (`split`), or one word (a
 * CMD-SHELL test). Undefined when nothing is marked, or when the record does not give back the words exactly (a value
 * with blanks splits otherwise): the value pass then decides.
 */
function markWords(
  ctx: ConvertContext,
  svc: Service,
  segs: ReadonlyArray<string>,
  words: readonly string[],
  split: boolean,
  first = 0,
): MarkedWords | undefined {
  if (!words.length || !ctx.project.interpolated?.size) return undefined;
  const env = ctx.project.environment;
  const projKeys = Object.keys(env);
  const shared = sharedCredentials(ctx).keys;
  const secret = (p: InterpolatedPart): boolean => {
    const name = p.name;
    const value = env[name ?? ''] ?? p.text;
    if (name === undefined || !ENV_VAR_NAME.test(name)) return false;
    // A credential shared by several services (a user name beside its password, MINIO_ROOT_USER) is in the
    // shared Secret whatever its value looks like: the command must read it there, or filling the Secret with
    // another value leaves the command with the old one. The value pass does not know it (no secret-looking name).
    const credential = shared.get(name)?.value === value;
    if (!credential && !isSecretVariable(name, value, projKeys)) return false;
    // A value the value pass finds (long, not a plain word) is left to it: it prefers the service's own key.
    if (!credential && !tooPlain(value, NONE)) return false;
    // The service's own variable of that name must hold the same value, or a reference would read another one.
    const own = svc.environment[name];
    return own === undefined || own === value;
  };
  const names: string[] = [];
  const values: string[] = [];
  const mark = (parts: readonly InterpolatedPart[]): string =>
    parts
      .map((p) => {
        if (!secret(p)) return p.text;
        values.push(p.text);
        return `${MARK}${names.push(p.name!) - 1}${MARK}`;
      })
      .join('');
  const unmark = (w: string): string =>
    w
      .split(MARK)
      .map((b, k) => (k % 2 ? values[Number(b)]! : b))
      .join('');
  let marked: string[] | undefined;
  const listParts = words.map((_, i) => partsAt(ctx, pointer(...segs, i + first)));
  if (listParts.some((p) => p !== undefined))
    marked = words.map((w, i) =>
      listParts[i] && listParts[i].map((p) => p.text).join('') === w ? mark(listParts[i]) : w,
    );
  else {
    const parts = partsAt(ctx, pointer(...segs));
    if (!parts) return undefined;
    const line = mark(parts);
    if (!names.length) return undefined;
    const out = split ? splitShell(line) : { words: [line] };
    if ('error' in out) return undefined;
    marked = out.words;
  }
  if (!names.length || marked.length !== words.length || marked.some((w, i) => unmark(w) !== words[i]))
    return undefined;
  return { words: marked.map((w) => (w.includes(MARK) ? w : undefined)), names };
}

/** The variables a marked word names. */
function markedNames(word: string, names: readonly string[]): string[] {
  return word
    .split(MARK)
    .filter((_, k) => k % 2)
    .map((b) => names[Number(b)]!);
}

/**
 * Command words (compose `item`, now `current` in the container) rewritten by variable: each marked piece becomes
 * `$(NAME)`, the rest escaped as container.ts escapes it; a word an earlier step changed is left to the value pass.
 * `vars` collects the variables used.
 */
export function boundWords(
  ctx: ConvertContext,
  svc: Service,
  item: 'command' | 'entrypoint',
  current: readonly string[],
  vars: Set<string>,
): Array<string | undefined> | undefined {
  const words = svc[item];
  if (!words || words.length !== current.length) return undefined;
  const m = markWords(ctx, svc, ['services', svc.name, item], words, true);
  return m?.words.map((w, i) => {
    if (w === undefined || current[i] !== escapeWord(words[i]!)) return undefined;
    for (const n of markedNames(w, m.names)) vars.add(n);
    return w
      .split(MARK)
      .map((b, k) => (k % 2 ? `$(${m.names[Number(b)]!})` : escapeWord(b)))
      .join('');
  });
}

/**
 * The compose test as an exec command with the secret variables' pieces marked, and those marks as values for
 * redactExec (each reads its variable, `own` when the service's environment holds it); undefined when none.
 */
export function markedTest(
  ctx: ConvertContext,
  svc: Service,
): { command: string[]; values: SecretValue[] } | undefined {
  const test = svc.healthcheck?.test;
  if (!test || !testCommand(test)) return undefined;
  const m = markWords(ctx, svc, ['services', svc.name, 'healthcheck', 'test'], test.slice(1), false, 1);
  if (!m) return undefined;
  const words = m.words.map((w, i) => w ?? test[i + 1]!);
  const values = m.names.map((name, i) => ({
    name,
    value: `${MARK}${i}${MARK}`,
    own: svc.environment[name] !== undefined,
  }));
  return { command: testCommand([test[0]!, ...words])!, values };
}

/**
 * A label or annotation value holding a secret: the placeholder instead (a label is metadata anyone who can
 * read the namespace sees), and the names of the variables for the report. Used by the pod settings.
 */
export function redactLabelValue(
  ctx: ConvertContext,
  svc: Service,
  key: string,
  value: string,
): { value: string; names: string[] } {
  if (effectiveOptions(ctx).secrets === 'embed') return { value, names: [] };
  const names = secretValues(ctx, svc, false)
    .filter((s) => !s.plainValue && value.includes(s.value))
    .map((s) => s.name);
  return names.length ? { value: placeholder(key), names } : { value, names };
}

/** A secret-looking variable of a service's environment: the env step puts it in a Secret (env.ts). */
export interface ServiceSecretVar {
  service: string;
  name: string;
}

const SECRET_VARS_BY_VALUE = new FactKey<ReadonlyMap<string, readonly ServiceSecretVar[]>>();

/**
 * Every service's secret-looking variables by value (not empty), in service then name order, made once: a command
 * of another service that holds the same value after a password option (secret-args.ts) is another copy of it.
 */
export function secretVarsByValue(ctx: ConvertContext): ReadonlyMap<string, readonly ServiceSecretVar[]> {
  return ctx.facts.get(SECRET_VARS_BY_VALUE, () => {
    const out = new Map<string, ServiceSecretVar[]>();
    // Only services that run (a provider or a Docker helper has no env Secret to read from).
    const running = planPods(ctx).flatMap((p) => p.services.map((m) => m.name));
    for (const service of running.sort()) {
      const svc = ctx.project.services[service]!;
      const env = svc.environment;
      const names = Object.keys(env);
      const files = mountedFiles(svc);
      for (const name of [...names].sort()) {
        const value = env[name]!;
        if (value === '' || !ENV_VAR_NAME.test(name) || !isSecretVariable(name, value, names, files)) continue;
        const list = out.get(value);
        if (list) list.push({ service, name });
        else out.set(value, [{ service, name }]);
      }
    }
    return out;
  });
}

/** Every value of a secret-looking variable in the project (any service's environment, the .env), once. */
const PROJECT_SECRET_VALUES = new FactKey<readonly SecretValue[]>();

/**
 * The secret variable whose value a file's text holds (`secret_access_key: supersecret` in a config file beside
 * `MINIO_ROOT_PASSWORD=supersecret`), or undefined: such a file is as secret as the variable.
 */
export function secretValueIn(ctx: ConvertContext, text: string): string | undefined {
  const all = ctx.facts.get(PROJECT_SECRET_VALUES, () => {
    const seen = new Map<string, SecretValue>();
    for (const svc of Object.values(ctx.project.services))
      for (const s of secretValues(ctx, svc, false)) if (!s.plainValue && !seen.has(s.value)) seen.set(s.value, s);
    return [...seen.values()];
  });
  return all.find((s) => text.includes(s.value))?.name;
}
