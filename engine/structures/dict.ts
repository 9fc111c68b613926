// Redis 7.0's dict (dict.c): a chained hash table with two tables and
// incremental rehashing. It backs the keyspace, the expires table and the
// hashtable encodings of hash/set/zset, so SCAN cursors, RANDOMKEY and
// eviction sampling walk the same buckets Redis would (for the same seed).
//
// Shape (mirrors dict.c):
// - two tables, arrays of bucket chains, power-of-two sizes; a new dict has no
//   table at all (size 0) and allocates 4 buckets on its first insert;
// - new entries go to the head of their chain; while rehashing, into table 1;
// - grow when used >= size, to the next power of two >= used+1; while the
//   owner has set `policy.avoidResize` (a fork child exists) only when
//   used/size > 5 (integer division, dict_force_resize_ratio);
// - shrinking is the owner's call: needsShrink() / resizeToFit();
// - each add/find/delete/random pick moves one bucket from table 0 to table 1
//   (visiting at most 10 empty buckets) unless rehashing is paused.
//
// Deliberate differences from the C code, none observable:
// - each entry caches its (30-bit) hash so rehashing never re-hashes keys and
//   chain walks compare hashes before strings. Only the low 30 bits are kept
//   so the field stays a small integer in every JS engine; tables are
//   therefore capped at 2^30 buckets (far beyond what a JS heap can hold).
// - the resize policy is an object shared by the dicts of one server rather
//   than a process global, so several simulated servers can coexist.

import { defaultHasher } from './siphash.ts'
import type { Hasher } from './siphash.ts'

/** The live entry object: callers may update `value` in place. */
export interface DictEntry<K extends string, V> {
  readonly key: K
  value: V
}

/** Shared, mutable resize policy (Redis's global dict_can_resize). */
export interface ResizePolicy {
  /** True while a fork child exists: grow only past 5 entries per bucket, never shrink. */
  avoidResize: boolean
}

export interface DictOptions {
  /** Seeded hash of the key; defaults to SipHash-1-2 with a zero seed. */
  hash?: Hasher
  /** Resize policy; share one object between all dicts of a server. */
  policy?: ResizePolicy
  /**
   * Redis's dictType.expandAllowed: asked before a growth (not the first 4
   * buckets) with the new bucket count and the current load factor
   * (used/size). The keyspace uses it to refuse a table that would push
   * used_memory over maxmemory (new table bytes = newSize * 8).
   */
  expandAllowed?: (newSize: number, loadFactor: number) => boolean
}

/** Uniform float in [0, 1), e.g. the engine's seeded Random. */
export type RandomFloat = () => number

class Entry<K extends string, V> implements DictEntry<K, V> {
  readonly key: K
  value: V
  readonly hash: number
  next: Entry<K, V> | null
  constructor(key: K, value: V, hash: number, next: Entry<K, V> | null) {
    this.key = key
    this.value = value
    this.hash = hash
    this.next = next
  }
}

type Table<K extends string, V> = (Entry<K, V> | null)[]

const INITIAL_SIZE = 4 // DICT_HT_INITIAL_SIZE
const FORCE_RESIZE_RATIO = 5 // dict_force_resize_ratio
const MIN_FILL = 10 // HASHTABLE_MIN_FILL, percent
const MAX_SIZE = 2 ** 30
const HASH_MASK = MAX_SIZE - 1
const FAIR_SAMPLE = 15 // GETFAIR_NUM_ENTRIES

const NO_TABLE: Table<never, never> = []

// Reverse the bits of a 32-bit value (dictScan's rev()).
function rev32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1)
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2)
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4)
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8)
  return ((v >>> 16) | (v << 16)) >>> 0
}

// Next cursor in reverse-binary order for a table of mask `m`: set the bits
// above the mask so the carry of the reversed +1 runs through masked bits only.
function nextCursor(v: number, m: number): number {
  return rev32((rev32((v | ~m) >>> 0) + 1) >>> 0)
}

function nextPower(n: number): number {
  let s = INITIAL_SIZE
  while (s < n) s *= 2
  return s
}

function u32(rand: RandomFloat): number {
  return (rand() * 4294967296) >>> 0
}

function newTable<K extends string, V>(size: number): Table<K, V> {
  // V8 gives `new Array(n)` slow dictionary elements past ~32M slots; grow
  // huge tables by push so they stay fast arrays.
  if (size <= 1 << 24) return new Array<Entry<K, V> | null>(size).fill(null)
  const t: Table<K, V> = []
  for (let i = 0; i < size; i++) t.push(null)
  return t
}

export class Dict<K extends string, V> {
  /** Resize policy in force (shared with the owner). */
  readonly policy: ResizePolicy
  private readonly hashFn: Hasher
  private readonly expandAllowedFn: ((newSize: number, loadFactor: number) => boolean) | undefined
  private t0: Table<K, V> = NO_TABLE
  private t1: Table<K, V> = NO_TABLE
  private size0 = 0
  private size1 = 0
  private mask0 = 0
  private mask1 = 0
  private used0 = 0
  private used1 = 0
  private rehashIdx = -1
  private pauses = 0
  private readonly scratch: DictEntry<K, V>[] = []
  /**
   * Observer of rehash progress (trace events), unset by default: then a
   * rehash costs one extra comparison. Called after each rehash() call that
   * ran (incremental steps and cron batches) with the next bucket of table 0
   * to move (-1 once finished) and whether the rehash finished.
   */
  onRehash: ((rehashIndex: number, done: boolean) => void) | undefined = undefined

  constructor(options: DictOptions = {}) {
    this.hashFn = options.hash ?? defaultHasher
    this.policy = options.policy ?? { avoidResize: false }
    this.expandAllowedFn = options.expandAllowed
  }

  /** The options this dict was made with: a copy made with them hashes and resizes alike (COPY's dups). */
  options(): DictOptions {
    return { hash: this.hashFn, policy: this.policy, ...(this.expandAllowedFn ? { expandAllowed: this.expandAllowedFn } : {}) }
  }

  // ---- introspection -------------------------------------------------------

  /** Number of entries (dictSize). */
  get size(): number {
    return this.used0 + this.used1
  }

  /** Next bucket of table 0 to move, or -1 when not rehashing. */
  get rehashIndex(): number {
    return this.rehashIdx
  }

  get isRehashing(): boolean {
    return this.rehashIdx !== -1
  }

  /** Nesting count of pauseRehashing() (safe iterators, SCAN). */
  get rehashPauses(): number {
    return this.pauses
  }

  /** Bucket count of table 0 or 1 (0 when the table is not allocated). */
  tableSize(table: 0 | 1): number {
    return table === 0 ? this.size0 : this.size1
  }

  /** Entries currently held by table 0 or 1. */
  tableUsed(table: 0 | 1): number {
    return table === 0 ? this.used0 : this.used1
  }

  /** Buckets of both tables (dictSlots). */
  get slots(): number {
    return this.size0 + this.size1
  }

  /** The chain of one bucket, head first (for visualisation). */
  bucket(table: 0 | 1, index: number): DictEntry<K, V>[] {
    const t = table === 0 ? this.t0 : this.t1
    const out: DictEntry<K, V>[] = []
    for (let e = index >= 0 && index < t.length ? t[index] : null; e !== null; e = e.next) out.push(e)
    return out
  }

  // ---- rehashing -----------------------------------------------------------

  pauseRehashing(): void {
    this.pauses++
  }

  resumeRehashing(): void {
    if (this.pauses > 0) this.pauses--
  }

  /**
   * Moves up to n non-empty buckets from table 0 to table 1, visiting at most
   * n*10 empty ones (dictRehash). Ignores pauses, like the C function.
   * Returns true while there is more to move.
   */
  rehash(n: number): boolean {
    if (this.rehashIdx === -1) return false
    const more = this.rehashBuckets(n)
    if (this.onRehash !== undefined) this.onRehash(this.rehashIdx, !more)
    return more
  }

  // dictRehash's loop (rehash() reports it to the observer).
  private rehashBuckets(n: number): boolean {
    let emptyVisits = n * 10
    const t0 = this.t0
    const t1 = this.t1
    const mask1 = this.mask1
    while (n-- > 0 && this.used0 !== 0) {
      let idx = this.rehashIdx
      while (t0[idx] === null) {
        idx++
        this.rehashIdx = idx
        if (--emptyVisits === 0) return true
      }
      let e = t0[idx]
      // Moving one by one to the head reverses the chain order, as in Redis.
      while (e !== null) {
        const next: Entry<K, V> | null = e.next
        const h = e.hash & mask1
        e.next = t1[h]
        t1[h] = e
        this.used0--
        this.used1++
        e = next
      }
      t0[idx] = null
      this.rehashIdx = idx + 1
    }
    if (this.used0 === 0) {
      this.t0 = this.t1
      this.size0 = this.size1
      this.mask0 = this.mask1
      this.used0 = this.used1
      this.t1 = NO_TABLE
      this.size1 = 0
      this.mask1 = 0
      this.used1 = 0
      this.rehashIdx = -1
      return false
    }
    return true
  }

  /**
   * Rehashes in batches of 100 buckets until done or more than `ms`
   * milliseconds passed (dictRehashMilliseconds, for the server cron).
   * Returns the number of buckets attempted (a multiple of 100), 0 if paused.
   */
  rehashMilliseconds(ms: number, nowMs: () => number): number {
    if (this.pauses > 0) return 0
    const start = nowMs()
    let rehashes = 0
    while (this.rehash(100)) {
      rehashes += 100
      if (nowMs() - start > ms) break
    }
    return rehashes
  }

  private rehashStep(): void {
    if (this.pauses === 0) this.rehash(1)
  }

  // ---- resizing ------------------------------------------------------------

  /**
   * Allocates a table of the next power of two >= n (min 4): directly when
   * there is no table yet, else as table 1 and starts rehashing
   * (dictExpand). False when rehashing, n < used, or the size is unchanged.
   */
  expand(n: number): boolean {
    if (this.rehashIdx !== -1 || this.used0 > n) return false
    const size = nextPower(n)
    if (size > MAX_SIZE || size === this.size0) return false
    const table = newTable<K, V>(size)
    if (this.size0 === 0) {
      this.t0 = table
      this.size0 = size
      this.mask0 = size - 1
      this.used0 = 0
      return true
    }
    this.t1 = table
    this.size1 = size
    this.mask1 = size - 1
    this.used1 = 0
    this.rehashIdx = 0
    return true
  }

  /** Shrinks (or grows) to the next power of two >= used, min 4 (dictResize). */
  resizeToFit(): boolean {
    if (this.policy.avoidResize || this.rehashIdx !== -1) return false
    return this.expand(Math.max(this.used0, INITIAL_SIZE))
  }

  /** Fill below 10 % of a table bigger than 4 buckets (server.c htNeedsResize). */
  needsShrink(): boolean {
    const slots = this.size0 + this.size1
    return slots > INITIAL_SIZE && (this.used0 + this.used1) * 100 < MIN_FILL * slots
  }

  // _dictExpandIfNeeded
  private expandIfNeeded(): void {
    if (this.rehashIdx !== -1) return
    if (this.size0 === 0) {
      this.expand(INITIAL_SIZE)
      return
    }
    const used = this.used0
    const size = this.size0
    if (used < size) return
    if (this.policy.avoidResize && Math.floor(used / size) <= FORCE_RESIZE_RATIO) return
    if (this.expandAllowedFn !== undefined && !this.expandAllowedFn(nextPower(used + 1), used / size)) return
    this.expand(used + 1)
  }

  // ---- lookups and updates -------------------------------------------------

  // One command usually looks the same key up several times (lookup, then
  // overwrite, then the expires table): remember the last hash computed.
  private lastKey: K | undefined = undefined
  private lastHash = 0

  private hashOf(key: K): number {
    if (key === this.lastKey) return this.lastHash
    const h = this.hashFn(key) & HASH_MASK
    this.lastKey = key
    this.lastHash = h
    return h
  }

  // dictFind
  private find(key: K): Entry<K, V> | null {
    if (this.used0 + this.used1 === 0) return null
    if (this.rehashIdx !== -1 && this.pauses === 0) this.rehash(1)
    const h = this.hashOf(key)
    let e = this.t0[h & this.mask0]
    while (e !== null) {
      if (e.hash === h && e.key === key) return e
      e = e.next
    }
    if (this.rehashIdx === -1) return null
    e = this.t1[h & this.mask1]
    while (e !== null) {
      if (e.hash === h && e.key === key) return e
      e = e.next
    }
    return null
  }

  get(key: K): V | undefined {
    const e = this.find(key)
    return e === null ? undefined : e.value
  }

  has(key: K): boolean {
    return this.find(key) !== null
  }

  /** The live entry for key (update `value` in place), or undefined. */
  getEntry(key: K): DictEntry<K, V> | undefined {
    return this.find(key) ?? undefined
  }

  // dictAddRaw: rehash step, grow if needed, then look in both tables. Returns
  // the existing entry, or null after inserting a new one.
  private addRaw(key: K, value: V): Entry<K, V> | null {
    if (this.rehashIdx !== -1 && this.pauses === 0) this.rehash(1)
    const h = this.hashOf(key)
    this.expandIfNeeded()
    let idx = h & this.mask0
    let e = this.t0[idx]
    while (e !== null) {
      if (e.hash === h && e.key === key) return e
      e = e.next
    }
    if (this.rehashIdx === -1) {
      this.t0[idx] = new Entry(key, value, h, this.t0[idx])
      this.used0++
      return null
    }
    idx = h & this.mask1
    e = this.t1[idx]
    while (e !== null) {
      if (e.hash === h && e.key === key) return e
      e = e.next
    }
    this.t1[idx] = new Entry(key, value, h, this.t1[idx])
    this.used1++
    return null
  }

  /** Adds the key; false (and no change) if it is already present (dictAdd). */
  add(key: K, value: V): boolean {
    return this.addRaw(key, value) === null
  }

  /** Adds or replaces; true if the key was new (dictReplace). */
  set(key: K, value: V): boolean {
    const existing = this.addRaw(key, value)
    if (existing === null) return true
    existing.value = value
    return false
  }

  /** Removes the key; true if it was present (dictDelete). */
  delete(key: K): boolean {
    if (this.used0 + this.used1 === 0) return false
    if (this.rehashIdx !== -1 && this.pauses === 0) this.rehash(1)
    const h = this.hashOf(key)
    for (let table = 0; table <= 1; table++) {
      const t = table === 0 ? this.t0 : this.t1
      const idx = h & (table === 0 ? this.mask0 : this.mask1)
      let prev: Entry<K, V> | null = null
      let e = t[idx]
      while (e !== null) {
        if (e.hash === h && e.key === key) {
          // The unlinked entry keeps its `next`, so an iterator or scan that
          // is standing on it can still move on.
          if (prev === null) t[idx] = e.next
          else prev.next = e.next
          if (table === 0) this.used0--
          else this.used1--
          return true
        }
        prev = e
        e = e.next
      }
      if (this.rehashIdx === -1) break
    }
    return false
  }

  /**
   * Drops both tables (dictEmpty): back to size 0, not rehashing. The pause
   * count is kept so a live iterator still balances its resume.
   */
  clear(): void {
    this.t0 = NO_TABLE
    this.t1 = NO_TABLE
    this.size0 = this.size1 = 0
    this.mask0 = this.mask1 = 0
    this.used0 = this.used1 = 0
    this.rehashIdx = -1
  }

  // ---- iteration -----------------------------------------------------------

  /**
   * Live entries in bucket order, table 0 then table 1 (a safe iterator:
   * rehashing is paused from the first next() until the iterator finishes or
   * is closed; for-of closes it on break). Deleting the current entry is
   * safe. Yields the entry objects themselves, not [key, value] pairs.
   */
  *entries(): IterableIterator<DictEntry<K, V>> {
    this.pauses++
    try {
      let t = this.t0
      for (let i = 0; i < t.length; i++) {
        let e = t[i]
        while (e !== null) {
          const next: Entry<K, V> | null = e.next
          yield e
          e = next
        }
      }
      if (this.rehashIdx === -1) return
      t = this.t1
      for (let i = 0; i < t.length; i++) {
        let e = t[i]
        while (e !== null) {
          const next: Entry<K, V> | null = e.next
          yield e
          e = next
        }
      }
    } finally {
      this.resumeRehashing()
    }
  }

  *keys(): IterableIterator<K> {
    for (const e of this.entries()) yield e.key
  }

  *values(): IterableIterator<V> {
    for (const e of this.entries()) yield e.value
  }

  [Symbol.iterator](): IterableIterator<DictEntry<K, V>> {
    return this.entries()
  }

  /** Calls fn for every entry in bucket order, rehashing paused meanwhile. */
  forEach(fn: (value: V, key: K, entry: DictEntry<K, V>) => void): void {
    this.pauses++
    try {
      for (let table = 0; table <= 1; table++) {
        if (table === 1 && this.rehashIdx === -1) break
        const t = table === 0 ? this.t0 : this.t1
        for (let i = 0; i < t.length; i++) {
          let e = t[i]
          while (e !== null) {
            const next: Entry<K, V> | null = e.next
            fn(e.value, e.key, e)
            e = next
          }
        }
      }
    } finally {
      this.resumeRehashing()
    }
  }

  // ---- SCAN ----------------------------------------------------------------

  /**
   * One dictScan step: emits every entry of the cursor's bucket (and, while
   * rehashing, of all buckets of the bigger table that expand from it) and
   * returns the next cursor; 0 means the walk is complete. Cursors advance in
   * reverse-binary order (4 buckets: 0, 2, 1, 3), which is what lets an
   * element present for a whole scan be returned at least once even when
   * the table grows or shrinks between calls.
   *
   * `cursor` is an unsigned integer; callers reduce a user's 64-bit cursor
   * mod 2^32 first. That is exact: only the bits under the table mask are
   * read, all bits above it are set before the reversed increment and come
   * back cleared, and masks never exceed 32 bits here (tables <= 2^30).
   */
  scan(cursor: number, fn: (key: K, value: V, entry: DictEntry<K, V>) => void): number {
    if (this.used0 + this.used1 === 0) return 0
    let v = cursor >>> 0
    // A callback may look keys up; keep the tables still meanwhile.
    this.pauses++
    try {
      if (this.rehashIdx === -1) {
        const m0 = this.mask0
        for (let e = this.t0[v & m0]; e !== null;) {
          const next: Entry<K, V> | null = e.next
          fn(e.key, e.value, e)
          e = next
        }
        v = nextCursor(v, m0)
      } else {
        let small = this.t0
        let big = this.t1
        let m0 = this.mask0
        let m1 = this.mask1
        if (this.size0 > this.size1) {
          small = this.t1
          big = this.t0
          m0 = this.mask1
          m1 = this.mask0
        }
        for (let e = small[v & m0]; e !== null;) {
          const next: Entry<K, V> | null = e.next
          fn(e.key, e.value, e)
          e = next
        }
        // Then every bucket of the big table that the small bucket expands to.
        do {
          for (let e = big[v & m1]; e !== null;) {
            const next: Entry<K, V> | null = e.next
            fn(e.key, e.value, e)
            e = next
          }
          v = nextCursor(v, m1)
        } while ((v & (m0 ^ m1)) !== 0)
      }
    } finally {
      this.resumeRehashing()
    }
    return v >>> 0
  }

  // ---- random sampling -----------------------------------------------------

  /**
   * A random entry (dictGetRandomKey): a random non-empty bucket, then a
   * random element of its chain, so entries in long chains are less likely.
   * Used by allkeys-random eviction. `rand` is a uniform float in [0, 1).
   */
  randomEntry(rand: RandomFloat): DictEntry<K, V> | undefined {
    if (this.used0 + this.used1 === 0) return undefined
    if (this.rehashIdx !== -1) this.rehashStep()
    let e: Entry<K, V> | null
    if (this.rehashIdx !== -1) {
      // Buckets of table 0 below rehashIdx are known to be empty.
      const s0 = this.size0
      const span = s0 + this.size1 - this.rehashIdx
      do {
        const h = this.rehashIdx + Math.floor(rand() * span)
        e = h >= s0 ? this.t1[h - s0] : this.t0[h]
      } while (e === null)
    } else {
      const m = this.mask0
      do {
        e = this.t0[u32(rand) & m]
      } while (e === null)
    }
    let len = 0
    for (let x: Entry<K, V> | null = e; x !== null; x = x.next) len++
    let pick = Math.floor(rand() * len)
    while (pick-- > 0) e = e.next as Entry<K, V>
    return e
  }

  /**
   * A fairer random entry (dictGetFairRandomKey): sample up to 15 entries
   * with someEntries and pick one of them, falling back to randomEntry when
   * the sample came back empty. RANDOMKEY (db.c dbRandomKey), SRANDMEMBER
   * and SPOP use this one.
   */
  fairRandomEntry(rand: RandomFloat): DictEntry<K, V> | undefined {
    const sample = this.scratch
    const n = this.someEntriesInto(FAIR_SAMPLE, rand, sample)
    if (n === 0) {
      sample.length = 0
      return this.randomEntry(rand)
    }
    const e = sample[Math.floor(rand() * n)]
    sample.length = 0
    return e
  }

  /**
   * Up to `count` entries from a random region of the tables
   * (dictGetSomeKeys): starts at a random bucket, walks forward collecting
   * whole chains, jumps elsewhere after a run of empty buckets, and gives up
   * after count*10 steps. Fewer than `count` may come back, and after a jump
   * or wrap-around the same entry can appear twice. Does up to `count` rehash
   * steps first. Used for eviction pools and active expire sampling.
   */
  someEntries(count: number, rand: RandomFloat): DictEntry<K, V>[] {
    const out: DictEntry<K, V>[] = []
    this.someEntriesInto(count, rand, out)
    return out
  }

  private someEntriesInto(count: number, rand: RandomFloat, out: DictEntry<K, V>[]): number {
    const size = this.used0 + this.used1
    if (size < count) count = size
    if (count <= 0) return 0
    let maxSteps = count * 10
    for (let j = 0; j < count && this.rehashIdx !== -1; j++) this.rehashStep()

    const tables = this.rehashIdx !== -1 ? 2 : 1
    let maxMask = this.mask0
    if (tables > 1 && maxMask < this.mask1) maxMask = this.mask1
    let i = u32(rand) & maxMask
    let emptyLen = 0
    let stored = 0
    while (stored < count && maxSteps-- > 0) {
      for (let j = 0; j < tables; j++) {
        // Buckets of table 0 below rehashIdx are empty; when also past the
        // end of table 1 (shrinking), jump straight to rehashIdx.
        if (tables === 2 && j === 0 && i < this.rehashIdx) {
          if (i >= this.size1) i = this.rehashIdx
          else continue
        }
        const t = j === 0 ? this.t0 : this.t1
        if (i >= t.length) continue
        let e = t[i]
        if (e === null) {
          emptyLen++
          if (emptyLen >= 5 && emptyLen > count) {
            i = u32(rand) & maxMask
            emptyLen = 0
          }
        } else {
          emptyLen = 0
          while (e !== null) {
            out.push(e)
            stored++
            if (stored === count) return stored
            e = e.next
          }
        }
      }
      i = (i + 1) & maxMask
    }
    return stored
  }
}
