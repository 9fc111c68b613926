import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { lzfCompress, lzfDecompress } from './lzf.ts'
import { describeOracle, startRedis } from '../../test/support/redis-server.ts'
import type { RedisProcess } from '../../test/support/redis-server.ts'
import { connectRaw, parseReply } from '../../test/support/resp-conn.ts'
import type { RawConn } from '../../test/support/resp-conn.ts'

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
const unhex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16))
const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
const strOf = (b: Uint8Array): string => Array.from(b, (c) => String.fromCharCode(c)).join('')

/** Repetitive byte strings: chunks drawn from a tiny pool, so LZF finds back references. */
const repetitive = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c', '\x00', '\xff', 'z'), minLength: 1, maxLength: 12 }), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 400 }),
    )
    .map(([pool, picks]) => picks.map((i) => pool[i % pool.length]).join(''))
    .filter((s) => s.length >= minLength)
    .map((s) => s.slice(0, maxLength))

describe('lzf', () => {
  it('compresses 30 x "a" exactly as Redis does (facts §6 DUMP vector)', () => {
    const c = lzfCompress(bytesOf('a'.repeat(30)), 26)
    expect(c).not.toBeNull()
    expect(hex(c!)).toBe('016161e0110001' + '6161')
    expect(strOf(lzfDecompress(c!, 30)!)).toBe('a'.repeat(30))
  })

  it('returns null like lzf_compress returning 0', () => {
    expect(lzfCompress(new Uint8Array(0), 10)).toBeNull()
    expect(lzfCompress(bytesOf('abc'), 0)).toBeNull()
    // Incompressible data does not fit in fewer bytes than it has.
    expect(lzfCompress(bytesOf('abcdefghijklmnopqrstuvwxyz'), 22)).toBeNull()
    // 27 bytes would do, but the conservative "3 bytes may be missing" check before the
    // tail wants one more, as in lzf_c.c.
    expect(lzfCompress(bytesOf('abcdefghijklmnopqrstuvwxyz'), 27)).toBeNull()
    const c = lzfCompress(bytesOf('abcdefghijklmnopqrstuvwxyz'), 28)
    expect(hex(c!)).toBe('19' + hex(bytesOf('abcdefghijklmnopqrstuvwxyz')))
  })

  it('splits literal runs at 32 bytes', () => {
    const s = Array.from({ length: 70 }, (_, i) => String.fromCharCode(i)).join('')
    const c = lzfCompress(bytesOf(s), 100)!
    expect(c.length).toBe(73)
    expect(c[0]).toBe(31)
    expect(c[33]).toBe(31)
    expect(c[66]).toBe(5)
    expect(strOf(lzfDecompress(c, 70)!)).toBe(s)
  })

  it('a call never sees hash slots left by an earlier call', () => {
    const a = bytesOf('abcabcabcabc-xyzxyz-abcabc'.repeat(20))
    const b = bytesOf('zz-abc-zz-xyz-abc-q'.repeat(15))
    const fresh = hex(lzfCompress(b, 1000)!)
    lzfCompress(a, 1000)
    expect(hex(lzfCompress(b, 1000)!)).toBe(fresh)
  })

  it('decompress rejects bad input (E2BIG / EINVAL)', () => {
    const c = lzfCompress(bytesOf('a'.repeat(30)), 26)!
    expect(lzfDecompress(c, 29)).toBeNull() // output too small
    expect(lzfDecompress(c.subarray(0, c.length - 1), 30)).toBeNull() // truncated literal
    expect(lzfDecompress(unhex('e0'), 30)).toBeNull() // truncated back reference
    expect(lzfDecompress(unhex('2005'), 30)).toBeNull() // reference before the start
    expect(lzfDecompress(unhex('0161'), 30)).toBeNull() // literal run longer than the input
    // A short but valid stream gives fewer bytes than asked for.
    expect(strOf(lzfDecompress(unhex('0061'), 30)!)).toBe('a')
  })

  it('round-trips random and repetitive data (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 3000 }),
          repetitive(1, 20000).map(bytesOf),
        ),
        (data) => {
          // Always fits with n + n/32 + 4 bytes of room.
          const c = lzfCompress(data, data.length + (data.length >> 5) + 4)
          expect(c).not.toBeNull()
          const d = lzfDecompress(c!, data.length)
          expect(d).not.toBeNull()
          expect(hex(d!)).toBe(hex(data))
          // A tighter limit either fails or gives exactly the same stream.
          for (const lim of [c!.length + 2, c!.length + 1, c!.length]) {
            const tight = lzfCompress(data, lim)
            if (tight !== null) expect(hex(tight)).toBe(hex(c!))
          }
          expect(lzfCompress(data, c!.length - 1)).toBeNull()
        },
      ),
      { numRuns: 300 },
    )
  })
})

describeOracle('lzf vs redis-server 7.0.15 (DUMP with rdbcompression yes)', () => {
  let server: RedisProcess
  let conn: RawConn

  beforeAll(async () => {
    server = await startRedis(['--rdbcompression', 'yes'])
    conn = await connectRaw(server.port)
  })

  afterAll(async () => {
    await conn?.close()
    await server?.stop()
  })

  /** What rdbSaveRawString writes for a string > 20 bytes: LZF blob if lzf fits in len-4, else raw. */
  function expectedString(v: string): string {
    const data = bytesOf(v)
    const c = lzfCompress(data, data.length - 4)
    const lenHex = (n: number): string =>
      n < 64 ? hex(Uint8Array.of(n)) : n < 16384 ? hex(Uint8Array.of(0x40 | (n >> 8), n & 0xff)) : '80' + n.toString(16).padStart(8, '0')
    if (c === null) return lenHex(data.length) + hex(data)
    return 'c3' + lenHex(c.length) + lenHex(data.length) + hex(c)
  }

  async function dumpBodies(values: string[]): Promise<string[]> {
    const cmds: string[][] = []
    values.forEach((v, i) => cmds.push(['SET', `k${i}`, v]))
    values.forEach((_, i) => cmds.push(['DUMP', `k${i}`]))
    const replies = await conn.pipeline(cmds)
    return replies.slice(values.length).map((r) => {
      const n = parseReply(r)
      if (n.type !== '$' || n.data === null) throw new Error(`DUMP gave ${r}`)
      const b = bytesOf(n.data)
      expect(b[0]).toBe(0) // string type
      return hex(b.subarray(1, b.length - 10)) // drop RDB version and CRC
    })
  }

  it('30 x "a" matches the DUMP vector', async () => {
    const [body] = await dumpBodies(['a'.repeat(30)])
    expect(body).toBe('c3091e016161e01100016161')
    expect(expectedString('a'.repeat(30))).toBe(body)
  })

  it('repetitive, random and long strings compress byte-identically', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            repetitive(21, 9000),
            fc.string({ unit: 'binary-ascii', minLength: 21, maxLength: 300 }),
            fc.tuple(fc.string({ minLength: 1, maxLength: 5 }), fc.integer({ min: 5, max: 3000 })).map(([s, n]) => s.repeat(n)).filter((s) => s.length > 20),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        async (values) => {
          const bodies = await dumpBodies(values)
          values.forEach((v, i) => expect(expectedString(v)).toBe(bodies[i]))
        },
      ),
      { numRuns: 60 },
    )
  })
})
