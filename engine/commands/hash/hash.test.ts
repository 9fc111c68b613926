// Engine-side checks of the hash commands that a reply cannot show: the
// keyspace events fired, server.dirty, the propagated argv of HINCRBYFLOAT,
// and conversion trace events naming their key. Replies themselves are
// compared with redis-server in test/oracle/hash.test.ts.
import { describe, expect, it } from 'vitest'
import { createServer, type Server } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import type { Client } from '../../server/client.ts'
import type { Reply } from '../../protocol/reply.ts'
import type { TraceEvent } from '../../introspect/events.ts'
import { MAX_RANDOM_PICKS, tooManyRandomPicks } from '../../server/errors.ts'

interface Setup {
  s: Server
  c: Client
  events: string[]
  run: (...argv: string[]) => Reply | undefined
}

function setup(): Setup {
  const s = createServer({ clock: new VirtualClock(), hashSeed: 1 })
  const c = s.connect()
  const events: string[] = []
  s.hooks.keyspaceEvent = (flag, event, key, db) => events.push(`${flag}:${event}:${key}@${db}`)
  return { s, c, events, run: (...argv) => c.call(argv) }
}

const values = (r: Reply | undefined): string[] =>
  r !== undefined && (r.kind === 'array' || r.kind === 'map')
    ? r.value.map((x) => (x.kind === 'bulk' ? x.value : x.kind === 'array' ? x.value.map((y) => (y.kind === 'bulk' ? y.value : '?')).join('=') : '?'))
    : []

describe('hash commands: events, dirty, propagation', () => {
  it('HSET / HMSET / HSETNX fire hset (and new for a new key); dirty counts pairs', () => {
    const { s, events, run } = setup()
    const d0 = s.dirty
    expect(run('HSET', 'h', 'a', '1', 'b', '2', 'a', '3')).toEqual({ kind: 'integer', value: 2 })
    expect(s.dirty - d0).toBe(3)
    expect(events).toEqual(['n:new:h@0', 'h:hset:h@0'])
    events.length = 0
    expect(run('HMSET', 'h', 'c', '1')).toEqual({ kind: 'status', value: 'OK' })
    expect(run('HSETNX', 'h', 'a', 'x')).toEqual({ kind: 'integer', value: 0 })
    expect(run('HSETNX', 'h', 'z', 'x')).toEqual({ kind: 'integer', value: 1 })
    expect(events).toEqual(['h:hset:h@0', 'h:hset:h@0'])
    expect(s.dirty - d0).toBe(5)
    // An odd pair count is refused before the key is created.
    events.length = 0
    expect(run('HSET', 'nokey', 'a')).toEqual({ kind: 'error', value: "ERR wrong number of arguments for 'hset' command" })
    expect(events).toEqual([])
    expect(run('EXISTS', 'nokey')).toEqual({ kind: 'integer', value: 0 })
  })

  it('HDEL fires hdel, then del when the last field goes; nothing when nothing was deleted', () => {
    const { s, events, run } = setup()
    run('HSET', 'h', 'a', '1', 'b', '2')
    events.length = 0
    const d0 = s.dirty
    expect(run('HDEL', 'h', 'zz')).toEqual({ kind: 'integer', value: 0 })
    expect(events).toEqual([])
    expect(run('HDEL', 'h', 'a', 'b', 'c')).toEqual({ kind: 'integer', value: 2 })
    expect(events).toEqual(['h:hdel:h@0', 'g:del:h@0'])
    expect(s.dirty - d0).toBe(2)
    expect(run('EXISTS', 'h')).toEqual({ kind: 'integer', value: 0 })
  })

  it('HINCRBY / HINCRBYFLOAT fire their events; HINCRBYFLOAT propagates as HSET', () => {
    const { s, c, events, run } = setup()
    expect(run('HINCRBY', 'h', 'n', '5')).toEqual({ kind: 'integer', value: 5 })
    expect(run('HINCRBY', 'h', 'n', '-9223372036854775808')).toEqual({ kind: 'integer', value: -9223372036854775803n })
    expect(run('HINCRBYFLOAT', 'h', 'f', '0.1')).toEqual({ kind: 'bulk', value: '0.1' })
    expect(c.argv).toEqual(['HSET', 'h', 'f', '0.1'])
    expect(run('HINCRBYFLOAT', 'h', 'f', '1e2')).toEqual({ kind: 'bulk', value: '100.1' })
    expect(c.argv).toEqual(['HSET', 'h', 'f', '100.1'])
    expect(events).toEqual(['n:new:h@0', 'h:hincrby:h@0', 'h:hincrby:h@0', 'h:hincrbyfloat:h@0', 'h:hincrbyfloat:h@0'])
    const d0 = s.dirty
    events.length = 0
    // Failures change nothing and fire nothing.
    expect(run('HINCRBY', 'h', 'n', '-1')).toEqual({ kind: 'integer', value: -9223372036854775804n })
    expect(run('HINCRBY', 'h', 'n', '-9223372036854775807')?.kind).toBe('error')
    expect(run('HINCRBYFLOAT', 'h', 'n', 'inf')).toEqual({ kind: 'error', value: 'ERR value is NaN or Infinity' })
    expect(run('HSET', 'h', 's', 'abc')).toEqual({ kind: 'integer', value: 1 })
    expect(run('HINCRBYFLOAT', 'h', 's', '1')).toEqual({ kind: 'error', value: 'ERR hash value is not a float' })
    expect(run('HINCRBY', 'h', 's', '1')).toEqual({ kind: 'error', value: 'ERR hash value is not an integer' })
    expect(events).toEqual(['h:hincrby:h@0', 'h:hset:h@0'])
    expect(s.dirty - d0).toBe(2)
  })

  it('conversion trace events name the db and key and the threshold', () => {
    const { s, run } = setup()
    const trace: TraceEvent[] = []
    s.traceBus.subscribe((e) => trace.push(e))
    run('SELECT', '2')
    run('HSET', 'big', 'f', 'x'.repeat(70))
    run('CONFIG', 'SET', 'hash-max-listpack-entries', '1')
    run('HSET', 'two', 'a', '1', 'b', '2')
    run('CONFIG', 'SET', 'hash-max-listpack-entries', '512')
    run('HINCRBY', 'inc', 'f'.repeat(65), '1')
    const conv = trace.filter((e) => e.type === 'encoding-converted')
    expect(conv).toEqual([
      { type: 'encoding-converted', db: 2, key: 'big', valueType: 'hash', from: 'listpack', to: 'hashtable', reason: 'value of 70 bytes: hash-max-listpack-value is 64' },
      { type: 'encoding-converted', db: 2, key: 'two', valueType: 'hash', from: 'listpack', to: 'hashtable', reason: '2nd field: hash-max-listpack-entries is 1' },
      { type: 'encoding-converted', db: 2, key: 'inc', valueType: 'hash', from: 'listpack', to: 'hashtable', reason: 'field of 65 bytes: hash-max-listpack-value is 64' },
    ])
  })
})

describe('HRANDFIELD strategies', () => {
  for (const enc of ['listpack', 'hashtable'] as const) {
    it(`${enc}: every count gives members, distinct when positive`, () => {
      const { run } = setup()
      if (enc === 'hashtable') run('CONFIG', 'SET', 'hash-max-listpack-entries', '0')
      const args: string[] = []
      for (let i = 0; i < 30; i++) args.push(`f${i}`, `v${i}`)
      run('HSET', 'h', ...args)
      expect(run('OBJECT', 'ENCODING', 'h')).toEqual({ kind: 'bulk', value: enc })
      // count >= size: the whole hash in iteration order, like HKEYS.
      expect(values(run('HRANDFIELD', 'h', '30'))).toEqual(values(run('HKEYS', 'h')))
      for (const n of [1, 2, 9, 10, 11, 29]) {
        const picks = values(run('HRANDFIELD', 'h', String(n), 'WITHVALUES'))
        expect(picks.length).toBe(2 * n)
        const fields = picks.filter((_, i) => i % 2 === 0)
        expect(new Set(fields).size).toBe(n)
        for (let i = 0; i < picks.length; i += 2) expect(picks[i + 1]).toBe(`v${picks[i].slice(1)}`)
      }
      const neg = values(run('HRANDFIELD', 'h', '-2500'))
      expect(neg.length).toBe(2500)
      expect(new Set(neg).size).toBe(30) // 2500 draws over 30 fields hit them all
    })
  }

  it('refuses a repeated-picks reply too big to build (Redis would try and exhaust memory)', () => {
    const { run } = setup()
    run('HSET', 'h', 'a', '1')
    const refused = tooManyRandomPicks('HRANDFIELD')
    expect(run('HRANDFIELD', 'h', String(-MAX_RANDOM_PICKS - 1))).toEqual(refused)
    expect(run('HRANDFIELD', 'h', '-2147483648', 'WITHVALUES')).toEqual(refused)
    expect(run('HRANDFIELD', 'h', '-9223372036854775807')).toEqual(refused)
    expect(run('HRANDFIELD', 'nokey', '-67108865')).toEqual({ kind: 'array', value: [] })
    // A huge positive count is just the whole hash.
    expect(values(run('HRANDFIELD', 'h', '9223372036854775807'))).toEqual(['a'])
  })

  it('RESP3 WITHVALUES replies pairs', () => {
    const { run } = setup()
    run('HELLO', '3')
    run('HSET', 'h', 'a', '1')
    expect(values(run('HRANDFIELD', 'h', '-2', 'WITHVALUES'))).toEqual(['a=1', 'a=1'])
    expect(values(run('HRANDFIELD', 'h', '2', 'WITHVALUES'))).toEqual(['a=1'])
  })
})
