/** Loose accessors over plain manifest objects, and where each kind keeps its pod template. */

export type J = Record<string, unknown>;

export function obj(v: unknown): J {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as J) : {};
}
export function list(v: unknown): J[] {
  return Array.isArray(v) ? v.map(obj) : [];
}
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) out[k] = x as string;
  return out;
}

export const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

export interface PodTemplate {
  /** JSON pointer of the pod template (its metadata/spec sit below it). */
  path: string;
  labels: Record<string, string>;
  spec: J;
}

/** The pod template of a workload object, if it has one. */
export function podTemplate(o: J): PodTemplate | undefined {
  const spec = obj(o.spec);
  switch (o.kind) {
    case 'Pod':
      return { path: '', labels: strMap(obj(o.metadata).labels), spec };
    case 'CronJob': {
      const t = obj(obj(obj(spec.jobTemplate).spec).template);
      return { path: '/spec/jobTemplate/spec/template', labels: strMap(obj(t.metadata).labels), spec: obj(t.spec) };
    }
    default:
      if (!WORKLOADS.has(String(o.kind))) return undefined;
      return {
        path: '/spec/template',
        labels: strMap(obj(obj(spec.template).metadata).labels),
        spec: obj(obj(spec.template).spec),
      };
  }
}

export interface ContainerAt {
  path: string;
  c: J;
}

/** Containers and init containers with their pointers. */
export function containers(t: PodTemplate): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const field of ['initContainers', 'containers']) {
    list(t.spec[field]).forEach((c, i) => out.push({ path: `${t.path}/spec/${field}/${i}`, c }));
  }
  return out;
}

/** True when every selector pair is among the labels (an empty selector selects nothing here). */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}
