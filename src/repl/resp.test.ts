import { describe, expect, it } from 'vitest'
import { bytesOf, parseResp, parseRespAll, RespParseError } from './resp.ts'

const p = (s: string) => parseResp(bytesOf(s))

describe('parseResp', () => {
  it('parses RESP2 types', () => {
    expect(p('+OK\r\n')).toEqual({ type: 'simple', value: 'OK' })
    expect(p('-ERR x\r\n')).toEqual({ type: 'error', value: 'ERR x' })
    expect(p(':-42\r\n')).toEqual({ type: 'integer', value: -42n })
    expect(p(':9223372036854775807\r\n')).toEqual({ type: 'integer', value: 9223372036854775807n })
    expect(p('$5\r\na\r\nb\xff\r\n')).toEqual({ type: 'bulk', value: 'a\r\nb\xff' })
    expect(p('$0\r\n\r\n')).toEqual({ type: 'bulk', value: '' })
    expect(p('$-1\r\n')).toEqual({ type: 'null', kind: 'bulk' })
    expect(p('*-1\r\n')).toEqual({ type: 'null', kind: 'array' })
    expect(p('*0\r\n')).toEqual({ type: 'array', items: [] })
    expect(p('*2\r\n*1\r\n:1\r\n$1\r\nx\r\n')).toEqual({
      type: 'array', items: [{ type: 'array', items: [{ type: 'integer', value: 1n }] }, { type: 'bulk', value: 'x' }],
    })
  })

  it('parses RESP3 types', () => {
    expect(p('_\r\n')).toEqual({ type: 'null', kind: 'null' })
    expect(p(',3.14\r\n')).toEqual({ type: 'double', value: '3.14' })
    expect(p(',inf\r\n')).toEqual({ type: 'double', value: 'inf' })
    expect(p('#t\r\n')).toEqual({ type: 'boolean', value: true })
    expect(p('#f\r\n')).toEqual({ type: 'boolean', value: false })
    expect(p('(3492890328409238509324850943850943825024385\r\n')).toEqual({ type: 'bignum', value: '3492890328409238509324850943850943825024385' })
    expect(p('!7\r\nERR x y\r\n')).toEqual({ type: 'error', value: 'ERR x y', blob: true })
    expect(p('=15\r\ntxt:Some string\r\n')).toEqual({ type: 'verbatim', format: 'txt', value: 'Some string' })
    expect(p('%1\r\n+k\r\n:1\r\n')).toEqual({ type: 'map', entries: [[{ type: 'simple', value: 'k' }, { type: 'integer', value: 1n }]] })
    expect(p('~1\r\n#t\r\n')).toEqual({ type: 'set', items: [{ type: 'boolean', value: true }] })
    expect(p('>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n')).toEqual({
      type: 'push', items: [{ type: 'bulk', value: 'invalidate' }, { type: 'array', items: [{ type: 'bulk', value: 'k' }] }],
    })
    expect(p('|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:2\r\n')).toEqual({
      type: 'attribute',
      entries: [[{ type: 'simple', value: 'key-popularity' }, { type: 'map', entries: [[{ type: 'bulk', value: 'a' }, { type: 'double', value: '0.19' }]] }]],
      value: { type: 'array', items: [{ type: 'integer', value: 2n }] },
    })
  })

  it('rejects incomplete, trailing and unknown input', () => {
    expect(() => p('$5\r\nabc\r\n')).toThrow(RespParseError)
    expect(() => p('+OK')).toThrow(RespParseError)
    expect(() => p('*2\r\n:1\r\n')).toThrow(RespParseError)
    expect(() => p('+OK\r\n+OK\r\n')).toThrow(/trailing/)
    expect(() => p('?x\r\n')).toThrow(/Protocol error/)
  })

  it('splits a buffer holding several replies', () => {
    expect(parseRespAll(bytesOf('>1\r\n+a\r\n+OK\r\n')).map((v) => v.type)).toEqual(['push', 'simple'])
  })
})
