// The database layer with a virtual clock: lazy expiry on access, lookup flags
// (stats, events, access clock), exact huge expire times, SWAPDB's swap.
import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import { LOOKUP_NONOTIFY, LOOKUP_NOSTATS, LOOKUP_NOTOUCH } from './db.ts'
import type { Reply } from '../protocol/reply.ts'

function setup(config: Record<string, string> = {}) {
  const clock = new VirtualClock(1_700_000_000_000)
  const server = createServer({ clock, hashSeed: 7, config: { activerehashing: 'no', ...config } })
  const c = server.connect()
  const events: string[] = []
  server.hooks.keyspaceEvent = (flag, event, key, dbid) => events.push(`${flag}:${event}:${key}@${dbid}`)
  const call = (...argv: string[]): Reply | undefined => c.call(argv)
  return { clock, server, c, events, call }
}

const int = (r: Reply | undefined): number | bigint => {
  if (r?.kind !== 'integer') throw new Error(`not an integer reply: ${JSON.stringify(r)}`)
  return r.value
}

describe('lazy expiry', () => {
  it('a key is gone once its time has passed, deleted by the access that finds it expired', () => {
    const { clock, server, events, call } = setup()
    call('SET', 'k', 'v')
    call('PEXPIRE', 'k', '1000')
    clock.advance(1000)
    // Still there at exactly the expire time (expired means now > when).
    expect(call('GET', 'k')).toEqual({ kind: 'bulk', value: 'v' })
    clock.advance(1)
    // DBSIZE counts it until something touches it.
    expect(int(call('DBSIZE'))).toBe(1)
    const before = server.stats.expiredKeys
    events.length = 0
    expect(call('GET', 'k')).toEqual({ kind: 'null' })
    expect(server.stats.expiredKeys).toBe(before + 1)
    expect(events).toContain('x:expired:k@0')
    expect(int(call('DBSIZE'))).toBe(0)
    expect(server.dbs[0].expires.size).toBe(0)
  })

  it('KEYS skips an expired key without deleting it; SCAN and EXISTS delete it', () => {
    const { clock, server, call } = setup()
    call('SET', 'a', '1')
    call('SET', 'b', '2')
    call('PEXPIRE', 'a', '10')
    clock.advance(11)
    expect(call('KEYS', '*')).toEqual({ kind: 'array', value: [{ kind: 'bulk', value: 'b' }] })
    expect(server.dbs[0].dict.has('a')).toBe(true)
    const scanned = call('SCAN', '0')
    expect(scanned).toEqual({ kind: 'array', value: [{ kind: 'bulk', value: '0' }, { kind: 'array', value: [{ kind: 'bulk', value: 'b' }] }] })
    expect(server.dbs[0].dict.has('a')).toBe(false)
    expect(server.stats.expiredKeys).toBe(1)
  })

  it('DEL of an expired key fires expired, not del, and counts 0', () => {
    const { clock, events, call } = setup()
    call('SET', 'k', 'v')
    call('PEXPIRE', 'k', '5')
    clock.advance(6)
    events.length = 0
    expect(int(call('DEL', 'k'))).toBe(0)
    expect(events).toEqual(['x:expired:k@0'])
  })

  it('RANDOMKEY never returns an expired key and reclaims the ones it picks', () => {
    const { clock, server, call } = setup()
    for (let i = 0; i < 50; i++) {
      call('SET', `dead${i}`, 'x')
      call('PEXPIRE', `dead${i}`, '1')
    }
    call('SET', 'alive', 'x')
    clock.advance(2)
    for (let i = 0; i < 20; i++) expect(call('RANDOMKEY')).toEqual({ kind: 'bulk', value: 'alive' })
    expect(server.stats.expiredKeys).toBeGreaterThan(0)
    call('DEL', 'alive')
    expect(call('RANDOMKEY')).toEqual({ kind: 'null' })
    expect(int(call('DBSIZE'))).toBe(0)
  })

  it('a past EXPIREAT deletes at once with a del event; TTL of it reads -2', () => {
    const { events, call } = setup()
    call('SET', 'k', 'v')
    events.length = 0
    expect(int(call('EXPIREAT', 'k', '1'))).toBe(1)
    expect(events).toEqual(['g:del:k@0'])
    expect(int(call('TTL', 'k'))).toBe(-2)
  })
})

describe('lookup flags', () => {
  it('counts hits and misses unless NOSTATS, fires keymiss unless NONOTIFY', () => {
    const { server, events } = setup()
    const db = server.dbs[0]
    const s = server.stats
    db.lookup('nope')
    expect([s.keyspaceHits, s.keyspaceMisses]).toEqual([0, 1])
    expect(events).toEqual(['m:keymiss:nope@0'])
    db.lookup('nope', LOOKUP_NONOTIFY)
    expect([s.keyspaceHits, s.keyspaceMisses]).toEqual([0, 2])
    expect(events.length).toBe(1)
    db.lookup('nope', LOOKUP_NOSTATS | LOOKUP_NONOTIFY)
    expect(s.keyspaceMisses).toBe(2)
    db.lookupWrite('nope')
    expect(s.keyspaceMisses).toBe(2)
    expect(events.length).toBe(1)
  })

  it('OBJECT and TYPE count hits (as in Redis) but do not touch the access clock', () => {
    const { clock, server, call } = setup()
    call('SET', 'k', 'v')
    clock.advance(50_000)
    const hits = server.stats.keyspaceHits
    call('OBJECT', 'ENCODING', 'k')
    call('TYPE', 'k')
    expect(server.stats.keyspaceHits).toBe(hits + 2)
    expect(int(call('OBJECT', 'IDLETIME', 'k'))).toBe(50)
    call('GET', 'k')
    expect(int(call('OBJECT', 'IDLETIME', 'k'))).toBe(0)
  })

  it('db.exists neither counts nor touches', () => {
    const { clock, server, call } = setup()
    call('SET', 'k', 'v')
    clock.advance(20_000)
    const { keyspaceHits, keyspaceMisses } = server.stats
    expect(server.dbs[0].exists('k')).toBe(true)
    expect(server.dbs[0].exists('zz')).toBe(false)
    expect([server.stats.keyspaceHits, server.stats.keyspaceMisses]).toEqual([keyspaceHits, keyspaceMisses])
    expect(int(call('OBJECT', 'IDLETIME', 'k'))).toBe(20)
    expect(server.dbs[0].lookup('k', LOOKUP_NOTOUCH)).toBeDefined()
  })
})

describe('writes', () => {
  it('adding a key fires the new event (n) before the command event', () => {
    const { events, call } = setup()
    call('SET', 'k', 'v')
    call('SET', 'k', 'w')
    expect(events.filter((e) => e.startsWith('n:'))).toEqual(['n:new:k@0'])
  })

  it('under an LFU policy an overwrite keeps the old counter (dbSetValue)', () => {
    const { server, call } = setup({ 'maxmemory-policy': 'allkeys-lfu' })
    call('SET', 'k', 'v')
    expect(int(call('OBJECT', 'FREQ', 'k'))).toBe(5)
    // From LFU_INIT_VAL the first access always increments (p = 1).
    call('GET', 'k')
    expect(int(call('OBJECT', 'FREQ', 'k'))).toBe(6)
    const o = server.dbs[0].dict.get('k')!
    server.dbs[0].overwrite('k', { type: 'string', encoding: 'embstr', value: 'w', lru: 0 })
    expect(server.dbs[0].dict.get('k')!.lru).toBe(o.lru)
  })

  it('MOVE and RENAME keep the value object and its access clock', () => {
    const { clock, call } = setup()
    call('SET', 'k', 'v')
    clock.advance(30_000)
    // The write lookups touch the key, so idle time restarts from the move.
    call('MOVE', 'k', '1')
    clock.advance(10_000)
    call('SELECT', '1')
    expect(int(call('OBJECT', 'IDLETIME', 'k'))).toBe(10)
  })

  it('expire times beyond 2^53 stay exact', () => {
    const { server, call } = setup()
    call('SET', 'k', 'v')
    expect(int(call('PEXPIREAT', 'k', '9223372036854775807'))).toBe(1)
    expect(int(call('PEXPIRETIME', 'k'))).toBe(9223372036854775807n)
    expect(int(call('EXPIRETIME', 'k'))).toBe(9223372036854776n)
    // LT with a time one ms earlier: exact compare, so it applies.
    expect(int(call('PEXPIREAT', 'k', '9223372036854775806', 'LT'))).toBe(1)
    expect(int(call('PEXPIRETIME', 'k'))).toBe(9223372036854775806n)
    expect(int(call('PTTL', 'k'))).toBe(9223372036854775806n - 1_700_000_000_000n)
    // getExpire gives the nearest double (2^63), getExpireExact the exact value.
    expect(server.dbs[0].getExpire('k')).toBe(2 ** 63)
    expect(server.dbs[0].getExpireExact('k')).toBe(9223372036854775806n)
    // Safe integers are stored as numbers.
    call('PEXPIREAT', 'k', '1800000000000')
    expect(server.dbs[0].expires.get('k')).toBe(1800000000000)
  })

  it('swapWith exchanges contents; clients stay on their index', () => {
    const { server, c, call } = setup()
    call('SET', 'in0', 'a')
    call('PEXPIRE', 'in0', '100000')
    call('SELECT', '1')
    call('SET', 'in1', 'b')
    const db0 = server.dbs[0]
    const db1 = server.dbs[1]
    call('SWAPDB', '0', '1')
    expect(c.db).toBe(db1)
    expect(server.dbs[0]).toBe(db0)
    expect([...db0.dict.keys()]).toEqual(['in1'])
    expect([...db1.dict.keys()]).toEqual(['in0'])
    expect(int(call('PTTL', 'in0'))).toBe(100000)
  })
})
