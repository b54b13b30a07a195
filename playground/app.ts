/**
 * The playground page: compose files (tabs, merged like `-f a -f b`) and .env in CodeMirror editors;
 * a Web Worker converts on every edit; the page shows objects grouped by service, a graph of how
 * they connect, the report and diagnostics (underlined in the editors, clickable), zips of the CLI's
 * layouts, and a share link that carries the whole state in the URL fragment.
 */
import { EditorState, type Extension } from '@codemirror/state';
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, indentOnInput, bracketMatching } from '@codemirror/language';
import { classHighlighter } from '@lezer/highlight';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import type { Diagnostic, SourcePos, Status } from '../src/browser.js';
import { graphView } from './graphview.js';
import { DIR, type ConvertReply, type Layout, type Reply, type Request, type State } from './protocol.js';
import { SAMPLES } from './samples.js';
import { decodeState, encodeState } from './share.js';
import {
  displayPath,
  el,
  highlight,
  renderDiagnostics,
  renderFindings,
  renderObjects,
  renderReport,
  renderStatusFilter,
  reportRow,
  summaryText,
} from './view.js';

const DEFAULT_SAMPLE = 'voting-app';

function $<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`playground: #${id} is missing from index.html`);
  return node as T;
}

const ui = {
  tabs: $('file-tabs'),
  addFile: $<HTMLButtonElement>('add-file'),
  editors: $('editors'),
  envHost: $('env-editor'),
  sample: $<HTMLSelectElement>('sample'),
  theme: $<HTMLSelectElement>('theme'),
  namespace: $<HTMLInputElement>('opt-namespace'),
  secrets: $<HTMLSelectElement>('opt-secrets'),
  ingressHost: $<HTMLInputElement>('opt-ingress-host'),
  netpol: $<HTMLInputElement>('opt-netpol'),
  format: $<HTMLSelectElement>('opt-format'),
  status: $('status'),
  share: $<HTMLButtonElement>('share'),
  shareUrl: $<HTMLInputElement>('share-url'),
  viewObjects: $<HTMLButtonElement>('view-objects'),
  viewGraph: $<HTMLButtonElement>('view-graph'),
  objectsPane: $('objects-pane'),
  graphPane: $('graph-pane'),
  filter: $<HTMLInputElement>('filter'),
  objects: $('objects'),
  counts: $('counts'),
  zipLayout: $<HTMLSelectElement>('zip-layout'),
  download: $<HTMLButtonElement>('download'),
  graph: $('graph'),
  legend: $('graph-legend'),
  detail: $('node-detail'),
  diagnostics: $('diagnostics'),
  diagCount: $('diag-count'),
  statusFilter: $('status-filter'),
  report: $<HTMLTableElement>('report').tBodies[0]!,
  summary: $('summary'),
  findings: $('findings'),
  findingsTitle: $('findings-title'),
};

// ---- editors --------------------------------------------------------------------------------

interface FileEditor {
  name: string;
  view: EditorView;
  tab?: HTMLElement;
}

function extensions(lang: Extension[]): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    drawSelection(),
    history(),
    indentOnInput(),
    bracketMatching(),
    syntaxHighlighting(classHighlighter),
    lintGutter(),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) schedule();
    }),
    ...lang,
  ];
}

function makeEditor(parent: HTMLElement, text: string, lang: Extension[], label: string): EditorView {
  const view = new EditorView({ parent, state: EditorState.create({ doc: text, extensions: extensions(lang) }) });
  view.contentDOM.setAttribute('aria-label', label);
  return view;
}

const files: FileEditor[] = [];
let activeFile = 0;
const envView = makeEditor(ui.envHost, '', [], '.env');

function showFile(i: number): void {
  activeFile = Math.max(0, Math.min(i, files.length - 1));
  files.forEach((f, j) => {
    f.view.dom.hidden = j !== activeFile;
    f.tab?.setAttribute('aria-selected', String(j === activeFile));
    if (f.tab) f.tab.tabIndex = j === activeFile ? 0 : -1;
  });
}

function drawTabs(): void {
  const tabs = files.map((f, i) => {
    const tab = el('button', 'file-tab', f.name);
    tab.type = 'button';
    tab.setAttribute('role', 'tab');
    tab.dataset.file = f.name;
    tab.addEventListener('click', () => showFile(i));
    tab.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        showFile((i + (e.key === 'ArrowRight' ? 1 : files.length - 1)) % files.length);
        files[activeFile]!.tab?.focus();
      }
    });
    f.tab = tab;
    if (i === 0) return tab;
    const wrap = el('span', 'tab-wrap');
    const close = el('button', 'file-close', '×');
    close.type = 'button';
    close.title = `remove ${f.name}`;
    close.setAttribute('aria-label', `remove ${f.name}`);
    close.addEventListener('click', () => {
      files.splice(i, 1)[0]!.view.destroy();
      drawTabs();
      showFile(Math.min(activeFile, files.length - 1));
      schedule();
    });
    wrap.append(tab, close);
    return wrap;
  });
  ui.tabs.replaceChildren(...tabs);
  showFile(activeFile);
}

function addFile(name: string, content: string): void {
  const view = makeEditor(ui.editors, content, [yaml()], name);
  files.push({ name, view });
}

function setState(s: State): void {
  for (const f of files.splice(0)) f.view.destroy();
  for (const f of s.files.length ? s.files : [{ name: 'compose.yaml', content: '' }]) addFile(f.name, f.content);
  activeFile = 0;
  drawTabs();
  envView.dispatch({ changes: { from: 0, to: envView.state.doc.length, insert: s.env } });
  currentSample = s.sample;
  ui.sample.value = s.sample ?? '';
  const o = s.options;
  ui.namespace.value = o.namespace ?? '';
  ui.ingressHost.value = o.ingressHost ?? '';
  ui.secrets.value = o.secrets ?? 'placeholder';
  ui.netpol.checked = o.networkPolicies ?? true;
  schedule(0);
}

let currentSample: string | undefined;

function state(): State {
  return {
    files: files.map((f) => ({ name: f.name, content: f.view.state.doc.toString() })),
    env: envView.state.doc.toString(),
    ...(currentSample ? { sample: currentSample } : {}),
    options: {
      namespace: ui.namespace.value,
      ingressHost: ui.ingressHost.value,
      secrets: ui.secrets.value as State['options']['secrets'],
      networkPolicies: ui.netpol.checked,
    },
  };
}

function sampleState(name: string): State {
  const sample = SAMPLES[name] ?? {};
  return {
    files: [{ name: 'compose.yaml', content: sample['compose.yaml'] ?? '' }],
    env: sample['.env'] ?? '',
    sample: name,
    options: { secrets: 'placeholder', networkPolicies: true },
  };
}

function editorFor(file: string): { view: EditorView; index?: number } | undefined {
  const name = displayPath(file, DIR);
  if (name === '.env') return { view: envView };
  const index = files.findIndex((f) => f.name === name);
  return index < 0 ? undefined : { view: files[index]!.view, index };
}

function offsetOf(view: EditorView, line: number, col: number): number {
  const doc = view.state.doc;
  const l = doc.line(Math.max(1, Math.min(line, doc.lines)));
  return Math.min(l.from + Math.max(0, col - 1), l.to);
}

function pick(pos: SourcePos): void {
  const target = editorFor(pos.file);
  if (!target) return;
  if (target.index !== undefined) showFile(target.index);
  const at = offsetOf(target.view, pos.line, pos.col);
  target.view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
  target.view.focus();
}

const CM_SEVERITY = { error: 'error', warning: 'warning', info: 'info' } as const;

function underline(diags: readonly Diagnostic[]): void {
  const per = new Map<EditorView, CmDiagnostic[]>([
    [envView, []],
    ...files.map((f) => [f.view, []] as [EditorView, CmDiagnostic[]]),
  ]);
  for (const d of diags) {
    const target = d.pos && editorFor(d.pos.file);
    if (!target || !d.pos) continue;
    const from = offsetOf(target.view, d.pos.line, d.pos.col);
    const lineEnd = target.view.state.doc.lineAt(from).to;
    // The word at the position (at least one character), not the blank after it.
    const word = /^\S*/.exec(target.view.state.sliceDoc(from, lineEnd))?.[0].length ?? 0;
    const to = from + Math.max(1, word);
    per.get(target.view)!.push({
      from,
      to: Math.min(to, target.view.state.doc.length),
      severity: CM_SEVERITY[d.severity],
      source: d.code,
      message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
    });
  }
  for (const [view, list] of per) view.dispatch(setDiagnostics(view.state, list));
}

// ---- conversion in the worker ---------------------------------------------------------------

let worker: Worker | undefined;
let nextId = 1;
let busy = false;
let dirty = false;
let latest: ConvertReply | undefined;
const zipWaiters = new Map<number, (r: Extract<Reply, { kind: 'zip' }>) => void>();

function send(req: Request): void {
  worker ??= startWorker();
  worker.postMessage(req);
}

function convertNow(): void {
  busy = true;
  dirty = false;
  send({ id: nextId++, kind: 'convert', state: state(), format: ui.format.value === 'json' ? 'json' : 'yaml' });
}

let timer: ReturnType<typeof setTimeout> | undefined;
function schedule(delay = 120): void {
  document.body.dataset.state = 'pending';
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    if (busy) dirty = true;
    else convertNow();
  }, delay);
}

function onReply(e: MessageEvent<Reply>): void {
  const r = e.data;
  if (r.kind === 'texts') {
    // Convert again for the report's worded messages and fixes (after the conversion in flight, if any).
    if (busy) dirty = true;
    else if (timer === undefined) convertNow();
    return;
  }
  if (r.kind === 'zip') {
    zipWaiters.get(r.id)?.(r);
    zipWaiters.delete(r.id);
    return;
  }
  if (r.kind === 'zip-failed') {
    // Offline, the renderers chunk (loaded on the first zip) cannot load: say so rather than do nothing.
    zipWaiters.delete(r.id);
    ui.status.textContent = `Download failed: ${r.error}`;
    return;
  }
  busy = false;
  latest = r;
  show(r);
  if (dirty || timer !== undefined) {
    if (timer === undefined) convertNow();
  } else document.body.dataset.state = r.diagnostics.some((d) => d.severity === 'error') ? 'error' : 'ok';
}

// The worker's script did not load (offline on the first visit, a broken deploy) or a conversion threw in it: with
// no reply the page would stay "pending" for good. Say so, and start a new worker for the next request (an edit, a
// download), as a worker whose script failed stays failed.
function onWorkerError(e: ErrorEvent): void {
  e.preventDefault();
  worker?.terminate();
  worker = undefined;
  busy = false;
  dirty = false;
  zipWaiters.clear();
  ui.status.textContent = `The converter failed: ${e.message || 'its script did not load'}. Edit to try again, or reload the page.`;
  document.body.dataset.state = 'error';
}

function startWorker(): Worker {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  w.onmessage = onReply;
  w.onerror = onWorkerError;
  return w;
}

// ---- output ---------------------------------------------------------------------------------

let statusFilter: Status | 'all' = 'all';
let selected: string | undefined;
const collapsed = new Set<string>();
const graph = graphView(ui.graph, ui.legend, (id) => {
  selected = id;
  if (latest) {
    graph.draw(latest.graph, selected);
    showDetail(latest, id);
  }
});

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function copy(text: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'copied';
  } catch {
    button.textContent = 'copy failed';
  }
  setTimeout(() => (button.textContent = 'copy'), 1200);
}

function drawObjects(r: ConvertReply): void {
  const n = renderObjects(ui.objects, r.objects, ui.filter.value, collapsed, (t, b) => void copy(t, b));
  ui.counts.textContent = r.objects.length
    ? n === r.objects.length
      ? plural(r.objects.length, 'object')
      : `${n} of ${plural(r.objects.length, 'object')}`
    : '';
}

function drawReport(r: ConvertReply): void {
  renderStatusFilter(ui.statusFilter, r.report, statusFilter, (s) => {
    statusFilter = s;
    drawReport(r);
  });
  renderReport(ui.report, r.report, statusFilter, pick, DIR);
}

function showDetail(r: ConvertReply, id: string): void {
  const obj = r.objects.find((o) => o.id === id);
  const entries = (r.report?.entries ?? []).filter((e) => e.objects.includes(id));
  const head = el('h3', undefined, id);
  const pre = el('pre', 'yaml');
  pre.append(highlight(obj?.text ?? '# (not an object of the output: a claim its StatefulSet creates)\n'));
  const table = el('table', 'detail-report');
  table.append(el('tbody'));
  table.tBodies[0]!.append(...entries.map((e) => reportRow(e, pick, DIR)));
  const cols = el('colgroup');
  for (const c of ['c-service', 'c-key', 'c-status', '']) cols.append(el('col', c || undefined));
  table.prepend(cols);
  ui.detail.replaceChildren(head, ...(entries.length ? [table] : [el('p', 'none', 'No report entries.')]), pre);
  if (ui.detail.hidden) {
    ui.detail.hidden = false;
    // The graph area just got smaller: fit the drawing to what is left.
    if (!ui.graphPane.hidden) graph.fit();
  }
}

function show(r: ConvertReply): void {
  const diags = r.diagnostics;
  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.filter((d) => d.severity === 'warning').length;
  ui.status.textContent = `converted in ${r.ms.toFixed(1)} ms · ${plural(r.objects.length, 'object')} · ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  ui.status.dataset.ms = r.ms.toFixed(2);
  drawObjects(r);
  if (!r.objects.length && errors)
    ui.objects.replaceChildren(el('p', 'none', 'No manifests: fix the errors listed under Diagnostics.'));
  ui.download.disabled = r.objects.length === 0;
  ui.diagCount.textContent = diags.length ? `${plural(errors, 'error')}, ${plural(warnings, 'warning')}` : '';
  renderDiagnostics(ui.diagnostics, diags, pick, DIR);
  drawReport(r);
  renderFindings(ui.findings, ui.findingsTitle, r.report?.findings ?? [], pick, DIR);
  ui.summary.textContent = summaryText(r.report);
  underline(diags);
  if (selected && !r.graph.nodes.some((n) => n.id === selected)) selected = undefined;
  graph.draw(r.graph, selected);
  if (!ui.graphPane.hidden && !graphFitted) {
    graph.fit();
    graphFitted = true;
  }
  if (selected) showDetail(r, selected);
  else ui.detail.hidden = true;
}

let graphFitted = false;
function showView(which: 'objects' | 'graph'): void {
  ui.objectsPane.hidden = which !== 'objects';
  ui.graphPane.hidden = which !== 'graph';
  ui.viewObjects.setAttribute('aria-selected', String(which === 'objects'));
  ui.viewGraph.setAttribute('aria-selected', String(which === 'graph'));
  if (which === 'graph') {
    graph.fit();
    graphFitted = true;
  }
}

function download(): void {
  const id = nextId++;
  zipWaiters.set(id, (r) => {
    const url = URL.createObjectURL(new Blob([r.bytes as BlobPart], { type: 'application/zip' }));
    const a = el('a');
    a.href = url;
    a.download = r.name;
    a.dataset.files = r.files.join('\n');
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  send({ id, kind: 'zip', state: state(), layout: ui.zipLayout.value as Layout });
}

async function share(): Promise<void> {
  const url = new URL(location.href);
  url.hash = await encodeState(state());
  window.history.replaceState(null, '', url);
  ui.shareUrl.value = url.href;
  ui.shareUrl.hidden = false;
  ui.shareUrl.select();
  try {
    await navigator.clipboard.writeText(url.href);
    ui.share.textContent = 'Link copied';
  } catch {
    ui.share.textContent = 'Link ready';
  }
  setTimeout(() => (ui.share.textContent = 'Share link'), 1500);
}

function applyTheme(theme: string): void {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

// ---- wiring ---------------------------------------------------------------------------------

for (const name of Object.keys(SAMPLES).sort()) ui.sample.append(new Option(name, name));
ui.sample.addEventListener('change', () => {
  if (ui.sample.value) setState(sampleState(ui.sample.value));
});
ui.theme.addEventListener('change', () => applyTheme(ui.theme.value));
for (const input of [ui.namespace, ui.ingressHost]) input.addEventListener('input', () => schedule());
for (const input of [ui.secrets, ui.netpol, ui.format]) input.addEventListener('change', () => schedule(0));
$<HTMLFormElement>('options').addEventListener('submit', (e) => e.preventDefault());
ui.addFile.addEventListener('click', () => {
  let n = 1;
  const taken = new Set(files.map((f) => f.name));
  let name = 'compose.override.yaml';
  while (taken.has(name)) name = `compose.override-${++n}.yaml`;
  addFile(name, 'services:\n');
  drawTabs();
  showFile(files.length - 1);
  files[files.length - 1]!.view.focus();
  schedule();
});
ui.filter.addEventListener('input', () => latest && drawObjects(latest));
ui.download.addEventListener('click', download);
ui.share.addEventListener('click', () => void share());
ui.viewObjects.addEventListener('click', () => showView('objects'));
ui.viewGraph.addEventListener('click', () => showView('graph'));

void decodeState(location.hash).then((s) => setState(s ?? sampleState(DEFAULT_SAMPLE)));
// A share link opened in a tab that already shows the playground changes only the fragment (no reload): load it.
// (share() sets the fragment with replaceState, which fires no hashchange.)
window.addEventListener('hashchange', () => void decodeState(location.hash).then((s) => s && setState(s)));
