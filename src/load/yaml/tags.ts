/**
 * Compose-specific YAML tags, as values in the parsed (pre-merge) tree:
 * - `!reset` → the RESET marker: when merging, the key is removed from the result (whatever value was written).
 * - `!override` → an `Override` wrapper: when merging, the value replaces the base value instead of merging with it.
 * The merge stage removes both, so nothing downstream of src/load/files/merge.ts sees them.
 */
export const RESET: unique symbol = Symbol.for('compose2k8s.reset');
export type Reset = typeof RESET;

export class Override {
  constructor(readonly value: unknown) {}
}

export function isReset(v: unknown): v is Reset {
  return v === RESET;
}
