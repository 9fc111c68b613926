import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Intset, intsetValueEncoding, validateIntset } from './intset.ts'
import type { IntsetEncoding, IntsetUpgradeEvent, IntsetValue } from './intset.ts'
import { describeOracle, startRedis } from '../../test/support/redis-server.ts'
import type { RedisProcess } from '../../test/support/redis-server.ts'
import { connectRaw, parseReply } from '../../test/support/resp-conn.ts'
import type { RawConn } from '../../test/support/resp-conn.ts'

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
const unhex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16))
const big = (v: IntsetValue): bigint => BigInt(v)
const norm = (v: bigint): IntsetValue => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v)

/** The intset inside a DUMP payload: type 11, 6/14/32-bit RDB string length, blob, version, CRC. */
function dumpBlob(dump: Uint8Array): Uint8Array {
  expect(dump[0]).toBe(11)
  let p = 1
  const b = dump[p++]
  let len: number
  if (b >> 6 === 0) len = b & 63
  else if (b >> 6 === 1) len = ((b & 63) << 8) | dump[p++]
  else if (b === 0x80) {
    len = new DataView(dump.buffer, dump.byteOffset).getUint32(p, false)
    p += 4
  } else throw new Error(`unexpected RDB length byte 0x${b.toString(16)} (LZF?)`)
  expect(p + len + 10).toBe(dump.length)
  return dump.subarray(p, p + len)
}

/** Expected layout for values that were ever added at width `enc`. */
function layout(enc: IntsetEncoding, values: bigint[]): string {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const out = new Uint8Array(8 + enc * sorted.length)
  const dv = new DataView(out.buffer)
  dv.setUint32(0, enc, true)
  dv.setUint32(4, sorted.length, true)
  sorted.forEach((v, i) => {
    if (enc === 2) dv.setInt16(8 + 2 * i, Number(v), true)
    else if (enc === 4) dv.setInt32(8 + 4 * i, Number(v), true)
    else dv.setBigInt64(8 + 8 * i, v, true)
  })
  return hex(out)
}

describe('intset basics', () => {
  it('matches the SADD si 1 2 DUMP vector (redis-7.0-facts.md §6)', () => {
    const blob = dumpBlob(unhex('0b0c0200000002000000010002000a006f7938b134eb202e'))
    const s = Intset.create()
    expect(s.add(1)).toBe(true)
    expect(s.add(2)).toBe(true)
    expect(s.add(2)).toBe(false)
    expect(hex(s.bytes())).toBe(hex(blob))
    expect(hex(Intset.fromBytes(blob).bytes())).toBe(hex(blob))
  })

  it('picks the narrowest width', () => {
    const t: [IntsetValue, IntsetEncoding][] = [
      [0, 2], [32767, 2], [-32768, 2], [32768, 4], [-32769, 4], [2147483647, 4], [-2147483648, 4],
      [2147483648, 8], [-2147483649, 8], [2n ** 63n - 1n, 8], [-(2n ** 63n), 8], [5n, 2],
    ]
    for (const [v, e] of t) expect([v, intsetValueEncoding(v)]).toEqual([v, e])
    expect(() => intsetValueEncoding(2n ** 63n)).toThrow(RangeError)
    expect(() => intsetValueEncoding(1.5)).toThrow(RangeError)
  })

  it('upgrades: negative value goes first, positive last, and the width never shrinks', () => {
    const events: IntsetUpgradeEvent[] = []
    const s = Intset.create((e) => events.push(e))
    s.add(5)
    s.add(-3)
    s.add(40000)
    expect(events).toEqual([{ from: 2, to: 4, value: 40000 }])
    expect(s.toArray()).toEqual([-3, 5, 40000])
    s.add(-(2n ** 40n))
    expect(events[1]).toEqual({ from: 4, to: 8, value: -(2 ** 40) })
    expect(s.toArray()).toEqual([-(2 ** 40), -3, 5, 40000])
    s.add(2n ** 62n)
    expect(s.get(4)).toBe(2n ** 62n)
    expect(s.remove(2n ** 62n)).toBe(true)
    expect(s.remove(-(2 ** 40))).toBe(true)
    expect(s.encoding).toBe(8)
    expect(hex(s.bytes())).toBe(layout(8, [-3n, 5n, 40000n]))
    expect(s.has(5)).toBe(true)
    expect(s.has(6)).toBe(false)
    expect(s.min()).toBe(-3)
    expect(s.max()).toBe(40000)
  })

  it('remove/has of a value wider than the encoding is a miss', () => {
    const s = Intset.create()
    s.add(1)
    expect(s.has(2 ** 40)).toBe(false)
    expect(s.remove(2 ** 40)).toBe(false)
    expect(s.encoding).toBe(2)
  })

  it('random picks rand() % length', () => {
    const s = Intset.create()
    for (const v of [10, 20, 30]) s.add(v)
    let n = 0
    const rand = { u32: () => n++ }
    expect([s.random(rand), s.random(rand), s.random(rand), s.random(rand)]).toEqual([10, 20, 30, 10])
    expect(() => Intset.create().random(rand)).toThrow(RangeError)
  })

  it('validates like intsetValidateIntegrity', () => {
    const good = unhex(layout(4, [-5n, 1n, 70000n]))
    expect(validateIntset(good, true)).toBe(true)
    expect(validateIntset(good.subarray(0, 7), false)).toBe(false) // no header
    expect(validateIntset(unhex(layout(2, [])), false)).toBe(false) // empty set is invalid
    const badEnc = good.slice()
    badEnc[0] = 3
    expect(validateIntset(badEnc, false)).toBe(false)
    expect(validateIntset(good.subarray(0, good.length - 1), false)).toBe(false) // size mismatch
    const unsorted = unhex(layout(4, [-5n, 1n, 70000n]))
    new DataView(unsorted.buffer).setInt32(12, 80000, true)
    expect(validateIntset(unsorted, false)).toBe(true) // shallow: order unchecked
    expect(validateIntset(unsorted, true)).toBe(false)
    const dup = unhex(layout(2, [1n, 2n]))
    new DataView(dup.buffer).setInt16(10, 1, true)
    expect(validateIntset(dup, true)).toBe(false)
    expect(() => Intset.fromBytes(dup)).toThrow()
  })
})

const valueArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: -40000n, max: 40000n }),
  fc.bigInt({ min: -(2n ** 32n), max: 2n ** 32n }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(-32769n, -32768n, 32767n, 32768n, 2147483647n, 2147483648n, -2147483648n, -2147483649n),
)

describe('intset against a sorted-set model', () => {
  it('add/remove sequences keep order, width history and layout', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), valueArb), { maxLength: 80 }), (ops) => {
        const s = Intset.create()
        const model = new Set<bigint>()
        let enc: IntsetEncoding = 2
        let upgrades = 0
        s.onUpgrade = () => upgrades++
        let expectUpgrades = 0
        for (const [add, v] of ops) {
          const arg = norm(v)
          if (add) {
            const e = intsetValueEncoding(v)
            if (e > enc) {
              enc = e
              expectUpgrades++
            }
            expect(s.add(arg)).toBe(!model.has(v))
            model.add(v)
          } else {
            expect(s.remove(arg)).toBe(model.has(v))
            model.delete(v)
          }
          expect(s.has(arg)).toBe(model.has(v))
        }
        expect(upgrades).toBe(expectUpgrades)
        expect(s.encoding).toBe(enc)
        expect(s.length).toBe(model.size)
        expect(hex(s.bytes())).toBe(layout(enc, [...model]))
        expect(s.toArray().map(big)).toEqual([...model].sort((a, b) => (a < b ? -1 : 1)))
        if (model.size > 0) expect(hex(Intset.fromBytes(s.bytes()).bytes())).toBe(hex(s.bytes()))
      }),
      { numRuns: 500 },
    )
  })
})

describeOracle('intset vs redis-server 7.0.15 DUMP payloads', () => {
  let server: RedisProcess
  let conn: RawConn

  beforeAll(async () => {
    server = await startRedis(['--rdbcompression', 'no'])
    conn = await connectRaw(server.port)
  })

  afterAll(async () => {
    await conn?.close()
    await server?.stop()
  })

  it('SADD/SREM sequences give identical intset bytes (all widths, upgrades, removals)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(3), valueArb), { minLength: 1, maxLength: 80 }), async (ops) => {
        await checkAgainstRedis(ops)
      }),
      { numRuns: 150 },
    )
  })

  it('sets kept near one width boundary (16/32-bit edges) match', async () => {
    // Each run stays in one width class plus its edge values, so the narrow encodings and
    // the exact upgrade points are what decides the bytes.
    const edges = [
      [-32769n, -32768n, 32767n, 32768n],
      [-2147483649n, -2147483648n, 2147483647n, 2147483648n],
    ]
    const classArb = fc.constantFrom(0, 1).chain((c) =>
      fc.array(
        fc.tuple(fc.nat(3), fc.oneof(fc.bigInt({ min: -100n, max: 100n }), fc.constantFrom(...edges[c]))),
        { minLength: 1, maxLength: 40 },
      ),
    )
    await fc.assert(fc.asyncProperty(classArb, (ops) => checkAgainstRedis(ops)), { numRuns: 150 })
  })

  async function checkAgainstRedis(ops: [number, bigint][]): Promise<void> {
    await conn.call(['DEL', 's'])
    let s = Intset.create()
    const argvs: string[][] = []
    for (const [kind, v] of ops) {
      // one in four is a removal
      if (kind === 0) {
        argvs.push(['SREM', 's', String(v)])
        s.remove(norm(v))
        // Redis deletes an emptied set, so the next SADD starts a fresh 16-bit intset.
        if (s.length === 0) s = Intset.create()
      } else {
        argvs.push(['SADD', 's', String(v)])
        s.add(norm(v))
      }
    }
    for (const r of await conn.pipeline(argvs)) expect(r[0]).toBe(':')
    const d = parseReply(await conn.call(['DUMP', 's']))
    if (d.type !== '$') throw new Error(d.raw)
    if (s.length === 0) {
      expect(d.data).toBeNull()
      return
    }
    expect(parseReply(await conn.call(['OBJECT', 'ENCODING', 's'])).raw).toBe('$6\r\nintset\r\n')
    const blob = dumpBlob(Uint8Array.from(d.data!, (c) => c.charCodeAt(0)))
    expect(hex(s.bytes())).toBe(hex(blob))
    expect(validateIntset(blob, true)).toBe(true)
  }

  it('a 512-member intset (the conversion threshold) matches', async () => {
    await conn.call(['DEL', 's'])
    const s = Intset.create()
    const argvs: string[][] = []
    for (let i = 0; i < 512; i++) {
      const v = BigInt((i * 7919) % 1000) * 3000000n - 1000000000n
      argvs.push(['SADD', 's', String(v)])
      s.add(norm(v))
    }
    await conn.pipeline(argvs)
    const d = parseReply(await conn.call(['DUMP', 's']))
    if (d.type !== '$' || d.data === null) throw new Error(d.raw)
    expect(s.length).toBe(512)
    expect(hex(s.bytes())).toBe(hex(dumpBlob(Uint8Array.from(d.data, (c) => c.charCodeAt(0)))))
  })
})
