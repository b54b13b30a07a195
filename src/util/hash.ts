/** Non-cryptographic string hashes: stable across runs and platforms, no `node:` module needed. */

/** FNV-1a 32-bit of the UTF-16 code units of `s`, from offset basis `basis`. */
export function fnv1a32(s: string, basis = 0x811c9dc5): number {
  let h = basis;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A 64-bit digest of `s` as 16 hex characters: two FNV-1a lanes from different offset bases. For telling contents
 * apart (a changed config), not for security: never a stand-in for a secret.
 */
export function contentHash(s: string): string {
  const hex = (n: number): string => n.toString(16).padStart(8, '0');
  return hex(fnv1a32(s)) + hex(fnv1a32(s, 0x050c5d1f));
}
