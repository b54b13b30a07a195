/**
 * Comment lines of a config file, one rule for every reader of such files (secret detection, the hard-coded-IP
 * lint): a line whose first non-blank characters are `#` (shell, YAML, INI, nginx), `;` (INI) or `//`.
 */
const COMMENT_LINE = /^\s*(#|;|\/\/)/;

/** Is `line` a comment line? */
export function isCommentLine(line: string): boolean {
  return COMMENT_LINE.test(line);
}

/** `text` without its comment lines (`#resolver 1.1.1.1;` names no address the file uses). */
export function withoutCommentLines(text: string): string {
  return text
    .split('\n')
    .filter((l) => !isCommentLine(l))
    .join('\n');
}

/**
 * The first `max` of `names` (in their order) other than `self`, and how many more: `a, b, c and 4 more`. `self`,
 * when given, is one of `names`. A list of peers in every peer's entry would otherwise grow the report, and the
 * time to write it, with the square of their number; this costs `max` steps, not the list's length.
 */
export function fewNames(names: readonly string[], max: number, self?: string): string {
  const shown: string[] = [];
  for (let i = 0; i < names.length && shown.length < max; i++) if (names[i] !== self) shown.push(names[i]!);
  const more = names.length - (self !== undefined ? 1 : 0) - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
