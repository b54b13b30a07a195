/**
 * The one definition of IP address literals (v4 and v6): whether a string is one (dns, extra_hosts) and
 * which ones free text holds (env values, config files, arguments), for the hard-coded-IP pitfall. Loopback and wildcard addresses (0.0.0.0, 127.0.0.0/8, ::, ::1), netmasks and CIDR
 * ranges (`10.0.0.0/8`: a range, not a peer that moves) are not flagged; neither are dotted
 * version numbers glued to a word (`v1.2.3.4`).
 */

const IPV4 = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\d|\.\d|\/\d)/g;
const IPV6_CANDIDATE = /(?<![\w:.])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?![\w:.]|\/\d)/g;

function validV4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** An IPv4 or IPv6 address literal (what dnsConfig.nameservers and hostAliases accept). */
export function isIpAddress(s: string): boolean {
  return validV4(s) || isIPv6(s);
}

/** True for a syntactically valid IPv6 address (full, `::`-compressed, or with an IPv4 tail). */
export function isIPv6(s: string): boolean {
  let groups = 0;
  let body = s;
  const tail = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (tail) {
    if (!validV4(tail[2]!)) return false;
    body = tail[1]!.endsWith('::') ? tail[1]! : tail[1]!.slice(0, -1);
    groups = 2;
  }
  if (body.includes('.')) return false;
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const all = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  groups += all.length;
  return halves.length === 2 ? groups < 8 : groups === 8;
}

/** IPv4 and IPv6 literals in `text` worth flagging, in order of appearance, each once. */
export function ipLiterals(text: string): string[] {
  const found: Array<[index: number, ip: string]> = [];
  const v6Spans: Array<[number, number]> = [];
  for (const m of text.matchAll(IPV6_CANDIDATE)) {
    const ip = m[0];
    if (!isIPv6(ip)) continue;
    v6Spans.push([m.index, m.index + ip.length]);
    if (ip !== '::' && ip !== '::1') found.push([m.index, ip]);
  }
  for (const m of text.matchAll(IPV4)) {
    const ip = m[0];
    if (!validV4(ip) || v6Spans.some(([a, b]) => m.index >= a && m.index < b)) continue;
    const first = Number(m[1]);
    if (ip === '0.0.0.0' || first === 127 || first === 255) continue;
    found.push([m.index, ip]);
  }
  return [...new Set(found.sort((a, b) => a[0] - b[0]).map(([, ip]) => ip))];
}

/**
 * Docker's embedded DNS server, which containers on a user-defined network query (nginx `resolver 127.0.0.11`). A
 * pod has no such server: cluster DNS is the kube-dns Service, whose address differs per cluster.
 */
export const DOCKER_DNS = '127.0.0.11';

/** Does `text` name Docker's embedded DNS server (as an address, not inside a longer one)? */
export function usesDockerDns(text: string): boolean {
  return /(?<![\d.])127\.0\.0\.11(?![\d])/.test(text);
}

/** An address as a number (IPv4: 32 bits, IPv6: 128), or undefined when `s` is not an address literal. */
function addressBits(s: string): { bits: bigint; width: number } | undefined {
  if (validV4(s)) return { bits: s.split('.').reduce((n, p) => (n << 8n) | BigInt(p), 0n), width: 32 };
  if (!isIPv6(s)) return undefined;
  const tail = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  const v4 = tail ? addressBits(tail[2]!)!.bits : undefined;
  const body = tail ? (tail[1]!.endsWith('::') ? tail[1]! : tail[1]!.slice(0, -1)) : s;
  const [head, rest] = body.split('::') as [string, string | undefined];
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const wanted = (tail ? 6 : 8) - groups(head).length - groups(rest ?? '').length;
  const all = [...groups(head), ...(rest === undefined ? [] : Array<string>(wanted).fill('0')), ...groups(rest ?? '')];
  let bits = all.slice(0, tail ? 6 : 8).reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (v4 !== undefined) bits = (bits << 32n) | v4;
  return { bits, width: 128 };
}

/** Is address `ip` inside `cidr` (`172.20.0.0/24`, `fd00::/64`)? False for anything that is not both. */
export function inSubnet(ip: string, cidr: string): boolean {
  const [base, len] = cidr.split('/') as [string, string | undefined];
  const a = addressBits(ip);
  const b = addressBits(base);
  const prefix = len === undefined ? undefined : Number(len);
  if (!a || !b || a.width !== b.width || prefix === undefined || !Number.isInteger(prefix)) return false;
  if (prefix < 0 || prefix > a.width) return false;
  const shift = BigInt(a.width - prefix);
  return a.bits >> shift === b.bits >> shift;
}
