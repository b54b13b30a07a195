import { describe, expect, it } from 'vitest';
import { SourcePositions, positionsFromPointers } from '../../src/model/positions.js';

const pos = (line: number) => ({ file: '/p/compose.yaml', line, col: 1 });

describe('SourcePositions', () => {
  const p = positionsFromPointers([
    ['services/web', pos(2)],
    ['services/web/ports', pos(3)],
    ['services/web/ports/0', pos(4)],
    ['services/web/environment/A~1B', pos(5)],
    ['services/web/labels/x~0y', pos(6)],
  ]);

  it('finds a value by its segments, numbers and digit strings alike', () => {
    expect(p.exact('services', 'web', 'ports', 0)).toEqual(pos(4));
    expect(p.exact('services', 'web', 'ports', '0')).toEqual(pos(4));
    expect(p.get('services/web/ports/0')).toEqual(pos(4));
  });

  it('falls back to the nearest ancestor with a position', () => {
    expect(p.at('services', 'web', 'ports', 1)).toEqual(pos(3));
    expect(p.at('services', 'web', 'ports', 0, 'target')).toEqual(pos(4));
    expect(p.at('services', 'web', 'image')).toEqual(pos(2));
    expect(p.exact('services', 'web', 'image')).toBeUndefined();
    expect(p.at('services', 'db')).toBeUndefined();
    expect(p.atPointer('services/web/ports/7')).toEqual(pos(3));
  });

  it('unescapes pointer segments (~1 is /, ~0 is ~)', () => {
    expect(p.exact('services', 'web', 'environment', 'A/B')).toEqual(pos(5));
    expect(p.exact('services', 'web', 'labels', 'x~y')).toEqual(pos(6));
    expect(p.has('services/web/labels/x~0y')).toBe(true);
  });

  it('keeps a parent recorded after its children, and a child recorded after its parent', () => {
    const q = new SourcePositions();
    q.setAt(['a', 'b'], pos(2));
    q.setAt(['a'], pos(1));
    q.setAt(['a', 'b', 'c'], pos(3));
    expect([q.exact('a'), q.exact('a', 'b'), q.exact('a', 'b', 'c')]).toEqual([pos(1), pos(2), pos(3)]);
    expect(q.at('a', 'x')).toEqual(pos(1));
  });
});
