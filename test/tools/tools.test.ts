// The real tools later tests depend on (installed by scripts/pretest.mjs) must run.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { toolPath } from '../../scripts/tools.mjs';

const run = (name: string, args: string[]): string =>
  execFileSync(toolPath(name), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });

describe('installed tools', () => {
  it('helm runs from .tools/bin', () => {
    expect(toolPath('helm')).toMatch(/\.tools\/bin\/helm$/);
    expect(run('helm', ['version'])).toMatch(/Version:"v\d+\.\d+/);
  });

  it('kubectl runs from .tools/bin', () => {
    expect(toolPath('kubectl')).toMatch(/\.tools\/bin\/kubectl$/);
    expect(run('kubectl', ['version', '--client'])).toMatch(/Client Version: v1\.\d+/);
  });

  it('docker-compose 1.x runs without a Docker engine', () => {
    expect(run('docker-compose', ['version'])).toMatch(/docker-compose version 1\.\d+\.\d+/);
  });
});
