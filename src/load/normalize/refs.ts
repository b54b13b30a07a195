/**
 * Cross-reference checks: every service, named volume, network, secret and config a service names must
 * exist. Errors point at the referencing value.
 */
import { type Ctx, where } from './context.js';
import type { Ref, RefKind } from './service.js';
import type { DiagnosticId } from '../../report/codes.js';

/** The wordings by kind: when none of that kind is defined, and with the list of those defined. */
const UNKNOWN: Record<RefKind, readonly [DiagnosticId, DiagnosticId]> = {
  service: ['unknown-service', 'unknown-service.listed'],
  volume: ['unknown-volume', 'unknown-volume.listed'],
  network: ['unknown-network', 'unknown-network.listed'],
  secret: ['unknown-secret', 'unknown-secret.listed'],
  config: ['unknown-config', 'unknown-config.listed'],
};

export function checkRefs(ctx: Ctx, refs: Ref[], declared: Record<RefKind, Set<string>>): void {
  for (const r of refs) {
    if (declared[r.kind].has(r.name)) continue;
    if (r.kind === 'network' && r.name === 'default') continue;
    const known = [...declared[r.kind]];
    const values = { where: where(r.path), name: r.name };
    if (known.length) ctx.error(UNKNOWN[r.kind][1], { ...values, known: known.join(', ') }, r.path);
    else ctx.error(UNKNOWN[r.kind][0], values, r.path);
  }
}
