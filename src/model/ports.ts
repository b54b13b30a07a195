import type { Service } from './types.js';

/** A port the service's containers listen on, with the name a long-syntax `ports` entry gave it. */
export interface PortPair {
  target: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  name?: string;
}

/**
 * The one rule for "the ports a service declares": `ports` targets, then `expose`, each distinct
 * (target, protocol) once, in order of first appearance, invalid numbers left out.
 */
export function portPairs(svc: Pick<Service, 'ports' | 'expose'>): PortPair[] {
  const out: PortPair[] = [];
  const seen = new Set<string>();
  const add = (target: number, protocol: PortPair['protocol'], name?: string): void => {
    if (!(Number.isInteger(target) && target >= 1 && target <= 65535)) return;
    const key = `${target}/${protocol}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ target, protocol, ...(name ? { name } : {}) });
  };
  for (const p of svc.ports) add(p.target, p.protocol, p.name);
  for (const e of svc.expose) add(e.target, e.protocol);
  return out;
}

/** The declared TCP ports, in order (ports, then expose). */
export function declaredTcpTargets(svc: Pick<Service, 'ports' | 'expose'>): number[] {
  return portPairs(svc)
    .filter((p) => p.protocol === 'tcp')
    .map((p) => p.target);
}

/** `expose` as a compose user writes it (`3000`, `53/udp`), for messages. */
export function exposeText(svc: Pick<Service, 'expose'>): string {
  return svc.expose.map((e) => (e.protocol === 'tcp' ? `${e.target}` : `${e.target}/${e.protocol}`)).join(', ');
}
