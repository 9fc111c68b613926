import { describe, expect, it } from 'vitest'
import { createServer } from '../../../engine/server/server.ts'
import { VirtualClock } from '../../../engine/server/clock.ts'
import { SeededRandom } from '../../../engine/server/random.ts'
import { inspect, type StringSnapshot } from '../../../engine/introspect/inspect.ts'
import { EMBSTR_SIZE_LIMIT, layoutString } from './layout.ts'

function engine() {
  const server = createServer({ clock: new VirtualClock(), random: new SeededRandom(42), hashSeed: 7 })
  const c = server.connect()
  return {
    run: (...args: string[]) => c.call(args),
    snap: (key: string) => inspect(server, 0, key)?.value as StringSnapshot,
  }
}

describe('layoutString', () => {
  it('draws the 44/45-byte boundary: embstr is one allocation with sdshdr8, raw two', () => {
    const e = engine()
    e.run('SET', 'a', 'x'.repeat(44))
    e.run('SET', 'b', 'x'.repeat(45))
    const a = layoutString(e.snap('a'))
    const b = layoutString(e.snap('b'))
    expect(a.encoding).toBe('embstr')
    expect(b.encoding).toBe('raw')
    expect(a.allocations).toBe(1)
    expect(b.allocations).toBe(2)
    expect(a.sdsClass).toBe(8)
    expect(b.sdsClass).toBe(8)
    expect(a.blocks.map((x) => [x.kind, x.bytes, x.allocation])).toEqual([
      ['robj', 16, 0],
      ['sds-header', 3, 0],
      ['data', 44, 0],
      ['nul', 1, 0],
    ])
    // robj + sdshdr8 + 44 + NUL is exactly the 64-byte allocation.
    expect(a.blocks.reduce((s, x) => s + x.bytes, 0)).toBe(64)
    expect(b.blocks.filter((x) => x.allocation === 1).map((x) => x.kind)).toEqual(['sds-header', 'data', 'nul'])
    expect(b.pointer).not.toBeNull()
    expect(a.pointer).toBeNull()
    // The marker sits left of the limit for 44 and right of it for 45.
    expect(a.boundary.markerX).toBe(a.boundary.limitX)
    expect(b.boundary.markerX).toBeGreaterThan(b.boundary.limitX)
    expect(a.boundary.text).toContain(`44 bytes ≤ ${EMBSTR_SIZE_LIMIT}: embstr`)
    expect(b.boundary.text).toContain('45 bytes > 44: raw')
  })

  it('an integer has only the robj, no sds', () => {
    const e = engine()
    e.run('SET', 'n', '12345')
    const L = layoutString(e.snap('n'))
    expect(L.encoding).toBe('int')
    expect(L.sdsClass).toBeNull()
    expect(L.blocks.map((x) => x.kind)).toEqual(['robj'])
    expect(L.boundary.text).toMatch(/^int:/)
  })

  it('a short string made raw by APPEND says why it is raw', () => {
    const e = engine()
    e.run('SET', 's', 'ab')
    e.run('APPEND', 's', 'c')
    const s = e.snap('s')
    expect(s.encoding).toBe('raw')
    const L = layoutString(s)
    expect(L.boundary.text).toContain('stays raw')
  })

  it('byte cells carry hex and printable chars, capped at maxCells', () => {
    const e = engine()
    e.run('SET', 'k', 'A\x00\xff' + 'z'.repeat(100))
    const L = layoutString(e.snap('k'), { maxCells: 16 })
    expect(L.cells).toHaveLength(16)
    expect(L.cells.slice(0, 3).map((c) => [c.hex, c.char])).toEqual([
      ['41', 'A'],
      ['00', '·'],
      ['ff', '·'],
    ])
    expect(L.hiddenBytes).toBe(103 - 16)
    expect(new Set(L.cells.map((c) => `${c.x},${c.y}`)).size).toBe(16)
  })
})
