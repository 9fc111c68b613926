// The inspector's pure side: which view an encoding gets, the thresholds each view
// measures against (from CONFIG values), the latest trace events about one key, and
// TTL text.
import type { TraceEvent } from '../../engine/introspect/events.ts'
import type { SearchStep } from '../../engine/structures/skiplist.ts'
import type { ListpackThresholds } from './listpack/layout.ts'

/** The config values the views show thresholds for, by their Redis names. */
export interface VizConfig {
  'hash-max-listpack-entries': number
  'hash-max-listpack-value': number
  'zset-max-listpack-entries': number
  'zset-max-listpack-value': number
  'set-max-intset-entries': number
  'list-max-listpack-size': number
  'list-compress-depth': number
}

/** Redis 7.0's defaults. */
export const DEFAULT_VIZ_CONFIG: VizConfig = {
  'hash-max-listpack-entries': 512,
  'hash-max-listpack-value': 64,
  'zset-max-listpack-entries': 128,
  'zset-max-listpack-value': 64,
  'set-max-intset-entries': 512,
  'list-max-listpack-size': -2,
  'list-compress-depth': 0,
}

export type ViewKind = 'string' | 'listpack' | 'intset' | 'quicklist' | 'hashtable' | 'skiplist'

export function viewFor(encoding: string): ViewKind | null {
  switch (encoding) {
    case 'int':
    case 'embstr':
    case 'raw':
      return 'string'
    case 'listpack':
    case 'intset':
    case 'quicklist':
    case 'hashtable':
    case 'skiplist':
      return encoding
    default:
      return null
  }
}

/** The listpack thresholds for a value of this type, or null when no listpack threshold applies. */
export function thresholdsFor(type: string, config: Partial<VizConfig> = {}): ListpackThresholds | null {
  const c = { ...DEFAULT_VIZ_CONFIG, ...config }
  if (type === 'hash')
    return { maxEntries: c['hash-max-listpack-entries'], maxValueBytes: c['hash-max-listpack-value'], entriesName: 'hash-max-listpack-entries', valueName: 'hash-max-listpack-value', itemsPerElement: 2, noun: 'field' }
  if (type === 'zset')
    return { maxEntries: c['zset-max-listpack-entries'], maxValueBytes: c['zset-max-listpack-value'], entriesName: 'zset-max-listpack-entries', valueName: 'zset-max-listpack-value', itemsPerElement: 2, noun: 'member' }
  return null
}

export type ConversionEvent = Extract<TraceEvent, { type: 'encoding-converted' }>
export type ScanStepEvent = Extract<TraceEvent, { type: 'scan-step' }>

/** A SCAN walk over one value: the calls since the last one that started at cursor 0, in order. */
export interface ScanWalk {
  op: string
  steps: { cursor: number; next: number; visits: { table: 0 | 1; bucket: number }[] }[]
  /** The last call returned cursor 0: the walk is complete. */
  done: boolean
}

export interface KeyEvents {
  conversion: ConversionEvent | null
  search: { op: string; path: SearchStep[] } | null
  insert: { member: string; score: number; level: number } | null
  upgrade: { from: number; to: number } | null
  rehash: { rehashIndex: number; done: boolean } | null
  /** The current SCAN walk (HSCAN/SSCAN/ZSCAN calls chained by their cursors). */
  scan: ScanWalk | null
  deleted: boolean
}

/**
 * The latest event of each kind about `key` in `db`, from a batch in arrival order.
 * A deletion or flush clears what came before it (a later write starts afresh).
 */
export function keyEvents(events: readonly TraceEvent[], db: number, key: string): KeyEvents {
  const out: KeyEvents = { conversion: null, search: null, insert: null, upgrade: null, rehash: null, scan: null, deleted: false }
  for (const e of events) {
    if (e.type === 'db-flushed') {
      if (e.db === 'all' || e.db === db) Object.assign(out, { conversion: null, search: null, insert: null, upgrade: null, rehash: null, scan: null, deleted: true })
      continue
    }
    if (!('key' in e) || !('db' in e) || e.db !== db || e.key !== key) continue
    switch (e.type) {
      case 'encoding-converted':
        out.conversion = e
        break
      case 'skiplist-search':
        out.search = { op: e.op, path: e.path }
        break
      case 'skiplist-insert':
        out.insert = { member: e.member, score: e.score, level: e.level }
        break
      case 'intset-upgrade':
        out.upgrade = { from: e.from, to: e.to }
        break
      case 'rehash-step':
        out.rehash = { rehashIndex: e.rehashIndex, done: e.done }
        break
      case 'scan-step':
        out.scan = extendWalk(out.scan, e)
        break
      case 'key-deleted':
      case 'key-expired':
        Object.assign(out, { conversion: null, search: null, insert: null, upgrade: null, rehash: null, scan: null, deleted: true })
        break
      case 'key-written':
        out.deleted = false
        break
    }
  }
  return out
}

/**
 * Chain a scan call onto the walk: a call that starts where the last one stopped
 * continues it; cursor 0 (or any other cursor) starts a new walk.
 */
export function extendWalk(walk: ScanWalk | null, e: ScanStepEvent): ScanWalk {
  const step = { cursor: e.cursor, next: e.next, visits: e.visits }
  const last = walk?.steps[walk.steps.length - 1]
  if (walk && !walk.done && e.cursor !== 0 && last !== undefined && last.next === e.cursor) {
    return { op: e.op, steps: [...walk.steps, step], done: e.next === 0 }
  }
  return { op: e.op, steps: [step], done: e.next === 0 }
}

/** "no TTL", "42 s", "1 h 2 min 3 s", "0.4 s". */
export function formatTtl(ms: number): string {
  if (ms < 0) return 'no TTL (persistent)'
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`
  let s = Math.floor(ms / 1000)
  const d = Math.floor(s / 86400)
  s -= d * 86400
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  const parts: string[] = []
  if (d) parts.push(`${d} d`)
  if (h) parts.push(`${h} h`)
  if (m) parts.push(`${m} min`)
  parts.push(`${s} s`)
  return parts.join(' ')
}

/** The banner text of a conversion: "hash: listpack → hashtable. 513th field: hash-max-listpack-entries is 512". */
export function conversionText(e: ConversionEvent): string {
  return `${e.valueType}: ${e.from} → ${e.to}. ${e.reason}`
}
