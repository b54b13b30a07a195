/**
 * Value readers shared by the kompose-label and `x-k8s` parsers. Each returns the value or an
 * `Invalid` (message + hint) that the caller reports at the label's / key's position.
 */
import { parseDuration } from '../../load/normalize/units.js';
import { splitShell } from '../../load/normalize/shell.js';
import { isDns1123Label, isDns1123Subdomain } from '../../kube/naming.js';
import { isQuantity } from '../../kube/quantity.js';

export interface Invalid {
  invalid: string;
  hint?: string;
}

export type Read<T> = T | Invalid;

export function isInvalid<T>(v: Read<T>): v is Invalid {
  return typeof v === 'object' && v !== null && 'invalid' in v;
}

const bad = (invalid: string, hint?: string): Invalid => (hint ? { invalid, hint } : { invalid });

/** strconv.ParseBool, as kompose reads boolean labels. */
export function readBool(v: string): Read<boolean> {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v.trim())) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v.trim())) return false;
  return bad(`"${v}" is not a boolean`, 'use true or false');
}

export function readInt(v: string | number, min: number, max = Number.MAX_SAFE_INTEGER): Read<number> {
  const s = String(v).trim();
  if (!/^[+-]?\d+$/.test(s)) return bad(`"${v}" is not an integer`);
  const n = Number(s);
  if (n < min || n > max)
    return bad(
      `${n} is out of range`,
      `use a value from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}`,
    );
  return n;
}

/** A Go duration (`10s`, `1m30s`) → whole seconds, rounded up; a bare number counts as seconds. */
export function readSeconds(v: string | number): Read<number> {
  if (typeof v === 'number' || /^\d+$/.test(v.trim())) {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) return bad(`${v} is not a whole number of seconds`);
    return n;
  }
  const ms = parseDuration(v);
  if (ms === undefined || ms < 0) return bad(`"${v}" is not a duration`, 'use a duration such as 10s, 1m30s or 500ms');
  return Math.ceil(ms / 1000);
}

export function readQuantity(v: string | number, example = '1Gi'): Read<string> {
  const s = String(v).trim();
  if (!isQuantity(s))
    return bad(
      `"${v}" is not a Kubernetes quantity`,
      `use a quantity such as ${example} (binary suffixes Ki, Mi, Gi, Ti)`,
    );
  return s;
}

export function readName(v: string, what: string, kind: 'label' | 'subdomain' = 'subdomain'): Read<string> {
  const s = v.trim();
  const ok = kind === 'label' ? isDns1123Label(s) : isDns1123Subdomain(s);
  if (!ok)
    return bad(
      `"${v}" is not a valid ${what}`,
      `use lowercase letters, digits and '-'${kind === 'subdomain' ? " or '.'" : ''}, starting and ending with a letter or digit`,
    );
  return s;
}

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function readHost(v: string): Read<string> {
  const s = v.trim().toLowerCase();
  if (!HOST.test(s) || s.length > 253)
    return bad(`"${v}" is not a valid host name`, 'use a DNS name such as app.example.com (no scheme, no port)');
  return s;
}

export function readPath(v: string): Read<string> {
  const s = v.trim();
  if (!s.startsWith('/')) return bad(`path "${v}" must start with /`);
  return s;
}

/**
 * A command: a JSON array of strings (`["sh", "-c", "..."]`) or a shell-like string split into words.
 * A leading `CMD` is dropped and `CMD-SHELL x` becomes `sh -c x`, as in a compose healthcheck test.
 */
export function readCommand(v: string): Read<string[]> {
  const s = v.trim();
  let words: string[];
  if (s.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(s);
    } catch {
      return bad(
        `"${v}" is not a valid JSON array`,
        'write ["cmd", "arg", ...] with double quotes, or a plain command line',
      );
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string'))
      return bad(`"${v}" must be an array of strings`);
    words = parsed as string[];
  } else {
    const shell = /^CMD-SHELL\s+([\s\S]*)$/.exec(s);
    if (shell) return shell[1]!.trim() ? ['sh', '-c', shell[1]!.trim()] : bad(`command "${v}" is empty`);
    const r = splitShell(s);
    if ('error' in r) return bad(`cannot split "${v}" into words: ${r.error}`);
    // Shell operators (`||`, `;`, ...) need a shell: run the line (without a leading CMD) with sh -c.
    if (r.truncatedAt !== undefined) words = ['sh', '-c', s.replace(/^CMD\s+/, '')];
    else words = r.words;
  }
  return normalizeTest(words, v);
}

export function normalizeTest(words: string[], raw: unknown = words): Read<string[]> {
  if (words[0] === 'CMD') words = words.slice(1);
  else if (words[0] === 'CMD-SHELL') words = ['sh', '-c', words.slice(1).join(' ')];
  if (words.length === 0 || words[0] === 'NONE') return bad(`command ${JSON.stringify(raw)} is empty`);
  return words;
}

/** A 5-field cron expression or a macro (`@hourly`); Kubernetes rejects TZ= prefixes in schedules. */
export function readSchedule(v: string): Read<string> {
  const s = v.trim();
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(s)) return s;
  if (/^(CRON_)?TZ=/.test(s))
    return bad(`schedule "${v}" has a time zone prefix`, 'remove the TZ= prefix; CronJob has a separate spec.timeZone');
  const fields = s.split(/\s+/);
  if (fields.length !== 5 || !fields.every((f) => /^[\d*?/,A-Za-z-]+$/.test(f)))
    return bad(
      `"${v}" is not a cron schedule`,
      'use five fields "minute hour day-of-month month day-of-week", e.g. "*/5 * * * *", or @hourly/@daily/...',
    );
  return s;
}

/** `50`, `50%` → 50. */
export function readPercent(v: string | number): Read<number> {
  const s = String(v).trim().replace(/%$/, '');
  return readInt(s, 1, 1000);
}

/** First match of `value` among `allowed`, ignoring case. */
export function readEnum<T extends string>(v: string, allowed: readonly T[], aliases: Record<string, T> = {}): Read<T> {
  const s = v.trim().toLowerCase();
  const hit = allowed.find((a) => a.toLowerCase() === s) ?? aliases[s];
  if (hit) return hit;
  return bad(`"${v}" is not one of ${allowed.join(', ')}`);
}
