import { describe, expect, it } from 'vitest'
import { createServer } from '../../../engine/server/server.ts'
import { VirtualClock } from '../../../engine/server/clock.ts'
import { SeededRandom } from '../../../engine/server/random.ts'
import { inspect, type ListpackSnapshot } from '../../../engine/introspect/inspect.ts'
import { Listpack } from '../../../engine/structures/listpack.ts'
import { thresholdsFor } from '../inspector-model.ts'
import { describeEntry, encodeBacklen, entryBytes, layoutListpack, LP_HEADER_BYTES } from './layout.ts'

function engine(config?: Record<string, string>) {
  const server = createServer({ clock: new VirtualClock(), random: new SeededRandom(42), hashSeed: 7, config })
  const c = server.connect()
  return {
    run: (...args: string[]) => c.call(args),
    snap: (key: string, w?: { start?: number; count?: number }) => inspect(server, 0, key, w),
  }
}

describe('entryBytes', () => {
  it('rebuilds every encoding byte for byte as the engine stores it', () => {
    const values: (string | number | bigint)[] = [0, 127, 128, -1, 4095, -4096, 4096, 32767, -32768, 40000, 8388607, 8388608, 2147483647, 2147483648, -(2n ** 63n), 2n ** 63n - 1n, '', 'a', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096), '\x00\xff']
    const lp = Listpack.fromEntries(values.map((v) => (typeof v === 'bigint' ? v : v)))
    const bytes = lp.bytes()
    for (const info of lp.entries()) {
      const snapEntry = { ...info, value: String(info.value), isInt: typeof info.value !== 'string' }
      const b = entryBytes(snapEntry, Infinity)
      const rebuilt = [...b.encoding, ...b.data, ...b.backlen]
      expect(rebuilt, `${info.encoding} ${String(info.value).slice(0, 10)}`).toEqual(Array.from(bytes.subarray(info.offset, info.offset + info.size)))
      expect(b.encoding).toHaveLength(info.encodingBytes)
      expect(b.backlen).toHaveLength(info.backlenBytes)
    }
  })

  it('encodes back-lengths with the continuation bit on all but the first byte', () => {
    expect(encodeBacklen(3)).toEqual([3])
    expect(encodeBacklen(127)).toEqual([127])
    expect(encodeBacklen(128)).toEqual([1, 128])
    expect(encodeBacklen(16383)).toHaveLength(3)
  })
})

describe('layoutListpack', () => {
  it('lays out header, every entry of a small hash, and the end byte', () => {
    const e = engine()
    e.run('HSET', 'h', 'name', 'glassbox', 'n', '12', 'big', '-5000')
    const s = e.snap('h')!
    expect(s.encoding).toBe('listpack')
    const v = s.value as ListpackSnapshot
    const L = layoutListpack(v, { thresholds: thresholdsFor('hash') })
    expect(L.header.totalBytes).toBe(v.totalBytes)
    expect(L.header.count).toBe(6)
    expect(L.entries).toHaveLength(6)
    expect(L.entries[0].offset).toBe(LP_HEADER_BYTES)
    expect(L.entries.map((x) => x.label)).toEqual(['name', 'glassbox', 'n', '12', 'big', '-5000'])
    // Entries tile the bytes: each starts where the last ended, and the end byte is last.
    for (let i = 1; i < v.entries.length; i++) expect(v.entries[i].offset).toBe(v.entries[i - 1].offset + v.entries[i - 1].size)
    const last = v.entries[v.entries.length - 1]
    expect(L.end.offset).toBe(last.offset + last.size)
    expect(L.end.offset).toBe(v.totalBytes - 1)
    // Part widths add up and no two items overlap in a row.
    for (const en of L.entries) expect(en.parts.reduce((s2, p) => s2 + p.w, 0)).toBe(en.w)
    const boxes = [L.header, ...L.entries, L.end].map((b) => ({ x: b.x, y: b.y, w: b.w }))
    for (let i = 1; i < boxes.length; i++) if (boxes[i].y === boxes[i - 1].y) expect(boxes[i].x).toBeGreaterThanOrEqual(boxes[i - 1].x + boxes[i - 1].w)
    expect(L.gapBefore).toBeNull()
    expect(L.gapAfter).toBeNull()
    // The gauge counts fields, not entries.
    expect(L.gauge?.elements).toBe(3)
    expect(L.gauge?.entriesText).toBe('3 fields of hash-max-listpack-entries 512')
    expect(L.gauge?.longest).toBe(8)
    expect(L.gauge?.over).toBe(false)
  })

  it('explains how an entry decodes', () => {
    const e = engine()
    e.run('HSET', 'h', 'f', '-4000')
    const v = e.snap('h')!.value as ListpackSnapshot
    const int = v.entries[1]
    expect(int.encoding).toBe('13bit-int')
    const lines = describeEntry(int, 1)
    expect(lines[0]).toBe('entry 1 at byte 9: 3 bytes (1 encoding + 1 data + 1 back-length)')
    expect(lines[1]).toMatch(/^encoding d0 = 110xxxxx/)
    expect(entryBytes(int).data).toEqual([0x60])
    expect(lines[2]).toMatch(/= integer -4000$/)
    expect(lines[3]).toMatch(/^back-length 02 = 2/)
    const str = describeEntry(v.entries[0], 0)
    expect(str[1]).toBe('encoding 81 = 10xxxxxx: string up to 63 bytes, length in the low 6 bits')
    expect(str[2]).toBe('data 66 = "f" (1 bytes)')
  })

  it('windows a large listpack: gaps before and after, only the window drawn', () => {
    const e = engine()
    const args: string[] = []
    for (let i = 0; i < 100; i++) args.push(`f${i}`, `v${i}`)
    e.run('HSET', 'h', ...args)
    const v = e.snap('h', { start: 10, count: 8 })!.value as ListpackSnapshot
    const L = layoutListpack(v, { width: 400 })
    expect(L.entries.map((x) => x.index)).toEqual([10, 11, 12, 13, 14, 15, 16, 17])
    expect(L.gapBefore?.entries).toBe(10)
    expect(L.gapAfter?.entries).toBe(200 - 18)
    expect(L.end.offset).toBe(v.totalBytes - 1)
    expect(L.width).toBeLessThanOrEqual(402)
    expect(L.gauge).toBeNull()
  })

  it('flags a listpack over a lowered threshold (CONFIG SET before the next write)', () => {
    const e = engine()
    e.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c')
    const v = e.snap('z')!.value as ListpackSnapshot
    const L = layoutListpack(v, { thresholds: thresholdsFor('zset', { 'zset-max-listpack-entries': 2 }) })
    expect(L.gauge?.elements).toBe(3)
    expect(L.gauge?.entriesFraction).toBe(1.5)
    expect(L.gauge?.over).toBe(true)
  })
})
