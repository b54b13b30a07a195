/**
 * The sysctls the kubelet allows by default and the baseline Pod Security profile accepts ("safe",
 * namespaced and isolated; Kubernetes 1.29+). Any other sysctl needs the node's
 * `--allowed-unsafe-sysctls`, or the pod is rejected at admission (SysctlForbidden).
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/**
 * Sysctls a pod can set at all: those namespaced by the kernel (Kubernetes docs, "Using sysctls in a Kubernetes
 * Cluster": kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*, net.*). Others (vm.max_map_count, fs.file-max,
 * kernel.pid_max...) are node-wide: the kubelet refuses them even in --allowed-unsafe-sysctls.
 */
export function isNamespacedSysctl(name: string): boolean {
  const n = name.replace(/\//g, '.');
  return /^(kernel\.shm|kernel\.msg|kernel\.sem$|fs\.mqueue\.|net\.)/.test(n);
}
