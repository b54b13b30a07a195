/**
 * Kubernetes names: DNS-1123 labels (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters).
 * `Web_Frontend.v2` → `web-frontend-v2`; longer than the limit → cut, with a short stable hash
 * of the original so two long names stay distinct.
 */
import { fnv1a32 } from '../util/hash.js';

/** FNV-1a 32-bit hash as 6 base-36 characters: short, stable, no crypto needed. */
export function shortHash(s: string): string {
  return fnv1a32(s).toString(36).padStart(7, '0').slice(-6);
}

/** `raw` lower-cased, each run of other characters than `[a-z0-9]` one `-`, none at either end. */
function hyphenated(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function dns1123Label(raw: string, max = 63): string {
  let s = hyphenated(raw);
  if (s === '') s = 'x-' + shortHash(raw);
  if (s.length > max) {
    const h = shortHash(raw);
    s = s.slice(0, max - h.length - 1).replace(/-+$/g, '') + '-' + h;
  }
  return s;
}

/**
 * A name that must also be a DNS-1035 label (Service names, Helm chart names): a DNS-1123 label that starts with a
 * letter. One that would start with a digit (`2fa`) gets `prefix-` before it (`svc-2fa`).
 */
export function letterFirstLabel(raw: string, prefix: string, max = 63): string {
  const s = dns1123Label(raw, max);
  return /^[a-z]/.test(s) ? s : dns1123Label(`${prefix}-${s}`, max);
}

/** A Kubernetes Service name for `raw` (`2fa` → `svc-2fa`). */
export function serviceLabel(raw: string, max = 63): string {
  return letterFirstLabel(raw, 'svc', max);
}

/** The group of NameRegistry whose names are Kubernetes Service names (DNS-1035 labels). */
export const SERVICE_GROUP = 'service';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

/** DNS-1123 subdomain (ConfigMap/Secret names may contain dots): `[a-z0-9]([-a-z0-9.]*[a-z0-9])?`, ≤ 253. */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);
}

/** Label values: ≤ 63, `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?` or empty. */
export function isLabelValue(s: string): boolean {
  return s.length <= 63 && /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(s);
}

/** `raw` as a label value (isLabelValue): other characters become `-`, a long one is cut with a hash. */
export function labelValue(raw: string): string {
  let s = raw.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (s.length > 63) {
    const h = shortHash(raw);
    s = s.slice(0, 63 - h.length - 1).replace(/[^A-Za-z0-9]+$/g, '') + '-' + h;
  }
  return s;
}

/** Container port names: IANA_SVC_NAME, ≤ 15 chars, lowercase alnum and '-', at least one letter, no '--'. */
export function portName(raw: string): string {
  let s = hyphenated(raw);
  if (!/[a-z]/.test(s)) s = 'p-' + s;
  if (s.length > 15) s = s.slice(0, 15).replace(/-+$/g, '');
  return s;
}

/**
 * Hands out unique names per kind-group. The first to ask for a sanitized name gets it; a later
 * different source that sanitizes to the same name gets `-2`, `-3`... Callers must ask in a
 * deterministic order (sorted service names) so output is stable.
 */
export class NameRegistry {
  /**
   * Per group: the names handed out (name → original) and the reverse (original → name, so a repeated ask is O(1),
   * not a scan). One group lookup per ask: the service group alone is asked ~30 times per service.
   */
  readonly #groups = new Map<string, { taken: Map<string, string>; given: Map<string, string> }>();
  /** (group, original) pairs that collided: reported by the caller. */
  readonly collisions: Array<{ group: string; original: string; name: string; clashedWith: string }> = [];

  /** `proposed` (optional) is sanitized instead of `original` when the identity key is not the wanted name. */
  get(group: string, original: string, max = 63, proposed?: string): string {
    let g = this.#groups.get(group);
    if (!g) this.#groups.set(group, (g = { taken: new Map(), given: new Map() }));
    const known = g.given.get(original);
    if (known !== undefined) return known;
    const raw = proposed ?? original;
    const base = group === SERVICE_GROUP ? serviceLabel(raw, max) : dns1123Label(raw, max);
    let name = base;
    for (let i = 2; g.taken.has(name); i++) {
      const suffix = `-${i}`;
      name = base.slice(0, max - suffix.length).replace(/-+$/g, '') + suffix;
    }
    if (name !== base) this.collisions.push({ group, original, name, clashedWith: g.taken.get(base)! });
    g.taken.set(name, original);
    g.given.set(original, name);
    return name;
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The Helm chart's values key for `raw` (a Go template field name): as is when it is one, else camelCase of its
 * alphanumeric parts (`superset-init` → `supersetInit`).
 */
export function valuesKey(raw: string): string {
  if (IDENT.test(raw)) return raw;
  const parts = raw.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (parts.length === 0) return 'x';
  const s = parts
    .map((p, i) => (i === 0 ? p.charAt(0).toLowerCase() + p.slice(1) : p.charAt(0).toUpperCase() + p.slice(1)))
    .join('');
  return /^[0-9]/.test(s) ? `v${s}` : s;
}

/** The init container a permission helper (a compose service that chowns a volume) becomes in its users' pods. */
const PERMS_PREFIX = 'perms-';
export function permsInitName(helper: string): string {
  return dns1123Label(`${PERMS_PREFIX}${helper}`);
}

/** The DNS name of the compose service a permission helper's init container stands for (undefined: none). */
export function permsHelperOf(container: string): string | undefined {
  return container.startsWith(PERMS_PREFIX) ? container.slice(PERMS_PREFIX.length) : undefined;
}
