// Engine-side checks of the blocked-client framework that need no redis-server.
// The same orders are compared with redis-server in test/oracle/list.test.ts
// ("list and sorted-set waiters on one key keep their blocking order").
import { describe, expect, it } from 'vitest'
import { createServer } from './server.ts'
import { VirtualClock } from './clock.ts'
import type { Reply } from '../protocol/reply.ts'
import type { Client } from './client.ts'

function setup() {
  const server = createServer({ clock: new VirtualClock() })
  const late = new Map<Client, Reply[]>()
  const connect = (): Client => {
    const c = server.connect()
    late.set(c, [])
    c.onUnblocked = (r) => {
      if (r !== undefined) late.get(c)!.push(r)
    }
    return c
  }
  return { server, connect, late }
}

describe('serving clients blocked on a key', () => {
  it('a waiter for the other type is passed over and keeps its place', () => {
    const { connect, late } = setup()
    const [z1, l1, z2, l2, w] = [connect(), connect(), connect(), connect(), connect()]
    expect(z1.call(['BZPOPMIN', 'k', '0'])).toBeUndefined()
    expect(l1.call(['BLPOP', 'k', '0'])).toBeUndefined()
    expect(z2.call(['BZPOPMAX', 'k', '0'])).toBeUndefined()
    expect(l2.call(['BRPOP', 'k', '0'])).toBeUndefined()
    // One element: the oldest list waiter takes it, the key is gone, the zset waiters stay in order.
    w.call(['RPUSH', 'k', 'a'])
    expect(late.get(l1)).toHaveLength(1)
    expect([z1, z2, l2].map((c) => late.get(c)!.length)).toEqual([0, 0, 0])
    // A zset now: the oldest zset waiter (z1, not z2) is served first.
    w.call(['ZADD', 'k', '1', 'm'])
    expect(late.get(z1)).toHaveLength(1)
    expect(late.get(z2)).toHaveLength(0)
    w.call(['ZADD', 'k', '2', 'n'])
    expect(late.get(z2)).toHaveLength(1)
    w.call(['RPUSH', 'k', 'b'])
    expect(late.get(l2)).toHaveLength(1)
    expect(w.call(['EXISTS', 'k'])).toEqual({ kind: 'integer', value: 0 })
  })

  it('every list waiter is served in blocking order while elements last', () => {
    const { connect, late } = setup()
    const cs = [connect(), connect(), connect()]
    const w = connect()
    for (const c of cs) expect(c.call(['BLPOP', 'k', '0'])).toBeUndefined()
    w.call(['RPUSH', 'k', 'x', 'y'])
    expect(cs.map((c) => late.get(c)!.length)).toEqual([1, 1, 0])
    w.call(['RPUSH', 'k', 'z'])
    expect(late.get(cs[2])).toHaveLength(1)
  })
})
