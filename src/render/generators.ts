/**
 * ConfigMaps and Secrets as Kustomize generators: a `configMapGenerator` / `secretGenerator` entry plus the files
 * it reads, written next to the kustomization. Kustomize appends a hash of the content to the generated name and
 * rewrites the references in pods (envFrom, env valueFrom, volumes, Ingress TLS...), so a changed config rolls the
 * Deployments that read it. An object whose data are all single-line variables becomes an `.env`-style file
 * (`envs:`), unless it is a Secret a pod mounts (its keys are files); any other becomes one file per key
 * (`files: [key=path]`). `kubectl kustomize` yields the same data,
 * labels, annotations, type and immutability as the object (a Secret's `stringData` comes out as `data`).
 *
 * Secret files hold the values the conversion put in the Secret, so they obey `--secrets` like every other output:
 * placeholders by default, real values only with `--secrets embed`.
 */
import type { KubeObject } from '../kube/object.js';
import type { RenderedFile } from './files.js';

export type GeneratorKind = 'configMapGenerator' | 'secretGenerator';

export interface Generated {
  kind: GeneratorKind;
  /** The generator's (base) name: the object's name. */
  name: string;
  /** Data as text, key → value (a Secret's `data` decoded, `stringData` over it). */
  data: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** A Secret's type, when not Opaque. */
  type?: string;
  immutable?: boolean;
  /**
   * A pod mounts it as a volume, so each key is a file (a secret config file, a key): written one file per key
   * (`files:`) even when every value fits an env line, so a placeholder is filled by putting the real file there.
   */
  mounted?: boolean;
  /**
   * Keep the name (`options.disableNameSuffixHash`): only Jobs read it. A Job's pod template cannot change, so a new
   * hash suffix would make `kubectl apply -k` fail on the Job ("field is immutable"), and no pod would roll anyway.
   */
  keepName?: boolean;
}

type J = Record<string, unknown>;
const isMap = (v: unknown): v is J => v !== null && typeof v === 'object' && !Array.isArray(v);
const stringMap = (v: unknown): v is Record<string, string> =>
  isMap(v) && Object.values(v).every((x) => typeof x === 'string');

const TOP_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'data', 'stringData', 'type', 'immutable']);
const META_KEYS = new Set(['name', 'namespace', 'labels', 'annotations']);
/** A lone surrogate cannot be written as UTF-8: kustomize would read something else. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** base64 → text, or undefined when the bytes are not UTF-8 (kustomize would make them binaryData). */
function decodeBase64(b64: string): string | undefined {
  try {
    const bin = atob(b64);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** What a generator would produce for `o`, or undefined when it must stay a plain object. */
export function generatedOf(o: KubeObject): Generated | undefined {
  if (o.apiVersion !== 'v1' || (o.kind !== 'ConfigMap' && o.kind !== 'Secret')) return undefined;
  const raw = o as unknown as J;
  if (Object.keys(raw).some((k) => !TOP_KEYS.has(k))) return undefined;
  if (Object.keys(o.metadata).some((k) => !META_KEYS.has(k))) return undefined;
  const meta = o.metadata as unknown as J;
  if (meta.labels !== undefined && !stringMap(meta.labels)) return undefined;
  if (meta.annotations !== undefined && !stringMap(meta.annotations)) return undefined;
  if (raw.immutable !== undefined && typeof raw.immutable !== 'boolean') return undefined;
  const data: Record<string, string> = {};
  if (o.kind === 'ConfigMap') {
    if (raw.stringData !== undefined || raw.type !== undefined) return undefined;
    if (raw.data !== undefined && !stringMap(raw.data)) return undefined;
    Object.assign(data, raw.data ?? {});
  } else {
    if (raw.type !== undefined && typeof raw.type !== 'string') return undefined;
    if (raw.data !== undefined && !stringMap(raw.data)) return undefined;
    if (raw.stringData !== undefined && !stringMap(raw.stringData)) return undefined;
    for (const [k, v] of Object.entries(raw.data ?? {})) {
      const text = decodeBase64(v as string);
      if (text === undefined) return undefined;
      data[k] = text;
    }
    Object.assign(data, raw.stringData ?? {});
  }
  // An empty generator makes an object without `data`; the plain object may say `data: {}`.
  if (Object.keys(data).length === 0) return undefined;
  if (Object.values(data).some((v) => LONE_SURROGATE.test(v))) return undefined;
  return {
    kind: o.kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator',
    name: o.metadata.name,
    data,
    ...(meta.labels ? { labels: meta.labels as Record<string, string> } : {}),
    ...(meta.annotations ? { annotations: meta.annotations as Record<string, string> } : {}),
    ...(o.kind === 'Secret' && typeof raw.type === 'string' && raw.type !== 'Opaque' ? { type: raw.type } : {}),
    ...(typeof raw.immutable === 'boolean' ? { immutable: raw.immutable } : {}),
  };
}

/** A key kustomize reads back from an env file unchanged: `KEY=VALUE`, the key trimmed, `#` lines skipped. */
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** Values an env file line carries exactly: no line break, no control character, no BOM. */
const ENV_VALUE_BAD = /[\u0000-\u0008\u000a-\u001f\u007f\u0085\u2028\u2029\ufeff]/;

function envFileFits(data: Record<string, string>): boolean {
  return Object.entries(data).every(([k, v]) => ENV_KEY.test(k) && !ENV_VALUE_BAD.test(v));
}

const sortedKeys = (m: Record<string, string>): string[] => Object.keys(m).sort();

/** A file name for a data key (keys may start with a dot; the `key=path` form keeps the key). */
const keyFile = (key: string): string => (key.startsWith('.') ? `_${key}` : key);

export interface GeneratorOptions {
  /** `create` (default), `merge` or `replace` (overlays). */
  behavior?: 'merge' | 'replace';
  /** Leave out labels/annotations/type/immutable (an overlay merge that changes data only). */
  dataOnly?: boolean;
}

/** The kustomization entry for `g` and the files it reads (paths relative to the kustomization). */
export function generatorEntry(g: Generated, options: GeneratorOptions = {}): { entry: J; files: RenderedFile[] } {
  const stem = `${g.kind === 'configMapGenerator' ? 'configmap' : 'secret'}-${g.name}`;
  const keys = sortedKeys(g.data);
  const files: RenderedFile[] = [];
  const entry: J = { name: g.name, ...(options.behavior ? { behavior: options.behavior } : {}) };
  if (!g.mounted && envFileFits(g.data)) {
    const path = `${stem}.env`;
    files.push({ path, content: keys.map((k) => `${k}=${g.data[k]}\n`).join('') });
    entry.envs = [path];
  } else {
    const used = new Set<string>();
    const list: string[] = [];
    for (const k of keys) {
      let name = keyFile(k);
      for (let i = 2; used.has(name); i++) name = `${keyFile(k)}-${i}`;
      used.add(name);
      files.push({ path: `${stem}/${name}`, content: g.data[k]! });
      list.push(`${k}=${stem}/${name}`);
    }
    entry.files = list;
  }
  const keep: J = g.keepName ? { disableNameSuffixHash: true } : {};
  if (!options.dataOnly) {
    if (g.type) entry.type = g.type;
    const opts: J = {
      ...(g.labels && Object.keys(g.labels).length ? { labels: g.labels } : {}),
      ...(g.annotations && Object.keys(g.annotations).length ? { annotations: g.annotations } : {}),
      ...(g.immutable !== undefined ? { immutable: g.immutable } : {}),
      ...keep,
    };
    if (Object.keys(opts).length) entry.options = opts;
  } else if (g.keepName) entry.options = keep;
  return { entry, files };
}

/** Generator entries grouped by kind, in the order given, plus their files. */
export interface GeneratorSet {
  configMapGenerator: J[];
  secretGenerator: J[];
  files: RenderedFile[];
}

export function emptyGeneratorSet(): GeneratorSet {
  return { configMapGenerator: [], secretGenerator: [], files: [] };
}

export function addGenerator(set: GeneratorSet, g: Generated, options: GeneratorOptions = {}): void {
  const { entry, files } = generatorEntry(g, options);
  set[g.kind].push(entry);
  set.files.push(...files);
}

/** The kustomization keys of a set (none when empty). */
export function generatorKeys(set: GeneratorSet): J {
  return {
    ...(set.configMapGenerator.length ? { configMapGenerator: set.configMapGenerator } : {}),
    ...(set.secretGenerator.length ? { secretGenerator: set.secretGenerator } : {}),
  };
}
