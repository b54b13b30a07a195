/**
 * DOM for the playground's output panes: objects grouped by service (collapsible, highlighted,
 * copyable), the diagnostics list, the conversion report (filterable by status, with counts) and
 * the pitfall findings. Plain DOM, text only (never innerHTML): compose files are user input.
 */
import type { Diagnostic, Finding, Report, ReportEntry, SourcePos, Status } from '../src/browser.js';
import type { ObjectView } from './protocol.js';

/** Called when the user picks something that has a source position. */
export type Pick = (pos: SourcePos) => void;

const PROJECT_GROUP = '(project)';
export const STATUSES: readonly Status[] = ['converted', 'approximated', 'unsupported', 'ignored'];

/** `/project/compose.yaml` → `compose.yaml`: the page has one project directory. */
export function displayPath(file: string, dir: string): string {
  return file.startsWith(dir + '/') ? file.slice(dir.length + 1) : file;
}

export function el<K extends keyof HTMLElementTagNameMap>(
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
  node.dataset.file = displayPath(pos.file, dir);
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

/** YAML (or JSON) as spans: keys, strings, numbers/booleans, comments. */
export function highlight(text: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  const lineRe = /^(\s*(?:- )*)("[^"]*"|[^\s#:"'][^:#]*?)(:)(?=\s|$)(.*)$/;
  // The same text, in spans: a newline between lines, none added at the end (a lazily highlighted object's text
  // must not change).
  text.split('\n').forEach((line, i) => {
    if (i > 0) frag.append('\n');
    const m = lineRe.exec(line);
    if (m) {
      frag.append(m[1]!, el('span', 'y-key', m[2]!), m[3]!);
      const rest = m[4]!;
      const v = /^(\s*)(.*)$/.exec(rest)!;
      const val = v[2]!;
      const cls = /^["']/.test(val)
        ? 'y-str'
        : /^(true|false|null|-?\d+(\.\d+)?),?$/.test(val)
          ? 'y-lit'
          : val.startsWith('#')
            ? 'y-com'
            : 'y-val';
      frag.append(v[1]!);
      if (val) frag.append(el('span', cls, val));
    } else if (/^\s*#/.test(line)) frag.append(el('span', 'y-com', line));
    else frag.append(line);
  });
  return frag;
}

/** The objects' list, with the observer that highlights its YAML as it comes into view. */
type LazyList = HTMLElement & { lazy?: IntersectionObserver };

export function renderObjects(
  list: HTMLElement,
  objects: readonly ObjectView[],
  filter: string,
  collapsed: Set<string>,
  copy: (text: string, button: HTMLButtonElement) => void,
): number {
  const q = filter.trim().toLowerCase();
  const shown = objects.filter((o) => !q || `${o.service ?? ''} ${o.kind} ${o.name}`.toLowerCase().includes(q));
  const groups = new Map<string, ObjectView[]>();
  for (const o of shown) {
    const key = o.service ?? PROJECT_GROUP;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(o);
  }
  (list as LazyList).lazy?.disconnect();
  const lazy = new IntersectionObserver(
    (seen) => {
      for (const e of seen) {
        if (!e.isIntersecting) continue;
        const pre = e.target as HTMLElement;
        lazy.unobserve(pre);
        pre.replaceChildren(highlight(pre.textContent ?? ''));
      }
    },
    { root: list.closest('.scroll'), rootMargin: '400px 0px' },
  );
  (list as LazyList).lazy = lazy;
  const sections = [...groups].map(([service, objs]) => {
    const sec = el('details', 'service-group');
    sec.open = !collapsed.has(`svc:${service}`);
    sec.dataset.service = service;
    sec.addEventListener('toggle', () =>
      sec.open ? collapsed.delete(`svc:${service}`) : collapsed.add(`svc:${service}`),
    );
    const sum = el('summary', undefined);
    sum.append(el('strong', undefined, service), ' ', el('small', undefined, `${objs.length}`));
    sec.append(sum);
    for (const o of objs) {
      const d = el('details', 'object');
      d.dataset.id = o.id;
      d.open = !collapsed.has(o.id);
      d.addEventListener('toggle', () => (d.open ? collapsed.delete(o.id) : collapsed.add(o.id)));
      const s = el('summary', undefined);
      const btn = el('button', 'copy', 'copy');
      btn.type = 'button';
      btn.title = `copy ${o.id}`;
      btn.addEventListener('click', (e) => {
        e.preventDefault();
        copy(o.text, btn);
      });
      s.append(el('span', 'kind', o.kind), ' ', el('span', 'name', o.name), btn);
      // Plain text first, highlighted once it scrolls into view: a 300-service project has thousands of objects,
      // and highlighting (and laying out) all of them froze the page for seconds on every edit.
      const pre = el('pre', 'yaml', o.text);
      lazy.observe(pre);
      d.append(s, pre);
      sec.append(d);
    }
    return sec;
  });
  if (sections.length === 0)
    sections.push(
      el(
        'p',
        'none',
        objects.length ? 'No object matches the filter.' : 'No objects.',
      ) as unknown as HTMLDetailsElement,
    );
  list.replaceChildren(...sections);
  return shown.length;
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

export function renderStatusFilter(
  bar: HTMLElement,
  report: Report | undefined,
  active: Status | 'all',
  set: (s: Status | 'all') => void,
): void {
  const counts = new Map<string, number>();
  for (const e of report?.entries ?? []) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  const all = report?.entries.length ?? 0;
  bar.replaceChildren(
    ...(['all', ...STATUSES] as const).map((s) => {
      const b = el('button', `status-filter ${s}`, `${s} ${s === 'all' ? all : (counts.get(s) ?? 0)}`);
      b.type = 'button';
      b.dataset.status = s;
      b.setAttribute('aria-pressed', String(s === active));
      b.addEventListener('click', () => set(s));
      return b;
    }),
  );
}

export function renderReport(
  body: HTMLTableSectionElement,
  report: Report | undefined,
  active: Status | 'all',
  pick: Pick,
  dir: string,
  only?: (e: ReportEntry) => boolean,
): void {
  const rows = (report?.entries ?? [])
    .filter((e) => (active === 'all' || e.status === active) && (!only || only(e)))
    .map((e) => reportRow(e, pick, dir));
  if (rows.length === 0) {
    const tr = el('tr', 'none');
    const td = el('td', undefined, report ? 'No entries.' : 'No report: the project did not load.');
    td.colSpan = 4;
    tr.append(td);
    rows.push(tr);
  }
  body.replaceChildren(...rows);
}

export function reportRow(e: ReportEntry, pick: Pick, dir: string): HTMLTableRowElement {
  const tr = el('tr', `status-${e.status}`);
  tr.dataset.status = e.status;
  const status = el('td', 'status');
  status.append(el('span', `badge ${e.status}`, e.status));
  const message = el('td', 'message', e.message);
  if (e.objects.length) message.append(el('div', 'objects', e.objects.join(', ')));
  if (e.status !== 'converted' && e.fix) message.append(el('div', 'fix', `fix: ${e.fix}`));
  tr.append(el('td', 'service', e.service ?? PROJECT_GROUP), el('td', 'key', e.key), status, message);
  pickable(tr, e.pos, pick, dir);
  return tr;
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
      if (f.fix) li.append(el('div', 'fix', `fix: ${f.fix}`)); // none until the texts have loaded
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
