/**
 * `compose2k8s/modes`: the output modes an option asks for beyond the default conversion, as modules a page passes
 * to the lean entry's `convert` (the Node entry and the CLI have them all): `--pod-security restricted` and
 * `--ingress gateway`. Asked for without its mode, an option is a `mode-not-loaded` error and the pods get the
 * default conversion.
 *
 *   import { MODES } from 'compose2k8s/modes';
 *   convert({ files, options: { podSecurity: 'restricted' }, modes: MODES });
 */
export { MODES, podSecurityRestricted, gateway } from './convert/modes.js';
export type { OutputMode, ModeName } from './convert/output-modes.js';
