/**
 * The `x-k8s` extension → overrides, validated with zod (strict objects: an unknown key is an error).
 * Service level (`services.<name>.x-k8s`), volume level (`volumes.<name>.x-k8s`) and top level (`x-k8s`).
 * Scalars are read leniently where interpolation makes them strings (`replicas: "${N}"` is fine).
 * Every problem becomes an `x-k8s-invalid` error at the position of the offending key; the whole
 * extension of that service/volume/project is then ignored, so a typo never half-applies.
 */
import * as z from 'zod';
import type { Service, VolumeConfig } from '../../model/types.js';
import type { SourcePos } from '../../report/diagnostic.js';
import type { ConvertContext } from '../context.js';
import type {
  AccessMode,
  ProbeOverride,
  ProjectOverrides,
  ServiceOverrides,
  VolumeOverrides,
} from './overrides-types.js';
import { OPTION_SPECS, type ConvertOptions } from './options.js';
import { CONTROLLER_KINDS } from '../../kube/workloads.js';
import * as V from './values.js';
import { describe, keyPath, suggest, xk8sIssues } from './x-k8s-issues.js';

export const X_K8S = 'x-k8s';

/** A scalar read by one of the value readers; its problem becomes a custom issue with a hint. */
function val<T>(read: (v: string | number) => V.Read<T>, what: string) {
  return z.unknown().transform((v, c): T => {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      c.addIssue({ code: 'custom', message: `expected ${what}, got ${describe(v)}` });
      return z.NEVER;
    }
    const r = read(typeof v === 'boolean' ? String(v) : v);
    if (V.isInvalid(r)) {
      c.addIssue({ code: 'custom', message: r.invalid, ...(r.hint ? { params: { hint: r.hint } } : {}) });
      return z.NEVER;
    }
    return r;
  });
}

const str = (what: string) => val((v): V.Read<string> => String(v).trim() || { invalid: `${what} is empty` }, what);
const int = (min: number, max?: number) => val((v) => V.readInt(v, min, max), 'an integer');
const bool = val((v) => V.readBool(String(v)), 'true or false');
const seconds = val(V.readSeconds, 'a duration such as 10s');
const quantity = (ex: string) => val((v) => V.readQuantity(v, ex), `a quantity such as ${ex}`);
const name = (what: string, kind: 'label' | 'subdomain' = 'subdomain') =>
  val((v) => V.readName(String(v), what, kind), `a ${what}`);
const oneOf = <T extends string>(allowed: readonly T[]) =>
  val((v) => V.readEnum(String(v), allowed), allowed.join(' / '));
const port = int(1, 65535);
const command = z.unknown().transform((v, c): string[] => {
  const r =
    typeof v === 'string'
      ? V.readCommand(v)
      : Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? V.normalizeTest(v)
        : { invalid: `expected a command (string or list of strings), got ${describe(v)}` };
  if (V.isInvalid(r)) {
    c.addIssue({ code: 'custom', message: r.invalid });
    return z.NEVER;
  }
  return r;
});
/** A list, or one item written alone. */
const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(item));

const ACCESS = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;

const probe = z.preprocess(
  (v) => (v === false ? { disabled: true } : v),
  z
    .strictObject({
      exec: command,
      http: z.preprocess(
        (v) => (typeof v === 'string' ? { path: v } : v),
        z.strictObject({ path: val((p) => V.readPath(String(p)), 'a path'), port }).partial(),
      ),
      tcp: z.preprocess(
        (v) => (typeof v === 'number' || typeof v === 'string' ? { port: v } : v),
        z.strictObject({ port }),
      ),
      period: seconds,
      timeout: seconds,
      initialDelay: seconds,
      failureThreshold: int(1),
      disabled: bool,
    })
    .partial()
    .superRefine((p, c) => {
      const actions = (['exec', 'http', 'tcp'] as const).filter((k) => p[k] !== undefined);
      if (actions.length > 1)
        c.addIssue({
          code: 'custom',
          path: [actions[1]!],
          message: `a probe has one action; ${actions.join(' and ')} are both set`,
          params: { hint: 'keep one of exec, http, tcp' },
        });
    }),
);

const quantities = z
  .strictObject({ cpu: quantity('500m'), memory: quantity('512Mi'), ephemeralStorage: quantity('1Gi') })
  .partial();

const serviceSchema = z
  .strictObject({
    controller: oneOf(CONTROLLER_KINDS),
    replicas: int(0),
    group: str('group name'),
    service: z.preprocess(
      (v) => (typeof v === 'string' || v === false ? { type: v === false ? 'None' : v } : v),
      z
        .strictObject({
          type: oneOf(['ClusterIP', 'NodePort', 'LoadBalancer', 'Headless', 'None'] as const),
          nodePort: port,
          externalTrafficPolicy: oneOf(['Cluster', 'Local'] as const),
        })
        .partial(),
    ),
    ingress: z.preprocess(
      (v) => (typeof v === 'boolean' ? { enabled: v } : typeof v === 'string' ? { host: v } : v),
      z
        .strictObject({
          enabled: bool,
          host: val((h) => V.readHost(String(h)), 'a host name'),
          hosts: list(val((h) => V.readHost(String(h)), 'a host name')),
          path: val((p) => V.readPath(String(p)), 'a path'),
          class: name('IngressClass name'),
          tls: z.preprocess(
            (v) => (typeof v === 'string' ? { secret: v } : v),
            z.strictObject({ secret: name('Secret name') }),
          ),
        })
        .partial(),
    ),
    storage: z
      .strictObject({
        size: quantity('1Gi'),
        class: name('StorageClass name'),
        accessMode: oneOf(ACCESS),
        type: oneOf(['persistentVolumeClaim', 'emptyDir', 'hostPath', 'configMap'] as const),
        subpath: str('subpath'),
      })
      .partial(),
    probes: z.strictObject({ readiness: probe, liveness: probe, startup: probe }).partial(),
    resources: z.strictObject({ limits: quantities, requests: quantities }).partial(),
    cron: z.preprocess(
      (v) => (typeof v === 'string' ? { schedule: v } : v),
      z.strictObject({
        schedule: val((s) => V.readSchedule(String(s)), 'a cron schedule'),
        concurrencyPolicy: oneOf(['Allow', 'Forbid', 'Replace'] as const).optional(),
        backoffLimit: int(0).optional(),
      }),
    ),
    hpa: z
      .strictObject({
        minReplicas: int(1),
        maxReplicas: int(1),
        cpu: val(V.readPercent, 'a percentage'),
        memory: val(
          (v) => (V.isInvalid(V.readPercent(v)) ? V.readQuantity(v, '512Mi') : V.readPercent(v)),
          'a percentage or a quantity',
        ),
      })
      .partial()
      .refine((h) => h.minReplicas === undefined || h.maxReplicas === undefined || h.minReplicas <= h.maxReplicas, {
        path: ['maxReplicas'],
        message: 'maxReplicas is below minReplicas',
      }),
    imagePullPolicy: oneOf(['Always', 'IfNotPresent', 'Never'] as const),
    imagePullSecrets: list(name('Secret name')),
    serviceAccount: name('ServiceAccount name'),
    initContainers: z.array(
      z.strictObject({ name: name('container name', 'label'), image: str('image'), command: command.optional() }),
    ),
    fsGroup: int(0, 2 ** 31 - 1),
    hostPorts: bool,
    http: bool,
    patches: z.array(z.unknown()).superRefine((ps, c) => checkPatches(ps, c)),
  })
  .partial();

const PATCH_OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

/** Patches: `{target?, op, path, value?, from?}` (JSON Patch) or `{target?, merge: {...}}` (strategic merge). */
function checkPatches(ps: unknown[], c: z.RefinementCtx): void {
  ps.forEach((p, i) => {
    const at = (path: Array<string | number>, message: string, hint?: string) =>
      c.addIssue({ code: 'custom', path: [i, ...path], message, ...(hint ? { params: { hint } } : {}) });
    if (typeof p !== 'object' || p === null || Array.isArray(p))
      return at([], `expected a mapping, got ${describe(p)}`);
    const o = p as Record<string, unknown>;
    const json = 'op' in o;
    const allowed = json ? ['target', 'op', 'path', 'value', 'from'] : ['target', 'merge'];
    for (const k of Object.keys(o))
      if (!allowed.includes(k))
        at([k], `unknown key "${k}" in a ${json ? 'JSON' : 'merge'} patch`, suggest(k, allowed));
    if (json) {
      if (typeof o.op !== 'string' || !PATCH_OPS.includes(o.op))
        at(['op'], `op must be one of ${PATCH_OPS.join(', ')}`);
      if (typeof o.path !== 'string' || !o.path.startsWith('/'))
        at(['path'], 'path must be a JSON Pointer such as /spec/replicas');
    } else if (typeof o.merge !== 'object' || o.merge === null || Array.isArray(o.merge)) {
      at(
        o.merge === undefined ? [] : ['merge'],
        'a patch needs either op/path (JSON Patch) or merge: {...} (strategic merge)',
      );
    }
    const t = o.target;
    if (
      t !== undefined &&
      (typeof t !== 'object' ||
        t === null ||
        Object.entries(t).some(([k, v]) => !['kind', 'name'].includes(k) || typeof v !== 'string'))
    )
      at(['target'], 'target must be a mapping with kind and/or name', 'e.g. target: {kind: Service}');
  });
}

const volumeSchema = z
  .strictObject({
    size: quantity('1Gi'),
    class: name('StorageClass name'),
    accessMode: oneOf(ACCESS),
    selector: str('selector'),
  })
  .partial();

/**
 * The top-level schema: one key per option of OPTIONS that has an `xk8s` key (nested by its dots, read with the
 * option's own reader), plus the project settings that are not options (`storage.accessMode`).
 */
function projectSchemaOf(extra: Record<string, z.ZodType>): z.ZodType {
  interface Node {
    leaf?: z.ZodType;
    alone?: string;
    children: Map<string, Node>;
  }
  const root: Node = { children: new Map() };
  const put = (path: string, schema: z.ZodType, alone = false): void => {
    const parts = path.split('.');
    let n = root;
    for (const p of parts.slice(0, -1)) {
      let next = n.children.get(p);
      if (!next) n.children.set(p, (next = { children: new Map() }));
      n = next;
    }
    n.children.set(parts.at(-1)!, { leaf: schema, children: new Map() });
    if (alone) n.alone = parts.at(-1)!;
  };
  for (const spec of OPTION_SPECS)
    if (spec.xk8s)
      put(
        spec.xk8s,
        val((v) => spec.read(String(v)) as V.Read<unknown>, spec.expect),
        spec.xk8sAlone,
      );
  for (const [path, schema] of Object.entries(extra)) put(path, schema);
  const build = (n: Node): z.ZodType => {
    if (n.leaf) return n.leaf;
    const obj = z.strictObject(Object.fromEntries([...n.children].map(([k, c]) => [k, build(c)]))).partial();
    const alone = n.alone;
    return alone
      ? z.preprocess((v) => (typeof v === 'string' || typeof v === 'number' ? { [alone]: v } : v), obj)
      : obj;
  };
  return build(root);
}

const projectSchema = projectSchemaOf({ 'storage.accessMode': oneOf(ACCESS) });

/** The schemas, for docs and tests (e.g. `keysAt(X_K8S_SCHEMAS.service, ['probes'])`). */
export const X_K8S_SCHEMAS = { service: serviceSchema, volume: volumeSchema, project: projectSchema } as const;

function parse<S extends z.ZodType>(
  ctx: ConvertContext,
  schema: S,
  raw: unknown,
  where: string,
  pos: (path: Array<string | number>) => SourcePos | undefined,
  subject: { service?: string; path: string },
): z.output<S> | undefined {
  if (raw === undefined) return undefined;
  const r = schema.safeParse(raw, { reportInput: true });
  if (r.success) return r.data;
  // In file order (zod reports refinements after the object they refine).
  const found = xk8sIssues(schema, r.error.issues, raw).map((d) => ({ ...d, at: pos(d.path) }));
  found.sort((a, b) => (a.at?.line ?? 0) - (b.at?.line ?? 0) || (a.at?.col ?? 0) - (b.at?.col ?? 0));
  if (found[0]) ctx.invalidSetting(subject.service, subject.path, found[0].message, found[0].hint);
  for (const d of found)
    ctx.diags.error(
      'x-k8s-invalid',
      `${where}${d.path.length ? '.' + keyPath(d.path) : ''}: ${d.message}`,
      d.at,
      d.hint,
    );
  return undefined;
}

/** `o` without its undefined-valued keys (optional fields are absent, never `undefined`). */
type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};
const defined = <T extends object>(o: T): Defined<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Defined<T>;

function toProbe(p: z.output<typeof probe> | undefined): ProbeOverride | undefined {
  if (!p) return undefined;
  const type: ProbeOverride['type'] = p.exec ? 'exec' : p.http ? 'http' : p.tcp ? 'tcp' : undefined;
  return defined({
    type,
    command: p.exec,
    path: p.http?.path,
    port: p.http?.port ?? p.tcp?.port,
    periodSeconds: p.period === undefined ? undefined : Math.max(1, p.period),
    timeoutSeconds: p.timeout === undefined ? undefined : Math.max(1, p.timeout),
    initialDelaySeconds: p.initialDelay,
    failureThreshold: p.failureThreshold,
    disabled: p.disabled,
  });
}

export function xk8sServiceOverrides(ctx: ConvertContext, svc: Service): ServiceOverrides {
  const x = parse(
    ctx,
    serviceSchema,
    svc.extensions[X_K8S],
    `service "${svc.name}": ${X_K8S}`,
    (p) => ctx.servicePos(svc, X_K8S, ...p.map(String)),
    { service: svc.name, path: X_K8S },
  );
  if (!x) return {};
  const ing = x.ingress;
  const hosts = ing ? [...(ing.host ? [ing.host] : []), ...(ing.hosts ?? [])] : [];
  const st = x.storage;
  return defined({
    controller: x.controller,
    replicas: x.replicas,
    serviceGroup: x.group,
    serviceType: x.service?.type ?? (x.service?.nodePort !== undefined ? 'NodePort' : undefined),
    nodePort: x.service?.nodePort,
    externalTrafficPolicy: x.service?.externalTrafficPolicy,
    ingress: ing
      ? defined({
          enabled: ing.enabled ?? (hosts.length > 0 || ing.path !== undefined ? true : undefined),
          rules: hosts.length
            ? hosts.map((host) => defined({ host, path: ing.path }))
            : ing.path
              ? [{ path: ing.path }]
              : [],
          hosts: [...new Set(hosts)],
          className: ing.class,
          tlsSecret: ing.tls?.secret,
        })
      : undefined,
    volumes: st
      ? defined({
          size: st.size,
          storageClass: st.class,
          accessMode: st.accessMode,
          type: st.type,
          subpath: st.subpath,
        })
      : undefined,
    readiness: toProbe(x.probes?.readiness),
    liveness: toProbe(x.probes?.liveness),
    startup: toProbe(x.probes?.startup),
    resources: x.resources,
    cron: x.cron
      ? defined({
          schedule: x.cron.schedule,
          concurrencyPolicy: x.cron.concurrencyPolicy,
          backoffLimit: x.cron.backoffLimit,
        })
      : undefined,
    hpa: x.hpa,
    imagePullPolicy: x.imagePullPolicy,
    imagePullSecrets: x.imagePullSecrets,
    serviceAccountName: x.serviceAccount,
    initContainers: x.initContainers?.map((c) => defined({ name: c.name, image: c.image, command: c.command })),
    fsGroup: x.fsGroup,
    hostPorts: x.hostPorts,
    http: x.http,
    patches: x.patches,
  });
}

export function xk8sVolumeOverrides(ctx: ConvertContext, name: string, vol: VolumeConfig): VolumeOverrides {
  const x = parse(
    ctx,
    volumeSchema,
    vol.extensions[X_K8S],
    `volume "${name}": ${X_K8S}`,
    (p) => ctx.pos('volumes', name, X_K8S, ...p.map(String)),
    { path: `volumes.${name}.${X_K8S}` },
  );
  return x ? defined({ size: x.size, storageClass: x.class, accessMode: x.accessMode, selector: x.selector }) : {};
}

export function xk8sProjectOverrides(ctx: ConvertContext): ProjectOverrides {
  const x = parse(ctx, projectSchema, ctx.project.extensions[X_K8S], X_K8S, (p) => ctx.pos(X_K8S, ...p.map(String)), {
    path: X_K8S,
  });
  if (!x) return {};
  const at = (path: string): unknown =>
    path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], x);
  const options: Record<string, unknown> = {};
  for (const spec of OPTION_SPECS) {
    const v = spec.xk8s ? at(spec.xk8s) : undefined;
    if (v !== undefined) options[spec.name] = v;
  }
  const accessMode = at('storage.accessMode') as AccessMode | undefined;
  return defined({
    options: Object.keys(options).length ? (options as Partial<ConvertOptions>) : undefined,
    storage: accessMode ? { accessMode } : undefined,
  });
}
