/**
 * State of one conversion: the project, the options, the objects emitted so far, the report
 * entries and diagnostics. Concern modules (workloads, services, storage, ...) receive it and
 * add to it; nothing here does I/O except through the injected FileSystem.
 */
import type { Project, Service } from '../model/types.js';
import type { FileSystem } from '../load/fs.js';
import type { ConvertOptions } from './intent/options.js';
import type { ReportEntry, Finding } from '../report/entry.js';
import type { SourcePos } from '../report/diagnostic.js';
import { Diagnostics } from '../report/diagnostic.js';
import { type Segment } from '../model/pointer.js';
import { NameRegistry, labelValue } from '../kube/naming.js';
import { Facts, ProjectIndex } from './facts.js';
import { ReportBook, fill, pathSegments, word, type OutcomeExtra, type Values } from './book.js';
import type { FindingId, OutcomeId, ReportTexts } from '../mappings/outcomes.js';
import {
  LABEL_MANAGED_BY,
  LABEL_NAME,
  LABEL_PART_OF,
  MANAGED_BY,
  ref,
  selectorLabels,
  type KubeObject,
} from '../kube/object.js';

export class ConvertContext {
  readonly objects: KubeObject[] = [];
  readonly findings: Finding[] = [];
  /** Worded from the texts when the caller attached them (else each message is its id and values). */
  readonly diags: Diagnostics;
  readonly names = new NameRegistry();
  /** Relations between services, indexed once (facts.ts). */
  readonly index: ProjectIndex;
  /** Derived facts, each computed once by the step that owns it (facts.ts). */
  readonly facts = new Facts();
  /**
   * Emitted objects by kind, then name, so emit and find do not scan. Nested maps, not `Kind/name` strings: a
   * lookup builds and hashes no new key (kinds are a few constants, names mostly the strings stored).
   */
  private readonly byRef = new Map<string, Map<string, KubeObject>>();
  /** Per service: the `app.kubernetes.io/name` label value (labels() runs ~11 times per service). */
  private readonly nameLabels = new Map<string, string>();
  /** The `part-of` label value and the project name it was made from. */
  private partOf?: { project: string; value: string };
  /** The report entries, one per item, each from an outcome of mappings/ (book.ts). */
  readonly book: ReportBook;

  constructor(
    readonly project: Project,
    readonly options: ConvertOptions,
    readonly fs?: FileSystem,
    /** Options the caller set (CLI flags, library options): they win over the top-level x-k8s. */
    readonly explicit: ReadonlySet<keyof ConvertOptions> = new Set(),
    /** The report's and diagnostics' wording, when the caller attached it (mappings/texts.ts). */
    readonly texts?: ReportTexts,
  ) {
    this.diags = new Diagnostics(texts);
    this.index = new ProjectIndex(project);
    this.book = new ReportBook(
      (service, path) =>
        service !== undefined ? this.servicePos(service, ...this.segmentsOf(path)) : this.pos(...this.segmentsOf(path)),
      texts,
    );
  }

  /** Item paths by their pointer segments: most paths (`image`, `ports[0]`) recur in every service. */
  private readonly segments = new Map<string, readonly Segment[]>();

  private segmentsOf(path: string): readonly Segment[] {
    let segs = this.segments.get(path);
    if (!segs) this.segments.set(path, (segs = pathSegments(path)));
    return segs;
  }

  /** Source position of a place in the compose project. */
  pos(...segs: Segment[]): SourcePos | undefined {
    return this.project.sources.at(...segs);
  }

  servicePos(svc: Service | string, ...segs: Segment[]): SourcePos | undefined {
    const name = typeof svc === 'string' ? svc : svc.name;
    return this.pos('services', name, ...segs);
  }

  /** DNS-1123 name for a compose service (workload, Service and their derived objects start with it). */
  serviceName(svc: Service | string): string {
    return this.names.get('service', typeof svc === 'string' ? svc : svc.name);
  }

  /** Name for a non-service object, unique within its group (e.g. 'pvc', 'configmap', 'secret'). */
  objectName(group: string, original: string): string {
    return this.names.get(group, original);
  }

  /** Labels on everything derived from a service. */
  labels(svc: Service | string): Record<string, string> {
    const name = typeof svc === 'string' ? svc : svc.name;
    let value = this.nameLabels.get(name);
    if (value === undefined) this.nameLabels.set(name, (value = labelValue(this.serviceName(name))));
    return { [LABEL_NAME]: value, [LABEL_PART_OF]: this.partOfLabel(), [LABEL_MANAGED_BY]: MANAGED_BY };
  }

  private partOfLabel(): string {
    const project = this.project.name;
    if (this.partOf?.project !== project) this.partOf = { project, value: labelValue(project) };
    return this.partOf.value;
  }

  /** The stable subset used in selectors (never changes when labels are added). */
  selector(svc: Service | string): Record<string, string> {
    return selectorLabels(this.labels(svc));
  }

  /** Labels for project-level objects (not tied to one service). */
  projectLabels(): Record<string, string> {
    return { [LABEL_PART_OF]: this.partOfLabel(), [LABEL_MANAGED_BY]: MANAGED_BY };
  }

  /** Standard metadata for a namespaced object. */
  meta(name: string, labels: Record<string, string>, annotations?: Record<string, string>): KubeObject['metadata'] {
    return {
      name,
      ...(this.options.namespace ? { namespace: this.options.namespace } : {}),
      labels,
      ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
    };
  }

  /** Add an object to the output. A second object of the same kind and name is an error. */
  emit(obj: KubeObject): KubeObject {
    const dup = this.find(obj.kind, obj.metadata.name);
    if (dup) {
      this.diags.error('duplicate-object', { object: ref(obj) });
      return dup;
    }
    this.objects.push(obj);
    this.indexObject(obj);
    return obj;
  }

  find(kind: string, name: string): KubeObject | undefined {
    return this.byRef.get(kind)?.get(name);
  }

  /** After a step changed kinds or names of emitted objects (patches): index them again. */
  reindex(): void {
    this.byRef.clear();
    for (const o of this.objects) this.indexObject(o);
  }

  private indexObject(obj: KubeObject): void {
    let named = this.byRef.get(obj.kind);
    if (!named) this.byRef.set(obj.kind, (named = new Map()));
    named.set(obj.metadata.name, obj);
  }

  get entries(): readonly ReportEntry[] {
    return this.book.entries;
  }

  /** Report what happened to one item (`ports[0]`, `environment.DB_PASSWORD`) as an outcome of mappings/. */
  outcome(service: string | undefined, path: string, id: OutcomeId, values?: Values, extra?: OutcomeExtra): void {
    this.book.outcome(service, path, id, values, extra);
  }

  /** A later pass's verdict on an item someone else owns: the worse status wins, its message is appended. */
  downgrade(service: string | undefined, path: string, id: OutcomeId, values?: Values, extra?: OutcomeExtra): void {
    this.book.downgrade(service, path, id, values, extra);
  }

  isReported(service: string | undefined, key: string): boolean {
    return this.book.isReported(service, key);
  }

  /** A pitfall finding, `id` its pitfall or `pitfall.variant`, worded from the texts when attached. */
  finding(id: FindingId, values: Values, f: Omit<Finding, 'pitfall' | 'message' | 'fix'>): void {
    const dot = id.indexOf('.');
    const pitfall = (dot < 0 ? id : id.slice(0, dot)) as Finding['pitfall'];
    const texts = this.texts;
    const message = word(texts?.findings?.[id], values, id, 'finding', texts?.phrases);
    const template = texts?.findingFixes?.[id];
    const fix = template !== undefined ? { fix: fill(template, values, id, 'finding', texts?.phrases) } : {};
    // pitfall, object, service, ip, message, fix, pos: the order the report has always shown them in.
    const { object, service, ip, pos } = f;
    this.findings.push({
      pitfall,
      object,
      ...(service !== undefined ? { service } : {}),
      ...(ip !== undefined ? { ip } : {}),
      message,
      ...fix,
      ...(pos ? { pos } : {}),
    });
  }
}
