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
import { dns1123Label, isDns1123Label, isDns1123Subdomain, isLabelValue } from '../../kube/naming.js';
import { hardCodedIp } from '../finish/ips.js';
import { isIpAddress } from '../../kube/ip.js';
import { SAFE_SYSCTLS, isNamespacedSysctl } from '../../kube/sysctls.js';
import { dialects } from '../intent/dialect.js';
import { isolatePod } from '../objects/netpol.js';
import type { OutcomeId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';

/** Annotation/label keys: optional DNS-subdomain prefix and `/`, then a name of ≤ 63 characters. */
export function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  // The name has a label value's syntax, but cannot be empty; the prefix is a DNS subdomain.
  const name = parts[parts.length - 1]!;
  return name !== '' && isLabelValue(name) && (parts.length === 1 || isDns1123Subdomain(parts[0]!));
}

/** A pod setting's entry, naming the pod's workload. */
type Rec = (key: string, id: OutcomeId, values?: Values) => void;

export function applyPodSettings(ctx: ConvertContext, svc: Service, plan: PodPlan): void {
  const obj = [`${plan.kind}/${plan.name}`];
  const rec: Rec = (key, id, values) => ctx.outcome(svc.name, key, id, values, { objects: obj });
  const spec = plan.spec;
  if (svc.hostname !== undefined) {
    if (svc !== plan.main) rec('hostname', 'hostname.sidecar', { main: plan.main.name });
    else if (isDns1123Label(svc.hostname)) {
      spec.hostname = svc.hostname;
      rec('hostname', 'hostname.set', { hostname: svc.hostname });
    } else {
      const h = dns1123Label(svc.hostname.split('.')[0]!);
      spec.hostname = h;
      rec('hostname', 'hostname.sanitized', { used: h, hostname: svc.hostname });
    }
  }
  if (svc.domainname !== undefined) rec('domainname', 'domainname.cluster-domain');
  networkMode(ctx, svc, plan, rec);
  extraHosts(ctx, svc, plan, obj);
  dns(ctx, svc, plan, rec);
  platform(ctx, svc, spec, rec);
  annotations(ctx, svc, plan, rec);
  if (svc.container_name !== undefined) rec('container_name', 'container_name.generated');
  if (svc.init !== undefined) rec('init', svc.init ? 'init.pid1' : 'init.off');
  if (svc.stop_signal !== undefined) {
    const sig = svc.stop_signal.toUpperCase().replace(/^(?!SIG)/, 'SIG');
    if (sig === 'SIGTERM') rec('stop_signal', 'stop_signal.sigterm');
    else rec('stop_signal', 'stop_signal.other', { signal: svc.stop_signal, sig, short: sig.slice(3) });
  }
  if (svc.stop_grace_period !== undefined) {
    const s = Math.ceil(svc.stop_grace_period / 1000);
    spec.terminationGracePeriodSeconds = Math.max(spec.terminationGracePeriodSeconds ?? 0, s);
    rec('stop_grace_period', 'stop_grace_period.set', { seconds: s });
  }
  for (const [name, value] of Object.entries(svc.sysctls ?? {})) {
    const safe = SAFE_SYSCTLS.has(name);
    // One item per sysctl (`sysctls.net.core.somaxconn`); pod/security.ts downgrades it under --pod-security.
    if (!safe && !isNamespacedSysctl(name))
      ctx.outcome(svc.name, `sysctls.${name}`, 'sysctls.node-level', { name, value: String(value) });
    else if (!safe && !ctx.options.allowUnsafeSysctls)
      ctx.outcome(svc.name, `sysctls.${name}`, 'sysctls.unsafe-dropped', { name });
    else {
      const list = ((spec.securityContext ??= {}).sysctls ??= []);
      if (!list.some((s) => s.name === name)) list.push({ name, value: String(value) });
      rec(`sysctls.${name}`, safe ? 'sysctls.safe' : 'sysctls.unsafe', { name });
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
      rec('group_add', nums.length ? 'group_add.names-dropped' : 'group_add.names', { names: names.join(', ') });
    else rec('group_add', 'group_add.gids', { groups: nums.join(', ') });
  }
}

/**
 * `host` → hostNetwork; `bridge`/`default` is what every pod has; `service:X` is planned as a sidecar (plan.ts);
 * `none` → a NetworkPolicy that isolates the pod (with NetworkPolicies on); the rest has no equivalent.
 */
function networkMode(ctx: ConvertContext, svc: Service, plan: PodPlan, rec: Rec): void {
  const mode = svc.network_mode;
  if (mode === undefined || mode.startsWith('service:')) return;
  if (mode === 'host') {
    plan.spec.hostNetwork = true;
    plan.spec.dnsPolicy = 'ClusterFirstWithHostNet';
    // rollout.ts gives a hostNetwork Deployment strategy Recreate: said here, where the user looks.
    rec('network_mode', plan.kind === 'Deployment' ? 'network_mode.host-recreate' : 'network_mode.host');
  } else if (mode === 'bridge' || mode === 'default') rec('network_mode', 'network_mode.bridge', { mode });
  else if (mode === 'none' && ctx.options.networkPolicies) {
    const policy = isolatePod(ctx, plan);
    ctx.outcome(
      svc.name,
      'network_mode',
      'network_mode.none-isolated',
      { policy },
      {
        objects: [`${plan.kind}/${plan.name}`, policy],
      },
    );
  } else if (mode === 'none') rec('network_mode', 'network_mode.none');
  else rec('network_mode', 'network_mode.external', { mode });
}

function extraHosts(ctx: ConvertContext, svc: Service, plan: PodPlan, objects: string[]): void {
  svc.extra_hosts?.forEach((h, i) => {
    // One item per entry (`extra_hosts[1]`, index in the normalized list).
    // (book.ts reads `extra_hosts.<host>` as a map entry, so the position of a list entry is given here.)
    const path = `extra_hosts[${i}]`;
    const pos = ctx.servicePos(svc, 'extra_hosts', i);
    const extra = { objects, pos };
    if (h.ip === 'host-gateway')
      return void ctx.outcome(svc.name, path, 'extra_hosts.host-gateway', { host: h.host }, extra);
    ctx.outcome(svc.name, path, 'extra_hosts.alias', { host: h.host, ip: h.ip }, extra);
    addHostAlias(plan.spec, h.ip, h.host);
    hardCodedIp(ctx, svc, plan, h.ip, `extra_hosts entry ${h.host}`, pos);
  });
}

function dns(ctx: ConvertContext, svc: Service, plan: PodPlan, rec: Rec): void {
  const spec = plan.spec;
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
    if (dropped.length) rec('dns', 'dns.dropped', { dropped: dropped.join(', ') });
    else rec('dns', 'dns.after-cluster-dns');
  }
  if (svc.dns_search?.length) {
    const s = (cfg().searches ??= []);
    for (const d of svc.dns_search) if (!s.includes(d)) s.push(d);
    const dropped = s.splice(32);
    rec('dns_search', dropped.length ? 'dns_search.too-many' : 'dns_search.set');
  }
  if (svc.dns_opt?.length) {
    const opts = (cfg().options ??= []);
    for (const o of svc.dns_opt) {
      const [name, value] = o.split(':', 2) as [string, string | undefined];
      if (!opts.some((x) => x.name === name)) opts.push(value !== undefined ? { name, value } : { name });
    }
    rec('dns_opt', 'dns_opt.set');
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
function platform(ctx: ConvertContext, svc: Service, spec: PodSpec, rec: Rec): void {
  if (svc.platform === undefined) return;
  if (svc.platform === '') return ctx.outcome(svc.name, 'platform', 'platform.empty');
  const [os = '', rawArch, variant] = svc.platform.toLowerCase().split('/');
  const arch = rawArch && (ARCH_ALIAS[rawArch] ?? rawArch);
  const labels = `kubernetes.io/os=${os}${arch ? `, kubernetes.io/arch=${arch}` : ''}`;
  if (os.startsWith('wasi') || arch?.startsWith('wasm')) {
    const values = { platform: svc.platform, selector: labels };
    if (!svc.runtime) return rec('platform', 'platform.wasm-no-runtime', values);
    return rec('platform', 'platform.wasm', { ...values, runtimeClass: dns1123Label(svc.runtime) });
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
    rec('platform', 'platform.no-node-label', values);
  } else if (variant) rec('platform', 'platform.variant', { selector, variant });
  else rec('platform', 'platform.node-selector', { selector });
}

/**
 * Labels or annotations `src` of `svc` copied as annotations into `into`; returns the keys left out, which are no
 * qualified names. A value holding a secret (a password in a connection string) gets the placeholder, metadata being
 * public, and `secret` is told the key and the secret variables' names.
 */
export function copyMetadata(
  ctx: ConvertContext,
  svc: Service,
  src: Readonly<Record<string, unknown>>,
  into: Record<string, string>,
  secret: (key: string, names: string) => void,
): string[] {
  const bad: string[] = [];
  for (const [k, v] of Object.entries(src)) {
    if (!isQualifiedName(k)) {
      bad.push(k);
      continue;
    }
    const r = redactLabelValue(ctx, svc, k, String(v));
    into[k] = r.value;
    if (r.names.length) secret(k, r.names.join(', '));
  }
  return bad;
}

function annotations(ctx: ConvertContext, svc: Service, plan: PodPlan, rec: Rec): void {
  for (const key of ['labels', 'annotations'] as const) {
    const src = svc[key];
    if (!src || !Object.keys(src).length) continue;
    const ids = METADATA[key];
    const bad = copyMetadata(ctx, svc, src, plan.podAnnotations, (k, names) => {
      // A kompose label the converter reads (a probe command...) has its own entry, which owns the item.
      if (!(key === 'labels' && dialects(ctx).some((d) => d.handledLabels?.includes(k))))
        rec(`${key}.${k}`, ids.secret, { label: k, names });
    });
    rec(key, bad.length ? ids.invalid : ids.set, { keys: bad.join(', ') });
  }
  // The loader merged label_file entries into `labels` (compose's rule: labels: wins); they were handled above.
  if (svc.label_file?.length) rec('label_file', 'label_file.read', { count: svc.label_file.length });
}

/** The entries of `labels` and `annotations`: a value given the placeholder, keys that are not valid, the rest. */
const METADATA = {
  labels: { secret: 'labels.secret-placeholder', invalid: 'labels.invalid-keys', set: 'labels.annotations' },
  annotations: {
    secret: 'annotations.secret-placeholder',
    invalid: 'annotations.invalid-keys',
    set: 'annotations.set',
  },
} as const satisfies Record<string, Record<string, OutcomeId>>;

/** Settings that make an app lock its memory (`BOOTSTRAP_MEMORY_LOCK`); it then needs the memlock rlimit to start. */
const MEMORY_LOCK = /^(bootstrap\.memory_lock|[A-Z_]*MEMORY_LOCK)$/;

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
