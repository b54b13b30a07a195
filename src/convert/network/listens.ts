/**
 * Ports a service's own command says its main process listens on (`rails s -p 3000`, `gunicorn -b 0.0.0.0:8000`,
 * `minio server --address :9000`): evidence that a declared port is served (network/reach.ts `listens`), so a default
 * readiness probe may test it. The rule, kept narrow so a number in a command is not taken for a listener:
 *
 * - Only the main process counts: the entrypoint + command argv, unwrapped — `sh -c SCRIPT` reads the script's last
 *   step (the one that stays running: `mkdir -p /data && exec minio server ...`), and launchers that run the rest
 *   (`exec`, `tini`/`dumb-init` [`--`], `env` with its `VAR=value`s, `gosu`/`su-exec USER`, `bundle exec`,
 *   `poetry`/`pipenv`/`uv run`, `python -m MODULE`, an entrypoint script `*.sh` or `*entrypoint*` given a program)
 *   are skipped. A wait tool (`wait-for-it db:5432 -- cmd`) runs what follows `--`, else nothing is read.
 * - A client's flags name a peer's port (`redis-cli -p`, `psql -p`, `nc -p`): a main process that is a client
 *   (CLIENTS) says nothing.
 * - The forms that mean "listen on": `-p N`, `--port N`, `--port=N`; `-b`, `--bind`, `-l`, `--listen` with
 *   `HOST:PORT` (`tcp://` allowed, not a loopback host: a probe and the Service come from outside the pod); any
 *   option's value `:PORT` (`--address ":9000"`, `--entrypoints.web.address=:80`); any word binding the wildcard
 *   address (`0.0.0.0:8000`, `PLAINTEXT://0.0.0.0:29092`, `[::]:80`) — nothing connects to it; `python -m
 *   http.server PORT` (it binds every interface). A bare `runserver 8000` or `php -S localhost:8000` binds loopback:
 *   not read.
 * - reach.ts keeps only the ports the service declares (ports, expose): a number in a command is no port by itself.
 */
import type { Service } from '../../model/types.js';
import { shellWords } from '../container/http-check.js';
import { commandWords } from '../../model/command.js';

/** Programs whose port flags name the port of a peer they connect to, not one they listen on. */
const CLIENTS = new Set([
  'redis-cli',
  'valkey-cli',
  'keydb-cli',
  'psql',
  'pg_isready',
  'pg_dump',
  'pg_restore',
  'pg_basebackup',
  'mysql',
  'mariadb',
  'mysqladmin',
  'mysqldump',
  'mongo',
  'mongosh',
  'mongodump',
  'mongorestore',
  'cqlsh',
  'clickhouse-client',
  'sqlcmd',
  'ssh',
  'scp',
  'sftp',
  'rsync',
  'curl',
  'wget',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'telnet',
  'docker',
  'kubectl',
]);

/** Launchers that run the rest of the line; a wait tool only after its `--`. */
const LAUNCHERS = new Set(['exec', 'tini', 'dumb-init', 'docker-init', 'nice', 'nohup']);
const WITH_USER = new Set(['gosu', 'su-exec']);
const RUNNERS = new Set(['bundle:exec', 'poetry:run', 'pipenv:run', 'uv:run', 'pdm:run']);
const WAITS = /^(wait-for-it|wait-for|wait-for-it\.sh|wait-for\.sh|dockerize)$/;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
const PYTHON = /^python[0-9.]*$/;

const base = (w: string): string => w.slice(w.lastIndexOf('/') + 1);

/** The argv of the main process: `argv` without the launchers before it; undefined when it cannot be told. */
export function mainArgv(argv: readonly string[]): string[] | undefined {
  let a = [...argv];
  for (let guard = 0; guard < 10 && a.length > 0; guard++) {
    const prog = base(a[0]!);
    if (SHELLS.has(prog) && /^-[a-z]*c$/.test(a[1] ?? '')) {
      if (a[2] === undefined) return undefined;
      // The last step stays running; a background `&` or a pipe leaves it unclear which does.
      if (/[|`]|&(?!&)|\$\(/.test(a[2].replace(/&&/g, ''))) return undefined;
      const step = a[2]
        .split(/&&|\|\||;|\n/)
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .pop();
      const words = step === undefined ? undefined : shellWords(step);
      if (!words) return undefined;
      a = words;
    } else if (LAUNCHERS.has(prog) || a[0] === '--') {
      a = a.slice(1);
      while (a[0]?.startsWith('-') && a[0] !== '--') a = a.slice(1); // tini -s, nice -n (its number: below)
      if (prog === 'nice' && /^\d+$/.test(a[0] ?? '')) a = a.slice(1);
      if (a[0] === '--') a = a.slice(1);
    } else if (prog === 'env') {
      a = a.slice(1);
      while (a[0] !== undefined && (a[0].startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(a[0]))) a = a.slice(1);
    } else if (WITH_USER.has(prog)) a = a.slice(2);
    else if (RUNNERS.has(`${prog}:${a[1]}`)) a = a.slice(2);
    else if (PYTHON.test(prog) && a[1] === '-m') a = a.slice(2);
    else if (WAITS.test(prog)) {
      const i = a.indexOf('--');
      if (i < 0) return undefined;
      a = a.slice(i + 1);
    } else if ((/\.sh$/.test(prog) || /entrypoint/.test(prog)) && a[1] !== undefined && !a[1].startsWith('-'))
      a = a.slice(1); // an entrypoint script runs the program it is given (exec "$@")
    else return a;
  }
  return a.length ? a : undefined;
}

const PORT = /^\d{1,5}$/;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;
const WILDCARD = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:0\.0\.0\.0|\[::\]|::|\*):(\d{1,5})$/i;
const HOST_PORT = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(\[[^\]]*\]|[^:/\s]*):(\d{1,5})\/?$/i;

/**
 * Ports the main process of `svc` (its entrypoint + command) says it listens on → the words that say it
 * (`-p 3000`), in order. Empty without a command or when its main process cannot be told or is a client.
 */
export function commandListenPorts(svc: Pick<Service, 'entrypoint' | 'command'>): Map<number, string> {
  const out = new Map<number, string>();
  const argv = mainArgv(commandWords(svc));
  if (!argv || CLIENTS.has(base(argv[0]!))) return out;
  const add = (port: string, said: string): void => {
    const n = Number(port);
    if (n >= 1 && n <= 65535 && !out.has(n)) out.set(n, said);
  };
  if (base(argv[0]!) === 'http.server') {
    const p = argv.slice(1).find((w) => !w.startsWith('-'));
    if (p !== undefined && PORT.test(p)) add(p, `http.server ${p}`);
  }
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const eq = /^(--?[A-Za-z][\w.-]*)=(.*)$/.exec(w);
    const [flag, value, said] = eq
      ? [eq[1]!, eq[2]!, w]
      : w.startsWith('-') && argv[i + 1] !== undefined
        ? [w, argv[i + 1]!, `${w} ${argv[i + 1]}`]
        : [undefined, w, w];
    const wild = WILDCARD.exec(value);
    if (wild) add(wild[1]!, said);
    else if (flag === undefined) continue;
    else if ((flag === '-p' || flag === '--port') && PORT.test(value)) add(value, said);
    else {
      const hp = HOST_PORT.exec(value);
      if (!hp) continue;
      const host = hp[1]!;
      if (host === '' || (/^(-b|--bind|-l|--listen)$/.test(flag) && !LOOPBACK.test(host))) add(hp[2]!, said);
    }
  }
  return out;
}
