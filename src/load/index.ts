/** The loader's public surface. */
export type { InlineFile, LoadOptions, LoadResult } from './api.js';
export type { FileSystem } from './fs.js';
export { memoryFs } from './fs.js';
export { loadProject } from './project.js';
export { mergeModels, mergeService } from './merge.js';
export { discoverComposeFiles, DEFAULT_FILE_NAMES, DEFAULT_OVERRIDE_FILE_NAMES } from './discover.js';
export { normalizeProjectName, resolveProjectName } from './project-name.js';
export { activeProfiles, isEnabled } from './profiles.js';
