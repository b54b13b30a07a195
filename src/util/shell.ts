/** A POSIX shell word for `s`: as is when it holds only safe characters, else single-quoted. */
export function shQuote(s: string): string {
  return /^[-\w./:=@,+%]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
