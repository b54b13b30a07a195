/**
 * The report of a run with environments (`--overlay`): the base's, plus what only an environment's conversion
 * reports. An environment is a plain conversion of the base files and its own, so its entries that are not
 * `converted` and that the base does not report the same way (an override's Docker socket, a .env file it mounts
 * as a placeholder Secret, a service it adds) are the environment's own, marked with its name.
 */
import type { Report, ReportEntry, Status } from './entry.js';

const sameItem = (e: ReportEntry): string =>
  JSON.stringify([e.service ?? null, e.path, e.id, e.status, e.message, e.fix ?? null]);

/** The entries of `env` (environment `name`) that the base report does not have, marked with `name`. */
export function environmentEntries(base: Report, name: string, env: Report): ReportEntry[] {
  const known = new Set(base.entries.map(sameItem));
  return env.entries
    .filter((e) => e.status !== 'converted' && !known.has(sameItem(e)))
    .map((e) => ({ ...e, environment: name }));
}

/** `base` with the environments' own entries after its own, and the summary counting them. */
export function withEnvironmentEntries(base: Report, extra: readonly ReportEntry[]): Report {
  if (!extra.length) return base;
  const summary: Record<Status, number> = { ...base.summary };
  for (const e of extra) summary[e.status]++;
  return { ...base, entries: [...base.entries, ...extra], summary };
}
