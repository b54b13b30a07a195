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
