/**
 * Project name resolution, as compose-go does it: `-p` > `COMPOSE_PROJECT_NAME` > top-level `name:` >
 * basename of the project directory. Explicit names must already be valid; the directory basename is
 * normalized (lowercased, characters outside [a-z0-9_-] dropped, leading `_`/`-` trimmed).
 */
import { Diagnostics, type SourcePos } from '../../report/diagnostic.js';
import { basename } from '../../util/path.js';
import { parseComposeYamlDocuments } from '../yaml/yaml.js';
import { interpolateString, type Lookup } from '../env/interpolate.js';
import { isMap } from '../../util/object.js';

export function normalizeProjectName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/** Where a project name may come from, in order of precedence (an empty one counts as not given). */
export interface NameSources {
  /** `-p`. */
  explicit: string | undefined;
  /** `COMPOSE_PROJECT_NAME` from the environment (process env or `.env`). */
  env: string | undefined;
  /** Top-level `name:` (last file wins) and where it was written. */
  fromFile: string | undefined;
  fromFilePos?: SourcePos | undefined;
  projectDir: string;
}

export function resolveProjectName(src: NameSources, diags: Diagnostics): string | undefined {
  const check = (name: string, origin: string, pos?: SourcePos): string | undefined => {
    if (name === normalizeProjectName(name) && name !== '') return name;
    diags.error('invalid-project-name', { name: JSON.stringify(name), origin }, pos);
    return undefined;
  };
  if (src.explicit) return check(src.explicit, '-p/--project-name');
  if (src.env) return check(src.env, 'COMPOSE_PROJECT_NAME');
  if (src.fromFile) return check(src.fromFile, 'the top-level name:', src.fromFilePos);
  const name = normalizeProjectName(basename(src.projectDir));
  if (name === '') {
    diags.error('project-name-empty', { dir: JSON.stringify(src.projectDir) });
    return undefined;
  }
  return name;
}

/**
 * The top-level `name:` of the given compose files before they are loaded (the last non-empty one,
 * interpolated), as compose-go's `loader.projectName` does, so COMPOSE_PROJECT_NAME can be set for
 * interpolation. Unreadable or invalid files are skipped here; loading reports them.
 */
const NAME_LINE = /^name[ \t]*:/gm;
/** `name: value` with a plain string value and at most a comment after it. */
const SIMPLE_NAME = /^name[ \t]*:[ \t]+([A-Za-z0-9_$][A-Za-z0-9_.${}/-]*)[ \t]*(?:#.*)?$/;
/** What would make a column-0 `name:` line mean something else: flow collections, several documents, complex keys, tags. */
const NOT_SIMPLE_FILE = /^(?:[[{"'?!&*%]|---|\.\.\.)/m;
const NOT_A_STRING =
  /^(?:true|false|null|~|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:e[-+]?[0-9]+)?|0x[0-9a-f]+|0o[0-7]+|\.inf|\.nan)$/i;

/**
 * The file's top-level `name` without parsing the whole file, for the common shape (one `name:`
 * line at column 0 whose value is a plain word); undefined when the text needs the YAML parser to
 * be sure. The full load parses the file once more anyway, so peeking must be cheap.
 */
function simpleTopLevelName(text: string): string | undefined {
  if (NOT_SIMPLE_FILE.test(text)) return undefined;
  const lines = [...text.matchAll(NAME_LINE)];
  if (lines.length !== 1) return undefined;
  const start = lines[0]!.index;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  const line = text.slice(start, end).replace(/\r$/, '');
  const m = SIMPLE_NAME.exec(line);
  if (!m || NOT_A_STRING.test(m[1]!)) return undefined;
  // A more-indented next line would continue the scalar.
  const next = /^[^\n]*/.exec(text.slice(end + 1))?.[0] ?? '';
  if (/^[ \t]+[^ \t#\r]/.test(next)) return undefined;
  return m[1];
}

export function peekFileProjectName(
  texts: Array<{ file: string; text: string | undefined }>,
  lookup: Lookup,
): string | undefined {
  let found: string | undefined;
  for (const { file, text } of texts) {
    if (text === undefined || !/^name\s*:/m.test(text)) continue;
    const simple = simpleTopLevelName(text);
    if (simple !== undefined) {
      found = simple;
      continue;
    }
    for (const doc of parseComposeYamlDocuments(text, file, new Diagnostics()) ?? []) {
      const v = doc.value;
      if (isMap(v)) {
        const n = v.name;
        if (typeof n === 'string' && n !== '') found = n;
      }
    }
  }
  return found === undefined ? undefined : interpolateString(found, lookup).value || undefined;
}
