import type { SourcePos } from './diagnostic.js';
import type { MessageValues } from './template.js';

export type { MessageValues } from './template.js';

export type Status = 'converted' | 'approximated' | 'unsupported' | 'ignored';

/** One outcome a report message is made of, with the values its template is filled with. */
export interface MessagePart {
  id: string;
  values: MessageValues;
}

/**
 * What happened to one item of the compose file: one key, list element or map entry of one service (or of the
 * top level, `service` absent). Exactly one entry per service + path.
 */
export interface ReportEntry {
  /** Compose service name; absent for top-level keys (`volumes.data`, `networks.front`, ...). */
  service?: string;
  /**
   * `--overlay NAME=...`: set on an item only that environment's conversion reports (the base reports it otherwise
   * or not at all); absent for the base's items.
   */
  environment?: string;
  /** The item: `image`, `ports[0]`, `environment.DB_PASSWORD`, `volumes.data.driver`, `x-k8s.controller`. */
  path: string;
  /** The key the item belongs to: its path without list indices (`ports`, `environment.DB_PASSWORD`). */
  key: string;
  /** The outcome (mappings/*.yaml `outcomes:`, or a row's own `<scope>.<key>`) that decided the status. */
  id: string;
  status: Status;
  /** Objects produced, as `Kind/name`. */
  objects: string[];
  /** The values of `id`'s `{name}` placeholders, as the step that reported it gave them. */
  values?: MessageValues;
  /**
   * Set when a later pass downgraded the entry: the outcomes its message began with (the owner's first), each with
   * its values. The message is made of these, then `id` with `values`, then `later` (messageParts).
   */
  earlier?: MessagePart[];
  /**
   * Set when a later pass's outcome was better than the entry's (a note on what the output does): it did not change
   * `status` or `id`, its message follows theirs. A worse outcome after it moves these to `earlier`.
   */
  later?: MessagePart[];
  /**
   * With the report texts (the default entry, the CLI, or `texts` given to the lean entry): each of its outcomes'
   * message templates filled in, joined by `; `. Without them: the same outcomes as ids and values,
   * `ports.published-http (port=80, service=web)`.
   */
  message: string;
  /** What a user can do when it is not converted exactly. */
  fix?: string;
  pos?: SourcePos;
}

/** A pitfall finding: something risky in the output, per workload, with the fix. */
export interface Finding {
  pitfall:
    | 'no-resource-limits'
    | 'no-probes'
    | 'hard-coded-ip'
    | 'stateful-without-volume'
    | 'database-without-password'
    | 'no-network-policy';
  object: string;
  service?: string;
  /** hard-coded-ip: the address, so passes can tell findings apart without reading the message. */
  ip?: string;
  /** Worded from the texts; without them (the lean entry) the finding's id and values, as entries' messages. */
  message: string;
  /** How to avoid the pitfall; from the texts only (absent without them). */
  fix?: string;
  pos?: SourcePos;
}

export interface Report {
  project: string;
  entries: ReportEntry[];
  findings: Finding[];
  summary: Record<Status, number>;
}
