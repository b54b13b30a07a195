/**
 * The lean entry (src/browser.ts) bundles no dialect code (issue 9): nothing src/convert/dialects.ts imports — the
 * dialects' readers and report steps, and the parts of the override applier they carry (intent/dialect.ts
 * OverrideApplier) — is reachable from it by a value import, so a bundler leaves all of it out. Type-only imports
 * (`import type`, `export type`) do not count: a bundler drops them. Any other import counts, even one naming only
 * types, as it may stay as an import of the module.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.ts') ? [p] : [];
  });
}

const VALUE_IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^'"]*?\sfrom\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Relative value imports of a module's text, as src-relative paths. */
export function valueImports(file: string, text: string): string[] {
  return [...text.matchAll(VALUE_IMPORT)].map((m) =>
    relative(ROOT, normalize(join(dirname(join(ROOT, file)), m[1] ?? m[2]!))).replace(/\.js$/, '.ts'),
  );
}

const graph = new Map(
  files(ROOT).map((f) => {
    const file = relative(ROOT, f);
    return [file, valueImports(file, readFileSync(f, 'utf8'))] as const;
  }),
);

function reachable(from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f) || !graph.has(f)) continue;
    seen.add(f);
    todo.push(...graph.get(f)!);
  }
  return seen;
}

describe('the lean entry', () => {
  const dialectOnly = graph.get('convert/dialects.ts')!.filter((f) => f !== 'convert/intent/dialect.ts');

  it('reaches no module that only the dialects import', () => {
    const lean = reachable('browser.ts');
    expect(lean.has('convert/index.ts')).toBe(true);
    expect(dialectOnly.filter((f) => lean.has(f))).toEqual([]);
  });

  it('leaves out the override applier: pod settings, probes, patches, Service types (the Node entry has them)', () => {
    const applier = [
      'convert/pod/overrides.ts',
      'convert/container/probes-overrides.ts',
      'convert/finish/patches.ts',
      'convert/objects/service-type.ts',
    ];
    expect(dialectOnly).toEqual(expect.arrayContaining(applier));
    const node = reachable('index.ts');
    expect(applier.filter((f) => !node.has(f))).toEqual([]);
  });

  it('leaves out how dialects layer their settings, what they rejected and the routes a requested ingress adds', () => {
    const carried = [
      'convert/intent/override-layers.ts',
      'convert/intent/rejected.ts',
      'convert/plan/requested-routes.ts',
      'convert/objects/catch-all.ts',
    ];
    const lean = reachable('browser.ts');
    expect(carried.filter((f) => lean.has(f))).toEqual([]);
    const node = reachable('index.ts');
    expect(carried.filter((f) => !node.has(f))).toEqual([]);
  });

  it('leaves out the output modes (--pod-security restricted, --ingress gateway): the Node entry has them', () => {
    const modes = ['convert/pod/security.ts', 'convert/pod/security-check.ts', 'convert/objects/httproute.ts'];
    const lean = reachable('browser.ts');
    expect(modes.filter((f) => lean.has(f))).toEqual([]);
    const node = reachable('index.ts');
    expect(modes.filter((f) => !node.has(f))).toEqual([]);
    expect(reachable('modes.ts').has('convert/pod/security.ts')).toBe(true);
  });

  it('leaves out reading Dockerfiles (the stage walk, the context copies): the dockerfile dialect carries it', () => {
    const reader = ['convert/plan/dockerfile.ts', 'convert/plan/build-copies.ts'];
    expect(dialectOnly).toEqual(expect.arrayContaining(reader));
    const lean = reachable('browser.ts');
    expect(reader.filter((f) => lean.has(f))).toEqual([]);
    expect(lean.has('convert/plan/base-image.ts')).toBe(true);
  });

  it('counts value imports only (self-check of the scanner)', () => {
    const text = [
      "import type { A } from './a.js';",
      "export type { B } from './b.js';",
      "import { c, type C } from './c.js';",
      "export { d } from '../d.js';",
      "const e = await import('./e.js');",
    ].join('\n');
    expect(valueImports('convert/x.ts', text)).toEqual(['convert/c.ts', 'd.ts', 'convert/e.ts']);
  });
});
