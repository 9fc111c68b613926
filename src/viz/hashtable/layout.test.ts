import { describe, expect, it } from 'vitest'
import { createServer } from '../../../engine/server/server.ts'
import { VirtualClock } from '../../../engine/server/clock.ts'
import { SeededRandom } from '../../../engine/server/random.ts'
import { inspect, type HashtableSnapshot } from '../../../engine/introspect/inspect.ts'
import type { TraceEvent } from '../../../engine/introspect/events.ts'
import { keyEvents } from '../inspector-model.ts'
import { layoutHashtable, scanOrder, scanOrderText, type HtRow } from './layout.ts'
import { scanOrder as engineScanOrder } from '../../../engine/introspect/scan-path.ts'

function engine(config: Record<string, string> = {}) {
  // No active rehashing: the dict stays mid-rehash between commands.
  const server = createServer({ clock: new VirtualClock(), random: new SeededRandom(42), hashSeed: 7, config: { activerehashing: 'no', ...config } })
  const c = server.connect()
  const events: TraceEvent[] = []
  server.traceBus.subscribe((e) => events.push(e))
  return {
    events,
    run: (...args: string[]) => c.call(args),
    snap: (key: string, w?: { start?: number; count?: number }) => inspect(server, 0, key, w),
  }
}

/** Rows must cover [start, end) of the table exactly once, in order. */
function covered(rows: HtRow[]): number[] {
  const out: number[] = []
  for (const r of rows) {
    if (r.kind === 'bucket') out.push(r.index)
    else for (let i = r.from; i <= r.to; i++) out.push(i)
  }
  return out
}

describe('layoutHashtable', () => {
  it('a hash crossing 512 fields converts with the reason in words, and lays out its buckets', () => {
    const e = engine()
    for (let i = 0; i < 512; i++) e.run('HSET', 'h', `f${i}`, 'v')
    expect(e.snap('h')!.encoding).toBe('listpack')
    e.run('HSET', 'h', 'f512', 'v')
    const conv = keyEvents(e.events, 0, 'h').conversion
    expect(conv?.reason).toBe('513th field: hash-max-listpack-entries is 512')
    const s = e.snap('h', { start: 0, count: 64 })!
    expect(s.encoding).toBe('hashtable')
    const v = s.value as HashtableSnapshot
    const L = layoutHashtable(v, { maxChain: 100 })
    expect(L.tables).toHaveLength(1)
    expect(L.tables[0].size).toBe(v.tables[0].size)
    expect(L.tables[0].loadFactor).toBeCloseTo(513 / v.tables[0].size)
    expect(covered(L.tables[0].rows)).toEqual(Array.from({ length: 64 }, (_, i) => i))
    // Every entry of the window is drawn once, in its bucket, chain order kept.
    const want = v.tables[0].buckets.flatMap((b) => b.entries.map((en, d) => `${b.index}/${d}/${en.key}`))
    expect(L.entries.map((en) => `${en.bucket}/${en.depth}/${en.key}`)).toEqual(want)
    expect(new Set(L.entries.map((en) => en.key)).size).toBe(L.entries.length)
    expect(L.rehashing).toBe(false)
    expect(L.tables[0].rehashY).toBeNull()
  })

  it('while rehashing draws both tables, the rehash index, and moved buckets empty', () => {
    const e = engine({ 'hash-max-listpack-entries': '4' })
    for (let i = 0; i < 8; i++) e.run('HSET', 'h', `f${i}`, 'v')
    // Grows from 8 to 16 buckets on the 9th field; each later command moves one bucket.
    e.run('HSET', 'h', 'f8', 'v')
    e.run('HGET', 'h', 'f0')
    e.run('HGET', 'h', 'f1')
    const v = e.snap('h')!.value as HashtableSnapshot
    expect(v.rehashIndex).toBeGreaterThan(0)
    const L = layoutHashtable(v)
    expect(L.rehashing).toBe(true)
    expect(L.tables.map((t) => t.size)).toEqual([v.tables[0].size, v.tables[1].size])
    expect(L.tables[1].size).toBe(2 * L.tables[0].size)
    expect(covered(L.tables[0].rows)).toEqual(Array.from({ length: L.tables[0].size }, (_, i) => i))
    expect(covered(L.tables[1].rows)).toEqual(Array.from({ length: L.tables[1].size }, (_, i) => i))
    for (const r of L.tables[0].rows) {
      const first = r.kind === 'bucket' ? r.index : r.from
      expect(r.moved).toBe(first < v.rehashIndex)
      if (r.kind === 'bucket') expect(r.index).toBeGreaterThanOrEqual(v.rehashIndex)
    }
    expect(L.tables[0].rehashY).not.toBeNull()
    expect(L.tables[1].rehashY).toBeNull()
    // All 9 fields are somewhere, each once, across the two tables.
    expect(L.entries.map((en) => en.key).sort()).toEqual(Array.from({ length: 9 }, (_, i) => `f${i}`).sort())
    expect(L.entries.filter((en) => en.table === 1).length).toBe(v.tables[1].used)
    expect(L.summary).toContain(`next bucket to move is ${v.rehashIndex}`)
  })

  it('draws a HSCAN walk: the buckets each call read (empty ones too), numbered, the latest marked', () => {
    const e = engine({ 'hash-max-listpack-entries': '4' })
    for (let i = 0; i < 6; i++) e.run('HSET', 'h', `f${i}`, 'v')
    for (let i = 0; i < 20; i++) e.run('HGET', 'h', 'f0')
    e.events.length = 0
    e.run('HSCAN', 'h', '0', 'COUNT', '1')
    const first = keyEvents(e.events, 0, 'h').scan!
    const next = first.steps[0].next
    e.run('HSCAN', 'h', String(next), 'COUNT', '1')
    const walk = keyEvents(e.events, 0, 'h').scan!
    expect(walk.steps.map((s) => s.cursor)).toEqual([0, next])
    const v = e.snap('h')!.value as HashtableSnapshot
    expect(v.rehashIndex).toBe(-1)
    const L = layoutHashtable(v, { scan: walk })
    const read = walk.steps.flatMap((s, i) => s.visits.map((x) => [x.bucket, i + 1]))
    for (const [bucket, call] of read) {
      const row = L.tables[0].rows.find((r) => r.kind === 'bucket' && r.index === bucket)
      expect(row).toMatchObject({ kind: 'bucket', scanCall: call, scanLatest: call === 2 })
    }
    const marked = L.tables[0].rows.filter((r) => r.kind === 'bucket' && r.scanCall !== null)
    expect(marked).toHaveLength(read.length)
    // Rows still cover the table once, in order.
    expect(covered(L.tables[0].rows)).toEqual(Array.from({ length: v.tables[0].size }, (_, i) => i))
    expect(L.gutter).toBeGreaterThan(0)
    expect(L.tables[0].x).toBe(L.gutter)
    expect(L.scan).toMatchObject({ op: 'HSCAN', calls: 2, cursors: `0 → ${next} → ${walk.steps[1].next}` })
    expect(L.scan!.orderText.startsWith(scanOrderText(v.tables[0].size).slice(0, 5))).toBe(true)
    expect(scanOrderText(8)).toBe('0, 4, 2, 6, 1, 5, 3, 7')
    for (const size of [1, 4, 64, 1024]) expect(scanOrder(size)).toEqual(engineScanOrder(size))
    // Without a walk: no gutter, no marks.
    const plain = layoutHashtable(v)
    expect(plain.gutter).toBe(0)
    expect(plain.scan).toBeNull()
  })

  it('caps long chains and says how many are hidden', () => {
    const v: HashtableSnapshot = {
      encoding: 'hashtable',
      rehashIndex: -1,
      tables: [{ size: 4, used: 7, buckets: [{ index: 2, entries: Array.from({ length: 7 }, (_, i) => ({ key: `k${i}`, value: null })) }] }],
      window: { start: 0, count: 256 },
    }
    const L = layoutHashtable(v, { maxChain: 3 })
    const row = L.tables[0].rows.find((r) => r.kind === 'bucket')
    expect(row).toMatchObject({ index: 2, chain: 7, hiddenChain: 4 })
    expect(L.entries.map((en) => en.key)).toEqual(['k0', 'k1', 'k2'])
    expect(covered(L.tables[0].rows)).toEqual([0, 1, 2, 3])
  })
})
