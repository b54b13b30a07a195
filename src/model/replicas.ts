import type { Service } from './types.js';

/**
 * The one rule for a service's replica count in compose: `deploy.replicas`, else `scale`, else 1. The loader
 * refuses the two when they differ (compose-go), so which one is read first only matters for the position.
 */
export function composeReplicas(svc: Pick<Service, 'deploy' | 'scale'>): number {
  return svc.deploy?.replicas ?? svc.scale ?? 1;
}
