import { describe, expect, it } from 'vitest'
import { createServer } from '../../../engine/server/server.ts'
import { VirtualClock } from '../../../engine/server/clock.ts'
import { SeededRandom } from '../../../engine/server/random.ts'
import { inspect, type QuicklistSnapshot } from '../../../engine/introspect/inspect.ts'
import { fillLimit, layoutQuicklist, quicklistChanges } from './layout.ts'

function engine(config?: Record<string, string>) {
  const server = createServer({ clock: new VirtualClock(), random: new SeededRandom(42), hashSeed: 7, config })
  const c = server.connect()
  return {
    run: (...args: string[]) => c.call(args),
    snap: (key: string, w?: { start?: number; count?: number }) => inspect(server, 0, key, w)?.value as QuicklistSnapshot,
  }
}

describe('fillLimit', () => {
  it('maps list-max-listpack-size to a count or a byte limit', () => {
    expect(fillLimit(5)).toEqual({ kind: 'count', limit: 5 })
    expect(fillLimit(-1)).toEqual({ kind: 'bytes', limit: 4096 })
    expect(fillLimit(-2)).toEqual({ kind: 'bytes', limit: 8192 })
    expect(fillLimit(-5)).toEqual({ kind: 'bytes', limit: 65536 })
  })
})

describe('layoutQuicklist', () => {
  it('with compress depth 1 keeps the end nodes raw and marks the inner ones compressed', () => {
    const e = engine({ 'list-max-listpack-size': '4', 'list-compress-depth': '1' })
    // Long, compressible values so LZF gains (small nodes are never compressed).
    for (let i = 0; i < 20; i++) e.run('RPUSH', 'q', `item-${i}-${'a'.repeat(60)}`)
    const s = e.snap('q')
    const L = layoutQuicklist(s)
    expect(L.nodes).toHaveLength(5)
    expect(L.nodes.map((n) => n.count)).toEqual([4, 4, 4, 4, 4])
    expect(L.nodes.map((n) => n.compressed)).toEqual([false, true, true, true, false])
    expect(L.nodes.map((n) => n.inDepth)).toEqual([true, false, false, false, true])
    for (const n of L.nodes.filter((x) => x.compressed)) expect(n.compressedSize).toBeLessThan(n.size)
    expect(L.nodes.every((n) => n.fillFraction === 1)).toBe(true)
    expect(L.nodes[0].fillText).toMatch(/^4\/4 entries/)
    expect(L.links).toHaveLength(4)
    expect(L.summary).toContain('3 of the drawn nodes compressed')
  })

  it('a byte-limited list measures each node against the size limit; a window shows what is left out', () => {
    const e = engine({ 'list-max-listpack-size': '-1' })
    for (let i = 0; i < 200; i++) e.run('RPUSH', 'q', 'v'.repeat(50))
    const all = e.snap('q')
    expect(all.nodeCount).toBeGreaterThan(2)
    const L = layoutQuicklist(e.snap('q', { start: 1, count: 1 }), { width: 300 })
    expect(L.nodes.map((n) => n.index)).toEqual([1])
    expect(L.before).toBe(1)
    expect(L.after).toBe(all.nodeCount - 2)
    expect(L.nodes[0].fillFraction).toBeCloseTo(all.nodes[1].size / 4096)
    expect(L.nodes[0].fillFraction).toBeLessThanOrEqual(1)
  })

  it('wraps the chain into rows within the width, links following the order', () => {
    const e = engine({ 'list-max-listpack-size': '2' })
    for (let i = 0; i < 20; i++) e.run('RPUSH', 'q', String(i))
    const L = layoutQuicklist(e.snap('q'), { width: 400 })
    expect(L.nodes).toHaveLength(10)
    expect(L.width).toBeLessThanOrEqual(400)
    expect(new Set(L.nodes.map((n) => n.y)).size).toBeGreaterThan(1)
    expect(L.links.map((k) => [k.from, k.to])).toEqual(L.nodes.slice(1).map((n) => [n.index - 1, n.index]))
  })

  it('a push onto a full end node creates a node; an insert into a full middle node splits it', () => {
    const e = engine({ 'list-max-listpack-size': '4' })
    e.run('RPUSH', 'q', 'a', 'b', 'c', 'd')
    const full = e.snap('q')
    e.run('RPUSH', 'q', 'e')
    const pushed = e.snap('q')
    const created = quicklistChanges(full, pushed)
    expect(created).toEqual([{ kind: 'created', id: pushed.nodes[1].id, index: 1, text: 'node #1 created: node #0 was full (4/4 entries)' }])
    const L = layoutQuicklist(pushed, { changes: created })
    expect(L.nodes.map((n) => n.change)).toEqual([null, 'created'])
    // Nothing changed in the chain: no change.
    e.run('LSET', 'q', '0', 'A')
    expect(quicklistChanges(pushed, e.snap('q'))).toEqual([])
    e.run('RPUSH', 'q', 'f', 'g', 'h')
    const before = e.snap('q')
    expect(before.nodes.map((n) => n.count)).toEqual([4, 4])
    e.run('LINSERT', 'q', 'BEFORE', 'b', 'x')
    const after = e.snap('q')
    const split = quicklistChanges(before, after)
    expect(split).toHaveLength(1)
    expect(split[0]).toMatchObject({ kind: 'split', sourceId: before.nodes[0].id })
    expect(split[0].text).toBe(`an insert into full node #${split[0].sourceIndex} (4 entries) split it: new node #${split[0].index} took part of its entries`)
    expect(after.nodes.map((n) => n.count).reduce((a, b) => a + b)).toBe(9)
    const L2 = layoutQuicklist(after, { changes: split })
    expect(L2.nodes.filter((n) => n.change === 'split')).toHaveLength(1)
    expect(L2.nodes.find((n) => n.id === before.nodes[0].id)?.change).toBe('split-source')
  })
})
