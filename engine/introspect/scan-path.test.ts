import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import { SeededRandom } from '../server/random.ts'
import type { TraceEvent } from './events.ts'
import { inspect, type HashtableSnapshot } from './inspect.ts'
import { scanOrder, scanStep } from './scan-path.ts'

function setup() {
  const server = createServer({ clock: new VirtualClock(), random: new SeededRandom(3), hashSeed: 11, config: { activerehashing: 'no', 'hash-max-listpack-entries': '4' } })
  const c = server.connect()
  const events: TraceEvent[] = []
  server.traceBus.subscribe((e) => events.push(e))
  const run = (...argv: string[]) => c.call(argv) as unknown
  return { server, run, events }
}

/** The fields HSCAN returned (field, value pairs) and its next cursor. */
function scanReply(r: unknown): { next: number; fields: string[] } {
  const [cur, items] = (r as { value: [{ value: string }, { value: { value: string }[] }] }).value
  return { next: Number(cur.value), fields: items.value.filter((_, i) => i % 2 === 0).map((x) => x.value) }
}

describe('scanStep', () => {
  it('walks a table in reverse-binary order', () => {
    expect(scanOrder(8)).toEqual([0, 4, 2, 6, 1, 5, 3, 7])
    expect(scanStep(0, 8, 0, false)).toEqual({ visits: [{ table: 0, bucket: 0 }], next: 4 })
    expect(scanStep(7, 8, 0, false).next).toBe(0)
    // Rehashing 4 -> 8: small bucket 1, then big buckets 1 and 5.
    expect(scanStep(1, 4, 8, true)).toEqual({ visits: [{ table: 0, bucket: 1 }, { table: 1, bucket: 1 }, { table: 1, bucket: 5 }], next: 3 })
  })

  it("matches what HSCAN read, bucket by bucket, and the 'scan-step' event carries it", () => {
    const { server, run, events } = setup()
    for (let i = 0; i < 40; i++) run('HSET', 'h', `f${i}`, 'v')
    // Let the 32 -> 64 rehash finish (one bucket per command).
    for (let i = 0; i < 100; i++) run('HGET', 'h', 'f1')
    for (const phase of ['stable', 'rehashing']) {
      if (phase === 'rehashing') {
        // 40 fields in 64 buckets; grow past 64 and stop mid-rehash.
        for (let i = 40; i < 65; i++) run('HSET', 'h', `f${i}`, 'v')
        run('HGET', 'h', 'f0')
      }
      const snap = inspect(server, 0, 'h', { start: 0, count: 1 << 20 })!.value as HashtableSnapshot
      expect(snap.rehashIndex !== -1).toBe(phase === 'rehashing')
      const bucketOf = new Map<string, string>()
      snap.tables.forEach((t, ti) => t.buckets.forEach((b) => b.entries.forEach((e) => bucketOf.set(e.key, `${ti}:${b.index}`))))
      let cursor = 0
      let steps = 0
      const seen = new Set<string>()
      do {
        events.length = 0
        const { next, fields } = scanReply(run('HSCAN', 'h', String(cursor), 'COUNT', '1'))
        const ev = events.find((e) => e.type === 'scan-step')
        if (ev?.type !== 'scan-step') throw new Error('no scan-step event')
        expect(ev).toMatchObject({ db: 0, key: 'h', op: 'hscan', cursor, next })
        const visited = new Set(ev.visits.map((v) => `${v.table}:${v.bucket}`))
        // Every field returned lies in a visited bucket, and every entry of a visited bucket was returned.
        for (const f of fields) expect(visited.has(bucketOf.get(f)!)).toBe(true)
        for (const [f, b] of bucketOf) if (visited.has(b)) expect(fields).toContain(f)
        fields.forEach((f) => seen.add(f))
        cursor = next
        steps++
      } while (cursor !== 0 && steps < 1000)
      expect(seen.size).toBe(bucketOf.size)
    }
  })

  it('emits nothing for a listpack value or when nobody listens', () => {
    const server = createServer({ clock: new VirtualClock(), random: new SeededRandom(3) })
    const c = server.connect()
    c.call(['HSET', 'small', 'a', '1'])
    const events: TraceEvent[] = []
    const off = server.traceBus.subscribe((e) => events.push(e))
    c.call(['HSCAN', 'small', '0'])
    expect(events.filter((e) => e.type === 'scan-step')).toEqual([])
    off()
    expect(server.traceBus.active).toBe(false)
  })
})
