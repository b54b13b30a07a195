/** Types for scripts/gen-mappings.mjs (imported by test/mappings). */
export interface MappingRow {
  key: string;
  scope: string;
  target: string;
  status: string;
  note: string;
  fix?: string;
}
export const SCOPES: string[];
export const STATUSES: string[];
export function readRows(files: Array<{ name: string; text: string }>): { rows: MappingRow[]; errors: string[] };
export function generateTable(rows: MappingRow[]): string;
export function generateDocs(rows: MappingRow[]): string;
export function generateFrom(root: URL): { rows: MappingRow[]; errors: string[]; table: string; docs: string };
