// DUMP / RESTORE and SORT / SORT_RO against redis-server 7.0.15, byte for byte
// in RESP2 and RESP3.
//
// - Compact encodings (strings, listpacks, intsets, quicklists with any fill
//   and compression) must DUMP to identical bytes.
// - Hashtable sets and hashes and skiplist zsets serialize in hash-table
//   order, which depends on each process's hash seed: there each side RESTOREs
//   the other's payload and the contents are compared (sorted).
// - Old type ids (ziplists, zipmaps, linked lists, text-score zsets) are built
//   here and RESTOREd on both sides.
import { it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { useOracle, unordered, unorderedPairs, replacing, type Oracle } from '../support/oracle.ts'
import { Crc64 } from '../../engine/structures/crc64.ts'
import { RdbWriter, bytesToByteString } from '../../engine/persistence/rdb-value.ts'

/** The byte string of a bulk reply (`$n\r\n...\r\n`), or null for a null reply. */
function bulkOf(raw: string): string | null {
  if (raw.startsWith('$-1') || raw.startsWith('_')) return null
  const m = /^\$(\d+)\r\n/.exec(raw)
  if (!m) throw new Error(`not a bulk reply: ${JSON.stringify(raw.slice(0, 80))}`)
  return raw.slice(m[0].length, m[0].length + Number(m[1]))
}

/** A DUMP payload around `body` (type byte + value): RDB version 10 and the CRC-64. */
function payload(body: (w: RdbWriter) => void, version = 10): string {
  const w = new RdbWriter()
  body(w)
  w.byte(version & 0xff)
  w.byte(version >> 8)
  w.bytes(new Crc64().update(w.view()).bytesLE())
  return bytesToByteString(w.toBytes())
}

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b)
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0))

/** A ziplist of entries (strings, or numbers stored with the smallest integer encoding). */
function ziplist(entries: (string | number)[]): Uint8Array {
  const out: number[] = []
  let prevlen = 0
  let tail = 10
  for (const e of entries) {
    const start = 10 + out.length
    tail = start
    const ent: number[] = prevlen < 254 ? [prevlen] : [254, prevlen & 255, (prevlen >> 8) & 255, (prevlen >> 16) & 255, prevlen >>> 24]
    if (typeof e === 'string') {
      if (e.length < 64) ent.push(e.length)
      else ent.push(0x40 | (e.length >> 8), e.length & 255)
      ent.push(...ascii(e))
    } else if (e >= 0 && e <= 12) {
      ent.push(0xf1 + e)
    } else if (e >= -128 && e <= 127) {
      ent.push(0xfe, e & 255)
    } else {
      ent.push(0xd0, e & 255, (e >> 8) & 255, (e >> 16) & 255, (e >>> 24) & 255)
    }
    prevlen = ent.length
    out.push(...ent)
  }
  const total = 10 + out.length + 1
  const n = entries.length
  return bytes(
    total & 255, (total >> 8) & 255, 0, 0,
    tail & 255, (tail >> 8) & 255, 0, 0,
    n & 255, n >> 8,
    ...out,
    0xff,
  )
}

/** A zipmap of field/value pairs (count byte, len field len free value, end). */
function zipmap(pairs: [string, string][]): Uint8Array {
  const out: number[] = [pairs.length]
  for (const [f, v] of pairs) out.push(f.length, ...ascii(f), v.length, 0, ...ascii(v))
  out.push(0xff)
  return bytes(...out)
}

/** Runs DUMP on both sides; each side RESTOREs the other's payload under new names. */
async function crossRestore(o: Oracle, key: string): Promise<void> {
  const r = await o.run(['DUMP', key])
  const fromRedis = bulkOf(r.redis)
  const fromEngine = bulkOf(r.engine)
  if (fromRedis === null || fromEngine === null) throw new Error(`DUMP ${key}: missing value`)
  await o.expectSame(['RESTORE', `${key}:r`, '0', fromRedis])
  await o.expectSame(['RESTORE', `${key}:e`, '0', fromEngine])
}

/** Compares a key's contents (order-free where the encoding has no order) and encoding on both sides. */
async function sameContents(o: Oracle, key: string): Promise<void> {
  const t = await o.run(['TYPE', key])
  await o.expectSame(['TYPE', key])
  await o.expectSame(['OBJECT', 'ENCODING', key])
  const type = /\+(\w+)/.exec(t.redis)?.[1]
  if (type === 'hash') await o.expectSame(['HGETALL', key], o.resp === 3 ? unordered : unorderedPairs)
  else if (type === 'set') await o.expectSame(['SMEMBERS', key], unordered)
  else if (type === 'zset') await o.expectSame(['ZRANGE', key, '0', '-1', 'WITHSCORES'])
  else if (type === 'list') await o.expectSame(['LRANGE', key, '0', '-1'])
  else if (type === 'string') await o.expectSame(['GET', key])
}

/** DEBUG OBJECT's serializedlength only (the rest holds an address and access times). */
const serializedLength = replacing(
  /^\+Value at:\S+ refcount:\d+ encoding:(\S+) serializedlength:(\d+) .*\r\n$/,
  '+$1 $2\r\n',
  'DEBUG OBJECT prints a memory address and access clock; only encoding and serializedlength are compared',
)

for (const resp of [2, 3] as const) {
  describeOracle(`DUMP, RESTORE, SORT (RESP${resp})`, () => {
    const oracle = useOracle({
      resp,
      redisArgs: ['--enable-debug-command', 'yes'],
      engineConfig: { 'enable-debug-command': 'yes' },
    })

    it('DUMP of strings is byte-identical, with and without rdbcompression', async () => {
      const o = oracle()
      const values = [
        'hello', '', '0', '1', '-1', '127', '128', '-128', '-129', '32767', '32768', '-32768', '-32769',
        '2147483647', '2147483648', '-2147483648', '-2147483649', '12345678901', '9223372036854775807',
        '-9223372036854775808', '9223372036854775808', '007', '-0', '+1', ' 1', '1.5', 'a'.repeat(20), 'a'.repeat(21),
        'a'.repeat(30), 'a'.repeat(44), 'a'.repeat(45), 'ab'.repeat(500), 'x'.repeat(100000),
        Array.from({ length: 300 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join(''),
        'the quick brown fox jumps over the lazy dog; the quick brown fox jumps over the lazy dog',
      ]
      for (const comp of ['yes', 'no']) {
        await o.expectSame(['CONFIG', 'SET', 'rdbcompression', comp])
        for (const [i, v] of values.entries()) {
          await o.expectSame(['SET', `str:${i}`, v])
          const d = await o.expectSame(['DUMP', `str:${i}`])
          await o.expectSame(['DEBUG', 'OBJECT', `str:${i}`], serializedLength)
          await o.expectSame(['RESTORE', `str:${i}:r`, '0', bulkOf(d.redis)!, 'REPLACE'])
          await o.expectSame(['OBJECT', 'ENCODING', `str:${i}:r`])
          await o.expectSame(['GET', `str:${i}:r`])
        }
        await o.expectSame(['INCRBY', 'str:incr', '5'])
        await o.expectSame(['DUMP', 'str:incr'])
        await o.expectSame(['APPEND', 'str:app', '12'])
        await o.expectSame(['DUMP', 'str:app'])
      }
      await o.expectSame(['CONFIG', 'SET', 'rdbcompression', 'yes'])
      await o.runScript(`
        DUMP str:missing
        DUMP
        DUMP a b
        RPUSH str:list x
        DUMP str:list
      `)
    })

    it('DUMP of quicklists is byte-identical for every fill and compression depth', async () => {
      const o = oracle()
      const fills = ['-1', '-2', '-5', '1', '3', '128']
      const depths = ['0', '1', '2']
      let n = 0
      for (const fill of fills) {
        for (const depth of depths) {
          await o.expectSame(['CONFIG', 'SET', 'list-max-listpack-size', fill])
          await o.expectSame(['CONFIG', 'SET', 'list-compress-depth', depth])
          const key = `ql:${n++}`
          const elems: string[] = []
          for (let i = 0; i < 300; i++) {
            elems.push(i % 3 === 0 ? String(i * 1000) : i % 3 === 1 ? `element-${i}-${'z'.repeat(i % 40)}` : `${i}`.repeat(i % 17))
          }
          for (let i = 0; i < elems.length; i += 50) await o.expectSame(['RPUSH', key, ...elems.slice(i, i + 50)])
          await o.expectSame(['LPUSH', key, 'head', 'x'.repeat(300)])
          await o.expectSame(['LINSERT', key, 'BEFORE', '3000', 'inserted'])
          await o.expectSame(['LREM', key, '5', '3'])
          await o.expectSame(['DUMP', key])
          await o.expectSame(['DEBUG', 'OBJECT', key], serializedLength)
          await o.expectSame(['CONFIG', 'SET', 'rdbcompression', 'no'])
          await o.expectSame(['DUMP', key])
          await o.expectSame(['CONFIG', 'SET', 'rdbcompression', 'yes'])
          await crossRestore(o, key)
          await sameContents(o, `${key}:r`)
          await sameContents(o, `${key}:e`)
          // Loaded nodes are compressed again by the current depth, to the same bytes.
          await o.expectSame(['DUMP', `${key}:r`])
          await o.expectSame(['DEBUG', 'OBJECT', `${key}:r`], serializedLength)
        }
      }
      await o.expectSame(['CONFIG', 'SET', 'list-max-listpack-size', '-2'])
      await o.expectSame(['CONFIG', 'SET', 'list-compress-depth', '0'])
    })

    it('DUMP of intsets, listpack hashes and listpack zsets is byte-identical', async () => {
      const o = oracle()
      await o.runScript(`
        SADD is:16 1 2 3 -5 100 32767
        DUMP is:16
        SADD is:32 1 70000 -70000
        DUMP is:32
        SADD is:64 1 9223372036854775807 -9223372036854775808
        DUMP is:64
        HSET h:lp f v num 123 neg -5 big 9223372036854775807 empty "" long ${'y'.repeat(64)}
        DUMP h:lp
        HDEL h:lp num
        DUMP h:lp
        ZADD z:lp 1.5 m 0 zero -1 neg 1e10 big inf pinf -inf ninf 3.141592653589793 pi 9007199254740993 huge 0.1 tenth
        DUMP z:lp
        ZINCRBY z:lp 2.5 m
        DUMP z:lp
      `)
      await o.expectSame(['DEBUG', 'OBJECT', 'is:64'], serializedLength)
      await o.expectSame(['DEBUG', 'OBJECT', 'h:lp'], serializedLength)
      await o.expectSame(['DEBUG', 'OBJECT', 'z:lp'], serializedLength)
      // Big enough for the blob to be LZF-compressed.
      const members = Array.from({ length: 100 }, (_, i) => String(i * 3))
      await o.expectSame(['SADD', 'is:big', ...members])
      await o.expectSame(['DUMP', 'is:big'])
      const pairs = Array.from({ length: 100 }, (_, i) => [`field:${i}`, `value:${i % 7}`]).flat()
      await o.expectSame(['HSET', 'h:big', ...pairs])
      await o.expectSame(['DUMP', 'h:big'])
      const zpairs = Array.from({ length: 100 }, (_, i) => [String(i / 4), `member:${i}`]).flat()
      await o.expectSame(['ZADD', 'z:big', ...zpairs])
      await o.expectSame(['DUMP', 'z:big'])
      for (const k of ['is:16', 'is:64', 'is:big', 'h:lp', 'h:big', 'z:lp', 'z:big']) {
        await crossRestore(o, k)
        await sameContents(o, `${k}:r`)
        await sameContents(o, `${k}:e`)
      }
    })

    it('hashtable sets and hashes and skiplist zsets survive a RESTORE on the other side', async () => {
      const o = oracle()
      await o.expectSame(['SADD', 'ht:set', 'a', 'b', 'c', '1', '2', 'x'.repeat(100)])
      await o.expectSame(['SADD', 'ht:bigset', ...Array.from({ length: 600 }, (_, i) => String(i))])
      await o.expectSame(['HSET', 'ht:hash', 'f', 'v'.repeat(100), 'g', '1'])
      await o.expectSame(['HSET', 'ht:bighash', ...Array.from({ length: 1100 }, (_, i) => `k${i}`)])
      await o.expectSame(['ZADD', 'sl:zset', '1', 'a', '2', 'b', '2', 'c', '-inf', 'm'.repeat(70), '1e300', 'top'])
      await o.expectSame(['ZADD', 'sl:bigzset', ...Array.from({ length: 300 }, (_, i) => [String((i * 37) % 101), `m${i}`]).flat()])
      for (const k of ['ht:set', 'ht:bigset', 'ht:hash', 'ht:bighash', 'sl:zset', 'sl:bigzset']) {
        await o.expectSame(['OBJECT', 'ENCODING', k])
        await crossRestore(o, k)
        await sameContents(o, `${k}:r`)
        await sameContents(o, `${k}:e`)
      }
      // serializedlength does not depend on the order.
      for (const k of ['ht:set', 'ht:hash', 'sl:zset', 'sl:bigzset']) await o.expectSame(['DEBUG', 'OBJECT', k], serializedLength)
    })

    it('RESTORE converts loaded values by the current thresholds', async () => {
      const o = oracle()
      await o.runScript(`
        HSET cv:h a 1 b 2 c 3
        ZADD cv:z 1 a 2 b 3 c
        SADD cv:s 1 2 3
        RPUSH cv:l a b c d e f
        SADD cv:hs a b c
        ZADD cv:sz 1 ${'m'.repeat(80)} 2 b
      `)
      const dumps: Record<string, string> = {}
      for (const k of ['cv:h', 'cv:z', 'cv:s', 'cv:l', 'cv:hs', 'cv:sz']) {
        // cv:hs is a hashtable set: its DUMP order depends on the hash seed.
        const r = k === 'cv:hs' ? await o.run(['DUMP', k]) : await o.expectSame(['DUMP', k])
        dumps[k] = bulkOf(r.redis) ?? ''
      }
      await o.runScript(`
        CONFIG SET hash-max-listpack-entries 2
        CONFIG SET zset-max-listpack-entries 2
        CONFIG SET set-max-intset-entries 2
        CONFIG SET list-max-listpack-size 2
        CONFIG SET list-compress-depth 1
      `)
      for (const [k, p] of Object.entries(dumps)) {
        await o.expectSame(['RESTORE', `${k}:2`, '0', p])
        await o.expectSame(['OBJECT', 'ENCODING', `${k}:2`])
        await o.expectSame(['DUMP', `${k}:2`], k === 'cv:h' || k === 'cv:z' || k === 'cv:s' || k === 'cv:hs' ? { normalise: replacing(/[\s\S]*/, '<hashtable order>', 'hashtable order depends on the hash seed') } : undefined)
        await sameContents(o, `${k}:2`)
      }
      await o.runScript(`
        CONFIG SET hash-max-listpack-entries 512
        CONFIG SET zset-max-listpack-entries 128
        CONFIG SET set-max-intset-entries 512
        CONFIG SET list-max-listpack-size -2
        CONFIG SET list-compress-depth 0
        CONFIG SET zset-max-listpack-value 100
      `)
      // A skiplist zset whose members fit again comes back as a listpack.
      const sz = await o.run(['DUMP', 'cv:sz'])
      await o.expectSame(['RESTORE', 'cv:sz:3', '0', bulkOf(sz.redis) ?? ''])
      await o.expectSame(['OBJECT', 'ENCODING', 'cv:sz:3'])
      await o.expectSame(['DUMP', 'cv:sz:3'])
      await o.expectSame(['CONFIG', 'SET', 'zset-max-listpack-value', '64'])
    })

    it('RESTORE options, TTLs and errors', async () => {
      const o = oracle()
      const r = await o.expectSame(['DUMP', 'opt:none'])
      if (bulkOf(r.redis) !== null) throw new Error('expected a null DUMP')
      await o.expectSame(['SET', 'opt:src', 'value'])
      const p = bulkOf((await o.expectSame(['DUMP', 'opt:src'])).redis)!
      const ttl = replacing(/^:(\d+)\r\n$/, ':<ttl>\r\n', 'a TTL counts down in real time')
      const steps: [string[], ReturnType<typeof replacing>?][] = [
        [['RESTORE', 'opt:a', '0', p]],
        [['GET', 'opt:a']],
        [['RESTORE', 'opt:a', '0', p]],
        [['RESTORE', 'opt:a', '0', p, 'REPLACE']],
        [['RESTORE', 'opt:a', '100000', p, 'REPLACE']],
        [['PTTL', 'opt:a'], ttl],
        [['RESTORE', 'opt:a', '0', p, 'REPLACE']],
        [['TTL', 'opt:a']],
        [['RESTORE', 'opt:b', '1', p, 'ABSTTL']],
        [['EXISTS', 'opt:b']],
        [['RESTORE', 'opt:a', '1', p, 'ABSTTL', 'REPLACE']],
        [['EXISTS', 'opt:a']],
        [['RESTORE', 'opt:c', '99999999999999', p, 'ABSTTL']],
        [['PEXPIRETIME', 'opt:c']],
        [['RESTORE', 'opt:d', '-1', p]],
        [['RESTORE', 'opt:d', 'x', p]],
        [['RESTORE', 'opt:d', '0', p, 'IDLETIME', '-1']],
        [['RESTORE', 'opt:d', '0', p, 'IDLETIME', 'x']],
        [['RESTORE', 'opt:d', '0', p, 'IDLETIME']],
        [['RESTORE', 'opt:d', '0', p, 'FREQ', '256']],
        [['RESTORE', 'opt:d', '0', p, 'FREQ', '-1']],
        [['RESTORE', 'opt:d', '0', p, 'FREQ', '5', 'IDLETIME', '5']],
        [['RESTORE', 'opt:d', '0', p, 'IDLETIME', '5', 'FREQ', '5']],
        [['RESTORE', 'opt:d', '0', p, 'BOGUS']],
        [['RESTORE', 'opt:d', '0', p, 'IDLETIME', '1000']],
        [['OBJECT', 'IDLETIME', 'opt:d']],
        [['RESTORE', 'opt:e', '0', p, 'FREQ', '100']],
        [['OBJECT', 'FREQ', 'opt:e']],
        [['RESTORE', 'opt:f', '0', p, 'idletime', '100000000']],
        [['OBJECT', 'IDLETIME', 'opt:f']],
        [['RESTORE', 'opt:src', 'x', 'garbage']],
        [['RESTORE', 'opt:g', '0', 'garbage']],
        [['RESTORE', 'opt:g', '0', '']],
        [['RESTORE', 'opt:g', '0', p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) ^ 1)]],
        [['RESTORE', 'opt:g', '0', p.slice(1)]],
        [['RESTORE', 'opt:g', 'x', p.slice(1)]],
        [['RESTORE', 'opt:g']],
        [['RESTORE', 'opt:g', '0']],
        [['RESTORE', 'opt:g', '9223372036854775807', p]],
        [['EXISTS', 'opt:g']],
        [['RESTORE', 'opt:h', '9223372036854775807', p, 'ABSTTL']],
        [['PEXPIRETIME', 'opt:h']],
      ]
      for (const [argv, n] of steps) await o.expectSame(argv, n)
      // Under an LFU policy FREQ sets the counter and IDLETIME is ignored.
      await o.runScript(`
        CONFIG SET maxmemory-policy allkeys-lfu
      `)
      await o.expectSame(['RESTORE', 'opt:lfu', '0', p, 'FREQ', '42'])
      await o.expectSame(['OBJECT', 'FREQ', 'opt:lfu'])
      await o.expectSame(['RESTORE', 'opt:lfu2', '0', p, 'IDLETIME', '42'])
      await o.expectSame(['OBJECT', 'FREQ', 'opt:lfu2'])
      await o.expectSame(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'])
    })

    it('RESTORE of corrupt or unusual payloads', async () => {
      const o = oracle()
      const list = (w: RdbWriter): void => {
        w.byte(18)
        w.len(1)
        w.len(2)
      }
      const lp = (...entries: number[]): Uint8Array => {
        const total = 6 + entries.length + 1
        return bytes(total & 255, total >> 8, 0, 0, 0, 0, ...entries, 0xff)
      }
      const cases: [string, string][] = [
        ['newer version', payload((w) => w.byteString('\x00\x01a'), 11)],
        ['older version', payload((w) => w.byteString('\x00\x01a'), 9)],
        ['unknown type', payload((w) => w.byteString('\x08\x01a'))],
        ['stream type', payload((w) => w.byteString('\x0f\x00'))],
        ['module type', payload((w) => w.byteString('\x07\x00'))],
        ['trailing bytes', payload((w) => w.byteString('\x00\x01aEXTRA'))],
        ['short string', payload((w) => w.byteString('\x00\x05ab'))],
        ['string into footer', payload((w) => w.byteString('\x00\x03a'))],
        ['bad string encoding', payload((w) => w.byteString('\x00\xc4'))],
        ['bad LZF', payload((w) => w.byteString('\x00\xc3\x02\x05\x01\x61'))],
        ['LZF length mismatch', payload((w) => w.byteString('\x00\xc3\x03\x05\x01aa'))],
        ['int8 string', payload((w) => w.byteString('\x00\xc0\xfe'))],
        ['int16 string', payload((w) => w.byteString('\x00\xc1\x39\x30'))],
        ['int32 string', payload((w) => w.byteString('\x00\xc2\x00\x00\x00\x80'))],
        ['empty set', payload((w) => w.byteString('\x02\x00'))],
        ['empty hash', payload((w) => w.byteString('\x04\x00'))],
        ['empty zset', payload((w) => w.byteString('\x05\x00'))],
        ['empty list', payload((w) => w.byteString('\x12\x00'))],
        ['dup set members', payload((w) => w.byteString('\x02\x02\x01a\x01a'))],
        ['dup intset members', payload((w) => w.byteString('\x02\x02\x01\x31\x01\x31'))],
        ['set converted', payload((w) => w.byteString('\x02\x03\x01\x31\x01b\x01\x32'))],
        ['dup hash fields', payload((w) => w.byteString('\x04\x02\x01a\x01b\x01a\x01c'))],
        ['dup zset members', payload((w) => { w.byteString('\x05\x02\x01a'); w.binaryDouble(1); w.byteString('\x01a'); w.binaryDouble(2) })],
        ['nan score', payload((w) => { w.byteString('\x05\x01\x01a'); w.binaryDouble(NaN) })],
        ['quicklist bad container', payload((w) => { w.byte(18); w.len(1); w.len(3); w.rawString(lp(0x81, 0x61, 0x02), false) })],
        ['quicklist empty node', payload((w) => { list(w); w.len(0) })],
        ['quicklist empty listpack', payload((w) => { list(w); w.rawString(lp(), false) })],
        ['quicklist bad listpack header', payload((w) => { list(w); w.rawString(bytes(9, 0, 0, 0, 1, 0, 0x81, 0x61, 0x02, 0xff), false) })],
        ['quicklist plain node', payload((w) => { w.byte(18); w.len(1); w.len(1); w.rawString('plain', false) })],
        ['quicklist two nodes', payload((w) => { w.byte(18); w.len(2); w.len(2); w.rawString(lp(0x81, 0x61, 0x02), false); w.len(2); w.rawString(lp(0x81, 0x62, 0x02), false) })],
        ['intset empty', payload((w) => { w.byte(11); w.rawString(bytes(2, 0, 0, 0, 0, 0, 0, 0), false) })],
        ['intset bad size', payload((w) => { w.byte(11); w.rawString(bytes(2, 0, 0, 0, 2, 0, 0, 0, 1, 0), false) })],
        ['intset unsorted', payload((w) => { w.byte(11); w.rawString(bytes(2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 0), false) })],
        ['intset bad encoding', payload((w) => { w.byte(11); w.rawString(bytes(3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0), false) })],
        ['hash listpack odd', payload((w) => { w.byte(16); w.rawString(lp(0x81, 0x61, 0x02), false) })],
        ['hash listpack empty', payload((w) => { w.byte(16); w.rawString(lp(), false) })],
        ['hash listpack dup', payload((w) => { w.byte(16); w.rawString(lp(0x81, 0x61, 0x02, 0x01, 0x01, 0x81, 0x61, 0x02, 0x02, 0x01), false) })],
        ['zset listpack empty', payload((w) => { w.byte(17); w.rawString(lp(), false) })],
        ['zset listpack', payload((w) => { w.byte(17); w.rawString(lp(0x81, 0x61, 0x02, 0x05, 0x01), false) })],
      ]
      for (const [name, p] of cases) {
        await o.expectSame(['RESTORE', `bad:${name}`, '0', p], { note: name })
        await sameContents(o, `bad:${name}`)
      }
      // Deep sanitization catches what the header check lets through.
      for (const mode of ['yes', 'no', 'clients']) {
        await o.expectSame(['CONFIG', 'SET', 'sanitize-dump-payload', mode])
        const hashDup = payload((w) => { w.byte(16); w.rawString(lp(0x81, 0x61, 0x02, 0x01, 0x01, 0x81, 0x61, 0x02, 0x02, 0x01), false) })
        await o.expectSame(['RESTORE', `deep:${mode}:h`, '0', hashDup], { note: `${mode} dup` })
        const badCount = payload((w) => { w.byte(16); w.rawString(bytes(13, 0, 0, 0, 4, 0, 0x81, 0x61, 0x02, 0x01, 0x01, 0xff), false) })
        await o.expectSame(['RESTORE', `deep:${mode}:c`, '0', badCount], { note: `${mode} count` })
        const ql = payload((w) => { list(w); w.rawString(bytes(10, 0, 0, 0, 1, 0, 0x81, 0x61, 0x03, 0xff), false) })
        await o.expectSame(['RESTORE', `deep:${mode}:l`, '0', ql], { note: `${mode} backlen` })
        const is = payload((w) => { w.byte(11); w.rawString(bytes(2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 0), false) })
        await o.expectSame(['RESTORE', `deep:${mode}:s`, '0', is], { note: `${mode} intset order` })
        await o.expectSame(['EXISTS', `deep:${mode}:h`, `deep:${mode}:l`])
      }
      await o.expectSame(['CONFIG', 'SET', 'sanitize-dump-payload', 'no'])
    })

    it('RESTORE of the old type ids 7.0 still loads', async () => {
      const o = oracle()
      const zl = (type: number, entries: (string | number)[]): string =>
        payload((w) => {
          w.byte(type)
          w.rawString(ziplist(entries), false)
        })
      const cases: [string, string][] = [
        ['linked list', payload((w) => { w.byte(1); w.len(3); w.rawString('a', false); w.rawString('12', false); w.rawString('c'.repeat(30), true) })],
        ['linked set', payload((w) => { w.byte(2); w.len(2); w.rawString('x', false); w.rawString('y', false) })],
        ['text zset', payload((w) => { w.byte(3); w.len(3); w.rawString('a', false); w.byteString('\x031.5'); w.rawString('b', false); w.byte(254); w.rawString('c', false); w.byteString('\x04 2xy') })],
        ['text zset nan', payload((w) => { w.byte(3); w.len(1); w.rawString('a', false); w.byte(253) })],
        ['text zset bad', payload((w) => { w.byte(3); w.len(1); w.rawString('a', false); w.byteString('\x02zz') })],
        ['ziplist list', zl(10, ['a', 1, 200, 70000, 'long'.repeat(20), -3])],
        ['ziplist list empty', zl(10, [])],
        ['ziplist zset', zl(12, ['a', 1, 'b', '2.5', 'c', 300])],
        ['ziplist zset odd', zl(12, ['a', 1, 'b'])],
        ['ziplist zset dup', zl(12, ['a', 1, 'a', 2])],
        ['ziplist hash', zl(13, ['f', 'v', 'n', 5, 7, 'seven'])],
        ['ziplist hash dup', zl(13, ['f', 'v', 'f', 'w'])],
        ['ziplist hash empty', zl(13, [])],
        ['quicklist of ziplists', payload((w) => { w.byte(14); w.len(2); w.rawString(ziplist(['a', 'b', 3]), false); w.rawString(ziplist(['d', 5000]), false) })],
        ['quicklist of empty ziplist', payload((w) => { w.byte(14); w.len(1); w.rawString(ziplist([]), false) })],
        ['zipmap', payload((w) => { w.byte(9); w.rawString(zipmap([['f', 'v'], ['g', 'ww']]), false) })],
        ['zipmap dup', payload((w) => { w.byte(9); w.rawString(zipmap([['f', 'v'], ['f', 'w']]), false) })],
        ['zipmap empty', payload((w) => { w.byte(9); w.rawString(zipmap([]), false) })],
        ['zipmap long value', payload((w) => { w.byte(9); w.rawString(zipmap([['f', 'v'.repeat(70)]]), false) })],
        ['ziplist bad tail', payload((w) => { w.byte(10); const z = ziplist(['a', 'b']); z[4] = 10; w.rawString(z, false) })],
        ['ziplist bad count', payload((w) => { w.byte(10); const z = ziplist(['a', 'b']); z[8] = 3; w.rawString(z, false) })],
        ['ziplist bad prevlen', payload((w) => { w.byte(10); const z = ziplist(['a', 'b']); z[13] = 1; w.rawString(z, false) })],
        ['ziplist bad encoding', payload((w) => { w.byte(10); const z = ziplist(['a', 'b']); z[11] = 0xc5; w.rawString(z, false) })],
      ]
      for (const [name, p] of cases) {
        await o.expectSame(['RESTORE', `old:${name}`, '0', p], { note: name })
        await sameContents(o, `old:${name}`)
        await o.expectSame(['DUMP', `old:${name}`], name.includes('set') ? { normalise: replacing(/[\s\S]*/, '<hashtable>', 'hashtable order depends on the hash seed') } : undefined)
      }
      // Over the thresholds, the old forms convert too.
      await o.expectSame(['CONFIG', 'SET', 'hash-max-listpack-entries', '1'])
      await o.expectSame(['CONFIG', 'SET', 'zset-max-listpack-entries', '1'])
      for (const [name, p] of cases.filter(([n]) => /^(ziplist (zset|hash)|zipmap)$/.test(n))) {
        await o.expectSame(['RESTORE', `old2:${name}`, '0', p], { note: name })
        await sameContents(o, `old2:${name}`)
      }
      await o.expectSame(['CONFIG', 'SET', 'hash-max-listpack-entries', '512'])
      await o.expectSame(['CONFIG', 'SET', 'zset-max-listpack-entries', '128'])
    })

    it('keyspace events and dirty counts of RESTORE and SORT STORE', async () => {
      const o = oracle()
      const sub = await o.client(1)
      await o.expectSame(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'])
      await sub.expectSame(['PSUBSCRIBE', '__key*__:*'], { frames: 1 })
      await o.expectSame(['SET', 'ev:s', 'v'])
      const p = bulkOf((await o.expectSame(['DUMP', 'ev:s'])).redis)!
      const steps: string[][] = [
        ['RESTORE', 'ev:r', '0', p],
        ['RESTORE', 'ev:r', '0', p, 'REPLACE'],
        ['RESTORE', 'ev:r', '1', p, 'REPLACE', 'ABSTTL'],
        ['RESTORE', 'ev:r', '1', p, 'ABSTTL'],
        ['RESTORE', 'ev:r', '100000', p],
        ['RPUSH', 'ev:l', '3', '1', '2'],
        ['SORT', 'ev:l', 'STORE', 'ev:dst'],
        ['SORT', 'ev:missing', 'STORE', 'ev:dst'],
        ['SORT', 'ev:missing', 'STORE', 'ev:dst'],
        ['SORT', 'ev:l', 'LIMIT', '0', '0', 'STORE', 'ev:dst'],
        ['SORT', 'ev:l', 'GET', '#', 'GET', 'x*', 'STORE', 'ev:dst'],
        ['SORT', 'ev:l'],
      ]
      let before = await o.run(['INFO', 'persistence'])
      for (const argv of steps) {
        await o.expectSame(argv)
        const after = await o.run(['INFO', 'persistence'])
        const delta = (r: string): number => Number(/rdb_changes_since_last_save:(\d+)/.exec(r)?.[1])
        const dr = delta(after.redis) - delta(before.redis)
        const de = delta(after.engine) - delta(before.engine)
        if (dr !== de) throw new Error(`dirty delta after ${argv.join(' ')}: redis ${dr}, engine ${de}`)
        before = after
      }
      await sub.expectPushes()
      await o.expectSame(['CONFIG', 'SET', 'notify-keyspace-events', ''])
      // RESTORE and SORT ... STORE touch watched keys.
      const w = await o.client(2)
      for (const argv of [['RESTORE', 'ev:w', '0', p, 'REPLACE'], ['SORT', 'ev:l', 'STORE', 'ev:w'], ['SORT', 'ev:l', 'LIMIT', '0', '0', 'STORE', 'ev:w'], ['SORT', 'ev:l']]) {
        await w.expectSame(['WATCH', 'ev:w'])
        await o.expectSame(argv)
        await w.expectSame(['MULTI'])
        await w.expectSame(['EXISTS', 'ev:w'])
        await w.expectSame(['EXEC'])
      }
    })

    it('SORT and SORT_RO', async () => {
      const o = oracle()
      await o.runScript(`
        RPUSH s:l 3 1 2 10 -5 2.5 1e3 0x10 " 7" inf -inf
        SORT s:l
        SORT s:l DESC
        SORT s:l LIMIT 2 3
        SORT s:l LIMIT -5 3
        SORT s:l LIMIT 2 -1
        SORT s:l LIMIT 20 3
        SORT s:l LIMIT 0 0
        SORT s:l LIMIT 9223372036854775807 9223372036854775807
        SORT s:l LIMIT -9223372036854775808 9223372036854775807
        SORT s:l LIMIT 1 x
        SORT s:l LIMIT 1
        SORT s:l ALPHA
        SORT s:l ALPHA DESC LIMIT 1 4
        SORT s:l asc alpha desc
        SORT_RO s:l DESC
        SORT_RO s:l STORE s:dst
        SORT s:l STORE
        SORT s:l BOGUS
        SORT s:l BY
        SORT s:l GET
        SORT
        RPUSH s:bad 1 x 2
        SORT s:bad
        SORT s:bad ALPHA
        SORT s:bad BY nosort
        SORT s:bad LIMIT 0 1
        RPUSH s:ok "" "5\\x00junk" "0x1p3" "  3" "1e308" "2.2250738585072014e-308" 0x1p-1074 infinity -0
        SORT s:ok
        SORT s:ok DESC
      `)
      // Each value strtod refuses: trailing bytes, NaN, overflow, underflow (ERANGE), only spaces.
      // Redis never clears errno before SORT's strtod, so an ERANGE here would leak into the next
      // SORT on this connection (a Redis quirk not modelled): a ZADD, whose float parsing resets
      // errno, runs after each.
      for (const v of ['1e400', '-1e400', '1e-400', '1e-310', '4.9e-324', '2.2250738585072011e-308', 'nan', '  ', '-', '1x', '0x']) {
        await o.expectSame(['DEL', 's:range'])
        await o.expectSame(['RPUSH', 's:range', '1', v])
        await o.expectSame(['SORT', 's:range'], { note: v })
        await o.expectSame(['SORT', 's:range', 'ALPHA'], { note: v })
        await o.expectSame(['ZADD', 's:errno', '1', 'reset'])
      }
      await o.runScript(`
        SET s:str x
        SORT s:str
        HSET s:hash f v
        SORT s:hash
        SORT s:missing
        SORT s:missing STORE s:dst
        EXISTS s:dst
      `)
      await o.runScript(`
        RPUSH w:l a b c d e
        MSET w_a 5 w_b 1 w_c 3 w_d 3 w_e x
        SORT w:l BY w_*
        MSET w_e 0.5
        SORT w:l BY w_*
        SORT w:l BY w_* DESC
        SORT w:l BY w_* ALPHA
        SORT w:l BY w_* LIMIT 1 2
        SORT w:l BY w_* GET #
        SORT w:l BY w_* GET # GET w_*
        SORT w:l BY w_* GET w_* GET nosuch_* GET #
        SORT w:l BY nosort
        SORT w:l BY nosort DESC
        SORT w:l BY nosort DESC LIMIT 1 2
        SORT w:l BY nosort LIMIT 3 10
        SORT w:l BY nosort GET w_*
        SORT w:l BY missing_*
        SORT w:l BY missing_* DESC
        SORT w:l BY missing_* ALPHA LIMIT 1 2
        SORT w:l GET w_*
        SORT w:l GET w_*->x
        SORT w:l GET w_ GET #
        HSET h_a f 9 g x
        HSET h_b f 2
        HSET h_c f 7
        HSET h_d f 2
        SORT w:l BY h_*->f
        SORT w:l BY h_*->f GET h_*->f GET # GET h_*->g
        SORT w:l BY h_*->g ALPHA
        SORT w:l BY h_*-> GET h_*->
        SORT w:l BY w_* STORE w:dst
        LRANGE w:dst 0 -1
        OBJECT ENCODING w:dst
        SORT w:l BY w_* GET # GET h_*->f STORE w:dst
        LRANGE w:dst 0 -1
        SET w:ttl x EX 1000
        SORT w:l STORE w:ttl ALPHA
        TTL w:ttl
        LRANGE w:ttl 0 -1
        SORT w:l BY w_* GET # GET h_*->f LIMIT 0 0 STORE w:dst
        EXISTS w:dst
        SORT w:l BY w_* GET "#\\x00x"
        SORT w:l BY "w_\\x00*" ALPHA
      `)
      await o.runScript(`
        SADD set:i 5 3 9 1 -2
        SORT set:i
        SORT set:i DESC LIMIT 1 2
        SORT set:i BY nosort
        SORT set:i BY nosort DESC
        SORT set:i BY nosort STORE set:dst
        LRANGE set:dst 0 -1
        SADD set:h b a c 10 9
        SORT set:h ALPHA
        SORT set:h BY nosort STORE set:dst
        LRANGE set:dst 0 -1
        SORT set:h ALPHA LIMIT 1 2
        SORT set:h
        [unordered] SORT set:h BY nosort
        ZADD z:l 3 c 1 a 2 b 0 d 5 e
        OBJECT ENCODING z:l
        SORT z:l BY nosort
        OBJECT ENCODING z:l
        SORT z:l BY nosort DESC
        SORT z:l BY nosort LIMIT 1 2
        SORT z:l BY nosort DESC LIMIT 1 2
        SORT z:l BY nosort DESC LIMIT 10 2
        SORT z:l ALPHA
        SORT z:l ALPHA DESC
        SORT z:l
        SORT z:l BY nosort STORE z:dst
        LRANGE z:dst 0 -1
        ZADD z:n 1 10 2 9 3 8
        SORT_RO z:n
        SORT_RO z:n BY nosort
      `)
    })

    it('SORT ties: stable full sort, and pqsort with BY and LIMIT', async () => {
      const o = oracle()
      const elems = Array.from({ length: 120 }, (_, i) => `e${(i * 37) % 120}`)
      await o.expectSame(['RPUSH', 'tie:l', ...elems])
      for (let i = 0; i < 120; i += 3) await o.expectSame(['SET', `tw_e${i}`, `w${i % 4}`])
      for (let i = 0; i < 120; i += 5) await o.expectSame(['SET', `tn_e${i}`, String(i % 3)])
      const limits = [['0', '10'], ['5', '20'], ['50', '50'], ['100', '30'], ['0', '119'], ['1', '200'], ['119', '1']]
      for (const order of ['ASC', 'DESC']) {
        await o.expectSame(['SORT', 'tie:l', 'BY', 'tw_*', 'ALPHA', order])
        await o.expectSame(['SORT', 'tie:l', 'BY', 'tn_*', order])
        for (const [a, b] of limits) {
          await o.expectSame(['SORT', 'tie:l', 'BY', 'tw_*', 'ALPHA', order, 'LIMIT', a, b])
          await o.expectSame(['SORT', 'tie:l', 'BY', 'tw_*', 'ALPHA', order, 'LIMIT', a, b, 'STORE', 'tie:dst'])
          await o.expectSame(['LRANGE', 'tie:dst', '0', '-1'])
          await o.expectSame(['SORT', 'tie:l', 'BY', 'tn_*', order, 'LIMIT', a, b])
          await o.expectSame(['SORT', 'tie:l', 'BY', 'tn_*', order, 'LIMIT', a, b, 'GET', 'tw_*'])
        }
      }
      // ALPHA compares with strcoll (up to a NUL byte) unless storing (binary).
      await o.expectSame(['RPUSH', 'tie:bytes', 'b', '\xe9', 'a\x00z', 'a\x00b', '\xff', 'B', 'a', '\x80', 'a\x00a'])
      await o.expectSame(['SORT', 'tie:bytes', 'ALPHA'])
      await o.expectSame(['SORT', 'tie:bytes', 'ALPHA', 'DESC'])
      await o.expectSame(['SORT', 'tie:bytes', 'ALPHA', 'STORE', 'tie:dst'])
      await o.expectSame(['LRANGE', 'tie:dst', '0', '-1'])
      await o.expectSame(['SORT', 'tie:bytes', 'BY', 'tie:w*', 'ALPHA', 'LIMIT', '1', '3'])
    })
  })
}

// ---------------------------------------------------------------- random sequences

/** A small seeded generator (LCG), so a failure can be replayed. */
function rng(seed: number): { int(n: number): number; pick<T>(a: readonly T[]): T } {
  let s = seed >>> 0
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s
  }
  return {
    int: (n) => next() % n,
    pick: (a) => a[next() % a.length],
  }
}

const RANDOM_STEPS = Number(process.env.GLASSBOX_DUMP_SORT_STEPS ?? 6000)

for (const resp of [2, 3] as const) {
  describeOracle(`DUMP, RESTORE, SORT random sequences (RESP${resp})`, () => {
    const oracle = useOracle({ resp })

    it(`${RANDOM_STEPS} random steps: writes, thresholds, DUMP, RESTORE, SORT`, async () => {
      const o = oracle()
      const g = rng(20261123 + resp)
      const keys = ['rk:l', 'rk:s', 'rk:h', 'rk:z', 'rk:x']
      const elems = ['1', '2', '3', '10', '-5', '2.5', 'a', 'b', 'abc', 'x'.repeat(30), 'y'.repeat(70), '99999999999', '1e3', '']
      const member = (): string => (g.int(3) === 0 ? String(g.int(1000) - 500) : g.pick(elems) + (g.int(2) ? String(g.int(50)) : ''))
      const score = (): string => g.pick(['0', '1', '-1', '1.5', '2', '1e10', 'inf', '-inf', String(g.int(100)), `${g.int(100)}.${g.int(10)}`])
      const payloads: string[] = []
      for (let i = 0; i < 6; i++) await o.expectSame(['SET', `rw_${i}`, String(g.int(20))])
      for (let step = 0; step < RANDOM_STEPS; step++) {
        const k = g.pick(keys)
        const note = `step ${step}`
        switch (g.int(16)) {
          case 0:
            await o.expectSame([g.pick(['RPUSH', 'LPUSH']), 'rk:l', ...Array.from({ length: 1 + g.int(8) }, member)], { note })
            break
          case 1:
            await o.expectSame(['SADD', 'rk:s', ...Array.from({ length: 1 + g.int(8) }, member)], { note })
            break
          case 2:
            await o.expectSame(['HSET', 'rk:h', ...Array.from({ length: 1 + g.int(5) }, () => [member(), member()]).flat()], { note })
            break
          case 3:
            await o.expectSame(['ZADD', 'rk:z', ...Array.from({ length: 1 + g.int(5) }, () => [score(), member()]).flat()], { note })
            break
          case 4: {
            const c = g.pick([
              ['LPOP', 'rk:l'], ['LREM', 'rk:l', '1', member()], ['SREM', 'rk:s', member()], ['HDEL', 'rk:h', member()],
              ['ZREM', 'rk:z', member()], ['DEL', k], ['LTRIM', 'rk:l', '1', '-2'], ['SET', 'rk:x', member()],
            ])
            await o.expectSame(c, { note })
            break
          }
          case 5: {
            const c = g.pick([
              ['list-max-listpack-size', g.pick(['-2', '-1', '2', '4', '16'])],
              ['list-compress-depth', g.pick(['0', '1', '2'])],
              ['hash-max-listpack-entries', g.pick(['4', '16', '512'])],
              ['hash-max-listpack-value', g.pick(['8', '64'])],
              ['zset-max-listpack-entries', g.pick(['4', '16', '128'])],
              ['zset-max-listpack-value', g.pick(['8', '64'])],
              ['set-max-intset-entries', g.pick(['4', '16', '512'])],
              ['rdbcompression', g.pick(['yes', 'no'])],
            ])
            await o.expectSame(['CONFIG', 'SET', ...c], { note })
            break
          }
          case 6:
          case 7: {
            const enc = await o.expectSame(['OBJECT', 'ENCODING', k], { note })
            const hashOrder = /hashtable/.test(enc.redis)
            const d = hashOrder ? await o.run(['DUMP', k], { note }) : await o.expectSame(['DUMP', k], { note })
            const p = bulkOf(d.redis)
            if (p !== null) payloads.push(p)
            if (hashOrder) {
              const e = bulkOf(d.engine)!
              await o.expectSame(['RESTORE', 'rk:copy', '0', p!, 'REPLACE'], { note })
              await sameContents(o, 'rk:copy')
              await o.expectSame(['RESTORE', 'rk:copy', '0', e, 'REPLACE'], { note })
              await sameContents(o, 'rk:copy')
            }
            break
          }
          case 8:
            if (payloads.length) {
              const dst = g.pick(['rk:copy', ...keys])
              await o.expectSame(['RESTORE', dst, g.pick(['0', '0', '100000']), g.pick(payloads), ...(g.int(3) ? ['REPLACE'] : [])], { note })
              await sameContents(o, dst)
            }
            break
          case 9:
          case 10:
          case 11: {
            const src = g.pick(['rk:l', 'rk:z', 'rk:l', 'rk:z', 'rk:s', 'rk:x', 'rk:h', 'rk:copy', 'rk:none'])
            const argv = ['SORT', src]
            // Any key may hold a hashtable set (RESTORE copies payloads around): its elements come
            // in hash order, so only total orders (no BY) are compared exactly.
            const t = (await o.run(['TYPE', src])).redis
            const hashSet = /set/.test(t) && !/zset/.test(t) && /hashtable/.test((await o.run(['OBJECT', 'ENCODING', src])).redis)
            // A zset is sorted from its dict, in hash order too: BY ... ALPHA leaves ties in that order.
            const hashOrder = hashSet || /zset/.test(t)
            const by = !hashSet && g.int(2) ? g.pick(['rw_*', 'nosort', 'rh_*->f', 'missing_*']) : null
            if (by !== null) argv.push('BY', by)
            if (g.int(3) === 0) argv.push('LIMIT', String(g.int(6) - 1), String(g.int(8) - 2))
            if (g.int(2)) argv.push(g.pick(['ASC', 'DESC']))
            if (g.int(2) && !(hashOrder && by !== null && by !== 'nosort')) argv.push('ALPHA')
            if (g.int(3) === 0) argv.push('GET', g.pick(['#', 'rw_*', 'rh_*->f']))
            if (g.int(4) === 0) argv.push('STORE', 'rk:dst')
            const res = await o.expectSame(argv, { note })
            if (argv.includes('STORE')) await o.expectSame(['LRANGE', 'rk:dst', '0', '-1'], { note })
            // Redis never clears errno before SORT's strtod: an ERANGE (1e400) would make the next
            // SORT on this connection fail too (a Redis quirk the engine does not model). ZADD's
            // float parsing sets errno to 0.
            if (res.redis.startsWith("-ERR One or more scores")) await o.expectSame(['ZADD', 'rk:errno', '1', 'reset'], { note })
            break
          }
          case 12:
            await o.expectSame(['HSET', `rh_${member()}`, 'f', member()], { note })
            break
          case 13:
            await o.expectSame(['SET', `rw_${member()}`, score()], { note })
            break
          case 14:
            await o.expectSame(['OBJECT', 'ENCODING', k], { note })
            break
          default:
            await sameContents(o, k)
        }
      }
    }, 600_000)
  })
}
