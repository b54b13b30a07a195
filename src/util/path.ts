/**
 * POSIX path helpers for the core (no `node:path`, so the core runs in a browser).
 * Paths inside the core are absolute, `/`-separated.
 */

export function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

export function normalize(p: string): string {
  const abs = isAbsolute(p);
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const body = out.join('/');
  if (abs) return '/' + body;
  return body || '.';
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== '').join('/'));
}

/** Resolve `p` against `base` (an absolute directory) unless `p` is already absolute. */
export function resolve(base: string, p: string): string {
  return normalize(isAbsolute(p) ? p : `${base}/${p}`);
}

export function dirname(p: string): string {
  const n = normalize(p);
  const i = n.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return n.slice(0, i);
}

export function basename(p: string): string {
  const n = normalize(p);
  const i = n.lastIndexOf('/');
  return i < 0 ? n : n.slice(i + 1);
}

/** Relative path from directory `from` to `to` (both absolute). */
export function relative(from: string, to: string): string {
  const a = normalize(from).split('/').filter(Boolean);
  const b = normalize(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => '..');
  return [...up, ...b.slice(i)].join('/') || '.';
}

/** Is `p` the directory `dir` or inside it? */
export function isInside(dir: string, p: string): boolean {
  return p === dir || p.startsWith(dir + '/');
}

/** A path as the compose file's reader knows it: `./x` inside the project directory `wd`, else as it is. */
export function shownPath(wd: string, p: string): string {
  return isInside(wd, p) ? './' + relative(wd, p) : p;
}
