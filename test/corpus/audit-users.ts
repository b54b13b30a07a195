/**
 * The runtime audit's checks of who a container runs as (test code, an oracle apart from src/): a non-root user
 * must be able to write the claims it mounts and bind the ports it serves. The uid is the pod's or container's
 * runAsUser, else, for the images below, the uid their Dockerfile's USER gives (Docker Hub / the projects' images).
 */
import type { Project } from '../../src/model/types.js';

type J = Record<string, unknown>;
const obj = (v: unknown): J | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Images that run as a fixed non-root uid (USER in their Dockerfile), by repository. */
const IMAGE_UIDS: ReadonlyArray<[RegExp, number]> = [
  [/^(docker\.io\/)?frappe\/(erpnext|frappe)$/, 1000],
  [/^ghcr\.io\/plausible\/community-edition$/, 999],
  [/^(docker\.io\/)?grafana\/grafana(-oss|-enterprise)?$/, 472],
  [/^(docker\.io\/)?prom\/(prometheus|alertmanager)$/, 65534],
  [/^(docker\.io\/)?n8nio\/n8n$/, 1000],
  [/^docker\.elastic\.co\/elasticsearch\/elasticsearch$/, 1000],
  [/^(docker\.io\/)?bitnami\/[\w-]+$/, 1001],
];

export interface PodLike {
  owner: string;
  spec: J;
  containers: J[];
}

type Hit = (check: 'claimsNotWritable' | 'lowPortsUnbindable', where: string, what: string) => void;

function repository(image: string): string {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The uid a container runs as, when it is known: its runAsUser, the pod's, or its image's. */
function uidOf(pod: PodLike, c: J): number | undefined {
  const set = obj(c.securityContext)?.runAsUser ?? obj(pod.spec.securityContext)?.runAsUser;
  if (typeof set === 'number') return set;
  const repo = repository(str(c.image) ?? '');
  return IMAGE_UIDS.find(([re]) => re.test(repo))?.[1];
}

export function auditUsers(_project: Project, pods: readonly PodLike[], hit: Hit): void {
  for (const pod of pods) {
    const psc = obj(pod.spec.securityContext) ?? {};
    const claims = new Set(
      arr(pod.spec.volumes)
        .map((v) => obj(v) ?? {})
        .filter((v) => obj(v.persistentVolumeClaim) || obj(obj(v.ephemeral)?.volumeClaimTemplate))
        .map((v) => str(v.name)),
    );
    const sysctls = new Map(
      arr(psc.sysctls).map((s) => [str(obj(s)?.name), Number(str(obj(s)?.value) ?? obj(s)?.value)] as const),
    );
    const lowestBindable = sysctls.get('net.ipv4.ip_unprivileged_port_start') ?? 1024;
    for (const c of pod.containers) {
      const uid = uidOf(pod, c);
      if (uid === undefined || uid === 0) continue;
      const where = `${pod.owner} ${str(c.name)}`;
      // A fresh claim's root directory is root's: without fsGroup a non-root user cannot write it.
      if (psc.fsGroup === undefined)
        for (const m of arr(c.volumeMounts).map((x) => obj(x) ?? {}))
          if (claims.has(str(m.name)) && m.readOnly !== true)
            hit('claimsNotWritable', where, `uid ${uid} → ${str(m.mountPath)}`);
      const caps = arr(obj(obj(c.securityContext)?.capabilities)?.add).map(String);
      if (caps.includes('NET_BIND_SERVICE')) continue;
      for (const p of arr(c.ports).map((x) => obj(x) ?? {})) {
        const port = Number(p.containerPort);
        if (port < lowestBindable) hit('lowPortsUnbindable', where, `uid ${uid} serves ${port}`);
      }
    }
  }
}
