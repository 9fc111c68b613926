// Trace events: what changed inside the engine, for the views to draw
// (design.md "Introspection"). Emitting costs one branch when nobody listens.

export type TraceEvent =
  | { type: 'key-written'; db: number; key: string }
  | { type: 'key-deleted'; db: number; key: string }
  | { type: 'key-expired'; db: number; key: string }
  /** A key's TTL was set or removed (EXPIRE, PERSIST, SET EX, GETEX, RESTORE, RENAME...); `expiresAt` is unix ms, -1 for none. */
  | { type: 'key-ttl-changed'; db: number; key: string; expiresAt: number }
  | { type: 'db-flushed'; db: number | 'all' }
  | { type: 'dbs-swapped'; a: number; b: number }
  /** A value changed encoding; `reason` says which threshold was crossed, in words. */
  | { type: 'encoding-converted'; db: number; key: string; valueType: string; from: string; to: string; reason: string }
  /** A dict inside a value (or the keyspace) moved buckets to its new table. */
  | { type: 'rehash-step'; db: number; key: string | null; rehashIndex: number; done: boolean }
  /** The path a skiplist search walked, level by level (zset reads and writes). */
  | { type: 'skiplist-search'; db: number; key: string; op: string; path: { level: number; rank: number; member: string | null; score: number | null }[] }
  /** A member was inserted into a skiplist with the level drawn for it. */
  | { type: 'skiplist-insert'; db: number; key: string; member: string; score: number; level: number }
  /**
   * HSCAN / SSCAN / ZSCAN walked a value's dict from `cursor` to `next`: the buckets it
   * read, in order (the reverse-binary cursor order, both tables while rehashing).
   */
  | { type: 'scan-step'; db: number; key: string; op: string; cursor: number; next: number; visits: { table: 0 | 1; bucket: number }[] }
  /** An intset widened its integers. */
  | { type: 'intset-upgrade'; db: number; key: string; from: number; to: number }
  /** A client blocked on keys, or was served / timed out (blocking commands, CLIENT PAUSE). */
  | { type: 'client-blocked'; client: number; keys: string[]; db: number }
  | { type: 'client-unblocked'; client: number; reason: 'served' | 'timeout' | 'unblocked' | 'error' }
  /** BGSAVE forked a (simulated) child: `keys` frozen, `bytes` of modelled memory shared with it. */
  | { type: 'snapshot-fork'; pid: number; keys: number; bytes: number }
  /** The child saved more keys (once per cron step). */
  | { type: 'snapshot-progress'; pid: number; keysSaved: number; keysTotal: number; bytesWritten: number; cowBytes: number }
  /** A write touched a value the child had not saved: these 4 KB pages were copied first. */
  | { type: 'snapshot-page-copied'; pid: number; db: number; key: string; pages: number[]; bytes: number; cowBytes: number }
  /** The child finished (ok) or failed. */
  | { type: 'snapshot-done'; pid: number; ok: boolean; keys: number; bytes: number; cowBytes: number; durationMs: number }
  /**
   * Not from the server: the host delivering events dropped the `count` oldest of one batch
   * (a bulk command such as DEBUG POPULATE 1000000). Whoever mirrors keys from events re-reads.
   */
  | { type: 'events-dropped'; count: number }

export type TraceListener = (e: TraceEvent) => void

export class TraceBus {
  private listeners: TraceListener[] = []
  /** Read this before building an event object. */
  active = false

  subscribe(fn: TraceListener): () => void {
    this.listeners.push(fn)
    this.active = true
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn)
      this.active = this.listeners.length > 0
    }
  }

  emit(e: TraceEvent): void {
    for (const l of this.listeners) l(e)
  }
}
