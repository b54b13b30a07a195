/**
 * The convert command's flag values, as commander hands them to its action, and what they are for a run given no
 * flag at all: the plain `compose2k8s [FILE...]` that ./main.ts runs without loading commander. Nothing here
 * imports commander; the commander options themselves are built in ./options.ts and ./convert.ts.
 */
import { OPTION_SPECS, optionFlag, type ConvertOptions } from '../convert/intent/options.js';
import type { ControllerKind } from '../convert/plan/pod.js';
import type { OutputFormat } from '../render/files.js';
import type { LoadFlags } from './common.js';
import type { OverlaySpec } from './overlays.js';

export interface ConvertFlags extends LoadFlags {
  output?: string;
  force?: boolean;
  /** helm and kustomize write a directory (-o) or check one (--check). */
  format: OutputFormat | 'helm' | 'kustomize';
  /** summary (default: what needs attention), table (every item; `text` is its old name), json, none. */
  report: 'summary' | 'table' | 'text' | 'json' | 'none';
  quiet?: boolean;
  reportFile?: string;
  strict?: boolean;
  check?: string;
  namespace?: string;
  createNamespace?: boolean;
  secrets: ConvertOptions['secrets'];
  exposeType: ConvertOptions['exposeType'];
  ingressHost?: string;
  ingressClass?: string;
  ingressTlsSecret?: string;
  volumeSize: string;
  storageClass?: string;
  hostPath?: boolean;
  networkPolicies: boolean;
  defaultProbes: boolean;
  podSecurity?: 'restricted';
  controller?: Record<string, ControllerKind>;
  /** Environments (--overlay), for --format kustomize and helm. */
  overlay?: OverlaySpec[];
}

/** Defaults of the convert command's own options (`--format`, `--report`). */
export const DEFAULT_FORMAT: ConvertFlags['format'] = 'yaml';
export const DEFAULT_REPORT: ConvertFlags['report'] = 'summary';

/** The commander attribute name of an option (`create-namespace` → `createNamespace`). */
export const attr = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The flags commander gives the convert action when the command line has none: every option's default (a
 * default-true switch is its `--no-X` form, whose attribute commander sets to true; a default-false switch stays
 * unset, as commander leaves it). test/cli/flags.test.ts compares this with commander's own result.
 */
export function defaultConvertFlags(): ConvertFlags {
  const flags: Record<string, unknown> = {};
  for (const spec of OPTION_SPECS)
    if (spec.default !== undefined && (spec.kind.type !== 'switch' || spec.default === true))
      flags[attr(optionFlag(spec))] = spec.default;
  flags['format'] = DEFAULT_FORMAT;
  flags['report'] = DEFAULT_REPORT;
  return flags as unknown as ConvertFlags;
}
