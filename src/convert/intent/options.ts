/**
 * The conversion options, declared once in OPTIONS: name, default and reader (parser + validator); how each is spelt
 * outside a library call (CLI flag, top-level `x-k8s` key) in SPELLINGS, which only OPTION_SPECS carries; what each
 * does, in words, is in ./option-docs.ts. From them come the `ConvertOptions` type, the defaults (defaultOptions), the
 * precedence (effectiveOptions in overrides.ts: CLI flag or library option > x-k8s > default), the option part
 * of the top-level x-k8s schema (x-k8s.ts), the commander options of the CLI (src/cli/options.ts) and
 * docs/options.md (test/convert/intent/options.test.ts keeps it in step).
 */
import { CONTROLLER_KINDS } from '../../kube/workloads.js';
import * as V from './values.js';

/** How an option is given on the command line. */
export type OptionKind =
  /** `--flag <arg>` (its `arg` is a spelling: OptionSpelling). */
  | { type: 'value' }
  /** A switch: `--flag`, or `--no-flag` when the default is true. */
  | { type: 'switch' }
  /** `--flag KEY=VALUE`, repeatable: a map of KEY to the value read by `read`. */
  | { type: 'map'; arg: string };

/** An option as the converter reads it. */
export interface OptionCore {
  name: string;
  kind: OptionKind;
  default?: unknown;
  /** What a value must be, for messages and docs (`a Kubernetes quantity such as 1Gi`). */
  expect: string;
  /** Reads and checks one textual value (a flag's argument, an x-k8s scalar, a map entry's value). */
  read: (v: string) => unknown;
}

/** How an option is spelt outside a library call. */
export interface OptionSpelling {
  /**
   * Long CLI flag without dashes, when it is not the name in kebab case (optionFlag: `createNamespace` →
   * `--create-namespace`); `short` adds `-n`.
   */
  flag?: string;
  short?: string;
  /** A value option's argument as the CLI's help and the docs name it (`--namespace <ns>`): optionArg. */
  arg?: string;
  /** Dotted key under the top-level `x-k8s` that sets it too (`ingress.host`), when there is one. */
  xk8s?: string;
  /** The parent x-k8s key may hold the value alone (`tls: name` for `tls: {secret: name}`). */
  xk8sAlone?: boolean;
  /** Where a per-service setting of the same thing lives (documentation only). */
  perService?: string;
}

export interface OptionSpec extends OptionCore, OptionSpelling {}

const enumOf =
  <const T extends string>(allowed: readonly T[]) =>
  (v: string): V.Read<T> =>
    V.readEnum(v, allowed);

/** `NAME[/NAMESPACE]` of a Gateway: a DNS subdomain name (Gateway API ObjectName) and a namespace label. */
function readGatewayRef(v: string): V.Read<string> {
  const parts = v.trim().split('/');
  if (parts.length > 2) return { invalid: `"${v}" is not NAME or NAME/NAMESPACE`, hint: 'e.g. --gateway gw/infra' };
  const name = V.readName(parts[0] ?? '', 'Gateway name');
  if (V.isInvalid(name)) return name;
  if (parts.length === 1) return name;
  const ns = V.readName(parts[1] ?? '', 'namespace', 'label');
  return V.isInvalid(ns) ? ns : `${name}/${ns}`;
}

/** The Gateway as the report names it: `gw (namespace infra)`, or `gw` (in the routes' namespace). */
export function gatewayLabel(value: string): string {
  const g = gatewayRef(value);
  return g.namespace ? `${g.name} (namespace ${g.namespace})` : g.name;
}

/** The Gateway named by the `gateway` option (`gw` or `gw/infra`). */
export function gatewayRef(value: string): { name: string; namespace?: string } {
  const [name, namespace] = value.split('/');
  return { name: name!, ...(namespace ? { namespace } : {}) };
}

export const OPTIONS = [
  {
    name: 'namespace',
    kind: { type: 'value' },
    expect: 'a namespace',
    read: (v: string) => V.readName(v, 'namespace', 'label'),
  },
  {
    name: 'createNamespace',
    kind: { type: 'switch' },
    default: false,
    expect: 'true or false',
    read: V.readBool,
  },
  {
    name: 'secrets',
    kind: { type: 'value' },
    default: 'placeholder',
    expect: 'placeholder / embed / external',
    read: enumOf(['placeholder', 'embed', 'external']),
  },
  {
    name: 'exposeType',
    kind: { type: 'value' },
    default: 'LoadBalancer',
    expect: 'LoadBalancer / NodePort / none',
    read: enumOf(['LoadBalancer', 'NodePort', 'none']),
  },
  {
    name: 'ingress',
    kind: { type: 'value' },
    default: 'ingress',
    expect: 'ingress or gateway',
    read: enumOf(['ingress', 'gateway']),
  },
  {
    name: 'gateway',
    kind: { type: 'value' },
    expect: 'a Gateway name, optionally /namespace (gw or gw/infra)',
    read: readGatewayRef,
  },
  {
    name: 'ingressHost',
    kind: { type: 'value' },
    expect: 'a host name',
    read: V.readHost,
  },
  {
    name: 'ingressClass',
    kind: { type: 'value' },
    expect: 'a IngressClass name',
    read: (v: string) => V.readName(v, 'IngressClass name'),
  },
  {
    name: 'ingressTlsSecret',
    kind: { type: 'value' },
    expect: 'a Secret name',
    read: (v: string) => V.readName(v, 'Secret name'),
  },
  {
    name: 'volumeSize',
    kind: { type: 'value' },
    default: '1Gi',
    expect: 'a quantity such as 1Gi',
    read: (v: string) => V.readQuantity(v, '1Gi'),
  },
  {
    name: 'storageClass',
    kind: { type: 'value' },
    expect: 'a StorageClass name',
    read: (v: string) => V.readName(v, 'StorageClass name'),
  },
  {
    name: 'sharedVolumes',
    kind: { type: 'value' },
    default: 'rwo',
    expect: 'rwo or rwx',
    read: enumOf(['rwo', 'rwx']),
  },
  {
    name: 'hostPath',
    kind: { type: 'switch' },
    default: false,
    expect: 'true or false',
    read: V.readBool,
  },
  {
    name: 'networkPolicies',
    kind: { type: 'switch' },
    default: true,
    expect: 'true or false',
    read: V.readBool,
  },
  {
    name: 'defaultProbes',
    kind: { type: 'switch' },
    default: true,
    expect: 'true or false',
    read: V.readBool,
  },
  {
    name: 'podSecurity',
    kind: { type: 'value' },
    expect: 'restricted',
    read: enumOf(['restricted']),
  },
  {
    name: 'allowUnsafeSysctls',
    kind: { type: 'switch' },
    default: false,
    expect: 'true or false',
    read: V.readBool,
  },
  {
    name: 'kustomizeGenerators',
    kind: { type: 'switch' },
    default: true,
    expect: 'true or false',
    read: V.readBool,
  },
  {
    name: 'controllers',
    kind: { type: 'map', arg: 'service=kind' },
    expect: CONTROLLER_KINDS.join(' / '),
    read: enumOf(CONTROLLER_KINDS),
  },
] as const satisfies readonly OptionCore[];

/** The argument of a value or map option's flag (`ns`, `service=kind`); undefined for a switch. */
export function optionArg(spec: OptionSpec): string | undefined {
  return spec.kind.type === 'map' ? spec.kind.arg : spec.arg;
}

/** The option's long CLI flag without dashes: its own `flag`, else its name in kebab case. */
export function optionFlag(spec: OptionSpec): string {
  return spec.flag ?? spec.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * How each option is spelt outside a library call (OptionSpelling): its CLI flag and the x-k8s key that sets it too.
 * Only OPTION_SPECS carries them: the CLI, the x-k8s dialect and the docs read them, the core never does, so they stay
 * out of the lean browser entry.
 */
const SPELLINGS: Readonly<Partial<Record<OptionName, OptionSpelling>>> = {
  namespace: { arg: 'ns', short: 'n', xk8s: 'namespace' },
  createNamespace: { xk8s: 'createNamespace' },
  secrets: { arg: 'mode', xk8s: 'secrets' },
  exposeType: { arg: 'type', xk8s: 'exposeType' },
  ingress: { arg: 'api', xk8s: 'ingress.api' },
  gateway: { arg: 'name[/namespace]', xk8s: 'ingress.gateway' },
  ingressHost: { arg: 'host', xk8s: 'ingress.host' },
  ingressClass: { arg: 'class', xk8s: 'ingress.class' },
  ingressTlsSecret: { arg: 'secret', xk8s: 'ingress.tls.secret', xk8sAlone: true },
  volumeSize: { arg: 'size', xk8s: 'storage.size' },
  storageClass: { arg: 'class', xk8s: 'storage.class' },
  sharedVolumes: { arg: 'mode', xk8s: 'storage.shared' },
  networkPolicies: { xk8s: 'networkPolicies' },
  defaultProbes: { xk8s: 'defaultProbes' },
  podSecurity: { arg: 'level', xk8s: 'podSecurity' },
  allowUnsafeSysctls: { xk8s: 'allowUnsafeSysctls' },
  controllers: { flag: 'controller', perService: 'services.<name>.x-k8s.controller' },
};

/**
 * OPTIONS with their spellings, for the code that walks the table with them (the CLI, the x-k8s dialect, the docs).
 * Pure: a bundle whose code reads only OPTIONS leaves it and SPELLINGS out.
 */
export const OPTION_SPECS: readonly OptionSpec[] = /* @__PURE__ */ OPTIONS.map((o) => ({ ...o, ...SPELLINGS[o.name] }));

type Spec = (typeof OPTIONS)[number];
type Read<S extends Spec> = Exclude<ReturnType<S['read']>, V.Invalid>;
type ValueOf<S extends Spec> = S['kind'] extends { type: 'map' } ? Record<string, Read<S>> : Read<S>;
type Simplify<T> = { [K in keyof T]: T[K] };

/** Options of one conversion, made from OPTIONS: an option with a default is always set, the others are optional. */
export type ConvertOptions = Simplify<
  { -readonly [S in Spec as S extends { default: unknown } ? S['name'] : never]: ValueOf<S> } & {
    -readonly [S in Spec as S extends { default: unknown } ? never : S['name']]?: ValueOf<S>;
  }
>;

export type OptionName = keyof ConvertOptions;

export function defaultOptions(partial: Partial<ConvertOptions> = {}): ConvertOptions {
  const o: Record<string, unknown> = {};
  for (const spec of OPTIONS as readonly OptionCore[]) if (spec.default !== undefined) o[spec.name] = spec.default;
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) o[k] = v;
  return o as unknown as ConvertOptions;
}

/**
 * Check a value given for `spec` by a library caller (the CLI reads its flags with the same `read`): the value
 * as the converter uses it (trimmed, canonical case), or the problem.
 */
export function checkOption(spec: OptionCore, value: unknown): V.Read<unknown> {
  const one = (v: unknown): V.Read<unknown> => {
    if (typeof v === 'boolean')
      return spec.kind.type === 'switch' ? v : { invalid: `expected ${spec.expect}, got ${v}` };
    if (typeof v !== 'string' && typeof v !== 'number')
      return { invalid: `expected ${spec.expect}, got ${v === null ? 'null' : typeof v}` };
    if (spec.kind.type === 'switch') return { invalid: `expected true or false, got ${JSON.stringify(v)}` };
    return spec.read(String(v)) as V.Read<unknown>;
  };
  if (spec.kind.type !== 'map') return one(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { invalid: `expected a mapping of ${spec.kind.arg}` };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const r = one(v);
    if (V.isInvalid(r)) return { invalid: `${k}: ${r.invalid}`, ...(r.hint ? { hint: r.hint } : {}) };
    out[k] = r;
  }
  return out;
}
