// Differential tests of the set commands against redis-server 7.0.15, byte for
// byte, in RESP2 and RESP3, plus random command sequences.
//
// What may be normalised, and why:
// - replies listing a hashtable set (SMEMBERS, SINTER over a hashtable, SUNION /
//   SDIFF whose temporary result became a hashtable, SSCAN of a hashtable) come in
//   bucket order, which depends on the per-process hash seed: compared unordered.
//   Replies that come from an intset are compared exactly (ascending order).
// - SPOP and SRANDMEMBER picks are random: only the reply type, the count, the
//   distinctness (when Redis guarantees it) and membership are compared. After a
//   random SPOP the two servers hold different members, so the key is rebuilt on
//   both sides from Redis's members (DEL + SADD) before the sequence goes on.
// - MEMORY USAGE of a hashtable with the default 5 samples averages the first 5
//   members in bucket order (seed dependent): within 10 %; exact with SAMPLES 0
//   and for intsets.
import { expect, it } from 'vitest'
import fc from 'fast-check'
import { describeOracle } from '../support/redis-server.ts'
import { bulkLengths, unordered, useOracle, type Normaliser, type OracleClient } from '../support/oracle.ts'
import { parseReply } from '../support/resp-conn.ts'
import { bulkData, encodingOf, expectMemoryUsage, expectRandom, itemsOf, membersOf, rebuild, scanUnordered } from '../support/collection-checks.ts'

// ---------------------------------------------------------------- helpers

/**
 * Runs enough dict lookups on a hashtable set (each one moves its incremental
 * rehash by a step) that a rehash in progress finishes on both sides. How many
 * steps a rehash takes depends on how the members fall into buckets, which
 * depends on the hash seed, so table sizes are only comparable once settled.
 */
async function settle(o: OracleClient, key: string, lookups = 3000): Promise<void> {
  await o.expectSame(['SMISMEMBER', key, ...Array.from({ length: lookups }, () => '\x00settle')], shapeOnly)
}

/** SMISMEMBER used only to step the rehash: a long run of zeros, compared by length. */
const shapeOnly: Normaliser = Object.assign((raw: string) => raw.slice(0, raw.indexOf('\r\n')), { why: 'only the reply length matters here' })

/** MEMORY USAGE within 10 % of Redis's (hashtables sample members in bucket order). */
async function expectMemoryClose(o: OracleClient, argv: readonly string[]): Promise<void> {
  await expectMemoryUsage(o, argv, false)
}

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i))

// ---------------------------------------------------------------- scripted cases

for (const resp of [2, 3] as const) {
  describeOracle(`set commands (RESP${resp})`, () => {
    const oracle = useOracle({ resp })

    it('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER: basics, errors, arity', async () => {
      await oracle().runScript(`
        SADD b:s 3 1 2
        SADD b:s 2 3 4
        SCARD b:s
        SMEMBERS b:s
        SISMEMBER b:s 2
        SISMEMBER b:s 5
        SISMEMBER b:s a
        SISMEMBER b:missing 1
        SMISMEMBER b:s 1 5 a 4
        SMISMEMBER b:missing 1 2
        SREM b:s 1 7 a
        SREM b:missing 1
        SCARD b:missing
        SREM b:s 2 3 4 9
        EXISTS b:s
        SADD b:h a b c
        [unordered] SMEMBERS b:h
        SISMEMBER b:h a
        SISMEMBER b:h 1
        SMISMEMBER b:h a z c
        SET b:str v
        SADD b:str a
        SREM b:str a
        SCARD b:str
        SISMEMBER b:str a
        SMISMEMBER b:str a
        SMEMBERS b:str
        SADD b:s
        SADD
        SREM b:s
        SCARD
        SCARD a b
        SISMEMBER b:s
        SMISMEMBER b:s
        SMEMBERS
        SMEMBERS a b
        sadd b:case 1
        SaDd b:case 2
        SMEMBERS b:case
        SADD b:bin "\\x00\\xff" "" "a b" "\\r\\n"
        [unordered] SMEMBERS b:bin
        SISMEMBER b:bin ""
        SISMEMBER b:bin "\\x00\\xff"
        SADD b:dup x x x
        SCARD b:dup
      `)
    })

    it('encodings: intset limits, non-canonical integers, CONFIG SET set-max-intset-entries', async () => {
      const o = oracle()
      await o.expectSame(['SADD', 'e:ints', ...range(1, 512)])
      await o.expectSame(['OBJECT', 'ENCODING', 'e:ints'])
      await o.expectSame(['MEMORY', 'USAGE', 'e:ints'])
      await o.expectSame(['SMEMBERS', 'e:ints'])
      await o.expectSame(['SADD', 'e:ints', '513'])
      await o.expectSame(['OBJECT', 'ENCODING', 'e:ints'])
      await o.expectSame(['MEMORY', 'USAGE', 'e:ints', 'SAMPLES', '0'])
      await expectMemoryClose(o, ['MEMORY', 'USAGE', 'e:ints'])
      await o.expectSame(['SREM', 'e:ints', ...range(2, 513)])
      await o.expectSame(['OBJECT', 'ENCODING', 'e:ints'])
      await o.runScript(`
        SADD e:a 9223372036854775807 -9223372036854775808
        OBJECT ENCODING e:a
        SMEMBERS e:a
        MEMORY USAGE e:a
        SADD e:b 9223372036854775808
        OBJECT ENCODING e:b
        SADD e:c 1 " 2"
        OBJECT ENCODING e:c
        SADD e:d 1 01
        OBJECT ENCODING e:d
        SADD e:e 1 -0
        OBJECT ENCODING e:e
        SADD e:f 1 +1
        OBJECT ENCODING e:f
        SADD e:g 0 -1 1
        OBJECT ENCODING e:g
        SMEMBERS e:g
        SADD e:h 1.5
        OBJECT ENCODING e:h
        SADD e:i 1 ""
        OBJECT ENCODING e:i
        SADD e:j a
        OBJECT ENCODING e:j
        SADD e:j 1 2 3
        OBJECT ENCODING e:j
        SREM e:j a
        OBJECT ENCODING e:j
        CONFIG SET set-max-intset-entries 3
        SADD e:k 1 2 3
        OBJECT ENCODING e:k
        SADD e:k 4
        OBJECT ENCODING e:k
        SADD e:l 1 2 3 4
        OBJECT ENCODING e:l
        CONFIG SET set-max-intset-entries 0
        SADD e:m 1
        OBJECT ENCODING e:m
        MEMORY USAGE e:m
        CONFIG SET set-max-intset-entries 1
        SADD e:n 1
        OBJECT ENCODING e:n
        SADD e:n 1
        OBJECT ENCODING e:n
        SADD e:n 2
        OBJECT ENCODING e:n
        CONFIG SET set-max-intset-entries 512
        SADD e:n2 1 2
        OBJECT ENCODING e:n2
        OBJECT ENCODING e:missing
        TYPE e:n2
        TYPE e:j
      `)
    })

    it('intset widths: upgrades on add, never shrink (MEMORY USAGE shows the width)', async () => {
      await oracle().runScript(`
        SADD w:s 1 2 3
        MEMORY USAGE w:s
        SADD w:s 40000
        MEMORY USAGE w:s
        SMEMBERS w:s
        SADD w:s -40000
        SMEMBERS w:s
        SADD w:s 5000000000
        MEMORY USAGE w:s
        SMEMBERS w:s
        SADD w:s -5000000000
        SMEMBERS w:s
        DUMP w:s
        SREM w:s 5000000000 -5000000000 40000 -40000
        MEMORY USAGE w:s
        SMEMBERS w:s
        DUMP w:s
        SADD w:n -32769
        MEMORY USAGE w:n
        SADD w:n 32767 -32768
        SMEMBERS w:n
        SADD w:m -2147483649 1
        SMEMBERS w:m
        MEMORY USAGE w:m
        SADD w:big 9007199254740993 -9007199254740993 9007199254740992
        SMEMBERS w:big
        SISMEMBER w:big 9007199254740993
        SISMEMBER w:big 9007199254740994
        SREM w:big 9007199254740993
        SMEMBERS w:big
      `)
    })

    it('MEMORY USAGE of hashtables: exact with SAMPLES 0, within 10 % sampled, rehashing tables', async () => {
      const o = oracle()
      await o.expectSame(['SADD', 'm:a', 'a'])
      await o.expectSame(['MEMORY', 'USAGE', 'm:a'])
      for (let n = 2; n <= 40; n++) {
        await o.expectSame(['SADD', 'm:b', `member-${n}-${'x'.repeat(n)}`])
        await expectMemoryClose(o, ['MEMORY', 'USAGE', 'm:b', 'SAMPLES', '0'])
        // Default sampling averages the first 5 members in bucket order: same-size members only.
        await o.expectSame(['SADD', 'm:u', `u${String(n).padStart(6, '0')}`])
        await expectMemoryClose(o, ['MEMORY', 'USAGE', 'm:u'])
      }
      await settle(o, 'm:b')
      await o.expectSame(['MEMORY', 'USAGE', 'm:b', 'SAMPLES', '0'])
      for (let n = 2; n <= 40; n += 3) {
        await o.expectSame(['SREM', 'm:b', `member-${n}-${'x'.repeat(n)}`])
        await expectMemoryClose(o, ['MEMORY', 'USAGE', 'm:b', 'SAMPLES', '0'])
      }
      const many = range(1, 2000).map((i) => `k${i}`)
      await o.expectSame(['SADD', 'm:c', ...many])
      await o.expectSame(['MEMORY', 'USAGE', 'm:c', 'SAMPLES', '0'])
      await expectMemoryClose(o, ['MEMORY', 'USAGE', 'm:c'])
      // Shrinking: when a delete finds the table under 10 % full it starts a
      // rehash into a smaller table, unless one is still running, and how soon a
      // rehash finishes depends on the bucket layout (the hash seed). So after a
      // run of deletes the sizes are compared within 10 %.
      await o.expectSame(['SREM', 'm:c', ...many.slice(0, 1850)])
      await settle(o, 'm:c')
      await expectMemoryClose(o, ['MEMORY', 'USAGE', 'm:c', 'SAMPLES', '0'])
      await o.expectSame(['SREM', 'm:c', ...many.slice(1850, 1990)])
      await settle(o, 'm:c')
      await expectMemoryClose(o, ['MEMORY', 'USAGE', 'm:c', 'SAMPLES', '0'])
      // Conversion presizes the dict for the intset's members.
      await o.expectSame(['SADD', 'm:d', ...range(1, 300)])
      await o.expectSame(['SADD', 'm:d', 'x'])
      await o.expectSame(['MEMORY', 'USAGE', 'm:d', 'SAMPLES', '0'])
      await o.expectSame(['SADD', 'm:e', ...range(1, 513)])
      await o.expectSame(['MEMORY', 'USAGE', 'm:e', 'SAMPLES', '0'])
      // A rehash in progress counts both tables: right after the growth, before any step.
      await o.expectSame(['SADD', 'm:f', 'a', 'b', 'c', 'd', 'e'])
      await o.expectSame(['MEMORY', 'USAGE', 'm:f', 'SAMPLES', '0'])
    })

    it('SMOVE: every path, encodings of the destination, errors', async () => {
      await oracle().runScript(`
        SADD mv:a 1 2 x
        SADD mv:b 3
        SMOVE mv:a mv:b 1
        SMEMBERS mv:b
        SMOVE mv:a mv:b 9
        SMOVE mv:missing mv:b 1
        SMOVE mv:a mv:new 2
        OBJECT ENCODING mv:new
        SMOVE mv:a mv:new2 x
        OBJECT ENCODING mv:new2
        EXISTS mv:a
        SMOVE mv:b mv:b 3
        SMOVE mv:b mv:b 4
        SADD mv:c 3
        SMOVE mv:b mv:c 3
        EXISTS mv:b
        SMEMBERS mv:c
        SMOVE mv:c mv:new2 a
        SMOVE mv:c mv:new2 3
        [unordered] SMEMBERS mv:new2
        SET mv:str v
        SADD mv:d 1
        SMOVE mv:str mv:d 1
        SMOVE mv:d mv:str 1
        SMOVE mv:missing mv:str 1
        SMOVE mv:d mv:str 5
        SMEMBERS mv:d
        SMOVE mv:d mv:ints 1
        OBJECT ENCODING mv:ints
        SADD mv:e 5 6
        SMOVE mv:e mv:ints 70000
        SMOVE mv:e mv:ints 5
        SMEMBERS mv:ints
        SMOVE mv:a
        SMOVE mv:a mv:b
      `)
    })

    it('SINTER, SMEMBERS, SINTERSTORE: orders, encodings, missing keys, errors', async () => {
      await oracle().runScript(`
        SADD i:a 5 1 3 7 9 11
        SADD i:b 3 9 1 100
        SADD i:c 9 3 1 2 4 6 8
        SINTER i:a i:b
        SINTER i:b i:a i:c
        SINTER i:a i:a
        SINTER i:a
        SINTER i:a i:missing
        SINTER i:missing i:a
        SINTERSTORE i:d i:a i:b
        OBJECT ENCODING i:d
        SMEMBERS i:d
        SINTERSTORE i:d i:a i:missing
        EXISTS i:d
        SINTERSTORE i:d i:missing
        SADD i:h 1 3 x y
        SADD i:h2 x y z 3
        [unordered] SINTER i:h i:h2
        [unordered] SINTER i:a i:h
        [unordered] SINTER i:h i:a
        SINTERSTORE i:e i:h i:a
        OBJECT ENCODING i:e
        SINTERSTORE i:f i:h i:h2
        OBJECT ENCODING i:f
        [unordered] SMEMBERS i:f
        SINTERSTORE i:g i:a i:c
        SINTERSTORE i:g i:a i:b i:c i:missing
        EXISTS i:g
        SET i:str v
        SINTER i:a i:str
        SINTER i:missing i:str
        SINTERSTORE i:a i:str
        SINTERSTORE i:str i:a i:b
        TYPE i:str
        SMEMBERS i:str
        SINTERSTORE i:a i:a i:b
        SMEMBERS i:a
        SINTER
        SINTERSTORE i:x
        CONFIG SET set-max-intset-entries 2
        SINTERSTORE i:y i:b i:c
        OBJECT ENCODING i:y
        CONFIG SET set-max-intset-entries 512
      `)
    })

    it('SINTERCARD: LIMIT and argument errors', async () => {
      await oracle().runScript(`
        SADD ic:a 1 2 3 4 5 a b
        SADD ic:b 2 3 4 5 6 a
        SADD ic:c 1 2 3 4 5 6 7 8
        SINTERCARD 2 ic:a ic:b
        SINTERCARD 2 ic:a ic:b LIMIT 0
        SINTERCARD 2 ic:a ic:b LIMIT 1
        SINTERCARD 2 ic:a ic:b LIMIT 3
        SINTERCARD 2 ic:a ic:b LIMIT 100
        SINTERCARD 3 ic:a ic:b ic:c limit 2
        SINTERCARD 1 ic:a
        SINTERCARD 2 ic:a ic:missing
        SINTERCARD 1 ic:missing
        SINTERCARD 2 ic:a ic:b LIMIT 1 LIMIT 2
        SINTERCARD 2 ic:a ic:b LIMIT -1
        SINTERCARD 2 ic:a ic:b LIMIT x
        SINTERCARD 2 ic:a ic:b LIMIT
        SINTERCARD 2 ic:a ic:b FOO 1
        SINTERCARD 0 ic:a
        SINTERCARD -1 ic:a
        SINTERCARD x ic:a
        SINTERCARD 3 ic:a ic:b
        SINTERCARD 9223372036854775807 ic:a
        SINTERCARD 9223372036854775808 ic:a
        SINTERCARD 2 ic:a ic:a
        SET ic:str v
        SINTERCARD 2 ic:a ic:str
        SINTERCARD 2 ic:missing ic:str
        SINTERCARD 1
        SINTERCARD
      `)
    })

    it('SUNION, SDIFF and their STORE forms: orders, algorithms, destination encodings', async () => {
      await oracle().runScript(`
        SADD u:a 5 1 3
        SADD u:b 4 2 3 -7
        SUNION u:a u:b
        SUNION u:a u:missing u:b
        SUNION u:missing
        SUNIONSTORE u:d u:a u:b
        OBJECT ENCODING u:d
        SMEMBERS u:d
        SUNIONSTORE u:d u:missing
        EXISTS u:d
        SDIFF u:a u:b
        SDIFF u:b u:a
        SDIFF u:a u:missing
        SDIFF u:missing u:a
        SDIFF u:a u:a
        SDIFF u:a u:b u:a
        SDIFFSTORE u:e u:b u:a
        SMEMBERS u:e
        SDIFFSTORE u:e u:a u:a
        EXISTS u:e
        SADD u:h x 1 y
        SREM u:h x y
        OBJECT ENCODING u:h
        SUNION u:h u:a
        SUNIONSTORE u:f u:h
        OBJECT ENCODING u:f
        SADD u:h z
        [unordered] SUNION u:h u:a
        SUNIONSTORE u:g u:a u:h
        OBJECT ENCODING u:g
        [unordered] SMEMBERS u:g
        SDIFF u:h u:a
        SDIFF u:a u:h
        SDIFFSTORE u:i u:h u:a
        OBJECT ENCODING u:i
        SET u:str v
        SUNION u:a u:str
        SUNION u:missing u:str
        SDIFF u:missing u:str
        SDIFF u:a u:str
        SUNIONSTORE u:str u:a
        TYPE u:str
        SUNIONSTORE u:a u:a u:b
        SMEMBERS u:a
        SUNION
        SDIFF
        SUNIONSTORE u:x
        SDIFFSTORE u:x
      `)
      // SDIFF algorithm 2 (first set much bigger than the rest): its temporary set
      // holds the whole first set first, so it can turn into a hashtable even when
      // the result would fit an intset.
      const o = oracle()
      await o.expectSame(['SADD', 'u:big', ...range(1, 600)])
      await o.expectSame(['SADD', 'u:small', ...range(3, 600)])
      await o.expectSame(['SDIFF', 'u:big', 'u:small'], unordered)
      await o.expectSame(['SDIFFSTORE', 'u:r', 'u:big', 'u:small'])
      await o.expectSame(['OBJECT', 'ENCODING', 'u:r'])
      await o.expectSame(['SADD', 'u:few', '1', '2', '3'])
      await o.expectSame(['SDIFF', 'u:few', 'u:big'])
      await o.expectSame(['SDIFF', 'u:few', 'u:small', 'u:missing'])
      await o.expectSame(['SDIFFSTORE', 'u:r2', 'u:few', 'u:small'])
      await o.expectSame(['OBJECT', 'ENCODING', 'u:r2'])
      await o.expectSame(['SMEMBERS', 'u:r2'])
      await o.expectSame(['CONFIG', 'SET', 'set-max-intset-entries', '700'])
      await o.expectSame(['SADD', 'u:big2', ...range(1, 650)])
      await o.expectSame(['SADD', 'u:small2', ...range(5, 650)])
      await o.expectSame(['SDIFF', 'u:big2', 'u:small2'])
      await o.expectSame(['SDIFFSTORE', 'u:r3', 'u:big2', 'u:small2'])
      await o.expectSame(['OBJECT', 'ENCODING', 'u:r3'])
      await o.expectSame(['SUNION', 'u:big2', 'u:few'])
      await o.expectSame(['CONFIG', 'SET', 'set-max-intset-entries', '512'])
      await o.expectSame(['SUNION', 'u:big2', 'u:few'], unordered)
      await o.expectSame(['SUNIONSTORE', 'u:r4', 'u:big2', 'u:few'])
      await o.expectSame(['OBJECT', 'ENCODING', 'u:r4'])
      await o.expectSame(['MEMORY', 'USAGE', 'u:r4', 'SAMPLES', '0'])
    })

    it('SPOP: errors, missing keys, whole-set pops, random pops (checked, then re-synced)', async () => {
      const o = oracle()
      await o.runScript(`
        SPOP p:missing
        SPOP p:missing 0
        SPOP p:missing 3
        SPOP p:missing -1
        SPOP p:missing x
        SADD p:a 3 1 2
        SPOP p:a 0
        SPOP p:a -1
        SPOP p:a x
        SPOP p:a 1 2
        SPOP p:a 9223372036854775808
        SCARD p:a
        SPOP p:a 3
        EXISTS p:a
        SADD p:b 5 4
        SPOP p:b 100
        EXISTS p:b
        SADD p:one x
        SPOP p:one
        EXISTS p:one
        SADD p:one2 7
        SPOP p:one2 1
        SADD p:h a b c
        [unordered] SPOP p:h 3
        SADD p:h2 a b c
        [unordered] SPOP p:h2 9223372036854775807
        SADD p:hi 1 2 x
        SREM p:hi x
        SPOP p:hi 5
        SET p:str v
        SPOP p:str
        SPOP p:str 1
        SPOP p:str 0
        SPOP p:str -1
        SPOP
      `)
      // Random pops from intsets and hashtables, through both strategies (CASE 2: few, CASE 3: most).
      const sets: [string, string[]][] = [
        ['p:ri', range(1, 40)],
        ['p:rh', range(1, 40).map((i) => `m${i}`)],
        ['p:rmix', [...range(1, 20), 'a', 'b', 'c']],
      ]
      for (const [key, members] of sets) {
        for (const count of [undefined, '1', '3', '10', '30']) {
          await o.expectSame(['DEL', key])
          await o.expectSame(['SADD', key, ...members])
          const universe = await membersOf(o, key)
          const argv = count === undefined ? ['SPOP', key] : ['SPOP', key, count]
          const picked = await expectRandom(o, argv, universe, true)
          await o.expectSame(['SCARD', key])
          // Whatever was popped is gone on each side.
          const left = await o.run(['SMEMBERS', key])
          const leftRedis = new Set(itemsOf(parseReply(left.redis)).map(bulkData))
          const leftEngine = new Set(itemsOf(parseReply(left.engine)).map(bulkData))
          for (const m of picked.redis) expect(leftRedis.has(m)).toBe(false)
          for (const m of picked.engine) expect(leftEngine.has(m)).toBe(false)
          await rebuild(o, key)
        }
      }
    })

    it('SRANDMEMBER with huge counts: range errors, missing keys, whole-set replies as Redis', async () => {
      // Only a negative count on an existing set makes Redis stream |count| picks (gigabytes for
      // these counts); the engine refuses those past MAX_RANDOM_PICKS (engine/commands/set/set.test.ts).
      // Everything else Redis answers at once, and is compared here.
      await oracle().runScript(`
        SRANDMEMBER sr:none -2147483648
        SRANDMEMBER sr:none -1099511627776
        SRANDMEMBER sr:none -9223372036854775807
        SRANDMEMBER sr:none -9223372036854775808
        SRANDMEMBER sr:none 9223372036854775808
        SADD sr:i 5 1 3
        SRANDMEMBER sr:i 1099511627776
        SRANDMEMBER sr:i 2147483648
        SRANDMEMBER sr:i 4611686018427387904
        SRANDMEMBER sr:i -9223372036854775808
        SADD sr:h a b c
        [unordered] SRANDMEMBER sr:h 1099511627776
        SET sr:s v
        SRANDMEMBER sr:s -1099511627776
        SRANDMEMBER sr:s -9223372036854775808
      `)
    })

    it('SRANDMEMBER: errors, counts, whole-set replies, random picks', async () => {
      const o = oracle()
      await o.runScript(`
        SRANDMEMBER r:missing
        SRANDMEMBER r:missing 0
        SRANDMEMBER r:missing 3
        SRANDMEMBER r:missing -3
        SRANDMEMBER r:missing x
        SRANDMEMBER r:missing -9223372036854775808
        SADD r:a 3 1 2
        SRANDMEMBER r:a 0
        SRANDMEMBER r:a 3
        SRANDMEMBER r:a 100
        SRANDMEMBER r:a 9223372036854775807
        SRANDMEMBER r:a -9223372036854775808
        SRANDMEMBER r:a 9223372036854775808
        SRANDMEMBER r:a x
        SRANDMEMBER r:a 1 2
        SADD r:one z
        SRANDMEMBER r:one
        SRANDMEMBER r:one -3
        SRANDMEMBER r:one 1
        SADD r:h a b c
        [unordered] SRANDMEMBER r:h 3
        SET r:str v
        SRANDMEMBER r:str
        SRANDMEMBER r:str 1
        SRANDMEMBER r:str 0
        SRANDMEMBER
      `)
      const sets: [string, string[]][] = [
        ['r:ri', range(1, 60)],
        ['r:rh', range(1, 60).map((i) => `m${i}`)],
      ]
      for (const [key, members] of sets) {
        await o.expectSame(['SADD', key, ...members])
        const universe = await membersOf(o, key)
        await expectRandom(o, ['SRANDMEMBER', key], universe, true)
        for (const count of ['1', '5', '19', '20', '21', '45', '59']) await expectRandom(o, ['SRANDMEMBER', key, count], universe, true)
        for (const count of ['-1', '-5', '-100']) await expectRandom(o, ['SRANDMEMBER', key, count], universe, false)
        await o.expectSame(['SCARD', key])
      }
    })

    it('keyspace notifications of every set command', async () => {
      const o = oracle()
      await o.runScript(`
        CONFIG SET notify-keyspace-events KEA
        [c1 frames=1] PSUBSCRIBE __keyspace@0__:n:*
        [c2 frames=1] PSUBSCRIBE __keyevent@0__:*
        SADD n:a 1 2 3
        SADD n:a 1
        SREM n:a 9
        SREM n:a 1
        SREM n:a 2 3
        SADD n:b x y
        SMOVE n:b n:c x
        SMOVE n:b n:c y
        SADD n:d 1
        SMOVE n:c n:d 7
        SADD n:e 1
        SADD n:f 1
        SMOVE n:e n:f 1
        SADD n:g 1 2
        SPOP n:g 0
        SPOP n:g 5
        SADD n:g2 1
        SPOP n:g2
        SADD n:s1 1 2 3
        SADD n:s2 2 3 4
        SINTERSTORE n:dst n:s1 n:s2
        SUNIONSTORE n:dst n:s1 n:s2
        SDIFFSTORE n:dst n:s1 n:s2
        SDIFFSTORE n:dst n:s1 n:s1
        SDIFFSTORE n:dst n:s1 n:s1
        SINTERSTORE n:dst2 n:s1 n:s2
        SINTERSTORE n:dst2 n:s1 n:missing
        SUNIONSTORE n:dst3 n:s1
        SUNIONSTORE n:dst3 n:missing
        SINTER n:s1 n:s2
        SRANDMEMBER n:s1 5
        SINTERCARD 1 n:s1
        SMEMBERS n:missing
        [c1] .pushes
        [c2] .pushes
        [c1 frames=1] PUNSUBSCRIBE
        [c2 frames=1] PUNSUBSCRIBE
        CONFIG SET notify-keyspace-events ""
      `)
    })

    it('WATCH: which set writes touch a watched key', async () => {
      const o = oracle()
      const cases: { setup: string[][]; watch: string; cmd: string[] }[] = [
        { setup: [['SADD', 'wt:a', '1']], watch: 'wt:a', cmd: ['SADD', 'wt:a', '1'] },
        { setup: [['SADD', 'wt:a', '1']], watch: 'wt:a', cmd: ['SADD', 'wt:a', '2'] },
        { setup: [['SADD', 'wt:a', '1']], watch: 'wt:a', cmd: ['SREM', 'wt:a', '9'] },
        { setup: [['SADD', 'wt:a', '1', '2']], watch: 'wt:a', cmd: ['SREM', 'wt:a', '2'] },
        { setup: [['SADD', 'wt:a', '1'], ['SADD', 'wt:b', '1']], watch: 'wt:b', cmd: ['SMOVE', 'wt:a', 'wt:b', '1'] },
        { setup: [['SADD', 'wt:a', '1'], ['SADD', 'wt:b', '2']], watch: 'wt:b', cmd: ['SMOVE', 'wt:a', 'wt:b', '1'] },
        { setup: [['SADD', 'wt:a', '1', '2'], ['SADD', 'wt:b', '1']], watch: 'wt:a', cmd: ['SMOVE', 'wt:a', 'wt:b', '1'] },
        { setup: [['SADD', 'wt:a', '1']], watch: 'wt:a', cmd: ['SPOP', 'wt:a', '0'] },
        { setup: [['SADD', 'wt:a', '1']], watch: 'wt:a', cmd: ['SPOP', 'wt:a'] },
        { setup: [['SADD', 'wt:a', '1', '2']], watch: 'wt:a', cmd: ['SPOP', 'wt:a', '5'] },
        { setup: [['SADD', 'wt:a', '1']], watch: 'wt:d', cmd: ['SINTERSTORE', 'wt:d', 'wt:a', 'wt:missing'] },
        { setup: [['SADD', 'wt:a', '1'], ['SET', 'wt:d', 'v']], watch: 'wt:d', cmd: ['SINTERSTORE', 'wt:d', 'wt:a', 'wt:missing'] },
        { setup: [['SADD', 'wt:a', '1']], watch: 'wt:d', cmd: ['SUNIONSTORE', 'wt:d', 'wt:a'] },
        { setup: [['SADD', 'wt:a', '1']], watch: 'wt:d', cmd: ['SDIFFSTORE', 'wt:d', 'wt:a', 'wt:a'] },
        { setup: [['SADD', 'wt:a', '1'], ['SADD', 'wt:d', '1']], watch: 'wt:d', cmd: ['SDIFFSTORE', 'wt:d', 'wt:a', 'wt:a'] },
        { setup: [['SADD', 'wt:a', '1']], watch: 'wt:a', cmd: ['SINTER', 'wt:a'] },
      ]
      const c1 = await o.client(1)
      for (const t of cases) {
        await o.expectSame(['DEL', 'wt:a', 'wt:b', 'wt:d'])
        for (const s of t.setup) await o.expectSame(s)
        await o.expectSame(['WATCH', t.watch])
        await c1.expectSame(t.cmd)
        await o.expectSame(['MULTI'])
        await o.expectSame(['PING'])
        await o.expectSame(['EXEC'])
      }
    })

    it('keyspace hits and misses: which lookups each command makes', async () => {
      const o = oracle()
      // Only the two counters are compared: the rest of INFO stats depends on time and traffic.
      const hitsAndMisses: Normaliser = Object.assign(
        (raw: string) => (raw.match(/keyspace_(hits|misses):\d+/g) ?? []).join(' '),
        { why: 'INFO stats: only keyspace_hits / keyspace_misses are compared' },
      )
      await o.expectSame(['SADD', 'ks:a', '1', '2', '3'])
      await o.expectSame(['SADD', 'ks:b', 'x', '2'])
      const commands = [
        ['SMEMBERS', 'ks:a'], ['SMEMBERS', 'ks:none'], ['SCARD', 'ks:a'], ['SISMEMBER', 'ks:none', '1'],
        ['SMISMEMBER', 'ks:a', '1'], ['SRANDMEMBER', 'ks:a', '5'], ['SINTER', 'ks:a', 'ks:b', 'ks:none'],
        ['SINTERSTORE', 'ks:d', 'ks:a', 'ks:b'], ['SUNIONSTORE', 'ks:d', 'ks:a', 'ks:none'], ['SDIFF', 'ks:a', 'ks:b'],
        ['SINTERCARD', '2', 'ks:a', 'ks:b'], ['SMOVE', 'ks:a', 'ks:b', '1'], ['SREM', 'ks:none', '1'],
        ['SADD', 'ks:c', '5'], ['SPOP', 'ks:c', '5'], ['SPOP', 'ks:none'],
      ]
      for (const argv of commands) {
        await o.expectSame(['CONFIG', 'RESETSTAT'])
        await o.expectSame(argv, argv[0] === 'SMEMBERS' || argv[0] === 'SINTER' || argv[0] === 'SDIFF' ? unordered : undefined)
        await o.expectSame(['INFO', 'stats'], hitsAndMisses)
      }
    })

    it('SSCAN: intsets in one call, hashtables in bucket order, options and errors', async () => {
      const o = oracle()
      await o.runScript(`
        SSCAN sc:missing 0
        SSCAN sc:missing abc
        SSCAN sc:missing 0 COUNT 0
        SADD sc:i 5 1 3 -70000
        SSCAN sc:i 0
        SSCAN sc:i 0 MATCH [13]
        SSCAN sc:i 0 MATCH -*
        SSCAN sc:i 0 COUNT 1
        SSCAN sc:i 7
        SSCAN sc:i -1
        SSCAN sc:i 18446744073709551616
        SSCAN sc:i " 0"
        SSCAN sc:i 0 COUNT 0
        SSCAN sc:i 0 COUNT -1
        SSCAN sc:i 0 COUNT x
        SSCAN sc:i 0 MATCH
        SSCAN sc:i 0 FOO bar
        SSCAN sc:i 0 TYPE set
        SSCAN sc:i abc
        SET sc:str v
        SSCAN sc:str 0
        SSCAN sc:str x
        SSCAN sc:i
      `)
      await o.expectSame(['SADD', 'sc:h', ...range(1, 50).map((i) => `m${i}`)])
      await o.expectSame(['SSCAN', 'sc:h', '0', 'COUNT', '1000'], scanUnordered)
      await o.expectSame(['SSCAN', 'sc:h', '0', 'MATCH', 'm1*', 'COUNT', '1000'], scanUnordered)
      await o.expectSame(['SSCAN', 'sc:h', '0', 'MATCH', 'nope*', 'COUNT', '1000'], scanUnordered)
      await o.expectSame(['SADD', 'sc:big', ...range(1, 600)])
      await o.expectSame(['SSCAN', 'sc:big', '0', 'COUNT', '5000'], scanUnordered)
    })

    it('TYPE, EXISTS, DEL, COPY, RENAME, SCAN TYPE set on set keys', async () => {
      await oracle().runScript(`
        FLUSHDB
        SADD g:i 3 1 2
        SADD g:h a b
        TYPE g:i
        TYPE g:h
        COPY g:i g:ic
        OBJECT ENCODING g:ic
        SMEMBERS g:ic
        MEMORY USAGE g:ic
        SADD g:ic 4
        SMEMBERS g:i
        COPY g:h g:hc
        OBJECT ENCODING g:hc
        [unordered] SMEMBERS g:hc
        MEMORY USAGE g:hc SAMPLES 0
        SADD g:hc c
        SCARD g:h
        COPY g:i g:h
        COPY g:i g:h REPLACE
        TYPE g:h
        SMEMBERS g:h
        RENAME g:i g:r
        SMEMBERS g:r
        OBJECT ENCODING g:r
        EXPIRE g:r 100
        SADD g:r 9
        TTL g:r
        SPOP g:r 100
        TTL g:r
        DEL g:ic g:hc
        EXISTS g:ic g:hc g:h
      `)
      const o = oracle()
      await o.expectSame(['SADD', 'g:big', ...range(1, 700).map((i) => `v${i}`)])
      await o.expectSame(['COPY', 'g:big', 'g:bigc'])
      await o.expectSame(['MEMORY', 'USAGE', 'g:bigc', 'SAMPLES', '0'])
      await o.expectSame(['MEMORY', 'USAGE', 'g:big', 'SAMPLES', '0'])
      await o.expectSame(['SCAN', '0', 'TYPE', 'set', 'COUNT', '1000'], scanUnordered)
      await o.expectSame(['SCAN', '0', 'TYPE', 'set', 'MATCH', 'g:big*', 'COUNT', '1000'], scanUnordered)
    })
  })
}

// ---------------------------------------------------------------- random sequences

const RANDOM_SEQUENCES = Number(process.env.GLASSBOX_SET_RANDOM_RUNS ?? 50)
const RANDOM_LENGTH = 260 // 50 x 260 = 13,000 commands per protocol
const KEYS = ['s1', 's2', 's3', '{s}\x00\xff']
const PROBE = '__set_probe__'

const rkey = fc.constantFrom(...KEYS, ...KEYS, 'str', 'none')
const member = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 30 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('70000', '-70000', '5000000000', '-5000000000', '9223372036854775807', '-9223372036854775808', '32767', '-32768', '2147483648') },
  { weight: 1, arbitrary: fc.constantFrom('01', ' 1', '-0', '+1', '1.5', '9223372036854775808', '') },
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'c', 'x'.repeat(30), '\x00\xff', 'héllo', 'y'.repeat(70)) },
)
const members = fc.array(member, { minLength: 1, maxLength: 6 })
const intRun = fc.tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: 5, max: 80 })).map(([from, n]) => range(from, from + n - 1))
const keys = fc.array(rkey, { minLength: 1, maxLength: 4 })
const countArg = fc.constantFrom('0', '1', '2', '3', '5', '8', '20', '100', '-1', '-3', '-20', 'x')

const randomCommand: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(rkey, members).map(([k, m]) => ['SADD', k, ...m]) },
  { weight: 3, arbitrary: fc.tuple(rkey, intRun).map(([k, m]) => ['SADD', k, ...m]) },
  { weight: 5, arbitrary: fc.tuple(rkey, members).map(([k, m]) => ['SREM', k, ...m]) },
  { weight: 1, arbitrary: fc.tuple(rkey, intRun).map(([k, m]) => ['SREM', k, ...m]) },
  { weight: 2, arbitrary: rkey.map((k) => ['SCARD', k]) },
  { weight: 2, arbitrary: fc.tuple(rkey, member).map(([k, m]) => ['SISMEMBER', k, m]) },
  { weight: 2, arbitrary: fc.tuple(rkey, members).map(([k, m]) => ['SMISMEMBER', k, ...m]) },
  { weight: 3, arbitrary: rkey.map((k) => ['SMEMBERS', k]) },
  { weight: 2, arbitrary: fc.tuple(rkey, fc.option(countArg, { nil: undefined })).map(([k, n]) => (n === undefined ? ['SPOP', k] : ['SPOP', k, n])) },
  { weight: 2, arbitrary: fc.tuple(rkey, fc.option(countArg, { nil: undefined })).map(([k, n]) => (n === undefined ? ['SRANDMEMBER', k] : ['SRANDMEMBER', k, n])) },
  { weight: 3, arbitrary: fc.tuple(rkey, rkey, member).map(([a, b, m]) => ['SMOVE', a, b, m]) },
  { weight: 2, arbitrary: keys.map((ks) => ['SINTER', ...ks]) },
  { weight: 2, arbitrary: fc.tuple(rkey, keys).map(([d, ks]) => ['SINTERSTORE', d, ...ks]) },
  { weight: 1, arbitrary: fc.tuple(keys, fc.constantFrom([], ['LIMIT', '0'], ['LIMIT', '2'], ['LIMIT', '-1'])).map(([ks, l]) => ['SINTERCARD', String(ks.length), ...ks, ...l]) },
  { weight: 2, arbitrary: keys.map((ks) => ['SUNION', ...ks]) },
  { weight: 2, arbitrary: fc.tuple(rkey, keys).map(([d, ks]) => ['SUNIONSTORE', d, ...ks]) },
  { weight: 2, arbitrary: keys.map((ks) => ['SDIFF', ...ks]) },
  { weight: 2, arbitrary: fc.tuple(rkey, keys).map(([d, ks]) => ['SDIFFSTORE', d, ...ks]) },
  { weight: 3, arbitrary: rkey.map((k) => ['OBJECT', 'ENCODING', k]) },
  { weight: 2, arbitrary: rkey.map((k) => ['MEMORY', 'USAGE', k, 'SAMPLES', '0']) },
  { weight: 1, arbitrary: rkey.map((k) => ['DUMP', k]) },
  { weight: 2, arbitrary: fc.tuple(rkey, fc.constantFrom([], ['MATCH', '1*'], ['MATCH', '*a*'], ['MATCH', '-?'])).map(([k, m]) => ['SSCAN', k, '0', ...m, 'COUNT', '1000']) },
  { weight: 1, arbitrary: rkey.map((k) => ['DEBUG', 'OBJECT', k]) },
  { weight: 1, arbitrary: fc.constantFrom('0', '1', '2', '4', '8', '16', '64', '512').map((n) => ['CONFIG', 'SET', 'set-max-intset-entries', n]) },
  { weight: 1, arbitrary: keys.map((ks) => ['DEL', ...ks]) },
  { weight: 1, arbitrary: fc.tuple(rkey, fc.constantFrom('1000', '2000')).map(([k, t]) => ['EXPIRE', k, t]) },
  { weight: 1, arbitrary: rkey.map((k) => ['TYPE', k]) },
  { weight: 1, arbitrary: keys.map((ks) => ['EXISTS', ...ks]) },
  { weight: 1, arbitrary: fc.tuple(rkey, rkey, fc.constantFrom([], ['REPLACE'])).map(([a, b, r]) => ['COPY', a, b, ...r]) },
  { weight: 1, arbitrary: fc.tuple(rkey, rkey).map(([a, b]) => ['RENAME', a, b]) },
  { weight: 1, arbitrary: fc.constantFrom(['SET', 'str', 'v'], ['DEL', 'str'], ['SADD', 'str', '1']).map((a) => [...a]) },
)

/** DEBUG OBJECT: the address and LRU fields differ by nature; encoding and serialized length must not. */
const debugObjectFields: Normaliser = Object.assign(
  (raw: string): string => raw.replace(/Value at:\S+ refcount:(\d+) encoding:(\S+) serializedlength:(\d+) lru:\d+ lru_seconds_idle:\d+/, 'refcount:$1 encoding:$2 serializedlength:$3'),
  { why: 'DEBUG OBJECT prints a memory address and LRU clock' },
)

/** sdsnewlen's allocation for a member of `len` bytes (jemalloc size classes up to 128 bytes suffice here). */
function sdsAlloc(len: number): number {
  const hdr = len < 32 ? 1 : len < 256 ? 3 : 5
  const n = hdr + len + 1
  return n <= 8 ? 8 : n <= 128 ? Math.ceil(n / 16) * 16 : n <= 160 ? 160 : n <= 192 ? 192 : n <= 224 ? 224 : 256
}

/**
 * MEMORY USAGE key SAMPLES 0 of a hashtable set, checked term by term: the
 * robj, dict struct and entries (from the members) must be exact on both sides;
 * the bucket count is the only free term. Redis's own bucket count comes from
 * DEBUG HTSTATS-KEY and must account for its figure exactly; ours must be a
 * valid table size (one power of two, or two while rehashing). When a
 * rehash finishes, and so whether a later delete may start a shrink, depends on
 * how members fall into buckets, i.e. on the hash seed.
 */
async function expectHashtableMemory(o: OracleClient, key: string): Promise<void> {
  const ms = await membersOf(o, key)
  const elesize = ms.reduce((n, m) => n + 24 + sdsAlloc(m.length), 0)
  // objectComputeSize adds the average entry size times the count in double and truncates.
  const size = (slots: number): number => Math.floor(16 + 56 + 8 * slots + (elesize / ms.length) * ms.length) + sdsAlloc(key.length) + 24
  const slotsOf = (total: number): number => Math.round((total - size(0)) / 8)
  const r = await o.run(['MEMORY', 'USAGE', key, 'SAMPLES', '0'])
  const theirs = Number((parseReply(r.redis) as { text: string }).text)
  const ours = Number((parseReply(r.engine) as { text: string }).text)
  const stats = await o.run(['DEBUG', 'HTSTATS-KEY', key])
  const node = parseReply(stats.redis)
  const text = node.type === '$' || node.type === '=' ? (node.data ?? '') : ''
  const redisSlots = [...text.matchAll(/table size: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0)
  const where = `MEMORY USAGE ${key} SAMPLES 0: redis ${theirs} (${redisSlots} buckets listed), engine ${ours}, members ${ms.length}`
  const validSlots = (slots: number): boolean => {
    const bits = slots.toString(2).split('').filter((b) => b === '1').length
    return Number.isInteger(slots) && slots >= 4 && (bits === 1 || bits === 2)
  }
  // A rehash target that holds nothing yet is listed without its size ("No stats available").
  if (text.includes('No stats available')) {
    const theirSlots = slotsOf(theirs)
    expect(size(theirSlots) === theirs && validSlots(theirSlots) && theirSlots > redisSlots, where).toBe(true)
  } else {
    expect(theirs, where).toBe(size(redisSlots))
  }
  const ourSlots = slotsOf(ours)
  expect(size(ourSlots) === ours && validSlots(ourSlots), where).toBe(true)
}

/** Compares a reply strictly, or unordered when it lists a hashtable; throws a readable error otherwise. */
function compareListing(argv: readonly string[], r: { redis: string; engine: string }, strict: boolean): void {
  const norm = (raw: string): string => (strict ? raw : unordered(raw))
  if (norm(r.redis) !== norm(r.engine)) {
    throw new Error(`${argv.join(' ')} (${strict ? 'exact: intset order' : 'unordered: hashtable'}): redis ${JSON.stringify(r.redis)} engine ${JSON.stringify(r.engine)}`)
  }
}

async function cardOf(o: OracleClient, key: string): Promise<number | null> {
  const r = await o.expectSame(['SCARD', key])
  const n = parseReply(r.redis)
  return n.type === ':' ? Number(n.text) : null
}

/**
 * Whether a SUNION / SDIFF reply lists an intset: the STORE form builds the
 * same temporary set, and its destination's encoding tells.
 */
async function storedIsIntset(o: OracleClient, op: 'SUNIONSTORE' | 'SDIFFSTORE', ks: readonly string[]): Promise<boolean> {
  await o.expectSame([op, PROBE, ...ks])
  const enc = await encodingOf(o, PROBE)
  await o.expectSame(['DEL', PROBE])
  return enc !== 'hashtable'
}

async function randomStep(o: OracleClient, argv: string[]): Promise<void> {
  const cmd = argv[0]
  switch (cmd) {
    case 'SMEMBERS': {
      const enc = await encodingOf(o, argv[1])
      await o.expectSame(argv, enc === 'hashtable' ? unordered : undefined)
      return
    }
    case 'SINTER': {
      // The reply walks the smallest set (the first of the smallest, the sort being stable).
      let first: { card: number; enc: string | null } | undefined
      for (const k of argv.slice(1)) {
        const enc = await encodingOf(o, k)
        const card = await cardOf(o, k)
        if (card !== null && (first === undefined || card < first.card)) first = { card, enc }
      }
      await o.expectSame(argv, first?.enc === 'hashtable' ? unordered : undefined)
      return
    }
    case 'SUNION':
    case 'SDIFF': {
      const r = await o.run(argv)
      const strict = await storedIsIntset(o, cmd === 'SUNION' ? 'SUNIONSTORE' : 'SDIFFSTORE', argv.slice(1))
      compareListing(argv, r, strict)
      return
    }
    case 'SPOP':
    case 'SRANDMEMBER': {
      const key = argv[1]
      const card = await cardOf(o, key)
      const count = argv[2]
      const n = count === undefined ? undefined : /^-?\d+$/.test(count) ? Number(count) : NaN
      if (card === null || card === 0 || Number.isNaN(n) || n === 0 || (cmd === 'SPOP' && n !== undefined && n < 0)) {
        // Missing key, wrong type, bad or zero count: nothing random about the reply.
        await o.expectSame(argv)
        return
      }
      if (n !== undefined && n >= card) {
        // The whole set: SPOP replies with SUNION of the key, SRANDMEMBER in the set's own order.
        const strict = cmd === 'SPOP' ? await storedIsIntset(o, 'SUNIONSTORE', [key]) : (await encodingOf(o, key)) === 'intset'
        const r = await o.run(argv)
        compareListing(argv, r, strict)
        return
      }
      const universe = await membersOf(o, key)
      await expectRandom(o, argv, universe, !(cmd === 'SRANDMEMBER' && n !== undefined && n < 0))
      if (cmd === 'SPOP') {
        await o.expectSame(['SCARD', key])
        await rebuild(o, key)
      }
      return
    }
    case 'SSCAN': {
      // An intset comes back whole and sorted; a hashtable (in one call here) in bucket order.
      const enc = await encodingOf(o, argv[1])
      await o.expectSame(argv, enc === 'hashtable' ? scanUnordered : undefined)
      return
    }
    case 'DEBUG':
      await o.expectSame(argv, debugObjectFields)
      return
    case 'DUMP': {
      // A hashtable is serialized in bucket order: only the payload's length is comparable.
      const enc = await encodingOf(o, argv[1])
      await o.expectSame(argv, enc === 'hashtable' ? bulkLengths : undefined)
      return
    }
    case 'MEMORY': {
      const enc = await encodingOf(o, argv[2])
      if (enc === 'hashtable') await expectHashtableMemory(o, argv[2])
      else await o.expectSame(argv)
      return
    }
    default:
      await o.expectSame(argv)
  }
}

for (const resp of [2, 3] as const) {
  describeOracle(`set random command sequences (RESP${resp})`, () => {
    // DEBUG HTSTATS-KEY tells Redis's bucket count (see expectHashtableMemory).
    const oracle = useOracle({ resp, redisArgs: ['--enable-debug-command', 'yes'], engineConfig: { 'enable-debug-command': 'yes' } })
    it(`${RANDOM_SEQUENCES} sequences of ${RANDOM_LENGTH} set commands match redis-server`, async () => {
      let total = 0
      await fc.assert(
        fc.asyncProperty(fc.array(randomCommand, { minLength: RANDOM_LENGTH, maxLength: RANDOM_LENGTH }), async (cmds) => {
          const o = oracle()
          await o.run(['FLUSHALL'])
          await o.run(['CONFIG', 'SET', 'set-max-intset-entries', '512'])
          for (const argv of cmds) {
            await randomStep(o, argv)
            total++
          }
        }),
        { numRuns: RANDOM_SEQUENCES, seed: Number(process.env.GLASSBOX_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
      )
      console.log(`RESP${resp}: ${total} random set commands compared`)
      expect(total).toBeGreaterThanOrEqual(12_500)
    }, 900_000)
  })
}
