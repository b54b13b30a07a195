#!/usr/bin/env node
/**
 * Generates src/mappings/table.ts, src/mappings/outcomes.ts, src/mappings/texts.ts and docs/mappings.md from
 * mappings/*.yaml, the equivalence table between Compose keys and Kubernetes. The core imports the generated modules
 * because it cannot read files at runtime (it runs in browsers too). What the converter needs (ids, statuses, the
 * rows' scopes and keys) goes to table.ts and outcomes.ts; the wording (message templates, row notes, fix
 * templates, targets) goes to texts.ts, which the Node entry and the CLI attach and the playground loads as its own
 * chunk. The docs-only `owner` column stays in
 * the YAML and docs/mappings.md. Run `npm run gen:mappings` after editing mappings/.
 *
 * Exports the pure pieces so the tests can regenerate in memory and compare with the committed files.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const SCOPES = ['top', 'service', 'volume', 'network', 'secret', 'config'];
export const STATUSES = ['converted', 'approximated', 'unsupported', 'ignored'];
const FIELDS = ['key', 'target', 'status', 'note', 'fix', 'owner', 'outcomes'];
const OUTCOME_FIELDS = ['id', 'status', 'module', 'message', 'fix'];
/**
 * The optional modules an outcome may belong to (`module:`) when only their code reports it: the dialects
 * (src/dialects.ts), the output modes (src/modes.ts) or the renderers (src/renderers.ts, the report's own outcomes
 * only). Its status ships with that module (./module-outcomes.ts: a dialect or mode hands it to a conversion that is
 * given it, a renderer puts it on its amendments), not in the core's table, so the lean browser bundle leaves it out.
 */
const MODULES = ['dialects', 'modes', 'render'];
/** Outcome ids: lowercase words joined by `.` and `-` (`ports.published-http`). */
const OUTCOME_ID = /^[a-z0-9_]+(?:[.-][a-z0-9_]+)*$/;

/** Validate one `outcomes:` list; push the good ones to `out` with their row's key and scope. */
function readOutcomes(list, where, scope, key, out, seenIds, errors) {
  if (!Array.isArray(list)) {
    errors.push(`${where}: \`outcomes\` must be a list`);
    return;
  }
  for (const [j, o] of list.entries()) {
    const at = `${where} outcome ${j + 1}${o && o.id ? ` (${o.id})` : ''}`;
    if (!o || typeof o !== 'object') {
      errors.push(`${at}: not a mapping`);
      continue;
    }
    for (const k of Object.keys(o)) if (!OUTCOME_FIELDS.includes(k)) errors.push(`${at}: unknown field ${k}`);
    if (typeof o.id !== 'string' || !OUTCOME_ID.test(o.id))
      errors.push(`${at}: \`id\` must look like ports.published-http`);
    if (!STATUSES.includes(o.status)) errors.push(`${at}: status must be one of ${STATUSES.join(', ')}`);
    if (o.module !== undefined && (!MODULES.includes(o.module) || (o.module === 'render') !== (scope === 'report')))
      errors.push(`${at}: \`module\` must be one of ${MODULES.join(', ')} (render for the report's own outcomes only)`);
    if (typeof o.message !== 'string' || o.message.trim() === '' || o.message.includes('\n'))
      errors.push(`${at}: \`message\` must be a one-line template`);
    if (o.fix !== undefined && (typeof o.fix !== 'string' || o.fix.includes('\n')))
      errors.push(`${at}: \`fix\` must be one line`);
    if (seenIds.has(o.id)) errors.push(`${at}: duplicate outcome id ${o.id}`);
    seenIds.add(o.id);
    out.push({
      id: o.id,
      scope,
      key,
      status: o.status,
      ...(o.module ? { module: o.module } : {}),
      message: o.message,
      ...(o.fix ? { fix: o.fix } : {}),
    });
  }
}

/** Rows of every file, validated; `errors` lists problems (empty when the data is good). */
export function readRows(files) {
  const errors = [];
  const rows = [];
  const outcomes = [];
  const findings = [];
  const phrases = [];
  const implicit = [];
  const seenIds = new Set();
  const seen = new Set();
  const parsed = files.map((f) => ({ name: f.name, doc: parse(f.text) }));
  const scopeRank = (d) => SCOPES.indexOf(d && d.scope);
  const sorted = parsed.sort(
    (a, b) => scopeRank(a.doc) - scopeRank(b.doc) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  for (const { name, doc } of sorted) {
    const f = { name };
    if (doc && doc.scope === 'diagnostics') continue; // readDiagnostics
    if (doc && doc.scope === 'report') {
      // Outcomes that belong to no one key: the coverage pass's own (a key nobody handled, an unused definition...).
      readOutcomes(doc.outcomes, f.name, 'report', '', outcomes, seenIds, errors);
      if (doc.findings !== undefined) readFindings(doc.findings, f.name, findings, errors);
      if (doc.phrases !== undefined) readPhrases(doc.phrases, f.name, phrases, errors);
      continue;
    }
    if (!doc || !SCOPES.includes(doc.scope) || !Array.isArray(doc.rows)) {
      errors.push(`${f.name}: needs \`scope\` (${SCOPES.join('|')}) and a \`rows\` list`);
      continue;
    }
    for (const [i, r] of doc.rows.entries()) {
      const where = `${f.name} row ${i + 1}${r && r.key ? ` (${r.key})` : ''}`;
      if (!r || typeof r !== 'object') {
        errors.push(`${where}: not a mapping`);
        continue;
      }
      for (const k of Object.keys(r)) if (!FIELDS.includes(k)) errors.push(`${where}: unknown field ${k}`);
      for (const k of ['key', 'target', 'status', 'note'])
        if (typeof r[k] !== 'string' || r[k].trim() === '')
          errors.push(`${where}: \`${k}\` must be a non-empty string`);
      if (!STATUSES.includes(r.status)) errors.push(`${where}: status must be one of ${STATUSES.join(', ')}`);
      if (r.status !== 'converted' && (typeof r.fix !== 'string' || r.fix.trim() === ''))
        errors.push(`${where}: a ${r.status} row needs a \`fix\``);
      for (const k of FIELDS)
        if (typeof r[k] === 'string' && r[k].includes('\n')) errors.push(`${where}: \`${k}\` must be one line`);
      const id = `${doc.scope}:${r.key}`;
      if (seen.has(id)) errors.push(`${where}: duplicate key ${r.key} in scope ${doc.scope}`);
      seen.add(id);
      const row = { key: r.key, scope: doc.scope, target: r.target, status: r.status, note: r.note };
      if (r.fix) row.fix = r.fix;
      if (r.owner !== undefined) {
        if (typeof r.owner !== 'string' || !/^src\/convert\/.+\.ts$/.test(r.owner))
          errors.push(`${where}: \`owner\` must be the src/convert/... file that decides this key`);
        else row.owner = r.owner;
      }
      if (r.outcomes !== undefined) readOutcomes(r.outcomes, where, doc.scope, r.key, outcomes, seenIds, errors);
      rows.push(row);
      // The row itself is an outcome too (`service.attach`): what the coverage pass reports for a key no step handled.
      const rowId = `${doc.scope}.${r.key}`;
      if (seenIds.has(rowId)) errors.push(`${where}: outcome id ${rowId} is taken by the row itself`);
      seenIds.add(rowId);
      implicit.push({
        id: rowId,
        scope: doc.scope,
        key: r.key,
        status: r.status,
        message: r.note,
        ...(r.fix ? { fix: r.fix } : {}),
        row: true,
      });
    }
  }
  for (const o of outcomes)
    if (implicit.some((i) => i.id === o.id)) errors.push(`outcome id ${o.id} is taken by a row`);
  return { rows, outcomes: [...outcomes, ...implicit], findings, phrases, errors };
}

/**
 * The phrases (`phrases:` of report.yaml): wording a step gives as a placeholder's value, by id (`{~name}` in a
 * template is filled with the phrase whose id is the value of `name`, itself filled with the same values).
 */
function readPhrases(list, where, out, errors) {
  if (!Array.isArray(list)) {
    errors.push(`${where}: \`phrases\` must be a list`);
    return;
  }
  for (const [j, f] of list.entries()) {
    const at = `${where} phrase ${j + 1}${f && f.id ? ` (${f.id})` : ''}`;
    for (const k of Object.keys(f ?? {})) if (!['id', 'text'].includes(k)) errors.push(`${at}: unknown field ${k}`);
    if (typeof f?.id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$/.test(f.id))
      errors.push(`${at}: \`id\` must be dotted lowercase words (topic.phrase)`);
    if (typeof f?.text !== 'string' || f.text.includes('\n'))
      errors.push(`${at}: \`text\` must be a one-line template (or empty)`);
    if (out.some((o) => o.id === f?.id)) errors.push(`${at}: duplicate phrase id`);
    out.push({ id: f?.id, text: f?.text });
  }
}

/**
 * The pitfall findings' wording (`findings:` of report.yaml): each id is its pitfall, or `pitfall.variant`, with a
 * one-line message and fix template.
 */
function readFindings(list, where, out, errors) {
  if (!Array.isArray(list)) {
    errors.push(`${where}: \`findings\` must be a list`);
    return;
  }
  for (const [j, f] of list.entries()) {
    const at = `${where} finding ${j + 1}${f && f.id ? ` (${f.id})` : ''}`;
    for (const k of Object.keys(f ?? {}))
      if (!['id', 'message', 'fix'].includes(k)) errors.push(`${at}: unknown field ${k}`);
    if (typeof f?.id !== 'string' || !/^[a-z]+(-[a-z]+)*(\.[a-z]+(-[a-z]+)*)?$/.test(f.id))
      errors.push(`${at}: \`id\` must be a pitfall or pitfall.variant`);
    for (const k of ['message', 'fix'])
      if (typeof f?.[k] !== 'string' || !f[k].trim() || f[k].includes('\n'))
        errors.push(`${at}: \`${k}\` must be a one-line template`);
    if (out.some((o) => o.id === f?.id)) errors.push(`${at}: duplicate finding id`);
    out.push({ id: f?.id, message: f?.message, fix: f?.fix });
  }
}

/**
 * A row as table.ts ROWS writes it: `<status letter><key>`, then each run of its outcomes with one id prefix as
 * `:` and `<status letter><last segment>`s, comma-separated, the run led by `prefix=` unless the prefix is the
 * row's own (rowPrefix).
 */
function rowToken(row, outcomes) {
  if (/[\s:,=]/.test(row.key)) throw new Error(`row key ${row.key}: no blank, ':', ',' or '=' in a key`);
  let token = row.status[0] + row.key;
  let prefix;
  for (const o of outcomes) {
    const dot = o.id.lastIndexOf('.');
    const name = o.status[0] + o.id.slice(dot + 1);
    if (o.id.slice(0, dot) === prefix) token += `,${name}`;
    else {
      prefix = o.id.slice(0, dot);
      token += `:${prefix === rowPrefix(row) ? '' : `${prefix}=`}${name}`;
    }
  }
  return token;
}

/** The id prefix of a row's outcomes unless a run of them says otherwise: its key, after its scope unless a service's. */
const rowPrefix = (row) => (row.scope === 'service' ? row.key : `${row.scope}.${row.key}`);

/**
 * The listed outcomes of each row (readRows reads a row's outcomes with it, so they follow the rows' order; the
 * report's own come first).
 */
function outcomesByRow(rows, outcomes) {
  const listed = outcomes.filter((o) => !o.row && o.scope !== 'report');
  const byRow = rows.map((r) => listed.filter((o) => o.scope === r.scope && o.key === r.key));
  if (byRow.flat().some((o, i) => o !== listed[i])) throw new Error('outcomes must follow their rows, in order');
  return byRow;
}

export function generateTable(rows, outcomes = []) {
  const byRow = outcomesByRow(rows, outcomes);
  const lines = [
    '// GENERATED by scripts/gen-mappings.mjs from mappings/*.yaml. Do not edit: edit the YAML, then run',
    '// `npm run gen:mappings`. (The core cannot read mappings/ at runtime: it also runs in browsers.)',
    '// Only what the converter needs at runtime is here; the wording (notes, targets, fixes) is in ./texts.ts.',
    "import type { Status } from '../report/entry.js';",
    '',
    "export type MappingScope = 'top' | 'service' | 'volume' | 'network' | 'secret' | 'config';",
    '',
    '/**',
    ' * One Compose key and its usual status. The note the report gives when nothing more precise applies is the',
    " * message of the row's outcome (`service.attach`) in the report texts.",
    ' */',
    'export interface Mapping {',
    '  key: string;',
    '  scope: MappingScope;',
    '  status: Status;',
    '}',
    '',
    '/** A status by its first letter, as the compact tables below (and in ./outcomes.ts) write it. */',
    'export const STATUS_OF: Readonly<Record<string, Status>> = {',
    "  c: 'converted',",
    "  a: 'approximated',",
    "  u: 'unsupported',",
    "  i: 'ignored',",
    '};',
    '',
    "/** An outcome a row lists (`outcomes:` in the YAML): its id, its row's scope and key, its status. */",
    'export interface ListedOutcome {',
    '  id: string;',
    '  scope: MappingScope;',
    '  key: string;',
    '  status: Status;',
    '}',
    '',
    '/**',
    " * The rows by scope, in the YAML's order, space-separated: `<status letter><key>` (`cannotations` is the key",
    ' * annotations, converted), then the outcomes the row lists, in order: a run of outcomes with one id prefix is',
    ' * `:` and `<status letter><last segment>`s, comma-separated; the prefix is the key (a service row) or',
    ' * `<scope>.<key>`, unless the run starts `prefix=` (`ccap_add:cset,urestricted` is cap_add, converted, with the',
    ' * outcomes cap_add.set, converted, and cap_add.restricted, unsupported). Compact because this ships in the',
    ' * browser bundle. Without the outcomes of a module (`module:`, ./module-outcomes.ts).',
    ' */',
    'const ROWS: Readonly<Partial<Record<MappingScope, string>>> = {',
    ...SCOPES.filter((sc) => rows.some((r) => r.scope === sc)).map(
      (sc) =>
        `  ${sc}: ${JSON.stringify(
          rows
            .flatMap((r, i) =>
              r.scope === sc
                ? [
                    rowToken(
                      r,
                      byRow[i].filter((o) => !o.module),
                    ),
                  ]
                : [],
            )
            .join(' '),
        )},`,
    ),
    '};',
    '',
    '/** Each row as its scope, its `<status letter><key>` and its runs of outcomes. */',
    'const TOKENS = Object.entries(ROWS).flatMap(([scope, list]) =>',
    "  list.split(' ').map((token) => [scope as MappingScope, ...token.split(':')] as [MappingScope, string, ...string[]]),",
    ');',
    '',
    'export const MAPPINGS: readonly Mapping[] = TOKENS.map(([scope, row]) => ({',
    '  key: row.slice(1),',
    '  scope,',
    '  status: STATUS_OF[row[0]!]!,',
    '}));',
    '',
    '/** The outcomes the rows list, in order (./outcomes.ts makes OUTCOMES of them). */',
    'export const LISTED: readonly ListedOutcome[] = TOKENS.flatMap(([scope, row, ...runs]) => {',
    '  const key = row.slice(1);',
    "  const own = scope === 'service' ? key : `${scope}.${key}`;",
    '  return runs.flatMap((run) => {',
    "    const eq = run.indexOf('=');",
    '    const prefix = eq < 0 ? own : run.slice(0, eq);',
    '    // The names follow the `=` (from the start when there is none: eq + 1 is 0).',
    "    return run.slice(eq + 1).split(',').map((n) => ({ id: `${prefix}.${n.slice(1)}`, scope, key, status: STATUS_OF[n[0]!]! }));",
    '  });',
    '});',
    '',
  ];
  return lines.join('\n');
}

/**
 * src/mappings/module-outcomes.ts: the outcomes of each optional module (`module:` in the YAML), which the module
 * carries instead of the core's table.
 */
export function generateModuleOutcomes(outcomes) {
  const list = (module) =>
    outcomes
      .filter((o) => o.module === module)
      .map((o) => `  { id: ${q(o.id)}, scope: ${q(o.scope)}, key: ${q(o.key)}, status: ${q(o.status)} },`);
  const q = JSON.stringify;
  const lines = [
    '// GENERATED by scripts/gen-mappings.mjs from the outcomes of mappings/*.yaml that name a `module:`. Do not edit:',
    '// edit the YAML, then run `npm run gen:mappings`. The wording is in ./texts.ts.',
    "import type { Outcome } from './outcomes.js';",
    '',
    '/**',
    ' * The outcomes only the dialects report: every dialect carries them (src/convert/dialects.ts) and a conversion',
    " * learns them from the dialects it is given (intent/dialect.ts useDialects), so the core's table (./outcomes.ts)",
    ' * and the lean browser bundle leave them out.',
    ' */',
    'export const DIALECT_OUTCOMES: readonly Outcome[] = [',
    ...list('dialects'),
    '];',
    '',
    '/** The outcomes only the output modes report, likewise (src/convert/modes.ts, output-modes.ts useModes). */',
    'export const MODE_OUTCOMES: readonly Outcome[] = [',
    ...list('modes'),
    '];',
    '',
    '/** The outcomes only the renderers report (src/render/report-fixes.ts puts their status on its amendments). */',
    'export const RENDER_OUTCOMES: readonly Outcome[] = [',
    ...list('render'),
    '];',
    '',
  ];
  return lines.join('\n');
}

/** src/mappings/outcomes.ts: every outcome a step may report, by id (the ids are the type OutcomeId). */
export function generateOutcomes(outcomes, findings = [], phrases = []) {
  // Row outcomes must be exactly what OUTCOMES rebuilds from MAPPINGS (readMappings makes them so) and come last.
  const listed = outcomes.filter((o) => !o.row);
  if (outcomes.slice(listed.length).some((o) => !o.row)) throw new Error('row outcomes must follow the listed ones');
  // The report's own outcomes (report.yaml, read first), then the rows' (LISTED in table.ts).
  const report = listed.filter((o) => o.scope === 'report');
  if (listed.slice(0, report.length).some((o) => o.scope !== 'report' || o.key !== '' || !o.id.startsWith('report.')))
    throw new Error("the report's own outcomes must come first, as report.<name> with no key");
  const core = report.filter((o) => !o.module);
  const lines = [
    '// GENERATED by scripts/gen-mappings.mjs from the `outcomes:` of mappings/*.yaml (and every row as its own',
    '// outcome). Do not edit: edit the YAML, then run `npm run gen:mappings`. The wording is in ./texts.ts.',
    "import type { Status } from '../report/entry.js';",
    "import type { DiagnosticTexts } from '../report/codes.js';",
    "import { LISTED, MAPPINGS, STATUS_OF, type MappingScope } from './table.js';",
    '',
    '/** What one outcome decides: its key and status (its message template is in the report texts). */',
    'export interface Outcome {',
    '  id: string;',
    "  scope: MappingScope | 'report';",
    '  key: string;',
    '  status: Status;',
    "  /** The row's own outcome (`service.attach`), used by the coverage pass. */",
    '  row?: true;',
    '}',
    '',
    '/** The ids, as a type only (an unknown id fails typecheck; nothing of this list reaches a bundle). */',
    'export type OutcomeId =',
    ...outcomes.map((o, i) => `  | ${JSON.stringify(o.id)}${i === outcomes.length - 1 ? ';' : ''}`),
    '',
    '/**',
    " * The report's wording, generated apart into ./texts.ts (TEXTS): each outcome's message and fix templates and",
    ' * what each mapping row usually becomes. A conversion given them writes every message and `fix` in words;',
    " * without them (the lean browser entry, until the page has loaded them) an entry's message is its outcome",
    ' * id(s) and placeholder values (`ports.published-http (port=80, service=web)`, see fallbackMessage in',
    ' * src/convert/book.ts), it has no `fix`, and the rest (ids, statuses, objects, positions) is the same.',
    ' */',
    'export interface ReportTexts extends DiagnosticTexts {',
    "  /** Message template by outcome id (`{name}` placeholders); a row's own outcome's is the row's note. */",
    '  readonly messages: Readonly<Record<OutcomeId, string>>;',
    '  /** Fix template by outcome id (`{name}` placeholders, filled with the same values as the message). */',
    '  readonly fixes: Readonly<Partial<Record<OutcomeId, string>>>;',
    "  /** What a mapping row's key usually becomes in Kubernetes, by the row's outcome id (`service.ports`). */",
    '  readonly targets: Readonly<Partial<Record<OutcomeId, string>>>;',
    '  /** Message template of each pitfall finding, by finding id (`{name}` placeholders). */',
    '  readonly findings: Readonly<Record<FindingId, string>>;',
    '  /** Fix template of each pitfall finding, filled with the same values. */',
    '  readonly findingFixes: Readonly<Record<FindingId, string>>;',
    '  /** Wording a step gives as a value (`{~name}` placeholders: the phrase whose id is the value of `name`). */',
    '  readonly phrases: Readonly<Record<PhraseId, string>>;',
    '}',
    '',
    "/** The pitfall findings' wordings (`findings:` of mappings/report.yaml): a pitfall, or `pitfall.variant`. */",
    ...(findings.length
      ? [
          'export type FindingId =',
          ...findings.map((f, i) => `  | ${JSON.stringify(f.id)}${i === findings.length - 1 ? ';' : ''}`),
        ]
      : ['export type FindingId = never;']),
    '',
    '/** The phrases (`phrases:` of mappings/report.yaml): wording given as a placeholder value, by id. */',
    ...(phrases.length
      ? [
          'export type PhraseId =',
          ...phrases.map((f, i) => `  | ${JSON.stringify(f.id)}${i === phrases.length - 1 ? ';' : ''}`),
        ]
      : ['export type PhraseId = never;']),
    '',
    '/**',
    " * The coverage pass's own outcomes (`report.<name>`: scope report, no key), compact because this ships in the",
    ' * browser bundle: `<status letter><name>`, space-separated (the letters are STATUS_OF in ./table.ts).',
    " * The rows' outcomes are LISTED in ./table.ts; each row is also its own outcome (`service.attach`).",
    ' */',
    `const REPORT = ${JSON.stringify(core.map((o) => o.status[0] + o.id.slice('report.'.length)).join(' '))};`,
    '',
    '/**',
    " * The core's outcomes by id: all but those of an optional module (./module-outcomes.ts), which a conversion learns",
    ' * from the modules it is given (ReportBook.learn in src/convert/book.ts).',
    ' */',
    'export const OUTCOMES: Readonly<Partial<Record<OutcomeId, Outcome>>> = Object.fromEntries(',
    '  [',
    "    ...REPORT.split(' ').map(",
    "      (n): Outcome => ({ id: `report.${n.slice(1)}`, scope: 'report', key: '', status: STATUS_OF[n[0]!]! }),",
    '    ),',
    '    ...LISTED,',
    '    ...MAPPINGS.map(({ scope, key, status }): Outcome => ({ id: `${scope}.${key}`, scope, key, status, row: true })),',
    '  ].map((o) => [o.id, o]),',
    ') as Partial<Record<OutcomeId, Outcome>>;',
    '',
  ];
  return lines.join('\n');
}

/**
 * src/mappings/texts.ts: the report's wording (message templates and row notes, fix templates, targets), kept out
 * of the core so the browser entry stays small; the Node entry, the CLI and the playground (as a lazy chunk) attach
 * it.
 */
export function generateTexts(rows, outcomes, messages = [], findings = [], phrases = []) {
  const entries = (pairs) => pairs.map(([id, text]) => `    ${JSON.stringify(id)}: ${JSON.stringify(text)},`);
  const lines = [
    '// GENERATED by scripts/gen-mappings.mjs from mappings/*.yaml. Do not edit: edit the YAML, then run',
    '// `npm run gen:mappings`. The wording of the report, apart from the core (see ReportTexts in ./outcomes.ts).',
    "import type { ReportTexts } from './outcomes.js';",
    '',
    'export const TEXTS: ReportTexts = {',
    '  messages: {',
    ...entries(outcomes.map((o) => [o.id, o.message])),
    '  },',
    '  fixes: {',
    ...entries(outcomes.filter((o) => o.fix !== undefined).map((o) => [o.id, o.fix])),
    '  },',
    '  targets: {',
    ...entries(rows.map((r) => [`${r.scope}.${r.key}`, r.target])),
    '  },',
    '  findings: {',
    ...entries(findings.map((f) => [f.id, f.message])),
    '  },',
    '  findingFixes: {',
    ...entries(findings.map((f) => [f.id, f.fix])),
    '  },',
    '  phrases: {',
    ...entries(phrases.map((f) => [f.id, f.text])),
    '  },',
    '  diagnostics: {',
    ...entries(messages.map((m) => [m.id, m.message])),
    '  },',
    '  hints: {',
    ...entries(messages.filter((m) => m.hint !== undefined).map((m) => [m.id, m.hint])),
    '  },',
    '};',
    '',
  ];
  return lines.join('\n');
}

const TITLES = {
  top: 'Top-level keys',
  service: 'Service keys (`services.<name>.<key>`)',
  volume: 'Volume fields (`volumes.<name>.<field>`)',
  network: 'Network fields (`networks.<name>.<field>`)',
  secret: 'Secret fields (`secrets.<name>.<field>`)',
  config: 'Config fields (`configs.<name>.<field>`)',
};

const cell = (s) => (s ?? '').replace(/\|/g, '\\|');

export function generateDocs(rows, outcomes = []) {
  const out = [
    '<!-- GENERATED by scripts/gen-mappings.mjs from mappings/*.yaml. Do not edit: run `npm run gen:mappings`. -->',
    '# Compose → Kubernetes mappings',
    '',
    'What each Compose key usually becomes. The conversion report says what happened to each key of',
    'your project; keys no converter module handled are reported with the status listed here.',
    '',
    'Statuses: **converted** (same behaviour), **approximated** (close, with differences in the note),',
    '**unsupported** (dropped; see the fix), **ignored** (nothing to convert).',
  ];
  for (const scope of SCOPES) {
    const rs = rows.filter((r) => r.scope === scope);
    if (!rs.length) continue;
    out.push(
      '',
      `## ${TITLES[scope]}`,
      '',
      '| Key | Kubernetes | Status | Note | Fix | Decided in |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const r of rs)
      out.push(
        `| \`${cell(r.key)}\` | ${cell(r.target)} | ${r.status} | ${cell(r.note)} | ${cell(r.fix)} | ${r.owner ? `[${r.owner.replace(/^src\/convert\//, '')}](../${r.owner})` : ''} |`,
      );
  }
  out.push(
    '',
    '## Outcomes',
    '',
    'Each report entry names its outcome (`id` in `--report json`): what happened to one item of your file',
    '(`ports[0]`, `environment.DB_PASSWORD`, `healthcheck`). `{name}` in a message is filled in per item.',
    '',
    '| Outcome | Key | Status | Message | Fix |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const o of outcomes.filter((x) => !x.row))
    out.push(
      `| \`${cell(o.id)}\` | ${o.key ? `\`${cell(o.key)}\`` : '—'} | ${o.status} | ${cell(o.message)} | ${cell(o.fix)} |`,
    );
  out.push('');
  return out.join('\n');
}

const SEVERITIES = ['error', 'warning', 'info'];

/** The diagnostic codes of mappings/diagnostics.yaml, validated. */
export function readDiagnostics(text) {
  const errors = [];
  const codes = [];
  const messages = [];
  const doc = parse(text);
  if (!doc || doc.scope !== 'diagnostics' || !Array.isArray(doc.codes))
    return { codes, messages, errors: ['diagnostics.yaml: needs `scope: diagnostics` and a `codes` list'] };
  const seen = new Set();
  for (const [i, c] of doc.codes.entries()) {
    const where = `diagnostics.yaml code ${i + 1}${c && c.code ? ` (${c.code})` : ''}`;
    for (const k of Object.keys(c ?? {}))
      if (!['code', 'severity', 'meaning', 'fix', 'example', 'messages'].includes(k))
        errors.push(`${where}: unknown field ${k}`);
    if (typeof c?.code !== 'string' || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(c.code))
      errors.push(`${where}: \`code\` must be lowercase words joined by -`);
    if (!SEVERITIES.includes(c?.severity)) errors.push(`${where}: severity must be one of ${SEVERITIES.join(', ')}`);
    for (const k of ['meaning', 'fix'])
      if (typeof c?.[k] !== 'string' || !c[k].trim()) errors.push(`${where}: \`${k}\` must be a non-empty string`);
    if (seen.has(c?.code)) errors.push(`${where}: duplicate code`);
    seen.add(c?.code);
    codes.push(c);
    if (c?.messages !== undefined) readDiagnosticMessages(c, where, messages, errors);
  }
  return { codes, messages, errors };
}

/**
 * A code's `messages`: each wording its diagnostics may have, as `{name}` templates (message, and the hint when
 * there is one). Its id is the code, or `code.variant` when the code has several wordings.
 */
function readDiagnosticMessages(c, where, out, errors) {
  if (!Array.isArray(c.messages)) {
    errors.push(`${where}: \`messages\` must be a list`);
    return;
  }
  for (const [j, m] of c.messages.entries()) {
    const at = `${where} message ${j + 1}`;
    for (const k of Object.keys(m ?? {}))
      if (!['variant', 'message', 'hint'].includes(k)) errors.push(`${at}: unknown field ${k}`);
    if (m?.variant !== undefined && (typeof m.variant !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(m.variant)))
      errors.push(`${at}: \`variant\` must be lowercase words joined by -`);
    if (typeof m?.message !== 'string' || !m.message.trim() || m.message.includes('\n'))
      errors.push(`${at}: \`message\` must be a one-line template`);
    if (m?.hint !== undefined && (typeof m.hint !== 'string' || !m.hint.trim() || m.hint.includes('\n')))
      errors.push(`${at}: \`hint\` must be a one-line template`);
    const id = m?.variant ? `${c.code}.${m.variant}` : c.code;
    if (out.some((o) => o.id === id)) errors.push(`${at}: duplicate message id ${id}`);
    out.push({ id, message: m?.message, ...(m?.hint !== undefined ? { hint: m.hint } : {}) });
  }
}

export function generateCodes(codes, messages = []) {
  const union = (ids) => ids.map((id, i) => `  | '${id}'${i === ids.length - 1 ? ';' : ''}`);
  return [
    '// GENERATED by scripts/gen-mappings.mjs from mappings/diagnostics.yaml. Do not edit: edit the YAML, then run',
    '// `npm run gen:mappings`. Documented in docs/diagnostics.md.',
    '',
    '/** Every code a diagnostic can have. */',
    'export type DiagnosticCode =',
    ...union(codes.map((c) => c.code)),
    '',
    '/**',
    ' * Every wording a diagnostic can have: its code, or `code.variant` when one code has several (the `messages` of',
    ' * mappings/diagnostics.yaml). A type only: the templates are in the texts (DiagnosticTexts, ../mappings/texts.ts).',
    ' */',
    ...(messages.length
      ? ['export type DiagnosticId =', ...union(messages.map((m) => m.id))]
      : ['export type DiagnosticId = never;']),
    '',
    '/**',
    " * The diagnostics' wording, generated into ../mappings/texts.ts with the report's (ReportTexts extends this).",
    " * Without it a diagnostic's message is its id and placeholder values (`invalid-port.target (where=services.web",
    ' * .ports[0])`, see Diagnostics) and it has no hint.',
    ' */',
    'export interface DiagnosticTexts {',
    '  /** Message template by diagnostic id (`{name}` placeholders). */',
    '  readonly diagnostics: Readonly<Record<DiagnosticId, string>>;',
    '  /** Hint template by diagnostic id, filled with the same values. */',
    '  readonly hints: Readonly<Partial<Record<DiagnosticId, string>>>;',
    '}',
    '',
  ].join('\n');
}

export function generateDiagnosticDocs(codes) {
  const out = [
    '<!-- GENERATED by scripts/gen-mappings.mjs from mappings/diagnostics.yaml. Do not edit: run `npm run gen:mappings`. -->',
    '# Diagnostics',
    '',
    'Every problem compose2k8s finds is a diagnostic with a stable code, a severity and, when it comes from a file,',
    'a position (`file:line:col`). Errors stop the conversion (exit code 2, nothing written); warnings and infos do not.',
    '',
    '| Code | Severity | Meaning | Fix |',
    '| --- | --- | --- | --- |',
  ];
  for (const c of codes) out.push(`| \`${c.code}\` | ${c.severity} | ${cell(c.meaning)} | ${cell(c.fix)} |`);
  const examples = codes.filter((c) => c.example);
  if (examples.length) {
    out.push('', '## Examples', '');
    for (const c of examples) out.push(`### \`${c.code}\``, '', '```yaml', c.example.replace(/\n$/, ''), '```', '');
  }
  out.push('');
  return out.join('\n');
}

/** Read mappings/*.yaml under `root` (the repository) and return the generated texts. */
export function generateFrom(root) {
  const dir = new URL('mappings/', root);
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') }));
  const { rows, outcomes, findings, phrases, errors } = readRows(files);
  const diag = readDiagnostics(readFileSync(new URL('diagnostics.yaml', dir), 'utf8'));
  return {
    rows,
    outcomes,
    diagnostics: diag.codes,
    errors: [...errors, ...diag.errors],
    table: generateTable(rows, outcomes),
    outcomesTs: generateOutcomes(outcomes, findings, phrases),
    moduleOutcomes: generateModuleOutcomes(outcomes),
    phrases,
    diagnosticMessages: diag.messages,
    texts: generateTexts(rows, outcomes, diag.messages, findings, phrases),
    docs: generateDocs(rows, outcomes),
    codes: generateCodes(diag.codes, diag.messages),
    diagnosticDocs: generateDiagnosticDocs(diag.codes),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = new URL('../', import.meta.url);
  const { rows, outcomes, errors, table, outcomesTs, moduleOutcomes, texts, docs, codes, diagnosticDocs, diagnostics } =
    generateFrom(root);
  if (errors.length) {
    for (const e of errors) console.error(`mappings/${e}`);
    process.exit(1);
  }
  writeFileSync(new URL('src/mappings/table.ts', root), table);
  writeFileSync(new URL('src/mappings/outcomes.ts', root), outcomesTs);
  writeFileSync(new URL('src/mappings/module-outcomes.ts', root), moduleOutcomes);
  writeFileSync(new URL('src/mappings/texts.ts', root), texts);
  writeFileSync(new URL('docs/mappings.md', root), docs);
  writeFileSync(new URL('src/report/codes.ts', root), codes);
  writeFileSync(new URL('docs/diagnostics.md', root), diagnosticDocs);
  console.log(
    `wrote src/mappings/table.ts, outcomes.ts, module-outcomes.ts, texts.ts and docs/mappings.md (${rows.length} rows, ${outcomes.length} outcomes)`,
  );
  console.log(`wrote src/report/codes.ts and docs/diagnostics.md (${diagnostics.length} codes)`);
}
