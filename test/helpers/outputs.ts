/**
 * Every output channel of one conversion as text, for "no secret in the output" checks: the YAML and JSON streams,
 * `-o` files (YAML and JSON), the Helm chart (templates, values.yaml, NOTES.txt), the Kustomize tree (with its
 * generator inputs, and with plain ConfigMaps / Secrets), the report (text, table and JSON), the diagnostics
 * (one-line, with code frames and hints as the CLI prints them, and as JSON), and with environments (`--overlay`)
 * the Helm chart's values-NAME.yaml and the Kustomize base + overlays.
 */
import type { ConvertOutput } from '../../src/index.js';
import { renderYaml } from '../../src/render/yaml.js';
import { renderJson } from '../../src/render/json.js';
import { renderFiles } from '../../src/render/files.js';
import { renderHelmChart, renderHelmEnvironments } from '../../src/render/helm/chart.js';
import { renderKustomize } from '../../src/render/kustomize.js';
import { renderKustomizeOverlays } from '../../src/render/overlays.js';
import { formatAttention, formatDiagnosticsJson, formatReport, formatReportJson } from '../../src/report/format.js';
import { formatOneLine } from '../../src/report/diagnostic.js';
import { formatDiagnostics } from '../../src/report/frame.js';

/** One environment of `--overlay`: the conversion of the base files plus its own. */
export interface OutputEnvironment {
  name: string;
  out: Pick<ConvertOutput, 'objects' | 'project'>;
}

export function everyOutput(
  out: Pick<ConvertOutput, 'objects' | 'report' | 'diagnostics' | 'project'> & Partial<Pick<ConvertOutput, 'sources'>>,
  environments: readonly OutputEnvironment[] = [],
): Map<string, string> {
  const channels = new Map<string, string>();
  const { objects } = out;
  channels.set('yaml', renderYaml(objects));
  channels.set('json', renderJson(objects));
  for (const format of ['yaml', 'json'] as const)
    for (const f of renderFiles(objects, format)) channels.set(`-o ${f.path}`, f.content);
  for (const f of renderHelmChart(objects, {
    name: out.project?.name ?? 'project',
    ...(out.project ? { project: out.project } : {}),
  }))
    channels.set(`helm ${f.path}`, f.content);
  // Generator inputs (env files, one file per key) and plain ConfigMaps / Secrets.
  for (const f of renderKustomize(objects)) channels.set(`kustomize ${f.path}`, f.content);
  for (const f of renderKustomize(objects, { generators: false })) channels.set(`kustomize plain ${f.path}`, f.content);
  if (out.report) {
    channels.set('report', formatAttention(out.report));
    channels.set('report table', formatReport(out.report));
    channels.set('report json', formatReportJson(out.report));
    // The outcome ids and values each message is made of (API only: the lean entry's messages are these values).
    channels.set('report values', JSON.stringify(out.report.entries.map((e) => [e.values, e.earlier])));
  }
  channels.set('diagnostics', out.diagnostics.map(formatOneLine).join('\n'));
  channels.set('diagnostics frames', formatDiagnostics(out.diagnostics, out.sources ?? new Map()));
  channels.set('diagnostics json', formatDiagnosticsJson(out.diagnostics));
  if (out.report)
    channels.set('report json + diagnostics', formatReportJson(out.report, { diagnostics: out.diagnostics }));
  if (environments.length) {
    const chart = renderHelmEnvironments(
      objects,
      environments.map((e) => ({
        name: e.name,
        objects: e.out.objects,
        ...(e.out.project ? { project: e.out.project } : {}),
      })),
      { name: out.project?.name ?? 'project', ...(out.project ? { project: out.project } : {}) },
    );
    for (const f of chart.files) channels.set(`helm+overlays ${f.path}`, f.content);
    const envs = environments.map((e) => ({ name: e.name, objects: e.out.objects }));
    for (const f of renderKustomizeOverlays(objects, envs)) channels.set(`kustomize+overlays ${f.path}`, f.content);
  }
  return channels;
}

/** `channel: value` for every value found in a channel. */
export function leaks(channels: Map<string, string>, values: readonly string[]): string[] {
  const found: string[] = [];
  for (const [name, text] of channels)
    for (const v of values)
      if (text.includes(v) || text.includes(JSON.stringify(v).slice(1, -1))) found.push(`${name}: ${v}`);
  return found;
}

/** Every Ingress path of the objects as `host path pathType → service:port` (`*` for a rule without host), sorted. */
export function ingressPaths(objects: ConvertOutput['objects']): string[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Loose = any;
  return objects
    .filter((o) => o.kind === 'Ingress')
    .flatMap((o) =>
      (o.spec as Loose).rules.flatMap((r: Loose) =>
        r.http.paths.map(
          (p: Loose) =>
            `${r.host ?? '*'} ${p.path} ${p.pathType} → ${p.backend.service.name}:${p.backend.service.port.name}`,
        ),
      ),
    )
    .sort();
}
