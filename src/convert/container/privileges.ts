/**
 * Container securityContext from `privileged`, `cap_add`, `cap_drop`, `read_only`, `security_opt`.
 */
import type { Container, SecurityContext } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';

/** Docker accepts `NET_ADMIN` and `CAP_NET_ADMIN`; Kubernetes wants the name without the prefix. */
export function capability(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, '');
}

export function applyPrivileges(ctx: ConvertContext, svc: Service, c: Container, plan: PodPlan): void {
  const obj = [`${plan.kind}/${plan.name}`];
  const sc = (): SecurityContext => (c.securityContext ??= {});
  if (svc.privileged !== undefined) {
    if (svc.privileged) sc().privileged = true;
    ctx.record(svc.name, 'privileged', 'converted', `securityContext.privileged: ${svc.privileged}`, { objects: obj });
  }
  for (const key of ['cap_add', 'cap_drop'] as const) {
    const caps = svc[key];
    if (!caps?.length) continue;
    const list = [...new Set(caps.map(capability))];
    const capsObj = (sc().capabilities ??= {});
    if (key === 'cap_add') capsObj.add = list;
    else capsObj.drop = list;
    ctx.record(
      svc.name,
      key,
      'converted',
      `securityContext.capabilities.${key === 'cap_add' ? 'add' : 'drop'}: ${list.join(', ')}`,
      {
        objects: obj,
      },
    );
  }
  if (svc.read_only !== undefined) {
    if (svc.read_only) sc().readOnlyRootFilesystem = true;
    ctx.record(svc.name, 'read_only', 'converted', `securityContext.readOnlyRootFilesystem: ${svc.read_only}`, {
      objects: obj,
    });
  }
  for (const opt of svc.security_opt ?? []) securityOpt(ctx, svc, opt, sc, obj);
}

function securityOpt(
  ctx: ConvertContext,
  svc: Service,
  opt: string,
  sc: () => SecurityContext,
  objects: string[],
): void {
  const i = opt.search(/[:=]/);
  const key = (i < 0 ? opt : opt.slice(0, i)).trim();
  const value = i < 0 ? '' : opt.slice(i + 1).trim();
  const rec = (status: 'converted' | 'approximated' | 'unsupported', message: string, fix?: string): void =>
    ctx.record(svc.name, 'security_opt', status, `${opt}: ${message}`, { objects, ...(fix ? { fix } : {}) });
  if (key === 'no-new-privileges') {
    const on = value === '' || value === 'true';
    if (on && svc.privileged) {
      rec(
        'unsupported',
        'Kubernetes rejects allowPrivilegeEscalation: false on a privileged container',
        'drop `privileged: true` or this option',
      );
    } else if (on) {
      sc().allowPrivilegeEscalation = false;
      rec('converted', 'securityContext.allowPrivilegeEscalation: false');
    } else {
      rec('converted', 'privilege escalation stays allowed (the Kubernetes default)');
    }
    return;
  }
  if (key === 'seccomp') {
    if (value === 'unconfined') {
      sc().seccompProfile = { type: 'Unconfined' };
      rec('converted', 'securityContext.seccompProfile: Unconfined');
    } else if (value) {
      // Docker reads the profile file on the client; the kubelet reads it below its seccomp root on each node.
      const file = value.split(/[\\/]/).pop()!;
      sc().seccompProfile = { type: 'Localhost', localhostProfile: file };
      rec(
        'approximated',
        `securityContext.seccompProfile: Localhost ${file}; the profile must be installed on every node`,
        `copy ${value} to /var/lib/kubelet/seccomp/${file} on every node`,
      );
    } else {
      rec('unsupported', 'missing profile');
    }
    return;
  }
  if (key === 'apparmor') {
    if (value === 'unconfined') {
      sc().appArmorProfile = { type: 'Unconfined' };
      rec('converted', 'securityContext.appArmorProfile: Unconfined');
    } else if (value) {
      sc().appArmorProfile = { type: 'Localhost', localhostProfile: value };
      rec('approximated', `appArmorProfile Localhost ${value}: the profile must be loaded on every node`);
    } else {
      rec('unsupported', 'missing profile name');
    }
    return;
  }
  if (key === 'label') {
    const m = /^(user|role|type|level):(.+)$/.exec(value);
    if (m) {
      const se = (sc().seLinuxOptions ??= {});
      se[m[1] as 'user' | 'role' | 'type' | 'level'] = m[2]!;
      rec('converted', `securityContext.seLinuxOptions.${m[1]}: ${m[2]}`);
    } else {
      rec(
        'unsupported',
        'Kubernetes cannot disable SELinux labelling per container',
        'set `seLinuxOptions.type` (e.g. spc_t) instead',
      );
    }
    return;
  }
  rec('unsupported', 'no Kubernetes equivalent', 'remove it or set the matching field of `securityContext` by hand');
}
