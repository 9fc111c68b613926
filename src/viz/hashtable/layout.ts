// Hashtable view layout: table 0 (and table 1 while rehashing) as columns of
// buckets; non-empty buckets show their chains, runs of empty buckets fold into one
// row; buckets of table 0 below the rehash index are already moved. Entries get
// absolute positions so the view can key them by field and animate a move between
// tables.
import type { HashtableSnapshot } from '../../../engine/introspect/inspect.ts'
import { byteLabel, plural } from '../common.ts'
import type { ScanWalk } from '../inspector-model.ts'

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
  | {
      kind: 'bucket'
      table: 0 | 1
      index: number
      y: number
      chain: number
      hiddenChain: number
      moreX: number
      moved: boolean
      /** 1-based number of the scan call that first read this bucket, null when the walk did not. */
      scanCall: number | null
      /** Read by the latest scan call. */
      scanLatest: boolean
    }
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
  /** "table 0: 16 buckets, 15 used · rehashidx 1". */
  title: string
  height: number
}

export interface HashtableLayout {
  rehashing: boolean
  rehashIndex: number
  tables: HtTableLayout[]
  entries: HtEntryLayout[]
  /** The SCAN walk drawn over the buckets, in words; null without one. */
  scan: HtScanLayout | null
  /** Left gutter (px) inside each table for the scan call numbers. */
  gutter: number
  width: number
  height: number
  summary: string
}

export interface HtScanLayout {
  op: string
  /** "0 → 8 → 4": the cursors of the walk so far. */
  cursors: string
  calls: number
  done: boolean
  /** The buckets the latest call read, in order, e.g. "table 0 bucket 4, table 1 bucket 4, table 1 bucket 12". */
  latestText: string
  /** The order a full scan visits the first table's buckets (reverse-binary), first 16. */
  orderText: string
  /** Buckets read that fall outside the drawn window. */
  outside: number
}

export interface HashtableLayoutOptions {
  /** Chain entries drawn per bucket (default 5). */
  maxChain?: number
  /** A SCAN walk to draw: the buckets it read are drawn (even empty ones) and numbered by call. */
  scan?: ScanWalk | null
}

/**
 * The cursors of a full scan of a table of `size` buckets, in the order dictScan
 * visits them: reverse the bits, add one, reverse back (0, size/2, size/4, 3size/4, ...).
 * (The page runs no engine code: this mirrors engine/introspect/scan-path.ts scanOrder.)
 */
export function scanOrder(size: number): number[] {
  const bits = Math.round(Math.log2(size))
  const rev = (v: number): number => {
    let r = 0
    for (let i = 0; i < bits; i++) r |= ((v >> i) & 1) << (bits - 1 - i)
    return r
  }
  return Array.from({ length: size }, (_, i) => rev(i))
}

/** The reverse-binary cursor order of a table, in words ("0, 4, 2, 6, 1, 5, 3, 7"), cut after `max`. */
export function scanOrderText(size: number, max = 16): string {
  if (size <= 0) return ''
  const order = scanOrder(size)
  return order.slice(0, max).join(', ') + (order.length > max ? ', …' : '')
}

function scanLayout(walk: ScanWalk, inWindow: (table: 0 | 1, bucket: number) => boolean, size0: number): HtScanLayout {
  const last = walk.steps[walk.steps.length - 1]
  const cursors = [walk.steps[0].cursor, ...walk.steps.map((s) => s.next)].join(' → ')
  let outside = 0
  for (const st of walk.steps) for (const v of st.visits) if (!inWindow(v.table, v.bucket)) outside++
  return {
    op: walk.op.toUpperCase(),
    cursors,
    calls: walk.steps.length,
    done: walk.done,
    latestText: last.visits.length === 0 ? 'no buckets (empty)' : last.visits.map((v) => `table ${v.table} bucket ${v.bucket}`).join(', '),
    orderText: scanOrderText(size0),
    outside,
  }
}

const ROW_H = 26
const BUCKET_W = 46
const ENTRY_W = 74
const ENTRY_GAP = 14
const TOP = 40
const GUTTER = 28

export function loadFactorText(used: number, size: number): string {
  return size === 0 ? 'empty' : `${(used / size).toFixed(2)}`
}

export function layoutHashtable(snap: HashtableSnapshot, opts: HashtableLayoutOptions = {}): HashtableLayout {
  const maxChain = opts.maxChain ?? 5
  const rehashing = snap.rehashIndex !== -1
  const tables: HtTableLayout[] = []
  const entries: HtEntryLayout[] = []
  const walk = opts.scan ?? null
  const gutter = walk ? GUTTER : 0
  // First call that read each bucket ("table:bucket"), and the buckets of the latest call.
  const scanCall = new Map<string, number>()
  const latest = new Set<string>()
  walk?.steps.forEach((st, i) => {
    for (const v of st.visits) if (!scanCall.has(`${v.table}:${v.bucket}`)) scanCall.set(`${v.table}:${v.bucket}`, i + 1)
  })
  for (const v of walk?.steps[walk.steps.length - 1]?.visits ?? []) latest.add(`${v.table}:${v.bucket}`)
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
    // Rows: the non-empty buckets, plus the ones the scan read (drawn even when empty).
    const byIndex = new Map(t.buckets.map((b) => [b.index, b]))
    const indices = new Set<number>()
    for (const b of t.buckets) if (b.index >= start && b.index < end) indices.add(b.index)
    for (const k of scanCall.keys()) {
      const [tt, bi] = k.split(':').map(Number)
      if (tt === table && bi >= start && bi < end) indices.add(bi)
    }
    for (const index of [...indices].sort((a, b) => a - b)) {
      const b = byIndex.get(index) ?? { index, entries: [] }
      if (b.index > cursor) emptyRun(cursor, b.index - 1)
      if (table === 0 && rehashing && snap.rehashIndex === b.index) rehashY = y
      const shown = b.entries.slice(0, maxChain)
      const sk = `${table}:${b.index}`
      rows.push({
        kind: 'bucket',
        table,
        index: b.index,
        y,
        chain: b.entries.length,
        hiddenChain: b.entries.length - shown.length,
        moreX: BUCKET_W + ENTRY_GAP + shown.length * (ENTRY_W + ENTRY_GAP),
        moved: movedAt(b.index),
        scanCall: scanCall.get(sk) ?? null,
        scanLatest: latest.has(sk),
      })
      shown.forEach((e, depth) => {
        const ex = x + gutter + BUCKET_W + ENTRY_GAP + depth * (ENTRY_W + ENTRY_GAP)
        entries.push({ key: e.key, label: byteLabel(e.key, 10), value: e.value, table, bucket: b.index, depth, last: depth === b.entries.length - 1, x: ex, y, w: ENTRY_W })
      })
      widest = Math.max(widest, BUCKET_W + ENTRY_GAP + Math.min(maxChain + 1, b.entries.length) * (ENTRY_W + ENTRY_GAP))
      y += ROW_H
      cursor = b.index + 1
    }
    if (cursor < end) emptyRun(cursor, end - 1)
    const title = `table ${table}: ${t.size} buckets, ${t.used} used${table === 0 && rehashing ? ` · rehashidx ${snap.rehashIndex}` : ''}`
    tables.push({ table, x: x + gutter, size: t.size, used: t.used, loadFactor: t.size === 0 ? 0 : t.used / t.size, rows, rehashY, height: y, title })
    // Wide enough for the chains and for the title (monospace 11px: about 6.7 px a character).
    x += gutter + Math.max(widest, BUCKET_W + ENTRY_GAP + 2 * (ENTRY_W + ENTRY_GAP), 200, Math.ceil(title.length * 6.7) + 8) + 30
  })
  const totalUsed = snap.tables.reduce((s, t) => s + t.used, 0)
  const height = Math.max(TOP, ...tables.map((t) => t.height)) + 10
  return {
    rehashing,
    rehashIndex: snap.rehashIndex,
    tables,
    entries,
    scan: walk && walk.steps.length > 0 ? scanLayout(walk, (tt, bi) => tt < snap.tables.length && bi >= start && bi < Math.min(snap.tables[tt].size, start + count), snap.tables[0]?.size ?? 0) : null,
    gutter,
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
