// Splitting a typed line into arguments the way redis-cli does (sds.c sdssplitargs),
// and redis-cli's leading repeat count ("3 INCR x", repl() in redis-cli.c).

/** UTF-16 text -> UTF-8 byte string (one char per byte). Lone surrogates become U+FFFD. */
export function utf8Bytes(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let s = ''
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192))
  return s
}

/** UTF-8 byte string -> text for display (invalid sequences become U+FFFD). */
export function utf8Text(bytes: string): string {
  const b = new Uint8Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) b[i] = bytes.charCodeAt(i) & 0xff
  return new TextDecoder().decode(b)
}

/** C isspace() in the C locale. */
export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r'
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c)
}

/**
 * sdssplitargs on the UTF-8 bytes of `line`. Returns the arguments as byte strings, or
 * null when quotes are unbalanced or a closing quote is not followed by a space (redis-cli
 * then prints "Invalid argument(s)"). An empty or blank line gives [].
 * Inside "double quotes": \xHH, \n \r \t \b \a and \<any char>; inside 'single quotes'
 * only \' is an escape. A quote may open in the middle of a word (a"b c" -> `ab c`).
 */
export function splitArgs(line: string): string[] | null {
  let s = utf8Bytes(line)
  // The C string ends at the first NUL.
  const nul = s.indexOf('\0')
  if (nul >= 0) s = s.slice(0, nul)
  const out: string[] = []
  let p = 0
  const at = (i: number): string | undefined => (i < s.length ? s[i] : undefined)
  while (true) {
    while (p < s.length && isSpace(s[p])) p++
    if (p >= s.length) return out
    let inq = false
    let insq = false
    let done = false
    let cur = ''
    while (!done) {
      const c = at(p)
      if (inq) {
        if (c === '\\' && at(p + 1) === 'x' && isHex(at(p + 2)) && isHex(at(p + 3))) {
          cur += String.fromCharCode(parseInt(s.slice(p + 2, p + 4), 16))
          p += 3
        } else if (c === '\\' && at(p + 1) !== undefined) {
          p++
          const e = s[p]!
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e
        } else if (c === '"') {
          // A closing quote must be followed by a space or the end of the line.
          if (at(p + 1) !== undefined && !isSpace(at(p + 1))) return null
          done = true
        } else if (c === undefined) {
          return null
        } else {
          cur += c
        }
      } else if (insq) {
        if (c === '\\' && at(p + 1) === "'") {
          p++
          cur += "'"
        } else if (c === "'") {
          if (at(p + 1) !== undefined && !isSpace(at(p + 1))) return null
          done = true
        } else if (c === undefined) {
          return null
        } else {
          cur += c
        }
      } else {
        switch (c) {
          case ' ': case '\n': case '\r': case '\t': case undefined:
            done = true
            break
          case '"': inq = true; break
          case "'": insq = true; break
          default: cur += c
        }
      }
      if (p < s.length) p++
    }
    out.push(cur)
  }
}

export type RepeatResult =
  | { ok: true; repeat: number; args: string[] }
  | { ok: false; error: string }

export const INVALID_REPEAT = 'Invalid redis-cli repeat command option value.'

const LONG_MAX = 9223372036854775807n
const LONG_MIN = -9223372036854775808n

/**
 * redis-cli's repeat prefix: when there are at least two arguments and the whole first
 * one parses with strtol(…, 10) (leading spaces and a sign allowed; the C string ends at a
 * NUL byte; an empty string parses as 0, a blank one does not parse), it is a repeat count and is dropped. Counts
 * <= 0 or out of the C long range give { ok: false, error: INVALID_REPEAT } (redis-cli
 * prints that line and runs nothing). Otherwise repeat = 1 and args are unchanged.
 * `repeat` may be huge (redis-cli would loop that many times).
 */
export function parseRepeat(args: readonly string[]): RepeatResult {
  if (args.length > 1) {
    let a = args[0]!
    const nul = a.indexOf('\0')
    if (nul >= 0) a = a.slice(0, nul)
    const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(a)
    if (m || a === '') {
      const n = m ? BigInt(m[1] + m[2]) : 0n
      if (n > LONG_MAX || n < LONG_MIN || n <= 0n) return { ok: false, error: INVALID_REPEAT }
      return { ok: true, repeat: Number(n), args: args.slice(1) }
    }
  }
  return { ok: true, repeat: 1, args: [...args] }
}
