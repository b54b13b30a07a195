/** Offsets → 1-based line and column, from the line starts of the text itself. */
import type { SourcePos } from '../../report/diagnostic.js';

export class LineTable {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1);
  }

  /** Index of the line holding `offset` (0-based). */
  #index(offset: number): number {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  line(offset: number): number {
    return this.#index(offset) + 1;
  }

  pos(file: string, offset: number): SourcePos {
    const i = this.#index(offset);
    return { file, line: i + 1, col: offset - this.#starts[i]! + 1 };
  }
}
