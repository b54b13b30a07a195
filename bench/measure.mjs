/**
 * Timing and heap helpers for bench/run.mjs: medians of interleaved runs, and retained-heap deltas
 * taken after forced garbage collections (node --expose-gc).
 */

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds spent in `fn` and its result. */
export function timed(fn) {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}

/** Full collection (twice: weak references and finalizers can free more on the second pass). */
export function collect() {
  globalThis.gc();
  globalThis.gc();
}

/**
 * Heap retained by what `make` returns (kept alive while measuring), and the highest heapUsed seen
 * (relative to the start) at the checkpoints `make` reports through `mark()`: an approximation of the
 * peak, since garbage made between checkpoints is only seen if not yet collected.
 */
export function heapOf(make) {
  collect();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  const mark = () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  };
  const kept = make(mark);
  mark();
  collect();
  const retained = process.memoryUsage().heapUsed - base;
  // Keep `kept` reachable until after the measurement.
  if (kept === undefined) throw new Error('heapOf: make() must return what it keeps');
  return { retained, peak };
}

export const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)) + ' ms';
export const fmtMB = (b) => (b / 1048576).toFixed(1) + ' MB';
