import type { ServiceVolume } from './types.js';
import type { VolumeConfig } from './types-top.js';

/**
 * A named volume that is a bind mount in disguise: the `local` driver (Docker's default) with `driver_opts`
 * `o: bind` (or `rbind`, among other mount options) mounts the host path `device` itself, so its data is the
 * host's files, not a fresh volume's. The device (made absolute by the loader, as compose-go does for `o: bind`),
 * and whether `o` says `ro`; undefined for any other volume.
 */
export function bindDevice(def: VolumeConfig | undefined): { device: string; readOnly: boolean } | undefined {
  if (!def || def.external || (def.driver !== undefined && def.driver !== 'local')) return undefined;
  const opts = def.driver_opts ?? {};
  const o = (opts.o ?? '').split(',').map((s) => s.trim());
  const device = opts.device;
  if (!device?.startsWith('/') || !o.some((s) => s === 'bind' || s === 'rbind')) return undefined;
  return { device, readOnly: o.includes('ro') };
}

/** The host path mount `w` binds (a bind mount's source, or a bound volume's device) and whether read-only. */
export function boundPath(
  w: ServiceVolume,
  volumes: Readonly<Record<string, VolumeConfig>>,
): { path: string; readOnly: boolean } | undefined {
  if (w.type === 'bind' && w.source) return { path: w.source, readOnly: !!w.read_only };
  const dev = w.type === 'volume' && w.source ? bindDevice(volumes[w.source]) : undefined;
  return dev ? { path: dev.device, readOnly: !!w.read_only || dev.readOnly } : undefined;
}
