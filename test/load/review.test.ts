/**
 * Review against compose-go v2 (`docker compose config`): cases where the loader differed, each
 * checked against compose-go's source (override/merge.go, override/uncity.go, loader/loader.go).
 */
import { describe, expect, test } from 'vitest';
import { loadProject } from '../../src/index.js';
import { memoryFs } from '../../src/load/fs.js';
import type { LoadOptions, LoadResult } from '../../src/load/api.js';
import type { Project, Service } from '../../src/model/types.js';

function run(files: Record<string, string>, extra: Partial<LoadOptions> = {}): LoadResult {
  return loadProject({ workingDir: '/p', fs: memoryFs(files), env: {}, ...extra });
}

function ok(files: Record<string, string>, extra: Partial<LoadOptions> = {}): Project {
  const r = run(files, extra);
  expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  return r.project!;
}

/** A base compose.yaml and a discovered compose.override.yaml, each with one service `web`. */
function merged(base: string, over: string, more: Record<string, string> = {}): Service {
  const svc = (y: string): string => `services:\n  web:\n    image: nginx\n${y.replace(/^/gm, '    ')}\n`;
  return ok({ '/p/compose.yaml': svc(base), '/p/compose.override.yaml': svc(over), ...more }).services.web!;
}

describe('string-or-list attributes merge as lists (compose-go convertIntoSequence)', () => {
  test('env_file: a string in the base and a list in the override keeps both files', () => {
    const s = merged('env_file: a.env', 'env_file: [b.env]', { '/p/a.env': 'A=1\n', '/p/b.env': 'B=2\n' });
    expect(s.env_file?.map((e) => e.path)).toEqual(['/p/a.env', '/p/b.env']);
    expect(s.environment).toEqual({ A: '1', B: '2' });
  });
  test('env_file: the same path in both, once', () => {
    const s = merged('env_file: a.env', 'env_file:\n  - path: a.env\n    required: false', { '/p/a.env': 'A=1\n' });
    expect(s.env_file).toEqual([{ path: '/p/a.env', required: false }]);
  });
  test('dns / dns_search / tmpfs: string + list append, duplicates once', () => {
    const s = merged(
      'dns: 8.8.8.8\ndns_search: a.example\ntmpfs: /a',
      'dns: [1.1.1.1, 8.8.8.8]\ndns_search: [b.example]\ntmpfs: /b',
    );
    expect(s.dns).toEqual(['8.8.8.8', '1.1.1.1']);
    expect(s.dns_search).toEqual(['a.example', 'b.example']);
    expect(s.tmpfs).toEqual(['/a', '/b']);
  });
});

describe('extra_hosts merge (compose-go mergeExtraHosts: append entries not already present)', () => {
  test('one host keeps an address from each file', () => {
    const s = merged('extra_hosts: ["h:1.2.3.4"]', 'extra_hosts: ["h=::1"]');
    expect(s.extra_hosts).toEqual([
      { host: 'h', ip: '1.2.3.4' },
      { host: 'h', ip: '::1' },
    ]);
  });
  test('mapping + list, several IPs per host, the same entry in both files once', () => {
    const s = merged(
      'extra_hosts:\n  a: 1.1.1.1\n  b: ["2.2.2.2", "::2"]',
      'extra_hosts: ["a:1.1.1.1", "b=::2", "c=3.3.3.3"]',
    );
    expect(s.extra_hosts).toEqual([
      { host: 'a', ip: '1.1.1.1' },
      { host: 'b', ip: '2.2.2.2' },
      { host: 'b', ip: '::2' },
      { host: 'c', ip: '3.3.3.3' },
    ]);
  });
});

describe('COMPOSE_PROJECT_NAME is exposed for interpolation (compose-go loader.projectName, PR #272/#628)', () => {
  const file = (head: string): string =>
    `${head}services:\n  web:\n    image: nginx\n    container_name: \${COMPOSE_PROJECT_NAME}-web\n    environment: [COMPOSE_PROJECT_NAME]\n`;
  test('from the top-level name:, itself interpolated', () => {
    const p = ok({ '/p/compose.yaml': file('name: ${APP:-demo}\n') });
    expect(p.name).toBe('demo');
    expect(p.services.web!.container_name).toBe('demo-web');
    expect(p.services.web!.environment).toEqual({ COMPOSE_PROJECT_NAME: 'demo' });
  });
  test('from the project directory when nothing names the project', () => {
    const p = ok({ '/projects/My.App/compose.yaml': file('') }, { workingDir: '/projects/My.App' });
    expect(p.services.web!.container_name).toBe('myapp-web');
  });
  test('-p wins over COMPOSE_PROJECT_NAME from .env (docker/compose#11734)', () => {
    const p = ok(
      { '/p/compose.yaml': file('name: fromfile\n'), '/p/.env': 'COMPOSE_PROJECT_NAME=fromenv\n' },
      { projectName: 'cli' },
    );
    expect(p.name).toBe('cli');
    expect(p.services.web!.container_name).toBe('cli-web');
  });
  test('the name of a later -f file wins', () => {
    const p = ok(
      { '/p/a.yaml': file('name: first\n'), '/p/b.yaml': 'name: second\n' },
      { files: ['a.yaml', 'b.yaml'] },
    );
    expect(p.name).toBe('second');
    expect(p.services.web!.container_name).toBe('second-web');
  });
  test('an invalid name: is still an error, reported once', () => {
    const r = run({ '/p/compose.yaml': file('name: Bad.Name\n') });
    expect(r.diagnostics.filter((d) => d.code === 'invalid-project-name')).toHaveLength(1);
    expect(r.project).toBeUndefined();
  });
});

describe('unique sequences within one file (compose-go override.EnforceUnicity after each file)', () => {
  const file = `services:
  web:
    image: nginx
    ports: ["8080:80", "8080:80/tcp", "81"]
    expose: ["90", 90]
    volumes:
      - ./a:/data
      - ./b:/data
    cap_add: [NET_ADMIN, NET_ADMIN]
    secrets: [s, {source: s, target: /run/secrets/s}]
secrets:
  s: {file: ./s}
`;
  test('a repeated entry is kept once, the last one winning in the place of the first', () => {
    const p = ok({ '/p/compose.yaml': file });
    const web = p.services.web!;
    expect(web.ports.map((x) => `${x.published ?? ''}:${x.target}`)).toEqual(['8080:80', ':81']);
    expect(web.expose).toEqual([{ target: 90, protocol: 'tcp' }]);
    expect(web.volumes).toEqual([{ type: 'bind', source: '/p/b', target: '/data', bind: { create_host_path: true } }]);
    expect(web.cap_add).toEqual(['NET_ADMIN']);
    expect(web.secrets).toHaveLength(1);
  });
  test('the surviving entry keeps its own source position', () => {
    const p = ok({ '/p/compose.yaml': file });
    expect(p.sources.get('services/web/volumes/0')).toMatchObject({ file: '/p/compose.yaml', line: 8 });
  });
});

describe('YAML 1.1 booleans (compose-go loader/interpolate.go toBoolean casts)', () => {
  test('yes/no/on/off/y/n are read as booleans, with a warning each', () => {
    const r = run({
      '/p/compose.yaml':
        'services:\n  web:\n    image: nginx\n    privileged: yes\n    tty: "On"\n    read_only: no\nnetworks:\n  n:\n    internal: off\n',
    });
    const web = r.project!.services.web!;
    expect([web.privileged, web.tty, web.read_only]).toEqual([true, true, false]);
    expect(r.project!.networks.n!.internal).toBe(false);
    const warned = r.diagnostics.filter((d) => d.code === 'yaml11-boolean').map((d) => `${d.severity}@${d.pos?.line}`);
    expect(warned.sort()).toEqual(['warning@4', 'warning@5', 'warning@6', 'warning@9']);
  });
  test('anything else is still an error', () => {
    const r = run({ '/p/compose.yaml': 'services:\n  web:\n    image: nginx\n    privileged: maybe\n' });
    expect(r.diagnostics.map((d) => d.code)).toContain('invalid-type');
  });
});

describe('an override set to null (compose-go override/merge.go: `if o == nil { return e }`)', () => {
  test('keeps the base value of scalars, sequences with a unique key and mappings', () => {
    const s = merged(
      'restart: always\nhostname: h\nports: ["80"]\nenvironment: [A=1]',
      'restart: null\nhostname:\nports:\nenvironment:',
    );
    expect([s.restart, s.hostname, s.ports.map((p) => p.target), s.environment]).toEqual([
      'always',
      'h',
      [80],
      { A: '1' },
    ]);
  });
  test('still clears command (its rule is to replace)', () => {
    const s = merged('command: [a, b]', 'command: null');
    expect(s.command).toBeNull();
  });
  test('a kept value keeps the position of the file that set it', () => {
    const p = ok({
      '/p/compose.yaml': 'services:\n  web:\n    image: nginx\n    restart: always\n',
      '/p/compose.override.yaml': 'services:\n  web:\n    restart: null\n',
    });
    expect(p.sources.get('services/web/restart')).toMatchObject({ file: '/p/compose.yaml', line: 4 });
  });
});

describe('integers beyond 2^53 (go-yaml reads them as int64/uint64; compose-go formats them with %v)', () => {
  test('an environment value or label keeps its exact digits instead of failing', () => {
    const p = ok({
      '/p/compose.yaml':
        'services:\n  web:\n    image: nginx\n    environment:\n      CHAT_ID: 12345678901234567890\n      NEG: -9007199254740993\n    labels:\n      id: 9007199254740993\n',
    });
    expect(p.services.web!.environment).toEqual({ CHAT_ID: '12345678901234567890', NEG: '-9007199254740993' });
    expect(p.services.web!.labels).toEqual({ id: '9007199254740993' });
  });
});

describe('consistency rules of docker compose config (compose-go loader/validate.go checkConsistency)', () => {
  const svc = (y: string): Record<string, string> => ({
    '/p/compose.yaml': `services:\n  web:\n    image: nginx\n${y.replace(/^/gm, '    ')}\n`,
  });
  const codes = (y: string): string[] =>
    run(svc(y))
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => d.code);
  test.each([
    ['scale vs deploy.replicas', 'scale: 2\ndeploy:\n  replicas: 3'],
    ['cpus vs limits.cpus', 'cpus: 1\ndeploy:\n  resources:\n    limits:\n      cpus: "2"'],
    ['mem_limit vs limits.memory', 'mem_limit: 1g\ndeploy:\n  resources:\n    limits:\n      memory: 2g'],
    [
      'mem_reservation vs reservations.memory',
      'mem_reservation: 1g\ndeploy:\n  resources:\n    reservations:\n      memory: 2g',
    ],
    ['pids_limit vs limits.pids', 'pids_limit: 10\ndeploy:\n  resources:\n    limits:\n      pids: 20'],
    ['network_mode with networks', 'network_mode: host\nnetworks: [default]'],
    [
      'dockerfile with dockerfile_inline',
      'build:\n  context: .\n  dockerfile: Dockerfile\n  dockerfile_inline: FROM scratch',
    ],
    [
      'platform missing from build.platforms',
      'platform: linux/arm64\nbuild:\n  context: .\n  platforms: [linux/amd64]',
    ],
  ])('%s is an error', (_name, y) => {
    expect(codes(y)).toEqual(['conflicting-values']);
  });
  test.each([
    [
      'the same value written twice',
      'mem_limit: 1g\ncpus: 1.5\ndeploy:\n  resources:\n    limits:\n      memory: 1024m\n      cpus: "1.5"',
    ],
    ['container_name with one replica', 'container_name: c\nscale: 1'],
    ['network_mode alone', 'network_mode: host'],
  ])('%s is fine', (_name, y) => {
    expect(codes(y)).toEqual([]);
  });
  test('container_name with replicas only warns (swarm stacks ignore it, and so does Kubernetes)', () => {
    const r = run(svc('container_name: c\ndeploy:\n  replicas: 2'));
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning container-name-replicas']);
  });
  test('the error points at the second spelling', () => {
    const d = run(svc('scale: 2\ndeploy:\n  replicas: 3')).diagnostics.find((x) => x.code === 'conflicting-values');
    expect(d?.pos).toMatchObject({ file: '/p/compose.yaml', line: 6 });
  });
});

describe('dependency cycles (compose-go graph.CheckCycle in checkConsistency)', () => {
  const errs = (y: string): string[] =>
    run({ '/p/compose.yaml': y })
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${d.code}: ${d.message}@${d.pos?.line}`);
  test('a depends_on cycle is an error at the reference that closes it', () => {
    expect(
      errs('services:\n  a:\n    image: a\n    depends_on: [b]\n  b:\n    image: b\n    depends_on: [a]\n'),
    ).toEqual(['dependency-cycle: dependency cycle between services: a -> b -> a@7']);
  });
  test('links, volumes_from and network_mode service: count (compose-go folds them into depends_on)', () => {
    const y =
      'services:\n  a:\n    image: a\n    links: ["b:alias"]\n  b:\n    image: b\n    volumes_from: [c]\n  c:\n    image: c\n    network_mode: service:a\n';
    expect(errs(y)).toEqual(['dependency-cycle: dependency cycle between services: a -> b -> c -> a@10']);
  });
  test('a service depending on itself', () => {
    expect(
      errs(
        'services:\n  a:\n    image: a\n    depends_on:\n      a:\n        condition: service_started\n        required: false\n',
      ),
    ).toHaveLength(1);
  });
  test('shared dependencies are not a cycle; a cycle through a disabled service is not checked', () => {
    expect(
      errs(
        'services:\n  a:\n    image: a\n    depends_on: [b, c]\n  b:\n    image: b\n    depends_on: [d]\n  c:\n    image: c\n    depends_on: [d]\n  d:\n    image: d\n',
      ),
    ).toEqual([]);
    const y =
      'services:\n  a:\n    image: a\n    depends_on:\n      b: {condition: service_started, required: false}\n  b:\n    image: b\n    profiles: [x]\n    depends_on: [a]\n';
    expect(errs(y)).toEqual([]);
  });
  test('ipc: service:x of a disabled service is a disabled dependency, like network_mode', () => {
    const y = 'services:\n  a:\n    image: a\n    ipc: service:b\n  b:\n    image: b\n    profiles: [x]\n';
    expect(errs(y).map((e) => e.split(':')[0])).toEqual(['profile-disabled-dependency']);
  });
});

describe('build.secrets name top-level secrets (compose-go checkConsistency: "undefined build secret")', () => {
  test('an undeclared one is unknown-secret at the entry; declared ones (short or long form) are fine', () => {
    const r = run({
      '/p/compose.yaml':
        'services:\n  a:\n    build:\n      context: .\n      secrets: [bs, {source: other, target: t}]\nsecrets:\n  other: {file: ./o}\n',
    });
    expect(r.diagnostics.map((d) => `${d.code}@${d.pos?.line}`)).toEqual(['unknown-secret@5']);
  });
});

describe('extends.file in a -f file from another directory (compose-go resolves it from the project directory)', () => {
  const files = {
    '/p/compose.yaml': 'services:\n  web:\n    image: nginx\n',
    '/p/sub/over.yaml': 'services:\n  ext:\n    extends:\n      file: base.yaml\n      service: b\n',
    '/p/base.yaml': 'services:\n  b:\n    image: rootbase\n',
    '/p/sub/base.yaml': 'services:\n  b:\n    image: subbase\n',
  };
  test('a relative extends.file is found next to the first compose file (docs: paths relative to the base file)', () => {
    expect(ok(files, { files: ['compose.yaml', 'sub/over.yaml'] }).services.ext!.image).toBe('rootbase');
  });
  test('a file reached through extends keeps resolving from its own directory', () => {
    const p = ok({
      '/p/compose.yaml': 'services:\n  web:\n    extends:\n      file: lib/mid.yaml\n      service: mid\n',
      '/p/lib/mid.yaml': 'services:\n  mid:\n    extends:\n      file: base.yaml\n      service: b\n',
      '/p/lib/base.yaml': 'services:\n  b:\n    image: libbase\n',
    });
    expect(p.services.web!.image).toBe('libbase');
  });
});

describe('COMPOSE_ENV_FILES and COMPOSE_DISABLE_ENV_FILE (docker compose environment variables)', () => {
  const files = {
    '/p/compose.yaml': 'services:\n  web:\n    image: nginx:${TAG:-none}\n',
    '/p/.env': 'TAG=dotenv\n',
    '/p/a.env': 'TAG=a\n',
    '/p/b.env': 'TAG=b\n',
  };
  test('COMPOSE_ENV_FILES replaces the default .env, later files winning', () => {
    expect(ok(files, { env: { COMPOSE_ENV_FILES: 'a.env,b.env' } }).services.web!.image).toBe('nginx:b');
  });
  test('--env-file wins over COMPOSE_ENV_FILES', () => {
    expect(ok(files, { env: { COMPOSE_ENV_FILES: 'b.env' }, envFiles: ['a.env'] }).services.web!.image).toBe('nginx:a');
  });
  test('a missing file listed there is an error', () => {
    expect(run(files, { env: { COMPOSE_ENV_FILES: 'nope.env' } }).diagnostics.map((d) => d.code)).toEqual([
      'env-file-missing',
    ]);
  });
  test('COMPOSE_DISABLE_ENV_FILE=true skips the default .env', () => {
    expect(ok(files, { env: { COMPOSE_DISABLE_ENV_FILE: 'true' } }).services.web!.image).toBe('nginx:none');
    expect(ok(files, { env: { COMPOSE_DISABLE_ENV_FILE: '0' } }).services.web!.image).toBe('nginx:dotenv');
  });
});

describe('networks.*.ipam.config merge (compose-go override/merge.go mergeIPAMConfig)', () => {
  test('an entry for the same subnet is merged key by key; a new subnet is added', () => {
    const p = ok({
      '/p/compose.yaml':
        'services:\n  web:\n    image: nginx\nnetworks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          gateway: 10.0.0.1\n',
      '/p/compose.override.yaml':
        'networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          ip_range: 10.0.0.128/25\n        - subnet: 10.1.0.0/24\n',
    });
    expect(p.networks.n!.ipam?.config).toEqual([
      { subnet: '10.0.0.0/24', gateway: '10.0.0.1', ip_range: '10.0.0.128/25' },
      { subnet: '10.1.0.0/24' },
    ]);
  });
});
