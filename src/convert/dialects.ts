/**
 * The input dialects beyond the Compose Spec (intent/dialect.ts), each one module a caller passes to convert:
 * - `kompose`: the `kompose.*` labels (and compose2k8s's own `compose2k8s.http`) → overrides, one entry each;
 * - `xk8s`: the `x-k8s` extension of services, volumes and the top level → overrides and options, one entry a key;
 * - `dockerLabels`: Traefik router labels → the lowest ingress layer, and the entries of the Traefik, autoheal,
 *   watchtower and Portainer labels;
 * - `ofelia`: ofelia job labels → CronJobs.
 * DIALECTS is all of them: what the Node entry and the CLI read.
 */
import type { Dialect } from './intent/dialect.js';
import { KOMPOSE_HANDLED, komposeServiceOverrides, komposeVolumeOverrides } from './intent/kompose.js';
import { xk8sProjectOverrides, xk8sServiceOverrides, xk8sVolumeOverrides } from './intent/x-k8s.js';
import { traefikIngress } from './intent/docker-labels.js';
import { recordOverrideEntries } from './finish/override-entries.js';
import { reportDockerLabels } from './finish/docker-labels.js';
import { buildOfeliaCronJobs } from './objects/cronjobs.js';

export const kompose: Dialect = {
  name: 'kompose',
  service: komposeServiceOverrides,
  volume: komposeVolumeOverrides,
  entries: (ctx) => recordOverrideEntries(ctx, 'kompose'),
  handledLabels: KOMPOSE_HANDLED,
};

export const xk8s: Dialect = {
  name: 'x-k8s',
  service: xk8sServiceOverrides,
  volume: xk8sVolumeOverrides,
  project: xk8sProjectOverrides,
  entries: (ctx) => recordOverrideEntries(ctx, 'x-k8s'),
};

export const dockerLabels: Dialect = { name: 'docker-labels', ingress: traefikIngress, report: reportDockerLabels };

export const ofelia: Dialect = { name: 'ofelia', objects: buildOfeliaCronJobs };

/** Every dialect: the Node entry's and the CLI's. */
export const DIALECTS: readonly Dialect[] = [kompose, xk8s, dockerLabels, ofelia];
