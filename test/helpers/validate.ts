/**
 * Validates Kubernetes manifests the way an API server would, so every conversion test can assert
 * that its output would be accepted: (a) the kubernetes-models schema, (b) a strict unknown-field check
 * derived from kubernetes-types, (c) API-server rules per object (names, labels, ports, volumes, quantities,
 * ConfigMap/Secret data), (d) references across the set.
 */
import { crossRules, type External } from './validate-refs.js';
import { unknownFields, kindType } from './validate-fields.js';
import { objectRules } from './validate-rules.js';
import { dataRules } from './validate-data.js';
import { schemaIssues } from './validate-schema.js';
import { type J, obj, str } from './validate-pod.js';

export type { External } from './validate-refs.js';

export interface ValidationIssue {
  /** `Kind/name`. */
  object: string;
  /** JSON pointer inside the object. */
  path: string;
  message: string;
}

function label(o: unknown, index: number): string {
  const m = obj(obj(o).metadata);
  return `${String(obj(o).kind ?? '?')}/${str(m.name) ?? `#${index}`}`;
}

export function validateObjects(objects: unknown[], external: External = {}): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const valid: J[] = [];
  objects.forEach((raw, index) => {
    const object = label(raw, index);
    const o = obj(raw);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      issues.push({ object, path: '', message: 'not an object' });
      return;
    }
    const apiVersion = str(o.apiVersion);
    const kind = str(o.kind);
    if (!apiVersion || !kind) {
      issues.push({ object, path: '', message: 'apiVersion and kind are required' });
      return;
    }
    const schema = schemaIssues(o);
    const type = kindType(apiVersion, kind);
    if (!schema || !type) {
      issues.push({ object, path: '/kind', message: `unknown kind ${apiVersion} ${kind}` });
      return;
    }
    for (const i of schema) issues.push({ object, ...i });
    for (const i of unknownFields(o, type)) issues.push({ object, ...i });
    for (const i of objectRules(o)) issues.push({ object, ...i });
    for (const i of dataRules(o)) issues.push({ object, ...i });
    valid.push(o);
  });
  for (const i of crossRules(valid, external)) {
    issues.push({ object: label(valid[i.index], i.index), path: i.path, message: i.message });
  }
  return issues;
}

export function formatIssues(issues: ValidationIssue[]): string {
  return issues.map((i) => `${i.object} ${i.path || '/'}: ${i.message}`).join('\n');
}

/** Throws (for vitest) listing every issue when the objects would not be accepted. */
export function expectValid(objects: unknown[], external: External = {}): void {
  const issues = validateObjects(objects, external);
  if (issues.length > 0) {
    throw new Error(`${issues.length} Kubernetes validation issue(s):\n${formatIssues(issues)}`);
  }
}
