import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** Any Kubernetes object we emit. Modules build them with `kubernetes-types` types and emit them here. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string };
  [field: string]: unknown;
}

export const MANAGED_BY = 'compose2k8s';
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';

export function ref(obj: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${obj.kind}/${obj.metadata.name}`;
}

/** The labels a service's objects are selected by (workload selectors; never changes when labels are added). */
export function selectorLabels(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [LABEL_NAME, LABEL_PART_OF]) if (labels?.[k] !== undefined) out[k] = labels[k];
  return out;
}

/** A label selector as kubectl's `--selector` takes it (`k=v,k2=v2`). */
export function selectorArg(selector: Readonly<Record<string, string>>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
