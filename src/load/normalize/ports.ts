/**
 * `ports` and `expose`: short syntax (`[IP:][HOST:]CONTAINER[/PROTO]`, ranges) and long syntax →
 * ServicePort[] (one entry per container port, as docker's nat.ParsePortSpec expands them).
 */
import type { ExposedPort, ServicePort } from '../../model/types.js';
import type { RawPort } from '../../model/schema.js';
import type { DiagnosticId } from '../../report/diagnostic.js';
import type { MessageValues } from '../../report/template.js';
import { type Ctx, type Path, toInt, where } from './context.js';

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

interface Range {
  start: number;
  end: number;
}

function parseRange(s: string, allowZero: boolean): Range | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  const min = allowZero ? 0 : 1;
  if (start < min || end > 65535 || end < start) return undefined;
  return { start, end };
}

function splitProto(spec: string): [string, string] {
  const i = spec.lastIndexOf('/');
  return i < 0 ? [spec, 'tcp'] : [spec.slice(0, i), spec.slice(i + 1).toLowerCase()];
}

/** Why a short-syntax port is invalid: its `invalid-port` wording (mappings/diagnostics.yaml) and values. */
export interface PortSpecError {
  id: DiagnosticId;
  values: MessageValues;
}

/** Short syntax → ports, or why not. */
export function parsePortSpec(spec: string): ServicePort[] | PortSpecError {
  const [rest, protocol] = splitProto(spec.trim());
  if (!PROTOCOLS.has(protocol)) return { id: 'invalid-port.spec-protocol', values: { protocol } };
  const parts = rest.split(':');
  const n = parts.length;
  const container = parts[n - 1]!;
  const host = n >= 2 ? parts[n - 2]! : '';
  let ip = n >= 3 ? parts.slice(0, n - 2).join(':') : '';
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip !== '' && !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) && !/^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$/.test(ip)) {
    return { id: 'invalid-port.ip', values: { ip } };
  }
  const c = parseRange(container, false);
  if (!c) return { id: 'invalid-port.container', values: { container } };
  const h = host === '' ? undefined : parseRange(host, true);
  if (host !== '' && !h) return { id: 'invalid-port.host', values: { host } };
  const count = c.end - c.start;
  if (h && h.end - h.start !== count && count !== 0) {
    return { id: 'invalid-port.range-lengths', values: { host, container } };
  }
  const out: ServicePort[] = [];
  for (let i = 0; i <= count; i++) {
    const p: ServicePort = { target: c.start + i, protocol: protocol as ServicePort['protocol'], mode: 'ingress' };
    if (h) p.published = count === 0 && h.end !== h.start ? `${h.start}-${h.end}` : String(h.start + i);
    if (ip) p.host_ip = ip;
    out.push(p);
  }
  return out;
}

export function toPorts(ctx: Ctx, raw: RawPort[] | undefined, path: Path): ServicePort[] {
  const out: ServicePort[] = [];
  (raw ?? []).forEach((entry, i) => {
    const at = [...path, i];
    if (typeof entry === 'number' || typeof entry === 'string') {
      const r = parsePortSpec(String(entry));
      if (Array.isArray(r)) out.push(...r);
      else ctx.errorAt(r.id, at, { ...r.values, entry });
      return;
    }
    const target = toInt(ctx, entry.target, [...at, 'target']);
    if (entry.target === undefined) ctx.errorAt('invalid-port.target', at);
    if (target === undefined) return;
    if (target < 1 || target > 65535) {
      ctx.error('invalid-port.target-range', { where: where(at), target }, [...at, 'target']);
      return;
    }
    const protocol = (entry.protocol ?? 'tcp').toLowerCase();
    if (!PROTOCOLS.has(protocol)) {
      ctx.error('invalid-port.protocol', { where: where(at), protocol: String(entry.protocol) }, [...at, 'protocol']);
      return;
    }
    const mode = entry.mode ?? 'ingress';
    if (mode !== 'ingress' && mode !== 'host') {
      ctx.error('invalid-port.mode', { where: where(at) }, [...at, 'mode']);
      return;
    }
    const p: ServicePort = { target, protocol: protocol as ServicePort['protocol'], mode };
    const published = entry.published === undefined ? '' : String(entry.published);
    if (published !== '' && !parseRange(published, true)) {
      ctx.error('invalid-port.published', { where: where(at), published }, [...at, 'published']);
      return;
    }
    if (published !== '') p.published = published;
    if (entry.host_ip) p.host_ip = entry.host_ip;
    if (entry.name) p.name = entry.name;
    if (entry.app_protocol) p.app_protocol = entry.app_protocol;
    out.push(p);
  });
  return out;
}

/** `expose` entries, typed, ranges expanded (`"8000-8002/udp"` → three entries). */
export function toExpose(ctx: Ctx, raw: Array<string | number> | undefined, path: Path): ExposedPort[] {
  const out: ExposedPort[] = [];
  (raw ?? []).forEach((entry, i) => {
    const s = String(entry).trim();
    const slash = s.indexOf('/');
    const suffix = slash < 0 ? '' : s.slice(slash);
    const r = parseRange(slash < 0 ? s : s.slice(0, slash), false);
    if (!r || (suffix && !PROTOCOLS.has(suffix.slice(1).toLowerCase()))) {
      ctx.errorAt('invalid-port.expose', [...path, i], { value: s });
      return;
    }
    const protocol = (suffix ? suffix.slice(1).toLowerCase() : 'tcp') as ExposedPort['protocol'];
    for (let p = r.start; p <= r.end; p++) out.push({ target: p, protocol });
  });
  return out;
}
