// Differential tests of the hash type against redis-server 7.0.15, byte for
// byte, in RESP2 and RESP3: every hash command with its options and errors,
// the listpack <-> hashtable thresholds (OBJECT ENCODING after writes),
// MEMORY USAGE, keyspace notifications, WATCH, and long random sequences.
//
// Normalising, where a reply is random by nature (each use says which):
// - a hashtable lists its fields in bucket order, which follows the per-process
//   hash seed: HKEYS / HVALS / HGETALL / HSCAN of hashtables are compared sorted
//   (listpack replies are compared exactly, order included);
// - HRANDFIELD picks are random: only the shape is compared byte for byte, and
//   each side's picks are checked against that side's own HGETALL (membership,
//   field-value pairing, distinctness for a positive count).
import { expect, it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { unordered, unorderedPairs, useOracle, type Normaliser, type Oracle, type OracleClient } from '../support/oracle.ts'
import { parseReply, splitReplies } from '../support/resp-conn.ts'
import { encodingOf, expectMemoryUsage, intOf, pairsOf, scanPairsUnordered, scanUnordered, shape } from '../support/collection-checks.ts'
import { sdsNewAllocSize } from '../../engine/keyspace/memory.ts'
import { mulberry32 } from '../support/prng.ts'

const L64 = 'v'.repeat(64)
const L65 = 'v'.repeat(65)
const F64 = 'f'.repeat(64)
const F65 = 'f'.repeat(65)

/** MEMORY USAGE key on both sides: equal when `exact`, else within 10 % (see expectMemoryUsage). */
async function expectMemory(c: OracleClient, key: string, exact: boolean): Promise<void> {
  await expectMemoryUsage(c, ['MEMORY', 'USAGE', key], exact)
}

/**
 * MEMORY USAGE of a hashtable hash. Its bucket count is random by nature:
 * growing and shrinking are refused while a rehash is in progress, and how
 * fast a rehash ends depends on how the hash seed spreads the fields over the
 * buckets (two redis-servers given the same commands report different sizes).
 * So each side's MEMORY USAGE ... SAMPLES 0 (every entry counted, no
 * sampling) is split into what is deterministic, checked exactly against that
 * side's own HGETALL (robj + dict + each field's and value's sds + dictEntry,
 * + the key's sds and dictEntry), and the bucket arrays, which must be one
 * or two power-of-two tables of at least 4 buckets. The default estimate
 * (first 5 entries in bucket order) must then be within 10 % of Redis's when
 * every entry has the same size class.
 */
async function expectHashtableMemory(c: OracleClient, key: string, uniform = false): Promise<void> {
  const all = await c.expectSame(['HGETALL', key], unorderedPairs)
  const r = await c.run(['MEMORY', 'USAGE', key, 'SAMPLES', '0'])
  for (const side of ['redis', 'engine'] as const) {
    const pairs = pairsOf(parseReply(all[side]), true)
    let base = 16 + 56 + sdsNewAllocSize(key.length) + 24
    for (const [f, v] of pairs) base += sdsNewAllocSize(f.length) + sdsNewAllocSize((v ?? '').length) + 24
    const buckets = intOf(r[side]) - base
    const slots = Math.round(buckets / 8)
    expect(Math.abs(buckets - slots * 8), `${side}: MEMORY USAGE ${key} = entries + 8 x buckets`).toBeLessThanOrEqual(1)
    const pow = (n: number): boolean => n >= 4 && (n & (n - 1)) === 0
    const valid = pow(slots) || [...Array(31).keys()].some((k) => pow(2 ** k) && pow(slots - 2 ** k))
    expect(valid, `${side}: ${slots} buckets is one or two tables`).toBe(true)
  }
  if (uniform) await expectMemory(c, key, false)
}

/**
 * HRANDFIELD with a count: picks are random on both sides. Compares the
 * shape exactly; then checks each side against its own HGETALL (itself
 * compared, sorted): every pick is a field with its value, distinct when the
 * count is positive, and min(count, size) of them.
 */
async function expectRandfield(c: OracleClient, argv: readonly string[]): Promise<void> {
  const r = await c.run(argv)
  const rn = splitReplies(r.redis).map(parseReply)
  const en = splitReplies(r.engine).map(parseReply)
  expect(en.map(shape), `shape of ${argv.join(' ')}`).toEqual(rn.map(shape))
  const last = rn[rn.length - 1]
  if (last.type === '-' || argv.length < 3) return
  const all = await c.expectSame(['HGETALL', argv[1]], unorderedPairs)
  const count = Number(argv[2])
  const withValues = argv.length === 4
  for (const [raw, picksRaw] of [
    [all.redis, r.redis],
    [all.engine, r.engine],
  ] as const) {
    const hash = new Map(pairsOf(parseReply(raw), true))
    const picks = pairsOf(parseReply(picksRaw), withValues)
    expect(picks.length).toBe(hash.size === 0 ? 0 : count < 0 ? -count : Math.min(count, hash.size))
    for (const [f, v] of picks) {
      expect(hash.has(f), `picked field ${JSON.stringify(f)} is in the hash`).toBe(true)
      if (withValues) expect(v).toBe(hash.get(f))
    }
    if (count > 0) expect(new Set(picks.map(([f]) => f)).size).toBe(picks.length)
  }
}

/** Fields in random order, but listpacks are compared exactly. */
async function expectListing(c: OracleClient, argv: readonly string[]): Promise<void> {
  const enc = await encodingOf(c, argv[1])
  const norm = enc !== 'hashtable' ? undefined : argv[0] === 'HGETALL' ? unorderedPairs : argv[0] === 'HSCAN' ? scanPairsUnordered : unordered
  await c.expectSame(argv, norm)
}

for (const resp of [2, 3] as const) {
  describeOracle(`hash commands (RESP${resp})`, () => {
    const oracle = useOracle({ resp })

    it('HSET / HMSET / HSETNX / HGET / HMGET basics, arity and WRONGTYPE', async () => {
      await oracle().runScript(`
        HSET b:h f1 v1
        HSET b:h f1 v1b f2 v2 f3 v3
        HSET b:h f4 a f4 b f4 c
        HGET b:h f4
        HSET b:h f1
        HSET b:h
        HSET b:h f1 v1 f2
        HMSET b:h f5 v5 f6 v6
        HMSET b:h f5
        HMSET b:h
        EXISTS b:none
        HSET b:none f
        EXISTS b:none
        HGET b:h f1
        HGET b:h nope
        HGET b:none f
        HGET b:h
        HGET b:h a b
        HMGET b:h f1 nope f2 f1
        HMGET b:none a b
        HMGET b:h
        HSETNX b:h f1 other
        HGET b:h f1
        HSETNX b:h f9 new
        HGET b:h f9
        HSETNX b:nx a 1
        HGETALL b:nx
        HSETNX b:h f1
        HSETNX b:h f1 a b
        SET b:s str
        HSET b:s f v
        HMSET b:s f v
        HSETNX b:s f v
        HGET b:s f
        HMGET b:s f
        HSET b:s f
        hset b:h lower case
        HgEt b:h lower
        HSET b:h "" ""
        HGET b:h ""
        HSET b:h "\\x00\\xff\\r\\n" "\\x00bin\\r\\n"
        HGET b:h "\\x00\\xff\\r\\n"
        HGETALL b:h
        OBJECT ENCODING b:h
        TYPE b:h
      `)
    })

    it('HDEL / HLEN / HSTRLEN / HEXISTS', async () => {
      await oracle().runScript(`
        HSET d:h a 1 b 2 c -123 d 007 e 9223372036854775807 f -9223372036854775808 g 1.50 h ""
        HLEN d:h
        HSTRLEN d:h a
        HSTRLEN d:h c
        HSTRLEN d:h d
        HSTRLEN d:h e
        HSTRLEN d:h f
        HSTRLEN d:h g
        HSTRLEN d:h h
        HSTRLEN d:h nope
        HSTRLEN d:none a
        HEXISTS d:h a
        HEXISTS d:h 1
        HEXISTS d:h nope
        HEXISTS d:none a
        HDEL d:h nope
        HDEL d:h a a b nope
        HLEN d:h
        HGETALL d:h
        HDEL d:none a
        HDEL d:h
        HLEN d:none
        HLEN
        HLEN a b
        HSTRLEN d:h
        HEXISTS d:h
        HSET d:one x 1
        HDEL d:one x y
        EXISTS d:one
        HSET d:two x 1 y 2
        HDEL d:two x y z
        EXISTS d:two
        SET d:s v
        HDEL d:s a
        HLEN d:s
        HSTRLEN d:s a
        HEXISTS d:s a
      `)
    })

    it('HKEYS / HVALS / HGETALL on listpacks (order) and hashtables', async () => {
      await oracle().runScript(`
        HSET g:h z 1 y 2 x 3 10 -1 w 4
        HKEYS g:h
        HVALS g:h
        HGETALL g:h
        HDEL g:h y
        HSET g:h y 5
        HGETALL g:h
        HKEYS g:none
        HVALS g:none
        HGETALL g:none
        HKEYS
        HGETALL a b
        SET g:s v
        HKEYS g:s
        HVALS g:s
        HGETALL g:s
        HSET g:big a 1 b 2 c 3 long ${L65}
        OBJECT ENCODING g:big
        [unordered] HKEYS g:big
        [unordered] HVALS g:big
        [unordered-pairs] HGETALL g:big
      `)
    })

    it('HINCRBY', async () => {
      await oracle().runScript(`
        HINCRBY i:h a 1
        HINCRBY i:h a 41
        HINCRBY i:h a -50
        HGET i:h a
        HINCRBY i:h b 9223372036854775807
        HINCRBY i:h b 1
        HINCRBY i:h b 0
        HINCRBY i:h c -9223372036854775808
        HINCRBY i:h c -1
        HINCRBY i:h c 9223372036854775807
        HINCRBY i:h a 9223372036854775808
        HINCRBY i:h a x
        HINCRBY i:h a ""
        HINCRBY i:h a " 1"
        HINCRBY i:h a 1.0
        HINCRBY i:h a 007
        HSET i:h s abc t 1.5 u " 1" v 007 w -0 x ""
        HINCRBY i:h s 1
        HINCRBY i:h t 1
        HINCRBY i:h u 1
        HINCRBY i:h v 1
        HINCRBY i:h w 1
        HINCRBY i:h x 1
        HGETALL i:h
        EXISTS i:new
        HINCRBY i:new f x
        EXISTS i:new
        HINCRBY i:new f 5
        OBJECT ENCODING i:new
        SET i:s v
        HINCRBY i:s f 1
        HINCRBY i:s f x
        HINCRBY i:h a
        HINCRBY i:h a 1 2
      `)
    })

    it('HINCRBYFLOAT (long double arithmetic, formatting, errors)', async () => {
      await oracle().runScript(`
        HINCRBYFLOAT f:h a 0.1
        HINCRBYFLOAT f:h a 0.2
        HINCRBYFLOAT f:h a 0.3
        HINCRBYFLOAT f:h a -0.6
        HINCRBYFLOAT f:h b 1e70
        HINCRBYFLOAT f:h b 1
        HINCRBYFLOAT f:h c 5.0e3
        HINCRBYFLOAT f:h c -5000
        HINCRBYFLOAT f:h d 1.1e4932
        HINCRBYFLOAT f:h d 1.1e4932
        HINCRBYFLOAT f:h e 3
        HINCRBYFLOAT f:h e 0x10
        HINCRBYFLOAT f:h e 1e-20
        HINCRBYFLOAT f:h e -1e-20
        HINCRBYFLOAT f:h e inf
        HINCRBYFLOAT f:h e -inf
        HINCRBYFLOAT f:h e +inf
        HINCRBYFLOAT f:h e nan
        HINCRBYFLOAT f:h e abc
        HINCRBYFLOAT f:h e ""
        HINCRBYFLOAT f:h e " 1"
        HINCRBYFLOAT f:h e "1 "
        HINCRBYFLOAT f:h e 1e400
        HSET f:h s abc t " 2" u 2.5 v 10 w inf x ""
        HINCRBYFLOAT f:h s 1
        HINCRBYFLOAT f:h t 1
        HINCRBYFLOAT f:h u 1
        HINCRBYFLOAT f:h v 1.5
        HINCRBYFLOAT f:h w 1
        HINCRBYFLOAT f:h x 1
        [unordered-pairs] HGETALL f:h
        SET f:s v
        HINCRBYFLOAT f:s a 1
        HINCRBYFLOAT f:s a nan
        HINCRBYFLOAT f:s a inf
        HINCRBYFLOAT f:h a
        EXISTS f:none
        HINCRBYFLOAT f:none a inf
        EXISTS f:none
      `)
    })

    it('HRANDFIELD: errors, missing keys, deterministic cases', async () => {
      await oracle().runScript(`
        HRANDFIELD r:none
        HRANDFIELD r:none 5
        HRANDFIELD r:none -5 WITHVALUES
        HRANDFIELD r:none 0
        HRANDFIELD r:none x
        HRANDFIELD r:none 1 WITHVALUES extra
        HSET r:one only 1
        HRANDFIELD r:one
        HRANDFIELD r:one 1
        HRANDFIELD r:one -1
        HRANDFIELD r:one -5
        HRANDFIELD r:one -5 WITHVALUES
        HRANDFIELD r:one 5 WITHVALUES
        HRANDFIELD r:one 1 WITHVALUES
        HRANDFIELD r:one 0
        HRANDFIELD r:one 0 WITHVALUES
        HRANDFIELD r:one x
        HRANDFIELD r:one 1.5
        HRANDFIELD r:one 1 withvalues
        HRANDFIELD r:one 1 WITHVALUE
        HRANDFIELD r:one 1 WITHVALUES x
        HRANDFIELD r:one -9223372036854775808
        HRANDFIELD r:one 9223372036854775808
        HRANDFIELD r:one 4611686018427387903 WITHVALUES
        HRANDFIELD r:one 4611686018427387904 WITHVALUES
        HRANDFIELD r:one -4611686018427387904 WITHVALUES
        HRANDFIELD r:one -9223372036854775807 WITHVALUES
        HRANDFIELD r:one 9223372036854775807
        HSET r:lp a 1 b 2 c 3 d 4
        HRANDFIELD r:lp 4
        HRANDFIELD r:lp 100 WITHVALUES
        HRANDFIELD r:lp 9223372036854775807
        SET r:s v
        HRANDFIELD r:s
        HRANDFIELD r:s 1
        HRANDFIELD r:s x
        HRANDFIELD
      `)
    })

    it('HRANDFIELD with huge counts: range errors, missing keys, whole-hash replies as Redis', async () => {
      // Only a negative count on an existing hash makes Redis stream |count| picks (gigabytes for
      // these counts); the engine refuses those past MAX_RANDOM_PICKS (engine/commands/hash/hash.test.ts).
      // Everything else Redis answers at once, and is compared here (a hashtable's whole-hash reply
      // in bucket order, which follows the hash seed: sorted; RESP3 nests the pairs, so whole pairs sort).
      await oracle().runScript(`
        HRANDFIELD hr:none -2147483648
        HRANDFIELD hr:none -1099511627776 WITHVALUES
        HRANDFIELD hr:none -9223372036854775807
        HRANDFIELD hr:none -9223372036854775808
        HRANDFIELD hr:none -4611686018427387904 WITHVALUES
        HRANDFIELD hr:none 4611686018427387904 WITHVALUES
        HSET hr:lp a 1 b 2 c 3
        HRANDFIELD hr:lp 1099511627776
        HRANDFIELD hr:lp 2147483648 WITHVALUES
        HRANDFIELD hr:lp 4611686018427387903 WITHVALUES
        HRANDFIELD hr:lp -9223372036854775808 WITHVALUES
        HRANDFIELD hr:lp -4611686018427387904 WITHVALUES
        HRANDFIELD hr:lp 9223372036854775807 WITHVALUES
        HSET hr:ht f1 v1 f2 v2 f3 v3 ${'x'.repeat(65)} big
        [unordered] HRANDFIELD hr:ht 1099511627776
        [${resp === 3 ? 'unordered' : 'unordered-pairs'}] HRANDFIELD hr:ht 4611686018427387903 WITHVALUES
        SET hr:s v
        HRANDFIELD hr:s -1099511627776
        HRANDFIELD hr:s -1099511627776 WITHVALUES
        HRANDFIELD hr:s -9223372036854775808
        HRANDFIELD hr:s 4611686018427387904 WITHVALUES
      `)
    })

    it('HRANDFIELD: random picks of every strategy are members, distinct when asked', async () => {
      const o = oracle()
      // Listpack of 50, hashtable of 50 (every strategy: 1, count >= size, count*3 > size, few of many).
      await o.expectSame(['HSET', 'rr:lp', ...Array.from({ length: 50 }, (_, i) => [`f${i}`, `v${i}`]).flat()])
      await o.expectSame(['HSET', 'rr:ht', ...Array.from({ length: 50 }, (_, i) => [`f${i}`, `v${i}`]).flat(), 'big', L65])
      for (const key of ['rr:lp', 'rr:ht']) {
        for (const n of ['1', '-1', '2', '5', '16', '17', '30', '49', '50', '51', '-3', '-100', '-2000', '200']) {
          await expectRandfield(o, ['HRANDFIELD', key, n])
          await expectRandfield(o, ['HRANDFIELD', key, n, 'WITHVALUES'])
        }
        for (let i = 0; i < 10; i++) {
          const r = await o.run(['HRANDFIELD', key])
          expect(r.engine.startsWith('$')).toBe(true)
          expect(r.redis.startsWith('$')).toBe(true)
        }
      }
    })

    it('listpack <-> hashtable thresholds, OBJECT ENCODING after writes', async () => {
      const o = oracle()
      // 512 fields stay a listpack, the 513th converts (one field per HSET).
      for (let i = 0; i < 512; i++) await o.expectSame(['HSET', 't:n', `f${i}`, String(i)])
      await o.expectSame(['OBJECT', 'ENCODING', 't:n'])
      await o.expectSame(['HSET', 't:n', 'f0', 'again'])
      await o.expectSame(['OBJECT', 'ENCODING', 't:n'])
      await o.expectSame(['HSETNX', 't:n', 'f1', 'x'])
      await o.expectSame(['OBJECT', 'ENCODING', 't:n'])
      await o.expectSame(['HSET', 't:n', 'f512', 'x'])
      await o.expectSame(['OBJECT', 'ENCODING', 't:n'])
      await o.expectSame(['HLEN', 't:n'])
      // One HSET of 513 pairs, and of 512 pairs.
      const pairs = (n: number): string[] => Array.from({ length: n }, (_, i) => [`g${i}`, `${i}`]).flat()
      await o.expectSame(['HSET', 't:m513', ...pairs(513)])
      await o.expectSame(['OBJECT', 'ENCODING', 't:m513'])
      await o.expectSame(['HSET', 't:m512', ...pairs(512)])
      await o.expectSame(['OBJECT', 'ENCODING', 't:m512'])
      // 513 pairs, one field twice: 512 distinct fields stay a listpack; one more converts.
      await o.expectSame(['HMSET', 't:dup', ...pairs(512), 'g0', 'again'])
      await o.expectSame(['OBJECT', 'ENCODING', 't:dup'])
      await o.expectSame(['HSETNX', 't:dup', 'new', 'x'])
      await o.expectSame(['OBJECT', 'ENCODING', 't:dup'])
      await o.runScript(`
        HSET t:v f ${L64}
        OBJECT ENCODING t:v
        HSET t:v f ${L65}
        OBJECT ENCODING t:v
        HSET t:k ${F64} v
        OBJECT ENCODING t:k
        HSET t:k ${F65} v
        OBJECT ENCODING t:k
        HSET t:mix a 1 b ${L65} c 3
        OBJECT ENCODING t:mix
        [unordered-pairs] HGETALL t:mix
        HSET t:nx a 1
        HSETNX t:nx a ${L65}
        OBJECT ENCODING t:nx
        HSETNX t:nx b ${L65}
        OBJECT ENCODING t:nx
        HSET t:nxf a 1
        HSETNX t:nxf ${F65} 1
        OBJECT ENCODING t:nxf
        HSET t:inc a 1
        HINCRBY t:inc ${F65} 1
        OBJECT ENCODING t:inc
        HSET t:incf a 1
        HINCRBYFLOAT t:incf a 1e70
        OBJECT ENCODING t:incf
        HSET t:incf2 a 1
        HINCRBYFLOAT t:incf2 ${F65} 1
        OBJECT ENCODING t:incf2
        HSET t:incf3 a 1
        HINCRBYFLOAT t:incf3 a 1e60
        OBJECT ENCODING t:incf3
        HSET t:one-way a ${L65}
        HDEL t:one-way a
        EXISTS t:one-way
        HSET t:one-way2 a ${L65} b 1
        HDEL t:one-way2 a
        OBJECT ENCODING t:one-way2
        HSET t:fail a 1
        HINCRBY t:fail a x
        HINCRBYFLOAT t:fail a nan
        OBJECT ENCODING t:fail
        CONFIG SET hash-max-listpack-entries 0
        HSET t:zero a 1
        OBJECT ENCODING t:zero
        CONFIG SET hash-max-listpack-entries 2
        HSET t:two a 1 b 2
        OBJECT ENCODING t:two
        HSET t:two c 3
        OBJECT ENCODING t:two
        HSET t:two2 a 1 b 2 c 3
        OBJECT ENCODING t:two2
        CONFIG SET hash-max-ziplist-entries 512
        CONFIG GET hash-max-listpack-entries
        CONFIG SET hash-max-listpack-value 0
        HSET t:v0 a ""
        OBJECT ENCODING t:v0
        HSET t:v0b a b
        OBJECT ENCODING t:v0b
        HINCRBY t:v0c a 1
        OBJECT ENCODING t:v0c
        CONFIG SET hash-max-ziplist-value 3
        HSET t:v3 abc 123
        OBJECT ENCODING t:v3
        HINCRBY t:v3 abc 877
        OBJECT ENCODING t:v3
        HINCRBY t:v3 abc 1
        OBJECT ENCODING t:v3
        CONFIG SET hash-max-listpack-value 64
        CONFIG GET hash-max-ziplist-value
      `)
    })

    it('MEMORY USAGE, TYPE, SCAN TYPE, COPY, RENAME, EXPIRE on hashes', async () => {
      const o = oracle()
      await o.runScript(`
        FLUSHDB
        HSET m:lp a 1 b x
        HSET m:ht a 12.5 b x long ${L65}
      `)
      await expectMemory(o, 'm:lp', true)
      await expectMemory(o, 'm:ht', false)
      await expectHashtableMemory(o, 'm:ht')
      await expectMemory(o, 'm:none', true)
      await o.expectSame(['HSET', 'm:eq', ...Array.from({ length: 100 }, (_, i) => [`k${100 + i}`, `v${100 + i}`]).flat(), 'kkkk', L65.slice(0, 4)])
      await o.expectSame(['CONFIG', 'SET', 'hash-max-listpack-entries', '10'])
      await o.expectSame(['HSET', 'm:eq2', ...Array.from({ length: 300 }, (_, i) => [`k${1000 + i}`, `v${1000 + i}`]).flat()])
      await o.expectSame(['CONFIG', 'SET', 'hash-max-listpack-entries', '512'])
      await o.expectSame(['OBJECT', 'ENCODING', 'm:eq2'])
      await expectMemory(o, 'm:eq', true)
      await expectHashtableMemory(o, 'm:eq2', true)
      for (let i = 0; i < 280; i++) await o.expectSame(['HDEL', 'm:eq2', `k${1000 + i}`])
      await expectHashtableMemory(o, 'm:eq2', true)
      // A big listpack (past jemalloc's small classes).
      await o.expectSame(['HSET', 'm:big', ...Array.from({ length: 500 }, (_, i) => [`field:${i}`, `value:${i}:${'z'.repeat(40)}`]).flat()])
      await expectMemory(o, 'm:big', true)
      await o.runScript(`
        TYPE m:lp
        TYPE m:ht
      `)
      await o.expectSame(['SCAN', '0', 'TYPE', 'hash', 'COUNT', '1000'], scanUnordered)
      await o.expectSame(['SCAN', '0', 'TYPE', 'HASH', 'MATCH', 'm:l*', 'COUNT', '1000'], scanUnordered)
      await o.expectSame(['SCAN', '0', 'TYPE', 'string', 'COUNT', '1000'], scanUnordered)
      await o.runScript(`
        COPY m:lp m:lp2
        OBJECT ENCODING m:lp2
        HGETALL m:lp2
        COPY m:ht m:ht2
        OBJECT ENCODING m:ht2
        [unordered-pairs] HGETALL m:ht2
        HSET m:ht2 new 1
        HLEN m:ht
        HLEN m:ht2
        COPY m:ht m:lp2
        COPY m:ht m:lp2 REPLACE
        OBJECT ENCODING m:lp2
        COPY m:lp m:lp2 DB 1
        SELECT 1
        HGETALL m:lp2
        OBJECT ENCODING m:lp2
        SELECT 0
        RENAME m:lp m:renamed
        HGETALL m:renamed
        EXPIRE m:renamed 1000
        TTL m:renamed
        HSET m:renamed c 3
        TTL m:renamed
        HDEL m:renamed a b c
        TTL m:renamed
        EXISTS m:renamed
        SET m:str v
        OBJECT ENCODING m:str
        DEL m:ht m:ht2
        EXISTS m:ht
      `)
      await expectMemory(o, 'm:lp2', true)
    })

    it('keyspace notifications', async () => {
      const o = oracle()
      await o.runScript(`
        CONFIG SET notify-keyspace-events KEA
        [c1 frames=1] PSUBSCRIBE __key*@0__:*
        HSET n:h a 1 b 2
        HMSET n:h c 3
        HSETNX n:h a 9
        HSETNX n:h z 9
        HINCRBY n:h a 5
        HINCRBYFLOAT n:h a 0.5
        HINCRBY n:h s x
        HINCRBYFLOAT n:h b abc
        HDEL n:h nope
        HDEL n:h a nope
        HDEL n:h b c z
        EXISTS n:h
        HSET n:h2 x ${L65}
        HDEL n:h2 x
        HINCRBY n:new f 1
        HINCRBYFLOAT n:new2 f 1.5
        HSETNX n:new3 f v
        HGET n:missing f
        [c1] .pushes
        CONFIG SET notify-keyspace-events Eh
        HSET n:h3 a 1
        HDEL n:h3 a
        CONFIG SET notify-keyspace-events Eg
        HSET n:h4 a 1
        HDEL n:h4 a
        CONFIG SET notify-keyspace-events ""
        HSET n:quiet a 1
        [c1] .pushes
      `)
      const c1 = await o.client(1)
      await c1.expectPushes()
      if (resp === 2) await c1.expectSame(['PING'])
      await o.runScript(`
        [c1 frames=1] PUNSUBSCRIBE
      `)
    })

    it('WATCH sees hash writes, and only real ones', async () => {
      await oracle().runScript(`
        HSET w:h a 1
        WATCH w:h
        [c2] HSET w:h b 2
        MULTI
        HGET w:h b
        EXEC
        WATCH w:h
        [c2] HSETNX w:h a 5
        [c2] HDEL w:h nope
        [c2] HGET w:h a
        MULTI
        HSET w:h c 3
        EXEC
        WATCH w:h
        [c2] HINCRBY w:h a 1
        MULTI
        HLEN w:h
        EXEC
        WATCH w:h
        [c2] HINCRBYFLOAT w:h a 1.5
        MULTI
        HLEN w:h
        EXEC
        WATCH w:h
        [c2] HDEL w:h a b c
        MULTI
        HLEN w:h
        EXEC
        MULTI
        HSET w:h x 1
        HINCRBY w:h x 1
        HINCRBYFLOAT w:h x 1.5
        HGETALL w:h
        HDEL w:h x
        EXEC
        EXISTS w:h
      `)
    })

    it('HSCAN', async () => {
      const o = oracle()
      await o.runScript(`
        HSET s:lp a 1 b 2 c 3 ab 4 10 5
        HSCAN s:lp 0
        HSCAN s:lp 0 COUNT 1
        HSCAN s:lp 0 MATCH a*
        HSCAN s:lp 0 MATCH *1* COUNT 100
        HSCAN s:lp 0 COUNT 0
        HSCAN s:lp 0 COUNT x
        HSCAN s:lp 0 MATCH
        HSCAN s:lp 0 NOPE x
        HSCAN s:lp 0 TYPE hash
        HSCAN s:lp x
        HSCAN s:lp -1
        HSCAN s:lp 18446744073709551615
        HSCAN s:lp 18446744073709551616
        HSCAN s:none 0
        HSCAN s:none x
        SET s:s v
        HSCAN s:s 0
        HSCAN s:s x
        HSCAN s:lp
      `)
      await o.expectSame(['HSET', 's:ht', ...Array.from({ length: 40 }, (_, i) => [`f${i}`, `v${i}`]).flat(), 'long', L65])
      await o.expectSame(['HSCAN', 's:ht', '0', 'COUNT', '1000'], scanPairsUnordered)
      await o.expectSame(['HSCAN', 's:ht', '0', 'COUNT', '1000', 'MATCH', 'f1*'], scanPairsUnordered)
      // A walk with a small COUNT: the cursors follow each side's hash seed, so
      // each side walks on its own; together they must return every field.
      for (const side of ['redis', 'engine'] as const) {
        const seen = new Map<string, string>()
        let cursor = '0'
        let calls = 0
        do {
          const r = await o.run(['HSCAN', 's:ht', cursor, 'COUNT', '3'])
          const node = parseReply(side === 'redis' ? r.redis : r.engine)
          // Both sides are sent the same cursor: only `side`'s reply is followed.
          if (node.type !== '*' || node.items === null) throw new Error('bad HSCAN reply')
          const [c, list] = node.items
          cursor = c.type === '$' && c.data !== null ? c.data : '0'
          for (const [f, v] of pairsOf(list, true)) seen.set(f, v ?? '')
          calls++
        } while (cursor !== '0' && calls < 1000)
        expect(seen.size, `${side}: every field returned`).toBe(41)
        expect(seen.get('f7')).toBe('v7')
      }
    })
  })
}

// ---------------------------------------------------------------- random sequences

const RANDOM_COMMANDS = Number(process.env.GLASSBOX_HASH_RANDOM_COMMANDS ?? 13_000)

const KEYS = ['h1', 'h2', 'h3', '{h}\x00\xff', 'str']
const FIELDS = ['a', 'b', 'c', 'd', 'e', '1', '-5', '007', '', '\x00\xff', 'f'.repeat(20), F64, F65, 'é', ...Array.from({ length: 12 }, (_, i) => `n${i}`)]
const VALUES = [
  '0', '1', '-1', '42', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '1.5', '0.1', '-0.0', '1e3',
  'abc', '', ' 1', '007', 'x'.repeat(30), L64, L65, '\r\n\x00', 'inf', '3.0e2',
]
const INCRS = ['1', '-1', '5', '0', '100', '-100', '9223372036854775807', '-9223372036854775808', 'x', '1.5', '']
const FLOAT_INCRS = ['0.1', '-0.1', '1.5', '1e10', '-3', '1e70', '1e-5', 'inf', 'nan', 'abc', '0x1p3', '2.5e-3', '1e4930']

async function randomRun(o: Oracle, seed: number): Promise<number> {
  const rnd = mulberry32(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
  const hashKey = (): string => (rnd() < 0.92 ? pick(KEYS.slice(0, 4)) : 'str')
  const fields = (n: number): string[] => Array.from({ length: n }, () => pick(FIELDS))
  let total = 0
  const same = async (argv: readonly string[], norm?: Normaliser): Promise<void> => {
    await o.expectSame(argv, norm)
    total++
  }
  await o.run(['FLUSHALL'])
  await o.run(['CONFIG', 'SET', 'hash-max-listpack-entries', '512'])
  await o.run(['CONFIG', 'SET', 'hash-max-listpack-value', '64'])
  await same(['SET', 'str', 'a string'])
  while (total < RANDOM_COMMANDS) {
    const key = hashKey()
    const roll = rnd()
    let wrote = false
    if (roll < 0.2) {
      const n = int(1, 4)
      const argv = [rnd() < 0.8 ? 'HSET' : 'HMSET', key]
      for (const f of fields(n)) argv.push(f, pick(VALUES))
      if (rnd() < 0.03) argv.pop() // odd arguments: arity error
      await same(argv)
      wrote = true
    } else if (roll < 0.26) {
      await same(['HSETNX', key, pick(FIELDS), pick(VALUES)])
      wrote = true
    } else if (roll < 0.33) {
      await same(['HGET', key, pick(FIELDS)])
    } else if (roll < 0.36) {
      await same(['HMGET', key, ...fields(int(1, 4))])
    } else if (roll < 0.45) {
      await same(['HDEL', key, ...fields(int(1, 4))])
      wrote = true
    } else if (roll < 0.48) {
      await same([pick(['HLEN', 'HSTRLEN', 'HEXISTS']), key, ...(rnd() < 0.5 ? [] : [pick(FIELDS)])])
    } else if (roll < 0.51) {
      await same(['HSTRLEN', key, pick(FIELDS)])
    } else if (roll < 0.54) {
      await same(['HEXISTS', key, pick(FIELDS)])
    } else if (roll < 0.6) {
      await expectListing(o, [pick(['HKEYS', 'HVALS', 'HGETALL']), key])
      total++
    } else if (roll < 0.67) {
      await same(['HINCRBY', key, pick(FIELDS), pick(INCRS)])
      wrote = true
    } else if (roll < 0.73) {
      await same(['HINCRBYFLOAT', key, pick(FIELDS), pick(FLOAT_INCRS)])
      wrote = true
    } else if (roll < 0.78) {
      const count = pick(['1', '-1', '2', '3', '5', '-7', '20', '100', '0', 'x'])
      const argv = ['HRANDFIELD', key, count, ...(rnd() < 0.5 ? ['WITHVALUES'] : [])]
      if (rnd() < 0.15) {
        // Without a count: a random field, or null / an error.
        const r = await o.run(['HRANDFIELD', key])
        expect(r.engine[0], 'HRANDFIELD key: reply type').toBe(r.redis[0])
        if (r.redis[0] === '-') expect(r.engine).toBe(r.redis)
      } else {
        await expectRandfield(o, argv)
      }
      total++
    } else if (roll < 0.81) {
      const match = rnd() < 0.5 ? [] : ['MATCH', pick(['*', 'n*', '?', 'a*', '*\xff', '[a-c]'])]
      await expectListing(o, ['HSCAN', key, '0', 'COUNT', '10000', ...match])
      total++
    } else if (roll < 0.85) {
      await o.expectSame(['CONFIG', 'SET', pick(['hash-max-listpack-entries', 'hash-max-ziplist-entries']), String(pick([0, 1, 2, 3, 5, 8, 16, 512]))])
      total++
    } else if (roll < 0.87) {
      await o.expectSame(['CONFIG', 'SET', pick(['hash-max-listpack-value', 'hash-max-ziplist-value']), String(pick([0, 1, 3, 8, 20, 64, 65]))])
      total++
    } else if (roll < 0.89) {
      await same(['DEL', key])
    } else if (roll < 0.9) {
      await same(['EXPIRE', key, String(int(1000, 2000))])
    } else if (roll < 0.92) {
      await same([pick(['TYPE', 'EXISTS']), key])
    } else if (roll < 0.94) {
      await same(['COPY', key, pick(KEYS), ...(rnd() < 0.5 ? ['REPLACE'] : [])])
      wrote = true
    } else if (roll < 0.95) {
      await same(['RENAME', key, pick(KEYS)])
    } else if (roll < 0.96) {
      await same(['SCAN', '0', 'TYPE', 'hash', 'COUNT', '1000'], scanUnordered)
    } else if (roll < 0.98) {
      // A listpack's size is exact; a hashtable's is checked by expectHashtableMemory.
      if ((await encodingOf(o, key)) === 'hashtable') await expectHashtableMemory(o, key)
      else await expectMemory(o, key, true)
      total += 2
    } else {
      await same(['SET', 'str', pick(VALUES)])
    }
    if (wrote) {
      for (const k of KEYS.slice(0, 4)) await same(['OBJECT', 'ENCODING', k])
    }
  }
  return total
}

for (const resp of [2, 3] as const) {
  describeOracle(`hash random sequences (RESP${resp})`, () => {
    const oracle = useOracle({ resp })
    it(`${RANDOM_COMMANDS}+ random hash commands match redis-server`, async () => {
      const seed = Number(process.env.GLASSBOX_SEED ?? Date.now() % 2 ** 31)
      let total: number
      try {
        total = await randomRun(oracle(), seed)
      } catch (e) {
        // GLASSBOX_DUMP=1 prints every command of the failed run, for replaying it by hand.
        if (process.env.GLASSBOX_DUMP) console.log(oracle().history.map((h) => JSON.stringify(h.argv)).join('\n'))
        if (e instanceof Error) e.message = `seed ${seed} (replay with GLASSBOX_SEED=${seed}): ${e.message}`
        throw e
      }
      console.log(`RESP${resp}: ${total} random hash commands compared (seed ${seed})`)
      expect(total).toBeGreaterThanOrEqual(RANDOM_COMMANDS)
    }, 900_000)
  })
}
