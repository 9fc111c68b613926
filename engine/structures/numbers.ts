// Redis 7.0's number <-> string conversions (util.c, object.c, t_string.c), exact.
// All inputs are byte strings (one char per byte). Integers follow string2ll's strict
// canonical form; floats follow glibc strtod/strtold plus Redis's extra checks;
// INCRBYFLOAT runs on a software x87 long double (see long-double.ts).

import {
  BINARY64,
  EXTENDED80,
  formatFixed,
  formatGeneral,
  formatHexExtended,
  hexToFormat,
  LD_ZERO,
  ldAdd,
  ldToNumber,
  newFloatSyntax,
  scanFloatSyntax,
  strtoFormat,
} from './long-double.ts'
import type { LongDouble } from './long-double.ts'

export type { LongDouble } from './long-double.ts'

export const INT64_MIN = -(2n ** 63n)
export const INT64_MAX = 2n ** 63n - 1n
/** Bytes needed for a long's text plus the terminator (server.h); string2ll rejects longer input. */
export const LONG_STR_SIZE = 21
/** Size of the buffer string2ld copies into (server.h MAX_LONG_DOUBLE_CHARS): input must be shorter. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024

/** string2llNumber's answer for a valid int64 whose magnitude exceeds Number.MAX_SAFE_INTEGER. */
export const NEEDS_BIGINT: unique symbol = Symbol('needs-bigint')
export type NeedsBigint = typeof NEEDS_BIGINT

const INT64_MAX_DIGITS = '9223372036854775807'
const INT64_MIN_DIGITS = '9223372036854775808'

/**
 * Fast path of util.c string2ll, allocation-free: returns the value as a JS number when
 * `s` is a canonical int64 within +-(2^53-1), null when string2ll would fail, and
 * NEEDS_BIGINT when it is a valid int64 too large for a safe number (call string2ll).
 *
 * Canonical means: nonempty, shorter than LONG_STR_SIZE, optional '-', no '+', no
 * spaces, no leading zeros except "0" itself ("-0" is rejected), within int64.
 */
export function string2llNumber(s: string): number | null | NeedsBigint {
  const len = s.length
  if (len === 0 || len >= LONG_STR_SIZE) return null
  let c = s.charCodeAt(0)
  let i = 0
  let neg = false
  if (c === 45) {
    if (len === 1) return null
    neg = true
    i = 1
    c = s.charCodeAt(1)
  } else if (c === 48) {
    return len === 1 ? 0 : null
  }
  if (c < 49 || c > 57) return null // first digit must be 1-9
  let v = c - 48
  for (i++; i < len; i++) {
    c = s.charCodeAt(i)
    if (c < 48 || c > 57) return null
    v = v * 10 + (c - 48)
  }
  // Every step is exact while the true value stays <= MAX_SAFE_INTEGER; once it passes
  // that, rounding is monotonic so v >= 2^53. The test below is therefore exact.
  if (v <= Number.MAX_SAFE_INTEGER) return neg ? -v : v
  const ndigits = neg ? len - 1 : len
  if (ndigits < 19) return NEEDS_BIGINT
  if (ndigits > 19) return null
  const limit = neg ? INT64_MIN_DIGITS : INT64_MAX_DIGITS
  const start = neg ? 1 : 0
  for (let k = 0; k < 19; k++) {
    const d = s.charCodeAt(start + k) - limit.charCodeAt(k)
    if (d < 0) return NEEDS_BIGINT
    if (d > 0) return null
  }
  return NEEDS_BIGINT // equal to the bound
}

/** util.c string2ll: the int64 `s` spells canonically, or null. */
export function string2ll(s: string): bigint | null {
  const r = string2llNumber(s)
  if (r === null) return null
  if (r === NEEDS_BIGINT) return BigInt(s)
  return BigInt(r)
}

/** util.c string2l: `long` is 64 bits on x86-64 Linux, so this is string2ll. */
export const string2l = string2ll

/** util.c ll2string: decimal text of an integer (-0 prints as "0"). */
export function ll2string(v: bigint | number): string {
  return typeof v === 'number' ? (v === 0 ? '0' : String(v)) : v.toString()
}

/**
 * The test object.c tryObjectEncoding (7.0) uses to turn a string value into the `int`
 * encoding: length <= 20 and string2l succeeds (so " 1", "01", "+1", "-0",
 * "9223372036854775808" stay strings). The caller still applies Redis's other conditions:
 * only raw/embstr objects that are not shared (refcount 1) are converted, and values
 * 0..9999 use the shared integers unless maxmemory with an LRU/LFU policy is set.
 */
export function isStringEncodableAsInt(s: string): boolean {
  return s.length <= 20 && string2llNumber(s) !== null
}

// ---------------------------------------------------------------------------------------
// Floating point

/**
 * util.c string2ld (getLongDoubleFromObject): strtold on the whole string, rejecting:
 * empty or >= MAX_LONG_DOUBLE_CHARS bytes, a leading isspace byte, anything left
 * unconsumed (trailing spaces, embedded NUL), ERANGE with a zero or infinite result
 * (decimal overflow, total underflow), and NaN. "inf"/"infinity" are accepted.
 */
export function string2ld(s: string): LongDouble | null {
  const len = s.length
  if (len === 0 || len >= MAX_LONG_DOUBLE_CHARS) return null
  const r = strtoFormat(s, EXTENDED80)
  if (!r.ok || r.rangeError || r.value.kind === 'nan') return null
  return r.value
}

const dSyntax = newFloatSyntax()
const DBL_MIN = 2.2250738585072014e-308

function string2dSlow(s: string): number | null {
  const r = strtoFormat(s, BINARY64)
  if (!r.ok || r.rangeError || r.value.kind === 'nan') return null
  return ldToNumber(r.value)
}

/**
 * util.c string2d (getDoubleFromObject, e.g. ZADD scores): strtod on the whole string with
 * the same rejections as string2ld but no length limit. Returns -0 for "-0", and
 * +-Infinity for "inf"/"-infinity" (but null for decimal overflow such as "1e400").
 */
export function string2d(s: string): number | null {
  const syn = scanFloatSyntax(s, dSyntax)
  switch (syn.kind) {
    case 'dec': {
      // The scanner accepted exactly strtod's decimal grammar, which Number() also parses,
      // correctly rounded like glibc in the normal range. Only the ERANGE cases and the
      // subnormal range (where glibc has a rounding quirk) need a separate look.
      const v = Number(s)
      if (v === Infinity || v === -Infinity) return null
      if (v === 0 && syn.nonzero) return null // true underflow: glibc's result is 0 too
      if (v !== 0 && v <= DBL_MIN && v >= -DBL_MIN) return string2dSlow(s)
      return v
    }
    case 'hex': {
      const digits =
        syn.point < 0
          ? s.slice(syn.mantStart, syn.mantEnd)
          : s.slice(syn.mantStart, syn.point) + s.slice(syn.point + 1, syn.mantEnd)
      const frac = syn.point < 0 ? 0 : syn.mantEnd - syn.point - 1
      const r = hexToFormat(syn.neg, digits, syn.exponent - 4 * frac, BINARY64)
      if (r.overflow || r.underflowToZero) return null
      return ldToNumber(r.value)
    }
    case 'inf':
      return syn.neg ? -Infinity : Infinity
    default:
      return null // no number, or NaN
  }
}

export type Ld2StringMode = 'auto' | 'human' | 'hex'

/**
 * util.c ld2string. 'human' (LD_STR_HUMAN, used by INCRBYFLOAT and HINCRBYFLOAT):
 * "%.17Lf", then trailing zeros and a trailing '.' removed, and "-0" turned into "0".
 * 'auto' (LD_STR_AUTO): "%.17Lg". 'hex' (LD_STR_HEX): "%La". Infinities print as
 * "inf"/"-inf"; NaN (which no 7.0 command passes in) as "nan".
 */
export function ld2string(v: LongDouble, mode: Ld2StringMode): string {
  if (v.kind === 'inf') return v.neg ? '-inf' : 'inf'
  if (v.kind === 'nan') return 'nan'
  if (mode === 'auto') return formatGeneral(v, 17)
  if (mode === 'hex') return formatHexExtended(v)
  let s = formatFixed(v, 17)
  // "%.17Lf" always has a point: strip zeros, then a bare point.
  let end = s.length
  while (s.charCodeAt(end - 1) === 48) end--
  if (s.charCodeAt(end - 1) === 46) end--
  s = s.slice(0, end)
  return s === '-0' ? '0' : s
}

/** ld2string(v, LD_STR_HUMAN). */
export function ld2stringHuman(v: LongDouble): string {
  return ld2string(v, 'human')
}

export type IncrByFloatResult =
  | { ok: true; value: string }
  | { ok: false; error: 'notfloat'; operand: 'current' | 'incr' }
  | { ok: false; error: 'nan-or-inf' }

/**
 * t_string.c incrbyfloatCommand's arithmetic: parse the stored value (null = missing key,
 * which counts as 0) and the increment with string2ld, add in long double, refuse NaN or
 * infinite results, format with LD_STR_HUMAN. The stored value is parsed first, matching
 * Redis; both failures reply "ERR value is not a valid float" (`operand` says which one
 * failed). An infinite increment is accepted here and only the sum is checked:
 * 'nan-or-inf' is "ERR increment would produce NaN or Infinity". A key holding an
 * int-encoded value parses identically from its text. HINCRBYFLOAT differs: see
 * hincrByFloat.
 */
export function incrByFloat(current: string | null, incr: string): IncrByFloatResult {
  let base: LongDouble | null = null
  if (current !== null) {
    base = string2ld(current)
    if (base === null) return { ok: false, error: 'notfloat', operand: 'current' }
  }
  const inc = string2ld(incr)
  if (inc === null) return { ok: false, error: 'notfloat', operand: 'incr' }
  const sum = ldAdd(base ?? LD_ZERO, inc)
  if (sum.kind !== 'finite') return { ok: false, error: 'nan-or-inf' }
  return { ok: true, value: ld2stringHuman(sum) }
}

export type HincrByFloatResult =
  | { ok: true; value: string }
  | { ok: false; error: 'notfloat' | 'incr-nan-or-inf' | 'hash-notfloat' | 'nan-or-inf' }

/**
 * t_hash.c hincrbyfloatCommand's arithmetic (7.0), in Redis's order:
 * 'notfloat' (increment unparsable: "ERR value is not a valid float") and
 * 'incr-nan-or-inf' (increment is +-inf: "ERR value is NaN or Infinity") depend only on
 * the increment and come before the key is even looked up (so before WRONGTYPE; call
 * with current=null first to get them); then 'hash-notfloat' (stored field unparsable:
 * "ERR hash value is not a float") and 'nan-or-inf' ("ERR increment would produce NaN or
 * Infinity"). current=null means the field does not exist (counts as 0). The result is
 * formatted like INCRBYFLOAT's (LD_STR_HUMAN).
 */
export function hincrByFloat(current: string | null, incr: string): HincrByFloatResult {
  const inc = string2ld(incr)
  if (inc === null) return { ok: false, error: 'notfloat' }
  if (inc.kind !== 'finite') return { ok: false, error: 'incr-nan-or-inf' }
  let base: LongDouble = LD_ZERO
  if (current !== null) {
    const b = string2ld(current)
    if (b === null) return { ok: false, error: 'hash-notfloat' }
    base = b
  }
  const sum = ldAdd(base, inc)
  if (sum.kind !== 'finite') return { ok: false, error: 'nan-or-inf' }
  return { ok: true, value: ld2stringHuman(sum) }
}
