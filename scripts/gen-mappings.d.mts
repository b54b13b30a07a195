/** Types for scripts/gen-mappings.mjs (imported by test/mappings). */
export interface MappingRow {
  key: string;
  scope: string;
  target: string;
  status: string;
  note: string;
  fix?: string;
  owner?: string;
}
export interface OutcomeRow {
  id: string;
  scope: string;
  key: string;
  status: string;
  /** The optional module whose code alone reports it. */
  module?: 'dialects' | 'modes' | 'render';
  message: string;
  fix?: string;
  row?: true;
}
export interface DiagnosticRow {
  code: string;
  severity: 'error' | 'warning' | 'info';
  meaning: string;
  fix: string;
  example?: string;
  messages?: Array<{ variant?: string; message: string; hint?: string }>;
}
export interface DiagnosticMessage {
  id: string;
  message: string;
  hint?: string;
}
export const SCOPES: string[];
export const STATUSES: string[];
export function readRows(files: Array<{ name: string; text: string }>): {
  rows: MappingRow[];
  outcomes: OutcomeRow[];
  findings: FindingRow[];
  phrases: PhraseRow[];
  errors: string[];
};
export function readDiagnostics(text: string): {
  codes: DiagnosticRow[];
  messages: DiagnosticMessage[];
  errors: string[];
};
export function generateTable(rows: MappingRow[]): string;
export function generateModuleOutcomes(outcomes: OutcomeRow[]): string;
export function generateOutcomes(outcomes: OutcomeRow[], findings?: FindingRow[], phrases?: PhraseRow[]): string;
export interface PhraseRow {
  id: string;
  text: string;
}
export interface FindingRow {
  id: string;
  message: string;
  fix: string;
}
export function generateTexts(
  rows: MappingRow[],
  outcomes: OutcomeRow[],
  messages?: DiagnosticMessage[],
  findings?: FindingRow[],
  phrases?: PhraseRow[],
): string;
export function generateDocs(rows: MappingRow[], outcomes?: OutcomeRow[]): string;
export function generateCodes(codes: DiagnosticRow[], messages?: DiagnosticMessage[]): string;
export function generateDiagnosticDocs(codes: DiagnosticRow[]): string;
export function generateFrom(root: URL): {
  rows: MappingRow[];
  outcomes: OutcomeRow[];
  diagnostics: DiagnosticRow[];
  diagnosticMessages: DiagnosticMessage[];
  errors: string[];
  table: string;
  outcomesTs: string;
  moduleOutcomes: string;
  phrases: PhraseRow[];
  texts: string;
  docs: string;
  codes: string;
  diagnosticDocs: string;
};
