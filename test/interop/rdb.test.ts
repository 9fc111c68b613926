// RDB files both ways between the engine and redis-server 7.0.15: a dataset
// with every type and encoding, expiries and several databases saved by the
// engine passes redis-check-rdb and loads in redis-server identically; a file
// saved by redis-server loads in the engine identically; damaged files are
// refused with the lines redis-server logs; a BGSAVE with writes going on
// saves the data as it was at fork time.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Redis from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { freePort, startRedis, REDIS_SERVER, type RedisProcess } from '../support/redis-server.ts'
import { describeWithTools } from './support.ts'
import { createServer } from '../../engine/server/server.ts'
import { VirtualClock } from '../../engine/server/clock.ts'
import { RdbLoadError, rdbLoadBytes } from '../../engine/persistence/rdb.ts'
import { attachPersistence, loadErrorLines } from '../../engine/persistence/snapshot.ts'
import { MemoryStorage } from '../../engine/persistence/storage.ts'
import { canonical, plain, redisCall, type Call, type Val } from './dataset.ts'

const NOW = Date.now()

/** The same commands on both sides: every type and encoding, expiries, three databases. */
function datasetCommands(): string[][] {
  const cmds: string[][] = []
  const add = (...argv: string[]): void => void cmds.push(argv)
  add('SELECT', '0')
  add('SET', 'str:int', '12345')
  add('SET', 'str:bigint', '-9223372036854775808')
  add('SET', 'str:embstr', 'hello')
  add('SET', 'str:raw', 'r'.repeat(200)) // compressible: LZF
  add('SET', 'str:rawrand', Array.from({ length: 100 }, (_, i) => String.fromCharCode((i * 37) & 255)).join(''))
  add('SET', 'str:empty', '')
  add('SET', '\x00\xffbin\r\nkey', '\x00\x01\x02\xfe')
  add('RPUSH', 'list:small', 'a', '1', '-7', '300000', 'x'.repeat(70))
  for (let i = 0; i < 3000; i++) add('RPUSH', 'list:big', `element-${i}`)
  add('HSET', 'hash:lp', 'f1', 'v1', 'f2', '2', 'n', '-12')
  for (let i = 0; i < 600; i++) add('HSET', 'hash:ht', `field${i}`, `value${i}`)
  add('HSET', 'hash:htlong', 'f', 'v'.repeat(100))
  add('SADD', 'set:intset', '1', '2', '-3', '70000', '5000000000')
  for (let i = 0; i < 600; i++) add('SADD', 'set:bigintset', String(i * 3))
  add('SADD', 'set:ht', 'a', 'b', 'c')
  add('ZADD', 'zset:lp', '1.5', 'm1', '-2', 'm2', '3', 'm3', 'inf', 'top')
  for (let i = 0; i < 200; i++) add('ZADD', 'zset:sl', String(i / 7), `member${i}`)
  add('ZADD', 'zset:sllong', '1', 'm'.repeat(100), '-inf', 'bottom')
  add('SET', 'ttl:ms', 'v')
  add('PEXPIREAT', 'ttl:ms', String(NOW + 3_600_123))
  add('RPUSH', 'ttl:list', 'a')
  add('PEXPIREAT', 'ttl:list', String(NOW + 86_400_000))
  add('SELECT', '5')
  add('SET', 'db5', 'five')
  add('HSET', 'db5:h', 'a', 'b')
  add('PEXPIREAT', 'db5:h', String(NOW + 7_200_000))
  add('SELECT', '15')
  add('SADD', 'db15', 'x')
  add('SELECT', '0')
  return cmds
}

function engine(config: Record<string, string> = {}) {
  const server = createServer({ clock: new VirtualClock(NOW), config: { save: '', 'enable-debug-command': 'yes', ...config } })
  const storage = new MemoryStorage()
  const logs: string[] = []
  attachPersistence(server, { storage, log: (_l, m) => logs.push(m) })
  const c = server.connect()
  const call: Call = async (...argv) => plain(c.call(argv))
  return { server, storage, logs, c, call }
}

async function run(call: Call, cmds: string[][]): Promise<void> {
  for (const c of cmds) await call(...c)
}

/** A redis-server started on dir/file, its answers, and stopped. */
async function loadInRedis(dir: string, file: string): Promise<Record<string, Val>> {
  const proc = await startRedis(['--dir', dir, '--dbfilename', file])
  const r = new Redis({ port: proc.port, host: '127.0.0.1' })
  try {
    return await canonical(redisCall(r))
  } finally {
    r.disconnect()
    await proc.stop()
  }
}

/** redis-server started on an RDB file: the log lines after start-up until it exits (for files it refuses). */
function redisStartupLog(dir: string, file: string, port: number): string[] {
  // A server that loads the file keeps running: it is stopped after 3 s, its log is what matters.
  const r = spawnSync(REDIS_SERVER, ['--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir, '--dbfilename', file], {
    timeout: 3_000,
    encoding: 'latin1',
  })
  return (r.stdout + r.stderr)
    .split('\n')
    .map((l) => /^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ [.\-*#] (.*)$/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined)
}

describeWithTools('RDB interop with redis-server 7.0.15', ['redis-server', 'redis-check-rdb'], (tools) => {
  let redis: RedisProcess
  let client: Redis
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'glassbox-rdb-'))
    redis = await startRedis(['--dir', dir, '--dbfilename', 'redis.rdb'])
    client = new Redis({ port: redis.port, host: '127.0.0.1', lazyConnect: false })
  }, 30_000)

  afterAll(async () => {
    client?.disconnect()
    await redis?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('an RDB saved by the engine passes redis-check-rdb and loads in redis-server identically', async () => {
    const e = engine()
    await run(e.call, datasetCommands())
    expect(await e.call('SAVE')).toBe('OK')
    const file = e.storage.read('dump.rdb')!
    writeFileSync(path.join(dir, 'engine.rdb'), file)
    const check = spawnSync(tools['redis-check-rdb'], [path.join(dir, 'engine.rdb')], { encoding: 'latin1' })
    expect(check.stdout).toContain('\\o/ RDB looks OK! \\o/')
    expect(check.stdout).toContain('Checksum OK')
    expect(check.status).toBe(0)
    // Load it in a redis-server started with --dir and --dbfilename pointing at it.
    const theirs = await loadInRedis(dir, 'engine.rdb')
    const ours = await canonical(e.call)
    expect(Object.keys(theirs).length).toBeGreaterThan(20)
    expect(theirs).toEqual(ours)
  }, 60_000)

  it('the engine file also loads at redis-server start-up with its log lines', async () => {
    const lines = redisStartupLog(dir, 'engine.rdb', await freePort())
    expect(lines).toContain('Loading RDB produced by version 7.0.15')
    expect(lines.some((l) => /^Done loading RDB, keys loaded: \d+, keys expired: 0\.$/.test(l))).toBe(true)
  })

  it('an RDB saved by redis-server loads in the engine identically, with the same log lines', async () => {
    const call = redisCall(client)
    await call('FLUSHALL')
    await run(call, datasetCommands())
    expect(await call('SAVE')).toBe('OK')
    const file = new Uint8Array(readFileSync(path.join(dir, 'redis.rdb')))
    const e = engine()
    const logs: string[] = []
    const res = rdbLoadBytes(e.server, file, { log: (_l, m) => logs.push(m) })
    expect(await canonical(e.call)).toEqual(await canonical(call))
    expect(logs[0]).toBe('Loading RDB produced by version 7.0.15')
    expect(logs.at(-1)).toBe(`Done loading RDB, keys loaded: ${res.keysLoaded}, keys expired: 0.`)
    // And the engine writes back a file redis-server reads the same.
    const again = engine()
    rdbLoadBytes(again.server, file)
    expect(await again.call('SAVE')).toBe('OK')
    const reload = engine()
    rdbLoadBytes(reload.server, again.storage.read('dump.rdb')!)
    expect(await canonical(reload.call)).toEqual(await canonical(call))
  }, 60_000)

  it('refuses truncated, bit-flipped, bad-magic and newer-version files with the lines redis-server logs', async () => {
    const call = redisCall(client)
    await call('FLUSHALL')
    await call('SET', 'b', 'hello')
    await call('RPUSH', 'l', 'a', 'b')
    expect(await call('SAVE')).toBe('OK')
    const good = new Uint8Array(readFileSync(path.join(dir, 'redis.rdb')))
    const variants: Record<string, Uint8Array> = {}
    variants.truncated = good.slice(0, good.length - 20)
    variants.header = good.slice(0, 5)
    const flipped = good.slice()
    flipped[Buffer.from(good).indexOf('hello') + 1] ^= 0x04
    variants.flipped = flipped
    const magic = good.slice()
    magic[2] = 0x58
    variants.magic = magic
    const version = good.slice()
    version[8] = 0x31 // REDIS0011
    variants.version = version
    for (const [name, data] of Object.entries(variants)) {
      writeFileSync(path.join(dir, `${name}.rdb`), data)
      const theirs = redisStartupLog(dir, `${name}.rdb`, await freePort())
      let err: RdbLoadError | undefined
      try {
        rdbLoadBytes(engine().server, data)
      } catch (e) {
        if (e instanceof RdbLoadError) err = e
        else throw e
      }
      expect(err, name).toBeDefined()
      const ours = loadErrorLines(err!)
      // Every line we print, redis-server printed, in the same order.
      const at = theirs.indexOf(ours[0])
      expect(at, `${name}: ${JSON.stringify(theirs)}`).toBeGreaterThanOrEqual(0)
      expect(theirs.slice(at, at + ours.length), name).toEqual(ours)
    }
  }, 60_000)

  it('BGSAVE with rdb-key-save-delay while writing saves the fork-time data and counts copy-on-write', async () => {
    const e = engine({ 'rdb-key-save-delay': '100' })
    await run(e.call, datasetCommands())
    for (let i = 0; i < 500; i++) await e.call('SET', `k${i}`, `v${i}`)
    const atFork = await canonical(e.call)
    const clock = e.server.clock as VirtualClock
    expect(await e.call('BGSAVE')).toBe('Background saving started')
    let writes = 0
    while (((await e.call('INFO', 'persistence')) as string).includes('rdb_bgsave_in_progress:1')) {
      clock.advance(2)
      e.server.cron()
      await e.call('APPEND', `k${writes % 500}`, '+')
      await e.call('RPUSH', 'list:big', 'more')
      await e.call('HSET', 'hash:ht', `new${writes}`, 'x')
      await e.call('DEL', `k${(writes * 7) % 500}`)
      writes++
    }
    const info = (await e.call('INFO', 'persistence')) as string
    expect(info).toContain('rdb_last_bgsave_status:ok')
    const cow = Number(/rdb_last_cow_size:(\d+)/.exec(info)![1])
    expect(cow).toBeGreaterThan(0)
    expect(cow % 4096).toBe(0)
    expect(writes).toBeGreaterThan(10)
    // The file holds the fork-time data: in the engine and in redis-server.
    const file = e.storage.read('dump.rdb')!
    const check = engine()
    rdbLoadBytes(check.server, file)
    expect(await canonical(check.call)).toEqual(atFork)
    writeFileSync(path.join(dir, 'bgsave.rdb'), file)
    expect(await loadInRedis(dir, 'bgsave.rdb')).toEqual(atFork)
  }, 120_000)
})

