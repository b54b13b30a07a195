import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/entry.js';
import { REPORT_SCHEMA_VERSION, formatReport, formatReportJson, formatSummary } from '../../src/report/format.js';

const report: Report = {
  project: 'shop',
  entries: [
    {
      path: 'volumes.data',
      key: 'volumes.data',
      id: 'legacy',
      status: 'converted',
      objects: ['PersistentVolumeClaim/data'],
      message: 'PVC data',
    },
    {
      service: 'web',
      path: 'ports',
      key: 'ports',
      id: 'legacy',
      status: 'converted',
      objects: ['Service/web'],
      message: 'Service web port 80',
      pos: { file: '/p/compose.yaml', line: 4, col: 5 },
    },
    {
      service: 'web',
      path: 'stop_signal',
      key: 'stop_signal',
      id: 'legacy',
      status: 'unsupported',
      objects: [],
      message: 'SIGINT is not sent',
      fix: 'add a preStop hook',
    },
    {
      service: 'database',
      path: 'logging',
      key: 'logging',
      id: 'legacy',
      status: 'ignored',
      objects: [],
      message: 'cluster logging',
      fix: 'configure cluster logging',
    },
  ],
  findings: [
    {
      pitfall: 'no-probes',
      object: 'Deployment/database',
      service: 'database',
      message: 'no probe',
      fix: 'add a healthcheck',
    },
  ],
  summary: { converted: 2, approximated: 0, unsupported: 1, ignored: 1 },
};

describe('formatReport', () => {
  it('prints aligned columns grouped by service, fixes, pitfalls and a summary, without colour by default', () => {
    const text = formatReport(report);
    expect(text).not.toMatch(/\x1b\[/);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+ITEM\s+STATUS\s+MESSAGE$/);
    const row = (s: string): string => lines.find((l) => l.includes(s))!;
    const col = (line: string, word: string): number => line.indexOf(word);
    expect(col(row('Service web port'), 'converted')).toBe(col(row('SIGINT'), 'unsupported'));
    expect(col(row('PVC data'), 'volumes.data')).toBe(col(row('SIGINT'), 'stop_signal'));
    expect(row('PVC data').startsWith('(project)')).toBe(true);
    expect(row('Service web port')).toContain('(compose.yaml:4)');
    const fixLine = lines[lines.indexOf(row('SIGINT')) + 1]!;
    expect(fixLine.trim()).toBe('fix: add a preStop hook');
    expect(fixLine.indexOf('fix:')).toBe(col(row('SIGINT'), 'SIGINT'));
    expect(text).toContain('Pitfalls:');
    expect(text).toMatch(/no-probes\s+Deployment\/database: no probe\n\s+fix: add a healthcheck/);
    expect(lines.at(-2)).toBe('shop: 4 items: 2 converted, 0 approximated, 1 unsupported, 1 ignored');
  });

  it('prints a fix once when the next entries share it, and again after another fix', () => {
    const entry = (path: string, fix: string): Report['entries'][number] => ({
      service: 'web',
      path,
      key: path,
      id: 'legacy',
      status: 'approximated',
      objects: [],
      message: `${path} kept`,
      fix,
    });
    const shared = 'kubectl create secret generic shop-credentials --from-literal=A=... --from-literal=B=...';
    const entries = [entry('environment.A', shared), entry('environment.B', shared), entry('environment.C', 'other')];
    const text = formatReport({ ...report, entries: [...entries, entry('environment.D', shared)] });
    const fixes = text
      .split('\n')
      .filter((l) => l.trim().startsWith('fix:'))
      .map((l) => l.trim());
    expect(fixes.slice(0, 4)).toEqual([`fix: ${shared}`, 'fix: (as above)', 'fix: other', `fix: ${shared}`]);
  });

  it('colours statuses only when asked', () => {
    const text = formatReport(report, { color: true });
    expect(text).toContain('\x1b[31munsupported');
    expect(text).toContain('\x1b[32mconverted');
  });

  it('prints just the summary for an empty report', () => {
    const empty: Report = {
      project: 'x',
      entries: [],
      findings: [],
      summary: { converted: 0, approximated: 0, unsupported: 0, ignored: 0 },
    };
    expect(formatReport(empty)).toBe('x: 0 items: 0 converted, 0 approximated, 0 unsupported, 0 ignored\n');
    expect(formatSummary(empty.summary)).toMatch(/^0 items/);
  });
});

describe('formatReportJson', () => {
  it('is valid JSON with a fixed key order, independent of how the objects were built', () => {
    const shuffled: Report = {
      summary: { ignored: 1, unsupported: 1, approximated: 0, converted: 2 },
      findings: report.findings.map((f) => ({
        fix: f.fix,
        message: f.message,
        service: f.service,
        object: f.object,
        pitfall: f.pitfall,
      })),
      entries: report.entries.map((e) => ({
        ...(e.pos ? { pos: { col: e.pos.col, line: e.pos.line, file: e.pos.file } } : {}),
        message: e.message,
        objects: e.objects,
        status: e.status,
        id: e.id,
        key: e.key,
        path: e.path,
        ...(e.fix ? { fix: e.fix } : {}),
        ...(e.service ? { service: e.service } : {}),
      })),
      project: 'shop',
    };
    const a = formatReportJson(report);
    expect(formatReportJson(shuffled)).toBe(a);
    const { schemaVersion, ...parsed } = JSON.parse(a) as Report & { schemaVersion: number };
    expect(schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(parsed).toEqual(report);
    expect(Object.keys(JSON.parse(a) as object)).toEqual([
      'schemaVersion',
      'project',
      'entries',
      'findings',
      'summary',
    ]);
    expect(Object.keys(parsed.entries[1]!)).toEqual([
      'service',
      'path',
      'key',
      'id',
      'status',
      'objects',
      'message',
      'pos',
    ]);
  });
});

describe('positions relative to the working directory', () => {
  const report = {
    project: 'p',
    entries: [
      {
        service: 'web',
        path: 'image',
        key: 'image',
        id: 'legacy',
        status: 'converted' as const,
        objects: [],
        message: 'ok',
        pos: { file: '/srv/app/overrides/compose.prod.yaml', line: 3, col: 5 },
      },
    ],
    findings: [],
    summary: { converted: 1, approximated: 0, unsupported: 0, ignored: 0 },
  };
  it('JSON carries the path relative to baseDir, so reports do not depend on the checkout location', () => {
    const json = JSON.parse(formatReportJson(report, { baseDir: '/srv/app' }));
    expect(json.entries[0].pos).toEqual({ file: 'overrides/compose.prod.yaml', line: 3, col: 5 });
  });
  it('text shows the relative path (not just the basename) when a baseDir is given', () => {
    expect(formatReport(report, { baseDir: '/srv/app' })).toContain('(overrides/compose.prod.yaml:3)');
    expect(formatReport(report)).toContain('(compose.prod.yaml:3)');
  });
});
