// Benchmark: AOF rewrite and load of 1,000,000 small keys (DEBUG POPULATE:
// "key:N" -> "value:N") in the engine against redis-server 7.0.15 on this
// machine, with and without the RDB preamble: BGREWRITEAOF until it finished,
// then DEBUG LOADAOF (empty the dataset, load the base and incr files), plus
// the base file's size. Run: npx tsx bench/aof.ts [keys]. Prints ratios
// measured in this run; not a timed test.

import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createServer } from '../engine/server/server.ts'
import { SystemClock } from '../engine/node/clock.ts'
import { NodeStorage } from '../engine/node/main.ts'
import { attachPersistence, persistence } from '../engine/persistence/snapshot.ts'
import { aofStartup } from '../engine/persistence/aof.ts'
import { startRedis } from '../test/support/redis-process.ts'
import { connectRaw } from '../test/support/resp-conn.ts'

const N = Number(process.argv[2] ?? 1_000_000)
const root = mkdtempSync(path.join(os.tmpdir(), 'glassbox-bench-aof-'))

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6
const fmt = (x: number): string => x.toFixed(1).padStart(9)
const sleep = (t: number): Promise<void> => new Promise((r) => setTimeout(r, t))

function baseSize(dir: string): number {
  const d = path.join(dir, 'appendonlydir')
  const base = readdirSync(d).find((n) => n.includes('.base.'))!
  return statSync(path.join(d, base)).size
}

interface Result {
  rewrite: number
  load: number
  size: number
}

async function redisSide(preamble: string): Promise<Result> {
  const dir = mkdtempSync(path.join(root, 'redis-'))
  const proc = await startRedis(['--appendonly', 'yes', '--aof-use-rdb-preamble', preamble, '--dir', dir, '--enable-debug-command', 'yes'])
  const conn = await connectRaw(proc.port)
  const redisCommand = (argv: string[]): Promise<string> => conn.call(argv, 600_000)
  try {
    await redisCommand(['DEBUG', 'POPULATE', String(N)])
    let t = process.hrtime.bigint()
    await redisCommand(['BGREWRITEAOF'])
    while ((await redisCommand(['INFO', 'persistence'])).includes('aof_rewrite_in_progress:1')) await sleep(5)
    const rewrite = ms(t)
    t = process.hrtime.bigint()
    await redisCommand(['DEBUG', 'LOADAOF'])
    const load = ms(t)
    return { rewrite, load, size: baseSize(dir) }
  } finally {
    await conn.close()
    await proc.stop()
  }
}

function engineSide(preamble: string): Result {
  const dir = mkdtempSync(path.join(root, 'engine-'))
  const clock = new SystemClock()
  const server = createServer({ clock, config: { save: '', appendonly: 'yes', 'aof-use-rdb-preamble': preamble, 'enable-debug-command': 'yes', dir } })
  attachPersistence(server, { storage: new NodeStorage(() => dir), pid: process.pid })
  if (!aofStartup(server)) throw new Error('AOF start-up failed')
  const c = server.connect()
  c.call(['DEBUG', 'POPULATE', String(N)])
  let t = process.hrtime.bigint()
  c.call(['BGREWRITEAOF'])
  // The simulated child works from the cron; run it back to back (no other clients here).
  while (persistence(server).child) server.cron()
  const rewrite = ms(t)
  t = process.hrtime.bigint()
  if (c.call(['DEBUG', 'LOADAOF'])?.kind !== 'status') throw new Error('DEBUG LOADAOF failed')
  const load = ms(t)
  if (server.dbs[0].size !== N) throw new Error(`loaded ${server.dbs[0].size} keys`)
  return { rewrite, load, size: baseSize(dir) }
}

async function main(): Promise<void> {
  console.log(`AOF benchmark, ${N} keys (DEBUG POPULATE), files under ${root}`)
  console.log('                                  redis-server     engine   engine/redis')
  for (const preamble of ['yes', 'no']) {
    const r = await redisSide(preamble)
    const e = engineSide(preamble)
    const p = `preamble ${preamble.padEnd(3)}`
    console.log(`${p} BGREWRITEAOF (ms)       ${fmt(r.rewrite)}  ${fmt(e.rewrite)}   ${(e.rewrite / r.rewrite).toFixed(2)}x`)
    console.log(`${p} DEBUG LOADAOF (ms)      ${fmt(r.load)}  ${fmt(e.load)}   ${(e.load / r.load).toFixed(2)}x`)
    console.log(`${p} base size (bytes)       ${String(r.size).padStart(9)}  ${String(e.size).padStart(9)}   ${(e.size / r.size).toFixed(4)}x`)
  }
  rmSync(root, { recursive: true, force: true })
}

void main()
