/**
 * The concrete syntax tree the YAML reader walks (`parser.ts` builds it from `lexer.ts`'s tokens): every
 * token keeps its source text and offset, so the builder (`cst.ts`) can check the syntax rules and place
 * every value. The shapes follow the YAML 1.2 grammar's productions: documents, block mappings and
 * sequences, flow collections, flow and block scalars, with the white space, comments and indicators
 * found before a node (`start`, `sep`) and after it (`end`).
 */
import type { DiagnosticId } from '../../../report/codes.js';
import type { MessageValues } from '../../../report/template.js';

export type SourceType =
  | 'byte-order-mark'
  | 'doc-mode'
  | 'doc-start'
  | 'space'
  | 'comment'
  | 'newline'
  | 'directive-line'
  | 'anchor'
  | 'tag'
  | 'seq-item-ind'
  | 'explicit-key-ind'
  | 'map-value-ind'
  | 'flow-map-start'
  | 'flow-map-end'
  | 'flow-seq-start'
  | 'flow-seq-end'
  | 'flow-error-end'
  | 'comma'
  | 'block-scalar-header';

/**
 * One lexical token, as read (scalars and aliases become `FlowScalar`s; a token out of place may still
 * land in a `start`/`sep`/`end` list with any lexical type, which the builder reports).
 */
export interface SourceToken {
  type: SourceType;
  offset: number;
  /** Indentation of the line it sits on, counted as the parser saw it. */
  indent: number;
  source: string;
}

/** A syntax error's wording: a `yaml-syntax` variant of the texts (mappings/diagnostics.yaml) and its values. */
export type SyntaxId = Extract<DiagnosticId, `yaml-syntax${string}`>;

/** Text the parser found no place for; what is wrong is worded by the texts (`id`, `values`). */
export interface ErrorToken {
  type: 'error';
  offset: number;
  source: string;
  id: 'yaml-syntax.not-a-token' | 'yaml-syntax.seq-on-key-line' | 'yaml-syntax.unexpected-here';
  values?: MessageValues;
}

export interface Directive {
  type: 'directive';
  offset: number;
  source: string;
}

export interface Document {
  type: 'document';
  offset: number;
  start: SourceToken[];
  value?: Token;
  end?: SourceToken[];
}

export interface DocumentEnd {
  type: 'doc-end';
  offset: number;
  source: string;
  end?: SourceToken[];
}

export interface FlowScalar {
  type: 'alias' | 'scalar' | 'single-quoted-scalar' | 'double-quoted-scalar';
  offset: number;
  indent: number;
  source: string;
  end?: SourceToken[];
}

export interface BlockScalar {
  type: 'block-scalar';
  offset: number;
  indent: number;
  props: Array<SourceToken | ErrorToken | Token>;
  source: string;
}

/** One entry of a collection: the tokens before it, its key (mappings), separator and value. */
export interface CollectionItem {
  start: SourceToken[];
  explicitKey?: boolean;
  key?: Token | null;
  sep?: SourceToken[];
  value?: Token;
}

export interface BlockMap {
  type: 'block-map';
  offset: number;
  indent: number;
  items: CollectionItem[];
}

export interface BlockSequence {
  type: 'block-seq';
  offset: number;
  indent: number;
  items: CollectionItem[];
}

export interface FlowCollection {
  type: 'flow-collection';
  offset: number;
  indent: number;
  start: SourceToken;
  items: CollectionItem[];
  end: SourceToken[];
}

/** A node or a stray token inside a document. */
export type Token =
  | SourceToken
  | ErrorToken
  | FlowScalar
  | BlockScalar
  | BlockMap
  | BlockSequence
  | FlowCollection
  | Document
  | DocumentEnd
  | Directive;

/** What the stream holds at its top level. */
export type TopToken = Token;
