// String view layout: the object header (robj), the sds header class and the bytes,
// and where the length sits against the 44-byte embstr limit. Pure arithmetic.
import type { StringSnapshot } from '../../../engine/introspect/inspect.ts'
import { byteChar, byteCodes, hex } from '../common.ts'

/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT: robj 16 + sdshdr8 3 + 44 bytes + NUL = one 64-byte allocation. */
export const EMBSTR_SIZE_LIMIT = 44
/** sizeof(robj) on 64-bit. */
export const ROBJ_BYTES = 16
/** sds header bytes per class (sds.h). */
export const SDS_HEADER_BYTES: Readonly<Record<5 | 8 | 16 | 32 | 64, number>> = { 5: 1, 8: 3, 16: 5, 32: 9, 64: 17 }

export type StringBlockKind = 'robj' | 'sds-header' | 'data' | 'nul'

export interface StringBlock {
  kind: StringBlockKind
  label: string
  detail: string
  bytes: number
  /** 0: the allocation holding the robj; 1: the separate sds allocation (raw). */
  allocation: 0 | 1
  x: number
  y: number
  w: number
}

export interface StringByteCell {
  index: number
  code: number
  hex: string
  char: string
  x: number
  y: number
}

export interface StringLayout {
  encoding: StringSnapshot['encoding']
  length: number
  /** The header class drawn: embstr is always sdshdr8 (createEmbeddedStringObject); raw uses the snapshot's. */
  sdsClass: 5 | 8 | 16 | 32 | 64 | null
  allocations: 1 | 2
  blocks: StringBlock[]
  /** Pointer from the robj to the separate sds allocation (raw only). */
  pointer: { x1: number; x2: number; y: number } | null
  cells: StringByteCell[]
  /** Bytes of the value not drawn as cells. */
  hiddenBytes: number
  boundary: {
    limit: number
    /** Scale end in bytes (at least 64). */
    max: number
    x: number
    w: number
    y: number
    limitX: number
    markerX: number
    text: string
  }
  width: number
  height: number
  summary: string
}

export interface StringLayoutOptions {
  width?: number
  /** Byte cells drawn at most (default 64). */
  maxCells?: number
}

const BLOCK_H = 34
const CELL_W = 26
const CELL_H = 30
const CELLS_PER_ROW = 16

export function boundaryText(encoding: StringSnapshot['encoding'], length: number): string {
  if (encoding === 'int') return `int: the value is a 64-bit integer, kept in the robj's pointer field; no sds at all (${length} digits)`
  if (encoding === 'embstr') return `${length} bytes ≤ ${EMBSTR_SIZE_LIMIT}: embstr, robj + sdshdr8 + bytes + NUL in one allocation`
  if (length <= EMBSTR_SIZE_LIMIT) return `${length} bytes ≤ ${EMBSTR_SIZE_LIMIT} but raw: a string changed in place (APPEND, SETRANGE, ...) stays raw`
  return `${length} bytes > ${EMBSTR_SIZE_LIMIT}: raw, the sds is a separate allocation`
}

export function layoutString(snap: StringSnapshot, opts: StringLayoutOptions = {}): StringLayout {
  const width = Math.max(320, opts.width ?? 640)
  const maxCells = opts.maxCells ?? 64
  const { encoding, length } = snap
  const sdsClass = encoding === 'int' ? null : encoding === 'embstr' ? 8 : (snap.sdsType ?? 8)
  const blocks: StringBlock[] = []
  const top = 18
  // Widths: a fixed scale per byte for the headers, the data capped so long strings fit.
  const px = 6
  let x = 0
  const push = (kind: StringBlockKind, label: string, detail: string, bytes: number, allocation: 0 | 1, minW = 30, maxW = Infinity) => {
    const w = Math.min(maxW, Math.max(minW, bytes * px))
    blocks.push({ kind, label, detail, bytes, allocation, x, y: top, w })
    x += w
  }
  let pointer: StringLayout['pointer'] = null
  if (encoding === 'int') {
    push('robj', 'robj', `type string, encoding int, lru, refcount, ptr = the integer ${snap.bytes}`, ROBJ_BYTES, 0, 120)
  } else {
    const hdr = SDS_HEADER_BYTES[sdsClass ?? 8]
    push('robj', 'robj', `type string, encoding ${encoding}, lru, refcount, ptr`, ROBJ_BYTES, 0, 96)
    const allocation: 0 | 1 = encoding === 'raw' ? 1 : 0
    if (allocation === 1) {
      const from = x
      x += 40
      pointer = { x1: from - 8, x2: x, y: top + BLOCK_H / 2 }
    }
    const alloc = snap.sdsAlloc ?? length
    const hdrDetail =
      sdsClass === 5
        ? 'flags byte: type and length in one byte'
        : `len ${length}, alloc ${encoding === 'raw' ? alloc : length}, flags (${hdr} bytes)${encoding === 'raw' && alloc > length ? `: room for ${alloc - length} more bytes before it must grow` : ''}`
    push('sds-header', `sdshdr${sdsClass}`, hdrDetail, hdr, allocation, 60)
    const room = Math.max(60, width - x - 30)
    push('data', `${length} bytes`, 'the string bytes', length, allocation, 44, room)
    push('nul', '\\0', 'terminating NUL, so the bytes are also a C string', 1, allocation, 32)
  }
  const blocksW = x
  const codes = byteCodes(snap.bytes, maxCells)
  const cellsTop = top + BLOCK_H + 28
  const cells: StringByteCell[] = codes.map((code, i) => ({
    index: snap.window.start + i,
    code,
    hex: hex(code),
    char: byteChar(code),
    x: (i % CELLS_PER_ROW) * CELL_W,
    y: cellsTop + Math.floor(i / CELLS_PER_ROW) * CELL_H,
  }))
  const rows = Math.ceil(codes.length / CELLS_PER_ROW)
  const hiddenBytes = Math.max(0, length - codes.length)
  const boundaryTop = cellsTop + rows * CELL_H + (hiddenBytes > 0 ? 16 : 4) + 14
  const max = Math.max(64, Math.min(length + 8, 128))
  const scaleW = Math.min(width - 20, 480)
  const sx = (b: number) => (Math.min(b, max) / max) * scaleW
  const allocations: 1 | 2 = encoding === 'raw' ? 2 : 1
  const text = boundaryText(encoding, length)
  return {
    encoding,
    length,
    sdsClass,
    allocations,
    blocks,
    pointer,
    cells,
    hiddenBytes,
    boundary: { limit: EMBSTR_SIZE_LIMIT, max, x: 0, w: scaleW, y: boundaryTop, limitX: sx(EMBSTR_SIZE_LIMIT), markerX: sx(length), text },
    width: Math.max(blocksW, CELLS_PER_ROW * CELL_W, scaleW) + 10,
    height: boundaryTop + 40,
    summary: `string, encoding ${encoding}, ${length} bytes${sdsClass === null ? '' : `, sdshdr${sdsClass}`}, ${allocations === 1 ? 'one allocation' : 'two allocations'}`,
  }
}
