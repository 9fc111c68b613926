// The filter box's pattern as a RegExp, with SCAN MATCH semantics (Redis's
// stringmatchlen, as engine/structures/glob.ts implements it). The page may not
// run engine code (eslint: only src/worker does), and filtering 100,000 names
// on every keystroke is quicker here than a trip through the worker, so the
// pattern is compiled once to a RegExp; glob.test.ts checks it agrees with the
// engine's matcher on random patterns and names.
//
// Quirks kept: `[` without `]` is a class to the end of the pattern; range
// bounds compare as signed C chars (bytes 0x80-0xff sort below 0x00); `\x` is a
// literal x, a trailing lone `\` a literal `\`; '' matches only the pattern ''.

type ClassItem = { lo: number; hi: number } | { c: number }

/** Byte as a signed C char (-128..127). */
function schar(c: number): number {
  return ((c & 0xff) << 24) >> 24
}

function charClass(bytes: (b: number) => boolean): string {
  let out = '['
  for (let b = 0; b < 256; b++) if (bytes(b)) out += '\\u' + b.toString(16).padStart(4, '0')
  // An empty class matches nothing: [^\s\S].
  return out === '[' ? '[^\\s\\S]' : out + ']'
}

function literal(c: number): string {
  return '\\u' + c.toString(16).padStart(4, '0')
}

export interface CompiledGlob {
  /** Matches a byte-string name the way SCAN MATCH would. */
  test(name: string): boolean
}

/** Compile a Redis glob (a byte string). '' and '*' match every key, as SCAN treats them. */
export function compileGlob(pattern: string): CompiledGlob {
  if (pattern === '' || pattern === '*') return { test: () => true }
  let re = '^'
  const end = pattern.length
  for (let i = 0; i < end; i++) {
    const pc = pattern.charCodeAt(i)
    if (pc === 42) {
      while (i + 1 < end && pattern.charCodeAt(i + 1) === 42) i++
      re += '[\\s\\S]*'
    } else if (pc === 63) {
      re += '[\\s\\S]'
    } else if (pc === 91) {
      i++
      const not = i < end && pattern.charCodeAt(i) === 94
      if (not) i++
      const items: ClassItem[] = []
      for (;;) {
        const left = end - i
        if (left === 0) {
          i--
          break
        }
        const c = pattern.charCodeAt(i)
        if (c === 92 && left >= 2) {
          i++
          items.push({ c: pattern.charCodeAt(i) })
        } else if (c === 93) {
          break
        } else if (left >= 3 && pattern.charCodeAt(i + 1) === 45) {
          const a = schar(c)
          const b = schar(pattern.charCodeAt(i + 2))
          items.push({ lo: Math.min(a, b), hi: Math.max(a, b) })
          i += 2
        } else {
          items.push({ c })
        }
        i++
      }
      re += charClass((byte) => {
        const s = schar(byte)
        const hit = items.some((it) => ('c' in it ? it.c === byte : s >= it.lo && s <= it.hi))
        return not ? !hit : hit
      })
    } else {
      if (pc === 92 && end - i >= 2) i++
      re += literal(pattern.charCodeAt(i))
    }
  }
  const rx = new RegExp(re + '$')
  // stringmatchlen never enters its loop for an empty name: only '' matches it.
  return { test: (name) => name !== '' && rx.test(name) }
}
