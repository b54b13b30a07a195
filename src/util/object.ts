/** A mapping: an object that is neither null nor an array (the one test the core makes for "is a map"). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `v` when it is a mapping, else undefined. */
export function asMap(v: unknown): Record<string, unknown> | undefined {
  return isMap(v) ? v : undefined;
}

/** The mappings among the items of `v` when it is a list; none when it is not. */
export function mapsIn(v: unknown): Array<Record<string, unknown>> {
  return Array.isArray(v) ? v.filter(isMap) : [];
}
