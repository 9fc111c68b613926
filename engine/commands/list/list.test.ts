// Engine-side checks of the list commands that do not need a redis-server: the
// blocking paths (serve order, chains, timeouts on a virtual clock, MULTI),
// propagation rewrites, and events. Byte-for-byte behaviour is in
// test/oracle/list.test.ts.
import { describe, expect, it } from 'vitest'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import type { Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'

function setup() {
  const clock = new VirtualClock()
  const server = createServer({ clock })
  const late = new Map<Client, Reply[]>()
  const connect = (): Client => {
    const c = server.connect()
    late.set(c, [])
    c.onUnblocked = (r) => {
      if (r !== undefined) late.get(c)!.push(r)
    }
    return c
  }
  return { clock, server, connect, late }
}

const bulks = (...v: string[]): Reply => ({ kind: 'array', value: v.map((s) => ({ kind: 'bulk', value: s })) })

describe('list commands in the engine', () => {
  it('push, range, pop with count and the null shapes', () => {
    const { connect } = setup()
    const c = connect()
    expect(c.call(['RPUSH', 'l', 'a', 'b', 'c'])).toEqual({ kind: 'integer', value: 3 })
    expect(c.call(['LRANGE', 'l', '0', '-1'])).toEqual(bulks('a', 'b', 'c'))
    expect(c.call(['RPOP', 'l', '2'])).toEqual(bulks('c', 'b'))
    expect(c.call(['LPOP', 'none', '2'])).toEqual({ kind: 'nullArray' })
    expect(c.call(['LPOP', 'none'])).toEqual({ kind: 'null' })
    expect(c.call(['LPOP', 'l', '0'])).toEqual({ kind: 'array', value: [] })
    expect(c.call(['LPOP', 'l'])).toEqual({ kind: 'bulk', value: 'a' })
    expect(c.call(['EXISTS', 'l'])).toEqual({ kind: 'integer', value: 0 })
  })

  it('blocked clients are served first come first served, then time out on the clock', () => {
    const { clock, server, connect, late } = setup()
    const a = connect()
    const b = connect()
    const w = connect()
    expect(a.call(['BLPOP', 'k', '0'])).toBeUndefined()
    expect(b.call(['BRPOP', 'k', 'other', '1.5'])).toBeUndefined()
    expect(a.blocked && b.blocked).toBe(true)
    w.call(['RPUSH', 'k', '1', '2', '3'])
    expect(late.get(a)).toEqual([bulks('k', '1')])
    expect(late.get(b)).toEqual([bulks('k', '3')])
    expect(w.call(['LRANGE', 'k', '0', '-1'])).toEqual(bulks('2'))
    expect(b.call(['BRPOP', 'none', '1.5'])).toBeUndefined()
    clock.advance(1400)
    server.beforeSleep()
    expect(late.get(b)).toHaveLength(1)
    clock.advance(200)
    server.beforeSleep()
    expect(late.get(b)![1]).toEqual({ kind: 'nullArray' })
    expect(b.blocked).toBe(false)
  })

  it('BLMOVE served into a key another client waits on chains; propagation is the plain command', () => {
    const { server, connect, late } = setup()
    const propagated: string[][] = []
    server.hooks.propagate = (_db, argv) => propagated.push(argv)
    const a = connect()
    const b = connect()
    const w = connect()
    a.call(['BLMOVE', 'src', 'mid', 'LEFT', 'RIGHT', '0'])
    b.call(['BLMPOP', '0', '1', 'mid', 'LEFT', 'COUNT', '5'])
    w.call(['LPUSH', 'src', 'v'])
    expect(late.get(a)).toEqual([{ kind: 'bulk', value: 'v' }])
    expect(late.get(b)).toEqual([{ kind: 'array', value: [{ kind: 'bulk', value: 'mid' }, bulks('v')] }])
    // Served BLMOVE propagates Redis's shared.left / shared.right, which are lowercase.
    expect(propagated).toContainEqual(['LMOVE', 'src', 'mid', 'left', 'right'])
    expect(propagated).toContainEqual(['LPOP', 'mid', '1'])
    expect(w.call(['EXISTS', 'src', 'mid'])).toEqual({ kind: 'integer', value: 0 })
  })

  it('inside MULTI the blocking commands answer at once as on timeout', () => {
    const { connect } = setup()
    const c = connect()
    c.call(['MULTI'])
    c.call(['BLPOP', 'none', '0'])
    c.call(['BLMOVE', 'none', 'x', 'LEFT', 'LEFT', '0'])
    c.call(['BLMPOP', '0', '1', 'none', 'LEFT'])
    expect(c.call(['EXEC'])).toEqual({ kind: 'array', value: [{ kind: 'nullArray' }, { kind: 'null' }, { kind: 'nullArray' }] })
  })

  it('a blocking pop with data is rewritten to the plain pop for propagation', () => {
    const { connect } = setup()
    const c = connect()
    c.call(['RPUSH', 'l', 'a', 'b', 'c'])
    c.call(['BRPOP', 'l', '0'])
    expect(c.argv).toEqual(['RPOP', 'l'])
    c.call(['LMPOP', '2', 'none', 'l', 'LEFT', 'COUNT', '9'])
    expect(c.argv).toEqual(['LPOP', 'l', '2'])
  })

  it('keyspace events of a served BLMOVE: push on the destination, pop and del on the source', () => {
    const { server, connect } = setup()
    const events: string[] = []
    server.hooks.keyspaceEvent = (flag, event, key) => events.push(`${flag}:${event}:${key}`)
    const a = connect()
    a.call(['BLMOVE', 's', 'd', 'RIGHT', 'LEFT', '0'])
    connect().call(['RPUSH', 's', 'x'])
    expect(events.filter((e) => !e.startsWith('n:'))).toEqual(['l:rpush:s', 'l:lpush:d', 'l:rpop:s', 'g:del:s'])
  })
})
