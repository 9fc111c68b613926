// The key browser's host calls (src/worker/key-listing.ts through EngineHost):
// SCAN semantics, filters, and that reading leaves the server as it was.
import { describe, expect, it } from 'vitest'
import { EngineHost } from './host.ts'
import { VirtualClock } from '../../engine/server/clock.ts'
import { byteString, parseResp, type RespValue } from '../repl/resp.ts'
import type { TraceEvent } from '../../engine/introspect/events.ts'

function makeHost() {
  const clock = new VirtualClock()
  const frames: (() => void)[] = []
  const host = new EngineHost({ clock, seed: 7, setTimer: () => {}, nextFrame: (fn) => frames.push(fn), cron: false })
  const { id } = host.openClient(() => {})
  const run = (...argv: string[]): Plain => {
    const f = host.send(id, argv).frames.at(-1)!
    return plain(parseResp((f as { bytes: Uint8Array }).bytes))
  }
  return { host, clock, run, runFrame: () => frames.splice(0).forEach((f) => f()) }
}

type Plain = string | number | null | Plain[]

function plain(v: RespValue): Plain {
  switch (v.type) {
    case 'simple':
    case 'bulk':
    case 'verbatim':
      return v.value
    case 'error':
      return `ERR:${v.value}`
    case 'integer':
      return Number(v.value)
    case 'array':
      return v.items.map(plain)
    case 'null':
      return null
    default:
      throw new Error(`unexpected reply ${v.type}`)
  }
}

function infoField(text: Plain, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(String(text))?.[1]?.trim()
}

function allKeys(host: EngineHost, db: number, count: number, opts: { match?: string; type?: string } = {}): string[] {
  const out: string[] = []
  let cursor = 0
  do {
    const r = host.scanKeys(db, cursor, { ...opts, count })
    out.push(...r.keys.map((k) => k.name))
    cursor = r.cursor
  } while (cursor !== 0)
  return out
}

describe('key listing', () => {
  it('walks the keyspace with SCAN cursors: the same steps and keys as the SCAN command', () => {
    const { host, run } = makeHost()
    run('DEBUG', 'POPULATE', '500', 'k')
    let cursor = '0'
    let mine = 0
    let steps = 0
    do {
      const [c, names] = run('SCAN', cursor, 'COUNT', '7') as [string, string[]]
      const r = host.scanKeys(0, mine, { count: 7 })
      expect(r.keys.map((k) => k.name)).toEqual(names)
      expect(String(r.cursor)).toBe(String(c))
      cursor = String(c)
      mine = r.cursor
      steps++
    } while (cursor !== '0')
    expect(steps).toBeGreaterThan(10)
    const keys = allKeys(host, 0, 100)
    expect(keys.length).toBe(500)
    expect(new Set(keys).size).toBe(500)
  })

  it('reports type, encoding and TTL of each key, and filters by MATCH pattern and TYPE', () => {
    const { host, run, clock } = makeHost()
    run('SET', 'user:1', 'alice')
    run('SET', 'counter', '12')
    run('HSET', 'user:2', 'name', 'bob')
    run('RPUSH', 'queue', 'a', 'b')
    run('SADD', 'tags', '1', '2')
    run('ZADD', 'board', '1', 'x')
    run('PEXPIRE', 'user:1', '5000')
    const all = host.scanKeys(0, 0, { count: 100 })
    expect(all.cursor).toBe(0)
    expect(all.dbSize).toBe(6)
    const byName = Object.fromEntries(all.keys.map((k) => [k.name, k]))
    expect(byName['user:1']).toEqual({ name: 'user:1', type: 'string', encoding: 'embstr', ttlMs: 5000, expiresAt: clock.nowMs() + 5000 })
    expect(byName['counter']).toMatchObject({ type: 'string', encoding: 'int', ttlMs: -1, expiresAt: -1 })
    expect(byName['user:2']).toMatchObject({ type: 'hash', encoding: 'listpack' })
    expect(byName['queue']).toMatchObject({ type: 'list', encoding: 'quicklist' })
    expect(byName['tags']).toMatchObject({ type: 'set', encoding: 'intset' })
    expect(byName['board']).toMatchObject({ type: 'zset', encoding: 'listpack' })
    expect(allKeys(host, 0, 100, { match: 'user:*' }).sort()).toEqual(['user:1', 'user:2'])
    expect(allKeys(host, 0, 100, { match: 'user:*', type: 'HASH' })).toEqual(['user:2'])
    expect(allKeys(host, 0, 100, { type: 'list' })).toEqual(['queue'])
    expect(allKeys(host, 0, 100, { match: '*' }).length).toBe(6)
    expect(host.scanKeys(3, 0, { count: 100 })).toEqual({ cursor: 0, keys: [], dbSize: 0 })
    expect(host.scanKeys(99, 0)).toEqual({ cursor: 0, keys: [], dbSize: 0 })
  })

  it('leaves out keys whose TTL has passed without deleting them', () => {
    const { host, run, clock } = makeHost()
    run('SET', 'a', '1')
    run('SET', 'b', '2')
    run('PEXPIRE', 'b', '100')
    clock.advance(101)
    expect(allKeys(host, 0, 10)).toEqual(['a'])
    expect(host.keyMeta(0, 'b')).toBeNull()
    expect(host.keysInfo(0, ['a', 'b', 'zz']).map((k) => k?.name ?? null)).toEqual(['a', null, null])
    // Still there for the server: DBSIZE counts it, no expired_keys yet.
    expect(host.dbSize(0)).toBe(2)
    expect(host.server.dbs[0].dict.has('b')).toBe(true)
    expect(infoField(run('INFO', 'stats'), 'expired_keys')).toBe('0')
  })

  it('keyMeta gives MEMORY USAGE as the command computes it', () => {
    const { host, run } = makeHost()
    run('SET', 's', 'x'.repeat(100))
    for (let i = 0; i < 600; i++) run('HSET', 'big', `f${i}`, `v${i}`)
    for (const key of ['s', 'big']) {
      const meta = host.keyMeta(0, key)!
      expect(meta.memoryUsage).toBe(Number(run('MEMORY', 'USAGE', key)))
    }
    expect(host.keyMeta(0, 'big')).toMatchObject({ name: 'big', type: 'hash', encoding: 'hashtable', ttlMs: -1 })
    expect(host.keyMeta(0, 'nope')).toBeNull()
    expect(structuredClone(host.keyMeta(0, 's'))).toEqual(host.keyMeta(0, 's'))
  })

  it('does not disturb the server: no hits or misses, no LRU touch, no rehash step, no command stats', () => {
    const { host, run, clock } = makeHost()
    run('CONFIG', 'RESETSTAT')
    // Grow the keyspace until its dict is in the middle of a rehash.
    let n = 0
    while (!host.server.dbs[0].dict.isRehashing) run('SET', `key:${n++}`, 'v')
    run('EXPIRE', 'key:0', '1000')
    run('CONFIG', 'RESETSTAT')
    const db = host.server.dbs[0]
    const lruBefore = db.dict.get('key:1')!.lru
    const rehashBefore = db.dict.rehashIndex
    clock.advance(5000)
    allKeys(host, 0, 3)
    host.keyMeta(0, 'key:1')
    host.keyMeta(0, 'missing')
    host.keysInfo(0, ['key:1', 'key:2', 'missing'])
    host.dbSize(0)
    expect(db.dict.rehashIndex).toBe(rehashBefore)
    expect(db.dict.get('key:1')!.lru).toBe(lruBefore)
    expect(db.dict.has('key:0')).toBe(true) // expired, listed nowhere, not deleted
    const stats = run('INFO', 'stats')
    expect(infoField(stats, 'keyspace_hits')).toBe('0')
    expect(infoField(stats, 'keyspace_misses')).toBe('0')
    expect(infoField(stats, 'expired_keys')).toBe('0')
    expect(String(run('INFO', 'commandstats'))).not.toMatch(/cmdstat_(scan|memory|type|object|dbsize)/)
  })

  it('emits key-ttl-changed when a TTL is set or removed', () => {
    const { host, run, runFrame, clock } = makeHost()
    const seen: TraceEvent[] = []
    host.subscribeTrace((b) => seen.push(...b))
    run('SET', 'k', 'v', 'EX', '10')
    run('PERSIST', 'k')
    run('PERSIST', 'k')
    runFrame()
    const ttl = seen.filter((e) => e.type === 'key-ttl-changed')
    expect(ttl).toEqual([
      { type: 'key-ttl-changed', db: 0, key: 'k', expiresAt: clock.nowMs() + 10_000 },
      { type: 'key-ttl-changed', db: 0, key: 'k', expiresAt: -1 },
    ])
  })

  it('lists byte-string keys as they are', () => {
    const { host, run } = makeHost()
    run('SET', '\x00\xff\xe4', 'v')
    expect(allKeys(host, 0, 10)).toEqual(['\x00\xff\xe4'])
    expect(byteString(new Uint8Array([0, 255, 228]))).toBe('\x00\xff\xe4')
  })
})
