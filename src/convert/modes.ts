/**
 * The output modes (output-modes.ts): `--pod-security restricted` (pod/security.ts, which the restricted checker
 * pod/security-check.ts decides) and `--ingress gateway` (objects/httproute.ts). Imported by the Node entry and by
 * `compose2k8s/modes` (src/modes.ts), never by the lean entry.
 */
import type { OutputMode } from './output-modes.js';
import { applyPodSecurity } from './pod/security.js';
import { buildHttpRoutes, gatewayPeer } from './objects/httproute.js';
import { MODE_OUTCOMES } from '../mappings/module-outcomes.js';

export const podSecurityRestricted: OutputMode = {
  name: 'pod-security-restricted',
  pod: applyPodSecurity,
  outcomes: MODE_OUTCOMES,
};
export const gateway: OutputMode = {
  name: 'gateway',
  pod: buildHttpRoutes,
  routedPeer: gatewayPeer,
  outcomes: MODE_OUTCOMES,
};

/** Every output mode. */
export const MODES: readonly OutputMode[] = [podSecurityRestricted, gateway];
