// Propagation with a virtual clock, where absolute times are exact: what the
// hook receives for writes, rewrites, transactions, lazy and active expiry,
// blocked clients served later, forced and prevented propagation, targets.
// The byte-level comparison with a real redis-server is test/oracle/propagation.test.ts.
import { describe, expect, it } from 'vitest'
import { createServer } from './server.ts'
import { VirtualClock } from './clock.ts'
import { PROPAGATE_AOF, PROPAGATE_BOTH, PROPAGATE_REPL } from './propagation.ts'

interface Op {
  dbid: number
  argv: string[]
  target: number
}

function setup(withHook = true, config?: Record<string, string>) {
  const clock = new VirtualClock(1_700_000_000_000)
  const server = createServer({ clock, hashSeed: 7, config: { 'active-expire-enabled': 'no', save: '', ...config } })
  const ops: Op[] = []
  if (withHook) server.hooks.propagate = (dbid, argv, target) => ops.push({ dbid, argv: [...argv], target })
  const c = server.connect()
  const take = (): string[] => ops.splice(0).map((o) => `${o.dbid}:${o.argv.join(' ')}`)
  return { clock, server, c, ops, take }
}

describe('call() propagation', () => {
  it('propagates writes that changed the dataset, nothing for reads or no-op writes', () => {
    const { c, take } = setup()
    c.call(['SET', 'k', 'v'])
    c.call(['GET', 'k'])
    c.call(['SET', 'k', 'w', 'NX'])
    c.call(['DEL', 'nope'])
    c.call(['INCR', 'k'])
    c.call(['LPUSH', 'l', 'a'])
    expect(take()).toEqual(['0:SET k v', '0:LPUSH l a'])
  })

  it('propagates the rewritten argv: relative times made absolute from the command time', () => {
    const { c, clock, take } = setup()
    const now = clock.nowMs()
    c.call(['SET', 'a', '1', 'EX', '10'])
    c.call(['SETEX', 'b', '5', 'v'])
    c.call(['EXPIRE', 'a', '100', 'NX'])
    c.call(['EXPIRE', 'a', '100', 'XX'])
    c.call(['GETEX', 'a', 'PX', '500'])
    c.call(['INCRBYFLOAT', 'n', '1.5'])
    c.call(['HINCRBYFLOAT', 'h', 'f', '2'])
    c.call(['GETSET', 'a', 'z'])
    c.call(['EXPIRE', 'a', '-1'])
    expect(take()).toEqual([
      `0:SET a 1 PXAT ${now + 10_000}`,
      `0:SET b v PXAT ${now + 5000}`,
      `0:PEXPIREAT a ${now + 100_000} XX`,
      `0:PEXPIREAT a ${now + 500}`,
      '0:SET n 1.5 KEEPTTL',
      '0:HSET h f 2',
      '0:SET a z',
      '0:DEL a',
    ])
  })

  it('MULTI/EXEC: one write goes alone, several are wrapped, reads only give nothing; SELECT inside keeps each db', () => {
    const { c, take } = setup()
    for (const argv of [['MULTI'], ['SET', 'a', '1'], ['GET', 'a'], ['EXEC']]) c.call(argv)
    expect(take()).toEqual(['0:SET a 1'])
    for (const argv of [['MULTI'], ['GET', 'a'], ['EXEC']]) c.call(argv)
    expect(take()).toEqual([])
    for (const argv of [['MULTI'], ['SET', 'a', '2'], ['SELECT', '3'], ['INCR', 'x'], ['EXEC']]) c.call(argv)
    expect(take()).toEqual(['0:MULTI', '0:SET a 2', '3:INCR x', '3:EXEC'])
  })

  it('a write that meets an expired key: the DEL and the write, wrapped', () => {
    const { c, clock, take } = setup()
    c.call(['SET', 'k', '1', 'PX', '10'])
    take()
    clock.advance(20)
    c.call(['SET', 'k', '2'])
    expect(take()).toEqual(['0:MULTI', '0:DEL k', '0:SET k 2', '0:EXEC'])
    c.call(['SET', 'r', '1', 'PX', '10'])
    c.call(['SET', 's', '1', 'PX', '10'])
    take()
    clock.advance(20)
    // RANDOMKEY touches arbitrary keys: its deletions are not wrapped.
    c.call(['RANDOMKEY'])
    expect(take().sort()).toEqual(['0:DEL r', '0:DEL s'])
  })

  it('lazyfree-lazy-expire makes expiry deletions UNLINK', () => {
    const { c, clock, take } = setup(true, { 'lazyfree-lazy-expire': 'yes' })
    c.call(['SET', 'k', '1', 'PX', '10'])
    take()
    clock.advance(20)
    c.call(['GET', 'k'])
    expect(take()).toEqual(['0:UNLINK k'])
  })

  it('active expiry: the cycle deletions go out at its end, never wrapped', () => {
    const { server, c, clock, take } = setup()
    c.call(['SET', 'a', '1', 'PX', '10'])
    c.call(['SET', 'b', '1', 'PX', '10'])
    take()
    clock.advance(20)
    server.config.apply('active-expire-enabled', 'yes')
    server.cron()
    expect(take().sort()).toEqual(['0:DEL a', '0:DEL b'])
  })

  it('SPOP with a count: one SREM per member, wrapped, and not the SPOP; the whole set is a DEL', () => {
    const { c, take } = setup()
    c.call(['SADD', 's', 'a', 'b', 'c', 'd'])
    take()
    c.call(['SPOP', 's', '2'])
    const got = take()
    expect(got[0]).toBe('0:MULTI')
    expect(got.slice(1, 3).every((op) => op.startsWith('0:SREM s '))).toBe(true)
    expect(got.slice(3)).toEqual(['0:EXEC'])
    c.call(['SPOP', 's', '10'])
    expect(take()).toEqual(['0:DEL s'])
  })

  it('FLUSHALL / FLUSHDB are propagated even when there was nothing to flush', () => {
    const { c, take } = setup()
    c.call(['FLUSHALL'])
    c.call(['FLUSHDB'])
    expect(take()).toEqual(['0:FLUSHALL', '0:FLUSHDB'])
  })

  it('PUBLISH targets replicas only: never the AOF hook, but it counts for MULTI/EXEC when replicas exist', () => {
    const { server, c, ops, take } = setup()
    c.call(['PUBLISH', 'ch', 'm'])
    expect(take()).toEqual([])
    server.propagation.replicas = true
    for (const argv of [['MULTI'], ['PUBLISH', 'ch', 'm'], ['SET', 'a', '1'], ['EXEC']]) c.call(argv)
    expect(ops.map((o) => o.target)).toEqual([PROPAGATE_BOTH, PROPAGATE_BOTH, PROPAGATE_BOTH])
    expect(take()).toEqual(['0:MULTI', '0:SET a 1', '0:EXEC'])
  })

  it('blocked clients served later: each served client is a unit of its own', () => {
    const { server, c, take } = setup()
    const w1 = server.connect()
    const w2 = server.connect()
    expect(w1.call(['BLPOP', 'l', '0'])).toBeUndefined()
    expect(w2.call(['BLMOVE', 'l', 'd', 'RIGHT', 'LEFT', '0'])).toBeUndefined()
    c.call(['RPUSH', 'l', 'a', 'b'])
    expect(take()).toEqual(['0:RPUSH l a b', '0:LPOP l', '0:LMOVE l d right left'])
  })

  it('no hook: nothing is gathered', () => {
    const { server, c } = setup(false)
    for (const argv of [['SET', 'a', '1'], ['MULTI'], ['SET', 'b', '1'], ['INCR', 'c'], ['EXEC'], ['SADD', 's', '1', '2', '3'], ['SPOP', 's', '2']]) {
      c.call(argv)
    }
    expect(server.propagation.pending).toEqual([])
    expect(server.propagation.core).toBe(false)
    expect(server.propagation.nested).toBe(0)
  })

  it('alsoPropagate outside any execution unit goes out at once; inside a unit it waits for the end', () => {
    const { server, take } = setup()
    server.propagate(2, ['DEL', 'x'])
    expect(take()).toEqual(['2:DEL x'])
    const p = server.propagation
    p.unit(() => {
      server.propagate(1, ['DEL', 'y'])
      server.propagate(1, ['DEL', 'z'], PROPAGATE_AOF)
      expect(take()).toEqual([])
    })
    expect(take()).toEqual(['1:MULTI', '1:DEL y', '1:DEL z', '1:EXEC'])
    server.propagate(1, ['X'], PROPAGATE_REPL)
    expect(take()).toEqual([])
  })

  it('a command that throws leaves the state clean for the next one', () => {
    const { server, c, take } = setup()
    // A command implementation with a bug, swapped in for GET.
    const cmd = server.commands.lookup(['get'])! as { run?: (...a: never[]) => unknown }
    const run = cmd.run
    cmd.run = () => {
      server.propagate(0, ['DEL', 'half'])
      throw new Error('boom')
    }
    try {
      expect(() => c.call(['GET', 'x'])).toThrow('boom')
    } finally {
      cmd.run = run
    }
    expect(server.propagation.core).toBe(false)
    expect(server.propagation.nested).toBe(0)
    c.call(['SET', 'a', '1'])
    expect(take()).toEqual(['0:SET a 1'])
  })
})
