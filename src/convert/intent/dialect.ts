/**
 * Input dialects beyond the Compose Spec, as optional modules: kompose labels, Docker / Traefik labels, ofelia job
 * labels and the `x-k8s` extension. The core converts the Compose Spec; a caller passes the dialects to read
 * (`convert({ dialects })`; the Node entry and the CLI pass all of them, the lean browser entry none unless given,
 * `compose2k8s/dialects` has them for pages). A dialect contributes readers of the one override shape the core
 * applies (overrides-types.ts; layered in DIALECT_ORDER, a later one wins) and, if it needs them, steps of its own.
 *
 * Without a dialect nothing it would read passes silently: DIALECT_READS says which keys and labels each one reads,
 * and finish/dialects.ts gives each its one `report.dialect-not-loaded` entry.
 */
import type { Service, VolumeConfig } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import type { IngressOverride, ProjectOverrides, ServiceOverrides, VolumeOverrides } from './overrides-types.js';
import { FactKey } from '../facts.js';

export type DialectName = 'kompose' | 'x-k8s' | 'docker-labels' | 'ofelia';

export interface Dialect {
  readonly name: DialectName;
  /** A service's settings (labels, extension), validated; layered in DIALECT_ORDER. */
  service?(ctx: ConvertContext, svc: Service): ServiceOverrides;
  /** A top-level volume's settings. */
  volume?(ctx: ConvertContext, name: string, vol: VolumeConfig): VolumeOverrides;
  /** Project-wide settings (the top-level `x-k8s`). */
  project?(ctx: ConvertContext): ProjectOverrides;
  /** The lowest layer of a service's ingress (Traefik routers): hosts and paths unless another layer sets some. */
  ingress?(ctx: ConvertContext, svc: Service): IngressOverride | undefined;
  /** Objects it makes once every pod exists (ofelia's CronJobs). */
  objects?(ctx: ConvertContext, plans: PodPlan[]): void;
  /** Report entries of what it read, once the objects exist (Traefik routers, helper labels). */
  report?(ctx: ConvertContext, plans: PodPlan[]): void;
  /** Report entries of its override keys (finish, before the coverage pass). */
  entries?(ctx: ConvertContext): void;
  /** Labels whose own report entry owns them, also when their value holds a secret (pod/settings.ts). */
  readonly handledLabels?: readonly string[];
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
  },
  ofelia: { label: (k) => /^ofelia\.(job-exec|job-run|job-local|job-service-run)\.[^.]+\../.test(k) },
};

/** The dialects the caller passed, set once when the conversion starts (none when nobody set them). */
const LOADED = new FactKey<readonly Dialect[]>('dialects');

/** Use these dialects in this conversion (convertProject, before any step). */
export function useDialects(ctx: ConvertContext, dialects: readonly Dialect[]): void {
  ctx.facts.get(LOADED, () => dialects);
}

/** The dialects of this conversion. */
export function dialects(ctx: ConvertContext): readonly Dialect[] {
  return ctx.facts.get(LOADED, () => []);
}

/** The dialect named, when the caller passed it. */
export function dialect(ctx: ConvertContext, name: DialectName): Dialect | undefined {
  return dialects(ctx).find((d) => d.name === name);
}
