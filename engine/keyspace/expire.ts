// The active expire cycle (expire.c activeExpireCycle, Redis 7.0): each cron tick
// walks the expires table bucket by bucket, sampling up to 20 keys per db per
// loop and deleting the expired ones, repeating on a db while more than 10 % of
// the sampled keys were stale, within a CPU budget (25 % of a tick when slow).

import type { Db } from './db.ts'

export interface ExpireCycleState {
  /** The previous cycle stopped because it hit its time limit. */
  timelimitExit: boolean
  /** Start of the last fast cycle, in µs. */
  lastFastCycleUs: number
  /** The next db to visit. */
  currentDb?: number
}

/** What the cycle needs from the server. */
export interface ExpireHost {
  readonly dbs: readonly Db[]
  readonly expireState: ExpireCycleState
  readonly stats: { expiredTimeCapReachedCount: number; expiredStalePerc: number; expireCycleCpuMs: number }
  readonly clock: { nowMs(): number; nowUs(): number }
  readonly config: { num(name: string): number }
  effectiveHz(): number
  /** latencyAddSampleIfNeeded for an event, in ms. */
  latencySample(event: string, ms: number): void
}

const KEYS_PER_LOOP = 20 // ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP
const FAST_DURATION_US = 1000 // ACTIVE_EXPIRE_CYCLE_FAST_DURATION
const SLOW_TIME_PERC = 25 // ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC
const ACCEPTABLE_STALE = 10 // ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE
const CRON_DBS_PER_CALL = 16
const DICT_HT_INITIAL_SIZE = 4

export function activeExpireCycle(host: ExpireHost, type: 'slow' | 'fast'): void {
  const st = host.expireState
  const effort = host.config.num('active-expire-effort') - 1
  const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort
  const fastDuration = FAST_DURATION_US + (FAST_DURATION_US / 4) * effort
  const slowTimePerc = SLOW_TIME_PERC + 2 * effort
  const acceptableStale = ACCEPTABLE_STALE - effort

  const start = host.clock.nowUs()
  if (type === 'fast') {
    if (!st.timelimitExit && host.stats.expiredStalePerc < acceptableStale) return
    if (start < st.lastFastCycleUs + fastDuration * 2) return
    st.lastFastCycleUs = start
  }

  const dbnum = host.dbs.length
  let dbsPerCall = CRON_DBS_PER_CALL
  if (dbsPerCall > dbnum || st.timelimitExit) dbsPerCall = dbnum

  let timelimit = Math.trunc((slowTimePerc * 1_000_000) / host.effectiveHz() / 100)
  st.timelimitExit = false
  if (timelimit <= 0) timelimit = 1
  if (type === 'fast') timelimit = fastDuration

  let totalSampled = 0
  let totalExpired = 0
  let iteration = 0

  for (let j = 0; j < dbsPerCall && !st.timelimitExit; j++) {
    const current = st.currentDb ?? 0
    const db = host.dbs[current % dbnum]
    st.currentDb = current + 1
    let expired: number
    let sampled: number
    do {
      iteration++
      let num = db.expires.size
      if (num === 0) {
        db.avgTtl = 0
        break
      }
      const slots = db.expires.slots
      const now = host.clock.nowMs()
      // Too sparse a table makes sampling expensive: wait for it to shrink.
      if (slots > DICT_HT_INITIAL_SIZE && Math.floor((num * 100) / slots) < 1) break

      expired = 0
      sampled = 0
      let ttlSum = 0
      let ttlSamples = 0
      if (num > keysPerLoop) num = keysPerLoop
      const maxBuckets = num * 20
      let checkedBuckets = 0

      while (sampled < num && checkedBuckets < maxBuckets) {
        for (const table of [0, 1] as const) {
          if (table === 1 && !db.expires.isRehashing) break
          // The cursor is unbounded; only its bits under the table mask count.
          const idx = db.expiresCursor % db.expires.tableSize(table)
          checkedBuckets++
          // bucket() copies the chain, so deleting entries while walking it is safe.
          for (const { key, value } of db.expires.bucket(table, idx)) {
            const when = Number(value)
            const ttl = when - now
            if (now > when) {
              db.deleteExpired(key)
              expired++
            }
            if (ttl > 0) {
              ttlSum += ttl
              ttlSamples++
            }
            sampled++
          }
        }
        db.expiresCursor++
      }
      totalExpired += expired
      totalSampled += sampled

      if (ttlSamples) {
        const avgTtl = Math.trunc(ttlSum / ttlSamples)
        if (db.avgTtl === 0) db.avgTtl = avgTtl
        db.avgTtl = Math.trunc(db.avgTtl / 50) * 49 + Math.trunc(avgTtl / 50)
      }

      if ((iteration & 0xf) === 0) {
        const elapsed = host.clock.nowUs() - start
        if (elapsed > timelimit) {
          st.timelimitExit = true
          host.stats.expiredTimeCapReachedCount++
          break
        }
      }
    } while (sampled === 0 || Math.floor((expired * 100) / sampled) > acceptableStale)
  }

  const elapsed = host.clock.nowUs() - start
  host.stats.expireCycleCpuMs += elapsed / 1000
  host.latencySample('expire-cycle', Math.floor(elapsed / 1000))
  const currentPerc = totalSampled ? totalExpired / totalSampled : 0
  host.stats.expiredStalePerc = currentPerc * 0.05 + host.stats.expiredStalePerc * 0.95
}
