// The pub/sub registry and keyspace notifications, engine side: fan-out order,
// counts in confirmations, the subscribed-context rules, and that a client
// leaving drops every trace of its subscriptions. Byte-level agreement with
// redis-server is checked in test/oracle/pubsub.test.ts.
import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import type { Client } from '../server/client.ts'
import type { Reply } from '../protocol/reply.ts'

// A reply as plain data: bulks as strings, integers as numbers, nulls as null, errors as {err}.
function plain(r: Reply | undefined): unknown {
  if (r === undefined) return undefined
  switch (r.kind) {
    case 'bulk':
    case 'status':
      return r.value
    case 'integer':
      return Number(r.value)
    case 'null':
    case 'nullArray':
      return null
    case 'error':
      return { err: r.value }
    case 'array':
    case 'push':
    case 'map':
    case 'set':
      return r.value.map(plain)
    default:
      return r
  }
}

function setup(config: Record<string, string> = {}) {
  const clock = new VirtualClock()
  const server = createServer({ clock, hashSeed: 7, config })
  const inboxes = new Map<Client, Reply[]>()
  const connect = (resp: 2 | 3 = 2) => {
    const c = server.connect()
    c.resp = resp
    const inbox: Reply[] = []
    inboxes.set(c, inbox)
    c.onPush = (r) => inbox.push(r)
    return c
  }
  /** Pushes the client got since the last call, as plain data; the push kind is checked too. */
  const pushes = (c: Client) => {
    const inbox = inboxes.get(c)!
    const out = inbox.splice(0)
    for (const r of out) expect(r.kind).toBe('push')
    return out.map(plain)
  }
  const call = (c: Client, ...argv: string[]) => plain(c.call(argv))
  return { clock, server, connect, pushes, call }
}

describe('subscribe and publish', () => {
  it('confirms each channel with a running count and returns no direct reply', () => {
    const { connect, pushes, call } = setup()
    const a = connect()
    expect(call(a, 'SUBSCRIBE', 'x', 'y', 'x')).toBeUndefined()
    expect(pushes(a)).toEqual([
      ['subscribe', 'x', 1],
      ['subscribe', 'y', 2],
      ['subscribe', 'x', 2],
    ])
    expect(call(a, 'PSUBSCRIBE', 'p*')).toBeUndefined()
    expect(pushes(a)).toEqual([['psubscribe', 'p*', 3]])
    // Shard subscriptions count on their own.
    call(a, 'SSUBSCRIBE', 's')
    expect(pushes(a)).toEqual([['ssubscribe', 's', 1]])
  })

  it('fans out to channel subscribers in subscription order, then to patterns', () => {
    const { connect, pushes, call } = setup()
    const [a, b, c, pub] = [connect(), connect(3), connect(), connect()]
    call(b, 'SUBSCRIBE', 'news')
    call(a, 'SUBSCRIBE', 'news')
    call(c, 'PSUBSCRIBE', 'n[aeiou]ws', 'x*')
    call(a, 'PSUBSCRIBE', 'n*')
    for (const cl of [a, b, c]) pushes(cl)
    const order: number[] = []
    for (const cl of [a, b, c]) {
      const prev = cl.onPush
      cl.onPush = (r) => {
        order.push(cl.id)
        prev(r)
      }
    }
    expect(call(pub, 'PUBLISH', 'news', 'hi')).toBe(4)
    expect(order).toEqual([b.id, a.id, c.id, a.id])
    expect(pushes(a)).toEqual([
      ['message', 'news', 'hi'],
      ['pmessage', 'n*', 'news', 'hi'],
    ])
    expect(pushes(b)).toEqual([['message', 'news', 'hi']])
    expect(pushes(c)).toEqual([['pmessage', 'n[aeiou]ws', 'news', 'hi']])
    expect(call(pub, 'PUBLISH', 'zzz', 'x')).toBe(0)
  })

  it('keeps shard channels apart from channels and patterns', () => {
    const { connect, pushes, call } = setup()
    const [a, b, pub] = [connect(), connect(), connect()]
    call(a, 'SSUBSCRIBE', 'ch')
    call(b, 'SUBSCRIBE', 'ch')
    call(b, 'PSUBSCRIBE', '*')
    pushes(a)
    pushes(b)
    expect(call(pub, 'SPUBLISH', 'ch', 'm')).toBe(1)
    expect(pushes(a)).toEqual([['smessage', 'ch', 'm']])
    expect(pushes(b)).toEqual([])
    expect(call(pub, 'PUBLISH', 'ch', 'm')).toBe(2)
    expect(pushes(a)).toEqual([])
  })

  it('unsubscribes with confirmations, including a null channel when there is nothing', () => {
    const { connect, pushes, call } = setup()
    const a = connect()
    call(a, 'UNSUBSCRIBE')
    expect(pushes(a)).toEqual([['unsubscribe', null, 0]])
    call(a, 'PUNSUBSCRIBE')
    expect(pushes(a)).toEqual([['punsubscribe', null, 0]])
    call(a, 'SUNSUBSCRIBE')
    expect(pushes(a)).toEqual([['sunsubscribe', null, 0]])
    call(a, 'SUBSCRIBE', 'a', 'b')
    call(a, 'PSUBSCRIBE', 'q', 'p')
    pushes(a)
    call(a, 'UNSUBSCRIBE', 'zz', 'a')
    expect(pushes(a)).toEqual([
      ['unsubscribe', 'zz', 4],
      ['unsubscribe', 'a', 3],
    ])
    // Patterns go oldest first (a list in 7.0).
    call(a, 'PUNSUBSCRIBE')
    expect(pushes(a)).toEqual([
      ['punsubscribe', 'q', 2],
      ['punsubscribe', 'p', 1],
    ])
  })
})

describe('subscribed context', () => {
  it('restricts RESP2 clients until every subscription, shard ones included, is gone', () => {
    const { server, connect, pushes, call } = setup()
    const a = connect()
    expect(call(a, 'PING')).toBe('PONG')
    call(a, 'SSUBSCRIBE', 's')
    call(a, 'SUBSCRIBE', 'c')
    call(a, 'UNSUBSCRIBE', 'c')
    pushes(a)
    const before = server.errorStats.get('ERR') ?? 0
    expect(call(a, 'GET', 'k')).toEqual({
      err: "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    })
    expect(call(a, 'CONFIG', 'GET', 'x')).toEqual({
      err: "ERR Can't execute 'config|get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    })
    expect(server.errorStats.get('ERR')).toBe(before + 2)
    expect(server.commands.byName('get')!.stats.rejectedCalls).toBe(1)
    expect(call(a, 'PING')).toEqual(['pong', ''])
    expect(call(a, 'PING', 'hey')).toEqual(['pong', 'hey'])
    expect(call(a, 'PING', 'a', 'b')).toEqual({ err: "ERR wrong number of arguments for 'ping' command" })
    call(a, 'SUNSUBSCRIBE')
    expect(pushes(a)).toEqual([['sunsubscribe', 's', 0]])
    expect(call(a, 'GET', 'k')).toBe(null)
    expect(call(a, 'PING')).toBe('PONG')
  })

  it('lets RESP3 clients run anything and PING normally', () => {
    const { connect, pushes, call } = setup()
    const a = connect(3)
    call(a, 'SUBSCRIBE', 'c')
    pushes(a)
    expect(call(a, 'SET', 'k', 'v')).toBe('OK')
    expect(call(a, 'PING')).toBe('PONG')
    // A message to itself arrives as a push before PUBLISH's own reply.
    expect(call(a, 'PUBLISH', 'c', 'm')).toBe(1)
    expect(pushes(a)).toEqual([['message', 'c', 'm']])
  })
})

describe('PUBSUB introspection', () => {
  it('counts channels, subscribers and patterns', () => {
    const { connect, call } = setup()
    const [a, b, q] = [connect(), connect(), connect()]
    call(a, 'SUBSCRIBE', 'news.a', 'news.b', 'other')
    call(b, 'SUBSCRIBE', 'news.a')
    call(a, 'PSUBSCRIBE', 'p1', 'p2')
    call(b, 'PSUBSCRIBE', 'p1')
    call(b, 'SSUBSCRIBE', 'sh')
    expect((call(q, 'PUBSUB', 'CHANNELS') as string[]).sort()).toEqual(['news.a', 'news.b', 'other'])
    expect((call(q, 'PUBSUB', 'CHANNELS', 'news.*') as string[]).sort()).toEqual(['news.a', 'news.b'])
    expect(call(q, 'PUBSUB', 'NUMSUB', 'news.a', 'other', 'none')).toEqual(['news.a', 2, 'other', 1, 'none', 0])
    expect(call(q, 'PUBSUB', 'NUMSUB')).toEqual([])
    expect(call(q, 'PUBSUB', 'NUMPAT')).toBe(2)
    expect(call(q, 'PUBSUB', 'SHARDCHANNELS')).toEqual(['sh'])
    expect(call(q, 'PUBSUB', 'SHARDNUMSUB', 'sh', 'news.a')).toEqual(['sh', 1, 'news.a', 0])
    expect(call(q, 'PUBSUB', 'CHANNELS', 'a', 'b')).toEqual({
      err: "ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.",
    })
  })
})

describe('disconnect', () => {
  it('leaves no state behind when a subscribed client goes away', () => {
    const { server, connect, pushes, call } = setup()
    const [a, b, pub] = [connect(), connect(), connect()]
    call(a, 'SUBSCRIBE', 'c1', 'c2')
    call(a, 'PSUBSCRIBE', 'p*')
    call(a, 'SSUBSCRIBE', 's1')
    call(b, 'SUBSCRIBE', 'c1')
    pushes(a)
    pushes(b)
    a.close()
    expect(pushes(a)).toEqual([]) // no confirmations for a closed connection
    expect(a.pubsub.total()).toBe(0)
    expect(a.pubsub.flag).toBe(false)
    expect([...server.pubsub.channels.keys()]).toEqual(['c1'])
    expect([...server.pubsub.channels.get('c1')!]).toEqual([b])
    expect(server.pubsub.patterns.size).toBe(0)
    expect(server.pubsub.shardChannels.size).toBe(0)
    expect(call(pub, 'PUBLISH', 'c1', 'm')).toBe(1)
    expect(call(pub, 'PUBLISH', 'pz', 'm')).toBe(0)
    expect(pushes(a)).toEqual([])
    b.close()
    expect(server.pubsub.channels.size).toBe(0)
  })
})

describe('keyspace notifications', () => {
  it('publishes nothing while notify-keyspace-events is empty', () => {
    const { connect, pushes, call } = setup()
    const [sub, c] = [connect(), connect()]
    call(sub, 'PSUBSCRIBE', '*')
    pushes(sub)
    call(c, 'SET', 'k', 'v')
    expect(pushes(sub)).toEqual([])
  })

  it('publishes keyspace then keyevent messages for enabled classes', () => {
    const { connect, pushes, call } = setup()
    const [sub, c] = [connect(), connect()]
    call(c, 'CONFIG', 'SET', 'notify-keyspace-events', 'KE$')
    call(sub, 'PSUBSCRIBE', '__key*')
    pushes(sub)
    call(c, 'SET', 'k', 'v')
    expect(pushes(sub)).toEqual([
      ['pmessage', '__key*', '__keyspace@0__:k', 'set'],
      ['pmessage', '__key*', '__keyevent@0__:set', 'k'],
    ])
    // 'g' is off: DEL publishes nothing.
    call(c, 'DEL', 'k')
    expect(pushes(sub)).toEqual([])
    call(c, 'CONFIG', 'SET', 'notify-keyspace-events', 'Eg')
    call(c, 'SELECT', '3')
    call(c, 'SET', 'k2', 'v')
    call(c, 'DEL', 'k2')
    expect(pushes(sub)).toEqual([['pmessage', '__key*', '__keyevent@3__:del', 'k2']])
  })

  it('reports keys expired by the active expire cycle', () => {
    const { clock, server, connect, pushes, call } = setup({ 'notify-keyspace-events': 'Ex' })
    const [sub, c] = [connect(), connect()]
    call(sub, 'SUBSCRIBE', '__keyevent@0__:expired')
    pushes(sub)
    call(c, 'SET', 'gone', 'v', 'PX', '100')
    clock.advance(200)
    server.cron()
    expect(pushes(sub)).toEqual([['message', '__keyevent@0__:expired', 'gone']])
    expect(call(c, 'EXISTS', 'gone')).toBe(0)
  })

  it('shows the canonical flag string in CONFIG GET', () => {
    const { connect, call } = setup()
    const c = connect()
    expect(call(c, 'CONFIG', 'SET', 'notify-keyspace-events', 'EKg$lshzxetd')).toBe('OK')
    expect(call(c, 'CONFIG', 'GET', 'notify-keyspace-events')).toEqual(['notify-keyspace-events', 'AKE'])
    expect(call(c, 'CONFIG', 'SET', 'notify-keyspace-events', 'mnKx')).toBe('OK')
    expect(call(c, 'CONFIG', 'GET', 'notify-keyspace-events')).toEqual(['notify-keyspace-events', 'xnKm'])
  })
})
