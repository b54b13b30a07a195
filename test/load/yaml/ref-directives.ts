/**
 * The reference reader's directives and tag resolution: src/load/yaml/directives.ts as it was while it worded its
 * errors itself (the `yaml` package's wording), for the differential tests to compare the texts' wording with.
 */

const DEFAULT_TAGS: Readonly<Record<string, string>> = { '!': '!', '!!': 'tag:yaml.org,2002:' };

export class Directives {
  #tags: Record<string, string> = { ...DEFAULT_TAGS };
  #version = '1.2';
  #atNextDocument = false;

  /** Read one directive line; `onError(relativeOffset, message, warning)`. */
  add(line: string, onError: (offset: number, message: string, warning: boolean) => void): void {
    if (this.#atNextDocument) {
      this.#version = '1.1';
      this.#tags = { ...DEFAULT_TAGS };
      this.#atNextDocument = false;
    }
    const parts = line.trim().split(/[ \t]+/);
    const name = parts.shift();
    if (name === '%TAG') {
      if (parts.length !== 2) {
        onError(0, '%TAG directive should contain exactly two parts', false);
        if (parts.length < 2) return;
      }
      this.#tags[parts[0]!] = parts[1]!;
    } else if (name === '%YAML') {
      if (parts.length !== 1) {
        onError(0, '%YAML directive should contain exactly one part', false);
        return;
      }
      const version = parts[0]!;
      if (version === '1.1' || version === '1.2') this.#version = version;
      else onError(6, `Unsupported YAML version ${version}`, /^\d+\.\d+$/.test(version));
    } else onError(0, `Unknown directive ${name}`, true);
  }

  /** A document starts: the directives read so far apply to it; what carries over to the next one. */
  startDocument(): void {
    if (this.#version === '1.1') this.#atNextDocument = true;
    else {
      this.#atNextDocument = false;
      this.#tags = { ...DEFAULT_TAGS };
    }
  }

  /** The tags in force for the document being read (a snapshot taken before `startDocument`). */
  snapshot(): TagResolver {
    return new TagResolver({ ...this.#tags });
  }
}

export class TagResolver {
  readonly #tags: Readonly<Record<string, string>>;

  constructor(tags: Readonly<Record<string, string>>) {
    this.#tags = tags;
  }

  /** The full tag name of a tag token (`!!int` → `tag:yaml.org,2002:int`); null after an error. */
  resolve(source: string, onError: (message: string) => void): string | null {
    if (source === '!') return '!';
    if (source[0] !== '!') {
      onError(`Not a valid tag: ${source}`);
      return null;
    }
    if (source[1] === '<') {
      const verbatim = source.slice(2, -1);
      if (verbatim === '!' || verbatim === '!!') {
        onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
        return null;
      }
      if (source[source.length - 1] !== '>') onError('Verbatim tags must end with a >');
      return verbatim;
    }
    const cut = source.lastIndexOf('!');
    const handle = source.slice(0, cut + 1);
    const suffix = source.slice(cut + 1);
    if (!suffix) onError(`The ${source} tag has no suffix`);
    const prefix = this.#tags[handle];
    if (prefix) {
      try {
        return prefix + decodeURIComponent(suffix);
      } catch (error) {
        onError(String(error));
        return null;
      }
    }
    if (handle === '!') return source;
    onError(`Could not resolve tag: ${source}`);
    return null;
  }
}
