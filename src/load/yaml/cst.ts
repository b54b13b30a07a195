/**
 * One compose file's YAML text → plain JS values plus a pointer → position table, built from our own
 * concrete syntax tree (text/: lexer, parser, scalar text): no Document model, no node classes, no
 * schema. The stream's directives, documents and stray tokens are read here; each document is read by
 * a DocumentReader (node-reader.ts → map-reader.ts → document-reader.ts), one walk in document order
 * that makes the syntax checks (reported with the wording, as ids of the texts, and offset the `yaml` package used),
 * resolves anchors and aliases, and builds values the way go-yaml / compose-go read them.
 */
import { Parser } from './text/parser.js';
import { Directives } from './directives.js';
import { readEnd } from './props.js';
import type { LineTable } from './lines.js';
import { DocumentReader } from './document-reader.js';
import type { BuiltDocument, ReadFile, SyntaxError } from './node-reader.js';
import type { SyntaxId } from './text/syntax.js';
import type { MessageValues } from '../../report/template.js';

export { MAX_ALIAS_EXPANSION } from './node-reader.js';
export type { BuildDiagnostic, BuiltDocument, ReadFile, SyntaxError } from './node-reader.js';

/**
 * A parser error token's wording when its text follows, quoted (at the stream level, where a seq-on-key-line error
 * never is: the parser places it in the mapping it found it in).
 */
const QUOTED = {
  'yaml-syntax.not-a-token': 'yaml-syntax.not-a-token-quoted',
  'yaml-syntax.unexpected-here': 'yaml-syntax.unexpected-here-quoted',
} as const;

/** Read every document of a YAML text. */
export function readYaml(text: string, file: string, lines: LineTable): ReadFile {
  const syntaxErrors: SyntaxError[] = [];
  const report = (offset: number, id: SyntaxId, values?: MessageValues) => syntaxErrors.push({ offset, id, values });
  const documents: BuiltDocument[] = [];
  const directives = new Directives();
  let atDirectives = false;
  let sawDocument = false;
  for (const token of Parser.parse(text)) {
    // besides these, the parser puts only white space, comments and a byte order mark here: skipped
    switch (token.type) {
      case 'directive':
        directives.add(token.source, (offset, id, values) => report(token.offset + offset, id, values));
        atDirectives = true;
        break;
      case 'document': {
        const reader = new DocumentReader(lines, file, directives, syntaxErrors);
        const hasDocStart = token.start.some((t) => t.type === 'doc-start');
        const doc = reader.read(token);
        directives.endDocument();
        if (atDirectives && !hasDocStart) report(token.offset, 'yaml-syntax.missing-doc-start');
        documents.push(doc);
        sawDocument = true;
        atDirectives = false;
        break;
      }
      case 'error':
        // at the stream level the token's text follows the wording, quoted
        if (token.source)
          report(token.offset, QUOTED[token.id as keyof typeof QUOTED], {
            ...token.values,
            quoted: JSON.stringify(token.source),
          });
        else report(token.offset, token.id, token.values);
        break;
      case 'doc-end':
        if (!sawDocument) {
          report(token.offset, 'yaml-syntax.stray-doc-end');
          break;
        }
        readEnd(token.end, token.offset + token.source.length, true, report);
    }
  }
  // the `yaml` package drops the errors of a stream without any document
  if (!sawDocument) syntaxErrors.length = 0;
  return { syntaxErrors, documents };
}
