// How many bytes a value takes in an RDB file (rdb.c rdbSavedObjectLen), for
// DEBUG OBJECT's serializedlength. Strings are computed here, following
// rdbSaveStringObject: integers as 2, 3 or 5 byte integer encodings (or as
// digits when they do not fit 32 bits), short canonical integer texts the same
// way, longer strings LZF-compressed when rdbcompression is on and that saves
// at least 4 bytes, else a length prefix and the bytes. Other types register
// their own computation (registerSerializedLength).

import type { RObj } from '../../keyspace/object.ts'

/** rdbSaveLen: bytes of an RDB length prefix. */
export function rdbLenSize(len: number): number {
  if (len < 1 << 6) return 1
  if (len < 1 << 14) return 2
  if (len <= 0xffffffff) return 5
  return 9
}

/** rdbEncodeInteger: bytes of the integer encoding, or 0 when the value needs more than 32 bits. */
function rdbIntegerSize(v: bigint): number {
  if (v >= -(1n << 7n) && v <= (1n << 7n) - 1n) return 2
  if (v >= -(1n << 15n) && v <= (1n << 15n) - 1n) return 3
  if (v >= -(1n << 31n) && v <= (1n << 31n) - 1n) return 5
  return 0
}

/** rdbTryIntegerEncoding: the text is exactly the canonical form of an int64 (string2ll + ll2string round trip). */
function canonicalInt(s: string): bigint | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s) || s === '-0') return null
  const v = BigInt(s)
  if (v < -(2n ** 63n) || v > 2n ** 63n - 1n) return null
  return v
}

/** rdbSaveRawString's size for a byte string. */
export function rdbRawStringSize(s: string, compression: boolean): number {
  const len = s.length
  if (len <= 11) {
    const v = canonicalInt(s)
    if (v !== null) {
      const n = rdbIntegerSize(v)
      if (n > 0) return n
    }
  }
  // Under 20 bytes LZF cannot win, so it is not tried.
  if (compression && len > 20) {
    const n = rdbLzfStringSize(s)
    if (n > 0) return n
  }
  return rdbLenSize(len) + len
}

/** rdbSaveLzfStringObject: type byte, compressed and original lengths, data; 0 when not worth it. */
function rdbLzfStringSize(s: string): number {
  const len = s.length
  // At least four bytes must be saved.
  if (len <= 4) return 0
  const comprlen = lzfCompressedLength(s, len - 4)
  if (comprlen === 0) return 0
  return 1 + rdbLenSize(comprlen) + rdbLenSize(len) + comprlen
}

/** rdbSaveStringObject's size for a string value. */
export function rdbStringObjectSize(o: { encoding: string; value: string }, compression: boolean): number {
  if (o.encoding === 'int') {
    // rdbSaveLongLongAsStringObject
    const v = BigInt(o.value)
    const n = rdbIntegerSize(v)
    if (n > 0) return n
    return rdbLenSize(o.value.length) + o.value.length
  }
  return rdbRawStringSize(o.value, compression)
}

export type SerializedLength = (o: RObj, compression: boolean) => number

const lengths = new Map<string, SerializedLength>()

/** Each type module registers how its values serialize (rdbSaveObject's other branches). */
export function registerSerializedLength(type: string, fn: SerializedLength): void {
  lengths.set(type, fn)
}

/** rdbSavedObjectLen for any value whose type is known here. */
export function rdbSavedObjectLen(o: RObj, compression: boolean): number {
  if (o.type === 'string') return rdbStringObjectSize(o, compression)
  const fn = lengths.get((o as { type: string }).type)
  if (!fn) throw new Error(`no RDB length for type ${(o as { type: string }).type}`)
  return fn(o, compression)
}

// ---------------------------------------------------------------- LZF

// liblzf 3.6 lzf_compress as Redis builds it (lzfP.h): HLOG 16, VERY_FAST,
// not ULTRA_FAST. Only the output length is computed. Redis leaves the hash
// table uninitialised (INIT_HTAB 0); stale slots can only ever add extra
// back-references, so a zeroed table is what a fresh process computes.
const HLOG = 16
const HSIZE = 1 << HLOG
const MAX_LIT = 1 << 5
const MAX_OFF = 1 << 13
const MAX_REF = (1 << 8) + (1 << 3)
const htab = new Int32Array(HSIZE)

// IDX(h) with VERY_FAST: ((h >> (3*8 - HLOG)) - h*5) & (HSIZE - 1), on unsigned 32-bit h.
function idx(h: number): number {
  return ((h >>> (24 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1)
}

/**
 * The length lzf_compress would return for `input` with an output buffer of
 * `outLen` bytes: 0 when the result does not fit.
 */
export function lzfCompressedLength(input: string, outLen: number): number {
  const inLen = input.length
  if (inLen === 0 || outLen === 0) return 0
  htab.fill(0)
  const at = (i: number): number => input.charCodeAt(i)
  let ip = 0
  let op = 0
  let lit = 0
  op++ // start run
  let hval = ((at(0) << 8) | at(1)) >>> 0
  while (ip < inLen - 2) {
    hval = ((hval << 8) | at(ip + 2)) >>> 0
    const slot = idx(hval)
    const ref = htab[slot]
    htab[slot] = ip
    const off = ip - ref - 1
    if (ref < ip && off < MAX_OFF && ref > 0 && at(ref + 2) === at(ip + 2) && at(ref) === at(ip) && at(ref + 1) === at(ip + 1)) {
      // Match found at ref.
      let len = 2
      let maxlen = inLen - ip - len
      if (maxlen > MAX_REF) maxlen = MAX_REF
      if (op + 3 + 1 >= outLen) {
        if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLen) return 0
      }
      if (lit === 0) op-- // undo an empty literal run
      let matched = false
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++
          if (at(ref + len) !== at(ip + len)) {
            matched = true
            break
          }
        }
      }
      if (!matched) {
        do len++
        while (len < maxlen && at(ref + len) === at(ip + len))
      }
      len -= 2 // octets - 1... as liblzf encodes it
      ip++
      op += len < 7 ? 2 : 3
      lit = 0
      op++ // start run
      ip += len + 1
      if (ip >= inLen - 2) break
      // VERY_FAST: hash the two positions before the new ip.
      ip -= 2
      hval = ((at(ip) << 8) | at(ip + 1)) >>> 0
      hval = ((hval << 8) | at(ip + 2)) >>> 0
      htab[idx(hval)] = ip
      ip++
      hval = ((hval << 8) | at(ip + 2)) >>> 0
      htab[idx(hval)] = ip
      ip++
    } else {
      // One more literal byte.
      if (op >= outLen) return 0
      lit++
      op++
      ip++
      if (lit === MAX_LIT) {
        lit = 0
        op++ // start run
      }
    }
  }
  if (op + 3 > outLen) return 0
  while (ip < inLen) {
    lit++
    op++
    ip++
    if (lit === MAX_LIT) {
      lit = 0
      op++
    }
  }
  if (lit === 0) op-- // undo an empty run
  return op
}
