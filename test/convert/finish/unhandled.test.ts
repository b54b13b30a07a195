/**
 * "Nothing dropped silently" from the other side: every key the mappings table says is converted or
 * approximated must be recorded by the step that handles it. A key that reaches the coverage pass
 * unhandled is reported as unsupported with the outcome report.unhandled; on realistic projects there must be none.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convert } from '../../../src/index.js';
import { nodeFs } from '../../../src/node/fs.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const awesome = join(root, '..', 'shared', 'corpus', 'awesome-compose');
const NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

function projects(base: string): string[] {
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .map((n) => join(base, n))
    .filter((d) => NAMES.some((f) => existsSync(join(d, f))))
    .sort();
}

function unhandled(dir: string): string[] {
  const out = convert({ workingDir: dir, fs: nodeFs, env: {} });
  return (out.report?.entries ?? [])
    .filter((e) => e.id === 'report.unhandled')
    .map((e) => `${e.service ?? '(project)'} ${e.key}`);
}

describe('every mapped key is handled by a conversion step', () => {
  const samples = projects(join(root, 'samples'));
  it('finds the samples', () => expect(samples.length).toBeGreaterThanOrEqual(8));
  it.each(samples)('sample %s', (dir) => expect(unhandled(dir)).toEqual([]));

  const corpus = projects(awesome);
  it.runIf(corpus.length > 0).each(corpus)('awesome-compose %s', (dir) => expect(unhandled(dir)).toEqual([]));
});
