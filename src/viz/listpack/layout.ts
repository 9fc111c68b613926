// Listpack view layout: a byte map of the header (total bytes u32, count u16), each
// entry's encoding byte(s), data and back-length, and the 0xFF end byte; the bytes
// are rebuilt from each entry's encoding and value (listpack.c's format), so a hover
// can show how they decode. Plus a gauge against the conversion thresholds.
import type { ListpackSnapshot } from '../../../engine/introspect/inspect.ts'
import { byteCodes, byteLabel, clamp, flow, hex, hexBytes, plural } from '../common.ts'

export type ListpackEntrySnapshot = ListpackSnapshot['entries'][number]

/** Header: 4 bytes total length + 2 bytes element count. */
export const LP_HEADER_BYTES = 6
/** lpLength's "unknown" count marker: the real count needs a scan. */
export const LP_HDR_NUMELE_UNKNOWN = 65535

export interface ListpackThresholds {
  /** e.g. hash-max-listpack-entries (counted in elements, see itemsPerElement). */
  maxEntries: number
  /** e.g. hash-max-listpack-value: longest element in bytes. */
  maxValueBytes: number
  entriesName: string
  valueName: string
  /** 2 for hashes (field, value) and zsets (member, score); 1 otherwise. */
  itemsPerElement: 1 | 2
  /** What one element is called: 'field', 'member', 'element'. */
  noun: string
}

export interface EntryBytes {
  encoding: number[]
  /** The payload bytes (shown up to 16). */
  data: number[]
  dataTruncated: boolean
  backlen: number[]
}

export interface LpPart {
  kind: 'enc' | 'data' | 'backlen'
  x: number
  w: number
  bytes: number
  hex: string
}

export interface LpEntryLayout {
  /** Entry index in the whole listpack. */
  index: number
  offset: number
  x: number
  y: number
  w: number
  parts: LpPart[]
  /** The value cut to fit the entry's width. */
  label: string
  /** The value as text (longer cut), for names and tables. */
  text: string
  encoding: ListpackEntrySnapshot['encoding']
  size: number
  decode: string[]
}

export interface LpGauge {
  elements: number
  maxEntries: number
  entriesFraction: number
  /** Longest element among the drawn entries, in bytes. */
  longest: number
  maxValueBytes: number
  valueFraction: number
  entriesText: string
  valueText: string
  over: boolean
  y: number
  w: number
}

export interface ListpackLayout {
  header: { x: number; y: number; w: number; countX: number; totalBytes: number; count: number; countText: string; totalHex: string; countHex: string }
  gapBefore: { x: number; y: number; w: number; entries: number } | null
  entries: LpEntryLayout[]
  gapAfter: { x: number; y: number; w: number; entries: number } | null
  end: { x: number; y: number; w: number; offset: number }
  gauge: LpGauge | null
  rowHeight: number
  width: number
  height: number
  summary: string
}

export interface ListpackLayoutOptions {
  width?: number
  thresholds?: ListpackThresholds | null
}

const ROW_H = 40
const GAP = 6
const PX_PER_BYTE = 14
const MIN_PART = 18
/** Monospace 11px: about this many px per character. */
const CHAR_W = 6.7
const MAX_DATA = 150

function le(value: bigint, n: number): number[] {
  const out: number[] = []
  let v = BigInt.asUintN(n * 8, value)
  for (let i = 0; i < n; i++) {
    out.push(Number(v & 0xffn))
    v >>= 8n
  }
  return out
}

/** lpEncodeBacklen: most significant 7-bit group first, continuation bit on all but the first byte. */
export function encodeBacklen(l: number): number[] {
  const size = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5
  const out = new Array<number>(size)
  for (let i = size - 1; i >= 0; i--) {
    out[i] = (l % 128) | (i === 0 ? 0 : 128)
    l = Math.floor(l / 128)
  }
  return out
}

const INT_BYTES: Partial<Record<ListpackEntrySnapshot['encoding'], number>> = { '16bit-int': 2, '24bit-int': 3, '32bit-int': 4, '64bit-int': 8 }
const INT_TAG: Partial<Record<ListpackEntrySnapshot['encoding'], number>> = { '16bit-int': 0xf1, '24bit-int': 0xf2, '32bit-int': 0xf3, '64bit-int': 0xf4 }

/** The bytes of one entry, rebuilt from its encoding and value (lpEncodeString / lpEncodeIntegerGetType). */
export function entryBytes(e: ListpackEntrySnapshot, maxData = 16): EntryBytes {
  let encoding: number[]
  let data: number[] = []
  let dataTruncated = false
  switch (e.encoding) {
    case '7bit-uint':
      encoding = [Number(e.value) & 0x7f]
      break
    case '13bit-int': {
      const u = Number(BigInt.asUintN(13, BigInt(e.value)))
      encoding = [0xc0 | (u >> 8)]
      data = [u & 0xff]
      break
    }
    case '16bit-int':
    case '24bit-int':
    case '32bit-int':
    case '64bit-int':
      encoding = [INT_TAG[e.encoding] as number]
      data = le(BigInt(e.value), INT_BYTES[e.encoding] as number)
      break
    default: {
      const len = e.value.length
      encoding = e.encoding === '6bit-str' ? [0x80 | len] : e.encoding === '12bit-str' ? [0xe0 | (len >> 8), len & 0xff] : [0xf0, ...le(BigInt(len), 4)]
      data = byteCodes(e.value, maxData)
      dataTruncated = len > maxData
    }
  }
  return { encoding, data, dataTruncated, backlen: encodeBacklen(e.backlen) }
}

const ENC_WORDS: Record<ListpackEntrySnapshot['encoding'], string> = {
  '7bit-uint': '0xxxxxxx: 7-bit unsigned integer in the encoding byte itself',
  '6bit-str': '10xxxxxx: string up to 63 bytes, length in the low 6 bits',
  '13bit-int': '110xxxxx + 1 byte: 13-bit signed integer',
  '12bit-str': '1110xxxx + 1 byte: string up to 4095 bytes, 12-bit length',
  '16bit-int': 'f1 + 2 bytes: 16-bit signed integer, little-endian',
  '24bit-int': 'f2 + 3 bytes: 24-bit signed integer, little-endian',
  '32bit-int': 'f3 + 4 bytes: 32-bit signed integer, little-endian',
  '64bit-int': 'f4 + 8 bytes: 64-bit signed integer, little-endian',
  '32bit-str': 'f0 + 4 bytes: string with a 32-bit little-endian length',
}

/** How an entry's bytes decode, in words, one line per part. */
export function describeEntry(e: ListpackEntrySnapshot, index: number): string[] {
  const b = entryBytes(e)
  const lines = [`entry ${index} at byte ${e.offset}: ${e.size} bytes (${e.encodingBytes} encoding + ${e.dataBytes} data + ${e.backlenBytes} back-length)`]
  lines.push(`encoding ${hexBytes(b.encoding)} = ${ENC_WORDS[e.encoding]}`)
  if (e.isInt) {
    lines.push(e.dataBytes === 0 ? `value ${e.value} (no data bytes)` : `data ${hexBytes(b.data)} = integer ${e.value}`)
  } else {
    lines.push(`data ${hexBytes(b.data)}${b.dataTruncated ? ' …' : ''} = "${byteLabel(e.value, 40)}" (${e.value.length} bytes)`)
  }
  lines.push(`back-length ${hexBytes(b.backlen)} = ${e.backlen}: encoding + data bytes, read right to left to step back`)
  return lines
}

function partWidth(bytes: number, max = Infinity): number {
  return clamp(bytes * PX_PER_BYTE, MIN_PART, max)
}

/** Element count as Redis counts it for the thresholds (fields, members, elements). */
export function gaugeFor(snap: ListpackSnapshot, t: ListpackThresholds, w: number): Omit<LpGauge, 'y'> {
  const elements = Math.floor(snap.length / t.itemsPerElement)
  let longest = 0
  for (const e of snap.entries) longest = Math.max(longest, e.isInt ? e.value.length : e.value.length)
  const entriesFraction = t.maxEntries > 0 ? elements / t.maxEntries : 1
  const valueFraction = t.maxValueBytes > 0 ? longest / t.maxValueBytes : 1
  return {
    elements,
    maxEntries: t.maxEntries,
    entriesFraction,
    longest,
    maxValueBytes: t.maxValueBytes,
    valueFraction,
    entriesText: `${plural(elements, t.noun, `${t.noun}s`)} of ${t.entriesName} ${t.maxEntries}`,
    valueText: `longest ${plural(longest, 'byte', 'bytes')} of ${t.valueName} ${t.maxValueBytes}`,
    over: elements > t.maxEntries || longest > t.maxValueBytes,
    w,
  }
}

export function layoutListpack(snap: ListpackSnapshot, opts: ListpackLayoutOptions = {}): ListpackLayout {
  const maxWidth = Math.max(240, opts.width ?? 640)
  const start = snap.window.start
  const items: { width: number }[] = []
  const headerW = 4 * PX_PER_BYTE + 40
  items.push({ width: headerW })
  const gapBeforeN = Math.min(start, snap.length)
  if (gapBeforeN > 0) items.push({ width: 56 })
  const entryParts = snap.entries.map((e) => {
    const b = entryBytes(e)
    const enc = partWidth(e.encodingBytes)
    const data = e.dataBytes > 0 ? partWidth(e.dataBytes, MAX_DATA) : 0
    const back = partWidth(e.backlenBytes)
    const parts: LpPart[] = [{ kind: 'enc', x: 0, w: enc, bytes: e.encodingBytes, hex: hexBytes(b.encoding) }]
    if (data > 0) parts.push({ kind: 'data', x: enc, w: data, bytes: e.dataBytes, hex: hexBytes(b.data) + (b.dataTruncated ? ' …' : '') })
    parts.push({ kind: 'backlen', x: enc + data, w: back, bytes: e.backlenBytes, hex: hexBytes(b.backlen) })
    return { parts, w: enc + data + back }
  })
  for (const p of entryParts) items.push({ width: p.w })
  const shownEnd = start + snap.entries.length
  const gapAfterN = Math.max(0, snap.length - shownEnd)
  if (gapAfterN > 0) items.push({ width: 56 })
  items.push({ width: partWidth(1) })
  const placed = flow(items, maxWidth, ROW_H, GAP, 0, 0)
  let k = 0
  const hp = placed.placements[k++]
  const count = snap.headerCount
  const header: ListpackLayout['header'] = {
    x: hp.x,
    y: hp.y,
    w: headerW,
    countX: 4 * PX_PER_BYTE,
    totalBytes: snap.totalBytes,
    count,
    countText: count === LP_HDR_NUMELE_UNKNOWN ? 'unknown (65535): count by scanning' : String(count),
    totalHex: hexBytes(le(BigInt(snap.totalBytes), 4)),
    countHex: hexBytes(le(BigInt(count), 2)),
  }
  let gapBefore: ListpackLayout['gapBefore'] = null
  if (gapBeforeN > 0) {
    const p = placed.placements[k++]
    gapBefore = { x: p.x, y: p.y, w: 56, entries: gapBeforeN }
  }
  const entries: LpEntryLayout[] = snap.entries.map((e, i) => {
    const p = placed.placements[k++]
    return {
      index: start + i,
      offset: e.offset,
      x: p.x,
      y: p.y,
      w: entryParts[i].w,
      parts: entryParts[i].parts,
      label: byteLabel(e.value, Math.max(1, Math.floor((entryParts[i].w - 6) / CHAR_W))),
      text: byteLabel(e.value, 40),
      encoding: e.encoding,
      size: e.size,
      decode: describeEntry(e, start + i),
    }
  })
  let gapAfter: ListpackLayout['gapAfter'] = null
  if (gapAfterN > 0) {
    const p = placed.placements[k++]
    gapAfter = { x: p.x, y: p.y, w: 56, entries: gapAfterN }
  }
  const ep = placed.placements[k++]
  const end = { x: ep.x, y: ep.y, w: partWidth(1), offset: snap.totalBytes - 1 }
  let gauge: LpGauge | null = null
  let height = placed.height + 18
  if (opts.thresholds) {
    gauge = { ...gaugeFor(snap, opts.thresholds, Math.min(maxWidth, 360)), y: height + 8 }
    height = gauge.y + 60
  }
  return {
    header,
    gapBefore,
    entries,
    gapAfter,
    end,
    gauge,
    rowHeight: ROW_H,
    width: Math.max(placed.width, gauge ? gauge.w + 8 : 0) + 2,
    height,
    summary: `listpack of ${snap.totalBytes} bytes holding ${plural(snap.length, 'entry', 'entries')}${snap.entries.length < snap.length ? `, entries ${start}…${shownEnd - 1} drawn` : ''}`,
  }
}

/** Hex of the header bytes for the decode text. */
export function describeHeader(L: ListpackLayout): string[] {
  return [
    `header bytes 0-3: ${L.header.totalHex} = total bytes ${L.header.totalBytes} (u32 little-endian)`,
    `header bytes 4-5: ${L.header.countHex} = element count ${L.header.countText} (u16 little-endian)`,
  ]
}

export function describeEnd(L: ListpackLayout): string[] {
  return [`byte ${L.end.offset}: ${hex(0xff)} = end of listpack (LP_EOF)`]
}
