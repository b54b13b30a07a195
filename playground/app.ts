/**
 * The playground page: compose file + .env in, manifests + report + diagnostics out, converted in
 * the browser on every edit (debounced). Bundled by playground/build.mjs, which embeds the sample.
 */
import {
  convert,
  memoryFs,
  type ConvertOptions,
  type Diagnostic,
  type Severity,
  type SourcePos,
} from '../src/index.js';
import { renderYaml } from '../src/render/yaml.js';
import { renderJson } from '../src/render/json.js';
import { editor, type Editor } from './editor.js';
import { renderDiagnostics, renderFindings, renderReport, summaryText } from './view.js';

declare const __SAMPLE_COMPOSE__: string;
declare const __SAMPLE_PATH__: string;

const DIR = '/project';
const COMPOSE_PATH = `${DIR}/compose.yaml`;
const ENV_PATH = `${DIR}/.env`;
const DEBOUNCE_MS = 200;

function $<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`playground: #${id} is missing from index.html`);
  return node as T;
}

const ui = {
  compose: editor($<HTMLTextAreaElement>('compose'), $('compose-gutter')),
  env: editor($<HTMLTextAreaElement>('env'), $('env-gutter')),
  namespace: $<HTMLInputElement>('opt-namespace'),
  secrets: $<HTMLSelectElement>('opt-secrets'),
  ingressHost: $<HTMLInputElement>('opt-ingress-host'),
  netpol: $<HTMLInputElement>('opt-netpol'),
  format: $<HTMLSelectElement>('opt-format'),
  output: $('output'),
  counts: $('counts'),
  download: $<HTMLButtonElement>('download'),
  diagnostics: $('diagnostics'),
  diagCount: $('diag-count'),
  report: $<HTMLTableElement>('report').tBodies[0]!,
  summary: $('summary'),
  findings: $('findings'),
  findingsTitle: $('findings-title'),
};

/** The last rendered output, for the download button. */
let current = { text: '', name: 'manifests.yaml', type: 'application/yaml' };

function options(): Partial<ConvertOptions> {
  const trimmed = (s: string): string | undefined => s.trim() || undefined;
  return {
    namespace: trimmed(ui.namespace.value),
    secrets: ui.secrets.value as ConvertOptions['secrets'],
    ingressHost: trimmed(ui.ingressHost.value),
    networkPolicies: ui.netpol.checked,
  };
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Worst severity per line of `file`, for the gutter. */
function marksFor(diags: readonly Diagnostic[], file: string): Map<number, Severity> {
  const marks = new Map<number, Severity>();
  for (const d of diags) {
    if (d.pos?.file !== file) continue;
    const had = marks.get(d.pos.line);
    if (!had || RANK[d.severity] > RANK[had]) marks.set(d.pos.line, d.severity);
  }
  return marks;
}

function editorFor(file: string): Editor | undefined {
  if (file === COMPOSE_PATH) return ui.compose;
  if (file === ENV_PATH) return ui.env;
  return undefined;
}

function pick(pos: SourcePos): void {
  editorFor(pos.file)?.moveTo(pos.line, pos.col);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function run(): void {
  const env = ui.env.textarea.value;
  const result = convert({
    files: [{ path: COMPOSE_PATH, content: ui.compose.textarea.value }],
    fs: memoryFs(env.trim() ? { [ENV_PATH]: env } : {}),
    workingDir: DIR,
    options: options(),
  });
  const diags = result.diagnostics;
  const errors = diags.filter((d) => d.severity === 'error').length;
  const json = ui.format.value === 'json';
  let text: string;
  try {
    text = result.objects.length === 0 ? '' : json ? renderJson(result.objects) : renderYaml(result.objects);
  } catch (e) {
    text = '';
    diags.push({
      severity: 'error',
      code: 'internal-error',
      message: `rendering failed: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  const project = result.project?.name ?? 'manifests';
  current = {
    text,
    name: `${project}.${json ? 'json' : 'yaml'}`,
    type: json ? 'application/json' : 'application/yaml',
  };

  ui.output.textContent =
    text || (errors ? '# No manifests: fix the errors listed under Diagnostics.' : '# No objects.');
  ui.output.classList.toggle('empty', !text);
  ui.download.disabled = !text;
  ui.counts.textContent = text ? plural(result.objects.length, 'object') : '';
  const warnings = diags.filter((d) => d.severity === 'warning').length;
  ui.diagCount.textContent = diags.length ? `${plural(errors, 'error')}, ${plural(warnings, 'warning')}` : '';
  renderDiagnostics(ui.diagnostics, diags, pick, DIR);
  renderReport(ui.report, result.report, pick, DIR);
  renderFindings(ui.findings, ui.findingsTitle, result.report?.findings ?? [], pick, DIR);
  ui.summary.textContent = summaryText(result.report);
  ui.compose.refresh(marksFor(diags, COMPOSE_PATH));
  ui.env.refresh(marksFor(diags, ENV_PATH));
  document.body.dataset.state = errors ? 'error' : 'ok';
}

let timer: ReturnType<typeof setTimeout> | undefined;
function schedule(): void {
  if (timer !== undefined) clearTimeout(timer);
  document.body.dataset.state = 'pending';
  timer = setTimeout(() => {
    timer = undefined;
    run();
  }, DEBOUNCE_MS);
}

function download(): void {
  if (!current.text) return;
  const url = URL.createObjectURL(new Blob([current.text], { type: current.type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = current.name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function loadSample(): void {
  ui.compose.textarea.value = __SAMPLE_COMPOSE__;
  ui.env.textarea.value = '';
  ui.compose.textarea.scrollTop = 0;
  run();
}

$('sample-name').textContent = `sample: ${__SAMPLE_PATH__}`;
for (const input of [ui.compose.textarea, ui.env.textarea, ui.namespace, ui.ingressHost]) {
  input.addEventListener('input', schedule);
}
for (const input of [ui.secrets, ui.netpol, ui.format]) input.addEventListener('change', run);
$<HTMLFormElement>('options').addEventListener('submit', (e) => e.preventDefault());
ui.download.addEventListener('click', download);
$('reset').addEventListener('click', loadSample);
loadSample();
