/**
 * `--overlay NAME=FILE[,FILE...]` and `--overlay NAME=profile:PROFILE` (repeatable): environments for
 * `--format kustomize` (base/ + overlays/NAME/) and `--format helm` (values-NAME.yaml). Each environment is
 * converted as a plain conversion of the base files plus its own files (or with its profile active); the
 * renderers write only the difference from the base.
 */
import { InvalidArgumentError } from 'commander';

export interface OverlaySpec {
  /** A directory / file name part: `prod`, `dev`. */
  name: string;
  /** Override files added after the base files (like `-f compose.yaml -f compose.prod.yaml`). */
  files: string[];
  /** Profiles activated on top of the base's. */
  profiles: string[];
}

const NAME = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;

/** commander argument parser: one `--overlay` value, collected into a list; a repeated name is refused. */
export function parseOverlay(value: string, prev: OverlaySpec[] = []): OverlaySpec[] {
  const m = /^([^=]+)=(.+)$/.exec(value.trim());
  const usage = 'expected NAME=FILE[,FILE...] or NAME=profile:PROFILE';
  if (!m) throw new InvalidArgumentError(usage);
  const name = m[1]!.trim();
  const what = m[2]!.trim();
  if (!NAME.test(name) || name === 'base')
    throw new InvalidArgumentError(
      `overlay name "${name}" must be lowercase letters, digits, ".", "_" or "-" (and not "base"); ${usage}`,
    );
  if (prev.some((o) => o.name === name)) throw new InvalidArgumentError(`overlay "${name}" is given twice`);
  const parts = what
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const profiles: string[] = [];
  const files: string[] = [];
  for (const p of parts) {
    if (p.startsWith('profile:')) {
      const profile = p.slice('profile:'.length).trim();
      if (!profile) throw new InvalidArgumentError(`empty profile in "${value}"; ${usage}`);
      profiles.push(profile);
    } else if (p === '-') throw new InvalidArgumentError('an overlay file cannot be stdin ("-")');
    else files.push(p);
  }
  if (files.length === 0 && profiles.length === 0) throw new InvalidArgumentError(usage);
  return [...prev, { name, files, profiles }];
}
