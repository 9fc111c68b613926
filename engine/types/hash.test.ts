import { describe, expect, it } from 'vitest'
import { createServer, type Server } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import type { HashObject } from '../keyspace/object.ts'
import type { TraceEvent } from '../introspect/events.ts'
import { Listpack } from '../structures/listpack.ts'
import { jemallocSize, keyMemoryUsage, objectComputeSize, sdsNewAllocSize } from '../keyspace/memory.ts'
import { dupObject } from '../commands/generic/rename.ts'
import {
  DICT_STRUCT_SIZE,
  createHashObject,
  hashObjectSize,
  hashTypeConvert,
  hashTypeDelete,
  hashTypeDup,
  hashTypeEntries,
  hashTypeExists,
  hashTypeGetValue,
  hashTypeGetValueLength,
  hashTypeLength,
  hashTypeRandomElement,
  hashTypeRandomPairs,
  hashTypeRandomPairsUnique,
  hashTypeSet,
  hashTypeTryConversion,
} from './hash.ts'

function server(config: Record<string, string> = {}): Server {
  return createServer({ clock: new VirtualClock(), config, hashSeed: 7 })
}

function traced(s: Server): TraceEvent[] {
  const events: TraceEvent[] = []
  s.traceBus.subscribe((e) => events.push(e))
  return events
}

function fill(s: Server, o: HashObject, n: number, prefix = 'f'): void {
  for (let i = 0; i < n; i++) hashTypeSet(s, o, `${prefix}${i}`, `v${i}`)
}

/** A deterministic [0,1) source. */
function lcg(seed = 1): () => number {
  let x = seed >>> 0
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    return x / 4294967296
  }
}

describe('hash type: listpack encoding', () => {
  it('starts as an empty listpack and keeps insertion order', () => {
    const s = server()
    const o = createHashObject()
    expect(o.encoding).toBe('listpack')
    expect(hashTypeLength(o)).toBe(0)
    expect(hashTypeSet(s, o, 'b', '2')).toBe(false)
    expect(hashTypeSet(s, o, 'a', '1')).toBe(false)
    expect(hashTypeSet(s, o, 'b', 'two')).toBe(true)
    expect(hashTypeEntries(o)).toEqual([
      ['b', 'two'],
      ['a', '1'],
    ])
    expect(hashTypeLength(o)).toBe(2)
  })

  it('stores integer-looking values as listpack integers but reads them back as text', () => {
    const s = server()
    const o = createHashObject()
    hashTypeSet(s, o, '10', '-9223372036854775808')
    hashTypeSet(s, o, 'x', '007')
    expect(o.encoding === 'listpack' && o.value.isInt(o.value.first()!)).toBe(true)
    expect(hashTypeGetValue(o, '10')).toBe('-9223372036854775808')
    expect(hashTypeGetValueLength(o, '10')).toBe(20)
    expect(hashTypeGetValue(o, 'x')).toBe('007')
    // A field is never matched against a value.
    expect(hashTypeExists(o, '007')).toBe(false)
    expect(hashTypeGetValue(o, 'nope')).toBeUndefined()
    expect(hashTypeGetValueLength(o, 'nope')).toBe(0)
  })

  it('matches the listpack bytes Redis dumps for HSET h f v', () => {
    const s = server()
    const o = createHashObject()
    hashTypeSet(s, o, 'f', 'v')
    // redis-7.0-facts.md: DUMP of HSET h f v carries this listpack.
    const hex = o.encoding === 'listpack' ? Array.from(o.value.bytes(), (b) => b.toString(16).padStart(2, '0')).join('') : ''
    expect(hex).toBe('0d00000002008166028176' + '02ff')
  })

  it('deletes fields pairwise; deleting the rest empties it', () => {
    const s = server()
    const o = createHashObject()
    fill(s, o, 3)
    expect(hashTypeDelete(o, 'f1')).toBe(true)
    expect(hashTypeDelete(o, 'f1')).toBe(false)
    expect(hashTypeDelete(o, 'v0')).toBe(false) // a value, not a field
    expect(hashTypeEntries(o)).toEqual([
      ['f0', 'v0'],
      ['f2', 'v2'],
    ])
    hashTypeDelete(o, 'f0')
    hashTypeDelete(o, 'f2')
    expect(hashTypeLength(o)).toBe(0)
    expect(o.encoding === 'listpack' && o.value.byteLength).toBe(7)
  })
})

describe('hash type: conversions', () => {
  it('converts on the 513th field (default entries 512) and says so in the trace', () => {
    const s = server()
    const events = traced(s)
    const o = createHashObject()
    fill(s, o, 512)
    expect(o.encoding).toBe('listpack')
    hashTypeSet(s, o, 'f0', 'updated') // an update does not add
    expect(o.encoding).toBe('listpack')
    hashTypeSet(s, o, 'extra', 'x', { db: 0, key: 'h' })
    expect(o.encoding).toBe('hashtable')
    expect(hashTypeLength(o)).toBe(513)
    expect(hashTypeGetValue(o, 'f0')).toBe('updated')
    expect(hashTypeGetValue(o, 'f511')).toBe('v511')
    expect(events).toEqual([
      {
        type: 'encoding-converted',
        db: 0,
        key: 'h',
        valueType: 'hash',
        from: 'listpack',
        to: 'hashtable',
        reason: '513th field: hash-max-listpack-entries is 512',
      },
    ])
    // Pre-sized to the 513 fields the listpack held: 1024 buckets, no rehash pending.
    expect(o.encoding === 'hashtable' && [o.value.slots, o.value.isRehashing]).toEqual([1024, false])
  })

  it('reads the thresholds at write time (CONFIG SET takes effect)', () => {
    const s = server()
    const o = createHashObject()
    fill(s, o, 3)
    s.config.apply('hash-max-listpack-entries', '3')
    hashTypeSet(s, o, 'f0', 'x')
    expect(o.encoding).toBe('listpack')
    hashTypeSet(s, o, 'new', 'x')
    expect(o.encoding).toBe('hashtable')
  })

  it('an update converts too when the limit was lowered below the field count', () => {
    const s = server()
    const events = traced(s)
    const o = createHashObject()
    fill(s, o, 3)
    s.config.apply('hash-max-listpack-entries', '2')
    expect(hashTypeSet(s, o, 'f0', 'x', { db: 0, key: 'k' })).toBe(true)
    expect(o.encoding).toBe('hashtable')
    expect(events[0].type === 'encoding-converted' && events[0].reason).toBe(
      '3 fields after an update: hash-max-listpack-entries is 2',
    )
  })

  it('entries 0: the first field converts', () => {
    const s = server({ 'hash-max-listpack-entries': '0' })
    const o = createHashObject()
    hashTypeSet(s, o, 'a', '1')
    expect(o.encoding).toBe('hashtable')
  })

  it('value and field length limits: 64 stays, 65 converts (hashTypeSet path)', () => {
    const s = server()
    const events = traced(s)
    const o = createHashObject()
    hashTypeSet(s, o, 'f'.repeat(64), 'v'.repeat(64))
    expect(o.encoding).toBe('listpack')
    hashTypeSet(s, o, 'g', 'v'.repeat(65), { db: 3, key: 'k' })
    expect(o.encoding).toBe('hashtable')
    expect(events.map((e) => (e.type === 'encoding-converted' ? e.reason : ''))).toEqual([
      'value of 65 bytes: hash-max-listpack-value is 64',
    ])
    const p = createHashObject()
    hashTypeSet(s, p, 'f'.repeat(65), 'v', { db: 3, key: 'k2' })
    expect(p.encoding).toBe('hashtable')
    expect(events.length).toBe(2)
    expect(events[1].type === 'encoding-converted' && events[1].reason).toBe('field of 65 bytes: hash-max-listpack-value is 64')
  })

  it('hashTypeTryConversion checks every argument before the write', () => {
    const s = server()
    const events = traced(s)
    const o = createHashObject()
    hashTypeTryConversion(s, o, ['HSET', 'k', 'a', '1', 'b', 'x'.repeat(64)], 2, 5, { db: 0, key: 'k' })
    expect(o.encoding).toBe('listpack')
    hashTypeTryConversion(s, o, ['HSET', 'k', 'a', '1', 'b', 'x'.repeat(65)], 2, 5, { db: 0, key: 'k' })
    expect(o.encoding).toBe('hashtable')
    // Converted empty: 4 buckets.
    expect(o.encoding === 'hashtable' && o.value.slots).toBe(4)
    expect(events[0].type === 'encoding-converted' && events[0].reason).toBe('value of 65 bytes: hash-max-listpack-value is 64')
    // Already a hashtable: nothing more happens.
    hashTypeTryConversion(s, o, ['x'.repeat(100)], 0, 0)
    expect(events.length).toBe(1)
  })

  it('hashTypeTryConversion converts when the listpack would pass 1 GB (lpSafeToAdd)', () => {
    const s = server({ 'hash-max-listpack-value': String(2 ** 40) })
    const events = traced(s)
    const o = createHashObject()
    // Only the arguments' lengths are read: stand-ins avoid allocating a gigabyte.
    const big = (n: number): string => ({ length: n }) as unknown as string
    hashTypeTryConversion(s, o, [big(2 ** 29), big(2 ** 29 - 7)], 0, 1, { db: 0, key: 'k' })
    expect(o.encoding).toBe('listpack')
    hashTypeTryConversion(s, o, [big(2 ** 29), big(2 ** 29 - 6)], 0, 1, { db: 0, key: 'k' })
    expect(o.encoding).toBe('hashtable')
    expect(events[0].type === 'encoding-converted' && events[0].reason).toBe(
      'listpack of 7 bytes would pass 1 GB with 1073741818 more',
    )
  })

  it('no trace event without a site or a listener', () => {
    const s = server()
    const events = traced(s)
    const o = createHashObject()
    hashTypeSet(s, o, 'a', 'x'.repeat(100))
    expect(o.encoding).toBe('hashtable')
    expect(events).toEqual([])
  })

  it('is one way: deleting fields never goes back to listpack', () => {
    const s = server()
    const o = createHashObject()
    hashTypeSet(s, o, 'a', 'x'.repeat(100))
    hashTypeDelete(o, 'a')
    hashTypeSet(s, o, 'b', '1')
    expect(o.encoding).toBe('hashtable')
    expect(() => hashTypeConvert(o, s)).toThrow()
  })

  it('a hashtable shrinks right after deletes (htNeedsResize -> dictResize)', () => {
    const s = server({ 'hash-max-listpack-entries': '0' })
    const o = createHashObject()
    fill(s, o, 100)
    if (o.encoding !== 'hashtable') throw new Error('expected a hashtable')
    while (o.value.isRehashing) o.value.rehash(100)
    expect(o.value.slots).toBe(128)
    for (let i = 0; i < 88; i++) hashTypeDelete(o, `f${i}`)
    // 12 of 128 is still >= 10 %; the 13th delete leaves 11 -> shrink to 16.
    expect(o.value.tableSize(0)).toBe(128)
    hashTypeDelete(o, 'f88')
    expect(o.value.isRehashing).toBe(true)
    expect(o.value.tableSize(1)).toBe(16)
    expect(hashTypeLength(o)).toBe(11)
  })
})

describe('hash type: random picks', () => {
  it('listpack pairs: random element, with repetitions, unique', () => {
    const s = server()
    const o = createHashObject()
    fill(s, o, 10)
    if (o.encoding !== 'listpack') throw new Error('expected listpack')
    const r = lcg(3)
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const [f, v] = hashTypeRandomElement(o, r)
      expect(v).toBe(`v${f.slice(1)}`)
      seen.add(f)
    }
    expect(seen.size).toBe(10)
    const many = hashTypeRandomPairs(o, 500, r)
    expect(many.length).toBe(500)
    for (const [f, v] of many) expect(v).toBe(`v${f.slice(1)}`)
    expect(new Set(many.map(([f]) => f)).size).toBe(10)
    // The order drawn is kept (not sorted by position).
    const idx = many.map(([f]) => Number(f.slice(1)))
    expect(idx).not.toEqual([...idx].sort((a, b) => a - b))
    for (const n of [0, 1, 4, 9, 10, 20]) {
      const u = hashTypeRandomPairsUnique(o, n, r)
      expect(u.length).toBe(Math.min(n, 10))
      const pos = u.map(([f]) => Number(f.slice(1)))
      expect(new Set(pos).size).toBe(pos.length)
      expect(pos).toEqual([...pos].sort((a, b) => a - b)) // listpack order
    }
  })

  it('hashtable: fair random entries cover all fields', () => {
    const s = server({ 'hash-max-listpack-entries': '0' })
    const o = createHashObject()
    fill(s, o, 20)
    const r = lcg(9)
    const seen = new Set<string>()
    for (let i = 0; i < 2000; i++) seen.add(hashTypeRandomElement(o, r)[0])
    expect(seen.size).toBe(20)
  })
})

describe('hash type: COPY dup', () => {
  it('copies a listpack byte for byte and independently', () => {
    const s = server()
    const o = createHashObject()
    fill(s, o, 5)
    const d = hashTypeDup(o)
    expect(d.encoding).toBe('listpack')
    expect(d.encoding === 'listpack' && o.encoding === 'listpack' && d.value.bytes()).toEqual(
      o.encoding === 'listpack' && o.value.bytes(),
    )
    hashTypeSet(s, d, 'f0', 'changed')
    expect(hashTypeGetValue(o, 'f0')).toBe('v0')
    // The registered dup is this one.
    const viaCopy = dupObject(o) as HashObject
    expect(viaCopy.encoding).toBe('listpack')
    expect(hashTypeEntries(viaCopy)).toEqual(hashTypeEntries(o))
  })

  it('copies a hashtable keeping the encoding, pre-sized', () => {
    const s = server({ 'hash-max-listpack-entries': '0' })
    const o = createHashObject()
    fill(s, o, 100)
    const d = hashTypeDup(o)
    expect(d.encoding).toBe('hashtable')
    expect(d.encoding === 'hashtable' && [d.value.slots, d.value.isRehashing]).toEqual([128, false])
    expect(new Map(hashTypeEntries(d))).toEqual(new Map(hashTypeEntries(o)))
    hashTypeDelete(d, 'f1')
    expect(hashTypeExists(o, 'f1')).toBe(true)
  })
})

describe('hash type: memory (objectComputeSize)', () => {
  it('listpack: robj + allocator size of the listpack bytes', () => {
    const s = server()
    const o = createHashObject()
    hashTypeSet(s, o, 'a', '1')
    hashTypeSet(s, o, 'b', 'x')
    // Observed on redis-server 7.0.15: MEMORY USAGE of HSET h a 1 b x is 80.
    expect(keyMemoryUsage('h', o)).toBe(80)
    expect(objectComputeSize(o)).toBe(16 + jemallocSize(o.encoding === 'listpack' ? o.value.byteLength : 0))
  })

  it('hashtable: robj + dict + buckets + sampled average per entry', () => {
    const s = server()
    const o = createHashObject()
    hashTypeSet(s, o, 'a', '12.5')
    hashTypeSet(s, o, 'b', 'x')
    hashTypeSet(s, o, 'long', 'x'.repeat(65))
    expect(o.encoding).toBe('hashtable')
    // Observed on redis-server 7.0.15 for the same writes: 328.
    expect(keyMemoryUsage('h', o)).toBe(328)
    // With every entry the same size the sample count does not matter.
    const p = createHashObject()
    s.config.apply('hash-max-listpack-entries', '0')
    fill(s, p, 10, 'g')
    const per = sdsNewAllocSize(2) + sdsNewAllocSize(2) + 24
    const slots = p.encoding === 'hashtable' ? p.value.slots : 0
    expect(hashObjectSize(p, 5)).toBe(16 + DICT_STRUCT_SIZE + 8 * slots + per * 10)
    expect(hashObjectSize(p, 1e9)).toBe(hashObjectSize(p, 5))
  })
})

describe('listpack random pair helpers', () => {
  it('randomPairs fills every slot in draw order; randomPairsUnique caps at the pair count', () => {
    const lp = Listpack.fromEntries(['a', 1, 'b', 2, 'c', 3])
    const draws = [0.9, 0.1, 0.5, 0.1]
    let i = 0
    const r = (): number => draws[i++ % draws.length]
    const { keys, vals } = lp.randomPairs(4, r)
    expect(keys).toEqual(['c', 'a', 'b', 'a'])
    expect(vals).toEqual([3, 1, 2, 1])
    expect(lp.randomPair(3, () => 0.99)).toEqual(['c', 3])
    expect(lp.randomPairsUnique(5, () => 0.5).keys).toEqual(['a', 'b', 'c'])
    // Selection sampling: a draw above remaining/unvisited skips the pair.
    const seq = [0.9, 0.1, 0.0]
    let j = 0
    expect(lp.randomPairsUnique(1, () => seq[j++]).keys).toEqual(['b'])
    expect(lp.safeToAdd(100)).toBe(true)
    expect(lp.safeToAdd(2 ** 30)).toBe(false)
  })
})
