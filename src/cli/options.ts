/**
 * The conversion options on the command line, made from the one options table (src/convert/intent/options.ts):
 * each becomes a commander option, and only the flags the user gave are passed on, so that an x-k8s setting
 * wins over a default but never over a flag (CLI > x-k8s > default).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ControllerKind } from '../kube/workloads.js';
import { OPTIONS, type ConvertOptions, type OptionSpec } from '../convert/intent/options.js';

const CONTROLLER_KINDS: readonly ControllerKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

/** `--controller SERVICE=KIND`, repeatable: collects a service → kind map (kind case-insensitive). */
function parseController(v: string, prev: Record<string, ControllerKind> = {}): Record<string, ControllerKind> {
  const m = /^([^=]+)=(.+)$/.exec(v.trim());
  const kind = m ? CONTROLLER_KINDS.find((k) => k.toLowerCase() === m[2]!.trim().toLowerCase()) : undefined;
  if (!m || !kind)
    throw new InvalidArgumentError(`expected SERVICE=KIND with KIND one of ${CONTROLLER_KINDS.join(', ')}`);
  return { ...prev, [m[1]!.trim()]: kind };
}

function parseQuantity(v: string): string {
  if (!/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.test(v))
    throw new InvalidArgumentError('expected a Kubernetes quantity such as 1Gi or 500Mi');
  return v;
}

/** A choice, matched without regard to case (`--expose-type nodeport`). */
function parseChoice(choices: readonly string[]): (v: string) => string {
  return (v) => {
    const hit = choices.find((c) => c.toLowerCase() === v.toLowerCase());
    if (!hit) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return hit;
  };
}

/** The commander attribute name of an option (`create-namespace` → `createNamespace`). */
const attr = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function option(spec: OptionSpec): Option {
  const k = spec.kind;
  const short = spec.short ? `-${spec.short}, ` : '';
  if (k.type === 'flag') {
    // A default-true switch is turned off with --no-X (commander sets X to false).
    const on = spec.default === true;
    return new Option(`${short}--${on ? 'no-' : ''}${spec.flag}`, on ? `do not ${spec.doc}` : spec.doc);
  }
  const o = new Option(`${short}--${spec.flag} <${k.arg}>`, spec.doc);
  if (k.type === 'choice') o.argParser(parseChoice(k.choices));
  if (k.type === 'quantity') o.argParser(parseQuantity);
  if (k.type === 'controllers') o.argParser(parseController);
  if (spec.default !== undefined) o.default(spec.default);
  return o;
}

/** Add every conversion option of the table to `cmd`. */
export function addConversionOptions(cmd: Command): Command {
  for (const spec of OPTIONS) cmd.addOption(option(spec));
  return cmd;
}

/** The conversion options the user gave on the command line (defaults left out, so x-k8s can set them). */
export function conversionOptions(cmd: Command): Partial<ConvertOptions> {
  const values = cmd.opts<Record<string, unknown>>();
  const out: Record<string, unknown> = {};
  for (const spec of OPTIONS) {
    const a = attr(spec.flag);
    if (cmd.getOptionValueSource(a) !== 'cli') continue;
    out[spec.name] = values[a];
  }
  return out as Partial<ConvertOptions>;
}
