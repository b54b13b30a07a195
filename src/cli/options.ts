/**
 * The commander options of the commands: the project-loading options every command takes, and the conversion
 * options, made from the one options table (src/convert/intent/options.ts):
 * each becomes a commander option whose argument is read by the option's own reader (the one x-k8s uses), and
 * only the flags the user gave are passed on, so that an x-k8s setting wins over a default but never over a flag
 * (CLI > x-k8s > default). A bad value is a usage error (exit 2).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  OPTION_SPECS,
  optionArg,
  optionFlag,
  type ConvertOptions,
  type OptionName,
  type OptionSpec,
} from '../convert/intent/options.js';
import { OPTION_DOCS } from '../convert/intent/option-docs.js';
import { isInvalid, type Read } from '../convert/intent/values.js';
import { attr } from './flags.js';

/** The option's reader as a commander argument parser; a map option collects `KEY=VALUE` pairs. */
function parser(spec: OptionSpec): (v: string, prev: unknown) => unknown {
  const read = (v: string): unknown => {
    const r = spec.read(v);
    if (isInvalid(r))
      throw new InvalidArgumentError(`${r.invalid}; expected ${spec.expect}${r.hint ? ` (${r.hint})` : ''}`);
    return r;
  };
  if (spec.kind.type !== 'map') return read;
  const [key, value] = spec.kind.arg.toUpperCase().split('=') as [string, string];
  const usage = `expected ${key}=${value} with ${value} one of ${spec.expect}`;
  return (v, prev) => {
    const m = /^([^=]+)=(.+)$/.exec(v.trim());
    const r = m ? (spec.read(m[2]!.trim()) as Read<unknown>) : undefined;
    if (!m) throw new InvalidArgumentError(usage);
    if (isInvalid(r)) throw new InvalidArgumentError(`${usage}: ${r.invalid}`);
    return { ...(prev as Record<string, unknown> | undefined), [m[1]!.trim()]: r };
  };
}

const docOf = (spec: OptionSpec): string => OPTION_DOCS[spec.name as OptionName];

function option(spec: OptionSpec): Option {
  const k = spec.kind;
  const short = spec.short ? `-${spec.short}, ` : '';
  if (k.type === 'switch') {
    // A default-true switch is turned off with --no-X (commander sets X to false).
    const on = spec.default === true;
    return new Option(`${short}--${on ? 'no-' : ''}${optionFlag(spec)}`, on ? `do not ${docOf(spec)}` : docOf(spec));
  }
  const o = new Option(`${short}--${optionFlag(spec)} <${optionArg(spec)}>`, docOf(spec)).argParser(parser(spec));
  if (spec.default !== undefined) o.default(spec.default);
  return o;
}

/** Add every conversion option of the table to `cmd`. */
export function addConversionOptions(cmd: Command): Command {
  for (const spec of OPTION_SPECS) cmd.addOption(option(spec));
  return cmd;
}

/** The conversion options the user gave on the command line (defaults left out, so x-k8s can set them). */
export function conversionOptions(cmd: Command): Partial<ConvertOptions> {
  const values = cmd.opts<Record<string, unknown>>();
  const out: Record<string, unknown> = {};
  for (const spec of OPTION_SPECS) {
    const a = attr(optionFlag(spec));
    if (cmd.getOptionValueSource(a) !== 'cli') continue;
    out[spec.name] = values[a];
  }
  return out as Partial<ConvertOptions>;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `--profile NAME`: an empty name (`--profile ""`, an unset shell variable) activates nothing, so it is refused. */
const collectProfile = (v: string, prev: string[] = []): string[] => {
  if (!v.trim()) throw new InvalidArgumentError('a profile name cannot be empty');
  return collect(v, prev);
};

/** Register the project-loading options on a command. */
export function addLoadOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '-f, --file <file>',
        'compose file (repeatable; "-" reads stdin); default: compose.yaml discovery',
      ).argParser(collect),
    )
    .addOption(new Option('--profile <profile>', 'activate a profile (repeatable)').argParser(collectProfile))
    .addOption(new Option('--env-file <file>', 'environment file replacing .env (repeatable)').argParser(collect))
    .option('-p, --project-name <name>', 'project name')
    .option('--project-directory <dir>', "project directory (default: the first file's directory)");
}
