/**
 * The one options table: one precedence for every option (CLI flag or library option > top-level x-k8s >
 * default, an explicit flag known as explicit even when it repeats the default), the x-k8s keys it names exist
 * in the x-k8s schema, and docs/options.md is made from it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convert, type KubeObject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import { OPTIONS, defaultOptions, type OptionSpec } from '../../../src/convert/intent/options.js';
import { X_K8S_SCHEMAS } from '../../../src/convert/intent/x-k8s.js';
import { keysAt } from '../../../src/convert/intent/x-k8s-issues.js';
import { runIn } from '../../helpers/cli.js';

const DOC = new URL('../../../docs/options.md', import.meta.url);

const PROJECT = `
x-k8s:
  namespace: from-xk8s
  secrets: embed
  storage: {size: 5Gi}
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: s3cret-value
    volumes: [data:/var/lib/postgresql/data]
    x-k8s:
      controller: Deployment
volumes:
  data:
`;

function run(options: Record<string, unknown> = {}): KubeObject[] {
  const r = convert({
    files: ['/p/compose.yaml'],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': PROJECT }),
    env: {},
    options,
  });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.objects;
}

const ns = (objs: KubeObject[]): string[] => [...new Set(objs.map((o) => o.metadata.namespace ?? '(none)'))];
const kinds = (objs: KubeObject[]): string[] => objs.map((o) => o.kind);
const pvcSize = (objs: KubeObject[]): unknown =>
  (objs.find((o) => o.kind === 'PersistentVolumeClaim')?.spec as { resources?: { requests?: { storage?: string } } })
    ?.resources?.requests?.storage;

describe('option precedence', () => {
  it('x-k8s beats the default', () => {
    const objs = run();
    expect(ns(objs)).toEqual(['from-xk8s']);
    expect(pvcSize(objs)).toBe('5Gi');
  });

  it('a library option beats x-k8s, for the namespace as for the controller', () => {
    const objs = run({ namespace: 'from-caller', volumeSize: '2Gi', controllers: { db: 'StatefulSet' } });
    expect(ns(objs)).toEqual(['from-caller']);
    expect(kinds(objs)).toContain('StatefulSet');
    expect(kinds(objs)).not.toContain('Deployment');
  });

  describe('on the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'c2k-options-'));
    writeFileSync(join(dir, 'compose.yaml'), PROJECT);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a flag beats x-k8s; without the flag x-k8s applies', async () => {
      const flagged = await runIn(dir, ['-n', 'from-flag', '--report', 'none']);
      expect(flagged.code).toBe(0);
      expect(flagged.out).toContain('namespace: from-flag');
      expect(flagged.out).not.toContain('namespace: from-xk8s');
      const plain = await runIn(dir, ['--report', 'none']);
      expect(plain.out).toContain('namespace: from-xk8s');
    });

    it('a flag that repeats the default is still explicit and beats x-k8s', async () => {
      const embed = await runIn(dir, ['--report', 'none']);
      expect(embed.out).toContain('s3cret-value'); // x-k8s secrets: embed
      const flagged = await runIn(dir, ['--secrets', 'placeholder', '--report', 'none']);
      expect(flagged.code).toBe(0);
      expect(flagged.out).not.toContain('s3cret-value');
    });

    it('an invalid value is a usage error (exit 2), not a stack trace', async () => {
      const r = await runIn(dir, ['--expose-type', 'sideways']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/expose-type/);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  });
});

/** docs/options.md as the table says it. */
function renderOptionsDoc(options: readonly OptionSpec[]): string {
  const flag = (o: OptionSpec): string => {
    const k = o.kind;
    const arg = k.type === 'flag' ? '' : ` <${k.arg}>`;
    const name = k.type === 'flag' && o.default === true ? `--no-${o.flag}` : `--${o.flag}`;
    return `${o.short ? `-${o.short}, ` : ''}${name}${arg}`;
  };
  const values = (o: OptionSpec): string =>
    o.kind.type === 'choice' ? o.kind.choices.join(', ') : o.kind.type === 'flag' ? 'true, false' : o.kind.arg;
  const lines = [
    '<!-- GENERATED from OPTIONS in src/convert/intent/options.ts by test/convert/intent/options.test.ts',
    '     (UPDATE_DOCS=1 npx vitest run test/convert/intent/options.test.ts). Do not edit. -->',
    '# Conversion options',
    '',
    'Every option can be given on the command line or as `options` to `convert()`; most can also be set in the',
    'compose file under the top-level `x-k8s` key. One precedence for all: a flag (or a library option) wins over',
    '`x-k8s`, which wins over the default. A flag counts even when it repeats the default.',
    '',
    '| Option | CLI flag | top-level `x-k8s` | Values | Default | What it does |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const o of options)
    lines.push(
      `| \`${o.name}\` | \`${flag(o)}\` | ${o.xk8s ? `\`${o.xk8s}\`` : '—'} | ${values(o)} | ${
        o.default === undefined ? '—' : `\`${String(o.default)}\``
      } | ${o.doc} |`,
    );
  return lines.join('\n') + '\n';
}

describe('the options table', () => {
  it('names only x-k8s keys the project x-k8s schema has', () => {
    for (const o of OPTIONS) {
      if (!o.xk8s) continue;
      const path = o.xk8s.split('.');
      expect(keysAt(X_K8S_SCHEMAS.project, path.slice(0, -1)), o.name).toContain(path.at(-1));
    }
  });

  it('gives every option with a default its default', () => {
    const d = defaultOptions();
    for (const o of OPTIONS) if (o.default !== undefined) expect(d[o.name], o.name).toBe(o.default);
    expect(Object.keys(d).sort()).toEqual(
      OPTIONS.filter((o) => o.default !== undefined)
        .map((o) => o.name)
        .sort(),
    );
  });

  it('docs/options.md is made from it', () => {
    const want = renderOptionsDoc(OPTIONS);
    if (process.env['UPDATE_DOCS']) writeFileSync(DOC, want);
    expect(readFileSync(DOC, 'utf8')).toBe(want);
  });
});
