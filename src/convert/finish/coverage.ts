/**
 * The coverage pass: after every converter module ran, each key present in the input that no module
 * reported gets an entry from the mappings table (mappings/*.yaml → src/mappings/table.ts), so the
 * report accounts for every key the user wrote. Then the summary is counted.
 */
import type { ConvertContext } from '../context.js';
import type { Project, Service } from '../../model/types.js';
import { MAPPINGS, type Mapping, type MappingScope } from '../../mappings/table.js';
import { type OutcomeId, type ReportTexts } from '../../mappings/outcomes.js';
import type { Report, ReportEntry, Status } from '../../report/entry.js';
import { dialects } from '../intent/dialect.js';
import { reportDialectsNotLoaded } from './dialects.js';
import type { Values } from '../book.js';

const INDEX = new Map<string, Mapping>(MAPPINGS.map((m) => [`${m.scope}:${m.key}`, m]));

/** The table row for a key (`x-*` keys match the `x-*` row of their scope). */
export function findMapping(scope: MappingScope, key: string): Mapping | undefined {
  return INDEX.get(`${scope}:${key}`) ?? (key.startsWith('x-') ? INDEX.get(`${scope}:x-*`) : undefined);
}

/**
 * `report.unhandled`'s values: the row's note for the message, its hints for the fix (`{target}`, `{rowFix}`).
 * Without the report texts there is no wording to fill: the row's outcome id stands for its note, so the fallback
 * message reads `report.unhandled (note=service.cpus)`.
 */
function unhandledValues(texts: ReportTexts | undefined, row: OutcomeId): Values {
  if (!texts) return { note: row };
  const fix = texts.fixes?.[row];
  return { note: texts.messages?.[row] ?? row, target: texts.targets?.[row] ?? '', rowFix: fix ? ` — ${fix}` : '' };
}

/** The outcome of a key no step reported, and its values (AddFn's arguments). */
function uncovered(
  texts: ReportTexts | undefined,
  key: string,
  m: Mapping | undefined,
  fallback?: { scope: string; field: string },
  as?: 'ignored',
): [OutcomeId, Values] {
  if (as === 'ignored') return ['report.unused-definition', {}];
  if (!m) return fallback ? ['report.unknown-field', fallback] : ['report.no-mapping', { key }];
  const row = `${m.scope}.${m.key}` as OutcomeId;
  // The table's converted/approximated is a promise a module keeps by recording the key. When no
  // module did, nothing was produced for it: say so instead of claiming the usual outcome.
  return m.status === 'converted' || m.status === 'approximated'
    ? ['report.unhandled', unhandledValues(texts, row)]
    : [row, {}];
}

/** Service keys whose nested keys are reported one by one when no module reported the parent itself. */
const EXPAND = new Set(['deploy', 'deploy.resources']);

/** Model fields that are bookkeeping, not compose keys (unsetEnvironment: its keys are reported by env.ts). */
const SERVICE_SKIP = new Set(['name', 'extensions', 'unsetEnvironment']);

const TOP_GROUPS = ['volumes', 'networks', 'secrets', 'configs'] as const;

/** True for values the loader fills in by default: `{}`, `[]`, `networks: {default: {}}`. */
export function isEmptyDefault(key: string, value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return true;
    if (key === 'networks' && keys.length === 1 && keys[0] === 'default') {
      const d = (value as Record<string, unknown>)['default'];
      return d === null || d === undefined || (typeof d === 'object' && Object.keys(d).length === 0);
    }
  }
  return false;
}

export function finishReport(ctx: ConvertContext): Report {
  // kompose labels and x-k8s keys get one entry each (before the pass below, which then counts them as handled):
  // from their dialect, or saying it was not loaded.
  for (const d of dialects(ctx)) d.entries?.(ctx);
  reportDialectsNotLoaded(ctx);
  // Keys reported by the steps, by service, so the lookups below stay linear in the project size (a scan of every
  // entry per key made 1000-service projects quadratic). Keys this pass adds are tracked separately.
  const keysOf = (): Map<string | undefined, string[]> => new Map();
  const recorded = keysOf();
  const addedBy = keysOf();
  const push = (m: Map<string | undefined, string[]>, service: string | undefined, key: string): void => {
    const list = m.get(service);
    if (list) list.push(key);
    else m.set(service, [key]);
  };
  for (const e of ctx.entries) push(recorded, e.service, e.key);
  const has = (service: string | undefined, key: string): boolean =>
    ctx.isReported(service, key) ||
    (recorded.get(service) ?? []).some((k) => k.startsWith(key + '.')) ||
    (addedBy.get(service) ?? []).some((k) => k === key || k.startsWith(key + '.'));
  const recordedExactly = (service: string | undefined, key: string): boolean =>
    (recorded.get(service) ?? []).some((k) => k === key);

  const add: AddFn = (service, key, m, segs, fallback, as) => {
    const pos = service !== undefined ? ctx.servicePos(service, ...segs) : ctx.pos(...segs);
    ctx.book.outcome(service, key, ...uncovered(ctx.texts, key, m, fallback, as), { pos });
    push(addedBy, service, key);
  };

  const visitService = (svc: Service, key: string, value: unknown): void => {
    const expand = EXPAND.has(key) && value !== null && typeof value === 'object' && !recordedExactly(svc.name, key);
    if (expand) {
      const children = Object.entries(value as Record<string, unknown>).filter(
        ([k, v]) => !k.startsWith('x-') && !isEmptyDefault(k, v),
      );
      if (children.length > 0) {
        for (const [k, v] of children) visitService(svc, `${key}.${k}`, v);
        return;
      }
    }
    if (!has(svc.name, key)) add(svc.name, key, findMapping('service', key), key.split('.'));
  };

  for (const svc of Object.values(ctx.project.services)) {
    for (const [key, value] of Object.entries(svc)) {
      if (SERVICE_SKIP.has(key) || isEmptyDefault(key, value)) continue;
      visitService(svc, key, value);
    }
  }
  for (const [name, profiles] of Object.entries(ctx.project.disabledServices)) {
    if (has(name, 'profiles')) continue;
    ctx.book.outcome(name, 'profiles', 'report.profile-inactive', { profiles: profiles.join(', ') });
    push(addedBy, name, 'profiles');
  }
  coverTopLevel(ctx.project, has, add);

  const entries = sortEntries([...ctx.entries], ctx.project);
  const summary: Record<Status, number> = { converted: 0, approximated: 0, unsupported: 0, ignored: 0 };
  for (const e of entries) summary[e.status]++;
  return { project: ctx.project.name, entries, findings: [...ctx.findings], summary };
}

/** The top-level volumes, networks, secrets and configs some converted service references, in one pass. */
function usedDefinitions(project: Project): Record<(typeof TOP_GROUPS)[number], Set<string>> {
  const used = {
    volumes: new Set<string>(),
    networks: new Set<string>(),
    secrets: new Set<string>(),
    configs: new Set<string>(),
  };
  for (const svc of Object.values(project.services)) {
    for (const v of svc.volumes) if (v.type === 'volume' && v.source !== undefined) used.volumes.add(v.source);
    for (const name of Object.keys(svc.networks)) used.networks.add(name);
    for (const r of svc.secrets) used.secrets.add(r.source);
    for (const r of svc.configs) used.configs.add(r.source);
  }
  return used;
}

type AddFn = (
  service: string | undefined,
  key: string,
  m: Mapping | undefined,
  segs: string[],
  /** For a field the table does not know: its scope and name. */
  fallback?: { scope: string; field: string },
  /** `ignored`: a definition no converted service uses. */
  as?: 'ignored',
) => void;

function coverTopLevel(project: Project, has: (s: string | undefined, k: string) => boolean, add: AddFn): void {
  for (const key of project.ignoredKeys ?? []) {
    if (!has(undefined, key)) add(undefined, key, findMapping('top', key), [key]);
  }
  const used = usedDefinitions(project);
  for (const group of TOP_GROUPS) {
    const scope = group.slice(0, -1) as MappingScope; // volumes → volume, ...
    for (const [name, def] of Object.entries(project[group] as Record<string, object>)) {
      const fields = Object.entries(def as Record<string, unknown>).filter(
        ([k, v]) => k !== 'extensions' && !isEmptyDefault(k, v) && v !== false,
      );
      // The implicit default network (nothing configured) is not something the user wrote.
      if (group === 'networks' && name === 'default' && fields.length === 0) continue;
      const key = `${group}.${name}`;
      const handled = has(undefined, key);
      if (!handled && !used[group].has(name)) {
        add(undefined, key, undefined, [group, name], undefined, 'ignored');
        continue;
      }
      if (!handled) add(undefined, key, findMapping('top', group), [group, name]);
      for (const [field] of fields) {
        const m = findMapping(scope, field);
        // Only what is lost or changed: a converted field is covered by the entry of its parent, and so
        // is an approximated one when a step reported the parent (it knows the fields it applied).
        if (m?.status === 'converted' || (handled && m?.status === 'approximated') || has(undefined, `${key}.${field}`))
          continue;
        add(undefined, `${key}.${field}`, m, [group, name, field], { scope, field });
      }
    }
  }
  for (const key of Object.keys(project.extensions)) {
    if (!has(undefined, key)) add(undefined, key, findMapping('top', key), [key]);
  }
}

/** Top-level entries first, then services in project order; keys sorted within each (stable). */
function sortEntries(entries: ReportEntry[], project: Project): ReportEntry[] {
  const order = new Map<string, number>();
  for (const name of [...Object.keys(project.services), ...Object.keys(project.disabledServices)])
    if (!order.has(name)) order.set(name, order.size);
  // Top level first, then services in project order, unknown services last: entries go to their rank's bucket in
  // report order, and only each bucket is sorted (by service, then key; the sort is stable, so report order breaks
  // ties): one small sort per service rather than a comparison sort of every entry with two rank lookups each.
  const buckets: ReportEntry[][] = Array.from({ length: order.size + 2 }, () => []);
  for (const e of entries) buckets[e.service === undefined ? 0 : (order.get(e.service) ?? order.size) + 1]!.push(e);
  const out: ReportEntry[] = [];
  for (const b of buckets) {
    b.sort((x, y) => {
      if (x.service !== y.service) return (x.service ?? '') < (y.service ?? '') ? -1 : 1;
      return x.key === y.key ? 0 : x.key < y.key ? -1 : 1;
    });
    for (const e of b) out.push(e);
  }
  return out;
}
