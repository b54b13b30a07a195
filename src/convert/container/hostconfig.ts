/**
 * Host namespaces, runtime and lifecycle hooks of a service: `pid`, `ipc`, `uts`, `userns_mode`,
 * `runtime`, `post_start`, `pre_stop`. Containers of one pod already share IPC and network; a
 * PID namespace is shared with `shareProcessNamespace`.
 */
import type { Container, LifecycleHandler, PodSpec } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import { recorder, type ContainerStep, type Rec } from '../step.js';
import { dns1123Label, isDns1123Label } from '../../kube/naming.js';
import { podOwner } from '../plan/plan.js';
import { waitPort } from './startorder.js';

export const applyHostConfig: ContainerStep = (ctx, svc, c, plan) => {
  const rec = recorder(ctx, svc, plan);
  const spec = plan.spec;
  const inPod = (mode: string | undefined): boolean => {
    const m = /^service:(.+)$/.exec(mode ?? '');
    return !!m && plan.services.some((s) => s.name === m[1]);
  };
  if (svc.pid !== undefined && svc.pid !== null) {
    if (svc.pid === 'host') {
      spec.hostPID = true;
      rec('pid', 'pid.host');
    } else if (inPod(svc.pid)) {
      spec.shareProcessNamespace = true;
      rec('pid', 'pid.in-pod');
    } else {
      rec('pid', 'pid.other-pod', { mode: svc.pid });
    }
  }
  if (svc.ipc !== undefined) {
    if (svc.ipc === 'host') {
      spec.hostIPC = true;
      rec('ipc', 'ipc.host');
    } else if (svc.ipc === 'private' || svc.ipc === 'shareable' || inPod(svc.ipc)) {
      rec('ipc', 'ipc.pod');
    } else {
      rec('ipc', 'ipc.other-pod', { mode: svc.ipc });
    }
  }
  if (svc.uts !== undefined) {
    if (svc.uts === 'host' && spec.hostNetwork) rec('uts', 'uts.host-network');
    else rec('uts', 'uts.unsupported');
  }
  if (svc.userns_mode !== undefined) {
    if (svc.userns_mode === 'host') rec('userns_mode', 'userns_mode.host');
    else if (spec.hostNetwork || spec.hostPID || spec.hostIPC) rec('userns_mode', 'userns_mode.host-namespaces');
    else {
      spec.hostUsers = false;
      rec('userns_mode', 'userns_mode.per-pod', { mode: svc.userns_mode });
    }
  }
  if (svc.runtime !== undefined) runtime(spec, svc.runtime, rec);
  hooks(svc, c, rec);
  links(ctx, svc, rec);
};

/**
 * `links: [db, db:database]`: Kubernetes DNS already resolves every Service name; an alias does not exist.
 * Each link is its own item, `links[i]`. A link with an alias of its own (`db:database`, db in the project)
 * to a service that has a Service belongs to the aliases step (objects/aliases.ts), which may give the alias
 * a Service, or says it has none to resolve.
 */
function links(ctx: Parameters<ContainerStep>[0], svc: Service, rec: Rec): void {
  for (const [i, link] of (svc.links ?? []).entries()) {
    const [target = '', alias = target] = link.split(':');
    const peer = ctx.project.services[target];
    const path = `links[${i}]`;
    if (peer && alias !== target) continue; // a link alias is the aliases step's (objects/aliases.ts), portless or not
    // The Service of the pod the target runs in (a sidecar is reached through its pod's Service),
    // with a declared or an inferred port (network/reach.ts; a link is a reference to it).
    const owner = peer ? podOwner(ctx.project.services, target) : target;
    const dns = ctx.serviceName(owner);
    const port = peer ? waitPort(ctx, peer, owner) : undefined;
    if (!port) rec(path, 'links.no-ports', { link, target });
    else if (alias !== dns) rec(path, 'links.other-name', { link, dns, alias, target, service: svc.name });
    else if (port.inferred) rec(path, 'links.inferred-port', { link, dns, port: port.port, ...port.why, target });
    else rec(path, 'links.service-name', { link, dns });
  }
}

function runtime(spec: PodSpec, name: string, rec: Rec): void {
  const rc = dns1123Label(name);
  if (spec.runtimeClassName && spec.runtimeClassName !== rc) {
    rec('runtime', 'runtime.other-class', { runtimeClass: spec.runtimeClassName });
    return;
  }
  spec.runtimeClassName = rc;
  // `io.containerd.wasmedge.v1` is a shim type (Docker takes it as a runtime); a RuntimeClass handler is the DNS-label
  // name of a runtime entry in the node's containerd config, which names the shim as its runtime_type.
  const shim = /^io\.containerd\.([a-z0-9-]+)\.v\d+$/.exec(name.toLowerCase());
  if (shim) rec('runtime', 'runtime.shim', { runtimeClass: rc, shim: name, handler: shim[1]! });
  else rec('runtime', 'runtime.class', { runtimeClass: rc, handler: isDns1123Label(name) ? name : rc });
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
  for (const [key, field, ids] of [
    ['post_start', 'postStart', ['post_start.no-command', 'post_start.exec', 'post_start.exec-partial']],
    ['pre_stop', 'preStop', ['pre_stop.no-command', 'pre_stop.exec', 'pre_stop.exec-partial']],
  ] as const) {
    const list = svc[key];
    if (!list?.length) continue;
    const handler = hookHandler(list[0]);
    if (!handler) {
      rec(key, ids[0]);
      continue;
    }
    (c.lifecycle ??= {})[field] = handler;
    const h = list[0] as Hook;
    const dropped = (['user', 'privileged', 'working_dir', 'environment'] as const).filter((k) => h[k] !== undefined);
    // The notes, phrases of report.yaml: the hooks dropped, then the fields dropped (after `; ` when both).
    const more = list.length > 1;
    if (more || dropped.length)
      rec(key, ids[2], {
        more: more ? 'hooks.more' : 'hooks.none',
        moreCount: list.length - 1,
        fields: dropped.length ? (more ? 'hooks.fields-after' : 'hooks.fields') : 'hooks.none',
        dropped: dropped.join(', '),
      });
    else rec(key, ids[1]);
  }
}
