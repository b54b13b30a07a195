import type { Service } from './types.js';

/**
 * The words a service's container runs as its compose file gives them: its `entrypoint`, then its `command` (either
 * may be absent or reset; the image's own ENTRYPOINT and CMD are not known here). The one place the rules that read a
 * service's command line (installs, listeners, one-shots, helpers) take it from.
 */
export function commandWords(svc: Pick<Service, 'entrypoint' | 'command'>): string[] {
  return [...(svc.entrypoint ?? []), ...(svc.command ?? [])];
}
