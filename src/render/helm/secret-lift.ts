/**
 * The chart's Secrets as values (for HelmLifter): which Secrets become `<service>.secretEnv` or `secrets.<key>`
 * ({existingSecret, values}), their templates (a placeholder is the default, a value given at install time stays on
 * upgrades that give none), and every pod reference to them pointing at `existingSecret` when it is set.
 */
import type { KubeObject } from '../../kube/object.js';
import type { Markers } from './markers.js';
import { pad } from './markers.js';
import { KeyRegistry } from './values.js';
import { isPlaceholder, keptValue, type SecretKeys, type SecretValues } from './secret-refs.js';
import { asMap as asObj, mapsIn as asList } from '../../util/object.js';

type J = Record<string, unknown>;

/** What SecretLifter needs of the lifter: the services' values and who reads each Secret. */
export interface SecretServices {
  /** The values of service `key` (made on first use). */
  svc(key: string): J;
  /** The values key of the one service that reads `Secret/<name>` with envFrom, if exactly one does. */
  soleEnvUser(ref: string): string | undefined;
}

export class SecretLifter {
  /** Project-wide Secrets' values: `secrets.<key>`. */
  readonly secrets: J = {};
  /** The Secrets whose data are values (secretEnv, secrets.<key>), in lifting order. */
  readonly values: SecretValues[] = [];
  /** Secrets a pod mounts (their keys are files); the others are read as variables (envFrom, secretKeyRef). */
  readonly mounted = new Set<string>();
  private readonly projectKeys = new KeyRegistry();
  /** Secret name → `.Values` path of the Secrets lifted into values. */
  private readonly paths = new Map<string, string>();

  constructor(
    private readonly markers: Markers,
    /** Per Secret name, the keys its versions in all environments have. */
    private readonly secretKeys: ReadonlyMap<string, SecretKeys>,
    private readonly services: SecretServices,
  ) {}

  /** The `.Values` path of Secret `name`, when it is lifted. */
  pathOf(name: string): string | undefined {
    return this.paths.get(name);
  }

  /** Which Secrets become values, and where (pods lifted before their Secret must know the path). */
  plan(objects: readonly KubeObject[]): void {
    const withEnv = new Set<string>();
    for (const o of objects) {
      if (o.kind !== 'Secret' || o.apiVersion !== 'v1') continue;
      const data = asObj((o as unknown as J).stringData);
      if (!data || Object.values(data).some((v) => typeof v !== 'string')) continue;
      const user = this.services.soleEnvUser(`Secret/${o.metadata.name}`);
      // One Secret per service is its secretEnv; any other is a project-wide one.
      if (user && !withEnv.has(user)) {
        withEnv.add(user);
        this.paths.set(o.metadata.name, `.Values.${user}.secretEnv`);
      } else this.paths.set(o.metadata.name, `.Values.secrets.${this.projectKeys.get(o.metadata.name)}`);
    }
  }

  /** The template expression for a reference to Secret `name`: the existing Secret's name when one is given. */
  private ref(name: unknown): unknown {
    const path = typeof name === 'string' ? this.paths.get(name) : undefined;
    if (!path) return name;
    return this.markers.scalar(`{{ ${path}.existingSecret | default ${JSON.stringify(name)} | quote }}`);
  }

  /** Secret references of a pod spec point at `existingSecret` when it is set. */
  liftRefs(pod: J | undefined): void {
    if (!pod || this.paths.size === 0) return;
    for (const c of [...asList(pod.containers), ...asList(pod.initContainers)]) {
      for (const e of asList(c.envFrom)) {
        const ref = asObj(e.secretRef);
        if (ref) ref.name = this.ref(ref.name);
      }
      for (const e of asList(c.env)) {
        const ref = asObj(asObj(e.valueFrom)?.secretKeyRef);
        if (ref) ref.name = this.ref(ref.name);
      }
    }
    for (const v of asList(pod.volumes)) {
      const secret = asObj(v.secret);
      if (secret) secret.secretName = this.ref(secret.secretName);
      for (const src of asList(asObj(v.projected)?.sources)) {
        const ref = asObj(src.secret);
        if (ref) ref.name = this.ref(ref.name);
      }
    }
  }

  /**
   * A Secret whose data are values: `{existingSecret, values}`. Returns the condition its template is wrapped in
   * (no Secret when an existing one is named).
   */
  lift(o: J & KubeObject): string | undefined {
    const path = this.paths.get(o.metadata.name);
    const data = asObj(o.stringData) as Record<string, string> | undefined;
    if (!path || !data) return undefined;
    const keys = Object.keys(data);
    const missing = keys.filter((k) => isPlaceholder(data[k]!));
    const values = Object.fromEntries(keys.map((k) => [k, isPlaceholder(data[k]!) ? '' : data[k]!]));
    const where = { existingSecret: '', values };
    const rel = path.slice('.Values.'.length);
    const [head, ...rest] = rel.split('.');
    if (head === 'secrets') this.secrets[rest[0]!] = where;
    else this.services.svc(head!).secretEnv = where;
    this.values.push({
      path: rel,
      name: o.metadata.name,
      use: this.mounted.has(o.metadata.name) ? 'files' : 'env',
      type: typeof o.type === 'string' ? o.type : 'Opaque',
      keys,
      missing,
    });
    // With environments, the template holds every key any of them gives this Secret; one some lack is printed
    // only when the values have it (so values-NAME.yaml adds or removes keys).
    const u = this.secretKeys.get(o.metadata.name);
    const all = [...(u?.keys ?? []), ...keys.filter((k) => !u?.keys.includes(k))];
    const stringData: J = {};
    for (const k of all) {
      const get = `index ${path}.values ${JSON.stringify(k)}`;
      const stand = k in data && isPlaceholder(data[k]!) ? data[k] : u?.placeholders.get(k);
      // A placeholder stays the default (it is no secret); a value given at install time replaces it, and stays
      // on upgrades that give none (the Secret's value in the cluster), as does one given for an empty value.
      const kept = stand !== undefined || !data[k] ? ` | default ${keptValue(o.metadata.name, k)}` : '';
      const expr =
        stand !== undefined
          ? `{{ ${get}${kept} | default ${JSON.stringify(stand)} | quote }}`
          : `{{ ${get}${kept} | quote }}`;
      if (!u || u.everywhere.has(k)) stringData[k] = this.markers.scalar(expr);
      else
        stringData[
          this.markers.block((n) =>
            [
              `{{- if hasKey ${path}.values ${JSON.stringify(k)} }}`,
              `${pad(n)}${JSON.stringify(k)}: ${expr}`,
              `{{- end }}`,
            ].join('\n'),
          )
        ] = null;
    }
    const known = all.map((k) => JSON.stringify(k)).join(' ');
    stringData[
      this.markers.block((n) =>
        [
          `{{- range $k, $v := ${path}.values }}`,
          `{{- if not (has $k (list ${known})) }}`,
          `${pad(n)}{{ $k | quote }}: {{ $v | quote }}`,
          `{{- end }}`,
          `{{- end }}`,
        ].join('\n'),
      )
    ] = null;
    o.stringData = stringData;
    return `not ${path}.existingSecret`;
  }
}
