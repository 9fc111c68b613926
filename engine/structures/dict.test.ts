import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Dict } from './dict.ts'
import type { DictOptions } from './dict.ts'
import { createSipHasher, defaultHasher } from './siphash.ts'
import type { Hasher } from './siphash.ts'

// Small seeded PRNG (mulberry32) returning floats in [0, 1).
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// A deliberately weak hash so chains get long and collide across tables.
const weakHash: Hasher = (s) => (s.length * 7 + (s.charCodeAt(0) || 0)) >>> 0

const isPow2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0

// Structural invariants of dict.c, checked through the public introspection.
// Plain checks (not expect) in the loops: this runs over big tables often.
function checkInvariants<V>(d: Dict<string, V>, hash: Hasher, model?: Map<string, V>): void {
  const fail = (msg: string): never => {
    throw new Error(`dict invariant: ${msg}`)
  }
  const where = new Map<string, V>()
  let total = 0
  for (const t of [0, 1] as const) {
    const size = d.tableSize(t)
    if (t === 1 && !d.isRehashing) {
      if (size !== 0 || d.tableUsed(1) !== 0) fail('table 1 allocated while not rehashing')
      continue
    }
    if (size !== 0 && !(isPow2(size) && size >= 4)) fail(`table ${t} size ${size}`)
    let used = 0
    for (let i = 0; i < size; i++) {
      const chain = d.bucket(t, i)
      // Buckets of table 0 below the rehash index were already moved.
      if (t === 0 && d.isRehashing && i < d.rehashIndex && chain.length > 0) fail(`bucket ${i} below rehashIndex`)
      for (const e of chain) {
        if ((hash(e.key) & 0x3fffffff & (size - 1)) !== i) fail(`key in wrong bucket ${t}/${i}`)
        if (where.has(e.key)) fail('duplicate key')
        where.set(e.key, e.value)
        used++
      }
    }
    if (d.tableUsed(t) !== used) fail(`table ${t} used ${d.tableUsed(t)} != ${used}`)
    total += used
  }
  if (d.size !== total) fail('size')
  if (d.isRehashing) {
    if (!(d.tableSize(0) > 0 && d.tableSize(1) > 0 && d.rehashIndex < d.tableSize(0))) fail('rehash state')
  } else if (d.rehashIndex !== -1) {
    fail('rehashIndex without rehashing')
  }
  if (model) expect(where).toEqual(model)
}

function fill(d: Dict<string, number>, n: number, prefix = 'k'): string[] {
  const keys: string[] = []
  for (let i = 0; i < n; i++) {
    const k = `${prefix}${i}`
    d.set(k, i)
    keys.push(k)
  }
  return keys
}

function finishRehash(d: Dict<string, unknown>): void {
  while (d.rehash(1000));
}

describe('Dict basics', () => {
  it('behaves like a map for get/has/set/add/delete/getEntry', () => {
    const d = new Dict<string, string>()
    expect(d.size).toBe(0)
    expect(d.tableSize(0)).toBe(0)
    expect(d.get('a')).toBeUndefined()
    expect(d.delete('a')).toBe(false)
    expect(d.set('a', '1')).toBe(true)
    expect(d.tableSize(0)).toBe(4)
    expect(d.set('a', '2')).toBe(false)
    expect(d.get('a')).toBe('2')
    expect(d.add('a', '3')).toBe(false)
    expect(d.get('a')).toBe('2')
    expect(d.add('b', '4')).toBe(true)
    expect(d.has('b')).toBe(true)
    const e = d.getEntry('b')
    expect([e?.key, e?.value]).toEqual(['b', '4'])
    if (e) e.value = 'changed'
    expect(d.get('b')).toBe('changed')
    expect(d.getEntry('zz')).toBeUndefined()
    expect(d.delete('a')).toBe(true)
    expect(d.has('a')).toBe(false)
    expect(d.size).toBe(1)
    d.clear()
    expect(d.size).toBe(0)
    expect(d.tableSize(0)).toBe(0)
    expect(d.get('b')).toBeUndefined()
  })

  it('handles binary keys including NUL, 0xff and the empty key', () => {
    const d = new Dict<string, number>()
    const keys = ['', '\x00', '\x00\x00', '\xff', 'a\x00b', '\x80\x81\x82\x83\x84\x85\x86\x87\x88']
    keys.forEach((k, i) => d.set(k, i))
    keys.forEach((k, i) => expect(d.get(k)).toBe(i))
    expect(d.size).toBe(keys.length)
  })

  it('inserts at the head of the bucket chain', () => {
    const d = new Dict<string, number>({ hash: () => 1 })
    d.set('x', 1)
    d.set('y', 2)
    d.set('z', 3)
    expect(d.bucket(0, 1).map((e) => e.key)).toEqual(['z', 'y', 'x'])
  })

  it('iterates every entry once in bucket order, and survives deleting the current entry', () => {
    const d = new Dict<string, number>()
    const keys = fill(d, 100)
    const order: string[] = []
    for (let t = 0 as 0 | 1; t <= 1; t++) {
      for (let i = 0; i < d.tableSize(t); i++) order.push(...d.bucket(t, i).map((e) => e.key))
    }
    expect([...d.keys()]).toEqual(order)
    expect([...d.values()].sort((a, b) => a - b)).toEqual(keys.map((_, i) => i))
    for (const e of d) d.delete(e.key)
    expect(d.size).toBe(0)
  })

  it('pauses rehashing while an iterator is open and resumes on break', () => {
    const d = new Dict<string, number>()
    fill(d, 5) // the 5th insert starts a rehash 4 -> 8
    expect(d.isRehashing).toBe(true)
    const idx = d.rehashIndex
    for (const e of d.entries()) {
      expect(d.rehashPauses).toBe(1)
      d.get(e.key)
      expect(d.rehashIndex).toBe(idx)
      break
    }
    expect(d.rehashPauses).toBe(0)
    let calls = 0
    d.forEach(() => {
      calls++
      expect(d.rehashPauses).toBe(1)
    })
    expect(calls).toBe(5)
    expect(d.rehashPauses).toBe(0)
  })
})

describe('Dict resizing (dict.c 7.0 rules)', () => {
  it('starts at 4 buckets and grows to the next power of two >= used+1 when used >= size', () => {
    const d = new Dict<string, number>()
    fill(d, 4)
    expect([d.tableSize(0), d.tableUsed(0), d.isRehashing]).toEqual([4, 4, false])
    d.set('k4', 4) // used 4 >= size 4: expand to 8, new key goes to table 1
    expect(d.isRehashing).toBe(true)
    expect([d.tableSize(0), d.tableSize(1), d.tableUsed(1)]).toEqual([4, 8, 1])
    finishRehash(d)
    expect([d.tableSize(0), d.isRehashing, d.size]).toEqual([8, false, 5])
    fill(d, 100, 'x')
    finishRehash(d)
    expect(d.tableSize(0)).toBe(128)
  })

  it('only grows past 5 entries per bucket while resize is avoided', () => {
    const policy = { avoidResize: true }
    const d = new Dict<string, number>({ policy })
    fill(d, 24)
    expect([d.tableSize(0), d.tableUsed(0), d.isRehashing]).toEqual([4, 24, false])
    d.set('extra', 0) // 24/4 = 6 > 5
    expect(d.isRehashing).toBe(true)
    expect(d.tableSize(1)).toBe(32)
    finishRehash(d)
    policy.avoidResize = false
    fill(d, 8, 'y') // 33 >= 32
    expect(d.tableSize(1)).toBe(64)
  })

  it('asks expandAllowed with the new size and the load factor', () => {
    const calls: [number, number][] = []
    let allow = false
    const d = new Dict<string, number>({
      expandAllowed: (n, lf) => {
        calls.push([n, lf])
        return allow
      },
    })
    fill(d, 6)
    expect(d.tableSize(0)).toBe(4)
    expect(d.isRehashing).toBe(false)
    expect(calls).toEqual([[8, 1], [8, 1.25]])
    allow = true
    d.set('more', 1)
    expect(d.tableSize(1)).toBe(8)
  })

  it('needsShrink below 10 % fill and resizeToFit to the next power of two >= used', () => {
    const d = new Dict<string, number>()
    const keys = fill(d, 100)
    finishRehash(d)
    expect(d.tableSize(0)).toBe(128)
    expect(d.needsShrink()).toBe(false)
    for (const k of keys.slice(0, 87)) d.delete(k) // 13 left: 13*100/128 = 10
    expect(d.needsShrink()).toBe(false)
    d.delete(keys[87]) // 12*100/128 = 9
    expect(d.needsShrink()).toBe(true)
    d.policy.avoidResize = true
    expect(d.resizeToFit()).toBe(false)
    d.policy.avoidResize = false
    expect(d.resizeToFit()).toBe(true)
    expect([d.tableSize(0), d.tableSize(1), d.rehashIndex]).toEqual([128, 16, 0])
    expect(d.resizeToFit()).toBe(false) // already rehashing
    finishRehash(d)
    expect(d.tableSize(0)).toBe(16)
    for (const k of keys.slice(88, 99)) d.delete(k)
    expect(d.size).toBe(1)
    expect(d.needsShrink()).toBe(true)
    expect(d.resizeToFit()).toBe(true)
    finishRehash(d)
    expect(d.tableSize(0)).toBe(4)
    expect(d.needsShrink()).toBe(false)
    expect(d.resizeToFit()).toBe(false) // same size
  })

  it('expand() refuses sizes below used, while rehashing, and no-op sizes', () => {
    const d = new Dict<string, number>()
    fill(d, 3)
    expect(d.expand(2)).toBe(false)
    expect(d.expand(4)).toBe(false) // already 4
    expect(d.expand(1000)).toBe(true)
    expect(d.tableSize(1)).toBe(1024)
    expect(d.expand(5000)).toBe(false)
    const e = new Dict<string, number>()
    expect(e.expand(10)).toBe(true) // no table yet: allocated directly
    expect([e.tableSize(0), e.isRehashing]).toEqual([16, false])
  })
})

describe('Dict incremental rehash', () => {
  it('moves one bucket per add/find/delete step, visiting at most 10 empty buckets', () => {
    const hash = defaultHasher
    const d = new Dict<string, number>({ hash })
    const keys = fill(d, 200)
    finishRehash(d)
    for (const k of keys.slice(0, 196)) d.delete(k)
    expect(d.resizeToFit()).toBe(true) // 256 -> 4 with 4 entries
    let steps = 0
    while (d.isRehashing) {
      const before = d.rehashIndex
      let firstFull = -1
      for (let i = before; i < d.tableSize(0); i++) {
        if (d.bucket(0, i).length > 0) {
          firstFull = i
          break
        }
      }
      const movedCount = d.bucket(0, firstFull).length
      const used1 = d.tableUsed(1)
      d.get('missing')
      if (!d.isRehashing) break
      if (firstFull - before >= 10) {
        expect(d.rehashIndex).toBe(before + 10)
        expect(d.tableUsed(1)).toBe(used1)
      } else {
        expect(d.rehashIndex).toBe(firstFull + 1)
        expect(d.tableUsed(1)).toBe(used1 + movedCount)
      }
      checkInvariants(d, hash)
      steps++
    }
    expect(steps).toBeGreaterThan(3)
    expect(d.tableSize(0)).toBe(4)
    expect(d.size).toBe(4)
  })

  it('does not step while paused, and resumes afterwards', () => {
    const d = new Dict<string, number>()
    fill(d, 5)
    expect(d.isRehashing).toBe(true)
    d.pauseRehashing()
    d.pauseRehashing()
    const idx = d.rehashIndex
    d.get('k1')
    d.set('n', 1)
    d.delete('n')
    expect(d.rehashIndex).toBe(idx)
    expect(d.rehashMilliseconds(10, () => 0)).toBe(0)
    d.resumeRehashing()
    d.get('k1')
    expect(d.rehashIndex).toBe(idx)
    d.resumeRehashing()
    d.get('k1')
    expect(d.rehashIndex === idx && d.isRehashing).toBe(false)
  })

  it('rehashMilliseconds works in batches of 100 until done or past the budget', () => {
    const d = new Dict<string, number>()
    fill(d, 5000)
    finishRehash(d)
    expect(d.tableSize(0)).toBe(8192)
    fill(d, 3193, 'more') // 8193rd key -> rehash 8192 -> 16384
    expect(d.isRehashing).toBe(true)
    let now = 0
    const clock = (): number => now++ // every reading advances 1 ms
    // start=0; after the 1st batch now=1 (1-0 > 1 false), after the 2nd 2 > 1.
    expect(d.rehashMilliseconds(1, clock)).toBe(200)
    expect(d.isRehashing).toBe(true)
    const done = d.rehashMilliseconds(1000, () => 0)
    expect(done % 100).toBe(0)
    expect(d.isRehashing).toBe(false)
    checkInvariants(d, defaultHasher)
  })

  it('keeps invariants and Map semantics under random operations (fast-check)', () => {
    type Op =
      | { op: 'set' | 'add'; key: string; value: number }
      | { op: 'delete' | 'get' | 'has' | 'getEntry'; key: string }
      | { op: 'expand'; n: number }
      | { op: 'resizeToFit' | 'pause' | 'resume' | 'clear' | 'toggleAvoid' }
      | { op: 'rehash'; n: number }
      | { op: 'scan'; cursor: number }
      | { op: 'random'; seed: number }
    const key = fc.oneof(
      fc.constantFrom('a', 'b', 'c', '', '\x00', '\xff'),
      fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 4 }),
      fc.nat({ max: 300 }).map((n) => `key:${n}`),
    )
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 80, arbitrary: fc.record({ op: fc.constantFrom('set' as const, 'add' as const), key, value: fc.integer() }) },
      { weight: 50, arbitrary: fc.record({ op: fc.constantFrom('delete' as const, 'get' as const, 'has' as const, 'getEntry' as const), key }) },
      { weight: 10, arbitrary: fc.record({ op: fc.constant('expand' as const), n: fc.nat({ max: 600 }) }) },
      { weight: 10, arbitrary: fc.record({ op: fc.constantFrom('resizeToFit' as const, 'pause' as const, 'resume' as const, 'toggleAvoid' as const) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const) }) },
      { weight: 10, arbitrary: fc.record({ op: fc.constant('rehash' as const), n: fc.nat({ max: 5 }) }) },
      { weight: 10, arbitrary: fc.record({ op: fc.constant('scan' as const), cursor: fc.nat() }) },
      { weight: 10, arbitrary: fc.record({ op: fc.constant('random' as const), seed: fc.nat() }) },
    )
    fc.assert(
      fc.property(fc.boolean(), fc.array(op, { maxLength: 400 }), (weak, ops) => {
        const hash = weak ? weakHash : createSipHasher(new Uint8Array(16).fill(3))
        const opts: DictOptions = { hash }
        const d = new Dict<string, number>(opts)
        const m = new Map<string, number>()
        let pauses = 0
        for (const o of ops) {
          switch (o.op) {
            case 'set':
              expect(d.set(o.key, o.value)).toBe(!m.has(o.key))
              m.set(o.key, o.value)
              break
            case 'add': {
              const fresh = !m.has(o.key)
              expect(d.add(o.key, o.value)).toBe(fresh)
              if (fresh) m.set(o.key, o.value)
              break
            }
            case 'delete':
              expect(d.delete(o.key)).toBe(m.delete(o.key))
              break
            case 'get':
              expect(d.get(o.key)).toBe(m.get(o.key))
              break
            case 'has':
              expect(d.has(o.key)).toBe(m.has(o.key))
              break
            case 'getEntry': {
              const e = d.getEntry(o.key)
              expect(e?.value).toBe(m.get(o.key))
              if (e) {
                e.value += 1
                m.set(o.key, e.value)
              }
              break
            }
            case 'expand':
              d.expand(o.n)
              break
            case 'resizeToFit':
              d.resizeToFit()
              break
            case 'pause':
              d.pauseRehashing()
              pauses++
              break
            case 'resume':
              d.resumeRehashing()
              if (pauses > 0) pauses--
              break
            case 'toggleAvoid':
              d.policy.avoidResize = !d.policy.avoidResize
              break
            case 'clear':
              d.clear()
              m.clear()
              break
            case 'rehash':
              d.rehash(o.n)
              break
            case 'scan': {
              const got = new Set<string>()
              const next = d.scan(o.cursor, (k, v) => {
                expect(m.get(k)).toBe(v)
                got.add(k)
              })
              expect(next).toBeLessThan(Math.max(d.tableSize(0), d.tableSize(1), 1))
              break
            }
            case 'random': {
              const r = rng(o.seed)
              for (const e of [d.randomEntry(r), d.fairRandomEntry(r), ...d.someEntries(5, r)]) {
                if (e !== undefined) expect(m.get(e.key)).toBe(e.value)
              }
              if (m.size === 0) expect(d.randomEntry(r)).toBeUndefined()
              else expect(d.randomEntry(r)).toBeDefined()
              break
            }
          }
          expect(d.rehashPauses).toBe(pauses)
        }
        checkInvariants(d, hash, m)
        const iterated = new Map<string, number>()
        for (const e of d) {
          expect(iterated.has(e.key)).toBe(false)
          iterated.set(e.key, e.value)
        }
        expect(iterated).toEqual(m)
      }),
      { numRuns: 300 },
    )
  })
})

describe('Dict SCAN', () => {
  it('walks a 4-bucket table in the order 0, 2, 1, 3 and an 8-bucket one in 0,4,2,6,1,5,3,7', () => {
    const d = new Dict<string, number>()
    fill(d, 4)
    expect(d.tableSize(0)).toBe(4)
    const cursors = [0]
    for (let c = d.scan(0, () => {}); c !== 0; c = d.scan(c, () => {})) cursors.push(c)
    expect(cursors).toEqual([0, 2, 1, 3])

    const e = new Dict<string, number>()
    e.expand(8)
    e.set('x', 1)
    const c8 = [0]
    for (let c = e.scan(0, () => {}); c !== 0; c = e.scan(c, () => {})) c8.push(c)
    expect(c8).toEqual([0, 4, 2, 6, 1, 5, 3, 7])
  })

  it('emits exactly the bucket under the cursor when not rehashing', () => {
    const d = new Dict<string, number>()
    fill(d, 50)
    finishRehash(d)
    for (let c = 0; c < d.tableSize(0); c++) {
      const got: string[] = []
      d.scan(c, (k) => got.push(k))
      expect(got).toEqual(d.bucket(0, c).map((x) => x.key))
    }
  })

  it('returns 0 on an empty dict and ignores cursor bits above the mask', () => {
    const d = new Dict<string, number>()
    expect(d.scan(12345, () => {})).toBe(0)
    fill(d, 4)
    // 2^32-1 masks to bucket 3 of 4: the last in reverse-binary order.
    expect(d.scan(0xffffffff, () => {})).toBe(0)
    expect(d.scan(4 + 2, () => {})).toBe(1)
  })

  it('while rehashing emits the small-table bucket and all its expansions in the big table', () => {
    for (const grow of [true, false]) {
      const d = new Dict<string, number>()
      const keys = fill(d, 64)
      finishRehash(d)
      if (grow) {
        expect(d.expand(1024)).toBe(true) // 64 -> 1024
      } else {
        for (const k of keys.slice(0, 60)) d.delete(k)
        expect(d.resizeToFit()).toBe(true) // 64 -> 4
      }
      d.rehash(3)
      expect(d.isRehashing).toBe(true)
      const small = d.tableSize(0) < d.tableSize(1) ? 0 : 1
      const big = small === 0 ? 1 : 0
      const sm = d.tableSize(small) - 1
      const bm = d.tableSize(big) - 1
      let cursor = 0
      const all = new Set<string>()
      do {
        const want = new Set(d.bucket(small, cursor & sm).map((x) => x.key))
        for (let j = 0; j <= bm; j++) {
          if ((j & sm) === (cursor & sm)) for (const x of d.bucket(big, j)) want.add(x.key)
        }
        const got = new Set<string>()
        cursor = d.scan(cursor, (k) => got.add(k))
        expect(got).toEqual(want)
        for (const k of got) all.add(k)
      } while (cursor !== 0)
      expect(all.size).toBe(d.size)
    }
  })

  it('returns every element present for the whole scan even as the table grows and shrinks', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 200 }),
        fc.array(
          fc.record({
            adds: fc.nat({ max: 16 }),
            dels: fc.nat({ max: 16 }),
            action: fc.constantFrom('none', 'expand', 'fit', 'rehash', 'get'),
            n: fc.nat({ max: 600 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.boolean(),
        (stableCount, steps, weak) => {
          const hash = weak ? weakHash : defaultHasher
          const d = new Dict<string, number>({ hash })
          const stable = fill(d, stableCount, 's')
          let churn: string[] = []
          let serial = 0
          const seen = new Set<string>()
          let cursor = 0
          let calls = 0
          do {
            cursor = d.scan(cursor, (k) => seen.add(k))
            const s = steps[calls % steps.length]
            for (let i = 0; i < s.adds; i++) {
              const k = `c${serial++}`
              d.set(k, 0)
              churn.push(k)
            }
            // Keep the churn bounded so the table stops growing and the
            // scan can finish.
            const cut = Math.max(s.dels, churn.length - 300)
            const del = churn.slice(0, cut)
            churn = churn.slice(cut)
            for (const k of del) d.delete(k)
            if (s.action === 'expand') d.expand(s.n)
            else if (s.action === 'fit') d.resizeToFit()
            else if (s.action === 'rehash') d.rehash(s.n % 50)
            else if (s.action === 'get') d.get('s0')
            calls++
          } while (cursor !== 0 && calls < 100_000)
          expect(cursor).toBe(0)
          for (const k of stable) expect(seen.has(k)).toBe(true)
        },
      ),
      { numRuns: 100 },
    )
  })
})

describe('Dict random sampling', () => {
  it('randomEntry reaches every key, also while rehashing', () => {
    for (const rehashing of [false, true]) {
      const d = new Dict<string, number>()
      const keys = fill(d, 64)
      finishRehash(d)
      if (rehashing) {
        d.expand(512)
        d.pauseRehashing()
      }
      const r = rng(7)
      const hits = new Set<string>()
      for (let i = 0; i < 5000; i++) {
        const e = d.randomEntry(r)
        expect(e).toBeDefined()
        hits.add(e!.key)
      }
      expect(hits.size).toBe(keys.length)
      expect(d.isRehashing).toBe(rehashing)
    }
  })

  it('randomEntry prefers short chains (dictGetRandomKey), fairRandomEntry less so', () => {
    // Bucket 0 holds 9 keys, bucket 1 holds 1: a bucket-first pick gives the
    // lone key about half of the draws.
    const hash: Hasher = (s) => (s === 'lone' ? 1 : 0)
    const d = new Dict<string, number>({ hash, policy: { avoidResize: true } })
    for (let i = 0; i < 9; i++) d.set(`c${i}`, i)
    d.set('lone', 0)
    expect(d.tableSize(0)).toBe(4)
    const r = rng(1)
    let lone = 0
    let loneFair = 0
    const N = 4000
    for (let i = 0; i < N; i++) {
      if (d.randomEntry(r)?.key === 'lone') lone++
      if (d.fairRandomEntry(r)?.key === 'lone') loneFair++
    }
    expect(lone / N).toBeGreaterThan(0.4)
    expect(loneFair / N).toBeLessThan(0.2)
  })

  it('someEntries returns up to count live entries from contiguous buckets', () => {
    const d = new Dict<string, number>()
    fill(d, 1000)
    const r = rng(3)
    for (let i = 0; i < 200; i++) {
      const got = d.someEntries(20, r)
      expect(got.length).toBeLessThanOrEqual(20)
      expect(got.length).toBeGreaterThan(0)
      for (const e of got) expect(d.get(e.key)).toBe(e.value)
    }
    expect(d.someEntries(5000, r).length).toBeLessThanOrEqual(1000)
    expect(new Dict<string, number>().someEntries(5, r)).toEqual([])
    expect(new Dict<string, number>().fairRandomEntry(r)).toBeUndefined()
    // A small full table is sampled completely.
    const s = new Dict<string, number>()
    fill(s, 4)
    expect(new Set(s.someEntries(4, r).map((e) => e.key))).toEqual(new Set(['k0', 'k1', 'k2', 'k3']))
  })

  it('someEntries does up to count rehash steps first', () => {
    const d = new Dict<string, number>()
    fill(d, 100)
    finishRehash(d)
    d.expand(4096)
    const before = d.rehashIndex
    d.someEntries(3, rng(9))
    expect(d.rehashIndex).toBeGreaterThan(before)
  })
})
