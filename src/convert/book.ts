/**
 * The report book: one entry per reported item (service + path), written by the step that owns the item, from an
 * outcome of mappings/*.yaml (id → status) and the values of its placeholders. A later pass may only downgrade an
 * entry, by outcome id, with its own message appended; nothing looks an entry up by its wording. The message and fix
 * templates come from the report texts when the caller attached them (ReportTexts); without them an entry's message
 * is its outcome ids and values (fallbackMessage) and it carries no `fix`.
 */
import { OUTCOMES, type Outcome, type OutcomeId, type ReportTexts } from '../mappings/outcomes.js';
import type { SourcePos } from '../report/diagnostic.js';
import type { MessagePart, MessageValues, Report, ReportEntry, Status } from '../report/entry.js';
import { fill, word } from '../report/template.js';

export { fallbackMessage, fill, word } from '../report/template.js';

/*
 * Item paths (relative to the service, or to the top level), one entry each:
 * - a scalar key is one item: `image`, `user`, `healthcheck`, `cpus`, `deploy.resources.limits.memory`;
 * - a list whose elements have their own fates gives one item per element, by index in the normalized list:
 *   `ports[0]`, `security_opt[1]`, `links[0]`, `gpus[0]`, `deploy.resources.reservations.devices[1]`; a list
 *   converted as a whole stays one item (`cap_add`, `post_start`, `env_file`);
 * - a map gives one item per key where the keys' fates differ: `depends_on.db` (and `depends_on.db.restart`),
 *   `environment.DB_PASSWORD` for a variable with a fate of its own (secret-looking, invalid name), while
 *   `environment` is the plain variables together (one ConfigMap);
 * - settings beyond the spec: `labels.kompose.service.healthcheck.readiness.tcp_port`, `x-k8s.probes.liveness`.
 */

/** Values for an outcome's `{name}` placeholders. */
export type Values = MessageValues;

export interface OutcomeExtra {
  objects?: readonly string[];
  pos?: SourcePos;
}

/** Worse outcomes rank higher: a downgrade only ever raises the rank. */
const RANK: Record<Status, number> = { converted: 0, approximated: 1, ignored: 2, unsupported: 3 };

export function worse(a: Status, b: Status): Status {
  return RANK[b] > RANK[a] ? b : a;
}

/** The outcomes an entry's message is made of, in order, each with its placeholder values. */
export function messageParts(e: Pick<ReportEntry, 'id' | 'values' | 'earlier' | 'later'>): MessagePart[] {
  return [...(e.earlier ?? []), { id: e.id, values: e.values ?? {} }, ...(e.later ?? [])];
}

/** An outcome's message: its template in the report texts filled in, else the fallback. */
export function outcomeMessage(id: OutcomeId, values: Values, texts: ReportTexts | undefined): string {
  return word(texts?.messages?.[id], values, id, 'outcome', texts?.phrases);
}

/** The key an item belongs to: its path without list indices. */
export function keyOfPath(path: string): string {
  if (!path.includes('[')) return path;
  return path.replace(/\[\d+\]/g, '');
}

/**
 * Keys whose value is a map with free-form keys (dots allowed): the rest of the path after them is one segment
 * (`labels.kompose.service.type` → labels / kompose.service.type).
 */
const MAP_KEYS = new Set([
  'environment',
  'labels',
  'annotations',
  'sysctls',
  'extra_hosts',
  'ulimits',
  'deploy.labels',
]);

/** Pointer segments of a service-relative (or top-level) path, for source positions. */
export function pathSegments(path: string): Array<string | number> {
  const segs: Array<string | number> = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let m: RegExpExecArray | null;
  let consumed = '';
  while ((m = re.exec(path))) {
    if (m[2] !== undefined) {
      segs.push(Number(m[2]));
      continue;
    }
    segs.push(m[1]!);
    consumed = consumed ? `${consumed}.${m[1]}` : m[1]!;
    if (MAP_KEYS.has(consumed) && re.lastIndex < path.length) {
      const rest = path.slice(re.lastIndex + 1);
      if (rest) segs.push(rest);
      break;
    }
  }
  return segs;
}

export class ReportBook {
  readonly entries: ReportEntry[] = [];
  /**
   * Entries by service (`''` for the top level), then by path; and the keys and top-level keys reported per service,
   * for the coverage pass. Nested maps, not `service + path` strings: no key string per entry to keep alive.
   */
  private readonly byItem = new Map<string, Map<string, ReportEntry>>();
  private readonly keys = new Map<string, Set<string>>();
  /** Entries a verdict (downgrade) made before the item's owner reported it. */
  private readonly early = new WeakSet<ReportEntry>();
  /** The outcomes of the optional modules this conversion was given (learn), which the core's OUTCOMES leaves out. */
  private readonly learned = new Map<string, Outcome>();

  constructor(
    private readonly posOf: (service: string | undefined, path: string) => SourcePos | undefined,
    private readonly texts?: ReportTexts,
  ) {}

  /** Outcomes a module given to this conversion reports (a dialect's, an output mode's: mappings `module:`). */
  learn(outcomes: readonly Outcome[]): void {
    for (const o of outcomes) this.learned.set(o.id, o);
  }

  private outcomeOf(id: string): Outcome {
    const o = OUTCOMES[id as OutcomeId] ?? this.learned.get(id);
    if (!o) throw new Error(`unknown outcome ${id}`);
    return o;
  }

  private make(service: string | undefined, path: string, id: OutcomeId, values: Values, extra: OutcomeExtra) {
    const o = this.outcomeOf(id);
    const pos = extra.pos ?? this.posOf(service, path);
    const template = this.texts?.fixes?.[id];
    const fix = template ? fill(template, values, id, 'outcome', this.texts?.phrases) : '';
    // Built by plain stores in one order, not by spreading optional parts: V8 gives every object made by a
    // megamorphic spread site a map of its own (one per entry: 17 000 maps for 1000 services), which costs
    // memory and the inline caches of every pass that reads entries. Same keys, same order as before.
    const entry = (service !== undefined ? { service, path } : { path }) as ReportEntry;
    entry.key = keyOfPath(path);
    entry.id = id;
    entry.status = o.status;
    entry.objects = extra.objects ? [...extra.objects] : [];
    entry.values = values;
    entry.message = outcomeMessage(id, values, this.texts);
    if (fix) entry.fix = fix;
    if (pos) entry.pos = pos;
    return entry;
  }

  private add(entry: ReportEntry): void {
    this.entries.push(entry);
    const service = entry.service ?? '';
    let items = this.byItem.get(service);
    if (!items) this.byItem.set(service, (items = new Map()));
    items.set(entry.path, entry);
    let keys = this.keys.get(service);
    if (!keys) this.keys.set(service, (keys = new Set()));
    keys.add(entry.key);
    const dot = entry.key.indexOf('.');
    keys.add(dot < 0 ? entry.key : entry.key.slice(0, dot));
  }

  /** The owner's entry for an item. A second owner for the same item is a bug and throws. */
  outcome(
    service: string | undefined,
    path: string,
    id: OutcomeId,
    values: Values = {},
    extra: OutcomeExtra = {},
  ): void {
    const known = this.get(service, path);
    if (known && !this.early.has(known))
      throw new Error(`two entries for ${service ? `service ${service} ` : ''}${path} (${known.id}, ${id})`);
    const entry = this.make(service, path, id, values, extra);
    if (!known) return this.add(entry);
    // A verdict came before the owner (--pod-security restricted on a hostPort, before the Services own `ports[i]`):
    // the owner's entry takes its place (in place: no search of the entries), and the verdict applies to it as if it
    // came after.
    const verdict: ReportEntry = { ...known, objects: [...known.objects] };
    const slot = known as unknown as Record<string, unknown>;
    for (const k of Object.keys(slot)) delete slot[k];
    Object.assign(known, entry);
    this.early.delete(known);
    this.merge(known, verdict);
  }

  /**
   * A later pass's verdict on an item: the worse status wins (with this outcome's id and fix), its message is
   * appended (a better one's too: addPart), its objects added. An item nobody reported yet gets this outcome as its
   * entry, until its owner reports it (outcome).
   */
  downgrade(
    service: string | undefined,
    path: string,
    id: OutcomeId,
    values: Values = {},
    extra: OutcomeExtra = {},
  ): void {
    const next = this.make(service, path, id, values, extra);
    const e = this.get(service, path);
    if (!e) {
      this.add(next);
      this.early.add(next);
      return;
    }
    this.merge(e, next);
  }

  /** Entry `e` with the verdict `next` on the same item (an early one may have several parts): see downgrade. */
  private merge(e: ReportEntry, next: ReportEntry): void {
    for (const o of next.objects) if (!e.objects.includes(o)) e.objects.push(o);
    e.message = `${e.message}; ${next.message}`;
    // Both fixes still apply (e.g. "point DNS at the controller" and "name the IngressClass").
    if (next.fix) e.fix = e.fix && e.fix !== next.fix ? `${e.fix}; ${next.fix}` : next.fix;
    for (const part of messageParts(next)) addPart(e, this.outcomeOf(part.id).status, part);
  }

  /** The entry of an item (by service and path, never by wording). */
  get(service: string | undefined, path: string): ReportEntry | undefined {
    return this.byItem.get(service ?? '')?.get(path);
  }

  /** Did any step report this key (or a key under it, for a top-level key)? */
  isReported(service: string | undefined, key: string): boolean {
    return this.keys.get(service ?? '')?.has(key) ?? false;
  }
}

/**
 * Outcome `part` (of status `status`) joins entry `e`'s message parts: a worse or equal one becomes its id and status,
 * the earlier ones move to `earlier`; a better one cannot raise the status nor take the id (the outcome that decided
 * the status), but what it says the output does still stands (a pod fsGroup on an approximated claim): `later`.
 */
function addPart(e: ReportEntry, status: Status, part: MessagePart): void {
  if (worse(e.status, status) === e.status && e.status !== status) {
    (e.later ??= []).push(part);
    return;
  }
  e.status = status;
  (e.earlier ??= []).push({ id: e.id, values: e.values ?? {} }, ...(e.later ?? []));
  delete e.later;
  e.id = part.id;
  e.values = part.values;
}

/** A renderer's verdict on an item of a finished report (see amendReport). */
export interface Amendment {
  service?: string;
  path: string;
  id: OutcomeId;
  /** The outcome's status: a renderer's outcomes ship with it (RENDER_OUTCOMES), not in the core's table. */
  status: Status;
  values: Values;
}

/**
 * The renderer's amendments to a finished report, each to the entry of its item (service + path, never by wording):
 * like ReportBook.downgrade (the worse status wins, the message is appended), but the amendment's fix replaces the
 * owner's: the owner's fix was written for plain manifests, the renderer's for the output format it wrote.
 */
export function amendReport(report: Report, amendments: readonly Amendment[], texts?: ReportTexts): void {
  if (!amendments.length) return;
  const byItem = new Map<string, ReportEntry>();
  for (const e of report.entries) byItem.set(`${e.service ?? ''}\0${e.path}`, e);
  for (const a of amendments) {
    const e = byItem.get(`${a.service ?? ''}\0${a.path}`);
    if (!e) continue;
    const status = e.status;
    addPart(e, a.status, { id: a.id, values: a.values });
    if (status !== e.status) {
      report.summary[status]--;
      report.summary[e.status]++;
    }
    e.message = `${e.message}; ${outcomeMessage(a.id, a.values, texts)}`;
    const template = texts?.fixes?.[a.id];
    if (template) e.fix = fill(template, a.values, a.id, 'outcome', texts?.phrases);
  }
}
