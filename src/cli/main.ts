#!/usr/bin/env node
/**
 * The `compose2k8s` binary: builds the commander program and runs it against the real process.
 * Commands register in `buildProgram`; exit codes: 0 ok, 2 input/usage problems, 3 internal errors.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

function isEntry(): boolean {
  try {
    return (
      process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
}

if (isEntry()) process.exitCode = await runCli(process.argv.slice(2));
