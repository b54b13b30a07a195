/**
 * Input dialects beyond the Compose Spec, as optional modules: kompose labels, Docker / Traefik labels, ofelia job
 * labels, the `x-k8s` extension and a built service's Dockerfile (BuildReader, read through plan/base-image.ts). The core converts the Compose Spec; a caller passes the dialects to read
 * (`convert({ dialects })`; the Node entry and the CLI pass all of them, the lean browser entry none unless given,
 * `compose2k8s/dialects` has them for pages). A dialect contributes readers of the one override shape the core
 * applies (overrides-types.ts; layered in DIALECT_ORDER, a later one wins) and, if it needs them, steps of its own.
 *
 * Applying that shape where it needs code of its own (pull secrets, probes, init containers, an autoscaler, patches)
 * is no core code either: it is an OverrideApplier, one object that every dialect reading into the shape carries
 * (kompose and x-k8s carry the same one, src/convert/dialects.ts), so a setting is applied, and its report entries
 * made, once whichever of them are passed. The core calls it at fixed points of the pipeline through
 * `overrideApplier`; without those dialects no override is set and there is nothing to apply, so the lean entry
 * does not bundle it. What the core still reads of the shape itself (a controller kind, replicas, ports, claim
 * sizes) decides how it builds its own objects.
 *
 * Without a dialect nothing it would read passes silently: DIALECT_READS says which keys and labels each one reads,
 * and finish/dialects.ts gives each its one `report.dialect-not-loaded` entry.
 */
import type { Container, Service as KService } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../kube/object.js';
import type { Service, ServicePort, ServiceVolume, VolumeConfig } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { KindDecision, PodPlan } from '../plan/pod.js';
import type {
  IngressOverride,
  IngressRuleOverride,
  ProjectOverrides,
  ServiceOverrides,
  VolumeOverrides,
} from './overrides-types.js';
import { FactKey } from '../facts.js';
import type { Outcome } from '../../mappings/outcomes.js';
import type { OutcomeExtra, Values } from '../book.js';

export type DialectName = 'kompose' | 'x-k8s' | 'docker-labels' | 'ofelia' | 'dockerfile';

/** A rule of an HTTPRoute (objects/httproute.ts): its host (none: any), path and match. */
export interface RoutedRule {
  host?: string;
  path: string;
  exact?: boolean;
  /** A rule with a header match (a Traefik exclusion sent elsewhere) gets no filters. */
  headers?: readonly unknown[];
}

/** A header modifier of an HTTPRoute filter: headers set (replaced) and removed. */
export interface HeaderModifier {
  set?: Array<{ name: string; value: string }>;
  remove?: string[];
}

/**
 * The Gateway API HTTPRoute filters a dialect asks for on a rule, each type at most once (the CRD's rule). No
 * RequestRedirect: it excludes the rule's backendRefs, and a route on every listener would redirect HTTPS too.
 */
export type RouteFilter =
  | {
      type: 'URLRewrite';
      /** ReplacePrefixMatch needs the rule's one match to be a PathPrefix (the API rejects it otherwise). */
      urlRewrite: { hostname?: string; path?: { type: 'ReplacePrefixMatch'; replacePrefixMatch: '/' } };
    }
  | { type: 'RequestHeaderModifier'; requestHeaderModifier: HeaderModifier }
  | { type: 'ResponseHeaderModifier'; responseHeaderModifier: HeaderModifier };

export interface Dialect {
  readonly name: DialectName;
  /**
   * A service's settings (labels, extension), validated, over `below` (the earlier dialects' in DIALECT_ORDER;
   * intent/override-layers.ts).
   */
  service?(ctx: ConvertContext, svc: Service, below: ServiceOverrides): ServiceOverrides;
  /** A top-level volume's settings, over `below`. */
  volume?(ctx: ConvertContext, name: string, vol: VolumeConfig, below: VolumeOverrides): VolumeOverrides;
  /** Project-wide settings (the top-level `x-k8s`), over `below`. */
  project?(ctx: ConvertContext, below: ProjectOverrides): ProjectOverrides;
  /**
   * The lowest layer of a service's ingress (Traefik routers), put under `over` (the other dialects' settings):
   * hosts and paths unless another layer sets some.
   */
  ingress?(ctx: ConvertContext, svc: Service, over: ServiceOverrides): ServiceOverrides;
  /** Objects it makes once every pod exists (ofelia's CronJobs). */
  objects?(ctx: ConvertContext, plans: PodPlan[]): void;
  /**
   * With --ingress gateway: the filters of the HTTPRoute rule of the service on this host and path (a Traefik
   * stripprefix: URLRewrite; custom headers: the header modifiers), emitted by objects/httproute.ts.
   */
  routeFilters?(ctx: ConvertContext, service: string, rule: RoutedRule): readonly RouteFilter[] | undefined;
  /** Report entries of what it read, once the objects exist (Traefik routers, helper labels). */
  report?(ctx: ConvertContext, plans: PodPlan[]): void;
  /** Report entries of its override keys (finish, before the coverage pass). */
  entries?(ctx: ConvertContext): void;
  /** Labels whose own report entry owns them, also when their value holds a secret (pod/settings.ts). */
  readonly handledLabels?: readonly string[];
  /** Applies the override shape it reads into; the same object for every dialect that reads into it. */
  readonly overrides?: OverrideApplier;
  /**
   * What an ingress the dialect requests adds (plan/requested-routes.ts): the same object for every dialect that
   * can request one.
   */
  readonly ingressRequest?: IngressRequest;
  /** Reads a built service's Dockerfile (the `dockerfile` dialect): what the core knows of its base image then holds. */
  readonly build?: BuildReader;
  /**
   * The outcomes only dialects report (mappings `module: dialects`, DIALECT_OUTCOMES: every dialect carries them
   * all), which the core's table leaves out: a conversion given the dialect learns them (useDialects).
   */
  readonly outcomes?: readonly Outcome[];
}

/** How a requested ingress (kompose, x-k8s, Traefik router labels) routes, beyond the ports classified as HTTP. */
export interface IngressRequest {
  /** The ports it routes to when no published port of the service is HTTP (plan/ports.ts findRoutes). */
  routes(ctx: ConvertContext, svc: Service, ingress: IngressOverride): RequestedRoute[];
  /**
   * What the service's own ingress sets for its route `r` (plan/ports.ts HttpRoute): its class and TLS Secret, and
   * the rules that go to `r`: those naming its port; unplaced ones go to the first route asked about (`done`: the
   * services whose first route was asked about); a rule without a host gets `host` (--ingress-host).
   */
  own(
    ctx: ConvertContext,
    r: RouteRef,
    done: Set<string>,
    host: string | undefined,
  ): { rules?: IngressRuleOverride[]; className?: string; tlsSecret?: string } | undefined;
  /**
   * The routes whose hosts objects/ingress.ts derives: not those of a service that names its own hosts, nor those
   * of a catch-all Ingress (asked for without host or path), each of which goes to `caught` (objects/catch-all.ts).
   */
  derived<R extends RouteRef>(ctx: ConvertContext, routes: readonly R[], caught: (r: R) => void): R[];
  /** Once the pod's Ingress `ref` routes `routed`: its catch-all rules other pods' Ingresses share on `/`. */
  clashes(ctx: ConvertContext, plan: PodPlan, routed: ReadonlyArray<{ r: RouteRef }>, ref: string): void;
}

/**
 * What a built service's Dockerfile (plan/base-image.ts dockerfileText) says, each read once per service: the stage
 * its build ends on, and what of its build context the image holds. Undefined when the Dockerfile cannot be read.
 */
export interface BuildReader {
  stage(ctx: ConvertContext, svc: Service): Stage | undefined;
  copies(ctx: ConvertContext, svc: Service): BuildCopies | undefined;
}

/** The contents of context path `src` ('' for the whole context) are at absolute image directory `dest`. */
export interface ContextCopy {
  readonly src: string;
  readonly dest: string;
}

/**
 * What a Dockerfile stage is built on, the `USER` it leaves set, its working directory and the context copies it holds
 * (each its own or those of an earlier stage it starts FROM).
 */
export interface Stage {
  image: string | undefined;
  user?: string;
  /** The working directory (absolute), undefined while it is the base image's own (unknown). */
  workdir?: string;
  /** Where its COPY/ADD instructions put context paths (plan/dockerfile.ts copiesOf). */
  copies: ContextCopy[];
}

export interface BuildCopies {
  readonly copies: readonly ContextCopy[];
  /** True when `.dockerignore` keeps context path `rel` (or a folder above it) out of the build. */
  readonly ignored: (rel: string) => boolean;
}

/** What IngressRequest reads of a route (plan/ports.ts HttpRoute). */
export interface RouteRef {
  service: { name: string };
  port: { target: number };
  /** Its item in the service's `ports`; -1 for a container port. */
  index: number;
}

/**
 * A requested route, as plan/ports.ts keeps its routes (HttpRoute): a published port (`index` in `ports`), or a
 * container port (`index` -1) and its origin.
 */
export interface RequestedRoute {
  service: Service;
  port: ServicePort;
  index: number;
  reason: 'port.ingress-requested';
  reasonValues: Record<string, never>;
  from?: string;
}

/**
 * What applying the service and volume overrides (overrides-types.ts) takes beyond what the core reads of them
 * itself, in pipeline order. Each step reads `serviceOverrides` / `volumeOverrides` and does nothing where no
 * setting asks for it.
 */
export interface OverrideApplier {
  /** Before the container steps: service account, image pull secrets, fsGroup. */
  pod(ctx: ConvertContext, plan: PodPlan): void;
  /** Per container, after its resources: host ports, image pull policy and resource quantities given explicitly. */
  container(ctx: ConvertContext, svc: Service, c: Container, plan: PodPlan): void;
  /** Per container, after the probes derived from the healthcheck: the probe settings, one entry a label / key. */
  probes(ctx: ConvertContext, svc: Service, c: Container, plan: PodPlan, livenessFactor: number): void;
  /** After the container steps: the user's init containers, after the start-order waits. */
  initContainers(ctx: ConvertContext, plan: PodPlan): void;
  /** After the controller: the HorizontalPodAutoscaler. */
  autoscaler(ctx: ConvertContext, plan: PodPlan): void;
  /** Last of the project steps: `x-k8s.patches` on the finished objects. */
  patches(ctx: ConvertContext, plans: PodPlan[]): void;
  /**
   * A Service type asked for: give the pod's Service (not yet emitted) that type, emit it and any load balancer
   * split by protocol (refs pushed to `lbSplit`); returns the emitted Service (objects/service-type.ts).
   */
  service(
    ctx: ConvertContext,
    plan: PodPlan,
    obj: KService & KubeObject,
    headless: boolean,
    lbSplit: string[],
  ): KubeObject;
  /** The entries of a Service type asked for, once the pod's Services exist. */
  serviceEntries(ctx: ConvertContext, plan: PodPlan, cluster: KubeObject | undefined, lbSplit: readonly string[]): void;
  /**
   * The services a group setting runs in another service's pod, each with its group and that pod's main service
   * (objects/aliases.ts: its name is one more name of the pod).
   */
  grouped(ctx: ConvertContext): Array<{ service: string; group: string; main: string }>;
  /**
   * The entry of a service's group setting, once the aliases are known (objects/aliases.ts): whether a Service
   * answers on the grouped service's name (`served`).
   */
  groupEntry(
    ctx: ConvertContext,
    service: string,
    served: 'service' | 'no-service',
    values: Values,
    objects?: string[],
  ): void;
  /**
   * The claim an anonymous volume becomes when the service's storage settings ask for one (a size, a StorageClass,
   * storage type persistentVolumeClaim), instead of an emptyDir (storage/anonymous.ts); undefined when none is asked.
   */
  anonymousClaim(
    ctx: ConvertContext,
    svc: Service,
    plan: PodPlan,
    v: ServiceVolume,
  ): { volume: string; objects: string[]; values: Record<string, string> } | undefined;
  /**
   * The controller the service's settings ask for, or the CronJob their cron schedule makes (plan/controller.ts
   * decideKind, after the command line's).
   */
  controller(ctx: ConvertContext, main: Service): KindDecision | undefined;
  /** A CronJob's schedule, retries and concurrency policy (plan/plan.ts, before its entries). */
  cronJob(ctx: ConvertContext, plan: PodPlan): void;
  /** The pod owner of each service named, group settings applied (plan/plan.ts, before the pods are made). */
  owners(ctx: ConvertContext, names: string[]): Map<string, string>;
  /**
   * What the storage settings make of a named volume's mount (storage/named.ts): an emptyDir, mounted and reported
   * (undefined), or the mount, with their sub-path.
   */
  namedMount(
    ctx: ConvertContext,
    svc: Service,
    c: Container,
    plan: PodPlan,
    v: ServiceVolume,
    path: string,
    at: OutcomeExtra,
  ): ServiceVolume | undefined;
  /**
   * Per container, instead of the probes derived from the healthcheck when the probe settings replace them (an
   * action, or readiness off): the healthcheck's entry and the probes its test makes; false when they do not.
   */
  healthcheck(ctx: ConvertContext, svc: Service, c: Container, plan: PodPlan): boolean;
}

/** Override layers, lowest first: an `x-k8s` setting wins over the kompose label. */
export const DIALECT_ORDER: readonly DialectName[] = ['kompose', 'x-k8s'];

/** What each dialect reads: labels (by key), and the extension key on services, volumes and the top level. */
export interface DialectReads {
  /** A service label it reads (`deploy.labels` too when `deployLabels`); a top-level volume label when `volumeLabels`. */
  label?: (key: string) => boolean;
  deployLabels?: boolean;
  volumeLabels?: boolean;
  extension?: string;
  /**
   * It reads, on the services other than Docker-bound helpers, the routing variables and labels of the Docker proxies
   * the project runs (plan/docker-helpers.ts proxyReads).
   */
  proxySettings?: boolean;
  /** A service's Dockerfile, when there is one to read (plan/base-image.ts dockerfileText). */
  build?: boolean;
}

/** Labels kompose writes into its own output; reading them back is harmless and not worth an entry. */
const KOMPOSE_GENERATED = new Set(['kompose.cmd', 'kompose.version']);

export const DIALECT_READS: Readonly<Record<DialectName, DialectReads>> = {
  kompose: {
    label: (k) => k.startsWith('kompose.') && !KOMPOSE_GENERATED.has(k),
    deployLabels: true,
    volumeLabels: true,
  },
  'x-k8s': { extension: 'x-k8s' },
  'docker-labels': {
    label: (k) =>
      k.startsWith('traefik.') ||
      k === 'autoheal' ||
      k.startsWith('autoheal.') ||
      k.startsWith('com.centurylinklabs.watchtower.') ||
      k.startsWith('io.portainer.'),
    proxySettings: true,
  },
  ofelia: { label: (k) => /^ofelia\.(job-exec|job-run|job-local|job-service-run)\.[^.]+\../.test(k) },
  dockerfile: { build: true },
};

/** The dialects the caller passed, set once when the conversion starts (none when nobody set them). */
const LOADED = new FactKey<readonly Dialect[]>();

/** Use these dialects in this conversion (convertProject, before any step). */
export function useDialects(ctx: ConvertContext, dialects: readonly Dialect[]): void {
  ctx.facts.get(LOADED, () => dialects);
  for (const d of dialects) if (d.outcomes) ctx.book.learn(d.outcomes);
}

/** The dialects of this conversion. */
export function dialects(ctx: ConvertContext): readonly Dialect[] {
  return ctx.facts.get(LOADED, () => []);
}

/** The applier of the override shape, when a dialect that reads into it was passed. */
export function overrideApplier(ctx: ConvertContext): OverrideApplier | undefined {
  return dialects(ctx).find((d) => d.overrides)?.overrides;
}

/** The dialect named, when the caller passed it. */
export function dialect(ctx: ConvertContext, name: DialectName): Dialect | undefined {
  return dialects(ctx).find((d) => d.name === name);
}

/** How a built service's Dockerfile is read (BuildReader), when the dockerfile dialect was passed. */
export function buildReader(ctx: ConvertContext): BuildReader | undefined {
  return dialects(ctx).find((d) => d.build)?.build;
}

/** How a requested ingress routes (IngressRequest), when a dialect that can request one was passed. */
export function ingressRequest(ctx: ConvertContext): IngressRequest | undefined {
  return dialects(ctx).find((d) => d.ingressRequest)?.ingressRequest;
}
