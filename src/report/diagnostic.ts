/**
 * Diagnostics: every problem the loader or converter finds is one of these, with a stable code,
 * a severity and (when it comes from a file) a source position. Nothing in the core throws raw
 * errors at the user; stages collect diagnostics and the CLI decides the exit code.
 *
 * A stage names a diagnostic by id (its code, or `code.variant`: DiagnosticId) and the values of its placeholders;
 * the wording (message and hint templates, mappings/diagnostics.yaml) is in the texts the collector was given
 * (DiagnosticTexts, part of ../mappings/texts.ts), which the lean browser entry leaves out: without them the message
 * is the id and values (`invalid-port.target (where=services.web.ports[0])`, as report entries) and there is no hint.
 */

import type { DiagnosticCode, DiagnosticId, DiagnosticTexts } from './codes.js';
import { fill, word, type MessageValues } from './template.js';

export type { DiagnosticCode, DiagnosticId, DiagnosticTexts } from './codes.js';

export type Severity = 'error' | 'warning' | 'info';

/** 1-based line and column in a source file (as editors show them). */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code (mappings/diagnostics.yaml, docs/diagnostics.md). */
  code: DiagnosticCode;
  message: string;
  pos?: SourcePos;
  /** Extra help: how to fix it. */
  hint?: string;
}

/**
 * What makes two diagnostics the same one: code, wording and place (the wording is a function of its id and values).
 */
export function diagnosticKey(d: Diagnostic): string {
  return JSON.stringify([d.code, d.message, d.pos?.file ?? null, d.pos?.line ?? null, d.pos?.col ?? null]);
}

/** A collector shared by the stages of one run. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly texts?: DiagnosticTexts) {}

  add(d: Diagnostic): void {
    const key = diagnosticKey(d);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(d);
  }

  /** Diagnostic `id` at `pos`, worded from the texts (or its id and values without them). */
  report(severity: Severity, id: DiagnosticId, values: MessageValues = {}, pos?: SourcePos): void {
    const dot = id.indexOf('.');
    const code = (dot < 0 ? id : id.slice(0, dot)) as DiagnosticCode;
    const texts = this.texts;
    const message = word(texts?.diagnostics?.[id], values, id, 'diagnostic');
    const template = texts?.hints?.[id];
    const hint = template ? fill(template, values, id, 'diagnostic') : '';
    this.add({ severity, code, message, ...(pos ? { pos } : {}), ...(hint ? { hint } : {}) });
  }

  error(id: DiagnosticId, values?: MessageValues, pos?: SourcePos): void {
    this.report('error', id, values, pos);
  }

  warn(id: DiagnosticId, values?: MessageValues, pos?: SourcePos): void {
    this.report('warning', id, values, pos);
  }

  info(id: DiagnosticId, values?: MessageValues, pos?: SourcePos): void {
    this.report('info', id, values, pos);
  }

  get errors(): Diagnostic[] {
    return this.list.filter((d) => d.severity === 'error');
  }

  hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }
}

export function formatPos(pos: SourcePos | undefined): string {
  return pos ? `${pos.file}:${pos.line}:${pos.col}` : '';
}

export function formatOneLine(d: Diagnostic): string {
  const where = formatPos(d.pos);
  return `${where ? where + ': ' : ''}${d.severity} ${d.code}: ${d.message}`;
}
