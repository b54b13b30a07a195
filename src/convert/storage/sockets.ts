/**
 * Shared UNIX sockets (issue 14): in compose, a volume at `/var/run/mysqld` shared by mysql and php carries the
 * server's socket to the client. Pods on a cluster share no files (a claim may even be on another node), so the
 * socket never reaches a service in another pod: reported, with the fix (TCP, or one pod through `x-k8s.group`).
 * Services in the same pod share the volume, and the socket works.
 */
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import type { SourcePos } from '../../report/diagnostic.js';
import { FactKey } from '../facts.js';

/** Directories that hold a server's socket by convention, and socket-file paths. */
const SOCKET_DIRS = new Set([
  '/var/run/mysqld',
  '/run/mysqld',
  '/var/run/postgresql',
  '/run/postgresql',
  '/tmp/.X11-unix',
  '/var/run/php',
  '/run/php',
  '/var/run/php-fpm',
  '/run/php-fpm',
  '/var/run/redis',
  '/run/redis',
  '/var/run/clamav',
  '/run/clamav',
]);

/** True when a mount target (or a named volume's name) says the volume carries a UNIX socket. */
export function carriesSocket(v: ServiceVolume): boolean {
  const target = v.target.replace(/\/+$/, '');
  if (SOCKET_DIRS.has(target) || /\.sock(et)?$/i.test(target)) return true;
  return v.type === 'volume' && /(^|[-_.])(sock|socket|sockets)([-_.]|$)/i.test(v.source ?? '');
}

/** Volume sources (`type\0source`) whose mounts say they carry a socket, decided on first use. */
const SOCKET_SOURCES = new FactKey<Map<string, boolean>>();

/**
 * After `svc` mounted `v` at item `path`: when the volume carries a socket and services in other pods mount it
 * too, say on the mount's entry that they cannot reach it.
 */
export function checkSocketVolume(
  ctx: ConvertContext,
  svc: Service,
  plan: PodPlan,
  v: ServiceVolume,
  path: string,
  pos?: SourcePos,
): void {
  if ((v.type !== 'volume' && v.type !== 'bind') || !v.source) return;
  const type = v.type;
  const source = v.source;
  const users = ctx.index.usersOf(type, source);
  if (users.length < 2) return;
  // A socket only matters if someone's mount says so: the server's or a client's path (decided once per source).
  const known = ctx.facts.get(SOCKET_SOURCES, () => new Map<string, boolean>());
  const key = `${type}\0${source}`;
  let socket = known.get(key);
  if (socket === undefined) {
    socket = users.some((u) => u.volumes.some((w) => w.type === type && w.source === source && carriesSocket(w)));
    known.set(key, socket);
  }
  if (!socket) return;
  const mine = new Set(plan.services.map((s) => s.name));
  const peers = users.filter((u) => !mine.has(u.name)).map((u) => u.name);
  if (!peers.length) return;
  const via = carriesSocket(v) ? '' : ` (as a socket directory in ${peers.join(', ')})`;
  ctx.downgrade(
    svc.name,
    path,
    'volumes.socket-across-pods',
    { target: v.target, peers: peers.join(', '), via },
    { pos },
  );
}
