/**
 * The default command, `compose2k8s [FILE...]`: load the project, convert it, print the manifests on
 * stdout (or write one file per object with `-o DIR`, atomically) and the report on stderr.
 * Exit codes: 0 ok; 1 `--strict` with unsupported keys, or `--check DIR` found drift; 2 bad input/usage.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { convert } from '../index.js';
import type { ConvertOptions } from '../convert/intent/options.js';
import type { ControllerKind } from '../convert/plan/pod.js';
import type { KubeObject } from '../kube/object.js';
import type { Project } from '../model/types.js';
import { join } from '../util/path.js';
import { isTerminal } from '../node/stdio.js';
import { writeDirAtomic } from '../node/write.js';
import { diffFiles, hasDrift, renderFiles, type OutputFormat, type RenderedFile } from '../render/files.js';
import type { HelmEnvironment } from '../render/helm/chart.js';
import { renderJson } from '../render/json.js';
import { renderYaml } from '../render/yaml.js';
import type { Report } from '../report/entry.js';
import {
  formatAttention,
  formatDiagnosticsJson,
  formatReport,
  formatReportJson,
  type JsonReportExtras,
} from '../report/format.js';
import type { Diagnostic, DiagnosticCode } from '../report/diagnostic.js';
import { addConversionOptions, conversionOptions } from './options.js';
import { parseOverlay, type OverlaySpec } from './overlays.js';
import {
  addLoadOptions,
  CliExit,
  EXIT,
  loadInput,
  nodeIO,
  printDiagnostics,
  type CliIO,
  type LoadFlags,
} from './common.js';

/** Exit code when `--strict` finds unsupported keys or `--check` finds drift. */
export const EXIT_FINDINGS = 1;

interface ConvertFlags extends LoadFlags {
  output?: string;
  force?: boolean;
  /** helm and kustomize write a directory (-o) or check one (--check). */
  format: OutputFormat | 'helm' | 'kustomize';
  /** summary (default: what needs attention), table (every item; `text` is its old name), json, none. */
  report: 'summary' | 'table' | 'text' | 'json' | 'none';
  quiet?: boolean;
  reportFile?: string;
  strict?: boolean;
  check?: string;
  namespace?: string;
  createNamespace?: boolean;
  secrets: ConvertOptions['secrets'];
  exposeType: ConvertOptions['exposeType'];
  ingressHost?: string;
  ingressClass?: string;
  ingressTlsSecret?: string;
  volumeSize: string;
  storageClass?: string;
  hostPath?: boolean;
  networkPolicies: boolean;
  defaultProbes: boolean;
  podSecurity?: 'restricted';
  controller?: Record<string, ControllerKind>;
  /** Environments (--overlay), for --format kustomize and helm. */
  overlay?: OverlaySpec[];
}

const EXAMPLES = `
Examples:
  compose2k8s                                   convert ./compose.yaml, manifests on stdout
  compose2k8s compose.yaml compose.prod.yaml    merge two files, like docker compose -f a -f b
  compose2k8s -o k8s/ --force                   one file per object in k8s/ (replacing its content)
  compose2k8s -n shop --create-namespace | kubectl apply -f -
  compose2k8s --ingress-host shop.example.com --ingress-tls-secret shop-tls
  compose2k8s --report json 2> report.json      machine-readable conversion report
  compose2k8s --strict --check k8s/             CI: fail on unsupported keys or stale manifests
  compose2k8s --format helm -o chart/           a Helm chart (values.yaml holds images, replicas, ...)
  compose2k8s --format kustomize -o k8s/base/   a Kustomize base for overlays
  compose2k8s --format kustomize -o k8s/ --overlay prod=compose.prod.yaml --overlay dev=profile:debug
                                                k8s/base/ + k8s/overlays/{prod,dev}/ (kubectl apply -k k8s/overlays/prod)
  compose2k8s --format helm -o chart/ --overlay prod=compose.prod.yaml
                                                chart/values-prod.yaml (helm install shop chart/ -f chart/values-prod.yaml)
`;

/** Colour the report when stderr is a terminal and NO_COLOR is unset. */
function wantColor(io: CliIO): boolean {
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  const tty = (io as CliIO & { stderrIsTTY?: boolean }).stderrIsTTY;
  if (tty !== undefined) return tty;
  return io.env === process.env && isTerminal(2);
}

function fail(io: CliIO, code: DiagnosticCode, message: string): never {
  io.stderr(`compose2k8s: error ${code}: ${message}\n`);
  throw new CliExit(EXIT.INPUT);
}

/** `--report json` on stderr: stderr then holds exactly one JSON document, so scripts can parse it. */
function jsonOnStderr(flags: ConvertFlags): boolean {
  return flags.report === 'json' && !flags.reportFile;
}

function emitReport(io: CliIO, flags: ConvertFlags, report: Report, extras: JsonReportExtras = {}): void {
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
    fail(io, 'report-write-failed', `could not write ${flags.reportFile}: ${(e as Error).message}`);
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
 * The files `-o DIR` writes for the chosen format (helm and kustomize: with one part per environment).
 * The Helm and Kustomize renderers are loaded only when asked for (a default run starts without them).
 */
async function outputFiles(
  warn: (d: Diagnostic) => void,
  objects: KubeObject[],
  flags: ConvertFlags,
  project: Project,
  environments: HelmEnvironment[],
  options: Partial<ConvertOptions>,
): Promise<RenderedFile[]> {
  if (flags.format === 'helm') {
    const { renderHelmEnvironments } = await import('../render/helm/chart.js');
    const chart = renderHelmEnvironments(objects, environments, { name: project.name, project });
    for (const o of chart.outside)
      warn({
        severity: 'warning',
        code: 'overlay-outside-values',
        message: `the ${o.environment} environment changes ${o.objects.join(', ')} beyond the chart's values; values-${o.environment}.yaml does not carry those changes`,
        hint: 'use --format kustomize for this environment (its overlay patches any field)',
      });
    return chart.files;
  }
  if (flags.format === 'kustomize') {
    const opts = {
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
      generators: options.kustomizeGenerators !== false,
    };
    if (environments.length)
      return (await import('../render/overlays.js')).renderKustomizeOverlays(objects, environments, opts);
    return (await import('../render/kustomize.js')).renderKustomize(objects, opts);
  }
  return renderFiles(objects, flags.format);
}

async function run(
  io: CliIO,
  positional: string[],
  flags: ConvertFlags,
  options: Partial<ConvertOptions>,
): Promise<void> {
  if (flags.check && flags.output) fail(io, 'usage', '--check and -o/--output cannot be used together');
  if (flags.createNamespace && !flags.namespace) fail(io, 'usage', '--create-namespace needs -n/--namespace');
  if ((flags.format === 'helm' || flags.format === 'kustomize') && !flags.output && !flags.check)
    fail(io, 'usage', `--format ${flags.format} writes a directory: add -o DIR (or --check DIR)`);
  const overlays = flags.overlay ?? [];
  if (overlays.length && flags.format !== 'helm' && flags.format !== 'kustomize')
    fail(io, 'usage', '--overlay needs --format kustomize or --format helm');
  const files = [...(flags.file ?? []), ...positional];
  if (overlays.length && files.includes('-'))
    fail(io, 'usage', '--overlay cannot be used with a compose file on stdin');
  const json = jsonOnStderr(flags);
  const diags: Diagnostic[] = [];
  // Text mode prints diagnostics as they come; JSON mode collects them into the one document.
  const collect = json
    ? (d: Diagnostic[]) => void diags.push(...d)
    : (d: Diagnostic[], sources: ReadonlyMap<string, string>) =>
        printDiagnostics(io, flags.quiet ? d.filter((x) => x.severity === 'error') : d, sources);
  const say = (text: string): void => {
    if (!json && !flags.quiet) io.stderr(text);
  };
  /** What makes the exit code 1 (drift, --strict) is said even under --quiet. */
  const sayFailure = (text: string): void => {
    if (!json) io.stderr(text);
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
      if (json) io.stderr(formatDiagnosticsJson(diags, { baseDir: io.cwd }));
      fail(
        io,
        'usage',
        `the ${o.name} overlay (${[...o.files, ...o.profiles.map((p) => `profile:${p}`)].join(', ')}) could not be converted`,
      );
    }
    environments.push({ name: o.name, objects: env.objects, project: env.project });
  }

  let drift = false;
  if (flags.check) {
    const expected = await outputFiles(warn, objects, flags, project, environments, options);
    const actual = readDir(io, flags.check, nestedOutput(flags), new Set(expected.map((f) => f.path)));
    if (!actual) fail(io, 'check-not-directory', `${flags.check} is not a directory`);
    const d = diffFiles(expected, actual);
    emitReport(io, flags, report, {
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
  } else if (flags.output) {
    const res = writeDirAtomic(
      resolve(io.cwd, flags.output),
      await outputFiles(warn, objects, flags, project, environments, options),
      {
        force: flags.force ?? false,
        nested: nestedOutput(flags),
      },
    );
    if (!res.ok) fail(io, res.code, res.message);
    emitReport(io, flags, report, { diagnostics: diags });
    say(`compose2k8s: wrote ${res.written.length} file(s) to ${flags.output}\n`);
  } else {
    io.stdout(flags.format === 'json' ? renderJson(objects) : renderYaml(objects));
    emitReport(io, flags, report, { diagnostics: diags });
  }

  const strictFail = flags.strict === true && report.summary.unsupported > 0;
  if (strictFail) sayFailure(`compose2k8s: --strict: ${report.summary.unsupported} key(s) could not be converted\n`);
  if (strictFail || drift) throw new CliExit(EXIT_FINDINGS);
}

export function convertCommand(io: CliIO = nodeIO()): Command {
  const cmd = new Command('convert')
    .description('Convert a compose project to Kubernetes manifests (the default command)')
    .argument('[files...]', 'compose files (same as -f, after any -f files)');
  addLoadOptions(cmd);
  addConversionOptions(cmd)
    .option('-o, --output <dir>', 'write one file per object into DIR (atomically) instead of stdout')
    .option('--force', 'with -o: replace the content of a non-empty DIR')
    .addOption(
      new Option(
        '--format <format>',
        'manifest format; helm (a chart) and kustomize (a base) need -o DIR or --check DIR',
      )
        .choices(['yaml', 'json', 'helm', 'kustomize'])
        .default('yaml'),
    )
    .addOption(
      new Option(
        '--report <format>',
        'conversion report on stderr: summary (what needs attention, with fixes), table (every item), json, none',
      )
        .choices(['summary', 'table', 'text', 'json', 'none'])
        .default('summary'),
    )
    .option('-q, --quiet', 'print nothing on stderr but errors (the report still goes to --report-file)')
    .option('--report-file <file>', 'write the report to FILE instead of stderr')
    .option('--strict', 'exit 1 when any key could not be converted (status unsupported)')
    .addOption(
      new Option(
        '--overlay <name=files>',
        'an environment (repeatable): NAME=FILE[,FILE...] override files or NAME=profile:PROFILE; kustomize writes base/ + overlays/NAME/, helm values-NAME.yaml',
      ).argParser(parseOverlay),
    )
    .option('--check <dir>', 'compare DIR with what -o DIR would write; exit 1 and list the files on drift')
    .addHelpText('after', EXAMPLES)
    .action((positional: string[], flags: ConvertFlags) => run(io, positional, flags, conversionOptions(cmd)));
  return cmd;
}

/** Add the convert command to `program` as its default command. */
export function registerConvert(program: Command, io: CliIO = nodeIO()): Command {
  const cmd = convertCommand(io);
  program.addCommand(cmd, { isDefault: true });
  // `compose2k8s --help` is where people look first: show the default command's usage there too.
  program.addHelpText(
    'after',
    `\nWithout a command, compose2k8s converts: compose2k8s [options] [files...]\n` +
      `Conversion options: compose2k8s convert --help\n${EXAMPLES}\nExit codes: 0 ok, 1 --strict found unsupported keys or --check found drift, 2 bad input or usage.\n`,
  );
  return cmd;
}
