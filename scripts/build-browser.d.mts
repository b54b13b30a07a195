/** Types of scripts/build-browser.mjs (for the tests that import it). */
export function recompress(code: string, map?: string): Promise<{ code: string; map?: string }>;
export function esbuildOptions(entry: string): Record<string, unknown>;
export function bundleBrowser(options?: {
  entry?: string;
}): Promise<{ code: string; gzip: number; esbuild: { raw: number; gzip: number } }>;
