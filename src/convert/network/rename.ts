/**
 * Renamed services: a compose name Kubernetes cannot carry (`wazuh.master`, `Web_Frontend`, more than 63
 * characters) names its Service in DNS-1123 form (plan.ts), while peers and the config files mounted into them
 * still say the compose name, which does not resolve in the cluster. (A Service cannot keep it: Service names
 * are DNS-1035 labels, so no dots, no `_`, no capitals beyond case-folding.)
 *
 * This step rewrites, in the emitted objects, every place where a peer names a renamed service as a host —
 * URLs, `host:port` (also `inet:host:port`, `fastcgi_pass host:9000`), `user@host`, nginx `server`/`upstream`
 * lines, `KEY=host` / `key: host` settings whose key says host/server/address/URL, command options such as
 * `-h host` — in environment ConfigMaps and Secrets, command/args, exec probes and ConfigMap-carried config
 * files. A mention that is not recognizably a host (a database called like the service, a path) is left and
 * reported with its place (file and line for config files). The names are matched with one regular
 * expression built once; each text is read once.
 */
import type { ConfigMap, Container, Secret, Volume } from 'kubernetes-types/core/v1.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import type { Service } from '../../model/types.js';
import type { SourcePos } from '../../report/diagnostic.js';
import { FactKey } from '../facts.js';
import { relative } from '../../util/path.js';
import { replaceHosts } from './hostrefs.js';

/** How a text names hosts: an environment value, command words, or a config file. */
export type TextKind = 'value' | 'words' | 'file';

export interface NameHit {
  /** The compose name, lower-cased. */
  name: string;
  offset: number;
  length: number;
  /** True when the context says it is a host (rewritten); false for a bare mention (reported). */
  host: boolean;
}

/** Environment keys whose values are host names (`DB_HOST`, `discovery.seed_hosts`, `REDIS_URL`). */
const HOST_KEY = /HOST|SERVER|ADDR|ENDPOINT|URL|URI|DSN|BROKER|UPSTREAM|BACKEND|RELAY/i;

/** In a config file: `server`, `upstream`, `*_pass`, `relayhost`, `host = `, `hosts: [..., `. */
const FILE_HOST_BEFORE =
  /(?:^|[^A-Za-z0-9_])(?:server|upstream|proxy_pass|fastcgi_pass|uwsgi_pass|scgi_pass|grpc_pass|relayhost|[A-Za-z0-9_.-]*(?:host|hosts|hostname|server|servers|addr|address|endpoint|url|uri))["']?(?:\s*[=:]\s*|\s+)(?:\[[^\]\n]*?,?\s*)?["']?$/i;

/** In a command: `-h host`, `--host=host`, `--server host`, `DB_HOST=host`. */
const WORDS_HOST_BEFORE =
  /(?:(?:^|\s)(?:-h|-H|--host|--hostname|--server|-s)(?:\s+|=)|[A-Za-z0-9_.-]*(?:host|server|addr)[A-Za-z0-9_.-]*=)["']?$/i;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One matcher for all the renamed names (longest first), case-insensitive like DNS. */
export function nameMatcher(names: readonly string[]): RegExp {
  const alt = [...names]
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|');
  return new RegExp(`(?<![A-Za-z0-9_.-])(?:${alt})(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`, 'gi');
}

/** Where `text` names one of the matcher's names, and whether as a host. `key` is an environment variable's. */
export function findNames(text: string, matcher: RegExp, kind: TextKind, key = ''): NameHit[] {
  const out: NameHit[] = [];
  for (const m of text.matchAll(matcher)) {
    const offset = m.index!;
    const length = m[0].length;
    const before = text.slice(Math.max(0, offset - 80), offset);
    const after = text.slice(offset + length, offset + length + 8);
    const name = m[0].toLowerCase();
    if (before.endsWith('/') && !before.endsWith('://')) continue; // a path segment or a URL path, not a host
    let host =
      before.endsWith('://') ||
      /:\/\/[^\s/@]*@$/.test(before) ||
      /^:\d{1,5}(?!\d)/.test(after) ||
      /(?:^|[\s"'=,])[A-Za-z0-9_.%+-]+@$/.test(before);
    if (!host && kind === 'file') host = FILE_HOST_BEFORE.test(before.split('\n').pop()!);
    if (!host && kind === 'words')
      host =
        WORDS_HOST_BEFORE.test(before) ||
        /^\s+\d{1,5}(?![\w.])/.test(text.slice(offset + length, offset + length + 12));
    if (!host && kind === 'value' && HOST_KEY.test(key)) {
      const prev = before.slice(-1);
      const next = text[offset + length] ?? '';
      host = (prev === '' || /[\s,;"'=]/.test(prev)) && (next === '' || /[\s,;"']/.test(next));
    }
    out.push({ name, offset, length, host });
  }
  return out;
}

/** `text` with the host hits replaced by their new names. */
function rewriteHits(text: string, hits: readonly NameHit[], to: ReadonlyMap<string, string>): string {
  return replaceHosts(
    text,
    hits.filter((h) => h.host),
    (h) => to.get(h.name)!,
  );
}

/** Where peers named one renamed service (compose name): places rewritten, places left. */
export interface Mentions {
  rewritten: string[];
  left: string[];
}

/** Where peers named each renamed service, found by the rewrite step (renamedMentions). */
const MENTIONS = new FactKey<ReadonlyMap<string, Mentions>>();

/** Lower-cased compose name → Kubernetes name of every service renamed beyond case (collisions aside). */
function renamedServices(
  ctx: ConvertContext,
  plans: readonly PodPlan[],
  dotted: ReadonlyMap<string, string>,
): Map<string, string> {
  const collided = new Set(ctx.names.collisions.filter((c) => c.group === 'service').map((c) => c.original));
  const to = new Map<string, string>();
  for (const p of plans)
    for (const s of p.services) {
      const k8s = ctx.serviceName(s);
      if (!collided.has(s.name) && k8s !== s.name.toLowerCase()) to.set(s.name.toLowerCase(), k8s);
    }
  // An alias, container_name or hostname peers use that is no Service name (dotted, `_`) answers as the Service
  // objects/aliases.ts gave it.
  for (const [d, name] of dotted) if (!to.has(d)) to.set(d, name);
  return to;
}

/** The mentions found by the rewrite step (empty when nothing was renamed or the step did not run). */
export function renamedMentions(ctx: ConvertContext): ReadonlyMap<string, Mentions> {
  return ctx.facts.get(MENTIONS, () => new Map());
}

interface Scan {
  ctx: ConvertContext;
  to: ReadonlyMap<string, string>;
  /** Lower-cased compose name of a service → its name as written. */
  original: ReadonlyMap<string, string>;
  matcher: RegExp;
  mentions: Map<string, Mentions>;
  /** ConfigMap `name\0key` already read (a file shared by several services is rewritten once). */
  done: Set<string>;
  /** Report items per service, numbered. */
  counts: Map<string, number>;
}

/** Project step: rewrite host references to renamed services in the emitted objects, and report them. */
export function rewriteRenamedHosts(
  ctx: ConvertContext,
  plans: readonly PodPlan[],
  /** Aliases, container_names, hostnames peers use that are no Service name (lower-cased) → their Service (aliases.ts). */
  dotted: ReadonlyMap<string, string> = new Map(),
): void {
  const to = renamedServices(ctx, plans, dotted);
  const mentions = new Map<string, Mentions>();
  ctx.facts.get(MENTIONS, () => mentions);
  if (!to.size) return;
  const original = new Map(plans.flatMap((p) => p.services.map((s) => [s.name.toLowerCase(), s.name] as const)));
  const scan: Scan = {
    ctx,
    to,
    original,
    matcher: nameMatcher([...to.keys()]),
    mentions,
    done: new Set(),
    counts: new Map(),
  };
  for (const plan of plans) {
    const volumes = new Map((plan.spec.volumes ?? []).map((v) => [v.name, v]));
    for (const svc of plan.services) {
      const c = plan.containers.get(svc.name);
      if (!c) continue;
      environment(scan, svc, c);
      commandWords(scan, svc, c);
      files(scan, svc, c, volumes);
    }
  }
}

/** Record one place: a report item on the service holding the text, and the mention on each renamed service. */
function record(
  scan: Scan,
  svc: Service,
  place: string,
  hits: NameHit[],
  pos: SourcePos | undefined,
  objects: string[],
): void {
  const self = svc.name.toLowerCase();
  for (const host of [true, false]) {
    // A service naming itself outside host positions (node.name, a database called like it) is its identity.
    const some = hits.filter((h) => h.host === host && (host || h.name !== self));
    if (!some.length) continue;
    const names = [...new Set(some.map((h) => h.name))];
    const n = scan.counts.get(svc.name) ?? 0;
    scan.counts.set(svc.name, n + 1);
    const values = {
      place,
      // A name that is no service's (an alias, container_name or hostname): as matched, lower-cased.
      names: names.map((x) => scan.original.get(x) ?? x).join(', '),
      k8s: names.map((x) => scan.to.get(x)!).join(', '),
      count: some.length,
    };
    scan.ctx.outcome(
      svc.name,
      `renamed-hosts[${n}]`,
      host ? 'renamed-hosts.rewritten' : 'renamed-hosts.not-rewritten',
      values,
      { objects, pos },
    );
    for (const x of names) {
      let m = scan.mentions.get(x);
      if (!m) scan.mentions.set(x, (m = { rewritten: [], left: [] }));
      (host ? m.rewritten : m.left).push(`${svc.name} ${place}`);
    }
  }
}

function environment(scan: Scan, svc: Service, c: Container): void {
  const { ctx } = scan;
  const maps: Array<{ ref: string; data: Record<string, string> }> = [];
  for (const f of c.envFrom ?? []) {
    const cm = f.configMapRef?.name ? (ctx.find('ConfigMap', f.configMapRef.name) as ConfigMap | undefined) : undefined;
    if (cm?.data) maps.push({ ref: `ConfigMap/${f.configMapRef!.name}`, data: cm.data });
    const s = f.secretRef?.name ? (ctx.find('Secret', f.secretRef.name) as Secret | undefined) : undefined;
    if (s?.stringData) maps.push({ ref: `Secret/${f.secretRef!.name}`, data: s.stringData });
  }
  for (const [k, v] of Object.entries(svc.environment)) {
    const hits = findNames(v, scan.matcher, 'value', k);
    if (!hits.length) continue;
    const next = rewriteHits(v, hits, scan.to);
    const holders = maps.filter((m) => m.data[k] === v);
    for (const h of holders) h.data[k] = next;
    for (const e of c.env ?? []) if (e.name === k && e.value === v) e.value = next;
    const pos = ctx.project.sources.exact('services', svc.name, 'environment', k) ?? ctx.servicePos(svc, 'environment');
    // A value that is not in the output as written (a Secret placeholder the user fills in) cannot be rewritten.
    const carried = holders.length > 0 || (c.env ?? []).some((e) => e.name === k);
    record(
      scan,
      svc,
      `environment ${k}`,
      carried ? hits : hits.map((h) => ({ ...h, host: false })),
      pos,
      holders.map((h) => h.ref),
    );
  }
}

function commandWords(scan: Scan, svc: Service, c: Container): void {
  const parts: Array<[string, string[] | undefined, (w: string[]) => void]> = [
    [svc.entrypoint?.length ? 'entrypoint' : 'command', c.command, (w) => (c.command = w)],
    ['command', c.args, (w) => (c.args = w)],
  ];
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const p = c[probe];
    if (p?.exec?.command) parts.push(['healthcheck', p.exec.command, (w) => (p.exec!.command = w)]);
  }
  const seen = new Set<string>();
  for (const [place, words, set] of parts) {
    if (!words?.length) continue;
    const hits: NameHit[] = [];
    const next = words.map((w) => {
      const h = findNames(w, scan.matcher, 'words');
      hits.push(...h);
      return h.length ? rewriteHits(w, h, scan.to) : w;
    });
    if (!hits.length) continue;
    set(next);
    // Probes of one healthcheck (readiness, liveness, startup) are one place.
    if (seen.has(place)) continue;
    seen.add(place);
    record(scan, svc, place, hits, scan.ctx.servicePos(svc, place), []);
  }
}

/** Config files carried as ConfigMaps mounted into the container: bind mounts and `configs:`. */
function files(scan: Scan, svc: Service, c: Container, volumes: ReadonlyMap<string, Volume>): void {
  const { ctx } = scan;
  const wd = ctx.project.workingDir;
  const shown = (p: string): string => (p.startsWith(wd + '/') ? relative(wd, p) : p);
  for (const m of c.volumeMounts ?? []) {
    const vol = volumes.get(m.name)?.configMap;
    const cm = vol?.name
      ? (ctx.find('ConfigMap', vol.name) as (ConfigMap & { metadata: { name: string } }) | undefined)
      : undefined;
    if (!cm?.data) continue;
    const bindSrc = svc.volumes.find((v) => v.type === 'bind' && v.target === m.mountPath)?.source;
    const cfg = svc.configs.find((r) => (r.target || `/${r.source}`) === m.mountPath);
    const cfgFile = cfg ? ctx.project.configs[cfg.source]?.file : undefined;
    const keys = m.subPath ? [m.subPath] : Object.keys(cm.data);
    for (const key of keys) {
      const text = cm.data[key];
      const id = `${cm.metadata.name}\0${key}`;
      if (text === undefined || scan.done.has(id)) continue;
      scan.done.add(id);
      const hits = findNames(text, scan.matcher, 'file');
      if (!hits.length) continue;
      cm.data[key] = rewriteHits(text, hits, scan.to);
      const item = vol!.items?.find((i) => i.key === key)?.path ?? key;
      const file = m.subPath ? (bindSrc ?? cfgFile) : bindSrc !== undefined ? `${bindSrc}/${item}` : undefined;
      const ref = `ConfigMap/${cm.metadata.name}`;
      // One item per line kind (rewritten / left), with the lines, so each place is exact.
      for (const host of [true, false]) {
        const some = hits.filter((h) => h.host === host);
        if (!some.length) continue;
        const lines = [...new Set(linesOf(text, some))];
        const place = file
          ? `${shown(file)} line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`
          : `${ref} key ${key} line ${lines.join(', ')}`;
        const pos = file ? { file, line: lines[0]!, col: colOf(text, some[0]!.offset) } : undefined;
        record(scan, svc, place, some, pos, [ref]);
      }
    }
  }
}

/** Line numbers of hits (in offset order), in one pass over the text. */
function linesOf(text: string, hits: readonly NameHit[]): number[] {
  const out: number[] = [];
  let line = 1;
  let i = text.indexOf('\n');
  for (const h of hits) {
    for (; i >= 0 && i < h.offset; i = text.indexOf('\n', i + 1)) line++;
    out.push(line);
  }
  return out;
}

function colOf(text: string, offset: number): number {
  return offset - text.lastIndexOf('\n', offset - 1);
}
