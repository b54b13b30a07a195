/**
 * The `compose2k8s` program as a commander program: every command, flag and help text. src/cli/bin.ts and the
 * bundle run it through ./main.ts, which loads this module (and commander, and what only the other commands use)
 * only when the command line has flags, a command name or asks for help.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, nodeIO, type CliIO } from './common.js';
import { configCommand } from './config.js';
import { registerConvert } from './convert.js';
import { lintCommand } from './lint.js';
import { formatDiagnosticsJson } from '../report/format.js';
import { VERSION } from '../version.js';

/**
 * `onError`: receives commander's own error messages (unknown flag, bad value, ...) instead of stderr; they are
 * then `error: ...` lines.
 */
export function buildProgram(io: CliIO = nodeIO(), onError?: (message: string) => void): Command {
  const output = {
    writeOut: (s: string) => io.stdout(s),
    writeErr: (s: string) => io.stderr(s),
    ...(onError ? { outputError: (s: string) => onError(s) } : {}),
  };
  const program = new Command('compose2k8s')
    .description('Convert Docker Compose projects to Kubernetes manifests')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput(output);
  program.addCommand(configCommand(io));
  program.addCommand(lintCommand(io));
  // ── Register the conversion command here (the default: `compose2k8s [FILE...]`). ──
  registerConvert(program, io);
  for (const c of program.commands) c.exitOverride().configureOutput(output);
  return program;
}

/**
 * Whether the command line asks for its errors in JSON, `--report json` or `lint --format json` (read before
 * commander parses it, which may fail).
 */
export function wantsJsonReport(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  const opts = end < 0 ? args : args.slice(0, end);
  const flag = args[0] === 'lint' ? 'format' : 'report';
  return opts.some((a, i) => a === `--${flag}=json` || (a === `--${flag}` && opts[i + 1] === 'json'));
}

/**
 * Parse `args` with commander and run the command; resolves to the exit code of commander's own outcomes (help,
 * version, usage errors). What the commands throw (CliExit, bugs) is ./main.ts's to handle. Under `--report json`
 * (`lint --format json`) a usage error commander finds is a JSON document on stderr, like every other exit-2 error.
 */
export async function runProgram(args: string[], io: CliIO): Promise<number> {
  const json = wantsJsonReport(args);
  const errors: string[] = [];
  try {
    await buildProgram(io, json ? (s) => void errors.push(s) : undefined).parseAsync(args, { from: 'user' });
    return EXIT.OK;
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return EXIT.OK;
    if (json) {
      const message = (errors.join('').trim() || e.message).replace(/^error: /, '');
      io.stderr(formatDiagnosticsJson([{ severity: 'error', code: 'usage', message }]));
    }
    return EXIT.INPUT;
  }
}
