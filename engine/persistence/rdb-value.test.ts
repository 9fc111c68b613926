import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import type { Reply } from '../protocol/reply.ts'
import type { RObj } from '../keyspace/object.ts'
import { Crc64 } from '../structures/crc64.ts'
import { Listpack } from '../structures/listpack.ts'
import { Quicklist } from '../structures/quicklist.ts'
import {
  RdbEmptyKeyError,
  RdbError,
  RdbReader,
  RdbWriter,
  bytesToByteString,
  byteStringToBytes,
  createDumpPayload,
  dumpPayloadSanitizations,
  loadDumpPayload,
  rdbLoadObject,
  rdbObjectType,
  rdbSavedObjectLen,
  scanfDouble,
  validateZiplist,
  validateZipmap,
  verifyDumpPayload,
} from './rdb-value.ts'
import { rdbSavedObjectLen as registeredLen } from '../commands/server/serialized-length.ts'

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
const unhex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16))

function setup(config: Record<string, string> = {}) {
  const server = createServer({ clock: new VirtualClock(), config })
  const c = server.connect()
  const r = (...argv: string[]): Reply => c.call(argv)!
  const obj = (key: string): RObj => server.dbs[0].dict.get(key)!
  return { server, c, r, obj }
}

/** A DUMP payload around a value body. */
function payload(body: (w: RdbWriter) => void, version = 10): Uint8Array {
  const w = new RdbWriter()
  body(w)
  w.byte(version & 0xff)
  w.byte(version >> 8)
  w.bytes(new Crc64().update(w.view()).bytesLE())
  return w.toBytes()
}

describe('DUMP payloads (redis-7.0-facts.md §6 vectors)', () => {
  it('are byte-identical to redis-server 7.0.15', () => {
    const { r, obj } = setup()
    r('SET', 's', 'hello')
    r('SET', 'i', '12345')
    r('SET', 'a', 'a'.repeat(30))
    r('RPUSH', 'l', 'a', 'b')
    r('SADD', 'si', '1', '2')
    r('SADD', 'sh', 'x')
    r('HSET', 'h', 'f', 'v')
    r('ZADD', 'z', '1.5', 'm')
    const expected: Record<string, string> = {
      s: '000568656c6c6f0a006372df766534200a',
      i: '00c139300a009d94ea2793fc08b9',
      a: '00c3091e016161e011000161610a0045737cbb2b647bbb',
      l: '1201020d0d0000000200816102816202ff0a0068eb0a891341bbb1',
      si: '0b0c0200000002000000010002000a006f7938b134eb202e',
      sh: '020101780a00ffe880ba760c2f09',
      h: '100d0d0000000200816602817602ff0a0020f13d442354089d',
      z: '110f0f0000000200816d0283312e3504ff0a0049d9876078254e8a',
    }
    for (const [k, h] of Object.entries(expected)) {
      expect(hex(createDumpPayload(obj(k), true)), k).toBe(h)
      const d = r('DUMP', k) as { kind: 'bulk'; value: string }
      expect(hex(byteStringToBytes(d.value)), k).toBe(h)
      // serializedlength = payload minus type byte and 10-byte footer.
      expect(rdbSavedObjectLen(obj(k), true)).toBe(h.length / 2 - 11)
      expect(registeredLen(obj(k), true)).toBe(h.length / 2 - 11)
    }
    expect(r('DUMP', 'missing')).toEqual({ kind: 'null' })
  })

  it('stores 30 x "a" verbatim when rdbcompression is off', () => {
    const { r, obj } = setup()
    r('CONFIG', 'SET', 'rdbcompression', 'no')
    r('SET', 'a', 'a'.repeat(30))
    const p = createDumpPayload(obj('a'), false)
    expect(hex(p.subarray(0, 2))).toBe('001e')
    expect(p.length).toBe(1 + 1 + 30 + 10)
    expect(verifyDumpPayload(p)).toBe(true)
  })
})

describe('RdbWriter / RdbReader primitives', () => {
  it('encodes lengths in 1, 2, 5 or 9 bytes and reads them back', () => {
    for (const [n, size] of [
      [0, 1],
      [63, 1],
      [64, 2],
      [16383, 2],
      [16384, 5],
      [2 ** 32 - 1, 5],
      [2 ** 32, 9],
      [2 ** 53 - 1, 9],
    ] as const) {
      const w = new RdbWriter()
      w.len(n)
      expect(w.length, String(n)).toBe(size)
      const rd = new RdbReader(w.toBytes())
      expect(rd.lenEx()).toEqual({ value: n, encoded: false })
      expect(rd.remaining).toBe(0)
    }
    const w = new RdbWriter()
    w.len(2n ** 64n - 1n)
    expect(hex(w.toBytes())).toBe('81ffffffffffffffff')
    expect(new RdbReader(w.toBytes()).lenBig()).toBe(2n ** 64n - 1n)
    expect(new RdbReader(w.toBytes()).len()).toBe(Infinity)
    expect(() => new RdbReader(unhex('82')).len()).toThrow(RdbError)
    expect(() => new RdbReader(unhex('80ffff')).len()).toThrow(RdbError)
  })

  it('writes canonical integers of up to 11 chars with the int encodings', () => {
    const enc = (s: string, compression = true): string => {
      const w = new RdbWriter()
      w.rawString(s, compression)
      return hex(w.toBytes())
    }
    expect(enc('0')).toBe('c000')
    expect(enc('-128')).toBe('c080')
    expect(enc('127')).toBe('c07f')
    expect(enc('128')).toBe('c18000')
    expect(enc('-32768')).toBe('c10080')
    expect(enc('32768')).toBe('c200800000')
    expect(enc('-2147483648')).toBe('c200000080')
    expect(enc('2147483648')).toBe('0a32313437343833363438')
    expect(enc('01')).toBe('023031')
    expect(enc('-0')).toBe('022d30')
    expect(enc('+1')).toBe('022b31')
    expect(enc('')).toBe('00')
    // LZF only above 20 bytes and when it saves 4 bytes.
    expect(enc('a'.repeat(20))).toBe('14' + '61'.repeat(20))
    expect(enc('a'.repeat(30))).toBe('c3091e016161e01100016161')
    expect(enc('a'.repeat(30), false)).toBe('1e' + '61'.repeat(30))
    const w = new RdbWriter()
    w.longLongAsString(9223372036854775807n)
    expect(bytesToByteString(w.toBytes())).toBe('\x139223372036854775807')
  })

  it('reads back every string form, integers as their decimal text', () => {
    const w = new RdbWriter()
    const values = ['', 'x', '-1', '300', '70000', '-2147483648', 'a'.repeat(100), 'b'.repeat(20000), '\x00\xff\x80']
    for (const v of values) w.rawString(v, true)
    const rd = new RdbReader(w.toBytes())
    for (const v of values) expect(rd.string()).toBe(v)
    expect(rd.remaining).toBe(0)
    const rd2 = new RdbReader(w.toBytes())
    expect(rd2.encodedString()).toEqual({ str: '' })
    expect(rd2.encodedString()).toEqual({ str: 'x' })
    expect(rd2.encodedString()).toEqual({ int: -1 })
    expect(rd2.encodedString()).toEqual({ int: 300 })
  })

  it('refuses short reads, unknown string encodings and bad LZF data', () => {
    expect(() => new RdbReader(unhex('05616263')).string()).toThrow(RdbError)
    expect(() => new RdbReader(unhex('c4')).string()).toThrow('Unknown RDB string encoding')
    expect(() => new RdbReader(unhex('c1ff')).string()).toThrow(RdbError)
    // LZF claiming 5 bytes but inflating to 2.
    expect(() => new RdbReader(unhex('c302050161')).string()).toThrow('Invalid LZF')
    expect(() => new RdbReader(unhex('c3000500')).string()).toThrow('Invalid LZF')
  })

  it('round-trips binary doubles and millisecond times', () => {
    const w = new RdbWriter()
    for (const d of [0, -0, 1.5, -Infinity, Infinity, 5e-324, Number.MAX_VALUE]) w.binaryDouble(d)
    w.millisecondTime(-1n)
    w.millisecondTime(1700000000000)
    const rd = new RdbReader(w.toBytes())
    for (const d of [0, -0, 1.5, -Infinity, Infinity, 5e-324, Number.MAX_VALUE]) expect(Object.is(rd.binaryDouble(), d)).toBe(true)
    expect(rd.millisecondTime()).toBe(-1n)
    expect(rd.millisecondTime()).toBe(1700000000000n)
  })

  it('reads text scores like sscanf("%lg")', () => {
    expect(scanfDouble('1.5')).toBe(1.5)
    expect(scanfDouble(' 2xy')).toBe(2)
    expect(scanfDouble('-inf')).toBe(-Infinity)
    expect(scanfDouble('0x10')).toBe(16)
    expect(scanfDouble('1e400')).toBe(Infinity)
    expect(scanfDouble('3\x009')).toBe(3)
    expect(scanfDouble('zz')).toBeNull()
    expect(scanfDouble('')).toBeNull()
    const rd = new RdbReader(unhex('fdfefffe'))
    expect(rd.asciiDouble()).toBeNaN()
    expect(rd.asciiDouble()).toBe(Infinity)
    expect(rd.asciiDouble()).toBe(-Infinity)
  })
})

describe('verifyDumpPayload', () => {
  it('checks length, version and CRC', () => {
    const p = payload((w) => w.byteString('\x00\x01a'))
    expect(verifyDumpPayload(p)).toBe(true)
    expect(verifyDumpPayload(p.subarray(0, 9))).toBe(false)
    expect(verifyDumpPayload(payload((w) => w.byteString('\x00\x01a'), 11))).toBe(false)
    expect(verifyDumpPayload(payload((w) => w.byteString('\x00\x01a'), 9))).toBe(true)
    const bad = p.slice()
    bad[2] ^= 1
    expect(verifyDumpPayload(bad)).toBe(false)
    expect(verifyDumpPayload(bad, true)).toBe(true)
  })
})

describe('loading values', () => {
  it('round-trips every type and encoding through DUMP and RESTORE', () => {
    const { r, obj, server } = setup()
    r('CONFIG', 'SET', 'list-compress-depth', '1')
    r('CONFIG', 'SET', 'list-max-listpack-size', '4')
    r('RPUSH', 'list', ...Array.from({ length: 40 }, (_, i) => (i % 2 ? String(i) : `v${i}`.repeat(10))))
    r('SET', 'str', 'x'.repeat(50))
    r('SET', 'int', '-99')
    r('SADD', 'intset', '1', '-70000', '5')
    r('SADD', 'set', 'a', 'b', '3')
    r('HSET', 'hlp', 'f', 'v', 'n', '7')
    r('HSET', 'hht', 'f', 'v'.repeat(100))
    r('ZADD', 'zlp', '1', 'a', '2.5', 'b')
    r('ZADD', 'zsl', '1', 'a'.repeat(100), '-2', 'b')
    for (const k of ['list', 'str', 'int', 'intset', 'set', 'hlp', 'hht', 'zlp', 'zsl']) {
      const p = createDumpPayload(obj(k), true)
      const o = loadDumpPayload(p, { server, deep: true })
      expect(o, k).not.toBeNull()
      expect(o!.type, k).toBe(obj(k).type)
      expect(o!.encoding, k).toBe(obj(k).encoding)
      expect(rdbObjectType(o!)).toBe(p[0])
      // Re-serializing gives the same bytes for ordered encodings.
      if (!['set', 'hht'].includes(k)) expect(hex(createDumpPayload(o!, true)), k).toBe(hex(p))
      expect(r('RESTORE', `${k}:copy`, '0', bytesToByteString(p))).toEqual({ kind: 'status', value: 'OK' })
    }
    expect(r('LRANGE', 'list:copy', '0', '-1')).toEqual(r('LRANGE', 'list', '0', '-1'))
    expect(r('ZRANGE', 'zsl:copy', '0', '-1', 'WITHSCORES')).toEqual(r('ZRANGE', 'zsl', '0', '-1', 'WITHSCORES'))
    expect(r('HGET', 'hht:copy', 'f')).toEqual({ kind: 'bulk', value: 'v'.repeat(100) })
    expect(r('SISMEMBER', 'set:copy', '3')).toEqual({ kind: 'integer', value: 1 })
    expect(r('OBJECT', 'ENCODING', 'int:copy')).toEqual({ kind: 'bulk', value: 'int' })
  })

  it('converts after load by the current thresholds', () => {
    const { r, obj, server } = setup()
    r('HSET', 'h', 'a', '1', 'b', '2', 'c', '3')
    r('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c')
    r('SADD', 's', '1', '2', '3')
    r('ZADD', 'zs', '1', 'x'.repeat(80))
    const ph = createDumpPayload(obj('h'), true)
    const pz = createDumpPayload(obj('z'), true)
    const ps = createDumpPayload(obj('s'), true)
    const pzs = createDumpPayload(obj('zs'), true)
    r('CONFIG', 'SET', 'hash-max-listpack-entries', '2')
    r('CONFIG', 'SET', 'zset-max-listpack-entries', '2')
    r('CONFIG', 'SET', 'set-max-intset-entries', '2')
    r('CONFIG', 'SET', 'zset-max-listpack-value', '100')
    const ctx = { server, deep: false }
    expect(loadDumpPayload(ph, ctx)!.encoding).toBe('hashtable')
    expect(loadDumpPayload(pz, ctx)!.encoding).toBe('skiplist')
    expect(loadDumpPayload(ps, ctx)!.encoding).toBe('hashtable')
    expect(loadDumpPayload(pzs, ctx)!.encoding).toBe('listpack')
  })

  it('reports empty collections as RdbEmptyKeyError and other problems as RdbError', () => {
    const { server } = setup()
    const ctx = { server, deep: false }
    for (const [type, body] of [
      [2, '00'],
      [4, '00'],
      [5, '00'],
      [18, '00'],
      [1, '00'],
    ] as const) {
      expect(() => rdbLoadObject(type, new RdbReader(unhex(body)), ctx)).toThrow(RdbEmptyKeyError)
    }
    expect(() => rdbLoadObject(2, new RdbReader(unhex('0201610161')), ctx)).toThrow('Duplicate set members')
    expect(() => rdbLoadObject(18, new RdbReader(unhex('0103')), ctx)).toThrow('Quicklist integrity')
    expect(() => rdbLoadObject(8, new RdbReader(unhex('00')), ctx)).toThrow(RdbError)
    expect(loadDumpPayload(payload((w) => w.byteString('\x08\x00')), ctx)).toBeNull()
    expect(loadDumpPayload(payload((w) => w.byteString('\x12\x00')), ctx)).toBeNull()
    // A string running into the footer is read from it, as Redis's rio buffer does.
    const into = payload((w) => w.byteString('\x00\x03a'))
    expect(loadDumpPayload(into, ctx)).toMatchObject({ type: 'string', value: 'a\x0a\x00' })
  })

  it('checks listpack entries only with deep sanitization', () => {
    const { server } = setup()
    // Header says 4 entries, there is 1.
    const lp = unhex('0c0000000400816102' + '0101ff')
    const p = payload((w) => {
      w.byte(16)
      w.rawString(lp, false)
    })
    expect(loadDumpPayload(p, { server, deep: false })).not.toBeNull()
    expect(dumpPayloadSanitizations(server)).toBe(0)
    expect(loadDumpPayload(p, { server, deep: true })).toBeNull()
    expect(dumpPayloadSanitizations(server)).toBe(1)
  })

  it('adopts validated listpacks as quicklist nodes (Quicklist.appendListpackObject)', () => {
    const ql = new Quicklist({ fill: 2, compress: 1 })
    for (const vals of [['a', 'b', 'c'], ['d'], ['e', 'f']]) ql.appendListpackObject(Listpack.fromEntries(vals.map((v) => v.repeat(60))))
    expect(ql.len).toBe(3)
    expect(ql.count).toBe(6)
    // Nodes are kept whole (no re-split by fill); the middle one is compressed at depth 1.
    expect(ql.nodes().map((n) => [n.count, n.compressed])).toEqual([
      [3, false],
      [1, true],
      [2, false],
    ])
    expect(ql.toArray()).toEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((v) => v.repeat(60)))
  })
})

describe('old encodings', () => {
  // ziplist ['a', 5, 300, -70000, 'bc'] built by hand:
  // header zlbytes/zltail/zllen, entries prevlen+encoding+data, end.
  const entries = [
    [0x00, 0x01, 0x61], // 'a'
    [0x03, 0xf6], // imm 5
    [0x02, 0xc0, 0x2c, 0x01], // int16 300
    [0x04, 0xf0, 0x90, 0xee, 0xfe], // int24 -70000
    [0x05, 0x02, 0x62, 0x63], // 'bc'
  ]
  const body = entries.flat()
  const tail = 10 + entries.slice(0, 4).flat().length
  const total = 10 + body.length + 1
  const zl = Uint8Array.from([total, 0, 0, 0, tail, 0, 0, 0, 5, 0, ...body, 0xff])

  it('validates and reads ziplists', () => {
    const seen: (string | bigint)[] = []
    expect(validateZiplist(zl, (v) => (seen.push(v), true))).toBe(true)
    expect(seen).toEqual(['a', 5n, 300n, -70000n, 'bc'])
    const broken = (i: number, v: number): Uint8Array => {
      const z = zl.slice()
      z[i] = v
      return z
    }
    expect(validateZiplist(broken(4, tail - 1), () => true)).toBe(false) // tail
    expect(validateZiplist(broken(8, 4), () => true)).toBe(false) // count
    const unknownCount = zl.slice()
    unknownCount[8] = unknownCount[9] = 0xff
    expect(validateZiplist(unknownCount, () => true)).toBe(true) // 0xffff: not checked
    expect(validateZiplist(broken(9, 0xff), () => true)).toBe(false)
    expect(validateZiplist(broken(13, 9), () => true)).toBe(false) // prevlen
    expect(validateZiplist(broken(11, 0xc7), () => true)).toBe(false) // encoding
    expect(validateZiplist(zl.subarray(0, 11), () => true)).toBe(false)
    expect(validateZiplist(zl, () => false)).toBe(false)
  })

  it('validates and reads zipmaps', () => {
    const zm = Uint8Array.from([2, 1, 0x66, 1, 0, 0x76, 2, 0x67, 0x67, 3, 1, 0x77, 0x77, 0x77, 0x00, 0xff])
    const pairs: [string, string][] = []
    expect(validateZipmap(zm, pairs)).toBe(true)
    expect(pairs).toEqual([
      ['f', 'v'],
      ['gg', 'www'],
    ])
    const wrongCount = zm.slice()
    wrongCount[0] = 3
    expect(validateZipmap(wrongCount, [])).toBe(false)
    expect(validateZipmap(Uint8Array.from([0, 0xff]), [])).toBe(false)
    expect(validateZipmap(zm.subarray(0, 8), [])).toBe(false)
  })

  it('loads ziplist lists, hashes and zsets, zipmaps, linked lists and text-score zsets', () => {
    const { server } = setup()
    const ctx = { server, deep: false }
    const load = (type: number, blob: Uint8Array): RObj => rdbLoadObject(type, new RdbReader(blobString(blob)), ctx)
    const blobString = (b: Uint8Array): Uint8Array => {
      const w = new RdbWriter()
      w.rawString(b, false)
      return w.toBytes()
    }
    const list = load(10, zl)
    expect(list.type).toBe('list')
    expect(list.type === 'list' && list.value.toArray().map(String)).toEqual(['a', '5', '300', '-70000', 'bc'])
    // Five entries: odd, so not a valid pairs ziplist.
    expect(() => load(13, zl)).toThrow('Hash ziplist integrity')
    const linked = new RdbWriter()
    linked.len(2)
    linked.rawString('x', false)
    linked.rawString('12', false)
    const l = rdbLoadObject(1, new RdbReader(linked.toBytes()), ctx)
    expect(l.type === 'list' && l.value.toArray().map(String)).toEqual(['x', '12'])
    const tz = new RdbWriter()
    tz.len(2)
    tz.rawString('a', false)
    tz.byteString('\x032.5')
    tz.rawString('b', false)
    tz.byte(255)
    const z = rdbLoadObject(3, new RdbReader(tz.toBytes()), ctx)
    expect(z.encoding).toBe('listpack')
    const zm = Uint8Array.from([1, 1, 0x66, 1, 0, 0x76, 0xff])
    const h = load(9, zm)
    expect(h.type === 'hash' && h.encoding === 'listpack' && h.value.toArray()).toEqual(['f', 'v'])
  })
})
