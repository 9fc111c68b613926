// The key browser's list (issue 6), without React: every key of one database,
// loaded by SCAN steps from the worker (src/worker/key-listing.ts), kept up to
// date from trace events, filtered by a MATCH-style glob and a type, sorted by
// bytes. A view is a plain array of names, so a list of 100,000 keys renders
// only the rows on screen (see windowRange).

import type { TraceEvent } from '../../engine/introspect/events.ts'
import { compileGlob } from './glob.ts'
import type { KeyInfo, KeyScanOptions, KeyScanResult } from '../worker/key-listing.ts'

/** What the model asks of the engine (src/engine-client.ts in the app, an EngineHost in tests). */
export interface KeySource {
  scanKeys(db: number, cursor: number, opts?: KeyScanOptions): Promise<KeyScanResult>
  keysInfo(db: number, keys: string[]): Promise<(KeyInfo | null)[]>
  dbSize(db: number): Promise<number>
}

export interface KeyRow {
  /** The key, a byte string. */
  name: string
  type: string
  encoding: string
  /** Absolute expire time in unix ms (the engine's clock), -1 without a TTL. */
  expiresAt: number
}

export interface KeyFilter {
  /** Glob pattern as a byte string (SCAN MATCH semantics); '' or '*' for all keys. */
  pattern: string
  /** One of string, list, set, zset, hash, stream; '' for all types. */
  type: string
}

export interface KeyListOptions {
  /** Keys per SCAN step (COUNT); the first step of a walk asks for at most 500. */
  chunk?: number
  /** More keys than this touched in one event batch: reload the db instead of asking for each. */
  reloadAbove?: number
}

/** The Redis types the type filter offers. */
export const KEY_TYPES = ['string', 'list', 'set', 'zset', 'hash', 'stream'] as const

const NO_FILTER: KeyFilter = { pattern: '', type: '' }

/** Events that name one key of one db whose listing may have changed. */
function touchedKey(e: TraceEvent): { db: number; key: string; gone: boolean } | null {
  switch (e.type) {
    case 'key-written':
    case 'key-ttl-changed':
    case 'encoding-converted':
      return { db: e.db, key: e.key, gone: false }
    case 'key-deleted':
    case 'key-expired':
      return { db: e.db, key: e.key, gone: true }
    default:
      return null
  }
}

/** Merge two sorted name lists, dropping duplicates and names `keep` rejects. */
function mergeSorted(a: readonly string[], b: readonly string[], keep: (n: string) => boolean): string[] {
  const out: string[] = []
  let i = 0
  let j = 0
  let last: string | undefined
  while (i < a.length || j < b.length) {
    let n: string
    if (j >= b.length || (i < a.length && a[i] <= b[j])) n = a[i++]
    else n = b[j++]
    if (n === last || !keep(n)) continue
    out.push(n)
    last = n
  }
  return out
}

export class KeyListModel {
  /** The database listed. */
  db = 0
  /** DBSIZE as last reported (expired keys not yet deleted included, as DBSIZE counts them). */
  dbSize = 0
  /** A SCAN walk is under way. */
  loading = false
  /** Bumped on every change; views compare it to know when to redraw. */
  version = 0
  /** Time the last full load took, ms (for the benchmark). */
  lastLoadMs = 0

  private rows = new Map<string, KeyRow>()
  /** All names in byte order, possibly with removed names until the next sortedNames(). */
  private sorted: string[] = []
  /** Names added since sorted was built, unsorted. */
  private added: string[] = []
  private removedSince = false
  private filter: KeyFilter = NO_FILTER
  private viewCache: { version: number; filter: KeyFilter; names: readonly string[] } | null = null
  private generation = 0
  private listeners = new Set<() => void>()
  /** Keys touched by events, waiting for their info: true when the last event removed the key. */
  private pendingKeys = new Map<string, boolean>()
  private fetching = false
  private readonly chunk: number
  private readonly reloadAbove: number

  constructor(
    private readonly source: KeySource,
    opts: KeyListOptions = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.chunk = opts.chunk ?? 5000
    this.reloadAbove = opts.reloadAbove ?? 20_000
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => void this.listeners.delete(fn)
  }

  private changed(): void {
    this.version++
    for (const l of this.listeners) l()
  }

  /** Keys loaded (all types, before filtering). */
  get size(): number {
    return this.rows.size
  }

  row(name: string): KeyRow | undefined {
    return this.rows.get(name)
  }

  /** List another database: forget this one's keys and load the other's. */
  setDb(db: number): Promise<void> {
    this.db = db
    return this.reload()
  }

  setFilter(filter: KeyFilter): void {
    if (filter.pattern === this.filter.pattern && filter.type === this.filter.type) return
    this.filter = { ...filter }
    this.changed()
  }

  getFilter(): KeyFilter {
    return this.filter
  }

  /**
   * Walk the whole db with SCAN steps, showing keys as they arrive. A newer
   * reload (or a db change) abandons an older walk.
   */
  async reload(): Promise<void> {
    const gen = ++this.generation
    const db = this.db
    const started = this.now()
    this.rows = new Map()
    this.sorted = []
    this.added = []
    this.removedSince = false
    this.pendingKeys.clear()
    this.loading = true
    this.changed()
    let cursor = 0
    let count = Math.min(this.chunk, 500)
    try {
      do {
        // A small first step puts the first rows on screen sooner; then bigger ones.
        const r = await this.source.scanKeys(db, cursor, { count })
        count = this.chunk
        if (gen !== this.generation) return
        // SCAN may return a key twice (a rehash between steps): the map keeps one.
        for (const k of r.keys) this.put(k)
        this.dbSize = r.dbSize
        cursor = r.cursor
        this.changed()
      } while (cursor !== 0)
    } finally {
      // A failed step (the worker went away) ends the walk with what it has.
      if (gen === this.generation) this.loading = false
    }
    this.lastLoadMs = this.now() - started
    this.changed()
  }

  private put(k: KeyInfo): void {
    const had = this.rows.has(k.name)
    this.rows.set(k.name, { name: k.name, type: k.type, encoding: k.encoding, expiresAt: k.expiresAt })
    if (!had) this.added.push(k.name)
  }

  private remove(name: string): boolean {
    if (!this.rows.delete(name)) return false
    this.removedSince = true
    return true
  }

  /**
   * Trace events from the worker (one batch per animation frame). Keys of this
   * db that were written, deleted, expired, converted or given a TTL are asked
   * for again in one call; a flush empties the list; SWAPDB of this db, or a
   * burst too large to ask key by key, reloads it.
   */
  applyEvents(events: readonly TraceEvent[]): void {
    let reload = false
    let dirty = false
    for (const e of events) {
      if (e.type === 'events-dropped') {
        // Some of this burst's key events were not delivered: walk the db again.
        reload = true
        continue
      }
      if (e.type === 'db-flushed') {
        if (e.db !== 'all' && e.db !== this.db) continue
        // Walk the db again rather than just empty the list: a flush is how a dataset
        // gets replaced (DEBUG RELOAD, an uploaded RDB), and loading emits no key events.
        reload = true
        continue
      }
      if (e.type === 'dbs-swapped') {
        if (e.a === this.db || e.b === this.db) reload = true
        continue
      }
      const t = touchedKey(e)
      if (t === null || t.db !== this.db) continue
      // A removal shows at once; the key is asked for again only if written afterwards.
      if (t.gone && this.remove(t.key)) dirty = true
      this.pendingKeys.set(t.key, t.gone)
      // Too many to ask for one by one (DEBUG POPULATE, a big MSET): walk the db again instead.
      if (this.pendingKeys.size > this.reloadAbove) {
        reload = true
        break
      }
    }
    if (reload) {
      this.reload().catch(() => {})
      return
    }
    if (dirty) this.changed()
    this.fetchPending().catch(() => {})
  }

  /** Ask for the keys events touched, one call at a time (later events wait for the next call). */
  private async fetchPending(): Promise<void> {
    if (this.fetching || this.pendingKeys.size === 0) return
    this.fetching = true
    const gen = this.generation
    const db = this.db
    try {
      while (this.pendingKeys.size > 0 && gen === this.generation) {
        const names: string[] = []
        for (const [name, gone] of this.pendingKeys) if (!gone) names.push(name)
        this.pendingKeys.clear()
        const [infos, size] = await Promise.all([
          names.length > 0 ? this.source.keysInfo(db, names) : Promise.resolve([]),
          this.source.dbSize(db),
        ])
        if (gen !== this.generation) return
        // Keys touched again meanwhile are in pendingKeys: their fresher answer comes next round.
        for (let i = 0; i < names.length; i++) {
          const info = infos[i]
          if (this.pendingKeys.has(names[i])) continue
          if (info === null) this.remove(names[i])
          else this.put(info)
        }
        this.dbSize = size
        this.changed()
      }
    } finally {
      this.fetching = false
    }
    // A reload started while fetching may have left keys behind for the new walk.
    if (this.pendingKeys.size > 0 && !this.loading) this.fetchPending().catch(() => {})
  }

  /**
   * Keys can arrive without trace events (a dataset loaded at start-up, after
   * this list's first walk): if the list is empty but the db is not, walk again.
   */
  async checkSize(): Promise<void> {
    if (this.loading || this.fetching) return
    const gen = this.generation
    const size = await this.source.dbSize(this.db)
    if (gen !== this.generation || this.loading) return
    if (size > 0 && this.rows.size === 0) await this.reload()
    else if (size !== this.dbSize) {
      this.dbSize = size
      this.changed()
    }
  }

  /** All loaded names in byte order. */
  sortedNames(): readonly string[] {
    if (this.added.length > 0) {
      const add = this.added.sort()
      this.added = []
      this.sorted = mergeSorted(this.sorted, add, (n) => this.rows.has(n))
      this.removedSince = false
    } else if (this.removedSince) {
      this.sorted = this.sorted.filter((n) => this.rows.has(n))
      this.removedSince = false
    }
    return this.sorted
  }

  /** The names the filter lets through, in byte order (cached until the next change). */
  view(): readonly string[] {
    const c = this.viewCache
    if (c !== null && c.version === this.version && c.filter === this.filter) return c.names
    const all = this.sortedNames()
    const { pattern, type } = this.filter
    const glob = pattern === '' || pattern === '*' ? undefined : compileGlob(pattern)
    let names: readonly string[] = all
    if (glob !== undefined || type !== '') {
      const out: string[] = []
      for (const n of all) {
        if (type !== '' && this.rows.get(n)?.type !== type) continue
        if (glob !== undefined && !glob.test(n)) continue
        out.push(n)
      }
      names = out
    }
    this.viewCache = { version: this.version, filter: this.filter, names }
    return names
  }

  /** Position of a key in the view, -1 when filtered out or missing (binary search: the view is sorted). */
  indexOf(name: string): number {
    const v = this.view()
    let lo = 0
    let hi = v.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if (v[mid] === name) return mid
      if (v[mid] < name) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }
}

/**
 * The rows to render for a scrolled list: [first, last) of `total` rows of
 * `rowHeight` px in a viewport `height` px tall scrolled to `scrollTop`,
 * with `overscan` rows more on each side.
 */
export function windowRange(total: number, rowHeight: number, scrollTop: number, height: number, overscan = 8): { first: number; last: number } {
  if (total <= 0 || rowHeight <= 0) return { first: 0, last: 0 }
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan)
  const last = Math.min(total, Math.ceil((scrollTop + Math.max(0, height)) / rowHeight) + overscan)
  return { first, last: Math.max(first, last) }
}

/** The scrollTop that brings row `index` into view (unchanged when it already is). */
export function scrollToRow(index: number, rowHeight: number, scrollTop: number, height: number): number {
  const top = index * rowHeight
  if (top < scrollTop) return top
  if (top + rowHeight > scrollTop + height) return top + rowHeight - height
  return scrollTop
}
