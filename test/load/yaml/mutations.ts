/**
 * Random YAML-hostile edits of a text, for the fast-check differential tests of our YAML parser: line
 * drops, duplicates, swaps, indentation shifts, tabs, hostile scalars and syntax spliced in (flow/block
 * mixes, unterminated quotes, `? ` complex keys, anchors and tags on every kind of node, aliases, block
 * scalar headers, escapes), a BOM, CRLF line ends, `---` / `...` document markers and directives.
 */
import fc from 'fast-check';

export const HOSTILE = [
  '!reset',
  '!override',
  '!!str',
  '!!int',
  '!!binary',
  '!<tag:x>',
  '!e!x',
  '&a',
  '&a [1, *a]',
  '*a',
  '*undefined',
  '<<: *a',
  '? ',
  '? [a, b]',
  ': ',
  '- ',
  '-',
  '{',
  '}',
  '[',
  ']',
  '{a: 1, b}',
  '[a: 1, b]',
  '[a, {b: [c, {d: e}]}]',
  ', ',
  '"',
  "'",
  '"unterminated',
  "'it''s",
  '"\\x41\\u00e9\\U0001F600\\q\\',
  '"a\\\n  b"',
  '|',
  '|+',
  '>-',
  '|2-',
  '>9x',
  '#',
  ' #c',
  '#c',
  '\t',
  '\t- x',
  '\r',
  '\ufeff',
  '\u0085',
  '\u2028',
  '---',
  '--- ',
  '...',
  '%YAML 1.1',
  '%TAG !e! tag:e,2000:',
  '%FOO',
  '@x',
  '`x',
  '%x',
  '~',
  '0777',
  '1e309',
  'x'.repeat(1100),
  '',
];

export type Mutation =
  | { op: 'drop' | 'dup' | 'tab' | 'crlf' | 'bom'; at: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'indent'; at: number; by: number }
  | { op: 'value' | 'insert' | 'line'; at: number; pos: number; text: string };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('drop' as const, 'dup' as const, 'tab' as const, 'crlf' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('bom' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({
    op: fc.constantFrom('value' as const, 'insert' as const, 'line' as const),
    at: fc.nat(),
    pos: fc.nat(),
    text: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6 })),
  }),
);

export function mutate(text: string, ms: readonly Mutation[]): string {
  const lines = text.split('\n');
  let bom = false;
  for (const m of ms) {
    if (lines.length === 0) lines.push('');
    const i = m.at % lines.length;
    const l = lines[i]!;
    switch (m.op) {
      case 'drop':
        lines.splice(i, 1);
        break;
      case 'dup':
        lines.splice(i, 0, l);
        break;
      case 'tab':
        lines[i] = l.replace(/^( *)/, (s) => s.slice(0, Math.max(0, s.length - 1)) + '\t');
        break;
      case 'crlf':
        lines[i] = l + '\r';
        break;
      case 'bom':
        bom = true;
        break;
      case 'swap': {
        const j = m.with % lines.length;
        [lines[i], lines[j]] = [lines[j]!, l];
        break;
      }
      case 'indent':
        lines[i] = m.by >= 0 ? ' '.repeat(m.by) + l : l.slice(Math.min(-m.by, /^ */.exec(l)![0].length));
        break;
      case 'value': {
        const k = l.search(/: |- /);
        lines[i] = k >= 0 ? l.slice(0, k + 2) + m.text : l + m.text;
        break;
      }
      case 'insert': {
        const p = m.pos % (l.length + 1);
        lines[i] = l.slice(0, p) + m.text + l.slice(p);
        break;
      }
      case 'line':
        lines.splice(i, 0, ' '.repeat(m.pos % 6) + m.text);
        break;
    }
  }
  return (bom ? '\ufeff' : '') + lines.join('\n');
}
