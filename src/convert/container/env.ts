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
import { pointer } from '../../model/pointer.js';
import { MAX_OBJECT_BYTES, kindRef, placeholder, uniqueName, utf8Length, where } from '../storage/files.js';

/**
 * Words that make a variable name look secret (matched on the upper-cased name, as whole
 * `_`/`-`/`.`-separated tokens or token runs: `DB_PASS`, `MYSQL_ROOT_PASSWORD`, `GITHUB_TOKEN`).
 */
export const SECRET_KEY_WORDS: readonly string[] = [
  'PASSWORD',
  'PASSWD',
  'PASS',
  'PWD',
  'PASSPHRASE',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'API_KEY',
  'APIKEY',
  'PRIVATE',
  'PRIVATE_KEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'ACCESS_KEY',
  'ACCESS_KEY_ID',
  'AUTH',
  'AUTH_KEY',
  'DSN',
  'SALT',
  'ENCRYPTION_KEY',
  'SIGNING_KEY',
  'MASTER_KEY',
  'LICENSE_KEY',
  'SESSION_KEY',
  'CLIENT_SECRET',
  'COOKIE_SECRET',
  'CRYPTO_KEY',
  'ENC_KEY',
  'FERNET_KEY',
  'SERVICE_KEY',
  'SERVICE_ROLE_KEY',
  'HMAC_KEY',
  'JWT_KEY',
  'SECRET_KEY',
];

/** Tokens that glue a service name to PASS (`PAPERLESS_DBPASS`, `SMTPPASS`), not words like BYPASS. */
const GLUED_PASS = /^(DB|PG|SQL|MYSQL|SMTP|MAIL|REDIS|AMQP|LDAP|ADMIN|ROOT|USER|BIND)PASS$/;

/** A JSON Web Token (header.payload.signature, base64url, header starting `{"`): a credential whatever its name. */
const JWT_VALUE = /^eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}$/;

/** A PEM private key. */
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;

/** A last token that makes the variable describe a secret rather than hold one (`TOKEN_EXPIRY`, `PASSWORD_FILE`). */
const NOT_SECRET_SUFFIX = new Set([
  'FILE',
  'PATH',
  'DIR',
  'METHOD',
  'TYPE',
  'MODE',
  'ENABLED',
  'ENABLE',
  'DISABLED',
  'DISABLE',
  'HOST',
  'PORT',
  'USER',
  'USERNAME',
  'EXPIRY',
  'EXPIRES',
  'EXPIRATION',
  'TTL',
  'TIMEOUT',
  'LENGTH',
  'ALGORITHM',
  'HEADER',
  'PROVIDER',
  'REQUIRED',
  'LIFETIME',
  'ISSUER',
  'AUDIENCE',
  'NAME',
  'URL',
  'URI',
  'ENDPOINT',
  'SERVER',
  'DOMAIN',
  'REALM',
  'SCOPE',
  'SCOPES',
  'CALLBACK',
  'REDIRECT',
  'POLICY',
  'BACKEND',
]);

/** Values that are switches, not secrets (`MYSQL_ALLOW_EMPTY_PASSWORD=yes`). */
const SWITCH_VALUE = /^(|true|false|yes|no|on|off|0|1|y|n|trust|none)$/i;

/** `scheme://user:password@host` */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;

export function isSecretKey(name: string, value: string): boolean {
  if (URL_WITH_PASSWORD.test(value) || JWT_VALUE.test(value.trim()) || PEM_PRIVATE_KEY.test(value)) return true;
  if (SWITCH_VALUE.test(value.trim())) return false;
  const tokens = name
    .toUpperCase()
    .split(/[-_.]+/)
    .filter(Boolean);
  if (tokens.length === 0 || NOT_SECRET_SUFFIX.has(tokens[tokens.length - 1]!)) return false;
  if (tokens.length === 1 && tokens[0] === 'PWD') return false; // the shell's working directory
  const joined = '_' + tokens.join('_') + '_';
  return (
    SECRET_KEY_WORDS.some((w) => joined.includes('_' + w + '_')) ||
    tokens.some((t) => /PASSWORD|PASSWD|SECRET|TOKEN/.test(t) || GLUED_PASS.test(t))
  );
}

/** Names envFrom accepts (Kubernetes < 1.34 IsEnvVarName); others are skipped by the kubelet. */
export const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function varPos(ctx: ConvertContext, svc: Service, key: string) {
  return (
    ctx.project.sources.get(pointer('services', svc.name, 'environment', key)) ?? ctx.servicePos(svc, 'environment')
  );
}

export const applyEnvironment: ContainerStep = (ctx, svc, container) => {
  // Browser-facing localhost URLs are rewritten (a separate step, urls.ts) before the values are stored.
  const urls = localUrls(ctx, svc, svc.environment ?? {});
  const entries = Object.entries(urls.environment);
  const envFiles = (svc.env_file ?? []).map((f) => f.path);
  if (entries.length === 0) {
    if (envFiles.length) ctx.outcome(svc.name, 'env_file', 'env_file.empty');
    return;
  }
  const base = ctx.serviceName(svc);
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  const invalid: string[] = [];
  for (const [k, v] of entries) {
    if (!ENV_VAR_NAME.test(k)) invalid.push(k);
    // An empty credential (SECRET_KEY_BASE=, to be filled in) belongs in the Secret too, where it gets filled.
    else if (isSecretKey(k, v) || (v === '' && isSecretKey(k, 'x'))) secret[k] = v;
    else plain[k] = v;
  }
  const objects: string[] = [];
  const envFrom = (container.envFrom ??= []);

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
      envFrom.push({ configMapRef: { name } });
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
  if (secretKeys.length) objects.push(...emitEnvSecret(ctx, svc, base, secret, container));

  for (const k of invalid) {
    const pos = varPos(ctx, svc, k);
    ctx.outcome(svc.name, `environment.${k}`, 'environment.invalid-name', { name: k }, pos ? { pos } : {});
  }
  if (envFiles.length) ctx.outcome(svc.name, 'env_file', 'env_file.merged', { count: envFiles.length }, { objects });
  urls.report();
};

function emitEnvSecret(
  ctx: ConvertContext,
  svc: Service,
  base: string,
  secret: Record<string, string>,
  container: Container,
): string[] {
  const keys = Object.keys(secret);
  const name = uniqueName(ctx, 'secret', `env\0${svc.name}`, `${base}-env-secret`);
  const ref = kindRef('Secret', name);
  const envFiles = (svc.env_file ?? []).map((f) =>
    f.path.startsWith(ctx.project.workingDir + '/') ? f.path.slice(ctx.project.workingDir.length + 1) : f.path,
  );
  const fromLiterals = keys.map((k) => `--from-literal=${k}=...`).join(' ');
  const kubectl = `kubectl create secret generic ${name} ${fromLiterals}`;
  (container.envFrom ??= []).push({ secretRef: { name } });
  const mode = effectiveOptions(ctx).secrets;
  // One item per secret-looking variable (`environment.DB_PASSWORD`): each is a value the user has to provide.
  const report = (k: string, id: OutcomeId): void => {
    const exact = ctx.project.sources.get(pointer('services', svc.name, 'environment', k));
    const place = exact
      ? where(ctx, exact)
      : envFiles.length
        ? `env_file ${envFiles.join(', ')}`
        : where(ctx, ctx.servicePos(svc, 'environment'));
    const pos = varPos(ctx, svc, k);
    ctx.outcome(
      svc.name,
      `environment.${k}`,
      id,
      { name: k, secret: name, place: place || 'the compose environment', kubectl },
      { objects: [ref], ...(pos ? { pos } : {}) },
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
