/**
 * `%YAML` / `%TAG` directives and tag-name resolution (YAML 1.2 §6.8, §6.9.1), with the errors the
 * `yaml` package reports for them (as `yaml-syntax` ids of the texts; its warnings — an unknown directive, a
 * `%YAML 1.x` version it does not know — are not reported). Directives apply to the next document; under YAML 1.2
 * they reset after it, under 1.1 they carry on until the next directive.
 */
import type { MessageValues } from '../../report/template.js';
import type { SyntaxId } from './text/syntax.js';

/** A syntax error at a tag, worded by the texts. */
export type TagError = (id: SyntaxId, values?: MessageValues) => void;

const DEFAULT_TAGS: Readonly<Record<string, string>> = { '!': '!', '!!': 'tag:yaml.org,2002:' };

export class Directives {
  #tags: Record<string, string> = { ...DEFAULT_TAGS };
  #version = '1.2';
  #atNextDocument = false;

  /** Read one directive line; `onError(relativeOffset, id, values)`. */
  add(line: string, onError: (offset: number, id: SyntaxId, values?: MessageValues) => void): void {
    if (this.#atNextDocument) {
      // the directives of a YAML 1.1 document carried on until this one
      this.#tags = { ...DEFAULT_TAGS };
      this.#atNextDocument = false;
    }
    const parts = line.trim().split(/[ \t]+/);
    const name = parts.shift();
    if (name === '%TAG') {
      if (parts.length !== 2) {
        onError(0, 'yaml-syntax.tag-directive-parts');
        if (parts.length < 2) return;
      }
      this.#tags[parts[0]!] = parts[1]!;
    } else if (name === '%YAML') {
      if (parts.length !== 1) {
        onError(0, 'yaml-syntax.yaml-directive-parts');
        return;
      }
      const version = parts[0]!;
      if (version === '1.1' || version === '1.2') this.#version = version;
      else if (!/^\d+\.\d+$/.test(version)) onError(6, 'yaml-syntax.yaml-version', { version });
    }
  }

  /** A document was read with the directives before it: what carries over to the next one. */
  endDocument(): void {
    if (this.#version === '1.1') this.#atNextDocument = true;
    else this.#tags = { ...DEFAULT_TAGS };
  }

  /**
   * The full tag name of a tag token (`!!int` → `tag:yaml.org,2002:int`) under the directives of the document being
   * read; null after an error. The lexer makes a tag token of text starting with `!` only, so `source` always has a
   * handle.
   */
  resolve(source: string, onError: TagError): string | null {
    if (source === '!') return '!';
    if (source[1] === '<') {
      const verbatim = source.slice(2, -1);
      if (verbatim === '!' || verbatim === '!!') {
        onError('yaml-syntax.verbatim-handle', { tag: source });
        return null;
      }
      if (source[source.length - 1] !== '>') onError('yaml-syntax.verbatim-end');
      return verbatim;
    }
    const cut = source.lastIndexOf('!');
    const handle = source.slice(0, cut + 1);
    const suffix = source.slice(cut + 1);
    if (!suffix) onError('yaml-syntax.tag-no-suffix', { tag: source });
    // `!` and `!!` always have a prefix (a %TAG directive replaces it by a non-empty one)
    const prefix = this.#tags[handle];
    if (prefix) {
      try {
        return prefix + decodeURIComponent(suffix);
      } catch (error) {
        onError('yaml-syntax', { error: String(error) });
        return null;
      }
    }
    onError('yaml-syntax.unresolved-tag', { tag: source });
    return null;
  }
}
