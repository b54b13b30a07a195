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

/** Settings a service can write twice, as its own key and under `deploy`: both must say the same. */
const TWICE: ReadonlyArray<readonly [keyof Service, readonly string[]]> = [
  ['scale', ['replicas']],
  ['cpus', ['resources', 'limits', 'cpus']],
  ['mem_limit', ['resources', 'limits', 'memory']],
  ['mem_reservation', ['resources', 'reservations', 'memory']],
  ['pids_limit', ['resources', 'limits', 'pids']],
];

/** `networksSet`: whether the service wrote `networks` (the model gives it the default network otherwise). */
export function checkServiceConsistency(ctx: Ctx, name: string, svc: Service, networksSet: boolean): void {
  const at = (...p: Path): Path => ['services', name, ...p];
  const conflict = (a: Path, b: Path, id: DiagnosticId, values: Record<string, string> = {}): void => {
    ctx.error(id, { service: name, ...values, a: where(a), b: where(b) }, b);
  };
  for (const [key, inDeploy] of TWICE) {
    const a = svc[key];
    const b = inDeploy.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], svc.deploy);
    if (a !== undefined && b !== undefined && a !== b)
      conflict(at(key), at('deploy', ...inDeploy), 'conflicting-values', { what: key });
  }

  // docker compose refuses this one too, but `docker stack deploy` ignores container_name, and so do the
  // Kubernetes objects we write: a warning, not an error.
  const scale = composeReplicas(svc);
  if (scale > 1 && svc.container_name !== undefined) {
    ctx.warn('container-name-replicas', { service: name, scale }, at('container_name'));
  }
  if (svc.network_mode !== undefined && networksSet) {
    conflict(at('network_mode'), at('networks'), 'conflicting-values.network-mode');
  }
  const b = svc.build;
  if (b?.dockerfile !== undefined && b.dockerfile_inline !== undefined) {
    conflict(at('build', 'dockerfile'), at('build', 'dockerfile_inline'), 'conflicting-values.dockerfile');
  }
  if (
    Array.isArray(b?.platforms) &&
    b.platforms.length > 0 &&
    svc.platform !== undefined &&
    !b.platforms.includes(svc.platform)
  ) {
    conflict(at('platform'), at('build', 'platforms'), 'conflicting-values.platforms', { platform: svc.platform });
  }
}
