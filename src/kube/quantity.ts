/**
 * Kubernetes resource quantities, one definition: what a quantity string looks like, and how byte counts
 * and CPU cores are written as one (the shortest exact binary suffix; millicores).
 */

/** A Kubernetes resource quantity (`1Gi`, `500m`, `0.5`, `1e3`). */
const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

export function isQuantity(s: string): boolean {
  return QUANTITY.test(s);
}

const SUFFIX: Readonly<Record<string, number>> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/** The amount a quantity stands for (`500m` → 0.5, `1Gi` → 1073741824, `1e3` → 1000), or undefined. */
export function quantityValue(s: string): number | undefined {
  const m = QUANTITY.exec(s);
  if (!m) return undefined;
  const suffix = m[3] ?? '';
  return Number(m[1]) * (/^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : (SUFFIX[suffix] ?? 1));
}

const BINARY: ReadonlyArray<readonly [string, number]> = [
  ['Ti', 1024 ** 4],
  ['Gi', 1024 ** 3],
  ['Mi', 1024 ** 2],
  ['Ki', 1024],
];

/** Bytes → quantity: the largest binary suffix that divides exactly (`64Mi`, `1Gi`, `3Ki`), else plain bytes. */
export function bytesQuantity(bytes: number): string {
  const b = Math.round(bytes);
  for (const [unit, n] of BINARY) if (b > 0 && b % n === 0) return `${b / n}${unit}`;
  return String(b);
}

/** CPU cores → quantity: 0.5 → `500m`, 2 → `2`; at least `1m`. */
export function cpuQuantity(cores: number): string {
  const milli = Math.max(1, Math.round(cores * 1000));
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** True when `cores` is not a whole number of millicores, the finest CPU unit Kubernetes accepts. */
export function cpuRounded(cores: number | undefined): boolean {
  if (cores === undefined || !(cores > 0)) return false;
  const milli = cores * 1000;
  return Math.abs(milli - Math.round(milli)) > 1e-6 || Math.round(milli) < 1;
}
