import { describe, expect, it } from 'vitest';
import * as s from '../../src/model/check.js';

const run = (schema: s.Schema<unknown>, v: unknown): s.Issue[] => {
  const out: s.Issue[] = [];
  s.check(schema, v, out);
  return out;
};

describe('check', () => {
  it('checks scalars; a number must be finite', () => {
    expect(run(s.string(), 'a')).toEqual([]);
    expect(run(s.string(), 1)).toEqual([{ code: 'invalid_type', expected: 'string', path: [] }]);
    expect(run(s.number(), 1.5)).toEqual([]);
    expect(run(s.number(), Infinity)).toEqual([{ code: 'invalid_type', expected: 'number', path: [] }]);
    expect(run(s.number(), NaN)).toHaveLength(1);
    expect(run(s.boolean(), 'true')).toEqual([{ code: 'invalid_type', expected: 'boolean', path: [] }]);
    expect(run(s.nil(), null)).toEqual([]);
    expect(run(s.enumOf(['a', 'b']), 'c')).toEqual([{ code: 'invalid_value', values: ['a', 'b'], path: [] }]);
  });

  it('reports known keys in shape order, then unknown keys; a missing required key is checked as undefined', () => {
    const o = s.object({ a: s.string(), b: s.number().optional(), c: s.array(s.string()).nullable().optional() });
    expect(run(o, { z: 1, c: [1], a: 'x' })).toEqual([
      { code: 'invalid_type', expected: 'string', path: ['c', 0] },
      { code: 'unrecognized_keys', keys: ['z'], path: [] },
    ]);
    expect(run(o, { c: null })).toEqual([{ code: 'invalid_type', expected: 'string', path: ['a'] }]);
    expect(run(o, [])).toEqual([{ code: 'invalid_type', expected: 'object', path: [] }]);
  });

  it('lets any key into a record and checks its values', () => {
    expect(run(s.record(s.number()), { x: 1, y: 'no' })).toEqual([
      { code: 'invalid_type', expected: 'number', path: ['y'] },
    ]);
    expect(run(s.record(s.number()), 'no')).toEqual([{ code: 'invalid_type', expected: 'record', path: [] }]);
  });

  it('a union passes on any branch, takes the one branch that failed only on unknown keys, else lists all', () => {
    const u = s.union([s.string(), s.object({ a: s.string() }), s.object({ b: s.string() })]);
    expect(run(u, 'x')).toEqual([]);
    expect(run(u, { b: 'x' })).toEqual([]);
    // only the second branch is "soft": its issues become the union's own
    expect(run(u, { a: 'x', z: 1 })).toEqual([{ code: 'unrecognized_keys', keys: ['z'], path: [] }]);
    expect(run(u, 1)).toEqual([
      {
        code: 'invalid_union',
        path: [],
        errors: [
          [{ code: 'invalid_type', expected: 'string', path: [] }],
          [{ code: 'invalid_type', expected: 'object', path: [] }],
          [{ code: 'invalid_type', expected: 'object', path: [] }],
        ],
      },
    ]);
    // two soft branches: no single choice, so the union lists them all
    expect(run(u, { z: 1 })[0]!.code).toBe('invalid_union');
  });

  it('prefixes the paths of nested issues, through unions', () => {
    const sch = s.object({ xs: s.array(s.union([s.number(), s.object({ t: s.number() })])) });
    expect(run(sch, { xs: [1, { t: 'no' }] })).toEqual([
      {
        code: 'invalid_union',
        path: ['xs', 1],
        errors: [
          [{ code: 'invalid_type', expected: 'number', path: [] }],
          [{ code: 'invalid_type', expected: 'number', path: ['t'] }],
        ],
      },
    ]);
  });
});
