/**
 * `environment` (+ `env_file`, already merged by the loader) → a ConfigMap `<svc>-env` for plain
 * variables and a Secret `<svc>-env-secret` for the ones that look secret, both consumed with
 * `envFrom`. envFrom values are taken literally (Kubernetes expands `$(VAR)` only in `env[].value`),
 * so values containing `$(` need no escaping here.
 */
import type { ConfigMap, Container, Secret } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import type { ContainerStep } from '../step.js';
import type { OutcomeId } from '../../mappings/outcomes.js';
import { effectiveOptions } from '../intent/overrides.js';
import { localUrls } from './urls.js';
import { MAX_OBJECT_BYTES, kindRef, placeholder, uniqueName, utf8Length, where } from '../storage/files.js';
import { isSecretVariable, mountedFiles } from '../../kube/secrets.js';
import { KEY_NAME as ENV_VAR_NAME, envValuePlace } from '../plan/credentials.js';
import { applySharedEnv } from './shared-env.js';

// The one definition of a secret variable lives in the kernel (kube/secrets.ts); re-exported for older importers.
export { SECRET_KEY_WORDS, isSecretKey } from '../../kube/secrets.js';

/**
 * Names envFrom accepts (Kubernetes < 1.34 IsEnvVarName); others are skipped by the kubelet. The same names a shared
 * credential's Secret key takes (plan/credentials.ts), where the rule is written.
 */
export { ENV_VAR_NAME };

function varPos(ctx: ConvertContext, svc: Service, key: string) {
  return ctx.project.sources.exact('services', svc.name, 'environment', key) ?? ctx.servicePos(svc, 'environment');
}

/** The service's env files, as written relative to the project directory (`db.env`, `docker/.env-local`). */
function envFileNames(ctx: ConvertContext, svc: Service): string[] {
  const dir = ctx.project.workingDir + '/';
  return (svc.env_file ?? []).map((f) => (f.path.startsWith(dir) ? f.path.slice(dir.length) : f.path));
}

export const applyEnvironment: ContainerStep = (ctx, svc, container) => {
  // A key without a value that nothing set when loading: compose passes nothing for it; say so, per key.
  for (const k of svc.unsetEnvironment ?? [])
    if (!(k in svc.environment)) ctx.outcome(svc.name, `environment.${k}`, 'environment.unset', { name: k });
  // Browser-facing localhost URLs are rewritten (a separate step, urls.ts) before the values are stored.
  const urls = localUrls(ctx, svc, svc.environment);
  const entries = Object.entries(urls.environment);
  const envFiles = envFileNames(ctx, svc);
  // env_file lists only the files read (load/env/envfiles.ts): none when every one is an optional file not there.
  const hasEnvFile = svc.env_file !== undefined;
  if (entries.length === 0) {
    if (hasEnvFile) ctx.outcome(svc.name, 'env_file', 'env_file.empty');
    return;
  }
  const base = ctx.serviceName(svc);
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  const invalid: string[] = [];
  const siblings = entries.map(([k]) => k);
  const files = mountedFiles(svc);
  // Variables holding a credential several services share read it from the project's shared Secret.
  const shared = applySharedEnv(ctx, svc, container, urls.environment);
  for (const [k, v] of entries) {
    if (shared.has(k)) continue;
    if (!ENV_VAR_NAME.test(k)) invalid.push(k);
    // An empty credential (SECRET_KEY_BASE=, to be filled in) belongs in the Secret too, where it gets filled.
    else if (isSecretVariable(k, v, siblings, files)) secret[k] = v;
    else plain[k] = v;
  }
  const objects: string[] = [];

  if (Object.keys(plain).length) {
    const name = uniqueName(ctx, 'configmap', `env\0${svc.name}`, `${base}-env`);
    const size = Object.entries(plain).reduce((n, [k, v]) => n + k.length + utf8Length(v), 0);
    if (size > MAX_OBJECT_BYTES) {
      ctx.outcome(svc.name, 'environment', 'environment.too-large', { size });
    } else {
      const cm: ConfigMap & KubeObject = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: ctx.meta(name, ctx.labels(svc)),
        data: plain,
      };
      ctx.emit(cm);
      (container.envFrom ??= []).push({ configMapRef: { name } });
      objects.push(kindRef('ConfigMap', name));
      ctx.outcome(
        svc.name,
        'environment',
        'environment.config-map',
        { count: Object.keys(plain).length, name },
        { objects: [kindRef('ConfigMap', name)] },
      );
    }
  }

  const secretKeys = Object.keys(secret);
  if (secretKeys.length) objects.push(...emitEnvSecret(ctx, svc, secret, container));

  for (const k of invalid) {
    const pos = varPos(ctx, svc, k);
    ctx.outcome(svc.name, `environment.${k}`, 'environment.invalid-name', { name: k }, { pos });
  }
  if (envFiles.length)
    ctx.outcome(svc.name, 'env_file', 'env_file.merged', { files: envFiles.join(', ') }, { objects });
  else if (hasEnvFile) ctx.outcome(svc.name, 'env_file', 'env_file.empty');
  urls.report();
};

/** The name of the Secret `<svc>-env-secret` that holds the secret-looking variables of `svc`. */
export function envSecretName(ctx: ConvertContext, svc: Service): string {
  return uniqueName(ctx, 'secret', `env\0${svc.name}`, `${ctx.serviceName(svc)}-env-secret`);
}

function emitEnvSecret(
  ctx: ConvertContext,
  svc: Service,
  secret: Record<string, string>,
  container: Container,
): string[] {
  const keys = Object.keys(secret);
  const name = envSecretName(ctx, svc);
  const ref = kindRef('Secret', name);
  const envFiles = envFileNames(ctx, svc);
  // The fixes spell the `kubectl create secret` command with these arguments.
  const fromLiterals = keys.map((k) => `--from-literal=${k}=...`).join(' ');
  (container.envFrom ??= []).push({ secretRef: { name } });
  const mode = effectiveOptions(ctx).secrets;
  // One item per secret-looking variable (`environment.DB_PASSWORD`): each is a value the user has to provide.
  const report = (k: string, id: OutcomeId): void => {
    const exact = ctx.project.sources.exact('services', svc.name, 'environment', k);
    const pos = exact ?? ctx.servicePos(svc, 'environment');
    // Written on the entry's own line (`- DB_PASSWORD=x`): the entry's position already says where.
    const place =
      envValuePlace(ctx, svc, k) ??
      (exact
        ? 'the compose file, on this line'
        : envFiles.length
          ? `env_file ${envFiles.join(', ')}`
          : where(ctx, pos));
    ctx.outcome(
      svc.name,
      `environment.${k}`,
      id,
      { name: k, secret: name, place: place || 'the compose environment', fromLiterals },
      { objects: [ref], pos },
    );
  };
  if (mode === 'external') {
    for (const k of keys) report(k, 'environment.secret-external');
    return [ref];
  }
  const stringData: Record<string, string> = {};
  // An empty value is kept empty (no placeholder): there is nothing to hide, and an empty password
  // (trust auth, no SMTP login) must not turn into a wrong one.
  for (const k of keys) stringData[k] = mode === 'embed' || secret[k] === '' ? secret[k]! : placeholder(k);
  const obj: Secret & KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: ctx.meta(name, ctx.labels(svc)),
    type: 'Opaque',
    stringData,
  };
  ctx.emit(obj);
  for (const k of keys)
    report(
      k,
      mode === 'embed'
        ? 'environment.secret-embedded'
        : secret[k] === ''
          ? 'environment.secret-empty'
          : 'environment.secret-placeholder',
    );
  return [ref];
}
