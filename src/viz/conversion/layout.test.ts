import { describe, expect, it } from 'vitest'
import { createServer } from '../../../engine/server/server.ts'
import { VirtualClock } from '../../../engine/server/clock.ts'
import { SeededRandom } from '../../../engine/server/random.ts'
import { inspect } from '../../../engine/introspect/inspect.ts'
import type { TraceEvent } from '../../../engine/introspect/events.ts'
import { keyEvents } from '../inspector-model.ts'
import { isWhole, layoutConversion, orderedElements } from './layout.ts'

function engine(config: Record<string, string>) {
  const server = createServer({ clock: new VirtualClock(), random: new SeededRandom(42), hashSeed: 7, config: { activerehashing: 'no', ...config } })
  const c = server.connect()
  const events: TraceEvent[] = []
  server.traceBus.subscribe((e) => events.push(e))
  return {
    events,
    run: (...args: string[]) => c.call(args),
    snap: (key: string, count = 4096) => inspect(server, 0, key, { start: 0, count })!.value,
  }
}

describe('layoutConversion', () => {
  it('hash listpack -> hashtable: each field moves from its listpack place to its bucket; the 5th field is new', () => {
    const e = engine({ 'hash-max-listpack-entries': '4' })
    e.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4')
    const before = e.snap('h')
    e.run('HSET', 'h', 'e', '5')
    const ev = keyEvents(e.events, 0, 'h').conversion!
    expect(ev.reason).toBe('5th field: hash-max-listpack-entries is 4')
    const after = e.snap('h')
    if (after.encoding !== 'hashtable') throw new Error('hashtable expected')
    const L = layoutConversion(ev, before, after, { width: 500 })
    expect(L.title).toBe('hash: listpack → hashtable')
    expect(L.reason).toBe(ev.reason)
    expect(L.chips.map((c) => c.key)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(L.chips.map((c) => c.isNew)).toEqual([false, false, false, false, true])
    expect(L.chips[4].from).toBeNull()
    // Old places follow the listpack order, left to right.
    for (let i = 1; i < 4; i++) expect(L.chips[i].from!.x).toBeGreaterThan(L.chips[i - 1].from!.x)
    // New places: grouped by the bucket the engine put each field in, below the old ones.
    const bucketOf = new Map(after.tables[0].buckets.flatMap((b) => b.entries.map((x) => [x.key, `b${b.index}`])))
    for (const c of L.chips) {
      expect(c.group).toBe(bucketOf.get(c.key))
      expect(c.to.y).toBeGreaterThan(L.toY)
    }
    // Inside a bucket, chips follow the chain.
    for (const b of after.tables[0].buckets) {
      const xs = b.entries.map((x) => L.chips.find((c) => c.key === x.key)!.to.x)
      expect(xs).toEqual([...xs].sort((p, q) => p - q))
    }
    const groupOrder = L.groups.map((g) => Number(g.label.slice(1)))
    expect(groupOrder).toEqual([...groupOrder].sort((x, y) => x - y))
    expect(L.hidden).toBe(0)
    expect(L.summary).toContain('because 5th field: hash-max-listpack-entries is 4')
  })

  it('zset listpack -> skiplist: members by rank with their levels', () => {
    const e = engine({ 'zset-max-listpack-entries': '3' })
    e.run('ZADD', 'z', '3', 'c', '1', 'a', '2', 'b')
    const before = e.snap('z')
    e.run('ZADD', 'z', '0', 'first')
    const ev = keyEvents(e.events, 0, 'z').conversion!
    const after = e.snap('z')
    if (after.encoding !== 'skiplist') throw new Error('skiplist expected')
    const L = layoutConversion(ev, before, after)
    expect(L.chips.map((c) => [c.key, c.group])).toEqual([['a', 'r2'], ['b', 'r3'], ['c', 'r4'], ['first', 'r1']])
    expect(L.groups.map((g) => g.levels)).toEqual(after.skiplist.nodes.map((n) => n.height))
    // Ranks left to right.
    const xs = ['first', 'a', 'b', 'c'].map((k) => L.chips.find((c) => c.key === k)!.to.x)
    expect(xs).toEqual([...xs].sort((x, y) => x - y))
  })

  it('intset -> hashtable on a non-integer; a partial old window marks nobody new', () => {
    const e = engine({})
    e.run('SADD', 's', '1', '2', '3')
    const before = e.snap('s')
    expect(orderedElements(before)).toEqual(['1', '2', '3'])
    expect(isWhole(before)).toBe(true)
    e.run('SADD', 's', 'x')
    const ev = keyEvents(e.events, 0, 's').conversion!
    expect(ev.reason).toBe('member "x" is not an integer')
    const L = layoutConversion(ev, before, e.snap('s'))
    expect(L.chips.filter((c) => c.isNew).map((c) => c.key)).toEqual(['x'])
    const partial = { ...before, values: ['1'], window: { start: 0, count: 1 } } as typeof before
    expect(isWhole(partial)).toBe(false)
    expect(layoutConversion(ev, partial, e.snap('s')).chips.map((c) => c.key)).toEqual(['1'])
  })
})
