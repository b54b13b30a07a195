/**
 * `compose2k8s/render`: the output layouts beyond one YAML/JSON stream — `-o DIR` files (and drift against a
 * directory), a Helm chart (one or per environment), a Kustomize base (and overlays) — and the report as the CLI
 * prints it (formatReport: the table; formatReportJson: `--report json`). Browser-safe, but apart from
 * the lean entry (src/browser.ts) so a page that only converts does not carry them; the default Node entry
 * (src/index.ts) re-exports them.
 */
export { renderFiles, diffFiles, hasDrift } from './render/files.js';
export type { RenderedFile, OutputFormat } from './render/files.js';
export { renderHelmChart, renderHelmEnvironments } from './render/helm/chart.js';
export type { HelmEnvironment } from './render/helm/chart.js';
export { renderKustomize } from './render/kustomize.js';
export { renderKustomizeOverlays } from './render/overlays.js';
export { formatReport, formatReportJson } from './report/format.js';
