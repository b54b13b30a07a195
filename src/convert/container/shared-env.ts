/**
 * Environment variables made from a shared credential (plan/credentials.ts) read it from the project's shared
 * Secret: a variable that is the credential (`POSTGRES_PASSWORD: ${DB_PASS}`) gets `valueFrom.secretKeyRef`; one
 * that embeds it (`DATABASE_URL: postgres://app:${DB_PASS}@db/app`) gets the credential as a variable of its own
 * first and `$(DB_PASS)` in its value, which Kubernetes expands from the variables defined before it in `env`.
 */
import type { Container, EnvVar } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { InterpolatedPart } from '../../model/pointer.js';
import { KEY_NAME, sharedCredentials } from '../plan/credentials.js';
import { effectiveOptions } from '../intent/overrides.js';
import { escapeWord } from './container.js';
import { kindRef } from '../storage/files.js';
import { fewNames } from '../../util/text.js';

/** The `env` entry reading key `name` of Secret `secret` (the shared one, or the args Secret), as variable `as`. */
export function sharedRef(secret: string, name: string, as = name): EnvVar {
  return { name: as, valueFrom: { secretKeyRef: { name: secret, key: name } } };
}

/** Services listed by name in a shared-credential entry; past this, "N more". */
const OTHERS_SHOWN = 5;

/**
 * The services besides `self` that read the same keys (`lists`: each key's readers, sorted), the first few by name.
 * A credential every service reads would otherwise put every service name into every service's entry: quadratic in
 * the report's size and in time.
 */
function othersOf(lists: ReadonlyArray<readonly string[]>, self: string): string {
  // One key (the usual case): `self` reads it, so it is in the list once.
  if (lists.length === 1) return fewNames(lists[0]!, OTHERS_SHOWN, self);
  const all = [...new Set(lists.flat())].sort();
  return fewNames(all, OTHERS_SHOWN, all.includes(self) ? self : undefined);
}

/**
 * Move the variables of `values` (the service's environment as the container gets it) that hold a shared
 * credential into `container.env`; returns their names (the caller leaves them out of its ConfigMap/Secret).
 */
export function applySharedEnv(
  ctx: ConvertContext,
  svc: Service,
  container: Container,
  values: Readonly<Record<string, string>>,
): Set<string> {
  const shared = sharedCredentials(ctx);
  const mine = shared.env.get(svc.name);
  const done = new Set<string>();
  if (!mine) return done;
  const sharedNames = (parts: readonly InterpolatedPart[]): string[] => [
    ...new Set(parts.flatMap((p) => (p.name !== undefined && shared.keys.has(p.name) ? [p.name] : []))),
  ];
  const isWhole = (parts: readonly InterpolatedPart[] | undefined, name: string): boolean =>
    parts?.length === 1 && parts[0]!.name === name;
  const whole: EnvVar[] = [];
  const embedded: EnvVar[] = [];
  const providers = new Set<string>();
  const report: Array<[string, string[]]> = [];
  for (const [key, parts] of mine) {
    if (values[key] !== parts.map((p) => p.text).join('')) continue; // rewritten since (a localhost URL)
    if (!KEY_NAME.test(key)) continue; // reported as an invalid name by env.ts
    const names = sharedNames(parts);
    // The credential becomes a variable of its own; a variable of that name with another value would clash.
    if (names.some((n) => n !== key && values[n] !== undefined && !isWhole(mine.get(n), n))) continue;
    if (isWhole(parts, names[0]!)) {
      whole.push(sharedRef(shared.secret, names[0]!, key));
      if (key === names[0]) providers.add(key);
    } else {
      for (const n of names) if (values[n] === undefined) providers.add(`+${n}`);
      embedded.push({
        name: key,
        value: parts
          .map((p, i) => {
            if (p.name !== undefined && shared.keys.has(p.name)) return `$(${p.name})`;
            // A `$` right before a reference would make `$$(` (a literal `$(`): doubled too.
            const text = escapeWord(p.text);
            return i < parts.length - 1 && /(^|[^$])\$$/.test(text) ? `${text}$` : text;
          })
          .join(''),
      });
    }
    done.add(key);
    report.push([key, names]);
  }
  // Extra variables for credentials only embedded (the service has no variable of that name).
  const extra = [...providers].filter((p) => p.startsWith('+')).map((p) => sharedRef(shared.secret, p.slice(1)));
  const env = [...extra, ...whole, ...embedded];
  if (env.length) container.env = [...(container.env ?? []).filter((e) => !done.has(e.name)), ...env];
  const embed = effectiveOptions(ctx).secrets === 'embed';
  const ref = kindRef('Secret', shared.secret);
  for (const [key, names] of report) {
    const others = othersOf(
      names.map((n) => shared.keys.get(n)!.services),
      svc.name,
    );
    ctx.outcome(
      svc.name,
      `environment.${key}`,
      embed ? 'environment.secret-shared-embedded' : 'environment.secret-shared',
      {
        name: key,
        keys: names.join(', '),
        secret: shared.secret,
        others,
        how: isWhole(mine.get(key), names[0]!) ? 'secretKeyRef' : `$(${names.join('), $(')}) in its value`,
      },
      { objects: [ref] },
    );
  }
  return done;
}
