/**
 * The one options table: one precedence for every option (CLI flag or library option > top-level x-k8s >
 * default, an explicit flag known as explicit even when it repeats the default), the x-k8s keys it names exist
 * in the x-k8s schema, and docs/options.md is made from it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { convert, type KubeObject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import {
  OPTION_SPECS,
  defaultOptions,
  optionArg,
  optionFlag,
  type OptionName,
  type OptionSpec,
} from '../../../src/convert/intent/options.js';
import { OPTION_DOCS } from '../../../src/convert/intent/option-docs.js';
import { xk8sSchemas } from '../../../src/convert/intent/x-k8s.js';
import { keysAt } from '../../../src/convert/intent/x-k8s-check.js';
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

const parse = (text: string): KubeObject[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject)
    .filter(Boolean);
const ns = (objs: KubeObject[]): string[] => [...new Set(objs.map((o) => o.metadata.namespace ?? '(none)'))];
const kinds = (objs: KubeObject[]): string[] => objs.map((o) => o.kind);
/** The requested size of the claim (a PersistentVolumeClaim, or a StatefulSet's claim template). */
const pvcSize = (objs: KubeObject[]): unknown => {
  type Claim = { spec?: { resources?: { requests?: { storage?: string } } } };
  const sts = objs.find((o) => o.kind === 'StatefulSet')?.spec as { volumeClaimTemplates?: Claim[] } | undefined;
  const claim =
    (objs.find((o) => o.kind === 'PersistentVolumeClaim') as Claim | undefined) ?? sts?.volumeClaimTemplates?.[0];
  return claim?.spec?.resources?.requests?.storage;
};

describe('option precedence', () => {
  it('x-k8s beats the default', () => {
    const objs = run();
    expect(ns(objs)).toEqual(['from-xk8s']);
    expect(pvcSize(objs)).toBe('5Gi');
  });

  it('a library option beats x-k8s, for the namespace as for the controller', () => {
    const objs = run({ namespace: 'from-caller', volumeSize: '2Gi', controllers: { db: 'StatefulSet' } });
    expect(ns(objs)).toEqual(['from-caller']);
    expect(pvcSize(objs)).toBe('2Gi');
    expect(kinds(objs)).toContain('StatefulSet');
    expect(kinds(objs)).not.toContain('Deployment');
  });

  it('a library option that repeats the default is explicit too', () => {
    const objs = run({ volumeSize: '1Gi', secrets: 'placeholder' });
    expect(pvcSize(objs)).toBe('1Gi');
    expect(JSON.stringify(objs)).not.toContain('s3cret-value');
  });

  it('an invalid library option is an option-invalid error and keeps the default, never an exception', () => {
    const r = convert({
      files: ['/p/compose.yaml'],
      workingDir: '/p',
      fs: memoryFs({ '/p/compose.yaml': 'services: {web: {image: nginx}}\n' }),
      options: { namespace: 'Bad_NS', volumeSize: 'banana', hostPath: 'yes' as unknown as boolean },
    });
    const bad = r.diagnostics.filter((d) => d.code === 'option-invalid');
    expect(bad.map((d) => d.message.split(':')[0])).toEqual([
      'options.namespace',
      'options.volumeSize',
      'options.hostPath',
    ]);
    expect(bad.every((d) => d.severity === 'error')).toBe(true);
    expect(ns(r.objects)).toEqual(['(none)']);
  });

  it('an invalid secrets mode is shown as given (a mode is no secret), in the message and the code frame', () => {
    const r = convert({
      files: ['/p/compose.yaml'],
      workingDir: '/p',
      fs: memoryFs({ '/p/compose.yaml': 'x-k8s:\n  secrets: embedd\nservices: {web: {image: nginx}}\n' }),
    });
    expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      'x-k8s-invalid: x-k8s.secrets: "embedd" is not one of placeholder, embed, external',
    ]);
    expect(r.sources.get('/p/compose.yaml')).toContain('  secrets: embedd\n');
    const lib = convert({
      files: [{ path: '/p/compose.yaml', content: PROJECT }],
      options: { secrets: 'bogus' as 'embed' },
    });
    expect(lib.diagnostics.filter((d) => d.code === 'option-invalid').map((d) => d.message)).toEqual([
      'options.secrets: "bogus" is not one of placeholder, embed, external',
    ]);
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

    it('the report says which x-k8s key a flag overrode', async () => {
      const entry = async (...args: string[]) => {
        const r = await runIn(dir, [...args, '--report', 'json']);
        const report = JSON.parse(r.err) as { entries: Array<{ key: string; id?: string; status: string }> };
        return report.entries.find((e) => e.key === 'x-k8s.namespace');
      };
      expect(await entry()).toMatchObject({ id: 'top.x-k8s.applied', status: 'converted' });
      expect(await entry('-n', 'from-flag')).toMatchObject({ id: 'top.x-k8s.overridden', status: 'ignored' });
    });

    it('a flag beats x-k8s for the controller as for the namespace', async () => {
      const plain = await runIn(dir, ['--report', 'none']);
      expect(kinds(parse(plain.out))).toContain('Deployment'); // services.db.x-k8s.controller
      const flagged = await runIn(dir, ['--controller', 'db=StatefulSet', '-n', 'from-flag', '--report', 'none']);
      expect(flagged.code).toBe(0);
      const objs = parse(flagged.out);
      expect(kinds(objs)).toContain('StatefulSet');
      expect(kinds(objs)).not.toContain('Deployment');
      expect(ns(objs)).toEqual(['from-flag']);
    });

    it('a flag that repeats the default size beats x-k8s storage.size', async () => {
      expect(pvcSize(parse((await runIn(dir, ['--report', 'none'])).out))).toBe('5Gi');
      const flagged = await runIn(dir, ['--volume-size', '1Gi', '--report', 'none']);
      expect(pvcSize(parse(flagged.out))).toBe('1Gi');
    });

    it.each([
      ['--namespace', 'Bad_NS'],
      ['--volume-size', 'banana'],
      ['--ingress-host', 'http://x'],
      ['--secrets', 'plain'],
      ['--controller', 'db'],
    ])('%s %s is a usage error (exit 2) naming the flag', async (flag, value) => {
      const r = await runIn(dir, [flag, value]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(flag);
      expect(r.out).toBe('');
      expect(r.err).not.toMatch(/\n\s+at /);
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
    const arg = k.type === 'switch' ? '' : ` <${optionArg(o)}>`;
    const name = k.type === 'switch' && o.default === true ? `--no-${optionFlag(o)}` : `--${optionFlag(o)}`;
    return `${o.short ? `-${o.short}, ` : ''}${name}${arg}`;
  };
  const xk8s = (o: OptionSpec): string =>
    o.xk8s
      ? `\`${o.xk8s}\`${o.xk8sAlone ? ` (or \`${o.xk8s.split('.').slice(0, -1).join('.')}\` alone)` : ''}`
      : o.perService
        ? `— (per service: \`${o.perService}\`)`
        : '—';
  const lines = [
    '<!-- GENERATED from OPTIONS in src/convert/intent/options.ts by test/convert/intent/options.test.ts',
    '     (UPDATE_DOCS=1 npx vitest run test/convert/intent/options.test.ts). Do not edit. -->',
    '# Conversion options',
    '',
    'Every option can be given on the command line or as `options` to `convert()`; most can also be set in the',
    'compose file under the top-level `x-k8s` key. One precedence for all: a flag (or a library option) wins over',
    '`x-k8s`, which wins over the default. A flag counts even when it repeats the default. Settings of one service',
    'or one volume (its `x-k8s`, its kompose labels) are more specific and refine the option for that service or',
    'volume, except `--controller`, which names a service itself and wins over its `x-k8s.controller` and labels.',
    '',
    'An invalid value is a usage error on the command line (exit 2), an `x-k8s-invalid` error at the key in the',
    'compose file, and an `option-invalid` error from `convert()` (the option then keeps its default).',
    '',
    '| Option | CLI flag | `x-k8s` (top level) | Values | Default | What it does |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const o of options)
    lines.push(
      `| \`${o.name}\` | \`${flag(o)}\` | ${xk8s(o)} | ${o.expect} | ${
        o.default === undefined ? '—' : `\`${String(o.default)}\``
      } | ${OPTION_DOCS[o.name as OptionName]} |`,
    );
  return lines.join('\n') + '\n';
}

describe('the options table', () => {
  it('names only x-k8s keys the project x-k8s schema has', () => {
    for (const o of OPTION_SPECS) {
      if (!o.xk8s) continue;
      const path = o.xk8s.split('.');
      expect(keysAt(xk8sSchemas().project, path.slice(0, -1)), o.name).toContain(path.at(-1));
    }
  });

  it('gives every option with a default its default', () => {
    const d = defaultOptions();
    for (const o of OPTION_SPECS)
      if (o.default !== undefined) expect((d as Record<string, unknown>)[o.name], o.name).toBe(o.default);
    expect(Object.keys(d).sort()).toEqual(
      OPTION_SPECS.filter((o) => o.default !== undefined)
        .map((o) => o.name)
        .sort(),
    );
  });

  it('docs/options.md is made from it', () => {
    const want = renderOptionsDoc(OPTION_SPECS);
    if (process.env['UPDATE_DOCS']) writeFileSync(DOC, want);
    expect(readFileSync(DOC, 'utf8')).toBe(want);
  });
});
