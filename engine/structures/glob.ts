// Glob matching with Redis 7.0.15's exact semantics (util.c, stringmatchlen /
// stringmatchlen_impl), used by KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET, ...
//
// Syntax: `*` any run of bytes, `?` one byte, `[abc]` a class, `[^abc]` a
// negated class, `[a-z]` ranges (reversed ranges like `[z-a]` are swapped),
// `\x` a literal x (inside classes too). Quirks kept on purpose:
// - a trailing lone `\` matches a literal `\`;
// - a `[` with no closing `]` runs to the end of the pattern as a class;
// - range bounds compare as C `char`, which is signed on the platforms Redis
//   ships for, so bytes 0x80-0xff sort below 0x00 inside `[a-b]` ranges;
// - nocase folds only A-Z (C locale `tolower`);
// - the empty string matches only the empty pattern: globMatch('*', '') is
//   false. KEYS and SCAN answer a bare `*` without calling the matcher, so
//   callers must short-circuit that pattern themselves to agree with Redis.
//
// Backtracking `*` is cut short the way Redis does it: once the rest of the
// pattern after a `*` failed to match at every later position, no earlier `*`
// can succeed by eating more, so the whole search gives up (skipLongerMatches);
// and recursion deeper than 1000 stars answers "no match" (7.0.10+ guard
// against abusive patterns).

const STAR = 42 // *
const QUESTION = 63 // ?
const LBRACKET = 91 // [
const RBRACKET = 93 // ]
const BACKSLASH = 92 // \
const CARET = 94 // ^
const DASH = 45 // -

const MAX_NESTING = 1000

// Shared across one top-level match, like the int* Redis passes down.
let skipLongerMatches = false

// C tolower in the "C" locale on a char value.
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c
}

// Byte as a signed C char (-128..127).
function schar(c: number): number {
  return ((c & 0xff) << 24) >> 24
}

function matchImpl(
  p: string, pi: number, pend: number,
  s: string, si: number, send: number,
  nocase: boolean, nesting: number,
): boolean {
  if (nesting > MAX_NESTING) return false

  while (pi < pend && si < send) {
    const pc = p.charCodeAt(pi)
    switch (pc) {
      case STAR: {
        // Collapse a run of stars; a final star matches whatever is left.
        while (pi + 1 < pend && p.charCodeAt(pi + 1) === STAR) pi++
        if (pi + 1 === pend) return true
        while (si < send) {
          if (matchImpl(p, pi + 1, pend, s, si, send, nocase, nesting + 1)) return true
          if (skipLongerMatches) return false
          si++
        }
        // The tail matched nowhere in the remaining string, so no outer star
        // can help by consuming more: tell every caller to stop trying.
        skipLongerMatches = true
        return false
      }
      case QUESTION:
        si++
        break
      case LBRACKET: {
        pi++
        const not = pi < pend && p.charCodeAt(pi) === CARET
        if (not) pi++
        let match = false
        const sc = s.charCodeAt(si)
        for (;;) {
          const left = pend - pi
          const c = left > 0 ? p.charCodeAt(pi) : -1
          if (c === BACKSLASH && left >= 2) {
            pi++
            if (p.charCodeAt(pi) === sc) match = true
          } else if (c === RBRACKET) {
            break
          } else if (left === 0) {
            // No closing bracket: step back so the shared advance below
            // lands exactly on the end of the pattern.
            pi--
            break
          } else if (left >= 3 && p.charCodeAt(pi + 1) === DASH) {
            let start = schar(c)
            let end = schar(p.charCodeAt(pi + 2))
            let ch = schar(sc)
            if (start > end) {
              const t = start
              start = end
              end = t
            }
            if (nocase) {
              start = lower(start)
              end = lower(end)
              ch = lower(ch)
            }
            pi += 2
            if (ch >= start && ch <= end) match = true
          } else if (!nocase) {
            if (c === sc) match = true
          } else if (lower(c) === lower(sc)) {
            match = true
          }
          pi++
        }
        if (not) match = !match
        if (!match) return false
        si++
        break
      }
      default: {
        // An escape takes the next byte literally; a trailing `\` is itself.
        if (pc === BACKSLASH && pend - pi >= 2) pi++
        const lit = p.charCodeAt(pi)
        const sc = s.charCodeAt(si)
        if (nocase ? lower(lit) !== lower(sc) : lit !== sc) return false
        si++
        break
      }
    }
    pi++
    if (si === send) {
      // String used up: trailing stars may still match the empty rest.
      while (pi < pend && p.charCodeAt(pi) === STAR) pi++
      break
    }
  }
  return pi === pend && si === send
}

/**
 * Redis glob match of a byte string (stringmatchlen). `globMatch('*', '')` is
 * false, as in Redis; KEYS/SCAN treat a bare `*` as "everything" before
 * calling this.
 */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  skipLongerMatches = false
  return matchImpl(pattern, 0, pattern.length, str, 0, str.length, nocase, 0)
}
