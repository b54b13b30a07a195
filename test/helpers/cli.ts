/** Run the CLI in process against the real file system, with captured output and an empty environment. */
import { nodeIO, type CliIO } from '../../src/cli/common.js';
import { runCli } from '../../src/cli/main.js';
import { memoryFs } from '../../src/load/fs.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runIn(cwd: string, args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIO = { ...nodeIO(), cwd, env: {}, stdout: (s) => void (out += s), stderr: (s) => void (err += s) };
  const code = await runCli(args, io);
  return { code, out, err };
}

/** Run the CLI in process against an in-memory file system (nothing written: stdout/stderr channels only). */
export async function runInMemory(files: Record<string, string>, cwd: string, args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIO = {
    ...nodeIO(),
    fs: memoryFs(files),
    cwd,
    env: {},
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    readStdin: () => '',
  };
  const code = await runCli(args, io);
  return { code, out, err };
}
