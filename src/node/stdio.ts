/**
 * Standard output and error for the CLI, written synchronously to the file descriptor.
 *
 * `process.stdout` / `process.stderr` are streams: the first use of one loads Node's stream, net and tty
 * modules and opens a libuv handle, ~4 ms of every start (a 5-service run takes ~55 ms beyond Node's own start).
 * The CLI prints whole texts at the end of a run, so a plain `write(2)` loop does the same job: it writes
 * everything, in the order the program printed it, before the process exits.
 */
import { fstatSync, writeSync } from 'node:fs';

/** For short sleeps while a non-blocking descriptor is full. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * A writer of text to `fd`: all of it (partial writes are continued; a full non-blocking pipe is waited for).
 * When the reader has gone (EPIPE, e.g. `compose2k8s | head`), the rest of the output is dropped quietly: there is
 * no one left to read it.
 */
export function fdWriter(fd: number): (text: string) => void {
  let gone = false;
  return (text) => {
    if (gone || text.length === 0) return;
    let rest: Buffer | undefined;
    for (;;) {
      try {
        if (rest === undefined) {
          const n = writeSync(fd, text);
          if (n === Buffer.byteLength(text)) return;
          rest = Buffer.from(text).subarray(n);
        } else {
          rest = rest.subarray(writeSync(fd, rest));
          if (rest.length === 0) return;
        }
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          gone = true;
          return;
        }
        if (code !== 'EAGAIN') throw e;
        // Nothing was written: the same text (or rest) is tried again after a millisecond.
        Atomics.wait(sleeper, 0, 0, 1);
      }
    }
  };
}

/**
 * Whether `fd` (1 or 2; any other is not asked about) is a terminal. Files and pipes, the usual case for the CLI's
 * output, are told apart from a terminal by `fstat` alone; only a character device asks `process.stdout` or
 * `process.stderr`, which opens the tty stream.
 */
export function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  const stream = fd === 1 ? process.stdout : fd === 2 ? process.stderr : undefined;
  return stream?.isTTY === true;
}
