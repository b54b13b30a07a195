/**
 * Reading one compose file's YAML text into plain JS values with a position for every node.
 * Scalars follow go-yaml v3 (what compose-go uses): see `scalars.ts`. Reading the text (the `yaml`
 * package's CST parser), syntax errors, aliases, merge keys and tags: see `cst.ts`.
 *
 * compose-go facts followed here:
 * - The top level must be a mapping ("Top-level object must be a mapping") → `yaml-not-mapping`.
 * - An empty file (or one holding only comments / `---`) is an empty mapping, not an error.
 * - Non-string keys (`80:`, `true:`, `? [a]`) are errors ("Non-string key in services: 123").
 * - Several documents in one file (`---`) are loaded as successive layers and merged in order.
 *   `parseComposeYaml` merges them generically (mappings merge key by key, anything else is replaced
 *   by the later document) and says so with an info diagnostic; callers that want compose's full
 *   merge rules use `parseComposeYamlDocuments` and merge the layers themselves.
 */
import type { Diagnostics, SourcePos } from '../../../src/report/diagnostic.js';
import { Override, RESET } from '../../../src/load/yaml/tags.js';
import { readYaml } from './ref-cst.js';
import { LineTable } from '../../../src/load/yaml/lines.js';
import { rawDiags } from './raw-diags.js';

export interface ParsedFile {
  value: Record<string, unknown>;
  positions: Map<string, SourcePos>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Override);
}

/**
 * Every non-empty document of the file, each checked to be a mapping. `undefined` when there were
 * errors (all of them reported). A file with no document at all gives one empty mapping.
 */
export function parseComposeYamlDocuments(text: string, file: string, diags: Diagnostics): ParsedFile[] | undefined {
  const lines = new LineTable(text);
  const { syntaxErrors, documents } = readYaml(text, file, lines);
  for (const e of syntaxErrors) {
    let offset = e.offset;
    let message = e.message;
    const quote = e.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(e.message)?.[1] : undefined;
    if (quote) {
      // the parser notices at the end of the file; point at the quote that was never closed
      const open = text.lastIndexOf(quote, offset - 1);
      if (open >= 0) offset = open;
      message = `missing closing ${quote} for the string that starts here`;
    }
    rawDiags(diags).error('yaml-syntax', message, lines.pos(file, offset));
  }
  if (syntaxErrors.length > 0) return undefined;

  let failed = false;
  const out: ParsedFile[] = [];
  for (const doc of documents) {
    for (const d of doc.diagnostics) {
      if (d.severity === 'error') rawDiags(diags).error(d.code, d.message, lines.pos(file, d.offset));
      else rawDiags(diags).warn(d.code, d.message, lines.pos(file, d.offset));
    }
    if (doc.failed) {
      failed = true;
      continue;
    }
    const { value, positions } = doc;
    if (value === null) continue; // an explicitly empty document: `---` with nothing after it, or `~`
    if (!isPlainObject(value)) {
      failed = true;
      const what = Array.isArray(value)
        ? 'a sequence'
        : value === RESET || value instanceof Override
          ? 'a tagged value'
          : `a ${typeof value}`;
      rawDiags(diags).error(
        'yaml-not-mapping',
        `the top level of a compose file must be a mapping, found ${what}`,
        positions.get(''),
      );
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
    if (isPlainObject(x) && isPlainObject(y)) {
      const r: Record<string, unknown> = { ...x };
      for (const [k, v] of Object.entries(y)) {
        const child =
          ptr === ''
            ? k.replace(/~/g, '~0').replace(/\//g, '~1')
            : `${ptr}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (k in r) r[k] = merge(r[k], v, child);
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
    rawDiags(diags).info(
      'yaml-multi-document',
      `${docs.length} YAML documents in one file: they are merged in order, like separate compose files`,
      docs[1]?.positions.get(''),
    );
  }
  return docs.slice(1).reduce(mergeDocs, first);
}
