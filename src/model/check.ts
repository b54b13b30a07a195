/**
 * A small structural validator for the Compose Spec schema (src/model/schema*.ts): strings, numbers,
 * booleans, null, enums, lists, string-keyed maps, strict objects, unions, optional and nullable values.
 * Schemas are plain data built by functions on first use (no start-up cost, nothing tree-shaken in), and
 * `check` walks a value once, returning the problems as issues relative to that value:
 *
 * - `invalid_type` (`expected`: string, number, boolean, null, object, record, array),
 * - `invalid_value` (`values`: an enum's values),
 * - `unrecognized_keys` (keys of a strict object outside its shape, one issue per object, after the
 *   issues of its known keys; it does not stop an enclosing union from choosing that branch),
 * - `invalid_union` (`errors`: the issues of every branch, relative to the union's value) — unless exactly
 *   one branch failed only on unknown keys, whose issues are then the union's own.
 *
 * These are the rules zod 4 applied when the schema was written with it, so messages built on the issues
 * (src/load/normalize/issues.ts) read the same.
 */
import { isMap } from '../util/object.js';

/** Keys and list indexes from the checked value down to the problem. */
export type IssuePath = Array<string | number>;

export type Issue =
  | { code: 'invalid_type'; expected: string; path: IssuePath }
  | { code: 'invalid_value'; values: readonly unknown[]; path: IssuePath }
  | { code: 'unrecognized_keys'; keys: string[]; path: IssuePath }
  | { code: 'invalid_union'; errors: Issue[][]; path: IssuePath };

export type Def =
  | { readonly type: 'string' | 'number' | 'boolean' | 'null' | 'unknown' }
  | { readonly type: 'enum'; readonly values: readonly unknown[] }
  | { readonly type: 'array' | 'record' | 'optional' | 'nullable'; readonly inner: Schema<unknown> }
  | { readonly type: 'object'; readonly shape: Readonly<Record<string, Schema<unknown>>> }
  | { readonly type: 'union'; readonly options: ReadonlyArray<Schema<unknown>> };

/** A schema whose valid values have type `T` (`T` is only a type-level tag). */
export class Schema<T> {
  declare readonly _out: T;
  constructor(readonly def: Def) {}
  optional(): Optional<T> {
    return new Schema({ type: 'optional', inner: this }) as Optional<T>;
  }
  nullable(): Schema<T | null> {
    return new Schema({ type: 'nullable', inner: this });
  }
}

/** Marks a key of an object shape that may be left out. */
export type Optional<T> = Schema<T | undefined> & { readonly _optional: true };

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { _optional: true } ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] };
export type InferShape<S extends Shape> = Flat<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

export const string = (): Schema<string> => new Schema({ type: 'string' });
export const number = (): Schema<number> => new Schema({ type: 'number' });
export const boolean = (): Schema<boolean> => new Schema({ type: 'boolean' });
export const nil = (): Schema<null> => new Schema({ type: 'null' });
export const unknown = (): Schema<unknown> => new Schema({ type: 'unknown' });
export const enumOf = <const V extends readonly string[]>(values: V): Schema<V[number]> =>
  new Schema({ type: 'enum', values });
export const array = <T>(inner: Schema<T>): Schema<T[]> => new Schema({ type: 'array', inner });
/** A map with string keys (a user map: no key is unknown). */
export const record = <T>(inner: Schema<T>): Schema<Record<string, T>> => new Schema({ type: 'record', inner });
/** A strict object: keys outside `shape` are reported. */
export const object = <S extends Shape>(shape: S): Schema<InferShape<S>> => new Schema({ type: 'object', shape });
/** `shape` with `.optional()` on each schema: every key may be left out. */
export function optionalKeys<S extends Shape>(shape: S): { [K in keyof S]: Optional<Infer<S[K]>> } {
  const out: Shape = {};
  for (const k of Object.keys(shape)) out[k] = shape[k]!.optional();
  return out as { [K in keyof S]: Optional<Infer<S[K]>> };
}
/** A strict object whose keys may all be left out (`object` of `optionalKeys`). */
export const partial = <S extends Shape>(shape: S): Schema<InferShape<{ [K in keyof S]: Optional<Infer<S[K]>> }>> =>
  object(optionalKeys(shape));
export const union = <const O extends ReadonlyArray<Schema<unknown>>>(options: O): Schema<Infer<O[number]>> =>
  new Schema({ type: 'union', options });

/** Adds `key` in front of the paths of `out[from..]` (issues of a child value). */
function prefix(out: Issue[], from: number, key: string | number): void {
  for (let i = from; i < out.length; i++) out[i]!.path.unshift(key);
}

/** Whether a failed branch's issues are only unknown keys (zod's "not aborted"). */
function onlyUnknownKeys(issues: readonly Issue[]): boolean {
  return issues.every((i) => i.code === 'unrecognized_keys');
}

/** Checks `v` against `s`, appending issues relative to `v` to `out`. */
export function check(s: Schema<unknown>, v: unknown, out: Issue[]): void {
  const d = s.def;
  switch (d.type) {
    case 'unknown':
      return;
    case 'string':
    case 'boolean':
      if (typeof v !== d.type) out.push({ code: 'invalid_type', expected: d.type, path: [] });
      return;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v))
        out.push({ code: 'invalid_type', expected: 'number', path: [] });
      return;
    case 'null':
      if (v !== null) out.push({ code: 'invalid_type', expected: 'null', path: [] });
      return;
    case 'enum':
      if (!d.values.includes(v)) out.push({ code: 'invalid_value', values: d.values, path: [] });
      return;
    case 'optional':
      if (v !== undefined) check(d.inner, v, out);
      return;
    case 'nullable':
      if (v !== null) check(d.inner, v, out);
      return;
    case 'array':
      if (!Array.isArray(v)) {
        out.push({ code: 'invalid_type', expected: 'array', path: [] });
        return;
      }
      for (let i = 0; i < v.length; i++) {
        const from = out.length;
        check(d.inner, v[i], out);
        prefix(out, from, i);
      }
      return;
    case 'record':
      if (!isMap(v)) {
        out.push({ code: 'invalid_type', expected: 'record', path: [] });
        return;
      }
      for (const k of Object.keys(v)) {
        if (k === '__proto__') continue;
        const from = out.length;
        check(d.inner, v[k], out);
        prefix(out, from, k);
      }
      return;
    case 'object': {
      if (!isMap(v)) {
        out.push({ code: 'invalid_type', expected: 'object', path: [] });
        return;
      }
      for (const k of Object.keys(d.shape)) {
        const from = out.length;
        check(d.shape[k]!, v[k], out);
        prefix(out, from, k);
      }
      const unknownKeys = Object.keys(v).filter((k) => !Object.hasOwn(d.shape, k));
      if (unknownKeys.length) out.push({ code: 'unrecognized_keys', keys: unknownKeys, path: [] });
      return;
    }
    case 'union': {
      const errors: Issue[][] = [];
      for (const o of d.options) {
        const sub: Issue[] = [];
        check(o, v, sub);
        if (sub.length === 0) return;
        errors.push(sub);
      }
      const soft = errors.filter(onlyUnknownKeys);
      if (soft.length === 1) out.push(...soft[0]!);
      else out.push({ code: 'invalid_union', errors, path: [] });
      return;
    }
  }
}
