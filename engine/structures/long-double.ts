// Software model of x86-64 `long double` (the 80-bit x87 extended format: 64-bit
// significand with an explicit integer bit, 15-bit exponent) plus the pieces of glibc
// that Redis 7.0 leans on for INCRBYFLOAT / HINCRBYFLOAT: strtold (correctly rounded,
// decimal and hex, inf/nan), round-to-nearest-even addition, and printf's %.17Lf,
// %.17Lg and %La. Everything is exact: values are kept as sign * mant * 2^exp with
// BigInt significands, and every rounding is round-half-even, like the hardware in its
// default mode and glibc's printf/strtod.
//
// The same rounding core is parameterised by a BinaryFormat so it also serves IEEE
// binary64 (strtod's hex floats, long double -> double conversion).

/** A binary floating-point format: significand precision and normal exponent range. */
export interface BinaryFormat {
  /** Significand bits, including the leading (integer) bit. */
  readonly precision: number
  /** Exponent of the smallest normal number: 2^minExp. */
  readonly minExp: number
  /** Exponent of the largest finite binade: values below 2^(maxExp+1). */
  readonly maxExp: number
}

/** x87 80-bit extended precision (what `long double` is on x86-64 Linux). */
export const EXTENDED80: BinaryFormat = { precision: 64, minExp: -16382, maxExp: 16383 }
/** IEEE 754 binary64 (`double`). */
export const BINARY64: BinaryFormat = { precision: 53, minExp: -1022, maxExp: 1023 }

export type FloatKind = 'finite' | 'inf' | 'nan'

/**
 * An exact binary floating-point value: (-1)^neg * mant * 2^exp when finite.
 * Finite values produced by this module are canonical for their format: zero is
 * mant 0n / exp 0; normal numbers have exactly `precision` significant bits; subnormals
 * have fewer bits and exp = minExp - precision + 1.
 */
export interface LongDouble {
  readonly kind: FloatKind
  readonly neg: boolean
  readonly mant: bigint
  readonly exp: number
}

/** Result of rounding an exact value into a format. */
export interface Rounded {
  readonly value: LongDouble
  /** The exact value was nonzero but rounded to zero (strtod sets ERANGE and returns 0). */
  readonly underflowToZero: boolean
  /** The exact value was finite but rounded to infinity (ERANGE, HUGE_VAL). */
  readonly overflow: boolean
}

export const LD_ZERO: LongDouble = Object.freeze({ kind: 'finite', neg: false, mant: 0n, exp: 0 })
export const LD_NEG_ZERO: LongDouble = Object.freeze({ kind: 'finite', neg: true, mant: 0n, exp: 0 })
export const LD_INF: LongDouble = Object.freeze({ kind: 'inf', neg: false, mant: 0n, exp: 0 })
export const LD_NEG_INF: LongDouble = Object.freeze({ kind: 'inf', neg: true, mant: 0n, exp: 0 })
export const LD_NAN: LongDouble = Object.freeze({ kind: 'nan', neg: false, mant: 0n, exp: 0 })

const zeroOf = (neg: boolean): LongDouble => (neg ? LD_NEG_ZERO : LD_ZERO)
const infOf = (neg: boolean): LongDouble => (neg ? LD_NEG_INF : LD_INF)
const finite = (neg: boolean, mant: bigint, exp: number): LongDouble => ({ kind: 'finite', neg, mant, exp })

/** Number of significant bits of a non-negative BigInt (0 for 0n). */
export function bitLength(n: bigint): number {
  if (n === 0n) return 0
  // Small values: a double holds them exactly enough for Math.clz32 on the top word.
  if (n < 0x100000000n) return 32 - Math.clz32(Number(n))
  const hex = n.toString(16)
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)))
}

/**
 * Round the exact value (-1)^neg * (n + tail) * 2^e into `fmt`, half to even.
 * `sticky` says a nonzero tail in (0, 1) exists below the last bit of n; callers that pass
 * sticky=true must give n at least precision+2 bits so the tail never sits at or above
 * the rounding position.
 *
 * `glibcSubnormal` reproduces glibc's strtod/strtold (round_and_return in strtod_l.c, as
 * shipped with Debian 12's glibc 2.36): when the result is subnormal, the bit just below
 * the full-precision significand (the normal-range rounding bit) is left out of the
 * rounding decision. A value whose only bit below the subnormal half-way point is that
 * one is therefore taken for an exact tie and rounded to even. Hardware arithmetic and
 * conversions do not have this quirk.
 */
export function roundToFormat(
  neg: boolean,
  n: bigint,
  e: number,
  sticky: boolean,
  fmt: BinaryFormat,
  glibcSubnormal = false,
): Rounded {
  if (n === 0n) return { value: zeroOf(neg), underflowToZero: sticky, overflow: false }
  const p = fmt.precision
  const minUnit = fmt.minExp - p + 1
  const maxUnit = fmt.maxExp - p + 1
  const bl = bitLength(n)
  // Exponent of the last significand bit the result can keep.
  let unit = e + bl - p
  if (unit < minUnit) {
    if (glibcSubnormal) {
      const dropped = unit - 1 - e // index in n of the normal-precision rounding bit
      if (dropped >= 0) n &= ~(1n << BigInt(dropped))
    }
    unit = minUnit
  }
  let q: bigint
  if (unit <= e) {
    if (sticky) throw new Error('roundToFormat: sticky tail needs more guard bits')
    q = n << BigInt(e - unit)
  } else {
    const shift = BigInt(unit - e)
    q = n >> shift
    const rem = n - (q << shift)
    const half = 1n << (shift - 1n)
    if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) {
      q += 1n
      if (q === 1n << BigInt(p)) {
        q >>= 1n
        unit += 1
      }
    }
  }
  if (q === 0n) return { value: zeroOf(neg), underflowToZero: true, overflow: false }
  if (unit > maxUnit) return { value: infOf(neg), underflowToZero: false, overflow: true }
  return { value: finite(neg, q, unit), underflowToZero: false, overflow: false }
}

// ---------------------------------------------------------------------------------------
// Parsing (glibc strtold / strtod subject syntax)

const isDigit = (c: number): boolean => c >= 48 && c <= 57
const isHexDigit = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c)

/** Case-insensitive match of an ASCII lowercase word at position i. */
function matchWordCI(s: string, i: number, word: string): boolean {
  if (i + word.length > s.length) return false
  for (let k = 0; k < word.length; k++) {
    if (lower(s.charCodeAt(i + k)) !== word.charCodeAt(k)) return false
  }
  return true
}

/** Exponents are saturated here: anything beyond this is over/underflow for every format. */
const EXP_SATURATION = 1_000_000_000

/**
 * Scan of a whole string as one strtod subject (no leading whitespace, nothing after).
 * kind 'none' means the string is not exactly one number.
 */
export interface FloatSyntax {
  kind: 'none' | 'dec' | 'hex' | 'inf' | 'nan'
  neg: boolean
  /** Index of the first mantissa character (after sign and 0x). */
  mantStart: number
  /** Index just past the mantissa (digits and point). */
  mantEnd: number
  /** Index of the radix point inside the mantissa, or -1. */
  point: number
  /** Whether any mantissa digit is nonzero. */
  nonzero: boolean
  /** Explicit exponent (decimal e / binary p), saturated at +-1e9. */
  exponent: number
}

/**
 * Recognise `s` as exactly one strtold/strtod subject sequence, glibc C-locale grammar:
 * [+-] then decimal digits with optional '.', optional e[+-]digits; or 0x/0X hex digits
 * with optional '.', optional p[+-]digits; or "inf"/"infinity"; or "nan"/"nan(chars)",
 * all case-insensitive. Leading whitespace is not accepted (Redis rejects it anyway), and
 * the whole string must be consumed, which is what Redis checks with the end pointer.
 * Writes into `out` to stay allocation-free on hot paths.
 */
export function scanFloatSyntax(s: string, out: FloatSyntax): FloatSyntax {
  out.kind = 'none'
  out.neg = false
  out.mantStart = 0
  out.mantEnd = 0
  out.point = -1
  out.nonzero = false
  out.exponent = 0
  const len = s.length
  let i = 0
  if (len === 0) return out
  let c = s.charCodeAt(0)
  if (c === 43 || c === 45) {
    out.neg = c === 45
    i = 1
    if (i >= len) return out
    c = s.charCodeAt(i)
  }
  // inf / infinity / nan[(n-char-sequence)]
  const lc = lower(c)
  if (lc === 105) {
    if (!matchWordCI(s, i, 'inf')) return out
    let end = i + 3
    if (matchWordCI(s, end, 'inity')) end += 5
    if (end === len) out.kind = 'inf'
    return out
  }
  if (lc === 110) {
    if (!matchWordCI(s, i, 'nan')) return out
    let end = i + 3
    if (end < len && s.charCodeAt(end) === 40) {
      let k = end + 1
      while (k < len) {
        const d = s.charCodeAt(k)
        if (isDigit(d) || (lower(d) >= 97 && lower(d) <= 122) || d === 95) k++
        else break
      }
      if (k < len && s.charCodeAt(k) === 41) end = k + 1
    }
    if (end === len) out.kind = 'nan'
    return out
  }
  let hex = false
  if (c === 48 && i + 1 < len && lower(s.charCodeAt(i + 1)) === 120) {
    // "0x" only starts a hex number when a hex digit follows, possibly after the point;
    // otherwise the subject is just "0" and the 'x' is left unconsumed.
    const a = i + 2 < len ? s.charCodeAt(i + 2) : -1
    const b = i + 3 < len ? s.charCodeAt(i + 3) : -1
    if (isHexDigit(a) || (a === 46 && isHexDigit(b))) {
      hex = true
      i += 2
    } else {
      return out
    }
  }
  const digitOk = hex ? isHexDigit : isDigit
  out.mantStart = i
  let ndigits = 0
  let nonzero = false
  while (i < len) {
    c = s.charCodeAt(i)
    if (digitOk(c)) {
      if (c !== 48) nonzero = true
      ndigits++
      i++
    } else if (c === 46 && out.point < 0) {
      out.point = i
      i++
    } else {
      break
    }
  }
  if (ndigits === 0) return out
  out.mantEnd = i
  out.nonzero = nonzero
  if (i < len) {
    c = lower(s.charCodeAt(i))
    if (c !== (hex ? 112 : 101)) return out
    let k = i + 1
    let eneg = false
    if (k < len && (s.charCodeAt(k) === 43 || s.charCodeAt(k) === 45)) {
      eneg = s.charCodeAt(k) === 45
      k++
    }
    if (k >= len || !isDigit(s.charCodeAt(k))) return out
    let ev = 0
    while (k < len) {
      const d = s.charCodeAt(k)
      if (!isDigit(d)) return out
      if (ev < EXP_SATURATION) ev = ev * 10 + (d - 48)
      k++
    }
    out.exponent = eneg ? -ev : ev
  }
  out.kind = hex ? 'hex' : 'dec'
  return out
}

export function newFloatSyntax(): FloatSyntax {
  return { kind: 'none', neg: false, mantStart: 0, mantEnd: 0, point: -1, nonzero: false, exponent: 0 }
}

const LOG10_2 = Math.log10(2)
const POW10_CACHED = 400
const pow10Cache: bigint[] = []
/** 10^k as a BigInt (k >= 0); small powers, the common case, are cached. */
export function pow10(k: number): bigint {
  if (k > POW10_CACHED) return 10n ** BigInt(k)
  let v = pow10Cache[k]
  if (v === undefined) {
    v = 10n ** BigInt(k)
    pow10Cache[k] = v
  }
  return v
}

/** Digits of the mantissa with the point removed, and how many of them follow the point. */
function mantissaDigits(s: string, syn: FloatSyntax): { digits: string; frac: number } {
  if (syn.point < 0) return { digits: s.slice(syn.mantStart, syn.mantEnd), frac: 0 }
  return {
    digits: s.slice(syn.mantStart, syn.point) + s.slice(syn.point + 1, syn.mantEnd),
    frac: syn.mantEnd - syn.point - 1,
  }
}

/**
 * glibc strtod/strtold's value of decimal digits * 10^e10 (digits without sign). Correctly
 * rounded except for glibc's subnormal quirk (see roundToFormat); to reproduce that quirk
 * exactly, fractions below 1 keep only the digits glibc reads (strtod_l.c's
 * need_frac_digits) and fold the rest into a sticky bit, as glibc does.
 */
export function decimalToFormat(neg: boolean, digitStr: string, e10: number, fmt: BinaryFormat): Rounded {
  // Trim zeros so the BigInts stay small; they carry no information.
  let a = 0
  while (a < digitStr.length && digitStr.charCodeAt(a) === 48) a++
  let b = digitStr.length
  while (b > a && digitStr.charCodeAt(b - 1) === 48) b--
  if (a === b) return { value: zeroOf(neg), underflowToZero: false, overflow: false }
  e10 += digitStr.length - b
  let digits = digitStr.slice(a, b)
  const nd = digits.length
  const p = fmt.precision
  // The value lies in [10^(x-1), 10^x): settle the hopeless cases first.
  const x = nd + e10
  const minUnit = fmt.minExp - p + 1
  if (x - 1 > Math.ceil((fmt.maxExp + 1) * LOG10_2)) {
    return { value: infOf(neg), underflowToZero: false, overflow: true }
  }
  if (x < Math.floor((minUnit - 1) * LOG10_2) - 1) {
    return { value: zeroOf(neg), underflowToZero: true, overflow: false }
  }
  let sticky = false
  if (x <= 0) {
    // Value 0.D * 10^x. glibc needs bits down to 2^-(negExp2 + p) (never past a quarter
    // of the least subnormal), reads that many digits after the point and no more.
    const negExp2 = Math.trunc(((1 - x) * 10) / 3) + 1
    const need = Math.min(negExp2 + p, p - (fmt.minExp + 1) + 2) + x
    if (need <= 0) return { value: zeroOf(neg), underflowToZero: true, overflow: false }
    if (nd > need) {
      digits = digits.slice(0, need)
      e10 = x - need
      sticky = true
    }
  }
  const d = BigInt(digits)
  if (e10 >= 0) return roundToFormat(neg, d * pow10(e10), 0, false, fmt, true)
  const den = pow10(-e10)
  // Scale so the quotient has at least precision+2 bits; the remainder becomes sticky.
  let shift = p + 2 - (bitLength(d) - bitLength(den)) + 1
  if (shift < 0) shift = 0
  const num = d << BigInt(shift)
  const q = num / den
  const r = num - q * den
  return roundToFormat(neg, q, -shift, sticky || r !== 0n, fmt, true)
}

/** glibc strtod/strtold's value of hex digits * 2^e2 (digits without sign): exact bits, then rounded with the subnormal quirk. */
export function hexToFormat(neg: boolean, hexStr: string, e2: number, fmt: BinaryFormat): Rounded {
  let a = 0
  while (a < hexStr.length && hexStr.charCodeAt(a) === 48) a++
  let b = hexStr.length
  while (b > a && hexStr.charCodeAt(b - 1) === 48) b--
  if (a === b) return { value: zeroOf(neg), underflowToZero: false, overflow: false }
  e2 += 4 * (hexStr.length - b)
  const h = BigInt('0x' + hexStr.slice(a, b))
  const top = bitLength(h) + e2 // value in [2^(top-1), 2^top)
  const minUnit = fmt.minExp - fmt.precision + 1
  if (top - 1 > fmt.maxExp) return { value: infOf(neg), underflowToZero: false, overflow: true }
  if (top < minUnit - 2) return { value: zeroOf(neg), underflowToZero: true, overflow: false }
  return roundToFormat(neg, h, e2, false, fmt, true)
}

/** Outcome of a strtold-style conversion of a whole string. */
export interface StrtoResult {
  /** False when the string is not exactly one number (end pointer != end of string). */
  readonly ok: boolean
  readonly value: LongDouble
  /** errno == ERANGE: overflow to +-inf, or a nonzero value rounded to zero. */
  readonly rangeError: boolean
}

const NOT_A_NUMBER: StrtoResult = Object.freeze({ ok: false, value: LD_ZERO, rangeError: false })
const scratchSyntax = newFloatSyntax()

/**
 * Convert the whole of `s` the way glibc's strtold (fmt EXTENDED80) or strtod (BINARY64)
 * would, minus leading-whitespace skipping. Underflow that leaves a subnormal is not
 * reported: Redis only looks at ERANGE together with a zero or infinite result.
 */
export function strtoFormat(s: string, fmt: BinaryFormat): StrtoResult {
  const syn = scanFloatSyntax(s, scratchSyntax)
  switch (syn.kind) {
    case 'none':
      return NOT_A_NUMBER
    case 'nan':
      return { ok: true, value: LD_NAN, rangeError: false }
    case 'inf':
      return { ok: true, value: infOf(syn.neg), rangeError: false }
    default:
      break
  }
  const neg = syn.neg
  if (!syn.nonzero) return { ok: true, value: zeroOf(neg), rangeError: false }
  const { digits, frac } = mantissaDigits(s, syn)
  const r =
    syn.kind === 'dec'
      ? decimalToFormat(neg, digits, syn.exponent - frac, fmt)
      : hexToFormat(neg, digits, syn.exponent - 4 * frac, fmt)
  return { ok: true, value: r.value, rangeError: r.overflow || r.underflowToZero }
}

// ---------------------------------------------------------------------------------------
// Arithmetic and conversions

export function ldIsNaN(v: LongDouble): boolean {
  return v.kind === 'nan'
}
export function ldIsInf(v: LongDouble): boolean {
  return v.kind === 'inf'
}
export function ldIsZero(v: LongDouble): boolean {
  return v.kind === 'finite' && v.mant === 0n
}

/** a + b in `fmt` (default x87 extended), one rounding, half to even, like FADD. */
export function ldAdd(a: LongDouble, b: LongDouble, fmt: BinaryFormat = EXTENDED80): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return LD_NAN
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf') return a.neg === b.neg ? a : LD_NAN
    return a.kind === 'inf' ? a : b
  }
  if (a.mant === 0n) {
    // -0 + -0 is -0; any other sum with a zero is the other operand (+0 for +0 + -0).
    if (b.mant === 0n) return zeroOf(a.neg && b.neg)
    return b
  }
  if (b.mant === 0n) return a
  const e = Math.min(a.exp, b.exp)
  const x = a.mant << BigInt(a.exp - e)
  const y = b.mant << BigInt(b.exp - e)
  const sum = (a.neg ? -x : x) + (b.neg ? -y : y)
  if (sum === 0n) return LD_ZERO // exact cancellation gives +0 in round-to-nearest
  const neg = sum < 0n
  return roundToFormat(neg, neg ? -sum : sum, e, false, fmt).value
}

export function ldNeg(a: LongDouble): LongDouble {
  if (a.kind === 'nan') return a
  return { kind: a.kind, neg: !a.neg, mant: a.mant, exp: a.exp }
}

/** Exact conversion of an int64 (or any integer that fits 64 bits) to long double. */
export function ldFromBigInt(v: bigint, fmt: BinaryFormat = EXTENDED80): LongDouble {
  if (v === 0n) return LD_ZERO
  const neg = v < 0n
  return roundToFormat(neg, neg ? -v : v, 0, false, fmt).value
}

/** Exact conversion of a JS number (a double) to long double; NaN and +-Infinity map across. */
export function ldFromNumber(x: number, fmt: BinaryFormat = EXTENDED80): LongDouble {
  if (Number.isNaN(x)) return LD_NAN
  if (x === Infinity) return LD_INF
  if (x === -Infinity) return LD_NEG_INF
  const neg = x < 0 || Object.is(x, -0)
  if (x === 0) return zeroOf(neg)
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, Math.abs(x))
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const bexp = hi >>> 20
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let e: number
  if (bexp === 0) {
    e = -1074
  } else {
    mant |= 1n << 52n
    e = bexp - 1075
  }
  return roundToFormat(neg, mant, e, false, fmt).value
}

/** Round to the nearest double (what a C cast from long double to double does). */
export function ldToNumber(v: LongDouble): number {
  if (v.kind === 'nan') return NaN
  if (v.kind === 'inf') return v.neg ? -Infinity : Infinity
  if (v.mant === 0n) return v.neg ? -0 : 0
  const r = roundToFormat(v.neg, v.mant, v.exp, false, BINARY64).value
  if (r.kind === 'inf') return r.neg ? -Infinity : Infinity
  if (r.mant === 0n) return r.neg ? -0 : 0
  // mant < 2^53 and exp within [-1074, 971]: both factors and the product are exact.
  const m = Number(r.mant) * 2 ** r.exp
  return r.neg ? -m : m
}

/** Numeric comparison (-1, 0, 1); NaN compares as NaN (returns NaN). */
export function ldCompare(a: LongDouble, b: LongDouble): number {
  if (a.kind === 'nan' || b.kind === 'nan') return NaN
  const d = ldAdd(a, ldNeg(b))
  if (d.kind === 'inf') return d.neg ? -1 : 1
  if (d.mant === 0n) return 0
  return d.neg ? -1 : 1
}

// ---------------------------------------------------------------------------------------
// printf

/** floor or half-even rounding of |v| * 10^k to an integer; v finite. */
function scaledRound(v: LongDouble, k: number): bigint {
  // |v| * 10^k = mant * 2^exp * 10^k = num / den
  let num = v.mant
  let den = 1n
  if (v.exp >= 0) num <<= BigInt(v.exp)
  else den <<= BigInt(-v.exp)
  if (k >= 0) num *= pow10(k)
  else den *= pow10(-k)
  const q = num / den
  const r2 = (num - q * den) * 2n
  // glibc rounds the last printed digit half-to-even in the default rounding mode.
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n
  return q
}

/** glibc printf("%.{prec}Lf") for a finite or special value. */
export function formatFixed(v: LongDouble, prec: number): string {
  const sign = v.neg ? '-' : ''
  if (v.kind === 'inf') return sign + 'inf'
  if (v.kind === 'nan') return sign + 'nan'
  const n = scaledRound(v, prec).toString()
  if (prec === 0) return sign + n
  const s = n.length <= prec ? '0'.repeat(prec + 1 - n.length) + n : n
  return sign + s.slice(0, s.length - prec) + '.' + s.slice(s.length - prec)
}

/** floor(log10(|v|)) for finite nonzero v, exactly. */
function decimalExponent(v: LongDouble): number {
  // |v| in [2^(t-1), 2^t) with t = bitLength + exp; the estimate is off by at most one.
  const t = bitLength(v.mant) + v.exp
  let d = Math.floor((t - 1) * LOG10_2)
  // Fix the estimate: want 10^d <= |v| < 10^(d+1).
  for (;;) {
    if (cmpPow10(v, d) < 0) d--
    else if (cmpPow10(v, d + 1) >= 0) d++
    else return d
  }
}

/** Compare |v| with 10^d. */
function cmpPow10(v: LongDouble, d: number): number {
  let lhs = v.mant
  let rhs = 1n
  if (v.exp >= 0) lhs <<= BigInt(v.exp)
  else rhs <<= BigInt(-v.exp)
  if (d >= 0) rhs *= pow10(d)
  else lhs *= pow10(-d)
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0
}

/**
 * glibc printf("%.{prec}Lg"): prec significant digits (0 means 1), style e when the
 * exponent X of the rounded value is < -4 or >= prec, else style f with prec-1-X
 * decimals; trailing zeros and a bare point removed (no '#' flag).
 */
export function formatGeneral(v: LongDouble, prec = 17): string {
  const sign = v.neg ? '-' : ''
  if (v.kind === 'inf') return sign + 'inf'
  if (v.kind === 'nan') return sign + 'nan'
  const P = prec === 0 ? 1 : prec
  if (v.mant === 0n) return sign + '0'
  let x = decimalExponent(v)
  let n = scaledRound(v, P - 1 - x)
  if (n === pow10(P)) {
    n = pow10(P - 1)
    x += 1
  }
  const digits = n.toString() // exactly P digits
  if (x < -4 || x >= P) {
    let frac = digits.slice(1).replace(/0+$/, '')
    if (frac !== '') frac = '.' + frac
    const ax = Math.abs(x)
    return sign + digits[0] + frac + 'e' + (x < 0 ? '-' : '+') + (ax < 10 ? '0' : '') + ax
  }
  let intPart: string
  let frac: string
  if (x >= 0) {
    intPart = digits.slice(0, x + 1)
    frac = digits.slice(x + 1)
  } else {
    intPart = '0'
    frac = '0'.repeat(-x - 1) + digits
  }
  frac = frac.replace(/0+$/, '')
  return sign + intPart + (frac === '' ? '' : '.' + frac)
}

/**
 * glibc printf("%La") for the x87 format: the leading hex digit is the top nibble of the
 * 64-bit significand (so 1.0 prints as 0x8p-3), fifteen fraction digits with trailing
 * zeros dropped, subnormals printed with exponent -16385.
 */
export function formatHexExtended(v: LongDouble): string {
  const sign = v.neg ? '-' : ''
  if (v.kind === 'inf') return sign + 'inf'
  if (v.kind === 'nan') return sign + 'nan'
  if (v.mant === 0n) return sign + '0x0p+0'
  const minUnit = EXTENDED80.minExp - EXTENDED80.precision + 1
  let mant = v.mant
  let exp = v.exp
  // Normalise a (possibly non-canonical) value into the 64-bit significand layout.
  const bl = bitLength(mant)
  if (bl < 64 && exp > minUnit) {
    const sh = Math.min(64 - bl, exp - minUnit)
    mant <<= BigInt(sh)
    exp -= sh
  }
  const hex = mant.toString(16).padStart(16, '0')
  const lead = hex[0]!
  const frac = hex.slice(1).replace(/0+$/, '')
  const pexp = exp + 60
  return sign + '0x' + lead + (frac === '' ? '' : '.' + frac) + 'p' + (pexp < 0 ? '-' : '+') + Math.abs(pexp)
}
