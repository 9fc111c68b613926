// Double formatting exactly like C's printf("%.17g"), which Redis 7.0's
// addReplyDouble uses for RESP2 bulk doubles and RESP3 ',' doubles.
//
// Number.prototype.toExponential(16) gives the 17 correctly rounded significant
// digits of the exact binary value, but breaks exact decimal ties away from
// zero, while glibc rounds them to even. Ties are rare (the exact value must have
// exactly 18 significant digits ending in 5, e.g. 1000000000000000.25), so they
// are detected cheaply and confirmed with exact BigInt arithmetic.

const scratch = new DataView(new ArrayBuffer(8))

/** True when the sign bit of `d` is set (also for NaN, which printf shows as "-nan"). */
function signBit(d: number): boolean {
  scratch.setFloat64(0, d)
  return (scratch.getUint8(0) & 0x80) !== 0
}

/**
 * printf("%.17g", d) as glibc prints it, plus the spellings Redis sends for the
 * non-finite values: "inf", "-inf" (addReplyDouble special-cases them) and
 * "nan" / "-nan" (printf's own output; the sign is the NaN's sign bit, which is
 * set for a NaN computed at run time on x86, e.g. 0/0).
 */
export function formatDouble17g(d: number): string {
  if (d !== d) return signBit(d) ? '-nan' : 'nan'
  if (d === Infinity) return 'inf'
  if (d === -Infinity) return '-inf'
  if (d === 0) return signBit(d) ? '-0' : '0'

  const negative = d < 0
  const abs = negative ? -d : d
  const e = abs.toExponential(16) // "d.dddddddddddddddde+X"
  const ePos = e.indexOf('e')
  let digits = e[0] + e.slice(2, ePos) // 17 digits
  const exp = Number(e.slice(ePos + 1))

  // toExponential rounds a tie up; glibc picks the even neighbour. Only an odd
  // last digit can be the wrong side of a tie.
  const last = digits.charCodeAt(16) - 48
  if ((last & 1) === 1) {
    const e18 = abs.toExponential(17)
    if (e18.charCodeAt(e18.indexOf('e') - 1) === 53 /* '5' */ && isExactTie(abs, digits, exp)) {
      digits = digits.slice(0, 16) + String.fromCharCode(48 + last - 1)
    }
  }

  let out: string
  if (exp < -4 || exp >= 17) {
    // %e style: one digit, optional fraction without trailing zeros, exponent of
    // at least two digits.
    const frac = stripZeros(digits.slice(1))
    const absExp = exp < 0 ? -exp : exp
    out =
      digits[0] + (frac.length > 0 ? '.' + frac : '') + (exp < 0 ? 'e-' : 'e+') + (absExp < 10 ? '0' : '') + absExp
  } else if (exp >= 0) {
    const frac = stripZeros(digits.slice(exp + 1))
    out = digits.slice(0, exp + 1) + (frac.length > 0 ? '.' + frac : '')
  } else {
    out = '0.' + '0'.repeat(-exp - 1) + stripZeros(digits)
  }
  return negative ? '-' + out : out
}

function stripZeros(s: string): string {
  let end = s.length
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--
  return s.slice(0, end)
}

/**
 * Whether `abs` (finite, > 0) lies exactly halfway between the 17-digit decimal
 * `digits`-minus-one-ulp and `digits`, i.e. abs == (digits*10 - 5) * 10^(exp-17).
 */
function isExactTie(abs: number, digits: string, exp: number): boolean {
  // Decompose abs = mant * 2^bexp exactly.
  scratch.setFloat64(0, abs)
  const hi = scratch.getUint32(0)
  const lo = scratch.getUint32(4)
  const biased = (hi >>> 20) & 0x7ff
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let bexp: number
  if (biased === 0) {
    bexp = -1074 // subnormal
  } else {
    mant |= 1n << 52n
    bexp = biased - 1075
  }
  let left = mant // value = left * 2^bexp
  let right = BigInt(digits) * 10n - 5n // value = right * 10^dexp
  const dexp = exp - 17
  if (bexp >= 0) left <<= BigInt(bexp)
  else right <<= BigInt(-bexp)
  if (dexp >= 0) right *= 10n ** BigInt(dexp)
  else left *= 10n ** BigInt(-dexp)
  return left === right
}

/**
 * util.c d2string: "nan", "inf"/"-inf", "0"/"-0", integral values within
 * +-2^52 as plain integers, everything else printf("%.17g"). Redis uses it
 * where a double becomes a string value (zset scores in SCAN, listpack text).
 */
export function d2string(v: number): string {
  if (v !== v) return 'nan'
  if (v === Infinity) return 'inf'
  if (v === -Infinity) return '-inf'
  if (v === 0) return Object.is(v, -0) ? '-0' : '0'
  if (v > -4503599627370495 && v < 4503599627370496 && Number.isInteger(v)) return String(v)
  return formatDouble17g(v)
}
