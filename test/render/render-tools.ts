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
import { CONFIG_HASH, withoutConfigHash } from '../../src/kube/config-hash.js';
import type { KubeObject } from '../../src/kube/object.js';

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

/** A chart's Job name: the converted name, a dash and 8 hex digits of its spec's hash (src/render/helm/jobs.ts). */
export const HASHED_JOB = /^(.+)-[0-9a-f]{8}$/;

/**
 * A deep copy without the labels Helm sets (and the converter's managed-by, which Helm replaces), nor the chart's
 * `checksum/...` pod annotations, nor the plain manifests' config hash they replace (an `annotations` map left
 * empty by that goes too), and with a Job's name without the hash the chart adds to it.
 */
export function withoutHelmLabels(value: unknown, key?: string, top = true): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutHelmLabels(v, undefined, top));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const job = top && (value as { kind?: unknown }).kind === 'Job';
  for (const [k, v] of Object.entries(value)) {
    if (job && k === 'metadata') {
      const meta = withoutHelmLabels(v, k, false) as { name?: string };
      const m = HASHED_JOB.exec(meta.name ?? '');
      out[k] = m ? { ...meta, name: m[1] } : meta;
      continue;
    }
    if (key === 'labels' && HELM_LABELS.includes(k)) continue;
    if (key === 'annotations' && (k.startsWith('checksum/') || k === CONFIG_HASH)) continue;
    const next = withoutHelmLabels(v, k, false);
    if (k === 'annotations' && next !== null && typeof next === 'object' && Object.keys(next).length === 0) {
      if (Object.keys(v as object).length) continue;
    }
    out[k] = next;
  }
  return out;
}

/** Objects keyed `Kind/name`, for comparing sets regardless of order. */
export function byRef(objects: Obj[]): Record<string, unknown> {
  return Object.fromEntries(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}

const GENERATED_KINDS = new Set(['ConfigMap', 'Secret']);

/** A Secret's `stringData` folded into base64 `data`, as the API server (and a secretGenerator) gives it. */
function secretAsData(o: Obj): Obj {
  if (o.kind !== 'Secret' || !o['stringData']) return o;
  const { stringData, ...rest } = o as Obj & { stringData: Record<string, string>; data?: Record<string, string> };
  const data = { ...(rest.data ?? {}) };
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
  return { ...rest, data } as Obj;
}

function renameStrings(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return names.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => renameStrings(v, names));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renameStrings(v, names)]));
}

/**
 * `built` (the output of `kubectl kustomize`) and `expected` (a plain conversion) made comparable: a generated
 * ConfigMap / Secret `NAME-<hash>` of `built` is renamed NAME wherever its name appears (the references kustomize
 * rewrote), and Secrets' `stringData` becomes `data` on both sides. `hashed` lists the generated names.
 */
export function modGeneratorHashes(
  built: Obj[],
  expected: Obj[],
): { built: Obj[]; expected: Obj[]; hashed: Map<string, string> } {
  const plain = new Set(expected.filter((o) => GENERATED_KINDS.has(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`));
  const hashed = new Map<string, string>();
  for (const o of built) {
    const m = /^(.+)-([a-z0-9]{10})$/.exec(o.metadata.name);
    if (
      GENERATED_KINDS.has(o.kind) &&
      m &&
      plain.has(`${o.kind}/${m[1]}`) &&
      !plain.has(`${o.kind}/${o.metadata.name}`)
    )
      hashed.set(o.metadata.name, m[1]!);
  }
  // The hash suffixes roll the pods that read generated objects, in place of the plain manifests' config hash.
  const unhashed = (o: Obj): Obj => withoutConfigHash(o as unknown as KubeObject) as unknown as Obj;
  return {
    built: built.map((o) => unhashed(renameStrings(secretAsData(o), hashed) as Obj)),
    expected: expected.map((o) => unhashed(secretAsData(o))),
    hashed,
  };
}

/** References by name (envFrom, env valueFrom, volumes, projected sources) anywhere in `objects`. */
export function nameRefs(objects: Obj[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (
        (k === 'name' &&
          ['configMapRef', 'secretRef', 'configMapKeyRef', 'secretKeyRef', 'configMap', 'secret'].includes(
            key ?? '',
          )) ||
        (k === 'secretName' && (key === 'secret' || key === 'tls'))
      ) {
        if (typeof x === 'string') out.push(x);
      } else walk(x, k);
    }
  };
  for (const o of objects) walk(o);
  return out;
}
