import { describe, expect, it } from 'vitest'
import {
  createQuicklistObject,
  listObjectSize,
  listSerializedLength,
  listTypeDelRange,
  listTypeDup,
  listTypeIndex,
  listTypeInsert,
  listTypeLength,
  listTypePop,
  listTypePositions,
  listTypePush,
  listTypeRange,
  listTypeRemove,
  listTypeReplaceAtIndex,
  listTypeTrim,
} from './list.ts'
import { keyMemoryUsage, objectComputeSize } from '../keyspace/memory.ts'
import { dupObject } from '../commands/generic/rename.ts'
import { rdbSavedObjectLen } from '../commands/server/serialized-length.ts'
import type { ListObject } from '../keyspace/object.ts'

const host = (fill = -2, compress = 0) => ({
  config: { num: (name: string) => (name === 'list-max-listpack-size' ? fill : name === 'list-compress-depth' ? compress : NaN) },
})

function listOf(values: string[], fill = -2, compress = 0): ListObject {
  const o = createQuicklistObject(host(fill, compress))
  for (const v of values) listTypePush(o, v, 'tail')
  return o
}

const all = (o: ListObject): string[] => listTypeRange(o, 0, -1)

describe('list type', () => {
  it('createQuicklistObject takes the node options from config at creation', () => {
    const cfg = { fill: 3, compress: 2 }
    const server = { config: { num: (n: string) => (n === 'list-max-listpack-size' ? cfg.fill : cfg.compress) } }
    const o = createQuicklistObject(server)
    expect(o.type).toBe('list')
    expect(o.encoding).toBe('quicklist')
    expect(o.value.fill).toBe(3)
    expect(o.value.compressDepthValue).toBe(2)
    // A later config change does not reach the existing list.
    cfg.fill = -2
    for (let i = 0; i < 7; i++) listTypePush(o, String(i), 'tail')
    expect(o.value.nodes().map((n) => n.count)).toEqual([3, 3, 1])
  })

  it('push, pop, length; integers come back as their canonical text', () => {
    const o = listOf(['a', '12', '-7'])
    listTypePush(o, 'head', 'head')
    expect(listTypeLength(o)).toBe(4)
    expect(all(o)).toEqual(['head', 'a', '12', '-7'])
    expect(listTypePop(o, 'tail')).toBe('-7')
    expect(listTypePop(o, 'head')).toBe('head')
    expect(listTypePop(o, 'head')).toBe('a')
    expect(listTypePop(o, 'head')).toBe('12')
    expect(listTypePop(o, 'head')).toBeUndefined()
    expect(listTypeLength(o)).toBe(0)
  })

  it('range clamps like LRANGE, and walks backwards when reversed', () => {
    const o = listOf(['0', '1', '2', '3', '4', '5'])
    expect(listTypeRange(o, 1, 3)).toEqual(['1', '2', '3'])
    expect(listTypeRange(o, -2, -1)).toEqual(['4', '5'])
    expect(listTypeRange(o, -100, 1)).toEqual(['0', '1'])
    expect(listTypeRange(o, 4, 100)).toEqual(['4', '5'])
    expect(listTypeRange(o, 3, 2)).toEqual([])
    expect(listTypeRange(o, 6, 10)).toEqual([])
    expect(listTypeRange(o, -3, -1, true)).toEqual(['5', '4', '3'])
    expect(listTypeRange(o, 0, 1, true)).toEqual(['1', '0'])
  })

  it('index and replace, with negative indexes; out of range is undefined / false', () => {
    const o = listOf(['a', 'b', 'c'])
    expect(listTypeIndex(o, 0)).toBe('a')
    expect(listTypeIndex(o, -1)).toBe('c')
    expect(listTypeIndex(o, 3)).toBeUndefined()
    expect(listTypeIndex(o, -4)).toBeUndefined()
    expect(listTypeReplaceAtIndex(o, -2, 'B')).toBe(true)
    expect(listTypeReplaceAtIndex(o, 3, 'x')).toBe(false)
    expect(all(o)).toEqual(['a', 'B', 'c'])
  })

  it('insert before/after the first match only', () => {
    const o = listOf(['a', 'b', 'a'])
    expect(listTypeInsert(o, 'a', 'x', true)).toBe(true)
    expect(listTypeInsert(o, 'a', 'y', false)).toBe(true)
    expect(listTypeInsert(o, 'zz', 'q', false)).toBe(false)
    expect(all(o)).toEqual(['y', 'a', 'x', 'b', 'a'])
    // Comparison is by bytes of the stored value: integer entries match their text.
    const n = listOf(['10', '010'])
    expect(listTypeInsert(n, '10', 'after10', true)).toBe(true)
    expect(all(n)).toEqual(['10', 'after10', '010'])
  })

  it('remove from the head, from the tail, or all', () => {
    const o = listOf(['a', 'b', 'a', 'c', 'a', 'b'])
    expect(listTypeRemove(o, 'a', 2)).toBe(2)
    expect(all(o)).toEqual(['b', 'c', 'a', 'b'])
    expect(listTypeRemove(o, 'b', -1)).toBe(1)
    expect(all(o)).toEqual(['b', 'c', 'a'])
    expect(listTypeRemove(o, 'zz', 0)).toBe(0)
    expect(listTypeRemove(o, 'b', 0)).toBe(1)
    expect(all(o)).toEqual(['c', 'a'])
  })

  it('trim and delete ranges', () => {
    const o = listOf(['0', '1', '2', '3', '4', '5', '6'])
    listTypeTrim(o, 2, 1)
    expect(all(o)).toEqual(['2', '3', '4', '5'])
    listTypeDelRange(o, -2, 2)
    expect(all(o)).toEqual(['2', '3'])
    listTypeTrim(o, 2, 0)
    expect(listTypeLength(o)).toBe(0)
  })

  it('positions: rank, count, maxlen, negative rank and the RANK LONG_MIN quirk', () => {
    const o = listOf(['c', 'x', 'c', 'c', 'x', 'c'])
    expect(listTypePositions(o, 'c', { rank: 1, count: -1, maxlen: 0 })).toEqual([0])
    expect(listTypePositions(o, 'c', { rank: 2, count: -1, maxlen: 0 })).toEqual([2])
    expect(listTypePositions(o, 'c', { rank: -1, count: -1, maxlen: 0 })).toEqual([5])
    expect(listTypePositions(o, 'c', { rank: 1, count: 0, maxlen: 0 })).toEqual([0, 2, 3, 5])
    expect(listTypePositions(o, 'c', { rank: 2, count: 2, maxlen: 0 })).toEqual([2, 3])
    expect(listTypePositions(o, 'c', { rank: -2, count: 0, maxlen: 0 })).toEqual([3, 2, 0])
    expect(listTypePositions(o, 'c', { rank: 1, count: 0, maxlen: 3 })).toEqual([0, 2])
    expect(listTypePositions(o, 'c', { rank: 9, count: -1, maxlen: 0 })).toEqual([])
    // LONG_MIN: searched from the tail, every match qualifies and COUNT never stops it.
    expect(listTypePositions(o, 'c', { rank: -Infinity, count: 1, maxlen: 0 })).toEqual([5, 3, 2, 0])
    expect(listTypePositions(o, 'c', { rank: -Infinity, count: -1, maxlen: 0 })).toEqual([5])
  })

  it('dup copies nodes and options; the copy is independent (COPY via registerDup)', () => {
    const o = listOf(['a', 'b', 'c', 'd'], 2, 0)
    const d = dupObject(o) as ListObject
    expect(d).not.toBe(o)
    expect(d.value.fill).toBe(2)
    expect(all(d)).toEqual(['a', 'b', 'c', 'd'])
    listTypePush(d, 'e', 'tail')
    expect(all(o)).toEqual(['a', 'b', 'c', 'd'])
    expect(listTypeDup(o).value.nodes()).toEqual(o.value.nodes())
  })

  it('MEMORY USAGE numbers observed on redis-server 7.0.15', () => {
    // RPUSH l a -> 144; RPUSH l2 1..100 -> 352; RPUSH x <9000 bytes> -> 10368.
    expect(keyMemoryUsage('l', listOf(['a']))).toBe(144)
    expect(keyMemoryUsage('l2', listOf(Array.from({ length: 100 }, (_, i) => String(i + 1))))).toBe(352)
    expect(keyMemoryUsage('x', listOf(['z'.repeat(9000)]))).toBe(10368)
    // fill 2, a..e (3 nodes) -> 256
    expect(keyMemoryUsage('x', listOf(['a', 'b', 'c', 'd', 'e'], 2))).toBe(256)
    expect(objectComputeSize(listOf(['a']))).toBe(listObjectSize(listOf(['a']), 5))
  })

  it('MEMORY USAGE samples the first nodes and scales by the node count', () => {
    const o = listOf(['a'.repeat(100), 'b', 'c', 'd'], 1)
    // Node 1: 40 + jemalloc(6+2+100+1+1=110 -> 112); the rest: 40 + 16.
    expect(listObjectSize(o, 1)).toBe(16 + 40 + 152 * 4)
    expect(listObjectSize(o, 0)).toBe(16 + 40 + 152 + 56 * 3)
  })

  it('compressed nodes count sizeof(quicklistLZF) (8) plus the LZF bytes', () => {
    const o = listOf(Array.from({ length: 12 }, () => 'compressible-'.repeat(20)), 4, 1)
    const nodes = o.value.nodes()
    expect(nodes.map((n) => n.compressed)).toEqual([false, true, false])
    const mid = nodes[1]
    const jem = (n: number): number => (n <= 128 ? Math.ceil(n / 16) * 16 : n)
    expect(listObjectSize(o, 0)).toBe(16 + 40 + 3 * 40 + 2 * 1280 + jem(8 + mid.compressedSize!))
  })

  it('DEBUG OBJECT serializedlength observed on redis-server 7.0.15', () => {
    expect(rdbSavedObjectLen(listOf(['a', 'b']), true)).toBe(16)
    expect(rdbSavedObjectLen(listOf(Array.from({ length: 100 }, (_, i) => String(i + 1))), true)).toBe(211)
    expect(listSerializedLength(listOf(['a'.repeat(3000)]), true)).toBe(56)
    expect(listSerializedLength(listOf(['a'.repeat(3000)]), false)).toBe(1 + 1 + 2 + 3011)
  })
})
