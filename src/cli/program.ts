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
import { VERSION } from '../version.js';

export function buildProgram(io: CliIO = nodeIO()): Command {
  const program = new Command('compose2k8s')
    .description('Convert Docker Compose projects to Kubernetes manifests')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  program.addCommand(configCommand(io));
  program.addCommand(lintCommand(io));
  // ── Register the conversion command here (the default: `compose2k8s [FILE...]`). ──
  registerConvert(program, io);
  for (const c of program.commands)
    c.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  return program;
}

/**
 * Parse `args` with commander and run the command; resolves to the exit code of commander's own outcomes (help,
 * version, usage errors). What the commands throw (CliExit, bugs) is ./main.ts's to handle.
 */
export async function runProgram(args: string[], io: CliIO): Promise<number> {
  try {
    await buildProgram(io).parseAsync(args, { from: 'user' });
    return EXIT.OK;
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0
      ? EXIT.OK
      : EXIT.INPUT;
  }
}
