/**
 * The `compose2k8s` program: runs a command line against injected I/O (src/cli/bin.ts runs it against the real
 * process; the published binary is the bundle scripts/build-cli.mjs makes). Exit codes: 0 ok, 2 input/usage
 * problems, 3 internal errors.
 *
 * Most runs are a plain conversion, `compose2k8s [FILE...]` without a flag: that goes straight to the convert
 * action with the flags commander would have given it (./flags.ts). Anything else (a flag, a command, help) is
 * parsed by the commander program of ./program.ts, which is loaded then: a plain run does not load or build it
 * (commander, the other commands and the `yaml` package `config` prints with), a few ms of a small run.
 */
import { CliExit, EXIT, nodeIO, type CliIO } from './common.js';
import { runConvert } from './convert-run.js';
import { defaultConvertFlags } from './flags.js';

/**
 * The program's command names, and commander's implicit `help` command: a first argument among them is a
 * command, not a file (test/cli/main.test.ts keeps this in step with ./program.ts).
 */
export const COMMAND_NAMES: ReadonlySet<string> = new Set(['convert', 'config', 'lint', 'help']);

/** Whether commander would run `args` as the default command with files only (no option, no `--`, no command). */
export function isPlainConversion(args: readonly string[]): boolean {
  return !COMMAND_NAMES.has(args[0] ?? '') && args.every((a) => !a.startsWith('-'));
}

/** Run the CLI with `args` (without `node` and the script); resolves to the exit code. */
export async function runCli(args: string[], io: CliIO = nodeIO()): Promise<number> {
  try {
    if (!isPlainConversion(args)) return await (await import('./program.js')).runProgram(args, io);
    await runConvert(io, [...args], defaultConvertFlags(), {});
    return EXIT.OK;
  } catch (e) {
    if (e instanceof CliExit) return e.exitCode;
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr(
      `compose2k8s: internal error: ${msg}\nThis is a bug in compose2k8s; please report it with the input that triggered it.\n`,
    );
    return EXIT.INTERNAL;
  }
}
