// The buckets one dictScan step visits, worked out from the table sizes alone
// (dict.ts scan mirrors Redis's dictScan): the views draw a SCAN cursor's path
// with it, and the 'scan-step' trace event carries it. Pure arithmetic.

export interface ScanVisit {
  /** The dict's table (0, or 1 while rehashing). */
  table: 0 | 1
  bucket: number
}

function rev32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1)
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2)
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4)
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8)
  return ((v >>> 16) | (v << 16)) >>> 0
}

/** The cursor after `v` on a table of mask `m`: set the bits above the mask, add one to the reversed value. */
export function nextScanCursor(v: number, m: number): number {
  return rev32((rev32((v | ~m) >>> 0) + 1) >>> 0)
}

/**
 * One scan step from `cursor`: the buckets it reads, in order, and the next cursor.
 * Not rehashing: one bucket of table 0. Rehashing: the bucket of the smaller table,
 * then every bucket of the bigger table that it expands to. An empty dict visits
 * nothing and ends the scan (cursor 0).
 */
export function scanStep(cursor: number, size0: number, size1: number, rehashing: boolean, empty = false): { visits: ScanVisit[]; next: number } {
  if (empty || size0 === 0) return { visits: [], next: 0 }
  let v = cursor >>> 0
  const visits: ScanVisit[] = []
  if (!rehashing) {
    const m0 = size0 - 1
    visits.push({ table: 0, bucket: v & m0 })
    return { visits, next: nextScanCursor(v, m0) }
  }
  const smallT: 0 | 1 = size0 <= size1 ? 0 : 1
  const bigT: 0 | 1 = smallT === 0 ? 1 : 0
  const ms = (smallT === 0 ? size0 : size1) - 1
  const mb = (bigT === 0 ? size0 : size1) - 1
  visits.push({ table: smallT, bucket: v & ms })
  do {
    visits.push({ table: bigT, bucket: v & mb })
    v = nextScanCursor(v, mb)
  } while ((v & (ms ^ mb)) !== 0)
  return { visits, next: v >>> 0 }
}

/** Every cursor of a full scan of a table of `size` buckets (not rehashing), in the order visited: 0, size/2, size/4, ... */
export function scanOrder(size: number): number[] {
  const out: number[] = []
  let v = 0
  do {
    out.push(v)
    v = nextScanCursor(v, size - 1)
  } while (v !== 0)
  return out
}
