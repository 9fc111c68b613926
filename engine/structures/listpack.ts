// Redis 7.0 listpack (listpack.c), byte for byte.
//
// Layout: u32 LE total bytes, u16 LE element count (65535 = "unknown, walk to count"),
// entries, then the 0xFF end byte. Each entry is <encoding+data><backlen>, where backlen
// is the size of <encoding+data> written in 1..5 bytes, 7 bits per byte, so the list can
// be walked backwards. Strings that spell a canonical int64 are stored as integers.
//
// Entry positions are byte offsets into the listpack (like Redis's `unsigned char *p`);
// `null` plays the role of NULL. Offsets are invalidated by any write, except the ones a
// write returns. The bytes live in a buffer with spare capacity so appends are amortised
// O(1); bytes() returns exactly the Redis layout.

import { NEEDS_BIGINT, string2llNumber } from './numbers.ts'

export const LP_HDR_SIZE = 6
export const LP_HDR_NUMELE_UNKNOWN = 65535
export const LP_EOF = 0xff
/** LISTPACK_MAX_SAFETY_SIZE: callers convert to a bigger encoding rather than grow a listpack past 1 GB. */
export const LISTPACK_MAX_SAFETY_SIZE = 1 << 30

/** A listpack value: a byte string, or an integer (number when within +-(2^53-1), else bigint). */
export type ListpackValue = string | number | bigint

export type ListpackEncoding =
  | '7bit-uint'
  | '6bit-str'
  | '13bit-int'
  | '12bit-str'
  | '16bit-int'
  | '24bit-int'
  | '32bit-int'
  | '64bit-int'
  | '32bit-str'

/** One entry's boundaries, for the introspection views. */
export interface ListpackEntryInfo {
  /** Byte offset of the entry's first (encoding) byte. */
  offset: number
  encoding: ListpackEncoding
  /** Encoding byte(s): the type tag plus any string length bytes (1, 2 or 5). */
  encodingBytes: number
  /** Payload bytes after the encoding bytes (string bytes or integer bytes; 0 for 7-bit uint). */
  dataBytes: number
  /** The back-length's value: encodingBytes + dataBytes. */
  backlen: number
  /** Bytes the back-length occupies (1..5). */
  backlenBytes: number
  /** Whole entry size: encodingBytes + dataBytes + backlenBytes. */
  size: number
  value: ListpackValue
}

export type InsertWhere = 'before' | 'after' | 'replace'

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER)
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER)

/** lpEncodeBacklen's size rule (note the odd `<` bounds: 16383 already needs 3 bytes). */
export function backlenSize(l: number): number {
  if (l <= 127) return 1
  if (l < 16383) return 2
  if (l < 2097151) return 3
  if (l < 268435455) return 4
  return 5
}

/**
 * lpStringToInt64: the int64 a byte string spells canonically (no sign '+', no spaces,
 * no leading zeros, "-0" rejected), or null. Values beyond +-(2^53-1) come back as bigint.
 */
export function lpStringToInt(s: string): number | bigint | null {
  if (s.length === 0 || s.length > 20) return null
  const r = string2llNumber(s)
  if (r === null) return null
  if (r === NEEDS_BIGINT) return BigInt(s)
  return r
}

function normaliseInt(v: bigint): number | bigint {
  return v >= SAFE_MIN && v <= SAFE_MAX ? Number(v) : v
}

function checkInt(v: number | bigint): void {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new RangeError(`listpack integer must be a safe integer or a bigint: ${v}`)
  } else if (v < INT64_MIN || v > INT64_MAX) {
    throw new RangeError(`listpack integer out of int64 range: ${v}`)
  }
}

/** Size of <encoding+data> for an integer (lpEncodeGetType's integer branch). */
function intEncodedSize(v: number | bigint): number {
  if (typeof v === 'bigint') {
    if (v >= SAFE_MIN && v <= SAFE_MAX) v = Number(v)
    else return 9
  }
  if (v >= 0 && v <= 127) return 1
  if (v >= -4096 && v <= 4095) return 2
  if (v >= -32768 && v <= 32767) return 3
  if (v >= -8388608 && v <= 8388607) return 4
  if (v >= -2147483648 && v <= 2147483647) return 5
  return 9
}

/** Size of <encoding+data> for a string stored as a string. */
function strEncodedSize(len: number): number {
  return len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len
}

/** Bytes of the encoding header for the entry starting with byte `b` (lpCurrentEncodedSizeBytes); 0 if invalid. */
function encodingHeaderBytes(b: number): number {
  if (b < 0xe0) return 1 // 7-bit uint, 6-bit str, 13-bit int
  if (b < 0xf0) return 2 // 12-bit str
  if (b === 0xf0) return 5 // 32-bit str
  if (b <= 0xf4) return 1 // 16/24/32/64-bit int
  if (b === LP_EOF) return 1
  return 0
}

/** Reads <encoding+data> size of the entry at `p` (lpCurrentEncodedSizeUnsafe); 0 if the tag is invalid. */
function encodedSizeAt(buf: Uint8Array, p: number): number {
  const b = buf[p]
  if (b < 0x80) return 1
  if (b < 0xc0) return 1 + (b & 0x3f)
  if (b < 0xe0) return 2
  if (b < 0xf0) return 2 + (((b & 0x0f) << 8) | buf[p + 1])
  switch (b) {
    case 0xf0:
      return 5 + (buf[p + 1] | (buf[p + 2] << 8) | (buf[p + 3] << 16)) + buf[p + 4] * 0x1000000
    case 0xf1:
      return 3
    case 0xf2:
      return 4
    case 0xf3:
      return 5
    case 0xf4:
      return 9
    case LP_EOF:
      return 1
    default:
      return 0
  }
}

function encodingName(b: number): ListpackEncoding {
  if (b < 0x80) return '7bit-uint'
  if (b < 0xc0) return '6bit-str'
  if (b < 0xe0) return '13bit-int'
  if (b < 0xf0) return '12bit-str'
  switch (b) {
    case 0xf0:
      return '32bit-str'
    case 0xf1:
      return '16bit-int'
    case 0xf2:
      return '24bit-int'
    case 0xf3:
      return '32bit-int'
    case 0xf4:
      return '64bit-int'
    default:
      throw new Error(`invalid listpack encoding byte 0x${b.toString(16)}`)
  }
}

/** lpDecodeBacklen reading backwards from the backlen's last byte `p`; -1 when longer than 5 bytes. */
function decodeBacklen(buf: Uint8Array, p: number, min: number): number {
  let val = 0
  let mul = 1
  for (let n = 0; ; n++) {
    if (p < min || n >= 5) return -1
    const b = buf[p]
    val += (b & 127) * mul
    if (!(b & 128)) return val
    mul *= 128
    p--
  }
}

function writeBacklen(buf: Uint8Array, at: number, l: number, size: number): void {
  // Most significant group first; every byte but the first has the continuation bit.
  for (let i = size - 1; i >= 0; i--) {
    buf[at + i] = (l % 128) | (i === 0 ? 0 : 128)
    l = Math.floor(l / 128)
  }
}

function bytesToString(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let s = ''
    for (let i = start; i < end; i++) s += String.fromCharCode(buf[i])
    return s
  }
  let s = ''
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode.apply(null, buf.subarray(i, Math.min(end, i + 8192)) as unknown as number[])
  }
  return s
}

/** What an entry will hold once encoded: the integer to store, or the byte string. */
type Prepared = { int: true; v: number | bigint; size: number } | { int: false; s: string; size: number }

function prepare(value: ListpackValue): Prepared {
  if (typeof value === 'string') {
    const iv = lpStringToInt(value)
    if (iv !== null) return { int: true, v: iv, size: intEncodedSize(iv) }
    return { int: false, s: value, size: strEncodedSize(value.length) }
  }
  checkInt(value)
  const v = typeof value === 'bigint' ? normaliseInt(value) : value
  return { int: true, v, size: intEncodedSize(v) }
}

export class Listpack {
  private buf: Uint8Array
  private dv: DataView
  private total: number

  private constructor(buf: Uint8Array, total: number) {
    this.buf = buf
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    this.total = total
  }

  /** lpNew: an empty listpack (7 bytes), with room for `capacity` bytes before the first grow. */
  static create(capacity = 64): Listpack {
    const buf = new Uint8Array(Math.max(capacity, LP_HDR_SIZE + 1))
    buf[0] = LP_HDR_SIZE + 1
    buf[LP_HDR_SIZE] = LP_EOF
    return new Listpack(buf, LP_HDR_SIZE + 1)
  }

  /** A listpack holding `values` in order, as successive lpAppend calls would build it. */
  static fromEntries(values: Iterable<ListpackValue>): Listpack {
    const lp = Listpack.create()
    for (const v of values) lp.append(v)
    return lp
  }

  /**
   * Adopts serialized listpack bytes (copied). Checks the header like lpValidateIntegrity;
   * with `deep` every entry too. Throws when invalid.
   */
  static fromBytes(bytes: Uint8Array, deep = true): Listpack {
    if (!validateListpack(bytes, deep)) throw new Error('invalid listpack')
    const buf = new Uint8Array(bytes.length)
    buf.set(bytes)
    return new Listpack(buf, bytes.length)
  }

  /** Total bytes (lpBytes), header and end byte included. */
  get byteLength(): number {
    return this.total
  }

  /** The exact Redis layout, as a fresh copy. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.total)
  }

  /** The exact Redis layout without copying; only valid until the next write. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.total)
  }

  /** The header's count field as stored (65535 means unknown). */
  get headerCount(): number {
    return this.buf[4] | (this.buf[5] << 8)
  }

  /** lpLength: the header count, or a walk when it says unknown (storing the result back when it fits, as Redis does). */
  length(): number {
    const n = this.headerCount
    if (n !== LP_HDR_NUMELE_UNKNOWN) return n
    let count = 0
    for (let p = this.first(); p !== null; p = this.next(p)) count++
    if (count < LP_HDR_NUMELE_UNKNOWN) this.setCount(count)
    return count
  }

  /** lpFirst. */
  first(): number | null {
    return this.buf[LP_HDR_SIZE] === LP_EOF ? null : LP_HDR_SIZE
  }

  /** lpLast. */
  last(): number | null {
    return this.prev(this.total - 1)
  }

  /** lpNext: the entry after `p`, or null. */
  next(p: number): number | null {
    const q = this.skip(p)
    return this.buf[q] === LP_EOF ? null : q
  }

  /** lpPrev: the entry before `p` (which may be the end byte's offset), or null. */
  prev(p: number): number | null {
    if (p === LP_HDR_SIZE) return null
    const l = decodeBacklen(this.buf, p - 1, LP_HDR_SIZE)
    return p - l - backlenSize(l)
  }

  /** lpSeek: the entry at `index` (negative counts from the end, -1 = last), or null when out of range. */
  seek(index: number): number | null {
    const n = this.length()
    if (index < 0) index += n
    if (index < 0 || index >= n) return null
    // Walk from the nearer end, as lpSeek does.
    if (index <= n / 2) {
      let p = this.first()
      for (let i = 0; i < index && p !== null; i++) p = this.next(p)
      return p
    }
    let p = this.last()
    for (let i = n - 1; i > index && p !== null; i--) p = this.prev(p)
    return p
  }

  /** Size of the whole entry at `p`, backlen included (what lpSkip adds). */
  entrySize(p: number): number {
    const l = encodedSizeAt(this.buf, p)
    return l + backlenSize(l)
  }

  /** lpGet: the entry's value; integers as number (bigint beyond +-(2^53-1)). */
  get(p: number): ListpackValue {
    const buf = this.buf
    const b = buf[p]
    if (b < 0x80) return b
    if (b < 0xc0) return bytesToString(buf, p + 1, p + 1 + (b & 0x3f))
    if (b < 0xe0) {
      const u = ((b & 0x1f) << 8) | buf[p + 1]
      return u >= 4096 ? u - 8192 : u
    }
    if (b < 0xf0) {
      const len = ((b & 0x0f) << 8) | buf[p + 1]
      return bytesToString(buf, p + 2, p + 2 + len)
    }
    switch (b) {
      case 0xf0: {
        const len = this.dv.getUint32(p + 1, true)
        return bytesToString(buf, p + 5, p + 5 + len)
      }
      case 0xf1:
        return this.dv.getInt16(p + 1, true)
      case 0xf2: {
        const u = buf[p + 1] | (buf[p + 2] << 8) | (buf[p + 3] << 16)
        return u >= 0x800000 ? u - 0x1000000 : u
      }
      case 0xf3:
        return this.dv.getInt32(p + 1, true)
      case 0xf4:
        return normaliseInt(this.dv.getBigInt64(p + 1, true))
      default:
        throw new Error(`invalid listpack entry at offset ${p}`)
    }
  }

  /** lpGet with an int buffer: the value as a byte string (integers in decimal). */
  getString(p: number): string {
    const v = this.get(p)
    return typeof v === 'string' ? v : String(v)
  }

  /** True when the entry at `p` is integer-encoded. */
  isInt(p: number): boolean {
    const b = this.buf[p]
    return b < 0x80 || (b >= 0xc0 && b < 0xe0) || (b >= 0xf1 && b <= 0xf4)
  }

  /** lpCompare: does the entry at `p` equal byte string `s` (integer entries compare as their decimal text)? */
  compare(p: number, s: string): boolean {
    return this.matches(p, s, lpStringToInt(s))
  }

  private matches(p: number, s: string, sInt: number | bigint | null): boolean {
    const buf = this.buf
    const b = buf[p]
    let start: number
    let len: number
    if (b >= 0x80 && b < 0xc0) {
      start = p + 1
      len = b & 0x3f
    } else if (b >= 0xe0 && b < 0xf0) {
      start = p + 2
      len = ((b & 0x0f) << 8) | buf[p + 1]
    } else if (b === 0xf0) {
      start = p + 5
      len = this.dv.getUint32(p + 1, true)
    } else {
      // Integer entry: only a canonical integer string can match it.
      if (sInt === null) return false
      const v = this.get(p)
      return typeof v === typeof sInt ? v === sInt : false
    }
    if (len !== s.length) return false
    for (let i = 0; i < len; i++) if (buf[start + i] !== s.charCodeAt(i)) return false
    return true
  }

  /**
   * lpFind: starting at entry `p`, compare it, then skip `skip` entries, compare the next,
   * and so on (skip 1 visits only fields of field/value pairs). Returns the match or null.
   */
  find(s: string, p: number | null = this.first(), skip = 0): number | null {
    if (p === null) return null
    const buf = this.buf
    const slen = s.length
    const c0 = slen > 0 ? s.charCodeAt(0) : -1
    // Parsed lazily, once, the first time an integer entry is compared (as lpFind does).
    let sInt: number | bigint | null | undefined
    let sb: Uint8Array | undefined // the needle's bytes, made on the first candidate of equal length
    let skipcnt = 0
    let q = p
    // One tight loop: decode each entry's size inline, compare only every (skip+1)th entry.
    while (true) {
      const b = buf[q]
      if (b === LP_EOF) return null
      let start = -1 // data start for string entries, -1 for integers
      let len = 0
      let size: number // encoding + data
      if (b < 0x80) size = 1
      else if (b < 0xc0) {
        len = b & 0x3f
        start = q + 1
        size = 1 + len
      } else if (b < 0xe0) size = 2
      else if (b < 0xf0) {
        len = ((b & 0x0f) << 8) | buf[q + 1]
        start = q + 2
        size = 2 + len
      } else if (b === 0xf0) {
        len = this.dv.getUint32(q + 1, true)
        start = q + 5
        size = 5 + len
      } else size = encodedSizeAt(buf, q)
      if (skipcnt === 0) {
        if (start >= 0) {
          if (len === slen && (slen === 0 || buf[start] === c0)) {
            if (sb === undefined) {
              sb = new Uint8Array(slen)
              for (let i = 0; i < slen; i++) sb[i] = s.charCodeAt(i)
            }
            let i = 1
            while (i < slen && buf[start + i] === sb[i]) i++
            if (i >= slen) return q
          }
        } else {
          if (sInt === undefined) sInt = slen > 0 && slen < 32 ? lpStringToInt(s) : null
          if (sInt !== null && this.get(q) === sInt) return q
        }
        skipcnt = skip
      } else {
        skipcnt--
      }
      q += size + (size <= 127 ? 1 : backlenSize(size))
    }
  }

  /**
   * lpInsert: puts `value` before/after the entry at `p`, or replaces it. A byte string
   * that spells a canonical int64 is stored as an integer. `p` may be the end byte's offset
   * with 'before' (that is lpAppend). Returns the offset of the new entry.
   */
  insert(value: ListpackValue, p: number, where: InsertWhere = 'before'): number {
    if (where === 'after') p = this.skip(p)
    const prep = prepare(value)
    const blen = backlenSize(prep.size)
    const entry = prep.size + blen
    const replaced = where === 'replace' ? this.entrySize(p) : 0
    this.splice(p, replaced, entry)
    this.writeEntry(p, prep, blen)
    if (where !== 'replace') this.bumpCount(1)
    return p
  }

  /** lpSafeToAdd: would `add` more bytes keep the listpack within LISTPACK_MAX_SAFETY_SIZE (1 GB)? */
  safeToAdd(add: number): boolean {
    return this.total + add <= LISTPACK_MAX_SAFETY_SIZE
  }

  /** lpAppend (lpPushTail). Returns the new entry's offset. */
  append(value: ListpackValue): number {
    return this.insert(value, this.total - 1, 'before')
  }

  /** lpPrepend (lpPushHead). Returns the new entry's offset. */
  prepend(value: ListpackValue): number {
    return this.insert(value, LP_HDR_SIZE, 'before')
  }

  /** lpReplace. Returns the entry's offset (unchanged). */
  replace(p: number, value: ListpackValue): number {
    return this.insert(value, p, 'replace')
  }

  /** lpDelete: removes the entry at `p`; returns the offset of the entry that followed it, or null. */
  delete(p: number): number | null {
    this.splice(p, this.entrySize(p), 0)
    this.bumpCount(-1)
    return this.buf[p] === LP_EOF ? null : p
  }

  /** lpDeleteRangeWithEntry: removes up to `num` entries starting at `p`; returns the following entry or null. */
  deleteRangeWithEntry(p: number, num: number): number | null {
    let end = p
    let deleted = 0
    while (deleted < num && this.buf[end] !== LP_EOF) {
      end = this.skip(end)
      deleted++
    }
    if (deleted === 0) return this.buf[p] === LP_EOF ? null : p
    this.splice(p, end - p, 0)
    this.bumpCount(-deleted)
    return this.buf[p] === LP_EOF ? null : p
  }

  /** lpDeleteRange: removes `num` entries from `index` (negative from the end). Out of range is a no-op. */
  deleteRange(index: number, num: number): void {
    if (num <= 0) return
    const p = this.seek(index)
    if (p === null) return
    this.deleteRangeWithEntry(p, num)
  }

  /** Values in order (converting every entry). */
  toArray(): ListpackValue[] {
    const out: ListpackValue[] = []
    for (let p = this.first(); p !== null; p = this.next(p)) out.push(this.get(p))
    return out
  }

  *[Symbol.iterator](): IterableIterator<ListpackValue> {
    for (let p = this.first(); p !== null; p = this.next(p)) yield this.get(p)
  }

  // ---- random pairs (listpack.c lpRandomPair / lpRandomPairs / lpRandomPairsUnique) ----
  // For listpacks of key/value pairs (hash fields and values, zset members and
  // scores). `rand` is a uniform float in [0, 1) standing in for rand().

  /** lpRandomPair: one random pair; `totalPairs` is length()/2 (must be > 0). */
  randomPair(totalPairs: number, rand: () => number): [ListpackValue, ListpackValue] {
    const p = this.seek(Math.floor(rand() * totalPairs) * 2)
    if (p === null) throw new Error('listpack randomPair: index out of range')
    return [this.get(p), this.get(this.next(p) as number)]
  }

  /**
   * lpRandomPairs: `count` pairs picked independently (repetitions possible),
   * in the order drawn. Picks are sorted by index and fetched in one walk, as
   * Redis does, so the cost is one pass whatever the count.
   */
  randomPairs(count: number, rand: () => number): { keys: ListpackValue[]; vals: ListpackValue[] } {
    const keys = new Array<ListpackValue>(count)
    const vals = new Array<ListpackValue>(count)
    if (count === 0) return { keys, vals }
    const total = Math.floor(this.length() / 2)
    if (total === 0) throw new Error('listpack randomPairs: empty listpack')
    const picks = new Array<{ index: number; order: number }>(count)
    for (let i = 0; i < count; i++) picks[i] = { index: Math.floor(rand() * total) * 2, order: i }
    picks.sort((a, b) => a.index - b.index)
    let lpindex = picks[0].index
    let pick = 0
    let p = this.seek(lpindex)
    while (p !== null && pick < count) {
      const k = this.get(p)
      const vp = this.next(p) as number
      const v = this.get(vp)
      while (pick < count && picks[pick].index === lpindex) {
        keys[picks[pick].order] = k
        vals[picks[pick].order] = v
        pick++
      }
      lpindex += 2
      p = this.next(vp)
    }
    return { keys, vals }
  }

  /**
   * lpRandomPairsUnique: up to `count` distinct pairs in listpack order, by
   * selection sampling (each pair is taken with probability remaining/unvisited),
   * in one walk. Returns fewer when the listpack holds fewer pairs.
   */
  randomPairsUnique(count: number, rand: () => number): { keys: ListpackValue[]; vals: ListpackValue[] } {
    const total = Math.floor(this.length() / 2)
    if (count > total) count = total
    const keys: ListpackValue[] = []
    const vals: ListpackValue[] = []
    let p = this.first()
    let index = 0
    let remaining = count
    while (keys.length < count && p !== null) {
      const vp = this.next(p) as number
      if (rand() <= remaining / (total - index)) {
        keys.push(this.get(p))
        vals.push(this.get(vp))
        remaining--
      }
      p = this.next(vp)
      index++
    }
    return { keys, vals }
  }

  /** Entry boundaries for introspection, optionally windowed by entry index. */
  entries(start = 0, count = Infinity): ListpackEntryInfo[] {
    const out: ListpackEntryInfo[] = []
    let p = start === 0 ? this.first() : this.seek(start)
    while (p !== null && out.length < count) {
      const b = this.buf[p]
      const encodingBytes = encodingHeaderBytes(b)
      const backlen = encodedSizeAt(this.buf, p)
      const backlenBytes = backlenSize(backlen)
      out.push({
        offset: p,
        encoding: encodingName(b),
        encodingBytes,
        dataBytes: backlen - encodingBytes,
        backlen,
        backlenBytes,
        size: backlen + backlenBytes,
        value: this.get(p),
      })
      p = this.next(p)
    }
    return out
  }

  // ---- internals ---------------------------------------------------------------------

  private skip(p: number): number {
    const l = encodedSizeAt(this.buf, p)
    return p + l + backlenSize(l)
  }

  private setCount(n: number): void {
    this.buf[4] = n & 0xff
    this.buf[5] = (n >> 8) & 0xff
  }

  // lpInsert's header update: an unknown count stays unknown.
  private bumpCount(delta: number): void {
    const n = this.headerCount
    if (n !== LP_HDR_NUMELE_UNKNOWN) this.setCount(n + delta)
  }

  /** Replaces `remove` bytes at `p` with room for `add` bytes, keeping the tail; updates the total. */
  private splice(p: number, remove: number, add: number): void {
    const newTotal = this.total - remove + add
    if (newTotal > 0xffffffff) throw new RangeError('listpack would exceed 4 GB')
    if (newTotal > this.buf.length) {
      const grown = new Uint8Array(Math.max(newTotal, Math.min(this.buf.length * 2, this.buf.length + (1 << 20))))
      grown.set(this.buf.subarray(0, this.total))
      this.buf = grown
      this.dv = new DataView(grown.buffer)
    }
    if (remove !== add) this.buf.copyWithin(p + add, p + remove, this.total)
    this.total = newTotal
    this.dv.setUint32(0, newTotal, true)
  }

  private writeEntry(p: number, prep: Prepared, blen: number): void {
    const buf = this.buf
    if (prep.int) {
      const v = prep.v
      switch (prep.size) {
        case 1:
          buf[p] = v as number
          break
        case 2: {
          const u = (v as number) < 0 ? 8192 + (v as number) : (v as number)
          buf[p] = (u >> 8) | 0xc0
          buf[p + 1] = u & 0xff
          break
        }
        case 3:
          buf[p] = 0xf1
          this.dv.setInt16(p + 1, v as number, true)
          break
        case 4: {
          const u = (v as number) < 0 ? 0x1000000 + (v as number) : (v as number)
          buf[p] = 0xf2
          buf[p + 1] = u & 0xff
          buf[p + 2] = (u >> 8) & 0xff
          buf[p + 3] = (u >> 16) & 0xff
          break
        }
        case 5:
          buf[p] = 0xf3
          this.dv.setInt32(p + 1, v as number, true)
          break
        default:
          buf[p] = 0xf4
          this.dv.setBigInt64(p + 1, BigInt(v), true)
      }
    } else {
      const s = prep.s
      const len = s.length
      let d: number
      if (len < 64) {
        buf[p] = 0x80 | len
        d = p + 1
      } else if (len < 4096) {
        buf[p] = 0xe0 | (len >> 8)
        buf[p + 1] = len & 0xff
        d = p + 2
      } else {
        buf[p] = 0xf0
        this.dv.setUint32(p + 1, len, true)
        d = p + 5
      }
      for (let i = 0; i < len; i++) {
        const c = s.charCodeAt(i)
        if (c > 255) throw new RangeError(`char ${c} at ${i} is not a byte`)
        buf[d + i] = c
      }
    }
    writeBacklen(buf, p + prep.size, prep.size, blen)
  }
}

/**
 * lpValidateIntegrity: the header's total must equal `bytes.length` and the last byte must
 * be 0xFF; with `deep`, every entry must have a valid tag, stay inside the buffer, carry a
 * back-length equal to its size, and the entries must end exactly at the end byte with a
 * count matching the header (unless it says unknown). `entryCb` (deep only) sees each entry
 * offset and may veto by returning false.
 */
export function validateListpack(
  bytes: Uint8Array,
  deep: boolean,
  entryCb?: (offset: number, bytes: Uint8Array) => boolean,
): boolean {
  const size = bytes.length
  if (size < LP_HDR_SIZE + 1) return false
  const total = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16)) + bytes[3] * 0x1000000
  if (total !== size) return false
  if (bytes[size - 1] !== LP_EOF) return false
  if (!deep) return true
  const numele = bytes[4] | (bytes[5] << 8)
  const last = size - 1 // offset of the end byte; entries must stay before or at it
  let count = 0
  let p = LP_HDR_SIZE
  while (p < size && bytes[p] !== LP_EOF) {
    const hdr = encodingHeaderBytes(bytes[p])
    if (hdr === 0) return false
    if (p + hdr > last) return false
    const l = encodedSizeAt(bytes, p)
    const blen = backlenSize(l)
    const next = p + l + blen
    if (next > last) return false
    if (decodeBacklen(bytes, next - 1, 0) !== l) return false
    if (entryCb && !entryCb(p, bytes)) return false
    count++
    p = next
  }
  if (p !== last) return false
  if (numele !== LP_HDR_NUMELE_UNKNOWN && numele !== count) return false
  return true
}
