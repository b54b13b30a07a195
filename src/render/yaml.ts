/**
 * Objects → a YAML stream that reads back identically under YAML 1.1 (kubectl, many tools) and
 * YAML 1.2. Every document starts with `---`. Strings a 1.1 or 1.2 reader could take for another
 * type (`on`, `y`, `0755`, `1:20`, `2001-12-14`, `~`, ...) are double-quoted; multi-line strings
 * are block literals; nothing is folded. Output is byte-identical for identical input.
 */
import { Document, Scalar, parse, visit } from 'yaml';
import type { KubeObject } from '../kube/object.js';
import { orderObject } from './order.js';

/** Words some YAML 1.1 reader resolves to a non-string, in any letter case. */
const WORDS_ANY_CASE = /^(y|n|yes|no|on|off|true|false|null|~|nan|inf|\.nan|[-+]?\.?inf(inity)?)$/i;
/** 1.1 merge key `<<`, value key `=`. */
const SPECIAL = /^(<<|=)$/;
/** Anything that looks like a number in any YAML/JSON dialect: digits with signs, dots, `_`, `:`, exponents, bases. */
const NUMBER_LIKE = /^[-+]?(\.?[0-9]|0[xob])[0-9a-fA-FxXoObB_.:eE+-]*$/;
/** Dates and timestamps (YAML 1.1 timestamp type). */
const TIMESTAMP_LIKE = /^\d{4}-\d\d?-\d\d?([Tt ]|$)/;

function resolvesAs(s: string, version: '1.1' | '1.2'): unknown {
  try {
    return parse(s, { version, logLevel: 'silent' });
  } catch {
    return Symbol('error');
  }
}

/** True when a plain (unquoted) `s` would not read back as the same string under YAML 1.1 or 1.2. */
export function isAmbiguous(s: string): boolean {
  if (s === '' || s.trim() !== s) return true;
  if (WORDS_ANY_CASE.test(s) || SPECIAL.test(s) || NUMBER_LIKE.test(s) || TIMESTAMP_LIKE.test(s)) return true;
  if (s.includes('\n')) return false;
  // Fast path: names, paths, images, label keys. A letter first rules out numbers, dates and the
  // indicator characters; the word list above has the letter-first non-strings.
  if (SIMPLE.test(s) && !s.endsWith(':')) return false;
  let hit = cache.get(s);
  if (hit === undefined) {
    hit = resolvesAs(s, '1.1') !== s || resolvesAs(s, '1.2') !== s;
    if (cache.size > 10_000) cache.clear();
    cache.set(s, hit);
  }
  return hit;
}

const SIMPLE = /^[A-Za-z][A-Za-z0-9_./:-]*$/;
const cache = new Map<string, boolean>();

/** Characters that cannot appear in a block literal (control characters other than tab and newline). */

const NOT_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** Quote every string a YAML 1.1 or 1.2 reader could take for something else; multi-line strings as `|` blocks. */
export function styleScalars(doc: Document): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      const s = node.value;
      if (s.includes('\n') && !NOT_IN_BLOCK.test(s)) node.type = Scalar.BLOCK_LITERAL;
      else if (s.includes('\n') || NOT_IN_BLOCK.test(s) || isAmbiguous(s)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
}

function renderOne(obj: KubeObject): string {
  const doc = new Document(orderObject(obj), { aliasDuplicateObjects: false });
  styleScalars(doc);
  return doc.toString({ lineWidth: 0, minContentWidth: 0, directives: false });
}

/** A `---`-separated stream, objects in the order given (the converter sorts them in apply order). */
export function renderYaml(objects: KubeObject[]): string {
  return objects.map((o) => '---\n' + renderOne(o)).join('');
}
