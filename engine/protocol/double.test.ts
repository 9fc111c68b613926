import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatDouble17g } from './double.ts'

// Expected strings were produced by glibc's printf("%.17g") (a tiny C program fed
// the same doubles); JS and C parse these literals to the same doubles.
const TABLE: ReadonlyArray<readonly [string, number, string]> = [
  ['1.1', 1.1, '1.1000000000000001'],
  ['3', 3, '3'],
  ['0', 0, '0'],
  ['-0', -0, '-0'],
  ['1e21', 1e21, '1e+21'],
  ['1e-7', 1e-7, '9.9999999999999995e-08'],
  ['2**53', 2**53, '9007199254740992'],
  ['2**53+2', 2**53+2, '9007199254740994'],
  ['2**53+1', 2**53+1, '9007199254740992'],
  ['-(2**53)', -(2**53), '-9007199254740992'],
  ['0.1', 0.1, '0.10000000000000001'],
  ['0.2', 0.2, '0.20000000000000001'],
  ['0.3', 0.3, '0.29999999999999999'],
  ['0.1+0.2', 0.1+0.2, '0.30000000000000004'],
  ['1/3', 1/3, '0.33333333333333331'],
  ['2/3', 2/3, '0.66666666666666663'],
  ['-2/3', -2/3, '-0.66666666666666663'],
  ['100', 100, '100'],
  ['1.5', 1.5, '1.5'],
  ['-1.5', -1.5, '-1.5'],
  ['0.5', 0.5, '0.5'],
  ['1e-4', 1e-4, '0.0001'],
  ['1e-5', 1e-5, '1.0000000000000001e-05'],
  ['0.00012345', 0.00012345, '0.00012344999999999999'],
  ['1e15', 1e15, '1000000000000000'],
  ['1e16', 1e16, '10000000000000000'],
  ['1e17', 1e17, '1e+17'],
  ['1e22', 1e22, '1e+22'],
  ['1e100', 1e100, '1e+100'],
  ['1e-100', 1e-100, '1e-100'],
  ['123456789012345678', Number('123456789012345678'), '1.2345678901234568e+17'],
  ['9007199254740993', Number('9007199254740993'), '9007199254740992'],
  ['1e15+0.25', 1e15+0.25, '1000000000000000.2'],
  ['1e15+0.75', 1e15+0.75, '1000000000000000.8'],
  ['1e14+0.125', 1e14+0.125, '100000000000000.12'],
  ['-(1e15+0.25)', -(1e15+0.25), '-1000000000000000.2'],
  ['5e-324', 5e-324, '4.9406564584124654e-324'],
  ['-5e-324', -5e-324, '-4.9406564584124654e-324'],
  ['1e-323', 1e-323, '9.8813129168249309e-324'],
  ['2.2250738585072009e-308', 2.2250738585072009e-308, '2.2250738585072009e-308'],
  ['2.2250738585072014e-308', 2.2250738585072014e-308, '2.2250738585072014e-308'],
  ['1.7976931348623157e308', 1.7976931348623157e308, '1.7976931348623157e+308'],
  ['-1.7976931348623157e308', -1.7976931348623157e308, '-1.7976931348623157e+308'],
  ['Number.EPSILON', Number.EPSILON, '2.2204460492503131e-16'],
  ['Math.PI', Math.PI, '3.1415926535897931'],
  ['Math.E', Math.E, '2.7182818284590451'],
  ['12345.678', 12345.678, '12345.678'],
  ['-123.456', -123.456, '-123.456'],
  ['3.14', 3.14, '3.1400000000000001'],
  ['4.35', 4.35, '4.3499999999999996'],
  ['0.7', 0.7, '0.69999999999999996'],
  ['1234567890.1234567', 1234567890.1234567, '1234567890.1234567'],
  ['9.5', 9.5, '9.5'],
  ['10.5', 10.5, '10.5'],
  ['99999999999999990', Number('99999999999999990'), '99999999999999984'],
  ['1e-310', 1e-310, '9.9999999999999694e-311'],
  ['2**-1074*3', 2**-1074*3, '1.4821969375237396e-323'],
  ['65536.015625', 65536.015625, '65536.015625'],
  ['0.1234567890123456789', Number('0.1234567890123456789'), '0.12345678901234568'],
  ['123456789.123456789', Number('123456789.123456789'), '123456789.12345679'],
  ['-1e-7', -1e-7, '-9.9999999999999995e-08'],
  ['2**63', 2**63, '9.2233720368547758e+18'],
  ['2**64', 2**64, '1.8446744073709552e+19'],
  ['-(2**63)', -(2**63), '-9.2233720368547758e+18'],
  ['1e300*10', 1e300*10, '1.0000000000000001e+301'],
  ['7.0', 7.0, '7'],
  ['0.30000000000000004', 0.30000000000000004, '0.30000000000000004'],
  ['4503599627370496.5', Number('4503599627370496.5'), '4503599627370496'],
  ['4503599627370495.5', 4503599627370495.5, '4503599627370495.5'],
  ['1.0000000000000002', 1.0000000000000002, '1.0000000000000002'],
]

function fromBits(hex: string): number {
  const dv = new DataView(new ArrayBuffer(8))
  dv.setBigUint64(0, BigInt('0x' + hex))
  return dv.getFloat64(0)
}

function toBits(d: number): string {
  const dv = new DataView(new ArrayBuffer(8))
  dv.setFloat64(0, d)
  return dv.getBigUint64(0).toString(16).padStart(16, '0')
}

describe('formatDouble17g', () => {
  it.each(TABLE)('%s', (_label, value, expected) => {
    expect(formatDouble17g(value)).toBe(expected)
  })

  it('spells the non-finite values like Redis (addReplyDouble) and printf', () => {
    expect(formatDouble17g(Infinity)).toBe('inf')
    expect(formatDouble17g(-Infinity)).toBe('-inf')
    expect(formatDouble17g(fromBits('7ff8000000000000'))).toBe('nan')
    // x86 computes 0/0 as a NaN with the sign bit set; printf (and so Redis,
    // e.g. a Lua script returning {double=0/0} in RESP3) shows it as "-nan".
    expect(formatDouble17g(fromBits('fff8000000000000'))).toBe('-nan')
  })

  it('rounds exact decimal ties to even like glibc (toExponential would round up)', () => {
    expect((1e15 + 0.25).toExponential(16)).toBe('1.0000000000000003e+15')
    expect(formatDouble17g(1e15 + 0.25)).toBe('1000000000000000.2')
    expect(formatDouble17g(1e15 + 0.75)).toBe('1000000000000000.8')
    expect(formatDouble17g(-(1e14 + 0.375))).toBe('-100000000000000.38')
  })
})

// Differential check against the C library, when a C compiler is at hand.
const cc = ['/usr/bin/cc', '/usr/bin/gcc'].find((p) => existsSync(p))
const dir = cc ? mkdtempSync(join(tmpdir(), 'glassbox-g17-')) : ''
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(!cc)('formatDouble17g against C printf', () => {
  it('agrees on random bit patterns, decimals and tie-prone values', () => {
    const src = join(dir, 'g.c')
    const bin = join(dir, 'g')
    writeFileSync(
      src,
      '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <stdint.h>\n' +
        'int main(void){char l[64];while(fgets(l,sizeof l,stdin)){uint64_t b=strtoull(l,NULL,16);double d;' +
        'memcpy(&d,&b,8);printf("%.17g\\n",d);}return 0;}\n',
    )
    execFileSync(cc!, ['-O2', '-o', bin, src])

    // xorshift64*: deterministic, so a failure reproduces.
    let s = 0x9e3779b97f4a7c15n
    const next64 = (): bigint => {
      s ^= s >> 12n
      s ^= (s << 25n) & 0xffffffffffffffffn
      s ^= s >> 27n
      return (s * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn
    }
    const rnd = (): number => Number(next64() >> 11n) / 2 ** 53

    const values: number[] = []
    for (let i = 0; i < 20000; i++) {
      const d = fromBits(next64().toString(16).padStart(16, '0'))
      if (Number.isFinite(d)) values.push(d)
    }
    for (let i = 0; i < 10000; i++) {
      // short decimals such as scores people type: 12.34, 0.005, 1e-9 ...
      const digits = Math.floor(rnd() * 1e6)
      values.push(digits / 10 ** Math.floor(rnd() * 12), -digits * 10 ** Math.floor(rnd() * 12))
    }
    for (let i = 0; i < 10000; i++) {
      // 15- and 16-digit integers plus eighths: many are exact ties at 17 digits
      const base = Math.floor(1e14 + rnd() * 1.1e15)
      values.push(base + Math.floor(rnd() * 8) / 8)
      // subnormals
      values.push(fromBits((next64() & 0x000fffffffffffffn).toString(16).padStart(16, '0')))
    }
    for (let e = -1074; e <= 1023; e++) values.push(2 ** e, 3 * 2 ** (e - 2), 10 ** (e / 3.2))

    const finite = values.filter((v) => Number.isFinite(v))
    const out = execFileSync(bin, { input: finite.map(toBits).join('\n') + '\n', maxBuffer: 64 << 20 })
      .toString('latin1')
      .split('\n')
    let mismatches = 0
    const examples: string[] = []
    finite.forEach((v, i) => {
      const got = formatDouble17g(v)
      if (got !== out[i]) {
        mismatches++
        if (examples.length < 10) examples.push(`${toBits(v)}: got ${got}, printf ${out[i]}`)
      }
    })
    expect(examples).toEqual([])
    expect(mismatches).toBe(0)
    expect(finite.length).toBeGreaterThan(50000)
  })
})
