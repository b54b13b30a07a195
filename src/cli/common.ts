/**
 * What every compose2k8s command shares: the I/O it runs against (injected, so tests run the program
 * in process), the loading flags' meaning (`-f`, `--profile`, `--env-file`, `-p`, `--project-directory`; their
 * commander options are in ./options.ts), exit codes and diagnostic printing. Nothing here prints a stack trace,
 * and nothing here loads commander (a plain conversion runs without it: ./main.ts).
 */
import { readFileSync } from 'node:fs';
import type { FileSystem } from '../load/fs.js';
import type { InlineFile, LoadOptions, LoadResult } from '../load/api.js';
import { loadProject } from '../load/project.js';
import { TEXTS } from '../mappings/texts.js';
import { nodeFs } from '../node/fs.js';
import { fdWriter } from '../node/stdio.js';
import type { Diagnostic, DiagnosticCode } from '../report/diagnostic.js';
import { formatDiagnostics } from '../report/frame.js';
import { formatDiagnosticsJson } from '../report/format.js';

export const EXIT = {
  OK: 0,
  /** Invalid input or usage: bad compose file, unknown flag, missing file. */
  INPUT: 2,
  /** A bug in compose2k8s. */
  INTERNAL: 3,
} as const;

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): string;
  fs: FileSystem;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The real process: node:fs, process.cwd(), process.env; output written synchronously to fds 1 and 2. */
export function nodeIO(): CliIO {
  return {
    stdout: fdWriter(1),
    stderr: fdWriter(2),
    readStdin: () => readFileSync(0, 'utf8'),
    fs: nodeFs,
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Thrown by command actions to end the run with an exit code (after printing what they had to). */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

export interface LoadFlags {
  file?: string[];
  profile?: string[];
  envFile?: string[];
  projectName?: string;
  projectDirectory?: string;
}

/** Ends a run with exit 2 after saying why (as text, or as JSON under `--report json`). */
export type FailUsage = (code: DiagnosticCode, message: string) => never;

/** The plain-text way to end a run with exit 2: `compose2k8s: error CODE: message` on stderr. */
export function textFail(io: CliIO): FailUsage {
  return (code, message) => {
    io.stderr(`compose2k8s: error ${code}: ${message}\n`);
    throw new CliExit(EXIT.INPUT);
  };
}

/**
 * The JSON way to end a run with exit 2 (`convert --report json`, `lint --format json`): the diagnostics collected so
 * far (`diags`) and this error as one JSON document on stderr, the one report/format.ts formatDiagnosticsJson
 * writes when there is no report, so a script reading the JSON can parse every failure.
 */
export function jsonFail(io: CliIO, diags: Diagnostic[]): FailUsage {
  return (code, message) => {
    diags.push({ severity: 'error', code, message });
    io.stderr(formatDiagnosticsJson(diags, { baseDir: io.cwd }));
    throw new CliExit(EXIT.INPUT);
  };
}

/**
 * The compose files of a run, in merge order: all given with -f, or all as arguments. Both at once is a usage
 * error: `compose2k8s base.yml -f override.yml` reads as base first, `compose2k8s -f base.yml override.yml` as the
 * opposite, and a silent guess merges a base over its override.
 */
export function composeFiles(
  fail: FailUsage,
  flagged: readonly string[] | undefined,
  positional: readonly string[],
): string[] {
  if (flagged?.length && positional.length)
    fail(
      'usage',
      `compose files given both as arguments (${positional.join(', ')}) and with -f (${flagged.join(', ')}): give them all with -f, in merge order`,
    );
  return [...(flagged?.length ? flagged : positional)];
}

/** Print diagnostics (`file:line:col: severity code: message` + code frame) to stderr. */
export function printDiagnostics(io: CliIO, diags: Diagnostic[], sources: ReadonlyMap<string, string>): void {
  const shown = diags.filter((d) => d.severity !== 'info' || d.pos);
  if (shown.length === 0) return;
  io.stderr(formatDiagnostics(shown, sources) + '\n');
}

/** What the load flags (-f, --env-file, --profile, -p, --project-directory) ask for, as a LoadOptions input. */
export function loadInput(flags: LoadFlags, io: CliIO): Omit<LoadOptions, 'texts'> {
  let stdin: string | undefined;
  return {
    files: (flags.file ?? []).map((f): string | InlineFile => {
      if (f !== '-') return f;
      stdin ??= io.readStdin();
      return { path: '-', content: stdin };
    }),
    workingDir: io.cwd,
    fs: io.fs,
    env: io.env,
    ...(flags.envFile ? { envFiles: flags.envFile } : {}),
    ...(flags.profile ? { profiles: flags.profile } : {}),
    ...(flags.projectName ? { projectName: flags.projectName } : {}),
    ...(flags.projectDirectory ? { projectDirectory: flags.projectDirectory } : {}),
  };
}

/** Load the project the flags describe; on errors prints them and throws `CliExit(2)`. */
export function loadFromFlags(
  flags: LoadFlags,
  io: CliIO,
  /** Receives the diagnostics instead of printing them (e.g. to put them into a JSON report). */
  onDiagnostics?: (diags: Diagnostic[], sources: ReadonlyMap<string, string>) => void,
): LoadResult & { project: NonNullable<LoadResult['project']> } {
  const result = loadProject({ ...loadInput(flags, io), texts: TEXTS });
  const shown = result.diagnostics.filter((d) => d.severity !== 'info');
  if (onDiagnostics) onDiagnostics(shown, result.sources);
  else printDiagnostics(io, shown, result.sources);
  if (!result.project || result.diagnostics.some((d) => d.severity === 'error')) throw new CliExit(EXIT.INPUT);
  return result as LoadResult & { project: NonNullable<LoadResult['project']> };
}
