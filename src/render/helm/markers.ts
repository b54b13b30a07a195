/**
 * Placeholders that turn a literal manifest into a Helm template. The chart renderer puts marker
 * tokens into a copy of an object (a scalar marker where a value comes from `values.yaml`, a block
 * marker key where a whole optional field is templated), renders it with the ordinary YAML renderer,
 * escapes every `{{` of the user's content so Go templates leave it alone, then swaps the markers
 * for template actions. Markers never collide with user content: their prefix is chosen absent.
 */

/** `{{` in literal content → an action printing `{{`, so Helm outputs the text unchanged. */
export function escapeTemplate(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/** Renders a block for the column its marker key stood at (the text replaces the whole line). */
export type BlockRender = (indent: number) => string;

export class Markers {
  private readonly prefix: string;
  private readonly scalars = new Map<string, string>();
  private readonly blocks = new Map<string, BlockRender>();
  private n = 0;

  /** `haystack`: all user content the markers will be mixed with. */
  constructor(haystack: string) {
    let i = 0;
    let prefix = 'C2KHELMX';
    while (haystack.includes(prefix)) prefix = `C2KHELM${++i}X`;
    this.prefix = prefix;
  }

  /** A plain string that becomes the action `expr` (e.g. `{{ .Values.web.replicas }}`). */
  scalar(expr: string): string {
    const token = `${this.prefix}V${this.n++}Z`;
    this.scalars.set(token, expr);
    return token;
  }

  /** A map key (its value must be null) whose line becomes the text `render` returns. */
  block(render: BlockRender): string {
    const token = `${this.prefix}B${this.n++}Z`;
    this.blocks.set(token, render);
    return token;
  }

  /** Whether `value` (a string, a key or a tree) holds a marker of this set. */
  holds(value: unknown): boolean {
    if (typeof value === 'string') return value.includes(this.prefix);
    if (Array.isArray(value)) return value.some((v) => this.holds(v));
    if (value !== null && typeof value === 'object')
      return Object.entries(value).some(([k, v]) => k.includes(this.prefix) || this.holds(v));
    return false;
  }

  /**
   * A copy of `value` whose markers are the template text they stand for, each after a NUL (no YAML content
   * has one): two lifted objects compare equal when they differ only in what values hold.
   */
  resolve(value: unknown): unknown {
    if (typeof value === 'string') return this.resolveText(value);
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[this.resolveText(k)] = this.resolve(v);
    return out;
  }

  private resolveText(text: string): string {
    if (!text.includes(this.prefix)) return text;
    return text.replace(new RegExp(`${this.prefix}([VB])\\d+Z`, 'g'), (token, kind: string) =>
      kind === 'V' ? `\0${this.scalars.get(token) ?? token}` : `\0${this.blocks.get(token)?.(0) ?? token}`,
    );
  }

  /** Escape the literal YAML, then replace the markers it contains. */
  apply(yaml: string): string {
    const escaped = escapeTemplate(yaml);
    const lineRe = new RegExp(`^( *)(${this.prefix}B\\d+Z): null$`, 'gm');
    const withBlocks = escaped.replace(lineRe, (line, indent: string, token: string) => {
      const render = this.blocks.get(token);
      return render ? render(indent.length) : line;
    });
    const scalarRe = new RegExp(`${this.prefix}V\\d+Z`, 'g');
    return withBlocks.replace(scalarRe, (token) => this.scalars.get(token) ?? token);
  }
}

/** Spaces for a column. */
export function pad(n: number): string {
  return ' '.repeat(n);
}

/**
 * Put `newKey: newValue` where `key` stood in `obj` (keeping the key order the renderer shows),
 * or at the end when `key` is absent. Mutates and returns `obj`.
 */
export function replaceKey(
  obj: Record<string, unknown>,
  key: string,
  newKey: string,
  newValue: unknown,
): Record<string, unknown> {
  const entries = Object.entries(obj);
  for (const k of Object.keys(obj)) delete obj[k];
  let placed = false;
  for (const [k, v] of entries) {
    if (k === key) {
      obj[newKey] = newValue;
      placed = true;
    } else obj[k] = v;
  }
  if (!placed) obj[newKey] = newValue;
  return obj;
}

/** A block that prints `key:` and the map at `path` (keys and values quoted) only when it is non-empty. */
export function mapBlock(key: string, path: string): BlockRender {
  return (n) =>
    [
      `{{- with ${path} }}`,
      `${pad(n)}${key}:`,
      `${pad(n + 2)}{{- range $k, $v := . }}`,
      `${pad(n + 2)}{{ $k | quote }}: {{ $v | quote }}`,
      `${pad(n + 2)}{{- end }}`,
      `{{- end }}`,
    ].join('\n');
}

/** A block that prints `key: <value as YAML>` only when the value at `path` is non-empty. */
export function yamlBlock(key: string, path: string): BlockRender {
  return (n) =>
    [`{{- with ${path} }}`, `${pad(n)}${key}:`, `${pad(n + 2)}{{- toYaml . | nindent ${n + 2} }}`, `{{- end }}`].join(
      '\n',
    );
}

/** A block that prints `key: "<string>"` only when the value at `path` is non-empty. */
export function stringBlock(key: string, path: string): BlockRender {
  return (n) => [`{{- with ${path} }}`, `${pad(n)}${key}: {{ . | quote }}`, `{{- end }}`].join('\n');
}

/**
 * A block that prints `key: <value as YAML>` whenever the value `expr` yields is not null, so `false`, `0`, `""`
 * and empty lists print too (a field an environment sets to any value).
 */
export function presentBlock(key: string, expr: string): BlockRender {
  // Field names print plain; a label key that YAML would read otherwise is quoted.
  const plain = /^[A-Za-z][A-Za-z0-9_./-]*$/.test(key) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(key);
  const k = plain ? key : JSON.stringify(key);
  return (n) =>
    [
      `{{- if not (kindIs "invalid" ${expr}) }}`,
      `${pad(n)}${k}:`,
      `${pad(n + 2)}{{- toYaml ${expr} | nindent ${n + 2} }}`,
      `{{- end }}`,
    ].join('\n');
}
