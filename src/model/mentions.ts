import type { Segment } from './pointer.js';

/**
 * The services a service names besides `depends_on`, as compose-go's GetDependencies reads them: `links` and
 * `volumes_from` entries (`NAME[:...]`, but not `container:NAME`), and `network_mode` / `ipc` / `pid` set to
 * `service:NAME`. Each with the key (and list index) that names it, for its position.
 */
export function mentionedServices(svc: {
  links?: readonly string[] | undefined;
  volumes_from?: readonly string[] | undefined;
  network_mode?: string | undefined;
  ipc?: string | undefined;
  pid?: string | null | undefined;
}): Array<[name: string, ...at: Segment[]]> {
  const out: Array<[string, ...Segment[]]> = [];
  for (const key of ['links', 'volumes_from'] as const)
    svc[key]?.forEach((entry, i) => {
      if (!entry.startsWith('container:')) out.push([entry.split(':')[0]!, key, i]);
    });
  for (const key of ['network_mode', 'ipc', 'pid'] as const) {
    const mode = svc[key];
    if (mode?.startsWith('service:')) out.push([mode.slice('service:'.length), key]);
  }
  return out;
}
