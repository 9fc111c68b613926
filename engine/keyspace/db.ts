// One database (Redis's redisDb): the main keyspace and the expires table, both
// real dicts, with lazy expiry on access (db.c lookupKey / expireIfNeeded).

import { Dict, type DictOptions, type ResizePolicy } from '../structures/dict.ts'
import { createSipHasher, type Hasher } from '../structures/siphash.ts'
import type { RObj } from './object.ts'
import type { Keyspace } from './keyspace.ts'

/** Flags for lookups, like Redis's LOOKUP_* */
export const LOOKUP_NONE = 0
/** Don't update the LRU/LFU field (OBJECT, TYPE-like peeks, DEBUG). */
export const LOOKUP_NOTOUCH = 1
/** Don't fire the key-miss event (hits/misses are still counted, as in Redis). */
export const LOOKUP_NONOTIFY = 2
/** Don't delete an expired key (still reported as missing). */
export const LOOKUP_NOEXPIRE = 4
/** A write lookup: no hit/miss accounting, no key-miss event. */
export const LOOKUP_WRITE = 8
/** Don't count keyspace hits/misses (Redis's LOOKUP_NOSTATS). */
export const LOOKUP_NOSTATS = 16

/**
 * Absolute expire time in unix ms. Kept as a number; only a time beyond
 * Number.MAX_SAFE_INTEGER (some 285,000 years away, but EXPIREAT accepts up to
 * 2^63-1) is kept as an exact bigint so TTL/PEXPIRETIME print what was set.
 */
export type ExpireTime = number | bigint

// One hash function per seed: Redis has one SipHash key per process, shared by
// every dict. The 32-bit seed is stretched to SipHash's 16-byte key.
const hashers = new Map<number, Hasher>()
function hasherFor(seed: number): Hasher {
  let h = hashers.get(seed)
  if (h === undefined) {
    const key = new Uint8Array(16)
    let s = seed >>> 0
    for (let i = 0; i < 16; i += 4) {
      // splitmix32 step
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      z = (z ^ (z >>> 16)) >>> 0
      key[i] = z & 0xff
      key[i + 1] = (z >>> 8) & 0xff
      key[i + 2] = (z >>> 16) & 0xff
      key[i + 3] = z >>> 24
    }
    h = createSipHasher(key)
    if (hashers.size < 64) hashers.set(seed, h)
  }
  return h
}

// Redis's dict_can_resize is a process global: here one policy object per
// server (keyspace), shared by all of its databases' dicts.
const policies = new WeakMap<Keyspace, ResizePolicy>()

/** The resize policy shared by a server's keyspace dicts (set avoidResize while a fork child runs). */
export function keyspaceResizePolicy(ks: Keyspace): ResizePolicy {
  let p = policies.get(ks)
  if (p === undefined) {
    p = { avoidResize: false }
    policies.set(ks, p)
  }
  return p
}

/**
 * Options for every dict of a server: the keyspace's and those inside hash,
 * set and zset values share one hash seed and one resize policy, as in Redis.
 */
export function keyspaceDictOptions(ks: Pick<Keyspace, 'hashSeed'>): DictOptions {
  return { hash: hasherFor(ks.hashSeed), policy: keyspaceResizePolicy(ks as Keyspace) }
}

export class Db {
  /** The keyspace. Swapped wholesale with another db's by SWAPDB (swapWith). */
  dict: Dict<string, RObj>
  /** key -> absolute unix time in ms (see ExpireTime). Swapped by SWAPDB. */
  expires: Dict<string, ExpireTime>
  /** Average TTL estimate of keys sampled by the active expire cycle (INFO keyspace avg_ttl). */
  avgTtl = 0
  /** Where the active expire cycle's scan of this db resumes. */
  expiresCursor = 0

  constructor(
    readonly id: number,
    private readonly ks: Keyspace,
  ) {
    const opts = keyspaceDictOptions(ks)
    this.dict = new Dict<string, RObj>(opts)
    this.expires = new Dict<string, ExpireTime>(opts)
  }

  get size(): number {
    return this.dict.size
  }

  /**
   * Look a key up, expiring it first if its time has passed (lookupKey). Updates
   * the access clock unless told not to, and counts hits and misses for reads.
   */
  lookup(key: string, flags = LOOKUP_NONE): RObj | undefined {
    let o = this.dict.get(key)
    if (o !== undefined && this.expires.size > 0 && this.expireIfNeeded(key, (flags & LOOKUP_NOEXPIRE) !== 0)) {
      o = undefined
    }
    if (o !== undefined) {
      if ((flags & LOOKUP_NOTOUCH) === 0 && !this.ks.hasActiveChild()) this.ks.touchObject(o)
      if ((flags & (LOOKUP_NOSTATS | LOOKUP_WRITE)) === 0) this.ks.stats.keyspaceHits++
    } else {
      if ((flags & (LOOKUP_NONOTIFY | LOOKUP_WRITE)) === 0) this.ks.notify('m', 'keymiss', key, this.id)
      if ((flags & (LOOKUP_NOSTATS | LOOKUP_WRITE)) === 0) this.ks.stats.keyspaceMisses++
    }
    return o
  }

  lookupRead(key: string): RObj | undefined {
    return this.lookup(key, LOOKUP_NONE)
  }

  lookupWrite(key: string): RObj | undefined {
    return this.lookup(key, LOOKUP_WRITE)
  }

  /** True when the key exists (after lazy expiry), without touching it or counting. */
  exists(key: string): boolean {
    return this.lookup(key, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY | LOOKUP_NOSTATS) !== undefined
  }

  /**
   * Add a key that must not exist (dbAdd), firing the 'new' event. A new
   * object gets its access clock set here (Redis sets it in createObject);
   * pass keepAccess for an object that already lived in a db (RENAME, MOVE).
   */
  add(key: string, o: RObj, keepAccess = false): void {
    if (!keepAccess) this.ks.initAccess(o)
    this.dict.set(key, o)
    this.ks.keyAdded?.(this, key, o)
    this.ks.notify('n', 'new', key, this.id)
    if (this.ks.traceBus.active) this.ks.trace({ type: 'key-written', db: this.id, key })
  }

  /**
   * Replace the value of an existing key, keeping its TTL (dbOverwrite). Under
   * an LFU policy the new value inherits the old one's counter (dbSetValue).
   */
  overwrite(key: string, o: RObj): void {
    const entry = this.dict.getEntry(key)
    this.ks.initAccess(o)
    if (entry !== undefined && lfuPolicy(this.ks)) o.lru = entry.value.lru
    if (entry !== undefined) entry.value = o
    else this.dict.set(key, o)
    if (this.ks.traceBus.active) this.ks.trace({ type: 'key-written', db: this.id, key })
  }

  /**
   * Add or replace a key (setKey). Unless keepTtl, an existing TTL is removed.
   * Signals the modification (WATCH, tracking). Like Redis, it looks the key up
   * for writing (which touches the old value) unless the caller already did and
   * says whether it was `found` (SETKEY_ALREADY_EXIST / SETKEY_DOESNT_EXIST).
   */
  setKey(key: string, o: RObj, keepTtl = false, found?: boolean): void {
    const exists = found ?? this.lookup(key, LOOKUP_WRITE) !== undefined
    if (!exists) this.add(key, o)
    else this.overwrite(key, o)
    if (!keepTtl && this.expires.size > 0) this.expires.delete(key)
    this.ks.signalModifiedKey(this, key)
  }

  /** Remove a key and its TTL (dbSyncDelete). Returns whether it existed. */
  delete(key: string): boolean {
    // Like Redis 7.0's dbGenericDelete: the expires entry goes first.
    if (this.expires.size > 0) this.expires.delete(key)
    const existed = this.dict.delete(key)
    if (existed && this.ks.traceBus.active) this.ks.trace({ type: 'key-deleted', db: this.id, key })
    return existed
  }

  /**
   * Absolute expire time in ms, or -1 when the key has none. A time beyond
   * 2^53 comes back rounded (use getExpireExact to print it).
   */
  getExpire(key: string): number {
    if (this.expires.size === 0) return -1
    const t = this.expires.get(key)
    return t === undefined ? -1 : Number(t)
  }

  /** getExpire, exact: the absolute time in ms as a bigint, or -1n. */
  getExpireExact(key: string): bigint {
    if (this.expires.size === 0) return -1n
    const t = this.expires.get(key)
    return t === undefined ? -1n : BigInt(t)
  }

  /** setExpire: the key must exist. `whenMs` is an integer (bigint for times beyond 2^53). */
  setExpire(key: string, whenMs: number | bigint): void {
    // Redis finds the key in the main dict first (one rehash step there too).
    this.dict.getEntry(key)
    let when: ExpireTime = whenMs
    if (typeof when === 'bigint' && when >= BigInt(Number.MIN_SAFE_INTEGER) && when <= BigInt(Number.MAX_SAFE_INTEGER)) {
      when = Number(when)
    }
    this.expires.set(key, when)
    if (this.ks.traceBus.active) this.ks.trace({ type: 'key-ttl-changed', db: this.id, key, expiresAt: Number(when) })
  }

  /** Remove a TTL. Returns whether there was one. */
  removeExpire(key: string): boolean {
    const had = this.expires.delete(key)
    if (had && this.ks.traceBus.active) this.ks.trace({ type: 'key-ttl-changed', db: this.id, key, expiresAt: -1 })
    return had
  }

  /** keyIsExpired: the key has a TTL in the past (as of the current command's time). */
  isExpired(key: string): boolean {
    if (this.expires.size === 0) return false
    const when = this.expires.get(key)
    if (when === undefined || when < 0) return false
    if (this.ks.isLoading()) return false
    return this.ks.commandTimeMs() > when
  }

  /**
   * expireIfNeeded: delete the key if it has expired. Returns true when the key
   * is logically gone (even if it was kept because `keep` was asked).
   */
  expireIfNeeded(key: string, keep = false): boolean {
    if (!this.isExpired(key)) return false
    if (keep || this.ks.expiryPaused()) return true
    this.deleteExpired(key)
    return true
  }

  /** Delete an expired key with its side effects (deleteExpiredKeyAndPropagate). */
  deleteExpired(key: string): void {
    this.delete(key)
    this.ks.notify('x', 'expired', key, this.id)
    this.ks.signalModifiedKey(this, key)
    this.ks.propagate(this.id, [this.ks.lazyfreeExpire() ? 'UNLINK' : 'DEL', key])
    this.ks.stats.expiredKeys++
    if (this.ks.traceBus.active) this.ks.trace({ type: 'key-expired', db: this.id, key })
  }

  /** Empty the database (emptyDb for one db). Returns the number of keys removed. */
  clear(): number {
    const n = this.dict.size
    this.dict.clear()
    this.expires.clear()
    this.avgTtl = 0
    this.expiresCursor = 0
    return n
  }

  /**
   * SWAPDB's dbSwapDatabases: exchange the contents (keys, expires, avg_ttl,
   * expire cursor) but not the identity, so clients stay on their db index.
   */
  swapWith(other: Db): void {
    if (other === this) return
    const { dict, expires, avgTtl, expiresCursor } = this
    this.dict = other.dict
    this.expires = other.expires
    this.avgTtl = other.avgTtl
    this.expiresCursor = other.expiresCursor
    other.dict = dict
    other.expires = expires
    other.avgTtl = avgTtl
    other.expiresCursor = expiresCursor
  }
}

// The Keyspace interface has no policy query; the Server has lfuPolicy().
function lfuPolicy(ks: Keyspace): boolean {
  const f = (ks as Partial<{ lfuPolicy(): boolean }>).lfuPolicy
  return f !== undefined && f.call(ks)
}
