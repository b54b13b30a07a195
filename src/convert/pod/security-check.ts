/**
 * A checker for the `restricted` Pod Security Standard (kubernetes.io, "Pod Security Standards",
 * as enforced by Pod Security Admission in Kubernetes 1.30): the baseline controls plus the
 * restricted ones. It reads any object with a pod template (Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, Job, CronJob, Pod) and returns one violation per offending field, as a JSON pointer
 * inside the object, so tests and the converter agree on what "passes restricted" means.
 */
import type { Container, PodSpec, SecurityContext } from 'kubernetes-types/core/v1.js';
import { POD_TEMPLATE_PATH } from '../../kube/workloads.js';
import { SAFE_SYSCTLS } from '../../kube/sysctls.js';

export type RestrictedRule =
  | 'host-process'
  | 'host-namespaces'
  | 'privileged'
  | 'capabilities-baseline'
  | 'host-path-volumes'
  | 'host-ports'
  | 'apparmor'
  | 'selinux'
  | 'proc-mount'
  | 'seccomp'
  | 'sysctls'
  | 'volume-types'
  | 'privilege-escalation'
  | 'run-as-non-root'
  | 'run-as-user'
  | 'capabilities-drop-all'
  | 'capabilities-add';

export interface RestrictedViolation {
  /** `Kind/name` of the object. */
  object: string;
  /** JSON pointer of the offending field inside the object. */
  path: string;
  rule: RestrictedRule;
}

/** Capabilities the baseline profile allows to add (Docker's default set). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Volume sources the restricted profile allows. */
export const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

interface Located {
  spec: PodSpec;
  /** Pointer of the pod spec inside the object. */
  at: string;
  annotations: Record<string, string>;
}

type Obj = { kind?: unknown; metadata?: { name?: unknown; annotations?: Record<string, string> }; spec?: unknown };

type Json = Record<string, unknown>;
const sub = (o: unknown, k: string): Json | undefined => {
  const v = o && typeof o === 'object' ? (o as Json)[k] : undefined;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
};

/** The pod spec of a workload object, or undefined for objects without pods. */
export function podSpecOf(o: Obj): Located | undefined {
  const route =
    typeof o.kind === 'string' && Object.hasOwn(POD_TEMPLATE_PATH, o.kind) ? POD_TEMPLATE_PATH[o.kind] : undefined;
  if (!route) return undefined;
  let holder: Json | undefined = o as Json;
  if (route.length) {
    holder = sub(o, 'spec');
    for (const k of route) holder = sub(holder, k);
  }
  const spec = sub(holder, 'spec');
  if (!spec) return undefined;
  const annotations = (sub(sub(holder, 'metadata'), 'annotations') ?? {}) as Record<string, string>;
  const at = route.length ? `/spec/${route.join('/')}/spec` : '/spec';
  return { spec: spec as unknown as PodSpec, at, annotations };
}

/** Every violation of the restricted profile in `objects` (objects without pods are skipped). */
export function checkRestricted(objects: readonly unknown[]): RestrictedViolation[] {
  const out: RestrictedViolation[] = [];
  for (const raw of objects) {
    if (!raw || typeof raw !== 'object') continue;
    const o = raw as Obj;
    const located = podSpecOf(o);
    if (!located) continue;
    const object = `${String(o.kind)}/${String(o.metadata?.name ?? '')}`;
    for (const v of checkPodSpec(located.spec, located.annotations)) {
      // Annotation paths are relative to the pod (template), the parent of its spec.
      const base = v.path.startsWith('/metadata/') ? located.at.slice(0, -'/spec'.length) : located.at;
      out.push({ object, path: base + v.path, rule: v.rule });
    }
  }
  return out;
}

/** Violations of one pod spec; paths relative to the spec (`/metadata/...`: relative to the pod). */
export function checkPodSpec(
  spec: PodSpec,
  annotations: Record<string, string> = {},
): Array<{ path: string; rule: RestrictedRule }> {
  const out: Array<{ path: string; rule: RestrictedRule }> = [];
  const bad = (path: string, rule: RestrictedRule): void => void out.push({ path, rule });
  const psc = spec.securityContext ?? {};
  if (psc.windowsOptions?.hostProcess) bad('/securityContext/windowsOptions/hostProcess', 'host-process');
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[f]) bad(`/${f}`, 'host-namespaces');
  checkSeLinux(psc.seLinuxOptions, '/securityContext', bad);
  if (psc.seccompProfile?.type === 'Unconfined') bad('/securityContext/seccompProfile/type', 'seccomp');
  if (psc.appArmorProfile?.type === 'Unconfined') bad('/securityContext/appArmorProfile/type', 'apparmor');
  (psc.sysctls ?? []).forEach((s, i) => {
    if (!SAFE_SYSCTLS.has(s.name)) bad(`/securityContext/sysctls/${i}/name`, 'sysctls');
  });
  if (psc.runAsUser === 0) bad('/securityContext/runAsUser', 'run-as-user');
  if (psc.runAsNonRoot === false) bad('/securityContext/runAsNonRoot', 'run-as-non-root');
  for (const [k, v] of Object.entries(annotations)) {
    if (
      k.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
      v !== 'runtime/default' &&
      !v.startsWith('localhost/')
    )
      bad(`/metadata/annotations/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, 'apparmor');
  }
  (spec.volumes ?? []).forEach((vol, i) => {
    if (vol.hostPath) bad(`/volumes/${i}/hostPath`, 'host-path-volumes');
    for (const k of Object.keys(vol)) {
      if (k !== 'name' && k !== 'hostPath' && !RESTRICTED_VOLUME_TYPES.has(k))
        bad(`/volumes/${i}/${k}`, 'volume-types');
    }
  });
  const lists = [
    ['containers', spec.containers ?? []],
    ['initContainers', spec.initContainers ?? []],
    ['ephemeralContainers', (spec.ephemeralContainers ?? []) as Container[]],
  ] as const;
  for (const [field, list] of lists) list.forEach((c, i) => checkContainer(c, spec, `/${field}/${i}`, bad));
  return out;
}

function checkSeLinux(
  se: SecurityContext['seLinuxOptions'],
  at: string,
  bad: (path: string, rule: RestrictedRule) => void,
): void {
  if (!se) return;
  if (se.type !== undefined && !SELINUX_TYPES.has(se.type)) bad(`${at}/seLinuxOptions/type`, 'selinux');
  if (se.user) bad(`${at}/seLinuxOptions/user`, 'selinux');
  if (se.role) bad(`${at}/seLinuxOptions/role`, 'selinux');
}

function checkContainer(
  c: Container,
  spec: PodSpec,
  at: string,
  bad: (path: string, rule: RestrictedRule) => void,
): void {
  const sc = c.securityContext ?? {};
  const psc = spec.securityContext ?? {};
  const s = `${at}/securityContext`;
  if (sc.windowsOptions?.hostProcess) bad(`${s}/windowsOptions/hostProcess`, 'host-process');
  if (sc.privileged) bad(`${s}/privileged`, 'privileged');
  const add = sc.capabilities?.add ?? [];
  add.forEach((cap, i) => {
    if (!BASELINE_CAPABILITIES.has(cap)) bad(`${s}/capabilities/add/${i}`, 'capabilities-baseline');
    else if (cap !== 'NET_BIND_SERVICE') bad(`${s}/capabilities/add/${i}`, 'capabilities-add');
  });
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) bad(`${s}/capabilities/drop`, 'capabilities-drop-all');
  (c.ports ?? []).forEach((p, i) => {
    if (p.hostPort) bad(`${at}/ports/${i}/hostPort`, 'host-ports');
  });
  checkSeLinux(sc.seLinuxOptions, s, bad);
  if (sc.procMount !== undefined && sc.procMount !== 'Default') bad(`${s}/procMount`, 'proc-mount');
  if (sc.appArmorProfile?.type === 'Unconfined') bad(`${s}/appArmorProfile/type`, 'apparmor');
  // Seccomp: the container's own profile, else the pod's, must be RuntimeDefault or Localhost.
  const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
    bad(sc.seccompProfile ? `${s}/seccompProfile/type` : `${s}/seccompProfile`, 'seccomp');
  if (sc.allowPrivilegeEscalation !== false) bad(`${s}/allowPrivilegeEscalation`, 'privilege-escalation');
  // runAsNonRoot: true on the container, or unset there and true on the pod.
  const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
  if (nonRoot !== true) bad(`${s}/runAsNonRoot`, 'run-as-non-root');
  if (sc.runAsUser === 0) bad(`${s}/runAsUser`, 'run-as-user');
}
