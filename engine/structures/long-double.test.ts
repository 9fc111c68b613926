import { describe, expect, it } from 'vitest'
import {
  BINARY64,
  EXTENDED80,
  LD_INF,
  LD_NEG_INF,
  LD_NEG_ZERO,
  LD_ZERO,
  bitLength,
  formatFixed,
  formatGeneral,
  formatHexExtended,
  ldAdd,
  ldCompare,
  ldFromBigInt,
  ldFromNumber,
  ldNeg,
  ldToNumber,
  roundToFormat,
  strtoFormat,
} from './long-double.ts'
import type { LongDouble } from './long-double.ts'

const ld = (s: string): LongDouble => {
  const r = strtoFormat(s, EXTENDED80)
  if (!r.ok) throw new Error(`not a number: ${s}`)
  return r.value
}

// Expected strings below were produced by glibc 2.36 (Debian 12, x86-64): strtold, then
// printf "%La|%.17Lg|%.17Lf" (the last one already trimmed the way ld2string's
// LD_STR_HUMAN mode trims it, so it is checked in numbers.test.ts).
const GLIBC_VECTORS: Array<[string, string, string]> = [
  ['1.5', '0xcp-3', '1.5'],
  ['0.1', '0xc.ccccccccccccccdp-7', '0.1'],
  ['-0.1', '-0xc.ccccccccccccccdp-7', '-0.1'],
  ['1e300', '0xb.f21e44003acdd2dp+993', '1e+300'],
  ['1e-20', '0xb.ce5086492111aebp-70', '1e-20'],
  ['123456789012345678901234567890', '0xc.77487fb61b9f077p+93', '1.2345678901234568e+29'],
  ['0x1p-16445', '0x0.000000000000001p-16385', '3.6451995318824746e-4951'],
  ['0x1.8p-16446', '0x0.000000000000001p-16385', '3.6451995318824746e-4951'],
  ['1e-4950', '0x0.000000000000003p-16385', '1.0935598595647424e-4950'],
  ['3.14159265358979323846264338327950288', '0xc.90fdaa22168c235p-2', '3.1415926535897932'],
  ['1e4932', '0xd.72cb2a95c7ef6cdp+16380', '1e+4932'],
  ['1.18973149535723176502e+4932', '0xf.fffffffffffffffp+16380', '1.1897314953572318e+4932'],
  ['1e-5', '0xa.7c5ac471b478423p-20', '1e-05'],
  ['123456.7890123', '0xf.12064fe5ae45225p+13', '123456.7890123'],
  ['5e-324', '0x8.18995ce7aa0e1b2p-1077', '5e-324'],
  ['9.999999999999999999e16', '0xb.1a2bc2ec4ffffffp+53', '1e+17'],
  ['99999999999999999.5', '0xb.1a2bc2ec4ffffcp+53', '1e+17'],
  ['0.000099999999999999999995', '0xd.1b71758e219652bp-17', '0.0001'],
  ['0x1p-18', '0x8p-21', '3.814697265625e-06'],
  ['9.99999999999999999999', '0xap+0', '10'],
  ['99999999999999999', '0xb.1a2bc2ec4ffff8p+53', '99999999999999999'],
  ['1e16', '0x8.e1bc9bf04p+50', '10000000000000000'],
  ['1e17', '0xb.1a2bc2ec5p+53', '1e+17'],
  ['123456789.123456789', '0xe.b79a2a3f35ba6e7p+23', '123456789.12345679'],
  ['0x1p-16382', '0x8p-16385', '3.3621031431120935e-4932'],
  ['0x1p-16383', '0x4p-16385', '1.6810515715560468e-4932'],
  ['-0x1p-16445', '-0x0.000000000000001p-16385', '-3.6451995318824746e-4951'],
  ['0x1.fffffffffffffffep0', '0xf.fffffffffffffffp-3', '2'],
  ['0x1.ffffffffffffffffp0', '0x8p-2', '2'],
  ['0x1.23p4', '0x9.18p+1', '18.1875'],
  ['0.000012345678901234567', '0xc.f20498133c5cc3p-20', '1.2345678901234567e-05'],
  ['-0', '-0x0p+0', '-0'],
  ['0', '0x0p+0', '0'],
]

describe('strtold model against glibc vectors', () => {
  it.each(GLIBC_VECTORS)('%s -> %s / %s', (input, hex, general) => {
    const v = ld(input)
    expect(formatHexExtended(v)).toBe(hex)
    expect(formatGeneral(v, 17)).toBe(general)
  })

  it('overflow, underflow to zero and exact zeros', () => {
    expect(strtoFormat('1.18973149535723176508575932662800702e4932', EXTENDED80)).toMatchObject({
      ok: true,
      rangeError: true,
      value: { kind: 'inf' },
    })
    expect(strtoFormat('0x1p-16446', EXTENDED80)).toMatchObject({ ok: true, rangeError: true })
    expect(strtoFormat('1e-5000', EXTENDED80).rangeError).toBe(true)
    expect(strtoFormat('0e-99999999999999', EXTENDED80)).toMatchObject({ ok: true, rangeError: false })
    expect(strtoFormat('1e99999999999999999999', EXTENDED80).rangeError).toBe(true)
    // Subnormal but nonzero: no ERANGE as far as Redis is concerned.
    expect(strtoFormat('1e-4950', EXTENDED80).rangeError).toBe(false)
  })

  it('syntax: whole string, glibc grammar', () => {
    const ok = (s: string) => strtoFormat(s, EXTENDED80).ok
    for (const s of ['1', '+1', '-1', '.5', '5.', '1e5', '1E+5', '1e-5', '0x1p3', '0X1P-3', '0x.8', '0x8.', '0x10',
      'inf', '-INF', 'Infinity', 'nan', 'NaN(abc_1)', '00012', '0x0']) {
      expect(ok(s), s).toBe(true)
    }
    for (const s of ['', ' 1', '1 ', '+', '-', '.', 'e5', '1e', '1e+', '0x', '0x.', '0x.p1', '0xp1', '0x1p', '+-1',
      '--1', 'infinit', 'in', 'nan(', 'nan(a b)', '1.5x', '1\u0000', '\t1', '1..2', '0xg', '1_0']) {
      expect(ok(s), JSON.stringify(s)).toBe(false)
    }
  })
})

describe('glibc subnormal rounding quirk', () => {
  /** Exact decimal expansion of num * 2^e2 (e2 < 0). */
  const dec = (num: bigint, e2: number): string => {
    const t = (num * 5n ** BigInt(-e2)).toString().padStart(-e2 + 1, '0')
    return t.slice(0, t.length + e2) + '.' + t.slice(t.length + e2)
  }
  const bits64 = (x: number): string => {
    const dv = new DataView(new ArrayBuffer(8))
    dv.setFloat64(0, x)
    return dv.getBigUint64(0).toString(16).padStart(16, '0')
  }
  const asDouble = (s: string): string => bits64(ldToNumber(strtoFormat(s, BINARY64).value))

  // (2M+1) * 2^(E-53) with M's subnormal half bit set and nothing else below it: correct
  // rounding goes up; glibc 2.36 leaves the last bit out and rounds the "tie" to even.
  // Expected bit patterns were produced by glibc's strtod/strtold.
  it('hex inputs', () => {
    expect(asDouble('0x20000000000003p-1076')).toBe('0008000000000000')
    expect(asDouble('0x20000004000001p-1101')).toBe('0000000004000000')
    expect(formatHexExtended(ld('0x10000000000000003p-16447'))).toBe('0x4p-16385')
    expect(formatHexExtended(ld('0x10000000000040001p-16464'))).toBe('0x0.0002p-16385')
    // Without the quirk the same value rounds up.
    expect(roundToFormat(false, 0x20000000000003n, -1076, false, BINARY64).value.mant).toBe(2n ** 51n + 1n)
  })

  it('decimal inputs, including glibc\'s digit truncation', () => {
    // 1080 characters: all digits are read, the quirk applies.
    expect(asDouble(dec(0x20000000000003n, -1076))).toBe('0008000000000000')
    // 1105 characters: glibc keeps 1076 digits after the point and a sticky bit, which
    // turns the exact value into "just below" and rounds up after all.
    expect(asDouble(dec(0x20000004000001n, -1101))).toBe('0000000004000001')
    // Number() is correctly rounded, so the two paths of string2d really differ here.
    expect(bits64(Number(dec(0x20000000000003n, -1076)))).toBe('0008000000000001')
  })
})

describe('x87 addition', () => {
  it('rounds once, half to even, with +0 for exact cancellation', () => {
    expect(formatFixed(ldAdd(ld('0.1'), ld('0.2')), 17)).toBe('0.30000000000000000')
    expect(ldAdd(ld('1e300'), ld('-1e300'))).toEqual(LD_ZERO)
    expect(ldAdd(LD_NEG_ZERO, LD_NEG_ZERO)).toEqual(LD_NEG_ZERO)
    expect(ldAdd(LD_NEG_ZERO, LD_ZERO)).toEqual(LD_ZERO)
    // 1 + 2^-64 is a tie between 1 and 1+2^-63: goes to the even significand, 1.
    expect(ldAdd(ld('1'), ld('0x1p-64'))).toEqual(ld('1'))
    // 1 + 3*2^-65 is above the tie: rounds up to 1 + 2^-63.
    expect(ldAdd(ld('1'), ld('0x3p-65'))).toEqual(ld('0x1.0000000000000002p0'))
    expect(ldAdd(ld('1.18973149535723176502e+4932'), ld('1e4932')).kind).toBe('inf')
    expect(ldAdd(LD_INF, LD_NEG_INF).kind).toBe('nan')
    expect(ldAdd(LD_INF, ld('1'))).toEqual(LD_INF)
    // Subnormal sums are exact.
    expect(ldAdd(ld('0x1p-16445'), ld('0x1p-16445'))).toEqual(ld('0x1p-16444'))
  })

  it('compare, negate, conversions', () => {
    expect(ldCompare(ld('1.5'), ld('1.25'))).toBe(1)
    expect(ldCompare(ld('-1.5'), ld('1.25'))).toBe(-1)
    expect(ldCompare(ld('0'), ld('-0'))).toBe(0)
    expect(ldNeg(ld('2'))).toEqual(ld('-2'))
    expect(ldFromBigInt(-(2n ** 63n))).toEqual(ld('-9223372036854775808'))
    expect(ldFromBigInt(2n ** 64n - 1n)).toEqual(ld('18446744073709551615'))
    for (const x of [0.1, -2.5, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 123456789]) {
      expect(ldToNumber(ldFromNumber(x))).toBe(x)
    }
    expect(Object.is(ldToNumber(ldFromNumber(-0)), -0)).toBe(true)
    expect(ldToNumber(ld('1e4000'))).toBe(Infinity)
    expect(ldToNumber(ld('1e-4000'))).toBe(0)
    expect(ldToNumber(ld('0.1'))).toBe(0.1)
    expect(bitLength(0n)).toBe(0)
    expect(bitLength(1n)).toBe(1)
    expect(bitLength(2n ** 64n)).toBe(65)
    expect(bitLength(2n ** 64n - 1n)).toBe(64)
  })
})

describe('printf', () => {
  it('%.17Lf rounds the 17th decimal half to even', () => {
    expect(formatFixed(ld('0x1p-18'), 17)).toBe('0.00000381469726562') // ...625 exactly: tie, keep 2
    expect(formatFixed(ld('0x1p-20'), 17)).toBe('0.00000095367431641') // ...640625: above half
    expect(formatFixed(ld('0x3p-18'), 17)).toBe('0.00001144409179688') // ...6875: tie, 7 -> 8
    expect(formatFixed(ld('-1e-20'), 17)).toBe('-0.00000000000000000')
    expect(formatFixed(ld('2.5'), 0)).toBe('2')
    expect(formatFixed(ld('3.5'), 0)).toBe('4')
    expect(formatFixed(LD_INF, 17)).toBe('inf')
  })

  it('%.17Lg picks e or f style from the rounded exponent', () => {
    expect(formatGeneral(ld('0.0001'), 17)).toBe('0.0001')
    expect(formatGeneral(ld('0.00001'), 17)).toBe('1e-05')
    expect(formatGeneral(ld('12345678901234567'), 17)).toBe('12345678901234567')
    expect(formatGeneral(ld('123456789012345678'), 17)).toBe('1.2345678901234568e+17')
    expect(formatGeneral(ld('-0'), 17)).toBe('-0')
    expect(formatGeneral(ld('1.5'), 1)).toBe('2')
    expect(formatGeneral(ld('1e100'), 17)).toBe('1e+100')
  })
})
