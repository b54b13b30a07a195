/**
 * Finds where a text names a host: `host:port`, URLs (`http://api/`, `postgres://u:p@db:5432/x`,
 * `PLAINTEXT://broker:29092`), `user@host`, and bare host words where the context says it is a host (a value
 * that is only the name, `--host=db`, and in command words `nc -z db 5432`). One pass over the text; the caller
 * says which host names it cares about (`isName`), so the same finder serves reachability (every service name)
 * and renames (the renamed names). Offsets let a caller rewrite the host in place.
 */

export interface HostRef {
  /** The host as written. */
  host: string;
  /** Port written after it (`:5432`, or the next command word), else the URL scheme's default port. */
  port?: number;
  /** True when the port is the URL scheme's default (`http://api/` → 80), not written. */
  defaulted?: boolean;
  /** Offset of the host in the text, and its length (for rewriting). */
  offset: number;
  length: number;
}

/**
 * How bare host words (no port, no scheme) are accepted: `value` — the whole text is the name (an environment
 * value); `words` — any whitespace- or quote-delimited word (a command line); `file` — never (free text).
 * `key=host` and `user@host` are accepted in every mode.
 */
export type HostTextMode = 'value' | 'words' | 'file';

/** Default ports of URL schemes a compose project commonly uses. */
export const SCHEME_PORTS: Readonly<Record<string, number>> = {
  http: 80,
  ws: 80,
  https: 443,
  wss: 443,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mariadb: 3306,
  mongodb: 27017,
  redis: 6379,
  amqp: 5672,
  nats: 4222,
  mqtt: 1883,
};

/** Ports below this after `name:` are image tags (`node:20`, `postgres:16`), not ports. */
const MIN_PORT = 21;

const HOST =
  /(?<![A-Za-z0-9_.\-$/{%])([A-Za-z][A-Za-z0-9+.-]*:\/\/)?([^\s/@'"`]+@)?([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)/g;
const WORD_END = /[\s'"`;,)\]}]/;
const WORD_START = /[\s'"`(=,[{]/;

/** The command word before a bare host: a host option (`-h`, `--host`, `--bootstrap-server`...) or a command that takes one. */
const HOST_BEFORE =
  /(?:^|\s)(?:-h|-H|--?[\w-]*(?:host|server|addr|address|broker|brokers|endpoint|url)|nc|ncat|ping|telnet|nslookup|dig|wait-for|wait-for-it)\s+['"]?$/i;

/** A port option of a command line (`-p 5432`, `-P 3306`, `--port 6379`, `--port=6432`), as psql, redis-cli... take. */
const PORT_OPTION = /(?:^|\s)(?:-p|-P|--port)(?:\s+|=)['"]?(\d{1,5})(?=['"]?(?:\s|$|[;&|]))/g;

/**
 * The port a command line gives its host option (`psql -p 5432 -h 127.0.0.1`, `pg_isready -h db -p 6432`): its one
 * port option, when it has exactly one (two could belong to two commands).
 */
function optionPort(text: string): number | undefined {
  const all = [...text.matchAll(PORT_OPTION)];
  if (all.length !== 1) return undefined;
  const n = Number(all[0]![1]);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * A value that is only a list of hosts: two or more names (each with an optional `:port`) separated by commas or
 * semicolons, or by spaces when every item has its port (`zk1:2181 zk2:2181`) — prose has spaces, not ports.
 */
const HOST_ITEM = '[A-Za-z0-9_][A-Za-z0-9_.-]*';
const HOST_LIST = new RegExp(
  `^\\s*${HOST_ITEM}(?::\\d{1,5})?(?:\\s*[,;]\\s*${HOST_ITEM}(?::\\d{1,5})?)+\\s*[,;]?\\s*$|^\\s*${HOST_ITEM}:\\d{1,5}(?:\\s+${HOST_ITEM}:\\d{1,5})+\\s*$`,
);

function portAt(text: string, i: number): { port: number; end: number } | undefined {
  if (text[i] !== ':') return undefined;
  const m = /^(\d{1,5})(?![\w.-]*[\w])/.exec(text.slice(i + 1, i + 16));
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n < MIN_PORT || n > 65535) return undefined;
  return { port: n, end: i + 1 + m[1]!.length };
}

/** nginx `upstream NAME {` blocks a config text declares (lower-cased names). */
const UPSTREAM = /(?:^|[\s;{}])upstream\s+([A-Za-z0-9_.-]+)\s*\{/g;

function upstreamNames(text: string): ReadonlySet<string> {
  if (!text.includes('upstream')) return new Set();
  return new Set([...text.matchAll(UPSTREAM)].map((m) => m[1]!.toLowerCase()));
}

/** The references in `text` to hosts `isName` accepts (compared lower-cased). */
export function findHostReferences(
  text: string,
  isName: (host: string) => boolean,
  mode: HostTextMode = 'value',
): HostRef[] {
  const out: HostRef[] = [];
  // A value that is only a list of hosts (`discovery.seed_hosts: es02,es03`, `ZOO_SERVERS: zk1:2181 zk2:2181`):
  // each item is a host, as a value that is only the name is.
  const list = mode === 'value' && HOST_LIST.test(text);
  const upstreams = upstreamNames(text);
  for (const m of text.matchAll(HOST)) {
    const scheme = m[1];
    const userinfo = m[2];
    const host = m[3]!;
    const offset = m.index! + (scheme?.length ?? 0) + (userinfo?.length ?? 0);
    const after = offset + host.length;
    if (!isName(host.toLowerCase())) continue;
    if (text[after] === '@') continue; // userinfo
    if (userinfo && !scheme && !/^[^:]+@$/.test(userinfo)) continue;
    const p = portAt(text, after);
    if (p) {
      out.push({ host, port: p.port, offset, length: host.length });
      continue;
    }
    if (text[after] === ':' && /\d/.test(text[after + 1] ?? '')) continue; // an image tag, not a port
    if (scheme) {
      // `proxy_pass http://api;` where the config declares `upstream api { server api:3000; }` names the
      // upstream block, not a host (its `server` lines are the host references).
      if (upstreams.has(host.toLowerCase())) continue;
      const def = SCHEME_PORTS[scheme.slice(0, -3).toLowerCase()];
      out.push({ host, offset, length: host.length, ...(def ? { port: def, defaulted: true } : {}) });
      continue;
    }
    if (text[after] === ':' || text[after] === '.') continue;
    const before = m.index! > 0 ? text[m.index! - 1]! : '';
    const keyed = before === '=' || (userinfo !== undefined && !scheme);
    const whole = text.trim() === host;
    // `nc -z db 5432`: the next command word is the port.
    const next = mode === 'words' ? /^\s+(\d{1,5})(?=\s|$|['"`;])/.exec(text.slice(after)) : null;
    // In a command line a bare word is a host only where a host is expected (`-h db`, `--host db`, `ping db`,
    // `db 5432`): `python manage.py migrate` does not name a service called migrate.
    const option = mode === 'words' && HOST_BEFORE.test(text.slice(Math.max(0, m.index! - 40), m.index!));
    // `-h db -p 5432`: the host option's port is the command's port option.
    const np = next ? Number(next[1]) : option ? optionPort(text) : undefined;
    const word =
      mode === 'words' &&
      (before === '' || WORD_START.test(before)) &&
      (after >= text.length || WORD_END.test(text[after]!)) &&
      (next !== null || option);
    const item =
      list && (before === '' || /[\s,;]/.test(before)) && (after >= text.length || /[\s,;]/.test(text[after]!));
    if (!(keyed || (mode !== 'file' && whole) || word || item)) continue;
    out.push({
      host,
      offset,
      length: host.length,
      ...(np !== undefined && np >= 1 && np <= 65535 ? { port: np } : {}),
    });
  }
  return out;
}

/**
 * `text` with every given reference's host replaced by `to`, or by its own `to(ref)` (references from
 * findHostReferences on it, or rename.ts's hits: places in the text that do not overlap).
 */
export function replaceHosts<R extends { offset: number; length: number }>(
  text: string,
  refs: readonly R[],
  to: string | ((ref: R) => string),
): string {
  let out = text;
  for (const r of [...refs].sort((a, b) => b.offset - a.offset))
    out = out.slice(0, r.offset) + (typeof to === 'string' ? to : to(r)) + out.slice(r.offset + r.length);
  return out;
}
