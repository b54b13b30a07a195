/**
 * What a load returns to be printed — diagnostics' messages and hints, and the source texts code frames show —
 * without secret values (issue 13: "diagnostics and error messages"). The values are found once per load by the
 * one secret definition (src/kube/secrets.ts): assignments to secret-looking variables in every file read
 * (compose files, `.env`, env_file, label files; with the values their `${VAR}` references resolve to), the body
 * of a block scalar under such a key and of a PEM private key, the interpolation environment, and the loaded
 * project's variables (projectSecretValues). Each is then replaced by `***` wherever it occurs.
 */
import type { LoadResult } from './api.js';
import type { Project } from '../model/types.js';
import { interpolateString } from './env/interpolate.js';
import { isSecretKey } from '../kube/secrets.js';
import {
  BLOCK_INDICATOR,
  projectSecretValues,
  Redactor,
  secretPart,
  secretSpans,
  type TextKind,
} from '../kube/redact.js';

const PEM_BEGIN = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----/;
const PEM_END = /-----END (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----/;

/** A compose file is YAML; the other files a load reads (`.env`, env_file, label_file) are env-format. */
function kindOf(file: string): TextKind {
  return /\.(ya?ml|json)$/i.test(file) || file.startsWith('<') ? 'yaml' : 'env';
}

/** Spans [start, end) of whole lines that are secret by what surrounds them, per line index. */
type LineSpans = Map<number, Array<readonly [number, number]>>;

/**
 * One pass over a source text: the secret values it holds (added to `values`) and the lines secret by context
 * — the body of a block scalar under a secret key (`DB_PASSWORD: |`) and of a PEM private key — whose text
 * secretSpans cannot see on its own.
 */
function scanSource(
  text: string,
  kind: TextKind,
  lookup: (n: string) => string | undefined,
  values: Set<string>,
): LineSpans {
  const context: LineSpans = new Map();
  let blockIndent = -1; // inside a secret block scalar: the indentation of its key's line
  let pem = false;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    const indent = /^\s*/.exec(line)![0].length;
    const body = (): void => {
      if (indent >= line.length) return;
      context.set(n, [[indent, line.length]]);
      values.add(line.slice(indent));
    };
    if (blockIndent >= 0) {
      if (indent >= line.length || indent > blockIndent) {
        body();
        continue;
      }
      blockIndent = -1;
    }
    if (pem) {
      if (PEM_END.test(line)) pem = false;
      else body();
      continue;
    }
    if (PEM_BEGIN.test(line) && !PEM_END.test(line)) pem = true;
    for (const s of secretSpans(line, kind)) {
      if (BLOCK_INDICATOR.test(s.value)) blockIndent = indent;
      if (s.redact) values.add(line.slice(s.start, s.end));
      if (s.value.includes('$')) {
        const r = interpolateString(s.value, lookup);
        if (!r.error && r.value && r.value !== s.value && isSecretKey(s.name, r.value)) values.add(secretPart(r.value));
      }
    }
  }
  return context;
}

/**
 * `result` with secret values redacted from its diagnostics and source texts. `env`: the interpolation
 * environment the load used (or, when it failed before reading `.env`, the process environment).
 */
export function redactLoad(result: LoadResult, env: Readonly<Record<string, string | undefined>>): LoadResult {
  const values = new Set<string>();
  const plain = new Set<string>();
  const keys = Object.keys(env);
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || v === '') continue;
    if (isSecretKey(k, v, keys)) values.add(secretPart(v));
    else plain.add(v);
  }
  const project: Project | undefined = result.project;
  if (project) {
    const p = projectSecretValues(project);
    for (const v of p.values) values.add(v);
    for (const v of p.plain) plain.add(v);
  }
  const lookup = (n: string): string | undefined => env[n];
  const contexts = new Map<string, LineSpans>();
  for (const [file, text] of result.sources) contexts.set(file, scanSource(text, kindOf(file), lookup, values));
  const r = new Redactor(values, plain);
  const sources = new Map<string, string>();
  for (const [file, text] of result.sources) {
    const context = contexts.get(file)!;
    const kind = kindOf(file);
    const lines = text.split('\n');
    sources.set(
      file,
      lines
        .map((line, n) => {
          const cr = line.endsWith('\r');
          const out = r.line(cr ? line.slice(0, -1) : line, kind, context.get(n));
          return cr ? out + '\r' : out;
        })
        .join('\n'),
    );
  }
  return {
    ...(project ? { project } : {}),
    diagnostics: result.diagnostics.map((d) => r.diagnostic(d)),
    sources,
  };
}
