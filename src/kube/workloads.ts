/**
 * Workload kinds: the controllers a pod can run under, and where each keeps its pod template.
 */
export const CONTROLLER_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
export type ControllerKind = (typeof CONTROLLER_KINDS)[number];
