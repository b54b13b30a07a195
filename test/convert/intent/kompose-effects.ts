/**
 * The effect of each kompose label, read back from a set of Kubernetes objects — ours or kompose's own
 * expected output — as a plain semantic value, so the two can be compared (names, ordering and the
 * extras each tool adds do not matter; what the label asked for does).
 */
import type { Container, PodSpec, Probe, Volume } from 'kubernetes-types/core/v1.js';
import { dns1123Label } from '../../../src/kube/naming.js';

type J = Record<string, unknown>;
export type Obj = J & { kind: string; metadata: { name: string; labels?: Record<string, string> } };

const WORKLOADS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'DeploymentConfig',
]);

const o = (v: unknown): J => (v && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {});
const arr = <T = J>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const sorted = <T>(xs: T[]): T[] =>
  [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
const uniq = <T>(xs: T[]): T[] => sorted([...new Map(xs.map((x) => [JSON.stringify(x), x])).values()]);

/** Pod template of a workload (CronJob: the job's template). */
export function podOf(w: Obj): { labels: Record<string, string>; spec: PodSpec } {
  const spec = o(w.spec);
  if (w.kind === 'Pod')
    return { labels: o(o(w.metadata).labels) as Record<string, string>, spec: spec as unknown as PodSpec };
  const t = w.kind === 'CronJob' ? o(o(o(spec.jobTemplate).spec).template) : o(spec.template);
  return { labels: o(o(t.metadata).labels) as Record<string, string>, spec: o(t.spec) as unknown as PodSpec };
}

/** The objects of one tool's output, with lookups by compose service name. */
export class View {
  constructor(
    readonly objects: Obj[],
    /** Pod-template label naming the compose service: io.kompose.service (kompose) / app.kubernetes.io/name (ours). */
    private readonly serviceLabel: string,
  ) {}

  of(kind: string): Obj[] {
    return this.objects.filter((x) => x.kind === kind);
  }

  private names(svc: string): string[] {
    return [svc, dns1123Label(svc)];
  }

  /** Workloads running the service: labelled with it, or holding a container of that name (service groups). */
  workloads(svc: string): Obj[] {
    const n = this.names(svc);
    return this.objects.filter((w) => {
      if (!WORKLOADS.has(w.kind)) return false;
      const p = podOf(w);
      return (
        n.includes(p.labels[this.serviceLabel] ?? '') ||
        arr<Container>(p.spec.containers).some((c) => n.includes(c.name))
      );
    });
  }

  pod(svc: string): PodSpec | undefined {
    const w = this.workloads(svc)[0];
    return w ? podOf(w).spec : undefined;
  }

  container(svc: string): Container | undefined {
    const p = this.pod(svc);
    if (!p) return undefined;
    const n = this.names(svc);
    const cs = arr<Container>(p.containers);
    return cs.find((c) => n.includes(c.name)) ?? (cs.length === 1 ? cs[0] : undefined);
  }

  /** Services selecting the service's pods. */
  services(svc: string): Obj[] {
    const n = this.names(svc);
    const w = this.workloads(svc)[0];
    const labels = w ? podOf(w).labels : {};
    return this.of('Service').filter((s) => {
      const sel = o(o(s.spec).selector) as Record<string, string>;
      const keys = Object.keys(sel);
      if (keys.length && keys.every((k) => labels[k] === sel[k])) return true;
      return !keys.length && n.includes(s.metadata.labels?.[this.serviceLabel] ?? '');
    });
  }

  ingresses(svc: string): Obj[] {
    const names = new Set(this.services(svc).map((s) => s.metadata.name));
    return this.of('Ingress').filter((i) => paths(i).some((p) => names.has(backendName(p))));
  }

  /** Claims the service's pod mounts (volumes and StatefulSet claim templates). */
  claims(svc: string): Obj[] {
    const w = this.workloads(svc)[0];
    if (!w) return [];
    const vols = arr<Volume>(podOf(w).spec.volumes);
    const names = new Set(vols.map((v) => v.persistentVolumeClaim?.claimName).filter((x): x is string => !!x));
    const templates = arr<Obj>(o(w.spec).volumeClaimTemplates);
    return [...this.of('PersistentVolumeClaim').filter((c) => names.has(c.metadata.name)), ...templates];
  }

  /** The claim made for a top-level volume. */
  volumeClaim(volume: string): Obj | undefined {
    const n = this.names(volume);
    const all = [
      ...this.of('PersistentVolumeClaim'),
      ...this.objects.filter((w) => WORKLOADS.has(w.kind)).flatMap((w) => arr<Obj>(o(w.spec).volumeClaimTemplates)),
    ];
    return all.find((c) => n.includes(c.metadata.name));
  }

  hpa(svc: string): Obj | undefined {
    const names = new Set(this.workloads(svc).map((w) => w.metadata.name));
    return this.of('HorizontalPodAutoscaler').find((h) => names.has(String(o(o(h.spec).scaleTargetRef).name)));
  }
}

function paths(ing: Obj): J[] {
  return arr(o(ing.spec).rules).flatMap((r) => arr<J>(o(r.http).paths));
}

function backendName(p: J): string {
  const b = o(p.backend);
  return String(o(b.service).name ?? b.serviceName ?? '');
}

/** How a pod volume is realised (kompose.volume.type vocabulary). */
function volumeKind(v: Volume | undefined): string {
  if (!v) return 'none';
  for (const k of ['persistentVolumeClaim', 'emptyDir', 'hostPath', 'configMap', 'secret'] as const) if (v[k]) return k;
  return 'other';
}

type Extract = (v: View, svc: string, value: string) => unknown;

const probeField = (kind: string): keyof Container => (kind === 'readiness' ? 'readinessProbe' : 'livenessProbe');
const probe =
  (kind: string, f: (p: Probe) => unknown): Extract =>
  (v, s) => {
    const p = v.container(s)?.[probeField(kind)] as Probe | undefined;
    return p ? f(p) : undefined;
  };
const hpaMetric =
  (name: string, key: 'averageUtilization' | 'averageValue'): Extract =>
  (v, s) => {
    const m = arr(o(v.hpa(s)?.spec).metrics).find((x) => o(x.resource).name === name);
    return m ? o(o(m.resource).target)[key] : undefined;
  };
const cron = (v: View, s: string): J => o(v.workloads(s).find((w) => w.kind === 'CronJob')?.spec);
const initContainer = (v: View, s: string, name: string): Container | undefined =>
  arr<Container>(v.pod(s)?.initContainers).find((c) => c.name === name);

/** Label → its effect on the objects of one service. */
export const SERVICE_EFFECTS: Record<string, Extract> = {
  'kompose.service.type': (v, s) =>
    uniq(
      v.services(s).map((x) => (o(x.spec).clusterIP === 'None' ? 'Headless' : String(o(x.spec).type ?? 'ClusterIP'))),
    ),
  'kompose.service.nodeport.port': (v, s) =>
    uniq(
      v.services(s).flatMap((x) =>
        arr(o(x.spec).ports)
          .map((p) => p.nodePort)
          .filter((n) => n !== undefined),
      ),
    ),
  'kompose.service.external-traffic-policy': (v, s) =>
    uniq(
      v
        .services(s)
        .map((x) => o(x.spec).externalTrafficPolicy)
        .filter(Boolean),
    ),
  'kompose.service.expose': (v, s) =>
    uniq(
      v
        .ingresses(s)
        .flatMap((i) =>
          arr(o(i.spec).rules).flatMap((r) =>
            arr(o(r.http).paths).map((p) => `${String(r.host ?? '*')}${String(p.path ?? '/')}`),
          ),
        ),
    ),
  'kompose.service.expose.tls-secret': (v, s) =>
    uniq(
      v
        .ingresses(s)
        .flatMap((i) =>
          arr(o(i.spec).tls).map((t) => `${String(t.secretName)}: ${sorted(arr<string>(t.hosts)).join(',')}`),
        ),
    ),
  'kompose.service.expose.ingress-class-name': (v, s) => uniq(v.ingresses(s).map((i) => o(i.spec).ingressClassName)),
  'kompose.service.group': (v, s) => sorted(arr<Container>(v.pod(s)?.containers).map((c) => c.name)),
  'kompose.controller.type': (v, s) => uniq(v.workloads(s).map((w) => w.kind)),
  'kompose.image-pull-policy': (v, s) => v.container(s)?.imagePullPolicy,
  'kompose.image-pull-secret': (v, s) => sorted(arr<J>(v.pod(s)?.imagePullSecrets).map((x) => x.name)),
  'kompose.security-context.fsgroup': (v, s) => v.pod(s)?.securityContext?.fsGroup,
  'kompose.cronjob.schedule': (v, s) => cron(v, s).schedule,
  'kompose.cronjob.concurrency_policy': (v, s) => cron(v, s).concurrencyPolicy,
  'kompose.cronjob.backoff_limit': (v, s) => o(o(cron(v, s).jobTemplate).spec).backoffLimit,
  'kompose.hpa.replicas.min': (v, s) => o(v.hpa(s)?.spec).minReplicas,
  'kompose.hpa.replicas.max': (v, s) => o(v.hpa(s)?.spec).maxReplicas,
  'kompose.hpa.cpu': hpaMetric('cpu', 'averageUtilization'),
  'kompose.hpa.memory': hpaMetric('memory', 'averageUtilization'),
  'kompose.init.containers.name': (v, s, name) => initContainer(v, s, name)?.name,
  'kompose.init.containers.image': (v, s) => arr<Container>(v.pod(s)?.initContainers).map((c) => c.image),
  'kompose.init.containers.command': (v, s) => arr<Container>(v.pod(s)?.initContainers).map((c) => c.command),
  'kompose.ephemeral-storage.request': (v, s) => v.container(s)?.resources?.requests?.['ephemeral-storage'],
  'kompose.ephemeral-storage.limit': (v, s) => v.container(s)?.resources?.limits?.['ephemeral-storage'],
  'kompose.volume.size': (v, s) => uniq(v.claims(s).map((c) => o(o(o(c.spec).resources).requests).storage)),
  'kompose.volume.storage-class-name': (v, s) => uniq(v.claims(s).map((c) => o(c.spec).storageClassName)),
  'kompose.volume.type': (v, s) => {
    const vols = new Map(arr<Volume>(v.pod(s)?.volumes).map((x) => [x.name, x]));
    for (const t of v.claims(s))
      vols.set(t.metadata.name, { name: t.metadata.name, persistentVolumeClaim: { claimName: t.metadata.name } });
    return uniq(
      arr<J>(v.container(s)?.volumeMounts).map(
        (m) => `${String(m.mountPath)}: ${volumeKind(vols.get(String(m.name)))}`,
      ),
    );
  },
  'kompose.volume.subpath': (v, s) =>
    uniq(arr<J>(v.container(s)?.volumeMounts).map((m) => `${String(m.mountPath)}: ${String(m.subPath ?? '')}`)),
};
for (const kind of ['readiness', 'liveness']) {
  const L = (x: string) => `kompose.service.healthcheck.${kind}.${x}`;
  SERVICE_EFFECTS[L('disable')] = probe(kind, () => 'present');
  SERVICE_EFFECTS[L('test')] = probe(kind, (p) => p.exec?.command);
  SERVICE_EFFECTS[L('http_get_path')] = probe(kind, (p) => p.httpGet?.path);
  SERVICE_EFFECTS[L('http_get_port')] = probe(kind, (p) => p.httpGet?.port);
  SERVICE_EFFECTS[L('tcp_port')] = probe(kind, (p) => p.tcpSocket?.port);
  SERVICE_EFFECTS[L('interval')] = probe(kind, (p) => p.periodSeconds ?? 10);
  SERVICE_EFFECTS[L('timeout')] = probe(kind, (p) => p.timeoutSeconds ?? 1);
  SERVICE_EFFECTS[L('retries')] = probe(kind, (p) => p.failureThreshold ?? 3);
  SERVICE_EFFECTS[L('start_period')] = probe(kind, (p) => p.initialDelaySeconds ?? 0);
}
SERVICE_EFFECTS['kompose.volume.sub-path'] = SERVICE_EFFECTS['kompose.volume.subpath']!;

/** Label on a top-level volume → its effect on that volume's claim. */
export const VOLUME_EFFECTS: Record<string, (v: View, volume: string) => unknown> = {
  'kompose.volume.size': (v, n) => o(o(o(v.volumeClaim(n)?.spec).resources).requests).storage,
  'kompose.volume.storage-class-name': (v, n) => o(v.volumeClaim(n)?.spec).storageClassName,
  'kompose.volume.selector': (v, n) => o(o(v.volumeClaim(n)?.spec).selector).matchLabels,
};
