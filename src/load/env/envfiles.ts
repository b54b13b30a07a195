/**
 * Environment files: the project environment (process env over `.env` / `--env-file`s, as compose-go's
 * `WithDotEnv` does), and service `env_file` entries merged into `environment` (files in order, later
 * ones win; `environment` wins over all of them; optional missing files are skipped).
 */
import type { SourcePositions } from '../../model/positions.js';
import type { FileSystem } from '../fs.js';
import type { Diagnostics, SourcePos } from '../../report/diagnostic.js';
import type { Service } from '../../model/types.js';
import { parseDotenv, type BuiltValues } from './dotenv.js';
import type { InterpolatedPart } from '../../model/pointer.js';
import { join, resolve } from '../../util/path.js';

export type Env = Record<string, string>;

export interface ProjectEnvInput extends EnvFileIO {
  processEnv: Record<string, string | undefined>;
  /** Explicit `--env-file`s (relative to workingDir); when absent, `<dir>/.env` if it exists. */
  envFiles?: string[];
  workingDir: string;
  dir: string;
}

/**
 * The interpolation environment: process environment, plus `.env`/`--env-file` values it does not define; the
 * files it was read from, in order; and the pieces of each of its variables whose env-file value interpolated others
 * (`URL=postgres://u:${DB_PASS}@db`: `Project.environmentParts`).
 */
export function loadProjectEnv(input: ProjectEnvInput): {
  env: Env;
  files: string[];
  environmentParts: ReadonlyMap<string, readonly InterpolatedPart[]>;
} {
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
  const absent = new Set<string>();
  const built: BuiltValues = new Map();
  const fromFiles = readEnvFiles(
    input,
    files,
    (name, read) => proc[name] ?? read[name],
    (file) => {
      absent.add(file);
      if (explicit)
        input.diags.error(input.envFiles?.length ? 'env-file-missing.flag' : 'env-file-missing.variable', { file });
    },
    undefined,
    built,
  );
  for (const name of Object.keys(proc)) built.delete(name); // the process environment's value was built by no file
  return { env: { ...fromFiles, ...proc }, files: files.filter((f) => !absent.has(f)), environmentParts: built };
}

/** What reading env files needs: where, where to report, and where to keep each text read (for code frames). */
export interface EnvFileIO {
  fs: FileSystem;
  diags: Diagnostics;
  sources: Map<string, string>;
}

/**
 * Env-format `files` read in order into one map, a later file winning. `${VAR}` in a value is `lookup(VAR, read)`,
 * `read` holding the variables of the files read so far; `missing` is told of each file that does not exist; a file
 * whose index `raw` accepts is read in the `raw` format; `built` collects the pieces of interpolated values (parseDotenv).
 */
export function readEnvFiles(
  io: EnvFileIO,
  files: readonly string[],
  lookup: (name: string, read: Env) => string | undefined,
  missing: (file: string, i: number) => void,
  raw?: (i: number) => boolean,
  built?: BuiltValues,
): Env {
  const read: Env = {};
  files.forEach((file, i) => {
    const text = io.fs.readFile(file);
    if (text === undefined) return missing(file, i);
    io.sources.set(file, text);
    Object.assign(read, raw?.(i) ? parseRaw(text) : parseDotenv(text, file, (n) => lookup(n, read), io.diags, built));
  });
  return read;
}

/** Read the env_file entries of `env` (extra variables for an `include`), the including env wins. */
export function readIncludeEnv(
  io: EnvFileIO,
  files: string[],
  base: Env,
  pos: SourcePos | undefined,
  required: boolean,
): Env {
  const fromFiles = readEnvFiles(
    io,
    files,
    (n, read) => base[n] ?? read[n],
    (file) => {
      if (required) io.diags.error('env-file-missing', { file }, pos);
    },
  );
  return { ...fromFiles, ...base };
}

/**
 * Merge each service's `env_file` into its `environment` (which already holds the resolved
 * `environment:` entries and wins). Values are interpolated from the files read so far, then the project
 * environment (compose-go `WithServicesEnvironmentResolved`); returned: per service, the variables it takes from
 * its env_files whose value interpolated others, with their pieces (`Project.envFileParts`).
 */
export function applyServiceEnvFiles(
  services: Record<string, Service>,
  fs: FileSystem,
  diags: Diagnostics,
  sources: Map<string, string>,
  positions: SourcePositions,
  projectEnv: Env,
): Map<string, ReadonlyMap<string, readonly InterpolatedPart[]>> {
  const parts = new Map<string, ReadonlyMap<string, readonly InterpolatedPart[]>>();
  for (const svc of Object.values(services)) {
    const refs = svc.env_file;
    if (!refs || refs.length === 0) continue;
    const built: BuiltValues = new Map();
    const absent = new Set<number>();
    const fromFiles = readEnvFiles(
      { fs, diags, sources },
      refs.map((ref) => ref.path),
      (n, read) => read[n] ?? projectEnv[n],
      (file, i) => {
        absent.add(i);
        if (refs[i]!.required)
          diags.error(
            'env-file-missing.service',
            { file, service: JSON.stringify(svc.name) },
            positions.at('services', svc.name, 'env_file', i),
          );
      },
      (i) => refs[i]!.format === 'raw',
      built,
    );
    // What `environment:` sets, or a later raw file or bare `KEY` line replaced, is not the env_file's value.
    for (const [key, pieces] of built)
      if (key in svc.environment || pieces.map((p) => p.text).join('') !== fromFiles[key]) built.delete(key);
    if (built.size) parts.set(svc.name, built);
    svc.environment = { ...fromFiles, ...svc.environment };
    // Only the files read stay (Service.env_file): the report names them, not an optional file that is not there.
    if (absent.size) svc.env_file = refs.filter((_, i) => !absent.has(i));
  }
  return parts;
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
