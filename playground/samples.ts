/** The samples/ projects, embedded at build time by build.mjs (path relative to the sample → text). */
declare const __SAMPLES__: Record<string, Record<string, string>>;

export const SAMPLES: Readonly<Record<string, Readonly<Record<string, string>>>> = __SAMPLES__;
