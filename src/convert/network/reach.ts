/**
 * Reachability: in compose every container port answers on the service name, so peers address services on
 * ports nobody declared (`broker:29092` in five `*_BOOTSTRAP_SERVERS`, `proxy_pass http://backend:6060` in a
 * mounted nginx config). Kubernetes needs those ports on a Service. This fact reads, once per conversion, every
 * service's environment, command, healthcheck and mounted config files, finds the host references in them
 * (network/hostrefs.ts) to any name of any service (its name, hostname, container_name, network and link
 * aliases — one index built once), and records per service:
 *
 * - referenced: ports peers address it on (with where);
 * - self: ports its own healthcheck or settings say it serves (`localhost:6060` in its healthcheck,
 *   `PLAINTEXT://broker:29092` in its own listeners);
 * - listens: declared ports its own command says its main process listens on (`rails s -p 3000`; network/listens.ts);
 * - wellKnown: the image's well-known ports (kube/images.ts), trusted when the service declares none or
 *   declares one of them, and not for a sidecar (`network_mode: service:`) on a port its pod's main container
 *   declares or serves as its own image's (docker-elk's setup, built FROM elasticsearch, beside elasticsearch):
 *   one network namespace, one listener per port, and it is the main one's (mainHolds);
 * - bare: peer references that name it without a port we can tell (`DB_HOST: db`);
 * - discovered: where a config resolves its name to every address (Prometheus `dns_sd_configs`, a memberlist
 *   `join_members` or `-memberlist.join` flag: network/discovery.ts), its own replicas' config too: they join each
 *   other.
 *
 * Services, start order and default probes read it; no step scans all services per service.
 */
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { FactKey } from '../facts.js';
import { declaredTcpTargets } from '../../model/ports.js';
import { wellKnownPorts } from '../../kube/images.js';
import { findHostReferences, type HostTextMode } from './hostrefs.js';
import { heuristicImage } from '../plan/base-image.js';
import { commandListenPorts } from './listens.js';
import { discoveredNames, joinedByFlags, type Discovered } from './discovery.js';

export interface Reach {
  /** Port → where a peer addresses it there (first place found). */
  referenced: Map<number, string>;
  /** Port → where the service itself says it serves it. */
  self: Map<number, string>;
  /** Declared port → the words of its command that say its main process listens there (`-p 3000`). */
  listens: Map<number, string>;
  /** The image's well-known ports. */
  wellKnown: number[];
  /** The image's well-known ports its pod's main container holds instead (a sidecar's only). */
  mainHolds: number[];
  /** Where peers name it without a port. */
  bare: string[];
  /** Where peers resolve its name to every address (one target per replica), and the setting that does. */
  discovered: Array<{ where: string; via: Discovered['via'] }>;
  /** Peers (compose names) that address it. */
  peers: Set<string>;
  /** Ports each peer addresses it on. */
  byPeer: Map<string, number[]>;
  /** The names (lower-cased) peers address it by: its name, container_name, hostname, an alias. */
  names: Set<string>;
}

const LOCAL = new Set(['localhost', '127.0.0.1', '0.0.0.0']);
const MAX_TEXT = 256 * 1024;

/** Every name a service answers to in compose (lower-cased): its name, hostname, container_name, aliases. */
export function selfNames(svc: Service): string[] {
  const out = new Set<string>([svc.name.toLowerCase()]);
  if (svc.hostname) out.add(svc.hostname.toLowerCase());
  if (svc.container_name) out.add(svc.container_name.toLowerCase());
  for (const n of Object.values(svc.networks)) for (const a of n?.aliases ?? []) out.add(a.toLowerCase());
  return [...out];
}

interface Text {
  label: string;
  text: string;
  mode: HostTextMode;
  /** An environment variable's name (for `X_HOST` + `X_PORT` pairs). */
  envKey?: string;
  healthcheck?: boolean;
}

/** Each service's texts, read once per conversion (reachability and the Ingress body limit both read them). */
const TEXTS = new FactKey<Map<string, readonly Text[]>>();

/** The texts a service can name hosts in: environment, command, healthcheck, mounted config files. */
function textsOf(ctx: ConvertContext, svc: Service): readonly Text[] {
  const cache = ctx.facts.get(TEXTS, () => new Map<string, readonly Text[]>());
  let texts = cache.get(svc.name);
  if (!texts) cache.set(svc.name, (texts = readTexts(ctx, svc)));
  return texts;
}

/** The config files a service mounts (bind mounts under the project directory, configs), as read: label + text. */
export function mountedTexts(ctx: ConvertContext, svc: Service): ReadonlyArray<{ label: string; text: string }> {
  return textsOf(ctx, svc).filter((t) => t.mode === 'file');
}

function readTexts(ctx: ConvertContext, svc: Service): Text[] {
  const out: Text[] = [];
  for (const [k, v] of Object.entries(svc.environment))
    out.push({ label: `${svc.name} environment ${k}`, text: v, mode: 'value', envKey: k });
  for (const [what, part] of [
    ['command', svc.command],
    ['entrypoint', svc.entrypoint],
  ] as const)
    if (part?.length) out.push({ label: `${svc.name} ${what}`, text: part.join(' '), mode: 'words' });
  const test = svc.healthcheck?.test;
  if (test && (test[0] === 'CMD' || test[0] === 'CMD-SHELL') && test.length > 1)
    out.push({ label: `${svc.name} healthcheck`, text: test.slice(1).join(' '), mode: 'words', healthcheck: true });
  const wd = ctx.project.workingDir;
  const read = (path: string, label: string): void => {
    const text = ctx.fs?.readFile(path);
    if (text !== undefined && text.length <= MAX_TEXT) out.push({ label, text, mode: 'file' });
  };
  for (const v of svc.volumes) {
    if (v.type !== 'bind' || !v.source || !v.source.startsWith(wd + '/')) continue;
    const rel = v.source.slice(wd.length + 1);
    const entries = ctx.fs?.isDirectory(v.source) ? (ctx.fs.listDir(v.source) ?? []) : undefined;
    if (entries) for (const e of entries.slice(0, 50)) read(`${v.source}/${e}`, `${svc.name} file ${rel}/${e}`);
    else read(v.source, `${svc.name} file ${rel}`);
  }
  for (const r of svc.configs) {
    const c = ctx.project.configs[r.source];
    if (c?.content !== undefined) {
      if (c.content.length <= MAX_TEXT)
        out.push({ label: `${svc.name} config ${r.source}`, text: c.content, mode: 'file' });
    } else if (c?.file) read(c.file, `${svc.name} config ${r.source}`);
  }
  return out;
}

/**
 * The port a host variable's twin sets: `DB_HOST` → `DB_PORT` (also `_HOSTNAME`, `_SERVER`, `_ADDR`, `_ADDRESS`),
 * when it holds a port number.
 */
function pairedPort(key: string, env: Record<string, string>): number | undefined {
  const m = /^(.*?)(HOST|HOSTNAME|SERVER|ADDR|ADDRESS)$/i.exec(key);
  const pv = m ? env[`${m[1]}${m[2] === m[2]!.toLowerCase() ? 'port' : 'PORT'}`] : undefined;
  return pv !== undefined && /^\d{1,5}$/.test(pv.trim()) && Number(pv) >= 1 && Number(pv) <= 65535
    ? Number(pv)
    : undefined;
}

/** The reachability of every service (reachability), computed once. */
const REACH = new FactKey<ReadonlyMap<string, Reach>>();

/** The reachability of every service (compose name → Reach), computed once. */
export function reachability(ctx: ConvertContext): ReadonlyMap<string, Reach> {
  return ctx.facts.get(REACH, () => computeReach(ctx));
}

/** The reachability of one service. */
export function reachOf(ctx: ConvertContext, name: string): Reach {
  return reachability(ctx).get(name) ?? empty();
}

function empty(): Reach {
  return {
    referenced: new Map(),
    self: new Map(),
    listens: new Map(),
    wellKnown: [],
    mainHolds: [],
    bare: [],
    discovered: [],
    peers: new Set(),
    byPeer: new Map(),
    names: new Set(),
  };
}

function computeReach(ctx: ConvertContext): Map<string, Reach> {
  const services = ctx.project.services;
  // The services each name reaches, in order: a set, since one alias can name every service (a list's includes()
  // per service made this quadratic in the project).
  const byName = new Map<string, Set<string>>();
  const index = (n: string, svc: string): void => {
    const targets = byName.get(n);
    if (!targets) byName.set(n, new Set([svc]));
    else targets.add(svc);
  };
  const out = new Map<string, Reach>();
  for (const svc of Object.values(services)) {
    out.set(svc.name, empty());
    for (const n of selfNames(svc)) index(n, svc.name);
  }
  for (const svc of Object.values(services))
    for (const link of svc.links ?? []) {
      const [target = '', alias = target] = link.split(':');
      if (services[target]) index(alias.toLowerCase(), target);
    }
  const trusted = (svc: Service): number[] => {
    const image = heuristicImage(ctx, svc);
    const wk = image ? wellKnownPorts(image, svc.entrypoint === undefined) : [];
    const declared = declaredTcpTargets(svc);
    // An image reconfigured to other ports (declared, none of the well-known ones) is not trusted to serve them;
    // one that declares any of them is the image we know, and serves the others too (elasticsearch 9200 → 9300).
    return declared.length === 0 || wk.some((p) => declared.includes(p)) ? [...wk] : [];
  };
  for (const svc of Object.values(services)) {
    const r = out.get(svc.name)!;
    const main = services[ctx.index.ownerOf(svc.name)];
    const held = main && main !== svc ? [...declaredTcpTargets(main), ...trusted(main)] : [];
    const wk = trusted(svc);
    r.wellKnown = wk.filter((p) => !held.includes(p));
    r.mainHolds = wk.filter((p) => held.includes(p));
    const declared = declaredTcpTargets(svc);
    for (const [p, said] of commandListenPorts(svc)) if (declared.includes(p)) r.listens.set(p, said);
  }
  for (const svc of Object.values(services)) {
    const owner = ctx.index.ownerOf(svc.name);
    const texts = textsOf(ctx, svc);
    const env = svc.environment;
    for (const t of texts) {
      // Once per file and name: a directory several services mount is read as each one's (`promtail file x`); a
      // command's flags are its service's own (`loki-read command`).
      const file = t.mode === 'file' ? t.label.slice(svc.name.length + 1) : t.label;
      const discovered = t.mode === 'file' ? discoveredNames(t.text) : t.healthcheck ? [] : joinedByFlags(t.text);
      for (const { name, via } of discovered)
        for (const target of byName.get(name.toLowerCase()) ?? []) {
          const found = out.get(target)!.discovered;
          const where = `${name} in ${via} of ${file}`;
          if (!found.some((d) => d.where === where)) found.push({ where, via });
        }
      const isName = (h: string): boolean => byName.has(h) || (t.healthcheck === true && LOCAL.has(h));
      for (const ref of findHostReferences(t.text, isName, t.mode)) {
        const targets = LOCAL.has(ref.host.toLowerCase()) ? [svc.name] : byName.get(ref.host.toLowerCase())!;
        const port = ref.port ?? (t.envKey ? pairedPort(t.envKey, env) : undefined);
        const at = `${ref.host}:${port} in ${t.label}`;
        for (const target of targets) {
          const r = out.get(target)!;
          if (ctx.index.ownerOf(target) === owner) {
            if (port !== undefined && !ref.defaulted && !r.self.has(port)) r.self.set(port, at);
            continue;
          }
          r.peers.add(svc.name);
          r.names.add(ref.host.toLowerCase());
          if (port === undefined) {
            r.bare.push(`${ref.host} in ${t.label}`);
            continue;
          }
          if (!r.referenced.has(port)) r.referenced.set(port, at);
          const mine = r.byPeer.get(svc.name);
          if (!mine) r.byPeer.set(svc.name, [port]);
          else if (!mine.includes(port)) mine.push(port);
        }
      }
    }
  }
  return out;
}

/** True when peers address the service (by any of its names) in their settings, commands or files, or link it. */
export function isAddressed(ctx: ConvertContext, svc: Service): boolean {
  return reachOf(ctx, svc.name).peers.size > 0 || ctx.index.linkersOf(svc.name).length > 0;
}
