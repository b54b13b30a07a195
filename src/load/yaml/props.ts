/**
 * The properties written before a node in the syntax tree (indicator, anchor, tag, comments, commas) and the
 * syntax rules the `yaml` package enforces on them, with the same errors (its wording, as `yaml-syntax` ids of the
 * texts) and offsets it reports (so moving from its Document model to the bare CST changed no diagnostic). Also the
 * small CST predicates the builder shares.
 */
import type { MessageValues } from '../../report/template.js';
import type * as CST from './text/syntax.js';

/** Where a syntax error is reported: an offset, or the token (its offset). */
export type ErrorAt = number | { offset: number };
export type OnError = (at: ErrorAt, id: CST.SyntaxId, values?: MessageValues) => void;

export interface Props {
  comma: CST.SourceToken | null;
  found: CST.SourceToken | null;
  comment: string;
  hasNewline: boolean;
  anchor: CST.SourceToken | null;
  tag: CST.SourceToken | null;
  newlineAfterProp: CST.SourceToken | null;
  /** Offset just past the last property token (or the given offset when there is none). */
  end: number;
  /** Offset of the first anchor or tag, else `end`. */
  start: number;
}

export interface PropsContext {
  /** Inside a flow collection: which one (its name in messages, "flow map" / "flow sequence"). */
  flow?: 'map' | 'sequence';
  indicator: 'doc-start' | 'explicit-key-ind' | 'map-value-ind' | 'seq-item-ind';
  next: CST.Token | null | undefined;
  offset: number;
  parentIndent: number;
  startOnNewline: boolean;
}

/** Read the property tokens before a node. */
export function readProps(tokens: readonly CST.SourceToken[], ctx: PropsContext, onError: OnError): Props {
  const { flow, indicator, next } = ctx;
  let atNewline = ctx.startOnNewline;
  let hasSpace = ctx.startOnNewline;
  let comment = '';
  let commentSep = '';
  let hasNewline = false;
  let reqSpace = false;
  let tab: CST.SourceToken | null = null;
  let anchor: CST.SourceToken | null = null;
  let tag: CST.SourceToken | null = null;
  let newlineAfterProp: CST.SourceToken | null = null;
  let comma: CST.SourceToken | null = null;
  let found: CST.SourceToken | null = null;
  let start: number | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.type;
    if (reqSpace) {
      if (type !== 'space' && type !== 'newline' && type !== 'comma') onError(token.offset, 'yaml-syntax.props-space');
      reqSpace = false;
    }
    if (tab) {
      if (atNewline && type !== 'comment' && type !== 'newline') onError(tab, 'yaml-syntax.tab-indent');
      tab = null;
    }
    if (type === 'space') {
      // at the document level a tab before a flow collection is leading white space, not indentation
      if (!flow && (indicator !== 'doc-start' || next?.type !== 'flow-collection') && token.source.includes('\t'))
        tab = token;
      hasSpace = true;
    } else if (type === 'comment') {
      if (!hasSpace) onError(token, 'yaml-syntax.comment-space');
      const text = token.source.substring(1) || ' ';
      comment = comment ? comment + commentSep + text : text;
      commentSep = '';
      atNewline = false;
    } else if (type === 'newline') {
      if (atNewline) {
        if (comment) comment += token.source;
      } else commentSep += token.source;
      atNewline = true;
      hasNewline = true;
      if (anchor || tag) newlineAfterProp = token;
      hasSpace = true;
    } else if (type === 'anchor' || type === 'tag') {
      if (type === 'anchor') {
        if (anchor) onError(token, 'yaml-syntax.two-anchors');
        anchor = token;
      } else {
        if (tag) onError(token, 'yaml-syntax.two-tags');
        tag = token;
      }
      start ??= token.offset;
      atNewline = false;
      hasSpace = false;
      reqSpace = true;
    } else if (type === indicator) {
      if (anchor || tag) onError(token, 'yaml-syntax.props-before-indicator', { indicator: token.source });
      // a second indicator before one node happens in flow collections only: in block ones the parser starts a
      // new node at it
      if (found) onError(token, 'yaml-syntax.unexpected-indicator-in-flow', { indicator: token.source, flow: flow! });
      found = token;
      atNewline = indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
      hasSpace = false;
    } else if (type === 'comma' && flow) {
      if (comma) onError(token, 'yaml-syntax.unexpected-comma', { flow });
      comma = token;
      atNewline = false;
      hasSpace = false;
    } else {
      onError(token, 'yaml-syntax.unexpected-token', { type });
      atNewline = false;
      hasSpace = false;
    }
  }
  const last = tokens[tokens.length - 1];
  const end = last ? last.offset + last.source.length : ctx.offset;
  if (
    reqSpace &&
    next &&
    next.type !== 'space' &&
    next.type !== 'newline' &&
    next.type !== 'comma' &&
    (next.type !== 'scalar' || next.source !== '')
  )
    onError(next.offset, 'yaml-syntax.props-space');
  if (
    tab &&
    ((atNewline && tab.indent <= ctx.parentIndent) || next?.type === 'block-map' || next?.type === 'block-seq')
  )
    onError(tab, 'yaml-syntax.tab-indent');
  return { comma, found, comment, hasNewline, anchor, tag, newlineAfterProp, end, start: start ?? end };
}

/** Comments and white space after a node (or a scalar); returns the offset past them. */
export function readEnd(
  end: readonly CST.SourceToken[] | undefined,
  offset: number,
  reqSpace: boolean,
  onError: (at: number, id: CST.SyntaxId, values?: MessageValues) => void,
): number {
  if (!end) return offset;
  let hasSpace = false;
  for (const token of end) {
    const type = token.type;
    if (type === 'space' || type === 'newline') hasSpace = true;
    else if (type === 'comment') {
      if (reqSpace && !hasSpace) onError(token.offset, 'yaml-syntax.comment-space');
    } else onError(token.offset, 'yaml-syntax.unexpected-at-end', { type });
    offset += token.source.length;
  }
  return offset;
}

/** Where an empty node sits: after the last non-blank token before it, and the spaces after that. */
export function emptyScalarPosition(offset: number, before: readonly CST.SourceToken[] | undefined): number {
  if (!before) return offset;
  for (let i = before.length - 1; i >= 0; --i) {
    const type = before[i]!.type;
    if (type === 'space' || type === 'comment' || type === 'newline') {
      offset -= before[i]!.source.length;
      continue;
    }
    for (let j = i + 1; j < before.length && before[j]!.type === 'space'; j++) offset += before[j]!.source.length;
    break;
  }
  return offset;
}

/** Whether a (key) token spans more than one line. */
export function containsNewline(key: CST.Token | null | undefined): boolean {
  if (!key) return false;
  const isNewline = (st: CST.SourceToken): boolean => st.type === 'newline';
  switch (key.type) {
    case 'alias':
    case 'scalar':
    case 'double-quoted-scalar':
    case 'single-quoted-scalar':
      return key.source.includes('\n') || !!key.end?.some(isNewline);
    case 'flow-collection':
      return key.items.some(
        (it) =>
          it.start.some(isNewline) || !!it.sep?.some(isNewline) || containsNewline(it.key) || containsNewline(it.value),
      );
    default:
      return true;
  }
}
