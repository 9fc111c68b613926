import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import { SeededRandom } from '../server/random.ts'
import type { TraceEvent } from '../introspect/events.ts'
import type { HashObject, SetObject } from '../keyspace/object.ts'
import { Dict } from '../structures/dict.ts'
import { traceRehash } from './trace.ts'

function server(config: Record<string, string> = {}) {
  return createServer({ clock: new VirtualClock(), random: new SeededRandom(7), hashSeed: 1, config })
}

type RehashStep = Extract<TraceEvent, { type: 'rehash-step' }>
const rehashSteps = (events: TraceEvent[]): RehashStep[] => events.filter((e): e is RehashStep => e.type === 'rehash-step')

describe('Dict.onRehash', () => {
  it('reports every step with the next bucket to move, then done with -1', () => {
    const d = new Dict<string, number>()
    const seen: Array<[number, boolean]> = []
    d.onRehash = (i, done) => seen.push([i, done])
    for (let i = 0; i < 4; i++) d.add(`k${i}`, i)
    expect(seen).toEqual([]) // 4 entries in 4 buckets: no growth yet
    d.add('k4', 4) // grows to 8 buckets: rehashing starts, nothing moved yet
    expect(d.isRehashing).toBe(true)
    expect(seen).toEqual([])
    while (d.isRehashing) d.get('k0') // each lookup moves one bucket
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.at(-1)).toEqual([-1, true])
    for (const [i, done] of seen.slice(0, -1)) {
      expect(done).toBe(false)
      expect(i).toBeGreaterThan(0)
      expect(i).toBeLessThanOrEqual(4)
    }
    // Indexes only go forward.
    const idx = seen.slice(0, -1).map(([i]) => i)
    expect([...idx].sort((a, b) => a - b)).toEqual(idx)
    expect(d.size).toBe(5)
  })

  it('is not called when nothing is rehashing, and a batch is one call', () => {
    const d = new Dict<string, number>()
    let calls = 0
    d.onRehash = () => calls++
    for (let i = 0; i < 100; i++) d.add(`k${i}`, i)
    const before = calls
    d.rehash(100)
    expect(d.rehash(100)).toBe(false)
    expect(calls - before).toBeLessThanOrEqual(1)
    expect(d.isRehashing).toBe(false)
  })
})

describe('rehash-step trace events of hash and set values', () => {
  it('HSET into a hashtable hash reports the steps of its dict with db and key', () => {
    const s = server({ 'hash-max-listpack-entries': '0' })
    const events: TraceEvent[] = []
    s.traceBus.subscribe((e) => events.push(e))
    const c = s.connect()
    c.call(['SELECT', '3'])
    for (let i = 0; i < 40; i++) c.call(['HSET', 'h', `f${i}`, 'v'])
    const steps = rehashSteps(events)
    expect(steps.length).toBeGreaterThan(0)
    for (const e of steps) expect(e).toMatchObject({ db: 3, key: 'h' })
    // Growth 4 -> 8 -> 16 -> 32 -> 64: each rehash ends with a done event.
    expect(steps.filter((e) => e.done).length).toBeGreaterThanOrEqual(3)
    for (const e of steps) expect(e.done ? e.rehashIndex === -1 : e.rehashIndex > 0).toBe(true)
    const o = s.dbs[3].dict.get('h') as HashObject
    expect(o.encoding).toBe('hashtable')
  })

  it('SADD into a hashtable set reports them, deletes that shrink report through the same observer', () => {
    const s = server()
    const events: TraceEvent[] = []
    s.traceBus.subscribe((e) => events.push(e))
    const c = s.connect()
    for (let i = 0; i < 64; i++) c.call(['SADD', 's', `m${i}`])
    expect(rehashSteps(events).every((e) => e.db === 0 && e.key === 's')).toBe(true)
    const grown = rehashSteps(events).length
    expect(grown).toBeGreaterThan(0)
    // Shrinking below 10 % fill starts a rehash into a smaller table; the following reads finish it.
    for (let i = 0; i < 60; i++) c.call(['SREM', 's', `m${i}`])
    for (let i = 0; i < 20; i++) c.call(['SISMEMBER', 's', 'm63'])
    const o = s.dbs[0].dict.get('s') as SetObject
    expect(o.encoding === 'hashtable' && !o.value.isRehashing).toBe(true)
    expect(rehashSteps(events).length).toBeGreaterThan(grown)
    expect(rehashSteps(events).at(-1)).toEqual({ type: 'rehash-step', db: 0, key: 's', rehashIndex: -1, done: true })
  })

  it('an intset converted by a non-integer member is observed from then on', () => {
    const s = server()
    const events: TraceEvent[] = []
    s.traceBus.subscribe((e) => events.push(e))
    const c = s.connect()
    c.call(['SADD', 's', '1', '2', '3', '4', 'x'])
    for (let i = 0; i < 10; i++) c.call(['SADD', 's', `y${i}`])
    expect(rehashSteps(events).length).toBeGreaterThan(0)
  })

  it('nothing is built or attached when nobody listens; unsubscribing detaches on the next write', () => {
    const s = server({ 'hash-max-listpack-entries': '0' })
    const c = s.connect()
    const built: TraceEvent[] = []
    const realTrace = s.trace.bind(s)
    s.trace = (e: TraceEvent) => {
      built.push(e)
      realTrace(e)
    }
    for (let i = 0; i < 100; i++) c.call(['HSET', 'h', `f${i}`, 'v'])
    for (let i = 0; i < 100; i++) c.call(['SADD', 's', `m${i}`])
    expect(built).toEqual([])
    const h = (s.dbs[0].dict.get('h') as HashObject).value as Dict<string, string>
    const set = (s.dbs[0].dict.get('s') as SetObject).value as Dict<string, null>
    expect(h.onRehash).toBeUndefined()
    expect(set.onRehash).toBeUndefined()

    const events: TraceEvent[] = []
    const unsubscribe = s.traceBus.subscribe((e) => events.push(e))
    c.call(['HSET', 'h', 'x', 'v'])
    expect(h.onRehash).toBeTypeOf('function')
    unsubscribe()
    const heard = events.length
    // A stale observer emits nothing: it checks the bus first.
    h.onRehash!(5, false)
    expect(events.length).toBe(heard)
    expect(built.length).toBe(heard)
    c.call(['HSET', 'h', 'y', 'v'])
    expect(h.onRehash).toBeUndefined()
  })

  it('traceRehash without a site detaches', () => {
    const s = server()
    s.traceBus.subscribe(() => {})
    const d = new Dict<string, null>()
    traceRehash(s, { db: 0, key: 'k' }, d)
    expect(d.onRehash).toBeTypeOf('function')
    traceRehash(s, undefined, d)
    expect(d.onRehash).toBeUndefined()
  })
})
