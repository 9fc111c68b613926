import { describe, expect, it } from 'vitest'
import { INVALID_REPEAT, parseRepeat, splitArgs, utf8Bytes, utf8Text } from './split.ts'

describe('splitArgs (sdssplitargs)', () => {
  it('splits on blanks', () => {
    expect(splitArgs('  set  k   v ')).toEqual(['set', 'k', 'v'])
    expect(splitArgs('')).toEqual([])
    expect(splitArgs(' \t ')).toEqual([])
  })
  it('handles double quotes and escapes', () => {
    expect(splitArgs('set "a b" "\\x41\\x4a\\n\\r\\t\\b\\a\\z\\"\\\\"')).toEqual(['set', 'a b', 'AJ\n\r\t\b\x07z"\\'])
    expect(splitArgs('"\\x4"')).toEqual(['x4'])
    expect(splitArgs('"\\xff\\x00"')).toEqual(['\xff\x00'])
    expect(splitArgs('""')).toEqual([''])
  })
  it('handles single quotes (only \\\' escapes)', () => {
    expect(splitArgs("'a\\'b' 'c\\nd'")).toEqual(["a'b", 'c\\nd'])
  })
  it('opens quotes mid-word and rejects bad closes', () => {
    expect(splitArgs('ab"c d"')).toEqual(['abc d'])
    expect(splitArgs('"abc')).toBeNull()
    expect(splitArgs("'abc")).toBeNull()
    expect(splitArgs('"a"b')).toBeNull()
    expect(splitArgs("'a'b")).toBeNull()
    expect(splitArgs('"a\\"')).toBeNull()
  })
  it('returns UTF-8 byte strings', () => {
    expect(splitArgs('set é "你"')).toEqual(['set', '\xc3\xa9', '\xe4\xbd\xa0'])
    expect(utf8Text(utf8Bytes('héllo 😀'))).toBe('héllo 😀')
  })
  it('ends at NUL like a C string', () => {
    expect(splitArgs('a\0b')).toEqual(['a'])
  })
})

describe('parseRepeat', () => {
  it('takes a leading count when more args follow', () => {
    expect(parseRepeat(['3', 'incr', 'x'])).toEqual({ ok: true, repeat: 3, args: ['incr', 'x'] })
    expect(parseRepeat(['+2', 'ping'])).toEqual({ ok: true, repeat: 2, args: ['ping'] })
    expect(parseRepeat([' 2', 'ping'])).toEqual({ ok: true, repeat: 2, args: ['ping'] })
  })
  it('leaves other lines alone', () => {
    expect(parseRepeat(['3'])).toEqual({ ok: true, repeat: 1, args: ['3'] })
    expect(parseRepeat(['3a', 'ping'])).toEqual({ ok: true, repeat: 1, args: ['3a', 'ping'] })
    expect(parseRepeat(['get', 'k'])).toEqual({ ok: true, repeat: 1, args: ['get', 'k'] })
    expect(parseRepeat([' ', 'ping'])).toEqual({ ok: true, repeat: 1, args: [' ', 'ping'] })
  })
  it('rejects zero, negative, empty and out-of-range counts', () => {
    for (const a of ['0', '-1', '', '9223372036854775808']) {
      expect(parseRepeat([a, 'ping'])).toEqual({ ok: false, error: INVALID_REPEAT })
    }
    expect(parseRepeat(['9223372036854775807', 'ping']).ok).toBe(true)
  })
})
