/**
 * Facts: what several steps need to know about the project, computed once per conversion instead of by scanning
 * every service (or every object) from inside a per-service step, which made big projects quadratic.
 *
 * - ProjectIndex: the relations between services (pod owners, volume users, dependants, links, networks), built
 *   in one pass when the context is created. Read-only afterwards.
 * - Facts: derived data a step computes once and others read (the project's HTTP routes, the alias table,
 *   the parsed overrides...). Each is named by a FactKey its module declares; the value lives on the context,
 *   so nothing is kept between conversions (no module-level state).
 */
import type { Project, Service } from '../model/types.js';
import { bindDevice } from '../model/volume-device.js';

const SHARE = /^service:(.+)$/;

/** The service whose pod `name` runs in (follows `network_mode: service:X` chains). */
export function podOwner(services: Record<string, Service>, name: string): string {
  const path: string[] = [];
  let cur = name;
  for (;;) {
    const i = path.indexOf(cur);
    if (i >= 0) return [...path.slice(i)].sort()[0]!; // a cycle: its smallest name owns the pod
    path.push(cur);
    const m = SHARE.exec(services[cur]?.network_mode ?? '');
    if (!m || !services[m[1]!]) return cur;
    cur = m[1]!;
  }
}

/** `volumes_from` entry → the compose service it names (`web`, `web:ro`); undefined for `container:x`. */
export function volumesFromSource(ref: string): string | undefined {
  if (ref.startsWith('container:')) return undefined;
  return ref.split(':')[0];
}

export interface Dependant {
  service: Service;
  condition: string;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Relations between the services of a project, indexed once. Lists keep project order. */
export class ProjectIndex {
  private readonly owners = new Map<string, string>();
  private readonly members = new Map<string, Service[]>();
  private readonly users = new Map<string, Service[]>();
  private readonly borrowers = new Map<string, Service[]>();
  private readonly dependants = new Map<string, Dependant[]>();
  private readonly linkers = new Map<string, Service[]>();

  constructor(project: Project) {
    const services = project.services;
    for (const svc of Object.values(services)) {
      const owner = podOwner(services, svc.name);
      this.owners.set(svc.name, owner);
      push(this.members, owner, svc);
      const seen = new Set<string>();
      const use = (k: string): void => {
        if (!seen.has(k)) push(this.users, k, svc);
        seen.add(k);
      };
      for (const v of svc.volumes) {
        if ((v.type !== 'volume' && v.type !== 'bind') || !v.source) continue;
        use(`${v.type}\0${v.source}`);
        // A volume that binds a host path (local driver, o: bind) is also a user of that path.
        const device = v.type === 'volume' ? bindDevice(project.volumes[v.source])?.device : undefined;
        if (device !== undefined) use(`bind\0${device}`);
      }
      for (const ref of new Set((svc.volumes_from ?? []).map(volumesFromSource)))
        if (ref !== undefined && services[ref]) push(this.borrowers, ref, svc);
      for (const [dep, c] of Object.entries(svc.depends_on))
        push(this.dependants, dep, { service: svc, condition: c.condition });
      for (const l of new Set((svc.links ?? []).map((x) => x.split(':')[0]!))) push(this.linkers, l, svc);
    }
  }

  /** The service whose pod `name` runs in. */
  ownerOf(name: string): string {
    return this.owners.get(name) ?? name;
  }

  /** The services in the pod `owner` owns (itself and its `network_mode: service:` sidecars). */
  podMembers(owner: string): readonly Service[] {
    return this.members.get(owner) ?? [];
  }

  /** Services that mount the named volume (`volume`) or host path (`bind`) `source`. */
  usersOf(type: 'volume' | 'bind', source: string): readonly Service[] {
    return this.users.get(`${type}\0${source}`) ?? [];
  }

  /** Services whose `volumes_from` names `name`. */
  borrowersOf(name: string): readonly Service[] {
    return this.borrowers.get(name) ?? [];
  }

  /** Services whose `depends_on` names `name`, with the condition. */
  dependantsOf(name: string): readonly Dependant[] {
    return this.dependants.get(name) ?? [];
  }

  /** Services whose `links` name `name`. */
  linkersOf(name: string): readonly Service[] {
    return this.linkers.get(name) ?? [];
  }
}

/**
 * The name of one fact; the module that computes it declares it (a constant, not state): the key is the object, and
 * the constant's name and comment say what it holds (no name string: nothing would read it, and it would be text in
 * the shipped bundle).
 */
export class FactKey<T> {
  declare readonly type: T;
}

/** Facts of one conversion, each computed once by the step that owns it. */
export class Facts {
  private readonly values = new Map<FactKey<unknown>, unknown>();

  /** The fact's value, computed by `compute` the first time it is asked for. */
  get<T>(key: FactKey<T>, compute: () => T): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const v = compute();
    this.values.set(key, v);
    return v;
  }
}
