#!/usr/bin/env node
// `npm run corpus`: load, convert and validate every case set of ../shared/corpus (test/corpus/cases.ts,
// the same sets the loader corpus test checks) and print the counts. Writes nothing.
// The work is in scripts/corpus-counts.ts, run through vitest (which compiles the TypeScript); the counts
// come back as the test's meta data. Exit code 1 when anything is unexpected.
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';

const root = fileURLToPath(new URL('..', import.meta.url));
let counts;
const failures = [];
const reporter = {
  onTestCaseResult(testCase) {
    counts = testCase.meta().corpusCounts ?? counts;
    for (const e of testCase.result().errors ?? []) failures.push(e.stack ?? e.message);
  },
  onTestRunEnd(_modules, errors) {
    for (const e of errors ?? []) failures.push(e.stack ?? e.message ?? String(e));
  },
};

const vitest = await startVitest('test', [], {
  root,
  config: false,
  include: ['scripts/corpus-counts.ts'],
  run: true,
  watch: false,
  reporters: [reporter],
  testTimeout: 300_000,
});
await vitest?.close();
if (failures.length) console.error(failures.join('\n\n'));
if (!counts) {
  console.error('corpus: no counts (is ../shared/corpus present?)');
  process.exit(1);
}

const table = (rows) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) =>
      r
        .map((v, i) =>
          i === 0 || rows[0][i].startsWith(' ') ? String(v).padEnd(widths[i]) : String(v).padStart(widths[i]),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

const cols = [
  ['caseSets', 'case sets'],
  ['loaded', 'loaded'],
  ['expectedFailures', 'expected fail'],
  ['unexpectedFailures', 'UNEXPECTED fail'],
  ['converted', 'converted'],
  ['objects', 'objects'],
  ['validationIssues', 'validation issues'],
  ['internalErrors', 'internal errors'],
  ['unreportedKeys', 'unreported keys'],
  ['unsupported', 'unsupported entries'],
  ['unhandled', 'unhandled (gaps)'],
];
const total = Object.fromEntries(cols.map(([k]) => [k, 0]));
const rows = Object.entries(counts.groups).map(([group, c]) => {
  for (const [k] of cols) total[k] += c[k];
  return [group, ...cols.map(([k]) => c[k])];
});
console.log(table([['set', ...cols.map(([, h]) => h)], ...rows, ['total', ...cols.map(([k]) => total[k])]]));

console.log(`\nexpected failures (${counts.expectedFailures.length}), by reason:`);
const byKind = new Map();
for (const f of counts.expectedFailures) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
for (const [kind, list] of [...byKind].sort()) {
  console.log(`  ${kind} (${list.length})`);
  for (const f of list) console.log(`    ${f.label} [${f.codes.join(', ')}]: ${f.why}`);
}

const top = Object.entries(counts.unsupportedKeys)
  .sort((a, b) => b[1].entries - a[1].entries || (a[0] < b[0] ? -1 : 1))
  .slice(0, 10);
console.log(`\ntop ${top.length} keys reported unsupported (of ${Object.keys(counts.unsupportedKeys).length}):`);
const cut = (t) => (t.length > 110 ? `${t.slice(0, 107)}...` : t);
console.log(
  table([
    ['  key', 'entries', 'case sets', '  example'],
    ...top.map(([k, u]) => [`  ${k}`, u.entries, u.sets, `  ${cut(u.example)}`]),
  ]),
);

// The runtime audit: what an operator would trip over after `kubectl apply` (goal 0 in every column).
// Real-world projects one per row; the other groups as totals. `--details` lists the first findings.
const checks = Object.keys(Object.values(counts.runtime)[0]?.counts ?? {});
if (checks.length) {
  const SHORT = {
    unreachedPeers: 'unreached',
    unboundedWaits: 'unbounded wait',
    waitsOnUnservedPorts: 'unserved wait',
    selfNamedProbes: 'self probe',
    unsafeSysctls: 'unsafe sysctl',
    mixedProtocolLoadBalancers: 'TCP+UDP LB',
    rootUsersDropped: 'root dropped',
    traefikRulesWithoutRoute: 'traefik unrouted',
    serviceLinksOn: 'svc links',
    blockedByPolicy: 'policy drop',
    credentialsInConfigMaps: 'cred in CM',
    namedVolumesOffClaims: 'vol off claim',
    sharedClaimsApart: 'RWO apart',
    claimsNotWritable: 'claim unwritable',
    lowPortsUnbindable: 'low port',
    runOnceRetried: 'run-once retried',
  };
  const short = (k) => SHORT[k] ?? k;
  const rows = [];
  const sums = {};
  for (const [label, a] of Object.entries(counts.runtime)) {
    const group = label.split('/')[0];
    if (group === 'real-world') rows.push([label.replace(/^real-world\//, '  '), ...checks.map((k) => a.counts[k])]);
    sums[group] ??= Object.fromEntries(checks.map((k) => [k, 0]));
    for (const k of checks) sums[group][k] += a.counts[k];
  }
  for (const [group, c] of Object.entries(sums)) rows.push([`total ${group}`, ...checks.map((k) => c[k])]);
  console.log('\nruntime audit (test/corpus/runtime-audit.ts; goal 0 everywhere):');
  console.log(table([['project', ...checks.map(short)], ...rows]));
  if (process.argv.includes('--details'))
    for (const [label, a] of Object.entries(counts.runtime))
      for (const d of a.details) console.log(`  ${label}: ${d.check}: ${d.where}: ${d.what}`);
}

// `--todo`: per real-world project, what still needs a person (unsupported first, then approximated).
if (process.argv.includes('--todo')) {
  for (const [label, ids] of Object.entries(counts.todo)) {
    const rows = Object.entries(ids).sort((a, b) =>
      a[1].status === b[1].status ? b[1].count - a[1].count : a[1].status === 'unsupported' ? -1 : 1,
    );
    console.log(`\n${label}: ${rows.length} kinds of hand work`);
    for (const [id, t] of rows)
      console.log(
        `  ${t.status.padEnd(12)} ${String(t.count).padStart(3)}× ${id} (e.g. ${t.example})${t.fix ? ` — fix: ${cut(t.fix)}` : ''}`,
      );
  }
}

if (counts.problems.length) {
  console.log(`\nPROBLEMS (${counts.problems.length}):`);
  for (const p of counts.problems.slice(0, 40)) console.log(`  ${p}`);
  if (counts.problems.length > 40) console.log(`  ... ${counts.problems.length - 40} more`);
}
if (counts.problems.length || failures.length) process.exitCode = 1;
