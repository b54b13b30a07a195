/**
 * Cross-reference checks: every service, named volume, network, secret and config a service names must
 * exist. Errors point at the referencing value.
 */
import { type Ctx, where } from './context.js';
import type { Ref, RefKind } from './service.js';

const WHAT: Record<RefKind, string> = {
  service: 'services',
  volume: 'volumes',
  network: 'networks',
  secret: 'secrets',
  config: 'configs',
};

export function checkRefs(ctx: Ctx, refs: Ref[], declared: Record<RefKind, Set<string>>): void {
  for (const r of refs) {
    if (declared[r.kind].has(r.name)) continue;
    if (r.kind === 'network' && r.name === 'default') continue;
    const known = [...declared[r.kind]];
    ctx.error(
      `unknown-${r.kind}`,
      `${where(r.path)}: ${r.kind} "${r.name}" is not defined`,
      r.path,
      known.length
        ? `defined ${WHAT[r.kind]}: ${known.join(', ')}`
        : r.kind === 'service'
          ? undefined
          : `declare it under the top-level "${WHAT[r.kind]}:" key`,
    );
  }
}
