/** JSON data: deep equality and JSON 6902 (JSON Patch) operations between two values. */
/** One JSON 6902 operation. */
export type PatchOp = { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep equality of JSON data. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

const escape = (seg: string | number): string => String(seg).replace(/~/g, '~0').replace(/\//g, '~1');

/** The operations that turn `a` into `b` (JSON pointers from `path`). */
export function diffJson(a: unknown, b: unknown, path = ''): PatchOp[] {
  if (jsonEqual(a, b)) return [];
  if (isMap(a) && isMap(b)) {
    const ops: PatchOp[] = [];
    for (const k of Object.keys(a)) if (!(k in b)) ops.push({ op: 'remove', path: `${path}/${escape(k)}` });
    for (const [k, v] of Object.entries(b)) {
      const p = `${path}/${escape(k)}`;
      if (!(k in a)) ops.push({ op: 'add', path: p, value: v });
      else ops.push(...diffJson(a[k], v, p));
    }
    return ops;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length)
    return a.flatMap((x, i) => diffJson(x, b[i], `${path}/${i}`));
  return [{ op: 'replace', path, value: b }];
}
