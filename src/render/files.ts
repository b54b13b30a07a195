/**
 * Objects → one file per object (`<kind-lowercase>-<name>.yaml`; the Namespace as `00-namespace-<name>.yaml`), for `-o DIR`; and the comparison
 * of those files with a directory's current content, for `--check DIR`. Pure: no I/O here.
 */
import type { KubeObject } from '../kube/object.js';
import { renderJsonObject } from './json.js';
import { renderYaml } from './yaml.js';

export interface RenderedFile {
  /** File name relative to the output directory. */
  path: string;
  content: string;
}

export type OutputFormat = 'yaml' | 'json';

export function fileName(obj: Pick<KubeObject, 'kind' | 'metadata'>, format: OutputFormat = 'yaml'): string {
  // `kubectl apply -f DIR` applies files in name order and every other object lives in the namespace:
  // the Namespace file must sort first.
  const first = obj.kind === 'Namespace' ? '00-' : '';
  return `${first}${obj.kind.toLowerCase()}-${obj.metadata.name}.${format}`;
}

/** One file per object, in the order given. Kind + name are unique, so names never collide. */
export function renderFiles(objects: KubeObject[], format: OutputFormat = 'yaml'): RenderedFile[] {
  return objects.map((o) => ({
    path: fileName(o, format),
    content: format === 'json' ? renderJsonObject(o) : renderYaml([o]),
  }));
}

export interface Drift {
  /** Files that would be written but are missing. */
  missing: string[];
  /** Files present that would not be written. */
  extra: string[];
  /** Files whose content differs. */
  changed: string[];
}

/** Differences between the files that would be written and `actual` (name → content). */
export function diffFiles(expected: RenderedFile[], actual: ReadonlyMap<string, string>): Drift {
  const want = new Map(expected.map((f) => [f.path, f.content]));
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [p, c] of want) {
    const got = actual.get(p);
    if (got === undefined) missing.push(p);
    else if (got !== c) changed.push(p);
  }
  const extra = [...actual.keys()].filter((p) => !want.has(p));
  return { missing: missing.sort(), extra: extra.sort(), changed: changed.sort() };
}

export function hasDrift(d: Drift): boolean {
  return d.missing.length + d.extra.length + d.changed.length > 0;
}
