// Command propagation, checked against the AOF a real redis-server 7.0.15
// writes. Redis runs with appendonly yes, appendfsync always and an RDB
// preamble, so its incr file (appendonlydir/appendonly.aof.1.incr.aof) holds
// exactly the ops propagated since start, written before any reply goes out.
// The engine runs the same commands with a propagate hook that appends
// AofFeed's bytes. After every step the bytes each side added are compared,
// byte for byte; replies are compared too (RESP2), so a divergence in state
// shows up where it starts.
//
// The only normalisation: absolute times that each server computes from its
// own clock (SET ... PXAT, PEXPIREAT, RESTORE ... ABSTTL rewritten from a
// relative TTL) may differ by the few milliseconds between the two servers
// running the command; within TOLERANCE_MS the engine's value is taken to be
// Redis's.
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import fc from 'fast-check'
import { describeOracle, startRedis, type RedisProcess } from '../support/redis-server.ts'
import { connectRaw, fromBytes, type RawConn } from '../support/resp-conn.ts'
import { createServer, type Server } from '../../engine/server/server.ts'
import type { Client } from '../../engine/server/client.ts'
import { encodeReply } from '../../engine/protocol/encoder.ts'
import { SystemClock } from '../../engine/node/clock.ts'
import { AofFeed, encodeCommandString } from '../../engine/persistence/aof-feed.ts'
import type { Reply } from '../../engine/protocol/reply.ts'

const TOLERANCE_MS = 2000
const CLIENTS = 3

// ---------------------------------------------------------------- AOF parsing

/** Splits AOF bytes (byte string) into ops; SELECT included. Throws on anything that is not a multibulk. */
function parseOps(s: string): string[][] {
  const ops: string[][] = []
  let i = 0
  const line = (): string => {
    const end = s.indexOf('\r\n', i)
    if (end < 0) throw new Error(`truncated AOF at ${i}: ${JSON.stringify(s.slice(i, i + 40))}`)
    const l = s.slice(i, end)
    i = end + 2
    return l
  }
  while (i < s.length) {
    const head = line()
    if (head[0] !== '*') throw new Error(`not a multibulk at ${i}: ${JSON.stringify(head)}`)
    const n = Number(head.slice(1))
    const argv: string[] = []
    for (let j = 0; j < n; j++) {
      const len = Number(line().slice(1))
      argv.push(s.slice(i, i + len))
      i += len + 2
    }
    ops.push(argv)
  }
  return ops
}

const isInt = (s: string): boolean => /^-?\d+$/.test(s)

/** The positions of absolute times derived from the server's clock in an op. */
function clockPositions(argv: readonly string[]): number[] {
  const name = argv[0].toLowerCase()
  const out: number[] = []
  if (name === 'pexpireat') out.push(2)
  if (name === 'restore' && argv.some((a) => a.toLowerCase() === 'absttl')) out.push(2)
  if (name === 'set') for (let j = 3; j < argv.length - 1; j++) if (argv[j].toLowerCase() === 'pxat') out.push(j + 1)
  return out
}

/** The engine's ops with clock-derived times replaced by Redis's when close enough (see the header). */
function alignTimes(engine: string[][], redis: string[][]): string[][] {
  return engine.map((op, k) => {
    const other = redis[k]
    if (other === undefined || other.length !== op.length || other[0].toLowerCase() !== op[0].toLowerCase()) return op
    const copy = [...op]
    for (const j of clockPositions(op)) {
      if (isInt(op[j]) && isInt(other[j]) && Math.abs(Number(op[j]) - Number(other[j])) <= TOLERANCE_MS) copy[j] = other[j]
    }
    return copy
  })
}

/** Sorts runs of ops between SELECTs (active expiry deletes in the expires dict's bucket order, which follows a per-process hash seed). */
function sortRuns(ops: string[][]): string[][] {
  const out: string[][] = []
  let run: string[][] = []
  const flush = (): void => {
    run.sort((a, b) => (a.join('\0') < b.join('\0') ? -1 : a.join('\0') > b.join('\0') ? 1 : 0))
    out.push(...run)
    run = []
  }
  for (const op of ops) {
    if (op[0] === 'SELECT') {
      flush()
      out.push(op)
    } else run.push(op)
  }
  flush()
  return out
}

const show = (ops: string[][]): string => ops.map((op) => op.map((a) => JSON.stringify(a)).join(' ')).join('\n')

// ---------------------------------------------------------------- the two sides

interface Step {
  client: number
  argv: string[]
  /** Send and expect the client to block (no reply yet). */
  blocks?: boolean
  /** Read the pending (served / timed out) reply of a blocked client. */
  readPending?: boolean
  /** The reply is random by nature (SPOP, RANDOMKEY, ...): not compared. */
  anyReply?: boolean
  /** The ops' order is random by nature (deletions in dict order): compared sorted between SELECTs. */
  sortedAof?: boolean
}

class Harness {
  readonly dir: string
  redis!: RedisProcess
  conns: RawConn[] = []
  admin!: RawConn
  server!: Server
  clients: Client[] = []
  pushes: Reply[][] = []
  private feed = new AofFeed()
  engineAof = ''
  private redisOffset = 0
  private engineOffset = 0
  private aofFd = -1
  aofFile = ''
  /** Everything run so far, for failure messages. */
  history: string[] = []

  /** Timestamp annotations seen so far on each side (aof-timestamp-enabled). */
  readonly stamps = { redis: [] as number[], engine: [] as number[] }

  constructor(private readonly timestamps = false) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'glassbox-prop-'))
  }

  async start(): Promise<void> {
    this.redis = await startRedis([
      '--appendonly', 'yes', '--appendfsync', 'always', '--aof-use-rdb-preamble', 'yes',
      '--dir', this.dir, '--enable-debug-command', 'yes', '--aof-timestamp-enabled', this.timestamps ? 'yes' : 'no',
    ])
    for (let i = 0; i < CLIENTS; i++) this.conns.push(await connectRaw(this.redis.port))
    // A Redis-only connection for looking (INFO) and DEBUG switches: never inside a MULTI.
    this.admin = await connectRaw(this.redis.port)
    const file = path.join(this.dir, 'appendonlydir', 'appendonly.aof.1.incr.aof')
    this.aofFile = file
    for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(20)
    this.aofFd = openSync(file, 'r')
    this.server = createServer({
      clock: new SystemClock(),
      config: { save: '', appendonly: 'no', 'enable-debug-command': 'yes' },
    })
    this.server.hooks.propagate = (dbid, argv) => {
      this.engineAof += fromBytes(this.feed.feed(dbid, argv, this.server.commandTimeMs(), this.timestamps))
    }
    for (let i = 0; i < CLIENTS; i++) {
      const c = this.server.connect()
      const q: Reply[] = []
      c.onPush = (r) => q.push(r)
      this.clients.push(c)
      this.pushes.push(q)
    }
    // Expiry happens only where a step asks for it: lazily, or in an explicit active-expire step.
    await this.both(0, ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'])
  }

  async stop(): Promise<void> {
    for (const c of this.conns) await c.close()
    await this.admin?.close()
    if (this.aofFd >= 0) closeSync(this.aofFd)
    await this.redis?.stop()
    this.server?.shutdown()
    rmSync(this.dir, { recursive: true, force: true })
  }

  /** What Redis appended to its incr AOF since the last look. */
  private redisDelta(): string {
    const size = fstatSync(this.aofFd).size
    if (size <= this.redisOffset) return ''
    const buf = Buffer.alloc(size - this.redisOffset)
    readSync(this.aofFd, buf, 0, buf.length, this.redisOffset)
    this.redisOffset = size
    return buf.toString('latin1')
  }

  private engineDelta(): string {
    const d = this.engineAof.slice(this.engineOffset)
    this.engineOffset = this.engineAof.length
    return d
  }

  /** Compares what both sides appended since the last check. */
  checkAof(label: string, sorted = false): void {
    // #TS lines mark the second each server's clock entered: where they fall depends on when
    // each side ran the command, so they are taken out here and checked on their own.
    const r = this.takeStamps(this.redisDelta(), this.stamps.redis)
    const e = this.takeStamps(this.engineDelta(), this.stamps.engine)
    let rOps = parseOps(r)
    let eOps = parseOps(e)
    eOps = alignTimes(eOps, rOps)
    if (sorted) {
      rOps = sortRuns(rOps)
      eOps = sortRuns(eOps)
    }
    const rBytes = rOps.map(encodeCommandString).join('')
    const eBytes = eOps.map(encodeCommandString).join('')
    if (!sorted) expect(rBytes, 'the redis AOF re-encodes to itself').toBe(r)
    if (rBytes !== eBytes) {
      throw new Error(
        `AOF differs after ${label}\n--- redis:\n${show(rOps)}\n--- engine:\n${show(eOps)}\n--- last steps:\n${this.history.slice(-15).join('\n')}`,
      )
    }
  }

  private takeStamps(s: string, into: number[]): string {
    return s.replace(/#TS:(\d+)\r\n/g, (_, t: string) => {
      into.push(Number(t))
      return ''
    })
  }

  private engineReply(i: number, r: Reply | undefined): string {
    const c = this.clients[i]
    const frames = [...this.pushes[i].splice(0)]
    if (r !== undefined) frames.push(r)
    for (const p of c.takeAfterReply()) frames.push(p)
    return frames.map((f) => fromBytes(encodeReply(f, 2))).join('')
  }

  /** Runs argv on client i of both sides, returns both raw replies. */
  async both(i: number, argv: string[]): Promise<{ redis: string; engine: string }> {
    const redis = await this.conns[i].call(argv)
    const r = this.clients[i].call([...argv])
    this.server.beforeSleep()
    // A blocking command with a timeout: Redis has already answered after it, the engine answers in beforeSleep.
    for (let k = 0; k < 400 && this.clients[i].blocked; k++) {
      await sleep(5)
      this.server.beforeSleep()
    }
    return { redis, engine: this.engineReply(i, r) }
  }

  async step(s: Step): Promise<void> {
    const label = `[${s.client}] ${s.argv.join(' ')}${s.blocks ? ' (blocks)' : ''}${s.readPending ? ' (pending reply)' : ''}`
    this.history.push(label)
    if (s.readPending) {
      const redis = await this.conns[s.client].read()
      this.server.beforeSleep()
      const engine = this.engineReply(s.client, undefined)
      expect(engine, `pending reply of client ${s.client}`).toBe(redis)
    } else if (s.blocks) {
      const before = await this.blockedClients()
      this.conns[s.client].send(s.argv)
      for (let k = 0; k < 200 && (await this.blockedClients()) === before; k++) await sleep(5)
      const r = this.clients[s.client].call([...s.argv])
      expect(r, `${label}: the engine client blocks`).toBeUndefined()
      expect(this.clients[s.client].blocked).toBe(true)
    } else {
      const { redis, engine } = await this.both(s.client, s.argv)
      if (!s.anyReply) expect(engine, `reply to ${label}`).toBe(redis)
    }
    this.checkAof(label, s.sortedAof)
  }

  /**
   * A blocking command that may or may not block: the engine says which, and
   * Redis is waited for accordingly (its reply read, or its blocked_clients
   * count reaching the engine's).
   */
  async maybeBlocking(i: number, argv: string[]): Promise<void> {
    const label = `[${i}] ${argv.join(' ')} (may block)`
    this.history.push(label)
    this.conns[i].send(argv)
    const r = this.clients[i].call([...argv])
    this.server.beforeSleep()
    if (!this.clients[i].blocked) {
      const redis = await this.conns[i].read()
      expect(this.engineReply(i, r), `reply to ${label}`).toBe(redis)
    } else {
      const want = this.clients.filter((c) => c.blocked).length
      for (let k = 0; k < 400 && (await this.blockedClients()) < want; k++) await sleep(5)
      expect(await this.blockedClients(), `${label}: redis blocks too`).toBe(want)
    }
    this.checkAof(label)
  }

  /** Reads the replies of clients the engine has just served (and checks Redis served them too). */
  async readServed(wasBlocked: readonly boolean[]): Promise<void> {
    for (let i = 1; i < this.clients.length; i++) {
      if (wasBlocked[i] && !this.clients[i].blocked) await this.step({ client: i, argv: [], readPending: true })
    }
  }

  private async blockedClients(): Promise<number> {
    const info = await this.admin.call(['INFO', 'clients'])
    return Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? 0)
  }

  private async totalKeys(): Promise<number> {
    const info = await this.admin.call(['INFO', 'keyspace'])
    let n = 0
    for (const m of info.matchAll(/keys=(\d+)/g)) n += Number(m[1])
    return n
  }

  /** Lets both servers' active expiry run until `keysLeft` keys remain in all dbs. */
  async activeExpire(keysLeft: number): Promise<void> {
    this.history.push(`(active expiry until ${keysLeft} keys left)`)
    await this.admin.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '1'])
    for (let k = 0; k < 400 && (await this.totalKeys()) > keysLeft; k++) await sleep(10)
    await this.admin.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0'])
    const engineKeys = (): number => this.server.dbs.reduce((n, db) => n + db.size, 0)
    for (let k = 0; k < 400 && engineKeys() > keysLeft; k++) {
      this.server.cron()
      await sleep(1)
    }
    this.checkAof('active expiry', true)
  }

  /**
   * Runs a script: one command per line; `[n] CMD` runs on client n; `[n]& CMD`
   * sends a command that blocks; `[n]<` reads client n's later reply; a
   * leading `~` skips the reply comparison (random by nature, says why in the
   * script), a leading `^` compares the AOF ops sorted (deletions in dict
   * order, which follows each process's hash seed); `!sleep ms`;
   * `!expire-active <keys left>`.
   */
  async run(script: string): Promise<void> {
    for (const raw of script.split('\n')) {
      let l = raw.trim()
      if (l === '' || l.startsWith('#')) continue
      if (l.startsWith('!sleep ')) {
        await sleep(Number(l.slice(7)))
        continue
      }
      if (l.startsWith('!expire-active ')) {
        await this.activeExpire(Number(l.slice(15)))
        continue
      }
      let client = 0
      let blocks = false
      let readPending = false
      let anyReply = false
      const m = /^\[(\d+)\]([&<]?)\s*/.exec(l)
      if (m) {
        client = Number(m[1])
        blocks = m[2] === '&'
        readPending = m[2] === '<'
        l = l.slice(m[0].length)
      }
      let sortedAof = false
      for (;;) {
        if (l.startsWith('~')) anyReply = true
        else if (l.startsWith('^')) sortedAof = true
        else break
        l = l.slice(1)
      }
      const argv = l === '' ? [] : l.split(/\s+/).map(unescape)
      await this.step({ client, argv, blocks, readPending, anyReply, sortedAof })
    }
  }
}

/** `\s` stands for a space and `\e` for an empty argument in scripts. */
function unescape(a: string): string {
  return a === '\\e' ? '' : a.replace(/\\s/g, ' ')
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

// ---------------------------------------------------------------- tests

describeOracle('propagation: AOF bytes against redis-server 7.0.15', () => {
  // A fresh pair of servers per test, so one divergence does not cascade into the next test.
  let h: Harness
  beforeEach(async () => {
    h = new Harness()
    await h.start()
  }, 30_000)
  afterEach(async () => {
    await h.stop()
  })

  it('strings: SET options, relative times made absolute, GETSET/GETDEL/GETEX, INCRBYFLOAT, no-op writes', async () => {
    await h.run(`
      SET s:a 1
      SET s:a 1 XX
      SET s:b 2 NX
      SET s:b 3 NX
      SET s:c v EX 100
      SET s:c v PX 100000
      SET s:c v EXAT 4102444800
      SET s:c v PXAT 4102444800123
      SET s:c w KEEPTTL
      SET s:c x GET
      SET s:c y get GET NX
      SET s:d x GET EX 100
      SET s:e x XX
      SET s:e x XX GET
      SETNX s:f 1
      SETNX s:f 2
      SETEX s:g 100 v
      PSETEX s:g 100000 v
      GETSET s:g z
      GETSET s:new z
      GETDEL s:g
      GETDEL s:g
      GETEX s:a EX 100
      GETEX s:a PXAT 4102444800000
      GETEX s:a PERSIST
      GETEX s:a PERSIST
      GETEX s:a
      GETEX s:missing EX 10
      GETEX s:a EXAT 1
      EXISTS s:a
      SET s:n 10
      INCR s:n
      INCRBY s:n 5
      DECR s:n
      DECRBY s:n 3
      INCRBYFLOAT s:n 1.5
      INCRBYFLOAT s:n 1e3
      SET s:t 1 EX 100
      INCRBYFLOAT s:t 2
      INCR s:notnum:x
      SET s:str abc
      INCR s:str
      APPEND s:str def
      APPEND s:str \\e
      SETRANGE s:str 2 ZZ
      SETRANGE s:str 0 \\e
      SETRANGE s:none 0 \\e
      MSET s:m1 1 s:m2 2
      MSETNX s:m1 1 s:m3 3
      MSETNX s:m4 4 s:m5 5
      GET s:a
      MGET s:a s:b
      STRLEN s:a
      GETRANGE s:str 0 -1
      SUBSTR s:str 0 1
      LCS s:m1 s:m2
      SET s:g 1 EX 0
      SET s:g 1 PXAT 1
      SETEX s:g 0 v
    `)
  })

  it('keys: DEL/UNLINK, EXPIRE family, PERSIST, RENAME, COPY, MOVE, SWAPDB, TOUCH, RESTORE, SORT STORE', async () => {
    await h.run(`
      SET k:a 1
      SET k:b 2
      DEL k:a k:none
      DEL k:none
      UNLINK k:b
      SET k:e 1
      EXPIRE k:e 100
      EXPIRE k:e 200 NX
      EXPIRE k:e 300 xx
      EXPIRE k:e 50 GT
      EXPIRE k:e 50 lt
      PEXPIRE k:e 100000
      EXPIREAT k:e 4102444800
      PEXPIREAT k:e 4102444800000
      PEXPIREAT k:e 4102444800000 XX
      EXPIRE k:none 10
      PERSIST k:e
      PERSIST k:e
      EXPIRE k:e -1
      EXISTS k:e
      SET k:e 1
      EXPIREAT k:e 1
      SET k:e 1
      PEXPIRE k:e 0
      SET k:e 1
      PEXPIREAT k:e 1
      SET k:r 1
      RENAME k:r k:r2
      RENAME k:r2 k:r2
      RENAMENX k:r2 k:r3
      SET k:r4 x
      RENAMENX k:r3 k:r4
      COPY k:r3 k:c
      COPY k:r3 k:c
      COPY k:r3 k:c REPLACE
      COPY k:r3 k:c DB 2
      COPY k:none k:c2
      MOVE k:c 3
      MOVE k:c 3
      SET k:c 1
      MOVE k:c 3
      SWAPDB 0 3
      SWAPDB 0 3
      TOUCH k:r3 k:none
      SET k:d 1
      SET k:d 2 PX 100000
      ~DUMP k:d
      RPUSH k:l 3 1 2
      SORT k:l STORE k:sorted
      SORT k:none STORE k:sorted
      SORT k:l
      TYPE k:l
      OBJECT ENCODING k:l
      # Which key comes out is random by nature.
      ~RANDOMKEY
      DBSIZE
      # KEYS lists the keys dict in bucket order (per-process hash seed).
      ~KEYS k:r*
    `)
    // RESTORE with a real payload: DUMP on each side, then RESTORE with TTLs.
    const { redis } = await h.both(0, ['DUMP', 'k:d'])
    const payload = /^\$\d+\r\n([\s\S]*)\r\n$/.exec(redis)![1]
    h.checkAof('DUMP')
    for (const argv of [
      ['RESTORE', 'k:rs', '0', payload],
      ['RESTORE', 'k:rs', '0', payload],
      ['RESTORE', 'k:rs', '100000', payload, 'REPLACE'],
      ['RESTORE', 'k:rs2', '4102444800000', payload, 'ABSTTL'],
      ['RESTORE', 'k:rs', '1', payload, 'REPLACE', 'ABSTTL'],
      ['RESTORE', 'k:rs3', '1', payload, 'ABSTTL'],
      ['RESTORE', 'k:rs4', '0', payload, 'IDLETIME', '100'],
      ['EXISTS', 'k:rs', 'k:rs2', 'k:rs3'],
    ]) {
      const r = await h.both(0, argv)
      expect(r.engine, argv.join(' ')).toBe(r.redis)
      h.checkAof(argv.slice(0, 3).join(' '))
    }
  })

  it('lists, including LMPOP, LMOVE and blocking commands served later', async () => {
    await h.run(`
      LPUSH l:a 1 2 3
      RPUSH l:a 4 5
      LPUSHX l:none 1
      RPUSHX l:a 6
      LPOP l:a
      RPOP l:a 2
      LPOP l:none
      LPOP l:a 0
      LINSERT l:a BEFORE 1 x
      LINSERT l:a BEFORE nope x
      LSET l:a 0 y
      LREM l:a 0 nope
      LREM l:a 1 y
      LTRIM l:a 0 -1
      LTRIM l:a 0 0
      LRANGE l:a 0 -1
      RPUSH l:b a b c
      LMOVE l:b l:c LEFT RIGHT
      RPOPLPUSH l:b l:c
      RPOPLPUSH l:none l:c
      LMPOP 2 l:none l:c LEFT COUNT 10
      LMPOP 1 l:b RIGHT
      BLPOP l:none l:b 1
      RPUSH l:d 1 2 3
      BRPOP l:d 1
      BLMPOP 1 1 l:d LEFT COUNT 5
      RPUSH l:d 1 2
      BLMOVE l:d l:e RIGHT LEFT 1
      BRPOPLPUSH l:d l:e 1
      [1]& BLPOP l:w1 0
      RPUSH l:w1 a b
      [1]<
      [1]& BRPOP l:w2 l:w3 0
      [2]& BLMPOP 0 1 l:w3 RIGHT COUNT 3
      RPUSH l:w3 a b c d
      [1]<
      [2]<
      [1]& BLMOVE l:w4 l:w5 LEFT RIGHT 0
      [2]& BRPOPLPUSH l:w5 l:w6 0
      LPUSH l:w4 x
      [1]<
      [2]<
      LRANGE l:w6 0 -1
      [1]& BLPOP l:w7 0
      MULTI
      LPUSH l:w7 a
      LPUSH l:w7 b
      EXEC
      [1]<
      MULTI
      BLPOP l:empty 0
      EXEC
      [1]& BLPOP l:w8 0.05
      !sleep 120
      [1]<
    `)
  })

  it('hashes', async () => {
    await h.run(`
      HSET h:a f1 v1 f2 v2
      HSET h:a f1 v1
      HMSET h:a f3 v3
      HSETNX h:a f3 x
      HSETNX h:a f4 x
      HDEL h:a f4 nope
      HDEL h:a nope
      HINCRBY h:a n 5
      HINCRBYFLOAT h:a x 1.5
      HINCRBYFLOAT h:a x 2e2
      HINCRBYFLOAT h:a f1 1
      HGET h:a x
      HGETALL h:a
      HDEL h:a f1 f2 f3 n x
      EXISTS h:a
    `)
  })

  it('sets: SPOP/SRANDMEMBER, SMOVE, store commands', async () => {
    await h.run(`
      SADD t:a 1 2 3
      SADD t:a 1
      SREM t:a 1 9
      SREM t:a 9
      SMOVE t:a t:b 2
      SMOVE t:a t:b 9
      SADD t:x a b c
      SADD t:y b c d
      SINTERSTORE t:i t:x t:y
      SUNIONSTORE t:u t:x t:y
      SDIFFSTORE t:d t:x t:y
      SINTERSTORE t:i t:x t:none
      SDIFFSTORE t:none2 t:none t:x
      SADD t:one only
      SPOP t:one
      SADD t:one only
      SPOP t:one 5
      SADD t:two a b
      # The whole set comes back in hashtable order (per-process hash seed); the AOF has DEL.
      ~SPOP t:two 2
      SPOP t:none
      SPOP t:none 3
      SPOP t:x 0
      ~SRANDMEMBER t:x
      ~SRANDMEMBER t:x -5
      SADD t:big a b c d e f g h i j
      # Which members come out is random by nature (each server has its own RNG); the
      # shape (MULTI, one SREM per member, EXEC, no SPOP) is what must match, so the
      # members are then deleted by hand on both sides.
    `)
    for (const [count, label] of [[undefined, 'SPOP t:big'], ['3', 'SPOP t:big 3'], ['5', 'SPOP t:big 5 (most of it)']] as const) {
      const argv = count === undefined ? ['SPOP', 't:big'] : ['SPOP', 't:big', count]
      h.history.push(label)
      await h.both(0, argv)
      const shape = (s: string): string => show(parseOps(s).map((op) => (op[0] === 'SREM' ? ['SREM', op[1], '?'] : op)))
      const r = shape(readNew(h, 'redis'))
      expect(shape(readNew(h, 'engine')), label).toBe(r)
      // Same set on both sides again.
      await h.both(0, ['DEL', 't:big'])
      await h.both(0, ['SADD', 't:big', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'])
      h.checkAof(`reset after ${label}`)
    }
  })

  it('sorted sets: ZADD options, ZINCRBY, ZPOP/ZMPOP, BZPOP served later, store commands', async () => {
    await h.run(`
      ZADD z:a 1 a 2 b 3 c
      ZADD z:a 1 a
      ZADD z:a NX 5 a
      ZADD z:a XX CH 5 a
      ZADD z:a GT 1 a
      ZADD z:a INCR 1 b
      ZINCRBY z:a 2 c
      ZREM z:a nope
      ZREM z:a c
      ZPOPMIN z:a
      ZPOPMAX z:a 5
      ZPOPMIN z:none
      ZADD z:b 1 a 2 b 3 c 4 d
      ZMPOP 2 z:none z:b MIN COUNT 2
      ZMPOP 1 z:b MAX
      BZPOPMIN z:b 1
      BZPOPMAX z:none 0.01
      ZADD z:c 1 a 2 b
      BZMPOP 1 1 z:c MIN COUNT 9
      [1]& BZPOPMIN z:w1 0
      ZADD z:w1 1 x 2 y
      [1]<
      [1]& BZMPOP 0 1 z:w2 MAX COUNT 2
      ZADD z:w2 1 x 2 y 3 z
      [1]<
      ZADD z:d 1 a 2 b 3 c 4 d 5 e
      ZREMRANGEBYRANK z:d 0 0
      ZREMRANGEBYSCORE z:d 2 3
      ZREMRANGEBYSCORE z:d 100 200
      ZREMRANGEBYLEX z:d - +
      ZADD z:e 1 a 2 b
      ZADD z:f 2 b 3 c
      ZUNIONSTORE z:u 2 z:e z:f
      ZINTERSTORE z:i 2 z:e z:f WEIGHTS 2 3
      ZDIFFSTORE z:df 2 z:e z:f
      ZRANGESTORE z:rs z:e 0 -1
      ZRANGESTORE z:rs z:none 0 -1
      ZINTERSTORE z:i 2 z:e z:none
      ~ZRANDMEMBER z:e
    `)
  })

  it('bitmaps', async () => {
    await h.run(`
      SETBIT b:a 7 1
      SETBIT b:a 7 1
      SETBIT b:a 100 0
      BITFIELD b:a SET u8 0 255 INCRBY u8 8 10 GET u8 0
      BITFIELD b:a GET u8 0
      BITFIELD b:none GET u8 0
      BITFIELD_RO b:a GET u8 0
      BITFIELD b:a OVERFLOW FAIL INCRBY u2 0 100
      SET b:x ab
      SET b:y cd
      BITOP AND b:r b:x b:y
      BITOP OR b:r b:none
      BITOP NOT b:r2 b:x
      BITCOUNT b:r
    `)
  })

  it('MULTI/EXEC: one write unwrapped, several wrapped, only reads nothing, SELECT inside, aborted ones', async () => {
    await h.run(`
      MULTI
      SET m:a 1
      GET m:a
      EXEC
      MULTI
      SET m:a 2
      INCR m:a
      EXEC
      MULTI
      GET m:a
      EXISTS m:a
      EXEC
      MULTI
      EXEC
      MULTI
      SET m:b 1
      SELECT 1
      SET m:c 1
      SELECT 2
      SET m:d 1
      SELECT 0
      EXEC
      MULTI
      SET m:e 1
      DISCARD
      MULTI
      SET m:e 1
      NOSUCHCOMMAND
      EXEC
      WATCH m:a
      [1] SET m:a 9
      MULTI
      SET m:a 10
      EXEC
      MULTI
      SET m:a x
      INCR m:a
      SET m:f 1
      EXEC
      MULTI
      DEL m:none
      SPOP m:none
      EXEC
      SADD m:s a b c
      MULTI
      SPOP m:s 3
      SET m:g 1
      # SPOP's members come back in hashtable order (per-process hash seed).
      ~EXEC
      MULTI
      FLUSHDB
      EXEC
      SET m:x 1
    `)
  })

  it('FLUSHDB/FLUSHALL (also when empty), SWAPDB, several dbs, SELECT on the AOF side only when the db changes', async () => {
    await h.run(`
      FLUSHALL
      FLUSHALL
      FLUSHDB
      SELECT 5
      FLUSHDB ASYNC
      SET f:a 1
      [1] SELECT 5
      [1] SET f:b 1
      SELECT 6
      SET f:c 1
      [1] SET f:d 1
      SELECT 0
      SET f:e 1
      SWAPDB 5 6
      SWAPDB 2 2
      SWAPDB 2 99
      MOVE f:e 0
      COPY f:e f:e
      FLUSHALL SYNC
      DBSIZE
      PUBLISH ch msg
      SPUBLISH ch msg
      PING
      ECHO x
      CONFIG SET maxmemory-policy noeviction
      DEBUG SET-ACTIVE-EXPIRE 0
      DEBUG POPULATE 3 p
      DEBUG RELOAD
      SET f:after 1
      SAVE
      SET f:after 2
    `)
  })

  it('expiry: lazy deletions (reads and writes), in MULTI, lazyfree-lazy-expire UNLINK, active expiry in several dbs', async () => {
    await h.run(`
      SET x:a 1 PX 30
      SET x:b 1 PX 30
      SET x:c 1 PX 30
      RPUSH x:l 1 2
      PEXPIRE x:l 30
      SET x:d 1 PX 30
      SET x:e 1 PX 30
      SET x:f 1 PX 30
      HSET x:h f v
      PEXPIRE x:h 30
      !sleep 80
      GET x:a
      SET x:b 2
      RPUSH x:l 3
      MULTI
      GET x:c
      INCR x:d
      EXEC
      EXISTS x:e
      HSET x:h f v2
      CONFIG SET lazyfree-lazy-expire yes
      GET x:f
      SET x:g 1 PX 30
      !sleep 60
      TTL x:g
      EXPIRE x:none 10
      SET x:g2 1
      EXPIRE x:g2 -5
      CONFIG SET lazyfree-lazy-expire no
      SET x:k1 1 PX 30
      SET x:k2 1 PX 30
      SET x:k3 1 PX 30
      SET x:keep 1
      SELECT 4
      SET x:k4 1 PX 30
      SET x:k5 1 PX 30
      SELECT 0
      !sleep 60
      !expire-active 12
      DBSIZE
    `)
  })

  it('expiry: RANDOMKEY and SCAN delete many keys without MULTI/EXEC; served blocked clients meet expired keys', async () => {
    await h.run(`
      FLUSHALL
      SET y:a 1 PX 20
      SET y:b 1 PX 20
      SET y:c 1 PX 20
      SET y:d 1 PX 20
      !sleep 50
      # Every key is expired: RANDOMKEY deletes them all, in random order, and answers nil.
      ^RANDOMKEY
      SET y:e 1 PX 20
      SET y:f 1 PX 20
      SET y:g 1 PX 20
      !sleep 50
      ^SCAN 0 COUNT 100
      # A write meeting an expired key: DEL + the write, wrapped.
      SET y:h 1 PX 20
      !sleep 50
      LPUSH y:h a
      # The destination of a served BLMOVE has expired meanwhile: DEL + LMOVE, wrapped.
      [1]& BLMOVE y:src y:dst LEFT RIGHT 0
      SET y:dst x PX 20
      !sleep 50
      LPUSH y:src a
      [1]<
      LRANGE y:dst 0 -1
      # The key a client waits on expires before it is served: just the DEL, on its own.
      [1]& BLPOP y:l 0
      MULTI
      RPUSH y:l a
      PEXPIRE y:l 5
      DEBUG SLEEP 0.02
      EXEC
      RPUSH y:l b
      [1]<
      [2]& BLPOP y:l2 0.05
      !sleep 120
      [2]<
    `)
  })

  it('aof-timestamp-enabled: a #TS annotation before the first op, then one per new second', async () => {
    await h.stop()
    h = new Harness(true)
    await h.start()
    const before = Math.floor(Date.now() / 1000)
    await h.step({ client: 0, argv: ['SET', 'ts:a', '1'] })
    await h.step({ client: 0, argv: ['SELECT', '3'] })
    await h.step({ client: 0, argv: ['SET', 'ts:b', '1'] })
    await sleep(1100)
    await h.step({ client: 0, argv: ['SET', 'ts:c', '1'] })
    const after = Math.floor(Date.now() / 1000)
    // Both sides annotated the first op and the op after the pause, with their own clock's second.
    for (const side of [h.stamps.redis, h.stamps.engine]) {
      expect(side.length).toBeGreaterThanOrEqual(2)
      expect(side[0]).toBeGreaterThanOrEqual(before)
      expect(side[side.length - 1]).toBeLessThanOrEqual(after)
      expect([...side].sort()).toEqual(side)
      expect(new Set(side).size).toBe(side.length)
    }
    // The annotation comes first, before the SELECT, on both sides.
    expect(readFileSync(h.aofFile, 'latin1')).toMatch(/^#TS:\d+\r\n\*2\r\n\$6\r\nSELECT\r\n/)
    expect(h.engineAof).toMatch(/^#TS:\d+\r\n\*2\r\n\$6\r\nSELECT\r\n/)
  })

  it('random blocking clients served by random writes (fast-check)', async () => {
    const lists = ['q:a', 'q:b', 'q:c']
    const zsets = ['qz:a', 'qz:b']
    const someLists = fc.subarray(lists, { minLength: 1 })
    const someZsets = fc.subarray(zsets, { minLength: 1 })
    const list = fc.constantFrom(...lists)
    const zset = fc.constantFrom(...zsets)
    const val = fc.constantFrom('1', '2', 'x')
    const blocking = fc.oneof(
      someLists.map((ks) => ['BLPOP', ...ks, '0']),
      someLists.map((ks) => ['BRPOP', ...ks, '0']),
      fc.tuple(list, list).map(([a, b]) => ['BLMOVE', a, b, 'LEFT', 'RIGHT', '0']),
      fc.tuple(list, list).map(([a, b]) => ['BRPOPLPUSH', a, b, '0']),
      someLists.map((ks) => ['BLMPOP', '0', String(ks.length), ...ks, 'LEFT', 'COUNT', '2']),
      someZsets.map((ks) => ['BZPOPMIN', ...ks, '0']),
      someZsets.map((ks) => ['BZMPOP', '0', String(ks.length), ...ks, 'MAX', 'COUNT', '2']),
    )
    const write = fc.oneof(
      fc.tuple(list, fc.array(val, { minLength: 1, maxLength: 3 })).map(([k, vs]) => ['RPUSH', k, ...vs]),
      fc.tuple(list, val).map(([k, v]) => ['LPUSH', k, v]),
      fc.tuple(zset, fc.integer({ min: 0, max: 9 }), val).map(([k, sc, m]) => ['ZADD', k, String(sc), m]),
      fc.tuple(list, list).map(([a, b]) => ['LMOVE', a, b, 'RIGHT', 'LEFT']),
      fc.constantFrom(...lists, ...zsets).map((k) => ['DEL', k]),
      fc.constantFrom(...lists).map((k) => ['SET', k, 'str']),
      fc.constantFrom(['MULTI'], ['EXEC'], ['EXEC']),
    )
    const action = fc.oneof(
      fc.tuple(fc.constantFrom(1, 2), blocking).map(([client, argv]) => ({ client, argv: [...argv] })),
      write.map((argv) => ({ client: 0, argv: [...argv] })),
    )
    let inMulti = false
    for (const a of fc.sample(action, { numRuns: 1500, seed: 7 })) {
      if (a.client !== 0) {
        if (h.clients[a.client].blocked) continue
        // A BLMOVE done at once may push to a key the other client waits on.
        const wasBlocked = h.clients.map((c) => c.blocked)
        await h.maybeBlocking(a.client, a.argv)
        await h.readServed(wasBlocked)
        continue
      }
      if (a.argv[0] === 'MULTI') {
        if (inMulti) continue
        inMulti = true
      }
      if (a.argv[0] === 'EXEC') {
        if (!inMulti) continue
        inMulti = false
      }
      const wasBlocked = h.clients.map((c) => c.blocked)
      await h.step({ client: 0, argv: a.argv })
      await h.readServed(wasBlocked)
    }
    if (inMulti) await h.step({ client: 0, argv: ['EXEC'] })
    // Serve whoever still waits, so nothing is left pending.
    const wasBlocked = h.clients.map((c) => c.blocked)
    for (const k of [...lists]) await h.step({ client: 0, argv: ['DEL', k] })
    for (const k of [...lists, ...lists]) await h.step({ client: 0, argv: ['RPUSH', k, 'end1', 'end2'] })
    for (const k of [...zsets]) await h.step({ client: 0, argv: ['ZADD', k, '1', 'end'] })
    await h.readServed(wasBlocked)
    expect(parseOps(h.engineAof).filter((op) => /^(LPOP|RPOP|LMOVE|RPOPLPUSH|ZPOPMIN|ZPOPMAX)$/.test(op[0])).length).toBeGreaterThan(30)
  }, 300_000)

  it('random writes over all types (fast-check), compared after every command', async () => {
    await h.both(0, ['FLUSHALL'])
    h.checkAof('FLUSHALL')
    const keys = ['r:a', 'r:b', 'r:c', 'r:d']
    const key = fc.constantFrom(...keys)
    const val = fc.constantFrom('1', '2', '10', '-3', 'x', 'yy', '1.5', '')
    const num = fc.integer({ min: -3, max: 5 }).map(String)
    const cmd = fc.oneof(
      fc.tuple(key, val).map(([k, v]) => ['SET', k, v]),
      fc.tuple(key, val, fc.constantFrom('EX', 'PX', 'NX', 'XX', 'KEEPTTL', 'GET')).map(([k, v, o]) =>
        o === 'EX' ? ['SET', k, v, 'EX', '1000'] : o === 'PX' ? ['SET', k, v, 'PX', '1000000'] : ['SET', k, v, o],
      ),
      fc.tuple(key, val).map(([k, v]) => ['APPEND', k, v]),
      key.map((k) => ['INCR', k]),
      fc.tuple(key, num).map(([k, n]) => ['INCRBY', k, n]),
      key.map((k) => ['INCRBYFLOAT', k, '0.5']),
      key.map((k) => ['GETDEL', k]),
      fc.tuple(key, fc.constantFrom('EX', 'PERSIST', 'EXAT')).map(([k, o]) =>
        o === 'EX' ? ['GETEX', k, 'EX', '500'] : o === 'EXAT' ? ['GETEX', k, 'EXAT', '1'] : ['GETEX', k, 'PERSIST'],
      ),
      fc.tuple(key, fc.constantFrom('100', '-1', '0')).map(([k, t]) => ['EXPIRE', k, t]),
      fc.tuple(key, fc.constantFrom('NX', 'XX', 'GT', 'LT')).map(([k, f]) => ['PEXPIRE', k, '500000', f]),
      key.map((k) => ['PERSIST', k]),
      fc.tuple(key, key).map(([a, b]) => ['RENAME', a, b]),
      fc.tuple(key, key).map(([a, b]) => ['COPY', a, b, 'REPLACE']),
      fc.tuple(key, key).map(([a, b]) => ['DEL', a, b]),
      fc.tuple(key, fc.array(val, { minLength: 1, maxLength: 3 })).map(([k, vs]) => ['RPUSH', k, ...vs]),
      fc.tuple(key, fc.array(val, { minLength: 1, maxLength: 3 })).map(([k, vs]) => ['LPUSHX', k, ...vs]),
      fc.tuple(key, fc.constantFrom('LPOP', 'RPOP')).map(([k, c]) => [c, k]),
      fc.tuple(key, num).map(([k, n]) => ['LPOP', k, n]),
      fc.tuple(key, key).map(([a, b]) => ['LMOVE', a, b, 'LEFT', 'RIGHT']),
      fc.tuple(key, key).map(([a, b]) => ['BRPOPLPUSH', a, b, '0.01']),
      fc.tuple(key, key).map(([a, b]) => ['BLMPOP', '0.01', '2', a, b, 'LEFT', 'COUNT', '2']),
      fc.tuple(key, num, num).map(([k, a, b]) => ['LTRIM', k, a, b]),
      fc.tuple(key, val).map(([k, v]) => ['LREM', k, '0', v]),
      fc.tuple(key, val, val).map(([k, f, v]) => ['HSET', k, f, v]),
      fc.tuple(key, val).map(([k, f]) => ['HDEL', k, f]),
      fc.tuple(key, val).map(([k, f]) => ['HINCRBY', k, f, '2']),
      fc.tuple(key, val).map(([k, f]) => ['HINCRBYFLOAT', k, f, '1.25']),
      fc.tuple(key, val).map(([k, f]) => ['HSETNX', k, f, 'v']),
      fc.tuple(key, fc.array(val, { minLength: 1, maxLength: 3 })).map(([k, vs]) => ['SADD', k, ...vs]),
      fc.tuple(key, val).map(([k, v]) => ['SREM', k, v]),
      fc.tuple(key, key, val).map(([a, b, v]) => ['SMOVE', a, b, v]),
      key.map((k) => ['SPOP', k, '100']),
      fc.tuple(key, key, key).map(([d, a, b]) => ['SINTERSTORE', d, a, b]),
      fc.tuple(key, key, key).map(([d, a, b]) => ['SUNIONSTORE', d, a, b]),
      fc.tuple(key, num, val).map(([k, s, m]) => ['ZADD', k, s, m]),
      fc.tuple(key, num, val).map(([k, s, m]) => ['ZADD', k, 'GT', 'CH', s, m]),
      fc.tuple(key, val).map(([k, m]) => ['ZINCRBY', k, '1.5', m]),
      fc.tuple(key, val).map(([k, m]) => ['ZREM', k, m]),
      fc.tuple(key, fc.constantFrom('ZPOPMIN', 'ZPOPMAX')).map(([k, c]) => [c, k, '2']),
      fc.tuple(key, key).map(([a, b]) => ['ZMPOP', '2', a, b, 'MAX']),
      fc.tuple(key, key).map(([a, b]) => ['BZPOPMIN', a, b, '0.01']),
      fc.tuple(key, key, key).map(([d, a, b]) => ['ZUNIONSTORE', d, '2', a, b]),
      fc.tuple(key, key).map(([d, a]) => ['ZRANGESTORE', d, a, '0', '1']),
      fc.tuple(key, num).map(([k, n]) => ['ZREMRANGEBYSCORE', k, '-inf', n]),
      fc.tuple(key, fc.integer({ min: 0, max: 40 })).map(([k, n]) => ['SETBIT', k, String(n), '1']),
      fc.tuple(key, key).map(([d, a]) => ['BITOP', 'NOT', d, a]),
      key.map((k) => ['BITFIELD', k, 'INCRBY', 'i8', '0', '100']),
      fc.tuple(key, key).map(([d, a]) => ['SORT', a, 'ALPHA', 'STORE', d]),
      fc.constantFrom(['SELECT', '0'], ['SELECT', '1'], ['MOVE', 'r:a', '1'], ['SWAPDB', '0', '1'], ['FLUSHDB']),
      fc.tuple(key, fc.integer({ min: 0, max: 6 }), val).map(([k, o, v]) => ['SETRANGE', k, String(o), v]),
      fc.tuple(key, val, key, val).map(([a, x, b, y]) => ['MSET', a, x, b, y]),
      fc.tuple(key, val, key, val).map(([a, x, b, y]) => ['MSETNX', a, x, b, y]),
      fc.tuple(key, val).map(([k, v]) => ['GETSET', k, v]),
      fc.tuple(key, val).map(([k, v]) => ['SETNX', k, v]),
      fc.tuple(key, val).map(([k, v]) => ['SETEX', k, '1000', v]),
      fc.tuple(key, val).map(([k, v]) => ['PSETEX', k, '1000000', v]),
      fc.tuple(key, val).map(([k, v]) => ['SET', k, v, 'EXAT', '1']),
      fc.tuple(key, val, val).map(([k, p, v]) => ['LINSERT', k, 'BEFORE', p, v]),
      fc.tuple(key, num, val).map(([k, i, v]) => ['LSET', k, i, v]),
      fc.tuple(key, val).map(([k, v]) => ['LPUSH', k, v]),
      fc.tuple(key, val, val).map(([k, f, v]) => ['HMSET', k, f, v, 'z', v]),
      fc.tuple(key, key, key).map(([d, a, b]) => ['SDIFFSTORE', d, a, b]),
      fc.tuple(key, key, key).map(([d, a, b]) => ['ZINTERSTORE', d, '2', a, b, 'AGGREGATE', 'MAX']),
      fc.tuple(key, key, key).map(([d, a, b]) => ['ZDIFFSTORE', d, '2', a, b]),
      fc.tuple(key, num).map(([k, n]) => ['ZREMRANGEBYRANK', k, '0', n]),
      key.map((k) => ['ZREMRANGEBYLEX', k, '[a', '+']),
      fc.tuple(key, num, val).map(([k, sc, m]) => ['ZADD', k, 'NX', 'INCR', sc, m]),
      key.map((k) => ['BITFIELD', k, 'SET', 'u4', '4', '7', 'GET', 'u4', '0']),
      fc.tuple(key, key).map(([a, b]) => ['RENAMENX', a, b]),
      fc.tuple(key, key).map(([a, b]) => ['UNLINK', a, b]),
      fc.tuple(key, fc.constantFrom('1', '4102444800')).map(([k, t]) => ['EXPIREAT', k, t]),
      fc.tuple(key, fc.constantFrom('1', '4102444800000')).map(([k, t]) => ['PEXPIREAT', k, t, 'GT']),
      fc.tuple(key, key).map(([a, b]) => ['TOUCH', a, b]),
      fc.tuple(key, key).map(([a, b]) => ['COPY', a, b, 'DB', '1']),
      fc.tuple(key, key).map(([d, a]) => ['SORT', a, 'BY', 'nosort', 'STORE', d]),
      fc.constantFrom(['MULTI'], ['EXEC'], ['EXEC'], ['EXEC'], ['DISCARD']),
      fc.constantFrom(['SELECT', '0'], ['SELECT', '1'], ['SELECT', '2']),
      fc.constantFrom(['SELECT', '0'], ['SELECT', '1'], ['SELECT', '2']),
      key.map((k) => ['GET', k]),
      key.map((k) => ['TYPE', k]),
    )
    const script = fc.sample(cmd.map(retype), { numRuns: 3000, seed: 20261123 })
    // SPOP's reply lists a hashtable set in bucket order, which follows each process's hash seed.
    // (So is EXEC's reply when the transaction holds one.)
    let spopQueued = false
    for (const argv of script) {
      const name = argv[0]
      const anyReply = name === 'SPOP' || (name === 'EXEC' && spopQueued)
      if (name === 'SPOP') spopQueued = true
      if (name === 'EXEC' || name === 'DISCARD') spopQueued = false
      await h.step({ client: 0, argv, anyReply })
    }
    // Close an open transaction, if any, so the last commands are compared too.
    await h.step({ client: 0, argv: ['DISCARD'] })
    // The sequence did write a lot, transactions and several dbs included.
    const ops = parseOps(h.engineAof)
    const count = (name: string): number => ops.filter((op) => op[0] === name).length
    expect(ops.length).toBeGreaterThan(1500)
    expect(count('MULTI')).toBeGreaterThan(20)
    expect(count('SELECT')).toBeGreaterThan(20)
    expect(count('DEL')).toBeGreaterThan(20)
  }, 300_000)
})

// Commands of a type get keys of that type (fewer WRONGTYPE errors); generic commands map
// each key letter to one type, so RENAME/COPY/MOVE still mix types now and then.
const TYPE_OF: Record<string, string> = {}
for (const [t, names] of Object.entries({
  s: 'set append incr incrby incrbyfloat getdel getex setrange mset msetnx getset setnx setex psetex get setbit bitop bitfield',
  l: 'rpush lpushx lpush lpop rpop lmove brpoplpush blmpop ltrim lrem linsert lset',
  h: 'hset hdel hincrby hincrbyfloat hsetnx hmset',
  t: 'sadd srem smove spop sinterstore sunionstore sdiffstore',
  z: 'zadd zincrby zrem zpopmin zpopmax zmpop bzpopmin zunionstore zrangestore zremrangebyscore zinterstore zdiffstore zremrangebyrank zremrangebylex',
})) {
  for (const n of names.split(' ')) TYPE_OF[n] = t
}
const LETTER_TYPE: Record<string, string> = { a: 's', b: 'l', c: 'h', d: 'z' }

function retype(argv: readonly string[]): string[] {
  const t = TYPE_OF[argv[0].toLowerCase()]
  return argv.map((a) => {
    const m = /^r:([a-d])$/.exec(a)
    if (m === null) return a
    return `${t ?? LETTER_TYPE[m[1]]}:${m[1]}`
  })
}

/** The raw bytes one side appended since the last check (for comparisons that normalise by hand). */
function readNew(h: Harness, side: 'redis' | 'engine'): string {
  // Private accessors, reached on purpose: only this file uses the harness.
  const any = h as unknown as { redisDelta(): string; engineDelta(): string }
  return side === 'redis' ? any.redisDelta() : any.engineDelta()
}
