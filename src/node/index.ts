/**
 * Node-only helpers (`import { nodeFs } from 'compose2k8s/node'`): the file system adapter over
 * node:fs and the atomic directory writer the CLI uses. The main entry stays browser-safe.
 */
export { nodeFs } from './fs.js';
export { writeDirAtomic } from './write.js';
