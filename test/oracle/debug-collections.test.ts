// DEBUG subcommands that show collection internals, against redis-server
// 7.0.15 in RESP2 and RESP3: DEBUG OBJECT's quicklist fields, DEBUG
// QUICKLIST-PACKED-THRESHOLD (one value for the whole server), DEBUG LISTPACK
// / QUICKLIST (Redis prints to its stdout; the replies are compared), DEBUG
// HTSTATS and HTSTATS-KEY (hash-seed dependent lines masked).
import { it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { replacing, useOracle, type Normaliser } from '../support/oracle.ts'

/** DEBUG OBJECT: the address is a pointer and lru/lru_seconds_idle are clock readings; everything else is compared. */
const debugObject = replacing(
  /Value at:0x[0-9a-f]+ (.*) lru:\d+ lru_seconds_idle:\d+/,
  'Value at:~ $1 lru:~ lru_seconds_idle:~',
  'DEBUG OBJECT prints a pointer and clock readings (masked); encoding, serializedlength and ql_* fields compared',
)

/**
 * dictGetStats: which buckets the keys land in depends on the per-process hash seed, so used slots, chain
 * lengths and their distribution are masked (and with them the text's length); table sizes, entry counts,
 * the tables shown and the layout are compared.
 */
const htstats: Normaliser = Object.assign(
  (raw: string): string =>
    raw
      .replace(/^([$=])\d+\r\n/, '$1~\r\n')
      .replace(/ different slots: \d+\n/g, ' different slots: ~\n')
      .replace(/ max chain length: \d+\n/g, ' max chain length: ~\n')
      .replace(/ avg chain length \((counted|computed)\): [\d.]+\n/g, ' avg chain length ($1): ~\n')
      .replace(/( {3}\d+: \d+ \([\d.]+%\)\n)+/g, '   ~\n'),
  { why: 'chain lengths depend on the random hash seed (masked); sizes and entry counts compared' },
)

/** While rehashing, how entries split between the two tables depends on which buckets the seed filled first. */
const htstatsRehashing: Normaliser = Object.assign(
  (raw: string): string => htstats(raw).replace(/ number of elements: \d+\n/g, ' number of elements: ~\n'),
  { why: 'chain lengths and, mid-rehash, the split of entries between the tables depend on the random hash seed' },
)

for (const resp of [2, 3] as const) {
  describeOracle(`DEBUG on collections (RESP${resp})`, () => {
    const oracle = useOracle({
      resp,
      redisArgs: ['--enable-debug-command', 'yes'],
      engineConfig: { 'enable-debug-command': 'yes' },
    })

    it('DEBUG OBJECT of a list shows the quicklist: nodes, average fill, fill, compression, bytes', async () => {
      const o = oracle()
      await o.run(['FLUSHALL'])
      const cases: Array<[string, string, number, string]> = [
        ['-2', '0', 1, 'a'],
        ['-2', '0', 3, 'abc'],
        ['-2', '0', 2000, 'x'.repeat(20)],
        ['-1', '1', 3000, 'y'.repeat(7)],
        ['-5', '2', 5000, 'z'.repeat(40)],
        ['3', '0', 10, '12345'],
        ['5', '1', 101, '-7'],
        ['1', '3', 40, 'q'.repeat(60)],
        ['128', '0', 1000, '9'],
      ]
      for (const [fill, depth, n, v] of cases) {
        await o.expectSame(['CONFIG', 'SET', 'list-max-listpack-size', fill, 'list-compress-depth', depth])
        const key = `dbg:l:${fill}:${depth}:${n}`
        for (let i = 0; i < n; i += 500) {
          const batch = Array.from({ length: Math.min(500, n - i) }, (_, j) => `${v}${(i + j) % 13}`)
          await o.expectSame(['RPUSH', key, ...batch])
        }
        await o.expectSame(['DEBUG', 'OBJECT', key], debugObject)
        // Popping and trimming changes nodes and sizes; LSET rewrites a node in the middle.
        await o.expectSame(['LPOP', key, String(Math.floor(n / 3))])
        await o.expectSame(['DEBUG', 'OBJECT', key], debugObject)
        if (n > 2) {
          await o.expectSame(['LSET', key, String(Math.floor(n / 3)), 'w'.repeat(100)])
          await o.expectSame(['DEBUG', 'OBJECT', key], debugObject)
        }
      }
      await o.expectSame(['CONFIG', 'SET', 'list-max-listpack-size', '-2', 'list-compress-depth', '0'])
      await o.expectSame(['SET', 'dbg:s', 'x'])
      await o.expectSame(['DEBUG', 'OBJECT', 'dbg:s'], debugObject)
      await o.expectSame(['DEBUG', 'OBJECT', 'dbg:none'])
    })

    it('DEBUG QUICKLIST-PACKED-THRESHOLD: argument checks, plain nodes, applies to every list', async () => {
      const o = oracle()
      await o.run(['FLUSHALL'])
      for (const bad of ['-1', 'abc', '5gb', '4294967296', '4293918721', '1.5', '10 kb', '']) {
        await o.expectSame(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', bad])
      }
      await o.expectSame(['RPUSH', 'dbg:old', 'a', 'b'])
      // 4 GiB - 1 MiB is the largest accepted value.
      await o.expectSame(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '4293918720'])
      await o.expectSame(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '100'])
      // A list created before and one created after: both use the new threshold, as Redis's is one static.
      for (const key of ['dbg:old', 'dbg:new']) {
        await o.expectSame(['RPUSH', key, 'x'.repeat(99), 'y'.repeat(100), 'z', 'w'.repeat(300)])
        await o.expectSame(['DEBUG', 'OBJECT', key], debugObject)
        await o.expectSame(['MEMORY', 'USAGE', key])
        await o.expectSame(['LRANGE', key, '0', '-1'])
        await o.expectSame(['OBJECT', 'ENCODING', key])
        await o.expectSame(['LINSERT', key, 'BEFORE', 'z', 'v'.repeat(150)])
        await o.expectSame(['LSET', key, '0', 'u'.repeat(120)])
        await o.expectSame(['LSET', key, '1', 'short'])
        await o.expectSame(['DEBUG', 'OBJECT', key], debugObject)
        await o.expectSame(['LRANGE', key, '0', '-1'])
        await o.expectSame(['DUMP', key])
      }
      await o.expectSame(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1kb'])
      await o.expectSame(['RPUSH', 'dbg:kb', 'a'.repeat(1023), 'b'.repeat(1024), 'c'])
      await o.expectSame(['DEBUG', 'OBJECT', 'dbg:kb'], debugObject)
      await o.expectSame(['COPY', 'dbg:kb', 'dbg:kb2'])
      await o.expectSame(['RPUSH', 'dbg:kb2', 'd'.repeat(2000)])
      await o.expectSame(['DEBUG', 'OBJECT', 'dbg:kb2'], debugObject)
      // 0 restores 1 GB.
      await o.expectSame(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'])
      await o.expectSame(['RPUSH', 'dbg:kb', 'e'.repeat(5000)])
      await o.expectSame(['DEBUG', 'OBJECT', 'dbg:kb'], debugObject)
      await o.expectSame(['RPUSH', 'dbg:after', 'e'.repeat(5000), 'f'])
      await o.expectSame(['DEBUG', 'OBJECT', 'dbg:after'], debugObject)
      await o.expectSame(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1', '2'])
    })

    it('DEBUG LISTPACK and DEBUG QUICKLIST', async () => {
      const o = oracle()
      await o.run(['FLUSHALL'])
      await o.expectSame(['HSET', 'dbg:h', 'f', 'v'])
      await o.expectSame(['ZADD', 'dbg:z', '1', 'm'])
      await o.expectSame(['RPUSH', 'dbg:l', 'a'])
      await o.expectSame(['SADD', 'dbg:si', '1'])
      await o.expectSame(['SADD', 'dbg:sh', 'x'])
      await o.expectSame(['SET', 'dbg:s', 'x'])
      for (const k of ['dbg:h', 'dbg:z', 'dbg:l', 'dbg:si', 'dbg:sh', 'dbg:s', 'dbg:none']) {
        await o.expectSame(['DEBUG', 'LISTPACK', k])
        await o.expectSame(['DEBUG', 'QUICKLIST', k])
        await o.expectSame(['DEBUG', 'QUICKLIST', k, '1'])
      }
      await o.expectSame(['DEBUG', 'LISTPACK', 'dbg:h', 'x'])
      await o.expectSame(['DEBUG', 'QUICKLIST', 'dbg:l', '1', '2'])
      await o.expectSame(['DEBUG', 'LISTPACK'])
      // An expired key is gone for these lookups.
      await o.expectSame(['PEXPIRE', 'dbg:h', '1'])
      await new Promise((r) => setTimeout(r, 10))
      await o.expectSame(['DEBUG', 'LISTPACK', 'dbg:h'])
    })

    it('DEBUG HTSTATS and HTSTATS-KEY', async () => {
      const o = oracle()
      await o.run(['FLUSHALL'])
      await o.expectSame(['DEBUG', 'HTSTATS', '0'], htstats)
      for (const bad of ['16', '-1', 'x', '1.5', '9223372036854775808']) await o.expectSame(['DEBUG', 'HTSTATS', bad])
      for (let i = 0; i < 3; i++) await o.expectSame(['SET', `dbg:k${i}`, 'v'])
      await o.expectSame(['EXPIRE', 'dbg:k0', '1000'])
      await o.expectSame(['DEBUG', 'HTSTATS', '0'], htstats)
      await o.expectSame(['DEBUG', 'HTSTATS', '1'], htstats)
      await o.expectSame(['HSET', 'dbg:hl', 'f', 'v'])
      await o.expectSame(['DEBUG', 'HTSTATS-KEY', 'dbg:hl'])
      const fields = Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`]).flat()
      await o.expectSame(['HSET', 'dbg:h', ...fields])
      await o.expectSame(['DEBUG', 'HTSTATS-KEY', 'dbg:h'], htstats)
      // Growing the dict from 1024 to 2048 buckets starts a rehash: both tables are shown until it ends.
      await o.expectSame(['HSET', 'dbg:h', ...Array.from({ length: 500 }, (_, i) => [`g${i}`, 'v']).flat()])
      await o.expectSame(['DEBUG', 'HTSTATS-KEY', 'dbg:h'], htstatsRehashing)
      await o.expectSame(['HLEN', 'dbg:h'])
      await o.expectSame(['SADD', 'dbg:si', '1', '2'])
      await o.expectSame(['DEBUG', 'HTSTATS-KEY', 'dbg:si'])
      await o.expectSame(['SADD', 'dbg:sh', 'a', 'b', 'c'])
      await o.expectSame(['DEBUG', 'HTSTATS-KEY', 'dbg:sh'], htstats)
      await o.expectSame(['SREM', 'dbg:sh', 'a', 'b'])
      await o.expectSame(['DEBUG', 'HTSTATS-KEY', 'dbg:sh'], htstats)
      await o.expectSame(['ZADD', 'dbg:zl', '1', 'a'])
      await o.expectSame(['DEBUG', 'HTSTATS-KEY', 'dbg:zl'])
      await o.expectSame(['ZADD', 'dbg:zs', ...Array.from({ length: 200 }, (_, i) => [String(i), `m${i}`]).flat()])
      await o.expectSame(['DEBUG', 'HTSTATS-KEY', 'dbg:zs'], htstats)
      await o.expectSame(['RPUSH', 'dbg:l', 'a'])
      await o.expectSame(['DEBUG', 'HTSTATS-KEY', 'dbg:l'])
      await o.expectSame(['DEBUG', 'HTSTATS-KEY', 'dbg:none'])
      await o.expectSame(['DEBUG', 'HTSTATS-KEY', 'dbg:h', 'x'])
    })
  })
}
