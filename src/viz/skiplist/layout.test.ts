import { describe, expect, it } from 'vitest'
import { createServer } from '../../../engine/server/server.ts'
import { VirtualClock } from '../../../engine/server/clock.ts'
import { SeededRandom } from '../../../engine/server/random.ts'
import { inspect, type ZsetSkiplistSnapshot } from '../../../engine/introspect/inspect.ts'
import type { TraceEvent } from '../../../engine/introspect/events.ts'
import { keyEvents } from '../inspector-model.ts'
import { describePath, layoutSkiplist } from './layout.ts'

function engine(seed = 42) {
  const server = createServer({ clock: new VirtualClock(), random: new SeededRandom(seed), hashSeed: 7, config: { 'zset-max-listpack-entries': '0' } })
  const c = server.connect()
  const events: TraceEvent[] = []
  server.traceBus.subscribe((e) => events.push(e))
  return {
    events,
    run: (...args: string[]) => c.call(args),
    snap: (key: string, w?: { start?: number; count?: number }) => inspect(server, 0, key, w)?.value as ZsetSkiplistSnapshot,
  }
}

function fill(e: ReturnType<typeof engine>, n: number) {
  for (let from = 1; from <= n; from += 1000) {
    const args: string[] = []
    for (let i = from; i <= Math.min(n, from + 999); i++) args.push(String(i * 10), `m${i}`)
    e.run('ZADD', 'z', ...args)
  }
}

describe('layoutSkiplist', () => {
  it('draws header, every node with its height, each forward pointer to its target column, and NIL', () => {
    const e = engine()
    fill(e, 20)
    const s = e.snap('z')
    expect(s.encoding).toBe('skiplist')
    const sl = s.skiplist
    const L = layoutSkiplist(sl)
    expect(L.levels).toBe(sl.level)
    expect(L.columns.map((c) => c.kind)).toEqual(['header', ...Array<string>(20).fill('node'), 'nil'])
    expect(L.columns.slice(1, -1).map((c) => [c.member, c.height])).toEqual(sl.nodes.map((n) => [n.member, n.height]))
    // One link per level of the header and of every node.
    expect(L.links).toHaveLength(sl.level + sl.nodes.reduce((a, n) => a + n.height, 0))
    const colX = new Map(L.columns.map((c) => [c.rank, c.x]))
    for (const k of L.links) {
      if (k.toRank === null) {
        expect(k.toNil).toBe(true)
        expect(k.x2).toBe(L.columns[L.columns.length - 1].x)
      } else {
        expect(k.x2).toBe(colX.get(k.toRank))
        expect(k.toRank - k.fromRank).toBe(k.span)
      }
      expect(k.x2).toBeGreaterThan(k.x1)
      expect(k.y).toBe(L.levelY(k.level) + L.boxH / 2)
    }
    // Higher levels are drawn higher up.
    expect(L.levelY(1)).toBeLessThan(L.levelY(0))
  })

  it('the same seed gives the same levels (a class sees one structure)', () => {
    const a = engine(42)
    const b = engine(42)
    const c = engine(7)
    for (const e of [a, b, c]) fill(e, 64)
    const heights = (e: ReturnType<typeof engine>) => e.snap('z').skiplist.nodes.map((n) => n.height)
    expect(heights(a)).toEqual(heights(b))
    expect(heights(a)).not.toEqual(heights(c))
  })

  it('highlights the ZSCORE search path from the trace, level by level', () => {
    const e = engine()
    fill(e, 20)
    e.events.length = 0
    e.run('ZSCORE', 'z', 'm13')
    const ev = keyEvents(e.events, 0, 'z')
    expect(ev.search?.op).toBe('zscore')
    const path = ev.search!.path
    const sl = e.snap('z').skiplist
    const L = layoutSkiplist(sl, { searchPath: path })
    expect(L.path).toHaveLength(path.length)
    // Starts at the header's top level, ends on the member's node (the rank search
    // stops at the first level that reaches it).
    expect(path[0]).toMatchObject({ rank: 0, level: sl.level - 1 })
    expect(path[path.length - 1]).toMatchObject({ rank: 13, member: 'm13' })
    const colX = new Map(L.columns.map((c) => [c.rank, c.x]))
    for (const p of L.path) {
      expect(p.x).toBe((colX.get(p.rank) as number) + L.boxW / 2)
      expect(L.visited.has(`${p.rank}:${p.level}`)).toBe(true)
    }
    // Hops go right or down, never back; the links walked are the same-level hops.
    for (const s of L.segments) expect(s.x2 >= s.x1 && s.y2 >= s.y1).toBe(true)
    const sameLevelHops = path.slice(1).filter((p, i) => p.level === path[i].level && p.rank !== path[i].rank).length
    expect(L.links.filter((k) => k.onPath)).toHaveLength(sameLevelHops)
    for (const k of L.links.filter((x) => x.onPath)) expect(path.some((p, i) => i > 0 && p.level === k.level && p.rank === k.toRank && path[i - 1].rank === k.fromRank)).toBe(true)
    expect(L.segments.map((s) => s.order)).toEqual(L.segments.map((_, i) => i))
    expect(describePath(path)[0]).toBe(`level ${sl.level}: header`)
  })

  it('marks the inserted node with the level the engine drew for it', () => {
    const e = engine()
    fill(e, 20)
    e.events.length = 0
    e.run('ZADD', 'z', '55', 'new')
    const ins = keyEvents(e.events, 0, 'z').insert
    expect(ins?.member).toBe('new')
    const L = layoutSkiplist(e.snap('z').skiplist, { insertedMember: 'new' })
    const col = L.columns.find((c) => c.inserted)
    expect(col?.member).toBe('new')
    expect(col?.height).toBe(ins?.level)
    expect(col?.rank).toBe(6)
    expect(L.summary).toContain(`inserted new with level ${ins?.level}`)
  })

  it('draws only the window of a 100,000-member zset, with links entering and leaving it', () => {
    const e = engine()
    fill(e, 100_000)
    const sl = e.snap('z', { start: 49_999, count: 32 }).skiplist
    expect(sl.nodes).toHaveLength(32)
    const L = layoutSkiplist(sl)
    expect(L.columns).toHaveLength(34)
    expect(L.columns[0]).toMatchObject({ kind: 'before', rank: 49_999 })
    expect(L.columns[33]).toMatchObject({ kind: 'after', rank: 50_032 })
    expect(L.columns[1].member).toBe('m50000')
    expect(L.links).toHaveLength(sl.entering.length + sl.nodes.reduce((a, n) => a + n.height, 0))
    for (const k of L.links) {
      expect(k.x2).toBeLessThanOrEqual(L.width)
      if (k.offRight) expect(k.x2).toBe(L.columns[33].x)
    }
    // Entering links start at the "before" column and keep the source's rank and span.
    for (const en of sl.entering) {
      const k = L.links.find((x) => x.id === `before:${en.level}`)
      expect(k).toMatchObject({ x1: L.boxW, fromRank: en.rank, span: en.link.span })
    }
    expect(L.width).toBeLessThan(5000)
  })
})
