/**
 * Host namespaces, runtime and lifecycle hooks of a service: `pid`, `ipc`, `uts`, `userns_mode`,
 * `runtime`, `post_start`, `pre_stop`. Containers of one pod already share IPC and network; a
 * PID namespace is shared with `shareProcessNamespace`.
 */
import type { Container, LifecycleHandler, PodSpec } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ContainerStep } from '../step.js';
import { dns1123Label } from '../../kube/naming.js';
import { podOwner } from '../plan/plan.js';
import { waitPort } from './startorder.js';

type Rec = (
  key: string,
  status: 'converted' | 'approximated' | 'unsupported' | 'ignored',
  msg: string,
  fix?: string,
) => void;

export const applyHostConfig: ContainerStep = (ctx, svc, c, plan) => {
  const objects = [`${plan.kind}/${plan.name}`];
  const rec: Rec = (key, status, msg, fix) =>
    ctx.record(svc.name, key, status, msg, { objects, ...(fix ? { fix } : {}) });
  const spec = plan.spec;
  const inPod = (mode: string | undefined): boolean => {
    const m = /^service:(.+)$/.exec(mode ?? '');
    return !!m && plan.services.some((s) => s.name === m[1]);
  };
  if (svc.pid !== undefined && svc.pid !== null) {
    if (svc.pid === 'host') {
      spec.hostPID = true;
      rec('pid', 'converted', 'hostPID: true');
    } else if (inPod(svc.pid)) {
      spec.shareProcessNamespace = true;
      rec('pid', 'converted', 'shareProcessNamespace: true (both containers are in this pod)');
    } else {
      rec(
        'pid',
        'unsupported',
        `pid ${svc.pid}: pods cannot share a PID namespace with another pod`,
        'put the containers into one pod (network_mode: service:<name>) to share processes',
      );
    }
  }
  if (svc.ipc !== undefined) {
    if (svc.ipc === 'host') {
      spec.hostIPC = true;
      rec('ipc', 'converted', 'hostIPC: true');
    } else if (svc.ipc === 'private' || svc.ipc === 'shareable' || inPod(svc.ipc)) {
      rec('ipc', 'converted', 'containers of a pod share one IPC namespace, private to the pod');
    } else {
      rec(
        'ipc',
        'unsupported',
        `ipc ${svc.ipc}: pods cannot share IPC with another pod`,
        'put the containers into one pod (network_mode: service:<name>)',
      );
    }
  }
  if (svc.uts !== undefined) {
    if (svc.uts === 'host' && spec.hostNetwork) rec('uts', 'converted', 'hostNetwork pods use the host UTS namespace');
    else
      rec(
        'uts',
        'unsupported',
        'a pod uses the host UTS namespace only together with hostNetwork',
        'use network_mode: host, or drop uts',
      );
  }
  if (svc.userns_mode !== undefined) {
    if (svc.userns_mode === 'host') rec('userns_mode', 'converted', 'no user namespace (the Kubernetes default)');
    else if (spec.hostNetwork || spec.hostPID || spec.hostIPC)
      rec(
        'userns_mode',
        'unsupported',
        'Kubernetes does not allow user namespaces with host namespaces',
        'drop network_mode/pid/ipc: host',
      );
    else {
      spec.hostUsers = false;
      rec(
        'userns_mode',
        'approximated',
        `hostUsers: false (a user namespace per pod, not ${svc.userns_mode})`,
        'user namespaces need Kubernetes 1.30+ and runtime support',
      );
    }
  }
  if (svc.runtime !== undefined) runtime(spec, svc.runtime, rec);
  hooks(svc, c, rec);
  links(ctx, svc, rec);
};

/** `links: [db, db:database]`: Kubernetes DNS already resolves every Service name; an alias does not exist. */
function links(ctx: Parameters<ContainerStep>[0], svc: Service, rec: Rec): void {
  for (const link of svc.links ?? []) {
    const [target = '', alias = target] = link.split(':');
    const peer = ctx.project.services[target];
    if (peer && alias !== target) continue; // a link alias: objects/aliases.ts gives it a Service and reports it
    // The Service of the pod the target runs in (a sidecar is reached through its pod's Service),
    // with a declared or an inferred port (services-infer.ts; a link is a reference to it).
    const owner = peer ? podOwner(ctx.project.services, target) : target;
    const dns = ctx.serviceName(owner);
    const port = peer ? waitPort(ctx, peer, owner) : undefined;
    if (!port)
      rec(
        'links',
        'approximated',
        `${link}: ${target} declares no ports, so it has no Service to resolve`,
        `add expose: [<port>] to ${target}`,
      );
    else if (alias !== dns)
      rec(
        'links',
        'approximated',
        `${link}: reachable as ${dns}, not as ${alias}`,
        `use ${dns} in ${svc.name}'s configuration, or add a Service named ${alias} selecting ${target}`,
      );
    else if (port.inferred)
      rec(
        'links',
        'approximated',
        `${link}: reachable by its Service name ${dns}, whose port ${port.port} is inferred (${port.inferred})`,
        `declare the ports ${target} listens on (expose)`,
      );
    else rec('links', 'converted', `${link}: reachable by its Service name ${dns}`);
  }
}

function runtime(spec: PodSpec, name: string, rec: Rec): void {
  const rc = dns1123Label(name);
  if (spec.runtimeClassName && spec.runtimeClassName !== rc) {
    rec('runtime', 'ignored', `the pod already runs with RuntimeClass ${spec.runtimeClassName}`);
    return;
  }
  spec.runtimeClassName = rc;
  rec(
    'runtime',
    'approximated',
    `runtimeClassName: ${rc}; a RuntimeClass of that name must exist`,
    `create a RuntimeClass ${rc} whose handler is ${name}`,
  );
}

interface Hook {
  command?: string | string[];
  user?: unknown;
  privileged?: unknown;
  working_dir?: unknown;
  environment?: unknown;
}

function hookHandler(h: unknown): LifecycleHandler | undefined {
  if (h === null || typeof h !== 'object') return undefined;
  const cmd = (h as Hook).command;
  if (typeof cmd === 'string' && cmd.trim()) return { exec: { command: ['sh', '-c', cmd] } };
  if (Array.isArray(cmd) && cmd.length) return { exec: { command: cmd.map(String) } };
  return undefined;
}

function hooks(svc: Service, c: Container, rec: Rec): void {
  for (const [key, field] of [
    ['post_start', 'postStart'],
    ['pre_stop', 'preStop'],
  ] as const) {
    const list = svc[key];
    if (!list?.length) continue;
    const handler = hookHandler(list[0]);
    if (!handler) {
      rec(key, 'unsupported', 'the hook has no command');
      continue;
    }
    (c.lifecycle ??= {})[field] = handler;
    const h = list[0] as Hook;
    const dropped = (['user', 'privileged', 'working_dir', 'environment'] as const).filter((k) => h[k] !== undefined);
    const notes = [
      ...(list.length > 1 ? [`${list.length - 1} more hook(s) dropped`] : []),
      ...(dropped.length ? [`${dropped.join(', ')} dropped (the hook runs like the container)`] : []),
    ];
    if (notes.length)
      rec(
        key,
        'approximated',
        `lifecycle.${field} exec; ${notes.join('; ')}`,
        'merge the hooks into one script run by the first hook',
      );
    else rec(key, 'converted', `lifecycle.${field} exec`);
  }
}
