import { describe, expect, it } from 'vitest'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import type { Reply } from '../../protocol/reply.ts'
import { pqsort, sortScore } from './sort.ts'

function setup() {
  const server = createServer({ clock: new VirtualClock() })
  const c = server.connect()
  const r = (...argv: string[]): Reply => c.call(argv)!
  const strings = (rep: Reply): (string | null)[] =>
    rep.kind === 'array' ? rep.value.map((x) => (x.kind === 'bulk' ? x.value : null)) : []
  return { server, r, strings }
}

describe('sortScore (strtod as SORT checks it)', () => {
  it('accepts what strtod converts up to the end of the C string', () => {
    expect(sortScore('10')).toBe(10)
    expect(sortScore(' 7')).toBe(7)
    expect(sortScore('')).toBe(0)
    expect(sortScore('5\x00junk')).toBe(5)
    expect(sortScore('0x1p3')).toBe(8)
    expect(sortScore('inf')).toBe(Infinity)
    expect(sortScore('-Infinity')).toBe(-Infinity)
    expect(sortScore('2.2250738585072014e-308')).toBe(2.2250738585072014e-308)
    expect(sortScore('0x1p-1074')).toBe(5e-324)
    expect(Object.is(sortScore('-0'), -0)).toBe(true)
  })

  it('refuses junk, NaN, overflow and (inexact) underflow', () => {
    for (const s of ['x', '1x', '  ', '-', 'nan', '1e400', '-1e400', '1e-400', '1e-320', '4.9e-324', '2.2250738585072011e-308', '7 ']) {
      expect(sortScore(s), s).toBeNull()
    }
  })
})

describe('pqsort', () => {
  it('puts the requested range in sorted order like a full sort', () => {
    let seed = 7
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 1000
    for (let n = 0; n < 200; n += 7) {
      const base = Array.from({ length: n }, rnd)
      const sorted = [...base].sort((a, b) => a - b)
      for (const [l, r] of [
        [0, n - 1],
        [0, 4],
        [Math.floor(n / 2), Math.floor(n / 2) + 3],
        [n - 3, n - 1],
      ]) {
        if (l < 0 || r >= n || l > r) continue
        const v = [...base]
        pqsort(v, (a, b) => a - b, l, r)
        expect(v.slice(l, r + 1), `${n} ${l}..${r}`).toEqual(sorted.slice(l, r + 1))
      }
    }
  })
})

describe('SORT in the engine', () => {
  it('sorts lists numerically and ALPHA, with LIMIT and DESC', () => {
    const { r, strings } = setup()
    r('RPUSH', 'l', '3', '1', '2', '10')
    expect(strings(r('SORT', 'l'))).toEqual(['1', '2', '3', '10'])
    expect(strings(r('SORT', 'l', 'ALPHA'))).toEqual(['1', '10', '2', '3'])
    expect(strings(r('SORT', 'l', 'DESC', 'LIMIT', '1', '2'))).toEqual(['3', '2'])
    expect(strings(r('SORT', 'l', 'BY', 'nosort', 'DESC'))).toEqual(['10', '2', '1', '3'])
    r('RPUSH', 'bad', 'x')
    expect(r('SORT', 'bad')).toEqual({ kind: 'error', value: "ERR One or more scores can't be converted into double" })
    expect(r('SORT_RO', 'l', 'STORE', 'd')).toEqual({ kind: 'error', value: 'ERR syntax error' })
  })

  it('looks up BY and GET patterns in strings and hash fields', () => {
    const { r, strings } = setup()
    r('RPUSH', 'l', 'a', 'b', 'c')
    r('MSET', 'w_a', '3', 'w_b', '1', 'w_c', '2')
    r('HSET', 'h_a', 'f', 'x')
    r('HSET', 'h_c', 'f', 'z')
    expect(strings(r('SORT', 'l', 'BY', 'w_*'))).toEqual(['b', 'c', 'a'])
    expect(strings(r('SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'h_*->f'))).toEqual(['b', null, 'c', 'z', 'a', 'x'])
  })

  it('converts a listpack zset to a skiplist for good', () => {
    const { r, strings } = setup()
    r('ZADD', 'z', '2', 'b', '1', 'a')
    expect(r('OBJECT', 'ENCODING', 'z')).toEqual({ kind: 'bulk', value: 'listpack' })
    expect(strings(r('SORT', 'z', 'BY', 'nosort'))).toEqual(['a', 'b'])
    expect(r('OBJECT', 'ENCODING', 'z')).toEqual({ kind: 'bulk', value: 'skiplist' })
  })

  it('STORE writes a list (dropping a TTL), counts dirty, and deletes on empty results', () => {
    const { r, server, strings } = setup()
    r('RPUSH', 'l', '2', '1')
    r('SET', 'd', 'x', 'EX', '100')
    const dirty = server.dirty
    expect(r('SORT', 'l', 'STORE', 'd')).toEqual({ kind: 'integer', value: 2 })
    expect(server.dirty - dirty).toBe(2)
    expect(r('TTL', 'd')).toEqual({ kind: 'integer', value: -1 })
    expect(strings(r('LRANGE', 'd', '0', '-1'))).toEqual(['1', '2'])
    expect(r('SORT', 'missing', 'STORE', 'd')).toEqual({ kind: 'integer', value: 0 })
    expect(r('EXISTS', 'd')).toEqual({ kind: 'integer', value: 0 })
  })
})
