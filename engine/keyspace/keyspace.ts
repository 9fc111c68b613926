// What a database needs from the server around it. The Server implements this;
// tests may supply a small fake.

import type { TraceEvent } from '../introspect/events.ts'
import type { Db } from './db.ts'
import type { RObj } from './object.ts'

export interface KeyspaceStats {
  keyspaceHits: number
  keyspaceMisses: number
  expiredKeys: number
  expiredStalePerc: number
  expiredTimeCapReachedCount: number
  expireCycleCpuMs: number
}

export interface Keyspace {
  /** Seed for the dicts' hash function (per process in Redis). */
  readonly hashSeed: number
  readonly stats: KeyspaceStats
  /** A fork child (BGSAVE) is running: don't touch LRU fields, avoid resizing. */
  hasActiveChild(): boolean
  /** The server is loading a dataset: keys never count as expired. */
  isLoading(): boolean
  /** The time used for expiry decisions during the current command. */
  commandTimeMs(): number
  /** Writes are paused (CLIENT PAUSE WRITE): expired keys are reported missing but kept. */
  expiryPaused(): boolean
  /** lazyfree-lazy-expire: expired keys propagate as UNLINK instead of DEL. */
  lazyfreeExpire(): boolean
  /** Set a new object's LRU/LFU field. */
  initAccess(o: RObj): void
  /** Update an object's LRU/LFU field on access. */
  touchObject(o: RObj): void
  /** Keyspace notification (notify.c); classFlag is one of the notify-keyspace-events letters. */
  notify(classFlag: string, event: string, key: string, dbid: number): void
  /** signalModifiedKey: WATCH and client tracking. */
  signalModifiedKey(db: Db, key: string): void
  /** dbAdd: a key was added (wakes clients blocked on list/zset keys). */
  keyAdded?(db: Db, key: string, o: RObj): void
  /** Feed a command to the AOF / replicas. */
  propagate(dbid: number, argv: string[]): void
  /** Check traceBus.active before building an event. */
  readonly traceBus: { readonly active: boolean }
  trace(e: TraceEvent): void
}
