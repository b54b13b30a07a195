/**
 * Container securityContext from `privileged`, `cap_add`, `cap_drop`, `read_only`, `security_opt`.
 */
import type { Container, SecurityContext } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { OutcomeId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import type { Rec } from '../step.js';

/** Docker accepts `NET_ADMIN` and `CAP_NET_ADMIN`; Kubernetes wants the name without the prefix. */
export function capability(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, '');
}

export function applyPrivileges(svc: Service, c: Container, rec: Rec): void {
  const sc = (): SecurityContext => (c.securityContext ??= {});
  if (svc.privileged !== undefined) {
    if (svc.privileged) sc().privileged = true;
    rec('privileged', 'privileged.set', { value: svc.privileged });
  }
  for (const key of ['cap_add', 'cap_drop'] as const) {
    const caps = svc[key];
    if (!caps?.length) continue;
    const list = [...new Set(caps.map(capability))];
    const capsObj = (sc().capabilities ??= {});
    if (key === 'cap_add') capsObj.add = list;
    else capsObj.drop = list;
    rec(key, key === 'cap_add' ? 'cap_add.set' : 'cap_drop.set', { caps: list.join(', ') });
  }
  if (svc.read_only !== undefined) {
    if (svc.read_only) sc().readOnlyRootFilesystem = true;
    rec('read_only', 'read_only.set', { value: svc.read_only });
  }
  for (const [i, opt] of (svc.security_opt ?? []).entries())
    securityOpt(svc, opt, sc, (id, values) =>
      // One item per option (`security_opt[1]`); pod/security.ts downgrades it when --pod-security overrides it.
      rec(`security_opt[${i}]`, id, { opt, ...values }),
    );
}

function securityOpt(
  svc: Service,
  opt: string,
  sc: () => SecurityContext,
  rec: (id: OutcomeId, values?: Values) => void,
): void {
  const i = opt.search(/[:=]/);
  const key = (i < 0 ? opt : opt.slice(0, i)).trim();
  const value = i < 0 ? '' : opt.slice(i + 1).trim();
  if (key === 'no-new-privileges') {
    const on = value === '' || value === 'true';
    if (on && svc.privileged) {
      rec('security_opt.no-new-privileges-privileged');
    } else if (on) {
      sc().allowPrivilegeEscalation = false;
      rec('security_opt.no-new-privileges');
    } else {
      rec('security_opt.escalation-allowed');
    }
    return;
  }
  if (key === 'seccomp') {
    if (value === 'unconfined') {
      sc().seccompProfile = { type: 'Unconfined' };
      rec('security_opt.seccomp-unconfined');
    } else if (value) {
      // Docker reads the profile file on the client; the kubelet reads it below its seccomp root on each node.
      const file = value.split(/[\\/]/).pop()!;
      sc().seccompProfile = { type: 'Localhost', localhostProfile: file };
      rec('security_opt.seccomp-profile', { file, value });
    } else {
      rec('security_opt.seccomp-missing');
    }
    return;
  }
  if (key === 'apparmor') {
    if (value === 'unconfined') {
      sc().appArmorProfile = { type: 'Unconfined' };
      rec('security_opt.apparmor-unconfined');
    } else if (value) {
      sc().appArmorProfile = { type: 'Localhost', localhostProfile: value };
      rec('security_opt.apparmor-profile', { value });
    } else {
      rec('security_opt.apparmor-missing');
    }
    return;
  }
  if (key === 'label') {
    const m = /^(user|role|type|level):(.+)$/.exec(value);
    if (m) {
      const se = (sc().seLinuxOptions ??= {});
      se[m[1] as 'user' | 'role' | 'type' | 'level'] = m[2]!;
      rec('security_opt.selinux-option', { field: m[1]!, value: m[2]! });
    } else {
      rec('security_opt.selinux-disable');
    }
    return;
  }
  rec('security_opt.unknown');
}
