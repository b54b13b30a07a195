/**
 * Permission helpers: a one-shot service whose whole command is `chown` / `chmod` / `mkdir` (and harmless words
 * like `echo`, `true`) on a volume other services mount, so they can write to it. In compose it runs once before
 * them (`depends_on: service_completed_successfully`); as a Job it would race the apps (or make their start wait
 * on a Job through the API). It becomes an init container of every pod that mounts the volume instead: it runs in
 * that pod before the app, on the same volume, every time the pod starts. Planning emits no workload for it.
 *
 * A helper whose whole effect is the group of the volume (`chown -R 1000:1000 /data`, `chgrp`) becomes
 * `securityContext.fsGroup` (with `fsGroupChangePolicy: OnRootMismatch`) of a pod instead, when the kubelet can do
 * the same: every mount of the volume in the pod is a claim or an emptyDir (the kubelet changes the group of those
 * on mount; hostPath and configMap volumes it leaves alone), every container that mounts it runs as that group,
 * and the pod has no other fsGroup. The kubelet does not change the owner uid: the report says so.
 *
 * Detection: it has an image and a command, no ports, no healthcheck, compose does not restart it (restart unset
 * or `no`), it is alone in its pod, and a named volume or host path it mounts is mounted by a service that is not
 * a helper. Found once per conversion (a fact).
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from './pod.js';
import { FactKey } from '../facts.js';
import { healthcheckActive } from '../../model/healthcheck.js';
import { effectiveRestart } from './controller.js';
import { permsInitName } from '../../kube/naming.js';
import { claimGroup } from '../storage/ownership.js';
import { settingsBut } from './docker-helpers.js';
import { isInside } from '../../util/path.js';
import { commandWords } from '../../model/command.js';

export interface PermissionHelper {
  service: Service;
  /** The command as it ran (`chown -R 1000:1000 /data`), for the report. */
  command: string;
  /** Its mounts of shared volumes: the compose source (named volume or host path) and where it mounts it. */
  mounts: Array<{ type: 'volume' | 'bind'; source: string; target: string; readOnly: boolean }>;
  /** The services (not helpers) that mount one of those volumes, sorted. */
  users: string[];
  /** When its only changes are `chown U:G` / `chgrp G` of paths in its mounts: the group (fsGroup can do it). */
  group?: { gid: number; uid?: number };
}

/** Commands whose whole effect is on file ownership and modes. */
const PERMISSION_WORDS = /^(chown|chmod|chgrp|mkdir|setfacl)$/;
const HARMLESS_WORDS = /^(echo|true|ls|id|printf|set)$/;

/** The shell statements of a command (`sh -c "a && b; c"` → `a`, `b`, `c`). */
function statements(words: string[]): string[] {
  let w = words;
  if (w.length >= 3 && /^(\/bin\/)?(ba|a)?sh$/.test(w[0]!) && w[1] === '-c') w = w.slice(2);
  return w
    .join(' ')
    .split(/&&|\|\||;|\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function isPermissionCommand(words: string[]): boolean {
  const st = statements(words);
  let changes = false;
  for (const s of st) {
    const first = s.split(/\s+/)[0]!.replace(/^.*\//, '');
    if (PERMISSION_WORDS.test(first)) changes = true;
    else if (!HARMLESS_WORDS.test(first)) return false;
  }
  return changes;
}

/**
 * The group a command gives its paths when that is all it changes: only `chown [-R] U:G` / `chgrp [-R] G` (numeric,
 * the same group each time) of paths inside `mounts`, besides harmless words. `mkdir`, `chmod`... do more.
 */
export function groupOnly(words: string[], mounts: readonly string[]): { gid: number; uid?: number } | undefined {
  let found: { gid: number; uid?: number } | undefined;
  const inside = (p: string): boolean => mounts.some((m) => isInside(m.replace(/\/+$/, ''), p.replace(/\/+$/, '')));
  for (const st of statements(words)) {
    const w = st.split(/\s+/);
    const cmd = w[0]!.replace(/^.*\//, '');
    if (HARMLESS_WORDS.test(cmd)) continue;
    if (cmd !== 'chown' && cmd !== 'chgrp') return undefined;
    const args = w.slice(1).filter((a) => !/^-(R|h|v|f|c|-recursive|-verbose)+$/.test(a));
    if (args.length < 2 || args.some((a) => a.startsWith('-'))) return undefined;
    const spec = args[0]!;
    const m = cmd === 'chgrp' ? /^()(\d+)$/.exec(spec) : /^(\d*)[:.](\d+)$/.exec(spec);
    if (!m || !args.slice(1).every(inside)) return undefined;
    const next = { gid: Number(m[2]), ...(m[1] ? { uid: Number(m[1]) } : {}) };
    if (found && (found.gid !== next.gid || found.uid !== next.uid)) return undefined;
    found = next;
  }
  return found && found.gid !== 0 ? found : undefined;
}

/** The permission helpers, computed once per project. */
const HELPERS = new FactKey<ReadonlyMap<string, PermissionHelper>>();

/** The project's permission helpers by service name (in name order), found once. */
export function permissionHelpers(ctx: ConvertContext): ReadonlyMap<string, PermissionHelper> {
  return ctx.facts.get(HELPERS, () => {
    const candidates = new Map<string, Omit<PermissionHelper, 'users'>>();
    for (const name of Object.keys(ctx.project.services).sort()) {
      const svc = ctx.project.services[name]!;
      const words = commandWords(svc);
      if (!svc.image || !words.length || !isPermissionCommand(words)) continue;
      if (svc.ports.length || svc.expose.length || healthcheckActive(svc.healthcheck)) continue;
      const policy = effectiveRestart(svc).policy;
      if (policy !== undefined && policy !== 'no') continue;
      if (ctx.index.ownerOf(svc.name) !== svc.name || ctx.index.podMembers(svc.name).length > 1) continue;
      const mounts = svc.volumes.flatMap((v) =>
        (v.type === 'volume' || v.type === 'bind') && v.source
          ? [{ type: v.type, source: v.source, target: v.target, readOnly: v.read_only === true }]
          : [],
      );
      const group = groupOnly(
        words,
        mounts.map((m) => m.target),
      );
      if (mounts.length) candidates.set(svc.name, { service: svc, command: words.join(' '), mounts, group });
    }
    const out = new Map<string, PermissionHelper>();
    for (const [name, c] of candidates) {
      const users = new Set<string>();
      for (const m of c.mounts)
        for (const u of ctx.index.usersOf(m.type, m.source)) if (!candidates.has(u.name)) users.add(u.name);
      if (users.size) out.set(name, { ...c, users: [...users].sort() });
    }
    return out;
  });
}

/** Planning: a permission helper gets no workload (its entries come after the pods: `reportPermissionHelpers`). */
export function skipPermissionHelper(ctx: ConvertContext, svc: Service): boolean {
  return permissionHelpers(ctx).has(svc.name);
}

/** Where `svc`'s container mounts the helper's volumes: the helper's mount paths → the pod volume names. */
export function helperMounts(
  h: PermissionHelper,
  svc: Service,
  c: Container | undefined,
): NonNullable<Container['volumeMounts']> {
  const out: NonNullable<Container['volumeMounts']> = [];
  for (const m of h.mounts) {
    const v = svc.volumes.find((x) => x.type === m.type && x.source === m.source);
    const vm = v && c?.volumeMounts?.find((x) => x.mountPath === v.target);
    if (!vm || out.some((x) => x.mountPath === m.target)) continue;
    out.push({ name: vm.name, mountPath: m.target, ...(m.readOnly ? { readOnly: true } : {}) });
  }
  return out;
}

/** The settings of a helper its init container carries. */
const CARRIED: ReadonlySet<string> = new Set(['image', 'entrypoint', 'user', 'volumes', 'working_dir']);

/**
 * Project step after every pod: each helper's entries say which pods run it as an init container, or that none
 * mounts its volumes (they were not carried, see the users' volume entries), so it does nothing.
 */
export function reportPermissionHelpers(ctx: ConvertContext, plans: PodPlan[]): void {
  for (const [name, h] of permissionHelpers(ctx)) {
    const init = permsInitName(name);
    const initPods = plans.filter((p) => p.spec.initContainers?.some((c) => c.name === init));
    const fits = plans.flatMap((p) => {
      const fit = initPods.includes(p) ? undefined : fsGroupFit(h, p);
      return fit && 'gid' in fit ? [p] : [];
    });
    // Why fsGroup did not do it in the pods that run the init container (a group-only helper).
    const whyNot = initPods.flatMap((p) => {
      const fit = fsGroupFit(h, p);
      return fit && 'why' in fit ? [`${p.name}: ${fit.why}`] : [];
    });
    const pods = [...fits, ...initPods];
    const objects = pods.map((p) => `${p.kind}/${p.name}`);
    const initNames = initPods.map((p) => p.name).join(', ');
    const values = {
      service: name,
      command: h.command,
      volumes: [...new Set(h.mounts.map((m) => m.source))].join(', '),
      pods: initNames,
      users: h.users.join(', '),
      gid: h.group?.gid ?? '',
      groupPods: fits.map((p) => p.name).join(', '),
      // Phrases of report.yaml: what else it does, why fsGroup cannot do it.
      also: initNames ? 'perms-helper.also-init' : 'perms-helper.none',
      fsgroup: whyNot.length ? 'perms-helper.no-fs-group' : 'perms-helper.none',
      whyNot: whyNot.join('; '),
    };
    if (fits.length) ctx.outcome(name, 'command', 'permission-helper.fs-group', values, { objects });
    else if (initPods.length) ctx.outcome(name, 'command', 'permission-helper.init-container', values, { objects });
    else ctx.outcome(name, 'command', 'permission-helper.no-mount', values);
    for (const key of settingsBut(h.service, 'command')) {
      if (CARRIED.has(key) && initPods.length)
        ctx.outcome(name, key, 'permission-helper.carried', { service: name, pods: values.pods }, { objects });
      else if (fits.length && (key === 'volumes' || key === 'user' || key === 'image'))
        ctx.outcome(name, key, 'permission-helper.fs-group-setting', { service: name, pods: values.groupPods });
      else ctx.outcome(name, key, 'permission-helper.not-deployed', { service: name });
    }
  }
}

/**
 * Whether the kubelet's fsGroup does what helper `h` does for the pod of `plan`, or why not: `h` only changes the
 * group (to G), every pod volume it reaches is a claim or an emptyDir, every container mounting one runs as group
 * G (`user: U:G`, or a fixed-uid image of that group), and the pod sets no other fsGroup.
 */
export function fsGroupFit(h: PermissionHelper, plan: PodPlan): { gid: number } | { why: string } | undefined {
  if (!h.group) return undefined;
  const gid = h.group.gid;
  let any = false;
  for (const svc of plan.services) {
    const mounts = helperMounts(h, svc, plan.containers.get(svc.name));
    if (!mounts.length) continue;
    any = true;
    for (const vm of mounts) {
      const vol = plan.spec.volumes?.find((v) => v.name === vm.name);
      if (!vol?.persistentVolumeClaim && !vol?.emptyDir)
        return { why: `the kubelet applies fsGroup to claims and emptyDirs, and ${vm.name} is neither` };
    }
    const g = claimGroup(svc);
    if (g?.gid !== gid) return { why: `${svc.name} does not run as group ${gid} (${g ? g.why : 'no user: U:G'})` };
  }
  if (!any) return undefined;
  const set = plan.spec.securityContext?.fsGroup;
  if (set !== undefined && set !== gid) return { why: `the pod already has fsGroup ${set}` };
  return { gid };
}

/**
 * Per pod, after its containers: per permission helper whose volumes a container of the pod mounts, either the
 * pod's fsGroup (when it does the same, `fsGroupFit`) or one init container with the helper's image and command,
 * mounting the pod's volume at the helper's path. It runs first.
 */
export function addPermissionInits(ctx: ConvertContext, plan: PodPlan): void {
  const inits: Container[] = [];
  for (const h of permissionHelpers(ctx).values()) {
    const fit = fsGroupFit(h, plan);
    if (fit && 'gid' in fit) {
      const psc = (plan.spec.securityContext ??= {});
      if (psc.fsGroup === undefined) {
        psc.fsGroup = fit.gid;
        psc.fsGroupChangePolicy = 'OnRootMismatch';
      }
      continue;
    }
    const mounts: NonNullable<Container['volumeMounts']> = [];
    for (const svc of plan.services)
      for (const vm of helperMounts(h, svc, plan.containers.get(svc.name)))
        if (!mounts.some((x) => x.mountPath === vm.mountPath)) mounts.push(vm);
    if (!mounts.length) continue;
    const s = h.service;
    const uid = s.user === undefined ? 0 : /^\d+/.exec(s.user)?.[0];
    inits.push({
      name: permsInitName(s.name),
      image: s.image!,
      ...(s.entrypoint?.length ? { command: s.entrypoint } : {}),
      ...(s.command?.length ? { args: s.command } : {}),
      ...(s.working_dir ? { workingDir: s.working_dir } : {}),
      volumeMounts: mounts,
      // chown needs root, as the helper had in compose (its image's default user, usually root).
      ...(uid !== undefined ? { securityContext: { runAsUser: Number(uid) } } : {}),
    });
  }
  if (inits.length) plan.spec.initContainers = [...inits, ...(plan.spec.initContainers ?? [])];
}
