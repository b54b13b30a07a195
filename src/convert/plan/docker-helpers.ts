/**
 * Services that only work against a Docker daemon (its socket or the labels it reports on containers):
 * autoheal, ofelia, watchtower, portainer, an all-in-one mastercontainer (Nextcloud AIO), docker-socket proxies,
 * Traefik with the Docker provider, and the other
 * reverse proxies that route by what they discover there (nginx-proxy and its acme-companion, caddy-gen,
 * caddy-docker-proxy: the docker-labels dialect reads the routing settings they read, plan/docker-proxies.ts). In a
 * cluster there is no Docker daemon, so such a pod would crash-loop or idle; planning emits no workload
 * for them and reports what takes their place (liveness probes, Ingress rules, CronJobs) or why nothing can.
 *
 * Detection is data: a well-known image (by repository or its last path component; for a built service, the image
 * its Dockerfile starts FROM: plan/base-image.ts) that talks to the daemon — it mounts the Docker socket, sets DOCKER_HOST, or (Traefik) enables the Docker provider in
 * its command. A socket proxy is Docker-bound by its image alone. Found once per conversion (a fact).
 */
import type { Service } from '../../model/types.js';
import type { OutcomeId, PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import type { ConvertContext } from '../context.js';
import { FactKey } from '../facts.js';
import { imageKey } from '../../kube/images.js';
import { heuristicImage } from './base-image.js';
import { commandWords } from '../../model/command.js';

export type HelperKind =
  'autoheal' | 'scheduler' | 'updater' | 'manager' | 'orchestrator' | 'socket-proxy' | 'proxy' | 'certificates';

/** The reverse proxies that route to the containers they discover, by what each reads of them. */
export type ProxyKind = 'traefik' | 'nginx-proxy' | 'caddy-gen' | 'caddy-docker-proxy';

interface HelperSpec {
  kind: HelperKind;
  /** Docker-bound by the image alone (no socket mount needed to tell). */
  always?: boolean;
  /** A proxy (kind `proxy`): which one. */
  proxy?: ProxyKind;
}

/** Well-known Docker-bound images. */
export const DOCKER_HELPERS: Readonly<Record<string, HelperSpec>> = {
  'willfarrell/autoheal': { kind: 'autoheal' },
  autoheal: { kind: 'autoheal' },
  'mcuadros/ofelia': { kind: 'scheduler' },
  ofelia: { kind: 'scheduler' },
  'containrrr/watchtower': { kind: 'updater' },
  'nickfedor/watchtower': { kind: 'updater' },
  watchtower: { kind: 'updater' },
  'portainer/portainer': { kind: 'manager' },
  'portainer/portainer-ce': { kind: 'manager' },
  'portainer/portainer-ee': { kind: 'manager' },
  'portainer/agent': { kind: 'manager' },
  // An all-in-one mastercontainer: it creates the containers of its application through Docker, and exits at start
  // without the socket (Nextcloud AIO: "Docker socket is not available. Cannot continue.").
  'nextcloud-releases/all-in-one': { kind: 'orchestrator' },
  'nextcloud/all-in-one': { kind: 'orchestrator' },
  'tecnativa/docker-socket-proxy': { kind: 'socket-proxy', always: true },
  'linuxserver/socket-proxy': { kind: 'socket-proxy', always: true },
  'docker-socket-proxy': { kind: 'socket-proxy', always: true },
  traefik: { kind: 'proxy', proxy: 'traefik' },
  // By the last path component: nginxproxy/ and jwilder/nginx-proxy, nginxproxy/acme-companion,
  // wemakeservices/caddy-gen, lucaslorentz/caddy-docker-proxy.
  'nginx-proxy': { kind: 'proxy', proxy: 'nginx-proxy' },
  'acme-companion': { kind: 'certificates' },
  'letsencrypt-nginx-proxy-companion': { kind: 'certificates' },
  'caddy-gen': { kind: 'proxy', proxy: 'caddy-gen' },
  'caddy-docker-proxy': { kind: 'proxy', proxy: 'caddy-docker-proxy' },
};

/**
 * What an image of each kind does with the Docker daemon, for the report (phrases of report.yaml); a proxy other than
 * Traefik (whose phrase is the kind's) by its own.
 */
const DOES: Readonly<Record<HelperKind | Exclude<ProxyKind, 'traefik'>, PhraseId>> = {
  autoheal: 'helper-does.autoheal',
  scheduler: 'helper-does.scheduler',
  updater: 'helper-does.updater',
  manager: 'helper-does.manager',
  orchestrator: 'helper-does.orchestrator',
  'socket-proxy': 'helper-does.socket-proxy',
  proxy: 'helper-does.proxy',
  certificates: 'helper-does.certificates',
  'nginx-proxy': 'helper-does.nginx-proxy',
  'caddy-gen': 'helper-does.caddy-gen',
  'caddy-docker-proxy': 'helper-does.caddy-docker-proxy',
};

/** How a helper reaches Docker, for the report: the phrase `evidence` and its values. */
type Evidence = { evidence: PhraseId } & Values;

export interface DockerHelper {
  service: Service;
  image: string;
  kind: HelperKind;
  /** A proxy: which one. */
  proxy?: ProxyKind;
  /** How it reaches Docker, for the report. */
  evidence: Evidence;
  /** The item its image comes from: `build` when its Dockerfile starts FROM that image, else `image`. */
  item: 'image' | 'build';
}

const SOCKET = /(^|\/)docker\.sock$/;

/** How `svc` reaches a Docker daemon, or undefined. */
function dockerAccess(svc: Service): Evidence | undefined {
  const sock = svc.volumes.find((v) => v.type === 'bind' && v.source !== undefined && SOCKET.test(v.source));
  if (sock) return { evidence: 'docker.socket', socket: sock.source! };
  const host = svc.environment['DOCKER_HOST'];
  if (host) return { evidence: 'docker.host', dockerHost: host };
  return undefined;
}

function traefikDockerProvider(svc: Service): Evidence | undefined {
  const args = commandWords(svc);
  const flag = args.find((a) => /^--providers\.docker(\b|=true)/.test(a) && !/=false$/.test(a));
  if (flag) return { evidence: 'docker.provider-flag', flag };
  if (/^true$/i.test(svc.environment['TRAEFIK_PROVIDERS_DOCKER'] ?? '')) return { evidence: 'docker.provider-env' };
  return undefined;
}

function detect(ctx: ConvertContext, svc: Service): DockerHelper | undefined {
  // A proxy built FROM traefik or nginx-proxy is that proxy (plan/base-image.ts).
  const image = heuristicImage(ctx, svc);
  if (!image) return undefined;
  const key = imageKey(DOCKER_HELPERS, image);
  if (!key) return undefined;
  const spec = DOCKER_HELPERS[key]!;
  const evidence =
    spec.proxy === 'traefik'
      ? (traefikDockerProvider(svc) ?? dockerAccess(svc))
      : (dockerAccess(svc) ?? (spec.always ? { evidence: 'docker.api-only' } : undefined));
  if (!evidence) return undefined;
  const item = image === svc.image ? 'image' : 'build';
  return { service: svc, image: key, kind: spec.kind, proxy: spec.proxy, evidence, item };
}

/** The docker helpers, computed once per project. */
const HELPERS = new FactKey<ReadonlyMap<string, DockerHelper>>();

/** The proxies of the project that route to the containers they discover (each kind once). */
export function dockerProxies(ctx: ConvertContext): ReadonlySet<ProxyKind> {
  const out = new Set<ProxyKind>();
  for (const h of dockerHelpers(ctx).values()) if (h.proxy) out.add(h.proxy);
  return out;
}

/** The settings of the services it routes that a proxy other than Traefik reads: variables and labels. */
const PROXY_READS: Readonly<Record<Exclude<ProxyKind, 'traefik'>, { env?: RegExp; label?: RegExp }>> = {
  'nginx-proxy': { env: /^(VIRTUAL_[A-Z_]+|LETSENCRYPT_[A-Z_]+|HTTPS_METHOD|HSTS|CERT_NAME|NETWORK_ACCESS)$/ },
  'caddy-gen': { label: /^virtual\./ },
  'caddy-docker-proxy': { label: /^caddy(_\d+)?(\.|$)/ },
};

/**
 * The variables and labels of the services they route that the project's proxies (other than Traefik) read, when it
 * runs one: the docker-labels dialect reads them (plan/docker-proxies.ts); without it, each gets its entry.
 */
export function proxyReads(
  ctx: ConvertContext,
): { env: (key: string) => boolean; label: (key: string) => boolean } | undefined {
  const reads = [...dockerProxies(ctx)].flatMap((p) => (p === 'traefik' ? [] : [PROXY_READS[p]]));
  if (!reads.length) return undefined;
  return {
    env: (k) => reads.some((r) => r.env?.test(k)),
    label: (k) => reads.some((r) => r.label?.test(k)),
  };
}

/** The project's Docker-bound services by name, found once. */
export function dockerHelpers(ctx: ConvertContext): ReadonlyMap<string, DockerHelper> {
  return ctx.facts.get(HELPERS, () => {
    const m = new Map<string, DockerHelper>();
    for (const svc of Object.values(ctx.project.services)) {
      const h = detect(ctx, svc);
      if (h) m.set(svc.name, h);
    }
    return m;
  });
}

const OUTCOME: Record<HelperKind, OutcomeId> = {
  autoheal: 'docker-helper.autoheal',
  scheduler: 'docker-helper.ofelia',
  updater: 'docker-helper.dropped',
  manager: 'docker-helper.dropped',
  orchestrator: 'docker-helper.orchestrator',
  'socket-proxy': 'docker-helper.dropped',
  proxy: 'docker-helper.traefik',
  certificates: 'docker-helper.certificates',
};

/** Planning: a Docker-bound service gets no workload; its report entry says what replaces it, if anything. */
export function skipDockerHelper(ctx: ConvertContext, svc: Service): boolean {
  const helpers = dockerHelpers(ctx);
  const h = helpers.get(svc.name);
  if (!h) return false;
  const other = h.proxy !== undefined && h.proxy !== 'traefik' ? h.proxy : undefined;
  ctx.outcome(svc.name, h.item, other ? 'docker-helper.proxy' : OUTCOME[h.kind], {
    image: h.image,
    does: DOES[other ?? h.kind],
    ...h.evidence,
  });
  // Its other settings go with it: one entry each, so none reads as handled or silently lost.
  for (const key of settingsBut(svc, h.item))
    ctx.outcome(svc.name, key, 'docker-helper.not-deployed', { service: svc.name, item: h.item });
  // A named volume only Docker-bound helpers mount (portainer's data) is not created either.
  for (const v of svc.volumes) {
    if (v.type !== 'volume' || !v.source || !ctx.project.volumes[v.source]) continue;
    const path = `volumes.${v.source}`;
    if (ctx.book.get(undefined, path)) continue;
    if (!ctx.index.usersOf('volume', v.source).every((u) => helpers.has(u.name))) continue;
    ctx.outcome(undefined, path, 'docker-helper.volume-not-created', { volume: v.source });
    // Its settings go with it (`driver: local` is no foreign driver when there is no claim at all).
    const def = ctx.project.volumes[v.source]!;
    for (const key of ['name', 'driver', 'driver_opts', 'labels'] as const)
      if (def[key] !== undefined && !ctx.book.get(undefined, `${path}.${key}`))
        ctx.outcome(undefined, `${path}.${key}`, 'docker-helper.volume-not-created', { volume: v.source });
  }
  // Likewise a secret or config only helpers use (Traefik's DNS-provider keys): the credentials of a Traefik's ACME
  // DNS-01 challenge now belong to whatever issues the certificates, so their entry says where they go.
  const used = workloadRefs(ctx);
  const provider = h.kind === 'proxy' ? dnsChallengeProvider(svc) : undefined;
  const refs = [
    ...svc.secrets.map((r) => ({ group: 'secrets' as const, name: r.source })),
    ...svc.configs.map((r) => ({ group: 'configs' as const, name: r.source })),
  ];
  for (const r of refs) {
    const path = `${r.group}.${r.name}`;
    if (!ctx.project[r.group][r.name] || used.has(path) || ctx.book.get(undefined, path)) continue;
    const kind = r.group === 'secrets' ? 'Secret' : 'ConfigMap';
    if (provider !== undefined)
      ctx.outcome(undefined, path, 'docker-helper.dns-challenge-credentials', {
        kind,
        name: r.name,
        service: svc.name,
        provider,
      });
    else ctx.outcome(undefined, path, 'docker-helper.definition-not-created', { kind, name: r.name });
  }
  return true;
}

/**
 * The DNS provider of a Traefik certificate resolver that uses the ACME DNS-01 challenge, from its static
 * configuration in the command (`--certificatesresolvers.R.acme.dnschallenge.provider=ovh`) or the environment
 * (`TRAEFIK_CERTIFICATESRESOLVERS_R_ACME_DNSCHALLENGE_PROVIDER`); undefined when neither sets one.
 */
function dnsChallengeProvider(svc: Service): string | undefined {
  for (const w of svc.command ?? []) {
    const m = /^--certificatesresolvers\.[^.=]+\.acme\.dnschallenge\.provider=(.+)$/i.exec(w);
    if (m) return m[1];
  }
  for (const [k, v] of Object.entries(svc.environment))
    if (/^TRAEFIK_CERTIFICATESRESOLVERS_.+_ACME_DNSCHALLENGE_PROVIDER$/i.test(k) && v) return v;
  return undefined;
}

/** `secrets.NAME` / `configs.NAME` used by some service that gets a workload (one pass over the project). */
const WORKLOAD_REFS = new FactKey<ReadonlySet<string>>();
function workloadRefs(ctx: ConvertContext): ReadonlySet<string> {
  return ctx.facts.get(WORKLOAD_REFS, () => {
    const helpers = dockerHelpers(ctx);
    const out = new Set<string>();
    for (const svc of Object.values(ctx.project.services)) {
      if (helpers.has(svc.name)) continue;
      for (const r of svc.secrets) out.add(`secrets.${r.source}`);
      for (const r of svc.configs) out.add(`configs.${r.source}`);
    }
    return out;
  });
}

/** The keys a service sets (not empty), but `name`, `extensions` and `handled`: those of a helper that gets no workload. */
export function settingsBut(svc: Service, handled: string): string[] {
  return Object.keys(svc).filter(
    (k) => k !== handled && k !== 'name' && k !== 'extensions' && !isEmpty(svc[k as keyof Service]),
  );
}

/** Unset, or an empty list or mapping. */
function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0);
}
