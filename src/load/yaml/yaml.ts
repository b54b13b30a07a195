/**
 * Reading one compose file's YAML text into plain JS values with a position for every node.
 * Scalars follow go-yaml v3 (what compose-go uses): see `scalars.ts`. Reading the text (the `yaml`
 * package's CST parser), syntax errors, aliases, merge keys and tags: see `cst.ts`.
 *
 * compose-go facts followed here:
 * - The top level must be a mapping ("Top-level object must be a mapping") → `yaml-not-mapping`.
 * - An empty file (or one holding only comments / `---`) is an empty mapping, not an error here; the loader
 *   reports `compose-file-empty` when the merged files hold no key at all (../project.ts).
 * - Non-string keys (`80:`, `true:`, `? [a]`) are errors ("Non-string key in services: 123").
 * - Several documents in one file (`---`) are loaded as successive layers and merged in order.
 *   `parseComposeYaml` merges them generically (mappings merge key by key, anything else is replaced
 *   by the later document) and says so with an info diagnostic; callers that want compose's full
 *   merge rules use `parseComposeYamlDocuments` and merge the layers themselves.
 */
import type { Diagnostics, SourcePos } from '../../report/diagnostic.js';
import { Override, RESET } from './tags.js';
import { readYaml } from './cst.js';
import { LineTable } from './lines.js';
import { childPointer, isObj } from './tree.js';

export interface ParsedFile {
  /** A document is a mapping (anything else is the error `yaml-not-mapping`). */
  value: Record<string, unknown>;
  positions: Map<string, SourcePos>;
}

/**
 * Every non-empty document of the file, each checked to be a mapping. `undefined` when there were
 * errors (all of them reported). A file with no document at all gives one empty mapping.
 */
export function parseComposeYamlDocuments(text: string, file: string, diags: Diagnostics): ParsedFile[] | undefined {
  const lines = new LineTable(text);
  const { syntaxErrors, documents } = readYaml(text, file, lines);
  for (const e of syntaxErrors) diags.error(e.id, e.values, lines.pos(file, e.offset));
  if (syntaxErrors.length > 0) return undefined;

  let failed = false;
  const out: ParsedFile[] = [];
  for (const doc of documents) {
    for (const d of doc.diagnostics) diags.report(d.severity, d.id, d.values, lines.pos(file, d.offset));
    if (doc.failed) {
      failed = true;
      continue;
    }
    const { value, positions } = doc;
    if (value === null) continue; // an explicitly empty document: `---` with nothing after it, or `~`
    if (!isObj(value)) {
      failed = true;
      const what = Array.isArray(value)
        ? 'a sequence'
        : value === RESET || value instanceof Override
          ? 'a tagged value'
          : `a ${typeof value}`;
      diags.error('yaml-not-mapping', { what }, positions.get(''));
      continue;
    }
    out.push({ value, positions });
  }
  if (failed) return undefined;
  if (out.length === 0) {
    const positions = new Map<string, SourcePos>([['', { file, line: 1, col: 1 }]]);
    out.push({ value: {}, positions });
  }
  return out;
}

/** Deep-merge `b` into `a` (mappings key by key, everything else replaced); positions follow. */
function mergeDocs(a: ParsedFile, b: ParsedFile): ParsedFile {
  const positions = new Map(a.positions);
  const drop = (prefix: string) => {
    for (const p of [...positions.keys()]) if (p.startsWith(prefix + '/')) positions.delete(p);
  };
  const merge = (x: unknown, y: unknown, ptr: string): unknown => {
    if (isObj(x) && isObj(y)) {
      const r: Record<string, unknown> = { ...x };
      for (const [k, v] of Object.entries(y)) {
        if (k in r) r[k] = merge(r[k], v, childPointer(ptr, k));
        else r[k] = v;
      }
      return r;
    }
    drop(ptr);
    return y;
  };
  const value = merge(a.value, b.value, '') as Record<string, unknown>;
  for (const [p, s] of b.positions) if (p !== '') positions.set(p, s);
  return { value, positions };
}

export function parseComposeYaml(text: string, file: string, diags: Diagnostics): ParsedFile | undefined {
  const docs = parseComposeYamlDocuments(text, file, diags);
  if (!docs) return undefined;
  const first = docs[0];
  if (!first) return undefined;
  if (docs.length > 1) {
    diags.info('yaml-multi-document', { count: docs.length }, docs[1]?.positions.get(''));
  }
  return docs.slice(1).reduce(mergeDocs, first);
}
