import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import { SeededRandom } from '../server/random.ts'
import type { TraceEvent } from '../introspect/events.ts'
import type { SetObject } from '../keyspace/object.ts'
import { keyMemoryUsage } from '../keyspace/memory.ts'
import { rdbSavedObjectLen } from '../commands/server/serialized-length.ts'
import { dupObject } from '../commands/generic/rename.ts'
import {
  createIntsetObject,
  createSetObject,
  setMemberAsInt,
  setObjectSize,
  setTypeAdd,
  setTypeConvert,
  setTypeCreate,
  setTypeDup,
  setTypeIsMember,
  setTypeMembers,
  setTypeMembersArray,
  setTypeRandomElement,
  setTypeRemove,
  setTypeSize,
} from './set.ts'

function server(config: Record<string, string> = {}) {
  return createServer({ clock: new VirtualClock(), random: new SeededRandom(7), hashSeed: 1, config })
}

function traced(s: ReturnType<typeof server>): TraceEvent[] {
  const events: TraceEvent[] = []
  s.traceBus.subscribe((e) => events.push(e))
  return events
}

describe('set type', () => {
  it('recognises canonical int64 members only', () => {
    expect(setMemberAsInt('12')).toBe(12)
    expect(setMemberAsInt('-9223372036854775808')).toBe(-(2n ** 63n))
    expect(setMemberAsInt('9223372036854775807')).toBe(2n ** 63n - 1n)
    for (const s of ['9223372036854775808', '01', ' 1', '-0', '+1', '1.5', '', 'a']) expect(setMemberAsInt(s)).toBeNull()
  })

  it('setTypeCreate picks the encoding from the first member', () => {
    const s = server()
    expect(setTypeCreate(s, '5').encoding).toBe('intset')
    expect(setTypeCreate(s, 'x').encoding).toBe('hashtable')
    expect(setTypeCreate(s, '05').encoding).toBe('hashtable')
    expect(createIntsetObject().encoding).toBe('intset')
    expect(setTypeSize(createSetObject(s))).toBe(0)
  })

  it('adds, finds and removes in both encodings', () => {
    const s = server()
    const o = createIntsetObject()
    expect(setTypeAdd(o, '3', s)).toBe(true)
    expect(setTypeAdd(o, '3', s)).toBe(false)
    expect(setTypeAdd(o, '-1', s)).toBe(true)
    expect(setTypeIsMember(o, '3')).toBe(true)
    expect(setTypeIsMember(o, '03')).toBe(false)
    expect(setTypeIsMember(o, 'x')).toBe(false)
    expect(setTypeMembersArray(o)).toEqual(['-1', '3'])
    expect(setTypeRemove(o, 'x')).toBe(false)
    expect(setTypeRemove(o, '3')).toBe(true)
    expect(setTypeRemove(o, '3')).toBe(false)
    expect(setTypeAdd(o, 'x', s)).toBe(true)
    expect(o.encoding).toBe('hashtable')
    expect(setTypeIsMember(o, '-1')).toBe(true)
    expect(setTypeIsMember(o, 'x')).toBe(true)
    expect(setTypeAdd(o, 'x', s)).toBe(false)
    expect([...setTypeMembers(o)].sort()).toEqual(['-1', 'x'])
    expect(setTypeRemove(o, '-1')).toBe(true)
    expect(setTypeSize(o)).toBe(1)
  })

  it('converts past set-max-intset-entries (read at each add), one way, with a trace event', () => {
    const s = server({ 'set-max-intset-entries': '3' })
    const events = traced(s)
    const o = createIntsetObject()
    const site = { db: 0, key: 'k' }
    for (const m of ['1', '2', '3']) setTypeAdd(o, m, s, site)
    expect(o.encoding).toBe('intset')
    setTypeAdd(o, '4', s, site)
    expect(o.encoding).toBe('hashtable')
    expect(events).toContainEqual({
      type: 'encoding-converted', db: 0, key: 'k', valueType: 'set', from: 'intset', to: 'hashtable',
      reason: '4th member: set-max-intset-entries is 3',
    })
    // The dict was presized for the four members: no rehash pending.
    const d = (o as Extract<SetObject, { encoding: 'hashtable' }>).value
    expect(d.isRehashing).toBe(false)
    expect(d.slots).toBe(4)
    for (const m of ['2', '3', '4']) setTypeRemove(o, m)
    expect(o.encoding).toBe('hashtable')

    s.config.apply('set-max-intset-entries', '0')
    const z = createIntsetObject()
    setTypeAdd(z, '1', s, site)
    expect(z.encoding).toBe('hashtable')
  })

  it('converts on a non-integer member and says so', () => {
    const s = server()
    const events = traced(s)
    const o = createIntsetObject()
    setTypeAdd(o, '1', s, { db: 2, key: 'k' })
    setTypeAdd(o, 'abc', s, { db: 2, key: 'k' })
    expect(o.encoding).toBe('hashtable')
    expect(setTypeMembersArray(o).sort()).toEqual(['1', 'abc'])
    expect(events.find((e) => e.type === 'encoding-converted')).toMatchObject({ db: 2, reason: 'member "abc" is not an integer' })
    expect(() => setTypeConvert(o, s)).toThrow()
  })

  it('reports intset width upgrades for keyed sets only', () => {
    const s = server()
    const events = traced(s)
    const o = createIntsetObject()
    setTypeAdd(o, '1', s, { db: 0, key: 'w' })
    setTypeAdd(o, '70000', s, { db: 0, key: 'w' })
    setTypeAdd(o, '5000000000', s)
    expect(events.filter((e) => e.type === 'intset-upgrade')).toEqual([{ type: 'intset-upgrade', db: 0, key: 'w', from: 2, to: 4 }])
    expect(setTypeMembersArray(o)).toEqual(['1', '70000', '5000000000'])
  })

  it('shrinks a hashtable right after deletes leave it under 10 % full', () => {
    const s = server()
    const o = createSetObject(s)
    for (let i = 0; i < 100; i++) setTypeAdd(o, `m${i}`, s)
    const d = (o as Extract<SetObject, { encoding: 'hashtable' }>).value
    while (d.isRehashing) d.rehash(100)
    expect(d.slots).toBe(128)
    for (let i = 0; i < 88; i++) setTypeRemove(o, `m${i}`)
    // 12 left in 128 buckets: under 10 %, a rehash into 16 buckets started.
    expect(d.slots).toBe(128 + 16)
  })

  it('random elements come from the set, through the injected Random', () => {
    const s = server()
    const ints = createIntsetObject()
    const dict = createSetObject(s)
    for (let i = 0; i < 10; i++) {
      setTypeAdd(ints, String(i), s)
      setTypeAdd(dict, `m${i}`, s)
    }
    const seenI = new Set<string>()
    const seenD = new Set<string>()
    for (let i = 0; i < 500; i++) {
      seenI.add(setTypeRandomElement(ints, s))
      seenD.add(setTypeRandomElement(dict, s))
    }
    expect([...seenI].sort()).toEqual(setTypeMembersArray(ints).sort())
    expect([...seenD].sort()).toEqual(setTypeMembersArray(dict).sort())
    const again = server()
    const a = createIntsetObject()
    for (let i = 0; i < 10; i++) setTypeAdd(a, String(i), again)
    const s2 = server()
    const b = createIntsetObject()
    for (let i = 0; i < 10; i++) setTypeAdd(b, String(i), s2)
    expect(Array.from({ length: 20 }, () => setTypeRandomElement(a, again))).toEqual(Array.from({ length: 20 }, () => setTypeRandomElement(b, s2)))
  })

  it('dups keep the encoding, the bytes and the iteration order, and are independent', () => {
    const s = server()
    const ints = createIntsetObject()
    for (const m of ['5', '70000', '-3']) setTypeAdd(ints, m, s)
    const copy = setTypeDup(ints)
    expect(copy.encoding).toBe('intset')
    expect((copy as Extract<SetObject, { encoding: 'intset' }>).value.bytes()).toEqual((ints as Extract<SetObject, { encoding: 'intset' }>).value.bytes())
    setTypeAdd(copy, '1', s)
    expect(setTypeSize(ints)).toBe(3)

    const h = createSetObject(s)
    for (let i = 0; i < 20; i++) setTypeAdd(h, `v${i}`, s)
    const hc = dupObject(h) as SetObject
    expect(hc.encoding).toBe('hashtable')
    expect(setTypeMembersArray(hc).sort()).toEqual(setTypeMembersArray(h).sort())
    setTypeRemove(hc, 'v1')
    expect(setTypeIsMember(h, 'v1')).toBe(true)
  })

  it('sizes like objectComputeSize (values measured on redis-server 7.0.15)', () => {
    const s = server()
    const one = createSetObject(s)
    setTypeAdd(one, 'a', s)
    // SADD s1 a; MEMORY USAGE s1 -> 168 (key "s1": 8, dict entry: 24).
    expect(keyMemoryUsage('s1', one)).toBe(168)
    const i1 = createIntsetObject()
    setTypeAdd(i1, '1', s)
    expect(keyMemoryUsage('i1', i1)).toBe(64)
    const i2 = createIntsetObject()
    for (let i = 1; i <= 6; i++) setTypeAdd(i2, String(i), s)
    expect(keyMemoryUsage('i2', i2)).toBe(80)
    for (const m of ['6', '5', '4']) setTypeRemove(i2, m)
    expect(keyMemoryUsage('i2', i2)).toBe(64)
    // SADD h5 a b c d e: the 5th add started a rehash 4 -> 8 (12 buckets): 360.
    const h5 = createSetObject(s)
    for (const m of ['a', 'b', 'c', 'd', 'e']) setTypeAdd(h5, m, s)
    expect(keyMemoryUsage('h5', h5)).toBe(360)
    // Sampling: the average of the first `samples` entries times the count.
    const mixed = createSetObject(s)
    setTypeAdd(mixed, 'x'.repeat(100), s)
    expect(setObjectSize(mixed, 5)).toBe(16 + 56 + 4 * 8 + 24 + 112)
  })

  it('serialized length matches the DUMP payloads of redis-server', () => {
    const s = server()
    const si = createIntsetObject()
    setTypeAdd(si, '1', s)
    setTypeAdd(si, '2', s)
    // SADD si 1 2 -> DUMP 0b 0c <12 intset bytes> ...: a 12-byte string after the type byte.
    expect(rdbSavedObjectLen(si, true)).toBe(13)
    const sh = createSetObject(s)
    setTypeAdd(sh, 'x', s)
    // SADD sh x -> DUMP 02 01 01 78: count 1, then "x".
    expect(rdbSavedObjectLen(sh, true)).toBe(3)
  })
})
