import { describe, expect, it } from 'vitest'
import { createServer } from '../../../engine/server/server.ts'
import { VirtualClock } from '../../../engine/server/clock.ts'
import { SeededRandom } from '../../../engine/server/random.ts'
import { inspect, type IntsetSnapshot } from '../../../engine/introspect/inspect.ts'
import type { TraceEvent } from '../../../engine/introspect/events.ts'
import { keyEvents } from '../inspector-model.ts'
import { intRange, layoutIntset } from './layout.ts'

function engine() {
  const server = createServer({ clock: new VirtualClock(), random: new SeededRandom(42), hashSeed: 7 })
  const c = server.connect()
  const events: TraceEvent[] = []
  server.traceBus.subscribe((e) => events.push(e))
  return {
    events,
    run: (...args: string[]) => c.call(args),
    snap: (key: string, w?: { start?: number; count?: number }) => inspect(server, 0, key, w)?.value as IntsetSnapshot,
  }
}

describe('layoutIntset', () => {
  it('lays out the sorted values at the stored width', () => {
    const e = engine()
    e.run('SADD', 's', '30', '-7', '1000', '2')
    const L = layoutIntset(e.snap('s'))
    expect(L.width).toBe(2)
    expect(L.cells.map((c) => c.value)).toEqual(['-7', '2', '30', '1000'])
    expect(L.cells[0].hex).toBe('f9 ff')
    expect(L.cells[3].hex).toBe('e8 03')
    expect(L.header.encodingHex).toBe('02 00 00 00')
    expect(L.header.lengthHex).toBe('04 00 00 00')
    // Left to right in value order, one cell each, no overlap.
    for (let i = 1; i < L.cells.length; i++) expect(L.cells[i].x).toBeGreaterThanOrEqual(L.cells[i - 1].x + L.cells[i - 1].w)
    expect(L.fromWidth).toBeNull()
    expect(L.cells.every((c) => c.x === c.fromX && c.fromW === c.w)).toBe(true)
  })

  it('plays an upgrade from the engine event: old places at the old width, the newcomer grows', () => {
    const e = engine()
    e.run('SADD', 's', '1', '2', '3')
    e.run('SADD', 's', '-70000')
    const ev = keyEvents(e.events, 0, 's')
    expect(ev.upgrade).toEqual({ from: 2, to: 4 })
    const L = layoutIntset(e.snap('s'), { upgrade: ev.upgrade, maxEntries: 512 })
    expect(L.width).toBe(4)
    expect(L.fromWidth).toBe(2)
    expect(L.cells.map((c) => [c.value, c.isNew])).toEqual([
      ['-70000', true],
      ['1', false],
      ['2', false],
      ['3', false],
    ])
    const [big, one] = L.cells
    expect(big.fromW).toBe(0)
    expect(one.fromW).toBeLessThan(one.w)
    expect(big.hex).toBe('90 ee fe ff')
    expect(L.fill).toBeCloseTo(4 / 512)
    expect(L.summary).toContain('upgraded from 2 bytes')
  })

  it('knows each width range', () => {
    expect(intRange(2)).toEqual([-32768n, 32767n])
    expect(intRange(8)[1]).toBe(2n ** 63n - 1n)
  })

  it('windows: cells carry the whole-set index', () => {
    const e = engine()
    const args: string[] = []
    for (let i = 0; i < 50; i++) args.push(String(i * 3))
    e.run('SADD', 's', ...args)
    const L = layoutIntset(e.snap('s', { start: 40, count: 5 }))
    expect(L.cells.map((c) => c.index)).toEqual([40, 41, 42, 43, 44])
    expect(L.cells[0].value).toBe('120')
    expect(L.hidden).toBe(45)
  })
})
