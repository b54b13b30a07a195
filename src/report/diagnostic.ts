/**
 * Diagnostics: every problem the loader or converter finds is one of these, with a stable code,
 * a severity and (when it comes from a file) a source position. Nothing in the core throws raw
 * errors at the user; stages collect diagnostics and the CLI decides the exit code.
 */

import type { DiagnosticCode } from './codes.js';

export type { DiagnosticCode } from './codes.js';

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

/** A collector shared by the stages of one run. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];

  add(d: Diagnostic): void {
    const dup = this.list.some(
      (o) =>
        o.code === d.code &&
        o.message === d.message &&
        o.pos?.file === d.pos?.file &&
        o.pos?.line === d.pos?.line &&
        o.pos?.col === d.pos?.col,
    );
    if (!dup) this.list.push(d);
  }

  error(code: DiagnosticCode, message: string, pos?: SourcePos, hint?: string): void {
    this.add({ severity: 'error', code, message, ...(pos ? { pos } : {}), ...(hint ? { hint } : {}) });
  }

  warn(code: DiagnosticCode, message: string, pos?: SourcePos, hint?: string): void {
    this.add({ severity: 'warning', code, message, ...(pos ? { pos } : {}), ...(hint ? { hint } : {}) });
  }

  info(code: DiagnosticCode, message: string, pos?: SourcePos, hint?: string): void {
    this.add({ severity: 'info', code, message, ...(pos ? { pos } : {}), ...(hint ? { hint } : {}) });
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
