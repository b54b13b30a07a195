import { describe, expect, it } from 'vitest';
import { interpolateString, interpolateTree } from '../../../src/load/env/interpolate.js';
import { Override, RESET } from '../../../src/load/yaml/tags.js';
import { Diagnostics } from '../../../src/report/diagnostic.js';
import type { SourcePos } from '../../../src/report/diagnostic.js';
import { TEXTS } from '../../../src/mappings/texts.js';

// The environment of compose-go's template tests: FOO is set, BAR is set but empty.
const env: Record<string, string> = { FOO: 'first', BAR: '', lower: 'low', _U: 'under', A1: 'a-one' };
const lookup = (n: string): string | undefined => env[n];
/** The worded error of a template interpolated alone (no path, so no `at`), as the loader reports it. */
const errorOf = (tpl: string): string | undefined => {
  const d = new Diagnostics(TEXTS);
  interpolateTree(tpl, new Map(), lookup, d);
  return d.errors[0]?.message;
};

describe('interpolateString: values', () => {
  const cases: Array<[string, string]> = [
    ['foo', 'foo'],
    ['$FOO', 'first'],
    ['${FOO}', 'first'],
    ['This $FOO var', 'This first var'],
    ['This ${FOO} var', 'This first var'],
    ['$FOO-bar', 'first-bar'], // docker/compose#8601: the name stops at `-`
    ['$FOO.bar', 'first.bar'],
    ['${FOO}bar', 'firstbar'],
    ['$lower$_U$A1', 'lowundera-one'],
    ['$$', '$'],
    ['$${FOO}', '${FOO}'],
    ['$$FOO', '$FOO'],
    ['a $$$FOO b', 'a $first b'],
    ['This ${missing} var', 'This  var'],
    ['This ${BAR} var', 'This  var'],
    ['ok ${missing:-def}', 'ok def'],
    ['ok ${missing-def}', 'ok def'],
    ['ok ${BAR:-def}', 'ok def'],
    ['ok ${FOO:-def}', 'ok first'],
    ['ok ${BAR-def}', 'ok '],
    ['ok ${BAR:-/non:-alphanumeric}', 'ok /non:-alphanumeric'],
    ['ok ${UNSET_VAR-$FOO}', 'ok first'],
    ['ok ${UNSET_VAR-${FOO}}', 'ok first'],
    ['ok ${UNSET_VAR-${FOO} ${FOO}}', 'ok first first'],
    ['ok ${BAR:-${FOO}}', 'ok first'],
    ['${A:-${B:-x}}', 'x'],
    ['${A:-${FOO:-x}}', 'first'],
    ['${A:-$B}', ''],
    ['${UNSET_VAR-myerror?msg}', 'myerror?msg'],
    ['${FOO?bar-baz}', 'first'],
    ['ok ${FOO:?err}', 'ok first'],
    ['ok ${FOO?err}', 'ok first'],
    ['ok ${BAR?err}', 'ok '],
    ['${FOO:+repl}', 'repl'],
    ['${BAR:+repl}', ''],
    ['${missing:+repl}', ''],
    ['${FOO+repl}', 'repl'],
    ['${BAR+repl}', 'repl'],
    ['${missing+repl}', ''],
    ['${FOO:+${BAR:-x}y}', 'xy'],
    ['${A:-{x}}', '{x}'],
    ['${A:-x}}', 'x}'],
    ['${FOO} and ${BAR:-b} and $FOO', 'first and b and first'],
    ['line1\n${FOO}', 'line1\nfirst'],
  ];
  it.each(cases)('%j → %j', (tpl, want) => {
    const r = interpolateString(tpl, lookup);
    expect(r.error).toBeUndefined();
    expect(r.value).toBe(want);
  });
});

describe('interpolateString: unset variables', () => {
  it('reports every unset variable once, braced or not', () => {
    expect(interpolateString('$X ${X} ${Y}', lookup).unset).toEqual(['X', 'Y']);
  });
  it('does not report a variable used with an operator', () => {
    expect(interpolateString('${X:-a}${Y-b}${Z:+c}${W+d}', lookup).unset).toEqual([]);
  });
  it('does not report a set-but-empty variable', () => {
    expect(interpolateString('${BAR}', lookup).unset).toEqual([]);
  });
});

describe('interpolateString: invalid templates (compose-go TestInvalid and lone $)', () => {
  const bad = ['${', '${}', '${ }', '${ foo}', '${foo }', '${foo!}', '${VAR', '${VAR:x}', '${1A}'];
  it.each(bad)('%j is a syntax error', (tpl) => {
    const r = interpolateString(tpl, lookup);
    expect(r.error).toEqual({ kind: 'syntax' });
    expect(errorOf(tpl)).toBe(
      `invalid interpolation format: ${JSON.stringify(tpl)}; you may need to escape any $ with another $`,
    );
    expect(r.value).toBe(tpl);
  });
});

describe('interpolateString: a lone $ is literal (compose-go PR #307, docker/compose#12287)', () => {
  const literal: Array<[string, string]> = [
    ['$}', '$}'],
    ['$1', '$1'],
    ['$ x', '$ x'],
    ['trailing $', 'trailing $'],
    ['a $-b', 'a $-b'],
    ['HostRegexp(`^.+$`)', 'HostRegexp(`^.+$`)'],
    ['${NOPE:-$}', '$'],
    ['$@ and $FOO', '$@ and first'],
  ];
  it.each(literal)('%j → %j', (tpl, out) => {
    const r = interpolateString(tpl, lookup);
    expect(r.error).toBeUndefined();
    expect(r.value).toBe(out);
  });
});

describe('interpolateString: required variables', () => {
  const cases: Array<[string, string]> = [
    [
      'not ok ${UNSET_VAR:?Mandatory Variable Unset}',
      'required variable UNSET_VAR is missing a value: Mandatory Variable Unset',
    ],
    ['not ok ${BAR:?Mandatory Variable Empty}', 'required variable BAR is missing a value: Mandatory Variable Empty'],
    ['not ok ${UNSET_VAR:?}', 'required variable UNSET_VAR is missing a value'],
    [
      'not ok ${UNSET_VAR?Mandatory Variable Unset}',
      'required variable UNSET_VAR is missing a value: Mandatory Variable Unset',
    ],
    ['not ok ${UNSET_VAR?}', 'required variable UNSET_VAR is missing a value'],
    [
      'not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}',
      'required variable UNSET_VAR is missing a value: Mandatory Variable first',
    ],
    ['${UNSET_VAR?bar-baz}', 'required variable UNSET_VAR is missing a value: bar-baz'],
    // the default is interpolated even when it is not used (compose-go evaluates it eagerly)
    ['${FOO:-${NOPE:?needed}}', 'required variable NOPE is missing a value: needed'],
  ];
  it.each(cases)('%j fails with %j', (tpl, msg) => {
    expect(interpolateString(tpl, lookup).error?.kind).toBe('required');
    expect(errorOf(tpl)).toBe(msg);
  });
});

describe('interpolateTree', () => {
  const P = (line: number, col: number): SourcePos => ({ file: 'c.yml', line, col });
  const positions = new Map<string, SourcePos>([
    ['', P(1, 1)],
    ['services', P(1, 1)],
    ['services/web', P(2, 3)],
    ['services/web/image', P(3, 5)],
    ['services/web/command', P(4, 5)],
    ['services/web/command/1', P(4, 20)],
    ['services/web/environment', P(5, 5)],
    ['services/web/environment/$KEY', P(6, 7)],
  ]);

  it('interpolates string values only, never keys, numbers or booleans', () => {
    const d = new Diagnostics(TEXTS);
    const tree = {
      services: { web: { image: 'app:${FOO}', replicas: 2, tty: true, x: null, environment: { $KEY: '$FOO' } } },
    };
    const out = interpolateTree(tree, positions, lookup, d);
    expect(out).toEqual({
      services: { web: { image: 'app:first', replicas: 2, tty: true, x: null, environment: { $KEY: 'first' } } },
    });
    expect(tree.services.web.image).toBe('app:${FOO}'); // input untouched
    expect(d.list).toEqual([]);
  });

  it('warns about unset variables at the value position', () => {
    const d = new Diagnostics(TEXTS);
    interpolateTree({ services: { web: { command: ['echo', '$NOPE $NOPE'] } } }, positions, lookup, d);
    expect(d.list).toHaveLength(1);
    expect(d.list[0]).toMatchObject({ severity: 'warning', code: 'interpolation-unset', pos: P(4, 20) });
    expect(d.list[0]?.message).toContain('"NOPE"');
  });

  it('reports required variables with the user message, as errors at the nearest position', () => {
    const d = new Diagnostics(TEXTS);
    interpolateTree({ services: { web: { image: '${TAG:?set TAG first}' } } }, positions, lookup, d);
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0]).toMatchObject({ code: 'interpolation-required', pos: P(3, 5) });
    expect(d.errors[0]?.message).toContain('set TAG first');
  });

  it('reports bad syntax with the path, like compose', () => {
    const d = new Diagnostics(TEXTS);
    interpolateTree({ services: { web: { command: ['sh', 'echo ${1}'] } } }, positions, lookup, d);
    expect(d.errors[0]).toMatchObject({ code: 'interpolation-syntax', pos: P(4, 20) });
    expect(d.errors[0]?.message).toBe(
      'invalid interpolation format for services.web.command.1: "echo ${1}"; you may need to escape any $ with another $',
    );
  });

  it('passes RESET through and interpolates inside Override', () => {
    const d = new Diagnostics(TEXTS);
    const out = interpolateTree({ a: RESET, b: new Override(['$FOO', 1]) }, positions, lookup, d) as Record<
      string,
      unknown
    >;
    expect(out.a).toBe(RESET);
    expect(out.b).toBeInstanceOf(Override);
    expect((out.b as Override).value).toEqual(['first', 1]);
  });
});
