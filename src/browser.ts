/**
 * The lean entry of compose2k8s (`import 'compose2k8s'` under the `browser` condition, or
 * `compose2k8s/browser`): load, convert, YAML/JSON output and the report, nothing else. Browser-safe: no
 * Node built-ins here (the Node file system adapter lives in src/node/). Kept small for web pages:
 * - the report's wording is not included: pass `texts` (TEXTS of `compose2k8s/texts`, which a page can load
 *   lazily) for worded messages and fixes. Without it an entry has no `fix`, and its `message` is the outcome id
 *   and placeholder values it is made of, in the order the step gave them: `ports.published-http (port=80,
 *   service=web)`, a bare id when there are none, downgrades appended after `; ` as with the texts; a value that the
 *   texts word as a phrase (report.yaml `phrases`) is the phrase id (`why=server.ports`), a list of phrases their ids
 *   (`notes=port.not-web port.range`). The rest (ids, statuses, objects, positions, the placeholder `values`) is the
 *   same;
 * - a pitfall finding likewise: its `message` is its id (its pitfall, or `pitfall.variant`) and values, no `fix`;
 * - nor is the diagnostics' wording (mappings/diagnostics.yaml): without `texts` a diagnostic's `message` is its id
 *   (its code, or `code.variant` where a code has several wordings) and placeholder values, in the order the step
 *   gave them (`invalid-port.protocol (where=services.web.ports[0], protocol=sctp)`, a bare id when there are none),
 *   with secret values redacted as in worded messages, and it has no `hint`; code, severity and position are the same;
 * - Helm, Kustomize and `-o DIR` layouts, and the report as the CLI prints it (formatReport, formatReportJson),
 *   are in `compose2k8s/render` (src/renderers.ts);
 * - the output modes `podSecurity: 'restricted'` and `ingress: 'gateway'` are in `compose2k8s/modes` (src/modes.ts),
 *   used when passed as `modes`; without them such an option is a `mode-not-loaded` error;
 * - only the Compose Spec is read: kompose labels, `x-k8s`, Traefik / Docker helper labels, ofelia jobs and a built
 *   service's Dockerfile are dialects in `compose2k8s/dialects` (src/dialects.ts), read when passed as `dialects`;
 *   without them each such label or key, and each Dockerfile there was to read, has a `report.dialect-not-loaded`
 *   entry (a built service's heuristics then see only its `image:`).
 * The default Node entry (src/index.ts) is this plus all four, with the texts, the dialects and the modes attached.
 *
 *   const { objects, report, diagnostics } = convert({ files: [{ path: 'compose.yaml', content }] });
 */
import { loadProject } from './load/project.js';
import { memoryFs, type FileSystem } from './load/fs.js';
import type { InlineFile } from './load/api.js';
import { convertProject } from './convert/index.js';
import type { ConvertOptions } from './convert/intent/options.js';
import type { KubeObject } from './kube/object.js';
import { Redactor } from './kube/redact.js';
import type { Project } from './model/types.js';
import type { Report } from './report/entry.js';
import { Diagnostics, type Diagnostic } from './report/diagnostic.js';
import type { ReportTexts } from './mappings/outcomes.js';
import type { Dialect } from './convert/intent/dialect.js';
import type { OutputMode } from './convert/output-modes.js';

export { loadProject } from './load/project.js';
export { convertProject } from './convert/index.js';
export { memoryFs } from './load/fs.js';
export { defaultOptions } from './convert/intent/options.js';
export { sortObjects } from './kube/sort.js';
export { formatOneLine } from './report/diagnostic.js';
export { formatDiagnostics } from './report/frame.js';
export { renderYaml } from './render/yaml.js';
export { renderJson } from './render/json.js';
export { VERSION } from './version.js';
export type { FileSystem } from './load/fs.js';
export type { InlineFile, LoadOptions, LoadResult } from './load/api.js';
export type { ConvertResult } from './convert/result.js';
export type { ConvertOptions } from './convert/intent/options.js';
export type { KubeObject } from './kube/object.js';
export type { Project, Service } from './model/types.js';
export type { Report, ReportEntry, Finding, Status } from './report/entry.js';
export type { Diagnostic, DiagnosticCode, Severity, SourcePos } from './report/diagnostic.js';
export type { ReportTexts } from './mappings/outcomes.js';
export type { Dialect, DialectName } from './convert/intent/dialect.js';
export type { OutputMode, ModeName } from './convert/output-modes.js';

export interface ConvertInput {
  /** Compose files in `-f` order: inline `{ path, content }` or paths read through `fs`. Absent → discovery in workingDir. */
  files?: Array<string | InlineFile>;
  /** Where paths in `files` are read (and relative files resolved); default: an empty in-memory file system. */
  fs?: FileSystem;
  /** Absolute working directory; default `/project` (so the default project name is `project`). */
  workingDir?: string;
  /** Environment for interpolation (wins over `.env`). */
  env?: Record<string, string | undefined>;
  envFiles?: string[];
  profiles?: string[];
  projectName?: string;
  /** Directory relative paths resolve against (default: the first file's directory), like `--project-directory`. */
  projectDirectory?: string;
  /**
   * Conversion options (the table in docs/options.md). Every option given here counts as explicit: it wins over
   * the compose file's top-level `x-k8s`, which wins over the default. An invalid value is an `option-invalid`
   * diagnostic and the option keeps its default.
   */
  options?: Partial<ConvertOptions>;
  /** Do not convert when loading reported errors (the CLI's behaviour); by default what loaded is converted. */
  stopOnLoadErrors?: boolean;
  /**
   * The report's and the diagnostics' wording (TEXTS of `compose2k8s/texts`): with it every message is worded,
   * every entry that has a fix carries it and every diagnostic that has a hint too. The default entry passes it;
   * this lean entry leaves it out unless given (messages are then ids and values, see above). Texts of another
   * version never make it throw: a message or hint they lack reads as its id and values, a fix they lack is absent.
   */
  texts?: ReportTexts;
  /**
   * The input dialects to read beyond the Compose Spec (DIALECTS of `compose2k8s/dialects`, or some of them). The
   * default entry passes all; this lean entry none unless given (each label or key one would read is then reported
   * as `report.dialect-not-loaded`).
   */
  dialects?: readonly Dialect[];
  /**
   * The output modes options may ask for (MODES of `compose2k8s/modes`: `podSecurity: 'restricted'`, `ingress:
   * 'gateway'`). The default entry passes all; without its mode such an option is a `mode-not-loaded` error and the
   * pods get the default conversion.
   */
  modes?: readonly OutputMode[];
}

export interface ConvertOutput {
  /** Kubernetes objects in apply order; empty when loading failed. */
  objects: KubeObject[];
  /** Present when the project loaded. */
  report?: Report;
  /** Loader and converter diagnostics; errors among them mean the output is not to be trusted. */
  diagnostics: Diagnostic[];
  project?: Project;
  /** Text of every file read, for code frames (`formatDiagnostics(diagnostics, sources)`). */
  sources: Map<string, string>;
}

/** What a field of ConvertInput must be, checked for callers without the types (plain JavaScript). */
const STRING = (v: unknown): boolean => typeof v === 'string';
/** A value's type as a message says it: `null` and `array` apart from `object`. */
const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const STRINGS = (v: unknown): boolean => Array.isArray(v) && v.every(STRING);
const INPUT_FIELDS: ReadonlyArray<[keyof ConvertInput, string, (v: unknown) => boolean]> = [
  ['workingDir', 'a string (an absolute path)', STRING],
  ['projectName', 'a string', STRING],
  ['projectDirectory', 'a string (a path)', STRING],
  ['envFiles', 'a list of paths', STRINGS],
  ['profiles', 'a list of profile names', STRINGS],
  ['options', 'an object of conversion options', (v) => typeof v === 'object' && v !== null && !Array.isArray(v)],
];
const isFile = (f: unknown): boolean =>
  typeof f === 'string' ||
  (typeof f === 'object' &&
    f !== null &&
    STRING((f as InlineFile).path) &&
    ((f as InlineFile).content === undefined || STRING((f as InlineFile).content)));

/** Each field of `input` whose type is wrong, as an `option-invalid.input` error (none with the types obeyed). */
function checkInput(input: ConvertInput, diags: Diagnostics): void {
  const bad = (name: string, reason: string, expected: string): void =>
    diags.error('option-invalid.input', { name, reason, expected });
  const files: unknown = input.files;
  if (files !== undefined && !Array.isArray(files))
    bad('files', `not a list (${typeName(files)})`, 'a list of paths or { path, content } files');
  else
    files?.forEach((f, i) => {
      if (!isFile(f)) bad(`files[${i}]`, 'not a path or a file', 'a path or { path, content } with string content');
    });
  const env: unknown = input.env;
  if (env !== undefined && (typeof env !== 'object' || env === null))
    bad('env', `not an object (${typeName(env)})`, 'an object of variable values');
  else
    for (const [k, v] of Object.entries(env ?? {}))
      if (v !== undefined && !STRING(v)) bad(`env.${k}`, `not a string (${typeName(v)})`, 'a string or undefined');
  for (const [name, expected, ok] of INPUT_FIELDS) {
    const v: unknown = input[name];
    if (v === undefined || ok(v)) continue;
    const items: unknown[] | undefined = Array.isArray(v) ? v : undefined;
    const i = items ? items.findIndex((x) => !STRING(x)) : -1;
    if (items && i >= 0) bad(`${name}[${i}]`, `not a string (${typeName(items[i])})`, `a string, in ${expected}`);
    else bad(name, `not ${expected} (${typeName(v)})`, expected);
  }
}

/** `input` without its null fields (the same object when it has none). */
function withoutNulls(input: ConvertInput): ConvertInput {
  const fields = Object.entries(input);
  return fields.some(([, v]) => v === null) ? Object.fromEntries(fields.filter(([, v]) => v !== null)) : input;
}

/** Load compose files and convert them. Never throws on bad input: problems are diagnostics. */
export function convert(given: ConvertInput = {}): ConvertOutput {
  // null from plain JavaScript, for the input or a field of it: absent, like undefined (as before the checks).
  const input = withoutNulls(given ?? {});
  const fs = input.fs ?? memoryFs({});
  const sources = new Map<string, string>();
  const invalid = new Diagnostics(input.texts);
  checkInput(input, invalid);
  if (invalid.list.length) return { objects: [], diagnostics: invalid.list, sources };
  try {
    // The loader's options are fields of the input (the loader takes an empty one as absent); the rest it ignores.
    const loaded = loadProject({ ...input, workingDir: input.workingDir ?? '/project', fs, env: input.env ?? {} });
    for (const [k, v] of loaded.sources) sources.set(k, v);
    if (!loaded.project) return { objects: [], diagnostics: loaded.diagnostics, sources };
    if (input.stopOnLoadErrors && loaded.diagnostics.some((d) => d.severity === 'error'))
      return { objects: [], diagnostics: loaded.diagnostics, project: loaded.project, sources };
    const result = convertProject(loaded.project, input.options ?? {}, fs, input.texts, input.dialects, input.modes);
    return {
      objects: result.objects,
      report: result.report,
      diagnostics: [...loaded.diagnostics, ...result.diagnostics],
      project: loaded.project,
      sources,
    };
  } catch (e) {
    const diags = new Diagnostics(input.texts);
    diags.error('internal-error', { error: new Redactor([]).text(e instanceof Error ? e.message : String(e)) });
    return { objects: [], diagnostics: diags.list, sources };
  }
}
