import { describe, expect, it } from 'vitest'
import { createServer, type Server } from './server.ts'
import { VirtualClock } from './clock.ts'
import { SeededRandom } from './random.ts'
import type { Client } from './client.ts'
import type { Reply } from '../protocol/reply.ts'
import { genInfoString } from './info.ts'
import { disableTracking, tracking, trackingIfInstalled, trackingRedirection } from './tracking.ts'

function setup(config: Record<string, string> = {}): { server: Server; open: (resp?: 2 | 3) => { c: Client; got: Reply[] } } {
  const server = createServer({ clock: new VirtualClock(), random: new SeededRandom(7), config })
  const open = (resp: 2 | 3 = 3) => {
    const c = server.connect()
    const got: Reply[] = []
    c.onPush = (r) => got.push(r)
    if (resp === 3) c.call(['HELLO', '3'])
    got.length = 0
    return { c, got }
  }
  return { server, open }
}

// The keys of an invalidation push (null for a flush).
function invalidated(r: Reply): string[] | null {
  if (r.kind !== 'push' || r.value[0].kind !== 'bulk' || r.value[0].value !== 'invalidate') throw new Error(`not an invalidation: ${JSON.stringify(r)}`)
  const keys = r.value[1]
  if (keys.kind === 'null') return null
  if (keys.kind !== 'array') throw new Error('bad payload')
  return keys.value.map((k) => (k.kind === 'bulk' ? k.value : '?'))
}

function infoField(server: Server, name: string): string {
  const line = genInfoString(server, ['everything'])
    .split('\r\n')
    .find((l) => l.startsWith(`${name}:`))
  return line!.slice(name.length + 1)
}

describe('client tracking', () => {
  it('installs nothing until a client enables tracking', () => {
    const { server, open } = setup()
    const { c } = open()
    c.call(['GET', 'k'])
    c.call(['CLIENT', 'TRACKING', 'off'])
    expect(trackingIfInstalled(server)).toBeUndefined()
    expect(server.hooks.afterCall).toBeUndefined()
    expect(trackingRedirection(c)).toBe(-1)
  })

  it('sends the invalidation of a key the client wrote itself after the reply', () => {
    const { open } = setup()
    const { c, got } = open()
    c.call(['CLIENT', 'TRACKING', 'on'])
    c.call(['GET', 'k'])
    expect(c.call(['SET', 'k', 'v'])).toEqual({ kind: 'status', value: 'OK' })
    expect(got).toEqual([])
    const after = c.takeAfterReply()
    expect(after.map(invalidated)).toEqual([['k']])
    // Not tracked any more until read again.
    c.call(['SET', 'k', 'w'])
    expect(c.takeAfterReply()).toEqual([])
  })

  it('sends another client its invalidation at once, and only once per read', () => {
    const { open } = setup()
    const a = open()
    const b = open()
    b.c.call(['MSET', 'x', '1', 'y', '2'])
    a.c.call(['CLIENT', 'TRACKING', 'on'])
    a.c.call(['MGET', 'x', 'y'])
    a.c.call(['GET', 'x'])
    b.c.call(['DEL', 'x', 'y', 'z'])
    expect(a.got.map(invalidated)).toEqual([['x'], ['y']])
    expect(tracking(a.c.server).totals()).toEqual({ keys: 0, items: 0, prefixes: 0 })
  })

  it('a disconnecting client leaves no client state: prefixes, counts, redirections', () => {
    const { server, open } = setup()
    const a = open()
    const b = open()
    a.c.call(['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p', 'PREFIX', 'q'])
    b.c.call(['CLIENT', 'TRACKING', 'on', 'REDIRECT', String(a.c.id)])
    b.c.call(['GET', 'k'])
    const t = tracking(server)
    expect(t.totals()).toEqual({ keys: 1, items: 1, prefixes: 2 })
    expect(infoField(server, 'tracking_clients')).toBe('2')
    a.c.close()
    expect(t.prefixTable.size).toBe(0)
    expect(t.hasPrefixMembership(a.c)).toBe(false)
    expect(infoField(server, 'tracking_clients')).toBe('1')
    expect(infoField(server, 'tracking_total_prefixes')).toBe('0')
    // b's redirection is now broken: it learns so when an invalidation is due.
    server.connect().call(['SET', 'k', '1'])
    expect(b.got).toEqual([{ kind: 'push', value: [{ kind: 'bulk', value: 'tracking-redir-broken' }, { kind: 'integer', value: a.c.id }] }])
    expect(b.c.trackingFlags).toBe('tR')
    b.c.close()
    expect(t.trackingClients).toBe(0)
    expect(t.totals()).toEqual({ keys: 0, items: 0, prefixes: 0 })
    expect(infoField(server, 'tracking_total_keys')).toBe('0')
  })

  it('ids of gone clients stay under their keys until the keys change, as in Redis', () => {
    const { server, open } = setup()
    const a = open()
    a.c.call(['CLIENT', 'TRACKING', 'on'])
    a.c.call(['MGET', 'k1', 'k2'])
    a.c.close()
    const t = tracking(server)
    expect(t.totals()).toEqual({ keys: 2, items: 2, prefixes: 0 })
    expect(t.clientsOf('k1')).toEqual([a.c.id])
    server.connect().call(['SET', 'k1', 'v'])
    expect(t.totals()).toEqual({ keys: 1, items: 1, prefixes: 0 })
    server.connect().call(['FLUSHALL'])
    expect(t.totals()).toEqual({ keys: 0, items: 0, prefixes: 0 })
  })

  it('tracking-table-max-keys forgets random keys down to the limit, telling their clients', () => {
    const { server, open } = setup({ 'tracking-table-max-keys': '10' })
    const a = open()
    a.c.call(['CLIENT', 'TRACKING', 'on'])
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`)
    a.c.call(['MGET', ...keys])
    const t = tracking(server)
    expect(t.totals().keys).toBe(50)
    server.beforeSleep()
    expect(t.totals()).toEqual({ keys: 10, items: 10, prefixes: 0 })
    const told = a.got.flatMap((r) => invalidated(r) ?? [])
    expect(told).toHaveLength(40)
    expect(new Set(told).size).toBe(40)
    // The survivors are exactly the keys nobody was told about.
    const survivors = keys.filter((k) => !told.includes(k))
    for (const k of survivors) expect(t.clientsOf(k)).toEqual([a.c.id])
    // 0 means no limit.
    server.config.apply('tracking-table-max-keys', '0')
    a.c.call(['MGET', ...keys])
    server.cron()
    expect(t.totals().keys).toBe(50)
  })

  it('the limit needs more rounds (with growing effort) when far over', () => {
    const { server, open } = setup({ 'tracking-table-max-keys': '1' })
    const a = open()
    a.c.call(['CLIENT', 'TRACKING', 'on'])
    a.c.call(['MGET', ...Array.from({ length: 400 }, (_, i) => `k${i}`)])
    const t = tracking(server)
    server.beforeSleep()
    expect(t.totals().keys).toBe(300) // effort 100
    server.beforeSleep()
    expect(t.totals().keys).toBe(100) // effort 200
    server.beforeSleep()
    expect(t.totals().keys).toBe(1)
  })

  it('BCAST messages wait for beforeSleep, one per prefix, keys in byte order', () => {
    const { server, open } = setup()
    const a = open()
    a.c.call(['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'b', 'PREFIX', 'a'])
    server.connect().call(['MSET', 'b2', '1', 'a2', '1', 'zz', '1', 'a1', '1'])
    expect(a.got).toEqual([])
    server.beforeSleep()
    expect(a.got.map(invalidated)).toEqual([
      ['a1', 'a2'],
      ['b2'],
    ])
    server.beforeSleep()
    expect(a.got).toHaveLength(2)
  })

  it('RESET-style disable drops the client from its prefixes', () => {
    const { server, open } = setup()
    const a = open()
    a.c.call(['CLIENT', 'TRACKING', 'on', 'BCAST'])
    expect(a.c.trackingFlags).toBe('tB')
    disableTracking(a.c)
    expect(a.c.trackingFlags).toBe('')
    expect(tracking(server).prefixTable.size).toBe(0)
    expect(a.c.call(['CLIENT', 'GETREDIR'])).toEqual({ kind: 'integer', value: -1 })
  })

  it('the table stays consistent through random reads and writes', () => {
    const { server, open } = setup()
    const rnd = new SeededRandom(42)
    const clients = Array.from({ length: 4 }, () => open())
    for (const { c } of clients) c.call(['CLIENT', 'TRACKING', 'on'])
    const t = tracking(server)
    const reads = new Map<string, Set<number>>()
    for (let i = 0; i < 2000; i++) {
      const who = clients[Math.floor(rnd.next() * clients.length)].c
      const key = `k${Math.floor(rnd.next() * 30)}`
      if (rnd.next() < 0.6) {
        who.call(['GET', key])
        if (!reads.has(key)) reads.set(key, new Set())
        reads.get(key)!.add(who.id)
      } else {
        who.call(['SET', key, 'v'])
        reads.delete(key)
      }
    }
    let items = 0
    for (const [k, ids] of reads) {
      expect(new Set(t.clientsOf(k))).toEqual(ids)
      items += ids.size
    }
    expect(t.totals()).toEqual({ keys: reads.size, items, prefixes: 0 })
  })
})
