// Hashtable view layout: table 0 (and table 1 while rehashing) as columns of
// buckets; non-empty buckets show their chains, runs of empty buckets fold into one
// row; buckets of table 0 below the rehash index are already moved. Entries get
// absolute positions so the view can key them by field and animate a move between
// tables.
import type { HashtableSnapshot } from '../../../engine/introspect/inspect.ts'
import { byteLabel, plural } from '../common.ts'

export interface HtEntryLayout {
  /** The field / member: the stable identity. */
  key: string
  label: string
  value: string | null
  table: 0 | 1
  bucket: number
  /** Position in the chain (0 = the bucket's first entry). */
  depth: number
  /** Last drawn entry of its chain (no next pointer drawn after it). */
  last: boolean
  x: number
  y: number
  w: number
}

export type HtRow =
  | { kind: 'bucket'; table: 0 | 1; index: number; y: number; chain: number; hiddenChain: number; moreX: number; moved: boolean }
  | { kind: 'empty'; table: 0 | 1; from: number; to: number; y: number; moved: boolean }

export interface HtTableLayout {
  table: 0 | 1
  x: number
  size: number
  used: number
  loadFactor: number
  rows: HtRow[]
  /** y of the rehash index marker in table 0 (null when not rehashing or outside the window). */
  rehashY: number | null
  height: number
}

export interface HashtableLayout {
  rehashing: boolean
  rehashIndex: number
  tables: HtTableLayout[]
  entries: HtEntryLayout[]
  width: number
  height: number
  summary: string
}

export interface HashtableLayoutOptions {
  /** Chain entries drawn per bucket (default 5). */
  maxChain?: number
}

const ROW_H = 26
const BUCKET_W = 46
const ENTRY_W = 74
const ENTRY_GAP = 14
const TOP = 40

export function loadFactorText(used: number, size: number): string {
  return size === 0 ? 'empty' : `${(used / size).toFixed(2)}`
}

export function layoutHashtable(snap: HashtableSnapshot, opts: HashtableLayoutOptions = {}): HashtableLayout {
  const maxChain = opts.maxChain ?? 5
  const rehashing = snap.rehashIndex !== -1
  const tables: HtTableLayout[] = []
  const entries: HtEntryLayout[] = []
  let x = 0
  const { start, count } = snap.window
  snap.tables.forEach((t, ti) => {
    const table = ti as 0 | 1
    const rows: HtRow[] = []
    const end = Math.min(t.size, start + count)
    let y = TOP
    let cursor = start
    let widest = 0
    const movedAt = (i: number) => table === 0 && rehashing && i < snap.rehashIndex
    let rehashY: number | null = null
    const emptyRun = (from: number, to: number) => {
      // Split a run of empty buckets where the rehash index falls, so "moved" is exact.
      const cut = table === 0 && rehashing && snap.rehashIndex > from && snap.rehashIndex <= to ? snap.rehashIndex : -1
      if (cut !== -1) {
        rows.push({ kind: 'empty', table, from, to: cut - 1, y, moved: true })
        y += ROW_H
        rehashY = y
        rows.push({ kind: 'empty', table, from: cut, to, y, moved: false })
      } else {
        if (table === 0 && rehashing && snap.rehashIndex === from) rehashY = y
        rows.push({ kind: 'empty', table, from, to, y, moved: movedAt(from) })
      }
      y += ROW_H
    }
    for (const b of t.buckets) {
      if (b.index >= end) break
      if (b.index > cursor) emptyRun(cursor, b.index - 1)
      if (table === 0 && rehashing && snap.rehashIndex === b.index) rehashY = y
      const shown = b.entries.slice(0, maxChain)
      rows.push({ kind: 'bucket', table, index: b.index, y, chain: b.entries.length, hiddenChain: b.entries.length - shown.length, moreX: BUCKET_W + ENTRY_GAP + shown.length * (ENTRY_W + ENTRY_GAP), moved: movedAt(b.index) })
      shown.forEach((e, depth) => {
        const ex = x + BUCKET_W + ENTRY_GAP + depth * (ENTRY_W + ENTRY_GAP)
        entries.push({ key: e.key, label: byteLabel(e.key, 10), value: e.value, table, bucket: b.index, depth, last: depth === b.entries.length - 1, x: ex, y, w: ENTRY_W })
      })
      widest = Math.max(widest, BUCKET_W + ENTRY_GAP + Math.min(maxChain + 1, b.entries.length) * (ENTRY_W + ENTRY_GAP))
      y += ROW_H
      cursor = b.index + 1
    }
    if (cursor < end) emptyRun(cursor, end - 1)
    tables.push({ table, x, size: t.size, used: t.used, loadFactor: t.size === 0 ? 0 : t.used / t.size, rows, rehashY, height: y })
    x += Math.max(widest, BUCKET_W + ENTRY_GAP + 2 * (ENTRY_W + ENTRY_GAP), 200) + 30
  })
  const totalUsed = snap.tables.reduce((s, t) => s + t.used, 0)
  const height = Math.max(TOP, ...tables.map((t) => t.height)) + 10
  return {
    rehashing,
    rehashIndex: snap.rehashIndex,
    tables,
    entries,
    width: x,
    height,
    summary:
      `hashtable with ${plural(totalUsed, 'entry', 'entries')}: ` +
      snap.tables.map((t, i) => `table ${i} has ${t.size} buckets, ${t.used} used, load factor ${loadFactorText(t.used, t.size)}`).join('; ') +
      (rehashing ? `; rehashing, next bucket to move is ${snap.rehashIndex}` : ''),
  }
}

export const HT_ROW_H = ROW_H
export const HT_BUCKET_W = BUCKET_W
export const HT_ENTRY_GAP = ENTRY_GAP
