/**
 * Public shape of the loader (src/load/project.ts implements `loadProject`).
 */
import type { FileSystem } from './fs.js';
import type { Diagnostic, DiagnosticTexts } from '../report/diagnostic.js';
import type { Project } from '../model/types.js';

export interface InlineFile {
  /** Absolute path (or a name such as `-`/`<stdin>` resolved against workingDir). */
  path: string;
  content: string;
}

export interface LoadOptions {
  /** Compose files, in `-f` order. Strings are paths (relative to workingDir). Empty/absent → default file discovery in workingDir. */
  files?: Array<string | InlineFile>;
  /** Absolute working directory (where discovery and relative paths start). */
  workingDir: string;
  fs: FileSystem;
  /** The process environment (wins over `.env`). */
  env?: Record<string, string | undefined>;
  /** Explicit `--env-file`s (relative to workingDir); they replace the default `.env`. */
  envFiles?: string[];
  /** Active profiles (`--profile`); `COMPOSE_PROFILES` from the environment is added. */
  profiles?: string[];
  /** `-p`: wins over `name:` and COMPOSE_PROJECT_NAME. */
  projectName?: string;
  /** Project directory override (`--project-directory`); default: the first file's directory. */
  projectDirectory?: string;
  /**
   * The diagnostics' wording (TEXTS of `compose2k8s/texts`; the default entry and the CLI attach it). Without it
   * a diagnostic's message is its id and placeholder values and it has no hint.
   */
  texts?: DiagnosticTexts;
}

export interface LoadResult {
  /** Present when there were no errors. */
  project?: Project;
  diagnostics: Diagnostic[];
  /** Text of every file read (for code frames). */
  sources: Map<string, string>;
}
