/**
 * The reference YAML readers (ref-*.ts, legacy-*.ts) word their diagnostics themselves, as the core did before the
 * wording moved to the texts: this adds such a diagnostic as written, for the differential tests to compare with
 * what the core words from the texts.
 */
import type { DiagnosticCode, Diagnostics, Severity, SourcePos } from '../../../src/report/diagnostic.js';

type Add = (code: DiagnosticCode, message: string, pos?: SourcePos, hint?: string) => void;

export function rawDiags(diags: Diagnostics): { error: Add; warn: Add; info: Add } {
  const add =
    (severity: Severity): Add =>
    (code, message, pos, hint) =>
      diags.add({ severity, code, message, ...(pos ? { pos } : {}), ...(hint ? { hint } : {}) });
  return { error: add('error'), warn: add('warning'), info: add('info') };
}
