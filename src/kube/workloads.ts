/**
 * Workload kinds: the controllers a pod can run under, and where each keeps its pod template.
 */
export type ControllerKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';
