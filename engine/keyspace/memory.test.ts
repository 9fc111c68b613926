import { describe, expect, it } from 'vitest'
import {
  bytesToHuman,
  jemallocSize,
  keyMemoryUsage,
  keySdsAvail,
  noteRawSdsCopy,
  noteSdsGrowth,
  printfFixed,
  rawSdsState,
  registerObjectSizer,
  objectComputeSize,
  sdsMakeRoomFor,
  sdsNew,
  sdsNewAllocSize,
  sdsReqType,
  stringObjectSize,
} from './memory.ts'
import type { RObj, StringObject } from './object.ts'

const str = (encoding: StringObject['encoding'], value: string): StringObject => ({ type: 'string', encoding, value, lru: 0 })

describe('jemallocSize', () => {
  it('follows jemalloc 5.3 size classes on x86-64', () => {
    // Small classes: 8, then 16-byte steps to 128, then four classes per doubling.
    const small = [8, 16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024,
      1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192, 10240, 12288, 14336]
    const large = [16384, 20480, 24576, 28672, 32768, 40960, 49152, 57344, 65536, 81920, 98304, 114688, 131072]
    const classes = [...small, ...large]
    for (let i = 0; i < classes.length; i++) {
      expect(jemallocSize(classes[i])).toBe(classes[i])
      const below = i === 0 ? 1 : classes[i - 1] + 1
      expect(jemallocSize(below)).toBe(classes[i])
    }
    expect(jemallocSize(0)).toBe(8)
    expect(jemallocSize(17)).toBe(32)
    expect(jemallocSize(49)).toBe(64)
    expect(jemallocSize(100012)).toBe(114688)
    expect(jemallocSize(2 ** 30 + 1)).toBe(2 ** 30 + 2 ** 28)
  })
})

describe('sds sizes', () => {
  it('picks the header class by length', () => {
    expect([0, 31, 32, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32].map(sdsReqType)).toEqual([5, 5, 8, 8, 16, 16, 32, 32, 64])
  })

  it('sizes keys as sdsdup makes them (sdshdr5 for short keys, sdshdr8 for the empty one)', () => {
    expect(sdsNewAllocSize(0)).toBe(8) // 3 + 0 + 1
    expect(sdsNewAllocSize(1)).toBe(8) // 1 + 1 + 1
    expect(sdsNewAllocSize(6)).toBe(8)
    expect(sdsNewAllocSize(7)).toBe(16)
    expect(sdsNewAllocSize(31)).toBe(48) // 1 + 31 + 1 = 33
    expect(sdsNewAllocSize(32)).toBe(48) // 3 + 32 + 1 = 36
    expect(sdsNewAllocSize(44)).toBe(48)
    expect(sdsNewAllocSize(45)).toBe(64)
    // DEBUG SDSLEN's key_sds_avail: no room recorded in sdshdr5, the allocator's spare room otherwise.
    expect(keySdsAvail(1)).toBe(0)
    expect(keySdsAvail(0)).toBe(4)
    expect(keySdsAvail(40)).toBe(4) // 3 + 40 + 1 = 44 -> 48
  })

  it('grows greedily like sdsMakeRoomFor (values measured with DEBUG SDSLEN on Redis 7.0.15)', () => {
    // SET k hello; APPEND k world: the embstr is copied to a raw sdshdr5 string, which must grow.
    let st = sdsNew(5)
    expect(st).toEqual({ type: 5, alloc: 5 })
    st = sdsMakeRoomFor(st, 5, 5)
    expect(st).toEqual({ type: 8, alloc: 28 }) // val_sds_avail:18 at length 10, val_zmalloc: 32
    st = sdsMakeRoomFor(st, 10, 100)
    expect(st).toEqual({ type: 8, alloc: 220 }) // length 110, avail 110, zmalloc 224
    // No growth when the room is there.
    expect(sdsMakeRoomFor(st, 110, 110)).toBe(st)
    // Past 1 MB, 1 MB is added instead of doubling.
    expect(sdsMakeRoomFor({ type: 32, alloc: 2 ** 20 }, 2 ** 20, 1).alloc).toBeGreaterThanOrEqual(2 ** 21 + 1)
  })
})

describe('string object sizes (MEMORY USAGE, measured on Redis 7.0.15)', () => {
  it('matches MEMORY USAGE for the three encodings', () => {
    // key "k": sdshdr5 in an 8-byte allocation, plus a 24-byte dict entry.
    const usage = (o: StringObject): number => keyMemoryUsage('k', o)
    expect(usage(str('embstr', ''))).toBe(64)
    expect(usage(str('embstr', 'x'.repeat(20)))).toBe(80)
    expect(usage(str('embstr', 'x'.repeat(44)))).toBe(96)
    expect(usage(str('raw', 'x'.repeat(45)))).toBe(112)
    expect(usage(str('raw', 'x'.repeat(100)))).toBe(160)
    expect(usage(str('raw', 'x'.repeat(1000)))).toBe(1072)
    expect(usage(str('raw', 'x'.repeat(100000)))).toBe(114736)
    expect(usage(str('int', '123'))).toBe(48)
    expect(keyMemoryUsage('k'.repeat(44), str('int', '5'))).toBe(88)
  })

  it('follows recorded growth of raw strings (APPEND)', () => {
    // SET k hello; APPEND k world -> MEMORY USAGE 80; APPEND 100 bytes -> 272.
    const o = str('raw', 'hello')
    noteRawSdsCopy(o)
    noteSdsGrowth(o, 5)
    o.value = 'helloworld'
    expect(keyMemoryUsage('k', o)).toBe(80)
    noteSdsGrowth(o, 100)
    o.value += 'x'.repeat(100)
    expect(keyMemoryUsage('k', o)).toBe(272)
    // SET k <50 bytes> (trimmed to its length), APPEND k z -> 160, avail 57.
    const p = str('raw', 'y'.repeat(50))
    expect(rawSdsState(p)).toEqual({ type: 8, alloc: 50 })
    noteSdsGrowth(p, 1)
    p.value += 'z'
    expect(rawSdsState(p).alloc - p.value.length).toBe(57)
    expect(keyMemoryUsage('k', p)).toBe(160)
  })

  it('keeps the spare room of a raw string that was not worth trimming', () => {
    // 100000 bytes: sdshdr32, 100010 -> 114688: spare room 14678 > 10000, trimmed (alloc = len).
    expect(rawSdsState(str('raw', 'x'.repeat(100000))).alloc).toBe(100000)
    // 98290 bytes: 98300 -> 98304, spare room 4 <= 9829: kept.
    expect(rawSdsState(str('raw', 'x'.repeat(98290))).alloc).toBe(98294)
    expect(stringObjectSize(str('raw', 'x'.repeat(98290)))).toBe(16 + 98304)
  })

  it('lets other types register their sizer', () => {
    const fake = { type: 'fake-type', lru: 0 } as unknown as RObj
    expect(objectComputeSize(fake)).toBe(16)
    registerObjectSizer('fake-type', (_o, samples) => 100 + samples)
    expect(objectComputeSize(fake, 3)).toBe(103)
  })
})

describe('formatting', () => {
  it('bytesToHuman like server.c', () => {
    expect(bytesToHuman(0)).toBe('0B')
    expect(bytesToHuman(1023)).toBe('1023B')
    expect(bytesToHuman(1024)).toBe('1.00K')
    expect(bytesToHuman(1041504)).toBe('1017.09K')
    expect(bytesToHuman(25276514304)).toBe('23.54G')
    expect(bytesToHuman(1152)).toBe('1.12K') // 1.125: glibc rounds the tie to even
  })

  it('printfFixed rounds exact ties to even and uses the exact binary value', () => {
    expect(printfFixed(0.125, 2)).toBe('0.12')
    expect(printfFixed(0.375, 2)).toBe('0.38')
    expect(printfFixed(2.675, 2)).toBe('2.67') // 2.67499999...
    expect(printfFixed(569.26, 2)).toBe('569.26')
  })
})
