/**
 * Parsers for the `x-k8s` extension: strict objects, lists, and leaves that read a scalar with one of the
 * value readers (./values.ts). A parser returns the value it read and appends the problems it found, relative
 * to the value, to `out`; the caller uses the value only when there was none. Parsers are built by functions
 * when an `x-k8s` value is read (nothing at start-up) and keep their structure (`shape`, `element`, `inner`)
 * so messages can list the keys allowed at a path (`keysAt`).
 */

export type RawIssue =
  | { code: 'unrecognized_keys'; keys: string[]; path: PropertyKey[] }
  | { code: 'custom'; message: string; hint?: string; path: PropertyKey[] }
  | { code: 'invalid_type'; expected: 'object' | 'array'; input: unknown; path: PropertyKey[] };

export interface Parser<T> {
  /** Only a type-level tag. */
  readonly _out?: T;
  /** An object's parsers by key. */
  readonly shape?: Readonly<Record<string, Parser<unknown>>>;
  /** A list's item parser. */
  readonly element?: Parser<unknown>;
  /** The parser a wrapper (`optional`, `preprocess`, `refine`) hands the value to. */
  readonly inner?: Parser<unknown>;
  /** A key with this parser may be left out of its object. */
  readonly optional?: boolean;
  parse(v: unknown, out: RawIssue[]): T;
}

export type Out<P> = P extends Parser<infer T> ? T : never;

type Shape = Record<string, Parser<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] };
type ObjectOut<S extends Shape> = Flat<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Out<S[K]> } & { [K in OptionalKeys<S>]?: Out<S[K]> }
>;

/** Reports a problem with the value being read. */
export type Report = (message: string, hint?: string) => void;

/** A leaf: `read` gets any value (also `undefined` for a missing key) and reports what is wrong with it. */
export function leaf<T>(read: (v: unknown, report: Report) => T): Parser<T> {
  return {
    parse(v, out) {
      return read(v, (message, hint) => out.push({ code: 'custom', message, ...(hint ? { hint } : {}), path: [] }));
    },
  };
}

export function optional<T>(inner: Parser<T>): Parser<T | undefined> & { optional: true } {
  return { inner, optional: true, parse: (v, out) => (v === undefined ? undefined : inner.parse(v, out)) };
}

function prefix(out: RawIssue[], from: number, key: PropertyKey): void {
  for (let i = from; i < out.length; i++) out[i]!.path.unshift(key);
}

/** A strict object: keys outside `shape` are reported (after the problems of the known keys). */
export function object<S extends Shape>(shape: S): Parser<ObjectOut<S>> {
  return {
    shape,
    parse(v, out) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        out.push({ code: 'invalid_type', expected: 'object', input: v, path: [] });
        return undefined as never;
      }
      const o = v as Record<string, unknown>;
      const value: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(shape)) {
        if (p.optional && o[k] === undefined) continue;
        const from = out.length;
        value[k] = p.parse(o[k], out);
        prefix(out, from, k);
      }
      const unknownKeys = Object.keys(o).filter((k) => !Object.hasOwn(shape, k));
      if (unknownKeys.length) out.push({ code: 'unrecognized_keys', keys: unknownKeys, path: [] });
      return value as ObjectOut<S>;
    },
  };
}

/** A strict object whose keys may all be left out. */
export function partial<S extends Shape>(shape: S): Parser<{ [K in keyof S]?: Out<S[K]> }> {
  return object(Object.fromEntries(Object.entries(shape).map(([k, p]) => [k, optional(p)]))) as Parser<{
    [K in keyof S]?: Out<S[K]>;
  }>;
}

export function array<T>(element: Parser<T>): Parser<T[]> {
  return {
    element,
    parse(v, out) {
      if (!Array.isArray(v)) {
        out.push({ code: 'invalid_type', expected: 'array', input: v, path: [] });
        return undefined as never;
      }
      return v.map((item, i) => {
        const from = out.length;
        const r = element.parse(item, out);
        prefix(out, from, i);
        return r;
      });
    },
  };
}

/** Rewrites the value (a shorthand into its long form) before `inner` reads it. */
export function preprocess<T>(fn: (v: unknown) => unknown, inner: Parser<T>): Parser<T> {
  return { inner, parse: (v, out) => inner.parse(fn(v), out) };
}

/** Reports a problem at `path` (relative to the value being checked). */
export type ReportAt = (path: Array<string | number>, message: string, hint?: string) => void;

/**
 * A check across the fields of what `inner` read; it runs only when `inner` found no problem other than
 * unknown keys (so it sees well-formed values).
 */
export function refine<T>(inner: Parser<T>, test: (value: T, report: ReportAt) => void): Parser<T> {
  return {
    inner,
    parse(v, out) {
      const from = out.length;
      const value = inner.parse(v, out);
      for (let i = from; i < out.length; i++) if (out[i]!.code !== 'unrecognized_keys') return value;
      test(value, (path, message, hint) => out.push({ code: 'custom', message, ...(hint ? { hint } : {}), path }));
      return value;
    },
  };
}

function unwrap(p: Parser<unknown>): Parser<unknown> {
  while (p.inner) p = p.inner;
  return p;
}

/** The keys a strict object at `path` of `parser` accepts ([] when it is not an object). */
export function keysAt(parser: Parser<unknown>, path: ReadonlyArray<PropertyKey>): string[] {
  let p: Parser<unknown> | undefined = unwrap(parser);
  for (const seg of path) {
    p = p.shape ? p.shape[String(seg)] : p.element;
    if (!p) return [];
    p = unwrap(p);
  }
  return p.shape ? Object.keys(p.shape) : [];
}
