// Multi-part AOF directories both ways between the engine and redis-server
// 7.0.15: written by the engine (AOF on, a BGREWRITEAOF, more writes after
// it), they pass redis-check-aof and load in redis-server identically, key by
// key (DUMP for the compact encodings); written by redis-server (with and
// without the RDB preamble, a rewrite in between), they load in the engine
// identically; truncated and bit-flipped files are refused or truncated with
// the lines redis-server logs.

import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Redis from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { freePort, startRedis, REDIS_SERVER } from '../support/redis-server.ts'
import { describeWithTools } from './support.ts'
import { createServer, type Server } from '../../engine/server/server.ts'
import { VirtualClock } from '../../engine/server/clock.ts'
import { attachPersistence, persistence } from '../../engine/persistence/snapshot.ts'
import { MemoryStorage } from '../../engine/persistence/storage.ts'
import { aofStartup } from '../../engine/persistence/aof.ts'
import { canonical, plain, redisCall, type Call, type Val } from './dataset.ts'

const NOW = Date.now()

/** Every type and encoding, expiries, three databases. */
function datasetCommands(): string[][] {
  const cmds: string[][] = []
  const add = (...argv: string[]): void => void cmds.push(argv)
  add('SELECT', '0')
  add('SET', 'str:int', '12345')
  add('SET', 'str:bigint', '-9223372036854775808')
  add('SET', 'str:embstr', 'hello')
  add('SET', 'str:raw', 'r'.repeat(200))
  add('SET', 'str:empty', '')
  add('SET', '\x00\xffbin\r\nkey', '\x00\x01\x02\xfe\r\n')
  add('RPUSH', 'list:small', 'a', '1', '-7', '300000', 'x'.repeat(70))
  for (let i = 0; i < 1500; i++) add('RPUSH', 'list:big', `element-${i}`)
  add('HSET', 'hash:lp', 'f1', 'v1', 'f2', '2', 'n', '-12')
  for (let i = 0; i < 600; i++) add('HSET', 'hash:ht', `field${i}`, `value${i}`)
  add('SADD', 'set:intset', '1', '2', '-3', '70000', '5000000000')
  for (let i = 0; i < 600; i++) add('SADD', 'set:bigintset', String(i * 3))
  add('SADD', 'set:ht', 'a', 'b', 'c')
  add('ZADD', 'zset:lp', '1.5', 'm1', '-2', 'm2', '3', 'm3', 'inf', 'top', '0.1', 'tenth')
  for (let i = 0; i < 200; i++) add('ZADD', 'zset:sl', String(i / 7), `member${i}`)
  add('SET', 'ttl:ms', 'v')
  add('PEXPIREAT', 'ttl:ms', String(NOW + 3_600_123))
  add('RPUSH', 'ttl:list', 'a')
  add('EXPIRE', 'ttl:list', '86400')
  add('SET', 'ttl:px', 'v', 'PX', '5000000')
  add('INCRBYFLOAT', 'float', '1.5')
  add('SELECT', '5')
  add('SET', 'db5', 'five')
  add('HSET', 'db5:h', 'a', 'b')
  add('PEXPIREAT', 'db5:h', String(NOW + 7_200_000))
  add('SELECT', '15')
  add('SADD', 'db15', 'x')
  add('SELECT', '0')
  return cmds
}

/** Writes after the rewrite, so the incr file matters. */
function moreCommands(): string[][] {
  return [
    ['SELECT', '0'],
    ['SET', 'after', 'rewrite'],
    ['LPUSH', 'list:big', 'head'],
    ['HDEL', 'hash:ht', 'field1'],
    ['ZINCRBY', 'zset:sl', '2.5', 'member3'],
    ['SREM', 'set:intset', '2'],
    ['MULTI'],
    ['INCR', 'str:int'],
    ['APPEND', 'str:embstr', ' world'],
    ['EXEC'],
    ['DEL', 'str:empty'],
    ['SELECT', '5'],
    ['SET', 'db5:after', '1'],
    ['SELECT', '0'],
  ]
}

/**
 * A multi-part AOF written by redis-server in `dir`: the dataset from an empty
 * start (base and incr seq 1), a BGREWRITEAOF (seq 2), then more writes into
 * the new incr file. Returns the data as redis-server read it back.
 */
async function redisWrittenAof(dir: string, preamble: string): Promise<Record<string, Val>> {
  const proc = await startRedis(['--appendonly', 'yes', '--aof-use-rdb-preamble', preamble, '--dir', dir])
  const r = new Redis({ port: proc.port, host: '127.0.0.1' })
  try {
    const call = redisCall(r)
    for (const c of datasetCommands()) await call(...c)
    expect(await call('BGREWRITEAOF')).toBe('Background append only file rewriting started')
    for (let i = 0; i < 100 && String(await call('INFO', 'persistence')).includes('aof_rewrite_in_progress:1'); i++) await new Promise((res) => setTimeout(res, 50))
    for (const c of moreCommands()) await call(...c)
    return await canonical(call, { dumps: true })
  } finally {
    r.disconnect()
    await proc.stop()
  }
}

/** An engine server with appendonly yes on a storage (loaded from a directory, or empty). */
function engine(storage: MemoryStorage, config: Record<string, string> = {}) {
  const clock = new VirtualClock(NOW)
  const server = createServer({ clock, config: { save: '', appendonly: 'yes', ...config } })
  const logs: string[] = []
  // What redis-server prints at its default loglevel (notice).
  attachPersistence(server, { storage, log: (l, m) => void (l === 'notice' || l === 'warning' ? logs.push(m) : 0) })
  const started = aofStartup(server, { exit: () => {} })
  const c = server.connect()
  const call: Call = async (...argv) => {
    const r = plain(c.call(argv))
    server.beforeSleep()
    return r
  }
  return { server, clock, storage, logs, started, call }
}

function drain(server: Server, clock: VirtualClock): void {
  for (let i = 0; i < 100_000 && persistence(server).child; i++) {
    clock.advance(50)
    server.cron()
  }
}

/** The files of a directory (and its appendonlydir) as a MemoryStorage. */
function storageFromDir(dir: string): MemoryStorage {
  const st = new MemoryStorage()
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name
      if (statSync(path.join(dir, r)).isDirectory()) walk(r)
      else st.write(r, new Uint8Array(readFileSync(path.join(dir, r))))
    }
  }
  walk('')
  return st
}

function storageToDir(st: MemoryStorage, dir: string): void {
  for (const [name, data] of st.files) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), data)
  }
}

/** redis-server's log lines (message part) when started with appendonly yes on `dir`, stopped after `ms` if it keeps running. */
function redisStartupLog(dir: string, port: number, extra: string[] = [], ms = 1500): string[] {
  const r = spawnSync(REDIS_SERVER, ['--port', String(port), '--save', '', '--appendonly', 'yes', '--daemonize', 'no', '--dir', dir, ...extra], {
    timeout: ms,
    encoding: 'latin1',
  })
  return (r.stdout + r.stderr)
    .split('\n')
    .map((l) => /^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ [.\-*#] (.*)$/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined)
}

/**
 * The engine's log messages as they come out of a log file read line by line:
 * a message with newlines in it (the manifest error block) keeps its first
 * line under the prefix, the rest are bare lines.
 */
function asLogged(messages: string[]): string[] {
  return messages.map((m) => m.split('\n')[0])
}

/** The loading part of a start-up log, with the timings that differ run to run normalised. */
function loadingLines(lines: string[]): string[] {
  const start = lines.indexOf('Server initialized')
  const from = start >= 0 ? start + 1 : 0
  let end = lines.indexOf('Ready to accept connections')
  if (end < 0) end = lines.length
  return lines
    .slice(from, end)
    .filter((l) => !l.startsWith('WARNING') && !l.includes('Redis is starting') && !l.startsWith('Received SIGTERM'))
    .map((l) => l.replace(/\d+\.\d{3} seconds/, 'N seconds').replace(/^RDB age \d+ seconds$/, 'RDB age N seconds'))
}

describeWithTools('AOF interop with redis-server 7.0.15', ['redis-server', 'redis-check-aof'], (tools) => {
  let dir: string

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'glassbox-aof-'))
  })

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  for (const preamble of ['yes', 'no']) {
    it(`an AOF written by the engine (aof-use-rdb-preamble ${preamble}) passes redis-check-aof and loads in redis-server identically`, async () => {
      const e = engine(new MemoryStorage(), { 'aof-use-rdb-preamble': preamble, 'rdb-key-save-delay': '20' })
      expect(e.started).toBe(true)
      for (const c of datasetCommands()) await e.call(...c)
      expect(await e.call('BGREWRITEAOF')).toBe('Background append only file rewriting started')
      // Writes while the child runs land in the new incr file; the child keeps the fork-time values.
      await e.call('SET', 'during', 'rewrite')
      await e.call('RPUSH', 'list:small', 'during')
      drain(e.server, e.clock)
      for (const c of moreCommands()) await e.call(...c)
      const ours = await canonical(e.call, { dumps: true })
      const d = path.join(dir, `engine-${preamble}`)
      storageToDir(e.storage, d)
      const manifest = readFileSync(path.join(d, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1')
      expect(manifest).toBe(`file appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'} seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n`)
      const check = spawnSync(tools['redis-check-aof'], [path.join(d, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'latin1' })
      expect(check.stdout).toContain('All AOF files and manifest are valid')
      expect(check.status).toBe(0)
      const proc = await startRedis(['--dir', d, '--appendonly', 'yes', '--aof-use-rdb-preamble', preamble])
      const r = new Redis({ port: proc.port, host: '127.0.0.1' })
      try {
        const theirs = await canonical(redisCall(r), { dumps: true })
        expect(Object.keys(theirs).length).toBeGreaterThan(20)
        expect(theirs).toEqual(ours)
      } finally {
        r.disconnect()
        await proc.stop()
      }
    }, 120_000)

    it(`an AOF written by redis-server (aof-use-rdb-preamble ${preamble}) loads in the engine identically, with its log lines`, async () => {
      const d = path.join(dir, `redis-${preamble}`)
      mkdirSync(d)
      const theirs = await redisWrittenAof(d, preamble)
      const e = engine(storageFromDir(d), { 'aof-use-rdb-preamble': preamble })
      expect(e.started, e.logs.join('\n')).toBe(true)
      expect(await canonical(e.call, { dumps: true })).toEqual(theirs)
      // The same start-up lines as redis-server on the same directory.
      const red = loadingLines(redisStartupLog(d, await freePort(), ['--aof-use-rdb-preamble', preamble]))
      expect(loadingLines(asLogged(e.logs))).toEqual(red)
    }, 120_000)
  }

  it('truncated, bit-flipped and damaged files: refused or truncated with the lines redis-server logs', async () => {
    // A reference directory written by redis-server: an AOF base and an incr file with a few commands.
    const ref = path.join(dir, 'ref')
    mkdirSync(ref)
    const proc = await startRedis(['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no', '--dir', ref])
    const r = new Redis({ port: proc.port, host: '127.0.0.1' })
    try {
      const call = redisCall(r)
      await call('SET', 'base', 'value')
      expect(await call('BGREWRITEAOF')).toBe('Background append only file rewriting started')
      await new Promise((res) => setTimeout(res, 300))
      await call('SET', 'a', '1')
      await call('RPUSH', 'l', 'x', 'y')
      await call('MULTI')
      await call('INCR', 'n')
      await call('INCR', 'n')
      await call('EXEC')
    } finally {
      r.disconnect()
      await proc.stop()
    }
    const incrName = 'appendonly.aof.2.incr.aof'
    const incr = readFileSync(path.join(ref, 'appendonlydir', incrName))
    const baseName = readdirSync(path.join(ref, 'appendonlydir')).find((n) => n.includes('.base.'))!
    const base = readFileSync(path.join(ref, 'appendonlydir', baseName))
    const multiAt = incr.indexOf('*1\r\n$5\r\nMULTI')
    const flip = (b: Buffer, at: number, mask: number): Buffer => {
      const c = Buffer.from(b)
      c[at] ^= mask
      return c
    }
    const variants: Array<{ name: string; files: Record<string, Buffer | string>; extra?: string[] }> = [
      { name: 'truncated-mid-command', files: { [incrName]: incr.subarray(0, incr.length - 5) } },
      { name: 'truncated-no', files: { [incrName]: incr.subarray(0, incr.length - 5) }, extra: ['--aof-load-truncated', 'no'] },
      { name: 'truncated-in-multi', files: { [incrName]: incr.subarray(0, multiAt + 30) } },
      // '*' of the second command flipped: a format error.
      { name: 'flipped-star', files: { [incrName]: flip(incr, incr.indexOf('*3\r\n$3\r\nSET'), 0x01) } },
      // A letter of the command name flipped: an unknown command.
      { name: 'flipped-name', files: { [incrName]: flip(incr, incr.indexOf('RPUSH') + 1, 0x20 | 0x01) } },
      { name: 'truncated-base', files: { [baseName]: base.subarray(0, base.length - 7) } },
      { name: 'bad-manifest', files: { 'appendonly.aof.manifest': 'file appendonly.aof.2.incr.aof seq 2 type q\n' } },
      { name: 'missing-incr', files: { [incrName]: '' }, extra: [] },
    ]
    for (const v of variants) {
      const d = path.join(dir, v.name)
      cpSync(ref, d, { recursive: true })
      for (const [name, data] of Object.entries(v.files)) writeFileSync(path.join(d, 'appendonlydir', name), data)
      if (v.name === 'missing-incr') rmSync(path.join(d, 'appendonlydir', incrName))
      const ours = engine(storageFromDir(d), v.extra?.includes('no') ? { 'aof-load-truncated': 'no' } : {})
      const theirs = loadingLines(redisStartupLog(d, await freePort(), v.extra ?? []))
      expect(theirs.length, v.name).toBeGreaterThan(0)
      expect(loadingLines(asLogged(ours.logs)), v.name).toEqual(theirs)
      const redisOk = theirs.some((l) => l.startsWith('DB loaded from append only file'))
      expect(ours.started, v.name).toBe(redisOk)
      // A truncation leaves the file at the same length on both sides.
      if (v.name.startsWith('truncated') && redisOk) {
        expect(ours.storage.read(`appendonlydir/${incrName}`)!.length, v.name).toBe(statSync(path.join(d, 'appendonlydir', incrName)).size)
      }
    }
  }, 120_000)

  it('an RDB-preamble base cut short, and an old-style appendonly.aof (RDB preamble + tail) upgraded, as redis-server does', async () => {
    const ref = path.join(dir, 'ref-rdb')
    mkdirSync(ref)
    const theirs = await redisWrittenAof(ref, 'yes')
    const base = readFileSync(path.join(ref, 'appendonlydir', 'appendonly.aof.2.base.rdb'))
    const incr = readFileSync(path.join(ref, 'appendonlydir', 'appendonly.aof.2.incr.aof'))
    // The base RDB cut short: redis-server stops inside the RDB loader.
    const cut = path.join(dir, 'rdb-cut')
    cpSync(ref, cut, { recursive: true })
    writeFileSync(path.join(cut, 'appendonlydir', 'appendonly.aof.2.base.rdb'), base.subarray(0, base.length - 100))
    const e1 = engine(storageFromDir(cut))
    const red1 = loadingLines(redisStartupLog(cut, await freePort()))
    expect(red1.length).toBeGreaterThan(3)
    expect(loadingLines(asLogged(e1.logs))).toEqual(red1)
    expect(e1.started).toBe(false)
    // Before 7.0: one appendonly.aof in dir, an RDB preamble then commands. Both sides move it into the directory.
    const old = path.join(dir, 'old-style')
    mkdirSync(old)
    writeFileSync(path.join(old, 'appendonly.aof'), Buffer.concat([base, incr]))
    const e2 = engine(storageFromDir(old))
    expect(e2.started, e2.logs.join('\n')).toBe(true)
    expect(await canonical(e2.call, { dumps: true })).toEqual(theirs)
    const red2 = loadingLines(redisStartupLog(old, await freePort()))
    expect(red2).toContain('Reading the remaining AOF tail...')
    expect(loadingLines(asLogged(e2.logs))).toEqual(red2)
    expect(readFileSync(path.join(old, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1')).toBe(
      new TextDecoder('latin1').decode(e2.storage.read('appendonlydir/appendonly.aof.manifest')!),
    )
  }, 120_000)
})
