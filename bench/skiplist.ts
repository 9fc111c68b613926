// Sorted-set timings (run: npx tsx bench/skiplist.ts [--members N] [--repeat N]).
// Printed, never asserted: timings belong in benchmarks, not tests.
//
// 1. The skiplist alone at N members (default 100,000, redis-benchmark's -r keyspace):
//    insert of a new member, updateScore of an existing one to a random score (mostly a
//    move: delete + insert, as zslUpdateScore), getRank, and a 100-node walk from a rank.
// 2. Through the engine (client.call, so parsing, dict lookup, zsetAdd and the reply are
//    in): ZADD myzset <score> element:<n> with redis-benchmark's random 12-digit fields on a
//    zset already holding ~N members (so most ZADDs update a member), and ZRANGE 0 99.
// Each figure is the median of --repeat runs (default 3), in CPU time of this process,
// which a busy machine disturbs less than wall time.
import { Skiplist } from '../engine/structures/skiplist.ts'
import { SeededRandom } from '../engine/server/random.ts'
import { createServer } from '../engine/server/server.ts'
import { SystemClock } from '../engine/node/clock.ts'

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const N = option('--members', 100_000)
const REPEAT = option('--repeat', 3)

const cpuMs = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
/** ops/s of `ops` calls of `op`, in CPU time. */
function rate(ops: number, op: (i: number) => void): number {
  const t = cpuMs()
  for (let i = 0; i < ops; i++) op(i)
  return (ops * 1000) / Math.max(cpuMs() - t, 1e-3)
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
/** redis-benchmark's __rand_int__: a 12-digit zero-padded number below the keyspace. */
const randField = (rnd: SeededRandom): string => String(rnd.u32() % N).padStart(12, '0')

function skiplistRun(): Record<string, number> {
  const zsl = new Skiplist(new SeededRandom(42))
  const rnd = new SeededRandom(7)
  const names: string[] = []
  const score: number[] = []
  for (let i = 0; i < N; i++) {
    names.push('element:' + String(i).padStart(12, '0'))
    score.push(rnd.u32() % N)
    zsl.insert(score[i], names[i])
  }
  const Q = 200_000
  const pick = Array.from({ length: Q }, () => rnd.u32() % N)
  const to = Array.from({ length: Q }, () => rnd.u32() % N)
  const update = rate(Q, (j) => {
    const i = pick[j]
    if (to[j] === score[i]) return
    zsl.updateScore(score[i], names[i], to[j])
    score[i] = to[j]
  })
  const rank = rate(Q, (j) => zsl.getRank(score[pick[j]], names[pick[j]]))
  const fresh = Array.from({ length: 50_000 }, (_, k) => 'fresh:' + k)
  const insert = rate(fresh.length, (j) => zsl.insert(to[j], fresh[j]))
  const del = rate(fresh.length, (j) => zsl.delete(to[j], fresh[j]))
  const walk = rate(20_000, (j) => zsl.collect(zsl.getElementByRank(1 + ((j * 7919) % (N - 100))), 100, false))
  return { 'insert (new member)': insert, 'updateScore (existing)': update, delete: del, getRank: rank, '100-node walk from a rank': walk }
}

function engineRun(): Record<string, number> {
  const server = createServer({ clock: new SystemClock(), config: { save: '' }, random: new SeededRandom(1), hashSeed: 5 })
  const c = server.connect()
  const rnd = new SeededRandom(9)
  const Q = 300_000
  const argv = (): string[] => ['ZADD', 'myzset', randField(rnd), 'element:' + randField(rnd)]
  // Fill until nearly every member of the keyspace is in (redis-benchmark's steady state).
  for (let j = 0; j < 3 * N; j++) c.call(argv())
  const batch = Array.from({ length: Q }, argv)
  const zadd = rate(Q, (j) => c.call(batch[j]))
  const zrange = rate(50_000, () => c.call(['ZRANGE', 'myzset', '0', '99']))
  const zrangeAt = rate(50_000, (j) => c.call(['ZRANGE', 'myzset', String(j), String(j + 99)]))
  return { 'ZADD (redis-benchmark style)': zadd, 'ZRANGE myzset 0 99': zrange, 'ZRANGE myzset j j+99': zrangeAt }
}

function report(title: string, runs: Record<string, number>[]): void {
  console.log(title)
  for (const k of Object.keys(runs[0])) {
    const m = median(runs.map((r) => r[k]))
    console.log(`  ${k.padEnd(30)} ${Math.round(m).toLocaleString('en-US').padStart(10)} ops/s  ${(1e6 / m).toFixed(2).padStart(7)} µs/op`)
  }
}

console.log(`sorted sets at ${N.toLocaleString('en-US')} members, median of ${REPEAT} (CPU time, node ${process.version})`)
report('skiplist:', Array.from({ length: REPEAT }, skiplistRun))
report('engine (client.call):', Array.from({ length: REPEAT }, engineRun))
