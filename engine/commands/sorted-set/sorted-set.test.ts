// Engine-side checks of the sorted-set commands that a reply comparison cannot
// see: the propagated command vectors (ZMPOP, BZPOP*), the trace events the views
// draw (conversions, skiplist inserts and searches), blocked clients served and
// timed out under a virtual clock. (Replies are compared with a real
// redis-server in test/oracle/zset.test.ts.)
import { describe, expect, it } from 'vitest'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import type { Reply } from '../../protocol/reply.ts'
import type { TraceEvent } from '../../introspect/events.ts'

const T0 = 1_700_000_000_000

function setup() {
  const clock = new VirtualClock(T0)
  const server = createServer({ clock })
  const c = server.connect()
  const propagated: string[][] = []
  server.hooks.propagate = (_db, argv) => propagated.push(argv)
  const run = (...argv: string[]): Reply | undefined => c.call(argv)
  return { clock, server, c, run, propagated }
}

describe('propagated command vectors', () => {
  it('ZMPOP and BZPOP* with data replicate as ZPOPMIN/ZPOPMAX', () => {
    const { run, c } = setup()
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c')
    run('ZMPOP', '2', 'none', 'z', 'MAX', 'COUNT', '10')
    expect(c.argv).toEqual(['ZPOPMAX', 'z', '3'])
    run('ZADD', 'z', '1', 'a', '2', 'b')
    run('BZPOPMIN', 'none', 'z', '0')
    expect(c.argv).toEqual(['ZPOPMIN', 'z'])
    run('BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5')
    expect(c.argv).toEqual(['ZPOPMIN', 'z', '1'])
  })
})

describe('blocked clients', () => {
  it('are served in order when a zset appears, and time out with a null array', () => {
    const { server, clock, run, propagated } = setup()
    const c1 = server.connect()
    const c2 = server.connect()
    const late: Reply[][] = [[], []]
    c1.onUnblocked = (r) => late[0].push(r!)
    c2.onUnblocked = (r) => late[1].push(r!)
    expect(c1.call(['BZPOPMIN', 'q', '0'])).toBeUndefined()
    expect(c2.call(['BZMPOP', '1.5', '1', 'q', 'MAX', 'COUNT', '5'])).toBeUndefined()
    run('ZADD', 'q', '1', 'a')
    expect(late[0]).toEqual([{ kind: 'array', value: [{ kind: 'bulk', value: 'q' }, { kind: 'bulk', value: 'a' }, { kind: 'double', value: 1 }] }])
    expect(late[1]).toEqual([])
    expect(propagated).toContainEqual(['ZPOPMIN', 'q'])
    clock.advance(1600)
    server.cron()
    expect(late[1]).toEqual([{ kind: 'nullArray' }])
  })
})

describe('trace events', () => {
  it('conversions, skiplist inserts with their level, and search paths', () => {
    const { server, run } = setup()
    const events: TraceEvent[] = []
    server.traceBus.subscribe((e) => events.push(e))
    run('CONFIG', 'SET', 'zset-max-listpack-entries', '2')
    run('ZADD', 'z', '1', 'a', '2', 'b')
    expect(events.filter((e) => e.type === 'encoding-converted')).toEqual([])
    run('ZADD', 'z', '3', 'c')
    expect(events.filter((e) => e.type === 'encoding-converted')).toEqual([
      { type: 'encoding-converted', db: 0, key: 'z', valueType: 'zset', from: 'listpack', to: 'skiplist', reason: '3rd member: zset-max-listpack-entries is 2' },
    ])
    const inserts = events.filter((e) => e.type === 'skiplist-insert')
    expect(inserts).toHaveLength(1)
    expect(inserts[0]).toMatchObject({ key: 'z', member: 'c', score: 3 })
    events.length = 0
    run('ZSCORE', 'z', 'b')
    run('ZRANK', 'z', 'c')
    run('ZRANGE', 'z', '1', '2')
    run('ZRANGEBYSCORE', 'z', '2', '3')
    run('ZCOUNT', 'z', '2', '3')
    expect(events.filter((e) => e.type === 'skiplist-search').map((e) => (e as { op: string }).op)).toEqual([
      'zscore', 'zrank', 'zrange', 'zrangebyscore', 'zcount',
    ])
    events.length = 0
    // A score change that keeps the node in place is no insert; one that moves it is.
    run('ZADD', 'z', '1.5', 'a')
    expect(events.filter((e) => e.type === 'skiplist-insert')).toEqual([])
    run('ZADD', 'z', '10', 'a')
    expect(events.filter((e) => e.type === 'skiplist-insert')).toMatchObject([{ member: 'a', score: 10 }])
    events.length = 0
    run('ZUNIONSTORE', 'u', '1', 'z')
    expect(events.filter((e) => e.type === 'encoding-converted')).toEqual([])
    run('CONFIG', 'SET', 'zset-max-listpack-entries', '128')
    run('ZUNIONSTORE', 'u2', '1', 'z')
    expect(events.filter((e) => e.type === 'encoding-converted')).toMatchObject([{ key: 'u2', from: 'skiplist', to: 'listpack' }])
  })
})
