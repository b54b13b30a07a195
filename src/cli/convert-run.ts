/**
 * What the default command does, `compose2k8s [FILE...]`: load the project, convert it, print the manifests on
 * stdout (or write one file per object with `-o DIR`, atomically) and the report on stderr. Its flags are parsed by
 * commander (./convert.ts), or not at all for a plain run (./main.ts): nothing here loads commander.
 * Exit codes: 0 ok; 1 `--strict` with unsupported keys (then nothing is printed or written), or `--check DIR` found
 * drift; 2 bad input/usage.
 */
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { convert, TEXTS } from '../index.js';
import { amendReport, type Amendment } from '../convert/book.js';
import type { ConvertOptions } from '../convert/intent/options.js';
import type { KubeObject } from '../kube/object.js';
import type { Project } from '../model/types.js';
import { join } from '../util/path.js';
import { isTerminal } from '../node/stdio.js';
import { writeDirAtomic } from '../node/write.js';
import { diffFiles, hasDrift, renderFiles, type RenderedFile } from '../render/files.js';
import type { HelmEnvironment } from '../render/helm/chart.js';
import { renderJson } from '../render/json.js';
import { renderYaml } from '../render/yaml.js';
import type { Report } from '../report/entry.js';
import { environmentEntries, withEnvironmentEntries } from '../report/environments.js';
import {
  formatAttention,
  formatDiagnosticsJson,
  formatReport,
  formatReportJson,
  type JsonReportExtras,
} from '../report/format.js';
import { diagnosticKey, type Diagnostic } from '../report/diagnostic.js';
import {
  CliExit,
  EXIT,
  composeFiles,
  jsonFail,
  loadInput,
  printDiagnostics,
  textFail,
  type CliIO,
  type FailUsage,
} from './common.js';
import type { ConvertFlags } from './flags.js';

/** Exit code when `--strict` finds unsupported keys or `--check` finds drift. */
export const EXIT_FINDINGS = 1;

/** Colour the report when stderr is a terminal and NO_COLOR is unset. */
function wantColor(io: CliIO): boolean {
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  const tty = (io as CliIO & { stderrIsTTY?: boolean }).stderrIsTTY;
  if (tty !== undefined) return tty;
  return io.env === process.env && isTerminal(2);
}

/**
 * How an exit-2 error is said. With `--report json` (wherever the report goes) stderr then holds exactly one JSON
 * document, the diagnostics collected so far and this error, so a script reading `--report json` can parse every
 * failure; otherwise one `compose2k8s: error CODE: message` line.
 */
function failer(io: CliIO, flags: ConvertFlags, diags: Diagnostic[]): FailUsage {
  return flags.report === 'json' ? jsonFail(io, diags) : textFail(io);
}

/**
 * Why `--report-file FILE` could not be written, checked before anything is printed or written: exit 2 means
 * nothing was written, so a failed run never reaches `| kubectl apply -f -` or an `-o` tree.
 */
function reportFileProblem(path: string): string | undefined {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) return `${path} is a directory`;
    if (st) return void accessSync(path, constants.W_OK);
    const dir = dirname(path);
    const parent = statSync(dir, { throwIfNoEntry: false });
    if (!parent) return `directory ${dir} does not exist`;
    if (!parent.isDirectory()) return `${dir} is not a directory`;
    accessSync(dir, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function emitReport(
  io: CliIO,
  flags: ConvertFlags,
  fail: FailUsage,
  report: Report,
  extras: JsonReportExtras = {},
): void {
  if (flags.report === 'none' || (flags.quiet && !flags.reportFile)) return;
  const baseDir = io.cwd;
  const opts = { color: !flags.reportFile && wantColor(io), baseDir };
  const text =
    flags.report === 'json'
      ? formatReportJson(report, { baseDir, ...extras })
      : flags.report === 'summary'
        ? formatAttention(report, opts)
        : formatReport(report, opts);
  if (!flags.reportFile) return io.stderr(text);
  try {
    writeFileSync(resolve(io.cwd, flags.reportFile), text);
  } catch (e) {
    fail('report-write-failed', `could not write ${flags.reportFile}: ${(e as Error).message}`);
  }
}

/**
 * Files currently in `dir` (hidden files and subdirectories skipped), through the injected file system.
 * `nested` (Helm charts): subdirectories are read too, and hidden files the output would write.
 */
function readDir(
  io: CliIO,
  dir: string,
  nested = false,
  expected: ReadonlySet<string> = new Set(),
): Map<string, string> | undefined {
  const abs = resolve(io.cwd, dir);
  if (!io.fs.listDir(abs)) return undefined;
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const n of io.fs.listDir(rel ? join(abs, rel) : abs) ?? []) {
      const path = rel ? `${rel}/${n}` : n;
      if (n.startsWith('.') && !expected.has(path)) continue;
      const text = io.fs.readFile(join(abs, path));
      if (text !== undefined) out.set(path, text);
      else if (nested && io.fs.isDirectory(join(abs, path))) walk(path);
    }
  };
  walk('');
  return out;
}

/** Charts and Kustomize trees (base + overlays, generator files) have subdirectories. */
const nestedOutput = (flags: ConvertFlags): boolean => flags.format === 'helm' || flags.format === 'kustomize';

/**
 * The files `-o DIR` writes for the chosen format (helm and kustomize: with one part per environment), and what the
 * format changes in the report's fixes (render/report-fixes.ts).
 * The Helm and Kustomize renderers are loaded only when asked for (a default run starts without them).
 */
async function outputFiles(
  warn: (d: Diagnostic) => void,
  objects: KubeObject[],
  flags: ConvertFlags,
  project: Project,
  environments: HelmEnvironment[],
  options: Partial<ConvertOptions>,
  report: Report,
  envReports: readonly Report[],
): Promise<{ files: RenderedFile[]; amendments: Amendment[]; envAmendments: Amendment[][] }> {
  if (flags.format === 'helm') {
    const { renderHelmEnvironments } = await import('../render/helm/chart.js');
    const { helmAmendments, environmentAmendments } = await import('../render/report-fixes.js');
    const chart = renderHelmEnvironments(objects, environments, { name: project.name, project });
    for (const o of chart.outside)
      warn({
        severity: 'warning',
        code: 'overlay-outside-values',
        message: `the ${o.environment} environment changes ${o.objects.join(', ')} beyond the chart's values; values-${o.environment}.yaml does not carry those changes`,
        hint: 'use --format kustomize for this environment (its overlay patches any field)',
      });
    return {
      files: chart.files,
      amendments: [
        ...helmAmendments(report, objects, chart.secrets),
        ...environmentAmendments(report, objects, environments),
      ],
      // An environment's own entries fill the chart's Secrets the same way (with its values file).
      envAmendments: environments.map((e, i) => helmAmendments(envReports[i]!, e.objects, chart.secrets)),
    };
  }
  if (flags.format === 'kustomize') {
    const opts = {
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
      generators: options.kustomizeGenerators !== false,
    };
    const { kustomizeAmendments, environmentAmendments } = await import('../render/report-fixes.js');
    const target = {
      ...opts,
      dir: flags.output ?? flags.check ?? '.',
      overlays: environments.map((e) => e.name),
    };
    const amendments = [
      ...kustomizeAmendments(report, objects, target),
      ...environmentAmendments(report, objects, environments),
    ];
    // An environment's own entries: its Secrets are generated too (a Secret only it has, from its overlay's files).
    const inBase = new Set(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name));
    const envAmendments = environments.map((e, i) =>
      kustomizeAmendments(envReports[i]!, e.objects, { ...target, environment: { name: e.name, inBase } }),
    );
    if (environments.length)
      return {
        files: (await import('../render/overlays.js')).renderKustomizeOverlays(objects, environments, opts),
        amendments,
        envAmendments,
      };
    return {
      files: (await import('../render/kustomize.js')).renderKustomize(objects, opts),
      amendments,
      envAmendments,
    };
  }
  return { files: renderFiles(objects, flags.format), amendments: [], envAmendments: [] };
}

/**
 * The `--controller NAME=KIND` names that are a service of no conversion of the run (the base, or an environment
 * that adds it; a service a profile leaves out counts): a typo the conversion cannot apply, so bad usage.
 */
function unknownControllerServices(
  options: Partial<ConvertOptions>,
  projects: ReadonlyArray<Project | undefined>,
): string[] {
  return Object.keys(options.controllers ?? {})
    .filter((n) => !projects.some((p) => p && (n in p.services || n in p.disabledServices)))
    .sort();
}

export async function runConvert(
  io: CliIO,
  positional: string[],
  flags: ConvertFlags,
  options: Partial<ConvertOptions>,
): Promise<void> {
  const json = flags.report === 'json';
  const diags: Diagnostic[] = [];
  const fail: FailUsage = failer(io, flags, diags);
  if (flags.check && flags.output) fail('usage', '--check and -o/--output cannot be used together');
  if (flags.createNamespace && !flags.namespace) fail('usage', '--create-namespace needs -n/--namespace');
  if ((flags.format === 'helm' || flags.format === 'kustomize') && !flags.output && !flags.check)
    fail('usage', `--format ${flags.format} writes a directory: add -o DIR (or --check DIR)`);
  const overlays = flags.overlay ?? [];
  if (overlays.length && flags.format !== 'helm' && flags.format !== 'kustomize')
    fail('usage', '--overlay needs --format kustomize or --format helm');
  const files = composeFiles(fail, flags.file, positional);
  if (overlays.length && files.includes('-')) fail('usage', '--overlay cannot be used with a compose file on stdin');
  const reportProblem = flags.reportFile ? reportFileProblem(resolve(io.cwd, flags.reportFile)) : undefined;
  if (reportProblem) fail('report-write-failed', `cannot write ${flags.reportFile}: ${reportProblem}`);
  // Text mode prints diagnostics as they come; JSON mode collects them into the one document (on stderr, or in the
  // report file).
  const collect = json
    ? (d: Diagnostic[]) => void diags.push(...d)
    : (d: Diagnostic[], sources: ReadonlyMap<string, string>) =>
        printDiagnostics(io, flags.quiet ? d.filter((x) => x.severity === 'error') : d, sources);
  const jsonOnStderr = json && !flags.reportFile;
  const say = (text: string): void => {
    if (!jsonOnStderr && !flags.quiet) io.stderr(text);
  };
  /** What makes the exit code 1 (drift, --strict) is said even under --quiet. */
  const sayFailure = (text: string): void => {
    if (!jsonOnStderr) io.stderr(text);
  };
  // The CLI is a caller of the library's one entry: it builds a convert() input from the flags.
  const out = convert({ ...loadInput({ ...flags, file: files }, io), options, stopOnLoadErrors: true });
  collect(
    out.diagnostics.filter((d) => d.severity !== 'info'),
    out.sources,
  );
  const { objects, report, project } = out;
  if (!project || !report || out.diagnostics.some((d) => d.severity === 'error')) {
    if (json) io.stderr(formatDiagnosticsJson(diags, { baseDir: io.cwd }));
    throw new CliExit(EXIT.INPUT);
  }
  const warn = (d: Diagnostic): void => {
    if (json) diags.push(d);
    else if (!flags.quiet) printDiagnostics(io, [d], new Map());
  };
  // Each environment is the plain conversion of the base files (as loaded) plus its own, like -f a -f b.
  const environments: HelmEnvironment[] = [];
  const envReports: Report[] = [];
  const said = new Set(out.diagnostics.map(diagnosticKey));
  for (const o of overlays) {
    const input = loadInput({ ...flags, file: files }, io);
    const env = convert({
      ...input,
      files: [...project.composeFiles, ...o.files],
      profiles: [...(input.profiles ?? []), ...o.profiles],
      options,
      stopOnLoadErrors: true,
    });
    const errors = env.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || !env.project) {
      collect(errors, env.sources);
      fail(
        'usage',
        `the ${o.name} overlay (${[...o.files, ...o.profiles.map((p) => `profile:${p}`)].join(', ')}) could not be converted`,
      );
    }
    // The environment's warnings that the base's conversion has not given already (an override's own files and
    // keys; the base files' warnings come again in every environment).
    collect(
      env.diagnostics.filter((d) => d.severity === 'warning' && !said.has(diagnosticKey(d))),
      env.sources,
    );
    for (const d of env.diagnostics) said.add(diagnosticKey(d));
    environments.push({ name: o.name, objects: env.objects, project: env.project });
    envReports.push(env.report ?? { ...report, entries: [] });
  }
  const unknown = unknownControllerServices(options, [project, ...environments.map((e) => e.project)]);
  if (unknown.length)
    fail(
      'usage',
      `${unknown.map((n) => `--controller ${n}=${options.controllers![n]!}`).join(', ')}: the project has no such service (services: ${Object.keys(project.services).sort().join(', ')})`,
    );

  // A refused conversion is like bad input: the report says why, and no manifest is printed or written (a pipe into
  // `kubectl apply -f -` or a committed -o tree must not get what --strict refused). --check writes nothing anyway.
  // The report says what each environment adds, after the format's amendments to its items and the base's (at
  // output): an environment's Secret is filled as the format says, not by the plain conversion's kubectl create.
  const full = (): Report =>
    withEnvironmentEntries(
      report,
      environments.flatMap((e, i) => environmentEntries(report, e.name, envReports[i]!)),
    );
  const amendAll = (out: { amendments: Amendment[]; envAmendments: Amendment[][] }): void => {
    amendReport(report, out.amendments, TEXTS);
    envReports.forEach((r, i) => amendReport(r, out.envAmendments[i] ?? [], TEXTS));
  };
  const strictFail = flags.strict === true && full().summary.unsupported > 0;
  let drift = false;
  if (flags.check) {
    const expectedOut = await outputFiles(warn, objects, flags, project, environments, options, report, envReports);
    const expected = expectedOut.files;
    amendAll(expectedOut);
    const actual = readDir(io, flags.check, nestedOutput(flags), new Set(expected.map((f) => f.path)));
    if (!actual) fail('check-not-directory', `${flags.check} is not a directory`);
    const d = diffFiles(expected, actual);
    emitReport(io, flags, fail, full(), {
      diagnostics: diags,
      drift: { missing: d.missing, changed: d.changed, extra: d.extra },
    });
    drift = hasDrift(d);
    if (drift) {
      const lines = [
        ...d.missing.map((f) => `  missing: ${f}`),
        ...d.changed.map((f) => `  changed: ${f}`),
        ...d.extra.map((f) => `  extra:   ${f}`),
      ];
      sayFailure(
        `compose2k8s: ${flags.check} is out of date:\n${lines.join('\n')}\nrun with${flags.format === 'yaml' ? '' : ` --format ${flags.format}`} -o ${flags.check} --force to update it\n`,
      );
    } else say(`compose2k8s: ${flags.check} is up to date\n`);
  } else if (strictFail) {
    emitReport(io, flags, fail, full(), { diagnostics: diags });
  } else if (flags.output) {
    const out = await outputFiles(warn, objects, flags, project, environments, options, report, envReports);
    amendAll(out);
    const res = writeDirAtomic(resolve(io.cwd, flags.output), out.files, {
      force: flags.force ?? false,
      nested: nestedOutput(flags),
    });
    if (!res.ok) fail(res.code, res.message);
    emitReport(io, flags, fail, full(), { diagnostics: diags });
    say(`compose2k8s: wrote ${res.written.length} file(s) to ${flags.output}\n`);
  } else {
    // A report file is written first: should that fail after all, no manifest has been printed.
    if (flags.reportFile) emitReport(io, flags, fail, full(), { diagnostics: diags });
    io.stdout(flags.format === 'json' ? renderJson(objects) : renderYaml(objects));
    if (!flags.reportFile) emitReport(io, flags, fail, full(), { diagnostics: diags });
  }

  if (strictFail)
    sayFailure(
      `compose2k8s: --strict: ${full().summary.unsupported} key(s) could not be converted${flags.check ? '' : flags.output ? `; nothing was written to ${flags.output}` : '; no manifest was printed'}\n`,
    );
  if (strictFail || drift) throw new CliExit(EXIT_FINDINGS);
}
