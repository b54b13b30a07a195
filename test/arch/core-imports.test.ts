import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The core must run in a browser: nothing under src/ except src/node and src/cli may import node
// built-ins. This walks the real source tree, so a new file that imports `node:fs` fails here.
const root = fileURLToPath(new URL('../..', import.meta.url));
const src = join(root, 'src');
const NODE_ONLY = ['node', 'cli'];
const BUILTINS = /^(node:|fs$|path$|os$|url$|child_process$|crypto$|process$|util$|stream$|buffer$)/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(text: string): string[] {
  const out: string[] = [];
  const re =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

describe('core stays browser-safe', () => {
  const files = walk(src).filter((f) => !NODE_ONLY.includes(relative(src, f).split(/[\\/]/)[0]!));

  it('finds the core source files', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('imports no Node built-in outside src/node and src/cli', () => {
    const bad = files.flatMap((f) =>
      importsOf(readFileSync(f, 'utf8'))
        .filter((m) => BUILTINS.test(m))
        .map((m) => `${relative(root, f)} imports ${m}`),
    );
    expect(bad).toEqual([]);
  });

  it('does not touch the process global in the core', () => {
    const bad = files.filter((f) => /\bprocess\.(env|cwd|argv|exit)/.test(readFileSync(f, 'utf8')));
    expect(bad.map((f) => relative(root, f))).toEqual([]);
  });

  it('detects a node import when one is present (self-check of the scanner)', () => {
    expect(importsOf("import { readFileSync } from 'node:fs';\nimport x from './y.js';")).toEqual([
      'node:fs',
      './y.js',
    ]);
  });
});
