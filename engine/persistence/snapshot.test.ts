import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import type { Reply } from '../protocol/reply.ts'
import type { TraceEvent } from '../introspect/events.ts'
import { genInfoString } from '../server/info.ts'
import { rdbLoadBytes } from './rdb.ts'
import { MISCONF_ERROR, attachPersistence, persistence } from './snapshot.ts'
import { MemoryStorage } from './storage.ts'
import { snapshot } from './test-dataset.ts'

const T0 = 1_700_000_000_000

function setup(config: Record<string, string> = {}) {
  const clock = new VirtualClock(T0)
  const server = createServer({ clock, config: { 'enable-debug-command': 'yes', save: '', ...config } })
  const storage = new MemoryStorage()
  const logs: string[] = []
  attachPersistence(server, { storage, log: (_l, m) => logs.push(m), pid: 100 })
  const c = server.connect()
  const r = (...argv: string[]): Reply => c.call(argv)!
  const info = (field: string): string => {
    const m = new RegExp(`^${field}:(.*)\\r$`, 'm').exec(genInfoString(server, ['persistence', 'stats']))
    return m ? m[1] : ''
  }
  const fresh = () => createServer({ clock, config: { save: '' } })
  return { server, clock, storage, logs, c, r, info, fresh }
}

const ok = { kind: 'status', value: 'OK' }

describe('SAVE / LASTSAVE', () => {
  it('writes dump.rdb through a temp file, resets the dirty counter and the last save time', () => {
    const t = setup()
    t.r('SET', 'a', '1')
    t.r('RPUSH', 'l', 'x', 'y')
    expect(t.info('rdb_changes_since_last_save')).toBe('3') // RPUSH counts each element
    t.clock.advance(3000)
    expect(t.r('SAVE')).toEqual(ok)
    expect(t.storage.list()).toEqual(['dump.rdb'])
    expect(t.info('rdb_changes_since_last_save')).toBe('0')
    expect(t.r('LASTSAVE')).toEqual({ kind: 'integer', value: T0 / 1000 + 3 })
    expect(t.logs).toContain('DB saved on disk')
    const s2 = t.fresh()
    rdbLoadBytes(s2, t.storage.read('dump.rdb')!)
    expect(snapshot(s2)).toEqual(snapshot(t.server))
  })

  it('answers a bare ERR when the storage fails, and keeps no temp file', () => {
    const t = setup()
    t.r('SET', 'a', '1')
    t.storage.capacity = 10
    expect(t.r('SAVE')).toEqual({ kind: 'error', value: 'ERR' })
    expect(t.info('rdb_saves')).toBe('1')
    expect(t.storage.list()).toEqual([])
    expect(t.logs).toContain('Write error saving DB on disk: No space left on device')
  })
})

describe('BGSAVE: the simulated fork', () => {
  it('saves the data as it was at fork time while writes go on, counting copied pages', () => {
    const t = setup({ 'rdb-key-save-delay': '1000' })
    for (let i = 0; i < 200; i++) t.r('SET', `k${i}`, `v${i}`)
    t.r('RPUSH', 'list', 'a', 'b')
    t.r('HSET', 'h', 'f', 'v')
    const before = snapshot(t.server)
    const dirtyAtFork = t.server.dirty
    const events: TraceEvent[] = []
    t.server.traceBus.subscribe((e) => events.push(e))
    expect(t.r('BGSAVE')).toEqual({ kind: 'status', value: 'Background saving started' })
    expect(t.logs).toContain('Background saving started by pid 101')
    expect(t.info('rdb_bgsave_in_progress')).toBe('1')
    expect(t.r('BGSAVE')).toEqual({ kind: 'error', value: 'ERR Background save already in progress' })
    expect(t.r('SAVE')).toEqual({ kind: 'error', value: 'ERR Background save already in progress' })
    // 1 ms per key: 50 keys after 50 ms.
    t.clock.advance(50)
    t.server.cron()
    expect(t.info('current_save_keys_processed')).toBe('50')
    expect(t.info('current_save_keys_total')).toBe('202')
    expect(t.info('current_fork_perc')).toBe('24.75')
    // Writes while the child runs: in-place changes, deletes, new keys.
    for (let i = 0; i < 200; i += 2) t.r('APPEND', `k${i}`, '-changed')
    t.r('RPUSH', 'list', 'c')
    t.r('HSET', 'h', 'g', 'w')
    t.r('DEL', 'k1', 'k3')
    t.r('SET', 'new', 'x')
    const cow = Number(t.info('current_cow_size'))
    expect(cow).toBeGreaterThan(0)
    expect(cow % 4096).toBe(0)
    expect(events.some((e) => e.type === 'snapshot-page-copied')).toBe(true)
    const dirtyAfterWrites = t.server.dirty
    for (let i = 0; i < 10 && t.info('rdb_bgsave_in_progress') === '1'; i++) {
      t.clock.advance(100)
      t.server.cron()
    }
    expect(t.info('rdb_bgsave_in_progress')).toBe('0')
    expect(t.info('rdb_last_bgsave_status')).toBe('ok')
    expect(t.info('rdb_last_cow_size')).toBe(String(cow))
    expect(t.info('rdb_saves')).toBe('1') // BGSAVE attempts; SAVE attempts count too
    expect(t.info('total_forks')).toBe('1')
    expect(t.logs).toContain('Background saving terminated with success')
    // Changes made after the fork are still unsaved.
    expect(t.server.dirty).toBe(dirtyAfterWrites - dirtyAtFork)
    expect(t.storage.list()).toEqual(['dump.rdb'])
    const s2 = t.fresh()
    rdbLoadBytes(s2, t.storage.read('dump.rdb')!)
    expect(snapshot(s2)).toEqual(before)
    expect(events.map((e) => e.type)).toContain('snapshot-fork')
    expect(events.map((e) => e.type)).toContain('snapshot-progress')
    expect(events.at(-1)).toMatchObject({ type: 'snapshot-done', ok: true, keys: 202, cowBytes: cow })
  })

  it('without a delay completes at the next cron tick (virtual clock)', () => {
    const t = setup()
    t.r('SET', 'a', '1')
    t.r('BGSAVE')
    t.server.cron()
    expect(t.info('rdb_bgsave_in_progress')).toBe('0')
    expect(t.storage.read('dump.rdb')).not.toBeNull()
  })

  it('BGSAVE inside MULTI is scheduled and runs from the cron; a bad argument is a syntax error', () => {
    const t = setup()
    t.r('SET', 'a', '1')
    expect(t.r('BGSAVE', 'foo')).toEqual({ kind: 'error', value: 'ERR syntax error' })
    t.r('MULTI')
    t.r('BGSAVE')
    const exec = t.r('EXEC') as unknown as { value: Reply[] }
    expect(exec.value[0]).toEqual({ kind: 'status', value: 'Background saving scheduled' })
    t.server.cron() // starts it
    t.server.cron() // finishes it
    expect(t.storage.read('dump.rdb')).not.toBeNull()
  })
})

describe('save points, failures and MISCONF', () => {
  it('starts a BGSAVE when N changes happened in M seconds', () => {
    const t = setup({ save: '10 2' })
    t.r('SET', 'a', '1')
    t.clock.advance(11_000)
    t.server.cron()
    expect(t.storage.read('dump.rdb')).toBeNull()
    t.r('SET', 'b', '1')
    t.server.cron()
    expect(t.logs).toContain('2 changes in 10 seconds. Saving...')
    t.server.cron()
    expect(t.storage.read('dump.rdb')).not.toBeNull()
    expect(t.server.dirty).toBe(0)
  })

  it('a failed BGSAVE denies writes (and PING) with MISCONF until a save works; retried after 5 s', () => {
    const t = setup({ save: '1 1' })
    t.r('SET', 'a', '1')
    t.storage.capacity = 0
    t.clock.advance(2000)
    t.server.cron()
    t.server.cron()
    expect(t.logs).toContain('Background saving error')
    expect(t.info('rdb_last_bgsave_status')).toBe('err')
    expect(t.r('SET', 'b', '1')).toEqual({ kind: 'error', value: MISCONF_ERROR })
    expect(t.r('PING')).toEqual({ kind: 'error', value: MISCONF_ERROR })
    expect(t.r('GET', 'a')).toEqual({ kind: 'bulk', value: '1' })
    // A queued write is refused at queue time, and EXEC then aborts.
    t.r('MULTI')
    expect(t.r('SET', 'b', '1')).toEqual({ kind: 'error', value: MISCONF_ERROR })
    t.r('DISCARD')
    t.storage.capacity = Infinity
    // No retry within the 5 s delay...
    t.clock.advance(3000)
    t.server.cron()
    expect(t.storage.read('dump.rdb')).toBeNull()
    // ...then it works and writes are allowed again.
    t.clock.advance(3000)
    t.server.cron()
    t.server.cron()
    expect(t.storage.read('dump.rdb')).not.toBeNull()
    expect(t.r('SET', 'b', '1')).toEqual(ok)
    // stop-writes-on-bgsave-error no: never denied.
    t.storage.capacity = 0
    t.r('BGSAVE')
    t.server.cron()
    expect(t.info('rdb_last_bgsave_status')).toBe('err')
    t.r('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no')
    expect(t.r('SET', 'c', '1')).toEqual(ok)
  })
})

describe('DEBUG RELOAD and SHUTDOWN', () => {
  it('DEBUG RELOAD saves, flushes and loads back the same data', () => {
    const t = setup()
    t.r('SET', 'a', '1')
    t.r('ZADD', 'z', '1', 'm')
    t.r('SET', 'ttl', 'v', 'EX', '100')
    const before = snapshot(t.server)
    expect(t.r('DEBUG', 'RELOAD')).toEqual(ok)
    expect(snapshot(t.server)).toEqual(before)
    expect(t.logs).toContain('DB reloaded by DEBUG RELOAD')
    expect(t.r('DEBUG', 'RELOAD', 'BAD')).toEqual({ kind: 'error', value: 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.' })
    // A corrupt file is refused.
    const f = t.storage.read('dump.rdb')!
    f[f.length - 1] ^= 0xff
    t.storage.write('dump.rdb', f)
    expect(t.r('DEBUG', 'RELOAD', 'NOSAVE')).toEqual({ kind: 'error', value: 'ERR Error trying to load the RDB dump, check server logs.' })
    expect(t.logs.some((l) => l.startsWith('Wrong RDB checksum expected'))).toBe(true)
  })

  it('SHUTDOWN saves when save points are set, NOSAVE skips it, a failed save keeps the server up unless FORCE', () => {
    const a = setup({ save: '3600 1' })
    a.r('SET', 'a', '1')
    a.storage.capacity = 0
    expect(a.r('SHUTDOWN')).toEqual({ kind: 'error', value: 'ERR Errors trying to SHUTDOWN. Check logs.' })
    expect(a.server.shuttingDown).toBe(false)
    expect(a.r('SHUTDOWN', 'FORCE')).toBeUndefined()
    expect(a.server.shuttingDown).toBe(true)
    const b = setup({ save: '3600 1' })
    b.r('SET', 'a', '1')
    b.c.call(['SHUTDOWN'])
    expect(b.storage.read('dump.rdb')).not.toBeNull()
    expect(b.logs).toContain('Saving the final RDB snapshot before exiting.')
    const c = setup({ save: '3600 1' })
    c.c.call(['SHUTDOWN', 'NOSAVE'])
    expect(c.storage.read('dump.rdb')).toBeNull()
    const d = setup()
    d.c.call(['SHUTDOWN', 'SAVE'])
    expect(d.storage.read('dump.rdb')).not.toBeNull()
  })
})

describe('persistence state', () => {
  it('uses in-memory storage when no host attached one', () => {
    const server = createServer({ clock: new VirtualClock(T0), config: { save: '' } })
    const c = server.connect()
    c.call(['SET', 'a', '1'])
    expect(c.call(['SAVE'])).toEqual(ok)
    expect(persistence(server).storage.read('dump.rdb')).not.toBeNull()
  })
})
