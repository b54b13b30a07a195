/**
 * Port naming and classification shared by Services and Ingress. The container port name is the
 * contract between a container and the Service that targets it (`targetPort: <name>`): services.ts
 * reads the names from the built containers and only falls back to `containerPortName` for a
 * container that has none yet. `httpRoutes` is the one list deciding Ingress vs `<svc>-public`.
 */
import type { Service, ServicePort } from '../../model/types.js';
import { portName } from '../../kube/naming.js';
import type { ConvertContext } from '../context.js';
import { FactKey } from '../facts.js';
import { serviceOverrides } from '../intent/overrides.js';
import { reachOf } from '../network/reach.js';
import { dialects } from '../intent/dialect.js';
import type { PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import type { MessageValues } from '../../report/template.js';

/**
 * Name of a container port: `<proto>-<port>` (`tcp-8080`, `udp-53`), or a sanitized compose `name`
 * when one was given and is free. Names are IANA_SVC_NAME (≤ 15 chars, lowercase alnum and '-',
 * at least one letter). The result is added to `usedNames` (shared by all containers of a pod:
 * named ports must be unique in a pod); a clash gets `-2`, `-3`...
 */
export function containerPortName(port: number, protocol: string, usedNames: Set<string>, preferred?: string): string {
  const base = portName(`${protocol || 'tcp'}-${port}`);
  for (const c of preferred ? [portName(preferred), base] : [base])
    if (!usedNames.has(c)) {
      usedNames.add(c);
      return c;
    }
  for (let i = 2; ; i++) {
    const suffix = `-${i}`;
    const name = base.slice(0, 15 - suffix.length).replace(/-+$/g, '') + suffix;
    if (!usedNames.has(name)) {
      usedNames.add(name);
      return name;
    }
  }
}

/**
 * Ports that are conventionally plain HTTP when published. Kept conservative: ports commonly used by
 * non-HTTP protocols (5432, 6379, 3306, 27017, 9092, 5672, 1883...) are absent; 9000 is absent
 * because MinIO/php-fpm/SonarQube disagree about what it speaks. TLS ports (443, 8443) are absent on
 * purpose: an Ingress would send plain HTTP to a container that expects TLS, so they stay TCP
 * (passed through a `<svc>-public` Service; the container keeps terminating TLS).
 */
export const HTTP_PORTS: ReadonlySet<number> = new Set([
  80, 3000, 4200, 5000, 5173, 5601, 8000, 8008, 8080, 8081, 8088, 8501, 8888, 9090, 15672,
]);

/**
 * Well-known container ports of non-HTTP protocols (databases, brokers, mail, SSH...). A published
 * port never makes them HTTP: `5000:5432` or `8080:6379` only moves postgres or redis to another
 * host port, and an HTTP Ingress in front of them could not carry their protocol.
 */
export const NON_HTTP_PORTS: ReadonlySet<number> = new Set([
  21, 22, 23, 25, 53, 110, 143, 389, 465, 587, 636, 993, 995, 1433, 1521, 1883, 2181, 3306, 4222, 5432, 5671, 5672,
  6379, 6380, 8883, 9042, 9092, 11211, 26257, 27017, 28015,
]);

/** Ports that carry TLS: never routed through an Ingress. */
export const TLS_PORTS: ReadonlySet<number> = new Set([443, 8443, 9443]);

/**
 * The TLS ports a web server serves beside its plain port (80 → 443): a service that publishes both terminates TLS
 * itself, and its plain port commonly redirects to the TLS one, or answers the ACME http-01 challenge for the TLS
 * port's certificate (nextcloud-aio: 80 beside 8443). An Ingress for the plain port and a LoadBalancer for the TLS
 * port would split one site over two addresses (a redirect loop through the Ingress, no plain HTTP on the
 * LoadBalancer, a certificate never issued), so both go to the LoadBalancer. Port 80 pairs with any TLS port.
 */
const TLS_PAIR: Readonly<Record<number, readonly number[]>> = { 80: [...TLS_PORTS], 8080: [8443] };

/** `app_protocol` values that are plain HTTP (an Ingress can carry them). */
const HTTP_APP_PROTOCOLS: ReadonlySet<string> = new Set([
  'http',
  'http2',
  'h2c',
  'ws',
  'kubernetes.io/h2c',
  'kubernetes.io/ws',
]);

/** Label that forces (`"true"`) or suppresses (`"false"`) HTTP classification for a service's ports. */
export const HTTP_LABEL = 'compose2k8s.http';

/**
 * A port's classification and why: `reason` is a phrase of report.yaml (`port.*`), worded with `values` (which a
 * report entry naming the reason carries beside its own; `target` and `pub` are the port's, as in those entries).
 */
export type PortClass = { http: boolean; reason: PhraseId; values: MessageValues };

/** First published host port as a number (`"8080"` → 8080; `"8000-8010"` → 8000; absent → undefined). */
export function publishedStart(p: ServicePort): number | undefined {
  const n = Number(p.published?.split('-')[0]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** True when `published` is a host port range (`8000-8010`) rather than one port. */
export function isPublishedRange(p: ServicePort): boolean {
  if (p.published === undefined) return false;
  const [a, b] = p.published.split('-');
  return b !== undefined && a !== b;
}

/** True when the port is bound to the loopback interface only (`127.0.0.1:8080:80`, `[::1]:...`). */
export function isLoopbackOnly(p: ServicePort): boolean {
  const ip = (p.host_ip ?? '').replace(/^\[|\]$/g, '');
  return ip === '::1' || /^127\./.test(ip) || ip === 'localhost';
}

/** Decide whether a published port is HTTP (→ Ingress) or not (→ `<svc>-public` Service); `httpOverride` from x-k8s wins. */
export function classifyPort(svc: Service, p: ServicePort, httpOverride?: boolean): PortClass {
  const target = p.target;
  if (p.protocol !== 'tcp')
    return { http: false, reason: 'port.protocol', values: { portProtocol: p.protocol.toUpperCase() } };
  if (httpOverride !== undefined) return { http: httpOverride, reason: 'port.x-k8s', values: { http: httpOverride } };
  const label = svc.labels[HTTP_LABEL]?.toLowerCase();
  if (label === 'true') return { http: true, reason: 'port.label-true', values: {} };
  if (label === 'false') return { http: false, reason: 'port.label-false', values: {} };
  const ap = p.app_protocol?.toLowerCase();
  if (ap)
    return {
      http: HTTP_APP_PROTOCOLS.has(ap),
      reason: ap === 'https' || ap === 'wss' ? 'port.app-protocol-tls' : 'port.app-protocol',
      values: { appProtocol: p.app_protocol! },
    };
  if (TLS_PORTS.has(target)) return { http: false, reason: 'port.tls', values: { target } };
  // The first of the pair's TLS ports the service publishes (443 before 8443 for port 80).
  const tls = TLS_PAIR[target]?.find((t) =>
    svc.ports.some(
      (o) => o.target === t && o.protocol === 'tcp' && publishedStart(o) !== undefined && !isLoopbackOnly(o),
    ),
  );
  if (tls !== undefined) return { http: false, reason: 'port.tls-pair', values: { tls, target } };
  if (NON_HTTP_PORTS.has(target)) return { http: false, reason: 'port.non-http', values: { target } };
  const pub = publishedStart(p);
  const web: PortClass | undefined = HTTP_PORTS.has(target)
    ? { http: true, reason: 'port.web-target', values: { target } }
    : pub !== undefined && HTTP_PORTS.has(pub) && !isPublishedRange(p)
      ? { http: true, reason: 'port.web-published', values: { pub } }
      : undefined;
  if (web === undefined) return { http: false, reason: 'port.not-web', values: { target } };
  // logstash `5000:5000/tcp` + `5000:5000/udp`: a port served over both protocols is a raw protocol (log shippers,
  // DNS, syslog, game servers...) that an HTTP Ingress cannot carry; it goes to a LoadBalancer as its UDP twin does.
  if (svc.ports.some((o) => o.protocol === 'udp' && o.target === target))
    return { http: false, reason: 'port.udp-twin', values: { ...web.values, web: web.reason } };
  return web;
}

export interface HttpRoute {
  service: Service;
  port: ServicePort;
  /** Index of the port in `service.ports`; -1 for a port the service does not publish (see `from`). */
  index: number;
  /** Why it is routed: a phrase of report.yaml (`port.*`) and its values, as PortClass. */
  reason: PhraseId;
  reasonValues: MessageValues;
  /**
   * A route to a port the service does not publish (Traefik routes to container ports): where the port comes
   * from (a `loadbalancer.server.port` label, `expose`, peers' references, the image's well-known port).
   */
  from?: string;
}

/** The project's HTTP routes, found once. */
const ROUTES = new FactKey<HttpRoute[]>();

/**
 * Every port the Ingress routes, project-wide (services sorted by name, ports in order): published,
 * not loopback-only, HTTP by classification. x-k8s/kompose `ingress: false` removes a service's
 * routes; `ingress: true` (or hosts) routes its HTTP ports, else its first TCP port. A service Traefik
 * routes to (router labels) or whose ingress names a port needs no published port: its route targets the
 * container port (plan/requested-routes.ts, dialect code).
 */
export function httpRoutes(ctx: ConvertContext): HttpRoute[] {
  return ctx.facts.get(ROUTES, () => findRoutes(ctx));
}

function findRoutes(ctx: ConvertContext): HttpRoute[] {
  const out: HttpRoute[] = [];
  for (const name of Object.keys(ctx.project.services).sort()) {
    const svc = ctx.project.services[name]!;
    const ov = serviceOverrides(ctx, svc);
    if (ov.ingress?.enabled === false) continue;
    const mine: HttpRoute[] = [];
    // A Service type the user chose (kompose.service.type, x-k8s service.type) says how the ports are reached:
    // no Ingress beside it unless one is asked for (kompose.service.expose, x-k8s ingress), as kompose does.
    const typed = ov.serviceType !== undefined && ov.serviceType !== 'None';
    if (!typed || ov.ingress?.enabled === true)
      svc.ports.forEach((p, index) => {
        if (publishedStart(p) === undefined || isLoopbackOnly(p)) return;
        const cls = classifyPort(svc, p, ov.http);
        if (cls.http) mine.push({ service: svc, port: p, index, reason: cls.reason, reasonValues: cls.values });
      });
    if (mine.length === 0 && ov.ingress?.enabled === true) {
      // The ports the requested ingress names, else its first TCP port: only a dialect requests one, and the
      // dialects carry the code (plan/requested-routes.ts).
      const requested = dialects(ctx).find((d) => d.ingressRequest)?.ingressRequest;
      mine.push(...(requested?.routes(ctx, svc, ov.ingress) ?? []));
    }
    out.push(...mine);
  }
  return out;
}

/** The project's HTTP routes by service name, found once. */
const ROUTES_BY_SERVICE = new FactKey<ReadonlyMap<string, HttpRoute[]>>();

/** The HTTP routes of one service (in port order). */
export function routesOf(ctx: ConvertContext, service: string): readonly HttpRoute[] {
  return (
    ctx.facts
      .get(ROUTES_BY_SERVICE, () => {
        const m = new Map<string, HttpRoute[]>();
        for (const r of httpRoutes(ctx)) {
          const list = m.get(r.service.name);
          if (list) list.push(r);
          else m.set(r.service.name, [r]);
        }
        return m;
      })
      .get(service) ?? []
  );
}

export function isRouted(ctx: ConvertContext, svc: Service, index: number): boolean {
  return routesOf(ctx, svc.name).some((r) => r.index === index);
}

/**
 * A port a service is known to serve, and why: a phrase of report.yaml (`served.*`, the value `why`) and its values
 * (`servedAt`: where peers or the service itself name the port).
 */
export interface ServedPort {
  port: number;
  why: Values;
}

/** Ports known to be served by a service, best evidence first, with why (HTTP route, peers, itself, image, its command). */
export function servedPorts(ctx: ConvertContext, svc: Service): ServedPort[] {
  const r = reachOf(ctx, svc.name);
  const out: ServedPort[] = [];
  const add = (port: number, why: Values): void => {
    if (!out.some((o) => o.port === port)) out.push({ port, why });
  };
  for (const route of routesOf(ctx, svc.name)) add(route.port.target, { why: 'served.routed' });
  // A published web port the Service type the user chose exposes instead of an Ingress (findRoutes): as good.
  const ov = serviceOverrides(ctx, svc);
  if (ov.serviceType !== undefined)
    for (const p of svc.ports)
      if (publishedStart(p) !== undefined && !isLoopbackOnly(p) && classifyPort(svc, p, ov.http).http)
        add(p.target, { why: 'served.published' });
  for (const [p, at] of r.referenced) add(p, { why: 'served.referenced', servedAt: at });
  for (const [p, at] of r.self) add(p, { why: 'served.self', servedAt: at });
  for (const p of r.wellKnown) add(p, { why: 'served.well-known' });
  // After the image's: a reconfigured image declares none of those, and one that declares them serves its main one
  // there (minio's API on 9000, not the console its command puts on 9001).
  for (const [p, at] of r.listens) add(p, { why: 'served.listens', servedAt: at });
  return out;
}
