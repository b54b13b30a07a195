/** Standard base64 (RFC 4648, with padding) of bytes, as Kubernetes `binaryData` and Secret `data` hold them. */
export function base64(bytes: Uint8Array): string {
  // btoa (browsers, Node ≥ 16) encodes a string of one character per byte, made a chunk at a time: one call with
  // every byte of a large file as an argument would overflow the stack.
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** Bytes per String.fromCharCode call. */
const CHUNK = 0x8000;
