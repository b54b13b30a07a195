import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/entry.js';
import { reportProblems } from './report-invariants.js';

const entry = (path: string, id: string) => ({
  service: 'web',
  path,
  key: path,
  id,
  status: 'converted' as const,
  objects: [],
  message: 'm',
});

describe('report invariants (the checker itself)', () => {
  it('finds unknown ids, items reported twice and a summary that does not add up', () => {
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
    expect(
      reportProblems({
        ...report,
        entries: [entry('image', 'service.image')],
        summary: { ...report.summary, converted: 1 },
      }),
    ).toEqual([]);
  });
});
