// The active expire cycle (expire.c activeExpireCycle) driven by server.cron()
// with a virtual clock: reclaiming expired keys nobody touches, the sampling
// constants of redis-7.0-facts.md §4, the time limit, and the avg_ttl estimate.
import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock, type Clock } from '../server/clock.ts'
import type { Db } from './db.ts'
import { activeExpireCycle } from './expire.ts'

const T0 = 1_700_000_000_000

function setup(config: Record<string, string> = {}, clock: Clock = new VirtualClock(T0)) {
  const server = createServer({ clock, hashSeed: 42, config })
  const c = server.connect()
  return { server, c }
}

/** Adds `n` keys named prefix0.. with a TTL of ttlMs (none when undefined). */
function fill(c: ReturnType<typeof setup>['c'], prefix: string, n: number, ttlMs?: number): void {
  for (let i = 0; i < n; i++) {
    c.call(['SET', `${prefix}${i}`, 'v'])
    if (ttlMs !== undefined) c.call(['PEXPIRE', `${prefix}${i}`, String(ttlMs)])
  }
}

/**
 * How far one sampling loop moves the expire cursor when nothing has expired:
 * whole buckets from `cursor` on until at least `perLoop` keys were seen (or
 * perLoop*20 buckets were checked), as activeExpireCycle walks them.
 */
function bucketsForOneLoop(db: Db, cursor: number, perLoop: number): number {
  const size = db.expires.tableSize(0)
  let sampled = 0
  let checked = 0
  let steps = 0
  while (sampled < perLoop && checked < perLoop * 20) {
    sampled += db.expires.bucket(0, (cursor + steps) % size).length
    checked++
    steps++
  }
  return steps
}

describe('active expire cycle', () => {
  it('reclaims every expired key without any access, keeps the live ones', () => {
    const clock = new VirtualClock(T0)
    const { server, c } = setup({}, clock)
    fill(c, 'short:', 5000, 1000)
    fill(c, 'long:', 2000, 3_600_000)
    fill(c, 'plain:', 1000)
    clock.advance(1001)
    // Still all there: expired, but nothing looked at them.
    expect(server.dbs[0].size).toBe(8000)
    let ticks = 0
    while (server.dbs[0].size > 3000 && ticks < 100) {
      server.cron()
      clock.advance(100)
      ticks++
    }
    expect(server.dbs[0].size).toBe(3000)
    expect(server.stats.expiredKeys).toBe(5000)
    expect(server.dbs[0].expires.size).toBe(2000)
    for (const k of server.dbs[0].dict.keys()) expect(k.startsWith('short:')).toBe(false)
    // The stale-key estimate moves towards what the cycles saw.
    expect(server.stats.expiredStalePerc).toBeGreaterThan(0)
  })

  it('samples 20 keys per loop and stops when at most 10 % of them had expired', () => {
    const clock = new VirtualClock(T0)
    // No cron rehashing, so the cycle walks one settled table.
    const { server, c } = setup({ activerehashing: 'no' }, clock)
    fill(c, 'k', 1000, 3_600_000)
    const db = server.dbs[0]
    expect(db.expires.isRehashing).toBe(false)
    const expected = bucketsForOneLoop(db, 0, 20)
    server.cron()
    // Nothing expired: exactly one sampling loop in db 0.
    expect(db.expiresCursor).toBe(expected)
    server.cron()
    expect(db.expiresCursor).toBe(expected + bucketsForOneLoop(db, expected, 20))
  })

  it('active-expire-effort scales keys per loop (20 + 5 * (effort - 1))', () => {
    const clock = new VirtualClock(T0)
    const { server, c } = setup({ 'active-expire-effort': '10', activerehashing: 'no' }, clock)
    fill(c, 'k', 1000, 3_600_000)
    const db = server.dbs[0]
    expect(db.expires.isRehashing).toBe(false)
    const expected = bucketsForOneLoop(db, 0, 65)
    server.cron()
    expect(db.expiresCursor).toBe(expected)
  })

  it('repeats on a db while more than 10 % of a sample was stale', () => {
    const clock = new VirtualClock(T0)
    const { server, c } = setup({}, clock)
    // All keys stale: the loop keeps going until the table is under 1 % full.
    fill(c, 'k', 1000, 10)
    clock.advance(11)
    server.cron()
    const db = server.dbs[0]
    expect(db.expires.size).toBeLessThan(1000 * 0.05)
    expect(db.expires.size * 100).toBeLessThan(db.expires.slots)
    // Then the cron's resize shrinks the table and the next ticks finish.
    for (let i = 0; i < 5; i++) server.cron()
    expect(db.size).toBe(0)
    expect(server.stats.expiredKeys).toBe(1000)
  })

  it('estimates avg_ttl as a running average of sampled TTLs', () => {
    const clock = new VirtualClock(T0)
    const { server, c } = setup({}, clock)
    fill(c, 'k', 100, 3_600_000)
    const db = server.dbs[0]
    server.cron()
    // First estimate = the sample mean (then 49/50 old + 1/50 new, in integers).
    expect(db.avgTtl).toBe(3_600_000)
    clock.advance(1000)
    server.cron()
    expect(db.avgTtl).toBe(Math.trunc(3_600_000 / 50) * 49 + Math.trunc(3_599_000 / 50))
    // Empty expires table: the estimate resets.
    c.call(['FLUSHALL'])
    c.call(['SET', 'x', 'y'])
    server.cron()
    expect(db.avgTtl).toBe(0)
  })

  it('stops at its time budget (25 % of a tick) and then scans every db next time', () => {
    // A clock that moves 1 ms whenever it is read: the cycle runs out of time
    // (25 ms at hz 10, checked every 16 sampling loops).
    let us = T0 * 1000
    const ticking: Clock = {
      nowMs: () => Math.floor((us += 1000) / 1000),
      nowUs: () => (us += 1000),
    }
    const { server, c } = setup({}, ticking)
    fill(c, 'k', 3000, 100_000)
    us += 200_000_000
    const db = server.dbs[0]
    activeExpireCycle(server, 'slow')
    expect(server.expireState.timelimitExit).toBe(true)
    expect(server.stats.expiredTimeCapReachedCount).toBe(1)
    expect(db.size).toBeGreaterThan(0)
    expect(db.size).toBeLessThan(3000)
    let guard = 0
    while (db.size > 0 && guard++ < 1000) server.cron()
    expect(db.size).toBe(0)
  })

  it('records an expire-cycle latency event past latency-monitor-threshold', () => {
    // A clock that moves 1 ms per read makes the cycle take tens of ms.
    let us = T0 * 1000
    const ticking: Clock = {
      nowMs: () => Math.floor((us += 1000) / 1000),
      nowUs: () => (us += 1000),
    }
    const { server, c } = setup({ 'latency-monitor-threshold': '5' }, ticking)
    fill(c, 'k', 500, 100_000)
    us += 200_000_000
    expect(c.call(['LATENCY', 'LATEST'])).toEqual({ kind: 'array', value: [] })
    activeExpireCycle(server, 'slow')
    const latest = c.call(['LATENCY', 'LATEST'])
    const events =
      latest?.kind === 'array'
        ? latest.value.map((e) => (e.kind === 'array' && e.value[0].kind === 'bulk' ? e.value[0].value : ''))
        : []
    expect(events).toContain('expire-cycle')
  })

  it('does nothing when disabled (DEBUG SET-ACTIVE-EXPIRE 0)', () => {
    const clock = new VirtualClock(T0)
    const { server, c } = setup({ 'active-expire-enabled': 'no' }, clock)
    fill(c, 'k', 100, 1)
    clock.advance(2)
    for (let i = 0; i < 10; i++) server.cron()
    expect(server.dbs[0].size).toBe(100)
  })
})
