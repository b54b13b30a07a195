/**
 * Per-service consistency rules that `docker compose config` enforces after loading (compose-go
 * loader/validate.go `checkConsistency`): two spellings of one setting must agree, and settings that
 * exclude each other cannot both be set. Each problem is a `conflicting-values` error at the second key
 * (container_name with replicas only warns).
 */
import { composeReplicas } from '../../model/replicas.js';
import type { Service } from '../../model/types.js';
import { type Ctx, type Path, where } from './context.js';
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
  const conflict = (a: Path, b: Path, why: string): void => {
    ctx.error('conflicting-values', `services.${name}: ${why}`, b, `keep only one of ${where(a)} and ${where(b)}`);
  };
  const deploy = svc.deploy;
  const limits = deploy?.resources?.limits;
  const reservations = deploy?.resources?.reservations;
  const same = (what: string, a: number | undefined, b: number | undefined, pa: Path, pb: Path): void => {
    if (a !== undefined && b !== undefined && a !== b) conflict(pa, pb, `can't set distinct values on '${what}'`);
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
    ctx.warn(
      'container-name-replicas',
      `services.${name}: container_name must be unique, so docker compose refuses it with ${scale} replicas`,
      at('container_name'),
      'container_name has no effect on Kubernetes; remove it',
    );
  }
  if (isSet(raw.network_mode) && isSet(raw.networks)) {
    conflict(at('network_mode'), at('networks'), '`network_mode` and `networks` exclude each other');
  }
  const build = raw.build;
  if (build !== null && typeof build === 'object' && !Array.isArray(build)) {
    const b = build as Raw;
    if (isSet(b.dockerfile) && isSet(b.dockerfile_inline)) {
      conflict(
        at('build', 'dockerfile'),
        at('build', 'dockerfile_inline'),
        '`dockerfile` and `dockerfile_inline` exclude each other',
      );
    }
    if (
      Array.isArray(b.platforms) &&
      b.platforms.length > 0 &&
      typeof raw.platform === 'string' &&
      !b.platforms.includes(raw.platform)
    ) {
      conflict(
        at('platform'),
        at('build', 'platforms'),
        `build.platforms must include the service platform "${raw.platform}"`,
      );
    }
  }
}
