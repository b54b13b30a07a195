/**
 * Values that point a browser at `localhost:<published port>` (NEXTAUTH_URL, PUBLIC_URI, CORS origins...)
 * and settings that advertise the app's own address (KAFKA_ADVERTISED_LISTENERS, *_PUBLIC_IP...).
 *
 * In compose the browser reaches a published port on the Docker host as `localhost:PORT`; converted, an
 * HTTP port is reached through the Ingress host and other ports through the LoadBalancer's address. A
 * `localhost:PORT` URL whose port is routed by the Ingress is rewritten to the Ingress URL when
 * `--ingress-host` is given (and reported), otherwise reported with the address to use. Advertised
 * addresses are reported: only the load balancer, once created, knows its address. A URL naming such a routed port on
 * the Docker host's public name (`https://${DOMAIN}:8666`) is reported too: the Ingress answers on 80/443 only.
 *
 * This step only decides values; env.ts stores them.
 */
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { httpRoutes, publishedStart } from '../plan/ports.js';
import { FactKey } from '../facts.js';
import { effectiveOptions } from '../intent/overrides.js';
import { routeHosts, routeKey } from '../objects/ingress.js';

/** Published host port → where that port is reached after conversion, for every service, found once. */
interface Published {
  service: string;
  /** Ingress host of the port when it is an HTTP route (undefined: routed without a host, or not routed). */
  host?: string;
  routed: boolean;
}

/** The published ports by host port, computed once per project. */
const PUBLISHED = new FactKey<Map<number, Published>>();

function publishedPorts(ctx: ConvertContext): Map<number, Published> {
  const out = new Map<number, Published>();
  const routes = httpRoutes(ctx);
  const hosts = routeHosts(ctx);
  for (const r of routes) {
    const pub = publishedStart(r.port);
    if (pub === undefined || out.has(pub)) continue;
    out.set(pub, { service: r.service.name, host: hosts.get(routeKey(r)), routed: true });
  }
  for (const name of Object.keys(ctx.project.services).sort()) {
    for (const p of ctx.project.services[name]!.ports) {
      const pub = publishedStart(p);
      if (pub !== undefined && !out.has(pub)) out.set(pub, { service: name, routed: false });
    }
  }
  return out;
}

/**
 * `http://localhost:3000`, `localhost:3000`, `127.0.0.1:3000`, `[::1]:3000`, with an optional scheme; with a scheme
 * the port may be left out (`http://localhost` is port 80, `https://localhost` 443). Not `localhost.example.com`.
 */
const LOCAL_URL = /\b(?:(https?|wss?):\/\/)?(?:localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?(?![\w-]|\.\w)/g;

/** The port a LOCAL_URL match names: its own, else its scheme's default; undefined for a bare host name. */
function urlPort(scheme: string | undefined, port: string | undefined): number | undefined {
  if (port !== undefined) return Number(port);
  if (scheme === undefined) return undefined;
  return scheme === 'https' || scheme === 'wss' ? 443 : 80;
}

/** `https://app.example.com:8666`: a URL naming a port on some host (localhost ones are LOCAL_URL's). */
const PORT_URL = /\b(?:https?|wss?):\/\/([A-Za-z0-9.-]+):(\d{1,5})\b/g;

/**
 * The published ports an Ingress now routes that a URL of `value` names on a host that is no compose service (the
 * Docker host's public name, as `https://${DOMAIN}:8666`; not a bind address such as 0.0.0.0): the Ingress answers on
 * 80/443 only, so nothing answers there.
 */
function movedPorts(ctx: ConvertContext, value: string, published: Map<number, Published>): Published[] {
  const out: Published[] = [];
  for (const m of value.matchAll(PORT_URL)) {
    const host = m[1]!.toLowerCase();
    const port = Number(m[2]);
    const p = published.get(port);
    if (
      p?.routed &&
      port !== 80 &&
      port !== 443 &&
      !(host in ctx.project.services) &&
      !/^(localhost|127\.|0\.0\.0\.0$)/.test(host)
    )
      out.push(p);
  }
  return out;
}

/** Names whose value is the app's own address as others must dial it. */
const ADVERTISE_NAME = /(^|_)(ADVERTISE[A-Z]*|ADVERTISED_[A-Z_]*|PUBLIC_IP|EXTERNAL_HOST)(_|$)/;

export interface LocalUrls {
  /** The environment with localhost URLs rewritten where that was possible. */
  environment: Record<string, string>;
  /** Reports what was found; called once the environment's own entries exist (it only downgrades them). */
  report: () => void;
}

/** Every address in the value is a compose service name: peers in the cluster resolve it, nothing to change. */
function peersOnly(ctx: ConvertContext, value: string): boolean {
  const hosts = value
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((a) => a.replace(/^[A-Za-z0-9_+.-]*:\/\//, '').replace(/:\d+\/?$/, ''));
  return hosts.length > 0 && hosts.every((h) => h in ctx.project.services);
}

function scheme(s: string | undefined, tls: boolean): string {
  if (s?.startsWith('ws')) return tls ? 'wss' : 'ws';
  return tls ? 'https' : 'http';
}

/** Rewrite or report localhost URLs in `svc`'s environment; report advertised-address settings. */
export function localUrls(ctx: ConvertContext, svc: Service, env: Record<string, string>): LocalUrls {
  const opts = effectiveOptions(ctx);
  const given = opts.ingressHost;
  const tls = !!opts.ingressTlsSecret;
  // A route without a host answers on the address of whatever routes it (ingress controller or Gateway).
  const anyHost = opts.ingress === 'gateway' ? '<gateway address>' : '<ingress address>';
  const published = ctx.facts.get(PUBLISHED, () => publishedPorts(ctx));
  const out: Record<string, string> = {};
  const later: Array<() => void> = [];
  for (const [k, v] of Object.entries(env)) {
    const pos = ctx.project.sources.exact('services', svc.name, 'environment', k);
    const at = { pos };
    let changed = false;
    // The published ports the value points at.
    const found: Published[] = [];
    const next = v.replace(LOCAL_URL, (all: string, sch: string | undefined, port: string | undefined) => {
      const n = urlPort(sch, port);
      const p = n === undefined ? undefined : published.get(n);
      if (!p) return all; // not a published port: the container's own loopback, which still works in the pod
      found.push(p);
      if (!given || !p.routed || !p.host) return all;
      changed = true;
      return sch || /url|uri|origin|host/i.test(k) ? `${scheme(sch, tls)}://${p.host}` : p.host;
    });
    out[k] = next;
    const moved = found.length ? [] : movedPorts(ctx, v, published);
    if (moved.length) {
      const address = moved.map((p) => `${scheme(undefined, tls)}://${p.host ?? anyHost}`).join(', ');
      const values = { name: k, value: v, services: moved.map((p) => p.service).join(', '), address };
      later.push(() => ctx.downgrade(svc.name, `environment.${k}`, 'environment.published-port-url', values, at));
      continue;
    }
    if (!found.length) {
      // An advertised address without a localhost port (an IP, a hostname) must become the LB's address too.
      if (
        ADVERTISE_NAME.test(k.toUpperCase()) &&
        svc.ports.some((p) => publishedStart(p) !== undefined) &&
        !peersOnly(ctx, v)
      )
        later.push(() =>
          ctx.downgrade(svc.name, `environment.${k}`, 'environment.advertised-address', { name: k, value: v }, at),
        );
      continue;
    }
    if (changed) {
      later.push(() =>
        ctx.downgrade(
          svc.name,
          `environment.${k}`,
          'environment.localhost-url-rewritten',
          { name: k, from: v, to: next },
          at,
        ),
      );
    } else {
      const routedHosts = found.map((p) => (p.routed ? `${scheme(undefined, tls)}://${p.host ?? anyHost}` : undefined));
      const allRouted = routedHosts.every((h) => h !== undefined);
      const where = allRouted
        ? routedHosts.join(', ')
        : `the LoadBalancer address of ${found.map((p) => p.service).join(', ')}`;
      const values = {
        name: k,
        value: v,
        address: where,
        hint: given || !allRouted ? 'ingress-host.none' : 'ingress-host.hint',
      };
      later.push(() => ctx.downgrade(svc.name, `environment.${k}`, 'environment.localhost-url', values, at));
    }
  }
  return { environment: out, report: () => later.forEach((f) => f()) };
}
