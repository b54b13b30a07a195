/**
 * Environment files: the project environment (process env over `.env` / `--env-file`s, as compose-go's
 * `WithDotEnv` does), and service `env_file` entries merged into `environment` (files in order, later
 * ones win; `environment` wins over all of them; optional missing files are skipped).
 */
import type { SourcePositions } from '../../model/positions.js';
import type { FileSystem } from '../fs.js';
import type { Diagnostics, SourcePos } from '../../report/diagnostic.js';
import type { Service } from '../../model/types.js';
import { parseDotenv } from './dotenv.js';
import { join, resolve } from '../../util/path.js';

export type Env = Record<string, string>;

export interface ProjectEnvInput {
  fs: FileSystem;
  diags: Diagnostics;
  sources: Map<string, string>;
  processEnv: Record<string, string | undefined>;
  /** Explicit `--env-file`s (relative to workingDir); when absent, `<dir>/.env` if it exists. */
  envFiles?: string[];
  workingDir: string;
  dir: string;
}

/**
 * The interpolation environment: process environment, plus `.env`/`--env-file` values it does not define; and the
 * files it was read from, in order.
 */
export function loadProjectEnv(input: ProjectEnvInput): { env: Env; files: string[] } {
  const proc: Env = {};
  for (const [k, v] of Object.entries(input.processEnv)) if (v !== undefined) proc[k] = v;
  // docker compose: without --env-file, COMPOSE_ENV_FILES (comma-separated) from the process environment
  // names them; COMPOSE_DISABLE_ENV_FILE=true|1 turns the default `.env` off.
  const fromVar = (proc.COMPOSE_ENV_FILES ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const listed = input.envFiles && input.envFiles.length > 0 ? input.envFiles : fromVar;
  const explicit = listed.length > 0;
  const noDefault = /^(1|true)$/i.test(proc.COMPOSE_DISABLE_ENV_FILE ?? '');
  const files = explicit ? listed.map((f) => resolve(input.workingDir, f)) : noDefault ? [] : [join(input.dir, '.env')];
  const fromFiles: Env = {};
  const read: string[] = [];
  for (const file of files) {
    const text = input.fs.readFile(file);
    if (text === undefined) {
      if (explicit)
        input.diags.error(input.envFiles?.length ? 'env-file-missing.flag' : 'env-file-missing.variable', { file });
      continue;
    }
    input.sources.set(file, text);
    read.push(file);
    const vars = parseDotenv(text, file, (name: string) => proc[name] ?? fromFiles[name], input.diags);
    Object.assign(fromFiles, vars);
  }
  return { env: { ...fromFiles, ...proc }, files: read };
}

/** Read the env_file entries of `env` (extra variables for an `include`), the including env wins. */
export function readIncludeEnv(
  fs: FileSystem,
  diags: Diagnostics,
  sources: Map<string, string>,
  files: string[],
  base: Env,
  pos: SourcePos | undefined,
  required: boolean,
): Env {
  const fromFiles: Env = {};
  for (const file of files) {
    const text = fs.readFile(file);
    if (text === undefined) {
      if (required) diags.error('env-file-missing', { file }, pos);
      continue;
    }
    sources.set(file, text);
    Object.assign(
      fromFiles,
      parseDotenv(text, file, (n: string) => base[n] ?? fromFiles[n], diags),
    );
  }
  return { ...fromFiles, ...base };
}

/**
 * Merge each service's `env_file` into its `environment` (which already holds the resolved
 * `environment:` entries and wins).
 */
export function applyServiceEnvFiles(
  services: Record<string, Service>,
  fs: FileSystem,
  diags: Diagnostics,
  sources: Map<string, string>,
  positions: SourcePositions,
  projectEnv: Env,
): void {
  for (const svc of Object.values(services)) {
    const refs = svc.env_file;
    if (!refs || refs.length === 0) continue;
    const fromFiles: Env = {};
    refs.forEach((ref, i) => {
      const text = fs.readFile(ref.path);
      if (text === undefined) {
        if (ref.required) {
          diags.error(
            'env-file-missing.service',
            { file: ref.path, service: JSON.stringify(svc.name) },
            positions.at('services', svc.name, 'env_file', i),
          );
        }
        return;
      }
      sources.set(ref.path, text);
      const vars =
        ref.format === 'raw'
          ? parseRaw(text)
          : parseDotenv(text, ref.path, (n: string) => fromFiles[n] ?? projectEnv[n], diags);
      Object.assign(fromFiles, vars);
    });
    svc.environment = { ...fromFiles, ...svc.environment };
  }
}

/** `format: raw`: `KEY=VALUE` lines taken literally (no quotes, no interpolation); `#` lines skipped. */
function parseRaw(text: string): Env {
  const out: Env = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const at = line.indexOf('=');
    if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  return out;
}
