import { describe, expect, it } from 'vitest'
import { SeededRandom } from './random.ts'

describe('SeededRandom', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = new SeededRandom(42), b = new SeededRandom(42), c = new SeededRandom(43)
    const sa = Array.from({ length: 8 }, () => a.u32())
    expect(Array.from({ length: 8 }, () => b.u32())).toEqual(sa)
    expect(Array.from({ length: 8 }, () => c.u32())).not.toEqual(sa)
  })
  it('next() stays in [0,1) and is roughly uniform', () => {
    const r = new SeededRandom(1)
    const buckets = new Array(10).fill(0)
    for (let i = 0; i < 100_000; i++) {
      const x = r.next()
      expect(x >= 0 && x < 1).toBe(true)
      buckets[Math.floor(x * 10)]++
    }
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(600)
  })
})
