import { describe, expect, it } from 'vitest';
import { commandWords } from '../../src/model/command.js';

describe('commandWords', () => {
  it('is the entrypoint, then the command, each optional or reset', () => {
    expect(commandWords({ entrypoint: ['/init.sh'], command: ['npm', 'start'] })).toEqual(['/init.sh', 'npm', 'start']);
    expect(commandWords({ command: ['yarn', 'install'] })).toEqual(['yarn', 'install']);
    expect(commandWords({ entrypoint: null, command: null })).toEqual([]);
  });
});
