// Redis compares option words with strcasecmp on the argument's buffer, which
// stops at the first NUL byte and folds only A-Z: "count\0x" is COUNT. Errors
// that print an argument with %s also stop at the NUL.

/** The argument as a C string: everything before the first NUL byte. */
export function cstr(arg: string): string {
  const nul = arg.indexOf('\0')
  return nul === -1 ? arg : arg.slice(0, nul)
}

/** strcasecmp(arg, word) == 0, for a lowercase ASCII `word`. */
export function optEq(arg: string, word: string): boolean {
  const a = cstr(arg)
  if (a.length !== word.length) return false
  for (let i = 0; i < a.length; i++) {
    let ch = a.charCodeAt(i)
    if (ch >= 65 && ch <= 90) ch += 32
    if (ch !== word.charCodeAt(i)) return false
  }
  return true
}

/** strcasecmp(a, b) == 0 for two arbitrary byte strings. */
export function cstrCaseEq(a: string, b: string): boolean {
  const x = cstr(a)
  const y = cstr(b)
  if (x.length !== y.length) return false
  for (let i = 0; i < x.length; i++) {
    let p = x.charCodeAt(i)
    let q = y.charCodeAt(i)
    if (p >= 65 && p <= 90) p += 32
    if (q >= 65 && q <= 90) q += 32
    if (p !== q) return false
  }
  return true
}
