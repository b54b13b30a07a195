/**
 * The report's promises, checked on any converted project: every entry names an outcome that exists in
 * mappings/ and an item path; its message is made of its outcomes and their values (worded by the report texts,
 * or as ids and values without them); no item (service + path) has two entries; the summary counts the items.
 */
import { fallbackMessage, fill, messageParts } from '../../src/convert/book.js';
import { OUTCOMES, type OutcomeId } from '../../src/mappings/outcomes.js';
import { DIALECT_OUTCOMES, MODE_OUTCOMES, RENDER_OUTCOMES } from '../../src/mappings/module-outcomes.js';
import { TEXTS } from '../../src/mappings/texts.js';
import type { Report } from '../../src/report/entry.js';

/** Every outcome id: the core's and those the dialects, output modes and renderers carry. */
const IDS = new Set([
  ...Object.keys(OUTCOMES),
  ...[...DIALECT_OUTCOMES, ...MODE_OUTCOMES, ...RENDER_OUTCOMES].map((o) => o.id),
]);

export function reportProblems(report: Report | undefined): string[] {
  if (!report) return ['no report'];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of report.entries) {
    const item = `${e.service ?? '(project)'} ${e.path}`;
    if (!IDS.has(e.id)) problems.push(`${item}: outcome ${e.id || '(none)'} is not in mappings/`);
    const parts = messageParts(e);
    const worded = parts
      .map((p) => fill(TEXTS.messages[p.id as OutcomeId] ?? '', p.values, p.id, 'outcome', TEXTS.phrases))
      .join('; ');
    if (e.message !== worded && e.message !== parts.map((p) => fallbackMessage(p.id, p.values)).join('; '))
      problems.push(`${item}: message is not made of its outcomes and values: ${e.message}`);
    if (!e.path) problems.push(`${e.service ?? '(project)'} ${e.key}: no path`);
    if (seen.has(item)) problems.push(`${item}: two entries`);
    seen.add(item);
  }
  const counted = Object.values(report.summary).reduce((a, b) => a + b, 0);
  if (counted !== report.entries.length)
    problems.push(`summary counts ${counted} items, the report has ${report.entries.length}`);
  for (const [status, n] of Object.entries(report.summary))
    if (report.entries.filter((e) => e.status === status).length !== n) problems.push(`summary ${status} is off`);
  return problems;
}
