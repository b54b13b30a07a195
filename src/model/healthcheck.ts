import type { Healthcheck } from './types.js';

/**
 * The one rule for "this healthcheck is switched off": `disable: true`, or a test of `["NONE"]` (compose-spec
 * 05-services.md#healthcheck). A healthcheck without a test is not off: it keeps the image's HEALTHCHECK.
 */
export function healthcheckDisabled(hc: Healthcheck | undefined): boolean {
  return hc !== undefined && (hc.disable === true || hc.test?.[0] === 'NONE');
}

/** A healthcheck that runs: present and not switched off. */
export function healthcheckActive(hc: Healthcheck | undefined): hc is Healthcheck {
  return hc !== undefined && !healthcheckDisabled(hc);
}

/** An active healthcheck whose command compose gives (not only the image's), so probes can run it. */
export function healthcheckHasTest(hc: Healthcheck | undefined): boolean {
  return healthcheckActive(hc) && (hc.test?.length ?? 0) > 0;
}
