import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import type { Reply } from '../protocol/reply.ts'
import { Crc64 } from '../structures/crc64.ts'
import { bytesToByteString } from './rdb-value.ts'
import { populate, snapshot } from './test-dataset.ts'
import { RdbFileWriter, RdbLoadError, rdbLoadBytes, rdbSaveToBytes, type RdbLogLevel } from './rdb.ts'

const T0 = 1_700_000_000_000

function setup(config: Record<string, string> = {}) {
  const clock = new VirtualClock(T0)
  const server = createServer({ clock, config: { 'enable-debug-command': 'yes', ...config } })
  const c = server.connect()
  const r = (...argv: string[]): Reply => c.call(argv)!
  return { server, clock, c, r }
}

describe('RDB file writer', () => {
  it('writes the magic, 7.0 aux fields, SELECTDB/RESIZEDB, keys, EOF and the CRC', () => {
    const { server, r } = setup()
    r('SET', 'b', 'hello')
    r('PEXPIREAT', 'b', String(T0 + 100_000))
    const f = rdbSaveToBytes(server, { nowMs: T0, usedMem: 939296 })
    const s = bytesToByteString(f)
    expect(s.slice(0, 9)).toBe('REDIS0010')
    // Same aux layout as a redis-server 7.0.15 dump (observed): ints as int-encoded strings.
    expect(s.slice(9, 27)).toBe('\xfa\x09redis-ver\x067.0.15')
    expect(s).toContain('\xfa\x0aredis-bits\xc0\x40')
    expect(s).toContain('\xfa\x05ctime\xc2')
    expect(s).toContain('\xfa\x08aof-base\xc0\x00')
    expect(s).not.toContain('repl-')
    expect(s).toContain('\xfe\x00\xfb\x01\x01\xfc')
    const body = f.subarray(0, f.length - 8)
    expect(body[body.length - 1]).toBe(0xff)
    expect(new Crc64().update(body).matchesLE(f, f.length - 8)).toBe(true)
  })

  it('writes zeros for the checksum with rdbchecksum no, and the loader accepts it with a notice', () => {
    const { server, r } = setup({ rdbchecksum: 'no' })
    r('SET', 'a', '1')
    const f = rdbSaveToBytes(server, { nowMs: T0, usedMem: 1 })
    expect(Array.from(f.subarray(f.length - 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
    const { server: s2 } = setup()
    const logs: string[] = []
    rdbLoadBytes(s2, f, { log: (_l, m) => logs.push(m) })
    expect(logs).toContain('RDB file was saved with checksum disabled: no check performed.')
    expect(s2.dbs[0].dict.get('a')).toBeDefined()
  })

  it('writes IDLE under an LRU policy and FREQ under an LFU policy', () => {
    const lru = setup({ 'maxmemory-policy': 'allkeys-lru' })
    lru.r('SET', 'k', 'v')
    lru.clock.advance(5000)
    lru.server.cron() // the LRU clock is the time snapshot of the last command or cron tick
    const a = bytesToByteString(rdbSaveToBytes(lru.server, { nowMs: T0, usedMem: 1 }))
    expect(a).toContain('\xf8\x05\x00\x01k\x01v')
    const lfu = setup({ 'maxmemory-policy': 'allkeys-lfu' })
    lfu.r('SET', 'k', 'v')
    const b = bytesToByteString(rdbSaveToBytes(lfu.server, { nowMs: T0, usedMem: 1 }))
    expect(b).toContain('\xf9\x05\x00\x01k\x01v')
    // The loader gives the counter back.
    const l2 = setup({ 'maxmemory-policy': 'allkeys-lfu' })
    rdbLoadBytes(l2.server, byteString(b))
    expect(l2.r('OBJECT', 'FREQ', 'k')).toEqual({ kind: 'integer', value: 5 })
  })

  it('round-trips every type and encoding, expiries and several dbs', () => {
    const a = setup()
    populate(a.r)
    const f = rdbSaveToBytes(a.server, { nowMs: T0, usedMem: 1 })
    const b = setup()
    const logs: [RdbLogLevel, string][] = []
    const res = rdbLoadBytes(b.server, f, { log: (l, m) => logs.push([l, m]) })
    expect(res.keysLoaded).toBe(a.server.dbs[0].size + a.server.dbs[3].size)
    expect(snapshot(b.server)).toEqual(snapshot(a.server))
    expect(logs.map((l) => l[1])).toEqual([
      'Loading RDB produced by version 7.0.15',
      'RDB age 0 seconds',
      'RDB memory usage when created 0.00 Mb',
      `Done loading RDB, keys loaded: ${res.keysLoaded}, keys expired: 0.`,
    ])
  })

  it('drops keys that expired on disk and counts them', () => {
    const a = setup()
    a.r('SET', 'gone', 'v', 'PX', '1000')
    a.r('SET', 'kept', 'v')
    const f = rdbSaveToBytes(a.server, { nowMs: T0, usedMem: 1 })
    const b = setup()
    b.clock.advance(2000)
    const res = rdbLoadBytes(b.server, f)
    expect([res.keysLoaded, res.keysExpired]).toEqual([1, 1])
    expect(b.server.dbs[0].dict.get('gone')).toBeUndefined()
    // An AOF preamble keeps them.
    const c = setup()
    c.clock.advance(2000)
    expect(rdbLoadBytes(c.server, f, { keepExpired: true }).keysLoaded).toBe(2)
  })

  it('emits the same bytes incrementally as at once', () => {
    const a = setup()
    populate(a.r)
    const whole = rdbSaveToBytes(a.server, { nowMs: T0, usedMem: 7 })
    const w = new RdbFileWriter(a.server)
    const parts: Uint8Array[] = []
    w.header({ nowMs: T0, usedMem: 7 })
    parts.push(w.take())
    for (const db of a.server.dbs) {
      if (db.size === 0) continue
      w.selectDb(db.id, db.size, db.expires.size)
      db.dict.forEach((o, k) => {
        w.keyValue(k, o, db.getExpire(k))
        parts.push(w.take())
      })
    }
    w.end()
    parts.push(w.take())
    expect(bytesToByteString(concat(parts))).toBe(bytesToByteString(whole))
  })
})

describe('RDB loader refusals (Redis log lines)', () => {
  const good = (): Uint8Array => {
    const a = setup()
    a.r('SET', 'b', 'hello')
    return rdbSaveToBytes(a.server, { nowMs: T0, usedMem: 1 })
  }
  const refuse = (data: Uint8Array): RdbLoadError => {
    try {
      rdbLoadBytes(setup().server, data)
    } catch (e) {
      if (e instanceof RdbLoadError) return e
      throw e
    }
    throw new Error('loaded')
  }

  it('bad signature and version', () => {
    const f = good()
    f[3] = 0x58
    expect(refuse(f).lines).toEqual(['Wrong signature trying to load DB from file'])
    expect(refuse(f).errno).toBe('Invalid argument')
    const v = byteString('REDIS0011')
    expect(refuse(v).lines).toEqual(["Can't handle RDB format version 11"])
  })

  it('truncated files at every length', () => {
    const f = good()
    for (let n = 0; n < f.length; n++) {
      expect(refuse(f.subarray(0, n)).lines).toEqual([
        'Short read or OOM loading DB. Unrecoverable error, aborting now.',
        'Internal error in RDB reading offset 0, function at rdb.c:3249 -> Unexpected EOF reading RDB file',
      ])
    }
  })

  it('a flipped bit in a value fails the CRC', () => {
    const f = good()
    const i = bytesToByteString(f).indexOf('hello')
    f[i] ^= 1
    const e = refuse(f)
    expect(e.lines[0]).toMatch(/^Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.$/)
    expect(e.lines[1]).toBe('Internal error in RDB reading offset 0, function at rdb.c:3225 -> RDB CRC error')
  })

  it('refuses module aux data and functions', () => {
    const f = good()
    const s = bytesToByteString(f)
    const at = s.indexOf('\xfe\x00')
    const withFn = byteString(s.slice(0, at) + '\xf5\x03abc' + s.slice(at))
    expect(refuse(withFn).lines[0]).toMatch(/^Failed loading library, /)
    const withMod = byteString(s.slice(0, at) + '\xf7\x05\x02\x00' + s.slice(at))
    expect(refuse(withMod).lines[0]).toMatch(/^The RDB file contains AUX module data I can't load: no matching module '/)
  })

  it('refuses a database index beyond `databases`', () => {
    const s = bytesToByteString(good()).replace('\xfe\x00', '\xfe\x20')
    expect(refuse(byteString(s)).lines[0]).toMatch(/more than 16 databases/)
  })
})

function byteString(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0))
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

describe('RDB loader: older forms', () => {
  it('reads the seconds EXPIRETIME opcode and a version 9 file', () => {
    const s = bytesToByteString(rdbSaveToBytes(setup().server, { nowMs: T0, usedMem: 1 }))
    // Hand-made file: version 9, one key with a seconds expire, checksum disabled (zeros).
    const when = T0 / 1000 + 100
    const le32 = String.fromCharCode(when & 255, (when >> 8) & 255, (when >> 16) & 255, (when >>> 24) & 255)
    const body = 'REDIS0009\xfe\x00\xfd' + le32 + '\x00\x01k\x01v\xff'
    const b = setup()
    const res = rdbLoadBytes(b.server, byteString(body + '\x00'.repeat(8)))
    expect(res.version).toBe(9)
    expect(b.server.dbs[0].getExpire('k')).toBe(when * 1000)
    expect(s.startsWith('REDIS0010')).toBe(true)
  })
})
