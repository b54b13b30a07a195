/** What a conversion returns, and a minimal report builder used until the coverage pass exists. */
import type { Diagnostic } from '../report/diagnostic.js';
import type { Report, Status } from '../report/entry.js';
import type { ConvertContext } from './context.js';
import type { KubeObject } from '../kube/object.js';

export interface ConvertResult {
  /** Every emitted object, in apply order (see sort.ts). */
  objects: KubeObject[];
  report: Report;
  diagnostics: Diagnostic[];
}

/** Report from the entries and findings modules recorded (no coverage fill-in). */
export function basicReport(ctx: ConvertContext): Report {
  const summary: Record<Status, number> = { converted: 0, approximated: 0, unsupported: 0, ignored: 0 };
  for (const e of ctx.entries) summary[e.status]++;
  return { project: ctx.project.name, entries: [...ctx.entries], findings: [...ctx.findings], summary };
}
