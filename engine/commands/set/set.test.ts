// Engine-side checks of the set commands that a differential test cannot see:
// what is propagated, server.dirty, trace events, and the SPOP / SRANDMEMBER
// strategies. Replies themselves are compared with redis-server in
// test/oracle/set.test.ts.
import { describe, expect, it } from 'vitest'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import { SeededRandom } from '../../server/random.ts'
import type { Reply } from '../../protocol/reply.ts'
import type { TraceEvent } from '../../introspect/events.ts'
import { MAX_RANDOM_PICKS, tooManyRandomPicks } from '../../server/errors.ts'

function setup(config: Record<string, string> = {}) {
  const server = createServer({ clock: new VirtualClock(), random: new SeededRandom(11), hashSeed: 3, config })
  const c = server.connect()
  const propagated: string[][] = []
  server.hooks.propagate = (_db, argv) => propagated.push(argv)
  const events: TraceEvent[] = []
  server.traceBus.subscribe((e) => events.push(e))
  const call = (...argv: string[]): Reply => c.call(argv) as Reply
  return { server, c, call, propagated, events }
}

const values = (r: Reply): string[] => {
  if (r.kind !== 'set' && r.kind !== 'array') throw new Error(`not a list: ${r.kind}`)
  return r.value.map((x) => (x as { value: string }).value)
}

describe('set commands (engine side)', () => {
  it('SADD / SREM count dirty by members changed', () => {
    const { server, call } = setup()
    const d0 = server.dirty
    expect(call('SADD', 's', '1', '2', '2', 'x')).toEqual({ kind: 'integer', value: 3 })
    expect(server.dirty - d0).toBe(3)
    call('SREM', 's', '1', 'nope', 'x')
    expect(server.dirty - d0).toBe(5)
    call('SREM', 's', 'nope')
    expect(server.dirty - d0).toBe(5)
  })

  it('SPOP without count propagates as SREM of the popped member', () => {
    const { c, call } = setup()
    call('SADD', 's', 'a', 'b', 'c')
    const r = call('SPOP', 's')
    expect(r.kind).toBe('bulk')
    expect(c.argv).toEqual(['SREM', 's', (r as { value: string }).value])
  })

  it('SPOP count >= size returns everything, deletes the key and propagates DEL', () => {
    const { server, c, call } = setup()
    call('SADD', 's', '3', '1', '2')
    const d0 = server.dirty
    expect(values(call('SPOP', 's', '10'))).toEqual(['1', '2', '3'])
    expect(c.argv).toEqual(['DEL', 's'])
    expect(server.dirty - d0).toBe(3)
    expect(call('EXISTS', 's')).toEqual({ kind: 'integer', value: 0 })
  })

  it('SPOP with a small count (CASE 2) pops distinct members, one SREM each', () => {
    const { server, call, propagated } = setup()
    call('SADD', 's', ...Array.from({ length: 30 }, (_, i) => `m${i}`))
    const d0 = server.dirty
    propagated.length = 0
    const popped = values(call('SPOP', 's', '4'))
    expect(new Set(popped).size).toBe(4)
    // The SREMs stand for the SPOP (not propagated itself), wrapped as one transaction.
    expect(propagated).toEqual([['MULTI'], ...popped.map((m) => ['SREM', 's', m]), ['EXEC']])
    expect(server.dirty - d0).toBe(4)
    expect(call('SCARD', 's')).toEqual({ kind: 'integer', value: 26 })
    for (const m of popped) expect(call('SISMEMBER', 's', m)).toEqual({ kind: 'integer', value: 0 })
  })

  it('SPOP with a count close to the size (CASE 3) keeps random survivors in a new set', () => {
    const { call, propagated } = setup()
    const all = Array.from({ length: 20 }, (_, i) => String(i * 3))
    call('SADD', 's', ...all)
    call('EXPIRE', 's', '100')
    propagated.length = 0
    const popped = values(call('SPOP', 's', '18'))
    // What is left of the old intset is replied in ascending order.
    expect(popped).toEqual([...popped].sort((a, b) => Number(a) - Number(b)))
    expect(propagated).toEqual([['MULTI'], ...popped.map((m) => ['SREM', 's', m]), ['EXEC']])
    const left = values(call('SMEMBERS', 's'))
    expect(left.length).toBe(2)
    expect(new Set([...left, ...popped])).toEqual(new Set(all))
    expect(call('OBJECT', 'ENCODING', 's')).toEqual({ kind: 'bulk', value: 'intset' })
    // dbOverwrite keeps the TTL.
    expect(call('TTL', 's')).toEqual({ kind: 'integer', value: 100 })
  })

  it('SRANDMEMBER covers its four cases', () => {
    const { call } = setup()
    const all = Array.from({ length: 30 }, (_, i) => `m${i}`)
    call('SADD', 's', ...all)
    const neg = values(call('SRANDMEMBER', 's', '-100'))
    expect(neg.length).toBe(100)
    for (const m of neg) expect(all).toContain(m)
    expect(values(call('SRANDMEMBER', 's', '30')).sort()).toEqual([...all].sort())
    for (const n of [1, 5, 11, 25, 29]) {
      const r = values(call('SRANDMEMBER', 's', String(n)))
      expect(r.length).toBe(n)
      expect(new Set(r).size).toBe(n)
      for (const m of r) expect(all).toContain(m)
    }
    expect(call('SCARD', 's')).toEqual({ kind: 'integer', value: 30 })
  })

  it('a repeated-picks reply too big to build is refused (Redis would stream it); other huge counts answer as Redis', () => {
    const { call } = setup()
    call('SADD', 's', 'a', 'b')
    const refused = tooManyRandomPicks('SRANDMEMBER')
    expect(call('SRANDMEMBER', 's', String(-MAX_RANDOM_PICKS - 1))).toEqual(refused)
    expect(call('SRANDMEMBER', 's', '-1099511627776')).toEqual(refused)
    expect(call('SRANDMEMBER', 's', '-9223372036854775807')).toEqual(refused)
    expect(values(call('SRANDMEMBER', 's', '1099511627776')).sort()).toEqual(['a', 'b'])
    expect(values(call('SRANDMEMBER', 'nokey', '-1099511627776'))).toEqual([])
    expect(call('SRANDMEMBER', 's', '-9223372036854775808')).toEqual({
      kind: 'error',
      value: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
    })
    // ZRANDMEMBER shares the limit.
    call('ZADD', 'z', '1', 'a')
    expect(call('ZRANDMEMBER', 'z', String(-MAX_RANDOM_PICKS - 1), 'WITHSCORES')).toEqual(tooManyRandomPicks('ZRANDMEMBER'))
    expect(values(call('ZRANDMEMBER', 'z', String(-MAX_RANDOM_PICKS)))).toHaveLength(MAX_RANDOM_PICKS)
  })

  it('conversions and width upgrades triggered by commands carry the key', () => {
    const { call, events } = setup({ 'set-max-intset-entries': '2' })
    call('SADD', 'a', '1', '100000')
    call('SMOVE', 'a', 'b', '100000')
    call('SADD', 'b', '-5000000000')
    call('SUNIONSTORE', 'd', 'a', 'b', 'a')
    call('SADD', 'd', '7')
    expect(events.filter((e) => e.type === 'intset-upgrade')).toEqual([
      { type: 'intset-upgrade', db: 0, key: 'a', from: 2, to: 4 },
      { type: 'intset-upgrade', db: 0, key: 'b', from: 2, to: 4 },
      { type: 'intset-upgrade', db: 0, key: 'b', from: 4, to: 8 },
      { type: 'intset-upgrade', db: 0, key: 'd', from: 2, to: 8 },
    ])
    expect(events.filter((e) => e.type === 'encoding-converted')).toEqual([
      { type: 'encoding-converted', db: 0, key: 'd', valueType: 'set', from: 'intset', to: 'hashtable', reason: '3rd member: set-max-intset-entries is 2' },
    ])
  })

  it('SDIFF picks algorithm 2 when probing every set would cost more', () => {
    const { call } = setup({ 'set-max-intset-entries': '4' })
    call('SADD', 'big', '1', '2', '3', '4', '5', '6')
    call('SADD', 'small', '3', '4', '5', '6')
    // Algorithm 1 (6 * 2 / 2 = 6 <= 6 + 4): only the 2 survivors are added: an intset.
    call('SDIFFSTORE', 'r1', 'big', 'small')
    expect(call('OBJECT', 'ENCODING', 'r1')).toEqual({ kind: 'bulk', value: 'intset' })
    // Algorithm 2 (6 * 5 / 2 = 15 > 6 + 4): the temporary set first holds all 6
    // members and turns into a hashtable, although the result would fit an intset.
    for (const m of ['3', '4', '5', '6']) call('SADD', `t${m}`, m)
    call('SDIFFSTORE', 'r2', 'big', 't3', 't4', 't5', 't6')
    expect(call('OBJECT', 'ENCODING', 'r2')).toEqual({ kind: 'bulk', value: 'hashtable' })
    expect(values(call('SMEMBERS', 'r2')).sort()).toEqual(['1', '2'])
  })
})
