// One random sequence mixing list, hash, set and sorted-set commands on shared
// keys, against redis-server 7.0.15 in RESP2 and RESP3: OBJECT ENCODING after
// every write, CONFIG SET of every collection threshold at random,
// TYPE/DEL/EXPIRE/RENAME/COPY/EXISTS across types, and two more clients that
// block on the same keys (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN,
// BZPOPMAX, BZMPOP; timeout 0 or a tiny one) between client 0's commands, so
// list and sorted-set waiters share keys. At least 50,000 commands per protocol.
//
// Normalising, where a reply is random by nature (each use says which):
// - element order of a hashtable (HKEYS/HVALS/HGETALL, SMEMBERS, SINTER/SUNION/
//   SDIFF whose result set is a hashtable): sorted before comparing; intsets
//   and listpacks are compared exactly.
// - SPOP / SRANDMEMBER picks: reply type, count, membership and distinctness
//   are compared; after a random SPOP the key is rebuilt on both sides from
//   Redis's members so the sequence can go on.
// Replay a failure with GLASSBOX_SEED=<seed>; GLASSBOX_COLLECTIONS_COMMANDS sets the length,
// GLASSBOX_RUNS=N runs N sequences (seeds GLASSBOX_SEED, GLASSBOX_SEED+1, ...), GLASSBOX_DUMP=N
// prints the last N steps of a failed run.
import { expect, it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { unordered, unorderedPairs, useOracle, type Normaliser, type Oracle, type OracleClient } from '../support/oracle.ts'
import { parseReply } from '../support/resp-conn.ts'
import { encodingOf, expectRandom, itemsOf, membersOf, rebuild } from '../support/collection-checks.ts'
import { sortedSetCommands } from '../../engine/commands/sorted-set/index.ts'
import { mulberry32 } from '../support/prng.ts'

const COMMANDS = Number(process.env.GLASSBOX_COLLECTIONS_COMMANDS ?? 50_000)
/** The sorted-set commands join the mix once their group exports any. */
const WITH_ZSETS = sortedSetCommands.length > 0

const KEYS = ['c:1', 'c:2', 'c:3', 'c:{x}\x00\xff']
const ALL_KEYS = [...KEYS, 'c:str']
/** Elements: small and big integers (intsets, listpack ints), short and long strings (thresholds), bytes. */
const ELEMENTS = [
  '0', '1', '2', '3', '7', '-1', '42', '100', '-100', '65535', '65536', '-2147483649', '9223372036854775807', '-9223372036854775808',
  '9223372036854775808', '01', ' 1', '-0', '1.5', 'a', 'b', 'c', 'd', 'e', 'abc', '', '\x00\xff\r\n', 'x'.repeat(20), 'y'.repeat(63),
  'z'.repeat(64), 'w'.repeat(65), 'v'.repeat(200), ...Array.from({ length: 10 }, (_, i) => `m${i}`),
]
const SCORES = ['0', '1', '-1', '1.5', '2', '3', '10', '-2.5', '1e3', '+inf', '-inf', '0.1', 'x', 'nan', '100']
const INCRS = ['1', '-1', '5', '0', '9223372036854775807', 'x', '1.5']
const FLOATS = ['0.1', '-1.5', '1e10', 'inf', 'nan', 'abc', '3']
const INDEXES = ['0', '1', '2', '-1', '-2', '5', '-5', '20', '-20', 'x']
const COUNTS = ['1', '2', '3', '0', '-1', '10', 'x']
const END = ['LEFT', 'RIGHT']
const THRESHOLDS: Array<[string, string[]]> = [
  ['list-max-listpack-size', ['-5', '-4', '-3', '-2', '-1', '1', '2', '3', '4', '8', '128']],
  ['list-compress-depth', ['0', '0', '1', '2']],
  ['hash-max-listpack-entries', ['0', '1', '2', '3', '5', '8', '512']],
  ['hash-max-listpack-value', ['0', '1', '3', '8', '64', '65']],
  ['set-max-intset-entries', ['0', '1', '2', '3', '5', '8', '512']],
  ['zset-max-listpack-entries', ['0', '1', '2', '3', '5', '8', '128']],
  ['zset-max-listpack-value', ['0', '1', '3', '8', '64', '65']],
]
const DEFAULTS: Array<[string, string]> = [
  ['list-max-listpack-size', '-2'],
  ['list-compress-depth', '0'],
  ['hash-max-listpack-entries', '512'],
  ['hash-max-listpack-value', '64'],
  ['set-max-intset-entries', '512'],
  ['zset-max-listpack-entries', '128'],
  ['zset-max-listpack-value', '64'],
]

async function runSequence(o: Oracle, seed: number): Promise<{ total: number; checks: number; served: number; timedOut: number }> {
  const rnd = mulberry32(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
  const key = (): string => (rnd() < 0.95 ? pick(KEYS) : 'c:str')
  const elems = (n: number): string[] => Array.from({ length: n }, () => pick(ELEMENTS))
  const clients: OracleClient[] = [o, await o.client(1), await o.client(2)]
  const blocked = [false, false, false]
  const waitsOn: { keys: string[]; type: 'list' | 'zset' }[] = [0, 1, 2].map(() => ({ keys: [], type: 'list' }))
  let intsetMax = 512
  let total = 0
  let checks = 0
  let served = 0
  let timedOut = 0

  const same = async (argv: readonly string[], norm?: Normaliser): Promise<string> => {
    const r = await o.expectSame(argv, norm)
    total++
    return r.redis
  }
  /** Late replies of blocked clients after client 0's command: a reply on the engine side means served. */
  const collect = async (): Promise<void> => {
    for (const i of [1, 2]) {
      if (!blocked[i]) continue
      const r = await clients[i].expectPushes()
      if (r.engine !== '') {
        blocked[i] = false
        served++
      }
    }
  }
  const encodings = async (keys: readonly string[]): Promise<(string | null)[]> => {
    const out: (string | null)[] = []
    for (const k of keys) {
      out.push(await encodingOf(o, k))
      checks++
    }
    return out
  }
  /** A random reply (SPOP, SRANDMEMBER): same type and count, members of the set, distinct when asked. */
  const randomPicks = async (argv: readonly string[], distinct: boolean): Promise<void> => {
    const universe = await membersOf(o, argv[1])
    checks++
    await expectRandom(o, argv, universe, distinct)
    total++
  }

  const step = async (): Promise<{ writes: string[] }> => {
    const k = key()
    const r = rnd()
    // ---- lists
    if (r < 0.07) {
      await same([pick(['LPUSH', 'RPUSH', 'LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX']), k, ...elems(int(1, 6))])
      return { writes: [k] }
    }
    if (r < 0.1) {
      await same([pick(['LPOP', 'RPOP']), k, ...(rnd() < 0.5 ? [] : [pick(COUNTS)])])
      return { writes: [k] }
    }
    if (r < 0.12) {
      await same(['LRANGE', k, pick(INDEXES), pick(INDEXES)])
      return { writes: [] }
    }
    if (r < 0.13) {
      await same([pick(['LLEN', 'LINDEX']), k, ...(rnd() < 0.9 ? [pick(INDEXES)] : [])].slice(0, 3))
      return { writes: [] }
    }
    if (r < 0.15) {
      const c = pick(['LSET', 'LINSERT', 'LREM', 'LTRIM'])
      if (c === 'LSET') await same(['LSET', k, pick(INDEXES), pick(ELEMENTS)])
      else if (c === 'LINSERT') await same(['LINSERT', k, pick(['BEFORE', 'AFTER']), pick(ELEMENTS), pick(ELEMENTS)])
      else if (c === 'LREM') await same(['LREM', k, pick(COUNTS), pick(ELEMENTS)])
      else await same(['LTRIM', k, pick(INDEXES), pick(INDEXES)])
      return { writes: [k] }
    }
    if (r < 0.16) {
      await same(['LPOS', k, pick(ELEMENTS), ...(rnd() < 0.5 ? ['RANK', pick(['1', '-1', '2'])] : []), ...(rnd() < 0.5 ? ['COUNT', pick(['0', '1', '3'])] : [])])
      return { writes: [] }
    }
    if (r < 0.19) {
      const d = key()
      const c = pick(['LMOVE', 'RPOPLPUSH', 'LMPOP'])
      if (c === 'LMOVE') await same(['LMOVE', k, d, pick(END), pick(END)])
      else if (c === 'RPOPLPUSH') await same(['RPOPLPUSH', k, d])
      else {
        await same(['LMPOP', '2', k, d, pick(END), ...(rnd() < 0.5 ? [] : ['COUNT', pick(['1', '2', '5'])])])
      }
      return { writes: [k, d] }
    }
    // ---- hashes
    if (r < 0.26) {
      const argv = [rnd() < 0.85 ? 'HSET' : 'HSETNX', k]
      const n = argv[0] === 'HSETNX' ? 1 : int(1, 4)
      for (let i = 0; i < n; i++) argv.push(pick(ELEMENTS), pick(ELEMENTS))
      await same(argv)
      return { writes: [k] }
    }
    if (r < 0.29) {
      await same([pick(['HGET', 'HEXISTS', 'HSTRLEN']), k, pick(ELEMENTS)])
      return { writes: [] }
    }
    if (r < 0.3) {
      await same(['HMGET', k, ...elems(int(1, 4))])
      return { writes: [] }
    }
    if (r < 0.33) {
      await same(['HDEL', k, ...elems(int(1, 4))])
      return { writes: [k] }
    }
    if (r < 0.35) {
      const c = pick(['HINCRBY', 'HINCRBYFLOAT'])
      await same([c, k, pick(ELEMENTS), c === 'HINCRBY' ? pick(INCRS) : pick(FLOATS)])
      return { writes: [k] }
    }
    if (r < 0.37) {
      const c = pick(['HKEYS', 'HVALS', 'HGETALL', 'HLEN'])
      const [enc] = await encodings([k])
      await same([c, k], enc !== 'hashtable' || c === 'HLEN' ? undefined : c === 'HGETALL' ? unorderedPairs : unordered)
      return { writes: [] }
    }
    // ---- sets
    if (r < 0.44) {
      await same(['SADD', k, ...elems(int(1, 5))])
      return { writes: [k] }
    }
    if (r < 0.47) {
      await same(['SREM', k, ...elems(int(1, 4))])
      return { writes: [k] }
    }
    if (r < 0.5) {
      const c = pick(['SISMEMBER', 'SCARD', 'SMISMEMBER'])
      await same(c === 'SCARD' ? [c, k] : c === 'SISMEMBER' ? [c, k, pick(ELEMENTS)] : [c, k, ...elems(int(1, 3))])
      return { writes: [] }
    }
    if (r < 0.51) {
      const [enc] = await encodings([k])
      await same(['SMEMBERS', k], enc === 'hashtable' ? unordered : undefined)
      return { writes: [] }
    }
    if (r < 0.53) {
      const d = key()
      await same(['SMOVE', k, d, pick(ELEMENTS)])
      return { writes: [k, d] }
    }
    if (r < 0.56) {
      const others = Array.from({ length: int(0, 2) }, key)
      const srcs = [k, ...others]
      const c = pick(['SINTER', 'SUNION', 'SDIFF', 'SINTERCARD', 'SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'])
      if (c.endsWith('STORE')) {
        const d = key()
        await same([c, d, ...srcs])
        return { writes: [d] }
      }
      if (c === 'SINTERCARD') {
        await same([c, String(srcs.length), ...srcs, ...(rnd() < 0.3 ? ['LIMIT', pick(['0', '1', '2'])] : [])])
        return { writes: [] }
      }
      // The result is listed from an intset (sorted) or a hashtable (bucket order, random): SINTER walks the
      // smallest source; SUNION/SDIFF build a set that stays an intset while every member is an integer and
      // it never holds more than set-max-intset-entries.
      const encs = await encodings(srcs)
      let exact = encs.every((e) => e === 'intset' || e === null)
      if (exact && c !== 'SINTER') {
        for (const s of srcs) {
          const card = await o.expectSame(['SCARD', s])
          checks++
          if (!(Number(/^:(\d+)/.exec(card.redis)?.[1] ?? 0) <= intsetMax)) exact = false
        }
        const sum = await o.run(['SUNION', ...srcs])
        if (itemsOf(parseReply(sum.redis)).length > intsetMax) exact = false
      }
      await same([c, ...srcs], exact ? undefined : unordered)
      return { writes: [] }
    }
    if (r < 0.575) {
      const distinct = rnd() < 0.5
      const argv = ['SRANDMEMBER', k, ...(rnd() < 0.8 ? [distinct ? pick(['1', '2', '5', '100']) : pick(['-1', '-3', '-10'])] : [])]
      await randomPicks(argv, argv.length === 3 && !argv[2].startsWith('-'))
      return { writes: [] }
    }
    if (r < 0.59) {
      const argv = ['SPOP', k, ...(rnd() < 0.6 ? [pick(['1', '2', '3', '100', '0'])] : [])]
      await randomPicks(argv, true)
      await rebuild(o, k)
      return { writes: [k] }
    }
    // ---- sorted sets
    if (WITH_ZSETS && r < 0.66) {
      const argv = ['ZADD', k]
      if (rnd() < 0.2) argv.push(pick(['NX', 'XX', 'GT', 'LT', 'CH']))
      const n = int(1, 4)
      for (let i = 0; i < n; i++) argv.push(pick(SCORES), pick(ELEMENTS))
      await same(argv)
      return { writes: [k] }
    }
    if (WITH_ZSETS && r < 0.69) {
      const c = pick(['ZREM', 'ZINCRBY', 'ZPOPMIN', 'ZPOPMAX', 'ZREMRANGEBYRANK', 'ZREMRANGEBYSCORE'])
      if (c === 'ZREM') await same(['ZREM', k, ...elems(int(1, 3))])
      else if (c === 'ZINCRBY') await same(['ZINCRBY', k, pick(SCORES), pick(ELEMENTS)])
      else if (c === 'ZREMRANGEBYRANK') await same([c, k, pick(INDEXES), pick(INDEXES)])
      else if (c === 'ZREMRANGEBYSCORE') await same([c, k, pick(SCORES), pick(SCORES)])
      else await same([c, k, ...(rnd() < 0.5 ? [pick(COUNTS)] : [])])
      return { writes: [k] }
    }
    if (WITH_ZSETS && r < 0.73) {
      const c = pick(['ZRANGE', 'ZRANGE', 'ZRANGEBYSCORE', 'ZSCORE', 'ZCARD', 'ZRANK', 'ZREVRANK', 'ZCOUNT', 'ZMSCORE'])
      if (c === 'ZRANGE') await same(['ZRANGE', k, pick(INDEXES), pick(INDEXES), ...(rnd() < 0.3 ? ['REV'] : []), ...(rnd() < 0.5 ? ['WITHSCORES'] : [])])
      else if (c === 'ZRANGEBYSCORE') await same([c, k, pick(SCORES), pick(SCORES), ...(rnd() < 0.5 ? ['WITHSCORES'] : [])])
      else if (c === 'ZCARD') await same([c, k])
      else if (c === 'ZCOUNT') await same([c, k, pick(SCORES), pick(SCORES)])
      else if (c === 'ZMSCORE') await same([c, k, ...elems(int(1, 3))])
      else await same([c, k, pick(ELEMENTS)])
      return { writes: [] }
    }
    // ---- any type
    if (r < 0.79) {
      const [name, values] = pick(THRESHOLDS)
      const v = pick(values)
      await same(['CONFIG', 'SET', name, v])
      if (name === 'set-max-intset-entries') intsetMax = Number(v)
      return { writes: [] }
    }
    if (r < 0.81) {
      await same(['DEL', ...Array.from({ length: int(1, 2) }, key)])
      return { writes: [] }
    }
    if (r < 0.83) {
      await same([pick(['TYPE', 'EXISTS', 'TTL']), k])
      return { writes: [] }
    }
    if (r < 0.84) {
      await same(['EXPIRE', k, pick(['1000', '2000', '0', '-1'])])
      return { writes: [] }
    }
    if (r < 0.85) {
      await same(['PERSIST', k])
      return { writes: [] }
    }
    if (r < 0.87) {
      const d = key()
      await same(['COPY', k, d, ...(rnd() < 0.5 ? ['REPLACE'] : [])])
      return { writes: [d] }
    }
    if (r < 0.885) {
      const d = key()
      await same([pick(['RENAME', 'RENAMENX']), k, d])
      return { writes: [k, d] }
    }
    if (r < 0.89) {
      await same(['SET', 'c:str', pick(ELEMENTS)])
      return { writes: [] }
    }
    // ---- blocking clients
    if (r < 0.95) {
      const who = pick([1, 2])
      if (blocked[who]) return { writes: [] }
      const zsetSide = WITH_ZSETS && rnd() < 0.35
      const c = zsetSide ? pick(['BZPOPMIN', 'BZPOPMAX', 'BZMPOP']) : pick(['BLPOP', 'BRPOP', 'BLMOVE', 'BRPOPLPUSH', 'BLMPOP'])
      // Timeout 0 (served by a later write, or released at the end) or a tiny one that is left to expire.
      const tiny = rnd() < 0.06
      const timeout = tiny ? '0.01' : '0'
      // Mostly keys that are not there, so the client blocks; sometimes any key (served at once, or WRONGTYPE).
      const absent: string[] = []
      for (const x of KEYS) {
        if ((await o.run(['EXISTS', x])).redis === ':0\r\n') absent.push(x)
        checks++
      }
      const src = (): string => (absent.length > 0 && rnd() < 0.85 ? pick(absent) : key())
      const sources = [src()]
      let argv: string[]
      if (c === 'BLMOVE' || c === 'BRPOPLPUSH') {
        argv = c === 'BLMOVE' ? ['BLMOVE', sources[0], key(), pick(END), pick(END), timeout] : ['BRPOPLPUSH', sources[0], key(), timeout]
      } else if (c === 'BLMPOP' || c === 'BZMPOP') {
        for (let i = int(0, 1); i > 0; i--) sources.push(src())
        const where = c === 'BLMPOP' ? pick(END) : pick(['MIN', 'MAX'])
        argv = [c, timeout, String(sources.length), ...sources, where, ...(rnd() < 0.5 ? [] : ['COUNT', pick(['1', '3'])])]
      } else {
        for (let i = int(0, 2); i > 0; i--) sources.push(src())
        argv = [c, ...sources, timeout]
      }
      const exists = await o.run(['EXISTS', ...sources])
      checks++
      if (exists.redis !== ':0\r\n') {
        // A key is there: served (or WRONGTYPE) at once, like the plain pops.
        await clients[who].expectSame(argv)
        total++
        return { writes: c === 'BLMOVE' || c === 'BRPOPLPUSH' ? [argv[1], argv[2]] : sources }
      }
      // The oracle waits until Redis lists the client as blocked before anything else is sent.
      await clients[who].expectSame(argv, { frames: 0 })
      total++
      blocked[who] = true
      waitsOn[who] = { keys: sources, type: zsetSide ? 'zset' : 'list' }
      if (tiny) {
        // Nothing else runs until both servers have timed the client out.
        await new Promise((res) => setTimeout(res, 150))
        const late = await clients[who].expectPushes()
        if (late.engine === '') throw new Error(`${argv.join(' ')}: no timeout reply after 150 ms`)
        blocked[who] = false
        timedOut++
      }
      return { writes: [] }
    }
    // Reads that need no key type.
    await same([pick(['EXISTS', 'TYPE']), k])
    return { writes: [] }
  }

  await o.run(['FLUSHALL'])
  for (const [name, v] of DEFAULTS) await o.run(['CONFIG', 'SET', name, v])
  await o.run(['SET', 'c:str', 'a string'])
  while (total < COMMANDS) {
    const { writes } = await step()
    await collect()
    for (const w of new Set(writes)) {
      await encodingOf(o, w)
      checks++
    }
    // A served blocked client wrote too (BLMOVE pushes, pops empty a key).
    if (writes.length > 0 || served > 0) {
      for (const i of [1, 2]) if (!blocked[i]) waitsOn[i] = { keys: [], type: 'list' }
    }
  }
  // Release whoever still waits: pushes onto the keys it waits on (another waiter may take one first).
  for (let round = 0; round < 6 && (blocked[1] || blocked[2]); round++) {
    for (const i of [1, 2]) {
      if (!blocked[i]) continue
      for (const k of waitsOn[i].keys) {
        await o.expectSame(['DEL', k])
        await o.expectSame(waitsOn[i].type === 'list' ? ['RPUSH', k, 'release'] : ['ZADD', k, '1', 'release'])
        await collect()
        if (!blocked[i]) break
      }
    }
  }
  if (blocked[1] || blocked[2]) throw new Error(`clients still blocked: ${waitsOn.map((w) => `${w.type} ${w.keys.join(' ')}`).join(' / ')}`)
  for (const k of ALL_KEYS) {
    const t = await o.expectSame(['TYPE', k])
    checks++
    if (/list/.test(t.redis)) await o.expectSame(['LRANGE', k, '0', '-1'])
    if (/zset/.test(t.redis)) await o.expectSame(['ZRANGE', k, '0', '-1', 'WITHSCORES'])
  }
  for (const [name, v] of DEFAULTS) await o.run(['CONFIG', 'SET', name, v])
  return { total, checks, served, timedOut }
}

for (const resp of [2, 3] as const) {
  describeOracle(`lists, hashes, sets${WITH_ZSETS ? ', sorted sets' : ''} in one random sequence (RESP${resp})`, () => {
    const oracle = useOracle({ resp })
    it(`${COMMANDS}+ random commands on shared keys, with blocked clients, match redis-server`, async () => {
      // GLASSBOX_RUNS=N runs N sequences, seeds GLASSBOX_SEED, GLASSBOX_SEED+1, ... (soak runs).
      const firstSeed = Number(process.env.GLASSBOX_SEED ?? Date.now() % 2 ** 31)
      const runs = Number(process.env.GLASSBOX_RUNS ?? 1)
      for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
        const t0 = performance.now()
        let result: Awaited<ReturnType<typeof runSequence>>
        try {
          result = await runSequence(oracle(), seed)
        } catch (e) {
          // GLASSBOX_DUMP=N prints the last N steps of the failed run (all clients), for replaying it by hand.
          const dump = Number(process.env.GLASSBOX_DUMP ?? 0)
          if (dump > 0) console.log(oracle().history.slice(-dump).filter((h) => h.argv !== null).map((h) => `[c${h.client}] ${JSON.stringify(h.argv)}`).join('\n'))
          if (e instanceof Error) e.message = `seed ${seed} (replay with GLASSBOX_SEED=${seed}): ${e.message}`
          throw e
        }
        const s = ((performance.now() - t0) / 1000).toFixed(1)
        console.log(
          `RESP${resp}: ${result.total} random commands compared (+${result.checks} OBJECT ENCODING/SCARD/TYPE/EXISTS checks), ` +
            `${result.served} blocked clients served, ${result.timedOut} timed out; ${s} s (seed ${seed})`,
        )
        expect(result.total).toBeGreaterThanOrEqual(COMMANDS)
        expect(result.served).toBeGreaterThan(0)
      }
    }, 1_800_000 * Number(process.env.GLASSBOX_RUNS ?? 1))
  })
}
