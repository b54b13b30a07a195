/**
 * Output modes: what an option asks for beyond the default conversion (`--pod-security restricted`, `--ingress
 * gateway`), as modules the caller passes (`compose2k8s/modes`, src/modes.ts), so the lean browser entry carries
 * only the default conversion. The Node entry and the CLI pass every mode (convert/modes.ts lists them). An option
 * whose mode was not passed is an error diagnostic (`mode-not-loaded`) and takes its default value, so the whole
 * conversion is the default one: nothing is left out silently.
 */
import type { ConvertContext } from './context.js';
import { FactKey } from './facts.js';
import type { PodPlan } from './plan/pod.js';
import { defaultOptions } from './intent/options.js';
import type { Outcome } from '../mappings/outcomes.js';
import type { Values } from './book.js';

export type ModeName = 'pod-security-restricted' | 'gateway';

export interface OutputMode {
  readonly name: ModeName;
  /** Its step on each pod, once the pod's containers (restricted) or Services (gateway) exist. */
  pod(ctx: ConvertContext, plan: PodPlan): void;
  /**
   * The outcomes only output modes report (mappings `module: modes`, MODE_OUTCOMES), which the core's table leaves
   * out: a conversion given the mode learns them (useModes).
   */
  readonly outcomes?: readonly Outcome[];
  /**
   * Who sends the traffic of the routes this mode made, for the NetworkPolicies that admit it (objects/netpol.ts);
   * without it, the ingress controller sends that of the Ingresses.
   */
  routedPeer?(ctx: ConvertContext): RoutedPeer;
}

/** The sender of routed traffic (OutputMode.routedPeer) and the Service ports it goes to. */
export interface RoutedPeer {
  /** The admitting policy's name: `<service>-from-<suffix>`. */
  suffix: 'ingress' | 'gateway';
  /** The sender's namespace, when known (unknown: any namespace). */
  namespace?: string;
  /** The values of ports.policy-from-gateway's peers and assumptions. */
  values: Values;
  /** The routes' backends: Service name and port, by number or name. */
  backends: Array<readonly [service: string, port: number | string]>;
}

/** The option and value that ask for each mode. */
const ASKED_BY: Readonly<Record<ModeName, { option: 'podSecurity' | 'ingress'; value: string }>> = {
  'pod-security-restricted': { option: 'podSecurity', value: 'restricted' },
  gateway: { option: 'ingress', value: 'gateway' },
};

/** The output modes the caller passed (useModes), set once when the conversion starts. */
const LOADED = new FactKey<readonly OutputMode[]>();

/** Record the modes of this conversion (once, before the intent is read). */
export function useModes(ctx: ConvertContext, modes: readonly OutputMode[]): void {
  ctx.facts.get(LOADED, () => modes);
  for (const m of modes) if (m.outcomes) ctx.book.learn(m.outcomes);
}

/** The mode `name` when the options ask for it and it was passed; undefined otherwise. */
export function askedMode(ctx: ConvertContext, name: ModeName): OutputMode | undefined {
  const { option, value } = ASKED_BY[name];
  if (ctx.options[option] !== value) return undefined;
  return ctx.facts.get(LOADED, () => []).find((m) => m.name === name);
}

/**
 * Once the options are final: one `mode-not-loaded` error per mode they ask for and the caller did not pass, and the
 * option back to its default.
 */
export function checkModes(ctx: ConvertContext): void {
  const loaded = ctx.facts.get(LOADED, () => []);
  const defaults = defaultOptions();
  for (const [name, { option, value }] of Object.entries(ASKED_BY)) {
    if (ctx.options[option] !== value || loaded.some((m) => m.name === name)) continue;
    ctx.diags.error('mode-not-loaded', { option, value, mode: name });
    Object.assign(ctx.options, { [option]: defaults[option] });
  }
}
