/**
 * Report accounting for corpus case sets: the service keys the user wrote (read from the compose files
 * the loader read, not from the model) that have no report entry, and the `unsupported` entries by key.
 */
import { parse } from 'yaml';
import type { LoadResult } from '../../src/load/api.js';
import { isEmptyDefault } from '../../src/convert/finish/coverage.js';
import type { Report } from '../../src/report/entry.js';

/** Keys the loader resolves itself: they never reach the converter, so the report cannot name them. */
const RESOLVED_BY_LOADER = new Set(['extends']);

function mapping(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * A value that changes nothing (`depends_on: {}`, `networks: [default]`): the coverage pass skips it by the
 * same rule (isEmptyDefault), so the report need not name it. Short-syntax lists become maps for the rule.
 */
function isNoOp(key: string, value: unknown): boolean {
  if (value === null) return true;
  const v =
    Array.isArray(value) && value.every((x) => typeof x === 'string')
      ? Object.fromEntries(value.map((x) => [x, {}]))
      : value;
  return isEmptyDefault(key, v);
}

/** service → keys written for it in any compose file the load read (env files and the like are skipped). */
export function writtenServiceKeys(r: LoadResult): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [path, text] of r.sources) {
    if (!/\.ya?ml$/.test(path)) continue;
    let doc: unknown;
    try {
      doc = parse(text, { logLevel: 'silent', maxAliasCount: -1, merge: true });
    } catch {
      continue;
    }
    const services = mapping(mapping(doc)?.['services']);
    if (!services) continue;
    for (const [name, def] of Object.entries(services)) {
      const keys = out.get(name) ?? new Set<string>();
      for (const [k, v] of Object.entries(mapping(def) ?? {}))
        if (!RESOLVED_BY_LOADER.has(k) && !isNoOp(k, v)) keys.add(k);
      out.set(name, keys);
    }
  }
  return out;
}

/**
 * `service: key` for every key written for a converted service that the report does not account for
 * (no entry for the key itself or a key below it).
 */
export function unreportedServiceKeys(r: LoadResult, report: Report): string[] {
  const services = new Set(Object.keys(r.project?.services ?? {}));
  const reported = new Map<string, string[]>();
  for (const e of report.entries)
    if (e.service !== undefined) reported.set(e.service, [...(reported.get(e.service) ?? []), e.key]);
  const missing: string[] = [];
  for (const [svc, keys] of writtenServiceKeys(r)) {
    if (!services.has(svc)) continue;
    const have = reported.get(svc) ?? [];
    for (const k of keys) if (!have.some((h) => h === k || h.startsWith(`${k}.`))) missing.push(`${svc}: ${k}`);
  }
  return missing.sort();
}

const TOP_GROUPS = new Set(['volumes', 'networks', 'secrets', 'configs']);

/** The key an `unsupported` entry counts under: top-level resource names become `*` (`volumes.*.driver`). */
export function unsupportedKey(e: { service?: string; key: string }): string {
  const segs = e.key.split('.');
  if (e.service === undefined && TOP_GROUPS.has(segs[0]!) && segs.length > 1) segs[1] = '*';
  return e.service === undefined ? `(top) ${segs.join('.')}` : segs.join('.');
}
