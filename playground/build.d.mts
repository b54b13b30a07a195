// Types of playground/build.mjs, for the tests that import it.
import type { BuildResult, Plugin } from 'esbuild';

export const noNodeBuiltins: Plugin;
export function buildPlayground(opts?: { entry?: string; outfile?: string; minify?: boolean }): Promise<BuildResult>;
