// MULTI/EXEC/WATCH state that the oracle cannot see: the watched-keys
// registry, cleanup on disconnect, expiry with a virtual clock, the expired-
// at-WATCH-time cases of touchWatchedKey / touchAllWatchedKeysInDb, and the
// accounting of commands run by EXEC.
import { describe, expect, it } from 'vitest'
import { createServer } from './server.ts'
import { VirtualClock } from './clock.ts'
import type { Reply } from '../protocol/reply.ts'
import { watchedKeyCount, watchersOf } from './multi.ts'

function setup(config?: Record<string, string>) {
  const clock = new VirtualClock()
  // Active expiry off: these tests decide when keys are deleted.
  const server = createServer({ clock, hashSeed: 7, config: { 'active-expire-enabled': 'no', ...config } })
  const a = server.connect()
  const b = server.connect()
  return { clock, server, a, b }
}

const ok: Reply = { kind: 'status', value: 'OK' }
const queued: Reply = { kind: 'status', value: 'QUEUED' }

describe('MULTI / EXEC', () => {
  it('queues, then runs the queue and answers an array', () => {
    const { a } = setup()
    expect(a.call(['MULTI'])).toEqual(ok)
    expect(a.call(['SET', 'k', '1'])).toEqual(queued)
    expect(a.call(['INCR', 'k'])).toEqual(queued)
    expect(a.multi.queue.map((q) => q.cmd.fullName)).toEqual(['set', 'incr'])
    expect(a.call(['EXEC'])).toEqual({ kind: 'array', value: [ok, { kind: 'integer', value: 2 }] })
    expect(a.multi.inMulti).toBe(false)
    expect(a.multi.queue).toEqual([])
  })

  it('an error while queueing aborts EXEC and queues nothing more', () => {
    const { a } = setup()
    a.call(['MULTI'])
    a.call(['SET', 'k', '1'])
    expect(a.call(['SET', 'k'])).toEqual({ kind: 'error', value: "ERR wrong number of arguments for 'set' command" })
    expect(a.multi.dirtyExec).toBe(true)
    expect(a.call(['SET', 'x', '1'])).toEqual(queued)
    expect(a.multi.queue).toHaveLength(1)
    expect(a.call(['EXEC'])).toEqual({ kind: 'error', value: 'EXECABORT Transaction discarded because of previous errors.' })
    expect(a.call(['GET', 'k'])).toEqual({ kind: 'null' })
  })

  it('EXEC rejected by processCommand reports why and discards', () => {
    const { a } = setup()
    a.call(['WATCH', 'w'])
    a.call(['MULTI'])
    expect(a.call(['EXEC', 'x'])).toEqual({
      kind: 'error',
      value: "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command",
    })
    expect(a.multi.inMulti).toBe(false)
    expect(a.multi.watched).toEqual([])
  })

  it('counts commands when EXEC runs them, and EXEC once, failed only for its own errors', () => {
    const { server, a } = setup()
    a.call(['SET', 's', 'x'])
    a.call(['MULTI'])
    a.call(['INCR', 's'])
    a.call(['INCR', 's'])
    const incr = server.commands.byName('incr')!
    const exec = server.commands.byName('exec')!
    expect(incr.stats.calls).toBe(0)
    const r = a.call(['EXEC'])
    expect(r?.kind).toBe('array')
    expect(incr.stats).toMatchObject({ calls: 2, failedCalls: 2 })
    expect(exec.stats).toMatchObject({ calls: 1, failedCalls: 0 })
    a.call(['EXEC'])
    expect(exec.stats).toMatchObject({ calls: 2, failedCalls: 1 })
    expect(server.errorStats.get('ERR')).toBe(3)
  })

  it('commands inside EXEC see the time EXEC started', () => {
    const { clock, server, a } = setup()
    a.call(['MULTI'])
    a.call(['PING'])
    a.call(['PING'])
    const seen: number[] = []
    const ping = server.commands.byName('ping')!
    const run = ping.run!
    Object.defineProperty(ping, 'run', {
      value: (c: typeof a, argv: string[]) => {
        clock.advance(5)
        seen.push(server.commandTimeMs())
        return run(c, argv)
      },
    })
    const start = clock.nowMs()
    a.call(['EXEC'])
    expect(seen).toEqual([start, start])
    Object.defineProperty(ping, 'run', { value: run })
  })
})

describe('WATCH', () => {
  it('keeps one registry entry per key and db, and forgets it on UNWATCH', () => {
    const { server, a, b } = setup()
    const db0 = server.dbs[0]
    a.call(['WATCH', 'k', 'k', 'j'])
    b.call(['WATCH', 'k'])
    expect(a.multi.watched.map((w) => w.key)).toEqual(['k', 'j'])
    expect(watchersOf(db0, 'k')).toEqual([a, b])
    a.call(['SELECT', '1'])
    a.call(['WATCH', 'k'])
    expect(watchedKeyCount(server.dbs[1])).toBe(1)
    a.call(['UNWATCH'])
    expect(watchersOf(db0, 'k')).toEqual([b])
    expect(watchedKeyCount(db0)).toBe(1)
    expect(watchedKeyCount(server.dbs[1])).toBe(0)
  })

  it('a write by another client makes EXEC answer a null array and unwatches', () => {
    const { server, a, b } = setup()
    a.call(['WATCH', 'k'])
    b.call(['SET', 'k', '1'])
    expect(a.multi.dirtyCas).toBe(true)
    expect(watchedKeyCount(server.dbs[0])).toBe(0)
    a.call(['MULTI'])
    a.call(['SET', 'k', '2'])
    expect(a.multi.queue).toEqual([])
    expect(a.call(['EXEC'])).toEqual({ kind: 'nullArray' })
    expect(b.call(['GET', 'k'])).toEqual({ kind: 'bulk', value: '1' })
  })

  it('a watched key that expires makes EXEC fail', () => {
    const { clock, a } = setup()
    a.call(['SET', 'k', 'v', 'PX', '100'])
    a.call(['WATCH', 'k'])
    a.call(['MULTI'])
    a.call(['PING'])
    clock.advance(200)
    expect(a.call(['EXEC'])).toEqual({ kind: 'nullArray' })
  })

  it('a key already expired at WATCH time: its lazy deletion is no change, a new value is', () => {
    const { clock, a, b } = setup()
    a.call(['SET', 'k', 'v', 'PX', '100'])
    clock.advance(200)
    a.call(['WATCH', 'k'])
    expect(a.multi.watched[0].expired).toBe(true)
    // GET deletes the expired key: no logical change for the watcher.
    expect(b.call(['GET', 'k'])).toEqual({ kind: 'null' })
    expect(a.multi.dirtyCas).toBe(false)
    expect(a.multi.watched[0].expired).toBe(false)
    b.call(['SET', 'k', 'new'])
    expect(a.multi.dirtyCas).toBe(true)
  })

  it('FLUSHDB touches existing watched keys only; an expired one just lapses', () => {
    const { clock, a, b } = setup()
    const c = a.server.connect()
    a.call(['SET', 'x', '1'])
    b.call(['SET', 'e', '1', 'PX', '10'])
    clock.advance(20)
    a.call(['WATCH', 'x'])
    b.call(['WATCH', 'e'])
    c.call(['WATCH', 'missing'])
    a.call(['FLUSHDB'])
    expect(a.multi.dirtyCas).toBe(true)
    expect(b.multi.dirtyCas).toBe(false)
    expect(b.multi.watched[0].expired).toBe(false)
    expect(c.multi.dirtyCas).toBe(false)
  })

  it('SWAPDB: a missing key replaced by an expired one is flagged expired, not dirty', () => {
    const { clock, a, b } = setup()
    b.call(['SELECT', '1'])
    b.call(['SET', 'k', '1', 'PX', '10'])
    clock.advance(20)
    a.call(['WATCH', 'k'])
    b.call(['SWAPDB', '0', '1'])
    expect(a.multi.dirtyCas).toBe(false)
    expect(a.multi.watched[0].expired).toBe(true)
    a.call(['MULTI'])
    expect(a.call(['EXEC'])).toEqual({ kind: 'array', value: [] })
  })

  it('WATCH inside MULTI is refused but does not abort; a dirty client skips new watches', () => {
    const { a, b } = setup()
    a.call(['MULTI'])
    expect(a.call(['WATCH', 'k'])).toEqual({ kind: 'error', value: 'ERR WATCH inside MULTI is not allowed' })
    expect(a.call(['EXEC'])).toEqual({ kind: 'array', value: [] })
    a.call(['WATCH', 'k'])
    b.call(['SET', 'k', '1'])
    a.call(['WATCH', 'j'])
    expect(a.multi.watched).toEqual([])
  })
})

describe('disconnect', () => {
  it('a client that disconnects mid-MULTI leaves no state behind', () => {
    const { server, a, b } = setup()
    a.call(['WATCH', 'k', 'j'])
    a.call(['SELECT', '2'])
    a.call(['WATCH', 'k'])
    a.call(['MULTI'])
    a.call(['SET', 'k', '1'])
    b.call(['WATCH', 'k'])
    a.close()
    expect(a.multi.inMulti).toBe(false)
    expect(a.multi.queue).toEqual([])
    expect(a.multi.watched).toEqual([])
    expect(watchersOf(server.dbs[0], 'k')).toEqual([b])
    expect(watchedKeyCount(server.dbs[0])).toBe(1)
    expect(watchedKeyCount(server.dbs[2])).toBe(0)
    // The queued SET never ran, and writes no longer reach the closed client.
    expect(b.call(['EXISTS', 'k'])).toEqual({ kind: 'integer', value: 0 })
    b.call(['SET', 'j', '1'])
    expect(a.multi.dirtyCas).toBe(false)
  })
})

describe('EXEC output order', () => {
  it('pushes sent while the queue runs stay in order with the replies', () => {
    const { a } = setup()
    const pushes: Reply[] = []
    const onPush = (r: Reply): void => {
      pushes.push(r)
    }
    a.onPush = onPush
    a.call(['MULTI'])
    a.call(['SUBSCRIBE', 'ch'])
    a.call(['PUBLISH', 'ch', 'hi'])
    const r = a.call(['EXEC'])
    // Header counts 2 commands: [subscribe confirmation, message], then PUBLISH's reply.
    expect(pushes).toHaveLength(1)
    const header = pushes[0]
    expect(header.kind).toBe('array')
    if (header.kind === 'array') expect(header.value.map((x) => x.kind)).toEqual(['push', 'push'])
    expect(r).toEqual({ kind: 'integer', value: 1 })
    // The host's push channel is back in place.
    expect(a.onPush).toBe(onPush)
  })
})
