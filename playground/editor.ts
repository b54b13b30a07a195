/**
 * The playground's editors: a plain <textarea> (no wrapping) with a line-number gutter that follows
 * its scrolling and marks lines that have diagnostics, and a way to put the cursor on line:col.
 */
import type { Severity } from '../src/index.js';

export interface Editor {
  textarea: HTMLTextAreaElement;
  /** Redraw the gutter; `marks` maps 1-based line numbers to the worst severity on that line. */
  refresh(marks?: ReadonlyMap<number, Severity>): void;
  /** Focus the textarea with the cursor at 1-based `line`:`col` and scroll it into view. */
  moveTo(line: number, col: number): void;
}

/** Character offset of 1-based line:col in `text` (clamped to the line and the text). */
export function offsetOf(text: string, line: number, col: number): number {
  let offset = 0;
  for (let n = 1; n < line; n++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const end = text.indexOf('\n', offset);
  const lineEnd = end < 0 ? text.length : end;
  return Math.min(offset + Math.max(0, col - 1), lineEnd);
}

export function editor(textarea: HTMLTextAreaElement, gutter: HTMLElement): Editor {
  let marks: ReadonlyMap<number, Severity> = new Map();
  let drawn = '';

  const draw = (): void => {
    const lines = textarea.value.split('\n').length;
    const key = `${lines}|${[...marks].join(';')}`;
    if (key === drawn) return;
    drawn = key;
    const frag = document.createDocumentFragment();
    for (let n = 1; n <= lines; n++) {
      const span = document.createElement('span');
      span.textContent = String(n);
      const mark = marks.get(n);
      if (mark) span.className = `mark-${mark}`;
      frag.append(span, '\n');
    }
    gutter.replaceChildren(frag);
  };
  const follow = (): void => {
    gutter.scrollTop = textarea.scrollTop;
  };

  textarea.addEventListener('input', draw);
  textarea.addEventListener('scroll', follow);
  // Tab inserts two spaces instead of leaving the field (YAML is indented with spaces).
  textarea.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab' || e.shiftKey || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    textarea.setRangeText('  ', textarea.selectionStart, textarea.selectionEnd, 'end');
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });

  return {
    textarea,
    refresh(next) {
      if (next) marks = next;
      draw();
      follow();
    },
    moveTo(line, col) {
      const at = offsetOf(textarea.value, line, col);
      textarea.focus();
      textarea.setSelectionRange(at, at);
      const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
      const top = (line - 1) * lineHeight;
      if (top < textarea.scrollTop || top > textarea.scrollTop + textarea.clientHeight - 2 * lineHeight) {
        textarea.scrollTop = Math.max(0, top - textarea.clientHeight / 3);
      }
      follow();
    },
  };
}
