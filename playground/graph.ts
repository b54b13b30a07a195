/**
 * The graph view's model and layout, without the DOM: objects become nodes, references between
 * them edges (Ingress → Service → workload → PVC/ConfigMap/Secret; init-container waits dashed),
 * NetworkPolicies become groups (the workloads each one selects). Layout is layered by kind, with
 * one barycentre sweep down and one up to reduce crossings; cost is linear in nodes + edges (plus
 * the sort inside each layer).
 */
import type { KubeObject, ReportEntry, Status } from '../src/browser.js';

export interface GraphNode {
  id: string;
  kind: string;
  name: string;
  /** Worst report status among the entries that produced this object. */
  status: Status | 'none';
  layer: number;
  x: number;
  y: number;
  /** NetworkPolicies that select this node's pods. */
  groups: string[];
}

export interface GraphEdge {
  from: string;
  to: string;
  dashed: boolean;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** NetworkPolicy name → member node ids. */
  groups: Array<{ name: string; members: string[] }>;
  width: number;
  height: number;
}

export const NODE_W = 170;
export const NODE_H = 44;
const GAP_X = 24;
const GAP_Y = 80;
const GAP_ROW = 28;
const MAX_ROW = 6;
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);
const LAYER: Record<string, number> = {
  Ingress: 0,
  Service: 1,
  Deployment: 2,
  StatefulSet: 2,
  DaemonSet: 2,
  Job: 2,
  CronJob: 2,
  PersistentVolumeClaim: 3,
  ConfigMap: 3,
  Secret: 3,
};
/** Worse statuses rank higher. */
const WORST: Record<Status | 'none', number> = { none: 0, converted: 1, ignored: 2, approximated: 3, unsupported: 4 };

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const asArr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function isWorkload(kind: string): boolean {
  return WORKLOADS.has(kind);
}

export function idOf(o: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${o.kind}/${o.metadata.name}`;
}

/** The pod template of a workload (CronJob: its job's), or undefined. */
function podTemplate(o: KubeObject): Obj | undefined {
  const spec = asObj(o.spec);
  if (o.kind === 'CronJob') return asObj(asObj(asObj(spec.jobTemplate).spec).template);
  return isWorkload(o.kind) ? asObj(spec.template) : undefined;
}

function matches(selector: Obj, labels: Obj): boolean {
  const keys = Object.entries(selector);
  return keys.length > 0 && keys.every(([k, v]) => labels[k] === v);
}

/** Worst status per object id, from the report entries' `objects` lists. */
export function statusByObject(entries: readonly ReportEntry[]): Map<string, Status> {
  const out = new Map<string, Status>();
  for (const e of entries) {
    for (const id of e.objects) {
      const had = out.get(id);
      if (!had || WORST[e.status] > WORST[had]) out.set(id, e.status);
    }
  }
  return out;
}

export function buildGraph(objects: readonly KubeObject[], entries: readonly ReportEntry[]): Graph {
  const status = statusByObject(entries);
  const nodes = new Map<string, GraphNode>();
  const add = (kind: string, name: string): GraphNode => {
    const id = `${kind}/${name}`;
    let n = nodes.get(id);
    if (!n) {
      n = { id, kind, name, status: status.get(id) ?? 'none', layer: LAYER[kind] ?? 3, x: 0, y: 0, groups: [] };
      nodes.set(id, n);
    }
    return n;
  };
  for (const o of objects) if (o.kind in LAYER) add(o.kind, o.metadata.name);

  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const link = (from: string, to: string, dashed = false): void => {
    const key = `${from}>${to}>${dashed}`;
    if (from === to || seen.has(key) || !nodes.has(from) || !nodes.has(to)) return;
    seen.add(key);
    edges.push({ from, to, dashed });
  };

  const workloads = objects.filter((o) => isWorkload(o.kind));
  const podLabels = new Map(workloads.map((w) => [idOf(w), asObj(asObj(podTemplate(w)?.metadata).labels)]));
  const workloadByName = new Map(workloads.map((w) => [w.metadata.name, idOf(w)]));
  const groups: Graph['groups'] = [];

  for (const o of objects) {
    const spec = asObj(o.spec);
    if (o.kind === 'Ingress') {
      const rules = asArr(spec.rules);
      const backends = [
        asObj(spec.defaultBackend),
        ...rules.flatMap((r) => asArr(asObj(r.http).paths).map((p) => asObj(p.backend))),
      ];
      for (const b of backends) {
        const svc = str(asObj(b.service).name);
        if (svc) link(idOf(o), `Service/${svc}`);
      }
    } else if (o.kind === 'Service') {
      const sel = asObj(spec.selector);
      for (const [id, labels] of podLabels) if (matches(sel, labels)) link(idOf(o), id);
    } else if (o.kind === 'NetworkPolicy') {
      const sel = asObj(asObj(spec.podSelector).matchLabels);
      const members = [...podLabels].filter(([, labels]) => matches(sel, labels)).map(([id]) => id);
      if (members.length) {
        groups.push({ name: o.metadata.name, members });
        for (const m of members) nodes.get(m)?.groups.push(o.metadata.name);
      }
    } else if (isWorkload(o.kind)) {
      const from = idOf(o);
      const pod = asObj(podTemplate(o)?.spec);
      for (const v of asArr(pod.volumes)) {
        const claim = str(asObj(v.persistentVolumeClaim).claimName);
        if (claim) link(from, add('PersistentVolumeClaim', claim).id);
        const cm = str(asObj(v.configMap).name);
        if (cm) link(from, `ConfigMap/${cm}`);
        const secret = str(asObj(v.secret).secretName);
        if (secret) link(from, `Secret/${secret}`);
        for (const src of asArr(asObj(v.projected).sources)) {
          const pcm = str(asObj(src.configMap).name);
          if (pcm) link(from, `ConfigMap/${pcm}`);
          const ps = str(asObj(src.secret).name);
          if (ps) link(from, `Secret/${ps}`);
        }
      }
      for (const t of asArr(spec.volumeClaimTemplates)) {
        const name = str(asObj(t.metadata).name);
        if (name) link(from, add('PersistentVolumeClaim', `${name}-${o.metadata.name}-*`).id);
      }
      const containers = [...asArr(pod.initContainers), ...asArr(pod.containers)];
      for (const c of containers) {
        for (const ef of asArr(c.envFrom)) {
          const cm = str(asObj(ef.configMapRef).name);
          if (cm) link(from, `ConfigMap/${cm}`);
          const s = str(asObj(ef.secretRef).name);
          if (s) link(from, `Secret/${s}`);
        }
        for (const ev of asArr(c.env)) {
          const vf = asObj(ev.valueFrom);
          const cm = str(asObj(vf.configMapKeyRef).name);
          if (cm) link(from, `ConfigMap/${cm}`);
          const s = str(asObj(vf.secretKeyRef).name);
          if (s) link(from, `Secret/${s}`);
        }
      }
      for (const c of asArr(pod.initContainers)) {
        const target = /^wait-for-(.+)$/.exec(str(c.name) ?? '')?.[1];
        const to = target ? workloadByName.get(target) : undefined;
        if (to) link(from, to, true);
      }
    }
  }

  const { width, height } = layout([...nodes.values()], edges);
  return { nodes: [...nodes.values()], edges, groups, width, height };
}

/** Layered layout: y by layer, x by barycentre order within the layer. Mutates x/y; returns the extent. */
function layout(nodes: GraphNode[], edges: readonly GraphEdge[]): { width: number; height: number } {
  const layers: GraphNode[][] = [];
  for (const n of nodes) (layers[n.layer] ??= []).push(n);
  const used = layers.filter((l) => l && l.length > 0);
  used.forEach((l, i) => {
    l.sort((a, b) => a.id.localeCompare(b.id));
    for (const n of l) n.layer = i;
  });
  const neighbours = new Map<string, GraphNode[]>(nodes.map((n) => [n.id, []]));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const e of edges) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b || a.layer === b.layer) continue;
    neighbours.get(a.id)!.push(b);
    neighbours.get(b.id)!.push(a);
  }
  const index = new Map<string, number>();
  const number = (l: GraphNode[]): void => l.forEach((n, i) => index.set(n.id, i));
  used.forEach(number);
  const sweep = (l: GraphNode[], towards: number): void => {
    const key = new Map<string, number>();
    for (const n of l) {
      const ns = neighbours.get(n.id)!.filter((m) => m.layer === towards);
      key.set(n.id, ns.length ? ns.reduce((s, m) => s + index.get(m.id)!, 0) / ns.length : index.get(n.id)!);
    }
    l.sort((a, b) => key.get(a.id)! - key.get(b.id)! || index.get(a.id)! - index.get(b.id)!);
    number(l);
  };
  for (let i = 1; i < used.length; i++) sweep(used[i]!, i - 1);
  for (let i = used.length - 2; i >= 0; i--) sweep(used[i]!, i + 1);
  // Wide layers wrap into rows of at most MAX_ROW nodes, so the drawing stays readable when fitted.
  const rows = used.flatMap((l, i) => {
    const out: Array<{ nodes: GraphNode[]; first: boolean }> = [];
    for (let j = 0; j < l.length; j += MAX_ROW) out.push({ nodes: l.slice(j, j + MAX_ROW), first: j === 0 && i > 0 });
    return out;
  });
  const width = Math.max(1, ...rows.map((r) => r.nodes.length)) * (NODE_W + GAP_X) + GAP_X;
  let y = GAP_X;
  rows.forEach((r, i) => {
    if (i > 0) y += NODE_H + (r.first ? GAP_Y : GAP_ROW);
    const row = r.nodes.length * (NODE_W + GAP_X) - GAP_X;
    const left = (width - row) / 2;
    r.nodes.forEach((n, j) => {
      n.x = left + j * (NODE_W + GAP_X);
      n.y = y;
    });
  });
  return { width, height: y + NODE_H + GAP_X };
}
