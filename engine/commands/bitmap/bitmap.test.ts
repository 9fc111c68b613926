// Unit tests of the bitmap commands and their helpers: bit-level helpers
// against a naive model, keyspace events / dirty counts / modified-key
// signals, WRONGTYPE (no second type is implemented yet, so a fake one is put
// in the keyspace), encodings and trace events. Behaviour against a real
// redis-server is covered by test/oracle/bitmap.test.ts.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import type { Reply } from '../../protocol/reply.ts'
import type { RObj } from '../../keyspace/object.ts'
import {
  OVERFLOW_FAIL,
  OVERFLOW_SAT,
  OVERFLOW_WRAP,
  bytesToString,
  cKeyword,
  checkSignedOverflow,
  checkUnsignedOverflow,
  findBit,
  getSignedBitfield,
  getUnsignedBitfield,
  parseBitfieldType,
  popcount,
  setBitfield,
} from './bits.ts'

function setup() {
  const server = createServer({ clock: new VirtualClock(1_700_000_000_000) })
  const c = server.connect()
  const events: string[] = []
  server.hooks.keyspaceEvent = (flag, event, key, dbid) => {
    if (flag !== 'n') events.push(`${flag}:${event}:${key}@${dbid}`)
  }
  const modified: string[] = []
  server.hooks.modifiedKey = (_db, key) => modified.push(key)
  const run = (...argv: string[]): Reply | undefined => c.call(argv)
  return { server, c, events, modified, run }
}

const int = (value: number | bigint): Reply => ({ kind: 'integer', value })
const err = (value: string): Reply => ({ kind: 'error', value })

// A naive bit model: bit i of a byte string (MSB first), zero past the end.
const bitAt = (s: string, i: number): number => (Math.floor(i / 8) < s.length ? (s.charCodeAt(Math.floor(i / 8)) >> (7 - (i % 8))) & 1 : 0)
const bytes = fc.uint8Array({ maxLength: 24 }).map((b) => String.fromCharCode(...b))

describe('bit helpers', () => {
  it('popcount and findBit agree with a bit-by-bit model', () => {
    fc.assert(
      fc.property(bytes, fc.constantFrom(0 as const, 1 as const), fc.nat(220), fc.nat(220), (s, bit, a, b) => {
        let n = 0
        for (let i = 0; i < s.length * 8; i++) n += bitAt(s, i)
        expect(popcount(s, 0, s.length)).toBe(n)
        let want = -1
        for (let i = a; i <= b; i++) {
          if (bitAt(s, i) === bit) {
            want = i
            break
          }
        }
        expect(findBit(s, bit, a, b)).toBe(want)
      }),
    )
  })

  it('bitfield get/set round-trip and touch only their bits', () => {
    fc.assert(
      fc.property(bytes, fc.nat(100), fc.integer({ min: 1, max: 64 }), fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }), (s0, offset, bits, v) => {
        const need = Math.floor((offset + bits - 1) / 8) + 1
        const s = s0.length >= need ? s0 : s0 + '\0'.repeat(need - s0.length)
        const t = setBitfield(s, offset, bits, v)
        expect(t.length).toBe(s.length)
        expect(getUnsignedBitfield(t, offset, bits)).toBe(BigInt.asUintN(bits, v))
        expect(getSignedBitfield(t, offset, bits)).toBe(BigInt.asIntN(bits, v))
        for (let i = 0; i < s.length * 8; i++) {
          if (i < offset || i >= offset + bits) expect(bitAt(t, i)).toBe(bitAt(s, i))
        }
      }),
    )
    expect(getUnsignedBitfield('\x80', 0, 1)).toBe(1n)
    expect(getSignedBitfield('\x80', 0, 1)).toBe(-1n)
    expect(getUnsignedBitfield('\x12\x34', 4, 8)).toBe(0x23n)
    expect(getUnsignedBitfield('', 1000, 64)).toBe(0n)
  })

  it('overflow rules at the edges (as in checkSigned/UnsignedBitfieldOverflow)', () => {
    expect(checkSignedOverflow(127n, 1n, 8, OVERFLOW_WRAP)).toEqual({ overflow: 1, limit: -128n })
    expect(checkSignedOverflow(127n, 1n, 8, OVERFLOW_SAT)).toEqual({ overflow: 1, limit: 127n })
    expect(checkSignedOverflow(127n, 1n, 8, OVERFLOW_FAIL)).toEqual({ overflow: 1, limit: undefined })
    expect(checkSignedOverflow(-128n, -1n, 8, OVERFLOW_SAT)).toEqual({ overflow: -1, limit: -128n })
    expect(checkSignedOverflow(-128n, -1n, 8, OVERFLOW_WRAP)).toEqual({ overflow: -1, limit: 127n })
    expect(checkSignedOverflow(100n, 27n, 8, OVERFLOW_WRAP)).toEqual({ overflow: 0 })
    // SET of INT64_MIN into an i8: max - value wraps in int64, so Redis sees an upward overflow.
    expect(checkSignedOverflow(-(1n << 63n), 0n, 8, OVERFLOW_SAT)).toEqual({ overflow: 1, limit: 127n })
    expect(checkSignedOverflow((1n << 63n) - 1n, 1n, 64, OVERFLOW_WRAP)).toEqual({ overflow: 1, limit: -(1n << 63n) })
    expect(checkUnsignedOverflow(255n, 1n, 8, OVERFLOW_WRAP)).toEqual({ overflow: 1, limit: 0n })
    expect(checkUnsignedOverflow(0n, -1n, 8, OVERFLOW_SAT)).toEqual({ overflow: -1, limit: 0n })
    expect(checkUnsignedOverflow(0n, -1n, 8, OVERFLOW_WRAP)).toEqual({ overflow: -1, limit: 255n })
    // A negative SET value is a huge uint64, so it overflows upwards.
    expect(checkUnsignedOverflow(BigInt.asUintN(64, -1n), 0n, 8, OVERFLOW_SAT)).toEqual({ overflow: 1, limit: 255n })
  })

  it('parses types and keywords with C string semantics', () => {
    expect(parseBitfieldType('i64')).toEqual({ signed: true, bits: 64 })
    expect(parseBitfieldType('u63')).toEqual({ signed: false, bits: 63 })
    expect(parseBitfieldType('u8\0junk')).toEqual({ signed: false, bits: 8 })
    for (const bad of ['u64', 'i65', 'i0', 'I8', 'i', '', 'i08', 'x8']) expect(parseBitfieldType(bad)).toHaveProperty('kind', 'error')
    expect(cKeyword('BiT', 'bit')).toBe(true)
    expect(cKeyword('bit\0x', 'bit')).toBe(true)
    expect(cKeyword('bits', 'bit')).toBe(false)
    expect(bytesToString(new Uint8Array([0, 255, 65]))).toBe('\x00\xffA')
    expect(bytesToString(new Uint8Array(20000).fill(7)).length).toBe(20000)
  })
})

describe('bitmap commands', () => {
  it('fire the events Redis fires and count changes like server.dirty', () => {
    const { server, events, modified, run } = setup()
    const step = (argv: string[], ev: string[], dirty: number): void => {
      events.length = 0
      modified.length = 0
      const before = server.dirty
      run(...argv)
      expect(events, argv.join(' ')).toEqual(ev)
      expect(server.dirty - before, argv.join(' ')).toBe(dirty)
      expect(modified.length > 0, argv.join(' ')).toBe(dirty > 0)
    }
    step(['SETBIT', 'a', '1', '1'], ['$:setbit:a@0'], 1)
    step(['SETBIT', 'a', '1', '1'], [], 0)
    step(['SETBIT', 'a', '2', '0'], [], 0)
    step(['SETBIT', 'a', '100', '0'], ['$:setbit:a@0'], 1)
    step(['GETBIT', 'a', '1'], [], 0)
    step(['BITCOUNT', 'a'], [], 0)
    step(['BITPOS', 'a', '1'], [], 0)
    step(['BITOP', 'OR', 'b', 'a'], ['$:set:b@0'], 1)
    // Reads of missing keys fire 'keymiss' (lookupKeyRead), as in Redis.
    step(['BITOP', 'OR', 'b', 'none'], ['m:keymiss:none@0', 'g:del:b@0'], 1)
    step(['BITOP', 'OR', 'b', 'none'], ['m:keymiss:none@0'], 0)
    step(['BITFIELD', 'c', 'GET', 'u8', '0'], ['m:keymiss:c@0'], 0)
    step(['BITFIELD', 'c', 'SET', 'u8', '0', '0', 'SET', 'u8', '0', '0'], ['$:setbit:c@0'], 2)
    step(['BITFIELD', 'c', 'SET', 'u8', '0', '0'], [], 0)
    step(['BITFIELD', 'c', 'SET', 'u8', '0', '1', 'INCRBY', 'u8', '0', '0', 'INCRBY', 'u8', '0', '2'], ['$:setbit:c@0'], 2)
    step(['BITFIELD', 'c', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1000'], [], 0)
    step(['BITFIELD_RO', 'c', 'GET', 'u8', '0'], [], 0)
  })

  it('replies like Redis on a few hand-checked cases', () => {
    const { run } = setup()
    expect(run('SETBIT', 'k', '7', '1')).toEqual(int(0))
    expect(run('GET', 'k')).toEqual({ kind: 'bulk', value: '\x01' })
    expect(run('SETBIT', 'k', '7', '0')).toEqual(int(1))
    expect(run('SETBIT', 'k', '7', '2')).toEqual(err('ERR bit is not an integer or out of range'))
    expect(run('SETBIT', 'k', '4294967296', '1')).toEqual(err('ERR bit offset is not an integer or out of range'))
    expect(run('SET', 's', 'foobar')).toEqual({ kind: 'status', value: 'OK' })
    expect(run('BITCOUNT', 's')).toEqual(int(26))
    expect(run('BITCOUNT', 's', '1', '1')).toEqual(int(6))
    expect(run('BITCOUNT', 's', '5', '30', 'BIT')).toEqual(int(17))
    expect(run('BITPOS', 's', '0', '0', '-1', 'BIT')).toEqual(int(0))
    expect(run('SET', 'm', '\xff\xf0\x00')).toEqual({ kind: 'status', value: 'OK' })
    expect(run('BITPOS', 'm', '0')).toEqual(int(12))
    expect(run('BITPOS', 'm', '1', '2')).toEqual(int(-1))
    expect(run('BITPOS', 'm', '0', '0', '0')).toEqual(int(-1))
    expect(run('BITPOS', 'ones', '0')).toEqual(int(0))
    expect(run('BITOP', 'NOT', 'd', 'm', 'm')).toEqual(err('ERR BITOP NOT must be called with a single source key.'))
    expect(run('BITOP', 'NOT', 'd', 'm')).toEqual(int(3))
    expect(run('GET', 'd')).toEqual({ kind: 'bulk', value: '\x00\x0f\xff' })
    expect(run('BITFIELD', 'f', 'SET', 'i8', '#1', '-1', 'GET', 'u16', '0', 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', '#1', '-128')).toEqual({
      kind: 'array',
      value: [int(0), int(255), { kind: 'null' }],
    })
    expect(run('BITFIELD_RO', 'f', 'INCRBY', 'u8', '0', '1')).toEqual(err('ERR BITFIELD_RO only supports the GET subcommand'))
    expect(run('BITFIELD', 'f', 'GET', 'u64', '0')).toEqual(
      err('ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.'),
    )
  })

  it('leave raw strings behind, even when no bit changes', () => {
    const { run, c } = setup()
    run('SET', 'n', '12')
    run('SETBIT', 'n', '0', '0')
    expect(run('OBJECT', 'ENCODING', 'n')).toEqual({ kind: 'bulk', value: 'raw' })
    run('SET', 'e', 'abc')
    run('BITFIELD', 'e', 'INCRBY', 'u8', '0', '0')
    expect(run('OBJECT', 'ENCODING', 'e')).toEqual({ kind: 'bulk', value: 'raw' })
    run('SET', 'g', 'abc')
    run('BITFIELD', 'g', 'GET', 'u8', '0')
    expect(run('OBJECT', 'ENCODING', 'g')).toEqual({ kind: 'bulk', value: 'embstr' })
    run('BITOP', 'AND', 'r', 'g')
    expect(run('OBJECT', 'ENCODING', 'r')).toEqual({ kind: 'bulk', value: 'raw' })
    expect(c.db.lookupRead('r')).toMatchObject({ type: 'string', value: 'abc' })
  })

  it('refuse non-string keys with WRONGTYPE', () => {
    const { run, c } = setup()
    // No second type exists yet: a stand-in object of another type. The expected
    // replies (and which error wins) were checked on redis-server 7.0.15 with a list.
    c.db.add('h', { type: 'hash', encoding: 'listpack', value: '', lru: 0 } as unknown as RObj)
    const wrong = err('WRONGTYPE Operation against a key holding the wrong kind of value')
    expect(run('SETBIT', 'h', '1', '1')).toEqual(wrong)
    expect(run('SETBIT', 'h', 'x', '1')).toEqual(err('ERR bit offset is not an integer or out of range'))
    expect(run('GETBIT', 'h', '1')).toEqual(wrong)
    expect(run('BITCOUNT', 'h', 'x')).toEqual(wrong)
    expect(run('BITPOS', 'h', '1')).toEqual(wrong)
    expect(run('BITPOS', 'h', '2')).toEqual(err('ERR The bit argument must be 1 or 0.'))
    expect(run('BITOP', 'AND', 'd', 'none', 'h')).toEqual(wrong)
    expect(run('BITFIELD', 'h', 'GET', 'u8', '0')).toEqual(wrong)
    expect(run('BITFIELD', 'h', 'SET', 'u8', '0', '1')).toEqual(wrong)
    expect(run('BITFIELD', 'h')).toEqual(wrong)
    expect(run('BITFIELD', 'h', 'GET', 'u64', '0')).toEqual(
      err('ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.'),
    )
    expect(run('BITFIELD_RO', 'h', 'SET', 'u8', '0', '1')).toEqual(err('ERR BITFIELD_RO only supports the GET subcommand'))
    expect(run('EXISTS', 'd')).toEqual(int(0))
  })

  it('emit a key-written trace event for in-place writes', () => {
    const { server, run } = setup()
    run('SETBIT', 'k', '100', '1')
    const seen: string[] = []
    const off = server.traceBus.subscribe((e) => {
      if ('key' in e) seen.push(`${e.type}:${String(e.key)}`)
    })
    run('SETBIT', 'k', '1', '1')
    run('SETBIT', 'k', '1', '1')
    run('BITFIELD', 'k', 'SET', 'u8', '0', '7')
    off()
    expect(seen).toEqual(['key-written:k', 'key-written:k'])
  })
})
