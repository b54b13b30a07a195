/**
 * Recognizes healthcheck commands that are plainly one HTTP GET against the container itself
 * (`curl -f http://localhost:8080/health`, `wget -q --spider http://localhost/`), so they can become
 * an `httpGet` probe and the image needs no curl/wget. Conservative on purpose: anything that could
 * change what the request or the success criterion is (methods, bodies, auth, pipes, redirections,
 * variables, unknown flags, several URLs) makes the parser give up and the check stays `exec`.
 */

export interface HttpCheck {
  scheme: 'HTTP' | 'HTTPS';
  port: number;
  /** Path with query, starting with `/`. */
  path: string;
  /** The check's headers, and the Host header curl and wget send unless it sets one (the kubelet's is the pod IP). */
  headers: Array<{ name: string; value: string }>;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]']);

/**
 * Split a shell command into words, honouring single and double quotes. Returns undefined when the
 * command uses anything beyond plain words (pipes, lists, redirections, substitutions, globs...),
 * except for one trailing `|| exit 1` (or `|| exit`), which does not change the outcome of a check.
 */
export function shellWords(cmd: string): string[] | undefined {
  const s = cmd.trim().replace(/\s*\|\|\s*exit(\s+1)?\s*$/, '');
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) return undefined;
      cur += s.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) if ('$`\\'.includes(s[j]!)) return undefined;
      if (j >= s.length) return undefined;
      cur += s.slice(i + 1, j);
      i = j;
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if ('|&;<>()$`\\*?[]{}~#\n'.includes(c)) {
      return undefined;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words.length ? words : undefined;
}

function parseUrl(raw: string): HttpCheck | undefined {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([/?][^#]*)?$/i.exec(raw);
  if (!m) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  const host = m[2]!.toLowerCase();
  if (!LOCAL_HOSTS.has(host)) return undefined;
  const port = m[3] !== undefined ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  let path = m[4] ?? '/';
  if (path.startsWith('?')) path = '/' + path;
  // As curl and wget write it: the port only when it is not the scheme's.
  const value = port === (scheme === 'https' ? 443 : 80) ? host : `${host}:${port}`;
  return { scheme: scheme === 'https' ? 'HTTPS' : 'HTTP', port, path, headers: [{ name: 'Host', value }] };
}

function parseHeader(h: string): { name: string; value: string } | undefined {
  const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(h);
  if (!m || m[2] === '') return undefined;
  // Auth headers are credentials in a probe spec: keep those checks as exec.
  if (/^(authorization|proxy-authorization|cookie)$/i.test(m[1]!)) return undefined;
  return { name: m[1]!, value: m[2]! };
}

interface FlagSpec {
  /** Flags without a value that do not change the request or the success criterion. */
  plain: Set<string>;
  /** Flags that take a value: name → accepts the value? */
  valued: Map<string, (v: string) => boolean>;
  /** Flags that make the check fail on an HTTP error status (curl needs `-f`; wget always does). */
  failFlags: Set<string>;
  failsByDefault: boolean;
}

const ANY = (): boolean => true;
/** The value of a header flag (`-H 'Accept: text/html'`): one header parseHeader accepts. */
const HEADER = (v: string): boolean => parseHeader(v) !== undefined;
const DEV_NULL = (v: string): boolean => v === '/dev/null' || v === '-';
const NUMBER = (v: string): boolean => /^\d+(\.\d+)?$/.test(v);

const CURL: FlagSpec = {
  plain: new Set([
    '-f',
    '--fail',
    '--fail-with-body',
    '-s',
    '--silent',
    '-S',
    '--show-error',
    '-L',
    '--location',
    '-k',
    '--insecure',
    '-q',
    '-v',
    '--verbose',
    '-I',
    '--head',
    '-4',
    '-6',
    '--ipv4',
    '--ipv6',
    '-g',
    '--globoff',
    '--no-progress-meter',
  ]),
  valued: new Map<string, (v: string) => boolean>([
    ['-o', DEV_NULL],
    ['--output', DEV_NULL],
    ['-m', NUMBER],
    ['--max-time', NUMBER],
    ['--connect-timeout', NUMBER],
    ['-X', (v) => v.toUpperCase() === 'GET'],
    ['--request', (v) => v.toUpperCase() === 'GET'],
    ['-H', HEADER],
    ['--header', HEADER],
    ['-A', ANY],
    ['--user-agent', ANY],
    ['-w', ANY],
    ['--write-out', ANY],
  ]),
  failFlags: new Set(['-f', '--fail', '--fail-with-body']),
  failsByDefault: false,
};

const WGET: FlagSpec = {
  plain: new Set([
    '-q',
    '--quiet',
    '--spider',
    '-nv',
    '--no-verbose',
    '--no-check-certificate',
    '-S',
    '--server-response',
    '-4',
    '-6',
    '--inet4-only',
    '--inet6-only',
  ]),
  valued: new Map<string, (v: string) => boolean>([
    ['-O', DEV_NULL],
    ['--output-document', DEV_NULL],
    ['-T', NUMBER],
    ['--timeout', NUMBER],
    ['-t', (v) => v === '1'],
    ['--tries', (v) => v === '1'],
    ['--header', HEADER],
    ['-U', ANY],
    ['--user-agent', ANY],
  ]),
  failFlags: new Set(),
  failsByDefault: true,
};

/** Expand `-fsS` into `-f -s -S` and `-qO-` into `-q -O -`; split `--opt=value`. */
function expandArgs(args: string[], spec: FlagSpec): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) out.push(a.slice(0, eq), a.slice(eq + 1));
      else out.push(a);
    } else if (a.startsWith('-') && a.length > 2 && !spec.plain.has(a)) {
      for (let i = 1; i < a.length; i++) {
        const f = '-' + a[i]!;
        out.push(f);
        if (spec.valued.has(f)) {
          if (i + 1 < a.length) out.push(a.slice(i + 1));
          break;
        }
      }
    } else out.push(a);
  }
  return out;
}

/** Parse an argv (`['curl', '-f', 'http://localhost/']`) as an HTTP check; undefined when it is not plainly one. */
export function parseHttpArgv(argv: string[]): HttpCheck | undefined {
  if (argv.length === 0) return undefined;
  const prog = argv[0]!.split('/').pop()!;
  if ((prog === 'sh' || prog === 'bash' || prog === 'ash') && argv[1] === '-c' && argv.length === 3)
    return parseHttpShell(argv[2]!);
  const spec = prog === 'curl' ? CURL : prog === 'wget' ? WGET : undefined;
  if (!spec) return undefined;
  const args = expandArgs(argv.slice(1), spec);
  let url: string | undefined;
  let fails = spec.failsByDefault;
  const headers: HttpCheck['headers'] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (spec.plain.has(a)) {
      if (spec.failFlags.has(a)) fails = true;
    } else if (spec.valued.has(a)) {
      const v = args[++i];
      const accepts = spec.valued.get(a)!;
      if (v === undefined || !accepts(v)) return undefined;
      if (accepts === HEADER) headers.push(parseHeader(v)!);
    } else if (a.startsWith('-')) {
      return undefined;
    } else {
      if (url !== undefined) return undefined;
      url = a;
    }
  }
  if (url === undefined || !fails) return undefined;
  const check = parseUrl(url);
  if (!check) return undefined;
  // An app that checks the Host header (Django's ALLOWED_HOSTS, nginx's server_name) answers as it answered the check.
  return { ...check, headers: headers.some((h) => /^host$/i.test(h.name)) ? headers : [...check.headers, ...headers] };
}

/** Parse a shell command (`CMD-SHELL` test) as an HTTP check. */
export function parseHttpShell(cmd: string): HttpCheck | undefined {
  const words = shellWords(cmd);
  return words ? parseHttpArgv(words) : undefined;
}

/**
 * A compose healthcheck `test` as an exec command: `[CMD, a, b]` → `[a, b]`, `[CMD-SHELL, s]` → `[sh, -c, s]`;
 * undefined without a command or for another form.
 */
export function testCommand(test: readonly string[] | undefined): string[] | undefined {
  if (!test || test.length < 2) return undefined;
  if (test[0] === 'CMD') return test.slice(1);
  if (test[0] === 'CMD-SHELL') return ['sh', '-c', test[1]!];
  return undefined;
}
