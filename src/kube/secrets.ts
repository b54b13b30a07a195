/**
 * What counts as secret — the one definition the whole converter uses: a VALUE of a secret-looking
 * variable (`isSecretKey`), the password in a URL's userinfo (`urlPassword`), and a secret FILE: by its name (key
 * stores, SSH keys, htpasswd, .env files, kubeconfig, credential and password files) or by its content (a PEM private
 * key block, a literal value given to a password, secret or token setting). A file that counts goes to a Secret, never
 * a ConfigMap. Pure functions over names and text: no file access here.
 */
import type { FileReference, Service } from '../model/types.js';
import { isCommentLine } from '../util/text.js';

/** A template shipped beside the real file (`config.example.yml`, `secrets.env.sample`): sample values, no secret. */
const TEMPLATE_FILE = /[._-](example|sample|template|tmpl|dist)(\.[a-z0-9]+)?$/;

/** Extensions of data and config files; a `password.js` or `reset-password.html` is code, not a password. */
const DATA_FILE_EXT = /^(|txt|xml|ya?ml|json|conf|cnf|cfg|ini|properties|toml|pw|pass|secret|secrets)$/;

/** Why a file name looks secret, or undefined. `name` is a path or a base name, `/`-separated. */
export function secretFileName(name: string): string | undefined {
  const base = name.split('/').pop()!;
  const lower = base.toLowerCase();
  const dir = name.toLowerCase().split('/').slice(-2, -1)[0] ?? '';
  if (/\.pub$/.test(lower)) return undefined; // public keys are meant to be shared
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(lower)) return 'an SSH private key';
  if (/\.(key|p12|pfx|jks|keystore|p8)$/.test(lower)) return 'a private key or key store';
  if (/(^|\.)htpasswd$/.test(lower)) return 'an htpasswd password file';
  if (/\.env$|^\.env\.(local|production|prod|development|dev|staging|test)$/.test(lower)) return 'an environment file';
  if (/(^|\.)kubeconfig$/.test(lower) || (dir === '.kube' && lower === 'config')) return 'a kubeconfig';
  if (/^credentials($|[._-])/.test(lower) || lower === '.git-credentials') return 'a credentials file';
  if (/^(\.pgpass|[._]netrc|\.my\.cnf)$/.test(lower)) return 'a password file';
  if (TEMPLATE_FILE.test(lower)) return undefined;
  const dot = lower.lastIndexOf('.');
  const ext = dot > 0 ? lower.slice(dot + 1) : '';
  const words = (dot > 0 ? lower.slice(0, dot) : lower).split(/[-_.]+/);
  if (DATA_FILE_EXT.test(ext) && words.some((w) => /^(passwords?|passwd|secrets?|credentials|creds)$/.test(w)))
    return GENERIC_NAME;
  return undefined;
}

/** Why a data file whose name says password/secret/credentials is secret (its content may still say otherwise). */
const GENERIC_NAME = 'a password, secret or credentials file';

const PRIVATE_KEY_BLOCK =
  /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----|-----BEGIN PGP PRIVATE KEY BLOCK-----/g;

/**
 * Why a file's text looks secret, or undefined: today, a PEM private key block in it that is not commented out
 * (Sentry's config.yml shows a sample key under `#`: the file is a config, not a key).
 */
export function secretFileContent(text: string): string | undefined {
  for (const m of text.matchAll(PRIVATE_KEY_BLOCK)) {
    // A line that is a comment up to the key block (`# -----BEGIN ...`): a sample, not a key.
    const line = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index);
    if (!isCommentLine(line)) return 'a PEM private key';
  }
  const setting = credentialSettings(text).literal;
  return setting ? `a config file ${setting}` : undefined;
}

/** Why a file is secret (name first, then content when given), or undefined. A template is neither. */
export function secretFile(name: string, text?: string): string | undefined {
  const why = secretFileName(name);
  // A config file named for a password whose credential settings are all empty (sentry's default-password.xml:
  // `<password></password>`) holds no secret: a Secret of placeholders would replace a config the app can read.
  if (why === GENERIC_NAME && text !== undefined) {
    const found = credentialSettings(text);
    if (found.empty && !found.literal) return undefined;
  }
  if (why || text === undefined || TEMPLATE_FILE.test(name.toLowerCase())) return why;
  return secretFileContent(text);
}

/** `key: value` (YAML, JSON), `key = value` / `KEY=value` (INI, properties, TOML, env): key and raw value. */
const ASSIGNMENT = /^\s*(?:-\s+|export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*(?::\s|=)\s*(.*?)\s*,?\s*$/;

/** `<password>value</password>` (XML). */
const XML_ELEMENT = /<([A-Za-z_][\w.-]*)>([^<]*)<\/\1>/g;

/**
 * A setting's last word that names the credential itself (`password`, `adminPassword`, `client-secret`,
 * `secret_key`, `api-key`, `auth_token`). Stricter than a variable name: a config file has many settings about a
 * credential (`password_encryption`, `auth: basic`, `routing_key`) that are no credential.
 */
const SECRET_SETTING = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|(SECRET|API|PRIVATE|ENCRYPTION|SIGNING|MASTER)_?KEY)$/;

/** A value that is not a literal: a variable, a template expression, a `<placeholder>`, a call (`env("X")`). */
const NOT_LITERAL = /^(\$|%\(|\{\{|<.*>$|[A-Za-z_][\w.]*[([])/;

/** Unquoted YAML that is no string: a tag, an anchor or alias, a block or flow collection, null. */
const YAML_SYNTAX = /^([!&*|>[{]|null$|~$)/i;

/** An environment lookup with a literal fallback: `os.getenv("K", "v")`, `env("K", default="v")`; 3: the fallback. */
const ENV_FALLBACK = /^[A-Za-z_][\w.]*\(\s*(["'])[^"']*\1\s*,\s*(?:default\s*=\s*)?(["'])(.*)\2\s*\)$/;

/**
 * The credential settings of a config file's text (comments skipped): `literal`, why the first that gives a credential
 * a literal value does (`giving password a literal value` for `password: x`, `secret_key = x`, `<password>x</password>`,
 * `DB_PASSWORD=x`, also as an environment lookup's fallback, `os.getenv("K", "x")`; `with a password in the URL of
 * dsn` for `dsn: postgres://u:x@db/app`, whatever the key); `empty`, whether one is present with an empty value
 * (`<password></password>`, `password: ""`).
 */
function credentialSettings(text: string): { literal?: string; empty: boolean } {
  let empty = false;
  const literal = (key: string, raw: string): string | undefined => {
    const bare = raw.replace(/^(["'].*["']|[^"'].*?)\s+#.*$/, '$1'); // without a trailing comment
    const fallback = ENV_FALLBACK.exec(bare)?.[3];
    const unquoted = /^(["'])(.*)\1$/.exec(bare);
    const value = fallback ?? (unquoted ? unquoted[2]! : bare);
    const password = urlPassword(value);
    if (password !== undefined && !NOT_LITERAL.test(password)) return `with a password in the URL of ${key}`;
    const upper = key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
    const last = upper.split('.').pop()!.replace(/-/g, '_');
    if (!SECRET_SETTING.test(last)) return undefined;
    if (value === '') empty = true;
    const literal =
      value !== '' &&
      !NOT_LITERAL.test(value) &&
      (unquoted !== null || fallback !== undefined || !YAML_SYNTAX.test(value)) &&
      isSecretKey(last, value);
    return literal ? `giving ${key} a literal value` : undefined;
  };
  const uncommented = text.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of uncommented.matchAll(XML_ELEMENT)) {
    const why = literal(m[1]!, m[2]!.trim());
    if (why) return { literal: why, empty };
  }
  for (const line of uncommented.split('\n')) {
    if (isCommentLine(line)) continue;
    const m = ASSIGNMENT.exec(line);
    const why = m ? literal(m[1]!, m[2]!) : undefined;
    if (why) return { literal: why, empty };
  }
  return { empty };
}

/**
 * Words that make a variable name look secret (matched on the upper-cased name, as whole
 * `_`/`-`/`.`-separated tokens or token runs: `DB_PASS`, `API_KEY`, `ACCESS_KEY`), besides any token that contains
 * PASSWORD, PASSWD, SECRET or TOKEN (`MYSQL_ROOT_PASSWORD`, `GITHUB_TOKENS`: isSecretKey). A run that holds a word
 * of the list needs no entry of its own (`AUTH_KEY`: AUTH).
 */
export const SECRET_KEY_WORDS: readonly string[] = [
  'PASS',
  'PWD',
  'PW',
  'PASSPHRASE',
  'API_KEY',
  'APIKEY',
  'PRIVATE',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'ACCESS_KEY',
  'AUTH',
  'DSN',
  'SALT',
  'ENCRYPTION_KEY',
  'SIGNING_KEY',
  'MASTER_KEY',
  'LICENSE_KEY',
  'SESSION_KEY',
  'CRYPTO_KEY',
  'ENC_KEY',
  'FERNET_KEY',
  'SERVICE_KEY',
  'SERVICE_ROLE_KEY',
  'HMAC_KEY',
  'JWT_KEY',
  'SHARED_KEY',
  'PRESHARED_KEY',
  'PSK',
];

/** Tokens that glue a service name to PASS (`PAPERLESS_DBPASS`, `SMTPPASS`), not words like BYPASS. */
const GLUED_PASS = /^(DB|PG|SQL|MYSQL|SMTP|MAIL|REDIS|AMQP|LDAP|ADMIN|ROOT|USER|BIND)PASS$/;

/** A JSON Web Token (header.payload.signature, base64url, header starting `{"`): a credential whatever its name. */
const JWT_VALUE = /^eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{16,}$/;

/** A PEM private key. */
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;

/**
 * Vendor credential shapes, secret whatever the variable is called: Stripe secret and restricted keys, OpenAI keys,
 * Laravel's `base64:` APP_KEY, GitHub tokens, Slack tokens, an AWS access key id.
 */
const VENDOR_SECRET_VALUES: readonly RegExp[] = [
  /^(sk|rk)_(live|test)_[A-Za-z0-9]{10,}$/,
  /^sk-(proj-)?[A-Za-z0-9_-]{20,}$/,
  /^base64:[A-Za-z0-9+/]{32,}={0,2}$/,
  /^(gh[opusr]_[A-Za-z0-9]{20,}|github_pat_\w{20,})$/,
  /^xox[abpr]-[A-Za-z0-9-]{10,}$/,
  /^AKIA[0-9A-Z]{16}$/,
];

/** True when `value` has the shape of a credential on its own (a JWT, a PEM private key, a vendor key). */
function secretShaped(value: string): boolean {
  const v = value.trim();
  return JWT_VALUE.test(v) || PEM_PRIVATE_KEY.test(value) || VENDOR_SECRET_VALUES.some((r) => r.test(v));
}

/**
 * Words before a final KEY that make the variable name a key (a field, a column, a lookup) rather than hold one:
 * `SORT_KEY`, `PARTITION_KEY`, Mastodon's `CAS_EMAIL_KEY=email`, and the public half of a key pair.
 */
const KEY_NAME_QUALIFIERS = new Set([
  'SORT',
  'PARTITION',
  'PRIMARY',
  'FOREIGN',
  'ROUTING',
  'CACHE',
  'LOOKUP',
  'INDEX',
  'SHARD',
  'GROUP',
  'COLUMN',
  'FIELD',
  'ATTRIBUTE',
  'ATTR',
  'CLAIM',
  'ID',
  'UID',
  'NAME',
  'EMAIL',
  'PHONE',
  'NICKNAME',
  'LOCATION',
  'IMAGE',
  'PUBLIC',
  'PUBLISHABLE',
  'PUB',
]);

/**
 * True when the tokens end in KEY, optionally versioned (`_APP_OPENSSL_KEY_V1`), and name a key that is a value:
 * not a key name (KEY_NAME_QUALIFIERS), not a path to a key file (`SSL_KEY=/certs/site.key`, `TLS_KEY=server.key`).
 */
function holdsKey(tokens: readonly string[], value: string): boolean {
  const end = /^V\d+$/.test(tokens[tokens.length - 1] ?? '') ? tokens.length - 1 : tokens.length;
  if (tokens[end - 1] !== 'KEY') return false;
  if (end >= 2 && KEY_NAME_QUALIFIERS.has(tokens[end - 2]!)) return false;
  return !/^(\/|\.\.?\/|~\/)|\.(key|pem|crt|der|p12|pfx|jks|p8)$/i.test(value.trim());
}

/**
 * Labels whose value is the name of a Secret object (kompose's Ingress TLS Secret, image pull Secrets), not a secret:
 * a name is printed like any other object name (the Ingress's secretName, the report).
 */
const SECRET_NAME_LABELS = new Set(['kompose.service.expose.tls-secret', 'kompose.image-pull-secret']);

/** A last token that makes the variable describe a secret rather than hold one (`TOKEN_EXPIRY`, `AUTH_METHOD`). */
const NOT_SECRET_SUFFIX = new Set([
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
  // Settings about a credential, not the credential (`SERVICE_ROLE`, `API_RATE_LIMIT`, `TOKEN_MAX_AGE`).
  'ROLE',
  'ROLES',
  'LIMIT',
  'RATE',
  'AGE',
  'COUNT',
  'SIZE',
  'FORMAT',
  'PREFIX',
  // Code that handles a credential, named by a class or module path (`AIRFLOW__CORE__AUTH_MANAGER`).
  'MANAGER',
  'CLASS',
  'HANDLER',
  'PLUGIN',
  'PLUGINS',
  'MODULE',
  'STRATEGY',
  'ENGINE',
  'SCHEME',
  'BACKENDS',
]);

/** A last token that makes the variable name a file holding the secret (`MYSQL_ROOT_PASSWORD_FILE`, `KEY_PATH`). */
const FILE_SUFFIX = new Set(['FILE', 'PATH', 'DIR']);

/** Where a service's compose secret or config reference mounts its file (a relative target is under the default). */
export function mountPath(family: 'secrets' | 'configs', r: Pick<FileReference, 'source' | 'target'>): string {
  const base = family === 'secrets' ? '/run/secrets/' : '/';
  const target = r.target || base + r.source;
  return target.startsWith('/') ? target : base + target;
}

/** The paths where `svc` mounts its compose secrets and configs. */
export function mountedFiles(svc: Pick<Service, 'secrets' | 'configs'>): Set<string> {
  return new Set([
    ...(svc.secrets ?? []).map((r) => mountPath('secrets', r)),
    ...(svc.configs ?? []).map((r) => mountPath('configs', r)),
  ]);
}

/**
 * A variable that names the file holding a secret rather than holding it: by its name (`MYSQL_ROOT_PASSWORD_FILE`,
 * `TLS_KEY_PATH`), or by its value, the path where the service mounts a compose secret or config
 * (`DATABASE_PASSWORD=/run/secrets/db-password`: the app reads the file there). `files`: those paths.
 */
function namesFile(tokens: readonly string[], value: string, files: ReadonlySet<string> | undefined): boolean {
  return FILE_SUFFIX.has(tokens[tokens.length - 1] ?? '') || (files?.has(value.trim()) ?? false);
}

/** An access-key id is the user name of a key pair (`AWS_ACCESS_KEY_ID`, `MINIO_ACCESS_KEY` beside `MINIO_SECRET_KEY`). */
const KEY_ID = /(^|_)(ACCESS_KEY_ID|ACCESS_KEY|KEY_ID)$/;

/** SECRET_KEY_WORDS as `_WORD_`, made once rather than per variable and word. */
const WRAPPED_KEY_WORDS: readonly string[] = SECRET_KEY_WORDS.map((w) => `_${w}_`);

/** Values that are switches, not secrets (`MYSQL_ALLOW_EMPTY_PASSWORD=yes`). */
const SWITCH_VALUE = /^(|true|false|yes|no|on|off|0|1|y|n|trust|none)$/i;

/** `scheme://user:password@host`, the password captured. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/i;

/**
 * True when variable `name` with `value` holds a secret. `siblings`: the other variable names set beside it; an
 * access-key id next to its secret key or next to a plain `*_USER` is the user name of the pair, not a secret.
 * `files`: the paths where the service mounts compose secrets and configs (mountedFiles); a value naming one is a path.
 */
export function isSecretKey(
  name: string,
  value: string,
  siblings: readonly string[] = [],
  files?: ReadonlySet<string>,
): boolean {
  if (URL_WITH_PASSWORD.test(value) || secretShaped(value)) return true;
  if (SWITCH_VALUE.test(value.trim()) || SECRET_NAME_LABELS.has(name)) return false;
  const tokens = name
    .toUpperCase()
    .split(/[-_.]+/)
    .filter(Boolean);
  const upper = tokens.join('_');
  if (
    KEY_ID.test(upper) &&
    !/(^|_)SECRET_ACCESS_KEY$/.test(upper) &&
    siblings.some((s) => s !== name && /(^|_)(SECRET_ACCESS_KEY|SECRET_KEY|USER|USERNAME)$/.test(s.toUpperCase()))
  )
    return false;
  // A name without tokens (`__`) matches none of the words below either.
  if (NOT_SECRET_SUFFIX.has(tokens[tokens.length - 1]!)) return false;
  if (namesFile(tokens, value, files)) return false;
  if (upper === 'PWD') return false; // the shell's working directory
  const joined = `_${upper}_`;
  return (
    WRAPPED_KEY_WORDS.some((w) => joined.includes(w)) ||
    tokens.some((t) => /PASSWORD|PASSWD|SECRET|TOKEN/.test(t) || GLUED_PASS.test(t)) ||
    holdsKey(tokens, value)
  );
}

/**
 * True when variable `name` holds a secret, an empty value counting by its name alone: an empty password is one the
 * operator still has to set (compose ran with it empty), not a switch.
 */
export function isSecretVariable(
  name: string,
  value: string,
  siblings: readonly string[] = [],
  files?: ReadonlySet<string>,
): boolean {
  return isSecretKey(name, value, siblings, files) || (value === '' && isSecretKey(name, 'x', siblings));
}

/** The password in a URL's userinfo (`postgres://app:PASSWORD@db/app`), or undefined. */
export function urlPassword(value: string): string | undefined {
  return URL_WITH_PASSWORD.exec(value)?.[1];
}
