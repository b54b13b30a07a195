/** Objects → one `v1/List` JSON document (2-space indent, same key order as the YAML output). */
import type { KubeObject } from '../kube/object.js';
import { orderObject } from './order.js';

export function renderJsonObject(obj: KubeObject): string {
  return JSON.stringify(orderObject(obj), null, 2) + '\n';
}

export function renderJson(objects: KubeObject[]): string {
  const list = { apiVersion: 'v1', kind: 'List', items: objects.map(orderObject) };
  return JSON.stringify(list, null, 2) + '\n';
}
