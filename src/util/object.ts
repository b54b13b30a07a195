/** A mapping: an object that is neither null nor an array (the one test the core makes for "is a map"). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
