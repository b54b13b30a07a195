import type { Diagnostic } from './diagnostic.js';
import { formatOneLine } from './diagnostic.js';

/** A code frame: the offending line with one line of context either side and a caret. */
export function codeFrame(source: string, line: number, col: number): string {
  const lines = source.split(/\r?\n/);
  const from = Math.max(1, line - 1);
  const to = Math.min(lines.length, line + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const mark = n === line ? '>' : ' ';
    out.push(`${mark} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`);
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, col - 1))}^`);
  }
  return out.join('\n');
}

/**
 * Human-readable rendering of diagnostics: `file:line:col: severity code: message`, then a code
 * frame when the source text is known, then the hint.
 */
export function formatDiagnostics(diags: Diagnostic[], sources: ReadonlyMap<string, string> = new Map()): string {
  const parts: string[] = [];
  for (const d of diags) {
    let s = formatOneLine(d);
    const src = d.pos ? sources.get(d.pos.file) : undefined;
    if (d.pos && src !== undefined && d.pos.line > 0) s += '\n' + codeFrame(src, d.pos.line, d.pos.col);
    if (d.hint) s += `\n  hint: ${d.hint}`;
    parts.push(s);
  }
  return parts.join('\n');
}
