// ioredis 6 against glassbox-server (a child process), in RESP2 (`protocol: 2`)
// and RESP3 (`protocol: 3`, ioredis 6's default: it sends HELLO 3 first).
// Each scenario runs against glassbox and against a real redis-server 7.0.15,
// and the values ioredis hands back must be equal.

import Redis, { type RedisOptions } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startRedis, type RedisProcess } from '../support/redis-server.ts'
import { describeWithTools, startGlassbox, type GlassboxProcess } from './support.ts'

type Outcome = unknown

/** A settled result: the value, or the error's class and message. */
async function settle(p: Promise<unknown>): Promise<Outcome> {
  try {
    const v = await p
    return Buffer.isBuffer(v) ? { buffer: v.toString('hex') } : v
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message }
  }
}

/** All 256 byte values: binary-safe keys and values must round-trip. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i))

async function commands(r: Redis): Promise<Outcome[]> {
  const out: Outcome[] = []
  const add = async (p: Promise<unknown>): Promise<void> => {
    out.push(await settle(p))
  }
  await add(r.flushall())
  await add(r.ping())
  await add(r.ping('hi'))
  await add(r.set('k', 'v'))
  await add(r.get('k'))
  await add(r.get('missing'))
  await add(r.set('n', '10'))
  await add(r.incr('n'))
  await add(r.incrby('n', 5))
  await add(r.decrby('n', 2))
  await add(r.incrbyfloat('n', 1.5))
  await add(r.append('k', 'xyz'))
  await add(r.strlen('k'))
  await add(r.getrange('k', 0, 1))
  await add(r.setrange('k', 1, 'Q'))
  await add(r.mset('a', '1', 'b', '2'))
  await add(r.mget('a', 'b', 'nokey'))
  await add(r.exists('a', 'b', 'nokey'))
  await add(r.del('a'))
  await add(r.set('e', 'v', 'EX', 100))
  await add(r.ttl('e'))
  await add(r.persist('e'))
  await add(r.type('k'))
  await add(r.dbsize())
  await add(r.set(ALL_BYTES, ALL_BYTES))
  await add(r.getBuffer(ALL_BYTES))
  await add(r.set('big', 'x'.repeat(1_000_000)))
  await add(r.strlen('big'))
  await add(r.getBuffer('big').then((b) => b?.length))
  await add(r.incr('k'))
  await add(r.call('NOSUCHCOMMAND', 'a'))
  await add(r.call('GET'))
  await add(r.config('GET', 'maxmemory'))
  await add(r.set('neg', '-5'))
  await add(r.decr('neg'))
  await add(r.object('ENCODING', 'neg'))
  return out
}

async function pipeline(r: Redis): Promise<Outcome> {
  await r.flushall()
  const p = r.pipeline()
  for (let i = 0; i < 10_000; i++) p.set(`key:${i}`, `value:${i}`)
  for (let i = 0; i < 10_000; i += 100) p.get(`key:${i}`)
  p.incr('key:1')
  p.dbsize()
  const results = await p.exec()
  return results?.map(([err, v]) => (err ? { error: err.message } : v))
}

describeWithTools('ioredis', ['redis-server'], () => {
  let glassbox: GlassboxProcess
  let redis: RedisProcess
  const clients: Redis[] = []

  beforeAll(async () => {
    ;[glassbox, redis] = await Promise.all([startGlassbox(), startRedis()])
  })
  afterAll(async () => {
    for (const c of clients) c.disconnect()
    await Promise.all([glassbox?.stop(), redis?.stop()])
  })

  async function connect(port: number, opts: RedisOptions = {}): Promise<Redis> {
    const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, ...opts })
    clients.push(r)
    await r.connect()
    return r
  }

  for (const protocol of [2, 3] as const) {
    it(`protocol ${protocol}: commands give the same results as against redis-server`, async () => {
      const ours = await commands(await connect(glassbox.port, { protocol }))
      const theirs = await commands(await connect(redis.port, { protocol }))
      expect(ours).toEqual(theirs)
      // Spot checks, so a shared mistake cannot pass unseen.
      expect(ours[4]).toBe('v')
      expect(ours[25]).toEqual({ buffer: ALL_BYTES.toString('hex') })
    })

    it(`protocol ${protocol}: a 10,000-command pipeline`, async () => {
      const ours = await pipeline(await connect(glassbox.port, { protocol }))
      const theirs = await pipeline(await connect(redis.port, { protocol }))
      expect(ours).toEqual(theirs)
      expect((ours as unknown[]).length).toBe(10_102)
    })

    it(`protocol ${protocol}: auto-pipelining 5,000 concurrent commands`, async () => {
      const r = await connect(glassbox.port, { protocol, enableAutoPipelining: true })
      await r.flushall()
      const sets = await Promise.all(Array.from({ length: 5000 }, (_, i) => r.set(`ap:${i}`, String(i))))
      expect(sets.every((s) => s === 'OK')).toBe(true)
      const gets = await Promise.all(Array.from({ length: 5000 }, (_, i) => r.get(`ap:${i}`)))
      expect(gets).toEqual(Array.from({ length: 5000 }, (_, i) => String(i)))
    })

    it(`protocol ${protocol}: MULTI/EXEC and pub/sub give the same results as against redis-server`, async () => {
      const scenario = async (port: number): Promise<unknown> => {
        const r = await connect(port, { protocol })
        await r.flushall()
        const tx = await r.multi().set('t', '1').incr('t').get('t').incr('missing-type').exec()
        const sub = await connect(port, { protocol })
        const got: string[] = []
        sub.on('message', (ch: string, msg: string) => got.push(`${ch}:${msg}`))
        sub.on('pmessage', (pat: string, ch: string, msg: string) => got.push(`${pat}|${ch}:${msg}`))
        const subscribed = [await sub.subscribe('news', 'sport'), await sub.psubscribe('n*')]
        const receivers = [await r.publish('news', 'hello'), await r.publish('sport', 'goal'), await r.publish('other', 'x')]
        await r.ping() // messages to `sub` are on their way before this answer
        const deadline = Date.now() + 5000
        while (got.length < 3 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10))
        return { tx, subscribed, receivers, got: got.sort() }
      }
      const ours = await scenario(glassbox.port)
      expect(ours).toEqual(await scenario(redis.port))
      expect((ours as { got: string[] }).got).toEqual(['n*|news:hello', 'news:hello', 'sport:goal'])
    })

    it(`protocol ${protocol}: the db option selects the database on connect`, async () => {
      const r = await connect(glassbox.port, { protocol, db: 5 })
      await r.set('in-db-5', '1')
      const r0 = await connect(glassbox.port, { protocol })
      expect(await r0.get('in-db-5')).toBeNull()
      expect(await r.get('in-db-5')).toBe('1')
    })
  }

  it('protocol 3 with a password authenticates through HELLO 3 AUTH', async () => {
    const secured = await startGlassbox(['--requirepass', 's3cret'])
    try {
      const bad = new Redis({ port: secured.port, host: '127.0.0.1', lazyConnect: true, protocol: 3, password: 'wrong', retryStrategy: () => null })
      const errors: string[] = []
      bad.on('error', (e: Error) => errors.push(e.message))
      // ioredis reports the HELLO error as an 'error' event and then fails the connection.
      await expect(bad.connect()).rejects.toThrow()
      expect(errors.some((m) => m.startsWith('WRONGPASS invalid username-password pair'))).toBe(true)
      bad.disconnect()
      const r = await connect(secured.port, { protocol: 3, password: 's3cret' })
      expect(await r.set('x', 'y')).toBe('OK')
      expect(await r.get('x')).toBe('y')
    } finally {
      await secured.stop()
    }
  })
})
