/**
 * The conversion report for people (aligned text, grouped by service, fixes under each line, then
 * pitfall findings, then a summary) and for machines (stable JSON).
 */
import type { Finding, Report, ReportEntry, Status } from './entry.js';
import type { Diagnostic, SourcePos } from './diagnostic.js';
import { isAbsolute, relative } from '../util/path.js';

export interface FormatOptions {
  /** ANSI colours (the CLI asks for them when stderr is a TTY and NO_COLOR is unset). */
  color?: boolean;
  /**
   * Absolute directory that file positions are shown relative to (the CLI passes its working
   * directory), so reports do not depend on where a checkout lives. Absent → basenames (text) or
   * the paths as loaded (JSON).
   */
  baseDir?: string;
}

function displayFile(file: string, baseDir: string | undefined): string | undefined {
  return baseDir !== undefined && isAbsolute(file) ? relative(baseDir, file) : undefined;
}

/** `pos` as the JSON documents give it: its file relative to `baseDir` when that is set and the file absolute. */
function jsonPos(pos: SourcePos | undefined, baseDir: string | undefined): { pos?: SourcePos } {
  return pos ? { pos: { file: displayFile(pos.file, baseDir) ?? pos.file, line: pos.line, col: pos.col } } : {};
}

const STATUS_COLOR: Record<Status, string> = {
  converted: '\x1b[32m',
  approximated: '\x1b[33m',
  unsupported: '\x1b[31m',
  ignored: '\x1b[2m',
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';

/** Label of the top-level group (entries without a service). */
export const PROJECT_GROUP = '(project)';

/** The group an entry is listed under: its service (or the project), and the environment only it is in. */
const groupOf = (e: ReportEntry): string =>
  (e.service ?? PROJECT_GROUP) + (e.environment !== undefined ? ` (${e.environment})` : '');

const STATUS_ORDER: Status[] = ['converted', 'approximated', 'unsupported', 'ignored'];

/** ` (file:line)` after a message. */
function where(pos: SourcePos | undefined, baseDir?: string): string {
  if (!pos) return '';
  const file = displayFile(pos.file, baseDir) ?? pos.file.split('/').pop() ?? pos.file;
  return ` (${file}:${pos.line})`;
}

export function formatSummary(summary: Record<Status, number>): string {
  const total = STATUS_ORDER.reduce((n, s) => n + summary[s], 0);
  return `${total} items: ` + STATUS_ORDER.map((s) => `${summary[s]} ${s}`).join(', ');
}

/** Statuses that need a person: the default report shows only these (and the pitfalls). */
const ATTENTION: ReadonlySet<Status> = new Set(['approximated', 'unsupported']);

/**
 * The default report: only what needs attention (approximated and unsupported items, each with its fix,
 * and the pitfalls), then the summary line. `formatReport` lists every item.
 */
export function formatAttention(report: Report, opts: FormatOptions = {}): string {
  const shown = report.entries.filter((e) => ATTENTION.has(e.status));
  const text = formatReport({ ...report, entries: shown }, opts);
  const hidden = report.entries.length - shown.length;
  if (hidden === 0) return text;
  const note = `(${hidden} converted or ignored item(s) not shown: --report table lists every item)\n`;
  return text + (opts.color ? DIM + note.trimEnd() + RESET + '\n' : note);
}

export function formatReport(report: Report, opts: FormatOptions = {}): string {
  const c = (code: string, s: string): string => (opts.color ? code + s + RESET : s);
  const lines: string[] = [];
  const groups = new Map<string, ReportEntry[]>();
  for (const e of report.entries) {
    const g = groupOf(e);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(e);
  }
  const wService = Math.max(7, ...report.entries.map((e) => groupOf(e).length));
  const wKey = Math.max(4, ...report.entries.map((e) => e.path.length));
  const wStatus = Math.max(...STATUS_ORDER.map((s) => s.length));
  const indent = ' '.repeat(wService + wKey + wStatus + 6);

  if (report.entries.length) {
    lines.push(c(BOLD, `${'SERVICE'.padEnd(wService)}  ${'ITEM'.padEnd(wKey)}  ${'STATUS'.padEnd(wStatus)}  MESSAGE`));
  }
  // A fix the line above printed already (one command that fills every shared key, say) is not printed again.
  let lastFix: string | undefined;
  for (const [group, entries] of groups) {
    for (const e of entries) {
      lines.push(
        `${group.padEnd(wService)}  ${e.path.padEnd(wKey)}  ${c(STATUS_COLOR[e.status], e.status.padEnd(wStatus))}  ` +
          `${e.message}${c(DIM, where(e.pos, opts.baseDir))}`,
      );
      const fix = e.status !== 'converted' ? e.fix : undefined;
      if (fix) lines.push(`${indent}${c(DIM, 'fix:')} ${fix === lastFix ? c(DIM, '(as above)') : fix}`);
      lastFix = fix;
    }
  }
  if (report.findings.length) {
    if (lines.length) lines.push('');
    lines.push(c(BOLD, 'Pitfalls:'));
    for (const f of report.findings) lines.push(...formatFinding(f, c, opts.baseDir));
  }
  if (lines.length) lines.push('');
  lines.push(`${report.project}: ${formatSummary(report.summary)}`);
  return lines.join('\n') + '\n';
}

function formatFinding(f: Finding, c: (code: string, s: string) => string, baseDir?: string): string[] {
  return [
    `  ${c(STATUS_COLOR.approximated, f.pitfall)}  ${f.object}: ${f.message}${c(DIM, where(f.pos, baseDir))}`,
    ...(f.fix ? [`    ${c(DIM, 'fix:')} ${f.fix}`] : []),
  ];
}

/**
 * The version of the JSON documents below (`schemaVersion`, their first key): raised when a key is removed or
 * changes meaning; new keys may appear without a raise. The schema is described in docs/report.md.
 */
export const REPORT_SCHEMA_VERSION = 1;

/** The report as JSON; key order is fixed, so equal reports give equal text. */
export interface JsonReportExtras {
  /** Loader/converter diagnostics (warnings, errors) to carry in the same document. */
  diagnostics?: Diagnostic[];
  /** `--check`: files that differ from what would be written. */
  drift?: { missing: string[]; changed: string[]; extra: string[] };
}

export function formatReportJson(report: Report, opts: Pick<FormatOptions, 'baseDir'> & JsonReportExtras = {}): string {
  const extras = jsonExtras(opts, opts.baseDir);
  const entries = report.entries.map((e) => ({
    ...(e.service !== undefined ? { service: e.service } : {}),
    ...(e.environment !== undefined ? { environment: e.environment } : {}),
    path: e.path,
    key: e.key,
    id: e.id,
    status: e.status,
    objects: e.objects,
    message: e.message,
    ...(e.fix !== undefined ? { fix: e.fix } : {}),
    ...jsonPos(e.pos, opts.baseDir),
  }));
  const findings = report.findings.map((f) => ({
    pitfall: f.pitfall,
    object: f.object,
    ...(f.service !== undefined ? { service: f.service } : {}),
    message: f.message,
    fix: f.fix,
    ...jsonPos(f.pos, opts.baseDir),
  }));
  const summary = Object.fromEntries(STATUS_ORDER.map((s) => [s, report.summary[s]]));
  return (
    JSON.stringify(
      { schemaVersion: REPORT_SCHEMA_VERSION, project: report.project, entries, findings, summary, ...extras },
      null,
      2,
    ) + '\n'
  );
}

/** Only the diagnostics (when loading failed and there is no report), as one JSON document. */
export function formatDiagnosticsJson(diagnostics: Diagnostic[], opts: Pick<FormatOptions, 'baseDir'> = {}): string {
  return (
    JSON.stringify({ schemaVersion: REPORT_SCHEMA_VERSION, ...jsonExtras({ diagnostics }, opts.baseDir) }, null, 2) +
    '\n'
  );
}

function jsonExtras(opts: JsonReportExtras, baseDir: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (opts.diagnostics)
    out['diagnostics'] = opts.diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      ...jsonPos(d.pos, baseDir),
      ...(d.hint ? { hint: d.hint } : {}),
    }));
  if (opts.drift) out['drift'] = opts.drift;
  return out;
}
