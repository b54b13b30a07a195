/**
 * DOM for the playground's output panes: the diagnostics list (file:line:col, clickable), the
 * conversion report table (service, key, coloured status, message, fix) and the pitfall findings.
 * Plain DOM, text only (never innerHTML): compose files are user input.
 */
import type { Diagnostic, Finding, Report, SourcePos } from '../src/index.js';

/** Called when the user picks something that has a source position. */
export type Pick = (pos: SourcePos) => void;

const PROJECT_GROUP = '(project)';

/** `/project/compose.yaml` → `compose.yaml`: the page has one project directory. */
export function displayPath(file: string, dir: string): string {
  return file.startsWith(dir + '/') ? file.slice(dir.length + 1) : file;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function where(pos: SourcePos, dir: string): string {
  return `${displayPath(pos.file, dir)}:${pos.line}:${pos.col}`;
}

/** Makes `node` jump to `pos` on click and on Enter/Space (it becomes a focusable button-like item). */
function pickable(node: HTMLElement, pos: SourcePos | undefined, pick: Pick, dir: string): void {
  if (!pos) return;
  node.classList.add('pickable');
  node.tabIndex = 0;
  node.title = `go to ${where(pos, dir)}`;
  node.dataset.line = String(pos.line);
  node.dataset.col = String(pos.col);
  node.addEventListener('click', () => pick(pos));
  node.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      pick(pos);
    }
  });
}

export function renderDiagnostics(list: HTMLElement, diags: readonly Diagnostic[], pick: Pick, dir: string): void {
  const items = diags.map((d) => {
    const li = el('li', `diag ${d.severity}`);
    if (d.pos) li.append(el('span', 'pos', where(d.pos, dir)), ' ');
    li.append(
      el('span', 'severity', d.severity),
      ' ',
      el('code', 'code', d.code),
      ' ',
      el('span', 'message', d.message),
    );
    if (d.hint) li.append(el('div', 'hint', `hint: ${d.hint}`));
    pickable(li, d.pos, pick, dir);
    return li;
  });
  if (items.length === 0) items.push(el('li', 'none', 'No problems.'));
  list.replaceChildren(...items);
}

export function renderReport(body: HTMLTableSectionElement, report: Report | undefined, pick: Pick, dir: string): void {
  const rows = (report?.entries ?? []).map((e) => {
    const tr = el('tr', `status-${e.status}`);
    tr.dataset.status = e.status;
    const status = el('td', 'status');
    status.append(el('span', `badge ${e.status}`, e.status));
    const message = el('td', 'message', e.message);
    if (e.objects.length) message.append(el('div', 'objects', e.objects.join(', ')));
    tr.append(
      el('td', 'service', e.service ?? PROJECT_GROUP),
      el('td', 'key', e.key),
      status,
      message,
      el('td', 'fix', e.status === 'converted' ? '' : (e.fix ?? '')),
    );
    pickable(tr, e.pos, pick, dir);
    return tr;
  });
  if (rows.length === 0) {
    const tr = el('tr', 'none');
    const td = el('td', undefined, report ? 'No keys.' : 'No report: the project did not load.');
    td.colSpan = 5;
    tr.append(td);
    rows.push(tr);
  }
  body.replaceChildren(...rows);
}

export function renderFindings(
  list: HTMLElement,
  title: HTMLElement,
  findings: readonly Finding[],
  pick: Pick,
  dir: string,
): void {
  title.hidden = findings.length === 0;
  list.replaceChildren(
    ...findings.map((f) => {
      const li = el('li', 'finding');
      li.append(el('span', 'badge approximated', f.pitfall), ' ', el('strong', undefined, f.object), ': ', f.message);
      li.append(el('div', 'fix', `fix: ${f.fix}`));
      pickable(li, f.pos, pick, dir);
      return li;
    }),
  );
}

export function summaryText(report: Report | undefined): string {
  if (!report) return '';
  const s = report.summary;
  return `${s.converted} converted · ${s.approximated} approximated · ${s.unsupported} unsupported · ${s.ignored} ignored`;
}
