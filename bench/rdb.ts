// Benchmark: RDB SAVE and load of 1,000,000 small keys (DEBUG POPULATE: "key:N"
// -> "value:N") in the engine against redis-server 7.0.15 on this machine:
// SAVE, DEBUG RELOAD (save + flush + load) and load alone, plus the file size.
// Run: npx tsx bench/rdb.ts [keys]. Prints ratios measured in this run; not a
// timed test.

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createServer } from '../engine/server/server.ts'
import { SystemClock } from '../engine/node/clock.ts'
import { FileStorage } from '../engine/node/file-storage.ts'
import { attachPersistence } from '../engine/persistence/snapshot.ts'
import { rdbLoadBytes } from '../engine/persistence/rdb.ts'
import { startRedis } from '../test/support/redis-process.ts'
import { connectRaw } from '../test/support/resp-conn.ts'

const N = Number(process.argv[2] ?? 1_000_000)
const dir = mkdtempSync(path.join(os.tmpdir(), 'glassbox-bench-rdb-'))

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6
const fmt = (x: number): string => x.toFixed(1).padStart(9)

async function redisSide(): Promise<{ save: number; reload: number; size: number }> {
  const proc = await startRedis(['--dir', dir, '--dbfilename', 'redis.rdb', '--enable-debug-command', 'yes'])
  const conn = await connectRaw(proc.port)
  const redisCommand = (argv: string[]): Promise<string> => conn.call(argv, 600_000)
  try {
    await redisCommand(['DEBUG', 'POPULATE', String(N)])
    let t = process.hrtime.bigint()
    await redisCommand(['SAVE'])
    const save = ms(t)
    t = process.hrtime.bigint()
    await redisCommand(['DEBUG', 'RELOAD'])
    const reload = ms(t)
    return { save, reload, size: statSync(path.join(dir, 'redis.rdb')).size }
  } finally {
    await conn.close()
    await proc.stop()
  }
}

function engineSide(): { save: number; reload: number; load: number; size: number } {
  const server = createServer({ clock: new SystemClock(), config: { save: '', 'enable-debug-command': 'yes', dbfilename: 'engine.rdb' } })
  attachPersistence(server, { storage: new FileStorage(() => dir), pid: process.pid })
  const c = server.connect()
  c.call(['DEBUG', 'POPULATE', String(N)])
  let t = process.hrtime.bigint()
  if (c.call(['SAVE'])?.kind !== 'status') throw new Error('SAVE failed')
  const save = ms(t)
  t = process.hrtime.bigint()
  if (c.call(['DEBUG', 'RELOAD'])?.kind !== 'status') throw new Error('DEBUG RELOAD failed')
  const reload = ms(t)
  // Load alone, into a fresh server.
  const data = new Uint8Array(readFileSync(path.join(dir, 'engine.rdb')))
  const fresh = createServer({ clock: new SystemClock(), config: { save: '' } })
  t = process.hrtime.bigint()
  rdbLoadBytes(fresh, data)
  const load = ms(t)
  if (fresh.dbs[0].size !== N) throw new Error(`loaded ${fresh.dbs[0].size} keys`)
  return { save, reload, load, size: data.length }
}

async function main(): Promise<void> {
  console.log(`RDB benchmark, ${N} keys (DEBUG POPULATE), files in ${dir}`)
  const r = await redisSide()
  const e = engineSide()
  console.log('                      redis-server     engine   engine/redis')
  console.log(`SAVE (ms)            ${fmt(r.save)}  ${fmt(e.save)}   ${(e.save / r.save).toFixed(2)}x`)
  console.log(`DEBUG RELOAD (ms)    ${fmt(r.reload)}  ${fmt(e.reload)}   ${(e.reload / r.reload).toFixed(2)}x`)
  console.log(`load only (ms)       ${'-'.padStart(9)}  ${fmt(e.load)}`)
  console.log(`RDB size (bytes)     ${String(r.size).padStart(9)}  ${String(e.size).padStart(9)}   ${(e.size / r.size).toFixed(4)}x`)
  rmSync(dir, { recursive: true, force: true })
}

void main()
