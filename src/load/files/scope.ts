/** The loader's view of one file being loaded, shared by the pipeline (project.ts), include and extends. */
import type { FileSystem } from '../fs.js';
import type { DiagnosticId, Diagnostics, SourcePos } from '../../report/diagnostic.js';
import type { Env } from '../env/envfiles.js';
import type { Obj } from './merge.js';

/** Where one compose file is being loaded: its path and directory, its project's directory and environment. */
export interface FileScope {
  file: string;
  dir: string;
  workingDir: string;
  env: Env;
  /** Files that include this one (outermost first), for cycle detection. */
  includeChain: string[];
}

export interface ModelLoader {
  fs: FileSystem;
  diags: Diagnostics;
  sources: Map<string, string>;
  /** Load one file fully (parse, interpolate, include, extends); `missingCode` is reported at `pos` when absent. */
  loadFile(
    file: string,
    workingDir: string,
    env: Env,
    includeChain: string[],
    pos?: SourcePos,
    missingCode?: DiagnosticId,
  ): Obj | undefined;
  /** True while `file` is being loaded (extends across files uses it to detect cycles). */
  isLoading(file: string): boolean;
}
