/**
 * Pointers name a place in a compose document: segments joined by `/`, with `~` → `~0` and
 * `/` → `~1` (JSON Pointer escaping, without the leading slash). `pointer('services','web','ports',0)`
 * is `services/web/ports/0`. They key a parsed YAML document's positions; `Project.sources` is a tree looked up
 * by segments (src/model/positions.ts) that still accepts them.
 */
export type Segment = string | number;

/**
 * Where the text of an interpolated value came from, piece by piece: `name` when the piece is the value of that
 * variable (`${DB_PASS}`, `$DB_PASS`, `${DB_PASS:-x}` with DB_PASS set), else literal compose text (a default, the
 * text around the references). Joined, the pieces are the value.
 */
export interface InterpolatedPart {
  text: string;
  name?: string;
}

/** The key of `Project.interpolated`: a value's source position (`file:line:col`). */
export function positionKey(pos: { file: string; line: number; col: number }): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/** One segment, escaped; most have nothing to escape and are returned as they are (no regular expression run). */
function escapeSegment(seg: Segment): string {
  const s = typeof seg === 'number' ? String(seg) : seg;
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

export function pointer(...segs: Segment[]): string {
  let out = '';
  for (let i = 0; i < segs.length; i++) out += (i ? '/' : '') + escapeSegment(segs[i]!);
  return out;
}

/** The closest recorded position for `ptr`: itself, else its nearest ancestor. */
export function lookupPos<T>(sources: ReadonlyMap<string, T>, ptr: string): T | undefined {
  let p = ptr;
  for (;;) {
    const hit = sources.get(p);
    if (hit !== undefined) return hit;
    const i = p.lastIndexOf('/');
    if (i < 0) return p === '' ? undefined : sources.get('');
    p = p.slice(0, i);
  }
}
