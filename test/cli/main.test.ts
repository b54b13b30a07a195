/**
 * A plain `compose2k8s [FILE...]` runs the convert action without commander (src/cli/main.ts); every other command
 * line goes through the commander program. Both ways must behave the same: `--` before the files sends the same
 * files through commander, whose output, report and exit code must match the plain run's.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, isPlainConversion } from '../../src/cli/main.js';
import { buildProgram } from '../../src/cli/program.js';
import { runIn } from '../helpers/cli.js';

const samples = join(import.meta.dirname, '../../samples');
const dir = mkdtempSync(join(tmpdir(), 'c2k-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('isPlainConversion', () => {
  it('is true for files only (or nothing), false for any flag, `--`, `-` or a command name first', () => {
    expect(isPlainConversion([])).toBe(true);
    expect(isPlainConversion(['compose.yaml', 'compose.prod.yaml'])).toBe(true);
    expect(isPlainConversion(['compose.yaml', 'lint'])).toBe(true);
    for (const args of [['-o', 'k8s'], ['compose.yaml', '--strict'], ['--', 'a.yaml'], ['-'], ['lint'], ['help']])
      expect(isPlainConversion(args)).toBe(false);
  });

  it('knows every command of the commander program, aliases and the implicit help command included', () => {
    const program = buildProgram();
    const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
    expect(names.length).toBeGreaterThan(2);
    for (const name of [...names, 'help']) expect(COMMAND_NAMES.has(name)).toBe(true);
  });
});

describe('a plain run and the same files through commander', () => {
  const cases = readdirSync(samples).filter((s) => !s.includes('.'));
  it.each(cases)('%s: same manifests, report and exit code', async (sample) => {
    const cwd = join(samples, sample);
    const plain = await runIn(cwd, []);
    const viaCommander = await runIn(cwd, ['--', 'compose.yaml']);
    const named = await runIn(cwd, ['compose.yaml']);
    expect(plain.out.length).toBeGreaterThan(0);
    expect(viaCommander).toEqual(named);
    expect(named).toEqual(plain);
  });

  it('same diagnostics and exit code for a broken and a missing file', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'services:\n  web:\n    image: [1\n');
    for (const file of ['bad.yaml', 'missing.yaml']) {
      const plain = await runIn(dir, [file]);
      expect(plain.code).toBe(2);
      expect(plain.err).toContain(file);
      expect(await runIn(dir, ['--', file])).toEqual(plain);
    }
  });
});
