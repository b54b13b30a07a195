/** `compose2k8s config`, run in process with captured stdout/stderr and an in-memory file system. */
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { formatDuration } from '../../src/cli/config.js';
import type { CliIO } from '../../src/cli/common.js';
import { memoryFs, type FileSystem } from '../../src/load/fs.js';
import { nodeFs } from '../../src/node/fs.js';
import { fileURLToPath } from 'node:url';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(
  args: string[],
  files: Record<string, string>,
  opts: { stdin?: string; fs?: FileSystem; env?: Record<string, string>; cwd?: string } = {},
): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readStdin: () => opts.stdin ?? '',
    fs: opts.fs ?? memoryFs(files),
    cwd: opts.cwd ?? '/proj',
    env: opts.env ?? {},
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

const APP = `services:
  web:
    image: nginx
    ports: ["8080:80"]
    healthcheck:
      test: curl -f http://localhost
      interval: 90s
    stop_grace_period: 1m
  api:
    image: api
    depends_on: [web]
    environment: [A=1]
`;

describe('config', () => {
  test('prints the resolved project as YAML, services sorted, long syntax, exit 0', async () => {
    const r = await run(['config'], { '/proj/compose.yaml': APP });
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const doc = parse(r.out);
    expect(doc.name).toBe('proj');
    expect(Object.keys(doc.services)).toEqual(['api', 'web']);
    expect(doc.services.web.ports).toEqual([{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }]);
    expect(doc.services.web.healthcheck).toEqual({
      test: ['CMD-SHELL', 'curl -f http://localhost'],
      interval: '1m30s',
    });
    expect(doc.services.web.stop_grace_period).toBe('1m0s');
    expect(doc.services.api.depends_on).toEqual({
      web: { condition: 'service_started', required: true, restart: false },
    });
    expect(doc.services.api.environment).toEqual({ A: '1' });
    expect(doc.services.api.networks).toEqual({ default: null });
    expect(doc.sources).toBeUndefined();
    expect(doc.services.web.name).toBeUndefined();
  });

  test('--format json', async () => {
    const r = await run(['config', '--format', 'json'], { '/proj/compose.yaml': APP });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).services.web.image).toBe('nginx');
  });

  test('-f - reads stdin', async () => {
    const r = await run(['config', '-f', '-'], {}, { stdin: 'services:\n  s:\n    image: from-stdin\n' });
    expect(r.code).toBe(0);
    expect(parse(r.out).services.s.image).toBe('from-stdin');
  });

  test('-f (repeatable), --profile, -p, --env-file', async () => {
    const files = {
      '/proj/a.yaml': 'services:\n  web:\n    image: web:${TAG}\n  dbg:\n    image: dbg\n    profiles: [debug]\n',
      '/proj/b.yaml': 'services:\n  web:\n    user: u\n',
      '/proj/x.env': 'TAG=x\n',
    };
    const r = await run(
      ['config', '-f', 'a.yaml', '-f', 'b.yaml', '--profile', 'debug', '-p', 'named', '--env-file', 'x.env'],
      files,
    );
    expect(r.code).toBe(0);
    const doc = parse(r.out);
    expect(doc.name).toBe('named');
    expect(doc.services.web).toMatchObject({ image: 'web:x', user: 'u' });
    expect(Object.keys(doc.services)).toEqual(['dbg', 'web']);
  });

  test('--services lists the enabled services', async () => {
    const r = await run(['config', '--services'], { '/proj/compose.yaml': APP });
    expect(r.out).toBe('api\nweb\n');
  });

  test('-q validates only', async () => {
    const r = await run(['config', '-q'], { '/proj/compose.yaml': APP });
    expect([r.code, r.out]).toEqual([0, '']);
  });

  test('warnings go to stderr, the config still prints', async () => {
    const r = await run(['config'], { '/proj/compose.yaml': 'services:\n  web:\n    image: web:${UNSET}\n' });
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning interpolation-unset');
    expect(parse(r.out).services.web.image).toBe('web:');
  });
});

describe('config output reads back as the same project', () => {
  const SRC = `services:
  web:
    image: nginx
    command: ["run", "off", "yes", "$$x"]
    environment:
      A: \${UNSET_A:-off}
      B: "on"
      C: "n"
      D: \${UNSET_D:-$$host}
      E: "03:00"
    labels:
      L: \${UNSET_L:-no}
`;

  test('strings a YAML 1.1 reader takes for booleans or numbers are quoted (PyYAML, docker-compose 1.x)', async () => {
    const r = await run(['config'], { '/proj/compose.yaml': SRC });
    expect(r.code).toBe(0);
    expect(r.out).toContain('A: "off"');
    const doc = parse(r.out, { version: '1.1' });
    expect(doc.services.web.environment).toMatchObject({ A: 'off', B: 'on', C: 'n', E: '03:00' });
    expect(doc.services.web.labels).toEqual({ L: 'no' });
    expect(doc.services.web.command.slice(1, 3)).toEqual(['off', 'yes']);
  });

  test('a literal $ is written as $$ (YAML and JSON), like docker compose config, so re-reading keeps it', async () => {
    const r = await run(['config'], { '/proj/compose.yaml': SRC });
    expect(r.out).toContain('D: $$host');
    expect(r.out).toContain('- $$x');
    const again = await run(['config'], { '/proj/compose.yaml': r.out });
    expect(again.out).toBe(r.out);
    const json = await run(['config', '--format', 'json'], { '/proj/compose.yaml': SRC });
    expect(JSON.parse(json.out).services.web.environment.D).toBe('$$host');
  });
});

describe('config on a real directory (node fs)', () => {
  const dir = fileURLToPath(new URL('../fixtures/load/basic', import.meta.url)).replace(/\/$/, '');
  test('discovers compose.yaml + override, reads .env and env_files (raw format literal)', async () => {
    const r = await run(['config'], {}, { fs: nodeFs, cwd: dir });
    expect(r.code).toBe(0);
    const doc = parse(r.out);
    expect(doc.name).toBe('basic');
    expect(doc.services.web.image).toBe('nginx:1.27');
    // RAW is the literal `"${TAG}"`: written back as `$${TAG}`, as docker compose config does, so that reading the
    // output as a compose file gives the same literal again.
    expect(doc.services.web.environment).toEqual({ GREETING: 'hello 1.27', RAW: '"$${TAG}"' });
    expect(doc.services.web.volumes).toMatchObject([{ type: 'volume', source: 'data', target: '/data' }]);
    expect(doc.volumes).toEqual({ data: { name: 'basic_data' } });
  });
});

describe('config errors', () => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    [
      'invalid compose file',
      ['config'],
      { '/proj/compose.yaml': 'services:\n  web:\n    imag: nginx\n' },
      /^\/proj\/compose\.yaml:3:5: error unknown-key: .*\n.*\n> 3 \| {5}imag: nginx\n/,
    ],
    ['no compose file', ['config'], {}, /error no-compose-file/],
    [
      'missing -f file',
      ['config', '-f', 'nope.yaml'],
      {},
      /error file-not-found: compose file \/proj\/nope\.yaml not found/,
    ],
    ['unknown option', ['config', '--bogus'], { '/proj/compose.yaml': APP }, /unknown option '--bogus'/],
    ['bad --format', ['config', '--format', 'xml'], { '/proj/compose.yaml': APP }, /invalid/],
    [
      'disabled dependency',
      ['config'],
      {
        '/proj/compose.yaml':
          'services:\n  a:\n    image: a\n    depends_on: [b]\n  b:\n    image: b\n    profiles: [x]\n',
      },
      /compose\.yaml:4:18: error profile-disabled-dependency/,
    ],
  ];
  test.each(cases)('%s → exit 2, nothing on stdout', async (_n, args, files, err) => {
    const r = await run(args, files);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(err);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('an internal error → exit 3 with a one-line request to report it, no stack trace', async () => {
    const broken: FileSystem = {
      readFile: () => {
        throw new Error('disk on fire');
      },
      isDirectory: () => false,
      listDir: () => undefined,
    };
    const r = await run(['config'], {}, { fs: broken });
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toContain('internal error: disk on fire');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('--help exits 0', async () => {
    const r = await run(['config', '--help'], {});
    expect(r.code).toBe(0);
    expect(r.out).toContain('--profile');
  });
});

describe('formatDuration (Go time.Duration)', () => {
  test.each([
    [0, '0s'],
    [500, '500ms'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [3_723_000, '1h2m3s'],
    [0.5, '500µs'],
  ])('%d ms → %s', (ms, want) => {
    expect(formatDuration(ms)).toBe(want);
  });
});
