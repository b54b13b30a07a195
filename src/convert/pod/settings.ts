/**
 * Pod-level settings from a service: hostname, DNS, /etc/hosts entries, platform, sysctls,
 * supplemental groups, grace period, labels → pod annotations, and keys that only get reported
 * (container_name, init, stop_signal). Sidecars of the same pod merge into the same PodSpec.
 */
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { dns1123Label, isDns1123Label } from '../../kube/naming.js';
import { hardCodedIp } from '../finish/ips.js';

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/** Annotation/label keys: optional DNS-subdomain prefix and `/`, then a name of ≤ 63 characters. */
export function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1]!;
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name) || name.length > 63) return false;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    return prefix.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix);
  }
  return true;
}

export function applyPodSettings(ctx: ConvertContext, svc: Service, plan: PodPlan): void {
  const obj = [`${plan.kind}/${plan.name}`];
  const spec = plan.spec;
  const isMain = svc === plan.main;
  if (svc.hostname !== undefined) {
    if (!isMain) {
      ctx.record(svc.name, 'hostname', 'ignored', `a pod has one hostname: the one of ${plan.main.name}`, {
        objects: obj,
      });
    } else if (isDns1123Label(svc.hostname)) {
      spec.hostname = svc.hostname;
      ctx.record(svc.name, 'hostname', 'converted', `pod hostname: ${svc.hostname}`, { objects: obj });
    } else {
      const h = dns1123Label(svc.hostname.split('.')[0]!);
      spec.hostname = h;
      ctx.record(
        svc.name,
        'hostname',
        'approximated',
        `pod hostname must be a DNS-1123 label: ${h} instead of ${svc.hostname}`,
        {
          objects: obj,
          fix: 'use a lowercase hostname of letters, digits and dashes, at most 63 characters',
        },
      );
    }
  }
  if (svc.domainname !== undefined)
    ctx.record(
      svc.name,
      'domainname',
      'unsupported',
      'Kubernetes sets the pod domain from the namespace and cluster domain',
      {
        objects: obj,
        fix: 'set `spec.subdomain` and create a headless Service of that name to get `<hostname>.<subdomain>.<namespace>.svc` names',
      },
    );
  networkMode(ctx, svc, spec, obj);
  extraHosts(ctx, svc, spec, obj, plan);
  dns(ctx, svc, spec, obj, plan);
  platform(ctx, svc, spec, obj);
  annotations(ctx, svc, plan, obj);
  if (svc.container_name !== undefined)
    ctx.record(svc.name, 'container_name', 'ignored', 'Kubernetes names pods itself (from the workload name)', {
      objects: obj,
    });
  if (svc.init !== undefined) {
    if (svc.init)
      ctx.record(svc.name, 'init', 'unsupported', 'Kubernetes has no option to run an init process as PID 1', {
        objects: obj,
        fix: 'add an init (tini, dumb-init) to the image ENTRYPOINT so it reaps zombies and forwards signals',
      });
    else ctx.record(svc.name, 'init', 'converted', 'no init process (the Kubernetes default)', { objects: obj });
  }
  if (svc.stop_signal !== undefined) {
    const sig = svc.stop_signal.toUpperCase().replace(/^(?!SIG)/, 'SIG');
    if (sig === 'SIGTERM')
      ctx.record(svc.name, 'stop_signal', 'converted', 'Kubernetes stops containers with SIGTERM', { objects: obj });
    else
      ctx.record(svc.name, 'stop_signal', 'unsupported', `Kubernetes always sends SIGTERM, not ${svc.stop_signal}`, {
        objects: obj,
        fix: `make the process exit on SIGTERM, or add a lifecycle.preStop hook that sends ${sig} (e.g. \`kill -s ${sig.slice(3)} 1\`)`,
      });
  }
  if (svc.stop_grace_period !== undefined) {
    const s = Math.ceil(svc.stop_grace_period / 1000);
    spec.terminationGracePeriodSeconds = Math.max(spec.terminationGracePeriodSeconds ?? 0, s);
    ctx.record(svc.name, 'stop_grace_period', 'converted', `terminationGracePeriodSeconds: ${s}`, { objects: obj });
  }
  if (svc.sysctls && Object.keys(svc.sysctls).length) {
    const psc = (spec.securityContext ??= {});
    const list = (psc.sysctls ??= []);
    const unsafe: string[] = [];
    for (const [name, value] of Object.entries(svc.sysctls)) {
      if (!list.some((s) => s.name === name)) list.push({ name, value: String(value) });
      if (!SAFE_SYSCTLS.has(name)) unsafe.push(name);
    }
    if (unsafe.length)
      ctx.record(
        svc.name,
        'sysctls',
        'approximated',
        `securityContext.sysctls; ${unsafe.join(', ')} ${unsafe.length > 1 ? 'are' : 'is'} unsafe in Kubernetes`,
        {
          objects: obj,
          fix: 'allow them on the nodes with the kubelet flag --allowed-unsafe-sysctls, or the pod will not start',
        },
      );
    else ctx.record(svc.name, 'sysctls', 'converted', 'pod securityContext.sysctls', { objects: obj });
  }
  if (svc.group_add?.length) {
    const nums = svc.group_add.filter((g) => /^\d+$/.test(g)).map(Number);
    const names = svc.group_add.filter((g) => !/^\d+$/.test(g));
    if (nums.length) {
      const psc = (spec.securityContext ??= {});
      psc.supplementalGroups = [...new Set([...(psc.supplementalGroups ?? []), ...nums])];
    }
    if (names.length)
      ctx.record(
        svc.name,
        'group_add',
        nums.length ? 'approximated' : 'unsupported',
        `group names (${names.join(', ')}) cannot be expressed; Kubernetes needs numeric ids`,
        {
          objects: obj,
          fix: 'replace group names with their numeric gid',
        },
      );
    else
      ctx.record(svc.name, 'group_add', 'converted', `securityContext.supplementalGroups: ${nums.join(', ')}`, {
        objects: obj,
      });
  }
}

/** `host` → hostNetwork; `service:X` is planned as a sidecar (plan.ts); the rest has no equivalent. */
function networkMode(ctx: ConvertContext, svc: Service, spec: PodSpec, objects: string[]): void {
  const mode = svc.network_mode;
  if (mode === undefined || mode.startsWith('service:')) return;
  if (mode === 'host') {
    spec.hostNetwork = true;
    spec.dnsPolicy = 'ClusterFirstWithHostNet';
    ctx.record(
      svc.name,
      'network_mode',
      'approximated',
      'hostNetwork: true (dnsPolicy ClusterFirstWithHostNet keeps service names resolving); ports bind on the node, so two replicas cannot share a node',
      {
        objects,
        fix: 'prefer ports: and a Service; keep hostNetwork only for node-level agents',
      },
    );
  } else if (mode === 'none') {
    ctx.record(svc.name, 'network_mode', 'unsupported', 'every pod gets a network interface in Kubernetes', {
      objects,
      fix: 'isolate the pod with a NetworkPolicy that denies all ingress and egress',
    });
  } else {
    ctx.record(
      svc.name,
      'network_mode',
      'unsupported',
      `${mode}: pods cannot join the network of a container outside the project`,
      {
        objects,
        fix: 'run both containers in one pod (network_mode: service:<name> for a service of this project)',
      },
    );
  }
}

function extraHosts(ctx: ConvertContext, svc: Service, spec: PodSpec, objects: string[], plan: PodPlan): void {
  if (!svc.extra_hosts?.length) return;
  const aliases = (spec.hostAliases ??= []);
  const gateway: string[] = [];
  svc.extra_hosts.forEach((h, i) => {
    if (h.ip === 'host-gateway') return void gateway.push(h.host);
    let a = aliases.find((x) => x.ip === h.ip);
    if (!a) aliases.push((a = { ip: h.ip, hostnames: [] }));
    if (!a.hostnames!.includes(h.host)) a.hostnames!.push(h.host);
    hardCodedIp(ctx, svc, plan, h.ip, `extra_hosts entry ${h.host}`, ctx.servicePos(svc, 'extra_hosts', i));
  });
  if (!aliases.length) delete spec.hostAliases;
  if (gateway.length)
    ctx.record(
      svc.name,
      'extra_hosts',
      'unsupported',
      `host-gateway (${gateway.join(', ')}) has no Kubernetes equivalent`,
      {
        objects,
        fix: 'reach the host through a Service of type ExternalName, or read the node IP from the downward API (status.hostIP)',
      },
    );
  if (gateway.length < svc.extra_hosts.length)
    ctx.record(svc.name, 'extra_hosts', 'converted', 'hostAliases (entries grouped by IP)', { objects });
}

function dns(ctx: ConvertContext, svc: Service, spec: PodSpec, objects: string[], plan: PodPlan): void {
  const cfg = (): NonNullable<PodSpec['dnsConfig']> => (spec.dnsConfig ??= {});
  if (svc.dns?.length) {
    const ns = (cfg().nameservers ??= []);
    const notIp = svc.dns.filter((s) => !isIpAddress(s));
    for (const s of svc.dns) if (!ns.includes(s) && isIpAddress(s)) ns.push(s);
    // Cluster DNS stays first (dnsPolicy ClusterFirst) so service names keep resolving; the
    // resolver allows 3 nameservers, one of which is the cluster DNS.
    const dropped = [...ns.splice(2), ...notIp];
    if (!ns.length) delete spec.dnsConfig!.nameservers;
    svc.dns.forEach((ip, i) =>
      hardCodedIp(
        ctx,
        svc,
        plan,
        ip,
        'DNS server',
        ctx.servicePos(svc, 'dns', i),
        'a fixed DNS server must be reachable from the cluster; prefer the cluster DNS (drop `dns:`) or configure forwarding in CoreDNS',
      ),
    );
    ctx.record(
      svc.name,
      'dns',
      'approximated',
      `dnsConfig.nameservers after the cluster DNS (dnsPolicy ClusterFirst keeps service names resolving, so these servers are only asked when it fails)${dropped.length ? `; dropped ${dropped.join(', ')} (at most 3 nameservers, IP addresses only)` : ''}`,
      {
        objects,
        fix: 'to send every lookup to these servers set dnsPolicy: None (service names then stop resolving), or configure CoreDNS forwarding',
      },
    );
  }
  if (svc.dns_search?.length) {
    const s = (cfg().searches ??= []);
    for (const d of svc.dns_search) if (!s.includes(d)) s.push(d);
    const dropped = s.splice(32);
    ctx.record(
      svc.name,
      'dns_search',
      dropped.length ? 'approximated' : 'converted',
      `dnsConfig.searches (after the cluster search domains)${dropped.length ? '; more than 32 dropped' : ''}`,
      {
        objects,
      },
    );
  }
  if (svc.dns_opt?.length) {
    const opts = (cfg().options ??= []);
    for (const o of svc.dns_opt) {
      const [name, value] = o.split(':', 2) as [string, string | undefined];
      if (!opts.some((x) => x.name === name)) opts.push(value !== undefined ? { name, value } : { name });
    }
    ctx.record(svc.name, 'dns_opt', 'converted', 'dnsConfig.options', { objects });
  }
}

/** An IPv4 or IPv6 address literal (what dnsConfig.nameservers accepts). */
export function isIpAddress(s: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) return v4.slice(1).every((n) => Number(n) <= 255);
  return s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g)?.length ?? 0) <= 1;
}

function platform(ctx: ConvertContext, svc: Service, spec: PodSpec, objects: string[]): void {
  if (svc.platform === undefined) return;
  if (svc.platform === '') return ctx.record(svc.name, 'platform', 'ignored', 'empty: any node will do');
  const [os, arch, variant] = svc.platform.toLowerCase().split('/');
  const sel = (spec.nodeSelector ??= {});
  if (os) sel['kubernetes.io/os'] = os;
  if (arch) sel['kubernetes.io/arch'] = arch;
  const msg = `nodeSelector kubernetes.io/os=${os}${arch ? `, kubernetes.io/arch=${arch}` : ''}`;
  if (variant)
    ctx.record(
      svc.name,
      'platform',
      'approximated',
      `${msg}; Kubernetes has no node label for the variant ${variant}`,
      { objects },
    );
  else ctx.record(svc.name, 'platform', 'converted', msg, { objects });
}

function annotations(ctx: ConvertContext, svc: Service, plan: PodPlan, objects: string[]): void {
  for (const key of ['labels', 'annotations'] as const) {
    const src = svc[key];
    if (!src || !Object.keys(src).length) continue;
    const bad: string[] = [];
    for (const [k, v] of Object.entries(src)) {
      if (isQualifiedName(k)) plan.podAnnotations[k] = String(v);
      else bad.push(k);
    }
    const what =
      key === 'labels'
        ? 'container labels become pod annotations (labels are reserved for selectors)'
        : 'pod annotations';
    if (bad.length)
      ctx.record(svc.name, key, 'approximated', `${what}; skipped invalid keys: ${bad.join(', ')}`, {
        objects,
        fix: 'annotation keys are `[prefix/]name` with a name of at most 63 letters, digits, `-`, `_`, `.`',
      });
    else ctx.record(svc.name, key, 'converted', what, { objects });
  }
  // The loader merged label_file entries into `labels` (compose's rule: labels: wins); they were handled above.
  if (svc.label_file?.length)
    ctx.record(
      svc.name,
      'label_file',
      'converted',
      `read into labels (${svc.label_file.length} file(s)), which become pod annotations`,
      { objects },
    );
}
