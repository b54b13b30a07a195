/**
 * Shared by the Helm and Kustomize tests: write rendered files to a temporary directory, run the real
 * `helm`/`kubectl` from `.tools/bin`, parse their YAML output, and compare objects while ignoring
 * the labels Helm adds.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { hasTool, toolPath } from '../../scripts/tools.mjs';
import type { RenderedFile } from '../../src/render/files.js';

/** True when `name` can run; in CI a missing tool is an error, not a skip. */
export function toolAvailable(name: 'helm' | 'kubectl'): boolean {
  if (hasTool(name)) return true;
  if (process.env['CI']) throw new Error(`${toolPath(name)} is missing (run npm test, whose pretest installs it)`);
  console.warn(`skipping ${name} tests: ${toolPath(name)} is not installed (run npm test to install it)`);
  return false;
}

export function writeTree(files: RenderedFile[], dir = mkdtempSync(join(tmpdir(), 'c2k-render-'))): string {
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return dir;
}

export interface ToolRun {
  status: number;
  stdout: string;
  stderr: string;
}

export function runTool(name: 'helm' | 'kubectl', args: string[]): ToolRun {
  const r = spawnSync(toolPath(name), args, {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, HELM_CACHE_HOME: join(tmpdir(), 'c2k-helm-cache') },
  });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export type Obj = Record<string, unknown> & { kind: string; metadata: { name: string } };

/** Every non-empty document of a YAML stream. */
export function parseStream(text: string): Obj[] {
  return parseAllDocuments(text, { version: '1.1' })
    .map((d) => d.toJS() as unknown)
    .filter((o): o is Obj => o !== null && typeof o === 'object');
}

const HELM_LABELS = ['helm.sh/chart', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by'];

/** A deep copy without the labels Helm sets (and the converter's managed-by, which Helm replaces). */
export function withoutHelmLabels(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutHelmLabels(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (key === 'labels' && HELM_LABELS.includes(k)) continue;
    out[k] = withoutHelmLabels(v, k);
  }
  return out;
}

/** Objects keyed `Kind/name`, for comparing sets regardless of order. */
export function byRef(objects: Obj[]): Record<string, unknown> {
  return Object.fromEntries(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}
