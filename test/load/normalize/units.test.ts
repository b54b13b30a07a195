import { describe, expect, it } from 'vitest';
import { parseBytes, parseDuration } from '../../../src/load/normalize/units.js';

describe('parseDuration (str2duration syntax, → ms)', () => {
  it.each<[string | number, number | undefined]>([
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['2h45m', 9_900_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['100us', 0.1],
    ['0', 0],
    [0, 0],
    ['-5s', -5000],
    ['10', undefined], // compose-go: "missing unit in duration"
    [30, undefined],
    ['', undefined],
    ['5 s', undefined],
    ['1y', undefined],
    ['s', undefined],
  ])('%j → %j', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });
});

describe('parseBytes (docker units.RAMInBytes, binary)', () => {
  it.each<[string | number, number | undefined]>([
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1gb', 1024 ** 3],
    ['1GB', 1024 ** 3],
    ['1GiB', 1024 ** 3],
    ['100k', 102_400],
    ['2048', 2048],
    [2048, 2048],
    ['1.5g', 1.5 * 1024 ** 3],
    ['10 M', 10 * 1024 ** 2],
    ['1b', 1],
    ['1t', 1024 ** 4],
    ['12x', undefined],
    ['-1', undefined],
    ['m', undefined],
  ])('%j → %j', (input, bytes) => {
    expect(parseBytes(input)).toBe(bytes);
  });
});
