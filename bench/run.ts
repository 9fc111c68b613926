// `npm run bench`: Glassbox against its peers, measured side by side in one run.
//
// 1. redis-benchmark (SET, GET, INCR, and the collections: LPUSH, LRANGE_100,
//    HSET, SADD, ZADD, plus `ZRANGE myzset 0 99` as a custom command since
//    redis-benchmark 7.0 has no zrange test; -P 1 and -P 16; the same -c, -n
//    and -r) against a redis-server 7.0.15 and a glassbox-server this script starts.
// 2. In-process: the engine's client.call() against ioredis-mock on the same
//    commands (both without any network).
// 3. With --profile: glassbox-server under `node --cpu-prof` while
//    redis-benchmark -P 16 runs, and its hottest functions and files.
//
// Prints ratios (glassbox / redis, engine / ioredis-mock). No thresholds: the
// numbers depend on the machine, and redis-benchmark shares its CPUs.
//
// Options: --requests N (-n, default 200000), --clients N (-c, default 50),
//          --keyspace N (-r, default 100000), --quick (-n 20000),
//          --repeat N (best of N runs per side, default 1: on a busy machine use 3),
//          --profile [--profile-tests lpush,zrange], --no-network, --no-inprocess,
//          --members N (distinct members of the in-process hash/set/zset, default 1000),
//          --mock-calls N (ioredis-mock's calls per collection test, default 5000)

import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import RedisMock from 'ioredis-mock'
import { createServer } from '../engine/server/server.ts'
import { SystemClock } from '../engine/node/clock.ts'
import { startGlassbox } from '../engine/node/test-helpers.ts'
import { startRedis } from '../test/support/redis-process.ts'
import { summariseProfile } from './profile.ts'

const run = promisify(execFile)

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const flag = (name: string): boolean => process.argv.includes(name)

const QUICK = flag('--quick')
const REQUESTS = option('--requests', QUICK ? 20_000 : 200_000)
const CLIENTS = option('--clients', 50)
const KEYSPACE = option('--keyspace', 100_000)
const REPEAT = Math.max(1, option('--repeat', 1))
const STRING_TESTS = ['SET', 'GET', 'INCR'] as const
// redis-benchmark's own names (its LRANGE_100 first fills `mylist` with a LPUSH run it reports separately).
const COLLECTION_TESTS = ['LPUSH', 'LRANGE_100', 'HSET', 'SADD', 'ZADD'] as const
// No built-in zrange test in 7.0: a custom command on the zset the ZADD test has just filled.
const ZRANGE_ARGV = ['ZRANGE', 'myzset', '0', '99'] as const
const TESTS = [...STRING_TESTS, ...COLLECTION_TESTS, 'ZRANGE'] as const
const PIPELINES = [1, 16] as const
const REDIS_BENCHMARK = process.env.GLASSBOX_REDIS_BENCHMARK ?? '/usr/bin/redis-benchmark'

type Test = (typeof TESTS)[number]

/** One redis-benchmark --csv run: requests per second by test name (first word of redis-benchmark's name, upper case). */
async function benchmarkCsv(port: number, pipeline: number, requests: number, what: readonly string[]): Promise<Record<string, number>> {
  const args = ['-p', String(port), '-n', String(requests), '-c', String(CLIENTS), '-P', String(pipeline), '-r', String(KEYSPACE), '--csv', ...what]
  const { stdout } = await run(REDIS_BENCHMARK, args, { maxBuffer: 1 << 20 })
  const out: Record<string, number> = {}
  for (const line of stdout.trim().split('\n').slice(1)) {
    const [name, rps] = JSON.parse(`[${line}]`) as [string, string]
    if (name.includes('(needed to benchmark')) continue
    out[name.split(' ')[0].toUpperCase()] = Number(rps)
  }
  return out
}

/** redis-benchmark over every test: the built-in ones in one run, then the custom ZRANGE. */
async function redisBenchmark(port: number, pipeline: number, requests = REQUESTS, tests: readonly Test[] = TESTS): Promise<Record<Test, number>> {
  const builtIn = tests.filter((t) => t !== 'ZRANGE')
  const out = (await benchmarkCsv(port, pipeline, requests, ['-t', builtIn.join(',').toLowerCase()])) as Record<Test, number>
  if (tests.includes('ZRANGE')) out.ZRANGE = (await benchmarkCsv(port, pipeline, requests, ZRANGE_ARGV)).ZRANGE
  for (const t of tests) if (!(out[t] > 0)) throw new Error(`redis-benchmark gave no ${t} result: ${JSON.stringify(out)}`)
  return out
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(11)
const ratio = (a: number, b: number): string => (a / b).toFixed(2).padStart(6) + 'x'

async function network(): Promise<void> {
  console.log(`\nredis-benchmark -c ${CLIENTS} -n ${REQUESTS} -r ${KEYSPACE} (requests/s, best of ${REPEAT}; each server started by this run)`)
  const [redis, glassbox] = await Promise.all([startRedis(), startGlassbox()])
  try {
    const rows: Array<[string, string, number, number]> = []
    const best = (a: Record<Test, number> | undefined, b: Record<Test, number>): Record<Test, number> =>
      a === undefined ? b : (Object.fromEntries(TESTS.map((t) => [t, Math.max(a[t], b[t])])) as Record<Test, number>)
    for (const p of PIPELINES) {
      let r: Record<Test, number> | undefined
      let g: Record<Test, number> | undefined
      // Alternate the servers, so a slow phase of the machine does not land on one side only.
      for (let i = 0; i < REPEAT; i++) {
        r = best(r, await redisBenchmark(redis.port, p))
        g = best(g, await redisBenchmark(glassbox.port, p))
      }
      for (const t of TESTS) rows.push([t, `-P ${p}`, r![t], g![t]])
    }
    console.log(`${'test'.padEnd(10)} ${'pipeline'.padEnd(8)} ${'redis'.padStart(11)} ${'glassbox'.padStart(11)}  glassbox/redis`)
    for (const [t, p, r, g] of rows) console.log(`${t.padEnd(10)} ${p.padEnd(8)} ${fmt(r)} ${fmt(g)}  ${ratio(g, r)}`)
    for (const p of PIPELINES) {
      for (const [label, group] of [['strings', STRING_TESTS], ['collections', [...COLLECTION_TESTS, 'ZRANGE']]] as const) {
        const sel = rows.filter((row) => row[1] === `-P ${p}` && (group as readonly string[]).includes(row[0]))
        const geo = Math.exp(sel.reduce((s, [, , r, g]) => s + Math.log(g / r), 0) / sel.length)
        console.log(`geometric mean -P ${p} ${label}: ${geo.toFixed(2)}x`)
      }
    }
  } finally {
    await Promise.all([redis.stop(), glassbox.stop()])
  }
}

/** ops/s of `op` run `n` times after a warm-up. */
async function measure(n: number, op: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(n, 20_000); i++) await op(i)
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await op(i)
  return (n * 1000) / (performance.now() - t0)
}

/** The same, for a synchronous op (no await per call). */
function measureSync(n: number, op: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(n, 50_000); i++) op(i)
  const t0 = performance.now()
  for (let i = 0; i < n; i++) op(i)
  return (n * 1000) / (performance.now() - t0)
}

async function inProcess(): Promise<void> {
  const n = QUICK ? 50_000 : 300_000
  console.log(`\nin-process, ${n} calls each, keys key:0..key:${KEYSPACE - 1} (ops/s)`)
  const server = createServer({ clock: new SystemClock(), config: { save: '' } })
  const client = server.connect()
  const mock = new RedisMock()
  const keys = Array.from({ length: KEYSPACE }, (_, i) => `key:${i}`)
  const value = 'xxx'
  // The collections as redis-benchmark drives them (one key each; LRANGE_100 reads the list LPUSH built, ZRANGE
  // the zset ZADD built; tests run in this order), but with members element:0..element:<MEMBERS-1>: ioredis-mock
  // copies a whole hash/set/zset on every write (its HSET falls to ~400/s at 1,000 fields), so a big collection
  // would only measure that. Its collection tests get MOCK_CALLS calls; its ZRANGE throws inside ioredis 6's reply
  // transformer, so that row has no peer.
  const members = Array.from({ length: MEMBERS }, (_, i) => `element:${i}`)
  const scores = Array.from({ length: MEMBERS }, (_, i) => String((i * 7919) % MEMBERS))
  const engineOps: Record<Test, (i: number) => unknown> = {
    SET: (i) => client.call(['SET', keys[i % KEYSPACE], value]),
    GET: (i) => client.call(['GET', keys[i % KEYSPACE]]),
    INCR: (i) => client.call(['INCR', `counter:${i % 1000}`]),
    LPUSH: () => client.call(['LPUSH', 'mylist', value]),
    LRANGE_100: () => client.call(['LRANGE', 'mylist', '0', '99']),
    HSET: (i) => client.call(['HSET', 'myhash', members[i % MEMBERS], value]),
    SADD: (i) => client.call(['SADD', 'myset', members[i % MEMBERS]]),
    ZADD: (i) => client.call(['ZADD', 'myzset', scores[i % MEMBERS], members[i % MEMBERS]]),
    ZRANGE: () => client.call(['ZRANGE', 'myzset', '0', '99']),
  }
  const mockOps: Partial<Record<Test, (i: number) => Promise<unknown>>> = {
    SET: (i) => mock.set(keys[i % KEYSPACE], value),
    GET: (i) => mock.get(keys[i % KEYSPACE]),
    INCR: (i) => mock.incr(`counter:${i % 1000}`),
    LPUSH: () => mock.lpush('mylist', value),
    LRANGE_100: () => mock.lrange('mylist', 0, 99),
    HSET: (i) => mock.hset('myhash', members[i % MEMBERS], value),
    SADD: (i) => mock.sadd('myset', members[i % MEMBERS]),
    ZADD: (i) => mock.zadd('myzset', scores[i % MEMBERS], members[i % MEMBERS]),
  }
  console.log(`collections: ${MEMBERS} distinct members per hash/set/zset; ioredis-mock gets ${MOCK_CALLS} calls (and as many warm-up calls) per collection test`)
  console.log(`${'test'.padEnd(10)} ${'engine'.padStart(11)} ${'ioredis-mock'.padStart(12)}  engine/ioredis-mock`)
  for (const t of TESTS) {
    const e = measureSync(n, engineOps[t])
    const mockOp = mockOps[t]
    if (mockOp === undefined) {
      console.log(`${t.padEnd(10)} ${fmt(e)} ${'n/a'.padStart(12)}       -`)
      continue
    }
    const calls = (STRING_TESTS as readonly string[]).includes(t) ? Math.min(n, 100_000) : MOCK_CALLS
    const m = await measure(calls, mockOp)
    console.log(`${t.padEnd(10)} ${fmt(e)} ${fmt(m).padStart(12)}  ${ratio(e, m)}`)
  }
  mock.disconnect()
}

const MEMBERS = option('--members', 1000)
const MOCK_CALLS = option('--mock-calls', 5000)
// --profile-tests lpush,zrange: profile only these (default: every test).
const PROFILE_TESTS: readonly Test[] = (() => {
  const i = process.argv.indexOf('--profile-tests')
  if (i < 0) return TESTS
  const want = process.argv[i + 1].toUpperCase().split(',')
  const bad = want.filter((t) => !(TESTS as readonly string[]).includes(t))
  if (bad.length > 0) throw new Error(`unknown test(s) ${bad.join(', ')}; known: ${TESTS.join(', ')}`)
  return want as Test[]
})()

async function profile(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'glassbox-prof-'))
  console.log(`\nprofile: glassbox-server under node --cpu-prof, redis-benchmark -P 16 (${dir})`)
  try {
    const gb = await startGlassbox([], { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] })
    const r = await redisBenchmark(gb.port, 16, REQUESTS * 2, PROFILE_TESTS)
    console.log(`  -P 16: ${PROFILE_TESTS.map((t) => `${t} ${Math.round(r[t])}`).join(', ')}`)
    await gb.stop()
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    if (!file) throw new Error('no .cpuprofile written')
    const s = summariseProfile(path.join(dir, file), 30)
    console.log(`  ${s.totalMs.toFixed(0)} ms sampled, ${s.idlePercent.toFixed(1)}% idle (waiting for I/O)`)
    console.log('  self time by function:')
    for (const h of s.byFunction) console.log(`  ${h.percent.toFixed(1).padStart(5)}%  ${h.name}`)
    console.log('  self time by file:')
    for (const h of s.byFile.slice(0, 20)) console.log(`  ${h.percent.toFixed(1).padStart(5)}%  ${h.name}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

console.log(`Glassbox benchmark (${os.cpus().length} CPUs, node ${process.version}); ratios only mean something within this run`)
if (!flag('--no-network')) await network()
if (!flag('--no-inprocess')) await inProcess()
if (flag('--profile')) await profile()
