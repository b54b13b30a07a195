/**
 * `compose2k8s lint [FILE...]`: convert in memory and print only the pitfall findings, one per line
 * as `file:line:col  pitfall  object  message` followed by an indented `fix:` line (or JSON with
 * `--format json`). Exit codes: 0 no findings, 1 findings, 2 bad input or usage (under `--format json`, one JSON
 * document of diagnostics on stderr, as `convert --report json` prints; nothing on stdout).
 */
import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { convertProject } from '../convert/index.js';
import { DIALECTS } from '../convert/dialects.js';
import { MODES } from '../convert/modes.js';
import { TEXTS } from '../mappings/texts.js';
import type { ConvertOptions } from '../convert/intent/options.js';
import type { Finding } from '../report/entry.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { REPORT_SCHEMA_VERSION, formatDiagnosticsJson } from '../report/format.js';
import {
  CliExit,
  EXIT,
  composeFiles,
  jsonFail,
  loadFromFlags,
  nodeIO,
  printDiagnostics,
  textFail,
  type CliIO,
  type LoadFlags,
} from './common.js';
import { addLoadOptions } from './options.js';

/** Exit code when the lint found pitfalls. */
export const EXIT_PITFALLS = 1;

interface LintFlags extends LoadFlags {
  format: 'text' | 'json';
  networkPolicies: boolean;
  defaultProbes: boolean;
  hostPath?: boolean;
}

const EXAMPLES = `
Examples:
  compose2k8s lint                               lint ./compose.yaml
  compose2k8s lint compose.yaml compose.prod.yaml
  compose2k8s lint --format json | jq '.findings[].pitfall'
`;

function location(f: Finding, io: CliIO, fallback: string): string {
  if (!f.pos) return fallback;
  const rel = relative(io.cwd, f.pos.file);
  const file = rel && !rel.startsWith('..') ? rel : f.pos.file;
  return `${file}:${f.pos.line}:${f.pos.col}`;
}

/** Findings in file/line/column order (findings without a position last), stable otherwise. */
function ordered(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => {
      const pa = a.f.pos;
      const pb = b.f.pos;
      if (!pa || !pb) return pa ? -1 : pb ? 1 : a.i - b.i;
      if (pa.file !== pb.file) return pa.file < pb.file ? -1 : 1;
      return pa.line - pb.line || pa.col - pb.col || a.i - b.i;
    })
    .map(({ f }) => f);
}

export function formatFindingsText(findings: Finding[], io: CliIO, fallback: string): string {
  if (!findings.length) return '';
  // The CLI always converts with the texts, so every finding has its fix.
  const rows = findings.map((f) => [location(f, io, fallback), f.pitfall, f.object, f.message, f.fix ?? ''] as const);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map(
      (r) =>
        `${r[0].padEnd(w[0]!)}  ${r[1].padEnd(w[1]!)}  ${r[2].padEnd(w[2]!)}  ${r[3]}\n${' '.repeat(w[0]! + 2)}fix: ${r[4]}\n`,
    )
    .join('');
}

export function formatFindingsJson(project: string, findings: Finding[], io: CliIO): string {
  const out = findings.map((f) => ({
    pitfall: f.pitfall,
    object: f.object,
    ...(f.service !== undefined ? { service: f.service } : {}),
    message: f.message,
    fix: f.fix,
    ...(f.pos
      ? {
          pos: {
            file: relative(io.cwd, f.pos.file).startsWith('..') ? f.pos.file : relative(io.cwd, f.pos.file),
            line: f.pos.line,
            col: f.pos.col,
          },
        }
      : {}),
  }));
  // The report's schemaVersion, first as there: lint's findings are the report's `findings[]` (docs/report.md).
  return (
    JSON.stringify({ schemaVersion: REPORT_SCHEMA_VERSION, project, count: out.length, findings: out }, null, 2) + '\n'
  );
}

function run(io: CliIO, positional: string[], flags: LintFlags): void {
  // Under --format json, the diagnostics are collected and an exit 2 prints them as one JSON document on stderr, as
  // `convert --report json` does; in text they are printed as they come.
  const json = flags.format === 'json';
  const diags: Diagnostic[] = [];
  const say = (d: Diagnostic[], sources: ReadonlyMap<string, string>): void =>
    json ? void diags.push(...d) : printDiagnostics(io, d, sources);
  const stop = (): never => {
    if (json) io.stderr(formatDiagnosticsJson(diags, { baseDir: io.cwd }));
    throw new CliExit(EXIT.INPUT);
  };
  const files = composeFiles(json ? jsonFail(io, diags) : textFail(io), flags.file, positional);
  let loaded: ReturnType<typeof loadFromFlags>;
  try {
    loaded = loadFromFlags({ ...flags, ...(files.length ? { file: files } : {}) }, io, say);
  } catch (e) {
    throw e instanceof CliExit ? stop() : e;
  }
  const options: Partial<ConvertOptions> = {
    networkPolicies: flags.networkPolicies,
    defaultProbes: flags.defaultProbes,
    hostPath: flags.hostPath ?? false,
  };
  const { report, diagnostics } = convertProject(loaded.project, options, io.fs, TEXTS, DIALECTS, MODES);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    say(errors, loaded.sources);
    stop();
  }
  const findings = ordered(report.findings);
  const first = loaded.project.composeFiles[0];
  const fallback = first ? relative(io.cwd, first) || first : '-';
  if (flags.format === 'json') io.stdout(formatFindingsJson(report.project, findings, io));
  else io.stdout(formatFindingsText(findings, io, fallback));
  if (findings.length) throw new CliExit(EXIT_PITFALLS);
}

export function lintCommand(io: CliIO = nodeIO()): Command {
  const cmd = new Command('lint')
    .description(
      'Report Kubernetes pitfalls of a compose project (limits, probes, hard-coded IPs, unpersisted data, network isolation)',
    )
    .argument('[files...]', 'compose files (same as -f, after any -f files)');
  addLoadOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-network-policies', 'lint as converted without NetworkPolicies')
    .option('--no-default-probes', 'lint as converted without default tcpSocket readiness probes')
    .option('--host-path', 'lint as converted with hostPath volumes for host bind mounts')
    .addHelpText('after', EXAMPLES)
    .action((positional: string[], flags: LintFlags) => run(io, positional, flags));
  return cmd;
}
