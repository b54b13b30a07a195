/** Secrets the chart takes from values, and the pod fields that refer to Secrets (renamed by existingSecret). */
import type { KubeObject } from '../../kube/object.js';
import { pad, type BlockRender } from './markers.js';
import { asMap as asObj, mapsIn as asList } from '../../util/object.js';

type J = Record<string, unknown>;

/** A Secret the chart takes from values: an existing Secret's name, or its data at install time. */
export interface SecretValues {
  /** Values path without `.Values.`: `api.secretEnv`, `secrets.dbPassword`. */
  path: string;
  /** The Secret's name in the chart. */
  name: string;
  /** Read as environment variables (envFrom), or mounted as files. */
  use: 'env' | 'files';
  type: string;
  keys: string[];
  /** Keys whose converted value is (or holds) a placeholder: the real value must be provided. */
  missing: string[];
  /** Mounted files: data key → the file in the project it comes from, when known. */
  sources?: Record<string, string>;
}

export const isPlaceholder = (v: string): boolean => v.includes('<set-me');

/**
 * The template expression for the value key `key` of Secret `name` holds in the cluster now (decoded; "" when there
 * is none: a first install, `helm template`). A key the values leave empty keeps it on `helm upgrade`, so a password
 * given once at install is not replaced by its placeholder when a later upgrade does not repeat it.
 */
export function keptValue(name: string, key: string): string {
  const data = `(lookup "v1" "Secret" .Release.Namespace ${JSON.stringify(name)}).data | default dict`;
  return `(index (${data}) ${JSON.stringify(key)} | default "" | b64dec)`;
}

/**
 * Fields whose items may refer to a Secret, and the Go template statements that rename those references in
 * `$list` (a copy of the value) with `$names` (Secret name → the name to use).
 */
export const SECRET_REF_FIELDS: Readonly<Record<string, string>> = {
  envFrom: `{{- range $list }}{{- with get . "secretRef" }}${rename('name')}{{- end }}{{- end }}`,
  env: `{{- range $list }}{{- with get . "valueFrom" }}{{- with get . "secretKeyRef" }}${rename('name')}{{- end }}{{- end }}{{- end }}`,
  volumes:
    `{{- range $list }}{{- with get . "secret" }}${rename('secretName')}{{- end }}` +
    `{{- with get . "projected" }}{{- range (get . "sources" | default list) }}{{- with get . "secret" }}${rename('name')}{{- end }}{{- end }}{{- end }}{{- end }}`,
};

function rename(key: string): string {
  const k = JSON.stringify(key);
  return `{{- if hasKey $names (get . ${k}) }}{{- $_ := set . ${k} (get $names (get . ${k})) }}{{- end }}`;
}

/** The Secret names that the items of a SECRET_REF_FIELDS field refer to. */
export function secretRefNames(field: string, value: unknown): string[] {
  const out: unknown[] = [];
  for (const item of asList(value)) {
    if (field === 'envFrom') out.push(asObj(item.secretRef)?.name);
    if (field === 'env') out.push(asObj(asObj(item.valueFrom)?.secretKeyRef)?.name);
    if (field === 'volumes') {
      out.push(asObj(item.secret)?.secretName);
      for (const src of asList(asObj(item.projected)?.sources)) out.push(asObj(src.secret)?.name);
    }
  }
  return out.filter((n): n is string => typeof n === 'string');
}

/** presentBlock for a SECRET_REF_FIELDS field: a copy of the value with its Secret references renamed. */
export function secretRefBlock(field: string, expr: string, names: string): BlockRender {
  return (n) =>
    [
      `{{- if not (kindIs "invalid" ${expr}) }}`,
      `{{- $names := dict ${names} }}`,
      `{{- $list := deepCopy ${expr} }}`,
      SECRET_REF_FIELDS[field]!,
      `${pad(n)}${field}:`,
      `${pad(n + 2)}{{- toYaml $list | nindent ${n + 2} }}`,
      `{{- end }}`,
    ].join('\n');
}

/** The data keys of one Secret over all environments: in order, the placeholders some give, those all have. */
export interface SecretKeys {
  keys: string[];
  placeholders: Map<string, string>;
  everywhere: Set<string>;
}

/** The SecretKeys of each Secret (by name) of every version (the chart's, then each environment's) of the objects. */
export function secretKeysOf(versions: ReadonlyArray<readonly KubeObject[]>): Map<string, SecretKeys> {
  const out = new Map<string, SecretKeys>();
  for (const objects of versions)
    for (const o of objects) {
      const data = o.kind === 'Secret' ? asObj((o as unknown as J).stringData) : undefined;
      if (!data) continue;
      const mine = Object.keys(data);
      let u = out.get(o.metadata.name);
      if (!u) out.set(o.metadata.name, (u = { keys: [], placeholders: new Map(), everywhere: new Set(mine) }));
      for (const k of mine) {
        if (!u.keys.includes(k)) u.keys.push(k);
        const v = data[k];
        if (typeof v === 'string' && isPlaceholder(v) && !u.placeholders.has(k)) u.placeholders.set(k, v);
      }
      for (const k of [...u.everywhere]) if (!(k in data)) u.everywhere.delete(k);
    }
  return out;
}
