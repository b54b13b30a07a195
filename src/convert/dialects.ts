/**
 * The input dialects beyond the Compose Spec (intent/dialect.ts), each one module a caller passes to convert:
 * - `kompose`: the `kompose.*` labels (and compose2k8s's own `compose2k8s.http`) → overrides, one entry each;
 * - `xk8s`: the `x-k8s` extension of services, volumes and the top level → overrides and options, one entry a key;
 * - `dockerLabels`: Traefik router labels, and the routing settings of the other Docker-discovery proxies the project
 *   runs (nginx-proxy's VIRTUAL_HOST, caddy-gen's and caddy-docker-proxy's labels) → the lowest ingress layer, and
 *   the entries of those and of the autoheal, watchtower and Portainer labels;
 * - `ofelia`: ofelia job labels → CronJobs;
 * - `dockerfile`: a built service's Dockerfile (plan/dockerfile.ts, build-copies.ts) → the base image, USER and
 *   context copies the core's heuristics read through plan/base-image.ts.
 * DIALECTS is all of them: what the Node entry and the CLI read.
 *
 * kompose and x-k8s read into one override shape, and carry one OVERRIDES applier for it (intent/dialect.ts
 * OverrideApplier): the controller or CronJob asked for, group settings and their entries, pull secrets, service
 * account and fsGroup, host ports, pull policy and resource quantities, probe settings, init containers, the
 * autoscaler, a Service type, storage settings on anonymous and named volumes and `x-k8s.patches`. One object, so
 * passing both applies each setting, and makes its entry, once; only this module imports its parts, so the lean
 * entry without these dialects bundles none of them.
 */
import type { Dialect, OverrideApplier } from './intent/dialect.js';
import { ingressUnder, layer, overService } from './intent/override-layers.js';
import { KOMPOSE_HANDLED, komposeServiceOverrides, komposeVolumeOverrides } from './intent/kompose.js';
import { xk8sProjectOverrides, xk8sServiceOverrides, xk8sVolumeOverrides } from './intent/x-k8s.js';
import { traefikIngress } from './intent/docker-labels/routing.js';
import { traefikRouteFilters } from './intent/docker-labels/filters.js';
import { joinIngress, proxyIngress } from './plan/docker-proxies.js';
import { recordOverrideEntries, reportGroupSetting } from './finish/override-entries.js';
import { reportDockerLabels } from './finish/docker-labels.js';
import { reportProxyRoutes } from './finish/docker-proxies.js';
import { buildOfeliaCronJobs } from './objects/cronjobs.js';
import {
  addOverrideInitContainers,
  anonymousClaim,
  applyContainerOverrides,
  applyCronSettings,
  applyPodOverrides,
  askedController,
  buildHpa,
  groupedServices,
  groupOwners,
  storageNamedMount,
} from './pod/overrides.js';
import { applyProbeOverrides, overriddenHealthcheck } from './container/probes-overrides.js';
import { applyPatches } from './finish/patches.js';
import { INGRESS_REQUEST } from './plan/requested-routes.js';
import { emitTypedService, reportTypedService } from './objects/service-type.js';
import { DIALECT_OUTCOMES } from '../mappings/module-outcomes.js';
import { builtStage } from './plan/dockerfile.js';
import { readBuildCopies } from './plan/build-copies.js';

/** Applies what kompose labels and `x-k8s` set; both carry this one object. */
const OVERRIDES: OverrideApplier = {
  pod: applyPodOverrides,
  container: applyContainerOverrides,
  probes: applyProbeOverrides,
  initContainers: addOverrideInitContainers,
  autoscaler: buildHpa,
  patches: applyPatches,
  service: emitTypedService,
  serviceEntries: reportTypedService,
  grouped: groupedServices,
  groupEntry: reportGroupSetting,
  anonymousClaim,
  controller: askedController,
  cronJob: applyCronSettings,
  owners: groupOwners,
  namedMount: storageNamedMount,
  healthcheck: overriddenHealthcheck,
};

export const kompose: Dialect = {
  name: 'kompose',
  service: (ctx, svc, below) => overService(below, komposeServiceOverrides(ctx, svc)),
  volume: (ctx, name, vol, below) => layer(below, komposeVolumeOverrides(ctx, name, vol)),
  entries: (ctx) => recordOverrideEntries(ctx, 'kompose'),
  handledLabels: KOMPOSE_HANDLED,
  overrides: OVERRIDES,
  ingressRequest: INGRESS_REQUEST,
  outcomes: DIALECT_OUTCOMES,
};

export const xk8s: Dialect = {
  name: 'x-k8s',
  service: (ctx, svc, below) => overService(below, xk8sServiceOverrides(ctx, svc)),
  volume: (ctx, name, vol, below) => layer(below, xk8sVolumeOverrides(ctx, name, vol)),
  project: (ctx, below) => layer(below, xk8sProjectOverrides(ctx)),
  entries: (ctx) => recordOverrideEntries(ctx, 'x-k8s'),
  overrides: OVERRIDES,
  ingressRequest: INGRESS_REQUEST,
  outcomes: DIALECT_OUTCOMES,
};

export const dockerLabels: Dialect = {
  name: 'docker-labels',
  ingress: (ctx, svc, over) => ingressUnder(over, joinIngress(traefikIngress(ctx, svc), proxyIngress(ctx, svc))),
  routeFilters: traefikRouteFilters,
  report: (ctx, plans) => {
    reportDockerLabels(ctx, plans);
    reportProxyRoutes(ctx, plans);
  },
  ingressRequest: INGRESS_REQUEST,
  outcomes: DIALECT_OUTCOMES,
};

export const ofelia: Dialect = { name: 'ofelia', objects: buildOfeliaCronJobs, outcomes: DIALECT_OUTCOMES };

export const dockerfile: Dialect = {
  name: 'dockerfile',
  build: { stage: builtStage, copies: readBuildCopies },
  outcomes: DIALECT_OUTCOMES,
};

/** Every dialect: the Node entry's and the CLI's. */
export const DIALECTS: readonly Dialect[] = [kompose, xk8s, dockerLabels, ofelia, dockerfile];
