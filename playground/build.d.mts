// Types of playground/build.mjs, for the tests that import it.
import type { BuildResult, Plugin } from 'esbuild';

export const noNodeBuiltins: Plugin;
export function readSamples(dir?: string): Record<string, Record<string, string>>;
export function buildPlayground(opts?: { outdir?: string; entry?: string; minify?: boolean }): Promise<BuildResult>;
