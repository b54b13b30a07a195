/**
 * One credential, one Secret key (issue 12 §4). A secret-looking variable interpolated into several services'
 * values (`POSTGRES_PASSWORD: ${DB_PASS}` on the database, `DATABASE_URL: postgres://app:${DB_PASS}@db/app` on
 * the web app) is filled from one key of one project Secret, so filling it once fixes every user. Which values
 * were made from which variable comes from the loader (`Project.interpolated`), never from the compose wording.
 *
 * This module computes the fact once (one pass over every service's environment and command); the environment
 * step (container/env.ts) and the command step (container/secret-args.ts) read it, objects/credentials.ts emits
 * the Secret and the report entry of each key.
 */
import type { ConvertContext } from '../context.js';
import type { Service } from '../../model/types.js';
import { pointer, positionKey, type InterpolatedPart } from '../../model/pointer.js';
import { isSecretKey, isSecretVariable, mountedFiles, urlPassword } from '../../kube/secrets.js';
import { FactKey } from '../facts.js';
import { uniqueName } from '../storage/files.js';

/** Variable names a Secret key and an env var name both accept. */
export const KEY_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export interface SharedKey {
  /** The variable, and the key in the shared Secret. */
  name: string;
  value: string;
  /** Services that use it (compose names, sorted). */
  services: readonly string[];
  /**
   * Shared because several services hold the same value (`<variable> in <services>` per variable name), not
   * because it was interpolated from one variable.
   */
  literal?: readonly string[];
}

export interface SharedCredentials {
  /** The shared Secret's name ('' when no key is shared). */
  secret: string;
  /** Shared keys by variable name, sorted by name. */
  keys: ReadonlyMap<string, SharedKey>;
  /** Per service, per environment variable: the pieces of its value (only values holding a shared key). */
  env: ReadonlyMap<string, ReadonlyMap<string, readonly InterpolatedPart[]>>;
}

/** The pieces of the value at `ptr` (the loader's record, keyed by the value's position), if any. */
export function partsAt(ctx: ConvertContext, ptr: string): readonly InterpolatedPart[] | undefined {
  const pos = ctx.project.sources.get(ptr);
  return pos ? ctx.project.interpolated?.get(positionKey(pos)) : undefined;
}

/**
 * The pieces of environment variable `key` of `svc` whose text is `value` (what the container gets). An
 * `environment:` list item (`- KEY=${V}`) records `KEY=` as its first piece; a variable of an `env_file` has the
 * pieces the loader kept (Project.envFileParts); a value rewritten since (a localhost URL) no longer matches its
 * pieces and gets none.
 */
function envParts(
  ctx: ConvertContext,
  svc: Service,
  key: string,
  index: ReadonlyMap<string, readonly InterpolatedPart[]>,
): readonly InterpolatedPart[] | undefined {
  const value = svc.environment[key];
  if (value === undefined) return undefined;
  const parts =
    index.get(key) ??
    partsAt(ctx, pointer('services', svc.name, 'environment', key)) ??
    ctx.project.envFileParts?.get(svc.name)?.get(key);
  if (!parts) return undefined;
  const text = parts.map((p) => p.text).join('');
  if (text === value) return parts;
  const prefix = `${key}=`;
  if (text !== prefix + value || parts[0]?.name !== undefined || !parts[0]?.text.startsWith(prefix)) return undefined;
  const rest = parts[0].text.slice(prefix.length);
  return [...(rest ? [{ text: rest }] : []), ...parts.slice(1)];
}

/** `environment:` list items by variable name (their positions are by index), with their pieces. */
function listItems(ctx: ConvertContext, svc: Service): ReadonlyMap<string, readonly InterpolatedPart[]> {
  const out = new Map<string, readonly InterpolatedPart[]>();
  for (let i = 0; ; i++) {
    const ptr = pointer('services', svc.name, 'environment', i);
    if (!ctx.project.sources.has(ptr)) break;
    const parts = partsAt(ctx, ptr);
    const first = parts?.[0];
    if (!parts || !first || first.name !== undefined) continue;
    const key = /^([^=]+)=/.exec(first.text)?.[1];
    if (key !== undefined && !out.has(key)) out.set(key, parts);
  }
  return out;
}

/** Does variable `name` with `value` hold a credential, judged by its name or by how a service uses it? */
function isCredential(
  name: string,
  value: string,
  uses: ReadonlyArray<[key: string, parts: readonly InterpolatedPart[]]>,
) {
  if (isSecretVariable(name, value)) return true;
  return uses.some(([key, parts]) => {
    const whole = parts.map((p) => p.text).join('');
    return (parts.length === 1 && isSecretKey(key, whole)) || urlPassword(whole) === value;
  });
}

/**
 * `parts` (of environment variable `key`) with each variable the env file built from a credential taken apart: `.env`
 * `MM_SQLSETTINGS_DATASOURCE=postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres/mattermost` passed through
 * (`- MM_SQLSETTINGS_DATASOURCE`) is made from POSTGRES_PASSWORD as much as the same URL written in the compose file
 * is, so it reads the password from that credential's key. A variable built from no credential stays whole (it may be
 * the shared key itself).
 */
function throughEnvFile(
  ctx: ConvertContext,
  key: string,
  parts: readonly InterpolatedPart[] | undefined,
): readonly InterpolatedPart[] | undefined {
  const built = ctx.project.environmentParts;
  if (!built || !parts) return parts;
  return parts.flatMap((p) => {
    const inner = p.name !== undefined ? built.get(p.name) : undefined;
    if (!inner || inner.map((q) => q.text).join('') !== p.text) return [p];
    return inner.some((q) => q.name !== undefined && isCredential(q.name, q.text, [[key, inner]])) ? inner : [p];
  });
}

const SHARED = new FactKey<SharedCredentials>();

export function sharedCredentials(ctx: ConvertContext): SharedCredentials {
  return ctx.facts.get(SHARED, () => {
    const env = ctx.project.environment ?? {};
    // Variable → services using it, and its environment uses (key, pieces) for the credential test.
    const users = new Map<string, Set<string>>();
    const uses = new Map<string, Array<[string, readonly InterpolatedPart[]]>>();
    const byService = new Map<string, Map<string, readonly InterpolatedPart[]>>();
    const use = (name: string, svc: string): void => {
      let s = users.get(name);
      if (!s) users.set(name, (s = new Set()));
      s.add(svc);
    };
    if (ctx.project.interpolated?.size || ctx.project.envFileParts?.size) {
      for (const svc of Object.values(ctx.project.services)) {
        const items = listItems(ctx, svc);
        const own = new Map<string, readonly InterpolatedPart[]>();
        for (const key of Object.keys(svc.environment)) {
          const parts = throughEnvFile(ctx, key, envParts(ctx, svc, key, items));
          if (!parts) continue;
          own.set(key, parts);
          for (const p of parts)
            if (p.name !== undefined) {
              use(p.name, svc.name);
              let u = uses.get(p.name);
              if (!u) uses.set(p.name, (u = []));
              u.push([key, parts]);
            }
        }
        byService.set(svc.name, own);
        // A command that holds the value counts as a use too (secret-args.ts reads it from the Secret).
        for (const field of ['command', 'entrypoint'] as const) {
          const words = svc[field] ?? [];
          const ptrs = [
            pointer('services', svc.name, field),
            ...words.map((_, i) => pointer('services', svc.name, field, i)),
          ];
          for (const ptr of ptrs)
            for (const p of partsAt(ctx, ptr) ?? []) if (p.name !== undefined) use(p.name, svc.name);
        }
      }
    }
    const keys = new Map<string, SharedKey>();
    for (const name of [...users.keys()].sort()) {
      const services = [...users.get(name)!].sort();
      const value = env[name];
      if (services.length < 2 || value === undefined || !KEY_NAME.test(name)) continue;
      if (!isCredential(name, value, uses.get(name) ?? [])) continue;
      keys.set(name, { name, value, services });
    }
    shareLiterals(ctx, keys, byService);
    const envUses = new Map<string, Map<string, readonly InterpolatedPart[]>>();
    for (const [svc, own] of byService) {
      const m = new Map<string, readonly InterpolatedPart[]>();
      for (const [key, parts] of own)
        if (parts.some((p) => p.name !== undefined && keys.has(p.name))) m.set(key, parts);
      if (m.size) envUses.set(svc, m);
    }
    const secret = keys.size
      ? uniqueName(ctx, 'secret', 'shared-credentials\0', `${ctx.project.name}-credentials`)
      : '';
    return { secret, keys, env: envUses };
  });
}

/**
 * The same secret value in several services (one `env_file` read by all of them, or the same literal written in
 * each, under one name or several: `POSTGRES_PASSWORD` on the database, `DB_PASSWORD` on the app, as far as
 * literalClusters finds them one credential): one key of the
 * shared Secret, so filling it once sets every copy, and a placeholder cannot leave the database and its clients
 * with different passwords. A value that comes from a variable is tied by that variable only: two variables that
 * happen to hold the same value in `.env` (`_APP_DB_PASS` and `_APP_SMTP_PASSWORD`, both `password`) are two
 * credentials the user sets apart, and one key for both would send one to the other's server. A value a shared variable already gives joins that variable's key; otherwise the key
 * is named after the variable most services use (ties: the first in order). Adds to `keys` and `byService`.
 */
function shareLiterals(
  ctx: ConvertContext,
  keys: Map<string, SharedKey>,
  byService: Map<string, Map<string, readonly InterpolatedPart[]>>,
): void {
  const env = ctx.project.environment ?? {};
  // Uses grouped by what ties them: the literal value, or the variable the value comes from.
  const groups = new Map<string, { value: string; bound?: string; uses: Array<[svc: string, key: string]> }>();
  const join = (id: string, value: string, bound: string | undefined, svc: string, key: string): void => {
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { value, bound, uses: [] }));
    g.uses.push([svc, key]);
  };
  // URLs written with a password (`mysql://root:PW@db/app`), by service and key: the pieces around the password.
  const urls = new Map<string, UrlPassword>();
  for (const svc of Object.values(ctx.project.services)) {
    const own = byService.get(svc.name);
    const names = Object.keys(svc.environment);
    const files = mountedFiles(svc);
    for (const [key, value] of Object.entries(svc.environment)) {
      if (!KEY_NAME.test(key) || !isSecretVariable(key, value, names, files)) continue;
      const parts = own?.get(key);
      if (parts?.some((p) => p.name !== undefined && keys.has(p.name))) continue;
      const bound = boundVariable(parts, key, value, env);
      if (bound === null) continue;
      const url = bound === undefined ? urlPasswordSpan(value) : undefined;
      if (url) urls.set(`${svc.name}\0${key}`, url);
      // Empty values are tied by their key (one `env_file` read by several services): equal emptiness ties nothing.
      else
        join(
          bound !== undefined ? `V\0${bound}` : value === '' ? `E\0${key}` : `L\0${value}`,
          value,
          bound,
          svc.name,
          key,
        );
    }
  }
  // A URL whose password is the literal value of secret variables (`MYSQL_ROOT_PASSWORD=PW` on the database) is one
  // more use of it: the URL reads the password from their key. Otherwise the URL is a value of its own, as written.
  const inUrl = new Map<string, UrlPassword>();
  for (const [at, url] of urls) {
    const [svc, key] = at.split('\0') as [string, string];
    const byPassword = groups.get(`L\0${url.password}`);
    if (byPassword) {
      byPassword.uses.push([svc, key]);
      inUrl.set(at, url);
    } else
      join(`L\0${url.before}${url.password}${url.after}`, url.before + url.password + url.after, undefined, svc, key);
  }
  /** The URL a use reads the password of a key in, if it is one of those. */
  const urlOf = (svc: string, key: string): UrlPassword | undefined => inUrl.get(`${svc}\0${key}`);
  const taken = new Map([...keys.values()].map((k) => [k.value, k.name]));
  const added: SharedKey[] = [];
  const clusters = [...groups.values()].flatMap((g) =>
    g.bound !== undefined || g.value === ''
      ? [g]
      : literalClusters(
          g.uses,
          (svc, key) => {
            // A URL logs in as the user it names, whatever user variables its service sets.
            const url = urlOf(svc, key);
            return url ? { [`${key}_USER`]: url.user } : (ctx.project.services[svc]?.environment ?? {});
          },
          (svc, key) => urlOf(svc, key) !== undefined,
        ).map((uses) => ({ ...g, uses })),
  );
  for (const { value, bound, uses } of clusters) {
    // A key is named after a variable holding the value, never after a URL embedding it.
    if (uses.every(([svc, key]) => urlOf(svc, key))) continue;
    const services = [...new Set(uses.map(([svc]) => svc))].sort();
    // One service is enough to join a key the variable already has (authentik's postgresql reads
    // AUTHENTIK_SECRET_KEY from its env_file, the others interpolate it): a second copy would be a second fill.
    if (services.length < 2 && !(bound !== undefined && keys.has(bound))) continue;
    const joins = value ? taken.get(value) : undefined;
    let name =
      bound === undefined
        ? joins !== undefined && role(joins) === role(uses[0]![1])
          ? joins
          : undefined
        : keys.has(bound)
          ? bound
          : undefined;
    if (name === undefined) {
      const counts = new Map<string, number>();
      for (const [svc, key] of uses) if (!urlOf(svc, key)) counts.set(key, (counts.get(key) ?? 0) + 1);
      name = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
      if (keys.has(name) || added.some((k) => k.name === name)) continue; // that name holds another value
      const byKey = new Map<string, string[]>();
      for (const [svc, key] of uses) {
        const shown = urlOf(svc, key) ? `the password of ${key}` : key;
        byKey.set(shown, [...(byKey.get(shown) ?? []), svc]);
      }
      const literal = [...byKey].sort().map(([key, svcs]) => `${key} in ${[...new Set(svcs)].sort().join(', ')}`);
      added.push({ name, value, services, literal });
    } else {
      const k = keys.get(name)!;
      keys.set(name, { ...k, services: [...new Set([...k.services, ...services])].sort() });
    }
    for (const [svc, key] of uses) {
      let own = byService.get(svc);
      if (!own) byService.set(svc, (own = new Map()));
      const url = urlOf(svc, key);
      own.set(
        key,
        url
          ? [...(url.before ? [{ text: url.before }] : []), { text: value, name }, { text: url.after }]
          : [{ text: value, name }],
      );
    }
  }
  const all = [...keys.values(), ...added].sort((a, b) => (a.name < b.name ? -1 : 1));
  keys.clear();
  for (const k of all) keys.set(k.name, k);
}

/** A URL written with a password: the text before the password, the password, the text after it. */
interface UrlPassword {
  /** The user name in the userinfo (may be empty). */
  user: string;
  before: string;
  password: string;
  after: string;
}

/** The pieces of a URL with a password in its userinfo (`mysql://root:PW@db/app`), or undefined. */
function urlPasswordSpan(value: string): UrlPassword | undefined {
  const password = urlPassword(value);
  if (password === undefined) return undefined;
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^\s/:@]*):/i.exec(value)!;
  return { user: m[1]!, before: m[0], password, after: value.slice(m[0].length + password.length) };
}

/**
 * The part a credential plays, by its name: a server's superuser (`MYSQL_ROOT_PASSWORD`, `MSSQL_SA_PASSWORD`), an
 * administrator (`ME_CONFIG_MONGODB_ADMINPASSWORD`, `PGADMIN_DEFAULT_PASSWORD`), a web login
 * (`_AIRFLOW_WWW_USER_PASSWORD`), or a service account ('').
 */
export function role(key: string): string {
  const words = key.toUpperCase().split(/[-_.]+/);
  if (words.some((w) => /^(ROOT|SUPERUSER|SA|MASTER)$/.test(w))) return 'root';
  if (words.some((w) => w.includes('ADMIN'))) return 'admin';
  if (words.some((w) => /^(WWW|UI|LOGIN|DASHBOARD)$/.test(w))) return 'ui';
  return '';
}

const RANK: Readonly<Record<string, number>> = { root: 2, admin: 1, '': 0 };

/** A variable naming the account a password belongs to (`MYSQL_USER`, `OBJECT_STORAGE_ACCESS_KEY_ID`). */
const USER_NAME = /(USER|USERNAME|ACCESS_KEY_ID|ACCESS_KEY|KEY_ID)$/;

/**
 * Does service `client` log in as the superuser or administrator of service `server`? Its user name is `root` or
 * the server's superuser/administrator name (posthog's `OBJECT_STORAGE_ACCESS_KEY_ID` = `MINIO_ROOT_USER`), or, for
 * a superuser password (`noUser`), it names no user at all (the image's default: `root` for the wordpress image).
 * A URL beside an administrator password of its own service (`ownService`) must name that administrator: `root` in it
 * is the database's superuser, not the app's admin login (`SHOP_ADMIN_USER: admin`).
 */
function asAdministrator(
  client: Readonly<Record<string, string>>,
  server: Readonly<Record<string, string>>,
  noUser: boolean,
  ownService = false,
): boolean {
  const users = Object.keys(client).filter((k) => USER_NAME.test(k.toUpperCase()));
  const admins = new Set(
    Object.entries(server)
      .filter(([k]) => USER_NAME.test(k.toUpperCase()) && role(k) !== '' && role(k) !== 'ui')
      .map(([, v]) => v),
  );
  if (ownService) return users.some((k) => admins.has(client[k]!));
  return (noUser && !users.length) || users.some((k) => client[k] === 'root' || admins.has(client[k]!));
}

/**
 * Uses of one literal value split into the credentials they are: two uses are one credential when they have the same
 * name or the same role (a client's `DB_PASSWORD` and its server's `POSTGRES_PASSWORD`), or when a client in another
 * service, or a URL (`isUrl`) in any, logs in as the server's administrator (asAdministrator). A root and a user
 * password, or a web login and a database password, are two: equal values written by hand (`MYSQL_ROOT_PASSWORD=nextcloud` beside
 * `MYSQL_PASSWORD=nextcloud`) are a coincidence of the example, and one key would give root the user's password
 * after one fill. A use joins the first group every member of which it is one credential with.
 */
function literalClusters(
  uses: ReadonlyArray<[svc: string, key: string]>,
  envOf: (svc: string, key: string) => Readonly<Record<string, string>>,
  isUrl: (svc: string, key: string) => boolean,
): Array<Array<[svc: string, key: string]>> {
  // Uses of one role are always one credential, so a use is checked only against the members of other roles:
  // a value that thousands of services hold under one name costs one look per group, not one per member.
  const out: Array<{ uses: Array<[string, string]>; byRole: Map<string, Array<[string, string]>> }> = [];
  const fits = ([s1, k1]: [string, string], r1: string, group: (typeof out)[number]): boolean => {
    for (const [r2, members] of group.byRole) {
      if (r2 === r1) continue;
      for (const [s2, k2] of members) {
        if (k1 === k2) continue;
        // Two passwords of one service in two roles are two credentials (MYSQL_ROOT_PASSWORD beside MYSQL_PASSWORD);
        // a URL has no role by its name: it logs in as the user it names, which asAdministrator weighs below
        // (mongo-express's ME_CONFIG_MONGODB_URL as root, the ADMINUSERNAME of its own ADMINPASSWORD).
        if ((s1 === s2 && !isUrl(s1, k1) && !isUrl(s2, k2)) || r1 === 'ui' || r2 === 'ui') return false;
        // The server is the side with the stronger role: root over admin over a service account.
        const up = RANK[r1]! > RANK[r2]!;
        const server = up ? envOf(s1, k1) : envOf(s2, k2);
        const client = up ? envOf(s2, k2) : envOf(s1, k1);
        if (!asAdministrator(client, server, (up ? r1 : r2) === 'root', s1 === s2)) return false;
      }
    }
    return true;
  };
  for (const u of uses) {
    const r = role(u[1]);
    let group = out.find((g) => fits(u, r, g));
    if (!group) out.push((group = { uses: [], byRole: new Map() }));
    group.uses.push(u);
    const members = group.byRole.get(r);
    if (members) members.push(u);
    else group.byRole.set(r, [u]);
  }
  return out.map((g) => g.uses);
}

/**
 * The variable a secret value comes from, which ties it to every other use of that variable and to no other value:
 * the one variable it was interpolated from whole (`KEY: ${DB_PASS}`), or the same-named project variable that
 * holds it (`- KEY` passes KEY through from the environment or `.env`). Undefined for a value written in the file
 * (a literal: equal literals are one value copied by hand), null for a value made of pieces (not shared).
 */
function boundVariable(
  parts: readonly InterpolatedPart[] | undefined,
  key: string,
  value: string,
  env: Readonly<Record<string, string | undefined>>,
): string | null | undefined {
  if (parts?.some((p) => p.name !== undefined)) return parts.length === 1 ? parts[0]!.name! : null;
  return env[key] === value ? key : undefined;
}

/** Where each variable of the project's env files is set (`.env:3`, `prod.env:1`; a later file wins), read once. */
const DOTENV_LINES = new FactKey<ReadonlyMap<string, string>>();

/** Where variable `name` is set: `.env:3`, `prod.env:1` (`--env-file`), or undefined when no env file sets it. */
export function dotenvLine(ctx: ConvertContext, name: string): string | undefined {
  return ctx.facts
    .get(DOTENV_LINES, () => {
      const m = new Map<string, string>();
      const wd = ctx.project.workingDir;
      for (const file of ctx.project.envFiles ?? [`${wd}/.env`]) {
        const shown = file.startsWith(`${wd}/`) ? file.slice(wd.length + 1) : file;
        (ctx.fs?.readFile(file) ?? '').split('\n').forEach((l, i) => {
          const k = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=/.exec(l)?.[1];
          if (k) m.set(k, `${shown}:${i + 1}`); // a later line, or a later file, sets it again
        });
      }
      return m;
    })
    .get(name);
}

/**
 * Where the real value of environment variable `key` of `svc` is set, when the loader recorded it as made from a
 * variable (`KEY: ${V}`, `- KEY=${V}`, `- KEY` passed through): the env file line of the first such variable an env
 * file sets (`.env:3`, `prod.env:1`), else the environment compose2k8s ran in. Undefined for a value written in the
 * compose file or read from an `env_file`.
 */
export function envValuePlace(ctx: ConvertContext, svc: Service, key: string): string | undefined {
  const named = (envParts(ctx, svc, key, listItems(ctx, svc)) ?? []).filter((p) => p.name !== undefined);
  if (!named.length) return undefined;
  return named.map((p) => dotenvLine(ctx, p.name!)).find((place) => place) ?? 'the environment compose2k8s ran in';
}
