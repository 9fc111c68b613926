// AofFeed's bytes: RESP multibulks with byte lengths, SELECT only when the db
// changes (and again after resetSelectedDb), #TS annotations once per second
// when enabled. The same bytes a real redis-server writes are checked in
// test/oracle/propagation.test.ts.
import { describe, expect, it } from 'vitest'
import { AofFeed, byteStringToBytes, encodeCommandString, timestampAnnotation } from './aof-feed.ts'

const T0 = 1_700_000_000_000

describe('AofFeed', () => {
  it('writes SELECT before the first op and whenever the db changes', () => {
    const f = new AofFeed()
    expect(f.selectedDb).toBe(-1)
    expect(f.feedString(0, ['SET', 'a', '1'], T0)).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n')
    expect(f.feedString(0, ['DEL', 'a'], T0)).toBe('*2\r\n$3\r\nDEL\r\n$1\r\na\r\n')
    expect(f.feedString(12, ['DEL', 'a'], T0)).toBe('*2\r\n$6\r\nSELECT\r\n$2\r\n12\r\n*2\r\n$3\r\nDEL\r\n$1\r\na\r\n')
    expect(f.selectedDb).toBe(12)
    f.resetSelectedDb()
    expect(f.feedString(12, ['DEL', 'a'], T0)).toBe('*2\r\n$6\r\nSELECT\r\n$2\r\n12\r\n*2\r\n$3\r\nDEL\r\n$1\r\na\r\n')
  })

  it('lengths count bytes; binary and empty arguments pass through', () => {
    const bin = '\x00\r\n\xff'
    expect(encodeCommandString(['SET', bin, ''])).toBe(`*3\r\n$3\r\nSET\r\n$4\r\n${bin}\r\n$0\r\n\r\n`)
    const f = new AofFeed()
    const bytes = f.feed(0, ['SET', bin, 'x'], T0)
    expect(bytes).toBeInstanceOf(Uint8Array)
    const again = new AofFeed().feedString(0, ['SET', bin, 'x'], T0)
    expect(Array.from(bytes)).toEqual(Array.from(byteStringToBytes(again)))
    expect(bytes.includes(0xff)).toBe(true)
  })

  it('#TS annotations: only when enabled, once per new second, before the SELECT', () => {
    const f = new AofFeed()
    expect(f.feedString(0, ['A'], T0 + 500, false)).not.toContain('#TS')
    const first = f.feedString(1, ['A'], T0 + 500, true)
    expect(first.startsWith(`${timestampAnnotation(1_700_000_000)}*2\r\n$6\r\nSELECT`)).toBe(true)
    expect(timestampAnnotation(1_700_000_000)).toBe('#TS:1700000000\r\n')
    expect(f.feedString(1, ['A'], T0 + 999, true)).toBe('*1\r\n$1\r\nA\r\n')
    expect(f.feedString(1, ['A'], T0 + 1000, true)).toBe('#TS:1700000001\r\n*1\r\n$1\r\nA\r\n')
    // A clock going back never repeats an older second.
    expect(f.feedString(1, ['A'], T0, true)).toBe('*1\r\n$1\r\nA\r\n')
  })
})
