import { describe, expect, it } from 'vitest'
import { d2string } from '../../protocol/double.ts'

describe('d2string (util.c)', () => {
  it('prints integral doubles within 2^52 as integers and others with %.17g', () => {
    expect(d2string(3)).toBe('3')
    expect(d2string(-0)).toBe('-0')
    expect(d2string(0)).toBe('0')
    expect(d2string(1.5)).toBe('1.5')
    expect(d2string(0.1)).toBe('0.10000000000000001')
    expect(d2string(4503599627370495)).toBe('4503599627370495')
    expect(d2string(4503599627370496)).toBe('4503599627370496')
    expect(d2string(1e20)).toBe('1e+20')
    expect(d2string(Infinity)).toBe('inf')
    expect(d2string(-Infinity)).toBe('-inf')
    expect(d2string(NaN)).toBe('nan')
  })
})
