/**
 * Turns one parsed YAML document (the `yaml` package's node tree) into plain JS values plus a
 * pointer → position map. Handles what compose needs on top of plain YAML: anchors/aliases (with a
 * bound on the expanded size), `<<` merge keys, the `!reset`/`!override` tags and go-yaml's scalar rules.
 */
import type { DiagnosticCode } from '../../../src/report/codes.js';
import { isAlias, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { Alias, Document, LineCounter, Node as YNode, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { pointer } from '../../../src/model/pointer.js';
import type { Diagnostics, SourcePos } from '../../../src/report/diagnostic.js';
import { Override, RESET } from '../../../src/load/yaml/tags.js';
import { coreTag, resolvePlain, resolveTagged } from '../../../src/load/yaml/scalars.js';
import { rawDiags } from './raw-diags.js';

/**
 * Most nodes an alias expansion may produce in one document. Sentry's self-hosted file (~145
 * aliases) expands to a few thousand; a "billion laughs" document hits this bound after a few
 * milliseconds instead of eating all memory.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

class AliasLimit extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Positions = Map<string, SourcePos>;

export class DocBuilder {
  private readonly anchors = new Map<Alias, YNode | undefined>();
  private readonly active = new Set<YNode>();
  private expanded = 0;
  private aliasDepth = 0;
  /** Offset of the outermost alias being expanded (where an alias-limit error points). */
  private outerAlias = 0;
  /** Nodes produced by alias expansion so far (exported for tests of the bound). */
  get expandedNodes(): number {
    return this.expanded;
  }
  /** True when an error was reported while building. */
  failed = false;
  private errorCount = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly lc: LineCounter,
    private readonly file: string,
    private readonly diags: Diagnostics,
  ) {
    // One pass in document order: each alias refers to the latest anchor of that name before it.
    const seen = new Map<string, YNode>();
    visit(doc, {
      Node: (_k, node) => {
        if (isAlias(node)) this.anchors.set(node, seen.get(node.source));
        else if (node.anchor) seen.set(node.anchor, node);
      },
    });
  }

  pos(offset: number): SourcePos {
    const { line, col } = this.lc.linePos(offset);
    return { file: this.file, line, col };
  }

  private error(code: DiagnosticCode, message: string, offset: number): void {
    this.failed = true;
    this.errorCount++;
    rawDiags(this.diags).error(code, message, this.pos(offset));
  }

  /** Build the document's value; `undefined` after an alias-limit failure. */
  buildRoot(positions: Positions): unknown {
    const root = this.doc.contents;
    positions.set('', this.pos(root?.range?.[0] ?? 0));
    if (!root) return null;
    try {
      return this.build(root, [], positions);
    } catch (e) {
      if (e instanceof AliasLimit) {
        this.error('yaml-alias-limit', e.message, e.offset);
        return undefined;
      }
      throw e;
    }
  }

  private build(node: YNode, path: Array<string | number>, positions: Positions): unknown {
    if (this.aliasDepth > 0 && ++this.expanded > MAX_ALIAS_EXPANSION) {
      throw new AliasLimit(
        `aliases expand to more than ${MAX_ALIAS_EXPANSION} nodes (a "billion laughs" document?); refusing to expand further`,
        this.outerAlias,
      );
    }
    if (isAlias(node)) return this.buildAlias(node, path, positions);
    const tag = node.tag;
    if (tag === '!reset') return RESET;
    if (tag === '!override') return new Override(this.buildUntagged(node, path, positions, true));
    return this.buildUntagged(node, path, positions, false);
  }

  private buildAlias(node: Alias, path: Array<string | number>, positions: Positions): unknown {
    const target = this.anchors.get(node);
    const at = node.range?.[0] ?? 0;
    if (!target) {
      this.error('yaml-syntax', `unknown anchor "${node.source}" referenced by alias`, at);
      return null;
    }
    if (this.active.has(target)) {
      this.error('yaml-alias-limit', `alias *${node.source} refers to a node that contains it (recursive alias)`, at);
      return null;
    }
    if (this.aliasDepth === 0) this.outerAlias = at;
    this.aliasDepth++;
    try {
      return this.build(target, path, positions);
    } finally {
      this.aliasDepth--;
    }
  }

  private buildUntagged(node: YNode, path: Array<string | number>, positions: Positions, overridden: boolean): unknown {
    const tag = overridden ? undefined : node.tag;
    if (tag && !coreTag(tag)) {
      rawDiags(this.diags).warn(
        'yaml-unknown-tag',
        `unknown tag ${tag}; the value is kept as written`,
        this.pos(node.range?.[0] ?? 0),
      );
    }
    this.active.add(node);
    try {
      if (isMap(node)) return this.buildMap(node, path, positions);
      if (isSeq(node)) return this.buildSeq(node, path, positions);
      if (isScalar(node)) return this.buildScalar(node, tag);
      return null;
    } finally {
      this.active.delete(node);
    }
  }

  private buildScalar(node: Scalar, tag: string | undefined): unknown {
    const text = typeof node.value === 'string' ? node.value : String(node.value ?? '');
    const core = tag ? coreTag(tag) : undefined;
    if (core) {
      const r = resolveTagged(core, text);
      if (r === undefined) {
        this.error('yaml-bad-tag', `cannot read "${text}" as !!${core}`, node.range?.[0] ?? 0);
        return text;
      }
      return r;
    }
    return node.type === 'PLAIN' ? resolvePlain(text) : text;
  }

  private buildSeq(node: YAMLSeq, path: Array<string | number>, positions: Positions): unknown[] {
    const out: unknown[] = [];
    node.items.forEach((item, i) => {
      const child = [...path, i];
      const itemNode = item as YNode | null;
      if (itemNode && isPair(itemNode)) {
        // `- ? a : b` / `[a: b]` inside a sequence: a single-pair mapping
        const off = (itemNode.key as YNode | null)?.range?.[0] ?? node.range?.[0] ?? 0;
        positions.set(pointer(...child), this.pos(off));
        const pair = itemNode as Pair<YNode | null, YNode | null>;
        const m: Record<string, unknown> = {};
        const k = this.keyOf(pair, off);
        if (k) {
          positions.set(pointer(...child, k.key), this.pos(k.off));
          m[k.key] = pair.value ? this.build(pair.value, [...child, k.key], positions) : null;
        }
        out.push(m);
        return;
      }
      positions.set(pointer(...child), this.pos(itemNode?.range?.[0] ?? node.range?.[0] ?? 0));
      out.push(itemNode ? this.build(itemNode, child, positions) : null);
    });
    return out;
  }

  /** The string key of a pair, or undefined (error reported) when it is not a string scalar. */
  private keyOf(
    pair: Pair<YNode | null, YNode | null>,
    mapOffset: number,
  ): { key: string; merge: boolean; off: number } | undefined {
    let k = pair.key;
    const off = k?.range?.[0] ?? mapOffset;
    if (k && isAlias(k)) k = this.anchors.get(k) ?? null;
    if (!k || !isScalar(k)) {
      this.error(
        'yaml-non-string-key',
        'mapping keys must be strings (found a ' +
          (k ? (isMap(k) ? 'mapping' : isSeq(k) ? 'sequence' : 'node') : 'null') +
          ' key)',
        off,
      );
      return undefined;
    }
    // `!!merge <<` is the explicitly tagged merge key (go-yaml reads it like `<<`); the yaml package gives it a
    // symbol value.
    if (k.tag === 'tag:yaml.org,2002:merge' || typeof k.value === 'symbol') return { key: '<<', merge: true, off };
    const text = typeof k.value === 'string' ? k.value : String(k.value ?? '');
    const core = k.tag ? coreTag(k.tag) : undefined;
    if (k.type === 'PLAIN' && !k.tag && text === '<<') return { key: text, merge: true, off };
    if (core === 'str' || (k.type !== 'PLAIN' && !core)) return { key: text, merge: false, off };
    const v = core ? resolveTagged(core, text) : resolvePlain(text);
    if (typeof v === 'string') return { key: text, merge: false, off };
    this.error(
      'yaml-non-string-key',
      `non-string key ${text === '' ? '(empty)' : text}: compose only accepts string keys (quote it: "${text}")`,
      off,
    );
    return undefined;
  }

  private buildMap(node: YAMLMap, path: Array<string | number>, positions: Positions): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const mapOff = node.range?.[0] ?? 0;
    const items = node.items as Array<Pair<YNode | null, YNode | null>>;
    // first pass: which keys are written here (they win over merged ones), duplicates
    const keys: Array<ReturnType<DocBuilder['keyOf']>> = [];
    const local = new Map<string, number>();
    const firstIndex = new Map<string, number>();
    items.forEach((item, i) => {
      const k = this.keyOf(item, mapOff);
      keys.push(k);
      if (!k) return;
      const prev = local.get(k.key);
      if (prev !== undefined) {
        this.error(
          'yaml-duplicate-key',
          `mapping key "${k.key}" already defined at line ${this.lc.linePos(prev).line}`,
          k.off,
        );
        return;
      }
      local.set(k.key, k.off);
      firstIndex.set(k.key, i);
    });
    const merged = new Set<string>();
    items.forEach((item, i) => {
      const k = keys[i];
      if (!k || firstIndex.get(k.key) !== i) return;
      if (k.merge) {
        this.applyMerge(item, path, out, local, merged, positions);
        return;
      }
      const child = [...path, k.key];
      positions.set(pointer(...child), this.pos(k.off));
      out[k.key] = item.value ? this.build(item.value, child, positions) : null;
    });
    return out;
  }

  /** `<<: *a` / `<<: [*a, *b]` / `<<: {k: v}`: keys written locally win, earlier sources win. */
  private applyMerge(
    pair: Pair<YNode | null, YNode | null>,
    path: Array<string | number>,
    out: Record<string, unknown>,
    local: Map<string, number>,
    done: Set<string>,
    positions: Positions,
  ): void {
    const written = pair.value;
    const at = written?.range?.[0] ?? (pair.key as YNode | null)?.range?.[0] ?? 0;
    const v = written && isAlias(written) ? (this.anchors.get(written) ?? written) : written;
    // `<<: *list` / `<<: [..]` merges each item; `<<: *map` / `<<: {..}` merges that one mapping
    const sources: YNode[] = v && isSeq(v) ? (v.items as YNode[]) : written ? [written] : [];
    for (const src of sources) {
      const tmp: Positions = new Map();
      const errorsBefore = this.errorCount;
      const value = this.build(src, path, tmp);
      if (value === null && this.errorCount > errorsBefore) continue; // e.g. an unknown alias, already reported
      if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Override) {
        this.error(
          'yaml-merge',
          'the value of a "<<" merge key must be a mapping or a list of mappings',
          src === written ? at : (src.range?.[0] ?? at),
        );
        continue;
      }
      const base = pointer(...path);
      for (const [key, val] of Object.entries(value as Record<string, unknown>)) {
        if (local.has(key) || done.has(key)) continue;
        done.add(key);
        out[key] = val;
        const kp = base === '' ? pointer(key) : `${base}/${pointer(key)}`;
        for (const [p, sp] of tmp) if (p === kp || p.startsWith(kp + '/')) positions.set(p, sp);
      }
    }
  }
}
