// Side effects of the generic commands that the oracle cannot see yet
// (keyspace notifications, server.dirty, signalModifiedKey): the events and
// counts Redis 7.0's db.c / expire.c produce.
import { describe, expect, it } from 'vitest'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'

function setup() {
  const clock = new VirtualClock()
  const server = createServer({ clock, hashSeed: 3 })
  const c = server.connect()
  const events: string[] = []
  const modified: string[] = []
  server.hooks.keyspaceEvent = (flag, event, key, dbid) => events.push(`${flag} ${event} ${key}@${dbid}`)
  server.hooks.modifiedKey = (db, key) => modified.push(`${key}@${db.id}`)
  const run = (...argv: string[]) => {
    events.length = 0
    modified.length = 0
    const before = server.dirty
    const reply = c.call(argv)
    return { reply, events: [...events], modified: [...modified], dirty: server.dirty - before }
  }
  return { clock, server, c, run }
}

describe('keyspace events, modified keys and dirty', () => {
  it('DEL / UNLINK', () => {
    const { run } = setup()
    run('SET', 'a', '1')
    run('SET', 'b', '1')
    expect(run('DEL', 'a', 'zz', 'a')).toMatchObject({ events: ['g del a@0'], modified: ['a@0'], dirty: 1 })
    expect(run('UNLINK', 'b')).toMatchObject({ events: ['g del b@0'], dirty: 1 })
    expect(run('DEL', 'b')).toMatchObject({ events: [], modified: [], dirty: 0 })
  })

  it('RENAME / RENAMENX', () => {
    const { run } = setup()
    run('SET', 'a', '1')
    run('SET', 'b', '2')
    expect(run('RENAME', 'a', 'b')).toMatchObject({
      events: ['n new b@0', 'g rename_from a@0', 'g rename_to b@0'],
      modified: ['a@0', 'b@0'],
      dirty: 1,
    })
    expect(run('RENAME', 'b', 'b')).toMatchObject({ events: [], dirty: 0 })
    expect(run('RENAMENX', 'b', 'c')).toMatchObject({ events: ['n new c@0', 'g rename_from b@0', 'g rename_to c@0'] })
  })

  it('MOVE / COPY / SWAPDB', () => {
    const { run } = setup()
    run('SET', 'a', '1')
    expect(run('MOVE', 'a', '2')).toMatchObject({
      events: ['n new a@2', 'g move_from a@0', 'g move_to a@2'],
      modified: ['a@0', 'a@2'],
      dirty: 1,
    })
    run('SELECT', '2')
    expect(run('COPY', 'a', 'b', 'DB', '5')).toMatchObject({ events: ['n new b@5', 'g copy_to b@5'], modified: ['b@5'], dirty: 1 })
    expect(run('COPY', 'a', 'b', 'DB', '5')).toMatchObject({ events: [], dirty: 0 })
    expect(run('SWAPDB', '2', '5')).toMatchObject({ events: [], dirty: 1 })
    expect(run('SWAPDB', '3', '3')).toMatchObject({ dirty: 1 })
  })

  it('EXPIRE / PERSIST / past times', () => {
    const { run } = setup()
    run('SET', 'a', '1')
    expect(run('EXPIRE', 'a', '100')).toMatchObject({ events: ['g expire a@0'], modified: ['a@0'], dirty: 1 })
    expect(run('EXPIRE', 'a', '100', 'NX')).toMatchObject({ events: [], dirty: 0 })
    expect(run('PERSIST', 'a')).toMatchObject({ events: ['g persist a@0'], modified: ['a@0'], dirty: 1 })
    expect(run('PERSIST', 'a')).toMatchObject({ events: [], dirty: 0 })
    expect(run('PEXPIREAT', 'a', '1')).toMatchObject({ events: ['g del a@0'], modified: ['a@0'], dirty: 1 })
  })

  it('propagates EXPIRE as PEXPIREAT with the absolute time, a past time as DEL', () => {
    const { c, clock } = setup()
    c.call(['SET', 'a', '1'])
    c.call(['EXPIRE', 'a', '10', 'GT'])
    // GT against no TTL fails: argv untouched.
    expect(c.argv).toEqual(['EXPIRE', 'a', '10', 'GT'])
    c.call(['expire', 'a', '10'])
    expect(c.argv).toEqual(['PEXPIREAT', 'a', String(clock.nowMs() + 10_000)])
    c.call(['PEXPIREAT', 'a', '99999999999999', 'XX'])
    expect(c.argv).toEqual(['PEXPIREAT', 'a', '99999999999999', 'XX'])
    c.call(['PEXPIRE', 'a', '-1'])
    expect(c.argv).toEqual(['DEL', 'a'])
  })

  it('lazy expiry fires expired and signals the key', () => {
    const { run, clock } = setup()
    run('SET', 'a', '1')
    run('PEXPIRE', 'a', '10')
    clock.advance(11)
    expect(run('EXISTS', 'a')).toMatchObject({ events: ['x expired a@0', 'm keymiss a@0'], modified: ['a@0'], dirty: 0 })
  })

  it('FLUSHDB / FLUSHALL count removed keys (FLUSHALL one more) and signal the flush once, not per key', () => {
    const { run, server } = setup()
    const flushed: number[] = []
    server.hooks.flushed = (dbid) => flushed.push(dbid)
    run('SET', 'a', '1')
    run('SET', 'b', '1')
    expect(run('FLUSHDB')).toMatchObject({ events: [], dirty: 2, modified: [] })
    run('SET', 'a', '1')
    run('SELECT', '1')
    run('SET', 'c', '1')
    const r = run('FLUSHALL')
    expect(r.dirty).toBe(3)
    // signalFlushedDb touches watched keys (see the WATCH tests) and tells tracking once per flush.
    expect(r.modified).toEqual([])
    expect(flushed).toEqual([0, -1])
  })

  it('reads count keyspace hits and misses like Redis', () => {
    const { run, server } = setup()
    run('SET', 'a', '1')
    const s = server.stats
    const h = s.keyspaceHits
    const m = s.keyspaceMisses
    run('EXISTS', 'a', 'b')
    run('TYPE', 'a')
    run('TTL', 'b')
    run('OBJECT', 'ENCODING', 'a')
    run('TOUCH', 'a')
    run('COPY', 'a', 'x')
    // Write lookups (DEL, EXPIRE, RENAME, MOVE, PERSIST) do not count.
    run('EXPIRE', 'a', '100')
    run('PERSIST', 'zz')
    run('RENAME', 'a', 'q')
    expect([s.keyspaceHits - h, s.keyspaceMisses - m]).toEqual([5, 2])
  })

  it('TTL and EXPIRETIME round half up to whole seconds', () => {
    const { run, clock } = setup()
    run('SET', 'a', '1')
    const ttl = (ms: number): unknown => {
      run('PEXPIRE', 'a', String(ms))
      return (run('TTL', 'a').reply as { value: number }).value
    }
    expect([ttl(1499), ttl(1500), ttl(499), ttl(500), ttl(1)]).toEqual([1, 2, 0, 1, 0])
    const at = Math.floor(clock.nowMs() / 1000) * 1000 + 10_000
    run('PEXPIREAT', 'a', String(at + 499))
    expect(run('EXPIRETIME', 'a').reply).toEqual({ kind: 'integer', value: at / 1000 })
    run('PEXPIREAT', 'a', String(at + 500))
    expect(run('EXPIRETIME', 'a').reply).toEqual({ kind: 'integer', value: at / 1000 + 1 })
  })
})
