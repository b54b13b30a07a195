/**
 * Labels that Docker-bound helpers act on (plan/docker-helpers.ts drops the helpers themselves):
 *
 * - Traefik routers (`traefik.http.routers.<r>.rule`, `.tls`, `traefik.http.services.<s>.loadbalancer.server.port`):
 *   a rule made of `Host(...)` and `PathPrefix(...)` joined by `&&` (hosts may be alternatives joined by `||`)
 *   becomes Ingress rules of the labelled service, the lowest layer below kompose labels and x-k8s. Any other
 *   matcher (Path, Headers, HostRegexp, Query, `!`...) has no Ingress rule: reported.
 * - ofelia jobs (`ofelia.job-exec.<job>.schedule|command`, `ofelia.job-run.<job>.schedule|image|command`).
 *   ofelia schedules are robfig/cron specs with a seconds field, or `@every <duration>`; `cronSchedule` maps
 *   the ones a Kubernetes CronJob can express (minute granularity).
 */
import type { Service } from '../../model/types.js';
import type { IngressOverride, IngressRuleOverride } from './overrides-types.js';

export interface TraefikRouter {
  router: string;
  /** The label holding the rule. */
  label: string;
  rule: string;
  /** The Ingress rules it becomes, or why it cannot. */
  rules?: IngressRuleOverride[];
  why?: string;
  /** The rule excludes requests (`!PathPrefix(...)`): an Ingress cannot. */
  negated?: string[];
  /** The Traefik service the router names (`traefik.http.routers.<r>.service`), if set. */
  service?: string;
  tls: boolean;
}

const ROUTER_RULE = /^traefik\.http\.routers\.([^.]+)\.rule$/;
const MATCHER = /^(Host|HostRegexp|PathPrefix|Path)\(\s*((?:`[^`]*`\s*,?\s*)+)\)$/;

/** A HostRegexp that matches every host (`^.+$`, `.*`, Traefik v2's `{host:.+}`): the same as no Host condition. */
const ANY_HOST = /^\^?(\.[+*]|\{[a-z]+:\.[+*]\})\$?$/i;

/**
 * The `Host(`a`) && PathPrefix(`/b`)` subset of a Traefik rule as Ingress rules, or why not. `Path` is an exact
 * path (`pathType: Exact`); a `HostRegexp` that matches any host is a rule without host.
 */
export function parseTraefikRule(rule: string): { rules: IngressRuleOverride[] } | { why: string; negated?: string[] } {
  const hosts: string[] = [];
  let anyHost = false;
  let path: string | undefined;
  let exact = false;
  for (const raw of rule.split('&&')) {
    let part = raw.trim();
    if (part.startsWith('(') && part.endsWith(')')) part = part.slice(1, -1).trim();
    const alts = part.split('||').map((x) => x.trim());
    const found = alts.map((a) => MATCHER.exec(a));
    const bad = alts.find((_, i) => !found[i]);
    if (bad !== undefined) {
      const negated = rule
        .split('&&')
        .map((x) => x.trim())
        .filter((x) => x.startsWith('!'));
      return {
        why: `matcher ${bad || '(empty)'} has no Ingress equivalent`,
        ...(negated.length ? { negated } : {}),
      };
    }
    const kinds = new Set(
      found.map((m) => (m![1] === 'HostRegexp' ? 'Host' : m![1] === 'Path' ? 'PathPrefix' : m![1])),
    );
    if (kinds.size > 1) return { why: `${part} mixes hosts and paths in one alternative` };
    const values = found.flatMap((m) => [...m![2]!.matchAll(/`([^`]*)`/g)].map((x) => x[1]!));
    if (kinds.has('Host')) {
      if (hosts.length || anyHost) return { why: 'more than one Host condition joined by &&' };
      for (const m of found)
        if (m![1] === 'HostRegexp') {
          const re = [...m![2]!.matchAll(/`([^`]*)`/g)].map((x) => x[1]!);
          if (!re.every((r) => ANY_HOST.test(r))) return { why: `matcher ${m![0]} has no Ingress equivalent` };
          anyHost = true;
        } else hosts.push(...[...m![2]!.matchAll(/`([^`]*)`/g)].map((x) => x[1]!));
      if (anyHost) hosts.length = 0; // any host wins over the alternatives
    } else {
      if (path !== undefined || values.length !== 1) return { why: 'more than one path prefix' };
      path = values[0]!;
      exact = found[0]![1] === 'Path';
    }
  }
  if (path !== undefined && !path.startsWith('/')) return { why: `path ${path} does not start with /` };
  const list = hosts.length ? hosts : [undefined];
  return {
    rules: list.map((h) => ({ ...(h ? { host: h } : {}), ...(path ? { path } : {}), ...(exact ? { exact } : {}) })),
  };
}

/** Routers of a service whose labels say Traefik should route to it (`traefik.enable` not false). */
export function traefikRouters(svc: Service): TraefikRouter[] {
  if (/^false$/i.test(svc.labels['traefik.enable'] ?? '')) return [];
  const out: TraefikRouter[] = [];
  for (const [label, rule] of Object.entries(svc.labels)) {
    const m = ROUTER_RULE.exec(label);
    if (!m) continue;
    const router = m[1]!;
    const tls =
      /^true$/i.test(svc.labels[`traefik.http.routers.${router}.tls`] ?? '') ||
      svc.labels[`traefik.http.routers.${router}.tls.certresolver`] !== undefined;
    const parsed = parseTraefikRule(String(rule));
    const service = svc.labels[`traefik.http.routers.${router}.service`];
    out.push({ router, label, rule: String(rule), tls, ...parsed, ...(service ? { service: String(service) } : {}) });
  }
  return out.sort((a, b) => (a.router < b.router ? -1 : a.router > b.router ? 1 : 0));
}

/** A router to one of Traefik's own services (`api@internal`: its dashboard and API), not to the container. */
export function isInternal(r: TraefikRouter): boolean {
  return r.service?.endsWith('@internal') ?? false;
}

/** The Ingress a service's Traefik routers ask for (hosts and paths, the load balancer port), if any. */
export function traefikIngress(svc: Service): IngressOverride | undefined {
  const rules = traefikRouters(svc)
    .filter((r) => !isInternal(r))
    .flatMap((r) => r.rules ?? []);
  if (!rules.length) return undefined;
  const portLabel = Object.keys(svc.labels)
    .filter((k) => /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/.test(k))
    .sort()[0];
  const port = portLabel ? Number(svc.labels[portLabel]) : undefined;
  return {
    enabled: true,
    rules,
    hosts: [...new Set(rules.map((r) => r.host).filter((h): h is string => !!h))],
    ...(port !== undefined && Number.isInteger(port) && port > 0 ? { port } : {}),
  };
}

export interface OfeliaJob {
  type: 'job-exec' | 'job-run' | 'job-local' | 'job-service-run';
  name: string;
  schedule?: string;
  command?: string;
  image?: string;
  /** `container`: the container a job-exec on the ofelia service itself runs in. */
  container?: string;
  /** `no-overlap=true`: a run is skipped while the previous one still runs. */
  noOverlap?: boolean;
  user?: string;
  /** The label the job is reported at (its schedule, else its first label). */
  label: string;
}

const OFELIA = /^ofelia\.(job-exec|job-run|job-local|job-service-run)\.([^.]+)\.(.+)$/;

/** ofelia jobs declared in a service's labels. */
export function ofeliaJobs(svc: Service): OfeliaJob[] {
  const jobs = new Map<string, OfeliaJob>();
  for (const label of Object.keys(svc.labels).sort()) {
    const m = OFELIA.exec(label);
    if (!m) continue;
    const type = m[1] as OfeliaJob['type'];
    const id = `${type}.${m[2]}`;
    const job = jobs.get(id) ?? { type, name: m[2]!, label };
    const v = String(svc.labels[label]);
    if (m[3] === 'schedule') {
      job.schedule = v;
      job.label = label;
    } else if (m[3] === 'command') job.command = v;
    else if (m[3] === 'image') job.image = v;
    else if (m[3] === 'container') job.container = v;
    else if (m[3] === 'user') job.user = v;
    else if (m[3] === 'no-overlap') job.noOverlap = /^true$/i.test(v);
    jobs.set(id, job);
  }
  return [...jobs.values()];
}

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '@yearly',
  '@annually': '@yearly',
  '@monthly': '@monthly',
  '@weekly': '@weekly',
  '@daily': '@daily',
  '@midnight': '@daily',
  '@hourly': '@hourly',
};

/** An ofelia (robfig/cron with seconds) schedule as a Kubernetes CronJob schedule, or why it has none. */
export function cronSchedule(spec: string): { cron: string } | { why: string } {
  const s = spec.trim();
  if (DESCRIPTORS[s]) return { cron: DESCRIPTORS[s] };
  const every = /^@every\s+(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(s);
  if (every && (every[1] || every[2] || every[3])) {
    const sec = Number(every[1] ?? 0) * 3600 + Number(every[2] ?? 0) * 60 + Number(every[3] ?? 0);
    if (sec % 60)
      return { why: `@every ${sec}s is not a whole number of minutes (CronJobs run at most once a minute)` };
    const min = sec / 60;
    if (min === 1) return { cron: '* * * * *' };
    if (min < 60 && 60 % min === 0) return { cron: `*/${min} * * * *` };
    if (min % 60 === 0 && 24 % (min / 60) === 0) return { cron: min === 1440 ? '0 0 * * *' : `0 */${min / 60} * * *` };
    return { why: `every ${min} minutes does not divide an hour or a day evenly, so no cron expression repeats it` };
  }
  if (s.startsWith('@')) return { why: `${s} is not a schedule a CronJob knows` };
  const fields = s.split(/\s+/).map((f) => (f === '?' ? '*' : f));
  if (fields.length === 5) return { cron: fields.join(' ') };
  if (fields.length === 6) {
    if (fields[0] === '0') return { cron: fields.slice(1).join(' ') };
    return { why: `the seconds field ${fields[0]} cannot be kept: CronJobs start on whole minutes` };
  }
  return { why: `${s} has ${fields.length} fields (expected 6, with seconds, or 5)` };
}
