/**
 * The `compose2k8s` program: builds the commander program and runs it against injected I/O (src/cli/bin.ts
 * runs it against the real process; the published binary is the bundle scripts/build-cli.mjs makes).
 * Commands register in `buildProgram`; exit codes: 0 ok, 2 input/usage problems, 3 internal errors.
 */
import { Command, CommanderError } from 'commander';
import { CliExit, EXIT, nodeIO, type CliIO } from './common.js';
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

/** Run the CLI with `args` (without `node` and the script); resolves to the exit code. */
export async function runCli(args: string[], io: CliIO = nodeIO()): Promise<number> {
  try {
    await buildProgram(io).parseAsync(args, { from: 'user' });
    return EXIT.OK;
  } catch (e) {
    if (e instanceof CliExit) return e.exitCode;
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0
        ? EXIT.OK
        : EXIT.INPUT;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr(
      `compose2k8s: internal error: ${msg}\nThis is a bug in compose2k8s; please report it with the input that triggered it.\n`,
    );
    return EXIT.INTERNAL;
  }
}
