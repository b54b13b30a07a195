/**
 * The `x-k8s` extension → overrides, validated by the parsers of ./x-k8s-check.ts (strict objects: an unknown key
 * is an error).
 * Service level (`services.<name>.x-k8s`), volume level (`volumes.<name>.x-k8s`) and top level (`x-k8s`).
 * Scalars are read leniently where interpolation makes them strings (`replicas: "${N}"` is fine).
 * Every problem becomes an `x-k8s-invalid` error at the position of the offending key; the whole
 * extension of that service/volume/project is then ignored, so a typo never half-applies.
 */
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
import * as P from './x-k8s-check.js';
import { describe, keyPath, suggest, xk8sIssues } from './x-k8s-issues.js';
import { rejectSetting } from './rejected.js';

export const X_K8S = 'x-k8s';

/** A scalar read by one of the value readers; its problem is reported with the reader's hint. */
function val<T>(read: (v: string | number) => V.Read<T>, what: string): P.Parser<T> {
  return P.leaf((v, report): T => {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      report(`expected ${what}, got ${describe(v)}`);
      return undefined as never;
    }
    const r = read(typeof v === 'boolean' ? String(v) : v);
    if (V.isInvalid(r)) {
      report(r.invalid, r.hint);
      return undefined as never;
    }
    return r;
  });
}

const ACCESS = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;

/** The readers the schemas are built from (built with them, on each call). */
function readers() {
  const str = (what: string) => val((v): V.Read<string> => String(v).trim() || { invalid: `${what} is empty` }, what);
  const int = (min: number, max?: number) => val((v) => V.readInt(v, min, max), 'an integer');
  const quantity = (ex: string) => val((v) => V.readQuantity(v, ex), `a quantity such as ${ex}`);
  const name = (what: string, kind: 'label' | 'subdomain' = 'subdomain') =>
    val((v) => V.readName(String(v), what, kind), `a ${what}`);
  const oneOf = <T extends string>(allowed: readonly T[]) =>
    val((v) => V.readEnum(String(v), allowed), allowed.join(' / '));
  const command = P.leaf((v, report): string[] => {
    const r =
      typeof v === 'string'
        ? V.readCommand(v)
        : Array.isArray(v) && v.every((x) => typeof x === 'string')
          ? V.normalizeTest(v)
          : { invalid: `expected a command (string or list of strings), got ${describe(v)}` };
    if (V.isInvalid(r)) {
      report(r.invalid);
      return undefined as never;
    }
    return r;
  });
  return {
    str,
    int,
    bool: val((v) => V.readBool(String(v)), 'true or false'),
    seconds: val(V.readSeconds, 'a duration such as 10s'),
    quantity,
    name,
    oneOf,
    port: int(1, 65535),
    command,
    /** A list, or one item written alone. */
    list: <T>(item: P.Parser<T>) => P.preprocess((v) => (Array.isArray(v) ? v : [v]), P.array(item)),
  };
}

type Readers = ReturnType<typeof readers>;

function probeSchema(r: Readers) {
  const { command, int, port, seconds, bool } = r;
  return P.preprocess(
    (v) => (v === false ? { disabled: true } : v),
    P.refine(
      P.partial({
        exec: command,
        http: P.preprocess(
          (v) => (typeof v === 'string' ? { path: v } : v),
          P.partial({ path: val((p) => V.readPath(String(p)), 'a path'), port }),
        ),
        tcp: P.preprocess(
          (v) => (typeof v === 'number' || typeof v === 'string' ? { port: v } : v),
          P.object({ port }),
        ),
        period: seconds,
        timeout: seconds,
        initialDelay: seconds,
        failureThreshold: int(1),
        disabled: bool,
      }),
      (p, report) => {
        const actions = (['exec', 'http', 'tcp'] as const).filter((k) => p[k] !== undefined);
        if (actions.length > 1)
          report(
            [actions[1]!],
            `a probe has one action; ${actions.join(' and ')} are both set`,
            'keep one of exec, http, tcp',
          );
      },
    ),
  );
}

/** The schema of `services.<name>.x-k8s`. */
function serviceSchema() {
  const r = readers();
  const { str, int, bool, quantity, name, oneOf, port, command, list } = r;
  const probe = probeSchema(r);
  const quantities = P.partial({ cpu: quantity('500m'), memory: quantity('512Mi'), ephemeralStorage: quantity('1Gi') });
  return P.partial({
    controller: oneOf(CONTROLLER_KINDS),
    replicas: int(0),
    group: str('group name'),
    service: P.preprocess(
      (v) => (typeof v === 'string' || v === false ? { type: v === false ? 'None' : v } : v),
      P.partial({
        type: oneOf(['ClusterIP', 'NodePort', 'LoadBalancer', 'Headless', 'None'] as const),
        nodePort: port,
        externalTrafficPolicy: oneOf(['Cluster', 'Local'] as const),
      }),
    ),
    ingress: P.preprocess(
      (v) => (typeof v === 'boolean' ? { enabled: v } : typeof v === 'string' ? { host: v } : v),
      P.partial({
        enabled: bool,
        host: val((h) => V.readHost(String(h)), 'a host name'),
        hosts: list(val((h) => V.readHost(String(h)), 'a host name')),
        path: val((p) => V.readPath(String(p)), 'a path'),
        class: name('IngressClass name'),
        tls: P.preprocess(
          (v) => (typeof v === 'string' ? { secret: v } : v),
          P.object({ secret: name('Secret name') }),
        ),
      }),
    ),
    storage: P.partial({
      size: quantity('1Gi'),
      class: name('StorageClass name'),
      accessMode: oneOf(ACCESS),
      type: oneOf(['persistentVolumeClaim', 'emptyDir', 'hostPath', 'configMap'] as const),
      subpath: str('subpath'),
    }),
    probes: P.partial({ readiness: probe, liveness: probe, startup: probe }),
    resources: P.partial({ limits: quantities, requests: quantities }),
    cron: P.preprocess(
      (v) => (typeof v === 'string' ? { schedule: v } : v),
      P.object({
        schedule: val((s) => V.readSchedule(String(s)), 'a cron schedule'),
        concurrencyPolicy: P.optional(oneOf(['Allow', 'Forbid', 'Replace'] as const)),
        backoffLimit: P.optional(int(0)),
      }),
    ),
    hpa: P.refine(
      P.partial({
        minReplicas: int(1),
        maxReplicas: int(1),
        cpu: val(V.readPercent, 'a percentage'),
        memory: val(
          (v) => (V.isInvalid(V.readPercent(v)) ? V.readQuantity(v, '512Mi') : V.readPercent(v)),
          'a percentage or a quantity',
        ),
      }),
      (h, report) => {
        if (h.minReplicas !== undefined && h.maxReplicas !== undefined && h.minReplicas > h.maxReplicas)
          report(['maxReplicas'], 'maxReplicas is below minReplicas');
      },
    ),
    imagePullPolicy: oneOf(['Always', 'IfNotPresent', 'Never'] as const),
    imagePullSecrets: list(name('Secret name')),
    serviceAccount: name('ServiceAccount name'),
    initContainers: P.array(
      P.object({ name: name('container name', 'label'), image: str('image'), command: P.optional(command) }),
    ),
    fsGroup: int(0, 2 ** 31 - 1),
    hostPorts: bool,
    http: bool,
    patches: P.refine(P.array(P.leaf((v) => v)), checkPatches),
  });
}

const PATCH_OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

/** Patches: `{target?, op, path, value?, from?}` (JSON Patch) or `{target?, merge: {...}}` (strategic merge). */
function checkPatches(ps: unknown[], report: P.ReportAt): void {
  ps.forEach((p, i) => {
    const at = (path: Array<string | number>, message: string, hint?: string) => report([i, ...path], message, hint);
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

/** The schema of `volumes.<name>.x-k8s`. */
function volumeSchema() {
  const { quantity, name, oneOf, str, bool } = readers();
  return P.partial({
    size: quantity('1Gi'),
    class: name('StorageClass name'),
    accessMode: oneOf(ACCESS),
    selector: str('selector'),
    seed: bool,
  });
}

/**
 * The top-level schema: one key per option of OPTIONS that has an `xk8s` key (nested by its dots, read with the
 * option's own reader), plus the project settings that are not options (`storage.accessMode`).
 */
function projectSchema(): P.Parser<Record<string, unknown>> {
  interface Node {
    leaf?: P.Parser<unknown>;
    alone?: string;
    children: Map<string, Node>;
  }
  const root: Node = { children: new Map() };
  const put = (path: string, schema: P.Parser<unknown>, alone = false): void => {
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
  put('storage.accessMode', readers().oneOf(ACCESS));
  const build = (n: Node): P.Parser<unknown> => {
    if (n.leaf) return n.leaf;
    const obj = P.partial(Object.fromEntries([...n.children].map(([k, c]) => [k, build(c)])));
    const alone = n.alone;
    return alone
      ? P.preprocess((v) => (typeof v === 'string' || typeof v === 'number' ? { [alone]: v } : v), obj)
      : obj;
  };
  return build(root) as P.Parser<Record<string, unknown>>;
}

/** The schemas, built on each call (for docs and tests, e.g. `keysAt(xk8sSchemas().service, ['probes'])`). */
export function xk8sSchemas() {
  return { service: serviceSchema(), volume: volumeSchema(), project: projectSchema() };
}

function parse<T>(
  ctx: ConvertContext,
  schema: () => P.Parser<T>,
  raw: unknown,
  where: string,
  pos: (path: Array<string | number>) => SourcePos | undefined,
  subject: { service?: string; path: string },
): T | undefined {
  if (raw === undefined) return undefined;
  const s = schema();
  const issues: P.RawIssue[] = [];
  const value = s.parse(raw, issues);
  if (!issues.length) return value;
  // In file order (checks across fields are reported after the fields they check).
  const found = xk8sIssues(s, issues).map((d) => ({ ...d, at: pos(d.path) }));
  found.sort((a, b) => (a.at?.line ?? 0) - (b.at?.line ?? 0) || (a.at?.col ?? 0) - (b.at?.col ?? 0));
  if (found[0]) rejectSetting(ctx, subject.service, subject.path, found[0].message, found[0].hint);
  for (const d of found) {
    const values = { where: `${where}${d.path.length ? '.' + keyPath(d.path) : ''}`, reason: d.message };
    if (d.hint) ctx.diags.error('x-k8s-invalid.hint', { ...values, hint: d.hint }, d.at);
    else ctx.diags.error('x-k8s-invalid', values, d.at);
  }
  return undefined;
}

/** `o` without its undefined-valued keys (optional fields are absent, never `undefined`). */
type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};
const defined = <T extends object>(o: T): Defined<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Defined<T>;

function toProbe(p: P.Out<ReturnType<typeof probeSchema>> | undefined): ProbeOverride | undefined {
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
  return x
    ? defined({ size: x.size, storageClass: x.class, accessMode: x.accessMode, selector: x.selector, seed: x.seed })
    : {};
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
