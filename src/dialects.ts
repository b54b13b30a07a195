/**
 * `compose2k8s/dialects`: the inputs beyond the Compose Spec as modules a page passes to the lean entry's
 * `convert` (the Node entry and the CLI read all of them): kompose labels, `x-k8s`, Traefik / Docker helper
 * labels, ofelia job labels, a built service's Dockerfile. Without one, what it would read is reported as
 * `report.dialect-not-loaded`.
 *
 *   import { DIALECTS } from 'compose2k8s/dialects';
 *   convert({ files, dialects: DIALECTS });
 */
export { DIALECTS, kompose, xk8s, dockerLabels, ofelia, dockerfile } from './convert/dialects.js';
export type { Dialect, DialectName } from './convert/intent/dialect.js';
