/**
 * User intent beyond the Compose Spec, read from one place: the dialects the caller passed (intent/dialect.ts) —
 * kompose labels (`kompose.*` on a service, its `deploy.labels` or a top-level volume), the `x-k8s` extension
 * (service, volume and top level), Traefik router labels — each read into the same override shape.
 * Converter modules ask `serviceOverrides` / `volumeOverrides` / `projectOverrides` instead of parsing
 * labels themselves. Precedence: `x-k8s` > kompose label > Traefik labels > conversion options (an absent field
 * means "use the option / the compose-derived default").
 *
 * Invalid values are reported once per conversion (`x-k8s-invalid`, `kompose-label-invalid`) at the
 * position of the label or extension key, and left out of the result.
 */
import type { Service } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import { OPTIONS, type ConvertOptions } from './options.js';
import { DIALECT_ORDER, dialect, dialects, type Dialect } from './dialect.js';

export type { ControllerKind } from '../../kube/workloads.js';
export type * from './overrides-types.js';
import type { ServiceOverrides, VolumeOverrides, ProjectOverrides } from './overrides-types.js';
import { FactKey } from '../facts.js';

interface Cache {
  services: Map<string, ServiceOverrides>;
  volumes: Map<string, VolumeOverrides>;
  project?: ProjectOverrides;
}

/** The overrides read so far in this conversion (each read and validated once). */
const OVERRIDES = new FactKey<Cache>();

function cache(ctx: ConvertContext): Cache {
  return ctx.facts.get(OVERRIDES, () => ({ services: new Map(), volumes: new Map() }));
}

/** `start` with the layer of each dialect passed over it, in DIALECT_ORDER (a dialect may have no such layer). */
function layered<T>(ctx: ConvertContext, start: T, layer: (d: Dialect, below: T) => T | undefined): T {
  let o = start;
  for (const name of DIALECT_ORDER) {
    const d = dialect(ctx, name);
    if (d) o = layer(d, o) ?? o;
  }
  return o;
}

/** The overrides of one service (memoized per conversion; diagnostics are reported once). */
export function serviceOverrides(ctx: ConvertContext, svc: Service | string): ServiceOverrides {
  const s = typeof svc === 'string' ? ctx.project.services[svc] : svc;
  if (!s) return {};
  const c = cache(ctx);
  let o = c.services.get(s.name);
  if (!o) {
    // Each dialect's layer over the ones below (override-layers.ts); Traefik router labels are the lowest layer
    // of the ingress: hosts and paths unless kompose/x-k8s set their own.
    o = layered(ctx, {}, (d, below) => d.service?.(ctx, s, below));
    const traefik = dialects(ctx).find((d) => d.ingress);
    if (traefik) o = traefik.ingress!(ctx, s, o);
    c.services.set(s.name, o);
  }
  return o;
}

/** Settings of a top-level volume (its labels and `x-k8s`), memoized. */
export function volumeOverrides(ctx: ConvertContext, volumeName: string): VolumeOverrides {
  const c = cache(ctx);
  let o = c.volumes.get(volumeName);
  if (!o) {
    const vol = ctx.project.volumes[volumeName];
    o = vol ? layered(ctx, {}, (d, below) => d.volume?.(ctx, volumeName, vol, below)) : {};
    c.volumes.set(volumeName, o);
  }
  return o;
}

/** Project-wide settings from the top-level `x-k8s`, memoized. */
export function projectOverrides(ctx: ConvertContext): ProjectOverrides {
  const c = cache(ctx);
  c.project ??= layered(ctx, {}, (d, below) => d.project?.(ctx, below));
  return c.project;
}

/**
 * The intent phase: read (and so validate) every override of the project once, up front, so every bad
 * setting gets its located diagnostic even when no later step asks about it (an unmounted volume's x-k8s).
 */
export function readIntent(ctx: ConvertContext): void {
  projectOverrides(ctx);
  for (const name of Object.keys(ctx.project.volumes)) volumeOverrides(ctx, name);
  for (const svc of Object.values(ctx.project.services)) serviceOverrides(ctx, svc);
}

/**
 * The conversion options in force: for each option of OPTIONS, the caller's value (CLI flag, library option) if
 * it set one, else the top-level `x-k8s` value, else the default.
 */
export function effectiveOptions(ctx: ConvertContext): ConvertOptions {
  const fromXk8s: Record<string, unknown> = projectOverrides(ctx).options ?? {};
  const o: Record<string, unknown> = { ...ctx.options };
  for (const spec of OPTIONS) {
    const v = fromXk8s[spec.name];
    if (v !== undefined && !ctx.explicit.has(spec.name)) o[spec.name] = v;
  }
  return o as unknown as ConvertOptions;
}

export interface ClaimSettings {
  size: string;
  storageClass?: string;
  selector?: string;
}

/**
 * Size, class and selector of the claim for `volumeName` (absent for an anonymous volume), as used by `svc`: volume
 * settings > service settings > the options in force (flag > top-level `x-k8s.storage` > default). Its access mode
 * is storage/claims.ts declaredAccessMode's.
 */
export function claimSettings(
  ctx: ConvertContext,
  volumeName: string | undefined,
  svc?: Service | string,
): ClaimSettings {
  const v = volumeName !== undefined ? volumeOverrides(ctx, volumeName) : {};
  const s = svc !== undefined ? (serviceOverrides(ctx, svc).volumes ?? {}) : {};
  const opts = effectiveOptions(ctx);
  const storageClass = v.storageClass ?? s.storageClass ?? opts.storageClass;
  return {
    size: v.size ?? s.size ?? opts.volumeSize,
    ...(storageClass !== undefined ? { storageClass } : {}),
    ...(v.selector !== undefined ? { selector: v.selector } : {}),
  };
}
