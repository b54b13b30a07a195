/**
 * Shared state of one normalization run and the scalar conversions every part uses. Conversions report
 * a diagnostic at the value's position and return `undefined` when the value cannot be read.
 */
import type { SourcePositions } from '../../model/positions.js';
import { type InterpolatedPart, type Segment } from '../../model/pointer.js';
import type { Diagnostics, SourcePos } from '../../report/diagnostic.js';
import type { DiagnosticId } from '../../report/codes.js';
import type { MessageValues } from '../../report/entry.js';
import { parseBytes, parseDuration } from './units.js';

export interface NormalizeOptions {
  /** Absolute project directory; relative host paths resolve against it. */
  workingDir: string;
  /** For `~` in bind paths. */
  home?: string;
  /** Positions of the merged tree (pointer → pos), for error positions. */
  sources: SourcePositions;
  diags: Diagnostics;
  /** Value for key-only `environment`/build `args` entries; `undefined` drops the key. */
  lookupEnv?: (name: string) => string | undefined;
  /**
   * Told of a key-only `environment` entry that took its value from the environment (`- DB_PASS`, `DB_PASS:`), with
   * the entry's position and its pieces: the value is that variable's, as `DB_PASS=${DB_PASS}` would make it.
   */
  passedThrough?: (pos: SourcePos, parts: readonly InterpolatedPart[]) => void;
}

export type Path = Segment[];

export class Ctx {
  constructor(readonly opts: NormalizeOptions) {}

  pos(path: Path): SourcePos | undefined {
    return this.opts.sources.at(...path);
  }

  error(id: DiagnosticId, values: MessageValues, path: Path): void {
    this.opts.diags.error(id, values, this.pos(path));
  }

  warn(id: DiagnosticId, values: MessageValues, path: Path): void {
    this.opts.diags.warn(id, values, this.pos(path));
  }

  info(id: DiagnosticId, values: MessageValues, path: Path): void {
    this.opts.diags.info(id, values, this.pos(path));
  }

  /** An error about the value at `path`, named first in its values (`where`), at its position. */
  errorAt(id: DiagnosticId, path: Path, values: MessageValues = {}): void {
    this.error(id, { where: where(path), ...values }, path);
  }

  /** A warning about the value at `path`, named first in its values (`where`), at its position. */
  warnAt(id: DiagnosticId, path: Path, values: MessageValues = {}): void {
    this.warn(id, { where: where(path), ...values }, path);
  }
}

/**
 * How each key of a model object `T` is made from the raw value `R` of that key (`undefined` for a key `R` has not)
 * and its path.
 */
export type Conversions<R, T> = {
  [K in keyof T]-?: (ctx: Ctx, v: K extends keyof R ? R[K] : undefined, path: Path) => T[K];
};

/** The model object `conversions` make of `raw` at `path`: its keys in their order, those made `undefined` left out. */
export function convertKeys<R extends object, T>(ctx: Ctx, raw: R, path: Path, conversions: Conversions<R, T>): T {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(conversions) as Array<[string, (c: Ctx, v: unknown, p: Path) => unknown]>) {
    const v = f(ctx, (raw as Record<string, unknown>)[k], [...path, k]);
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** A value kept as written. */
export const asIs = <V>(_: Ctx, v: V): V => v;

export function where(path: Path): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : p))
    .join('.')
    .replace(/\.\[/g, '[');
}

/** Go's strconv.ParseBool spellings. */
const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);
/**
 * YAML 1.1 spellings, which YAML 1.2 reads as strings: compose-go's interpolation casts
 * (loader/interpolate.go `toBoolean`) still take them, case-insensitively, with a warning.
 */
const YAML11: Record<string, boolean> = { y: true, yes: true, on: true, n: false, no: false, off: false };

export function toBool(ctx: Ctx, v: boolean | string | undefined, path: Path): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  if (TRUE.has(v.trim())) return true;
  if (FALSE.has(v.trim())) return false;
  const old = YAML11[v.trim().toLowerCase()];
  if (old !== undefined) {
    ctx.warnAt('yaml11-boolean', path, { value: v, old });
    return old;
  }
  ctx.errorAt('invalid-type.boolean', path, { value: v });
  return undefined;
}

export function toNumber(ctx: Ctx, v: number | string | undefined, path: Path): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  const n = v.trim() === '' ? NaN : Number(v);
  if (Number.isFinite(n)) return n;
  ctx.errorAt('invalid-type.number', path, { value: v });
  return undefined;
}

export function toInt(ctx: Ctx, v: number | string | undefined, path: Path): number | undefined {
  const n = toNumber(ctx, v, path);
  if (n === undefined || Number.isInteger(n)) return n;
  ctx.errorAt('invalid-type.integer', path, { value: n });
  return undefined;
}

export function toDuration(ctx: Ctx, v: number | string | undefined, path: Path): number | undefined {
  if (v === undefined) return undefined;
  const ms = parseDuration(v);
  if (ms !== undefined) return ms;
  ctx.errorAt('invalid-duration', path, { value: v });
  return undefined;
}

export function toBytes(ctx: Ctx, v: number | string | undefined, path: Path): number | undefined {
  if (v === undefined) return undefined;
  const b = parseBytes(v);
  if (b !== undefined) return b;
  ctx.errorAt('invalid-bytes', path, { value: v });
  return undefined;
}

/** File modes: numbers as given (YAML may already have read `0440` as octal), strings as octal. */
export function toMode(ctx: Ctx, v: number | string | undefined, path: Path): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  const s = v.trim().replace(/^0o/i, '');
  if (/^[0-7]+$/.test(s)) return parseInt(s, 8);
  ctx.errorAt('invalid-value.mode', path, { value: v });
  return undefined;
}
