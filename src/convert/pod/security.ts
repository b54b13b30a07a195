/**
 * `--pod-security restricted`: make every pod pass the restricted Pod Security Standard.
 *
 * Runs once per pod after all its containers (and start-order init containers) exist, before the
 * controller wraps the pod. It sets what restricted requires and compose does not say:
 * pod `runAsNonRoot: true` and `seccompProfile: RuntimeDefault`; per container
 * `allowPrivilegeEscalation: false` and `capabilities.drop: [ALL]`; helper containers that belong
 * to no service (waits, init containers) run as uid 65532 unless they already name a user.
 *
 * What a service explicitly asks for and restricted forbids (privileged, root user, extra
 * capabilities, host namespaces, hostPath, unsafe sysctls, unconfined seccomp/AppArmor, custom
 * SELinux user/role/type) is NOT silently removed: the setting stays, so the admission controller's
 * rejection is explicit, and the key is reported `unsupported` with a warning naming the service.
 * Which keys those are is decided by running the checker (podsecurity-check.ts) on the result, so
 * the report and the checker cannot disagree.
 */
import type { Container, SecurityContext } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { checkPodSpec, type RestrictedRule } from './security-check.js';

/** uid for helper containers without a user (the conventional "nonroot" uid of distroless images). */
export const HELPER_UID = 65532;

const DOC = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted';
const NAMESPACE_FIX = 'or deploy it to a namespace labelled pod-security.kubernetes.io/enforce: baseline or privileged';

const FIXES: Record<string, string> = {
  privileged: 'drop `privileged: true` and add only the capabilities the service needs',
  cap_add: 'restricted allows adding only NET_BIND_SERVICE: remove the other capabilities from cap_add',
  user: 'run as a non-root numeric user (`user: "1000"`) with an image that supports it',
  network_mode: 'remove `network_mode: host` and publish ports through a Service',
  pid: 'remove `pid: host`',
  ipc: 'remove `ipc: host`',
  volumes: 'replace host paths with a named volume (PersistentVolumeClaim) or a ConfigMap',
  sysctls: 'keep only the safe sysctls (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, ...)',
  security_opt: 'remove the unconfined seccomp/apparmor option or the custom SELinux user/role/type',
  ports: 'remove the hostPort and expose the port through a Service',
};

function hasCap(sc: SecurityContext, cap: string): boolean {
  return (sc.capabilities?.add ?? []).some((c) => c.toUpperCase().replace(/^CAP_/, '') === cap);
}

function isRootUser(user: string | undefined): boolean {
  return user !== undefined && /^(root|0)(:|$)/.test(user.trim());
}

/** Set the fields restricted requires on one container (explicit privileges stay). */
function harden(c: Container, svc: Service | undefined): void {
  const sc = (c.securityContext ??= {});
  if (sc.runAsUser === 0 || isRootUser(svc?.user)) sc.runAsNonRoot = false;
  else if (!svc && sc.runAsUser === undefined) sc.runAsUser = HELPER_UID;
  // The API server rejects allowPrivilegeEscalation: false next to privileged or CAP_SYS_ADMIN.
  if (!sc.privileged && !hasCap(sc, 'SYS_ADMIN')) sc.allowPrivilegeEscalation = false;
  const caps = (sc.capabilities ??= {});
  if (!(caps.drop ?? []).includes('ALL')) caps.drop = ['ALL'];
}

export function applyPodSecurity(ctx: ConvertContext, plan: PodPlan): void {
  if (ctx.options.podSecurity !== 'restricted') return;
  const spec = plan.spec;
  const psc = (spec.securityContext ??= {});
  psc.runAsNonRoot = true;
  psc.seccompProfile ??= { type: 'RuntimeDefault' };
  const owner = new Map<Container, Service>();
  for (const svc of plan.services) {
    const c = plan.containers.get(svc.name);
    if (c) owner.set(c, svc);
  }
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) harden(c, owner.get(c));
  reportViolations(ctx, plan, owner);
  for (const svc of plan.services) {
    userNote(ctx, svc, plan.containers.get(svc.name), plan);
    escalationNote(ctx, svc, plan.containers.get(svc.name), plan);
  }
}

/** `no-new-privileges:false` is overridden: restricted requires allowPrivilegeEscalation: false. */
function escalationNote(ctx: ConvertContext, svc: Service, c: Container | undefined, plan: PodPlan): void {
  const i = (svc.security_opt ?? []).findIndex((o) => /^no-new-privileges[:=]false$/.test(o.trim()));
  if (i < 0 || c?.securityContext?.allowPrivilegeEscalation !== false) return;
  const pos = ctx.servicePos(svc, 'security_opt', i);
  ctx.downgrade(
    svc.name,
    `security_opt[${i}]`,
    'security_opt.restricted-no-escalation',
    { opt: svc.security_opt![i]! },
    { objects: [`${plan.kind}/${plan.name}`], ...(pos ? { pos } : {}) },
  );
}

/** A service without a numeric non-root user only starts if its image's USER is a non-root uid. */
function userNote(ctx: ConvertContext, svc: Service, c: Container | undefined, plan: PodPlan): void {
  const sc = c?.securityContext;
  if (!c || sc?.runAsUser !== undefined || sc?.runAsNonRoot === false) return;
  const objects = [`${plan.kind}/${plan.name}`];
  const pos = ctx.servicePos(svc, 'user') ?? ctx.servicePos(svc);
  const fix = `set \`user: "<uid>"\` to a non-root numeric uid the image supports (find it with \`docker run --rm --entrypoint id ${svc.image ?? '<image>'}\`)`;
  if (svc.user !== undefined)
    ctx.record(
      svc.name,
      'user',
      'unsupported',
      `--pod-security restricted: user ${svc.user} is a name; with runAsNonRoot the kubelet refuses to start a container whose user it cannot verify as non-root`,
      {
        objects,
        fix,
        ...(pos ? { pos } : {}),
      },
    );
  else
    ctx.record(
      svc.name,
      'user',
      'approximated',
      `not set; --pod-security restricted sets runAsNonRoot: true, so the container starts only if the image's USER is a non-root numeric uid`,
      {
        objects,
        fix,
        ...(pos ? { pos } : {}),
      },
    );
}

interface Problem {
  svc: Service;
  key: string;
  reasons: string[];
}

function reportViolations(ctx: ConvertContext, plan: PodPlan, owner: Map<Container, Service>): void {
  const spec = plan.spec;
  const problems = new Map<string, Problem>();
  const add = (svc: Service, key: string, reason: string): void => {
    const id = `${svc.name}\0${key}`;
    const p = problems.get(id) ?? { svc, key, reasons: [] };
    if (!p.reasons.includes(reason)) p.reasons.push(reason);
    problems.set(id, p);
  };
  for (const v of checkPodSpec(spec, plan.podAnnotations)) {
    const m = /^\/(containers|initContainers|ephemeralContainers)\/(\d+)(\/.*)?$/.exec(v.path);
    if (m) {
      const list =
        m[1] === 'containers' ? spec.containers : m[1] === 'initContainers' ? (spec.initContainers ?? []) : [];
      const c = list[Number(m[2])];
      if (!c) continue;
      const svc = owner.get(c) ?? plan.main;
      const [key, reason] = containerProblem(v.rule, c, m[3] ?? '', svc);
      add(svc, key, owner.has(c) ? reason : `${reason} (in helper container ${c.name})`);
    } else {
      for (const [svc, key, reason] of podProblem(v.rule, v.path, plan)) add(svc, key, reason);
    }
  }
  for (const p of problems.values()) {
    const why = p.reasons.join('; ');
    const fix = `${FIXES[p.key] ?? 'remove the setting'}, ${NAMESPACE_FIX}`;
    const pos = ctx.servicePos(p.svc, p.key) ?? ctx.servicePos(p.svc);
    ctx.record(
      p.svc.name,
      p.key,
      'unsupported',
      `--pod-security restricted: ${why}; kept, so Pod Security Admission rejects the pod`,
      {
        objects: [`${plan.kind}/${plan.name}`],
        fix,
        ...(pos ? { pos } : {}),
      },
    );
    ctx.diags.warn(
      'pod-security-violation',
      `service ${p.svc.name} cannot pass the restricted Pod Security Standard: ${why}`,
      pos,
      `${fix} (${DOC})`,
    );
  }
}

function containerProblem(
  rule: RestrictedRule,
  c: Container,
  sub: string,
  svc: Service,
): [key: string, reason: string] {
  const sc = c.securityContext ?? {};
  switch (rule) {
    case 'privileged':
      return ['privileged', 'privileged: true'];
    case 'privilege-escalation':
      if (sc.privileged) return ['privileged', 'privileged: true'];
      if (hasCap(sc, 'SYS_ADMIN')) return ['cap_add', 'adds capability SYS_ADMIN'];
      return ['security_opt', 'allowPrivilegeEscalation is not false'];
    case 'capabilities-add':
    case 'capabilities-baseline': {
      const i = Number(/\/add\/(\d+)/.exec(sub)?.[1]);
      return ['cap_add', `adds capability ${sc.capabilities?.add?.[i] ?? ''}`.trim()];
    }
    case 'capabilities-drop-all':
      return ['cap_drop', 'does not drop ALL capabilities'];
    case 'run-as-user':
    case 'run-as-non-root':
      return ['user', svc.user !== undefined ? `runs as root (user ${svc.user})` : 'runs as root'];
    case 'host-ports':
      return ['ports', 'uses a hostPort'];
    case 'seccomp':
      return ['security_opt', 'seccomp unconfined'];
    case 'apparmor':
      return ['security_opt', 'AppArmor unconfined'];
    case 'selinux':
      return ['security_opt', `custom SELinux ${sub.split('/').pop()}`];
    case 'proc-mount':
      return ['security_opt', `procMount ${sc.procMount}`];
    default:
      return ['security_opt', rule];
  }
}

function podProblem(rule: RestrictedRule, path: string, plan: PodPlan): Array<[Service, string, string]> {
  const spec = plan.spec;
  const pick = (match: (s: Service) => boolean): Service[] => {
    const found = plan.services.filter(match);
    return found.length ? found : [plan.main];
  };
  const vol = /^\/volumes\/(\d+)\/(\w+)/.exec(path);
  if (vol) {
    const v = spec.volumes?.[Number(vol[1])];
    const mounters = plan.services.filter((s) =>
      plan.containers.get(s.name)?.volumeMounts?.some((m) => m.name === v?.name),
    );
    const reason =
      rule === 'host-path-volumes'
        ? `hostPath volume ${v?.hostPath?.path ?? v?.name}`
        : `volume ${v?.name} of type ${vol[2]}`;
    return (mounters.length ? mounters : [plan.main]).map((s) => [s, 'volumes', reason]);
  }
  switch (path) {
    case '/hostNetwork':
      return pick((s) => s.network_mode === 'host').map((s) => [
        s,
        'network_mode',
        'uses the host network (hostNetwork)',
      ]);
    case '/hostPID':
      return pick((s) => s.pid === 'host').map((s) => [s, 'pid', 'uses the host PID namespace (hostPID)']);
    case '/hostIPC':
      return pick((s) => s.ipc === 'host').map((s) => [s, 'ipc', 'uses the host IPC namespace (hostIPC)']);
  }
  if (rule === 'sysctls') {
    const name = spec.securityContext?.sysctls?.[Number(/\/sysctls\/(\d+)/.exec(path)?.[1])]?.name ?? '';
    return pick((s) => !!s.sysctls && name in s.sysctls).map((s) => [s, 'sysctls', `unsafe sysctl ${name}`]);
  }
  if (rule === 'run-as-user' || rule === 'run-as-non-root') return [[plan.main, 'user', 'runs as root']];
  return [
    [
      plan.main,
      'security_opt',
      rule === 'seccomp' ? 'seccomp unconfined' : rule === 'apparmor' ? 'AppArmor unconfined' : `pod-level ${rule}`,
    ],
  ];
}
