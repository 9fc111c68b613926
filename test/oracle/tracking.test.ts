// Differential tests of client-side caching (CLIENT TRACKING and friends)
// against redis-server 7.0.15, byte for byte, in RESP2 and RESP3.
//
// Tracking needs what the shared oracle cannot give: one client names another
// by id (REDIRECT), and ids differ between the two servers. So this file has a
// small harness of its own: every client exists on both sides, `$id:cN` in an
// argument becomes client N's id on each side, and after every step each
// client's new frames (replies and pushes, in order) are compared. Redis is
// asked for as many frames as the engine produced for that client; at the end
// of a script no client may have an unexpected frame left on the Redis side.
import { afterEach, expect, it } from 'vitest'
import { describeOracle, startRedis, type RedisProcess } from '../support/redis-server.ts'
import { connectRaw, escapeBytes, fromBytes, type RawConn } from '../support/resp-conn.ts'
import { splitArgs } from '../support/oracle.ts'
import { createServer, type Server } from '../../engine/server/server.ts'
import type { Client } from '../../engine/server/client.ts'
import { encodeReply } from '../../engine/protocol/encoder.ts'
import { SystemClock } from '../../engine/node/clock.ts'
import { tracking } from '../../engine/server/tracking.ts'

type Resp = 2 | 3

interface Side {
  conn: RawConn
  client: Client
  frames: string[]
  seen: number
  redisId: number
  engineId: number
}

/** Which part of a step's frames is compared (a projection, not a rewrite of random data). */
type Project = (frame: string) => string

class Pair {
  readonly sides = new Map<number, Side>()
  /** Every client's ids, kept after it closes (a broken redirect still names it). */
  private readonly known = new Map<number, { redisId: number; engineId: number }>()
  readonly log: string[] = []
  private constructor(
    readonly resp: Resp,
    readonly redis: RedisProcess,
    readonly server: Server,
  ) {}

  static async start(resp: Resp, redisArgs: string[] = [], config: Record<string, string> = {}): Promise<Pair> {
    const redis = await startRedis(redisArgs)
    const server = createServer({ clock: new SystemClock(), config })
    return new Pair(resp, redis, server)
  }

  async side(n: number): Promise<Side> {
    let s = this.sides.get(n)
    if (s !== undefined) return s
    const conn = await connectRaw(this.redis.port)
    const client = this.server.connect()
    const frames: string[] = []
    client.onPush = (r) => frames.push(fromBytes(encodeReply(r, client.resp)))
    if (this.resp === 3) {
      await conn.call(['HELLO', '3'])
      client.call(['HELLO', '3'])
    }
    const redisId = Number((await conn.call(['CLIENT', 'ID'])).slice(1, -2))
    s = { conn, client, frames, seen: 0, redisId, engineId: client.id }
    this.known.set(n, { redisId, engineId: client.id })
    this.sides.set(n, s)
    return s
  }

  /** `$id:cN` -> client N's id on that side. */
  private subst(argv: string[], which: 'redisId' | 'engineId'): string[] {
    return argv.map((a) => a.replace(/\$id:c(\d+)/g, (_, n: string) => String(this.known.get(Number(n))?.[which] ?? 999999)))
  }

  /** Integers that are some client's id become <cN>, on each side (ids differ between servers). */
  private ids(frame: string, which: 'redisId' | 'engineId'): string {
    return frame.replace(/:(\d+)\r\n/g, (m, d: string) => {
      for (const [n, s] of this.known) if (s[which] === Number(d)) return `:<c${n}>\r\n`
      return m
    })
  }

  async step(n: number, argv: string[], opts: { ids?: boolean; project?: Project } = {}): Promise<void> {
    const me = await this.side(n)
    // Replies that are client ids (which differ between the servers) compare as <cN>.
    if (argv[0].toLowerCase() === 'client' && ['id', 'getredir', 'trackinginfo'].includes(argv[1]?.toLowerCase())) {
      opts = { ...opts, ids: true }
    }
    for (const s of this.sides.values()) await this.settle(s)
    this.log.push(`[c${n}] ${argv.join(' ')}`)
    me.conn.send(this.subst(argv, 'redisId'))
    const r = me.client.call(this.subst(argv, 'engineId'))
    if (r !== undefined) me.frames.push(fromBytes(encodeReply(r, me.client.resp)))
    for (const p of me.client.takeAfterReply()) me.frames.push(fromBytes(encodeReply(p, me.client.resp)))
    // The event loop's beforeSleep, as the hosts run it after each batch of input.
    this.server.beforeSleep()
    for (const [k, s] of this.sides) await this.compare(k, s, opts)
  }

  /** Frames the engine sent to client k since the last comparison, against as many from Redis. */
  private async compare(k: number, s: Side, opts: { ids?: boolean; project?: Project }): Promise<void> {
    const mine = s.frames.slice(s.seen)
    s.seen = s.frames.length
    const theirs: string[] = []
    for (let i = 0; i < mine.length; i++) {
      try {
        theirs.push(await s.conn.readFrame(3000))
      } catch {
        break
      }
    }
    const norm = (f: string, which: 'redisId' | 'engineId'): string => {
      let out = opts.project ? opts.project(f) : f
      // The broken-redirect push names a client id, which differs between servers.
      if (opts.ids || out.includes('tracking-redir-broken')) out = this.ids(out, which)
      return out
    }
    const a = theirs.map((f) => norm(f, 'redisId')).join('')
    const b = mine.map((f) => norm(f, 'engineId')).join('')
    if (a !== b) {
      throw new Error(
        `RESP${this.resp} client c${k} differs after ${this.log[this.log.length - 1]}\n  redis : ${escapeBytes(a)}\n  engine: ${escapeBytes(b)}\n` +
          `  history:\n    ${this.log.join('\n    ')}`,
      )
    }
  }

  /** Redis may not have sent everything yet (beforeSleep, cron): nothing unexpected may be waiting. */
  private async settle(s: Side): Promise<void> {
    if (s.frames.length > s.seen) return
    const extra = s.conn.pushes.splice(0)
    if (extra.length > 0) throw new Error(`redis sent unexpected pushes: ${escapeBytes(extra.join(''))}\n    ${this.log.join('\n    ')}`)
  }

  async close(n: number): Promise<void> {
    const s = this.sides.get(n)!
    this.log.push(`[c${n}] (closes)`)
    await s.conn.close()
    s.client.close()
    this.sides.delete(n)
    // Let Redis notice the closed socket before the next command.
    await new Promise((r) => setTimeout(r, 50))
  }

  /** Runs a script: `[cN] COMMAND args`, `[cN ids] ...`, `[cN] .close`, `.sleep ms`, `# comments`. */
  async run(script: string, opts: { project?: Project } = {}): Promise<void> {
    for (const raw of script.split('\n')) {
      let line = raw.trim()
      if (line === '' || line.startsWith('#')) continue
      if (line.startsWith('.sleep')) {
        await new Promise((r) => setTimeout(r, Number(line.split(/\s+/)[1])))
        continue
      }
      let n = 0
      let ids = false
      const tag = /^\[([^\]]*)\]\s*/.exec(line)
      if (tag) {
        line = line.slice(tag[0].length)
        for (const t of tag[1].split(/\s+/)) {
          if (/^c\d+$/.test(t)) n = Number(t.slice(1))
          else if (t === 'ids') ids = true
          else throw new Error(`unknown tag ${t}`)
        }
      }
      if (line === '.close') await this.close(n)
      else await this.step(n, splitArgs(line), { ids, project: opts.project })
    }
    await this.finish()
  }

  /** After a short wait, no client may have an unexpected frame on the Redis side. */
  async finish(): Promise<void> {
    await new Promise((r) => setTimeout(r, 150))
    for (const [k, s] of this.sides) {
      let extra: string | undefined
      try {
        extra = await s.conn.readFrame(10)
      } catch {
        extra = undefined
      }
      if (extra !== undefined) throw new Error(`RESP${this.resp} c${k}: redis sent an unexpected frame ${escapeBytes(extra)}\n    ${this.log.join('\n    ')}`)
    }
  }

  async shutdown(): Promise<void> {
    await Promise.allSettled([...this.sides.values()].map((s) => s.conn.close()))
    this.server.shutdown()
    await this.redis.stop()
  }
}

// INFO: only the tracking lines are compared (the rest describes each process).
const trackingInfoLines: Project = (f) =>
  f.startsWith('$') || f.startsWith('=')
    ? f
        .split('\r\n')
        .filter((l) => l.startsWith('tracking_'))
        .join('\n')
    : f

// CLIENT LIST / INFO: only the flags field is compared (addresses, ages and ids are per process).
const flagsField: Project = (f) => [...f.matchAll(/ flags=(\S+)/g)].map((m) => m[1]).join(',') || f

// Through the engine's TCP server, both sides are sockets: after each command every
// connection's bytes are drained from both (after a short settle) and compared.
describeOracle('client tracking through the TCP server (RESP3)', () => {
  it('self-invalidation after the reply, redirection, BCAST, flush, broken redirect', async () => {
    const { TcpServer } = await import('../../engine/node/tcp-server.ts')
    const redis = await startRedis()
    const server = createServer({ clock: new SystemClock() })
    const listener = new TcpServer(server)
    const port = await listener.listen({ port: 0, host: '127.0.0.1' })
    const conns = new Map<number, { r: RawConn; e: RawConn; ids: [number, number] }>()
    const log: string[] = []
    const settle = () => new Promise((r) => setTimeout(r, 60))
    const drain = async (c: RawConn): Promise<string> => {
      let out = ''
      for (;;) {
        try {
          out += await c.readFrame(5)
        } catch {
          return out
        }
      }
    }
    const conn = async (n: number) => {
      let c = conns.get(n)
      if (c === undefined) {
        const r = await connectRaw(redis.port)
        const e = await connectRaw(port)
        await r.call(['HELLO', '3'])
        await e.call(['HELLO', '3'])
        const ids: [number, number] = [Number((await r.call(['CLIENT', 'ID'])).slice(1, -2)), Number((await e.call(['CLIENT', 'ID'])).slice(1, -2))]
        c = { r, e, ids }
        conns.set(n, c)
      }
      return c
    }
    // Client ids differ between the servers: in CLIENT ID replies and broken-redirect pushes they compare as <cN>.
    const unid = (s: string, side: 0 | 1, line: string) =>
      line === 'CLIENT ID' || s.includes('tracking-redir-broken')
        ? s.replace(/:(\d+)\r\n/g, (m, d: string) => {
            for (const [n, c] of conns) if (c.ids[side] === Number(d)) return `:<c${n}>\r\n`
            return m
          })
        : s
    try {
      const script = `
        [c1] SUBSCRIBE __redis__:invalidate
        CLIENT TRACKING on
        GET k
        SET k 1
        MULTI
        GET k
        SET k 2
        EXEC
        [c2] CLIENT TRACKING on REDIRECT $c1
        [c2] GET j
        [c3] SET j 1
        [c4] CLIENT TRACKING on BCAST PREFIX u
        [c3] MSET u1 1 u2 2 v 3
        FLUSHALL
        [c5] CLIENT ID
        [c6] CLIENT TRACKING on REDIRECT $c5
        [c6] GET z
        [c5] QUIT
        [c3] SET z 1
        [c6] PING
      `
      for (const raw of script.split('\n')) {
        let line = raw.trim()
        if (line === '') continue
        let n = 0
        const tag = /^\[c(\d+)\]\s*/.exec(line)
        if (tag) {
          n = Number(tag[1])
          line = line.slice(tag[0].length)
        }
        const me = await conn(n)
        const argv = splitArgs(line)
        log.push(`[c${n}] ${line}`)
        me.r.send(argv.map((a) => a.replace(/^\$c(\d+)$/, (_, k: string) => String(conns.get(Number(k))!.ids[0]))))
        me.e.send(argv.map((a) => a.replace(/^\$c(\d+)$/, (_, k: string) => String(conns.get(Number(k))!.ids[1]))))
        await settle()
        for (const [k, c] of conns) {
          const a = unid(await drain(c.r), 0, line)
          const b = unid(await drain(c.e), 1, line)
          if (a !== b) throw new Error(`c${k} differs after ${line}\n  redis : ${escapeBytes(a)}\n  engine: ${escapeBytes(b)}\n    ${log.join('\n    ')}`)
        }
      }
    } finally {
      await Promise.allSettled([...conns.values()].flatMap((c) => [c.r.close(), c.e.close()]))
      await listener.close()
      server.shutdown()
      await redis.stop()
    }
  })
})

for (const resp of [2, 3] as const) {
  describeOracle(`client tracking (RESP${resp})`, () => {
    let pair: Pair | undefined
    const start = async (redisArgs: string[] = [], config: Record<string, string> = {}): Promise<Pair> => {
      pair = await Pair.start(resp, redisArgs, config)
      return pair
    }
    afterEach(async () => {
      await pair?.shutdown()
      pair = undefined
    })

    it('every CLIENT TRACKING / CACHING error and option rule', async () => {
      const p = await start()
      await p.run(`
        [c1] CLIENT ID
        CLIENT CACHING yes
        CLIENT CACHING
        CLIENT TRACKING
        CLIENT TRACKING maybe
        CLIENT TRACKING on foo
        CLIENT TRACKING on REDIRECT
        CLIENT TRACKING on PREFIX
        CLIENT TRACKING on REDIRECT abc
        CLIENT TRACKING on REDIRECT 0
        CLIENT TRACKING on REDIRECT -3
        CLIENT TRACKING on REDIRECT 999999
        CLIENT TRACKING off REDIRECT 999999
        CLIENT TRACKING on REDIRECT $id:c1 REDIRECT $id:c1
        CLIENT TRACKING on PREFIX a
        CLIENT TRACKING on OPTIN OPTOUT
        CLIENT TRACKING on BCAST OPTIN
        CLIENT TRACKING on BCAST OPTOUT
        CLIENT TRACKING on bcast prefix a prefix a
        CLIENT TRACKING on prefix a bcast prefix ab prefix x
        CLIENT TRACKINGINFO
        CLIENT TRACKING off PREFIX a
        CLIENT TRACKING off OPTIN OPTOUT
        CLIENT TRACKINGINFO
        CLIENT GETREDIR
        CLIENT TRACKING on OPTIN
        CLIENT TRACKING on OPTOUT
        CLIENT TRACKING on BCAST
        CLIENT CACHING no
        CLIENT CACHING maybe
        CLIENT CACHING yes
        CLIENT TRACKINGINFO
        CLIENT TRACKING on OPTIN NOLOOP
        CLIENT TRACKINGINFO
        CLIENT TRACKING off
        CLIENT CACHING yes
        CLIENT TRACKING on OPTOUT
        CLIENT CACHING yes
        CLIENT CACHING no
        CLIENT TRACKINGINFO
        CLIENT TRACKING off
        CLIENT TRACKING on BCAST PREFIX b PREFIX a
        CLIENT TRACKING on
        CLIENT TRACKING on BCAST PREFIX ab
        CLIENT TRACKING on BCAST PREFIX c PREFIX "a\\x00z"
        CLIENT TRACKING on BCAST PREFIX "b\\x00q"
        CLIENT TRACKINGINFO
        CLIENT TRACKING on BCAST
        CLIENT TRACKINGINFO
        CLIENT TRACKING off
        CLIENT TRACKINGINFO
      `)
    })

    it('a prefix overlap found past the first prefix replies the error and +OK (7.0.15)', async () => {
      const p = await start()
      await p.run(`
        CLIENT TRACKING on BCAST PREFIX x PREFIX a PREFIX ab
        CLIENT TRACKINGINFO
        INFO stats
      `, { project: trackingInfoLines })
    })

    it('invalidates keys read by the client when another client writes them', async () => {
      const p = await start()
      await p.run(`
        CLIENT TRACKING on
        GET k
        MGET a b k
        HGET h f
        [c1] SET k 1
        [c1] MSET a 1 b 2
        [c1] HSET h f v
        EXISTS k h
        STRLEN a
        [c1] DEL k h a
        GET nope
        [c1] SET nope 1
        [c1] SET nope 2
        PING
      `)
    })

    it('remembers the keys of every read-only command (even one that fails), none of write commands', async () => {
      const p = await start()
      await p.run(`
        [c1] MSET s abc s2 abd e1 1 t 1 d 1 o 1 m 1 tt 1 w 1
        [c1] HSET h f v
        [c1] HSET h2 f v
        [c1] RPUSH l a b
        [c1] RPUSH l2 a
        [c1] SADD st a
        [c1] SADD s1 a
        [c1] SADD s2 a
        [c1] SADD sc1 a
        [c1] SADD sm a
        [c1] SADD su1 a
        [c1] SADD sd1 a
        [c1] ZADD z 1 a
        [c1] ZADD zu1 1 a
        [c1] ZADD zi2 1 a
        [c1] ZADD zs 1 a
        [c1] RPUSH so 3 1 2
        [c1] SET dst x
        CLIENT TRACKING on
        GETRANGE s 0 1
        STRLEN s
        GETBIT s 1
        BITCOUNT s
        BITPOS s 1
        BITFIELD_RO s GET u8 0
        LCS s s2
        EXISTS e1 e2
        TYPE t
        PTTL t
        EXPIRETIME t
        OBJECT ENCODING o
        MEMORY USAGE m
        TOUCH tt
        GET h
        HGETALL h2
        LRANGE l 0 -1
        LINDEX l2 0
        SMEMBERS st
        SINTER s1 s2
        SINTERCARD 2 sc1 sc2
        SMISMEMBER sm a
        SUNION su1 su2
        SDIFF sd1 sd2
        ZRANGE z 0 -1
        ZUNION 2 zu1 zu2
        ZINTERCARD 2 zi1 zi2
        ZSCORE zs a
        SORT_RO so
        KEYS *
        DBSIZE
        SCAN 0 COUNT 1000
        SET w 2
        COPY s dst REPLACE
        [c1] DEL s s2 e1 e2 t d o m tt h h2 l l2 st s1 s2 sc1 sc2 sm su1 su2 sd1 sd2 z zu1 zu2 zi1 zi2 zs so w dst
        PING
      `, { project: (f) => (f.startsWith('*') && f.length > 200 ? '<KEYS/SCAN reply: hashtable order>' : f) })
    })

    it('the client hears about its own writes after the reply, in MULTI after EXEC', async () => {
      const p = await start()
      await p.run(`
        CLIENT TRACKING on
        GET k
        SET k v
        GET k
        MULTI
        SET k 1
        GET k
        SET k 2
        INCR n
        EXEC
        GET k
        GET j
        MSET k 3 j 4
        PING
      `)
    })

    it('NOLOOP: not about its own writes', async () => {
      const p = await start()
      await p.run(`
        CLIENT TRACKING on NOLOOP
        GET k
        SET k 1
        GET k
        [c1] SET k 2
        PING
        GET k
        MULTI
        SET k 3
        EXEC
        [c1] SET k 4
        PING
      `)
    })

    it('OPTIN / OPTOUT with CLIENT CACHING, in MULTI and after other CLIENT subcommands', async () => {
      const p = await start()
      await p.run(`
        CLIENT TRACKING on OPTIN
        GET a
        CLIENT CACHING yes
        GET b
        GET c
        CLIENT CACHING yes
        CLIENT ID
        GET d
        CLIENT CACHING yes
        MULTI
        GET e
        GET f
        EXEC
        GET g
        MULTI
        CLIENT CACHING yes
        GET h
        EXEC
        GET i
        [c1] MSET a 1 b 1 c 1 d 1 e 1 f 1 g 1 h 1 i 1
        PING
        CLIENT TRACKING off
        CLIENT TRACKING on OPTOUT
        GET a
        CLIENT CACHING no
        GET b
        GET c
        [c1] MSET a 2 b 2 c 2
        PING
      `)
    })

    it('RESP2 invalidations go to a redirect client subscribed to __redis__:invalidate', async () => {
      const p = await start()
      await p.run(`
        [c1 ids] CLIENT ID
        [c1] SUBSCRIBE __redis__:invalidate
        CLIENT TRACKING on REDIRECT $id:c1
        [ids] CLIENT GETREDIR
        [ids] CLIENT TRACKINGINFO
        GET k
        [c2] SET k 1
        GET k
        SET k 2
        GET k
        MULTI
        SET k 3
        EXEC
        FLUSHDB
        GET k
        SELECT 1
        FLUSHALL
        SELECT 0
        CLIENT TRACKING on REDIRECT $id:c2
        GET x
        [c2] SET x 1
        [c2] PING
        CLIENT TRACKING on REDIRECT $id:c0
        GET x
        [c2] SET x 2
        PING
      `)
    })

    it('BCAST: prefixes, batched per prefix in byte order, NOLOOP per client', async () => {
      const p = await start()
      await p.run(`
        CLIENT TRACKING on BCAST PREFIX b PREFIX a NOLOOP
        [c1] CLIENT TRACKING on BCAST PREFIX a
        [c2] CLIENT TRACKING on BCAST
        [c3] MSET b2 1 a2 1 a1 1 zz 1 b1 1
        PING
        [c1] PING
        MSET a3 1 b3 1 a0 1
        [c1] MSET a3 1
        PING
        SET a3 2
        [c1] DEL a3 a2
        [c3] GET a1
        PING
        [c1] CLIENT TRACKING off
        [c3] SET a9 9
        PING
        [c1] PING
        FLUSHALL
        [c1] PING
      `)
    })

    it('RESP2 BCAST through a redirect', async () => {
      const p = await start()
      await p.run(`
        [c1] CLIENT ID
        [c1] SUBSCRIBE __redis__:invalidate
        CLIENT TRACKING on BCAST PREFIX user: REDIRECT $id:c1
        [c2] SET user:1 a
        [c2] SET other b
        [c2] MSET user:2 x user:3 y
        [c1] PING
      `)
    })

    it('FLUSHDB / FLUSHALL send a null invalidation to every tracking client', async () => {
      const p = await start()
      await p.run(`
        CLIENT TRACKING on
        [c1] CLIENT TRACKING on BCAST
        [c2] CLIENT TRACKING on OPTIN
        GET k
        SELECT 3
        FLUSHDB
        SELECT 0
        [c1] PING
        [c2] PING
        [c3] SET k 1
        PING
        [c3] FLUSHALL
        PING
        [c1] PING
        FLUSHDB ASYNC
        [c1] PING
      `)
    })

    it('SWAPDB invalidates nothing', async () => {
      const p = await start()
      await p.run(`
        CLIENT TRACKING on
        [c1] SET x 1
        GET x
        SWAPDB 0 1
        SWAPDB 0 1
        PING
        [c1] SET x 2
        PING
      `)
    })

    it('expired keys are invalidated (lazily, and BCAST NOLOOP clients hear of them)', async () => {
      const p = await start(['--enable-debug-command', 'yes'], { 'enable-debug-command': 'yes' })
      await p.run(`
        DEBUG SET-ACTIVE-EXPIRE 0
        CLIENT TRACKING on
        [c1] CLIENT TRACKING on BCAST NOLOOP
        [c1] SET e1 v PX 30
        [c1] PING
        GET e1
        [c2] SET e2 v PX 30
        GET e2
        .sleep 60
        GET e1
        [c1] EXISTS e1
        [c1] PING
        [c2] GET e2
        PING
        [c1] PING
      `)
    })

    it('a redirect client that goes away: tracking-redir-broken (RESP3) and the R flag', async () => {
      const p = await start()
      await p.run(`
        [c1] CLIENT ID
        CLIENT TRACKING on REDIRECT $id:c1
        GET x
        GET z
        [c1] .close
        [c2] SET x 1
        PING
        [ids] CLIENT TRACKINGINFO
        [ids] CLIENT GETREDIR
        SET z 1
        FLUSHALL
        CLIENT TRACKING on BCAST
        CLIENT TRACKING off
        CLIENT TRACKING on
        CLIENT TRACKINGINFO
      `)
    })

    it('CLIENT LIST / INFO flags: t, R, B', async () => {
      const p = await start()
      await p.run(`
        [c1] CLIENT ID
        CLIENT INFO
        CLIENT TRACKING on
        CLIENT INFO
        CLIENT TRACKING on REDIRECT $id:c1
        GET k
        [c1] .close
        [c2] SET k 1
        CLIENT INFO
        [c2] CLIENT LIST
        CLIENT TRACKING off
        CLIENT TRACKING on BCAST
        CLIENT INFO
        MULTI
        CLIENT INFO
        EXEC
      `, { project: flagsField })
    })

    it('INFO: tracking_clients, tracking_total_keys/items/prefixes, also after clients leave', async () => {
      const p = await start()
      await p.run(`
        INFO everything
        CLIENT TRACKING on
        MGET k1 k2 k3
        [c1] CLIENT TRACKING on
        [c1] GET k1
        [c2] CLIENT TRACKING on BCAST PREFIX p PREFIX q
        [c3] CLIENT TRACKING on BCAST PREFIX p
        [c4] INFO everything
        .close
        [c1] .close
        [c2] .close
        [c4] INFO
        [c4] SET k1 x
        [c4] INFO stats
        [c3] .close
        [c4] INFO clients
        [c4] INFO stats
      `, { project: trackingInfoLines })
    })

    it('tracking-table-max-keys: random keys are forgotten, their clients told', async () => {
      const p = await start()
      // Which key goes is random (a random walk of the table): key names are not compared.
      const anyKey: Project = (f) => trackingInfoLines(f).replace(/invalidate\r\n\*1\r\n\$2\r\nk\d\r\n/, 'invalidate\r\n*1\r\n<key>')
      await p.run(`
        [c1] CONFIG SET tracking-table-max-keys 2
        CLIENT TRACKING on
        MGET k1 k2
        [c1] INFO stats
        GET k3
        PING
        [c1] INFO stats
        [c1] CONFIG SET tracking-table-max-keys 0
        MGET k1 k2 k3 k4
        [c1] INFO stats
      `, { project: anyKey })
    })

    it('a tracking client that disconnects leaves nothing of itself behind', async () => {
      const p = await start()
      await p.run(`
        CLIENT TRACKING on BCAST PREFIX a PREFIX b
        [c1] CLIENT TRACKING on
        [c1] MGET a1 b1 c1
      `)
      const t = tracking(p.server)
      const c0 = p.sides.get(0)!.client
      const c1 = p.sides.get(1)!.client
      expect(t.hasPrefixMembership(c0)).toBe(true)
      expect(t.clientsOf('c1')).toEqual([c1.id])
      await p.run(`
        .close
        [c1] .close
        [c2] INFO everything
      `, { project: trackingInfoLines })
      // No prefix or BCAST state refers to either client; only c1's id stays under the keys
      // it read (as in Redis, dropped once they change), and no client object is kept.
      expect(t.hasPrefixMembership(c0)).toBe(false)
      expect(t.prefixTable.size).toBe(0)
      expect(t.trackingClients).toBe(0)
      expect(t.totals()).toEqual({ keys: 3, items: 3, prefixes: 0 })
      await p.run(`
        [c2] MSET a1 1 b1 1 c1 1
        [c2] INFO stats
      `, { project: trackingInfoLines })
      expect(t.totals()).toEqual({ keys: 0, items: 0, prefixes: 0 })
    })
  })
}
