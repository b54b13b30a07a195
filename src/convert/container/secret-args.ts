/**
 * Secret values interpolated into a command or a healthcheck (`redis-server --requirepass
 * ${REDIS_PASSWORD}`, `redis-cli -a ${REDIS_PASSWORD} ping`) would otherwise land in plain text in
 * the workload, although the same variable in `environment` becomes a Secret placeholder.
 *
 * Unless `--secrets embed`: in command/args the value is replaced by a `$(NAME)` reference, which
 * Kubernetes expands from the container environment; NAME comes from the service's env Secret when
 * it already holds it, else from an `env` entry reading Secret `<svc>-args-secret` (a placeholder,
 * or not emitted with `--secrets external`). Probe commands are not expanded by Kubernetes, so a
 * value found there is reported with a fix.
 */
import type { Container, EnvVar, Secret } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import type { ContainerStep } from '../step.js';
import { ENV_VAR_NAME, isSecretKey } from './env.js';
import { escapeExpansion } from './container.js';
import { effectiveOptions } from '../intent/overrides.js';
import { kindRef, placeholder, uniqueName } from '../storage/files.js';

/** Shorter values (`1`, `no`, `abc`) are too likely to occur by chance in a command. */
const MIN_SECRET_LENGTH = 6;

/**
 * Values that could just as well be a word of the command (`postgres` as password and as user name,
 * a number): replacing them would change the command when the Secret holds a placeholder.
 */
function tooPlain(value: string, plainValues: Set<string>): boolean {
  return value.length < MIN_SECRET_LENGTH || /^[A-Za-z]+$/.test(value) || /^\d+$/.test(value) || plainValues.has(value);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `value` as a whole token: not glued to letters or digits on either side. */
function tokenRe(value: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9])${escapeRe(value)}(?![A-Za-z0-9])`, 'g');
}

/** Secret-looking variables whose values may have been interpolated: the service's own, then the project's. */
function secretValues(ctx: ConvertContext, svc: Service): Array<{ name: string; value: string; own: boolean }> {
  const out: Array<{ name: string; value: string; own: boolean }> = [];
  const seen = new Set<string>();
  const plain = new Set<string>();
  for (const env of [svc.environment ?? {}, ctx.project.environment ?? {}])
    for (const [k, v] of Object.entries(env)) if (!isSecretKey(k, v)) plain.add(v);
  const add = (name: string, value: string, own: boolean): void => {
    if (tooPlain(value, plain) || seen.has(value) || !ENV_VAR_NAME.test(name) || !isSecretKey(name, value)) return;
    seen.add(value);
    out.push({ name, value, own });
  };
  for (const [k, v] of Object.entries(svc.environment ?? {}).sort()) add(k, v, true);
  for (const [k, v] of Object.entries(ctx.project.environment ?? {}).sort()) add(k, v, false);
  // Longest first, so a value containing another is replaced whole.
  return out.sort((a, b) => b.value.length - a.value.length || (a.name < b.name ? -1 : 1));
}

function probeCommands(c: Container): string[] {
  return [c.readinessProbe, c.livenessProbe, c.startupProbe].flatMap((p) => p?.exec?.command ?? []);
}

export const redactSecretArgs: ContainerStep = (ctx, svc, c, plan) => {
  const mode = effectiveOptions(ctx).secrets;
  if (mode === 'embed') return;
  const values = secretValues(ctx, svc);
  if (values.length === 0) return;
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
    c[field] = words.map((w) => {
      let out = w;
      for (const s of values) {
        const re = tokenRe(escapeExpansion([s.value])[0]!);
        if (!re.test(out)) continue;
        out = out.replace(re, () => `$(${s.name})`);
        if (!referenced.includes(s.name)) referenced.push(s.name);
        const names = byItem.get(itemOf[field]) ?? [];
        if (!names.includes(s.name)) byItem.set(itemOf[field], [...names, s.name]);
        if (!s.own && !needEnv.includes(s.name)) needEnv.push(s.name);
      }
      return out;
    });
  }
  const objects = [`${plan.kind}/${plan.name}`];
  if (referenced.length) {
    let from = '';
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
          stringData: Object.fromEntries(needEnv.map((k) => [k, placeholder(k)])),
        };
        ctx.emit(obj);
      }
      objects.push(kindRef('Secret', name));
      from = `; ${needEnv.join(', ')} read from Secret ${name}${mode === 'external' ? ' (not emitted: --secrets external)' : ' (placeholder values)'}`;
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
  const inProbes = values.filter((s) => probeCommands(c).some((w) => tokenRe(s.value).test(w))).map((s) => s.name);
  if (inProbes.length) {
    ctx.downgrade(
      svc.name,
      'healthcheck',
      'healthcheck.secret-in-probe',
      { names: inProbes.join(', '), first: inProbes[0]!, service: svc.name },
      { objects },
    );
  }
};
