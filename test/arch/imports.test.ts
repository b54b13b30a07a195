/**
 * The shape of src/: no import cycles between files (type-only imports count: they couple the files just as
 * much), and no lower layer importing a higher one. Layers, lowest first:
 *   util, version → report → model, kube, mappings → load → convert → render → node → cli, index
 * `report` holds only shared report/diagnostic types and formatting; `kube` is the Kubernetes kernel
 * (objects, names, workload kinds, apply order) that both convert and render use.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../src/', import.meta.url));
const LAYERS: Record<string, number> = {
  util: 0,
  'version.ts': 0,
  report: 1,
  model: 2,
  kube: 2,
  mappings: 2,
  load: 3,
  convert: 4,
  render: 5,
  node: 6,
  cli: 7,
  'index.ts': 7,
  'browser.ts': 7,
  'renderers.ts': 7,
  'dialects.ts': 7,
  'modes.ts': 7,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.ts') ? [p] : [];
  });
}

const SPEC = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\sfrom\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Relative imports of every file in src/ (as src-relative paths). */
export function importGraph(root = ROOT): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files(root)) {
    const text = readFileSync(f, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(SPEC)) {
      const spec = m[1] ?? m[2]!;
      deps.push(relative(root, normalize(join(dirname(f), spec))).replace(/\.js$/, '.ts'));
    }
    graph.set(relative(root, f), deps);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

const layerOf = (file: string): number => {
  const top = file.split('/')[0]!;
  const l = LAYERS[top];
  if (l === undefined) throw new Error(`src/${file}: its folder has no layer in test/arch/imports.test.ts`);
  return l;
};

describe('architecture', () => {
  const graph = importGraph();

  it('has no import cycles between files, type-only imports included', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one (the checker itself works)', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cycles(new Map([['a.ts', ['a.ts']]]))).toEqual([['a.ts']]);
  });

  it('never lets a lower layer import a higher one', () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph)
      for (const d of deps) if (layerOf(d) > layerOf(file)) wrong.push(`${file} → ${d}`);
    expect(wrong).toEqual([]);
  });

  it('keeps folders small enough to show the design (at most 15 files each)', () => {
    const count = new Map<string, number>();
    for (const f of graph.keys()) count.set(dirname(f), (count.get(dirname(f)) ?? 0) + 1);
    expect([...count].filter(([, n]) => n > 15)).toEqual([]);
  });
});
