/**
 * The CLI's synchronous stdout/stderr writer. Through a pipe (partial writes, a reader that goes away) it is
 * tested on the built binary in test/cli/bundle.test.ts; here against a file.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fdWriter, isTerminal } from '../../src/node/stdio.js';

const dir = mkdtempSync(join(tmpdir(), 'c2k-stdio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fdWriter', () => {
  it('writes every text whole and in order, multi-byte characters included', () => {
    const file = join(dir, 'out.txt');
    const fd = openSync(file, 'w');
    const write = fdWriter(fd);
    const big = 'é→ ünïcode\n'.repeat(50_000);
    write('first\n');
    write('');
    write(big);
    write('last\n');
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('first\n' + big + 'last\n');
  });

  it('throws what it cannot handle (a descriptor open for reading), so the CLI reports it', () => {
    const file = join(dir, 'read-only.txt');
    closeSync(openSync(file, 'w'));
    const fd = openSync(file, 'r');
    try {
      expect(() => fdWriter(fd)('x')).toThrow(/EBADF/);
    } finally {
      closeSync(fd);
    }
  });
});

describe('isTerminal', () => {
  it('is false for a file without asking the stdio streams', () => {
    const fd = openSync(join(dir, 'tty.txt'), 'w');
    try {
      expect(isTerminal(fd)).toBe(false);
    } finally {
      closeSync(fd);
    }
  });
});
