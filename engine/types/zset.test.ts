import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import { SeededRandom } from '../server/random.ts'
import type { TraceEvent } from '../introspect/events.ts'
import type { ZsetObject } from '../keyspace/object.ts'
import { LEX_MAX, LEX_MIN } from '../structures/skiplist.ts'
import {
  ZADD_IN_GT,
  ZADD_IN_INCR,
  ZADD_IN_NX,
  ZADD_IN_XX,
  clampRankRange,
  createZsetListpackObject,
  createZsetObject,
  listpackScoreText,
  listpackScoreValue,
  parseZsetLexRange,
  parseZsetScoreRange,
  strtodToNul,
  zsetAdd,
  zsetConvert,
  zsetCount,
  zsetDel,
  zsetDeleteRangeByLex,
  zsetDeleteRangeByRank,
  zsetDeleteRangeByScore,
  zsetDup,
  zsetEntries,
  zsetLength,
  zsetLexCount,
  zsetObjectSize,
  zsetPopOne,
  zsetRangeByLex,
  zsetRangeByRank,
  zsetRangeByScore,
  zsetRank,
  zsetScore,
} from './zset.ts'

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

function server(config?: Record<string, string>) {
  return createServer({ clock: new VirtualClock(), random: new SeededRandom(7), ...(config ? { config } : {}) })
}

describe('scores as listpacks store them (zzlInsertAt)', () => {
  it('integral doubles within +-2^62 are integers, the rest d2string text', () => {
    expect(listpackScoreValue(1)).toBe(1)
    expect(listpackScoreValue(-0)).toBe(0)
    expect(Object.is(listpackScoreValue(-0), -0)).toBe(false)
    expect(listpackScoreValue(2 ** 62)).toBe(BigInt(2 ** 62))
    expect(listpackScoreValue(2 ** 63)).toBe('9.2233720368547758e+18')
    expect(listpackScoreValue(1.5)).toBe('1.5')
    expect(listpackScoreValue(0.1)).toBe('0.10000000000000001')
    expect(listpackScoreValue(Infinity)).toBe('inf')
    expect(listpackScoreValue(-Infinity)).toBe('-inf')
    expect(listpackScoreText(-0)).toBe('-0')
    expect(listpackScoreText(1e21)).toBe('1e+21')
    // Whole up to 2^62 (what the listpack's integer entry reads back as), where util.c d2string gives %.17g.
    expect(listpackScoreText(2 ** 60)).toBe('1152921504606846976')
    expect(listpackScoreText(2 ** 63)).toBe('9.2233720368547758e+18')
  })

  it('ZADD z 1.5 m gives the listpack of the DUMP vector in the facts file', () => {
    const s = server()
    const o = createZsetListpackObject()
    zsetAdd(o, s, 1.5, 'm', 0)
    expect(o.encoding).toBe('listpack')
    expect(hex((o.value as { bytes(): Uint8Array }).bytes())).toBe('0f0000000200816d0283312e3504ff')
  })
})

describe('strtod bounds (zslParseRange)', () => {
  it('accepts what strtod consumes up to the end or a NUL byte', () => {
    expect(strtodToNul('1.5')).toBe(1.5)
    expect(strtodToNul('')).toBe(0)
    expect(strtodToNul('\0x')).toBe(0)
    expect(strtodToNul(' 2')).toBe(2)
    expect(strtodToNul('2 ')).toBe(null)
    expect(strtodToNul('   ')).toBe(null)
    expect(strtodToNul('2\0junk')).toBe(2)
    expect(strtodToNul('0x10')).toBe(16)
    expect(strtodToNul('inf')).toBe(Infinity)
    expect(strtodToNul('-Infinity')).toBe(-Infinity)
    expect(strtodToNul('1e400')).toBe(Infinity)
    expect(strtodToNul('nan')).toBe(null)
    expect(strtodToNul('abc')).toBe(null)
    expect(strtodToNul('1e-400')).toBe(0)
    expect(strtodToNul('5e-324')).toBe(5e-324)
  })

  it('parses score and lex ranges', () => {
    expect(parseZsetScoreRange('(1', '+inf')).toEqual({ min: 1, max: Infinity, minex: true, maxex: false })
    expect(parseZsetScoreRange('(', '5')).toEqual({ min: 0, max: 5, minex: true, maxex: false })
    expect(parseZsetScoreRange('x', '5')).toBe(null)
    expect(parseZsetLexRange('-', '+')).toEqual({ min: LEX_MIN, max: LEX_MAX, minex: true, maxex: true })
    expect(parseZsetLexRange('+\0x', '[a')).toEqual({ min: LEX_MAX, max: 'a', minex: true, maxex: false })
    expect(parseZsetLexRange('a', '+')).toBe(null)
    expect(parseZsetLexRange('-x', '+')).toBe(null)
  })

  it('clamps rank ranges like Redis', () => {
    expect(clampRankRange(0n, -1n, 5)).toEqual({ start: 0, end: 4 })
    expect(clampRankRange(-100n, 100n, 5)).toEqual({ start: 0, end: 4 })
    expect(clampRankRange(3n, 1n, 5)).toBe(null)
    expect(clampRankRange(5n, 10n, 5)).toBe(null)
    expect(clampRankRange(-9223372036854775808n, 9223372036854775807n, 2)).toEqual({ start: 0, end: 1 })
  })
})

describe('zsetAdd: flags, conversions and trace events', () => {
  it('converts at zset-max-listpack-entries and -value, read at write time', () => {
    const s = server({ 'zset-max-listpack-entries': '3' })
    const events: TraceEvent[] = []
    s.traceBus.subscribe((e) => events.push(e))
    const o = createZsetListpackObject()
    const site = { db: 0, key: 'k' }
    for (const m of ['a', 'b', 'c']) zsetAdd(o, s, 1, m, 0, site)
    expect(o.encoding).toBe('listpack')
    zsetAdd(o, s, 1, 'd', 0, site)
    expect(o.encoding).toBe('skiplist')
    const conv = events.find((e) => e.type === 'encoding-converted')
    expect(conv).toMatchObject({ from: 'listpack', to: 'skiplist', reason: '4th member: zset-max-listpack-entries is 3' })
    const ins = events.filter((e) => e.type === 'skiplist-insert')
    expect(ins).toHaveLength(1)
    expect(ins[0]).toMatchObject({ member: 'd', score: 1 })
    expect((ins[0] as { level: number }).level).toBeGreaterThanOrEqual(1)

    const o2 = createZsetListpackObject()
    s.config.apply('zset-max-listpack-value', '2')
    zsetAdd(o2, s, 1, 'ab', 0, site)
    expect(o2.encoding).toBe('listpack')
    zsetAdd(o2, s, 1, 'abc', 0, site)
    expect(o2.encoding).toBe('skiplist')
    expect(events.filter((e) => e.type === 'encoding-converted').pop()).toMatchObject({ reason: 'member of 3 bytes: zset-max-listpack-value is 2' })
  })

  it('NX XX GT LT INCR behave the same on both encodings', () => {
    const s = server()
    for (const make of [() => createZsetListpackObject(), () => createZsetObject(s)]) {
      const o = make()
      expect(zsetAdd(o, s, 1, 'a', 0)).toMatchObject({ added: true })
      expect(zsetAdd(o, s, 5, 'a', ZADD_IN_NX)).toMatchObject({ nop: true })
      expect(zsetAdd(o, s, 5, 'b', ZADD_IN_XX)).toMatchObject({ nop: true })
      expect(zsetAdd(o, s, 0, 'a', ZADD_IN_GT)).toMatchObject({ nop: true })
      expect(zsetAdd(o, s, 3, 'a', ZADD_IN_GT)).toMatchObject({ updated: true, newscore: 3 })
      expect(zsetAdd(o, s, 2, 'a', ZADD_IN_INCR)).toMatchObject({ updated: true, newscore: 5 })
      expect(zsetAdd(o, s, Infinity, 'i', 0).added).toBe(true)
      expect(zsetAdd(o, s, -Infinity, 'i', ZADD_IN_INCR).ok).toBe(false)
      expect(zsetAdd(o, s, NaN, 'x', 0).ok).toBe(false)
      expect(zsetScore(o, 'a')).toBe(5)
      expect(zsetLength(o)).toBe(2)
    }
  })
})

describe('both encodings answer alike', () => {
  function pair(s: ReturnType<typeof server>, entries: [number, string][]): ZsetObject[] {
    const lp = createZsetListpackObject()
    const sl = createZsetObject(s)
    for (const [score, m] of entries) {
      zsetAdd(lp, s, score, m, 0)
      zsetAdd(sl, s, score, m, 0)
    }
    return [lp, sl]
  }

  it('ranks, ranges, counts and deletions', () => {
    const s = server()
    const rnd = new SeededRandom(42)
    for (let round = 0; round < 40; round++) {
      const entries: [number, string][] = []
      const n = rnd.u32() % 40
      for (let i = 0; i < n; i++) entries.push([(rnd.u32() % 7) - 3 + (rnd.u32() % 2) * 0.5, `m${rnd.u32() % 50}`])
      const [lp, sl] = pair(s, entries)
      expect(lp.encoding).toBe('listpack')
      expect(sl.encoding).toBe('skiplist')
      expect(zsetEntries(lp)).toEqual(zsetEntries(sl))
      const len = zsetLength(lp)
      for (const m of ['m1', 'm7', 'nope']) {
        expect(zsetRank(lp, m, false)).toBe(zsetRank(sl, m, false))
        expect(zsetRank(lp, m, true)).toBe(zsetRank(sl, m, true))
      }
      const r = clampRankRange(BigInt(rnd.u32() % 10) - 3n, BigInt(rnd.u32() % 50) - 10n, len)
      if (r) {
        expect(zsetRangeByRank(lp, r.start, r.end, false)).toEqual(zsetRangeByRank(sl, r.start, r.end, false))
        expect(zsetRangeByRank(lp, r.start, r.end, true)).toEqual(zsetRangeByRank(sl, r.start, r.end, true))
      }
      const range = parseZsetScoreRange(String((rnd.u32() % 8) - 4), `(${(rnd.u32() % 8) - 2}`)!
      for (const rev of [false, true]) {
        expect(zsetRangeByScore(lp, range, 1, 3, rev)).toEqual(zsetRangeByScore(sl, range, 1, 3, rev))
        expect(zsetRangeByScore(lp, range, 0, -1, rev)).toEqual(zsetRangeByScore(sl, range, 0, -1, rev))
      }
      expect(zsetCount(lp, range)).toBe(zsetCount(sl, range))
      // Lex ranges are only well defined with equal scores.
      const [lp0, sl0] = pair(s, entries.map(([, m]) => [0, m]))
      const lex = parseZsetLexRange('[m2', '(m4')!
      expect(zsetRangeByLex(lp0, lex, 0, -1, false)).toEqual(zsetRangeByLex(sl0, lex, 0, -1, false))
      expect(zsetRangeByLex(lp0, lex, 1, 2, true)).toEqual(zsetRangeByLex(sl0, lex, 1, 2, true))
      expect(zsetLexCount(lp0, lex)).toBe(zsetLexCount(sl0, lex))
      expect(zsetDeleteRangeByLex(lp0, lex)).toBe(zsetDeleteRangeByLex(sl0, lex))
      expect(zsetEntries(lp0)).toEqual(zsetEntries(sl0))
      expect(zsetDeleteRangeByScore(lp, range)).toBe(zsetDeleteRangeByScore(sl, range))
      expect(zsetEntries(lp)).toEqual(zsetEntries(sl))
      const l2 = zsetLength(lp)
      if (l2 > 2) {
        expect(zsetDeleteRangeByRank(lp, 1, l2 - 2)).toBe(zsetDeleteRangeByRank(sl, 1, l2 - 2))
        expect(zsetEntries(lp)).toEqual(zsetEntries(sl))
      }
      if (zsetLength(lp) > 0) expect(zsetPopOne(lp, true)).toEqual(zsetPopOne(sl, true))
      expect(zsetDel(lp, 'm3')).toBe(zsetDel(sl, 'm3'))
      expect(zsetEntries(lp)).toEqual(zsetEntries(sl))
      if (sl.encoding === 'skiplist') sl.value.zsl.verify()
    }
  })

  it('converts both ways without losing order or scores', () => {
    const s = server()
    const o = createZsetListpackObject()
    for (let i = 0; i < 50; i++) zsetAdd(o, s, (i % 5) / 3, `k${i}`, 0)
    const before = zsetEntries(o)
    zsetConvert(o, s, 'skiplist')
    expect(o.encoding).toBe('skiplist')
    expect(zsetEntries(o)).toEqual(before)
    zsetConvert(o, s, 'listpack')
    expect(o.encoding).toBe('listpack')
    expect(zsetEntries(o)).toEqual(before)
  })

  it('COPY keeps the encoding; skiplist search paths are traced', () => {
    const s = server()
    const sl = createZsetObject(s)
    for (let i = 0; i < 20; i++) zsetAdd(sl, s, i, `x${i}`, 0)
    const copy = zsetDup(sl)
    expect(copy.encoding).toBe('skiplist')
    // The copy draws its levels from the same source and hashes like the original.
    if (copy.encoding === 'skiplist' && sl.encoding === 'skiplist') {
      expect(copy.value.zsl.randomSource).toBe(sl.value.zsl.randomSource)
      expect(copy.value.dict.options().hash).toBe(sl.value.dict.options().hash)
      copy.value.zsl.verify()
    }
    expect(zsetEntries(copy)).toEqual(zsetEntries(sl))
    zsetAdd(copy, s, 100, 'only-in-copy', 0)
    expect(zsetLength(sl)).toBe(20)
    const lp = createZsetListpackObject()
    zsetAdd(lp, s, 1, 'a', 0)
    expect(zsetDup(lp).encoding).toBe('listpack')

    const events: TraceEvent[] = []
    s.traceBus.subscribe((e) => events.push(e))
    expect(zsetScore(sl, 'x7', s, { db: 0, key: 'k' })).toBe(7)
    expect(zsetRank(sl, 'x7', false, s, { db: 0, key: 'k' })).toBe(7)
    const searches = events.filter((e) => e.type === 'skiplist-search')
    expect(searches.map((e) => (e as { op: string }).op)).toEqual(['zscore', 'zrank'])
    const path = (searches[1] as { path: { rank: number; member: string | null }[] }).path
    expect(path[path.length - 1]).toMatchObject({ rank: 8, member: 'x7' })
  })

  it('sizes a listpack exactly as MEMORY USAGE counts it', () => {
    const s = server()
    const o = createZsetListpackObject()
    zsetAdd(o, s, 1.5, 'm', 0)
    // robj 16 + the 15-byte listpack in a 16-byte jemalloc class.
    expect(zsetObjectSize(o, 5)).toBe(32)
    const sl = createZsetObject(s)
    zsetAdd(sl, s, 1, 'a', 0)
    // 16+16+32+56 fixed, 4 buckets, 640 header, sds 'a' (8) + entry 24 + node (48 at level 1, more if taller).
    expect(zsetObjectSize(sl, 5)).toBeGreaterThanOrEqual(120 + 32 + 640 + 8 + 24 + 48)
  })
})
