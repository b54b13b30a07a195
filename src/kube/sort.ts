/**
 * Apply order: objects others depend on first (Namespace before anything namespaced, RBAC and
 * config before the Pods that use them, Services before workloads so their DNS exists early,
 * Ingress last). Within a kind, by name; unknown kinds go after the known ones, by kind then name.
 */
import type { KubeObject } from './object.js';

export const APPLY_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'Service',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'Ingress',
];

function rank(kind: string): number {
  const i = APPLY_ORDER.indexOf(kind);
  return i < 0 ? APPLY_ORDER.length : i;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A sorted copy (the input is not modified). */
export function sortObjects(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects].sort(
    (a, b) => rank(a.kind) - rank(b.kind) || cmp(a.kind, b.kind) || cmp(a.metadata.name, b.metadata.name),
  );
}
