/**
 * Profiles (compose-spec 15-profiles.md): a service with `profiles` is enabled only when one of them
 * is active (`*` activates all); services without profiles are always enabled. Active profiles are the
 * `--profile` flags, or `COMPOSE_PROFILES` (comma-separated) when no flag is given (compose-go
 * `WithDefaultProfiles`). An enabled service that references a disabled one (depends_on, links,
 * volumes_from, network_mode/ipc/pid service:) makes the model invalid: the spec says Compose returns an error.
 */
import type { SourcePositions } from '../../model/positions.js';
import type { Service } from '../../model/types.js';
import type { Diagnostics } from '../../report/diagnostic.js';
import { pointer } from '../../model/pointer.js';
import { mentionedServices } from '../../model/mentions.js';

export function activeProfiles(flags: string[] | undefined, env: Record<string, string>): string[] {
  const fromFlags = (flags ?? [])
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
  if (fromFlags.length > 0) return fromFlags;
  return (env.COMPOSE_PROFILES ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

export function isEnabled(svc: Pick<Service, 'profiles'>, active: string[]): boolean {
  const own = svc.profiles ?? [];
  if (own.length === 0) return true;
  if (active.includes('*')) return true;
  return own.some((p) => active.includes(p));
}

/** Services an enabled service needs, each with the pointer of the reference (`all`: optional depends_on too). */
function references(svc: Service, raw: unknown, all = false): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  // depends_on written as a list is keyed by index in the positions.
  const rawDeps = (raw as { depends_on?: unknown } | undefined)?.depends_on;
  for (const [dep, d] of Object.entries(svc.depends_on ?? {})) {
    const i = Array.isArray(rawDeps) ? rawDeps.indexOf(dep) : -1;
    if (all || d.required !== false) out.push([dep, pointer('services', svc.name, 'depends_on', i >= 0 ? i : dep)]);
  }
  for (const [target, ...seg] of mentionedServices(svc)) out.push([target, pointer('services', svc.name, ...seg)]);
  return out;
}

export interface ProfileSplit {
  enabled: Record<string, Service>;
  disabled: Record<string, string[]>;
}

export function applyProfiles(
  services: Record<string, Service>,
  active: string[],
  sources: SourcePositions,
  diags: Diagnostics,
  /** The merged raw `services` mapping (to find list-form references' positions). */
  rawServices: Record<string, unknown> = {},
): ProfileSplit {
  const enabled: Record<string, Service> = {};
  const disabled: Record<string, string[]> = {};
  for (const [name, svc] of Object.entries(services)) {
    if (isEnabled(svc, active)) enabled[name] = svc;
    else disabled[name] = svc.profiles ?? [];
  }
  for (const svc of Object.values(enabled)) {
    for (const [target, ptr] of references(svc, rawServices[svc.name])) {
      const profiles = disabled[target];
      if (!profiles) continue;
      diags.error(
        'profile-disabled-dependency',
        {
          service: JSON.stringify(svc.name),
          target: JSON.stringify(target),
          profiles: profiles.join(', '),
          profile: profiles[0]!,
        },
        sources.atPointer(ptr),
      );
    }
  }
  checkCycles(enabled, rawServices, sources, diags);
  return { enabled, disabled };
}

/**
 * compose-go (graph.CheckCycle, run by loader checkConsistency on the enabled services) rejects a
 * dependency cycle; depends_on, links, volumes_from and network_mode `service:` all count, as its
 * normalization folds them into depends_on. One error per back edge, at the reference closing the cycle.
 */
function checkCycles(
  enabled: Record<string, Service>,
  rawServices: Record<string, unknown>,
  sources: SourcePositions,
  diags: Diagnostics,
): void {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'active');
    stack.push(name);
    const svc = enabled[name]!;
    for (const [target, ptr] of references(svc, rawServices[name], true)) {
      if (!enabled[target]) continue;
      const st = state.get(target);
      if (st === 'active') {
        const cycle = [...stack.slice(stack.indexOf(target)), target].join(' -> ');
        diags.error('dependency-cycle', { cycle }, sources.atPointer(ptr));
      } else if (st === undefined) {
        visit(target);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(enabled)) if (!state.has(name)) visit(name);
}
