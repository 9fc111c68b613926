// Differential tests of the sorted-set commands against redis-server 7.0.15,
// byte for byte, in RESP2 and RESP3: every command and option, every error,
// both encodings (most scripts run twice: once on listpacks, once with
// zset-max-listpack-entries 0 so every key is a skiplist), the conversion
// thresholds, DUMP payloads of listpacks (how scores are stored), MEMORY USAGE,
// keyspace notifications, WATCH, blocking pops with several clients, and long
// random sequences.
//
// Normalising, where a reply is random by nature (each use says which):
// - ZRANDMEMBER picks are random: the reply's shape is compared exactly and each
//   side's picks are checked against that side's own ZRANGE ... WITHSCORES
//   (membership, member-score pairing, distinctness for a positive count);
//   the cases Redis answers deterministically (a count covering the whole set)
//   are compared byte for byte;
// - a skiplist's MEMORY USAGE depends on the levels drawn for its first
//   members (random): within 10 %.
import { expect, it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { useOracle, type Normaliser, type Oracle, type OracleClient } from '../support/oracle.ts'
import { parseReply } from '../support/resp-conn.ts'
import { bulkData, expectMemoryUsage, intOf, pairsOf, scanPairsUnordered, scanUnordered, shape } from '../support/collection-checks.ts'
import { allCommands } from '../../engine/commands/index.ts'
import { mulberry32 } from '../support/prng.ts'

const hasBlocking = allCommands.some((c) => c.name === 'bzpopmin')
const hasZscan = allCommands.some((c) => c.name === 'zscan')

const M64 = 'm'.repeat(64)
const M65 = 'm'.repeat(65)

/** MEMORY USAGE on both sides: equal when `exact`, else within 10 %. */
async function expectMemory(c: OracleClient, key: string, exact: boolean, samples?: string): Promise<void> {
  // Approximate checks measure the whole value (SAMPLES 0): the default estimate extrapolates from 5
  // sampled nodes, whose levels are random draws on each side.
  const n = samples ?? (exact ? undefined : '0')
  const argv = ['MEMORY', 'USAGE', key, ...(n === undefined ? [] : ['SAMPLES', n])]
  if (exact) {
    await expectMemoryUsage(c, argv, true)
    return
  }
  const r = await c.run(argv)
  if (Number.isNaN(intOf(r.redis))) {
    // No key (or an error): the same bytes.
    expect(r.engine, argv.join(' ')).toBe(r.redis)
    return
  }
  const theirs = intOf(r.redis)
  const ours = intOf(r.engine)
  // A skiplist's member dict: how far its incremental rehash has got (one table or two) follows
  // the hash seed, in Redis too, so the bucket arrays each side reports (DEBUG HTSTATS-KEY) are
  // taken out before the 10 % comparison of everything else (nodes, levels, members, entries).
  const stats = await c.run(['DEBUG', 'HTSTATS-KEY', key])
  const buckets = (raw: string): number => [...raw.matchAll(/table size: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0)
  const theirsRest = theirs - 8 * buckets(stats.redis)
  const oursRest = ours - 8 * buckets(stats.engine)
  // Each side draws its skiplist levels from its own random source: a node has 1 + G levels with G
  // geometric (p = 0.25, variance 0.44), 16 bytes a level. For a small skiplist that noise alone can
  // exceed 10 %, so the allowance is at least 4 standard deviations of the difference of two such
  // draws over ZCARD nodes (about 60 * sqrt(n) bytes); from ~40 members on, 10 % is the larger.
  const card = intOf((await c.run(['ZCARD', key])).redis)
  const levelNoise = 4 * 16 * Math.sqrt(2 * (0.25 / 0.5625) * card)
  const allowed = Math.max(0.1 * theirsRest, levelNoise)
  expect(Math.abs(oursRest - theirsRest), `MEMORY USAGE ${key} without buckets: ours ${oursRest} (${ours}), redis ${theirsRest} (${theirs}), ${card} members, allowed ${allowed.toFixed(0)}`).toBeLessThanOrEqual(allowed)
}

/**
 * ZRANDMEMBER with a count (random picks): the shape must match; each side's
 * picks must be members with their own scores, distinct for a positive count.
 */
async function expectRandmember(c: OracleClient, argv: readonly string[]): Promise<void> {
  const r = await c.run(argv)
  if (r.redis.startsWith('-') || r.engine.startsWith('-')) {
    expect(r.engine).toBe(r.redis)
    return
  }
  const withScores = argv.length > 3
  const theirs = parseReply(r.redis)
  const ours = parseReply(r.engine)
  expect(shape(ours), `${argv.join(' ')}: shape`).toBe(shape(theirs))
  const all = await c.run(['ZRANGE', argv[1], '0', '-1', 'WITHSCORES'])
  expect(all.engine).toBe(all.redis)
  const scores = new Map(pairsOf(parseReply(all.redis), true, true).map(([m, s]) => [m, s]))
  const count = Number(argv[2])
  for (const [side, node] of [['redis', theirs], ['engine', ours]] as const) {
    const picks = pairsOf(node, withScores, true)
    for (const [m, s] of picks) {
      expect(scores.has(m), `${side}: ${JSON.stringify(m)} is a member`).toBe(true)
      if (withScores) expect(s, `${side}: score of ${m}`).toBe(scores.get(m))
    }
    if (count > 0) expect(new Set(picks.map((p) => p[0])).size, `${side}: distinct`).toBe(picks.length)
  }
}

/** Each script runs on listpacks and on skiplists (every zset converted from its first member). */
async function bothEncodings(o: Oracle, script: (enc: 'lp' | 'sl') => string): Promise<void> {
  for (const enc of ['lp', 'sl'] as const) {
    await o.expectSame(['CONFIG', 'SET', 'zset-max-listpack-entries', enc === 'lp' ? '128' : '0'])
    try {
      await o.runScript(script(enc))
    } finally {
      await o.run(['CONFIG', 'SET', 'zset-max-listpack-entries', '128'])
    }
  }
}

for (const resp of [2, 3] as const) {
  describeOracle(`sorted-set commands (RESP${resp})`, () => {
    const oracle = useOracle({ resp, redisArgs: ['--enable-debug-command', 'yes'], engineConfig: { 'enable-debug-command': 'yes' } })

    it('ZADD: options, flags, errors, replies', async () => {
      await bothEncodings(oracle(), (e) => `
        ZADD a:${e} 1 a 2 b 3 c
        ZADD a:${e} 1 a 5 b
        ZADD a:${e} CH 1 a 6 b 7 d
        ZADD a:${e} NX 10 a 11 e
        ZADD a:${e} XX 10 a 11 f
        ZADD a:${e} XX CH 10 a 11 b
        ZADD a:${e} GT 5 a 20 b
        ZADD a:${e} GT CH 5 a 20 b 30 c
        ZADD a:${e} LT CH 5 a 20 b 1 c
        ZADD a:${e} XX GT CH 100 a 100 zz
        ZADD a:${e} LT XX 0 a
        ZADD a:${e} INCR 5 a
        ZADD a:${e} INCR NX 5 a
        ZADD a:${e} INCR XX 5 nope
        ZADD a:${e} INCR GT -100 a
        ZADD a:${e} INCR LT -100 a
        ZADD a:${e} INCR 5 new
        ZADD a:${e} nx xx 1 a
        ZADD a:${e} GT LT 1 a
        ZADD a:${e} GT NX 1 a
        ZADD a:${e} LT NX 1 a
        ZADD a:${e} INCR 1 a 2 b
        ZADD a:${e} 1 a 2
        ZADD a:${e} NX
        ZADD a:${e} NX 1
        ZADD a:${e} x a
        ZADD a:${e} 1 a nan b
        ZADD a:${e} 1 a 2
        ZADD a:${e} nan a
        ZADD a:${e} "" a
        ZADD a:${e} " 1" a
        ZADD a:${e} "1 " a
        ZADD a:${e} 1e400 a
        ZADD a:${e} inf ia -inf nia +inf pia
        ZADD a:${e} INCR -inf ia
        ZADD a:${e} INCR inf nia
        ZADD a:${e} INCR +inf pia
        ZADD a:${e} 0x10 hex 1e3 exp -0 negzero 0.1 tenth 5e-324 tiny 1.7976931348623157e308 huge
        ZRANGE a:${e} 0 -1 WITHSCORES
        ZCARD a:${e}
        ZADD a:${e}:xx XX 1 a
        EXISTS a:${e}:xx
        ZADD a:${e}:xx XX INCR 1 a
        ZADD a:${e}:nx NX INCR 1 a
        ZADD a:${e}:nx NX INCR 1 a
        SET a:${e}:str x
        ZADD a:${e}:str 1 a
        ZADD a:${e}:str x a
        ZADD a:${e}:str XX 1 a
        ZINCRBY a:${e} 1.5 a
        ZINCRBY a:${e} -1.5 new2
        ZINCRBY a:${e} x a
        ZINCRBY a:${e} nan a
        ZINCRBY a:${e} 1 a 2
        ZINCRBY a:${e}:str 1 a
        ZINCRBY a:${e} NX a
        ZINCRBY a:${e} inf a
        ZINCRBY a:${e} -inf a
        ZINCRBY a:${e} 0.1 tenth
        ZINCRBY a:${e} 0.2 tenth
        ZSCORE a:${e} tenth
        ZADD a:${e} 1 "" 2 "\\x00\\xff" 3 "é"
        ZRANGE a:${e} 0 -1 WITHSCORES
        ZADD
        ZADD a:${e}
        ZADD a:${e} 1
        zadd a:${e} ch 1 x
        ZINCRBY a:${e} 1
      `)
    })

    it('scores: formatting and how listpacks store them (DUMP)', async () => {
      const o = oracle()
      await o.runScript(`
        ZADD d:1 1.5 m
        DUMP d:1
        ZADD d:2 1 a 2 b -3 c 0 z 127 d 128 e 4096 f -4097 g 32768 h 8388608 i 2147483648 j
        DUMP d:2
        ZADD d:3 -0 a
        DUMP d:3
        ZSCORE d:3 a
        ZADD d:4 4611686018427387904 a 4611686018427387905 b 9223372036854775807 c 1e19 d -4611686018427387904 e 9007199254740993 f
        DUMP d:4
        ZRANGE d:4 0 -1 WITHSCORES
        ZADD d:5 inf a -inf b 0.1 c 1e-300 d 3.0000000000000004 e 123456789.123456789 f 1e21 g
        DUMP d:5
        ZRANGE d:5 0 -1 WITHSCORES
        ZADD d:6 1 1 2 -2 3 007 4 12345678901234567890 5 -0
        DUMP d:6
        ZRANGE d:6 0 -1 WITHSCORES
        ZSCORE d:6 1
        ZSCORE d:6 01
        ZRANK d:6 007
        ZRANK d:6 7
        CONFIG SET zset-max-listpack-entries 0
        ZADD d:7 -0 a 1.5 b
        ZSCORE d:7 a
        ZRANGE d:7 0 -1 WITHSCORES
        CONFIG SET zset-max-listpack-entries 128
        ZADD d:8 1 a 1 b 1 c 1 aa 1 "" 1 "\\x00"
        ZRANGE d:8 0 -1
        DUMP d:8
      `)
    })

    it('encodings: thresholds, CONFIG SET, creation sizing, conversions are one way', async () => {
      const o = oracle()
      const members = (n: number, p = 'm'): string[] => Array.from({ length: n }, (_, i) => [String(i), `${p}${i}`]).flat()
      await o.expectSame(['ZADD', 'e:128', ...members(128)])
      await o.expectSame(['OBJECT', 'ENCODING', 'e:128'])
      await o.expectSame(['ZADD', 'e:128', '1000', 'extra'])
      await o.expectSame(['OBJECT', 'ENCODING', 'e:128'])
      await o.expectSame(['ZREM', 'e:128', 'extra', 'm1', 'm2'])
      await o.expectSame(['OBJECT', 'ENCODING', 'e:128'])
      await o.expectSame(['ZADD', 'e:129', ...members(129)])
      await o.expectSame(['OBJECT', 'ENCODING', 'e:129'])
      await o.expectSame(['ZRANGE', 'e:129', '0', '-1', 'WITHSCORES'])
      await o.runScript(`
        ZADD e:v64 1 ${M64}
        OBJECT ENCODING e:v64
        ZADD e:v65 1 ${M65}
        OBJECT ENCODING e:v65
        ZADD e:v65b 1 a 2 ${M65}
        OBJECT ENCODING e:v65b
        ZADD e:v65c 1 ${M65} 2 a
        OBJECT ENCODING e:v65c
        ZADD e:v65d 1 a
        ZADD e:v65d XX 1 ${M65}
        OBJECT ENCODING e:v65d
        ZADD e:v65d NX 1 ${M65}
        OBJECT ENCODING e:v65d
        ZREM e:v65d ${M65}
        OBJECT ENCODING e:v65d
        CONFIG SET zset-max-listpack-value 3
        ZADD e:c 1 abc
        OBJECT ENCODING e:c
        ZADD e:c 1 abcd
        OBJECT ENCODING e:c
        ZADD e:c2 1 abcd
        OBJECT ENCODING e:c2
        CONFIG SET zset-max-ziplist-value 64
        CONFIG GET zset-max-listpack-value
        CONFIG SET zset-max-listpack-entries 0
        ZADD e:z 1 a
        OBJECT ENCODING e:z
        CONFIG SET zset-max-ziplist-entries 2
        ZADD e:t 1 a 2 b
        OBJECT ENCODING e:t
        ZADD e:t 3 c
        OBJECT ENCODING e:t
        ZADD e:t2 1 a 2 b 3 c
        OBJECT ENCODING e:t2
        CONFIG SET zset-max-listpack-entries 128
        ZINCRBY e:i 1 ${M65}
        OBJECT ENCODING e:i
        OBJECT ENCODING e:nope
        TYPE e:i
        TYPE e:128
      `)
      await o.expectSame(['SCAN', '0', 'TYPE', 'zset', 'COUNT', '1000'], scanUnordered)
    })

    it('ZSCORE ZMSCORE ZCARD ZRANK ZREVRANK', async () => {
      await bothEncodings(oracle(), (e) => `
        ZADD r:${e} 1 a 2 b 2 c 3 d 1.5 e
        ZSCORE r:${e} a
        ZSCORE r:${e} e
        ZSCORE r:${e} nope
        ZSCORE r:${e}:nokey a
        ZMSCORE r:${e} a nope e
        ZMSCORE r:${e}:nokey a b
        ZCARD r:${e}
        ZCARD r:${e}:nokey
        ZRANK r:${e} a
        ZRANK r:${e} c
        ZRANK r:${e} nope
        ZREVRANK r:${e} a
        ZREVRANK r:${e} d
        ZRANK r:${e}:nokey a
        SET r:${e}:s x
        ZSCORE r:${e}:s a
        ZMSCORE r:${e}:s a
        ZCARD r:${e}:s
        ZRANK r:${e}:s a
        ZREVRANK r:${e}:s a
        ZSCORE r:${e}
        ZMSCORE r:${e}
        ZRANK r:${e} a b
      `)
    })

    it('ZRANGE by rank, score and lex, REV, LIMIT, WITHSCORES, errors', async () => {
      await bothEncodings(oracle(), (e) => `
        ZADD g:${e} 1 a 2 b 3 c 4 d 5 e 5 f 6 g -inf ninf inf pinf 2.5 bc
        ZRANGE g:${e} 0 -1
        ZRANGE g:${e} 0 -1 WITHSCORES
        ZRANGE g:${e} 2 4 withscores
        ZRANGE g:${e} -3 -1
        ZRANGE g:${e} -100 100
        ZRANGE g:${e} 5 2
        ZRANGE g:${e} 100 200
        ZRANGE g:${e} -1 -100
        ZRANGE g:${e} 0 -1 REV
        ZRANGE g:${e} 1 3 REV WITHSCORES
        ZRANGE g:${e} 0 9223372036854775807
        ZRANGE g:${e} -9223372036854775808 0
        ZRANGE g:${e} 0 9223372036854775808
        ZRANGE g:${e} a 1
        ZRANGE g:${e} 0 1 LIMIT 0 1
        ZRANGE g:${e} 0 1 LIMIT 0 -1
        ZRANGE g:${e} 0 1 BYLEX WITHSCORES
        ZRANGE g:${e} 0 1 FOO
        ZRANGE g:${e} 0 1 LIMIT 0
        ZRANGE g:${e} 2 5 BYSCORE
        ZRANGE g:${e} 2 5 BYSCORE WITHSCORES
        ZRANGE g:${e} (2 (5 BYSCORE
        ZRANGE g:${e} -inf +inf BYSCORE
        ZRANGE g:${e} 5 2 BYSCORE REV
        ZRANGE g:${e} 5 (2 BYSCORE REV WITHSCORES LIMIT 1 2
        ZRANGE g:${e} -inf inf BYSCORE LIMIT 2 3
        ZRANGE g:${e} -inf inf BYSCORE LIMIT 2 -1
        ZRANGE g:${e} -inf inf BYSCORE LIMIT -1 3
        ZRANGE g:${e} -inf inf BYSCORE LIMIT 100 3
        ZRANGE g:${e} -inf inf BYSCORE LIMIT 0 0
        ZRANGE g:${e} -inf inf BYSCORE LIMIT x 0
        ZRANGE g:${e} -inf inf BYSCORE LIMIT 0 9223372036854775807
        ZRANGE g:${e} a b BYSCORE
        ZRANGE g:${e} nan 1 BYSCORE
        ZRANGE g:${e} (nan 1 BYSCORE
        ZRANGE g:${e} "" "" BYSCORE WITHSCORES
        ZRANGE g:${e} ( 5 BYSCORE
        ZRANGE g:${e} " 2" "5" BYSCORE
        ZRANGE g:${e} "2 " "5" BYSCORE
        ZRANGE g:${e} "2\\x00junk" "5" BYSCORE
        ZRANGE g:${e} 0x2 1e1 BYSCORE
        ZRANGE g:${e} 5 5 BYSCORE
        ZRANGE g:${e} (5 5 BYSCORE
        ZRANGE g:${e} 6 5 BYSCORE
        ZRANGE g:${e} 1e400 -1e400 BYSCORE REV
        ZRANGE g:${e} - + BYLEX
        ZRANGE g:${e} [b (e BYLEX
        ZRANGE g:${e} + - BYLEX REV LIMIT 1 3
        ZRANGE g:${e} b c BYLEX
        ZRANGE g:${e} BYSCORE BYLEX 0 1
        ZRANGE g:${e} 0 1 BYSCORE BYLEX
        ZRANGE g:${e} 0 1 BYLEX BYSCORE
        ZRANGE g:${e} 0 1 REV REV
        ZRANGE g:${e} 0 1 WITHSCORES WITHSCORES
        ZRANGE g:${e} 0 1 BYSCORE LIMIT 0 1 LIMIT 1 1
        ZRANGE g:${e}:nokey 0 -1
        ZRANGE g:${e}:nokey 0 -1 BYSCORE
        SET g:${e}:s x
        ZRANGE g:${e}:s 0 -1
        ZRANGE g:${e}:s a b
        ZRANGE g:${e}:s a b BYSCORE
        ZREVRANGE g:${e} 0 -1
        ZREVRANGE g:${e} 0 2 WITHSCORES
        ZREVRANGE g:${e} 0 2 REV
        ZREVRANGE g:${e} 0 2 BYSCORE
        ZREVRANGE g:${e} 0 2 LIMIT 0 1
        ZRANGEBYSCORE g:${e} 2 5
        ZRANGEBYSCORE g:${e} 2 5 WITHSCORES LIMIT 1 2
        ZRANGEBYSCORE g:${e} -inf +inf LIMIT 3 100
        ZRANGEBYSCORE g:${e} 2 5 REV
        ZRANGEBYSCORE g:${e} 2 5 BYLEX
        ZRANGEBYSCORE g:${e} 2 5 LIMIT 1
        ZREVRANGEBYSCORE g:${e} 5 2
        ZREVRANGEBYSCORE g:${e} 5 2 WITHSCORES LIMIT 1 2
        ZREVRANGEBYSCORE g:${e} 2 5
        ZREVRANGEBYSCORE g:${e} +inf -inf
        ZRANGEBYLEX g:${e} - +
        ZRANGEBYLEX g:${e} [b [d LIMIT 1 1
        ZRANGEBYLEX g:${e} - + WITHSCORES
        ZRANGEBYLEX g:${e} a b
        ZREVRANGEBYLEX g:${e} + -
        ZREVRANGEBYLEX g:${e} [d [b
        ZREVRANGEBYLEX g:${e} + - LIMIT 2 2
        ZRANGE g:${e}
        ZRANGEBYSCORE g:${e} 1
      `)
    })

    it('lex ranges: equal scores, mixed scores, edge items', async () => {
      await bothEncodings(oracle(), (e) => `
        ZADD x:${e} 0 a 0 b 0 c 0 d 0 e 0 "" 0 "\\x00" 0 "\\xff" 0 ab 0 abc
        ZRANGEBYLEX x:${e} - +
        ZRANGEBYLEX x:${e} [a [c
        ZRANGEBYLEX x:${e} (a (c
        ZRANGEBYLEX x:${e} [ (b
        ZRANGEBYLEX x:${e} ( +
        ZRANGEBYLEX x:${e} [c [a
        ZRANGEBYLEX x:${e} [a [a
        ZRANGEBYLEX x:${e} (a [a
        ZRANGEBYLEX x:${e} + -
        ZRANGEBYLEX x:${e} - -
        ZRANGEBYLEX x:${e} + +
        ZRANGEBYLEX x:${e} "+\\x00" -
        ZRANGEBYLEX x:${e} "-\\x00" "+\\x00x"
        ZRANGEBYLEX x:${e} -a +
        ZRANGEBYLEX x:${e} "" +
        ZRANGEBYLEX x:${e} a +
        ZRANGEBYLEX x:${e} [ab +
        ZLEXCOUNT x:${e} - +
        ZLEXCOUNT x:${e} [b (d
        ZLEXCOUNT x:${e} (d [b
        ZLEXCOUNT x:${e} a b
        ZLEXCOUNT x:${e}:nokey - +
      ` + (e === 'sl' ? '' : `
        # Mixed scores: "unspecified", but a listpack walks linearly, so it is exact.
        # (A skiplist's answer depends on the levels drawn: random by nature, not compared.)
        ZADD y:${e} 1 d 2 a 3 c 4 b 5 e
        ZRANGEBYLEX y:${e} - +
        ZRANGEBYLEX y:${e} [a [c
        ZRANGEBYLEX y:${e} [b +
        ZREVRANGEBYLEX y:${e} [c [a
        ZLEXCOUNT y:${e} [a [c
        ZLEXCOUNT y:${e} [b [e
        ZREMRANGEBYLEX y:${e} [a [c
        ZRANGE y:${e} 0 -1
      `))
    })

    it('ZCOUNT and ZLEXCOUNT errors and bounds', async () => {
      await bothEncodings(oracle(), (e) => `
        ZADD c:${e} 1 a 2 b 3 c 4 d 5 e -inf f inf g
        ZCOUNT c:${e} -inf +inf
        ZCOUNT c:${e} 2 4
        ZCOUNT c:${e} (2 (4
        ZCOUNT c:${e} 4 2
        ZCOUNT c:${e} (1 1
        ZCOUNT c:${e} inf inf
        ZCOUNT c:${e} -inf -inf
        ZCOUNT c:${e} 10 20
        ZCOUNT c:${e} x 1
        ZCOUNT c:${e} 1 nan
        ZCOUNT c:${e}:nokey 1 2
        ZCOUNT c:${e}:nokey x 2
        SET c:${e}:s x
        ZCOUNT c:${e}:s 1 2
        ZLEXCOUNT c:${e}:s - +
        ZLEXCOUNT c:${e}:s x +
      `)
    })

    it('ZREM and ZREMRANGEBY*', async () => {
      await bothEncodings(oracle(), (e) => `
        ZADD m:${e} 1 a 2 b 3 c 4 d 5 e 6 f 7 g
        ZREM m:${e} a nope b a
        ZREM m:${e} nope
        ZREM m:${e}:nokey a
        ZREMRANGEBYRANK m:${e} 0 0
        ZREMRANGEBYRANK m:${e} -2 -1
        ZREMRANGEBYRANK m:${e} 5 1
        ZREMRANGEBYRANK m:${e} 10 20
        ZREMRANGEBYRANK m:${e} x 1
        ZREMRANGEBYRANK m:${e}:nokey 0 -1
        ZRANGE m:${e} 0 -1 WITHSCORES
        ZREMRANGEBYSCORE m:${e} (3 4
        ZREMRANGEBYSCORE m:${e} 10 1
        ZREMRANGEBYSCORE m:${e} x 1
        ZREMRANGEBYSCORE m:${e}:nokey -inf +inf
        ZRANGE m:${e} 0 -1 WITHSCORES
        ZREMRANGEBYSCORE m:${e} -inf +inf
        EXISTS m:${e}
        ZADD m:${e} 0 a 0 b 0 c 0 d
        ZREMRANGEBYLEX m:${e} [b (d
        ZREMRANGEBYLEX m:${e} x y
        ZREMRANGEBYLEX m:${e}:nokey - +
        ZRANGE m:${e} 0 -1
        ZREMRANGEBYLEX m:${e} - +
        EXISTS m:${e}
        ZADD m:${e} 1 a 2 b
        ZREMRANGEBYRANK m:${e} 0 -1
        EXISTS m:${e}
        ZADD m:${e} 1 a 2 b
        ZREM m:${e} a b c
        EXISTS m:${e}
        SET m:${e}:s x
        ZREM m:${e}:s a
        ZREMRANGEBYRANK m:${e}:s 0 1
        ZREMRANGEBYRANK m:${e}:s x 1
        ZREMRANGEBYSCORE m:${e}:s 0 1
        ZREMRANGEBYLEX m:${e}:s - +
        ZREM m:${e}
      `)
    })

    it('ZRANGESTORE: results, destination encodings, errors', async () => {
      const o = oracle()
      const members = (n: number): string[] => Array.from({ length: n }, (_, i) => [String(i), `m${i}`]).flat()
      await o.expectSame(['ZADD', 's:big', ...members(200)])
      await o.runScript(`
        ZRANGESTORE s:d1 s:big 0 127
        OBJECT ENCODING s:d1
        ZRANGESTORE s:d2 s:big 0 128
        OBJECT ENCODING s:d2
        ZRANGESTORE s:d3 s:big 0 127 BYSCORE
        OBJECT ENCODING s:d3
        ZRANGESTORE s:d4 s:big 0 128 BYSCORE
        OBJECT ENCODING s:d4
        ZRANGESTORE s:d5 s:big 10 1 BYSCORE REV LIMIT 2 3
        ZRANGE s:d5 0 -1 WITHSCORES
        ZRANGESTORE s:d5 s:big 1000 2000 BYSCORE
        EXISTS s:d5
        ZRANGESTORE s:d6 s:big - + BYLEX LIMIT 0 5
        ZRANGE s:d6 0 -1 WITHSCORES
        ZRANGESTORE s:d6 s:nokey 0 -1
        EXISTS s:d6
        ZRANGESTORE s:d7 s:big 0 -1 WITHSCORES
        ZRANGESTORE s:d7 s:big 0 1 LIMIT 0 1
        ZRANGESTORE s:d7 s:big a b
        ZRANGESTORE s:d7 s:big 0 1 BYLEX
        SET s:str x
        ZRANGESTORE s:d7 s:str 0 -1
        ZRANGESTORE s:str s:big 0 1
        TYPE s:str
        ZADD s:small 1 a 2 ${M65} 3 c
        ZRANGESTORE s:d8 s:small 0 -1
        OBJECT ENCODING s:d8
        ZRANGESTORE s:d9 s:small 0 0
        OBJECT ENCODING s:d9
        ZRANGESTORE s:small s:small 1 -1
        ZRANGE s:small 0 -1 WITHSCORES
        OBJECT ENCODING s:small
        SET s:ttl x EX 1000
        ZRANGESTORE s:ttl s:big 0 1
        TTL s:ttl
        ZRANGESTORE s:d10 s:big 5 2
        EXISTS s:d10
        ZRANGESTORE s:d1 s:big 5 2
        EXISTS s:d1
      `)
    })

    it('ZUNION ZINTER ZDIFF and their STORE forms, ZINTERCARD', async () => {
      await bothEncodings(oracle(), (e) => `
        ZADD u:${e}:a 1 a 2 b 3 c
        ZADD u:${e}:b 10 b 20 c 30 d
        ZADD u:${e}:c 100 c 200 d 300 e inf f
        ZADD u:${e}:d -inf f 0.1 a
        SADD u:${e}:set b c x
        SADD u:${e}:iset 1 2 3
        ZADD u:${e}:num 5 1 6 2 7 9
        ZUNION 2 u:${e}:a u:${e}:b
        ZUNION 2 u:${e}:a u:${e}:b WITHSCORES
        ZUNION 3 u:${e}:a u:${e}:b u:${e}:c WITHSCORES WEIGHTS 1 2 3
        ZUNION 3 u:${e}:a u:${e}:b u:${e}:c AGGREGATE MIN WITHSCORES
        ZUNION 3 u:${e}:a u:${e}:b u:${e}:c AGGREGATE max WITHSCORES
        ZUNION 2 u:${e}:c u:${e}:d WITHSCORES
        ZUNION 2 u:${e}:c u:${e}:d WEIGHTS 0 0 WITHSCORES
        ZUNION 2 u:${e}:c u:${e}:d WEIGHTS 1 -1 WITHSCORES
        ZUNION 3 u:${e}:a u:${e}:set u:${e}:iset WITHSCORES
        ZUNION 2 u:${e}:num u:${e}:iset WITHSCORES WEIGHTS 2 0.5
        ZUNION 2 u:${e}:a u:${e}:nokey WITHSCORES
        ZUNION 1 u:${e}:nokey
        ZUNION 2 u:${e}:a u:${e}:a WITHSCORES
        ZINTER 2 u:${e}:a u:${e}:b WITHSCORES
        ZINTER 2 u:${e}:a u:${e}:b WITHSCORES AGGREGATE MAX WEIGHTS 2 3
        ZINTER 3 u:${e}:a u:${e}:b u:${e}:c WITHSCORES
        ZINTER 2 u:${e}:a u:${e}:set WITHSCORES
        ZINTER 2 u:${e}:num u:${e}:iset WITHSCORES
        ZINTER 2 u:${e}:c u:${e}:d WITHSCORES WEIGHTS 0 1
        ZINTER 2 u:${e}:c u:${e}:d WITHSCORES WEIGHTS 1 -1
        ZINTER 2 u:${e}:c u:${e}:d WITHSCORES AGGREGATE MIN WEIGHTS 0 1
        ZINTER 2 u:${e}:a u:${e}:a WITHSCORES WEIGHTS 1 2
        ZINTER 2 u:${e}:a u:${e}:nokey
        ZINTERCARD 2 u:${e}:a u:${e}:b
        ZINTERCARD 2 u:${e}:a u:${e}:b LIMIT 1
        ZINTERCARD 2 u:${e}:a u:${e}:b LIMIT 0
        ZINTERCARD 2 u:${e}:a u:${e}:b LIMIT -1
        ZINTERCARD 2 u:${e}:a u:${e}:b LIMIT x
        ZINTERCARD 2 u:${e}:a u:${e}:b WITHSCORES
        ZINTERCARD 2 u:${e}:a u:${e}:b WEIGHTS 1 2
        ZINTERCARD 0 u:${e}:a
        ZINTERCARD 3 u:${e}:a u:${e}:b
        ZDIFF 2 u:${e}:a u:${e}:b
        ZDIFF 2 u:${e}:a u:${e}:b WITHSCORES
        ZDIFF 3 u:${e}:c u:${e}:a u:${e}:b WITHSCORES
        ZDIFF 2 u:${e}:a u:${e}:a
        ZDIFF 2 u:${e}:nokey u:${e}:a
        ZDIFF 1 u:${e}:set WITHSCORES
        ZDIFF 2 u:${e}:a u:${e}:b WEIGHTS 1 2
        ZDIFF 2 u:${e}:a u:${e}:b AGGREGATE MIN
        ZDIFF 2 u:${e}:a u:${e}:set WITHSCORES
        ZUNIONSTORE u:${e}:dst 2 u:${e}:a u:${e}:b
        ZRANGE u:${e}:dst 0 -1 WITHSCORES
        OBJECT ENCODING u:${e}:dst
        ZUNIONSTORE u:${e}:dst 2 u:${e}:a u:${e}:b WITHSCORES
        ZINTERSTORE u:${e}:dst 2 u:${e}:a u:${e}:b WEIGHTS 2 2
        ZRANGE u:${e}:dst 0 -1 WITHSCORES
        ZINTERSTORE u:${e}:dst 2 u:${e}:a u:${e}:nokey
        EXISTS u:${e}:dst
        ZDIFFSTORE u:${e}:dst 2 u:${e}:c u:${e}:a
        ZRANGE u:${e}:dst 0 -1 WITHSCORES
        ZDIFFSTORE u:${e}:dst 2 u:${e}:a u:${e}:a
        EXISTS u:${e}:dst
        ZUNIONSTORE u:${e}:a 2 u:${e}:a u:${e}:b
        ZRANGE u:${e}:a 0 -1 WITHSCORES
        ZUNION 0 u:${e}:a
        ZUNION -1 u:${e}:a
        ZUNION x u:${e}:a
        ZUNION 3 u:${e}:a u:${e}:b
        ZUNION 2 u:${e}:a u:${e}:b WEIGHTS 1
        ZUNION 2 u:${e}:a u:${e}:b WEIGHTS 1 x
        ZUNION 2 u:${e}:a u:${e}:b WEIGHTS 1 nan
        ZUNION 2 u:${e}:a u:${e}:b AGGREGATE
        ZUNION 2 u:${e}:a u:${e}:b AGGREGATE avg
        ZUNION 2 u:${e}:a u:${e}:b FOO
        ZUNIONSTORE u:${e}:dst 0 u:${e}:a
        ZINTERSTORE u:${e}:dst 0 u:${e}:a
        ZDIFFSTORE u:${e}:dst 0 u:${e}:a
        SET u:${e}:str x
        ZUNION 2 u:${e}:a u:${e}:str
        ZUNION 2 u:${e}:str u:${e}:nokey WEIGHTS x y
        ZUNIONSTORE u:${e}:str 1 u:${e}:b
        TYPE u:${e}:str
        RPUSH u:${e}:list x
        ZINTER 1 u:${e}:list
        ZDIFF 2 u:${e}:a u:${e}:list
      `)
    })

    it('set operations: destination encodings and float sums', async () => {
      const o = oracle()
      const members = (n: number, p: string, score = (i: number): string => String(i)): string[] =>
        Array.from({ length: n }, (_, i) => [score(i), `${p}${i}`]).flat()
      await o.expectSame(['ZADD', 'o:a', ...members(100, 'a')])
      await o.expectSame(['ZADD', 'o:b', ...members(100, 'b')])
      await o.expectSame(['ZADD', 'o:c', ...members(100, 'a', (i) => String(i * 0.1))])
      await o.runScript(`
        ZUNIONSTORE o:u 2 o:a o:b
        OBJECT ENCODING o:u
        ZCARD o:u
        ZINTERSTORE o:i 2 o:a o:c
        OBJECT ENCODING o:i
        ZRANGE o:i 0 10 WITHSCORES
        ZUNION 3 o:a o:c o:c WITHSCORES WEIGHTS 0.1 0.2 0.3
        ZINTER 3 o:c o:a o:c WITHSCORES WEIGHTS 0.3 0.1 0.7
        ZDIFFSTORE o:d 2 o:a o:c
        EXISTS o:d
        ZADD o:long 1 ${M65}
        ZUNIONSTORE o:u2 2 o:a o:long
        OBJECT ENCODING o:u2
        ZINTERSTORE o:i2 1 o:long
        OBJECT ENCODING o:i2
        ZDIFFSTORE o:d2 2 o:long o:a
        OBJECT ENCODING o:d2
        ZUNIONSTORE o:u3 1 o:a WEIGHTS 2
        OBJECT ENCODING o:u3
        CONFIG SET zset-max-listpack-entries 0
        ZADD o:sk 1 a 2 b 3 c
        ZUNIONSTORE o:u4 1 o:sk
        OBJECT ENCODING o:u4
        CONFIG SET zset-max-listpack-entries 128
        ZUNIONSTORE o:u5 1 o:sk
        OBJECT ENCODING o:u5
        ZDIFFSTORE o:d3 3 o:sk o:a o:b
        OBJECT ENCODING o:d3
      `)
      // Big first set and tiny others (algorithm 2), tiny first set (algorithm 1).
      await o.expectSame(['ZADD', 'o:x', ...members(300, 'a')])
      await o.runScript(`
        ZDIFFSTORE o:d4 2 o:x o:a
        OBJECT ENCODING o:d4
        ZRANGE o:d4 0 5 WITHSCORES
        ZDIFF 3 o:a o:x o:b
        ZDIFF 2 o:b o:x WITHSCORES
      `)
    })

    it('ZPOPMIN ZPOPMAX ZMPOP', async () => {
      await bothEncodings(oracle(), (e) => `
        ZADD p:${e} 1 a 2 b 3 c 4 d 5 e
        ZPOPMIN p:${e}
        ZPOPMAX p:${e}
        ZPOPMIN p:${e} 2
        ZPOPMIN p:${e} 0
        ZPOPMIN p:${e} -1
        ZPOPMIN p:${e} x
        ZPOPMIN p:${e} 1 2
        ZPOPMAX p:${e} 10
        EXISTS p:${e}
        ZPOPMIN p:${e}
        ZPOPMIN p:${e} 3
        ZPOPMIN p:${e} 0
        ZADD p:${e} 1 a 2 b 3 c
        ZMPOP 1 p:${e} MIN
        ZMPOP 2 p:${e}:nokey p:${e} MAX COUNT 10
        ZMPOP 2 p:${e}:nokey p:${e} MAX COUNT 10
        ZMPOP 1 p:${e} MIN
        ZADD p:${e} 1 a 2 b 3 c
        ZMPOP 1 p:${e} min count 2
        ZMPOP 0 p:${e} MIN
        ZMPOP -1 p:${e} MIN
        ZMPOP x p:${e} MIN
        ZMPOP 2 p:${e} MIN
        ZMPOP 1 p:${e} MID
        ZMPOP 1 p:${e} MIN COUNT
        ZMPOP 1 p:${e} MIN COUNT 0
        ZMPOP 1 p:${e} MIN COUNT -1
        ZMPOP 1 p:${e} MIN COUNT 1 COUNT 1
        ZMPOP 1 p:${e} MIN FOO
        ZMPOP 5 p:${e} MIN
        SET p:${e}:s x
        ZPOPMIN p:${e}:s
        ZPOPMAX p:${e}:s 2
        ZMPOP 2 p:${e}:nokey p:${e}:s MIN
        ZMPOP 2 p:${e} p:${e}:s MIN
        ZPOPMIN p:${e}:nokey
        ZPOPMIN p:${e}:nokey 2
      `)
    })

    it('ZRANDMEMBER with huge counts: range errors, missing keys, whole-set replies as Redis', async () => {
      // Only a negative count on an existing zset makes Redis stream |count| picks (gigabytes for
      // these counts); the engine refuses those past MAX_RANDOM_PICKS (engine/commands/set/set.test.ts).
      // Everything else Redis answers at once, and is compared here, on both encodings.
      await bothEncodings(oracle(), () => `
        ZRANDMEMBER zr:none -2147483648
        ZRANDMEMBER zr:none -1099511627776 WITHSCORES
        ZRANDMEMBER zr:none -9223372036854775807
        ZRANDMEMBER zr:none -9223372036854775808
        ZRANDMEMBER zr:none -4611686018427387904 WITHSCORES
        ZADD zr:k 1 a 2 b 3.5 c
        ZRANDMEMBER zr:k 1099511627776
        ZRANDMEMBER zr:k 2147483648 WITHSCORES
        ZRANDMEMBER zr:k 4611686018427387903 WITHSCORES
        ZRANDMEMBER zr:k -9223372036854775808 WITHSCORES
        ZRANDMEMBER zr:k -4611686018427387904 WITHSCORES
        ZRANDMEMBER zr:k 9223372036854775807 WITHSCORES
        SET zr:s v
        ZRANDMEMBER zr:s -1099511627776
        ZRANDMEMBER zr:s -1099511627776 WITHSCORES
        ZRANDMEMBER zr:s -9223372036854775808
        DEL zr:k zr:s
      `)
    })

    it('ZRANDMEMBER: deterministic cases exactly, random ones checked', async () => {
      const o = oracle()
      for (const [key, n] of [['rm:lp', 20], ['rm:sl', 200]] as const) {
        await o.expectSame(['ZADD', key, ...Array.from({ length: n }, (_, i) => [String(i * 1.5), `m${i}`]).flat()])
        await o.expectSame(['ZRANDMEMBER', key, String(n)])
        await o.expectSame(['ZRANDMEMBER', key, String(n + 5), 'WITHSCORES'])
        await o.expectSame(['ZRANDMEMBER', key, '0'])
        await o.expectSame(['ZRANDMEMBER', key, '0', 'WITHSCORES'])
        for (const count of ['1', '-1', '3', '-5', String(n - 1), String(Math.floor(n / 2)), '-300', '2'])
          for (const ws of [[], ['WITHSCORES']]) await expectRandmember(o, ['ZRANDMEMBER', key, count, ...ws])
        const one = await o.run(['ZRANDMEMBER', key])
        expect(one.engine[0]).toBe(one.redis[0])
      }
      await o.runScript(`
        ZRANDMEMBER rm:nokey
        ZRANDMEMBER rm:nokey 5
        ZRANDMEMBER rm:nokey 5 WITHSCORES
        ZRANDMEMBER rm:lp x
        ZRANDMEMBER rm:lp 1 WITHSCOREZ
        ZRANDMEMBER rm:lp 1 WITHSCORES x
        ZRANDMEMBER rm:lp -9223372036854775808
        ZRANDMEMBER rm:lp 9223372036854775807 WITHSCORES
        ZRANDMEMBER rm:lp -9223372036854775807 WITHSCORES
        ZRANDMEMBER rm:lp 4611686018427387904 WITHSCORES
        ZRANDMEMBER rm:nokey 4611686018427387904 WITHSCORES
        ZRANDMEMBER rm:nokey 9223372036854775808
        SET rm:s x
        ZRANDMEMBER rm:s
        ZRANDMEMBER rm:s 1
        ZADD rm:one 1 only
        ZRANDMEMBER rm:one
        ZRANDMEMBER rm:one -3 WITHSCORES
        ZRANDMEMBER rm:one 1 WITHSCORES
      `)
    })

    it('MEMORY USAGE, COPY, RENAME, TYPE, EXPIRE on zsets', async () => {
      const o = oracle()
      await o.runScript(`
        ZADD mu:lp 1 a 2.5 b 3 ccc 1e100 ${M64}
        ZADD mu:one 1 a
        COPY mu:lp mu:lp2
        OBJECT ENCODING mu:lp2
        ZRANGE mu:lp2 0 -1 WITHSCORES
        DUMP mu:lp2
        CONFIG SET zset-max-listpack-entries 0
        ZADD mu:sl 1 a 2.5 b 3 ccc
        CONFIG SET zset-max-listpack-entries 128
        COPY mu:sl mu:sl2
        OBJECT ENCODING mu:sl2
        ZRANGE mu:sl2 0 -1 WITHSCORES
        ZADD mu:sl2 4 d
        ZRANGE mu:sl 0 -1
        RENAME mu:sl2 mu:sl3
        ZRANGE mu:sl3 0 -1 WITHSCORES
        TYPE mu:sl3
        EXPIRE mu:sl3 100
        ZADD mu:sl3 5 e
        TTL mu:sl3
        MEMORY USAGE mu:nokey
      `)
      await expectMemory(o, 'mu:lp', true)
      await expectMemory(o, 'mu:one', true)
      await expectMemory(o, 'mu:lp2', true)
      await expectMemory(o, 'mu:sl', false)
      await o.expectSame(['ZADD', 'mu:big', ...Array.from({ length: 1000 }, (_, i) => [String(i), `member:${i}`]).flat()])
      await expectMemory(o, 'mu:big', false)
      await o.expectSame(['ZADD', 'mu:lp3', ...Array.from({ length: 128 }, (_, i) => [String(i / 7), `member:${i}:${'x'.repeat(50)}`]).flat()])
      await expectMemory(o, 'mu:lp3', true)
      // After 990 ZREMs the member dict shrinks; when the shrink lands depends on where an unfinished
      // rehash stands, which follows the hash seed (two redis-servers disagree here too, by whole
      // bucket arrays), so only the members are compared, not MEMORY USAGE.
      for (let i = 0; i < 990; i++) await o.expectSame(['ZREM', 'mu:big', `member:${i}`])
      await o.expectSame(['ZRANGE', 'mu:big', '0', '-1', 'WITHSCORES'])
    })

    it('keyspace notifications and dirty counts', async () => {
      const o = oracle()
      await o.runScript(`
        CONFIG SET notify-keyspace-events KEA
        [c1 frames=1] PSUBSCRIBE __key*@0__:*
        ZADD n:z 1 a 2 b
        ZADD n:z 1 a
        ZADD n:z NX 5 a
        ZADD n:z XX 5 a
        ZADD n:z INCR 1 a
        ZINCRBY n:z 0 a
        ZINCRBY n:z 1 c
        ZADD n:z 1 a nan b
        ZREM n:z nope
        ZREM n:z c
        ZREMRANGEBYRANK n:z 5 10
        ZREMRANGEBYRANK n:z 0 0
        ZADD n:z 1 x 2 y 3 z
        ZREMRANGEBYSCORE n:z 1 1
        ZREMRANGEBYLEX n:z [y [y
        ZPOPMIN n:z
        ZPOPMAX n:z 5
        ZADD n:z 1 a 2 b 3 c
        ZMPOP 1 n:z MIN COUNT 2
        ZADD n:s 1 a 2 b
        ZUNIONSTORE n:u 1 n:s
        ZINTERSTORE n:i 1 n:s
        ZDIFFSTORE n:d 1 n:s
        ZRANGESTORE n:r n:s 0 -1
        ZUNIONSTORE n:u 1 n:nokey
        ZUNIONSTORE n:u 1 n:nokey
        ZRANGESTORE n:r n:nokey 0 -1
        ZREM n:s a b
        ZREMRANGEBYSCORE n:z -inf +inf
        ZSCORE n:missing a
        [c1] .pushes
        CONFIG SET notify-keyspace-events Ez
        ZADD n:q 1 a
        ZREM n:q a
        CONFIG SET notify-keyspace-events ""
        [c1] .pushes
      `)
      const c1 = await o.client(1)
      if (resp === 2) await c1.expectSame(['PING'])
      await o.runScript(`
        [c1 frames=1] PUNSUBSCRIBE
      `)
      const steps: string[][] = [
        ['ZADD', 'dy:a', '1', 'a', '2', 'b'], ['ZADD', 'dy:a', '1', 'a', '3', 'b', '4', 'c'], ['ZADD', 'dy:a', 'XX', '1', 'zz'],
        ['ZINCRBY', 'dy:a', '1', 'a'], ['ZREM', 'dy:a', 'a', 'nope'], ['ZREMRANGEBYRANK', 'dy:a', '0', '0'],
        ['ZREMRANGEBYSCORE', 'dy:a', '100', '200'], ['ZPOPMIN', 'dy:a', '5'], ['ZADD', 'dy:b', '1', 'a'],
        ['ZUNIONSTORE', 'dy:c', '1', 'dy:b'], ['ZUNIONSTORE', 'dy:c', '1', 'dy:none'], ['ZUNIONSTORE', 'dy:c', '1', 'dy:none'],
        ['ZRANGESTORE', 'dy:d', 'dy:b', '0', '-1'], ['ZRANGESTORE', 'dy:d', 'dy:none', '0', '-1'], ['ZMPOP', '1', 'dy:b', 'MAX'],
      ]
      let before = await o.run(['INFO', 'persistence'])
      for (const argv of steps) {
        await o.expectSame(argv)
        const after = await o.run(['INFO', 'persistence'])
        const delta = (r: string): number => Number(/rdb_changes_since_last_save:(\d+)/.exec(r)?.[1])
        expect(delta(after.engine) - delta(before.engine), `dirty after ${argv.join(' ')}`).toBe(delta(after.redis) - delta(before.redis))
        before = after
      }
    })

    it('WATCH sees zset writes, and only real ones', async () => {
      await oracle().runScript(`
        ZADD w:z 1 a
        WATCH w:z
        [c2] ZADD w:z 1 a
        [c2] ZADD w:z NX 2 a
        [c2] ZREM w:z nope
        [c2] ZSCORE w:z a
        MULTI
        ZCARD w:z
        EXEC
        WATCH w:z
        [c2] ZINCRBY w:z 1 a
        MULTI
        ZCARD w:z
        EXEC
        WATCH w:z
        [c2] ZPOPMIN w:z
        MULTI
        ZCARD w:z
        EXEC
        ZADD w:src 1 a
        WATCH w:dst
        [c2] ZUNIONSTORE w:dst 1 w:src
        MULTI
        ZCARD w:dst
        EXEC
        WATCH w:none
        [c2] ZUNIONSTORE w:none 1 w:nokey
        MULTI
        PING
        EXEC
        MULTI
        ZADD w:m 1 a
        ZRANGE w:m 0 -1 WITHSCORES
        ZPOPMIN w:m
        ZSCORE w:m a
        EXEC
      `)
    })

    it.runIf(hasZscan)('ZSCAN', async () => {
      const o = oracle()
      // A listpack answers everything at once, in order: compared exactly.
      await o.runScript(`
        ZADD zs:lp 1 a 2 b 3 c 1.5 d 0.1 e -inf f 10 100
        ZSCAN zs:lp 0
        ZSCAN zs:lp 0 MATCH ?
        ZSCAN zs:lp 0 MATCH 1*
        ZSCAN zs:lp 0 COUNT 1
        ZSCAN zs:lp 0 COUNT 0
        ZSCAN zs:lp 0 COUNT -1
        ZSCAN zs:lp 0 COUNT x
        ZSCAN zs:lp 0 MATCH
        ZSCAN zs:lp 0 FOO bar
        ZSCAN zs:lp 123
        ZSCAN zs:lp x
        ZSCAN zs:lp -1
        ZSCAN zs:nokey 0
        ZSCAN zs:nokey x
        SET zs:s x
        ZSCAN zs:s 0
        ZSCAN zs:s x
      `)
      // A skiplist's dict is walked in bucket order (hash seed): a full scan's pairs are compared sorted.
      await o.expectSame(['CONFIG', 'SET', 'zset-max-listpack-entries', '0'])
      await o.expectSame(['ZADD', 'zs:sl', '1', 'a', '2', 'b', '3', 'c', '1.5', 'd', '0.1', 'e', '-inf', 'f', '10', '100'])
      await o.expectSame(['CONFIG', 'SET', 'zset-max-listpack-entries', '128'])
      await o.expectSame(['ZSCAN', 'zs:sl', '0', 'COUNT', '1000'], scanPairsUnordered)
      await o.expectSame(['ZSCAN', 'zs:sl', '0', 'COUNT', '1000', 'MATCH', '[a-c]'], scanPairsUnordered)
      // Iterating a big skiplist to the end returns every member with its score on both sides.
      await o.expectSame(['ZADD', 'zs:big', ...Array.from({ length: 300 }, (_, i) => [String(i / 4), `m${i}`]).flat()])
      for (const side of ['redis', 'engine'] as const) {
        const seen = new Map<string, string>()
        let cursor = '0'
        let calls = 0
        do {
          const r = await o.run(['ZSCAN', 'zs:big', cursor, 'COUNT', '7'])
          const n = parseReply(r[side])
          if (!('items' in n) || n.items === null) throw new Error(r[side])
          cursor = bulkData(n.items[0])
          for (const [m, s] of pairsOf(n.items[1], true, true)) seen.set(m, s ?? '')
          calls++
        } while (cursor !== '0' && calls < 1000)
        expect(seen.size, `${side}: every member returned`).toBe(300)
        expect(seen.get('m7'), side).toBe('1.75')
      }
    })

    it.runIf(hasBlocking)('BZPOPMIN BZPOPMAX BZMPOP: immediate, blocked, served, timeouts, errors', async () => {
      await oracle().runScript(`
        ZADD b:z 1 a 2 b 3 c
        BZPOPMIN b:z 0
        BZPOPMAX b:z 0
        BZPOPMIN b:nokey b:z 0
        EXISTS b:z
        BZPOPMIN b:z x
        BZPOPMIN b:z -1
        [c4 frames=0] BZPOPMIN b:z 0.2
        [c5 frames=0] BZMPOP 0.2 1 b:z MIN
        # Both servers time these out within a cron tick or two; the wait is long for a loaded machine.
        .sleep 1200
        [c4] .pushes
        [c5] .pushes
        SET b:s x
        BZPOPMIN b:s 0
        BZPOPMIN b:nokey b:s 0
        BZMPOP 0 1 b:s MIN
        BZMPOP x 1 b:z MIN
        BZMPOP 0 0 b:z MIN
        BZMPOP 0 1 b:z FOO
        BZMPOP 0 1 b:z MIN COUNT 0
        ZADD b:m 1 a 2 b 3 c
        BZMPOP 0 2 b:nokey b:m MAX COUNT 2
        BZMPOP 0 1 b:m MIN COUNT 5
        [c1 frames=0] BZPOPMIN b:w1 b:w2 0
        [c2 frames=0] BZPOPMAX b:w2 0
        [c3 frames=0] BZMPOP 0 2 b:w2 b:w1 MAX COUNT 2
        ZADD b:w2 1 a 2 b 3 c
        [c1] .pushes
        [c2] .pushes
        [c3] .pushes
        ZRANGE b:w2 0 -1 WITHSCORES
        ZADD b:w1 5 x 6 y
        [c3] .pushes
        ZRANGE b:w1 0 -1
        [c1 frames=0] BZPOPMIN b:t 0
        SET b:t x
        DEL b:t
        MULTI
        SET b:t2 y
        ZADD b:t 1 a
        EXEC
        [c1] .pushes
        MULTI
        BZPOPMIN b:never 0
        BZMPOP 0 1 b:never MIN
        EXEC
        [c1 frames=0] BZPOPMIN b:s1 0
        [c2 frames=0] BZPOPMIN b:s1 0
        ZADD b:src 1 a
        ZUNIONSTORE b:s1 1 b:src
        [c1] .pushes
        [c2] .pushes
        ZRANGESTORE b:s1 b:src 0 -1
        [c2] .pushes
        [c1 frames=0] BZPOPMAX b:l 0
        RPUSH b:l x
        DEL b:l
        ZADD b:l 1 a 2 b
        [c1] .pushes
        ZRANGE b:l 0 -1
        CONFIG SET notify-keyspace-events KEA
        [c6 frames=1] PSUBSCRIBE __keyevent@0__:*
        [c1 frames=0] BZMPOP 0 1 b:n MAX COUNT 3
        ZADD b:n 1 a 2 b
        [c1] .pushes
        [c6] .pushes
        CONFIG SET notify-keyspace-events ""
      `)
    })
  })
}

// ---------------------------------------------------------------- random sequences

const RANDOM_COMMANDS = Number(process.env.GLASSBOX_ZSET_RANDOM_COMMANDS ?? 12_600)

const ZKEYS = ['z1', 'z2', 'z3', '{z}\x00\xff']
const OTHER = ['set', 'str']
const MEMBERS = [
  'a', 'b', 'c', 'd', 'e', 'f', 'g', '1', '2', '10', '-5', '007', '', '\x00\xff', 'é', M64, M65, 'x'.repeat(20),
  ...Array.from({ length: 14 }, (_, i) => `n${i}`),
]
const SCORES = [
  '0', '1', '-1', '2', '3', '1.5', '-2.5', '0.1', '0.2', '1e3', '-0', '100', 'inf', '-inf', '+inf', '5e-324', '1e300', '-1e300',
  '9007199254740993', '4611686018427387904', '1e19', '3.0000000000000004', 'nan', 'x', '', ' 1', '0x10',
]
const MINS = ['-inf', '+inf', '0', '1', '(1', '2', '(2.5', '-1', '(-inf', 'nan', 'x', '', '1e3', '(0']
const LEX = ['-', '+', '[a', '(a', '[c', '(c', '[n5', '(n1', '[', '(', 'a', '[\xff', '(\x00']

async function randomRun(o: Oracle, seed: number): Promise<number> {
  const rnd = mulberry32(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
  const zkey = (): string => (rnd() < 0.93 ? pick(ZKEYS) : pick(OTHER))
  const keys = (n: number): string[] => Array.from({ length: n }, () => (rnd() < 0.9 ? pick(ZKEYS) : pick([...OTHER, 'nokey'])))
  const idx = (): string => String(pick([0, 1, 2, -1, -2, 5, -5, 20, -20, 100]))
  let total = 0
  const same = async (argv: readonly string[], norm?: Normaliser): Promise<void> => {
    await o.expectSame(argv, norm)
    total++
  }
  // A lex range over a skiplist whose scores differ is "unspecified" in Redis and in
  // fact depends on the levels drawn (random): such commands are compared only where
  // the answer is deterministic (a listpack, or equal scores), checked on Redis's side.
  const lexDeterministic = async (k: string): Promise<boolean> => {
    const enc = await o.run(['OBJECT', 'ENCODING', k])
    if (!enc.redis.includes('skiplist')) return true
    const all = await o.run(['ZRANGE', k, '0', '-1', 'WITHSCORES'])
    const pairs = pairsOf(parseReply(all.redis), true, true)
    return new Set(pairs.map((p) => p[1])).size <= 1
  }
  await o.run(['FLUSHALL'])
  await o.run(['CONFIG', 'SET', 'zset-max-listpack-entries', '128'])
  await o.run(['CONFIG', 'SET', 'zset-max-listpack-value', '64'])
  await same(['SET', 'str', 'a string'])
  await same(['SADD', 'set', 'a', 'b', '1', 'n3'])
  while (total < RANDOM_COMMANDS) {
    const key = zkey()
    const roll = rnd()
    let wrote = false
    if (roll < 0.18) {
      const argv = ['ZADD', key]
      if (rnd() < 0.3) argv.push(...pick([['NX'], ['XX'], ['CH'], ['GT'], ['LT'], ['XX', 'CH'], ['GT', 'CH'], ['INCR'], ['NX', 'INCR'], ['LT', 'XX'], ['NX', 'GT']]))
      for (let i = int(1, 4); i > 0; i--) argv.push(rnd() < 0.97 ? pick(SCORES.slice(0, 22)) : pick(SCORES), pick(MEMBERS))
      if (rnd() < 0.02) argv.pop()
      await same(argv)
      wrote = true
    } else if (roll < 0.22) {
      await same(['ZINCRBY', key, pick(SCORES), pick(MEMBERS)])
      wrote = true
    } else if (roll < 0.26) {
      await same(['ZREM', key, ...Array.from({ length: int(1, 3) }, () => pick(MEMBERS))])
      wrote = true
    } else if (roll < 0.3) {
      await same([pick(['ZSCORE', 'ZRANK', 'ZREVRANK']), key, pick(MEMBERS)])
    } else if (roll < 0.32) {
      await same(['ZMSCORE', key, ...Array.from({ length: int(1, 3) }, () => pick(MEMBERS))])
    } else if (roll < 0.34) {
      await same(['ZCARD', key])
    } else if (roll < 0.38) {
      await same(['ZCOUNT', key, pick(MINS), pick(MINS)])
    } else if (roll < 0.4) {
      if (await lexDeterministic(key)) await same(['ZLEXCOUNT', key, pick(LEX), pick(LEX)])
    } else if (roll < 0.48) {
      const by = pick(['', '', 'BYSCORE', 'BYLEX'])
      const [a, b] = by === 'BYSCORE' ? [pick(MINS), pick(MINS)] : by === 'BYLEX' ? [pick(LEX), pick(LEX)] : [idx(), idx()]
      const argv = ['ZRANGE', key, a, b]
      if (by) argv.push(by)
      if (rnd() < 0.4) argv.push('REV')
      if (rnd() < 0.5 && by !== 'BYLEX') argv.push('WITHSCORES')
      if (rnd() < 0.3 && by) argv.push('LIMIT', pick(['0', '1', '2', '-1']), pick(['1', '2', '-1', '0', '10']))
      if (rnd() < 0.03) argv.push(pick(['LIMIT', 'FOO', 'WITHSCORES', 'BYLEX']))
      if (!argv.includes('BYLEX') || (await lexDeterministic(key))) await same(argv)
    } else if (roll < 0.52) {
      const cmd = pick(['ZREVRANGE', 'ZRANGEBYSCORE', 'ZREVRANGEBYSCORE', 'ZRANGEBYLEX', 'ZREVRANGEBYLEX'])
      const lex = cmd.includes('LEX')
      const argv = [cmd, key, ...(lex ? [pick(LEX), pick(LEX)] : cmd === 'ZREVRANGE' ? [idx(), idx()] : [pick(MINS), pick(MINS)])]
      if (!lex && rnd() < 0.5) argv.push('WITHSCORES')
      if (cmd !== 'ZREVRANGE' && rnd() < 0.3) argv.push('LIMIT', pick(['0', '1', '3']), pick(['1', '2', '-1']))
      if (!lex || (await lexDeterministic(key))) await same(argv)
    } else if (roll < 0.56) {
      const by = pick(['', 'BYSCORE', 'BYLEX'])
      const [a, b] = by === 'BYSCORE' ? [pick(MINS), pick(MINS)] : by === 'BYLEX' ? [pick(LEX), pick(LEX)] : [idx(), idx()]
      const argv = ['ZRANGESTORE', pick(ZKEYS), key, a, b]
      if (by) argv.push(by)
      if (rnd() < 0.3) argv.push('REV')
      if (by && rnd() < 0.3) argv.push('LIMIT', pick(['0', '1']), pick(['1', '3', '-1']))
      if (by !== 'BYLEX' || (await lexDeterministic(key))) await same(argv)
      wrote = true
    } else if (roll < 0.6) {
      const cmd = pick(['ZREMRANGEBYRANK', 'ZREMRANGEBYSCORE', 'ZREMRANGEBYLEX'])
      if (cmd !== 'ZREMRANGEBYLEX' || (await lexDeterministic(key))) {
        await same([cmd, key, ...[pick(['0', '1', '-1', '(1', '-inf', '[a', '-']), pick(['2', '-1', '+inf', '(3', '[c', '+'])]])
      }
      wrote = true
    } else if (roll < 0.68) {
      const op = pick(['ZUNION', 'ZINTER', 'ZDIFF', 'ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE', 'ZINTERCARD'])
      const n = int(1, 3)
      const argv = op.endsWith('STORE') ? [op, pick(ZKEYS), String(n), ...keys(n)] : [op, String(n), ...keys(n)]
      if (op !== 'ZDIFF' && op !== 'ZDIFFSTORE' && op !== 'ZINTERCARD') {
        if (rnd() < 0.4) argv.push('WEIGHTS', ...Array.from({ length: n }, () => pick(['1', '2', '0.5', '-1', '0', 'inf', '0.1'])))
        if (rnd() < 0.4) argv.push('AGGREGATE', pick(['SUM', 'MIN', 'MAX']))
      }
      if (!op.endsWith('STORE') && op !== 'ZINTERCARD' && rnd() < 0.6) argv.push('WITHSCORES')
      if (op === 'ZINTERCARD' && rnd() < 0.5) argv.push('LIMIT', pick(['0', '1', '2']))
      if (rnd() < 0.03) argv.splice(1, 1, pick(['0', '5', 'x']))
      await same(argv)
      wrote = op.endsWith('STORE')
    } else if (roll < 0.72) {
      const r = rnd()
      if (r < 0.4) await same([pick(['ZPOPMIN', 'ZPOPMAX']), key])
      else if (r < 0.75) await same([pick(['ZPOPMIN', 'ZPOPMAX']), key, pick(['0', '1', '2', '5', '-1'])])
      else await same(['ZMPOP', '2', key, pick(ZKEYS), pick(['MIN', 'MAX']), ...(rnd() < 0.6 ? ['COUNT', pick(['1', '2', '10'])] : [])])
      wrote = true
    } else if (roll < 0.74) {
      // Blocking pops inside MULTI never block: they pop, or answer like a timeout.
      const argv = pick([
        ['BZPOPMIN', key, pick(ZKEYS), '0'],
        ['BZPOPMAX', key, '1'],
        ['BZMPOP', '0', '2', key, pick(ZKEYS), pick(['MIN', 'MAX']), 'COUNT', pick(['1', '3'])],
        ['BZPOPMIN', key, 'x'],
      ])
      await same(['MULTI'])
      await same(argv)
      await same(['EXEC'])
      wrote = true
    } else if (roll < 0.75 && hasZscan) {
      const enc = await o.run(['OBJECT', 'ENCODING', key])
      expect(enc.engine).toBe(enc.redis)
      const match = rnd() < 0.5 ? [] : ['MATCH', pick(['*', 'n*', '?', '1*', '*\xff', '[a-c]'])]
      await same(['ZSCAN', key, '0', 'COUNT', '1000', ...match], enc.redis.includes('skiplist') ? scanPairsUnordered : undefined)
    } else if (roll < 0.76) {
      const count = pick(['1', '-1', '2', '3', '-4', '100', '200', '0'])
      const argv = ['ZRANDMEMBER', key, count, ...(rnd() < 0.5 ? ['WITHSCORES'] : [])]
      await expectRandmember(o, argv)
      total++
    } else if (roll < 0.8) {
      await o.expectSame(['CONFIG', 'SET', pick(['zset-max-listpack-entries', 'zset-max-ziplist-entries']), String(pick([0, 1, 2, 3, 5, 8, 128]))])
      total++
    } else if (roll < 0.82) {
      await o.expectSame(['CONFIG', 'SET', pick(['zset-max-listpack-value', 'zset-max-ziplist-value']), String(pick([0, 1, 2, 10, 64, 65]))])
      total++
    } else if (roll < 0.84) {
      await same(['DEL', key])
    } else if (roll < 0.85) {
      await same(['EXPIRE', key, String(int(1000, 2000))])
    } else if (roll < 0.87) {
      await same([pick(['TYPE', 'EXISTS']), key])
    } else if (roll < 0.89) {
      await same(['COPY', key, pick(ZKEYS), ...(rnd() < 0.5 ? ['REPLACE'] : [])])
      wrote = true
    } else if (roll < 0.9) {
      await same(['RENAME', key, pick(ZKEYS)])
    } else if (roll < 0.91) {
      await same(['SCAN', '0', 'TYPE', 'zset', 'COUNT', '1000'], scanUnordered)
    } else if (roll < 0.93) {
      const enc = await o.run(['OBJECT', 'ENCODING', key])
      expect(enc.engine).toBe(enc.redis)
      total++
      if (enc.redis.includes('listpack')) await expectMemory(o, key, true)
      // A skiplist's size depends on the levels drawn for its nodes (random), and the
      // progress of its dict's incremental rehash on how many random draws ZRANDMEMBER
      // made: every node is counted (SAMPLES 0) and the sizes must agree within 10 %.
      else if (enc.redis.includes('skiplist')) await expectMemory(o, key, false, '0')
    } else if (roll < 0.95) {
      // A hashtable set's DUMP follows its bucket order (hash seed): only zsets are dumped.
      const t = await o.run(['TYPE', key])
      expect(t.engine).toBe(t.redis)
      if (t.redis.includes('zset')) await same(['DUMP', key])
    } else {
      await same(['ZRANGE', key, '0', '-1', 'WITHSCORES'])
    }
    if (wrote) {
      for (const k of ZKEYS) await same(['OBJECT', 'ENCODING', k])
    }
  }
  return total
}

for (const resp of [2, 3] as const) {
  describeOracle(`zset random sequences (RESP${resp})`, () => {
    const oracle = useOracle({ resp })
    it(`${RANDOM_COMMANDS}+ random sorted-set commands match redis-server`, async () => {
      const seed = Number(process.env.GLASSBOX_SEED ?? Date.now() % 2 ** 31)
      let total: number
      try {
        total = await randomRun(oracle(), seed)
      } catch (e) {
        if (process.env.GLASSBOX_ZSET_DEBUG) {
          for (const k of ZKEYS) {
            const r = await oracle().run(['ZRANGE', k, '0', '-1', 'WITHSCORES'])
            const enc = await oracle().run(['OBJECT', 'ENCODING', k])
            console.log(JSON.stringify(k), enc.redis.trim(), enc.engine.trim(), JSON.stringify(r.redis), r.redis === r.engine)
          }
        }
        if (e instanceof Error) e.message = `seed ${seed} (replay with GLASSBOX_SEED=${seed}): ${e.message}`
        throw e
      }
      console.log(`RESP${resp}: ${total} random sorted-set commands compared (seed ${seed})`)
      expect(total).toBeGreaterThanOrEqual(RANDOM_COMMANDS)
    }, 900_000)
  })
}
