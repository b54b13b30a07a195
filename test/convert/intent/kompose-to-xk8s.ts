/**
 * Rewrites kompose labels as the equivalent `x-k8s` keys (docs/x-k8s.md, "Kompose label" column), so a test
 * can check that both spellings have the same effect. Labels x-k8s cannot express (per-host Ingress paths)
 * are left as labels.
 */
import { parseDocument, isMap, type Document } from 'yaml';
import type { Project } from '../../../src/model/types.js';

type X = Record<string, unknown>;

const num = (v: string): number => Number(v.trim());
const at = (x: X, path: string[], value: unknown): void => {
  let o = x;
  for (const k of path.slice(0, -1)) o = (o[k] ??= {}) as X;
  o[path[path.length - 1]!] = value;
};

/** label → how to set it in x-k8s (false: x-k8s cannot express this value); `labels`: all the service's labels. */
const RULES: Record<string, (x: X, v: string, labels: Record<string, string>) => boolean | void> = {
  'kompose.service.type': (x, v) => at(x, ['service', 'type'], v),
  'kompose.service.nodeport.port': (x, v) => at(x, ['service', 'nodePort'], num(v)),
  'kompose.service.external-traffic-policy': (x, v) => at(x, ['service', 'externalTrafficPolicy'], v),
  'kompose.service.expose': (x, v) => {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === 'false') return at(x, ['ingress', 'enabled'], s === 'true');
    const hosts = v
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    if (hosts.some((h) => h.includes('/'))) return false;
    at(x, ['ingress', 'hosts'], hosts);
  },
  'kompose.service.expose.path': (x, v) => at(x, ['ingress', 'path'], v),
  'kompose.service.expose.tls-secret': (x, v) => at(x, ['ingress', 'tls'], v),
  'kompose.service.expose.ingress-class-name': (x, v) => at(x, ['ingress', 'class'], v),
  'kompose.service.group': (x, v) => at(x, ['group'], v),
  'kompose.controller.type': (x, v) =>
    at(x, ['controller'], v.toLowerCase() === 'replicationcontroller' ? 'Deployment' : v),
  'kompose.controller.port.expose': (x, v) => at(x, ['hostPorts'], v.trim().toLowerCase() === 'true'),
  'kompose.image-pull-policy': (x, v) => at(x, ['imagePullPolicy'], v),
  'kompose.image-pull-secret': (x, v) =>
    at(
      x,
      ['imagePullSecrets'],
      v.split(',').map((s) => s.trim()),
    ),
  'kompose.serviceaccount-name': (x, v) => at(x, ['serviceAccount'], v),
  'kompose.security-context.fsgroup': (x, v) => at(x, ['fsGroup'], num(v)),
  'kompose.cronjob.schedule': (x, v) => at(x, ['cron', 'schedule'], v),
  'kompose.cronjob.concurrency_policy': (x, v) => at(x, ['cron', 'concurrencyPolicy'], v),
  'kompose.cronjob.backoff_limit': (x, v) => at(x, ['cron', 'backoffLimit'], num(v)),
  'kompose.hpa.replicas.min': (x, v) => at(x, ['hpa', 'minReplicas'], num(v)),
  'kompose.hpa.replicas.max': (x, v) => at(x, ['hpa', 'maxReplicas'], num(v)),
  'kompose.hpa.cpu': (x, v) => at(x, ['hpa', 'cpu'], num(v)),
  'kompose.hpa.memory': (x, v) => at(x, ['hpa', 'memory'], /^\d+$/.test(v.trim()) ? num(v) : v),
  'kompose.ephemeral-storage.request': (x, v) => at(x, ['resources', 'requests', 'ephemeralStorage'], v),
  'kompose.ephemeral-storage.limit': (x, v) => at(x, ['resources', 'limits', 'ephemeralStorage'], v),
  'kompose.volume.size': (x, v) => at(x, ['storage', 'size'], v),
  'kompose.volume.storage-class-name': (x, v) => at(x, ['storage', 'class'], v),
  'kompose.volume.type': (x, v) => at(x, ['storage', 'type'], v),
  'kompose.volume.subpath': (x, v) => at(x, ['storage', 'subpath'], v),
  'kompose.volume.sub-path': (x, v) => at(x, ['storage', 'subpath'], v),
};
// kompose.service.expose* beside kompose.service.type LoadBalancer does nothing (kompose builds no Ingress there);
// x-k8s ingress asks for an Ingress whatever the type, so x-k8s has no spelling for the label there.
for (const label of Object.keys(RULES).filter((l) => l.startsWith('kompose.service.expose'))) {
  const rule = RULES[label]!;
  RULES[label] = (x, v, labels) =>
    labels['kompose.service.type']?.trim().toLowerCase() === 'loadbalancer' ? false : rule(x, v, labels);
}
for (const kind of ['readiness', 'liveness']) {
  const P = (...p: string[]) => ['probes', kind, ...p];
  RULES[`kompose.service.healthcheck.${kind}.disable`] = (x, v) =>
    at(x, P('disabled'), v.trim().toLowerCase() === 'true');
  RULES[`kompose.service.healthcheck.${kind}.test`] = (x, v) => at(x, P('exec'), v);
  RULES[`kompose.service.healthcheck.${kind}.http_get_path`] = (x, v) => at(x, P('http', 'path'), v);
  RULES[`kompose.service.healthcheck.${kind}.http_get_port`] = (x, v) => at(x, P('http', 'port'), num(v));
  RULES[`kompose.service.healthcheck.${kind}.tcp_port`] = (x, v) => at(x, P('tcp'), num(v));
  RULES[`kompose.service.healthcheck.${kind}.interval`] = (x, v) => at(x, P('period'), v);
  RULES[`kompose.service.healthcheck.${kind}.timeout`] = (x, v) => at(x, P('timeout'), v);
  RULES[`kompose.service.healthcheck.${kind}.retries`] = (x, v) => at(x, P('failureThreshold'), num(v));
  RULES[`kompose.service.healthcheck.${kind}.start_period`] = (x, v) => at(x, P('initialDelay'), v);
}

const VOLUME_RULES: Record<string, (x: X, v: string) => void> = {
  'kompose.volume.size': (x, v) => at(x, ['size'], v),
  'kompose.volume.storage-class-name': (x, v) => at(x, ['class'], v),
  'kompose.volume.selector': (x, v) => at(x, ['selector'], v),
};

const INIT = ['kompose.init.containers.name', 'kompose.init.containers.image', 'kompose.init.containers.command'];

function drop(doc: Document, path: Array<string | number>, label: string): void {
  const labels = doc.getIn(path);
  if (isMap(labels)) labels.delete(label);
  else if (labels && typeof labels === 'object' && 'items' in labels) {
    const items = (labels as { items: Array<{ value?: unknown }> }).items;
    const i = items.findIndex((it) => String((it as { value?: unknown }).value ?? it).split('=')[0] === label);
    if (i >= 0) items.splice(i, 1);
  }
}

/**
 * `text` (already loaded as `project`) with every translatable kompose label moved into x-k8s. Values
 * come from the loaded project (interpolated). Returns the new text and the labels moved, as `service|label`.
 */
export function toXk8s(text: string, project: Project): { text: string; moved: string[] } {
  const doc = parseDocument(text);
  const moved: string[] = [];
  for (const svc of Object.values(project.services)) {
    const x: X = {};
    const all: Array<[string[], Record<string, string>]> = [
      [['deploy', 'labels'], svc.deploy?.labels ?? {}],
      [['labels'], svc.labels],
    ];
    for (const [where, labels] of all) {
      for (const [label, value] of Object.entries(labels)) {
        const rule = RULES[label];
        if (!rule || rule(x, value, { ...svc.deploy?.labels, ...svc.labels }) === false) continue;
        drop(doc, ['services', svc.name, ...where], label);
        moved.push(`${svc.name}|${label}`);
      }
    }
    if (INIT.some((l) => l in svc.labels)) {
      const image = svc.labels[INIT[1]!];
      x['initContainers'] = [
        {
          name: svc.labels[INIT[0]!] ?? `init-${svc.name}`,
          image,
          ...(svc.labels[INIT[2]!] ? { command: svc.labels[INIT[2]!] } : {}),
        },
      ];
      for (const l of INIT)
        if (l in svc.labels) {
          drop(doc, ['services', svc.name, 'labels'], l);
          moved.push(`${svc.name}|${l}`);
        }
    }
    if (Object.keys(x).length) doc.setIn(['services', svc.name, 'x-k8s'], x);
  }
  for (const [name, vol] of Object.entries(project.volumes)) {
    const x: X = {};
    for (const [label, value] of Object.entries(vol.labels ?? {})) {
      const rule = VOLUME_RULES[label];
      if (!rule) continue;
      rule(x, value);
      drop(doc, ['volumes', name, 'labels'], label);
      moved.push(`volume:${name}|${label}`);
    }
    if (Object.keys(x).length) doc.setIn(['volumes', name, 'x-k8s'], x);
  }
  return { text: doc.toString(), moved };
}
