/**
 * Compose services reach each other by name on any port, without `ports`/`expose`; Kubernetes
 * needs a Service with explicit ports for the name to resolve. For a pod that declares no ports,
 * infer them from what its peers say: `<name>:<port>` in their environment, commands and
 * bind-mounted/config files (`proxy_pass http://backend:8000`), else the well-known port of the
 * image when a peer refers to the service at all (depends_on, links, its name in a value).
 */
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from './pod.js';
import { FactKey } from '../facts.js';

/** Default listening ports of common images (last path segment of the image name). */
export const IMAGE_PORTS: Readonly<Record<string, number[]>> = {
  postgres: [5432],
  postgis: [5432],
  timescaledb: [5432],
  pgvector: [5432],
  mysql: [3306],
  mariadb: [3306],
  redis: [6379],
  valkey: [6379],
  keydb: [6379],
  mongo: [27017],
  mongodb: [27017],
  memcached: [11211],
  rabbitmq: [5672],
  elasticsearch: [9200],
  opensearch: [9200],
  clickhouse: [8123, 9000],
  'clickhouse-server': [8123, 9000],
  nats: [4222],
  etcd: [2379],
  zookeeper: [2181],
  minio: [9000],
  mailhog: [1025, 8025],
  mailpit: [1025, 8025],
  nginx: [80],
  httpd: [80],
  caddy: [80],
  traefik: [80],
  influxdb: [8086],
  cassandra: [9042],
  couchdb: [5984],
};

export interface InferredPort {
  port: number;
  reason: string;
}

const MAX_TEXT = 256 * 1024;

/** Texts of the project a peer could name a service in: (owner service, label, text). */
function peerTexts(ctx: ConvertContext): Array<{ owner: string; label: string; text: string }> {
  const out: Array<{ owner: string; label: string; text: string }> = [];
  for (const svc of Object.values(ctx.project.services)) {
    for (const [k, v] of Object.entries(svc.environment ?? {}))
      out.push({ owner: svc.name, label: `${svc.name} environment ${k}`, text: v });
    for (const part of [svc.command, svc.entrypoint, svc.healthcheck?.test])
      if (part) out.push({ owner: svc.name, label: `${svc.name} command`, text: part.join(' ') });
    for (const v of svc.volumes) {
      if (v.type !== 'bind' || !v.source || !v.source.startsWith(ctx.project.workingDir + '/')) continue;
      const text = ctx.fs?.readFile(v.source);
      if (text !== undefined && text.length <= MAX_TEXT)
        out.push({
          owner: svc.name,
          label: `${svc.name} file ${v.source.slice(ctx.project.workingDir.length + 1)}`,
          text,
        });
    }
    for (const r of svc.configs ?? []) {
      const c = ctx.project.configs[r.source];
      const text = c?.content ?? (c?.file ? ctx.fs?.readFile(c.file) : undefined);
      if (text !== undefined && text.length <= MAX_TEXT)
        out.push({ owner: svc.name, label: `${svc.name} config ${r.source}`, text });
    }
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function imageName(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const noDigest = image.split('@')[0]!;
  const last = noDigest.split('/').pop()!;
  return last.split(':')[0]!.toLowerCase();
}

/** What every service says about its peers (environment, command, config files), read once. */
const PEER_TEXTS = new FactKey<ReturnType<typeof peerTexts>>('peer texts');

/** Ports to give the Service of a pod that declares none (empty when nothing points at it). */
export function inferPorts(ctx: ConvertContext, plan: PodPlan): InferredPort[] {
  const texts = ctx.facts.get(PEER_TEXTS, () => peerTexts(ctx));
  const inPod = new Set(plan.services.map((s) => s.name));
  const names = plan.services.flatMap((s) => [
    s.name,
    ...(s.hostname ? [s.hostname] : []),
    ...Object.values(s.networks).flatMap((n) => n?.aliases ?? []),
  ]);
  const found = new Map<number, string>();
  let referenced = false;
  for (const t of texts) {
    if (inPod.has(t.owner)) continue;
    for (const n of names) {
      const re = new RegExp(`(?<![\\w.-])${escapeRe(n)}(?::(\\d{1,5}))?(?![\\w.-])`, 'g');
      for (const m of t.text.matchAll(re)) {
        referenced = true;
        const p = m[1] ? Number(m[1]) : undefined;
        if (p && p <= 65535 && !found.has(p)) found.set(p, `${n}:${p} in ${t.label}`);
      }
    }
  }
  const peers = Object.values(ctx.project.services).filter((s) => !inPod.has(s.name));
  referenced ||= peers.some((s: Service) =>
    names.some((n) => n in s.depends_on || (s.links ?? []).some((l) => l.split(':')[0] === n)),
  );
  if (found.size) return [...found].sort((a, b) => a[0] - b[0]).map(([port, reason]) => ({ port, reason }));
  if (!referenced) return [];
  const img = imageName(plan.main.image);
  return (img ? (IMAGE_PORTS[img] ?? []) : []).map((port) => ({ port, reason: `default port of image ${img}` }));
}
