// Intset view layout: the header (encoding u32, length u32) and the sorted array of
// fixed-width little-endian integers. For an upgrade it also gives each value's place
// at the old width, so the view can widen the cells (keyed by value) in place.
import type { IntsetSnapshot } from '../../../engine/introspect/inspect.ts'
import { hexBytes } from '../common.ts'

export interface IntsetCell {
  /** The integer in decimal: its stable identity (an intset holds each value once). */
  value: string
  index: number
  x: number
  y: number
  w: number
  /** Place and width at the old width when an upgrade is being shown. */
  fromX: number
  fromY: number
  fromW: number
  /** The value did not fit the old width: it caused the upgrade. */
  isNew: boolean
  /** Little-endian bytes as stored. */
  hex: string
}

export interface IntsetLayout {
  width: 2 | 4 | 8
  fromWidth: 2 | 4 | 8 | null
  rangeText: string
  header: { encodingHex: string; lengthHex: string; w: number }
  cells: IntsetCell[]
  hidden: number
  maxEntries: number | null
  fill: number | null
  svgWidth: number
  height: number
  summary: string
}

export interface IntsetLayoutOptions {
  width?: number
  /** The 'intset-upgrade' event being shown (from/to widths). */
  upgrade?: { from: number; to: number } | null
  /** set-max-intset-entries, for the fill text. */
  maxEntries?: number | null
}

const PX_PER_BYTE = 14
const ROW_H = 44
const TOP = 54

function asWidth(n: number): 2 | 4 | 8 {
  return n <= 2 ? 2 : n <= 4 ? 4 : 8
}

export function intRange(width: 2 | 4 | 8): [bigint, bigint] {
  const bits = BigInt(width * 8 - 1)
  return [-(1n << bits), (1n << bits) - 1n]
}

export function rangeText(width: 2 | 4 | 8): string {
  const [lo, hi] = intRange(width)
  return `int${width * 8}_t: ${lo} … ${hi}`
}

function leHex(v: bigint, n: number): string {
  const out: number[] = []
  let u = BigInt.asUintN(n * 8, v)
  for (let i = 0; i < n; i++) {
    out.push(Number(u & 0xffn))
    u >>= 8n
  }
  return hexBytes(out)
}

function place(i: number, cellW: number, perRow: number): { x: number; y: number } {
  return { x: (i % perRow) * cellW, y: TOP + Math.floor(i / perRow) * ROW_H }
}

export function layoutIntset(snap: IntsetSnapshot, opts: IntsetLayoutOptions = {}): IntsetLayout {
  const avail = Math.max(200, opts.width ?? 640)
  const width = asWidth(snap.width)
  const fromWidth = opts.upgrade ? asWidth(opts.upgrade.from) : null
  const cellW = width * PX_PER_BYTE + 8
  const perRow = Math.max(1, Math.floor(avail / cellW))
  const fromCellW = fromWidth === null ? cellW : fromWidth * PX_PER_BYTE + 8
  const fromPerRow = Math.max(1, Math.floor(avail / fromCellW))
  const [lo, hi] = fromWidth === null ? [0n, 0n] : intRange(fromWidth)
  const cells: IntsetCell[] = snap.values.map((value, k) => {
    const index = snap.window.start + k
    const v = BigInt(value)
    const to = place(k, cellW, perRow)
    const isNew = fromWidth !== null && (v < lo || v > hi)
    // Values that were already there sit at their old place; the newcomer grows from
    // the end it joins (the smallest goes first, the largest last).
    const from = place(k, fromCellW, fromPerRow)
    return { value, index, x: to.x, y: to.y, w: cellW - 4, fromX: from.x, fromY: from.y, fromW: isNew ? 0 : fromCellW - 4, isNew, hex: leHex(v, width) }
  })
  const rows = Math.max(1, Math.ceil(cells.length / perRow))
  const maxEntries = opts.maxEntries ?? null
  return {
    width,
    fromWidth,
    rangeText: rangeText(width),
    header: { encodingHex: leHex(BigInt(width), 4), lengthHex: leHex(BigInt(snap.length), 4), w: 8 * PX_PER_BYTE },
    cells,
    hidden: Math.max(0, snap.length - cells.length),
    maxEntries,
    fill: maxEntries ? snap.length / maxEntries : null,
    svgWidth: Math.max(Math.min(cells.length, perRow) * cellW, 2 * 8 * PX_PER_BYTE + 20),
    height: TOP + rows * ROW_H + 10,
    summary: `intset of ${snap.length} integers, ${width} bytes each (${rangeText(width)}), ${snap.byteLength} bytes${fromWidth !== null ? `, upgraded from ${fromWidth} bytes` : ''}`,
  }
}
