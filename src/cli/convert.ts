/**
 * The default command, `compose2k8s [FILE...]`, as a commander command: its options and help. What it does is
 * ./convert-run.ts; a run without flags skips commander altogether (./main.ts).
 */
import { Command, Option } from 'commander';
import { addConversionOptions, addLoadOptions, conversionOptions } from './options.js';
import { parseOverlay } from './overlays.js';
import { nodeIO, type CliIO } from './common.js';
import { runConvert } from './convert-run.js';
import { DEFAULT_FORMAT, DEFAULT_REPORT, type ConvertFlags } from './flags.js';

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
        .default(DEFAULT_FORMAT),
    )
    .addOption(
      new Option(
        '--report <format>',
        'conversion report on stderr: summary (what needs attention, with fixes), table (every item), json, none',
      )
        .choices(['summary', 'table', 'text', 'json', 'none'])
        .default(DEFAULT_REPORT),
    )
    .option('-q, --quiet', 'print nothing on stderr but errors (the report still goes to --report-file)')
    .option('--report-file <file>', 'write the report to FILE instead of stderr')
    .option('--strict', 'exit 1 and print/write no manifest when any key could not be converted (status unsupported)')
    .addOption(
      new Option(
        '--overlay <name=files>',
        'an environment (repeatable): NAME=FILE[,FILE...] override files or NAME=profile:PROFILE; kustomize writes base/ + overlays/NAME/, helm values-NAME.yaml',
      ).argParser(parseOverlay),
    )
    .option('--check <dir>', 'compare DIR with what -o DIR would write; exit 1 and list the files on drift')
    .addHelpText('after', EXAMPLES)
    .action((positional: string[], flags: ConvertFlags) => runConvert(io, positional, flags, conversionOptions(cmd)));
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
