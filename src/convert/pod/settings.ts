/**
 * Pod-level settings from a service: hostname, DNS, /etc/hosts entries, platform, sysctls,
 * supplemental groups, grace period, labels → pod annotations, and keys that only get reported
 * (container_name, init, stop_signal). Sidecars of the same pod merge into the same PodSpec.
 */
import { redactLabelValue } from '../container/secret-values.js';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { addHostAlias, type PodPlan } from '../plan/pod.js';
import { dns1123Label, isDns1123Label } from '../../kube/naming.js';
import { hardCodedIp } from '../finish/ips.js';
import { isIpAddress } from '../../kube/ip.js';
import { SAFE_SYSCTLS, isNamespacedSysctl } from '../../kube/sysctls.js';
import { dialects } from '../intent/dialect.js';
import { isolatePod } from '../objects/netpol.js';

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
      ctx.outcome(svc.name, 'hostname', 'hostname.sidecar', { main: plan.main.name }, { objects: obj });
    } else if (isDns1123Label(svc.hostname)) {
      spec.hostname = svc.hostname;
      ctx.outcome(svc.name, 'hostname', 'hostname.set', { hostname: svc.hostname }, { objects: obj });
    } else {
      const h = dns1123Label(svc.hostname.split('.')[0]!);
      spec.hostname = h;
      ctx.outcome(svc.name, 'hostname', 'hostname.sanitized', { used: h, hostname: svc.hostname }, { objects: obj });
    }
  }
  if (svc.domainname !== undefined)
    ctx.outcome(svc.name, 'domainname', 'domainname.cluster-domain', {}, { objects: obj });
  networkMode(ctx, svc, plan, obj);
  extraHosts(ctx, svc, spec, obj, plan);
  dns(ctx, svc, spec, obj, plan);
  platform(ctx, svc, spec, obj);
  annotations(ctx, svc, plan, obj);
  if (svc.container_name !== undefined)
    ctx.outcome(svc.name, 'container_name', 'container_name.generated', {}, { objects: obj });
  if (svc.init !== undefined) {
    ctx.outcome(svc.name, 'init', svc.init ? 'init.pid1' : 'init.off', {}, { objects: obj });
  }
  if (svc.stop_signal !== undefined) {
    const sig = svc.stop_signal.toUpperCase().replace(/^(?!SIG)/, 'SIG');
    if (sig === 'SIGTERM') ctx.outcome(svc.name, 'stop_signal', 'stop_signal.sigterm', {}, { objects: obj });
    else
      ctx.outcome(
        svc.name,
        'stop_signal',
        'stop_signal.other',
        { signal: svc.stop_signal, sig, short: sig.slice(3) },
        { objects: obj },
      );
  }
  if (svc.stop_grace_period !== undefined) {
    const s = Math.ceil(svc.stop_grace_period / 1000);
    spec.terminationGracePeriodSeconds = Math.max(spec.terminationGracePeriodSeconds ?? 0, s);
    ctx.outcome(svc.name, 'stop_grace_period', 'stop_grace_period.set', { seconds: s }, { objects: obj });
  }
  if (svc.sysctls && Object.keys(svc.sysctls).length) {
    const allowUnsafe = ctx.options.allowUnsafeSysctls;
    for (const [name, value] of Object.entries(svc.sysctls)) {
      const safe = SAFE_SYSCTLS.has(name);
      // One item per sysctl (`sysctls.net.core.somaxconn`); pod/security.ts downgrades it under --pod-security.
      if (!safe && !isNamespacedSysctl(name)) {
        ctx.outcome(svc.name, `sysctls.${name}`, 'sysctls.node-level', { name, value: String(value) });
        continue;
      }
      if (!safe && !allowUnsafe) {
        ctx.outcome(svc.name, `sysctls.${name}`, 'sysctls.unsafe-dropped', { name });
        continue;
      }
      const list = ((spec.securityContext ??= {}).sysctls ??= []);
      if (!list.some((s) => s.name === name)) list.push({ name, value: String(value) });
      ctx.outcome(svc.name, `sysctls.${name}`, safe ? 'sysctls.safe' : 'sysctls.unsafe', { name }, { objects: obj });
    }
  }
  if (svc.ulimits) ulimits(ctx, svc);
  if (svc.group_add?.length) {
    const nums = svc.group_add.filter((g) => /^\d+$/.test(g)).map(Number);
    const names = svc.group_add.filter((g) => !/^\d+$/.test(g));
    if (nums.length) {
      const psc = (spec.securityContext ??= {});
      psc.supplementalGroups = [...new Set([...(psc.supplementalGroups ?? []), ...nums])];
    }
    if (names.length)
      ctx.outcome(
        svc.name,
        'group_add',
        nums.length ? 'group_add.names-dropped' : 'group_add.names',
        { names: names.join(', ') },
        { objects: obj },
      );
    else ctx.outcome(svc.name, 'group_add', 'group_add.gids', { groups: nums.join(', ') }, { objects: obj });
  }
}

/**
 * `host` → hostNetwork; `bridge`/`default` is what every pod has; `service:X` is planned as a sidecar (plan.ts);
 * `none` → a NetworkPolicy that isolates the pod (with NetworkPolicies on); the rest has no equivalent.
 */
function networkMode(ctx: ConvertContext, svc: Service, plan: PodPlan, objects: string[]): void {
  const mode = svc.network_mode;
  const spec = plan.spec;
  if (mode === undefined || mode.startsWith('service:')) return;
  if (mode === 'host') {
    spec.hostNetwork = true;
    spec.dnsPolicy = 'ClusterFirstWithHostNet';
    // rollout.ts gives a hostNetwork Deployment strategy Recreate: said here, where the user looks.
    const id = plan.kind === 'Deployment' ? 'network_mode.host-recreate' : 'network_mode.host';
    ctx.outcome(svc.name, 'network_mode', id, {}, { objects });
  } else if (mode === 'bridge' || mode === 'default') {
    ctx.outcome(svc.name, 'network_mode', 'network_mode.bridge', { mode }, { objects });
  } else if (mode === 'none' && ctx.options.networkPolicies) {
    const policy = isolatePod(ctx, plan);
    ctx.outcome(svc.name, 'network_mode', 'network_mode.none-isolated', { policy }, { objects: [...objects, policy] });
  } else if (mode === 'none') {
    ctx.outcome(svc.name, 'network_mode', 'network_mode.none', {}, { objects });
  } else {
    ctx.outcome(svc.name, 'network_mode', 'network_mode.external', { mode }, { objects });
  }
}

function extraHosts(ctx: ConvertContext, svc: Service, spec: PodSpec, objects: string[], plan: PodPlan): void {
  if (!svc.extra_hosts?.length) return;
  svc.extra_hosts.forEach((h, i) => {
    // One item per entry (`extra_hosts[1]`, index in the normalized list).
    // (book.ts reads `extra_hosts.<host>` as a map entry, so the position of a list entry is given here.)
    const path = `extra_hosts[${i}]`;
    const pos = ctx.servicePos(svc, 'extra_hosts', i);
    const extra = { objects, ...(pos ? { pos } : {}) };
    if (h.ip === 'host-gateway')
      return void ctx.outcome(svc.name, path, 'extra_hosts.host-gateway', { host: h.host }, extra);
    ctx.outcome(svc.name, path, 'extra_hosts.alias', { host: h.host, ip: h.ip }, extra);
    addHostAlias(spec, h.ip, h.host);
    hardCodedIp(ctx, svc, plan, h.ip, `extra_hosts entry ${h.host}`, pos);
  });
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
      hardCodedIp(ctx, svc, plan, ip, 'DNS server', ctx.servicePos(svc, 'dns', i), 'hard-coded-ip.dns'),
    );
    if (dropped.length) ctx.outcome(svc.name, 'dns', 'dns.dropped', { dropped: dropped.join(', ') }, { objects });
    else ctx.outcome(svc.name, 'dns', 'dns.after-cluster-dns', {}, { objects });
  }
  if (svc.dns_search?.length) {
    const s = (cfg().searches ??= []);
    for (const d of svc.dns_search) if (!s.includes(d)) s.push(d);
    const dropped = s.splice(32);
    ctx.outcome(svc.name, 'dns_search', dropped.length ? 'dns_search.too-many' : 'dns_search.set', {}, { objects });
  }
  if (svc.dns_opt?.length) {
    const opts = (cfg().options ??= []);
    for (const o of svc.dns_opt) {
      const [name, value] = o.split(':', 2) as [string, string | undefined];
      if (!opts.some((x) => x.name === name)) opts.push(value !== undefined ? { name, value } : { name });
    }
    ctx.outcome(svc.name, 'dns_opt', 'dns_opt.set', {}, { objects });
  }
}

/** The values the kubelet gives kubernetes.io/os and kubernetes.io/arch (Go's GOOS/GOARCH of the node). */
const NODE_OS = new Set(['linux', 'windows']);
const NODE_ARCH = new Set(['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le', 'loong64']);
/** Docker's other spellings of an architecture (containerd's platforms.Normalize). */
const ARCH_ALIAS: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm',
  armel: 'arm',
  i386: '386',
};

/**
 * `platform` → a nodeSelector on the labels the kubelet sets. A value no node carries (wasi/wasm, a typo) is left
 * out: it would keep the pod Pending. A Wasm module runs on linux nodes through a containerd shim, placed by its
 * RuntimeClass (`runtime`).
 */
function platform(ctx: ConvertContext, svc: Service, spec: PodSpec, objects: string[]): void {
  if (svc.platform === undefined) return;
  if (svc.platform === '') return ctx.outcome(svc.name, 'platform', 'platform.empty');
  const [os = '', rawArch, variant] = svc.platform.toLowerCase().split('/');
  const arch = rawArch && (ARCH_ALIAS[rawArch] ?? rawArch);
  const labels = `kubernetes.io/os=${os}${arch ? `, kubernetes.io/arch=${arch}` : ''}`;
  if (os.startsWith('wasi') || arch?.startsWith('wasm')) {
    const values = { platform: svc.platform, selector: labels };
    if (!svc.runtime) return ctx.outcome(svc.name, 'platform', 'platform.wasm-no-runtime', values, { objects });
    const runtimeClass = dns1123Label(svc.runtime);
    return ctx.outcome(svc.name, 'platform', 'platform.wasm', { ...values, runtimeClass }, { objects });
  }
  const kept: string[] = [];
  const dropped: string[] = [];
  const add = (key: string, value: string, known: boolean): void => {
    if (known) (spec.nodeSelector ??= {})[key] = value;
    (known ? kept : dropped).push(`${key}=${value}`);
  };
  if (os) add('kubernetes.io/os', os, NODE_OS.has(os));
  if (arch) add('kubernetes.io/arch', arch, NODE_ARCH.has(arch));
  const selector = kept.join(', ');
  if (dropped.length) {
    const values = { kept: selector ? `nodeSelector ${selector}` : 'no nodeSelector', dropped: dropped.join(', ') };
    ctx.outcome(svc.name, 'platform', 'platform.no-node-label', values, { objects });
  } else if (variant) ctx.outcome(svc.name, 'platform', 'platform.variant', { selector, variant }, { objects });
  else ctx.outcome(svc.name, 'platform', 'platform.node-selector', { selector }, { objects });
}

function annotations(ctx: ConvertContext, svc: Service, plan: PodPlan, objects: string[]): void {
  for (const key of ['labels', 'annotations'] as const) {
    const src = svc[key];
    if (!src || !Object.keys(src).length) continue;
    const bad: string[] = [];
    for (const [k, v] of Object.entries(src)) {
      if (!isQualifiedName(k)) {
        bad.push(k);
        continue;
      }
      // A label holding a secret (a password in a connection string) gets the placeholder: metadata is public.
      const r = redactLabelValue(ctx, svc, k, String(v));
      plan.podAnnotations[k] = r.value;
      // A kompose label the converter reads (a probe command...) has its own entry, which owns the item.
      if (r.names.length && !(key === 'labels' && dialects(ctx).some((d) => d.handledLabels?.includes(k))))
        ctx.outcome(
          svc.name,
          `${key}.${k}`,
          key === 'labels' ? 'labels.secret-placeholder' : 'annotations.secret-placeholder',
          { label: k, names: r.names.join(', ') },
          { objects },
        );
    }
    const id = bad.length
      ? key === 'labels'
        ? 'labels.invalid-keys'
        : 'annotations.invalid-keys'
      : key === 'labels'
        ? 'labels.annotations'
        : 'annotations.set';
    ctx.outcome(svc.name, key, id, { keys: bad.join(', ') }, { objects });
  }
  // The loader merged label_file entries into `labels` (compose's rule: labels: wins); they were handled above.
  if (svc.label_file?.length)
    ctx.outcome(svc.name, 'label_file', 'label_file.read', { count: svc.label_file.length }, { objects });
}

/** Settings that make an app lock its memory, and refuse to start without the memlock rlimit. */
const MEMORY_LOCK = /^(bootstrap\.memory_lock|BOOTSTRAP_MEMORY_LOCK|[A-Z_]*MEMORY_LOCK)$/;

/** One item per limit (`ulimits.nofile`): none can be set; memlock breaks apps configured to lock memory. */
function ulimits(ctx: ConvertContext, svc: Service): void {
  const lockVar = Object.entries(svc.environment).find(
    ([k, v]) => MEMORY_LOCK.test(k) && /^true$/i.test(v.trim()),
  )?.[0];
  for (const [name, { soft, hard }] of Object.entries(svc.ulimits ?? {})) {
    const values = { name, soft: rlimit(soft), hard: rlimit(hard) };
    if (name === 'memlock' && lockVar)
      ctx.outcome(svc.name, `ulimits.${name}`, 'ulimits.memlock-breaks', { ...values, variable: lockVar });
    else ctx.outcome(svc.name, `ulimits.${name}`, 'ulimits.dropped', values);
  }
}

function rlimit(n: number): string {
  return n === -1 ? 'unlimited' : String(n);
}
