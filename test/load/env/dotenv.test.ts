import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../src/load/env/dotenv.js';
import { Diagnostics } from '../../../src/report/diagnostic.js';
import { TEXTS } from '../../../src/mappings/texts.js';

const noEnv = (): string | undefined => undefined;

function parse(text: string, env: Record<string, string> = {}): { out: Record<string, string>; d: Diagnostics } {
  const d = new Diagnostics(TEXTS);
  const out = parseDotenv(text, '.env', (n) => env[n], d);
  return { out, d };
}

describe('parseDotenv: single lines (compose-go TestParsing facts)', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['FOO=bar', { FOO: 'bar' }],
    ['FOO =bar', { FOO: 'bar' }],
    ['FOO= bar', { FOO: 'bar' }],
    ['FOO="bar"', { FOO: 'bar' }],
    ["FOO='bar'", { FOO: 'bar' }],
    ['FOO="escaped\\"bar"', { FOO: 'escaped"bar' }],
    ['FOO="\'d\'"', { FOO: "'d'" }],
    ['OPTION_A: 1', { OPTION_A: '1' }],
    ['OPTION_A: Foo=bar', { OPTION_A: 'Foo=bar' }],
    ['OPTION_A=1:B', { OPTION_A: '1:B' }],
    ['export OPTION_A=2', { OPTION_A: '2' }],
    ["export OPTION_B='\\n'", { OPTION_B: '\\n' }],
    ['export exportFoo=2', { exportFoo: '2' }],
    ['exportFOO=2', { exportFOO: '2' }],
    ['export_FOO =2', { export_FOO: '2' }],
    ['export.FOO= 2', { 'export.FOO': '2' }],
    ['export\tOPTION_A=2', { OPTION_A: '2' }],
    ['  export OPTION_A=2', { OPTION_A: '2' }],
    ['FOO="bar\\nbaz"', { FOO: 'bar\nbaz' }],
    ['FOO="a\\tb\\\\c"', { FOO: 'a\tb\\c' }],
    ['FOO="\\0123"', { FOO: 'S' }],
    ['FOO="keep \\q"', { FOO: 'keep \\q' }],
    ['FOO.BAR=foobar', { 'FOO.BAR': 'foobar' }],
    ['a[1]=c', { 'a[1]': 'c' }],
    ['my-key=v', { 'my-key': 'v' }],
    ['árvíztűrő-TÜKÖRFÚRÓGÉP=ÁRVÍZTŰRŐ', { 'árvíztűrő-TÜKÖRFÚRÓGÉP': 'ÁRVÍZTŰRŐ' }],
    ['FOO=foobar=', { FOO: 'foobar=' }],
    ['FOO=bar ', { FOO: 'bar' }],
    ['FOO=bar # this is foo', { FOO: 'bar' }],
    ['FOO=bar#baz', { FOO: 'bar#baz' }],
    ['FOO="bar#baz" # comment', { FOO: 'bar#baz' }],
    ["FOO='bar#baz' # comment", { FOO: 'bar#baz' }],
    ['FOO="ba#r"', { FOO: 'ba#r' }],
    ['FOO=', { FOO: '' }],
    ['FOO=""', { FOO: '' }],
    [' KEY =value', { KEY: 'value' }],
    ['\tKEY=value', { KEY: 'value' }],
    ['KEY=value\r\nK2=v2\r\n', { KEY: 'value', K2: 'v2' }],
    ['\uFEFFKEY=v', { KEY: 'v' }],
    ['FOO="a" BAR=b', { FOO: 'a', BAR: 'b' }],
    ['# only a comment\n\n   \n\t # indented comment', {}],
  ];
  it.each(cases)('%j', (text, want) => {
    const { out, d } = parse(text);
    expect(d.list).toEqual([]);
    expect(out).toEqual(want);
  });
});

describe('parseDotenv: files', () => {
  it('reads multi-line quoted values', () => {
    const { out } = parse('OPTION_J="first line\nsecond line\nthird line\nand so on"\nOPTION_Z=last value\n');
    expect(out).toEqual({ OPTION_J: 'first line\nsecond line\nthird line\nand so on', OPTION_Z: 'last value' });
  });

  it('keeps single-quoted multi-line values literal', () => {
    expect(parse("K='a\n$B\\n'").out).toEqual({ K: 'a\n$B\\n' });
  });

  it('expands earlier keys and the lookup in unquoted and double-quoted values, not in single quotes', () => {
    const { out } = parse('FOO=test\nBAR=$FOO\nBAZ=${FOO}bar\nQ="quote $FOO"\nS=\'quote $FOO\'\nE=${ENVV}', {
      ENVV: 'from-env',
    });
    expect(out).toEqual({ FOO: 'test', BAR: 'test', BAZ: 'testbar', Q: 'quote test', S: 'quote $FOO', E: 'from-env' });
  });

  it('lets the lookup win over an earlier key of the file when expanding', () => {
    expect(parse('A=file\nB=$A', { A: 'env' }).out.B).toBe('env');
  });

  it('does not expand escaped dollars in double quotes', () => {
    expect(parse('FOO=test\nA="foo\\$BAR"\nB="foo\\${FOO} ${FOO}"').out).toEqual({
      FOO: 'test',
      A: 'foo$BAR',
      B: 'foo${FOO} test',
    });
  });

  it('supports defaults in values', () => {
    expect(parse('A=${UNSET:-fallback}\nB="${A:+set}"').out).toEqual({ A: 'fallback', B: 'set' });
  });

  it('expands an undefined variable to the empty string, with a warning on its line', () => {
    const { out, d } = parse('\nBAR=$FOO');
    expect(out).toEqual({ BAR: '' });
    expect(d.list).toHaveLength(1);
    expect(d.list[0]).toMatchObject({
      severity: 'warning',
      code: 'interpolation-unset',
      pos: { file: '.env', line: 2, col: 5 },
    });
  });

  it('takes a bare KEY from the lookup, and leaves it out when the lookup lacks it', () => {
    expect(parse('VAR_FROM_ENV\nfoo=bar\nMISSING\nLAST', { VAR_FROM_ENV: 'x', LAST: 'y' }).out).toEqual({
      VAR_FROM_ENV: 'x',
      foo: 'bar',
      LAST: 'y',
    });
  });

  it('keeps 1000 keys in order of appearance (linear parse)', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `KEY${i}=VALUE${i}`).join('\n');
    const { out } = parse(text);
    expect(Object.keys(out)).toHaveLength(1000);
    expect(out.KEY999).toBe('VALUE999');
  });

  it('lets a later definition win', () => {
    expect(parse('A=1\nA=2').out).toEqual({ A: '2' });
  });
});

describe('parseDotenv: errors with line:col', () => {
  const cases: Array<[string, string, number, number, string]> = [
    ['%!(EXTRA string)=foo', 'dotenv-syntax', 1, 1, 'unexpected character "%" in variable name'],
    ['OK=1\nlol$wut', 'dotenv-syntax', 2, 4, 'unexpected character "$"'],
    ['A=1\n\nFOO BAR=1', 'dotenv-syntax', 3, 1, 'key cannot contain a space'],
    ['A=1\nKEY="value', 'dotenv-syntax', 2, 5, 'unterminated quoted value'],
    ["K='abc\nmore", 'dotenv-syntax', 1, 3, 'unterminated quoted value'],
    ['=value', 'dotenv-syntax', 1, 1, 'missing variable name'],
    ['A=ok\nB=${NEEDED:?please set NEEDED}', 'interpolation-required', 2, 3, 'please set NEEDED'],
    ['A="x ${1}"', 'interpolation-syntax', 1, 3, 'invalid interpolation format'],
  ];
  it.each(cases)('%j → %s at %i:%i', (text, code, line, col, msg) => {
    const { d } = parse(text);
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0]).toMatchObject({ code, pos: { file: '.env', line, col } });
    expect(d.errors[0]?.message).toContain(msg);
  });

  it('reports every bad line and still reads the good ones', () => {
    const d = new Diagnostics(TEXTS);
    const out = parseDotenv('A=1\nb@d=2\nC=3\nx y=4\nD=4', '.env', noEnv, d);
    expect(out).toEqual({ A: '1', C: '3', D: '4' });
    expect(d.errors.map((e) => `${e.pos?.line}:${e.pos?.col}`)).toEqual(['2:2', '4:1']);
  });
});
