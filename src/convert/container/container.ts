/**
 * One compose service → one Container: image, pull policy, command, working dir, stdin/tty,
 * container ports and user. Container-level security (capabilities...) is in privileges.ts;
 * pod-level settings (hostname, DNS, hosts...) in podsettings.ts.
 */
import type { Container, ContainerPort } from 'kubernetes-types/core/v1.js';
import { portPairs } from '../../model/ports.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { containerPortName, routesOf, servedPorts } from '../plan/ports.js';
import { applyPrivileges } from './privileges.js';
import { resolveUser } from '../../kube/users.js';
import { fixedUid, heuristicImage } from '../plan/base-image.js';
import { imageRegistry, isImageReference } from '../../kube/images.js';
import { valuesKey } from '../../kube/naming.js';
import { buildCommand, sameBuild } from '../plan/builds.js';
import type { PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import { recorder, type Rec } from '../step.js';

export function workloadRef(plan: PodPlan): string {
  return `${plan.kind}/${plan.name}`;
}

export function buildContainer(ctx: ConvertContext, svc: Service, plan: PodPlan): Container {
  const rec = recorder(ctx, svc, plan);
  const c: Container = { name: ctx.serviceName(svc), image: image(ctx, svc, rec) };
  pullPolicy(svc, c, rec);
  commandAndArgs(svc, c, rec);
  if (svc.working_dir !== undefined) {
    c.workingDir = svc.working_dir;
    rec('working_dir', 'working_dir.set', { value: svc.working_dir });
  }
  if (svc.stdin_open !== undefined) {
    if (svc.stdin_open) c.stdin = true;
    rec('stdin_open', 'stdin_open.set', { value: svc.stdin_open });
  }
  if (svc.tty !== undefined) {
    if (svc.tty) c.tty = true;
    rec('tty', 'tty.set', { value: svc.tty });
  }
  const ports = containerPorts(ctx, svc, plan);
  if (ports.length) c.ports = ports;
  user(ctx, svc, c, plan, rec);
  applyPrivileges(svc, c, rec);
  return c;
}

function image(ctx: ConvertContext, svc: Service, rec: Rec): string {
  if (svc.image) {
    rec('image', isImageReference(svc.image) ? 'image.set' : 'image.invalid', { image: svc.image });
    if (svc.build) {
      const values = {
        image: svc.image,
        ...buildCommand(ctx, svc, svc.image),
        ...buildNotes(ctx, svc),
      };
      rec('build', 'build.image-used', values);
    }
    return svc.image;
  }
  // `<project>-<service>` is the name `docker compose build` gives an image without `image:`.
  const name = `${ctx.project.name}-${svc.name}`.toLowerCase();
  if (svc.build) {
    const tag = `REGISTRY/${name}:TAG`;
    // An image loaded into the nodes (kind load docker-image, minikube image load) under the name compose gives it
    // has no tag, so Kubernetes would pull it (`:latest` means Always) from docker.io, where it does not exist.
    const pull = svc.pull_policy === undefined ? 'build.if-not-present' : 'build.pull-policy-set';
    const values = { image: name, values: valuesKey(svc.name), ...buildCommand(ctx, svc, tag), tag, pull };
    const all = { ...values, ...buildNotes(ctx, svc) };
    rec('build', 'build.default-image', all);
  } else {
    ctx.diags.error('no-image', { service: svc.name }, ctx.servicePos(svc));
  }
  return name;
}

/**
 * The build entry's notes (phrases of report.yaml): on the services that build the same image, then on its build
 * args, which the command passes by name only.
 */
function buildNotes(ctx: ConvertContext, svc: Service): Values {
  const others = sameBuild(ctx, svc);
  const shared: Values = others.length
    ? { sharedBuild: 'build.shared', sharedFix: 'build.shared-fix', others: others.join(', ') }
    : { sharedBuild: 'build.own', sharedFix: 'build.own' };
  return { ...shared, buildArgs: Object.keys(svc.build?.args ?? {}).length ? 'build.args' : 'build.own' };
}

/** Compose pull policies that are a Kubernetes one. */
const PULL_POLICY: Readonly<Record<string, Container['imagePullPolicy']>> = {
  always: 'Always',
  never: 'Never',
  missing: 'IfNotPresent',
  if_not_present: 'IfNotPresent',
};

function pullPolicy(svc: Service, c: Container, rec: Rec): void {
  const p = svc.pull_policy;
  // A built image without `image:` is one the nodes have only when someone loaded it (or a registry name set later).
  if (p === undefined) {
    if (svc.build && !svc.image) c.imagePullPolicy = 'IfNotPresent';
    return;
  }
  const v = PULL_POLICY[p];
  if (p === 'never') {
    // Compose's `never` uses the image on the Docker host; a cluster node has it only when someone loaded it there.
    // An image compose builds must come from a registry instead, where Never would never pull it.
    // An image named with its registry (ghcr.io/...) is one compose chose not to pull, not one only the host has.
    c.imagePullPolicy = svc.build ? 'IfNotPresent' : 'Never';
    const registry = svc.build ? undefined : imageRegistry(c.image ?? '');
    const id = svc.build ? 'pull_policy.never-build' : registry ? 'pull_policy.never-registry' : 'pull_policy.never';
    rec('pull_policy', id, { image: c.image ?? '', registry: registry ?? '' });
  } else if (v) {
    c.imagePullPolicy = v;
    rec('pull_policy', 'pull_policy.set', { policy: v });
  } else if (p === 'build') {
    c.imagePullPolicy = 'IfNotPresent';
    rec('pull_policy', 'pull_policy.build');
  } else if (p === 'daily' || p === 'weekly' || p.startsWith('every_')) {
    c.imagePullPolicy = 'Always';
    rec('pull_policy', 'pull_policy.periodic', { policy: p });
  } else {
    rec('pull_policy', 'pull_policy.unknown', { policy: p });
  }
}

/**
 * Kubernetes expands `$(NAME)` in a container's command and args from the container's environment
 * (its env, envFrom and the service-link variables) and turns `$$` into `$`; Docker passes them
 * verbatim (compose interpolation has already run). Doubling every `$` that starts `$(` or `$$`
 * makes Kubernetes pass the text unchanged, so `sh -c 'echo $(id -u)'` or a `$(DB_HOST)` that
 * the shell should see stay what compose ran.
 */
export function escapeExpansion(words: readonly string[]): string[] {
  return words.map(escapeWord);
}

/** One word (or piece of one) escaped as escapeExpansion escapes it. */
export function escapeWord(w: string): string {
  return w.replace(/\$(?=[$(])/g, '$$$$');
}

/** Whether the report says `$(` / `$$` were doubled: a phrase of report.yaml. */
function escapedNote(words: readonly string[]): PhraseId {
  return words.some((w) => /\$[$(]/.test(w)) ? 'command.escaped' : 'command.not-escaped';
}

/**
 * Compose `entrypoint` is the k8s `command`, compose `command` the k8s `args`. Kubernetes treats an
 * empty list as "not set", so an explicitly empty entrypoint/command is expressed by rearranging.
 */
function commandAndArgs(svc: Service, c: Container, rec: Rec): void {
  const ep = svc.entrypoint;
  const cmd = svc.command;
  // `null` (a reset) and `[]` are both empty.
  if (ep !== undefined) {
    if (ep?.length) {
      c.command = escapeExpansion(ep);
      rec('entrypoint', 'entrypoint.command', { escaped: escapedNote(ep) });
    } else rec('entrypoint', cmd?.length ? 'entrypoint.empty' : 'entrypoint.cannot-clear');
  }
  if (cmd === undefined) return;
  if (!cmd?.length) rec('command', ep?.length ? 'command.empty-with-entrypoint' : 'command.empty');
  else if (ep !== undefined && !ep?.length) {
    c.command = escapeExpansion(cmd);
    rec('command', 'command.as-command', { escaped: escapedNote(cmd) });
  } else {
    c.args = escapeExpansion(cmd);
    rec('command', 'command.args', { escaped: escapedNote(cmd) });
  }
}

/**
 * One containerPort per distinct (target, protocol); names unique within the pod (ports.ts decides them). A port
 * the Ingress routes to without compose publishing it (a Traefik router's port) is declared too, so the
 * Service can name it.
 */
function containerPorts(ctx: ConvertContext, svc: Service, plan: PodPlan): ContainerPort[] {
  const used = new Set<string>();
  for (const c of plan.spec.containers) for (const p of c.ports ?? []) if (p.name) used.add(p.name);
  const pairs = portPairs(svc);
  for (const r of routesOf(ctx, svc.name))
    if (r.index < 0 && !pairs.some((p) => p.target === r.port.target && p.protocol === 'tcp'))
      pairs.push({ target: r.port.target, protocol: 'tcp' });
  return pairs.map((p) => ({
    name: containerPortName(p.target, p.protocol, used, p.name),
    containerPort: p.target,
    protocol: p.protocol.toUpperCase() as ContainerPort['protocol'],
  }));
}

/** Docker (20.10+) sets this in every container's network namespace; Kubernetes leaves the kernel's 1024. */
const UNPRIVILEGED_PORT_START = 'net.ipv4.ip_unprivileged_port_start';

/**
 * A non-root user that listens below 1024 (nginx as uid 101 on port 80) can bind it under Docker, which sets
 * ip_unprivileged_port_start=0 in every container, and not on a pod: the pod gets that sysctl (a safe one, allowed
 * by every Pod Security level), unless the service sets it itself or its pod shares the node's network. Its ports: those it
 * declares and those it is known to serve without declaring them (plan/ports.ts servedPorts: the image's well-known
 * port, httpd's 80 as uid 1000, which its default probe checks too). `uid` is the effective one: the compose `user:`,
 * else the uid a fixed-uid image runs as. Returns the note for the `user` entry.
 */
function lowPorts(ctx: ConvertContext, svc: Service, c: Container, plan: PodPlan, uid: number): Values {
  const ports = [...(c.ports ?? []).map((p) => p.containerPort), ...servedPorts(ctx, svc).map((p) => p.port)];
  const low = ports.filter((p) => p < 1024);
  // The node's network: any service of the pod on it puts the pod there (pod/settings.ts), a sidecar's too, and
  // the kubelet refuses a net.* sysctl on a hostNetwork pod.
  const nodeNetwork = plan.services.some((s) => s.network_mode === 'host');
  if (!uid || !low.length || nodeNetwork || svc.sysctls?.[UNPRIVILEGED_PORT_START] !== undefined)
    return { lowPorts: 'user.no-low-ports' };
  const list = ((plan.spec.securityContext ??= {}).sysctls ??= []);
  if (!list.some((x) => x.name === UNPRIVILEGED_PORT_START)) list.push({ name: UNPRIVILEGED_PORT_START, value: '0' });
  // The entry's note, a phrase of report.yaml.
  return {
    lowPorts: 'user.low-ports',
    sysctl: UNPRIVILEGED_PORT_START,
    lowUid: uid,
    lowList: [...new Set(low)].join(', '),
  };
}

/**
 * No `user:`, and an image that runs as a fixed non-root uid (kube/users.ts): that uid is the effective one for
 * ports below 1024 too. Reported on the `user` item only when the pod got the sysctl for it (nothing else changes).
 */
function imageUser(ctx: ConvertContext, svc: Service, c: Container, plan: PodPlan, rec: Rec): void {
  // A USER in the service's Dockerfile replaces the base image's fixed uid.
  const fixed = fixedUid(ctx, svc);
  if (!fixed) return;
  const low = lowPorts(ctx, svc, c, plan, fixed.uid);
  if (low.lowPorts === 'user.low-ports') rec('user', 'user.image-uid', { image: fixed.image, uid: fixed.uid, ...low });
}

function user(ctx: ConvertContext, svc: Service, c: Container, plan: PodPlan, rec: Rec): void {
  if (svc.user === undefined) return imageUser(ctx, svc, c, plan, rec);
  const image = svc.image ?? '<image>';
  // Numbers as written; root/nobody everywhere; other names where the image's Dockerfile fixes them (kube/users.ts).
  const r = resolveUser(svc.user, heuristicImage(ctx, svc));
  const { uid, gid } = r;
  if (uid === undefined || (r.by && Number.isNaN(gid))) {
    // A name the table does not know (or whose group it does not know): Kubernetes needs numbers. A group that is
    // known (`unit:root`) is still kept, so files the group may write stay writable.
    const keep = uid === undefined && gid !== undefined && !Number.isNaN(gid);
    if (keep) (c.securityContext ??= {}).runAsGroup = gid;
    rec('user', keep ? 'user.name-group-kept' : 'user.name', {
      user: svc.user,
      image,
      name: r.name || '<user>',
      gid: gid ?? '',
    });
    return;
  }
  const sc = (c.securityContext ??= {});
  sc.runAsUser = uid;
  // A group name (NaN) the table does not know is reported, not set.
  if (gid !== undefined && !Number.isNaN(gid)) sc.runAsGroup = gid;
  const low = lowPorts(ctx, svc, c, plan, uid);
  if (r.by) {
    const ids = gid !== undefined ? `${uid}:${gid}` : `uid ${uid}`;
    const group = gid !== undefined ? `, runAsGroup: ${gid}` : '';
    if (r.by === 'well-known') rec('user', 'user.well-known', { user: svc.user, ids, uid, group, ...low });
    else rec('user', 'user.image-known', { user: svc.user, ids, uid, group, image: r.image!, ...low });
  } else if (gid === undefined) rec('user', 'user.uid', { uid: r.name, ...low });
  else if (!Number.isNaN(gid)) rec('user', 'user.uid-gid', { uid: r.name, gid, ...low });
  else rec('user', 'user.group-name', { uid: r.name, group: r.group!, image, name: r.name, ...low });
}
