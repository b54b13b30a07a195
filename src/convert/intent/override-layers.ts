/**
 * How the dialects' settings layer into one override shape (overrides.ts): a later dialect's fields win over an
 * earlier one's (DIALECT_ORDER: `x-k8s` over kompose labels), and Traefik router labels are the lowest layer of a
 * service's ingress. Each dialect puts its own layer over the ones below (intent/dialect.ts `service`, `volume`,
 * `project`, `ingress`), so this is dialect code: without a dialect there is nothing to layer, and the lean entry
 * does not bundle it.
 */
import type { IngressOverride, ServiceOverrides } from './overrides-types.js';

/** Field-wise merge: `hi` wins; nested plain objects (not arrays) merge one level deeper. */
export function layer<T extends object>(lo: T, hi: T): T {
  const out: Record<string, unknown> = { ...(lo as Record<string, unknown>) };
  for (const [k, v] of Object.entries(hi)) {
    const prev = out[k];
    out[k] = isPlain(prev) && isPlain(v) ? layer<Record<string, unknown>>(prev, v) : v;
  }
  return out as T;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A service's settings `hi` (a later dialect, e.g. x-k8s) over `lo` (e.g. the kompose labels). */
export function overService(lo: ServiceOverrides, hi: ServiceOverrides): ServiceOverrides {
  const o = layer(lo, hi);
  // A probe chosen in x-k8s replaces the label's action as a whole, but keeps its timing unless set.
  for (const k of ['readiness', 'liveness', 'startup'] as const) {
    const h = hi[k];
    if (h?.type && lo[k]?.type && h.type !== lo[k]!.type) {
      const { command: _c, path: _p, port: _n, ...timing } = lo[k]!;
      o[k] = { ...timing, ...h };
    }
  }
  // x-k8s ingress without hosts (e.g. only `class`) keeps the hosts of the kompose label.
  if (hi.ingress && lo.ingress && !hi.ingress.rules.length) {
    o.ingress = { ...o.ingress!, rules: lo.ingress.rules, hosts: lo.ingress.hosts };
  }
  return o;
}

/**
 * Traefik's ingress (`fromTraefik`) as the lowest layer of `o`, the service's other settings: its hosts and paths
 * unless kompose/x-k8s set their own. Changes and returns `o`.
 */
export function ingressUnder(o: ServiceOverrides, fromTraefik: IngressOverride | undefined): ServiceOverrides {
  if (fromTraefik && o.ingress?.enabled !== false && !o.ingress?.rules.length)
    o.ingress = { ...fromTraefik, ...o.ingress, rules: fromTraefik.rules, hosts: fromTraefik.hosts, enabled: true };
  // Hosts of its own still go to the port Traefik's labels name, unless it names one too.
  else if (fromTraefik?.port !== undefined && o.ingress?.enabled && o.ingress.port === undefined)
    o.ingress = { ...o.ingress, port: fromTraefik.port };
  return o;
}
