/**
 * Reads converted output the way the engineer who runs `kubectl apply` would, independently of what the
 * converter says about itself: does every peer reach every port it names, can every wait finish, do probes
 * avoid the Service that waits for them, does the kubelet accept the pods, and did Docker-only behaviour
 * (Traefik routers, root users) survive. Each check counts problems per project (goal 0 for each); the
 * details name the object and the text, so a count can be followed to its cause.
 *
 * This is test code on purpose: an oracle written apart from src/ (its own patterns, its own sysctl list).
 */
import type { KubeObject } from '../../src/kube/object.js';
import type { Project, Service } from '../../src/model/types.js';
import { PolicySet, type Labels, type PodPort } from './netpol-eval.js';
import { auditUsers } from './audit-users.js';

export const RUNTIME_CHECKS = {
  unreachedPeers: 'a peer names host:port (or a URL) of a service, and no Service of that name answers on it',
  unboundedWaits: 'an init container loops until a port answers, with no bound',
  waitsOnUnservedPorts: 'an init container waits for a host:port that no Service serves',
  selfNamedProbes: "a probe calls its own service's name (through the Service, which excludes the unready pod)",
  unsafeSysctls: 'a pod sets a sysctl outside the kubelet safe set (the pod is rejected)',
  mixedProtocolLoadBalancers: 'a LoadBalancer Service mixes TCP and UDP',
  rootUsersDropped: 'compose runs the service as root (user: root/0) and the pod does not say runAsUser: 0',
  traefikRulesWithoutRoute: 'a service has a Traefik router rule and no Ingress/HTTPRoute sends traffic to it',
  serviceLinksOn: 'a pod lets Kubernetes inject <SVC>_PORT variables (enableServiceLinks not false)',
  blockedByPolicy: 'a peer names host:port of a Service that answers on it, and a NetworkPolicy drops the connection',
  credentialsInConfigMaps: 'a ConfigMap holds a credential-named setting with a literal value (it belongs in a Secret)',
  namedVolumesOffClaims: 'compose keeps a named volume at a path, and the container has no claim mounted there',
  sharedClaimsApart:
    'pods of two workloads mount one ReadWriteOnce claim without a required podAffinity keeping them together',
  claimsNotWritable:
    'a container runs as a known non-root uid and mounts a claim writable, and the pod sets no fsGroup',
  lowPortsUnbindable: 'a container runs as a known non-root uid and serves a port below the first unprivileged one',
  runOnceRetried: 'compose runs a service once (restart "no"), and its Job retries it (backoffLimit not 0)',
} as const;
export type RuntimeCheck = keyof typeof RUNTIME_CHECKS;

export interface RuntimeAudit {
  counts: Record<RuntimeCheck, number>;
  details: Array<{ check: RuntimeCheck; where: string; what: string }>;
}

/** Safe sysctls of the kubelet (kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster, v1.29+). */
const KUBELET_SAFE_SYSCTLS = new Set([
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

/** Default ports of URL schemes peers use to name each other. */
const SCHEME_PORTS: Record<string, number> = {
  http: 80,
  ws: 80,
  https: 443,
  wss: 443,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mariadb: 3306,
  redis: 6379,
  rediss: 6379,
  mongodb: 27017,
  amqp: 5672,
  nats: 4222,
};

type J = Record<string, unknown>;
const obj = (v: unknown): J | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

interface PodView {
  owner: string;
  spec: J;
  labels: Record<string, string>;
  containers: J[];
  initContainers: J[];
}

function podOf(o: KubeObject): PodView | undefined {
  const spec = obj(o.spec);
  const tmpl = o.kind === 'CronJob' ? obj(obj(obj(spec?.jobTemplate)?.spec)?.template) : obj(spec?.template);
  const podSpec = obj(tmpl?.spec);
  if (!podSpec) return undefined;
  return {
    owner: `${o.kind}/${o.metadata.name}`,
    spec: podSpec,
    labels: (obj(obj(tmpl?.metadata)?.labels) ?? {}) as Record<string, string>,
    containers: arr(podSpec.containers).map((c) => obj(c) ?? {}),
    initContainers: arr(podSpec.initContainers).map((c) => obj(c) ?? {}),
  };
}

type ConfigMaps = ReadonlyMap<string, Record<string, string>>;

/**
 * The plain texts a container carries: env values (inline or from ConfigMaps), command, args, and the
 * ConfigMap files its pod mounts.
 */
function containerTexts(c: J, cms: ConfigMaps = new Map(), podVolumes: unknown[] = []): string[] {
  const out: string[] = [];
  for (const e of arr(c.env)) {
    const v = str(obj(e)?.value);
    if (v) out.push(v);
    const ref = obj(obj(obj(e)?.valueFrom)?.configMapKeyRef);
    const fromCm = ref ? cms.get(str(ref.name) ?? '')?.[str(ref.key) ?? ''] : undefined;
    if (fromCm) out.push(fromCm);
  }
  for (const e of arr(c.envFrom)) out.push(...Object.values(cms.get(str(obj(obj(e)?.configMapRef)?.name) ?? '') ?? {}));
  for (const k of ['command', 'args']) for (const a of arr(c[k])) if (typeof a === 'string') out.push(a);
  const mounted = new Set(arr(c.volumeMounts).map((m) => str(obj(m)?.name)));
  for (const v of podVolumes) {
    const vol = obj(v);
    const cm = str(obj(vol?.configMap)?.name);
    if (cm && mounted.has(str(vol?.name))) out.push(...Object.values(cms.get(cm) ?? {}));
  }
  return out;
}

function probeTexts(c: J): string[] {
  const out: string[] = [];
  for (const k of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const p = obj(c[k]);
    if (!p) continue;
    for (const a of arr(obj(p.exec)?.command)) if (typeof a === 'string') out.push(a);
    const host = str(obj(p.httpGet)?.host) ?? str(obj(p.tcpSocket)?.host);
    if (host) out.push(host);
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Ref {
  name: string;
  port?: number;
}

/**
 * References to any of `names` in `text`: `name:port`, or a URL whose host is the name (its scheme's
 * default port). A name followed by `.word` is another host (`db.example.com`) and is not one.
 */
export function hostRefs(text: string, names: ReadonlySet<string>, pattern: RegExp | undefined): Ref[] {
  if (!pattern) return [];
  const out: Ref[] = [];
  // nginx `upstream NAME { ... }`: `proxy_pass http://NAME` names the block, not a host
  const upstreams = new Set([...text.matchAll(/\bupstream\s+([\w.-]+)\s*\{/g)].map((m) => m[1]));
  for (const m of text.matchAll(pattern)) {
    const name = m[2]!;
    if (!names.has(name)) continue;
    if (!m[3] && upstreams.has(name)) continue;
    if (m[3]) out.push({ name, port: Number(m[3]) });
    else if (m[1]) {
      const port = SCHEME_PORTS[m[1].toLowerCase()];
      out.push(port ? { name, port } : { name });
    }
  }
  return out;
}

function namePattern(names: Iterable<string>): RegExp | undefined {
  const list = [...names].sort((a, b) => b.length - a.length).map(escapeRe);
  if (list.length === 0) return undefined;
  // (scheme://[userinfo@])?name(:port)?, name not glued to a longer word or a domain
  return new RegExp(
    `(?:\\b([a-zA-Z][a-zA-Z0-9+.-]*)://(?:[^@/\\s'"]*@)?)?(?<![\\w.-])(${list.join('|')})(?::(\\d{1,5}))?(?![\\w-]|\\.\\w)`,
    'g',
  );
}

/** Names a compose service is known by to its peers: its name, hostname, container_name, aliases. */
function composeNames(svc: Service): string[] {
  const out = [svc.name];
  if (svc.hostname) out.push(svc.hostname);
  if (svc.container_name) out.push(svc.container_name);
  for (const n of Object.values(svc.networks)) out.push(...(n?.aliases ?? []));
  return out;
}

/** A setting named for a credential (`DB_PASSWORD`, `secret_key`, `api-token`); not `*_FILE`, lengths or flags. */
const CREDENTIAL_KEY = /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key)$/i;
const NOT_CREDENTIAL_KEY = /(_file|_path|_length|_min|_max|_enabled|_mode|_type|_url)$/i;
/** `key: value` / `key = value` / `KEY=value` lines of config files, value as written. */
const CREDENTIAL_LINE = /^\s*["']?([\w.-]+)["']?\s*[:=]\s*["']?([^"'\s#,]*)/gm;

/** A literal value worth a Secret: not empty, no reference to be filled elsewhere, not a flag or a number. */
function literalCredential(value: string): boolean {
  if (value.length < 4 || /^(true|false|yes|no|on|off|null|none|changeme)$/i.test(value) || /^\d+$/.test(value))
    return false;
  // references and templates: $(VAR) ${VAR} %(x)s {{ x }} <set-me> env(X) /run/secrets/x
  return !/[$%{<]|^env\(|^\/|^\w+:\/\//.test(value);
}

export function auditRuntime(project: Project, objects: readonly KubeObject[]): RuntimeAudit {
  const counts = Object.fromEntries(Object.keys(RUNTIME_CHECKS).map((k) => [k, 0])) as Record<RuntimeCheck, number>;
  const details: RuntimeAudit['details'] = [];
  const hit = (check: RuntimeCheck, where: string, what: string): void => {
    counts[check]++;
    if (details.filter((d) => d.check === check).length < 50) details.push({ check, where, what });
  };

  // Services by name: ports they answer on; headless (clusterIP None) answers on every port of its pods.
  const services = new Map<
    string,
    { ports: Set<number>; specPorts: J[]; headless: boolean; selector: Record<string, string> }
  >();
  for (const o of objects) {
    if (o.kind !== 'Service') continue;
    const spec = obj(o.spec) ?? {};
    services.set(o.metadata.name, {
      ports: new Set(arr(spec.ports).map((p) => Number(obj(p)?.port))),
      specPorts: arr(spec.ports).map((p) => obj(p) ?? {}),
      headless: spec.clusterIP === 'None',
      selector: (obj(spec.selector) ?? {}) as Record<string, string>,
    });
  }
  const answers = (r: Ref): boolean => {
    const s = services.get(r.name);
    if (!s) return false;
    return r.port === undefined || s.headless || s.ports.has(r.port);
  };

  // Every name peers could use: compose names (as written) and the Kubernetes Service names.
  const byName = new Map<string, Service>();
  for (const svc of Object.values(project.services)) for (const n of composeNames(svc)) byName.set(n, svc);
  const names = new Set([...byName.keys(), ...services.keys()]);
  const pattern = namePattern(names);

  const cms = new Map<string, Record<string, string>>();
  for (const o of objects)
    if (o.kind === 'ConfigMap') cms.set(o.metadata.name, (obj((o as J).data) ?? {}) as Record<string, string>);

  const pods = objects.map((o) => podOf(o)).filter((p): p is PodView => p !== undefined);
  const policies = new PolicySet(objects);
  /** The pods behind `r`'s Service and the port each receives the connection on, for the policy check. */
  const destinations = (r: Ref): Array<{ labels: Labels; port: PodPort }> => {
    const s = services.get(r.name);
    if (!s || r.port === undefined || !Object.keys(s.selector).length) return [];
    const sp = s.specPorts.find((p) => Number(p.port) === r.port);
    const protocol = str(sp?.protocol) ?? 'TCP';
    const target = sp ? (sp.targetPort ?? sp.port) : r.port; // headless: the pod's own port
    const out: Array<{ labels: Labels; port: PodPort }> = [];
    for (const pod of pods) {
      if (!Object.entries(s.selector).every(([k, v]) => pod.labels[k] === v)) continue;
      const cports = pod.containers.flatMap((c) => arr(c.ports).map((p) => obj(p) ?? {}));
      const cp = cports.find((p) =>
        typeof target === 'string' ? p.name === target : Number(p.containerPort) === Number(target),
      );
      const number = typeof target === 'string' ? Number(cp?.containerPort) : Number(target);
      if (!Number.isFinite(number)) continue;
      out.push({ labels: pod.labels, port: { number, protocol, ...(str(cp?.name) ? { name: str(cp?.name)! } : {}) } });
    }
    return out;
  };
  const blocked = (from: PodView, r: Ref): boolean =>
    !policies.empty && destinations(r).some((d) => !policies.allows(from.labels, d.labels, d.port));
  for (const pod of pods) {
    if (pod.spec.enableServiceLinks !== false) hit('serviceLinksOn', pod.owner, 'enableServiceLinks is not false');
    for (const s of arr(obj(pod.spec.securityContext)?.sysctls)) {
      const n = str(obj(s)?.name);
      if (n && !KUBELET_SAFE_SYSCTLS.has(n)) hit('unsafeSysctls', pod.owner, n);
    }
    // A name the pod maps to loopback (hostAliases 127.0.0.1) reaches the pod itself, not the Service.
    const loopback = new Set(
      arr(pod.spec.hostAliases)
        .filter((a) => obj(a)?.ip === '127.0.0.1')
        .flatMap((a) => arr(obj(a)?.hostnames).map((h) => String(h))),
    );
    const own = new Set(
      pod.containers.flatMap((c) => {
        const svc = project.services[str(c.name) ?? ''];
        return svc ? composeNames(svc).filter((n) => !loopback.has(n)) : [];
      }),
    );
    const label = (r: Ref): string => `${r.name}${r.port ? `:${r.port}` : ''}`;
    for (const c of pod.containers) {
      // each (container, reference) once, however many texts or probes repeat it
      const unreached = new Set<string>();
      const dropped = new Set<string>();
      for (const t of containerTexts(c, cms, arr(pod.spec.volumes)))
        for (const r of hostRefs(t, names, pattern))
          if (!answers(r)) unreached.add(label(r));
          else if (blocked(pod, r)) dropped.add(label(r));
      for (const u of unreached) hit('unreachedPeers', `${pod.owner} ${str(c.name)}`, u);
      for (const u of dropped) hit('blockedByPolicy', `${pod.owner} ${str(c.name)}`, u);
      const selfRefs = new Set(probeTexts(c).flatMap((t) => hostRefs(t, own, namePattern(own)).map(label)));
      for (const u of selfRefs) hit('selfNamedProbes', `${pod.owner} ${str(c.name)}`, u);
    }
    for (const c of pod.initContainers) {
      const text = containerTexts(c).join(' ');
      for (const m of text.matchAll(/nc\s+-z(?:\s+-w\s*\d+)?\s+(\S+)\s+(\d{1,5})/g)) {
        const r = { name: m[1]!, port: Number(m[2]) };
        if (!answers(r)) hit('waitsOnUnservedPorts', `${pod.owner} ${str(c.name)}`, `${r.name}:${r.port}`);
        else if (blocked(pod, r)) hit('blockedByPolicy', `${pod.owner} ${str(c.name)}`, `${r.name}:${r.port}`);
      }
      if (/\buntil\b/.test(text) && !/timeout|\$\(\(i\s*\+\s*1\)\)|-ge\s+\d+|-gt\s+\d+/.test(text))
        hit('unboundedWaits', `${pod.owner} ${str(c.name)}`, text.slice(0, 120));
    }
    // Root users: compose says root, the pod must say runAsUser 0 (or leave the image's user alone entirely).
    for (const c of pod.containers) {
      const svc = project.services[str(c.name) ?? ''];
      const user = svc?.user?.split(':')[0];
      if (user !== 'root' && user !== '0') continue;
      const uid = obj(c.securityContext)?.runAsUser ?? obj(pod.spec.securityContext)?.runAsUser;
      const nonRoot = obj(c.securityContext)?.runAsNonRoot ?? obj(pod.spec.securityContext)?.runAsNonRoot;
      if (uid !== 0 || nonRoot === true) hit('rootUsersDropped', `${pod.owner} ${str(c.name)}`, `user: ${svc!.user}`);
    }
  }

  for (const o of objects) {
    if (o.kind !== 'Service') continue;
    const spec = obj(o.spec) ?? {};
    if (spec.type !== 'LoadBalancer') continue;
    const protos = new Set(arr(spec.ports).map((p) => str(obj(p)?.protocol) ?? 'TCP'));
    if (protos.has('TCP') && protos.has('UDP'))
      hit('mixedProtocolLoadBalancers', `Service/${o.metadata.name}`, [...protos].join('+'));
  }

  // Credentials in ConfigMaps: an env-style key, or a `key: value` line of a config file, named for a credential.
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    for (const [key, value] of Object.entries((obj((o as J).data) ?? {}) as Record<string, string>)) {
      if (!/[\n]/.test(value)) {
        if (CREDENTIAL_KEY.test(key) && !NOT_CREDENTIAL_KEY.test(key) && literalCredential(value))
          hit('credentialsInConfigMaps', `ConfigMap/${o.metadata.name}`, key);
        continue;
      }
      for (const m of value.matchAll(CREDENTIAL_LINE))
        if (CREDENTIAL_KEY.test(m[1]!) && !NOT_CREDENTIAL_KEY.test(m[1]!) && literalCredential(m[2]!))
          hit('credentialsInConfigMaps', `ConfigMap/${o.metadata.name} ${key}`, m[1]!);
    }
  }

  // Named volumes: where compose keeps one, the container must mount a claim (a PVC or a volumeClaimTemplate).
  const claimTemplates = new Map<string, Set<string>>();
  for (const o of objects) {
    const names = arr(obj(o.spec)?.volumeClaimTemplates).map((t) => str(obj(obj(t)?.metadata)?.name) ?? '');
    if (names.length) claimTemplates.set(`${o.kind}/${o.metadata.name}`, new Set(names));
  }
  for (const pod of pods) {
    const claimVolumes = new Set(
      arr(pod.spec.volumes)
        .map((v) => obj(v) ?? {})
        .filter((v) => obj(v.persistentVolumeClaim) || obj(obj(v.ephemeral)?.volumeClaimTemplate))
        .map((v) => str(v.name)),
    );
    for (const t of claimTemplates.get(pod.owner) ?? []) claimVolumes.add(t);
    for (const c of pod.containers) {
      const svc = project.services[str(c.name) ?? ''];
      if (!svc) continue;
      const onClaim = new Set(
        arr(c.volumeMounts)
          .map((m) => obj(m) ?? {})
          .filter((m) => claimVolumes.has(str(m.name)))
          .map((m) => str(m.mountPath)),
      );
      for (const v of svc.volumes) {
        if (v.type !== 'volume' || !v.source || !v.target) continue;
        const top = project.volumes[v.source];
        if (top?.driver && top.driver !== 'local') continue; // another driver: no claim is the documented outcome
        if (!onClaim.has(v.target))
          hit('namedVolumesOffClaims', `${pod.owner} ${str(c.name)}`, `${v.source}:${v.target}`);
      }
    }
  }

  // ReadWriteOnce claims mounted by pods of several workloads: each must require affinity to a label all of them carry.
  const rwo = new Set(
    objects
      .filter((o) => o.kind === 'PersistentVolumeClaim')
      .filter((o) => arr(obj(o.spec)?.accessModes).every((m) => m === 'ReadWriteOnce'))
      .map((o) => o.metadata.name),
  );
  const claimUsers = new Map<string, PodView[]>();
  for (const pod of pods)
    for (const v of arr(pod.spec.volumes)) {
      const claim = str(obj(obj(v)?.persistentVolumeClaim)?.claimName);
      if (claim && rwo.has(claim)) claimUsers.set(claim, [...(claimUsers.get(claim) ?? []), pod]);
    }
  const requiredTerms = (pod: PodView): J[] =>
    arr(obj(obj(obj(pod.spec.affinity)?.podAffinity))?.requiredDuringSchedulingIgnoredDuringExecution).map(
      (t) => obj(t) ?? {},
    );
  const hostTerms = (pod: PodView): J[] =>
    requiredTerms(pod).filter((t) => t.topologyKey === 'kubernetes.io/hostname' && obj(t.labelSelector));
  const matchedBy = (t: J, users: PodView[]): PodView[] =>
    users.filter((u) =>
      Object.entries(obj(obj(t.labelSelector)?.matchLabels) ?? {}).every(([k, v]) => u.labels[k] === v),
    );
  for (const [claim, users] of claimUsers) {
    if (users.length < 2) continue;
    // Together when some selector S picks a group G of them whose members all require S (the first schedules
    // freely, the others follow it), and every other pod requires to be next to pods of G only.
    const together = users.some((anchor) =>
      hostTerms(anchor).some((s) => {
        const group = matchedBy(s, users);
        const key = JSON.stringify(s.labelSelector);
        if (!group.length) return false;
        return users.every((u) =>
          group.includes(u)
            ? hostTerms(u).some((t) => JSON.stringify(t.labelSelector) === key)
            : hostTerms(u).some((t) => {
                const near = matchedBy(t, users);
                return near.length > 0 && near.every((n) => group.includes(n));
              }),
        );
      }),
    );
    if (!together) hit('sharedClaimsApart', `PersistentVolumeClaim/${claim}`, users.map((u) => u.owner).join(', '));
  }

  auditUsers(project, pods, hit);

  // Run once: compose's restart "no" (its default) or deploy.restart_policy condition none; a Job that retries runs
  // a task compose ran once again, from the start (a half-done migration or site creation runs twice).
  for (const o of objects) {
    if (o.kind !== 'Job') continue;
    const pod = podOf(o);
    const svc = project.services[str(pod?.containers[0]?.name) ?? ''];
    if (!svc) continue;
    const condition = svc.deploy?.restart_policy?.condition;
    const once = svc.restart === undefined ? condition === 'none' || !svc.deploy?.restart_policy : svc.restart === 'no';
    const backoff = obj(o.spec)?.backoffLimit ?? 6;
    if (once && backoff !== 0) hit('runOnceRetried', `Job/${o.metadata.name}`, `backoffLimit ${String(backoff)}`);
  }

  // Traefik router rules: some Ingress or HTTPRoute must send traffic to a Service selecting that service's pod.
  const routed = new Set<string>();
  for (const o of objects) {
    const spec = obj(o.spec) ?? {};
    if (o.kind === 'Ingress')
      for (const r of arr(spec.rules))
        for (const p of arr(obj(obj(r)?.http)?.paths)) {
          const n = str(obj(obj(obj(p)?.backend)?.service)?.name);
          if (n) routed.add(n);
        }
    if (o.kind === 'HTTPRoute')
      for (const r of arr(spec.rules))
        for (const b of arr(obj(r)?.backendRefs)) {
          const n = str(obj(b)?.name);
          if (n) routed.add(n);
        }
  }
  const podLabelsOf = new Map<string, Record<string, string>>();
  for (const pod of pods) for (const c of pod.containers) podLabelsOf.set(str(c.name) ?? '', pod.labels);
  for (const svc of Object.values(project.services)) {
    // A router to Traefik's own dashboard (`service=api@internal`) routes to no container.
    const routers = Object.keys(svc.labels)
      .map((k) => /^traefik\.http\.routers\.([^.]+)\.rule$/.exec(k)?.[1])
      .filter((r): r is string => r !== undefined)
      .filter((r) => !String(svc.labels[`traefik.http.routers.${r}.service`] ?? '').endsWith('@internal'));
    if (!routers.length) continue;
    if (svc.labels['traefik.enable'] === 'false') continue;
    const labels = podLabelsOf.get(svc.name);
    const reached = [...routed].some((n) => {
      const s = services.get(n);
      return (
        !!s &&
        !!labels &&
        Object.keys(s.selector).length > 0 &&
        Object.entries(s.selector).every(([k, v]) => labels[k] === v)
      );
    });
    if (!reached) hit('traefikRulesWithoutRoute', svc.name, 'traefik router rule without an Ingress/HTTPRoute backend');
  }
  return { counts, details };
}
