// `npm run bench`: Glassbox against its peers, measured side by side in one run.
//
// 1. redis-benchmark (SET, GET, INCR; -P 1 and -P 16; the same -c, -n and -r)
//    against a redis-server 7.0.15 and a glassbox-server this script starts.
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
//          --profile, --no-network, --no-inprocess

import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import RedisMock from 'ioredis-mock'
import { createServer } from '../engine/server/server.ts'
import { SystemClock } from '../engine/node/clock.ts'
import { startGlassbox } from '../engine/node/test-helpers.ts'
import { startRedis } from '../test/support/redis-server.ts'
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
const TESTS = ['SET', 'GET', 'INCR'] as const
const PIPELINES = [1, 16] as const
const REDIS_BENCHMARK = process.env.GLASSBOX_REDIS_BENCHMARK ?? '/usr/bin/redis-benchmark'

type Test = (typeof TESTS)[number]

/** redis-benchmark --csv: requests per second by test name. */
async function redisBenchmark(port: number, pipeline: number, requests = REQUESTS): Promise<Record<Test, number>> {
  const args = ['-p', String(port), '-t', TESTS.join(',').toLowerCase(), '-n', String(requests), '-c', String(CLIENTS), '-P', String(pipeline), '-r', String(KEYSPACE), '--csv']
  const { stdout } = await run(REDIS_BENCHMARK, args, { maxBuffer: 1 << 20 })
  const out = {} as Record<Test, number>
  for (const line of stdout.trim().split('\n').slice(1)) {
    const [name, rps] = JSON.parse(`[${line}]`) as [string, string]
    out[name as Test] = Number(rps)
  }
  for (const t of TESTS) if (!(out[t] > 0)) throw new Error(`redis-benchmark gave no ${t} result:\n${stdout}`)
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
    console.log(`${'test'.padEnd(6)} ${'pipeline'.padEnd(8)} ${'redis'.padStart(11)} ${'glassbox'.padStart(11)}  glassbox/redis`)
    for (const [t, p, r, g] of rows) console.log(`${t.padEnd(6)} ${p.padEnd(8)} ${fmt(r)} ${fmt(g)}  ${ratio(g, r)}`)
    for (const p of PIPELINES) {
      const sel = rows.filter((row) => row[1] === `-P ${p}`)
      const geo = Math.exp(sel.reduce((s, [, , r, g]) => s + Math.log(g / r), 0) / sel.length)
      console.log(`geometric mean -P ${p}: ${geo.toFixed(2)}x`)
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
  const engineOps: Record<Test, (i: number) => unknown> = {
    SET: (i) => client.call(['SET', keys[i % KEYSPACE], value]),
    GET: (i) => client.call(['GET', keys[i % KEYSPACE]]),
    INCR: (i) => client.call(['INCR', `counter:${i % 1000}`]),
  }
  const mockOps: Record<Test, (i: number) => Promise<unknown>> = {
    SET: (i) => mock.set(keys[i % KEYSPACE], value),
    GET: (i) => mock.get(keys[i % KEYSPACE]),
    INCR: (i) => mock.incr(`counter:${i % 1000}`),
  }
  console.log(`${'test'.padEnd(6)} ${'engine'.padStart(11)} ${'ioredis-mock'.padStart(12)}  engine/ioredis-mock`)
  for (const t of TESTS) {
    const e = measureSync(n, engineOps[t])
    const m = await measure(Math.min(n, 100_000), mockOps[t])
    console.log(`${t.padEnd(6)} ${fmt(e)} ${fmt(m).padStart(12)}  ${ratio(e, m)}`)
  }
  mock.disconnect()
}

async function profile(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'glassbox-prof-'))
  console.log(`\nprofile: glassbox-server under node --cpu-prof, redis-benchmark -P 16 (${dir})`)
  try {
    const gb = await startGlassbox([], { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] })
    const r = await redisBenchmark(gb.port, 16, REQUESTS * 2)
    console.log(`  -P 16: ${TESTS.map((t) => `${t} ${Math.round(r[t])}`).join(', ')}`)
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
