import { describe, expect, it } from 'vitest'
import { lzfCompressedLength, rdbLenSize, rdbRawStringSize, rdbStringObjectSize } from './serialized-length.ts'

// Expected values are DEBUG OBJECT serializedlength readings from redis-server 7.0.15.
describe('RDB string lengths', () => {
  it('uses the integer encodings for canonical integers', () => {
    const int = (v: string) => rdbStringObjectSize({ encoding: 'int', value: v }, true)
    expect(int('0')).toBe(2)
    expect(int('-128')).toBe(2)
    expect(int('-129')).toBe(3)
    expect(int('32767')).toBe(3)
    expect(int('32768')).toBe(5)
    expect(int('2147483648')).toBe(11) // digits with a length prefix
    expect(rdbRawStringSize('123456789012', true)).toBe(13) // longer than 11 bytes: not tried
    expect(rdbRawStringSize('01', true)).toBe(3) // not canonical
    expect(rdbRawStringSize('12345678901234567890', true)).toBe(21)
  })

  it('LZF-compresses strings over 20 bytes when that saves 4 bytes', () => {
    expect(rdbRawStringSize('a'.repeat(100), true)).toBe(13)
    expect(rdbRawStringSize('abc'.repeat(30), true)).toBe(15)
    expect(rdbRawStringSize('hello world hello world hello world', true)).toBe(23)
    expect(rdbRawStringSize(Array.from({ length: 200 }, (_, i) => String(i + 1)).join(' '), true)).toBe(677)
    expect(rdbRawStringSize('a'.repeat(100), false)).toBe(102)
    expect(rdbRawStringSize('abcdefghijklmnopqrstuvwxyz', true)).toBe(27) // incompressible
    expect(rdbRawStringSize('a'.repeat(20), true)).toBe(21) // too short to try
  })

  it('encodes lengths with 1, 2, 5 or 9 bytes', () => {
    expect([0, 63, 64, 16383, 16384, 2 ** 32 - 1, 2 ** 32].map(rdbLenSize)).toEqual([1, 1, 2, 2, 5, 5, 9])
  })

  it('lzf gives up when the output does not fit', () => {
    expect(lzfCompressedLength('abcdefgh', 3)).toBe(0)
    expect(lzfCompressedLength('', 10)).toBe(0)
    // 100 'a': a run of 2 literals (position 0 is never a match source), one
    // 3-byte back-reference of 96 bytes, then a run of the last 2 literals.
    expect(lzfCompressedLength('a'.repeat(100), 96)).toBe(9)
    expect(lzfCompressedLength('a'.repeat(100), 8)).toBe(0)
  })
})
