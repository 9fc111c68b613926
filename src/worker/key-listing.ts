// The key browser's view of a database (issue 6): a SCAN-like walk of the
// keyspace dict and per-key metadata, read from the side so that the server
// does not notice. Unlike the SCAN command (db.c scanGenericCommand) nothing
// here counts keyspace hits or misses, touches an LRU/LFU field, deletes an
// expired key, takes a rehash step, or shows in MONITOR, INFO commandstats or
// the slowlog: it is not a command, and both dicts keep their rehashing paused
// while they are read.

import type { Server } from '../../engine/server/server.ts'
import type { Db, ExpireTime } from '../../engine/keyspace/db.ts'
import type { RObj } from '../../engine/keyspace/object.ts'
import { keyMemoryUsage } from '../../engine/keyspace/memory.ts'
import { globMatch } from '../../engine/structures/glob.ts'

/** One key as the browser lists it. */
export interface KeyInfo {
  /** The key, a byte string. */
  name: string
  type: string
  encoding: string
  /** Remaining time to live in ms when read, -1 without a TTL. */
  ttlMs: number
  /** Absolute expire time (unix ms, the engine's clock), -1 without a TTL. */
  expiresAt: number
}

/** KeyInfo plus MEMORY USAGE (default sampling, as the command). */
export interface KeyMeta extends KeyInfo {
  memoryUsage: number
}

export interface KeyScanOptions {
  /** MATCH pattern (Redis glob, byte string); "*" or undefined lists everything. */
  match?: string
  /** TYPE filter: string, list, set, zset, hash, stream (case-insensitive). */
  type?: string
  /** Keys to aim for per call, like SCAN's COUNT (default 10, at least 1). */
  count?: number
}

export interface KeyScanResult {
  /** Next cursor; 0 when the walk is complete. */
  cursor: number
  keys: KeyInfo[]
  /** DBSIZE: keys in the db, including expired ones not yet deleted (as DBSIZE counts them). */
  dbSize: number
}

function dbOf(server: Server, db: number): Db | undefined {
  return Number.isInteger(db) ? server.dbs[db] : undefined
}

/** The expire time without a rehash step on the expires dict (caller pauses it). */
function expireOf(db: Db, key: string): number {
  if (db.expires.size === 0) return -1
  const t: ExpireTime | undefined = db.expires.get(key)
  return t === undefined ? -1 : Number(t)
}

/** keyIsExpired against the wall clock: there is no current command to take the time of. */
function expired(server: Server, when: number, now: number): boolean {
  return when >= 0 && !server.isLoading() && now > when
}

function info(key: string, o: RObj, when: number, now: number): KeyInfo {
  return { name: key, type: o.type, encoding: o.encoding, ttlMs: when < 0 ? -1 : Math.max(0, when - now), expiresAt: when }
}

/** Run fn with both dicts of a db unable to take a rehash step. */
function paused<T>(db: Db, fn: () => T): T {
  const { dict, expires } = db
  dict.pauseRehashing()
  expires.pauseRehashing()
  try {
    return fn()
  } finally {
    dict.resumeRehashing()
    expires.resumeRehashing()
  }
}

/**
 * One SCAN step over database `dbIndex` from `cursor` (the dict's reverse-binary
 * cursor, so the usual guarantee holds: a key present for the whole walk is
 * returned at least once). Visits buckets until `count` keys were collected,
 * the walk ended or count*10 more buckets were tried, then filters by pattern
 * and type. Keys whose TTL has passed are left out but not deleted.
 */
export function scanKeys(server: Server, dbIndex: number, cursor: number, opts: KeyScanOptions = {}): KeyScanResult {
  const db = dbOf(server, dbIndex)
  if (db === undefined) return { cursor: 0, keys: [], dbSize: 0 }
  const count = Math.max(1, Math.floor(opts.count ?? 10))
  const pattern = opts.match === undefined || opts.match === '*' ? undefined : opts.match
  const type = opts.type?.toLowerCase()
  const now = server.clock.nowMs()
  const keys: KeyInfo[] = []
  let seen = 0
  let cur = cursor >>> 0
  paused(db, () => {
    let budget = count * 10
    do {
      cur = db.dict.scan(cur, (key, o) => {
        seen++
        if (pattern !== undefined && !globMatch(pattern, key)) return
        if (type !== undefined && o.type !== type) return
        const when = expireOf(db, key)
        if (expired(server, when, now)) return
        keys.push(info(key, o, when, now))
      })
    } while (cur !== 0 && budget-- !== 0 && seen < count)
  })
  return { cursor: cur, keys, dbSize: db.size }
}

/** Type, encoding, TTL and MEMORY USAGE of one key, or null when it does not exist (or has expired). */
export function keyMeta(server: Server, dbIndex: number, key: string): KeyMeta | null {
  const db = dbOf(server, dbIndex)
  if (db === undefined) return null
  const now = server.clock.nowMs()
  return paused(db, () => {
    const o = db.dict.get(key)
    if (o === undefined) return null
    const when = expireOf(db, key)
    if (expired(server, when, now)) return null
    return { ...info(key, o, when, now), memoryUsage: keyMemoryUsage(key, o) }
  })
}

/** KeyInfo for several keys at once (live updates after a burst of writes); null for missing ones. */
export function keysInfo(server: Server, dbIndex: number, names: readonly string[]): (KeyInfo | null)[] {
  const db = dbOf(server, dbIndex)
  if (db === undefined) return names.map(() => null)
  const now = server.clock.nowMs()
  return paused(db, () =>
    names.map((key) => {
      const o = db.dict.get(key)
      if (o === undefined) return null
      const when = expireOf(db, key)
      return expired(server, when, now) ? null : info(key, o, when, now)
    }),
  )
}

/** DBSIZE of a database without running the command (0 for a db that does not exist). */
export function dbSize(server: Server, dbIndex: number): number {
  return dbOf(server, dbIndex)?.size ?? 0
}
