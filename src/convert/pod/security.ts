/**
 * `--pod-security restricted`: make every pod pass the restricted Pod Security Standard.
 *
 * Runs once per pod after all its containers (and start-order init containers) exist, before the
 * controller wraps the pod. It sets what restricted requires and compose does not say:
 * pod `runAsNonRoot: true` and `seccompProfile: RuntimeDefault`; per container
 * `allowPrivilegeEscalation: false` and `capabilities.drop: [ALL]`; helper containers that belong
 * to no service (waits, init containers) run as uid 65532 unless they already name a user; a service without `user:`
 * whose image runs as a fixed uid (kube/users.ts) runs as that uid, so the kubelet can verify it is not root.
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
import type { OutcomeId } from '../../mappings/outcomes.js';
import { fixedUid } from '../plan/base-image.js';
import { entrypointUser } from '../../kube/users.js';

/** uid for helper containers without a user (the conventional "nonroot" uid of distroless images). */
export const HELPER_UID = 65532;

function hasCap(sc: SecurityContext, cap: string): boolean {
  return (sc.capabilities?.add ?? []).some((c) => c.toUpperCase().replace(/^CAP_/, '') === cap);
}

/** Set the fields restricted requires on one container (explicit privileges stay). */
function harden(c: Container, svc: Service | undefined): void {
  const sc = (c.securityContext ??= {});
  // `user: root` / `0` are runAsUser: 0 by now (container.ts), and stay: Pod Security Admission says no.
  if (sc.runAsUser === 0) sc.runAsNonRoot = false;
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
    { objects: [`${plan.kind}/${plan.name}`], pos },
  );
}

/**
 * A service without a numeric non-root user only starts if its image's USER is a non-root uid: the kubelet cannot
 * verify a USER that is a name (mastodon's `USER mastodon`). An image the converter knows to run as a fixed uid
 * (kube/users.ts) gets that uid as runAsUser, which the kubelet can verify.
 */
function userNote(ctx: ConvertContext, svc: Service, c: Container | undefined, plan: PodPlan): void {
  const sc = c?.securityContext;
  if (!c || sc?.runAsUser !== undefined || sc?.runAsNonRoot === false) return;
  const objects = [`${plan.kind}/${plan.name}`];
  const pos = ctx.servicePos(svc, 'user');
  const image = svc.image ?? '<image>';
  const extra = { objects, pos };
  const fixed = svc.user === undefined ? fixedUid(ctx, svc) : undefined;
  if (fixed) {
    (c.securityContext ??= {}).runAsUser = fixed.uid;
    ctx.downgrade(svc.name, 'user', 'user.restricted-image-uid', { image: fixed.image, uid: fixed.uid }, extra);
    return;
  }
  // An official database image starts as root and drops to its user itself: not "only if", it cannot start.
  const root = svc.user === undefined && !svc.build ? entrypointUser(image) : undefined;
  if (root) {
    const values = { image: root.image, name: root.name, uid: root.uid };
    ctx.downgrade(svc.name, 'user', 'user.restricted-root-image', values, extra);
    return;
  }
  if (svc.user !== undefined) ctx.downgrade(svc.name, 'user', 'user.restricted-name', { user: svc.user, image }, extra);
  else ctx.downgrade(svc.name, 'user', 'user.restricted-unset', { image }, extra);
}

interface Problem {
  svc: Service;
  key: string;
  reasons: string[];
  /** Reasons by item (`security_opt[1]`, `sysctls.kernel.msgmax`, `volumes[0]`; the key when no one item). */
  items: Map<string, string[]>;
}

/** The outcome of a key's items that keep the pod out of restricted (its fix is also the warning's hint). */
const RESTRICTED: Record<string, OutcomeId> = {
  privileged: 'privileged.restricted',
  cap_add: 'cap_add.restricted',
  cap_drop: 'cap_drop.restricted',
  user: 'user.restricted',
  network_mode: 'network_mode.restricted',
  pid: 'pid.restricted',
  ipc: 'ipc.restricted',
  volumes: 'volumes.restricted',
  sysctls: 'sysctls.restricted',
  security_opt: 'security_opt.restricted',
  ports: 'ports.restricted',
};

/** The `security_opt` item a violation comes from. */
function securityOptPath(svc: Service, rule: RestrictedRule): string {
  const re = rule === 'seccomp' ? /^seccomp[:=]/ : rule === 'apparmor' ? /^apparmor[:=]/ : /^label[:=]/;
  const i = (svc.security_opt ?? []).findIndex((o) => re.test(o.trim()));
  return i >= 0 ? `security_opt[${i}]` : 'security_opt';
}

/** The `ports` item a container's hostPort comes from. */
function portPath(svc: Service, c: Container, sub: string): string {
  const p = c.ports?.[Number(/^\/ports\/(\d+)/.exec(sub)?.[1])];
  const i = svc.ports.findIndex((x) => x.target === p?.containerPort && Number(x.published) === p?.hostPort);
  return i >= 0 ? `ports[${i}]` : 'ports';
}

function reportViolations(ctx: ConvertContext, plan: PodPlan, owner: Map<Container, Service>): void {
  const spec = plan.spec;
  const problems = new Map<string, Problem>();
  const add = (svc: Service, key: string, reason: string, path = key): void => {
    const id = `${svc.name}\0${key}`;
    const p: Problem = problems.get(id) ?? { svc, key, reasons: [], items: new Map<string, string[]>() };
    if (!p.reasons.includes(reason)) p.reasons.push(reason);
    const item = p.items.get(path) ?? [];
    if (!item.includes(reason)) item.push(reason);
    p.items.set(path, item);
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
      const path =
        key === 'security_opt' ? securityOptPath(svc, v.rule) : key === 'ports' ? portPath(svc, c, m[3] ?? '') : key;
      add(svc, key, owner.has(c) ? reason : `${reason} (in helper container ${c.name})`, path);
    } else {
      for (const [svc, key, reason, path] of podProblem(v.rule, v.path, plan)) add(svc, key, reason, path);
    }
  }
  for (const p of problems.values()) {
    const id = RESTRICTED[p.key] ?? 'security_opt.restricted';
    const pos = ctx.servicePos(p.svc, p.key);
    for (const [path, reasons] of p.items)
      ctx.downgrade(p.svc.name, path, id, { why: reasons.join('; ') }, { objects: [`${plan.kind}/${plan.name}`] });
    // The hint quotes the outcome's fix template, so the texts alone word it (lean: no hint, like any other).
    const values = { service: p.svc.name, reasons: p.reasons.join('; ') };
    ctx.diags.warn('pod-security-violation', ctx.texts ? { ...values, fix: ctx.texts.fixes?.[id] ?? '' } : values, pos);
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

function podProblem(rule: RestrictedRule, path: string, plan: PodPlan): Array<[Service, string, string, string?]> {
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
    return (mounters.length ? mounters : [plan.main]).map((s) => {
      const at = plan.containers.get(s.name)?.volumeMounts?.find((m) => m.name === v?.name)?.mountPath;
      const i = s.volumes.findIndex((x) => x.target === at);
      return [s, 'volumes', reason, i >= 0 ? `volumes[${i}]` : 'volumes'];
    });
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
    return pick((s) => !!s.sysctls && name in s.sysctls).map((s) => [
      s,
      'sysctls',
      `unsafe sysctl ${name}`,
      s.sysctls && name in s.sysctls ? `sysctls.${name}` : 'sysctls',
    ]);
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
