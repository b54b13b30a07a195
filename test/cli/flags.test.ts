import { describe, expect, it } from 'vitest';
import { defaultConvertFlags } from '../../src/cli/flags.js';
import { convertCommand } from '../../src/cli/convert.js';
import { nodeIO } from '../../src/cli/common.js';

describe('defaultConvertFlags', () => {
  it('is exactly what commander hands the convert action for a command line without flags', async () => {
    const cmd = convertCommand({ ...nodeIO(), stdout: () => {}, stderr: () => {} });
    let given: unknown;
    cmd.exitOverride().action((_files: string[], flags: unknown) => {
      given = flags;
    });
    await cmd.parseAsync(['compose.yaml'], { from: 'user' });
    expect(given).toBeDefined();
    expect(defaultConvertFlags()).toStrictEqual({ ...(given as object) });
  });
});
