// inspect(): a plain, structured-cloneable snapshot of one key's value as the
// engine holds it (design.md "Introspection"), for the views. One variant per
// encoding. Large structures are windowed: `start`/`count` select entries
// (listpack, intset), nodes (quicklist), buckets (hashtable) or ranks
// (skiplist), so a million-member zset costs only what is drawn.
//
// Reading never changes anything: no LRU touch, no lazy expiry, no rehash step.

import type { Server } from '../server/server.ts'
import type { RObj, StringObject } from '../keyspace/object.ts'
import { LOOKUP_NOTOUCH, LOOKUP_NOEXPIRE, LOOKUP_NOSTATS, LOOKUP_NONOTIFY } from '../keyspace/db.ts'
import { keyMemoryUsage, rawSdsState, type SdsType } from '../keyspace/memory.ts'
import type { Dict } from '../structures/dict.ts'
import type { Listpack, ListpackEntryInfo, ListpackValue } from '../structures/listpack.ts'
import type { Quicklist, QuicklistNode, QuicklistNodeInfo } from '../structures/quicklist.ts'
import type { SkiplistSnapshot } from '../structures/skiplist.ts'

export interface InspectWindow {
  /** First entry / node / bucket / rank (0-based) to include. */
  start?: number
  /** How many to include (default 256). */
  count?: number
}

export interface ListpackSnapshot {
  encoding: 'listpack'
  /** Header: total bytes (u32) and element count (u16) as stored. */
  totalBytes: number
  headerCount: number
  length: number
  entries: (Omit<ListpackEntryInfo, 'value'> & { value: string; isInt: boolean })[]
  window: { start: number; count: number }
}

export interface IntsetSnapshot {
  encoding: 'intset'
  /** Bytes per element: 2, 4 or 8. */
  width: number
  length: number
  byteLength: number
  values: string[]
  window: { start: number; count: number }
}

export interface QuicklistSnapshot {
  encoding: 'quicklist'
  /** list-max-listpack-size in force for this list, and list-compress-depth. */
  fill: number
  compressDepth: number
  count: number
  nodeCount: number
  /** `id` is a node's identity across snapshots (a split or a push makes a new one). */
  nodes: (QuicklistNodeInfo & { index: number; id: number })[]
  window: { start: number; count: number }
}

export interface DictTableSnapshot {
  size: number
  used: number
  /** Non-empty buckets in the window, with their chains in order. */
  buckets: { index: number; entries: { key: string; value: string | null }[] }[]
}

export interface HashtableSnapshot {
  encoding: 'hashtable'
  /** -1 when not rehashing, else the next bucket of table 0 to move. */
  rehashIndex: number
  tables: DictTableSnapshot[]
  window: { start: number; count: number }
}

export interface ZsetSkiplistSnapshot {
  encoding: 'skiplist'
  skiplist: SkiplistSnapshot
  /** The member -> score dict beside the skiplist. */
  dict: { size: number; used: number; rehashIndex: number }
}

export interface StringSnapshot {
  encoding: 'int' | 'embstr' | 'raw'
  length: number
  /**
   * sds header class (5, 8, 16, 32, 64); none for 'int'. embstr is always sdshdr8
   * (createEmbeddedStringObject); raw is the class its buffer has (sdsnewlen's
   * sdsReqType, or a wider one sdsMakeRoomFor chose while APPEND/SETRANGE grew it).
   */
  sdsType: SdsType | null
  /** sdsalloc of a raw string's buffer (bytes it holds without growing); null otherwise. */
  sdsAlloc: number | null
  /** The bytes in the window, as a byte string. */
  bytes: string
  window: { start: number; count: number }
}

export type ValueSnapshot = StringSnapshot | ListpackSnapshot | IntsetSnapshot | QuicklistSnapshot | HashtableSnapshot | ZsetSkiplistSnapshot

export interface KeySnapshot {
  db: number
  key: string
  type: RObj['type']
  encoding: string
  /** Remaining time to live in ms, -1 without a TTL. */
  ttlMs: number
  /** MEMORY USAGE of the key (default sampling). */
  memoryUsage: number
  value: ValueSnapshot
}

const DEFAULT_COUNT = 256
const PEEK = LOOKUP_NOTOUCH | LOOKUP_NONOTIFY | LOOKUP_NOSTATS | LOOKUP_NOEXPIRE

/** Snapshot of `key` in database `dbIndex`, or null when there is no such key. */
export function inspect(server: Server, dbIndex: number, key: string, window: InspectWindow = {}): KeySnapshot | null {
  const db = server.dbs[dbIndex]
  if (db === undefined) return null
  const o = db.lookup(key, PEEK)
  if (o === undefined) return null
  const expire = db.getExpire(key)
  const ttlMs = expire === -1 ? -1 : Math.max(0, Number(expire) - server.clock.nowMs())
  return {
    db: dbIndex,
    key,
    type: o.type,
    encoding: o.encoding,
    ttlMs,
    memoryUsage: keyMemoryUsage(key, o),
    value: inspectValue(o, window),
  }
}

function win(window: InspectWindow): { start: number; count: number } {
  return { start: Math.max(0, Math.floor(window.start ?? 0)), count: Math.max(0, Math.floor(window.count ?? DEFAULT_COUNT)) }
}

export function inspectValue(o: RObj, window: InspectWindow = {}): ValueSnapshot {
  const w = win(window)
  switch (o.encoding) {
    case 'int':
    case 'embstr':
    case 'raw': {
      const v = o.value as string
      const raw = o.encoding === 'raw' ? rawSdsState(o as StringObject) : null
      return {
        encoding: o.encoding,
        length: v.length,
        sdsType: o.encoding === 'int' ? null : o.encoding === 'embstr' ? 8 : raw!.type,
        sdsAlloc: raw === null ? null : raw.alloc,
        bytes: v.slice(w.start, w.start + w.count),
        window: w,
      }
    }
    case 'listpack':
      return listpackSnapshot(o.value as Listpack, w)
    case 'intset': {
      const is = o.value
      const values: string[] = []
      const end = Math.min(is.length, w.start + w.count)
      for (let i = w.start; i < end; i++) values.push(String(is.get(i)))
      return { encoding: 'intset', width: is.encoding, length: is.length, byteLength: is.byteLength, values, window: w }
    }
    case 'quicklist': {
      const ql = o.value
      return {
        encoding: 'quicklist',
        fill: ql.fill,
        compressDepth: ql.compressDepthValue,
        count: ql.count,
        nodeCount: ql.len,
        nodes: quicklistNodes(ql, w),
        window: w,
      }
    }
    case 'hashtable':
      return hashtableSnapshot(o.value as Dict<string, string | null>, w)
    case 'skiplist': {
      const { zsl, dict } = o.value
      return {
        encoding: 'skiplist',
        skiplist: zsl.snapshot({ fromRank: w.start + 1, count: w.count }),
        dict: { size: dict.slots, used: dict.size, rehashIndex: dict.rehashIndex },
      }
    }
  }
}

// Node identities for the views: a node object keeps its number while it lives.
const nodeIds = new WeakMap<QuicklistNode, number>()
let nextNodeId = 1

function quicklistNodes(ql: Quicklist, w: { start: number; count: number }): QuicklistSnapshot['nodes'] {
  const infos = ql.nodes(w.start, w.count)
  let n = ql.head
  for (let i = 0; i < w.start && n !== null; i++) n = n.next
  return infos.map((info, i) => {
    let id = 0
    if (n !== null) {
      id = nodeIds.get(n) ?? nextNodeId++
      nodeIds.set(n, id)
      n = n.next
    }
    return { ...info, index: w.start + i, id }
  })
}

function lpText(v: ListpackValue): string {
  return typeof v === 'string' ? v : String(v)
}

function listpackSnapshot(lp: Listpack, w: { start: number; count: number }): ListpackSnapshot {
  const entries = lp.entries(w.start, w.count).map((e) => ({ ...e, value: lpText(e.value), isInt: typeof e.value !== 'string' }))
  return { encoding: 'listpack', totalBytes: lp.byteLength, headerCount: lp.headerCount, length: lp.length(), entries, window: w }
}

function hashtableSnapshot(d: Dict<string, string | null>, w: { start: number; count: number }): HashtableSnapshot {
  const tables: DictTableSnapshot[] = []
  for (const t of [0, 1] as const) {
    const size = d.tableSize(t)
    if (t === 1 && !d.isRehashing) break
    const buckets: DictTableSnapshot['buckets'] = []
    const end = Math.min(size, w.start + w.count)
    for (let i = w.start; i < end; i++) {
      const chain = d.bucket(t, i)
      if (chain.length === 0) continue
      buckets.push({ index: i, entries: chain.map((e) => ({ key: e.key, value: valueText(e.value) })) })
    }
    tables.push({ size, used: d.tableUsed(t), buckets })
  }
  return { encoding: 'hashtable', rehashIndex: d.rehashIndex, tables, window: w }
}

function valueText(v: unknown): string | null {
  if (v === null || v === undefined) return null
  return typeof v === 'string' ? v : String(v)
}
