/**
 * Share links: the page state as JSON, deflate-compressed with CompressionStream and base64url
 * encoded into the URL fragment (`#s=...`). The fragment is never sent to a server.
 */
import type { State } from './protocol.js';

async function pump(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function encodeState(state: State): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return 's=' + toBase64Url(await pump(json, new CompressionStream('deflate')));
}

/** The state in a fragment made by encodeState, or undefined when there is none or it is damaged. */
export async function decodeState(fragment: string): Promise<State | undefined> {
  const m = /^#?s=([A-Za-z0-9_-]+)$/.exec(fragment);
  if (!m) return undefined;
  try {
    const json = await pump(fromBase64Url(m[1]!), new DecompressionStream('deflate'));
    const s = JSON.parse(new TextDecoder().decode(json)) as State;
    if (!Array.isArray(s.files) || s.files.some((f) => typeof f.name !== 'string' || typeof f.content !== 'string'))
      return undefined;
    return { ...s, env: typeof s.env === 'string' ? s.env : '', options: s.options ?? {} };
  } catch {
    return undefined;
  }
}
