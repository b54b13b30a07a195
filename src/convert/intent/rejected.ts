/**
 * Settings the intent phase rejected (kompose labels, `x-k8s` blocks), by service and path, with the reason: the
 * finish phase reports them as ignored (finish/override-entries.ts) without reading diagnostics back. Paths:
 * `labels.<label>` for a service label, `x-k8s` for a service's block; top level: `volumes.<name>.labels.<label>`,
 * `volumes.<name>.x-k8s`, `x-k8s`. Dialect code: only the kompose and x-k8s readers reject settings.
 */
import type { ConvertContext } from '../context.js';
import { FactKey } from '../facts.js';

export interface Rejected {
  reason: string;
  hint?: string;
}

/** The rejected settings of this conversion, by service and path (`service\0path`). */
const REJECTED = new FactKey<Map<string, Rejected>>();

const rejectedOf = (ctx: ConvertContext): Map<string, Rejected> => ctx.facts.get(REJECTED, () => new Map());

/** Record a rejected setting, the first reason for it (the caller also reports the located diagnostic). */
export function rejectSetting(
  ctx: ConvertContext,
  service: string | undefined,
  path: string,
  reason: string,
  hint?: string,
): void {
  const all = rejectedOf(ctx);
  const k = `${service ?? ''}\0${path}`;
  if (!all.has(k)) all.set(k, { reason, ...(hint ? { hint } : {}) });
}

/** Why the setting at `path` of `service` (undefined: top level) was rejected, if it was. */
export function rejectedSetting(ctx: ConvertContext, service: string | undefined, path: string): Rejected | undefined {
  return rejectedOf(ctx).get(`${service ?? ''}\0${path}`);
}
