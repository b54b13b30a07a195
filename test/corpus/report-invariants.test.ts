import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/entry.js';
import { reportProblems } from './report-invariants.js';
import { TEXTS } from '../../src/mappings/texts.js';

const entry = (path: string, id: string, message = id) => ({
  service: 'web',
  path,
  key: path,
  id,
  status: 'converted' as const,
  objects: [],
  message,
});

describe('report invariants (the checker itself)', () => {
  it('finds unknown ids, items reported twice, wrong messages and a summary that does not add up', () => {
    const report: Report = {
      project: 'p',
      entries: [entry('image', 'service.image'), entry('image', 'service.image'), entry('x', 'no.such.outcome')],
      findings: [],
      summary: { converted: 2, approximated: 0, unsupported: 0, ignored: 0 },
    };
    const problems = reportProblems(report);
    expect(problems).toContain('web image: two entries');
    expect(problems.some((p) => p.includes('no.such.outcome'))).toBe(true);
    expect(problems.some((p) => p.startsWith('summary counts 2 items'))).toBe(true);
    // A message is its outcome's template filled (here a row's note), or its id and values without the texts.
    const note = TEXTS.messages['service.image'];
    const one = (message: string) =>
      reportProblems({
        ...report,
        entries: [entry('image', 'service.image', message)],
        summary: { ...report.summary, converted: 1 },
      });
    expect(one(note)).toEqual([]);
    expect(one('service.image (x=1)')).toEqual([
      `web image: message is not made of its outcomes and values: service.image (x=1)`,
    ]);
    expect(
      reportProblems({
        ...report,
        entries: [entry('image', 'service.image')],
        summary: { ...report.summary, converted: 1 },
      }),
    ).toEqual([]);
  });
});
