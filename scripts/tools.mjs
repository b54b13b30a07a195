// Where the real tools that tests depend on live. `scripts/pretest.mjs` installs them.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const toolsBin = fileURLToPath(new URL('../.tools/bin/', import.meta.url));

const SYSTEM = {
  'docker-compose': ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'],
  chromium: ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
  unzip: ['/usr/bin/unzip'],
};

/**
 * Absolute path of a tool: `helm`/`kubectl` from `.tools/bin/`, the others from the system.
 * Returns the preferred path even when it does not exist (check with `hasTool`).
 */
export function toolPath(name) {
  if (name === 'helm' || name === 'kubectl') return toolsBin + name;
  const candidates = SYSTEM[name] ?? [`/usr/bin/${name}`];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** True when the tool's file exists. */
export function hasTool(name) {
  return existsSync(toolPath(name));
}
