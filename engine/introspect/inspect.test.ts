import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import { SeededRandom } from '../server/random.ts'
import { inspect } from './inspect.ts'

function setup() {
  const clock = new VirtualClock()
  const server = createServer({ clock, random: new SeededRandom(7) })
  const c = server.connect()
  const run = (...argv: string[]) => c.call(argv)
  return { server, clock, run }
}

describe('inspect', () => {
  it('answers null for a missing key or db, and never touches the value', () => {
    const { server, run } = setup()
    expect(inspect(server, 0, 'nope')).toBeNull()
    expect(inspect(server, 99, 'nope')).toBeNull()
    run('SET', 's', 'hello')
    const before = server.dbs[0].dict.get('s')!.lru
    const hits = server.stats.keyspaceHits
    inspect(server, 0, 's')
    expect(server.dbs[0].dict.get('s')!.lru).toBe(before)
    expect(server.stats.keyspaceHits).toBe(hits)
  })

  it('strings: encoding, sds class, windowed bytes, TTL and MEMORY USAGE', () => {
    const { server, run, clock } = setup()
    run('SET', 'i', '12345')
    run('SET', 'e', 'x'.repeat(44))
    run('SET', 'r', 'y'.repeat(45), 'PX', '5000')
    expect(inspect(server, 0, 'i')).toMatchObject({ type: 'string', encoding: 'int', ttlMs: -1, value: { encoding: 'int', sdsType: null } })
    expect(inspect(server, 0, 'e')!.value).toMatchObject({ encoding: 'embstr', length: 44, sdsType: 8 })
    clock.advance(1000)
    const r = inspect(server, 0, 'r', { start: 40, count: 10 })!
    expect(r.ttlMs).toBe(4000)
    expect(r.value).toMatchObject({ encoding: 'raw', length: 45, bytes: 'yyyyy' })
    expect(r.memoryUsage).toBe((run('MEMORY', 'USAGE', 'r') as { value: number }).value)
  })

  it('sds classes: embstr is always sdshdr8; raw follows sdsnewlen, then sdsMakeRoomFor as it grows', () => {
    const { server, run } = setup()
    run('SET', 'short', 'hi')
    expect(inspect(server, 0, 'short')!.value).toMatchObject({ encoding: 'embstr', sdsType: 8, sdsAlloc: null })
    run('SET', 'r300', 'z'.repeat(300))
    expect(inspect(server, 0, 'r300')!.value).toMatchObject({ encoding: 'raw', sdsType: 16 })
    // APPEND makes room greedily (never sdshdr5): 3 bytes wanted, doubled to 6, sdshdr8.
    run('SET', 'a', 'ab')
    run('APPEND', 'a', 'c')
    const a = inspect(server, 0, 'a')!.value
    expect(a).toMatchObject({ encoding: 'raw', length: 3, sdsType: 8 })
    if (a.encoding !== 'raw') throw new Error('raw expected')
    expect(a.sdsAlloc).toBeGreaterThanOrEqual(6)
    // Growing across 255 bytes moves the buffer to sdshdr16.
    run('APPEND', 'a', 'q'.repeat(200))
    expect(inspect(server, 0, 'a')!.value).toMatchObject({ encoding: 'raw', length: 203, sdsType: 16 })
    // SETRANGE on a new key: sdsnewlen of the length, sdshdr5 below 32 bytes.
    run('SETRANGE', 'sr', '2', 'xy')
    expect(inspect(server, 0, 'sr')!.value).toMatchObject({ encoding: 'raw', length: 4, sdsType: 5 })
  })

  it('quicklist nodes keep their id across snapshots; a new node gets a new one', () => {
    const { server, run } = setup()
    run('CONFIG', 'SET', 'list-max-listpack-size', '2')
    run('RPUSH', 'l', 'a', 'b')
    const before = inspect(server, 0, 'l')!.value
    run('RPUSH', 'l', 'c')
    const after = inspect(server, 0, 'l')!.value
    if (before.encoding !== 'quicklist' || after.encoding !== 'quicklist') throw new Error('quicklist expected')
    expect(after.nodes[0].id).toBe(before.nodes[0].id)
    expect(after.nodes[1].id).not.toBe(before.nodes[0].id)
    expect(after.nodes[1].id).toBeGreaterThan(0)
  })

  it('listpack entries carry offsets, encodings and back-lengths; header bytes match', () => {
    const { server, run } = setup()
    run('HSET', 'h', 'f', 'v', 'n', '12')
    const s = inspect(server, 0, 'h')!
    expect(s.encoding).toBe('listpack')
    if (s.value.encoding !== 'listpack') throw new Error('listpack expected')
    expect(s.value.length).toBe(4)
    expect(s.value.entries.map((e) => e.value)).toEqual(['f', 'v', 'n', '12'])
    expect(s.value.entries[0]).toMatchObject({ offset: 6, encoding: '6bit-str', encodingBytes: 1, dataBytes: 1, backlenBytes: 1, size: 3 })
    expect(s.value.entries[3]).toMatchObject({ isInt: true, encoding: '7bit-uint' })
    const last = s.value.entries[3]
    expect(s.value.totalBytes).toBe(last.offset + last.size + 1)
  })

  it('intset width and values; quicklist nodes; hashtable buckets hold every member', () => {
    const { server, run } = setup()
    run('SADD', 'is', '1', '2', '70000')
    expect(inspect(server, 0, 'is')!.value).toMatchObject({ encoding: 'intset', width: 4, length: 3, values: ['1', '2', '70000'] })
    run('CONFIG', 'SET', 'list-max-listpack-size', '2')
    run('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e')
    const q = inspect(server, 0, 'l')!.value
    expect(q).toMatchObject({ encoding: 'quicklist', fill: 2, count: 5, nodeCount: 3 })
    if (q.encoding === 'quicklist') expect(q.nodes.map((n) => n.count)).toEqual([2, 2, 1])
    run('SADD', 'hs', 'x', 'y', 'z')
    const h = inspect(server, 0, 'hs')!.value
    if (h.encoding !== 'hashtable') throw new Error('hashtable expected')
    const members = h.tables.flatMap((t) => t.buckets.flatMap((b) => b.entries.map((e) => e.key)))
    expect(members.sort()).toEqual(['x', 'y', 'z'])
    expect(h.tables[0].used).toBe(3)
  })

  it('skiplists are windowed by rank', () => {
    const { server, run } = setup()
    run('CONFIG', 'SET', 'zset-max-listpack-entries', '0')
    for (let i = 0; i < 50; i++) run('ZADD', 'z', String(i), `m${i}`)
    const s = inspect(server, 0, 'z', { start: 10, count: 5 })!.value
    if (s.encoding !== 'skiplist') throw new Error('skiplist expected')
    expect(s.skiplist.length).toBe(50)
    expect(s.skiplist.nodes.map((n) => n.member)).toEqual(['m10', 'm11', 'm12', 'm13', 'm14'])
    expect(s.dict.used).toBe(50)
  })
})
