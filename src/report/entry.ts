import type { SourcePos } from './diagnostic.js';

export type Status = 'converted' | 'approximated' | 'unsupported' | 'ignored';

/** What happened to one compose key of one service (or of the top level, `service` absent). */
export interface ReportEntry {
  /** Compose service name; absent for top-level keys (`volumes.data`, `networks.front`, ...). */
  service?: string;
  /** Key path as in the mappings table: `ports`, `deploy.resources.limits`, `volumes.data`... */
  key: string;
  status: Status;
  /** Objects produced, as `Kind/name`. */
  objects: string[];
  message: string;
  /** What a user can do when it is not converted exactly. */
  fix?: string;
  pos?: SourcePos;
}

/** A pitfall finding: something risky in the output, per workload, with the fix. */
export interface Finding {
  pitfall: 'no-resource-limits' | 'no-probes' | 'hard-coded-ip' | 'stateful-without-volume' | 'no-network-policy';
  object: string;
  service?: string;
  message: string;
  fix: string;
  pos?: SourcePos;
}

export interface Report {
  project: string;
  entries: ReportEntry[];
  findings: Finding[];
  summary: Record<Status, number>;
}
