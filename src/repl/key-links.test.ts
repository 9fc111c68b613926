import { describe, expect, it } from 'vitest'
import { quotedSpans } from './key-links.ts'
import { sdscatrepr } from './format.ts'

describe('quotedSpans', () => {
  it('finds the quoted strings of a reply line with their columns', () => {
    expect(quotedSpans('1) "user:1"')).toEqual([{ start: 3, end: 11, bytes: 'user:1' }])
    expect(quotedSpans('"a" "b c"')).toEqual([
      { start: 0, end: 3, bytes: 'a' },
      { start: 4, end: 9, bytes: 'b c' },
    ])
    expect(quotedSpans('(integer) 3')).toEqual([])
    expect(quotedSpans('"unterminated')).toEqual([])
  })

  it('undoes redis-cli escapes (the inverse of sdscatrepr)', () => {
    for (const key of ['caf\xc3\xa9', 'quote"in', 'back\\slash', '\x00\n\r\t\x07\b', 'plain']) {
      const line = `2) ${sdscatrepr(key)}`
      expect(quotedSpans(line)).toEqual([{ start: 3, end: line.length, bytes: key }])
    }
  })
})
