/**
 * Draws a Graph (graph.ts) as SVG: nodes coloured by worst report status, dashed edges for
 * init-container waits, NetworkPolicy membership as coloured tabs, zoom on the wheel, pan by drag,
 * keyboard: Tab between nodes, Enter to select; +/- zoom, 0 to fit.
 */
import { NODE_H, NODE_W, type Graph } from './graph.js';

const NS = 'http://www.w3.org/2000/svg';
const GROUP_COLOURS = ['#0ea5e9', '#a855f7', '#f97316', '#14b8a6', '#ec4899', '#84cc16', '#eab308', '#6366f1'];

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

export interface GraphView {
  draw(graph: Graph, selected?: string): void;
  fit(): void;
}

export function graphView(host: HTMLElement, legend: HTMLElement, onPick: (id: string) => void): GraphView {
  const root = svg('svg', { class: 'graph', role: 'img', 'aria-label': 'objects and their connections' });
  const defs = svg('defs', {});
  const marker = svg('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto',
  });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }));
  defs.append(marker);
  const scene = svg('g', {});
  root.append(defs, scene);
  host.replaceChildren(root);
  let view = { x: 0, y: 0, k: 1 };
  let extent = { width: 1, height: 1 };
  const apply = (): void => scene.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.k})`);
  const fit = (): void => {
    const w = host.clientWidth || 800;
    const h = host.clientHeight || 500;
    const k = Math.min(1.2, w / extent.width, h / extent.height);
    view = { k, x: (w - extent.width * k) / 2, y: Math.max(0, (h - extent.height * k) / 2) };
    apply();
  };
  const zoom = (factor: number, cx: number, cy: number): void => {
    const k = Math.min(4, Math.max(0.1, view.k * factor));
    view = { k, x: cx - ((cx - view.x) * k) / view.k, y: cy - ((cy - view.y) * k) / view.k };
    apply();
  };
  root.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const r = root.getBoundingClientRect();
      zoom(Math.exp(-e.deltaY / 300), e.clientX - r.left, e.clientY - r.top);
    },
    { passive: false },
  );
  let drag: { x: number; y: number; moved: boolean } | undefined;
  root.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, moved: false };
  });
  root.addEventListener('pointermove', (e) => {
    if (!drag || e.buttons !== 1) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!drag.moved) root.setPointerCapture(e.pointerId);
    drag = { x: e.clientX, y: e.clientY, moved: true };
    view = { ...view, x: view.x + dx, y: view.y + dy };
    apply();
  });
  root.addEventListener('pointerup', () => setTimeout(() => (drag = undefined)));
  host.addEventListener('keydown', (e) => {
    const cx = host.clientWidth / 2;
    const cy = host.clientHeight / 2;
    if (e.key === '+' || e.key === '=') zoom(1.25, cx, cy);
    else if (e.key === '-') zoom(0.8, cx, cy);
    else if (e.key === '0') fit();
  });

  return {
    fit,
    draw(graph, selected) {
      extent = graph;
      const colour = new Map(graph.groups.map((g, i) => [g.name, GROUP_COLOURS[i % GROUP_COLOURS.length]!]));
      const at = new Map(graph.nodes.map((n) => [n.id, n]));
      const edges = svg('g', { class: 'edges' });
      for (const e of graph.edges) {
        const a = at.get(e.from)!;
        const b = at.get(e.to)!;
        const down = b.y > a.y;
        const x1 = a.x + NODE_W / 2;
        const y1 = down ? a.y + NODE_H : a.y + NODE_H / 2;
        const x2 = b.x + NODE_W / 2;
        const y2 = down ? b.y : b.y + NODE_H / 2;
        const d = down
          ? `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`
          : `M${a.x + NODE_W},${y1} C${a.x + NODE_W + 40},${y1 - 30} ${b.x - 40},${y2 - 30} ${b.x},${y2}`;
        edges.append(
          svg('path', {
            d,
            class: e.dashed ? 'edge wait' : 'edge',
            'marker-end': 'url(#arrow)',
            'data-from': e.from,
            'data-to': e.to,
          }),
        );
      }
      const nodes = svg('g', { class: 'nodes' });
      for (const n of graph.nodes) {
        const g = svg('g', {
          class: `node status-${n.status}${n.id === selected ? ' selected' : ''}`,
          transform: `translate(${n.x},${n.y})`,
          tabindex: 0,
          role: 'button',
          'data-id': n.id,
          'data-kind': n.kind,
          'aria-label': `${n.id}, ${n.status}`,
        });
        const title = svg('title', {});
        title.textContent = `${n.id} (${n.status})${n.groups.length ? `\nnetwork policies: ${n.groups.join(', ')}` : ''}`;
        g.append(title, svg('rect', { width: NODE_W, height: NODE_H, rx: 6 }));
        n.groups.forEach((name, i) => {
          g.append(
            svg('rect', {
              class: 'group',
              x: 6 + i * 14,
              y: NODE_H - 5,
              width: 12,
              height: 5,
              fill: colour.get(name)!,
            }),
          );
        });
        const kind = svg('text', { x: 8, y: 16, class: 'kind' });
        kind.textContent = n.kind;
        const name = svg('text', { x: 8, y: 33, class: 'name' });
        name.textContent = n.name.length > 22 ? n.name.slice(0, 21) + '…' : n.name;
        g.append(kind, name);
        const pick = (): void => {
          if (!drag?.moved) onPick(n.id);
        };
        g.addEventListener('click', pick);
        g.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onPick(n.id);
          }
        });
        nodes.append(g);
      }
      scene.replaceChildren(edges, nodes);
      legend.replaceChildren(
        ...graph.groups.map((g) => {
          const item = document.createElement('span');
          item.className = 'legend-group';
          const sw = document.createElement('i');
          sw.style.background = colour.get(g.name)!;
          item.append(sw, ` ${g.name} (${g.members.length})`);
          return item;
        }),
      );
    },
  };
}
