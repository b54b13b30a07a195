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
import type { Container, Probe, Secret } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import type { ContainerStep } from '../step.js';
import { escapeWord } from './container.js';
import { effectiveOptions } from '../intent/overrides.js';
import { kindRef, placeholder, uniqueName } from '../storage/files.js';
import { role, sharedCredentials } from '../plan/credentials.js';
import { sharedRef } from './shared-env.js';
import { envSecretName } from './env.js';
import { shQuote } from '../../util/shell.js';
import { testCommand } from './http-check.js';
import {
  MARK,
  afterPasswordFlag,
  boundWords,
  markedTest,
  secretValues,
  secretVarsByValue,
  type SecretValue,
} from './secret-values.js';

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

/**
 * A password option and its value in a command (`--db-root-password=admin`, `--password "admin"`): the value ends at
 * a blank, quote or shell operator. `-p`/`-a` options are left to the value pass (their letter says nothing of whose
 * password it is).
 */
const PASSWORD_OPTION =
  /(^|[\s'"])(--[A-Za-z][\w-]*?(?:pass(?:word|wd)?|pwd)[\w-]*)(=|[ \t]+)(['"]?)([^\s'"`;|&()<>$\\]+)/gi;

/** Another service's secret variable whose value a command repeats after a password option, and its Secret key. */
interface Copy {
  service: string;
  name: string;
  option: string;
  secret: string;
  key: string;
}

/**
 * `word` with each password option's value that is the value of another service's secret variable of the same role
 * (plan/credentials.ts: `--db-root-password=admin` and the database's `MARIADB_ROOT_PASSWORD: admin`, both root;
 * not `--admin-password=admin`) as `$(NAME)`, NAME read from the Secret that holds that variable, so that filling
 * it sets both (frappe's create-site would otherwise log in with the compose file's password). `copies` collects
 * them by variable name; a name another service's variable already took is left as it is.
 */
function linkCopies(ctx: ConvertContext, svc: Service, word: string, copies: Map<string, Copy>): string {
  const byValue = secretVarsByValue(ctx);
  return word.replace(
    PASSWORD_OPTION,
    (m: string, pre: string, option: string, sep: string, q: string, value: string) => {
      const r = role(option.replace(/^-+/, ''));
      const v = byValue
        .get(value)
        ?.find((x) => x.service !== svc.name && role(x.name) === r && svc.environment[x.name] === undefined);
      if (!v) return m;
      const had = copies.get(v.name);
      if (had && had.service !== v.service) return m;
      if (!had) copies.set(v.name, { ...v, option, ...copySecret(ctx, v.service, v.name) });
      return `${pre}${option}${sep}${q}$(${v.name})`;
    },
  );
}

/** Where variable `name` of service `service` is kept: the shared credentials Secret (its key), else its env Secret. */
function copySecret(ctx: ConvertContext, service: string, name: string): { secret: string; key: string } {
  const credentials = sharedCredentials(ctx);
  const key = credentials.env
    .get(service)
    ?.get(name)
    ?.find((p) => p.name !== undefined && credentials.keys.has(p.name))?.name;
  if (key !== undefined) return { secret: credentials.secret, key };
  return { secret: envSecretName(ctx, ctx.project.services[service]!), key: name };
}

/** A secret variable's value in Secret `<svc>-args-secret`: a placeholder, or empty when compose had it empty. */
function argValue(ctx: ConvertContext, name: string): string {
  return ctx.project.environment[name] === '' ? '' : placeholder(name);
}

type ProbeField = 'readinessProbe' | 'livenessProbe' | 'startupProbe';
const PROBES: readonly ProbeField[] = ['readinessProbe', 'livenessProbe', 'startupProbe'];

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
  const test = testCommand(svc.healthcheck?.test);
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
  const needEnv: string[] = [];
  // The compose item each field came from (container.ts): args ← command; command ← entrypoint, or command
  // when the entrypoint is empty. That item gets the downgrade.
  const itemOf = { command: svc.entrypoint?.length ? 'entrypoint' : 'command', args: 'command' } as const;
  const byItem = new Map<'entrypoint' | 'command', string[]>();
  const copies = new Map<string, Copy>();
  for (const field of ['command', 'args'] as const) {
    const words = c[field];
    if (!words) continue;
    const item = itemOf[field];
    const note = (name: string, own: boolean): void => {
      const names = byItem.get(item) ?? [];
      if (!names.includes(name)) byItem.set(item, [...names, name]);
      if (!own && !needEnv.includes(name)) needEnv.push(name);
    };
    const vars = new Set<string>();
    const bound = boundWords(ctx, svc, item, words, vars);
    for (const name of vars) note(name, svc.environment[name] !== undefined);
    c[field] = words.map((w, i) => {
      let out = bound?.[i] ?? w;
      for (const s of values) {
        const v = escapeWord(s.value);
        if (!out.includes(v)) continue;
        out = out.replaceAll(v, () => `$(${s.name})`);
        note(s.name, s.own);
      }
      const linked = linkCopies(ctx, svc, out, copies);
      if (linked !== out) for (const name of copies.keys()) if (linked.includes(`$(${name})`)) note(name, true);
      return linked;
    });
  }
  const objects = [`${plan.kind}/${plan.name}`];
  if (byItem.size) {
    const read = readSecretVars(ctx, svc, c, needEnv, mode);
    objects.push(...read.objects);
    let from = read.shared.length ? `; ${read.shared.join(', ')} read from the shared Secret ${read.sharedSecret}` : '';
    const have = new Set((c.env ?? []).map((e) => e.name));
    for (const copy of copies.values()) {
      if (!have.has(copy.name)) c.env = [...(c.env ?? []), sharedRef(copy.secret, copy.key, copy.name)];
      objects.push(kindRef('Secret', copy.secret));
      from += `; ${copy.name} read from Secret ${copy.secret}, which holds service ${copy.service}'s ${copy.name}: the command repeated its value after ${copy.option}, so filling the Secret sets both`;
    }
    if (read.own.length) {
      const empty = read.own.filter((k) => argValue(ctx, k) === '');
      const kept = empty.length ? `; ${empty.join(', ')} empty, as in compose` : '';
      from += `; ${read.own.join(', ')} read from Secret ${read.secret}${mode === 'external' ? ' (not emitted: --secrets external)' : ` (placeholder values${kept})`}`;
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
    const have = new Set((c.env ?? []).map((e) => e.name));
    objects.push(
      ...readSecretVars(
        ctx,
        svc,
        c,
        probeNeed.filter((n) => !have.has(n)),
        mode,
      ).objects,
    );
    ctx.downgrade(
      svc.name,
      'healthcheck',
      probes.http === 'dropped' ? 'healthcheck.secret-header-dropped' : 'healthcheck.secret-references',
      {
        names: probes.used.join(', ') || 'a secret header',
        http: probes.http === 'exec' ? 'secret-probe.exec' : 'secret-probe.none',
      },
      { objects },
    );
  }
};

/**
 * `env` entries that read the secret variables `names` (which the service's own env Secret does not hold): a
 * credential shared by several services (plan/credentials.ts) from the project's shared Secret, the others from
 * Secret `<svc>-args-secret` (placeholder values, or empty when compose had them empty; not emitted with
 * `--secrets external`). An entry the container already has for a shared name is kept; one for another name is
 * replaced. Used by commands and by probes, which may both add to the one args Secret.
 */
function readSecretVars(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  names: readonly string[],
  mode: string,
): { shared: string[]; own: string[]; sharedSecret: string; secret?: string; objects: string[] } {
  const credentials = sharedCredentials(ctx);
  const shared = names.filter((k) => credentials.keys.has(k));
  const own = names.filter((k) => !credentials.keys.has(k));
  const objects: string[] = [];
  const have = new Set((c.env ?? []).map((e) => e.name));
  if (shared.length) {
    c.env = [...(c.env ?? []), ...shared.filter((k) => !have.has(k)).map((k) => sharedRef(credentials.secret, k))];
    objects.push(kindRef('Secret', credentials.secret));
  }
  if (!own.length) return { shared, own, sharedSecret: credentials.secret, objects };
  const name = uniqueName(ctx, 'secret', `args\0${svc.name}`, `${ctx.serviceName(svc)}-args-secret`);
  c.env = [...(c.env ?? []).filter((e) => !own.includes(e.name)), ...own.map((k) => sharedRef(name, k))];
  if (mode !== 'external') {
    const values = Object.fromEntries(own.map((k) => [k, argValue(ctx, k)]));
    const existing = ctx.find('Secret', name) as (Secret & KubeObject) | undefined;
    if (existing) existing.stringData = { ...existing.stringData, ...values };
    else
      ctx.emit({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: ctx.meta(name, ctx.labels(svc)),
        type: 'Opaque',
        stringData: values,
      } as Secret & KubeObject);
  }
  objects.push(kindRef('Secret', name));
  return { shared, own, sharedSecret: credentials.secret, secret: name, objects };
}
