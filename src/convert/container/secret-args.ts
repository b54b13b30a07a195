/**
 * Secret values interpolated into a command or a healthcheck (`redis-server --requirepass
 * ${REDIS_PASSWORD}`, `redis-cli -a ${REDIS_PASSWORD} ping`) would otherwise land in plain text in
 * the workload, although the same variable in `environment` becomes a Secret placeholder.
 *
 * Unless `--secrets embed`: in command/args the value is replaced by a `$(NAME)` reference, which
 * Kubernetes expands from the container environment; NAME comes from the service's env Secret when
 * it already holds it, else from an `env` entry reading Secret `<svc>-args-secret` (a placeholder,
 * or not emitted with `--secrets external`). Probe commands are not expanded by Kubernetes, so a probe
 * that holds a value runs through `sh -c` and reads the variable there (`-p"${MYSQL_ROOT_PASSWORD}"`);
 * an httpGet probe with a secret header becomes the exec probe of the compose test, read the same way.
 */
import type { Container, EnvVar, Probe, Secret } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import type { ContainerStep } from '../step.js';
import { ENV_VAR_NAME } from './env.js';
import { isSecretKey, isSecretVariable } from '../../kube/secrets.js';
import { escapeExpansion } from './container.js';
import { effectiveOptions } from '../intent/overrides.js';
import { kindRef, placeholder, uniqueName } from '../storage/files.js';
import { FactKey } from '../facts.js';
import { sharedCredentials } from '../plan/credentials.js';
import { sharedRef } from './shared-env.js';
import { shQuote } from '../../util/shell.js';
import { partsAt } from '../plan/credentials.js';
import { pointer, type InterpolatedPart } from '../../model/pointer.js';
import { splitShell } from '../../load/normalize/shell.js';

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

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
function afterPasswordFlag(text: string, i: number): boolean {
  return PASSWORD_FLAG.test(text.slice(Math.max(0, i - 24), i));
}

/** Each service's secret values, strict and loose: computed once per service, several steps read them. */
const SERVICE_SECRET_VALUES = new FactKey<Map<Service, { strict: SecretValue[]; loose: SecretValue[] }>>(
  'service-secret-values',
);

export function secretValues(ctx: ConvertContext, svc: Service, strict = true): readonly SecretValue[] {
  const known = ctx.facts.get(SERVICE_SECRET_VALUES, () => new Map());
  let hit = known.get(svc);
  if (!hit) known.set(svc, (hit = findSecretValues(ctx, svc)));
  return strict ? hit.strict : hit.loose;
}

function findSecretValues(ctx: ConvertContext, svc: Service): { strict: SecretValue[]; loose: SecretValue[] } {
  const plain = new Set<string>();
  const own = Object.keys(svc.environment ?? {});
  const proj = Object.keys(ctx.project.environment ?? {});
  for (const [env, sib] of [
    [svc.environment ?? {}, own],
    [ctx.project.environment ?? {}, proj],
  ] as const)
    for (const [k, v] of Object.entries(env)) if (!isSecretKey(k, v, sib)) plain.add(v);
  return {
    strict: secretValuesOf(ctx, svc, own, proj, plain, true),
    loose: secretValuesOf(ctx, svc, own, proj, plain, false),
  };
}

function secretValuesOf(
  ctx: ConvertContext,
  svc: Service,
  own: readonly string[],
  proj: readonly string[],
  plain: Set<string>,
  strict: boolean,
): SecretValue[] {
  const out: SecretValue[] = [];
  const seen = new Set<string>();
  // Outside command/args (probes, labels) a false match only costs a variable reference, so any value of a
  // secret-looking variable counts unless it is short or also the value of a plain variable.
  const skip = (value: string): boolean => (strict ? tooPlain(value, plain) : value.length < MIN_LOOSE_LENGTH);
  const add = (name: string, value: string, isOwn: boolean): void => {
    const sib = isOwn ? own : proj;
    if (skip(value) || seen.has(value) || !ENV_VAR_NAME.test(name) || !isSecretKey(name, value, sib)) return;
    seen.add(value);
    out.push({
      name,
      value,
      own: isOwn,
      ...(!strict && tooPlain(value, plain) ? { flagOnly: true as const } : {}),
      ...(!strict && plain.has(value) ? { plainValue: true as const } : {}),
    });
  };
  for (const [k, v] of Object.entries(svc.environment ?? {}).sort()) add(k, v, true);
  for (const [k, v] of Object.entries(ctx.project.environment ?? {}).sort()) add(k, v, false);
  // Longest first, so a value containing another is replaced whole.
  return out.sort((a, b) => b.value.length - a.value.length || (a.name < b.name ? -1 : 1));
}

/**
 * Replace every occurrence of the values in a `sh -c` script by `${NAME}`, leaving and re-entering single quotes.
 * `before`: the argv word before this one, for a flag-only value (`-a` `VALUE`).
 */
function redactScript(script: string, values: readonly SecretValue[], used: Set<string>, before = ''): string {
  let out = '';
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < script.length;) {
    const hit = values.find(
      (v) => script.startsWith(v.value, i) && (!v.flagOnly || afterPasswordFlag(before + script, before.length + i)),
    );
    if (hit) {
      used.add(hit.name);
      const ref = `\${${hit.name}}`;
      out += quote === "'" ? `'"${ref}"'` : quote === '"' ? ref : `"${ref}"`;
      i += hit.value.length;
      continue;
    }
    const ch = script[i]!;
    if (ch === '\\' && quote !== "'") {
      out += script.slice(i, i + 2);
      i += 2;
      continue;
    }
    if ((ch === "'" || ch === '"') && (quote === '' || quote === ch)) quote = quote ? '' : ch;
    out += ch;
    i++;
  }
  return out;
}

/** An exec command without the values: a shell script reads them from the container's environment. */
function redactExec(command: readonly string[], values: readonly SecretValue[], used: Set<string>): string[] {
  const has = (w: string): boolean => values.some((v) => w.includes(v.value));
  if (!command.some(has)) return [...command];
  const shell = command.length === 3 && /^(\/bin\/)?(sh|bash|ash|dash)$/.test(command[0]!) && command[1] === '-c';
  // What this command uses: a flag-only value may match nowhere, and then the command stays as it is.
  const mine = new Set<string>();
  let out: string[];
  if (shell) out = [command[0]!, '-c', redactScript(command[2]!, values, mine)];
  else {
    // An argv: each word single-quoted, the values as "${NAME}" between the quoted pieces.
    const script = command
      .map((w, k) => redactScript(shQuote(w), values, mine, k ? `${command[k - 1]} ` : ''))
      .map((w) => (w.length > 2 ? w.replace(/^''(?=.)/, '').replace(/(?<=.)''$/, '') : w))
      .join(' ');
    out = ['sh', '-c', `exec ${script}`];
  }
  if (!mine.size) return [...command];
  for (const n of mine) used.add(n);
  return out;
}

/** A secret variable's value in Secret `<svc>-args-secret`: a placeholder, or empty when compose had it empty. */
function argValue(ctx: ConvertContext, name: string): string {
  return ctx.project.environment?.[name] === '' ? '' : placeholder(name);
}

/** No plain values: `tooPlain` by the value's own shape only. */
const NONE: ReadonlySet<string> = new Set();

/** Marks a secret variable's piece in a command string while it is split into words (never in compose text). */
const MARK = '\u0000';

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
  const env = ctx.project.environment ?? {};
  const projKeys = Object.keys(env);
  const secret = (p: InterpolatedPart): boolean => {
    const name = p.name;
    const value = env[name ?? ''] ?? p.text;
    if (name === undefined || !ENV_VAR_NAME.test(name) || !isSecretVariable(name, value, projKeys)) return false;
    // A value the value pass finds (long, not a plain word) is left to it: it prefers the service's own key.
    if (!tooPlain(value, NONE)) return false;
    // The service's own variable of that name must hold the same value, or a reference would read another one.
    const own = svc.environment?.[name];
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
function boundWords(
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
    if (w === undefined || current[i] !== escapeExpansion([words[i]!])[0]) return undefined;
    for (const n of markedNames(w, m.names)) vars.add(n);
    return w
      .split(MARK)
      .map((b, k) => (k % 2 ? `$(${m.names[Number(b)]!})` : escapeExpansion([b])[0]!))
      .join('');
  });
}

/**
 * The compose test as an exec command with the secret variables' pieces marked, and those marks as values for
 * redactExec (each reads its variable, `own` when the service's environment holds it); undefined when none.
 */
function markedTest(ctx: ConvertContext, svc: Service): { command: string[]; values: SecretValue[] } | undefined {
  const test = svc.healthcheck?.test;
  if (!test || test.length < 2 || (test[0] !== 'CMD' && test[0] !== 'CMD-SHELL')) return undefined;
  const shell = test[0] === 'CMD-SHELL';
  const m = markWords(ctx, svc, ['services', svc.name, 'healthcheck', 'test'], test.slice(1), false, 1);
  if (!m) return undefined;
  const words = m.words.map((w, i) => w ?? test[i + 1]!);
  const values = m.names.map((name, i) => ({
    name,
    value: `${MARK}${i}${MARK}`,
    own: svc.environment?.[name] !== undefined,
  }));
  return { command: shell ? ['sh', '-c', words[0]!] : words, values };
}

type ProbeField = 'readinessProbe' | 'livenessProbe' | 'startupProbe';
const PROBES: readonly ProbeField[] = ['readinessProbe', 'livenessProbe', 'startupProbe'];

/** The compose test as an exec command (CMD → argv, CMD-SHELL → sh -c). */
function testCommand(svc: Service): string[] | undefined {
  const test = svc.healthcheck?.test;
  if (!test || test.length < 2) return undefined;
  if (test[0] === 'CMD') return test.slice(1);
  if (test[0] === 'CMD-SHELL') return ['sh', '-c', test[1]!];
  return undefined;
}

/**
 * Probes holding a secret value: exec commands read the variable instead; an httpGet whose header holds one
 * becomes the exec probe of the compose test (or, without one, loses the header). Returns the variables used
 * and whether an httpGet was rewritten or lost its header.
 */
function redactProbes(
  svc: Service,
  c: Container,
  values: readonly SecretValue[],
  marked: { command: string[]; values: SecretValue[] } | undefined,
): { used: string[]; http: 'exec' | 'dropped' | undefined } {
  const used = new Set<string>();
  // The compose test with its secret variables' pieces read by variable (marks), when the probe runs it unchanged.
  const test = testCommand(svc);
  const all = marked ? [...marked.values, ...values] : values;
  const exec = (cmd: readonly string[]): string[] => {
    if (marked && test && cmd.length === test.length && cmd.every((w, i) => w === test[i])) {
      const out = redactExec(marked.command, all, used);
      // A mark the script reader could not see whole (after a backslash) must not reach the manifest.
      if (!out.some((w) => w.includes(MARK))) return out;
    }
    return redactExec(cmd, values, used);
  };
  let http: 'exec' | 'dropped' | undefined;
  for (const field of PROBES) {
    const p: Probe | undefined = c[field];
    if (!p) continue;
    const headers = p.httpGet?.httpHeaders ?? [];
    if (p.httpGet && headers.some((h) => values.some((v) => h.value.includes(v.value)))) {
      if (test) {
        const { httpGet: _drop, ...rest } = p;
        c[field] = { ...rest, exec: { command: exec(test) } };
        http = 'exec';
      } else {
        p.httpGet.httpHeaders = headers.filter((h) => !values.some((v) => h.value.includes(v.value)));
        if (!p.httpGet.httpHeaders.length) delete p.httpGet.httpHeaders;
        http ??= 'dropped';
      }
      continue;
    }
    if (p.exec?.command) p.exec.command = exec(p.exec.command);
  }
  return { used: [...used], http };
}

export const redactSecretArgs: ContainerStep = (ctx, svc, c, plan) => {
  const mode = effectiveOptions(ctx).secrets;
  if (mode === 'embed') return;
  // In command/args only values unlikely to occur by chance (not short, not a plain word or number) are replaced,
  // wherever they occur (`-pS3cr3t`): Kubernetes expands `$(NAME)` there, and a false match would change the command.
  const loose = secretValues(ctx, svc, false);
  const values = secretValues(ctx, svc);
  const referenced: string[] = [];
  const needEnv: string[] = [];
  // The compose item each field came from (container.ts): args ← command; command ← entrypoint, or command
  // when the entrypoint is empty. That item gets the downgrade.
  const epSet = svc.entrypoint !== undefined && svc.entrypoint !== null && svc.entrypoint.length > 0;
  const itemOf = { command: epSet ? 'entrypoint' : 'command', args: 'command' } as const;
  const byItem = new Map<'entrypoint' | 'command', string[]>();
  for (const field of ['command', 'args'] as const) {
    const words = c[field];
    if (!words) continue;
    const item = itemOf[field];
    const note = (name: string, own: boolean): void => {
      if (!referenced.includes(name)) referenced.push(name);
      const names = byItem.get(item) ?? [];
      if (!names.includes(name)) byItem.set(item, [...names, name]);
      if (!own && !needEnv.includes(name)) needEnv.push(name);
    };
    const vars = new Set<string>();
    const bound = boundWords(ctx, svc, item, words, vars);
    for (const name of vars) note(name, svc.environment?.[name] !== undefined);
    c[field] = words.map((w, i) => {
      let out = bound?.[i] ?? w;
      for (const s of values) {
        const v = escapeExpansion([s.value])[0]!;
        const re = new RegExp(escapeRe(v), 'g');
        if (!re.test(out)) continue;
        out = out.replace(re, () => `$(${s.name})`);
        note(s.name, s.own);
      }
      return out;
    });
  }
  const objects = [`${plan.kind}/${plan.name}`];
  if (referenced.length) {
    let from = '';
    // A credential shared by several services (plan/credentials.ts) comes from the project's shared Secret.
    const shared = sharedCredentials(ctx);
    const fromShared = needEnv.filter((k) => shared.keys.has(k));
    if (fromShared.length) {
      const have = new Set((c.env ?? []).map((e) => e.name));
      c.env = [...(c.env ?? []), ...fromShared.filter((k) => !have.has(k)).map((k) => sharedRef(shared.secret, k))];
      objects.push(kindRef('Secret', shared.secret));
      from = `; ${fromShared.join(', ')} read from the shared Secret ${shared.secret}`;
      needEnv.splice(0, needEnv.length, ...needEnv.filter((k) => !shared.keys.has(k)));
    }
    if (needEnv.length) {
      const name = uniqueName(ctx, 'secret', `args\0${svc.name}`, `${ctx.serviceName(svc)}-args-secret`);
      const env: EnvVar[] = needEnv.map((k) => ({ name: k, valueFrom: { secretKeyRef: { name, key: k } } }));
      c.env = [...(c.env ?? []).filter((e) => !needEnv.includes(e.name)), ...env];
      if (mode !== 'external') {
        const obj: Secret & KubeObject = {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: ctx.meta(name, ctx.labels(svc)),
          type: 'Opaque',
          stringData: Object.fromEntries(needEnv.map((k) => [k, argValue(ctx, k)])),
        };
        ctx.emit(obj);
      }
      objects.push(kindRef('Secret', name));
      const empty = needEnv.filter((k) => argValue(ctx, k) === '');
      const kept = empty.length ? `; ${empty.join(', ')} empty, as in compose` : '';
      from += `; ${needEnv.join(', ')} read from Secret ${name}${mode === 'external' ? ' (not emitted: --secrets external)' : ` (placeholder values${kept})`}`;
    }
    for (const [item, names] of byItem)
      ctx.downgrade(
        svc.name,
        item,
        item === 'entrypoint' ? 'entrypoint.secret-references' : 'command.secret-references',
        { names: names.join(', '), from, first: names[0]! },
        { objects },
      );
  }
  const marked = markedTest(ctx, svc);
  const probes = redactProbes(svc, c, loose, marked);
  if (probes.used.length || probes.http) {
    const probeNeed = [
      ...new Set(
        [...(marked?.values ?? []), ...loose].filter((s) => probes.used.includes(s.name) && !s.own).map((s) => s.name),
      ),
    ];
    const from = probeNeed.length ? provideEnv(ctx, svc, c, probeNeed, mode) : undefined;
    if (from) objects.push(from);
    ctx.downgrade(
      svc.name,
      'healthcheck',
      probes.http === 'dropped' ? 'healthcheck.secret-header-dropped' : 'healthcheck.secret-references',
      {
        names: probes.used.join(', ') || 'a secret header',
        http:
          probes.http === 'exec'
            ? ' (the httpGet probe with a secret header became an exec probe running the compose test)'
            : '',
      },
      { objects },
    );
  }
};

/** `env` entries reading `names` from Secret `<svc>-args-secret` (placeholders; not emitted when external). */
function provideEnv(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  names: readonly string[],
  mode: string,
): string | undefined {
  let missing = names.filter((n) => !(c.env ?? []).some((e) => e.name === n));
  if (!missing.length) return undefined;
  const shared = sharedCredentials(ctx);
  const fromShared = missing.filter((n) => shared.keys.has(n));
  if (fromShared.length) {
    c.env = [...(c.env ?? []), ...fromShared.map((k) => sharedRef(shared.secret, k))];
    missing = missing.filter((n) => !shared.keys.has(n));
    if (!missing.length) return kindRef('Secret', shared.secret);
  }
  const name = uniqueName(ctx, 'secret', `args\0${svc.name}`, `${ctx.serviceName(svc)}-args-secret`);
  c.env = [...(c.env ?? []), ...missing.map((k) => ({ name: k, valueFrom: { secretKeyRef: { name, key: k } } }))];
  if (mode !== 'external') {
    const existing = ctx.find('Secret', name) as (Secret & KubeObject) | undefined;
    if (existing)
      existing.stringData = { ...existing.stringData, ...Object.fromEntries(missing.map((k) => [k, placeholder(k)])) };
    else {
      const obj: Secret & KubeObject = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: ctx.meta(name, ctx.labels(svc)),
        type: 'Opaque',
        stringData: Object.fromEntries(missing.map((k) => [k, placeholder(k)])),
      };
      ctx.emit(obj);
    }
  }
  return kindRef('Secret', name);
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

/** Every value of a secret-looking variable in the project (any service's environment, the .env), once. */
const PROJECT_SECRET_VALUES = new FactKey<readonly SecretValue[]>('project-secret-values');

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
