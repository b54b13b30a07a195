/**
 * A Traefik router rule (`Host(`a`) && PathPrefix(`/b`)`) read as the Ingress rules it can be, the paths and headers
 * it excludes, and what no rule can say (routing.ts reads each router's rule with it).
 */
import type { HeaderMatch, IngressRuleOverride } from '../overrides-types.js';

/** A path a Traefik rule excludes (`!PathPrefix(`/v1`)`, `!Path(`/x`)`). */
export interface TraefikExclusion {
  path: string;
  exact: boolean;
  /** The negated matcher as written. */
  text: string;
}

const MATCHER = /^(Host|HostRegexp|PathPrefix|Path)\(\s*((?:`[^`]*`\s*,?\s*)+)\)$/;

/** A HostRegexp that matches every host (`^.+$`, `.*`, Traefik v2's `{host:.+}`): the same as no Host condition. */
const ANY_HOST = /^\^?(\.[+*]|\{[a-z]+:\.[+*]\})\$?$/i;

export type ParsedRule =
  | {
      rules: IngressRuleOverride[];
      excluded?: TraefikExclusion[];
      unexpressed?: string[];
      excludedHeaders?: Array<HeaderMatch & { text: string }>;
    }
  | { why: string };

/** A header matcher (Traefik v3 `Header`/`HeaderRegexp`, v2 `Headers`/`HeadersRegexp`). */
const HEADER = /^(Header|HeaderRegexp|Headers|HeadersRegexp)\(\s*`([^`]+)`\s*,\s*`([^`]*)`\s*\)$/;
/** A header name an HTTPRoute accepts (RFC 7230 token). */
export const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,256}$/;

/**
 * The `Host(`a`) && PathPrefix(`/b`)` subset of a Traefik rule as Ingress rules, or why not. `Path` is an exact
 * path (`pathType: Exact`); a `HostRegexp` that matches any host is a rule without host. Negated terms joined by
 * `&&` do not stop the rule: a negated path or header is an exclusion (other routers take it, see `traefikRouting`),
 * any other negated matcher is listed as unexpressed.
 */
export function parseTraefikRule(rule: string): ParsedRule {
  const hosts: string[] = [];
  let anyHost = false;
  let path: string | undefined;
  let exact = false;
  const excluded: TraefikExclusion[] = [];
  const unexpressed: string[] = [];
  const excludedHeaders: Array<HeaderMatch & { text: string }> = [];
  for (const raw of rule.split('&&')) {
    let part = raw.trim();
    if (part.startsWith('!')) {
      const m = MATCHER.exec(part.slice(1).trim());
      const values = m ? [...m[2]!.matchAll(/`([^`]*)`/g)].map((x) => x[1]!) : [];
      const h = HEADER.exec(part.slice(1).trim());
      if (m && (m[1] === 'PathPrefix' || m[1] === 'Path') && values.every((v) => v.startsWith('/')))
        for (const v of values) excluded.push({ path: v, exact: m[1] === 'Path', text: part });
      else if (h && HEADER_NAME.test(h[2]!))
        excludedHeaders.push({ name: h[2]!, value: h[3]!, regex: h[1]!.endsWith('Regexp'), text: part });
      else unexpressed.push(part);
      continue;
    }
    if (part.startsWith('(') && part.endsWith(')')) part = part.slice(1, -1).trim();
    const alts = part.split('||').map((x) => x.trim());
    const found = alts.map((a) => MATCHER.exec(a));
    const bad = alts.find((_, i) => !found[i]);
    if (bad !== undefined) return { why: `matcher ${bad || '(empty)'} has no Ingress equivalent` };
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
  const list = [...new Set(hosts.length ? hosts : [undefined])];
  return {
    rules: list.map((h) => ({ ...(h ? { host: h } : {}), ...(path ? { path } : {}), ...(exact ? { exact } : {}) })),
    ...(excluded.length ? { excluded } : {}),
    ...(unexpressed.length ? { unexpressed } : {}),
    ...(excludedHeaders.length ? { excludedHeaders } : {}),
  };
}
