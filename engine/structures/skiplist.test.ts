import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  LEX_MAX,
  LEX_MIN,
  Skiplist,
  ZSKIPLIST_LEVEL_THRESHOLD,
  ZSKIPLIST_MAXLEVEL,
  parseLexRange,
  randomLevel,
} from './skiplist.ts'
import type { LexItem, LexRange, ScoreRange, SearchStep, SkiplistNode, SkiplistRandomSource } from './skiplist.ts'

/** mulberry32: a small seeded u32 source, local so the structure test stands alone. */
function seeded(seed: number): SkiplistRandomSource {
  let a = seed >>> 0
  return {
    u32(): number {
      a = (a + 0x6d2b79f5) >>> 0
      let t = a
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return (t ^ (t >>> 14)) >>> 0
    },
  }
}

interface El {
  score: number
  member: string
}

function cmp(a: El, b: El): number {
  if (a.score < b.score) return -1
  if (a.score > b.score) return 1
  return a.member < b.member ? -1 : a.member > b.member ? 1 : 0
}

function contents(zsl: Skiplist): El[] {
  return [...zsl].map((n) => ({ score: n.score, member: n.member }))
}

function el(n: SkiplistNode | null): El | null {
  return n === null ? null : { score: n.score, member: n.member }
}

function inScore(s: number, r: ScoreRange): boolean {
  return (r.minex ? s > r.min : s >= r.min) && (r.maxex ? s < r.max : s <= r.max)
}

function inLex(v: string, r: LexRange): boolean {
  const lo = r.min === LEX_MIN ? true : r.min === LEX_MAX ? false : r.minex ? v > r.min : v >= r.min
  const hi = r.max === LEX_MAX ? true : r.max === LEX_MIN ? false : r.maxex ? v < r.max : v <= r.max
  return lo && hi
}

const bytes = (codes: number[]): string => String.fromCharCode(...codes)
// A tiny alphabet including NUL and 0xff so ties, prefixes and high bytes are common.
const memberArb = fc.array(fc.constantFrom(0x00, 0x01, 0x61, 0x62, 0x7f, 0x80, 0xff), { maxLength: 3 }).map(bytes)
const scoreArb = fc.oneof(
  fc.constantFrom(-0, 0, 1, -1, 1.5, Infinity, -Infinity, 2),
  fc.double({ noNaN: true }),
)
const rangeArb: fc.Arbitrary<ScoreRange> = fc.record({
  min: scoreArb,
  max: scoreArb,
  minex: fc.boolean(),
  maxex: fc.boolean(),
})
const lexItemArb = fc.oneof(
  fc.constant('-'),
  fc.constant('+'),
  memberArb.map((m) => '[' + m),
  memberArb.map((m) => '(' + m),
)
const lexRangeArb = fc.tuple(lexItemArb, lexItemArb).map(([a, b]) => {
  const r = parseLexRange(a, b)
  if (r === null) throw new Error('generator produced an invalid lex range')
  return r
})

type Op =
  | { t: 'insert'; score: number; member: string }
  | { t: 'delete'; score: number; member: string; pick: number }
  | { t: 'update'; pick: number; score: number }
  | { t: 'delScore'; range: ScoreRange }
  | { t: 'delRank'; start: number; end: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('insert' as const), score: scoreArb, member: memberArb }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('delete' as const), score: scoreArb, member: memberArb, pick: fc.nat() }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('update' as const), pick: fc.nat(), score: scoreArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delScore' as const), range: rangeArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('delRank' as const), start: fc.integer({ min: 1, max: 40 }), end: fc.integer({ min: 0, max: 40 }) }),
  },
)

/** Apply one op to the skiplist and the sorted-array model; returns the new model. */
function apply(zsl: Skiplist, model: El[], op: Op): El[] {
  switch (op.t) {
    case 'insert': {
      if (model.some((e) => e.member === op.member)) return model // the caller's dict forbids duplicates
      const n = zsl.insert(op.score, op.member)
      expect(el(n)).toEqual({ score: op.score, member: op.member })
      return [...model, { score: op.score, member: op.member }].sort(cmp)
    }
    case 'delete': {
      // Either an existing element (when pick selects one) or an arbitrary, maybe absent one.
      const target = model.length > 0 && op.pick % 2 === 0 ? model[op.pick % model.length] : op
      // -0 and +0 are one score for lookups (C double equality).
      const idx = model.findIndex((e) => e.score === target.score && e.member === target.member)
      const got = zsl.delete(target.score, target.member)
      if (idx < 0) {
        expect(got).toBeNull()
        return model
      }
      expect(got?.member).toBe(target.member)
      return model.filter((_, i) => i !== idx)
    }
    case 'update': {
      if (model.length === 0) return model
      const cur = model[op.pick % model.length]
      const before = zsl.getElementByRank(model.indexOf(cur) + 1)
      const prev = before?.backward ?? null
      const next = before?.next ?? null
      const inPlace = (prev === null || prev.score < op.score) && (next === null || next.score > op.score)
      const n = zsl.updateScore(cur.score, cur.member, op.score)
      expect(el(n)).toEqual({ score: op.score, member: cur.member })
      // The in-place shortcut keeps the node object; otherwise a new node replaces it.
      expect(n === before).toBe(inPlace)
      return model.map((e) => (e === cur ? { score: op.score, member: cur.member } : e)).sort(cmp)
    }
    case 'delScore': {
      const removed = zsl.deleteRangeByScore(op.range)
      expect(removed).toEqual(model.filter((e) => inScore(e.score, op.range)).map((e) => e.member))
      return model.filter((e) => !inScore(e.score, op.range))
    }
    case 'delRank': {
      const expected = op.start <= op.end ? model.slice(op.start - 1, op.end) : []
      expect(zsl.deleteRangeByRank(op.start, op.end)).toEqual(expected.map((e) => e.member))
      return op.start <= op.end ? [...model.slice(0, op.start - 1), ...model.slice(op.end)] : model
    }
  }
}

/** Every query answered by the skiplist must match the model. */
function checkQueries(zsl: Skiplist, model: El[], probes: { score: number; member: string }[], ranges: ScoreRange[]): void {
  expect(zsl.length).toBe(model.length)
  expect(contents(zsl)).toEqual(model)
  expect([...zsl.descending()].map((n) => n.member)).toEqual(model.map((e) => e.member).reverse())
  expect(el(zsl.first())).toEqual(model[0] ?? null)
  expect(el(zsl.last())).toEqual(model[model.length - 1] ?? null)
  model.forEach((e, i) => {
    expect(zsl.getRank(e.score, e.member)).toBe(i + 1)
    expect(zsl.getElementByRank(i + 1)?.member).toBe(e.member)
  })
  expect(zsl.getElementByRank(0)).toBeNull()
  expect(zsl.getElementByRank(model.length + 1)).toBeNull()
  // collect: the rank-range walk, forward from a node or backward from one.
  expect(zsl.collect(null, 3, false)).toEqual([])
  if (model.length > 0) {
    const k = Math.min(model.length, 5)
    const mid = Math.ceil(model.length / 2)
    expect(zsl.collect(zsl.first(), k, false)).toEqual(model.slice(0, k))
    expect(zsl.collect(zsl.last(), k, true)).toEqual(model.slice(-k).reverse())
    expect(zsl.collect(zsl.getElementByRank(mid), model.length, false)).toEqual(model.slice(mid - 1))
    expect(zsl.collect(zsl.getElementByRank(mid), model.length, true)).toEqual(model.slice(0, mid).reverse())
    expect(zsl.collect(zsl.first(), 0, false)).toEqual([])
  }
  for (const p of probes) {
    const i = model.findIndex((e) => e.member === p.member && e.score === p.score)
    expect(zsl.getRank(p.score, p.member)).toBe(i + 1)
  }
  for (const r of ranges) {
    const inside = model.filter((e) => inScore(e.score, r))
    expect(el(zsl.firstInRange(r))).toEqual(inside[0] ?? null)
    expect(el(zsl.lastInRange(r))).toEqual(inside[inside.length - 1] ?? null)
    if (inside.length > 0) expect(zsl.isInRange(r)).toBe(true)
  }
}

describe('randomLevel (zslRandomLevel, 7.0.15: random() < 0.25*RAND_MAX)', () => {
  it('compares a 31-bit draw strictly against floor(0.25 * (2^31 - 1))', () => {
    expect(ZSKIPLIST_LEVEL_THRESHOLD).toBe(536870911)
    const seq = (values: number[]): SkiplistRandomSource => {
      let i = 0
      return { u32: () => values[i++] }
    }
    // u32 >>> 1 is the draw: (t-1)<<1 is just under, t<<1 equals the threshold (stops).
    const t = ZSKIPLIST_LEVEL_THRESHOLD
    expect(randomLevel(seq([t << 1]))).toBe(1)
    expect(randomLevel(seq([((t - 1) << 1) | 1, t << 1]))).toBe(2)
    expect(randomLevel(seq([0, 0, 0xffffffff]))).toBe(3)
    expect(randomLevel({ u32: () => 0 })).toBe(ZSKIPLIST_MAXLEVEL)
  })

  it('follows P(level >= k) = 0.25^(k-1) with a seeded source', () => {
    const r = seeded(1234)
    const n = 400_000
    const atLeast = new Array<number>(ZSKIPLIST_MAXLEVEL + 2).fill(0)
    for (let i = 0; i < n; i++) {
      const l = randomLevel(r)
      for (let k = 1; k <= l; k++) atLeast[k]++
    }
    for (let k = 1; k <= 7; k++) {
      const expected = 0.25 ** (k - 1)
      const got = atLeast[k] / n
      // 5 standard deviations of a binomial proportion, plus a little slack.
      const sd = Math.sqrt((expected * (1 - expected)) / n)
      expect(Math.abs(got - expected)).toBeLessThan(5 * sd + 1e-6)
    }
  })

  it('gives the same levels for the same seed and a list whose heights follow the law', () => {
    const a = new Skiplist(seeded(7))
    const b = new Skiplist(seeded(7))
    const n = 100_000
    for (let i = 0; i < n; i++) {
      a.insert(i, 'm' + i)
      b.insert(i, 'm' + i)
    }
    const ha = [...a].map((x) => x.height)
    expect([...b].map((x) => x.height)).toEqual(ha)
    for (let k = 2; k <= 5; k++) {
      const frac = ha.filter((h) => h >= k).length / n
      expect(frac / 0.25 ** (k - 1)).toBeGreaterThan(0.85)
      expect(frac / 0.25 ** (k - 1)).toBeLessThan(1.15)
    }
    expect(a.level).toBe(Math.max(...ha))
  })
})

describe('Skiplist against a sorted-array model', () => {
  it('matches the model after every op, with spans and pointers verified', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(opArb, { maxLength: 60 }),
        fc.array(fc.record({ score: scoreArb, member: memberArb }), { maxLength: 6 }),
        fc.array(rangeArb, { maxLength: 6 }),
        (seed, ops, probes, ranges) => {
          const zsl = new Skiplist(seeded(seed))
          let model: El[] = []
          for (const op of ops) {
            model = apply(zsl, model, op)
            zsl.verify()
            checkQueries(zsl, model, probes, ranges)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('lex ranges on equal scores (-0 and +0 tie) match the model', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.uniqueArray(fc.tuple(memberArb, fc.constantFrom(0, -0)), { selector: (t) => t[0], maxLength: 40 }),
        fc.array(lexRangeArb, { minLength: 1, maxLength: 8 }),
        (seed, entries, ranges) => {
          const zsl = new Skiplist(seeded(seed))
          for (const [m, s] of entries) zsl.insert(s, m)
          zsl.verify()
          const members = contents(zsl).map((e) => e.member)
          expect(members).toEqual(entries.map((e) => e[0]).sort())
          for (const r of ranges) {
            const inside = members.filter((m) => inLex(m, r))
            expect(zsl.firstInLexRange(r)?.member ?? null).toBe(inside[0] ?? null)
            expect(zsl.lastInLexRange(r)?.member ?? null).toBe(inside[inside.length - 1] ?? null)
            if (inside.length > 0) expect(zsl.isInLexRange(r)).toBe(true)
          }
          const r = ranges[0]
          expect(zsl.deleteRangeByLex(r)).toEqual(members.filter((m) => inLex(m, r)))
          zsl.verify()
          expect(contents(zsl).map((e) => e.member)).toEqual(members.filter((m) => !inLex(m, r)))
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('Skiplist specifics', () => {
  it('orders -inf, -0/+0 (tied, by member), +inf and binary members by memcmp', () => {
    const zsl = new Skiplist(seeded(1))
    zsl.insert(Infinity, 'z')
    zsl.insert(0, 'b')
    zsl.insert(-0, 'a\xff')
    zsl.insert(-0, 'a')
    zsl.insert(0, 'a\x00')
    zsl.insert(-Infinity, '\xff')
    zsl.verify()
    expect(contents(zsl).map((e) => e.member)).toEqual(['\xff', 'a', 'a\x00', 'a\xff', 'b', 'z'])
    // -0 and +0 are the same score for lookups, as C double comparison has it.
    expect(zsl.getRank(0, 'a')).toBe(2)
    expect(zsl.getRank(-0, 'b')).toBe(5)
    expect(zsl.delete(0, 'a\xff')).not.toBeNull()
    expect(zsl.firstInRange({ min: -Infinity, max: Infinity, minex: true, maxex: true })?.member).toBe('a')
    expect(zsl.lastInRange({ min: -Infinity, max: Infinity, minex: false, maxex: false })?.member).toBe('z')
    expect(zsl.isInRange({ min: 1, max: 1, minex: true, maxex: false })).toBe(false)
    expect(zsl.isInRange({ min: 2, max: 1, minex: false, maxex: false })).toBe(false)
    expect(zsl.firstInRange({ min: 0.5, max: 100, minex: false, maxex: false })).toBeNull()
    expect(() => zsl.insert(NaN, 'n')).toThrow(RangeError)
  })

  it('parses lex range items like zslParseLexRangeItem', () => {
    expect(parseLexRange('-', '+')).toEqual({ min: LEX_MIN, max: LEX_MAX, minex: true, maxex: true })
    expect(parseLexRange('[a', '(b')).toEqual({ min: 'a', max: 'b', minex: false, maxex: true })
    expect(parseLexRange('(', '[')).toEqual({ min: '', max: '', minex: true, maxex: false })
    for (const bad of ['a', '', '+x', '-a', ']a']) {
      expect(parseLexRange(bad, '+')).toBeNull()
      expect(parseLexRange('-', bad)).toBeNull()
    }
    const zsl = new Skiplist(seeded(2))
    for (const m of ['a', 'b', 'c']) zsl.insert(0, m)
    const r = (a: string, b: string): LexRange => parseLexRange(a, b) as LexRange
    expect(zsl.isInLexRange(r('-', '-'))).toBe(false)
    expect(zsl.isInLexRange(r('+', '+'))).toBe(false)
    expect(zsl.isInLexRange(r('+', '-'))).toBe(false)
    expect(zsl.isInLexRange(r('[b', '(b'))).toBe(false)
    expect(zsl.firstInLexRange(r('(a', '+'))?.member).toBe('b')
    expect(zsl.lastInLexRange(r('-', '(c'))?.member).toBe('b')
    expect(zsl.deleteRangeByLex(r('[b', '+'))).toEqual(['b', 'c'])
    zsl.verify()
    const items: LexItem[] = [...zsl].map((n) => n.member)
    expect(items).toEqual(['a'])
  })

  it('updateScore takes the in-place shortcut only strictly between neighbour scores, without drawing a level', () => {
    let draws = 0
    const base = seeded(3)
    const counting: SkiplistRandomSource = { u32: () => (draws++, base.u32()) }
    const zsl = new Skiplist(counting)
    zsl.insert(1, 'a')
    const b = zsl.insert(2, 'b')
    zsl.insert(3, 'c')
    const d0 = draws
    expect(zsl.updateScore(2, 'b', 2.5)).toBe(b)
    expect(draws).toBe(d0)
    // Equal to a neighbour's score: Redis reinserts even though the order is unchanged.
    const b2 = zsl.updateScore(2.5, 'b', 3)
    expect(b2).not.toBe(b)
    expect(draws).toBeGreaterThan(d0)
    expect(zsl.getRank(3, 'b')).toBe(2)
    expect(() => zsl.updateScore(7, 'b', 1)).toThrow()
    zsl.verify()
  })

  it('records search paths level by level', () => {
    const zsl = new Skiplist(seeded(11))
    for (let i = 0; i < 500; i++) zsl.insert(i * 2, 'm' + i)
    const checkPath = (path: SearchStep[], lastRank: number): void => {
      expect(path[0]).toEqual({ level: zsl.level - 1, rank: 0, member: null, score: null })
      for (let i = 1; i < path.length; i++) {
        expect(path[i].level).toBeLessThanOrEqual(path[i - 1].level)
        expect(path[i].rank).toBeGreaterThanOrEqual(path[i - 1].rank)
        if (path[i].member !== null) expect(zsl.getRank(path[i].score as number, path[i].member as string)).toBe(path[i].rank)
      }
      expect(path[path.length - 1].rank).toBe(lastRank)
      // O(log n): far fewer steps than nodes.
      expect(path.length).toBeLessThan(120)
    }
    // 301 sorts after 150 elements (scores 0..298).
    const p = zsl.searchPath(301)
    checkPath(p, 151)
    expect(p[p.length - 1].level).toBe(0)
    checkPath(zsl.searchPath(300, 'm150'), 150)
    checkPath(zsl.searchPath(300, 'm150\x00'), 151)
    const rp: SearchStep[] = []
    expect(zsl.getRank(300, 'm150', rp)).toBe(151)
    checkPath(rp, 151)
    const ep: SearchStep[] = []
    expect(zsl.getElementByRank(400, ep)?.member).toBe('m399')
    checkPath(ep, 400)
    const fp: SearchStep[] = []
    expect(zsl.firstInRange({ min: 100, max: 200, minex: true, maxex: false }, fp)?.member).toBe('m51')
    checkPath(fp, 51)
    const lp: SearchStep[] = []
    // The last-in-range search ends on the answer itself (m99, score 198, rank 100).
    expect(zsl.lastInRange({ min: 100, max: 200, minex: true, maxex: true }, lp)?.member).toBe('m99')
    checkPath(lp, 100)
  })

  it('snapshots windows consistently with the full picture', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 220 }), fc.nat(30), (seed, n, from, count) => {
        const zsl = new Skiplist(seeded(seed))
        for (let i = 0; i < n; i++) zsl.insert(i % 7, 'k' + i)
        const full = zsl.snapshot()
        expect(full.nodes.length).toBe(n)
        expect(full.level).toBe(zsl.level)
        expect(full.header.length).toBe(zsl.level)
        full.nodes.forEach((node, i) => {
          expect(node.rank).toBe(i + 1)
          expect(node.links.length).toBe(node.height)
          for (const l of node.links) {
            if (l.forwardRank === null) expect(node.rank + l.span).toBe(n)
            else expect(full.nodes[l.forwardRank - 1].member).toBe(l.forwardMember)
          }
        })
        const w = zsl.snapshot({ fromRank: from, count })
        expect(w.nodes).toEqual(full.nodes.slice(from - 1, from - 1 + count))
        expect(w.entering.length).toBe(zsl.level)
        for (const e of w.entering) {
          // The entering arrow starts before the window and lands inside or after it.
          expect(e.rank).toBeLessThan(from)
          if (e.link.forwardRank !== null) expect(e.link.forwardRank).toBeGreaterThanOrEqual(from)
          const src = e.rank === 0 ? full.header[e.level] : full.nodes[e.rank - 1].links[e.level]
          expect(e.link).toEqual(src)
        }
      }),
      { numRuns: 200 },
    )
  })
})

// Timing lives in bench/skiplist.ts (no wall-clock thresholds in tests); this
// checks the same operations for correctness at a size where spans matter.
describe('Skiplist at scale (50,000 members)', () => {
  it('inserts, ranks and windows many members', () => {
    const zsl = new Skiplist(seeded(42))
    const n = 50_000
    const rnd = seeded(99)
    const scores = new Float64Array(n)
    for (let i = 0; i < n; i++) scores[i] = rnd.u32() % 5_000
    for (let i = 0; i < n; i++) zsl.insert(scores[i], 'member:' + i)
    expect(zsl.length).toBe(n)
    zsl.verify()
    // Rank queries for a random sample of members point back at their member.
    const q = 10_000
    const picks = Array.from({ length: q }, () => rnd.u32() % n)
    for (const i of picks) {
      const rank = zsl.getRank(scores[i], 'member:' + i)
      expect(zsl.getElementByRank(rank)?.member).toBe('member:' + i)
    }
    let r = 0
    let disorder = 0
    let prev: SkiplistNode | null = null
    for (const node of zsl) {
      r++
      if (prev !== null && !(prev.score < node.score || (prev.score === node.score && prev.member < node.member))) disorder++
      prev = node
    }
    expect(r).toBe(n)
    expect(disorder).toBe(0)
    const snap = zsl.snapshot({ fromRank: 34_321, count: 50 })
    expect(snap.nodes.length).toBe(50)
    expect(snap.nodes[0].rank).toBe(34_321)
    expect(zsl.getElementByRank(34_321)?.member).toBe(snap.nodes[0].member)
  })
})

// The list keeps its nodes as records in one buffer, with free lists for records (per
// height) and for slots (member/handle indices); verify() checks that live and free
// records tile the buffer and that every slot is live or free exactly once.
describe('Skiplist memory: records, slots and their free lists', () => {
  /** A source whose levels follow `heights` in a cycle (each level costs draws below the threshold). */
  function levels(heights: number[]): SkiplistRandomSource {
    const draws: number[] = []
    for (const h of heights) {
      for (let i = 1; i < h; i++) draws.push(0)
      draws.push(0xffffffff)
    }
    let i = 0
    return { u32: () => draws[i++ % draws.length] }
  }

  it('reuses freed slots and records instead of growing', () => {
    const zsl = new Skiplist(levels([1, 2, 1, 3]))
    for (let i = 0; i < 400; i++) zsl.insert(i, 'm' + i)
    const full = zsl.poolStats()
    expect(full.freeSlots).toBe(0)
    expect(full.freeWords).toBe(0)
    expect(full.slots).toBe(401)
    for (let i = 0; i < 200; i++) expect(zsl.delete(i, 'm' + i)).not.toBeNull()
    zsl.verify()
    const half = zsl.poolStats()
    expect(half.freeSlots).toBe(200)
    expect(half.freeWords).toBeGreaterThan(0)
    expect({ slots: half.slots, words: half.words }).toEqual({ slots: full.slots, words: full.words })
    // The next 200 inserts draw the same heights (the cycle restarts): every record and slot is reused.
    for (let i = 0; i < 200; i++) zsl.insert(1000 - i, 'n' + i)
    zsl.verify()
    expect(zsl.poolStats()).toEqual(full)
  })

  it('a moving updateScore frees the old record before inserting, so equal heights reuse it', () => {
    const zsl = new Skiplist(levels([2]))
    for (let i = 0; i < 100; i++) zsl.insert(i, 'm' + i)
    const before = zsl.poolStats()
    for (let i = 0; i < 100; i++) zsl.updateScore(i, 'm' + i, 1000 - i)
    zsl.verify()
    expect(zsl.poolStats()).toEqual(before)
    expect(contents(zsl).map((e) => e.member)).toEqual(Array.from({ length: 100 }, (_, i) => 'm' + (99 - i)))
  })

  it('handles stay stable while linked and are cut loose (not reused) once unlinked', () => {
    const zsl = new Skiplist(seeded(5))
    const a = zsl.insert(1, 'a')
    const b = zsl.insert(2, 'b')
    const c = zsl.insert(3, 'c')
    expect(zsl.first()).toBe(a)
    expect(a.next).toBe(b)
    expect(c.backward).toBe(b)
    expect(zsl.getElementByRank(2)).toBe(b)
    const gone = zsl.delete(2, 'b')
    expect(gone).toBe(b)
    expect(el(b)).toEqual({ score: 2, member: 'b' })
    expect(b.next).toBeNull()
    expect(b.backward).toBeNull()
    expect(zsl.collect(b, 5, false)).toEqual([])
    // b's slot and record go to the next insert; the old handle must not see the new node.
    const d = zsl.insert(2.5, 'd')
    expect(d).not.toBe(b)
    expect(el(b)).toEqual({ score: 2, member: 'b' })
    expect(b.next).toBeNull()
    expect(a.next).toBe(d)
    expect(d.next).toBe(c)
    zsl.verify()
  })

  it('keeps handles, links and spans through buffer growth', () => {
    const zsl = new Skiplist(seeded(8))
    const first = zsl.insert(-1, 'first')
    const words0 = zsl.poolStats().words
    for (let i = 0; i < 5000; i++) zsl.insert(i % 97, 'k' + i)
    expect(zsl.poolStats().words).toBeGreaterThan(words0)
    expect(zsl.first()).toBe(first)
    expect(first.next?.score).toBe(0)
    expect(zsl.getRank(-1, 'first')).toBe(1)
    zsl.verify()
  })

  it('a random mix of inserts, moves and deletes leaves no lost or doubly owned memory', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(opArb, { maxLength: 120 }), (seed, ops) => {
        const zsl = new Skiplist(seeded(seed))
        let model: El[] = []
        let peak = 0
        for (const op of ops) {
          model = apply(zsl, model, op)
          peak = Math.max(peak, model.length)
          const s = zsl.poolStats()
          // Every slot ever handed out is live, free, or the header's.
          expect(s.slots).toBe(model.length + s.freeSlots + 1)
          // Slots are reused before new ones are made: never more than the peak population.
          expect(s.slots).toBeLessThanOrEqual(peak + 1)
        }
        zsl.verify()
      }),
      { numRuns: 300 },
    )
  })
})
