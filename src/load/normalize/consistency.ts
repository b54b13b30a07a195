/**
 * Per-service consistency rules that `docker compose config` enforces after loading (compose-go
 * loader/validate.go `checkConsistency`): two spellings of one setting must agree, and settings that
 * exclude each other cannot both be set. Each problem is a `conflicting-values` error at the second key
 * (container_name with replicas only warns).
 */
import { composeReplicas } from '../../model/replicas.js';
import type { Service } from '../../model/types.js';
import { type Ctx, type Path, where } from './context.js';
import type { DiagnosticId } from '../../report/codes.js';
import type { Ref } from './service.js';

type Raw = Record<string, unknown>;

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** `build.secrets` must name top-level secrets too (compose-go: "refers to undefined build secret"). */
export function buildSecretRefs(name: string, raw: Raw): Ref[] {
  const build = raw.build;
  if (build === null || typeof build !== 'object' || Array.isArray(build)) return [];
  const secrets = (build as Raw).secrets;
  if (!Array.isArray(secrets)) return [];
  const out: Ref[] = [];
  secrets.forEach((e: unknown, i) => {
    const source = typeof e === 'string' ? e : e !== null && typeof e === 'object' ? (e as Raw).source : undefined;
    if (typeof source === 'string')
      out.push({ kind: 'secret', name: source, path: ['services', name, 'build', 'secrets', i] });
  });
  return out;
}

export function checkServiceConsistency(ctx: Ctx, name: string, raw: Raw, svc: Service): void {
  const at = (...p: Path): Path => ['services', name, ...p];
  const conflict = (a: Path, b: Path, id: DiagnosticId, values: Record<string, string> = {}): void => {
    ctx.error(id, { service: name, ...values, a: where(a), b: where(b) }, b);
  };
  const deploy = svc.deploy;
  const limits = deploy?.resources?.limits;
  const reservations = deploy?.resources?.reservations;
  const same = (what: string, a: number | undefined, b: number | undefined, pa: Path, pb: Path): void => {
    if (a !== undefined && b !== undefined && a !== b) conflict(pa, pb, 'conflicting-values', { what });
  };
  same('scale', svc.scale, deploy?.replicas, at('scale'), at('deploy', 'replicas'));
  same('cpus', svc.cpus, limits?.cpus, at('cpus'), at('deploy', 'resources', 'limits', 'cpus'));
  same('mem_limit', svc.mem_limit, limits?.memory, at('mem_limit'), at('deploy', 'resources', 'limits', 'memory'));
  same(
    'mem_reservation',
    svc.mem_reservation,
    reservations?.memory,
    at('mem_reservation'),
    at('deploy', 'resources', 'reservations', 'memory'),
  );
  same('pids_limit', svc.pids_limit, limits?.pids, at('pids_limit'), at('deploy', 'resources', 'limits', 'pids'));

  // docker compose refuses this one too, but `docker stack deploy` ignores container_name, and so do the
  // Kubernetes objects we write: a warning, not an error.
  const scale = composeReplicas(svc);
  if (scale > 1 && svc.container_name !== undefined) {
    ctx.warn('container-name-replicas', { service: name, scale }, at('container_name'));
  }
  if (isSet(raw.network_mode) && isSet(raw.networks)) {
    conflict(at('network_mode'), at('networks'), 'conflicting-values.network-mode');
  }
  const build = raw.build;
  if (build !== null && typeof build === 'object' && !Array.isArray(build)) {
    const b = build as Raw;
    if (isSet(b.dockerfile) && isSet(b.dockerfile_inline)) {
      conflict(at('build', 'dockerfile'), at('build', 'dockerfile_inline'), 'conflicting-values.dockerfile');
    }
    if (
      Array.isArray(b.platforms) &&
      b.platforms.length > 0 &&
      typeof raw.platform === 'string' &&
      !b.platforms.includes(raw.platform)
    ) {
      conflict(at('platform'), at('build', 'platforms'), 'conflicting-values.platforms', { platform: raw.platform });
    }
  }
}
